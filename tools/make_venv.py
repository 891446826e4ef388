"""Create the project's virtual environment with a working pip, or say what is missing.

Used by the Makefile. Standard library only: it runs before anything is installed.
Debian and Ubuntu ship `venv` without pip unless python3-venv is installed; then the
environment is created without pip and pip is installed into it by the system pip,
if there is one.
"""

import shutil
import subprocess
import sys
from pathlib import Path


def has_pip(python: Path) -> bool:
    return python.exists() and subprocess.run([python, "-m", "pip", "--version"], capture_output=True).returncode == 0


def main(venv: Path) -> int:
    python = venv / "bin" / "python"
    if has_pip(python):
        return 0
    if sys.version_info < (3, 11):
        print(f"Python 3.11 or newer is needed; {sys.executable} is {sys.version.split()[0]}.", file=sys.stderr)
        return 1
    shutil.rmtree(venv, ignore_errors=True)  # a half-made environment from an earlier failure
    print(f"Creating {venv} with {sys.executable} ({sys.version.split()[0]})")
    if subprocess.run([sys.executable, "-m", "venv", venv]).returncode == 0 and has_pip(python):
        return 0
    # No ensurepip (Debian/Ubuntu without python3-venv): try the system pip.
    shutil.rmtree(venv, ignore_errors=True)
    made = subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv]).returncode == 0
    if made and subprocess.run([sys.executable, "-m", "pip", "--python", python, "install", "-q", "pip"]).returncode == 0:
        return 0
    shutil.rmtree(venv, ignore_errors=True)
    print(
        "\nCould not create a virtual environment with pip.\n"
        "On Debian or Ubuntu, install the venv module and try again:\n"
        "    sudo apt install python3-venv\n",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else ".venv")))
