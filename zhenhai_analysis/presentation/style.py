"""One look for every chart: a CJK font that is always present, a colour-blind-safe palette.

The font is Noto Sans CJK SC (SIL Open Font License 1.1), installed with the project as
part of the `mpl-font` package, so Chinese renders the same on a bare Linux machine,
macOS or Windows, without system fonts. DejaVu Sans (bundled with matplotlib) is the
fallback for any glyph the CJK font lacks.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import matplotlib as mpl
import seaborn as sns
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

FONT_FAMILY = "Noto Sans CJK SC"
_FONT_FILES = ("NotoSansCJKsc-Regular.otf", "NotoSansCJKsc-Bold.otf")

# Okabe & Ito (2008), distinguishable with the common forms of colour blindness.
PALETTE = {
    "actual": "#0072B2",  # blue
    "target": "#D55E00",  # vermillion
    "derived": "#56B4E9",  # sky blue
    "forecast": "#009E73",  # bluish green
    "partial": "#CC79A7",  # reddish purple
}


def font_path(name: str = _FONT_FILES[0]) -> Path:
    """Path of a bundled Noto Sans CJK SC font file."""
    return Path(str(files("mpl_font") / "fonts" / "noto" / name))


def missing_glyphs(text: str) -> set[str]:
    """Characters of `text` that the chart font cannot draw (spaces excluded)."""
    charmap = FT2Font(str(font_path())).get_charmap()
    return {c for c in text if not c.isspace() and ord(c) not in charmap}


def apply_style() -> None:
    """Set the project's chart style; call before drawing. Safe to call repeatedly."""
    for name in _FONT_FILES:
        font_manager.fontManager.addfont(str(font_path(name)))
    # seaborn.set_theme resets the font family, so the font is set after it.
    sns.set_theme(style="whitegrid", palette=list(PALETTE.values()))
    mpl.rcParams.update({
        "font.family": "sans-serif",
        "font.sans-serif": [FONT_FAMILY, "DejaVu Sans"],
        "axes.unicode_minus": True,  # U+2212, which the font has: a real minus sign
        "figure.dpi": 100,
        "savefig.dpi": 150,
        "axes.titlesize": 11,
        "axes.labelsize": 9,
        "xtick.labelsize": 8,
        "ytick.labelsize": 8,
        "legend.fontsize": 8,
    })
