"""zhenhai_analysis: the Zhenhai District Government Work Reports as verified tidy data.

Start with `load_indicators()`: one row per figure, each with its exact quote.
"""

from .load import classify_numbers, load_catalogue, load_exclusions, load_indicators, load_links, load_sources, load_themes
from .validate import DataValidationError, Problem

__all__ = [
    "DataValidationError",
    "classify_numbers",
    "Problem",
    "load_catalogue",
    "load_exclusions",
    "load_indicators",
    "load_links",
    "load_sources",
    "load_themes",
]
