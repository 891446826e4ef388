"""Panels: the figures of many districts and years in one tidy CSV, loaded at scale.

A panel has one row per figure, like the curated figures, with a `district` column
(the reference area) and without quotes: it is for analysing many districts' numbers
together, not for curating one report. Validation is vectorised (pandera, lazily),
so millions of rows load in seconds; problems are reported like the curated data's,
with file, line and field.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from ..foundations.exceptions import DataValidationError, Problem
from .schemas import range_check
from ..foundations.units import UNITS
from .validate import read_utf8, schema_problems
from ..foundations.vocab import COMPARATOR_CODES, KINDS

PANEL_COLUMNS = ["district", "indicator_id", "year", "kind", "value", "unit", "comparator", "value_high"]
_DTYPES = {"district": "category", "indicator_id": "category", "kind": "category", "unit": "category",
           "comparator": "category", "year": "int64", "value": "float64", "value_high": "float64"}


def _schema(indicators: list[str]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "district": pa.Column(nullable=False),
            "indicator_id": pa.Column(nullable=False, checks=pa.Check.isin(indicators)),
            "year": pa.Column(int, coerce=True),
            "kind": pa.Column(nullable=False, checks=pa.Check.isin(KINDS)),
            "value": pa.Column(float, coerce=True),
            "unit": pa.Column(nullable=False, checks=pa.Check.isin(list(UNITS))),
            "comparator": pa.Column(nullable=False, checks=pa.Check.isin(COMPARATOR_CODES)),
            "value_high": pa.Column(float, coerce=True, nullable=True),
        },
        checks=[range_check()],
        unique=["district", "indicator_id", "year", "kind"],
        strict=True,
    )


def load_panel(path: str | Path, catalogue: pd.DataFrame) -> pd.DataFrame:
    """Read and validate a panel CSV against the catalogue; add `measure` and `direction`.

    Raises DataValidationError listing every problem (file, line, field) at once.
    """
    path = Path(path)
    try:
        frame = pd.read_csv(path, dtype=_DTYPES, encoding="utf-8")
    except UnicodeDecodeError:
        read_utf8(path)  # raises, naming the line
        raise
    except ValueError:
        # Some value does not parse: read everything as text and let the schema say where.
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8").replace("", None)
    missing = [c for c in PANEL_COLUMNS if c not in frame.columns]
    if missing:
        raise DataValidationError([Problem(path, 1, None, f"missing column(s): {', '.join(missing)}")])
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="line")  # line numbers, after the header
    checked, problems = schema_problems(_schema(list(catalogue["indicator_id"])), frame, path)
    if checked is not None:
        expected = checked["indicator_id"].map(catalogue.set_index("indicator_id")["unit"]).astype(object)
        wrong = checked.index[expected.to_numpy() != checked["unit"].astype(object).to_numpy()]
        problems += [Problem(path, int(line), "unit", "disagrees with the catalogue's unit for this indicator") for line in wrong[:100]]
    if problems:
        raise DataValidationError(problems)
    meta = catalogue.set_index("indicator_id")
    return checked.assign(
        measure=checked["indicator_id"].map(meta["measure"]).astype("category"),
        direction=checked["indicator_id"].map(meta["direction"]).astype("category"),
    ).reset_index(drop=True)
