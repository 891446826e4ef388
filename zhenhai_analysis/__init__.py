"""zhenhai_analysis: the Zhenhai District Government Work Reports as verified tidy data.

Start with `load_indicators()`: one row per figure, each with its exact quote.
`briefing_model()` judges a report year's targets (verdicts, bands, trend labels) in typed
tables; `gap_analysis()` sets each target beside its baseline; `forecast()` projects a series.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from .foundations import labels as _labels

# Names are imported on first use, so that `python -m zhenhai_analysis.pipeline` with
# nothing to do does not pay for importing pandas, pandera and statsmodels.
_EXPORTS = {
    "DataValidationError": "validation.validate",
    "Problem": "validation.validate",
    "briefing_model": "analysis.briefing",
    "classify_numbers": "validation.load",
    "forecast": "analysis.forecasting",
    "gap_analysis": "analysis.gaps",
    "load_catalogue": "validation.load",
    "load_exclusions": "validation.load",
    "load_indicators": "validation.load",
    "load_links": "validation.load",
    "load_sources": "validation.load",
    "load_themes": "validation.load",
}
__all__ = sorted(_EXPORTS)
# No module of the package may share a name with an export: importing the module would
# replace the function on the package (tests/test_package.py checks it).

if TYPE_CHECKING:
    from .analysis.briefing import briefing_model
    from .analysis.forecasting import forecast
    from .analysis.gaps import gap_analysis
    from .validation.load import (
        classify_numbers,
        load_catalogue,
        load_exclusions,
        load_indicators,
        load_links,
        load_sources,
        load_themes,
    )
    from .validation.validate import DataValidationError, Problem


def _read_labels(path):
    from .validation.validate import read_labels

    return read_labels(path)


# The words of every page are read and checked by the validation layer; the foundation that
# serves them (labels) is given the reader here, so that it imports no layer below it.
_labels.read_with(_read_labels)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'zhenhai_analysis' has no attribute {name!r}")
    value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
