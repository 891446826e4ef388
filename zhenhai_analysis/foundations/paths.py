"""Where things are: the project, its data, notebooks and outputs. Standard library only."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
PROJECT = PACKAGE.parent
NOTEBOOKS = PROJECT / "notebooks"
OUTPUTS = PROJECT / "outputs"
TEMPLATES = PACKAGE / "presentation" / "templates"


def data_dir(path: str | Path | None = None) -> Path:
    """The data folder: `path`, else $ZHENHAI_DATA_DIR, else the project's data/."""
    if path is not None:
        return Path(path)
    if os.environ.get("ZHENHAI_DATA_DIR"):
        return Path(os.environ["ZHENHAI_DATA_DIR"])
    return PROJECT / "data"
