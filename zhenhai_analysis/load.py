"""Load and validate the curated data into tidy DataFrames.

Layout of `data/` (see data/README.md):
    sources.yaml             one entry per source document in raw/
    raw/                     the source documents, byte for byte
    themes.csv               the theme taxonomy
    catalogue.csv            one row per indicator
    figures/<source>.csv     one row per figure, any number of files
    exclusions.csv           numbers in the sources that are not figures, with a reason
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from .quotes import number_coverage, value_positions
from .sources import COVERAGES, KINDS, Source, read_sources
from .units import UNITS, add_base_units
from .validate import DataValidationError, Problem, read_csv_table, row_check, schema_problems

MEASURES = ("level", "growth", "share", "count", "rank")
DIRECTIONS = ("higher", "lower")
COMPARATORS = ("=", ">=", ">", "<=", "<", "~", "range")

THEME_COLUMNS = ["theme", "name_zh", "name_en", "description"]
CATALOGUE_COLUMNS = ["indicator_id", "name_zh", "name_en", "theme", "measure", "unit", "direction", "definition"]
FIGURE_COLUMNS = ["indicator_id", "year", "kind", "value", "unit", "comparator", "value_high", "coverage", "quote", "source"]
EXCLUSION_COLUMNS = ["source", "text", "quote", "reason"]

# Columns of load_indicators(), in order.
INDICATOR_COLUMNS = [
    "indicator_id", "name_zh", "name_en", "theme", "measure", "direction", "year", "kind",
    "value", "unit", "comparator", "value_high", "coverage", "quote", "source", "value_text",
    "value_high_text", "file", "line",
]

_SNAKE = r"^[a-z][a-z0-9_]*$"


def data_dir(path: str | Path | None = None) -> Path:
    """The data folder: `path`, else $ZHENHAI_DATA_DIR, else the project's data/."""
    if path is not None:
        return Path(path)
    if os.environ.get("ZHENHAI_DATA_DIR"):
        return Path(os.environ["ZHENHAI_DATA_DIR"])
    return Path(__file__).resolve().parent.parent / "data"


def _read(path: Path, columns: list[str], schema: pa.DataFrameSchema, problems: list[Problem]) -> pd.DataFrame | None:
    """Read and schema-check one file, adding its problems to `problems`."""
    if not path.exists():
        problems.append(Problem(path, None, None, "file not found"))
        return None
    try:
        frame = read_csv_table(path, columns)
    except DataValidationError as exc:
        problems.extend(exc.problems)
        return None
    checked, found = schema_problems(schema, frame, path)
    problems.extend(found)
    return checked


def _text(**kw) -> pa.Column:
    return pa.Column(str, nullable=False, **kw)


def _themes_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {"theme": _text(checks=pa.Check.str_matches(_SNAKE), unique=True), "name_zh": _text(), "name_en": _text(), "description": _text()},
        strict=True,
    )


def _catalogue_schema(themes: list[str]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "indicator_id": _text(checks=pa.Check.str_matches(_SNAKE), unique=True),
            "name_zh": _text(),
            "name_en": _text(),
            "theme": _text(checks=pa.Check.isin(themes)),
            "measure": _text(checks=pa.Check.isin(MEASURES)),
            "unit": _text(checks=pa.Check.isin(list(UNITS))),
            "direction": _text(checks=pa.Check.isin(DIRECTIONS)),
            "definition": pa.Column(str, nullable=True),
        },
        strict=True,
    )


def _figures_schema(source_ids: list[str]) -> pa.DataFrameSchema:
    def number(frame: pd.DataFrame, column: str) -> pd.Series:
        return pd.to_numeric(frame[column], errors="coerce")

    return pa.DataFrameSchema(
        {
            "indicator_id": _text(checks=pa.Check.str_matches(_SNAKE)),
            "year": pa.Column(int, coerce=True),
            "kind": _text(checks=pa.Check.isin(KINDS)),
            "value": pa.Column(float, coerce=True),
            "unit": _text(checks=pa.Check.isin(list(UNITS))),
            "comparator": _text(checks=pa.Check.isin(COMPARATORS)),
            "value_high": pa.Column(float, coerce=True, nullable=True),
            "coverage": _text(checks=pa.Check.isin(COVERAGES)),
            "quote": _text(),
            "source": _text(checks=pa.Check.isin(source_ids)),
        },
        checks=[
            row_check(
                "value_high",
                "a range (comparator 'range') needs value_high, greater than value; other comparators leave it empty",
                lambda f: (f["comparator"] == "range")
                == (number(f, "value_high").notna() & (number(f, "value_high") > number(f, "value"))),
            ),
        ],
        unique=["indicator_id", "year", "kind"],
        strict=True,
    )


def _exclusions_schema(source_ids: list[str]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {"source": _text(checks=pa.Check.isin(source_ids)), "text": _text(), "quote": _text(), "reason": _text()},
        strict=True,
    )


def _check_figures_against(raw: pd.DataFrame, catalogue: pd.DataFrame | None, sources: dict[str, Source], path: Path) -> list[Problem]:
    """Checks that need the catalogue and the source text: ids, units, quotes, sections.

    Works on the file as written (strings), so that these problems are reported
    together with any type errors in the same rows.
    """
    problems = []
    known = catalogue.set_index("indicator_id") if catalogue is not None else None
    for line, row in raw.iterrows():
        def problem(field: str, message: str) -> None:
            problems.append(Problem(path, int(line), field, message))

        if known is not None and row.indicator_id not in known.index:
            problem("indicator_id", f"unknown indicator {row.indicator_id!r}: add it to catalogue.csv first")
            continue
        measure = None
        if known is not None:
            entry = known.loc[row.indicator_id]
            measure = entry.measure
            if row.unit != entry.unit:
                problem("unit", f"{row.unit!r} disagrees with the catalogue, which gives {entry.unit!r} for {row.indicator_id}")
        source = sources.get(row.source)
        if source is None or row.quote is None:
            continue  # reported by the schema
        count = source.text.count(row.quote)
        if count == 0:
            problem("quote", f"not found verbatim in {source.path.name} (check punctuation: the source uses , ( ) where noted)")
            continue
        if count > 1:
            problem("quote", f"occurs {count} times in {source.path.name}; lengthen it so that it points to one place")
        if measure is not None and row.value is not None:
            if not _printed_in(row.quote, row.value, measure):
                problem("value", f"the printed value {row.value!r} does not appear as a number in the quote")
            if row.comparator == "range" and row.value_high is not None and not _printed_in(row.quote, row.value_high, measure):
                problem("value_high", f"the printed upper end {row.value_high!r} does not appear in the quote")
        section = source.section_at(source.text.index(row.quote))
        if section is None:
            problem("quote", "stands before the first section of the source; see sections in sources.yaml")
        elif (row.year, row.kind, row.coverage) != (str(section.year), section.kind, section.coverage):
            problem(
                "year",
                f"the quote is in the section starting {section.starts_at!r}, whose figures are "
                f"{section.year} {section.kind} ({section.coverage}); the row says {row.year} {row.kind} ({row.coverage})",
            )
    return problems


def _printed_in(quote: str, value_text: str, measure: str) -> bool:
    try:
        return bool(value_positions(quote, value_text, measure))
    except ValueError:  # a rank that is not a whole number 1-99; the schema reports it
        return False


def _check_exclusions_against(exclusions: pd.DataFrame, sources: dict[str, Source], path: Path) -> list[Problem]:
    problems = []
    for line, row in exclusions.iterrows():
        text = sources[row.source].text
        count = text.count(row.quote)
        if count != 1:
            problems.append(Problem(path, int(line), "quote", f"occurs {count} times in the source; it must occur exactly once"))
        if row.text not in row.quote:
            problems.append(Problem(path, int(line), "text", f"{row.text!r} is not part of the quote"))
    return problems


def _tables(path: str | Path | None):
    """Read and validate every curated table; raise one error listing all problems."""
    root = data_dir(path)
    problems: list[Problem] = []
    try:
        sources = read_sources(root)
    except DataValidationError as exc:
        problems.extend(exc.problems)
        sources = {}
    themes = _read(root / "themes.csv", THEME_COLUMNS, _themes_schema(), problems)
    theme_ids = [] if themes is None else list(themes["theme"])
    catalogue = _read(root / "catalogue.csv", CATALOGUE_COLUMNS, _catalogue_schema(theme_ids), problems)

    figure_files = sorted((root / "figures").glob("*.csv"))
    if not figure_files:
        problems.append(Problem(root / "figures", None, None, "no figure files (*.csv) found"))
    frames = []
    for file in figure_files:
        try:
            raw = read_csv_table(file, FIGURE_COLUMNS)  # strings, exactly as written
        except DataValidationError as exc:
            problems.extend(exc.problems)
            continue
        frame, found = schema_problems(_figures_schema(list(sources)), raw, file)
        problems.extend(found)
        problems.extend(_check_figures_against(raw, catalogue, sources, file))
        if frame is not None:
            frames.append(frame.assign(value_text=raw["value"], value_high_text=raw["value_high"], file=file.name, line=frame.index))
    figures = pd.concat(frames) if frames else None
    if figures is not None:
        dupes = figures[figures.duplicated(["indicator_id", "year", "kind"], keep=False)]
        for (iid, year, kind), group in dupes.groupby(["indicator_id", "year", "kind"]):
            if group["file"].nunique() > 1:  # duplicates within one file are reported by the schema
                where = ", ".join(f"{f} line {n}" for f, n in zip(group["file"], group["line"]))
                problems.append(Problem(root / "figures", None, "indicator_id", f"duplicate figure {iid} {year} {kind} in {where}"))

    exclusions = _read(root / "exclusions.csv", EXCLUSION_COLUMNS, _exclusions_schema(list(sources)), problems)
    if exclusions is not None and sources:
        problems.extend(_check_exclusions_against(exclusions, sources, root / "exclusions.csv"))
    if problems:
        raise DataValidationError(problems)
    return sources, themes, catalogue, figures, exclusions


def load_catalogue(path: str | Path | None = None) -> pd.DataFrame:
    """The indicator catalogue joined with theme labels: one row per indicator."""
    _, themes, catalogue, _, _ = _tables(path)
    labels = themes.rename(columns={"name_zh": "theme_zh", "name_en": "theme_en"})[["theme", "theme_zh", "theme_en"]]
    return catalogue.merge(labels, on="theme", how="left").reset_index(drop=True)


def load_themes(path: str | Path | None = None) -> pd.DataFrame:
    """The theme taxonomy: theme id, Chinese and English names, description."""
    return _tables(path)[1].reset_index(drop=True)


def load_exclusions(path: str | Path | None = None) -> pd.DataFrame:
    """Numbers in the sources that are not figures, each with its quote and reason."""
    return _tables(path)[4].reset_index(drop=True)


def load_sources(path: str | Path | None = None) -> pd.DataFrame:
    """One row per source document: id, titles, URL, publication date, sha256."""
    sources = _tables(path)[0]
    return pd.DataFrame(
        [(s.id, s.title_zh, s.title_en, s.url, s.published, s.report_year, s.sha256, s.path.name) for s in sources.values()],
        columns=["source", "title_zh", "title_en", "url", "published", "report_year", "sha256", "file"],
    )


def load_indicators(path: str | Path | None = None, base_units: bool = False) -> pd.DataFrame:
    """Every figure of every source as a tidy DataFrame, one row per figure.

    `value` is the number as printed, in `unit` as printed (亿元, %, 家 ...);
    `value_text` and `value_high_text` are the numbers exactly as the text prints them. `comparator` is the bound
    as written (>= for 以上, <= for 以内 ...); `value_high` is the upper end of a range.
    `coverage` is full_year or year_to_date (a partial year as of publication).
    With `base_units=True`, adds `value_base`, `value_high_base` and `base_unit`
    (yuan, USD, m² ...; see units.py).
    """
    _, _, catalogue, figures, _ = _tables(path)
    out = figures.drop(columns=["unit"]).merge(
        catalogue.drop(columns=["definition"]), on="indicator_id", how="left", validate="many_to_one"
    )
    out = out[INDICATOR_COLUMNS].sort_values(["theme", "indicator_id", "year", "kind"]).reset_index(drop=True)
    if base_units:
        out = add_base_units(out)
    return out


def classify_numbers(path: str | Path | None = None) -> pd.DataFrame:
    """Every number in every source text, classified as a figure or an exclusion.

    One row per number: `source`, `position` (character offset), `number`, `context`,
    `covered_by` ('figure', 'exclusion', or '' if unclassified) and `detail`.
    """
    sources, _, _, _, exclusions = _tables(path)
    indicators = load_indicators(path)
    frames = [
        number_coverage(source.text, indicators[indicators["source"] == sid], exclusions[exclusions["source"] == sid])
        .assign(source=sid)
        for sid, source in sources.items()
    ]
    return pd.concat(frames, ignore_index=True)
