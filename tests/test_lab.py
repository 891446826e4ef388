"""`make lab`: JupyterLab in the project environment sees the notebooks and their kernel."""

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import nbformat
import pytest
from jupyter_client import BlockingKernelClient

from .conftest import PROJECT

pytestmark = [pytest.mark.slow, pytest.mark.lab]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, token: str, method: str = "GET", body: dict | None = None):
    request = urllib.request.Request(url, method=method, headers={"Authorization": f"token {token}"},
                                     data=None if body is None else json.dumps(body).encode())
    with urllib.request.urlopen(request, timeout=10) as response:
        text = response.read().decode()
        return json.loads(text) if text else None


def test_jupyterlab_lists_the_notebooks_and_has_their_kernel(tmp_path):
    port, token = _free_port(), secrets.token_hex(16)
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={PROJECT}", "--ServerApp.open_browser=False",
         *(["--allow-root"] if os.geteuid() == 0 else [])],
        stdout=subprocess.DEVNULL, stderr=(tmp_path / "lab.log").open("w"), env={**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path)},
        start_new_session=True,  # its own process group: stopping it stops the kernels it started too
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # a loaded machine starts JupyterLab slowly
        while True:
            try:
                _get(f"{base}/api/status", token)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log = (tmp_path / "lab.log").read_text(encoding="utf-8", errors="replace")[-3000:]
                    raise AssertionError(f"JupyterLab did not answer on {base} (exit code {server.poll()}):\n{log}")
                time.sleep(0.5)
        listing = _get(f"{base}/api/contents/notebooks", token)
        names = {item["name"] for item in listing["content"]}
        assert {"00_data_overview.ipynb", "01_briefing.ipynb", "02_theme.ipynb", "03_indicator.ipynb"} <= names

        specs = _get(f"{base}/api/kernelspecs", token)["kernelspecs"]
        for name in names:
            nb = nbformat.read(PROJECT / "notebooks" / name, as_version=4)
            assert nb.metadata.kernelspec["name"] in specs

        # Start the notebooks' kernel through the server, then run code in it: it must be
        # the project's Python, with the project's library importable.
        kernel = _get(f"{base}/api/kernels", token, "POST", {"name": "python3"})
        client = BlockingKernelClient(connection_file=str(tmp_path / f"kernel-{kernel['id']}.json"))
        client.load_connection_file()
        # No heartbeat channel: a client without a kernel manager judges the kernel alive by its
        # heartbeat, and on a loaded machine a late beat reads as "Kernel died before replying to
        # kernel_info" (seen in the slow tier while the machine ran other test suites). The
        # server owns the kernel; the reply to kernel_info is the test of life here.
        client.start_channels(hb=False)
        client.wait_for_ready(timeout=120)
        printed = []
        reply = client.execute_interactive(
            "import sys, zhenhai_analysis as za; print(sys.prefix, len(za.load_indicators()))", timeout=120,
            output_hook=lambda msg: printed.append(msg["content"].get("text", "")),
        )
        client.stop_channels()
        assert reply["content"]["status"] == "ok", reply["content"]
        prefix, rows = "".join(printed).split()
        assert prefix == sys.prefix and int(rows) >= 100
        _get(f"{base}/api/kernels/{kernel['id']}", token, "DELETE")
    finally:
        _stop(server)


def _stop(server: subprocess.Popen) -> None:
    """Stop the server and every kernel it started, whatever failed; never raise over the test's own error."""
    for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            return
        try:
            server.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue
