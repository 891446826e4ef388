"""Create the project's virtual environment and install the project into it, pinned by the lock.

Used by the Makefile. Standard library only: it runs before anything is installed.

    python3 tools/make_venv.py [.venv]        create or update the environment
    python3 tools/make_venv.py --lock [--upgrade]   re-pin requirements.lock (and environment.yml)

Both paths install the exact versions of requirements.lock, then the project (editable):
- uv, when it is on PATH or can be installed with pip into .venv-tools/ (about 10 s, most of it
  compiling the packages' bytecode);
- otherwise, or with ZHENHAI_NO_UV=1, venv and pip (about a minute).
uv reads its own settings, not pip's: behind a mirror, set UV_DEFAULT_INDEX as well (if uv
fails, pip is tried).
Debian and Ubuntu ship `venv` without pip unless python3-venv is installed; then the
environment is created without pip and pip is installed into it by the system pip,
if there is one.
"""

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = "requirements.lock"
TOOLS = ROOT / ".venv-tools"  # uv, when it is not on PATH (ignored by git)
UV = "uv==0.13.9"
QUIET = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_ROOT_USER_ACTION": "ignore"}


def run(*args, **kwargs) -> bool:
    try:
        return subprocess.run([str(a) for a in args], cwd=ROOT, env=QUIET, **kwargs).returncode == 0
    except OSError:  # no such program
        return False


def has_pip(python: Path) -> bool:
    return python.exists() and run(python, "-m", "pip", "--version", capture_output=True)


def find_uv() -> str | None:
    """uv on PATH, or uv installed with pip into .venv-tools/; None when neither works."""
    if os.environ.get("ZHENHAI_NO_UV", "0") not in ("", "0"):
        return None
    for uv in (shutil.which("uv"), TOOLS / "bin" / "uv"):
        if uv and run(uv, "--version", capture_output=True):
            return str(uv)
    # --target: a folder of its own, allowed even where the system Python is externally managed
    if run(sys.executable, "-m", "pip", "install", "-q", "--upgrade", "--target", TOOLS, UV, capture_output=True):
        uv = TOOLS / "bin" / "uv"
        return str(uv) if run(uv, "--version", capture_output=True) else None
    return None


def make_with_uv(uv: str, venv: Path) -> bool:
    python = venv / "bin" / "python"
    if not has_pip(python):  # --seed: pip in the environment, as with venv
        shutil.rmtree(venv, ignore_errors=True)
        if not run(uv, "venv", "-q", "--seed", "--python", sys.executable, venv):
            return False
    # --compile-bytecode, as pip does by default: where PYTHONDONTWRITEBYTECODE is set (containers,
    # CI), nothing else would ever write the .pyc files, and every kernel and worker of a briefing
    # would compile pandas, matplotlib and Jupyter from source as it starts (seconds each).
    return run(uv, "pip", "install", "-q", "--compile-bytecode", "--python", python, "-r", LOCK, "-e", ".[test]")


def make_venv_with_pip(venv: Path) -> bool:
    python = venv / "bin" / "python"
    if has_pip(python):
        return True
    shutil.rmtree(venv, ignore_errors=True)  # a half-made environment from an earlier failure
    if run(sys.executable, "-m", "venv", venv) and has_pip(python):
        return True
    # No ensurepip (Debian/Ubuntu without python3-venv): try the system pip.
    shutil.rmtree(venv, ignore_errors=True)
    if run(sys.executable, "-m", "venv", "--without-pip", venv) and run(
            sys.executable, "-m", "pip", "--python", python, "install", "-q", "pip"):
        return True
    shutil.rmtree(venv, ignore_errors=True)
    print(
        "\nCould not create a virtual environment with pip.\n"
        "On Debian or Ubuntu, install the venv module and try again:\n"
        "    sudo apt install python3-venv\n",
        file=sys.stderr,
    )
    return False


def make_with_pip(venv: Path) -> bool:
    return make_venv_with_pip(venv) and run(venv / "bin" / "python", "-m", "pip", "install", "-q", "-r", LOCK, "-e", ".[test]")


def main(venv: Path) -> int:
    if sys.version_info < (3, 11):
        print(f"Python 3.11 or newer is needed; {sys.executable} is {sys.version.split()[0]}.", file=sys.stderr)
        return 1
    venv = venv.resolve()
    start = time.monotonic()
    uv = find_uv()
    print(f"Installing {LOCK} and the project into {venv.name} with {'uv' if uv else 'pip'}"
          f" (Python {sys.version.split()[0]} at {sys.executable})")
    way = "uv"
    if not uv or not make_with_uv(uv, venv):
        if uv:
            print("uv failed (see above); trying pip", file=sys.stderr)
        way = "pip"
        if not make_with_pip(venv):
            return 1
    print(f"{venv.name} ready with {way} in {time.monotonic() - start:.1f} s")
    return 0


def lock(upgrade: bool) -> int:
    """Compile requirements.lock from pyproject.toml; copy its pins into environment.yml."""
    uv = find_uv()
    if not uv:
        print(f"make lock needs uv: pip install {UV}", file=sys.stderr)
        return 1
    if not run(uv, "pip", "compile", "-q", "pyproject.toml", "--extra", "test", "--universal", "--python-version", "3.11",
               "--custom-compile-command", "make lock", "-o", LOCK, *(["--upgrade"] if upgrade else [])):
        return 1
    def name(n: str) -> str:
        return re.sub(r"[-_.]+", "-", n).lower()

    found = re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)", (ROOT / LOCK).read_text(encoding="utf-8"), re.M)
    pins = {name(n): version for n, version in found}
    env = ROOT / "environment.yml"  # "  - pandas==3.1.1" lines: the version from the lock
    text = re.sub(r"^(\s*- )([A-Za-z0-9_.\-]+)==([^\s#]+)", lambda m: f"{m[1]}{m[2]}=={pins.get(name(m[2]), m[3])}",
                  env.read_text(encoding="utf-8"), flags=re.M)
    env.write_text(text, encoding="utf-8")
    print(f"{LOCK} and environment.yml updated; new direct dependencies go into environment.yml by hand")
    return 0


if __name__ == "__main__":
    if "--lock" in sys.argv[1:]:
        sys.exit(lock("--upgrade" in sys.argv[1:]))
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else ".venv")))
