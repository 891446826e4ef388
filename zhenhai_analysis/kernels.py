"""One Jupyter kernel per process and folder, reused from notebook to notebook.

Starting a kernel and importing pandas, matplotlib and statsmodels in it costs seconds,
and a briefing runs dozens of notebooks. So each process keeps one kernel per working
folder, clears its namespace between notebooks (%reset, figures closed, execution
count back to 1) and starts a new one when it died. Kernel sockets are files in a
private folder (IPC transport, POSIX), so processes running side by side cannot clash
on TCP ports; elsewhere TCP is used, encrypted where the kernel supports it.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from traitlets.config import Config

KERNEL_NAME = "python3"
# The kernel's own log lines (such as the KeyboardInterrupt it logs when it is
# interrupted on shutdown) are not for the analyst; errors in cells reach the notebook.
# No input history: a reused kernel restarts its cell numbers at 1, and kernels running
# side by side would otherwise share one history database.
_KERNEL_ARGS = ["--IPKernelApp.log_level=CRITICAL", "--HistoryManager.enabled=False"]
_RESET = (
    "get_ipython().run_line_magic('reset', '-f')\n"
    "import matplotlib.pyplot as _plt\n_plt.close('all')\ndel _plt\n"
    "get_ipython().execution_count = 1\n"
)

_kernels: dict[str, tuple[AsyncKernelManager, str]] = {}
# A folder for the kernels' sockets and connection files, set by a parallel run (pipeline.py)
# so that it can remove what the kernels of killed workers leave; else the temp folder.
KERNEL_DIR_ENV = "ZHENHAI_KERNEL_DIR"


IPC_PATH_MAX = 100  # a Unix socket path holds at most 107 bytes (sockaddr_un); the kernel adds "-<port>"


def _config(socket_dir: str) -> Config:
    """IPC sockets in `socket_dir` where POSIX allows their path; else TCP on localhost (a long TMPDIR)."""
    socket = os.path.join(socket_dir, "k")
    if os.name == "posix" and len(socket.encode()) + 7 <= IPC_PATH_MAX:
        return Config({"KernelManager": {"transport": "ipc", "ip": socket}})
    return Config({"KernelManager": {"transport_encryption": "auto"}})


def kernel(cwd: str) -> AsyncKernelManager:
    """A live kernel working in `cwd`, with an empty namespace."""
    entry = _kernels.get(cwd)
    if entry is not None and not run_sync(entry[0].is_alive)():
        discard(cwd)
        entry = None
    if entry is None:
        socket_dir = tempfile.mkdtemp(prefix="k", dir=os.environ.get(KERNEL_DIR_ENV) or None)
        manager = AsyncKernelManager(kernel_name=KERNEL_NAME, config=_config(socket_dir),
                                     connection_file=os.path.join(socket_dir, "kernel.json"))
        run_sync(manager.start_kernel)(cwd=cwd, extra_arguments=_KERNEL_ARGS)
        entry = _kernels[cwd] = (manager, socket_dir)
    _reset(entry[0])
    return entry[0]


def _reset(manager: AsyncKernelManager) -> None:
    client = manager.blocking_client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        reply = client.execute_interactive(_RESET, store_history=False, timeout=60, output_hook=lambda msg: None)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"could not reset the kernel: {reply['content']}")
    finally:
        client.stop_channels()


def discard(cwd: str) -> None:
    """Shut down the kernel of `cwd` (after it died or failed to reset)."""
    manager, socket_dir = _kernels.pop(cwd, (None, None))
    if manager is not None:
        try:
            run_sync(manager.shutdown_kernel)(now=True)
        except Exception:  # already dead: nothing to shut down
            pass
        shutil.rmtree(socket_dir, ignore_errors=True)


@atexit.register
def shutdown_all() -> None:
    for cwd in list(_kernels):
        discard(cwd)
