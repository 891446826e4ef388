"""zhenhai_analysis: the Zhenhai District Government Work Reports as verified tidy data.

Start with `load_indicators()`: one row per figure, each with its exact quote.
`briefing_model()` judges a report year's targets (verdicts, bands, trend labels) in typed
tables; `gap_analysis()` sets each target beside its baseline; `forecast()` projects a series.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

# Names are imported on first use, so that `python -m zhenhai_analysis.pipeline` with
# nothing to do does not pay for importing pandas, pandera and statsmodels.
_EXPORTS = {
    "DataValidationError": "validate",
    "Problem": "validate",
    "briefing_model": "briefing",
    "classify_numbers": "load",
    "forecast": "forecasting",
    "gap_analysis": "gaps",
    "load_catalogue": "load",
    "load_exclusions": "load",
    "load_indicators": "load",
    "load_links": "load",
    "load_sources": "load",
    "load_themes": "load",
}
__all__ = sorted(_EXPORTS)
# No module of the package may share a name with an export: importing the module would
# replace the function on the package (tests/test_package.py checks it).

if TYPE_CHECKING:
    from .briefing import briefing_model
    from .forecasting import forecast
    from .gaps import gap_analysis
    from .load import (
        classify_numbers,
        load_catalogue,
        load_exclusions,
        load_indicators,
        load_links,
        load_sources,
        load_themes,
    )
    from .validate import DataValidationError, Problem


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'zhenhai_analysis' has no attribute {name!r}")
    value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
