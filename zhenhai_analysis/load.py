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

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from .quotes import number_coverage, value_positions
from .sources import COVERAGES, KINDS, Source, read_sources
from .units import UNITS, UnitError, add_base_units, require_comparable
from .validate import DataValidationError, Problem, read_csv_table, row_check, schema_problems

MEASURES = ("level", "growth", "share", "count", "rank")
DIRECTIONS = ("higher", "lower")
COMPARATORS = ("=", ">=", ">", "<=", "<", "~", "range")

THEME_COLUMNS = ["theme", "name_zh", "name_en", "description"]
CATALOGUE_COLUMNS = ["indicator_id", "name_zh", "name_en", "theme", "measure", "unit", "direction", "growth_of", "definition"]
FIGURE_COLUMNS = ["indicator_id", "year", "kind", "value", "unit", "comparator", "value_high", "coverage", "quote", "source"]
EXCLUSION_COLUMNS = ["source", "text", "quote", "reason"]
LINK_COLUMNS = ["target_indicator", "target_year", "base_indicator", "base_year", "comparable", "reason", "reason_zh"]

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
            "growth_of": pa.Column(str, nullable=True),
            "definition": pa.Column(str, nullable=True),
        },
        strict=True,
    )


def range_check() -> pa.Check:
    """A range (comparator 'range') has value_high above value; other comparators have none.

    Used by the figures schema and the panel schema; values may still be text here.
    """
    def holds(frame: pd.DataFrame) -> pd.Series:
        low, high = pd.to_numeric(frame["value"], errors="coerce"), pd.to_numeric(frame["value_high"], errors="coerce")
        return (frame["comparator"] == "range") == (high.notna() & (high > low))

    return row_check("value_high", "a range (comparator 'range') needs value_high, greater than value; "
                     "other comparators leave it empty", holds)


def _figures_schema(source_ids: list[str]) -> pa.DataFrameSchema:
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
        checks=[range_check()],
        unique=["indicator_id", "year", "kind", "source"],
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
        if row.source not in sources:
            continue  # its entry in sources.yaml has a problem, reported there
        count = sources[row.source].text.count(row.quote)
        if count != 1:
            problems.append(Problem(path, int(line), "quote", f"occurs {count} times in the source; it must occur exactly once"))
        if row.text not in row.quote:
            problems.append(Problem(path, int(line), "text", f"{row.text!r} is not part of the quote"))
    return problems


@dataclass(frozen=True)
class Tables:
    """Every curated table, validated together."""

    sources: dict[str, Source]
    themes: pd.DataFrame
    catalogue: pd.DataFrame
    figures: pd.DataFrame
    exclusions: pd.DataFrame
    links: pd.DataFrame


def _check_catalogue(catalogue: pd.DataFrame, path: Path) -> list[Problem]:
    problems = []
    measures = catalogue.set_index("indicator_id")["measure"]
    for line, row in catalogue.iterrows():
        if pd.isna(row.growth_of):
            continue
        if row.measure != "growth":
            problems.append(Problem(path, int(line), "growth_of", "only a growth indicator can name the level it is the growth of"))
        elif measures.get(row.growth_of) != "level":
            problems.append(Problem(path, int(line), "growth_of", f"{row.growth_of!r} is not a level indicator of the catalogue"))
    return problems


def _check_links(links: pd.DataFrame, catalogue: pd.DataFrame, figures: pd.DataFrame, path: Path) -> list[Problem]:
    """Each link names existing figures; a comparable pair has comparable units and measures."""
    problems = []
    known = catalogue.set_index("indicator_id")
    present = set(zip(figures["indicator_id"], figures["year"], figures["kind"]))
    for line, row in links.iterrows():
        def problem(field: str, message: str) -> None:
            problems.append(Problem(path, int(line), field, message))

        if (row.target_indicator, row.target_year, "target") not in present:
            problem("target_indicator", f"no target figure {row.target_indicator} for {row.target_year}")
            continue
        base_kinds = [k for k in ("actual", "target") if (row.base_indicator, row.base_year, k) in present]
        if not base_kinds:
            problem("base_indicator", f"no figure {row.base_indicator} for {row.base_year}")
            continue
        if row.comparable == "yes":
            target, base = known.loc[row.target_indicator], known.loc[row.base_indicator]
            try:
                require_comparable(target.unit, base.unit)
            except UnitError as exc:
                problem("comparable", f"marked comparable, but {exc}")
            if target.measure != base.measure:
                problem("comparable", f"marked comparable, but the measures differ ({base.measure} vs {target.measure})")
    # A target whose own indicator has an actual the year before must have a curated verdict.
    linked = set(zip(links["target_indicator"], links["target_year"].astype(int), links["base_year"].astype(int)))
    for iid, year, kind in sorted(present):
        if kind == "target" and (iid, year - 1, "actual") in present and (iid, year, year - 1) not in linked:
            problems.append(Problem(path, None, "target_indicator", f"{iid} has a {year - 1} actual and a {year} target but no link row: add one with a verdict"))
    return problems


def _links_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "target_indicator": _text(),
            "target_year": pa.Column(int, coerce=True),
            "base_indicator": _text(),
            "base_year": pa.Column(int, coerce=True),
            "comparable": _text(checks=pa.Check.isin(["yes", "no"])),
            "reason": _text(),
            "reason_zh": _text(),
        },
        unique=["target_indicator", "target_year", "base_year"],
        strict=True,
    )


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
    problems: list[Problem] = []
    try:
        sources, declared, found = read_sources(root)
        problems.extend(found)
    except DataValidationError as exc:
        problems.extend(exc.problems)
        sources, declared = {}, set()
    themes = _read(root / "themes.csv", THEME_COLUMNS, _themes_schema(), problems)
    theme_ids = [] if themes is None else list(themes["theme"])
    catalogue = _read(root / "catalogue.csv", CATALOGUE_COLUMNS, _catalogue_schema(theme_ids), problems)
    if catalogue is not None:
        problems.extend(_check_catalogue(catalogue, root / "catalogue.csv"))

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
        frame, found = schema_problems(_figures_schema(sorted(declared)), raw, file)
        problems.extend(found)
        problems.extend(_check_figures_against(raw, catalogue, sources, file))
        if frame is not None:
            frames.append(frame.assign(value_text=raw["value"], value_high_text=raw["value_high"], file=file.name, line=frame.index))
    figures = pd.concat(frames) if frames else None
    if figures is not None:
        # The same figure in two reports is a restatement (kept, the latest used); twice
        # from one source in different files is a duplicate.
        key = ["indicator_id", "year", "kind", "source"]
        dupes = figures[figures.duplicated(key, keep=False)]
        for (iid, year, kind, source), group in dupes.groupby(key):
            if group["file"].nunique() > 1:  # duplicates within one file are reported by the schema
                where = ", ".join(f"{f} line {n}" for f, n in zip(group["file"], group["line"]))
                problems.append(Problem(root / "figures", None, "indicator_id", f"duplicate figure {iid} {year} {kind} from {source} in {where}"))

    exclusions = _read(root / "exclusions.csv", EXCLUSION_COLUMNS, _exclusions_schema(sorted(declared)), problems)
    if exclusions is not None and sources:
        problems.extend(_check_exclusions_against(exclusions, sources, root / "exclusions.csv"))
    links = _read(root / "links.csv", LINK_COLUMNS, _links_schema(), problems)
    if links is not None and catalogue is not None and figures is not None:
        problems.extend(_check_links(links, catalogue, figures, root / "links.csv"))
    if problems:
        raise DataValidationError(problems)
    return Tables(sources, themes, catalogue, figures, exclusions, links)


def load_catalogue(path: str | Path | None = None) -> pd.DataFrame:
    """The indicator catalogue joined with theme labels: one row per indicator."""
    tables = _tables(path)
    labels = tables.themes.rename(columns={"name_zh": "theme_zh", "name_en": "theme_en"})[["theme", "theme_zh", "theme_en"]]
    return tables.catalogue.merge(labels, on="theme", how="left").reset_index(drop=True)


def load_themes(path: str | Path | None = None) -> pd.DataFrame:
    """The theme taxonomy: theme id, Chinese and English names, description."""
    return _tables(path).themes.reset_index(drop=True)


def load_exclusions(path: str | Path | None = None) -> pd.DataFrame:
    """Numbers in the sources that are not figures, each with its quote and reason."""
    return _tables(path).exclusions.reset_index(drop=True)


def load_links(path: str | Path | None = None) -> pd.DataFrame:
    """Curated comparability links: which base-year figure is the baseline of which target.

    `comparable` is a bool; `reason` (English) and `reason_zh` say why, in words a
    reader can check against the quotes.
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
        tables.catalogue.drop(columns=["definition", "growth_of"]), on="indicator_id", how="left", validate="many_to_one"
    )
    published = {sid: s.published for sid, s in tables.sources.items()}
    out = out.assign(_published=out["source"].map(published)).sort_values(["_published", "source"])
    key = ["indicator_id", "year", "kind"]
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
    the upper end of a range. `coverage` is full_year or year_to_date (a partial year
    as of publication). With `base_units=True`, adds `value_base`, `value_high_base`
    and `base_unit` (yuan, USD, m² ...; see units.py).

    A figure printed again by a later report (a restatement, such as a revised 2019
    figure in the 2021 report) is kept with its source. `versions="latest"` (the default)
    returns the figure of the most recently published source, which every analysis uses;
    `versions="all"` returns every version, with `used` telling which one that is.
    `restated_from` names the other sources of the same figure.
    """
    return _indicators(_tables(path), base_units, versions)


def classify_numbers(path: str | Path | None = None) -> pd.DataFrame:
    """Every number in every source text, classified as a figure or an exclusion.

    One row per number: `source`, `position` (character offset), `number`, `context`,
    `covered_by` ('figure', 'exclusion', or '' if unclassified) and `detail`.
    """
    tables = _tables(path)
    indicators = _indicators(tables, base_units=False)
    frames = [
        number_coverage(
            source.text,
            indicators[indicators["source"] == sid],
            tables.exclusions[tables.exclusions["source"] == sid],
        ).assign(source=sid)
        for sid, source in tables.sources.items()
    ]
    return pd.concat(frames, ignore_index=True)
