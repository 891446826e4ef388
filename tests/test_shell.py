"""The pipeline's shell engine against a real kernel: the same notebook, the same outputs.

Both run through papermill: the shell engine (pipeline/shell.py) in a new Python process,
as a worker runs it, and papermill's own engine in a new python3 kernel, as a user runs a
notebook. Their notebooks must hold the same outputs, cell by cell: kinds, streams, data
of every type, execution counts, and for an error its name and message (a traceback's
frames and colours are the shell's own).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import nbformat
import pytest

from tests.conftest import PROJECT

pytestmark = pytest.mark.slow  # kernels

RUN_IN_SHELL = """
import sys, papermill as pm
from zhenhai_analysis.pipeline import shell
notebook, out, parameters = sys.argv[1], sys.argv[2], __import__("json").loads(sys.argv[3])
try:
    pm.execute_notebook(notebook, out, parameters=parameters, kernel_name=shell.KERNEL_NAME,
                        engine_name=shell.ENGINE_NAME, progress_bar=False, cwd=str(__import__("pathlib").Path(notebook).parent))
except pm.PapermillExecutionError:
    pass  # the error is in the notebook, compared there
"""


def _both(notebook, tmp_path, parameters: dict | None = None):
    """The notebook run by the shell engine and by a kernel, read back."""
    import papermill as pm

    parameters = parameters or {}
    in_shell, in_kernel = tmp_path / "shell.ipynb", tmp_path / "kernel.ipynb"
    done = subprocess.run([sys.executable, "-c", RUN_IN_SHELL, str(notebook), str(in_shell), json.dumps(parameters)],
                          cwd=PROJECT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    try:
        pm.execute_notebook(str(notebook), str(in_kernel), parameters=parameters, kernel_name="python3",
                            progress_bar=False, cwd=str(notebook.parent))
    except pm.PapermillExecutionError:
        pass
    return nbformat.read(in_shell, as_version=4), nbformat.read(in_kernel, as_version=4)


GENERATED = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d")  # a page's "generated at" time


def _outputs(nb) -> list:
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outputs = []
        for output in cell.outputs:
            output = dict(output)
            if output["output_type"] == "error":
                output.pop("traceback")
            outputs.append(json.loads(GENERATED.sub("T", json.dumps(output, sort_keys=True))))
        cells.append((cell.execution_count, outputs))
    return cells


def test_every_kind_of_output_is_recorded_as_a_kernel_sends_it(tmp_path):
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    nb.cells = [
        nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_markdown_cell("Some *words*."),
        nbformat.v4.new_code_cell("print('one'); print('two')\nimport sys; sys.stderr.write('warned\\n')\n"
                                  "from IPython.display import HTML, display\ndisplay(HTML('<b>bold</b>'))\n"
                                  "print('after')\nx + 41"),
        nbformat.v4.new_code_cell("   "),
        nbformat.v4.new_code_cell("import matplotlib.pyplot as plt\nfig, ax = plt.subplots(figsize=(2, 1))\n"
                                  "ax.plot([1, 2], [3, 4])\nNone"),
        nbformat.v4.new_code_cell("from IPython.display import clear_output\nprint('gone')\nclear_output()\n"
                                  "print('kept', x)"),
        nbformat.v4.new_code_cell("{'a': [1, 2]}['b']"),
        nbformat.v4.new_code_cell("print('never run')"),
    ]
    notebook = tmp_path / "kinds.ipynb"
    nbformat.write(nb, notebook)
    shell, kernel = _both(notebook, tmp_path, {"x": 2})
    got, expected = _outputs(shell), _outputs(kernel)
    assert got == expected
    # what was compared: the streams, the display, the result, the figure and the error
    kinds = [o["output_type"] for _, outputs in expected for o in outputs]
    assert {"stream", "display_data", "execute_result", "error"} <= set(kinds)
    assert any("image/png" in o.get("data", {}) for _, outputs in expected for o in outputs)
    assert shell.metadata.language_info == kernel.metadata.language_info
    assert shell.metadata.papermill.exception and shell.cells[-1].metadata.papermill.status == "pending"


@pytest.mark.parametrize("notebook, parameters", [
    ("00_data_overview", {"lang": "en"}),
    ("01_briefing", {"lang": "zh"}),
    ("02_theme", {"lang": "en", "theme": "macro"}),
    ("03_indicator", {"lang": "zh", "indicator_id": "gdp_growth"}),
    ("04_methods", {"lang": "en"}),
])
def test_each_page_kind_gives_the_outputs_a_kernel_gives(notebook, parameters, tmp_path):
    shell, kernel = _both(PROJECT / "notebooks" / f"{notebook}.ipynb", tmp_path, parameters)
    got, expected = _outputs(shell), _outputs(kernel)
    assert got == expected
    shown = "".join(o.get("data", {}).get("text/html", "") for _, outputs in expected for o in outputs)
    assert "<h1>" in shown and len(shown) > 2000  # a whole page, not an empty run
    assert not any(o["output_type"] == "error" for _, outputs in expected for o in outputs)
