"""One Jupyter kernel per process and folder, reused from notebook to notebook.

Starting a kernel and importing pandas, matplotlib and statsmodels in it costs seconds,
and a briefing runs dozens of notebooks. So each process keeps one kernel per working
folder, clears its namespace between notebooks (%reset, figures closed, execution
count back to 1), keeps what its first notebook imported out of the garbage collector's
full passes, and starts a new one when it died. Kernel sockets are files in a
private folder (IPC transport, POSIX), so processes running side by side cannot clash
on TCP ports; elsewhere TCP is used, encrypted where the kernel supports it.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.log import logger
from papermill.utils import remove_args
from traitlets.config import Config

KERNEL_NAME = "python3"
# The kernel's own log lines (such as the KeyboardInterrupt it logs when it is
# interrupted on shutdown) are not for the analyst; errors in cells reach the notebook.
# No input history: a reused kernel restarts its cell numbers at 1, and kernels running
# side by side would otherwise share one history database. No top-level await in the
# notebooks: without autoawait, IPython does not compile every cell twice to look for one.
_KERNEL_ARGS = ["--IPKernelApp.log_level=CRITICAL", "--HistoryManager.enabled=False",
                "--InteractiveShell.autoawait=False"]
# The previous notebook's names and cached outputs go; imported modules stay (that is the
# point of reusing the kernel). Lighter than %reset -f, which also collects garbage (0.2 s).
_RESET = (
    "def _zk_reset():\n"
    "    ip = get_ipython()\n"
    "    keep = set(ip.user_ns_hidden) | {'_', '__', '___', '_i', '_ii', '_iii', '_oh', '_ih', '_dh', 'In', 'Out'}\n"
    "    for name in [n for n in ip.user_ns if n not in keep]:\n"
    "        del ip.user_ns[name]\n"
    "    ip.user_ns['_oh'].clear()\n"
    "    import matplotlib.pyplot as plt\n"
    "    plt.close('all')\n"
    "    ip.execution_count = 1\n"
    "_zk_reset()\n"
)
# Once, after a kernel's first notebook (when the library and its dependencies are imported):
# what is alive then lives as long as the kernel, so the garbage collector's full passes need
# not traverse it again on every page (gc.freeze, as the Python docs advise for long-lived
# processes). Collected first, so that the first page's garbage is not kept.
_FREEZE = "import gc\ngc.collect()\ngc.freeze()\ndel gc\n"

_kernels: dict[str, tuple[AsyncKernelManager, str, AsyncKernelClient | None]] = {}
_frozen: set[str] = set()  # folders whose kernel has run its first notebook and been frozen
# A folder for the kernels' sockets and connection files, set by a parallel run (cli.py)
# so that it can remove what the kernels of killed workers leave; else the temp folder.
KERNEL_DIR_ENV = "ZHENHAI_KERNEL_DIR"


IPC_PATH_MAX = 100  # a Unix socket path holds at most 107 bytes (sockaddr_un); the kernel adds "-<port>"


def _config(socket_dir: str) -> Config:
    """IPC sockets in `socket_dir` where POSIX allows their path; else TCP on localhost (a long TMPDIR)."""
    socket = os.path.join(socket_dir, "k")
    if os.name == "posix" and len(socket.encode()) + 7 <= IPC_PATH_MAX:
        return Config({"KernelManager": {"transport": "ipc", "ip": socket}})
    return Config({"KernelManager": {"transport_encryption": "auto"}})


def kernel(cwd: str) -> tuple[AsyncKernelManager, AsyncKernelClient]:
    """A live kernel working in `cwd`, with an empty namespace, and its connected client.

    The client is made and waited for once per kernel: waiting for a kernel to be ready
    drains its output channel for 0.2 s, which a new client per notebook paid twice.
    """
    entry = _kernels.get(cwd)
    if entry is not None and not run_sync(entry[0].is_alive)():
        discard(cwd)
        entry = None
    if entry is None:
        socket_dir = tempfile.mkdtemp(prefix="k", dir=os.environ.get(KERNEL_DIR_ENV) or None)
        manager = AsyncKernelManager(kernel_name=KERNEL_NAME, config=_config(socket_dir),
                                     connection_file=os.path.join(socket_dir, "kernel.json"))
        run_sync(manager.start_kernel)(cwd=cwd, extra_arguments=_KERNEL_ARGS)
        entry = _kernels[cwd] = (manager, socket_dir, None)  # registered first: discard() can stop it
        client = manager.client()
        client.start_channels()
        run_sync(client.wait_for_ready)(timeout=60)
        client.allow_stdin = False
        entry = _kernels[cwd] = (manager, socket_dir, client)
        _reset(client)
    else:
        _reset(entry[2], freeze=cwd not in _frozen)
        _frozen.add(cwd)
    return entry[0], entry[2]


def _reset(client: AsyncKernelClient, freeze: bool = False) -> None:
    """Send the reset, without waiting for its reply: the kernel runs requests in order, so the
    page's first cell runs after it, and papermill passes over messages that answer another
    request. (A kernel that died is found by the page, which is then retried in a new kernel.)"""
    client.execute(_RESET + (_FREEZE if freeze else ""), silent=True, store_history=False)


def run_quietly(client: AsyncKernelClient, code: str, timeout: float = 120) -> None:
    """Run `code` in the kernel and wait for it to end; raise if it failed."""
    reply = run_sync(client.execute_interactive)(code, store_history=False, timeout=timeout, output_hook=lambda msg: None)
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"the kernel could not run {code[:40]!r}: {reply['content'].get('evalue')}")


def discard(cwd: str) -> None:
    """Shut down the kernel of `cwd` (after it died or failed to reset)."""
    manager, socket_dir, client = _kernels.pop(cwd, (None, None, None))
    _frozen.discard(cwd)
    if client is not None:
        client.stop_channels()
    if manager is not None:
        try:
            run_sync(manager.shutdown_kernel)(now=True)
        except Exception:  # already dead: nothing to shut down
            pass
        shutil.rmtree(socket_dir, ignore_errors=True)


class _ReusedKernelClient(PapermillNotebookClient):
    """papermill's client, asking the kernel for its language once, not after every notebook."""

    def execute(self, **kwargs):
        self.reset_execution_trackers()
        with self.setup_kernel(**kwargs):
            self.papermill_execute_cells()
            if not hasattr(self.kc, "language_info"):
                self.kc.language_info = self.wait_for_reply(self.kc.kernel_info())["content"]["language_info"]
            self.nb.metadata["language_info"] = self.kc.language_info
            self.set_widgets_metadata()
        return self.nb


class ReusedKernelEngine(NBClientEngine):
    """papermill's nbclient engine, running in a kernel and client it is given (`kc`) instead of new ones."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None, stderr_file=None,
                                 start_timeout=60, execution_timeout=None, kc=None, **kwargs):
        client = _ReusedKernelClient(
            nb_man, **remove_args(["input_path", "timeout", "startup_timeout"], **kwargs),
            timeout=execution_timeout, startup_timeout=start_timeout, kernel_name=kernel_name, log=logger,
            log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file)
        client.kc = kc  # setup_kernel makes a client only when it has none; it never stops one it did not make
        return client.execute()


ENGINE_NAME = "zhenhai_reused_kernel"
papermill_engines.register(ENGINE_NAME, ReusedKernelEngine)


@atexit.register
def shutdown_all() -> None:
    for cwd in list(_kernels):
        discard(cwd)
