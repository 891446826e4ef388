"""Load and validate the curated data into tidy DataFrames.

Layout of `data/` (see data/README.md):
    sources.yaml             one entry per source document in raw/
    raw/                     the source documents, byte for byte
    themes.csv               the theme taxonomy
    catalogue.csv            one row per indicator
    figures/<source>.csv     one row per figure, any number of files
    exclusions.csv           numbers in the sources that are not figures, with a reason
    links.csv                which base-year figure is the baseline of which target
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from . import rules
from ..foundations.exceptions import DataValidationError, Problem
from ..foundations.paths import data_dir
from ..foundations.quotes import number_coverage
from .schemas import catalogue_schema, columns, exclusions_schema, figures_schema, links_schema, themes_schema
from .sources import Source, read_sources
from ..foundations.units import add_base_units
from ..foundations.labels import labels as read_labels
from .validate import read_csv_table, schema_problems

EXCEL_LOCK_PREFIX = "~$"  # Excel's lock file beside an open workbook: not data
# Columns of load_indicators(), in order.
INDICATOR_COLUMNS = [
    "indicator_id", "name_zh", "name_en", "theme", "measure", "direction", "noun_en", "year", "kind",
    "value", "unit", "comparator", "value_high", "coverage", "period_start", "period_end", "status", "quote", "source", "value_text",
    "value_high_text", "file", "line",
]


def _read(path: Path, schema: pa.DataFrameSchema, problems: list[Problem]) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """Read and schema-check one file, adding its problems to `problems`.

    Returns the checked table (None if it has problems) and the rows as written (None if
    the file cannot be read at all), so that rules across tables can still run on them.
    """
    if not path.exists():
        problems.append(Problem(path, None, None, "file not found"))
        return None, None
    try:
        frame = read_csv_table(path, list(schema.columns))
    except DataValidationError as exc:
        problems.extend(exc.problems)
        return None, None
    checked, found = schema_problems(schema, frame, path)
    problems.extend(found)
    return checked, frame


@dataclass(frozen=True)
class Tables:
    """Every curated table, validated together."""

    sources: dict[str, Source]
    themes: pd.DataFrame
    catalogue: pd.DataFrame
    figures: pd.DataFrame
    exclusions: pd.DataFrame
    links: pd.DataFrame


_CACHE: dict[Path, tuple[tuple, Tables]] = {}


def _signature(root: Path) -> tuple:
    """Name, size and modification time of every file under `root`: changes when any file does."""
    return tuple(sorted((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in root.rglob("*") if p.is_file()))


def _tables(path: str | Path | None) -> Tables:
    """Every curated table, read and validated; one error lists all problems.

    The result is reused while no file under the data folder has changed, so a notebook
    that calls several loaders validates the data once.
    """
    root = data_dir(path).resolve()
    signature = _signature(root)
    cached = _CACHE.get(root)
    if cached and cached[0] == signature:
        return cached[1]
    tables = _read_tables(root)
    _CACHE[root] = (signature, tables)
    return tables


def _read_tables(root: Path) -> Tables:
    if (root / ".accept-pending" / "journal.json").exists():  # extract.PENDING, switched in part
        raise DataValidationError([Problem(root, None, None, "an `extract --accept` was interrupted while it put its "
                                           "files in place: run the same --accept again to finish it")])
    problems: list[Problem] = []
    try:
        sources, declared, found = read_sources(root)
        problems.extend(found)
    except DataValidationError as exc:  # sources.yaml unreadable: its problem alone, not one per figure
        problems.extend(exc.problems)
        sources, declared = {}, None
    # A table with a problem is still used as written by the rules that need it, so that
    # one bad catalogue row does not hide every problem of the figures.
    themes, themes_raw = _read(root / "themes.csv", themes_schema(), problems)
    theme_ids = [] if themes_raw is None else list(themes_raw["theme"].dropna())
    catalogue, catalogue_raw = _read(root / "catalogue.csv", catalogue_schema(theme_ids), problems)
    if catalogue_raw is not None:
        problems.extend(rules.growth_of_names_a_level(catalogue_raw, root / "catalogue.csv"))

    figure_files = sorted(p for p in (root / "figures").glob("*.csv") if not p.name.startswith(EXCEL_LOCK_PREFIX))
    for lock in sorted((root / "figures").glob(EXCEL_LOCK_PREFIX + "*")):
        warnings.warn(f"{lock} is a lock file that Excel leaves while a file is open: ignored", stacklevel=3)
    if not figure_files:
        problems.append(Problem(root / "figures", None, None, "no figure files (*.csv) found"))
    frames = []
    for file in figure_files:
        try:
            raw = read_csv_table(file, columns("figures/<source>.csv"))  # strings, exactly as written
        except DataValidationError as exc:
            problems.extend(exc.problems)
            continue
        frame, found = schema_problems(figures_schema(None if declared is None else sorted(declared)), raw, file)
        problems.extend(found)
        problems.extend(rules.figures_against_sources(raw, catalogue_raw, sources, file))
        if frame is not None:
            frames.append(frame.assign(value_text=raw["value"], value_high_text=raw["value_high"], file=file.name, line=frame.index))
    figures = pd.concat(frames) if frames and len(frames) == len(figure_files) else None  # None: some file failed
    if figures is not None:
        problems.extend(rules.duplicate_figures(figures, root / "figures"))

    exclusions, exclusions_raw = _read(root / "exclusions.csv", exclusions_schema(None if declared is None else sorted(declared)), problems)
    if exclusions_raw is not None and sources:
        problems.extend(rules.exclusions_against_sources(exclusions_raw, sources, root / "exclusions.csv"))
    links, _ = _read(root / "links.csv", links_schema(), problems)
    # Links are checked against complete, typed figures only: against a partial set every
    # link of a broken file would be reported again.
    if links is not None and catalogue_raw is not None and figures is not None:
        problems.extend(rules.links_against_figures(links, catalogue_raw, figures, root / "links.csv"))
    try:
        read_labels(root)  # the words of every page: checked with the data, not at the first page
    except DataValidationError as exc:
        problems.extend(exc.problems)
    if problems:
        raise DataValidationError(_one_per_cell(problems))
    return Tables(sources, themes, catalogue, figures, exclusions, links)


def _one_per_cell(problems: list[Problem]) -> list[Problem]:
    """The first problem of each cell: a value the schema rejects is not also reported by a rule."""
    seen, kept = set(), []
    for problem in problems:
        cell = (problem.file, problem.line, problem.field)
        if problem.line is not None and problem.field is not None and cell in seen:
            continue
        seen.add(cell)
        kept.append(problem)
    return kept


def load_catalogue(path: str | Path | None = None) -> pd.DataFrame:
    """The indicator catalogue joined with theme labels: one row per indicator."""
    tables = _tables(path)
    labels = tables.themes.rename(columns={"name_zh": "theme_zh", "name_en": "theme_en"})[["theme", "theme_zh", "theme_en"]]
    return tables.catalogue.merge(labels, on="theme", how="left").reset_index(drop=True)


def load_themes(path: str | Path | None = None) -> pd.DataFrame:
    """The theme taxonomy: theme id, names and descriptions in Chinese and English."""
    return _tables(path).themes.reset_index(drop=True)


def load_exclusions(path: str | Path | None = None) -> pd.DataFrame:
    """Numbers in the sources that are not figures, each with its quote and reason."""
    return _tables(path).exclusions.reset_index(drop=True)


def load_links(path: str | Path | None = None) -> pd.DataFrame:
    """Curated comparability links: which base-year figure is the baseline of which target.

    `comparable` is a bool; `reason_zh` and `reason_en` say why, in words a reader can
    check against the quotes.
    """
    links = _tables(path).links.reset_index(drop=True)
    return links.assign(comparable=links["comparable"] == "yes")


def load_sources(path: str | Path | None = None) -> pd.DataFrame:
    """One row per source document: id, titles, URL, publication date, sha256."""
    sources = _tables(path).sources
    return pd.DataFrame(
        [(s.id, s.title_zh, s.title_en, s.url, s.published, s.report_year, s.sha256, s.path.name) for s in sources.values()],
        columns=["source", "title_zh", "title_en", "url", "published", "report_year", "sha256", "file"],
    )


def _indicators(tables: Tables, base_units: bool, versions: str = "latest") -> pd.DataFrame:
    if versions not in ("latest", "all"):
        raise ValueError(f"versions must be 'latest' or 'all', got {versions!r}")
    out = tables.figures.drop(columns=["unit"]).merge(
        tables.catalogue.drop(columns=["definition_zh", "definition_en", "growth_of"]), on="indicator_id", how="left", validate="many_to_one"
    )
    published = {sid: s.published for sid, s in tables.sources.items()}
    out = out.assign(_published=out["source"].map(published)).sort_values(["_published", "source"])
    key = ["indicator_id", "year", "kind", "coverage"]  # a half-year figure never stands for its full year
    out["used"] = ~out.duplicated(key, keep="last")
    sources_of = out.groupby(key)["source"].agg(list)
    out["restated_from"] = [
        ", ".join(s for s in sources_of.loc[tuple(k)] if s != own)
        for k, own in zip(out[key].itertuples(index=False), out["source"])
    ]
    if versions == "latest":
        out = out[out["used"]]
    out = out[INDICATOR_COLUMNS + ["used", "restated_from"]].sort_values(["theme", "indicator_id", "year", "kind", "source"])
    out = out.reset_index(drop=True)
    return add_base_units(out) if base_units else out


def load_indicators(path: str | Path | None = None, base_units: bool = False, versions: str = "latest") -> pd.DataFrame:
    """Every figure of every source as a tidy DataFrame, one row per figure.

    `value` is the number as printed, in `unit` as printed (亿元, %, 家 ...);
    `value_text` and `value_high_text` are the numbers exactly as the text prints them.
    `comparator` is the bound as written (>= for 以上, <= for 以内 ...); `value_high` is
    the upper end of a range. `coverage` says what part of time a figure covers
    (vocab.COVERAGES: full_year, half_year, ... cumulative); a multi-year figure gives its
    first and last year in `period_start` and `period_end`. With `base_units=True`, adds `value_base`, `value_high_base`
    and `base_unit` (yuan, USD, m² ...; see units.py).

    A figure printed again by a later report (a restatement, such as a revised 2019
    figure in the 2021 report) is kept with its source. `versions="latest"` (the default)
    returns the figure of the most recently published source, which every analysis uses;
    `versions="all"` returns every version, with `used` telling which one that is.
    `restated_from` names the other sources of the same figure.
    """
    tables = _tables(path)
    key = (id(tables), base_units, versions)
    cached = _FRAMES.get(key)
    if cached is None or cached[0] is not tables:
        if len(_FRAMES) > 8:  # frames of data folders no longer read
            _FRAMES.clear()
        cached = _FRAMES[key] = (tables, _indicators(tables, base_units, versions))
    return cached[1].copy()  # the caller's own: a page may add columns


# The frames load_indicators made from the tables now cached (_tables): each page of a run
# asks for the same one, and making it (joining, marking restatements) takes a tenth of a second.
_FRAMES: dict[tuple, tuple[Tables, pd.DataFrame]] = {}


def classify_numbers(path: str | Path | None = None) -> pd.DataFrame:
    """Every number in every source text, classified as a figure or an exclusion.

    One row per number: `source`, `position` (character offset), `number`, `context`,
    `covered_by` ('figure', 'exclusion', or '' if unclassified) and `detail`.
    """
    tables = _tables(path)
    indicators = _indicators(tables, base_units=False, versions="all")  # a restated figure still covers its own text
    frames = [
        number_coverage(
            source.text,
            indicators[indicators["source"] == sid],
            tables.exclusions[tables.exclusions["source"] == sid],
        ).assign(source=sid)
        for sid, source in tables.sources.items()
    ]
    return pd.concat(frames, ignore_index=True)
