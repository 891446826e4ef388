"""The notebooks as files: committed clean, with a kernelspec, parameters and a page title (no kernel)."""

import nbformat
import pytest

from zhenhai_analysis.foundations.labels import has_label
from zhenhai_analysis.pipeline.planning import title_key

from .conftest import PROJECT

NOTEBOOKS = sorted((PROJECT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("notebook", NOTEBOOKS + [PROJECT / "tests" / "notebooks" / "broken.ipynb"], ids=lambda p: p.name)
def test_notebooks_are_committed_clean_with_a_kernelspec(notebook):
    nb = nbformat.read(notebook, as_version=4)
    assert nb.metadata.kernelspec["name"] == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert any("parameters" in c.metadata.get("tags", []) for c in code)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_names_a_page_title_that_is_a_label(notebook):
    assert has_label(title_key(notebook))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_markdown_in_notebooks_is_for_analysts_only(notebook):
    """Words a reader sees come from data/labels.csv; Markdown cells are analyst notes, left out of reader pages."""
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            assert "analyst-note" in cell.metadata.get("tags", []), cell.source[:40]
