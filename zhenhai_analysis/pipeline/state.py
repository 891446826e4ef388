"""What a page depends on, and whether its last good run is still current.

Under outputs/.state/: one JSON file per page with the digest of its inputs at its
last good run, the cached plan, and the seconds each page took. Standard library only:
a rerun with nothing to do must not pay for importing pandas.
"""

from __future__ import annotations

import hashlib
import json
import os
from contextlib import contextmanager
from pathlib import Path

from .params import Briefing
from ..foundations.paths import PACKAGE, data_dir

STATE_DIR = ".state"


class RunLocked(RuntimeError):
    """Another run is writing to the same outputs folder."""


@contextmanager
def run_lock(outputs: Path):
    """Hold outputs/.state/run.lock for one run: a second run on the same folder stops at once.

    The lock is the operating system's (flock): it is released when the run ends, however
    it ends, so a killed run leaves no stale lock behind. Where flock does not exist
    (Windows), runs are not serialised.
    """
    try:
        import fcntl
    except ImportError:  # not POSIX
        yield
        return
    path = outputs / STATE_DIR / "run.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise RunLocked(f"another briefing run (process {holder}) is writing to {outputs}; "
                            "wait for it to finish, or stop it, and run again") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def partial_path(target: Path) -> Path:
    """Where write_atomic writes `target` before renaming it into place."""
    return target.with_name(f".{target.name}.partial")


def write_atomic(target: Path, content: str | bytes) -> None:
    """Write a file (text as UTF-8, or bytes) by renaming a finished temporary file into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = partial_path(target)
    partial.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    os.replace(partial, target)


def digest_files(paths) -> str:
    h = hashlib.sha256()
    for path in sorted(paths):
        h.update(str(path).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def inputs_digest(briefing: Briefing) -> str:
    """Digest of what every page reads: all data files and the library's code and templates.

    The data folder is the one the notebooks read (`data_dir` in the parameters, else
    $ZHENHAI_DATA_DIR, else data/). Every notebook loads the data through the validating
    loader, which reads every data file, so a change to any data file re-runs every page.
    """
    data = data_dir(briefing.data_dir)
    files = [p for p in data.rglob("*") if p.is_file()]
    files += [p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix in (".py", ".j2", ".json")]
    return digest_files(files)


def job_digest(job, shared: str) -> str:
    """Digest of one page's inputs: the shared digest, its notebook and its parameters."""
    h = hashlib.sha256(shared.encode())
    h.update(job.notebook.read_bytes())
    h.update(json.dumps(job.parameters, sort_keys=True, default=str).encode())
    return h.hexdigest()


def _state_path(job, outputs: Path) -> Path:
    return outputs / STATE_DIR / (job.output.relative_to(outputs).as_posix().replace("/", "__") + ".json")


def is_current(job, digest: str, outputs: Path) -> bool:
    """True when the page's last good run had the same inputs and its files are all there."""
    state = _state_path(job, outputs)
    if not state.exists():
        return False
    recorded = json.loads(state.read_text(encoding="utf-8")).get("digest")
    return recorded == digest and all(job.path(s).exists() for s in (".html", ".code.html", ".ipynb"))


def record_good_run(job, digest: str, outputs: Path) -> None:
    state = _state_path(job, outputs)
    state.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(state, json.dumps({"digest": digest, "page": job.title}))


def plan_key(briefing: Briefing, outputs: Path, digest: str) -> str:
    """Changes when the data, library, notebooks, parameters or output folder do."""
    key = hashlib.sha256(digest.encode())
    key.update(digest_files(briefing.notebooks_dir.glob("*.ipynb")).encode())
    key.update(json.dumps([briefing.__dict__, str(outputs)], sort_keys=True, default=str).encode())
    return key.hexdigest()


def load_plan(outputs: Path, key: str) -> tuple[list[dict], dict] | None:
    """The saved plan's jobs (as dicts) and its year's part of the index, if made with the same key."""
    cache = outputs / STATE_DIR / "plan.json"
    if not cache.exists():
        return None
    saved = json.loads(cache.read_text(encoding="utf-8"))
    return (saved["jobs"], saved["site"]) if saved.get("key") == key and "site" in saved else None


def save_plan(outputs: Path, key: str, jobs: list[dict], site: dict) -> None:
    cache = outputs / STATE_DIR / "plan.json"
    cache.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(cache, json.dumps({"key": key, "jobs": jobs, "site": site}, default=str))


def last_timings(outputs: Path) -> dict:
    """Seconds per page of earlier runs (outputs/.state/last_run.json; benchmarks/ reads it too)."""
    path = outputs / STATE_DIR / "last_run.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def save_timings(outputs: Path, timings: dict) -> None:
    (outputs / STATE_DIR).mkdir(parents=True, exist_ok=True)
    write_atomic(outputs / STATE_DIR / "last_run.json", json.dumps({**last_timings(outputs), **timings}))
