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


def _run_in_kernel(base: str, token: str, kernel_id: str, code: str, timeout: float) -> tuple[dict, str]:
    """Run `code` in a kernel through the server's websocket, as JupyterLab does: the reply and what it printed.

    Through the server, not on the kernel's own ports: a kernel the server restarts (its ports
    taken meanwhile by another process) is reached all the same."""
    import asyncio
    import uuid

    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    async def run() -> tuple[dict, str]:
        url = base.replace("http://", "ws://") + f"/api/kernels/{kernel_id}/channels"
        socket = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {token}"}))
        msg_id = uuid.uuid4().hex
        socket.write_message(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "test", "session": uuid.uuid4().hex,
                       "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        printed, reply, idle = [], None, False
        while reply is None or not idle:
            text = await socket.read_message()
            if text is None:
                raise AssertionError("the server closed the kernel's websocket")
            msg = json.loads(text)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream":
                printed.append(msg["content"]["text"])
            elif msg["msg_type"] == "execute_reply":
                reply = msg
            elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                idle = True
        socket.close()
        return reply, "".join(printed)

    return asyncio.run(asyncio.wait_for(run(), timeout))


def test_jupyterlab_lists_the_notebooks_and_has_their_kernel(tmp_path):
    port, token = _free_port(), secrets.token_hex(16)
    log = tmp_path / "lab.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={PROJECT}", "--ServerApp.open_browser=False",
         *(["--allow-root"] if os.geteuid() == 0 else [])],
        stdout=subprocess.DEVNULL, stderr=log.open("w"), env={**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path)},
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
                    raise AssertionError(f"JupyterLab did not answer on {base} (exit code {server.poll()})") from None
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
        reply, printed = _run_in_kernel(base, token, kernel["id"],
                                        "import sys, zhenhai_analysis as za; print(sys.prefix, len(za.load_indicators()))", 180)
        assert reply["content"]["status"] == "ok", reply["content"]
        prefix, rows = printed.split()
        assert prefix == sys.prefix and int(rows) >= 100
        _get(f"{base}/api/kernels/{kernel['id']}", token, "DELETE")
    except Exception as error:  # the first error, with what the server said
        tail = log.read_text(encoding="utf-8", errors="replace")[-4000:]
        raise AssertionError(f"{type(error).__name__}: {error}\n--- JupyterLab's log (end) ---\n{tail}") from error
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
