"""Running a notebook's cells in this process's IPython shell: a papermill engine without a kernel.

A page's code takes about 0.1 s; a kernel adds a process of its own (its start and imports,
once per worker) and, for every cell, messages both ways (serialised, signed, read back by
nbclient). Here papermill still loads the notebook, injects the parameters, records each
cell's start, end and status, raises on the first error and writes the notebook; only the
cells run in an IPython shell of this process instead of a kernel's. The shell is the one a
kernel runs (InteractiveShell, the inline matplotlib backend, the notebook's folder as its
working directory), and it records what the kernel would send as the cell's outputs:
display data, results, streams and errors, in the order they come. tests/test_shell.py
runs a page of each kind both ways and compares the notebooks.

The shell is made once per process and reused: it clears its namespace between notebooks
and keeps its imported modules. It differs from a kernel where no page depends on it: no
input (input() meets an empty stdin), no widgets or comms, and a cell's timeout is SIGALRM
(the main thread only; elsewhere cells run without one). A page's code runs in the worker
process itself, so a crash in native code ends the worker: cli.py replaces it and tries
the page once more.
"""

from __future__ import annotations

import contextlib
import gc
import io
import signal
import sys
import threading

import nbformat
from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from papermill.engines import Engine, papermill_engines
from traitlets import Type

ENGINE_NAME = "zhenhai_shell"
KERNEL_NAME = "python3"  # the kernel the notebooks name (their kernelspec), which this shell stands in for


class _Cell:
    """The outputs of the cell running now, in the order they come."""

    outputs: list = []
    displayed: dict = {}  # display_id -> its output, for update_display()

    @classmethod
    def add(cls, output) -> None:
        cls.outputs.append(output)


class _Stream(io.TextIOBase):
    """sys.stdout or sys.stderr while a cell runs: text joins the cell's last output of the
    same stream when that is the last output, as nbclient joins a kernel's stream messages."""

    def __init__(self, name: str):
        self.name = name

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if text:
            last = _Cell.outputs[-1] if _Cell.outputs else None
            if last is not None and last.output_type == "stream" and last.name == self.name:
                last.text += text
            else:
                _Cell.add(nbformat.v4.new_output("stream", name=self.name, text=text))
        return len(text)

    @property
    def encoding(self) -> str:
        return "utf-8"


def _jsonable(data: dict) -> dict:
    from ipykernel.jsonutil import encode_images, json_clean  # what a kernel sends: images as base64

    return json_clean(encode_images(data))


class _Publisher(DisplayPublisher):
    """display() and its kin: a display_data output of the running cell."""

    def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs) -> None:
        display_id = (transient or {}).get("display_id")
        if update:  # update_display(): the output shown with that id changes in place
            if display_id in _Cell.displayed:
                _Cell.displayed[display_id].update(data=_jsonable(data), metadata=metadata or {})
            return
        output = nbformat.v4.new_output("display_data", data=_jsonable(data), metadata=metadata or {})
        if display_id:
            _Cell.displayed[display_id] = output
        _Cell.add(output)

    def clear_output(self, wait: bool = False) -> None:
        _Cell.outputs.clear()


class _DisplayHook(DisplayHook):
    """A cell's last expression: an execute_result output, numbered as the cell."""

    def start_displayhook(self) -> None:
        self._result = None

    def write_output_prompt(self) -> None:
        pass

    def write_format_data(self, format_dict, md_dict=None) -> None:
        self._result = nbformat.v4.new_output("execute_result", data=_jsonable(format_dict),
                                              metadata=md_dict or {}, execution_count=self.prompt_count)

    def finish_displayhook(self) -> None:
        if self._result is not None:
            _Cell.add(self._result)
        self._result = None


class _Shell(InteractiveShell):
    """An InteractiveShell whose tracebacks become the cell's error output, as a kernel's do."""

    def _showtraceback(self, etype, evalue, stb) -> None:
        _Cell.add(nbformat.v4.new_output("error", ename=etype.__name__, evalue=str(evalue), traceback=stb))

    def enable_gui(self, gui=None) -> None:
        """No event loop: the inline backend draws figures when a cell ends."""

    displayhook_class = Type(_DisplayHook)  # as ipykernel's shell sets its own
    display_pub_class = Type(_Publisher)


_shell: _Shell | None = None
_notebooks_run = 0  # by this process's shell


def shell() -> _Shell:
    """This process's shell: made at the first call, and emptied for the next notebook at every
    later call (the previous notebook's names and figures go; imported modules stay).

    After its first notebook, when the library and its dependencies are imported, what is alive
    then lives as long as the process: it is collected once and frozen out of the garbage
    collector's full passes (gc.freeze, as the Python docs advise for long-lived processes)."""
    global _shell
    if _shell is None:
        from traitlets.config import Config

        # No input history (cell numbers restart at 1 for each notebook) and no top-level
        # await (without autoawait, IPython does not compile every cell twice to look for one).
        config = Config({"HistoryManager": {"enabled": False}, "InteractiveShell": {"autoawait": False}})
        _shell = _Shell.instance(config=config)
        with _running():
            _shell.enable_matplotlib("inline")  # as a kernel's default backend: figures shown when a cell ends
        return _shell
    if _notebooks_run == 1:  # the reset before the second notebook
        gc.collect()
        gc.freeze()
    keep = set(_shell.user_ns_hidden) | {"_", "__", "___", "_i", "_ii", "_iii", "_oh", "_ih", "_dh", "In", "Out"}
    for name in [n for n in _shell.user_ns if n not in keep]:
        del _shell.user_ns[name]
    _shell.user_ns["_oh"].clear()
    import matplotlib.pyplot as plt

    plt.close("all")
    _shell.execution_count = 1
    return _shell


@contextlib.contextmanager
def _running():
    """The process as a kernel shows it to a cell: stdout and stderr go to the cell's outputs,
    stdin is empty."""
    saved = sys.stdout, sys.stderr, sys.stdin
    sys.stdout, sys.stderr, sys.stdin = _Stream("stdout"), _Stream("stderr"), io.StringIO()
    try:
        yield
    finally:
        sys.stdout, sys.stderr, sys.stdin = saved


class CellTimeout(Exception):
    """A cell ran longer than the engine's execution_timeout."""


@contextlib.contextmanager
def _timeout(seconds: float | None):
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum, frame):
        raise CellTimeout(f"the cell ran over {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_quietly(code: str) -> None:
    """Run `code` in the shell, its outputs dropped; raise if it failed."""
    _Cell.outputs = []
    with _running():
        result = shell().run_cell(code, store_history=False, silent=True)
    result.raise_error()


def _language_info() -> dict:
    """What the kernel reports of its language (its kernel_info reply), kept in the notebook's
    metadata: nbconvert highlights the code by it."""
    from ipykernel.ipkernel import IPythonKernel

    return dict(IPythonKernel.language_info)


class ShellEngine(Engine):
    """papermill's engine for this process's shell (see the module's docstring)."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, execution_timeout=None, **kwargs):
        global _notebooks_run
        ip = shell()
        _notebooks_run += 1
        _Cell.displayed = {}
        for index, cell in enumerate(nb_man.nb.cells):
            nb_man.cell_start(cell, index)
            try:
                if cell.cell_type != "code" or not cell.source.strip():
                    continue
                cell.outputs = _Cell.outputs = []
                with _running(), _timeout(execution_timeout):
                    result = ip.run_cell(cell.source, store_history=True)
                cell.execution_count = result.execution_count
                error = result.error_before_exec or result.error_in_exec
                if isinstance(error, KeyboardInterrupt):
                    raise error
                if error is not None:
                    nb_man.cell_exception(cell, cell_index=index, exception=error)
                    break
            finally:
                nb_man.cell_complete(cell, cell_index=index)
        nb_man.nb.metadata["language_info"] = _language_info()


papermill_engines.register(ENGINE_NAME, ShellEngine)
