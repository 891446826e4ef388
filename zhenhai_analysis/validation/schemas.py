"""One pandera schema per curated table: columns, types, allowed values, uniqueness.

Each schema is the single statement of its table's columns: the loader reads files
with `columns(name)`, data/README.md is tested against it, and the extraction
assistant writes its review files in the same columns. Checks are named; a check's
message for the analyst lives with it (see `row_check`), and validate.py turns
pandera's structured failures into problems naming file, line and field.

Rules that need two tables at once (a quote against its source text, a figure's unit
against the catalogue) are in rules.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable

import pandas as pd
import pandera.pandas as pa

from ..foundations.units import UNITS
from ..foundations.vocab import COMPARATOR_CODES, COVERAGES, DIRECTIONS, FIGURE_STATUSES, KINDS, MEASURES, PERIOD_COVERAGES

SNAKE = r"^[a-z][a-z0-9_]*$"
SHA256 = r"^[0-9a-f]{64}$"
YES_NO = ("yes", "no")


def row_check(name: str, field: str, message: str, predicate: Callable[[pd.DataFrame], pd.Series]) -> pa.Check:
    """A check across columns, reported against one field with a fixed message.

    `predicate(frame)` returns a boolean Series, True where the row is fine. The field
    and message travel as the check's statistics, so no one parses them from text.
    """
    return pa.Check(predicate, name=name, error=message, statistics={"field": field, "message": message})


def value_check(name: str, message: str, predicate: Callable[[object], bool]) -> pa.Check:
    """A check of each value of a column, reported with a fixed message (e.g. 'must be a date')."""
    return pa.Check(predicate, element_wise=True, name=name, error=message, statistics={"message": message})


def _text(**kw) -> pa.Column:
    return pa.Column(str, nullable=False, **kw)


def _optional_text(**kw) -> pa.Column:
    return pa.Column(str, nullable=True, **kw)


def range_check() -> pa.Check:
    """A range (comparator 'range') has value_high above value; other comparators have none.

    Used by the figures schema and the panel schema; values may still be text here.
    """
    def holds(frame: pd.DataFrame) -> pd.Series:
        low, high = pd.to_numeric(frame["value"], errors="coerce"), pd.to_numeric(frame["value_high"], errors="coerce")
        return (frame["comparator"] == "range") == (high.notna() & (high > low))

    return row_check("range_bounds", "value_high", "a range (comparator 'range') needs value_high, greater than value; "
                     "other comparators leave it empty", holds)


def period_check() -> pa.Check:
    """A multi-year average or cumulative figure names its period, ending in its year; others name none."""
    def holds(frame: pd.DataFrame) -> pd.Series:
        start = pd.to_numeric(frame["period_start"], errors="coerce")
        end = pd.to_numeric(frame["period_end"], errors="coerce")
        year = pd.to_numeric(frame["year"], errors="coerce")
        spans = frame["coverage"].isin(PERIOD_COVERAGES)
        return (spans & (end == year) & (start < end)) | (~spans & start.isna() & end.isna())

    return row_check("period_of_coverage", "period_start",
                     "a multi_year_average or cumulative figure needs period_start and period_end (its first and last "
                     "year, period_end equal to year); other coverages leave both empty", holds)


def themes_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "theme": _text(checks=pa.Check.str_matches(SNAKE), unique=True),
            "name_zh": _text(), "name_en": _text(),
            "description_zh": _text(), "description_en": _text(),
        },
        strict=True, name="themes",
    )


def catalogue_schema(themes: list[str] = ()) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "indicator_id": _text(checks=pa.Check.str_matches(SNAKE), unique=True),
            "name_zh": _text(), "name_en": _text(),
            "theme": _text(checks=pa.Check.isin(list(themes))),
            "measure": _text(checks=pa.Check.isin(MEASURES)),
            "unit": _text(checks=pa.Check.isin(list(UNITS))),
            "direction": _text(checks=pa.Check.isin(DIRECTIONS)),
            "growth_of": _optional_text(),
            "definition_zh": _optional_text(), "definition_en": _optional_text(),
            "noun_en": _optional_text(),  # what a count counts, in English: "3 workstations", not "3 家"
        },
        checks=[row_check("definition_in_both_languages", "definition_zh",
                          "a definition needs both definition_zh and definition_en (or neither)",
                          lambda f: f["definition_zh"].isna() == f["definition_en"].isna()),
                row_check("noun_for_every_count", "noun_en",
                          "a count (unit 个, 家, 项 ...) needs noun_en, the English noun of what it counts; other units have none",
                          lambda f: f["unit"].map(lambda u: u in UNITS and UNITS[u].base == "count") == f["noun_en"].notna())],
        strict=True, name="catalogue",
    )


def _source_column(source_ids: list[str] | None) -> pa.Column:
    """A source id of sources.yaml; unchecked (None) when sources.yaml itself cannot be read."""
    return _text() if source_ids is None else _text(checks=pa.Check.isin(list(source_ids)))


def figures_schema(source_ids: list[str] | None = ()) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "indicator_id": _text(checks=pa.Check.str_matches(SNAKE)),
            "year": pa.Column(int, coerce=True),
            "kind": _text(checks=pa.Check.isin(KINDS)),
            "value": pa.Column(float, coerce=True),
            "unit": _text(checks=pa.Check.isin(list(UNITS))),
            "comparator": _text(checks=pa.Check.isin(COMPARATOR_CODES)),
            "value_high": pa.Column(float, coerce=True, nullable=True),
            "coverage": _text(checks=pa.Check.isin(COVERAGES)),
            "quote": _text(),
            "source": _source_column(source_ids),
            "status": _text(checks=pa.Check.isin(FIGURE_STATUSES)),
            "period_start": pa.Column("Int64", coerce=True, nullable=True),
            "period_end": pa.Column("Int64", coerce=True, nullable=True),
        },
        checks=[range_check(), period_check()],
        unique=["indicator_id", "year", "kind", "coverage", "source"],
        strict=True, name="figures",
    )


def exclusions_schema(source_ids: list[str] | None = ()) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "source": _source_column(source_ids),
            "text": _text(), "quote": _text(),
            "reason_zh": _text(), "reason_en": _text(),
        },
        unique=["source", "text", "quote"],
        strict=True, name="exclusions",
    )


def links_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "target_indicator": _text(),
            "target_year": pa.Column(int, coerce=True),
            "base_indicator": _text(),
            "base_year": pa.Column(int, coerce=True),
            "comparable": _text(checks=pa.Check.isin(YES_NO)),
            "reason_zh": _text(), "reason_en": _text(),
        },
        unique=["target_indicator", "target_year", "base_year"],
        strict=True, name="links",
    )


def labels_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {"key": _text(unique=True), "zh": _text(), "en": _text()},
        strict=True, name="labels",
    )


def sources_schema() -> pa.DataFrameSchema:
    """sources.yaml, one row per entry (the line is the entry's number)."""
    return pa.DataFrameSchema(
        {
            "id": _text(checks=pa.Check.str_matches(SNAKE), unique=True),
            "file": _text(checks=pa.Check.str_startswith("raw/")),
            "title_zh": _text(), "title_en": _text(),
            "url": _text(checks=pa.Check.str_matches(r"^https?://")),
            "published": pa.Column(object, nullable=False, checks=value_check(
                "is_date", "must be a date written YYYY-MM-DD", lambda v: isinstance(v, dt.date))),
            "report_year": pa.Column(int, coerce=True),
            "sha256": _text(checks=pa.Check.str_matches(SHA256)),
        },
        strict=False, name="sources",
    )


def sections_schema() -> pa.DataFrameSchema:
    """The `sections` of a source in sources.yaml; a multi-year review gives its period (period_start, period_end)."""
    return pa.DataFrameSchema(
        {
            "starts_at": _text(),
            "year": pa.Column(int, coerce=True),
            "kind": _text(checks=pa.Check.isin(KINDS)),
            "coverage": _text(checks=pa.Check.isin(COVERAGES)),
            "period_start": pa.Column("Int64", coerce=True, nullable=True, required=False),
            "period_end": pa.Column("Int64", coerce=True, nullable=True, required=False),
        },
        strict=False, name="sections",
    )


def places_schema() -> pa.DataFrameSchema:
    """The places the extraction assistant knows (extract/place.py): names as documents write them, and web hosts."""
    return pa.DataFrameSchema(
        {
            "place_id": _text(checks=pa.Check.str_matches(SNAKE), unique=True),
            "name_zh": _text(unique=True), "within_zh": _optional_text(), "short_zh": _optional_text(),
            "name_en": _text(), "hosts": _optional_text(),
        },
        strict=True, name="places",
    )


# The CSV tables of data/, by file name, with their schema builders.
TABLES: dict[str, Callable[..., pa.DataFrameSchema]] = {
    "themes.csv": themes_schema,
    "catalogue.csv": catalogue_schema,
    "figures/<source>.csv": figures_schema,
    "exclusions.csv": exclusions_schema,
    "links.csv": links_schema,
    "labels.csv": labels_schema,
    "places.csv": places_schema,
}


def columns(table: str) -> list[str]:
    """The columns of a table of data/, in order: 'catalogue.csv' -> ['indicator_id', ...]."""
    return list(TABLES[table]().columns)
