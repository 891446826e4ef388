"""The overview notebook, run for real with papermill and rendered to HTML."""

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from .conftest import PROJECT

NOTEBOOKS = sorted((PROJECT / "notebooks").glob("*.ipynb"))


def _run(params: Path, outputs: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "zhenhai_analysis.pipeline", str(params), "--outputs", str(outputs)],
        capture_output=True, text=True, cwd=PROJECT, timeout=900,
    )


def _params(tmp_path: Path, **values) -> Path:
    base = {"report_year": 2020, "languages": ["zh", "en"], "notebooks": ["00_data_overview"]}
    path = tmp_path / "params.yaml"
    path.write_text(json.dumps({**base, **values}), encoding="utf-8")  # JSON is YAML
    return path


def _error_outputs(notebook: Path) -> list:
    nb = nbformat.read(notebook, as_version=4)
    return [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]


@pytest.fixture(scope="module")
def briefing(tmp_path_factory) -> Path:
    """The overview, run in both languages into a fresh outputs folder."""
    tmp = tmp_path_factory.mktemp("briefing")
    result = _run(_params(tmp), tmp / "outputs")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[1/2] 00_data_overview (lang=zh)" in result.stdout
    assert "[2/2] 00_data_overview (lang=en)" in result.stdout
    return tmp / "outputs"


@pytest.mark.parametrize("lang, expected", [
    ("zh", ["规上工业总产值", "实现规上工业总产值2507亿元", "非指标数字", "城镇登记失业率"]),
    ("en", ["Gross industrial output", "实现规上工业总产值2507亿元", "not a figure", "Registered urban unemployment rate"]),
])
def test_overview_renders_without_errors(briefing, lang, expected):
    executed = briefing / "2020" / lang / "00_data_overview.ipynb"
    page = briefing / "2020" / lang / "00_data_overview.html"
    assert _error_outputs(executed) == []
    nb = nbformat.read(executed, as_version=4)
    assert nb.metadata.papermill.parameters["lang"] == lang
    html = page.read_text(encoding="utf-8")
    for text in expected:
        assert text in html, text
    assert "Traceback" not in html and "jp-OutputArea-output jp-RenderedText\" data-mime-type=\"application/vnd.jupyter.stderr" not in html
    assert (briefing / "index.html").read_text(encoding="utf-8").count(".html") >= 2


def test_bad_parameter_fails_and_keeps_the_previous_outputs(tmp_path):
    outputs = tmp_path / "outputs"
    good = _run(_params(tmp_path, languages=["zh"]), outputs)
    assert good.returncode == 0, good.stderr
    page = outputs / "2020" / "zh" / "00_data_overview.html"
    before = page.read_bytes()

    # A bad language: the notebook fails in its first code cell, naming the valid values.
    bad = _run(_params(tmp_path, languages=["fr"]), outputs)
    assert bad.returncode != 0
    assert "00_data_overview.ipynb failed in cell" in bad.stderr
    assert "unknown lang 'fr'; valid values: zh, en" in bad.stderr
    assert (outputs / "2020" / "fr" / "00_data_overview.failed.ipynb").exists()
    assert not (outputs / "2020" / "fr" / "00_data_overview.html").exists()
    assert page.read_bytes() == before


def test_broken_data_fails_the_run_and_keeps_the_previous_html(tmp_path, data_copy):
    outputs = tmp_path / "outputs"
    params = _params(tmp_path, languages=["en"])
    assert _run(params, outputs).returncode == 0
    page = outputs / "2020" / "en" / "00_data_overview.html"
    before = page.read_bytes()
    figures = data_copy / "figures" / "zhenhai_2020_summary.csv"
    figures.write_text(figures.read_text(encoding="utf-8").replace(",2507,", ",25O7,"), encoding="utf-8")
    params.write_text(json.dumps({"report_year": 2020, "languages": ["en"], "notebooks": ["00_data_overview"],
                                  "data_dir": str(data_copy)}), encoding="utf-8")
    bad = _run(params, outputs)
    assert bad.returncode != 0
    assert "DataValidationError" in bad.stderr and "'25O7' is not a number" in bad.stderr
    assert page.read_bytes() == before


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_committed_clean_with_a_kernelspec(notebook):
    nb = nbformat.read(notebook, as_version=4)
    assert nb.metadata.kernelspec["name"] == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert any("parameters" in c.metadata.get("tags", []) for c in code)
