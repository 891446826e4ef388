"""Rules across tables: what no single table's schema can check.

A figure's indicator and unit against the catalogue, its quote and section against the
source text; exclusions against the source text; a growth indicator's level; links
against the figures. Each function returns problems (file, line, field, message) and
works on the rows as written (strings), so its problems are reported together with
any type errors of the same rows.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..foundations.exceptions import Problem
from ..foundations.quotes import value_positions
from .sources import Source
from ..foundations.units import UnitError, require_comparable
from ..foundations.vocab import PERIOD_COVERAGES


def _printed_in(quote: str, value_text: str, measure: str) -> bool:
    try:
        return bool(value_positions(quote, value_text, measure))
    except ValueError:  # a rank that is not a whole number 1-99; the schema reports it
        return False


def figures_against_sources(raw: pd.DataFrame, catalogue: pd.DataFrame | None, sources: dict[str, Source],
                            path: Path) -> list[Problem]:
    """Ids and units against the catalogue; quotes verbatim and once; year and kind by section."""
    problems = []
    known = catalogue.drop_duplicates("indicator_id").set_index("indicator_id") if catalogue is not None else None
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
        own_year = year_printed_before(row.quote, row.value, measure) if measure is not None and row.value else None
        if own_year is None and section is not None and section.period and measure is not None and row.value:
            own_year = period_base_year(row.quote, row.value, measure, section.period)
        if section is None:
            problem("quote", "stands before the first section of the source; see sections in sources.yaml")
        elif own_year is not None and row.year != str(own_year):
            problem("year", f"the quote prints the year {own_year} right before the value; the row says {row.year}")
        elif (row.kind != section.kind or not _coverage_fits(row.coverage, section.coverage)
              or (own_year is None and row.year != str(section.year))):
            problem(
                "year",
                f"the quote is in the section starting {section.starts_at!r}, whose figures are "
                f"{section.year} {section.kind} ({section.coverage}); the row says {row.year} {row.kind} ({row.coverage})",
            )
    return problems


def period_base_year(quote: str, value_text: str, measure: str, period: tuple[int, int]) -> int | None:
    """The year of A in a multi-year review's 由A增加到B (从A到B): the year before the period, or None.

    '五年来,地区生产总值由560亿元增加到754亿元' in a review of 2012-2016: 560 is the 2011 level.
    """
    positions = value_positions(quote, value_text, measure) if _printed_in(quote, value_text, measure) else []
    return period[0] - 1 if any(re.search(r"(?:由|从)(?:全[省市国]第)?$", quote[:p]) for p in positions) else None


def _coverage_fits(row: str, section: str) -> bool:
    """A figure has its section's coverage, or, inside a full-year review, a period of years ending in it (年均, 累计)."""
    return row == section or (section == "full_year" and row in PERIOD_COVERAGES)


_YEAR_BEFORE_VALUE = re.compile(r"(\d{4})年(?:的|底|末|末的|达到|为)?$")


def year_printed_before(quote: str, value_text: str, measure: str) -> int | None:
    """The year a quote prints right before the value ('提高到2020年的25.03亿元' -> 2020), or None.

    Such a year governs the figure, whatever its section says: a sentence may compare two
    years ('从2015年的15.99亿元提高到2020年的25.03亿元').
    """
    positions = value_positions(quote, value_text, measure) if _printed_in(quote, value_text, measure) else []
    for position in positions:
        match = _YEAR_BEFORE_VALUE.search(quote[:position])
        if match and 1949 <= int(match.group(1)) <= 2100:
            return int(match.group(1))
    return None


def duplicate_figures(figures: pd.DataFrame, folder: Path) -> list[Problem]:
    """The same figure from one source in two files (a restatement comes from another source)."""
    problems = []
    key = ["indicator_id", "year", "kind", "source"]
    dupes = figures[figures.duplicated(key, keep=False)]
    for (iid, year, kind, source), group in dupes.groupby(key):
        if group["file"].nunique() > 1:  # duplicates within one file are reported by the schema
            where = ", ".join(f"{f} line {n}" for f, n in zip(group["file"], group["line"]))
            problems.append(Problem(folder, None, "indicator_id", f"duplicate figure {iid} {year} {kind} from {source} in {where}"))
    return problems


def exclusions_against_sources(exclusions: pd.DataFrame, sources: dict[str, Source], path: Path) -> list[Problem]:
    """Each exclusion's quote occurs once in its source and contains the excluded text."""
    problems = []
    for line, row in exclusions.iterrows():
        if row.source not in sources or row.quote is None or row.text is None:
            continue  # reported by the schema, or by sources.yaml
        count = sources[row.source].text.count(row.quote)
        if count != 1:
            problems.append(Problem(path, int(line), "quote", f"occurs {count} times in the source; it must occur exactly once"))
        if row.text not in row.quote:
            problems.append(Problem(path, int(line), "text", f"{row.text!r} is not part of the quote"))
    return problems


def growth_of_names_a_level(catalogue: pd.DataFrame, path: Path) -> list[Problem]:
    """`growth_of` is set only on growth indicators, and names a level indicator."""
    problems = []
    measures = catalogue.drop_duplicates("indicator_id").set_index("indicator_id")["measure"]
    for line, row in catalogue.iterrows():
        if pd.isna(row.growth_of):
            continue
        if row.measure != "growth":
            problems.append(Problem(path, int(line), "growth_of", "only a growth indicator can name the level it is the growth of"))
        elif measures.get(row.growth_of) != "level":
            problems.append(Problem(path, int(line), "growth_of", f"{row.growth_of!r} is not a level indicator of the catalogue"))
    return problems


def links_against_figures(links: pd.DataFrame, catalogue: pd.DataFrame, figures: pd.DataFrame, path: Path) -> list[Problem]:
    """Each link names existing figures; a comparable pair has comparable units and measures."""
    problems = []
    known = catalogue.drop_duplicates("indicator_id").set_index("indicator_id")
    present = set(zip(figures["indicator_id"], figures["year"], figures["kind"]))
    for line, row in links.iterrows():
        def problem(field: str, message: str) -> None:
            problems.append(Problem(path, int(line), field, message))

        if (row.target_indicator, row.target_year, "target") not in present:
            problem("target_indicator", f"no target figure {row.target_indicator} for {row.target_year}")
            continue
        if not any((row.base_indicator, row.base_year, k) in present for k in ("actual", "target")):
            problem("base_indicator", f"no figure {row.base_indicator} for {row.base_year}")
            continue
        if row.comparable == "yes" and {row.target_indicator, row.base_indicator} <= set(known.index):
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
