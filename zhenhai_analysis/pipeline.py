"""Run the briefing: execute the notebooks with papermill, render HTML into outputs/.

    python -m zhenhai_analysis.pipeline params/briefing_2020.yaml [--outputs outputs]

Each notebook runs once per language with the parameters it declares. Outputs are
named for their parameters: outputs/<report_year>/<lang>/<notebook>.ipynb and .html.
A run writes to temporary files and moves them into place only when a notebook has
succeeded, so a failed run leaves the previous good outputs untouched; the failed
notebook is kept as <notebook>.failed.ipynb for inspection.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import papermill as pm
import yaml
from nbconvert import HTMLExporter
from traitlets.config import Config

PROJECT = Path(__file__).resolve().parent.parent
CELL_TIMEOUT_S = 600  # one cell; the whole overview runs in seconds
# Encrypt kernel traffic when the kernel supports it (ipykernel does); without this
# every kernel start warns that it runs over TCP in plain text.
KERNEL_CONFIG = Config({"KernelManager": {"transport_encryption": "auto"}})


@dataclass(frozen=True)
class Job:
    notebook: Path
    parameters: dict
    output: Path  # without suffix: outputs/2020/zh/00_data_overview

    @property
    def title(self) -> str:
        values = ", ".join(f"{k}={v}" for k, v in self.parameters.items())
        return f"{self.notebook.stem} ({values})"


class NotebookFailed(RuntimeError):
    """A notebook raised an error; the message names the notebook and the cell."""


@dataclass
class Briefing:
    report_year: int
    languages: list[str]
    notebooks: list[str]
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_file(cls, path: Path) -> "Briefing":
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise SystemExit(f"{path}: cannot read parameters: {exc}") from None
        missing = [k for k in ("report_year", "languages", "notebooks") if k not in (raw or {})]
        if missing:
            raise SystemExit(f"{path}: missing parameter(s): {', '.join(missing)}")
        known = {"report_year", "languages", "notebooks"}
        return cls(raw["report_year"], raw["languages"], raw["notebooks"], {k: v for k, v in raw.items() if k not in known})


def plan(briefing: Briefing, outputs: Path, notebooks_dir: Path = PROJECT / "notebooks") -> list[Job]:
    """One job per notebook and language, passing only the parameters a notebook declares."""
    jobs = []
    for name in briefing.notebooks:
        notebook = notebooks_dir / f"{name}.ipynb"
        if not notebook.exists():
            raise SystemExit(f"unknown notebook {name!r}: no file {notebook}")
        declared = pm.inspect_notebook(str(notebook))
        offered = {"report_year": briefing.report_year, **briefing.extra}
        for lang in briefing.languages:
            parameters = {k: v for k, v in {**offered, "lang": lang}.items() if k in declared}
            jobs.append(Job(notebook, parameters, outputs / str(briefing.report_year) / lang / name))
    return jobs


def _failed_cell(notebook: Path) -> str:
    """Describe the first cell with an error output in an executed notebook."""
    nb = nbformat.read(notebook, as_version=4)
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                first_line = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
                return f"cell {index} ({first_line[:60]!r}): {output['ename']}: {output['evalue']}"
    return "no cell recorded an error"


def render_html(notebook: Path, target: Path) -> None:
    """Render an executed notebook to HTML, written atomically to `target`."""
    exporter = HTMLExporter(template_name="lab")
    body, _ = exporter.from_notebook_node(nbformat.read(notebook, as_version=4))
    _write_atomic(target, body)


def _write_atomic(target: Path, text: str) -> None:
    partial = target.with_name(f".{target.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, target)


def run_job(job: Job) -> Path:
    """Execute one notebook and render it; return the HTML path. Raises NotebookFailed."""
    job.output.parent.mkdir(parents=True, exist_ok=True)
    executed = job.output.with_suffix(".partial.ipynb")
    try:
        pm.execute_notebook(
            str(job.notebook),
            str(executed),
            parameters=job.parameters,
            kernel_name="python3",
            cwd=str(job.notebook.parent),
            progress_bar=False,
            execution_timeout=CELL_TIMEOUT_S,
            config=KERNEL_CONFIG,
        )
    except Exception as exc:  # papermill raises several types; all mean the run failed
        failed = job.output.with_suffix(".failed.ipynb")
        detail = _failed_cell(executed) if executed.exists() else str(exc)
        if executed.exists():
            os.replace(executed, failed)
        raise NotebookFailed(
            f"{job.notebook.name} failed in {detail}\n  the failed notebook is saved as {failed}"
        ) from None
    html_path = job.output.with_suffix(".html")
    render_html(executed, html_path)
    os.replace(executed, job.output.with_suffix(".ipynb"))
    job.output.with_suffix(".failed.ipynb").unlink(missing_ok=True)
    return html_path


def write_index(outputs: Path, pages: list[Path]) -> Path:
    """A plain index.html linking every rendered page."""
    items = "\n".join(
        f'<li><a href="{html.escape(p.relative_to(outputs).as_posix())}">{html.escape(p.relative_to(outputs).as_posix())}</a></li>'
        for p in sorted(pages)
    )
    generated = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    text = (
        '<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>镇海区政府工作报告 briefing</title></head>'
        f"<body><h1>镇海区政府工作报告 · Zhenhai briefing</h1><ul>\n{items}\n</ul>"
        f"<p>Generated {html.escape(generated)}</p></body></html>\n"
    )
    index = outputs / "index.html"
    _write_atomic(index, text)
    return index


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("params", type=Path, help="parameter file, e.g. params/briefing_2020.yaml")
    parser.add_argument("--outputs", type=Path, default=PROJECT / "outputs")
    args = parser.parse_args(argv)

    jobs = plan(Briefing.from_file(args.params), args.outputs)
    started = time.monotonic()
    pages = []
    for number, job in enumerate(jobs, start=1):
        print(f"[{number}/{len(jobs)}] {job.title}", flush=True)
        try:
            pages.append(run_job(job))
        except NotebookFailed as exc:
            print(f"FAILED: {exc}\nThe previous outputs are unchanged.", file=sys.stderr)
            return 1
    existing = sorted(args.outputs.glob("*/*/*.html"))
    index = write_index(args.outputs, existing)
    print(f"{len(pages)} notebook(s) in {time.monotonic() - started:.0f} s. Open {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
