"""The floor of the briefing: the same notebooks' code, with the same parameters, run in
one plain Python process, without Jupyter and without HTML rendering.

Charts are drawn to PNG in memory at the end of each cell, as the notebook's inline
backend does, since drawing them is the notebooks' work; everything displayed is
computed (tables are rendered to HTML strings by the library itself) but not shown.

    python benchmarks/floor.py params/briefing_2020.yaml
"""

from __future__ import annotations

import contextlib
import io
import sys
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402

from zhenhai_analysis.pipeline.params import Briefing  # noqa: E402
from zhenhai_analysis.pipeline.planning import plan  # noqa: E402


def draw_open_figures() -> None:
    """What the inline backend does after a cell: draw each figure to a PNG, close it."""
    for number in plt.get_fignums():
        figure = plt.figure(number)
        figure.savefig(io.BytesIO(), format="png", bbox_inches="tight")
        plt.close(figure)


def run_page(notebook: Path, parameters: dict) -> None:
    nb = nbformat.read(notebook, as_version=4)
    namespace: dict = {"__name__": "__main__"}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        exec(compile(cell.source, str(notebook), "exec"), namespace)
        if "parameters" in cell.metadata.get("tags", []):
            namespace.update(parameters)  # what papermill's injected cell does
        draw_open_figures()


def main(params: Path) -> float:
    plt.show = draw_open_figures  # inline: show() draws the figure
    started = time.perf_counter()
    jobs = plan(Briefing.from_file(params), Path(tempfile.mkdtemp()))
    with contextlib.redirect_stdout(io.StringIO()):
        for job in jobs:
            run_page(job.notebook, job.parameters)
    return time.perf_counter() - started


if __name__ == "__main__":
    seconds = main(Path(sys.argv[1]))
    print(f"floor: {seconds:.2f} s")
