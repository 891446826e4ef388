"""Run the briefing: execute the notebooks with papermill and render HTML into outputs/.

    python -m zhenhai_analysis.pipeline params/briefing_2020.yaml [--jobs N] [--force]

One page per notebook and language; a notebook that declares `theme` runs once per
theme, one that declares `indicator_id` once per indicator with a comparable baseline
or a series. Outputs are named for their parameters:

    outputs/<report_year>/<lang>/<notebook>[.<theme or indicator>].html       reader version
    outputs/<report_year>/<lang>/<notebook>[...].code.html                    with the code
    outputs/<report_year>/<lang>/<notebook>[...].ipynb                        the executed notebook

A page is written only when its notebook succeeded, by renaming finished files into
place, so a failed run leaves the previous good outputs untouched; the failed notebook
is kept as <page>.failed.ipynb. A page whose inputs (notebook, parameters, data files,
library code) did not change since its last good run is not run again.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import html
import json
import os
import sys
import time
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

import yaml

# papermill, nbconvert and the data loader are imported where they are used: a rerun
# with nothing to do must not pay for importing them.

PROJECT = Path(__file__).resolve().parent.parent
NOTEBOOKS = PROJECT / "notebooks"
PACKAGE = Path(__file__).resolve().parent
CELL_TIMEOUT_S = 600  # one cell; every notebook here runs in seconds
STATE_DIR = ".state"  # under outputs/: the input digest of each page's last good run


@dataclass(frozen=True)
class Job:
    notebook: Path
    parameters: dict
    output: Path  # stem: outputs/2020/zh/02_theme.industry
    lang: str
    theme: str | None = None  # for the index: which theme the page belongs to

    @property
    def title(self) -> str:
        values = ", ".join(f"{k}={v}" for k, v in self.parameters.items() if k not in ("report_year", "base_year"))
        return f"{self.notebook.stem} ({values})"

    def path(self, suffix: str) -> Path:
        return self.output.with_name(self.output.name + suffix)


class NotebookFailed(RuntimeError):
    """A notebook raised an error; the message names the notebook and the cell."""


@dataclass
class Briefing:
    """A parameter file: which report, which languages, themes and notebooks."""

    report_year: int
    base_year: int
    languages: list[str]
    notebooks: list[str]
    themes: list[str] | str = "all"
    indicators: list[str] | str = "auto"  # auto: those with a comparable baseline or a series
    notebooks_dir: Path = NOTEBOOKS
    extra: dict = field(default_factory=dict)  # passed to notebooks that declare them (e.g. data_dir)

    @classmethod
    def from_file(cls, path: Path) -> "Briefing":
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except FileNotFoundError:
            raise SystemExit(
                f"{path} does not exist. For a new report year, copy params/briefing_2020.yaml to {path.name} "
                "and change report_year and base_year."
            ) from None
        except (OSError, yaml.YAMLError) as exc:
            raise SystemExit(f"{path}: cannot read parameters: {exc}") from None
        required = ("report_year", "languages", "notebooks")
        missing = [k for k in required if k not in raw]
        if missing:
            raise SystemExit(f"{path}: missing parameter(s): {', '.join(missing)}")
        known = {"report_year", "base_year", "languages", "notebooks", "themes", "indicators", "notebooks_dir", "lang"}
        return cls(
            report_year=int(raw["report_year"]),
            base_year=int(raw.get("base_year", raw["report_year"] - 1)),
            languages=list(raw["languages"]),
            notebooks=list(raw["notebooks"]),
            themes=raw.get("themes", "all"),
            indicators=raw.get("indicators", "auto"),
            notebooks_dir=PROJECT / raw.get("notebooks_dir", "notebooks"),
            extra={k: v for k, v in raw.items() if k not in known},
        )


def plan(briefing: Briefing, outputs: Path) -> list[Job]:
    """Every page of the briefing, in order; validates the data and the parameters first."""
    import papermill as pm

    from .briefing import pages_for_indicators
    from .load import load_indicators, load_links, load_themes

    data = briefing.extra.get("data_dir")
    themes, obs, links = load_themes(data), load_indicators(data), load_links(data)
    valid_themes = list(themes["theme"])
    chosen = valid_themes if briefing.themes == "all" else list(briefing.themes)
    unknown = [t for t in chosen if t not in valid_themes]
    if unknown:
        raise SystemExit(f"unknown theme(s) {', '.join(unknown)}; valid values: all, {', '.join(valid_themes)}")
    theme_of = obs.drop_duplicates("indicator_id").set_index("indicator_id")["theme"]
    if briefing.indicators == "auto":
        indicators = [i for i in pages_for_indicators(obs, links, briefing.report_year) if theme_of[i] in chosen]
    else:
        indicators = list(briefing.indicators)
        unknown = [i for i in indicators if i not in theme_of.index]
        if unknown:
            raise SystemExit(f"unknown indicator(s) {', '.join(unknown)}; valid values: auto, {', '.join(theme_of.index)}")

    jobs = []
    for name in briefing.notebooks:
        notebook = briefing.notebooks_dir / f"{name}.ipynb"
        if not notebook.exists():
            available = ", ".join(p.stem for p in sorted(briefing.notebooks_dir.glob("*.ipynb")))
            raise SystemExit(f"unknown notebook {name!r}; available: {available}")
        declared = pm.inspect_notebook(str(notebook))
        if "theme" in declared:
            variants = [({"theme": t}, t, t) for t in chosen]
        elif "indicator_id" in declared:
            variants = [({"indicator_id": i}, i, theme_of[i]) for i in indicators]
        else:
            variants = [({}, None, None)]
        offered = {"report_year": briefing.report_year, "base_year": briefing.base_year, **briefing.extra}
        for lang in briefing.languages:
            for own, suffix, theme in variants:
                parameters = {k: v for k, v in {**offered, "lang": lang, **own}.items() if k in declared}
                stem = name if suffix is None else f"{name}.{suffix}"
                jobs.append(Job(notebook, parameters, outputs / str(briefing.report_year) / lang / stem, lang, theme))
    return jobs


# ---- what a page depends on ----------------------------------------------------------

def _digest_files(paths) -> str:
    h = hashlib.sha256()
    for path in sorted(paths):
        h.update(str(path).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def inputs_digest(briefing: Briefing) -> str:
    """Digest of what every page reads: all data files and the library's code and templates.

    Every notebook loads the data through the validating loader, which reads every data
    file, so a change to any data file re-runs every page.
    """
    data = Path(briefing.extra.get("data_dir") or PROJECT / "data")
    files = [p for p in data.rglob("*") if p.is_file()]
    files += [p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix in (".py", ".j2", ".json")]
    return _digest_files(files)


def job_digest(job: Job, shared: str) -> str:
    h = hashlib.sha256(shared.encode())
    h.update(job.notebook.read_bytes())
    h.update(json.dumps(job.parameters, sort_keys=True, default=str).encode())
    return h.hexdigest()


def _state_path(job: Job, outputs: Path) -> Path:
    return outputs / STATE_DIR / (job.output.relative_to(outputs).as_posix().replace("/", "__") + ".json")


def is_current(job: Job, digest: str, outputs: Path) -> bool:
    """True when the page's last good run had the same inputs and its files are all there."""
    state = _state_path(job, outputs)
    if not state.exists():
        return False
    recorded = json.loads(state.read_text(encoding="utf-8")).get("digest")
    return recorded == digest and all(job.path(s).exists() for s in (".html", ".code.html", ".ipynb"))


# ---- running one page ----------------------------------------------------------------

def _failed_cell(notebook: Path) -> str:
    """Describe the first cell with an error, numbered as in the input notebook."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    added = {"injected-parameters", "papermill-error-cell-tag"}  # cells papermill inserts
    source_cells = [c for c in nb.cells if not added & set(c.get("metadata", {}).get("tags", []))]
    for index, cell in enumerate(source_cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                first_line = next((l for l in cell.source.splitlines() if l.strip()), "")
                return (f"cell {index} (In [{cell.get('execution_count')}], {first_line[:60]!r}): "
                        f"{output['ename']}: {output['evalue']}")
    return "no cell recorded an error"


def _execute(job: Job, executed: Path) -> None:
    """Run the notebook with papermill in this process's kernel (see kernels.py).

    If the kernel dies, the page is tried once more in a new kernel; an error in the
    notebook's own code is not retried.
    """
    import papermill as pm
    from nbclient.exceptions import DeadKernelError

    from . import kernels

    cwd = str(job.notebook.parent)
    for attempt in (1, 2):
        try:
            pm.execute_notebook(
                str(job.notebook), str(executed), parameters=job.parameters, kernel_name=kernels.KERNEL_NAME,
                km=kernels.kernel(cwd), progress_bar=False, execution_timeout=CELL_TIMEOUT_S,
                request_save_on_cell_execute=False,  # saved once at the end, or with the error on failure
            )
            return
        except DeadKernelError:
            kernels.discard(cwd)
            if attempt == 2:
                raise


_exporters: dict[bool, object] = {}


def _exporter(with_code: bool):
    """One HTML exporter per version, built once per process (building loads the templates)."""
    if with_code not in _exporters:
        from nbconvert import HTMLExporter

        _exporters[with_code] = HTMLExporter(
            template_name="zhenhai",
            extra_template_basedirs=[str(PACKAGE / "templates")],
            exclude_input=not with_code,
            exclude_input_prompt=not with_code,
            exclude_output_prompt=not with_code,
        )
    return _exporters[with_code]


def render_html(nb, target: Path, lang: str, with_code: bool) -> None:
    """Render an executed notebook to self-contained HTML, written atomically."""
    body, _ = _exporter(with_code).from_notebook_node(nb, resources={"language_code": lang})
    _write_atomic(target, body)


def _write_atomic(target: Path, text: str) -> None:
    partial = target.with_name(f".{target.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, target)


def run_job(job: Job, digest: str, outputs: Path, announce: bool = False) -> dict:
    """Execute one page, render it, record its input digest. Raises NotebookFailed.

    Returns seconds in all, executing (kernel work, cells_s of which in the cells) and rendering.
    """
    started = time.perf_counter()
    if announce:
        print(f"  running {job.title}", flush=True)
    job.output.parent.mkdir(parents=True, exist_ok=True)
    executed = job.path(".partial.ipynb")
    try:
        _execute(job, executed)
    except Exception as exc:  # papermill raises several types; all mean the page failed
        failed = job.path(".failed.ipynb")
        detail = _failed_cell(executed) if executed.exists() else f"{type(exc).__name__}: {exc}"
        if executed.exists():
            os.replace(executed, failed)
        raise NotebookFailed(f"{job.title} failed in {detail}\n  the failed notebook is saved as {failed}") from None
    executed_at = time.perf_counter()
    import nbformat

    nb = nbformat.read(executed, as_version=4)
    nb.metadata["title"] = job.title
    render_html(nb, job.path(".html"), job.lang, with_code=False)
    render_html(nb, job.path(".code.html"), job.lang, with_code=True)
    os.replace(executed, job.path(".ipynb"))
    job.path(".failed.ipynb").unlink(missing_ok=True)
    state = _state_path(job, outputs)
    state.parent.mkdir(parents=True, exist_ok=True)
    _write_atomic(state, json.dumps({"digest": digest, "page": job.title}))
    done = time.perf_counter()
    cells = sum(c.get("metadata", {}).get("papermill", {}).get("duration") or 0 for c in nb.cells)
    return {"seconds": done - started, "execute_s": executed_at - started,
            "cells_s": cells, "render_s": done - executed_at}


# ---- the index -----------------------------------------------------------------------

def write_index(outputs: Path, jobs: list[Job], briefing: Briefing) -> Path:
    """outputs/index.html: every page of the briefing, grouped by theme, in both versions."""
    from .load import load_catalogue, load_sources, load_themes

    data = briefing.extra.get("data_dir")
    themes = load_themes(data).set_index("theme")
    names = load_catalogue(data).set_index("indicator_id")
    sources = load_sources(data)
    langs = briefing.languages

    def links(page_jobs: dict[str, Job]) -> str:
        cells = []
        for lang in langs:
            job = page_jobs.get(lang)
            if job is None:
                cells.append("<td></td>")
                continue
            reader = job.path(".html").relative_to(outputs).as_posix()
            code = job.path(".code.html").relative_to(outputs).as_posix()
            cells.append(f'<td><a href="{html.escape(reader)}">{lang}</a> · <a href="{html.escape(code)}">{lang} + code</a></td>')
        return "".join(cells)

    pages: dict[tuple, dict[str, Job]] = {}
    for job in jobs:
        key = (job.theme or "", job.notebook.stem, job.output.name.split(".", 1)[-1])
        pages.setdefault(key, {})[job.lang] = job

    def label(key: tuple) -> str:
        theme, notebook, suffix = key
        fixed = {"00_data_overview": "数据概览 · Data overview", "01_briefing": "目标简报 · Briefing",
                 "02_theme": "主题页 · Theme page"}
        if notebook in fixed:
            return fixed[notebook]
        if suffix in names.index:
            return f"{names.loc[suffix, 'name_zh']} · {names.loc[suffix, 'name_en']}"
        return suffix

    header = "".join(f"<th>{lang}</th>" for lang in langs)
    sections = []
    general = [k for k in pages if not k[0]]
    if general:
        rows = "".join(f"<tr><td>{html.escape(label(k))}</td>{links(pages[k])}</tr>" for k in general)
        sections.append(f"<h2>概览 · Overview</h2><table><tr><th></th>{header}</tr>{rows}</table>")
    for theme in themes.index:
        keys = [k for k in pages if k[0] == theme]
        if not keys:
            continue
        rows = "".join(f"<tr><td>{html.escape(label(k))}</td>{links(pages[k])}</tr>" for k in keys)
        title = f"{themes.loc[theme, 'name_zh']} · {themes.loc[theme, 'name_en']}"
        sections.append(f"<h2>{html.escape(title)}</h2><table><tr><th></th>{header}</tr>{rows}</table>")

    cited = "<br>".join(
        f'{html.escape(s.title_zh)} / {html.escape(s.title_en)}, published {s.published}: '
        f'<a href="{html.escape(s.url)}">{html.escape(s.url)}</a>'
        for s in sources.itertuples()
    )
    generated = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    text = f"""<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>镇海区{briefing.report_year}年政府工作报告简报 · Zhenhai {briefing.report_year} briefing</title>
<style>body{{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}}
table{{border-collapse:collapse;margin-bottom:1em}}td,th{{padding:.25em .8em;border-bottom:1px solid #ddd;text-align:left}}</style></head>
<body><h1>镇海区{briefing.report_year}年政府工作报告简报 · Zhenhai District {briefing.report_year} briefing</h1>
<p><b>Report year</b>: {briefing.report_year} · <b>Generated</b>: {html.escape(generated)}</p>
<p><b>Source</b>: {cited}</p>
{''.join(sections)}
</body></html>
"""
    index = outputs / "index.html"
    _write_atomic(index, text)
    return index


# ---- the command ---------------------------------------------------------------------

def _plan_cached(briefing: Briefing, outputs: Path, digest: str) -> list[Job]:
    """The plan, reused while the data, library, notebooks and parameters are unchanged."""
    key = hashlib.sha256(digest.encode())
    key.update(_digest_files(briefing.notebooks_dir.glob("*.ipynb")).encode())
    key.update(json.dumps([briefing.__dict__, str(outputs)], sort_keys=True, default=str).encode())
    cache = outputs / STATE_DIR / "plan.json"
    if cache.exists():
        saved = json.loads(cache.read_text(encoding="utf-8"))
        if saved.get("key") == key.hexdigest():
            return [Job(Path(j["notebook"]), j["parameters"], Path(j["output"]), j["lang"], j["theme"]) for j in saved["jobs"]]
    jobs = plan(briefing, outputs)
    cache.parent.mkdir(parents=True, exist_ok=True)
    saved = [{"notebook": str(j.notebook), "parameters": j.parameters, "output": str(j.output), "lang": j.lang,
              "theme": j.theme} for j in jobs]
    _write_atomic(cache, json.dumps({"key": key.hexdigest(), "jobs": saved}, default=str))
    return jobs


def run(briefing: Briefing, outputs: Path, jobs: int = 1, force: bool = False) -> int:
    """Run every page that is not current (in parallel with `jobs` > 1); return an exit code."""
    started = time.perf_counter()
    digest = inputs_digest(briefing)
    try:
        pages = _plan_cached(briefing, outputs, digest)
    except Exception as exc:
        # A DataValidationError lists every problem of the data files; it is matched by
        # name so that a rerun with nothing to do never imports pandas to catch it.
        if type(exc).__name__ != "DataValidationError":
            raise
        print(f"FAILED before running any notebook: {exc}", file=sys.stderr)
        return 1
    total = len(pages)
    digests = {job.output: job_digest(job, digest) for job in pages}
    todo = [job for job in pages if force or not is_current(job, digests[job.output], outputs)]
    for number, job in enumerate(pages, start=1):
        if job not in todo:
            print(f"[{number}/{total}] {job.title}: unchanged, skipped")
    failure, timings = None, {}
    if todo and (jobs <= 1 or len(todo) == 1):
        for job in todo:
            print(f"[{pages.index(job) + 1}/{total}] {job.title}", flush=True)
            try:
                timings[job.title] = run_job(job, digests[job.output], outputs)
            except NotebookFailed as exc:
                failure = exc
                break
    elif todo:
        # Longest pages first (by their last run), so that no long page starts last.
        last = _last_timings(outputs)
        todo.sort(key=lambda job: -last.get(job.title, {}).get("seconds", 0))
        failure, timings = _run_parallel(todo, pages, digests, outputs, jobs)
    ran = len(timings)
    if timings:
        _write_atomic(outputs / STATE_DIR / "last_run.json", json.dumps({**_last_timings(outputs), **timings}))
    if failure:
        print(f"FAILED: {failure}\nThe previous outputs of that page are unchanged.", file=sys.stderr)
        return 1
    index = outputs / "index.html"
    if ran or not index.exists():
        write_index(outputs, pages, briefing)
    print(f"{ran} page(s) run, {total - ran} unchanged, in {time.perf_counter() - started:.1f} s "
          f"({min(jobs, max(len(todo), 1))} at once).\nOpen {index}")
    return 0


def _last_timings(outputs: Path) -> dict:
    """Seconds per page of earlier runs (outputs/.state/last_run.json; benchmarks/ reads it too)."""
    path = outputs / STATE_DIR / "last_run.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _run_parallel(todo: list[Job], pages: list[Job], digests: dict, outputs: Path, jobs: int):
    """Run pages in worker processes; stop starting new ones after the first failure."""
    failure, timings, total = None, {}, len(pages)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
        futures = {pool.submit(run_job, job, digests[job.output], outputs, True): job for job in todo}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for future in done:
                if future.cancelled():
                    continue
                job = futures[future]
                try:
                    result = future.result()
                except NotebookFailed as exc:
                    failure = failure or exc
                    continue
                timings[job.title] = result
                print(f"[{pages.index(job) + 1}/{total}] {job.title}: {result['seconds']:.1f} s", flush=True)
            if failure:
                for future in pending:
                    future.cancel()
    return failure, timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("params", type=Path, help="parameter file, e.g. params/briefing_2020.yaml")
    parser.add_argument("--outputs", type=Path, default=PROJECT / "outputs")
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("JOBS") or os.cpu_count() or 1),
                        help="notebooks run at once (default: $JOBS, else the number of cores)")
    parser.add_argument("--force", action="store_true", default=os.environ.get("FORCE", "") not in ("", "0"),
                        help="run every page, even those whose inputs did not change ($FORCE=1)")
    args = parser.parse_args(argv)
    return run(Briefing.from_file(args.params), args.outputs, jobs=max(1, args.jobs), force=args.force)


if __name__ == "__main__":
    sys.exit(main())
