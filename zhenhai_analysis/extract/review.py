"""Write the review: the proposed figures, exclusions, links and source entry, in the curated formats.

figures.csv holds every candidate with a `keep` column, the catalogue indicator whose
wording matches (or `new_…` to name), and every catalogue column an analyst fills in
for a new indicator (REVIEW_CATALOGUE_COLUMNS). Nothing is written into data/.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from pathlib import Path

import pandas as pd
import yaml

from ..foundations.labels import label
from ..validation.schemas import columns
from ..foundations.vocab import ESTIMATE_WORD, LANGS
from .matching import figure_wording, match_catalogue, quote_wording
from .numbers import Extraction

FIGURE_COLUMNS, CATALOGUE_COLUMNS = columns("figures/<source>.csv"), columns("catalogue.csv")
EXCLUSION_COLUMNS, LINK_COLUMNS = columns("exclusions.csv"), columns("links.csv")
# The catalogue's columns that a new indicator fills in the review (indicator_id and unit are figure columns).
REVIEW_CATALOGUE_COLUMNS = [c for c in CATALOGUE_COLUMNS if c not in FIGURE_COLUMNS]
REVIEW_COLUMNS = ["keep", *FIGURE_COLUMNS, *REVIEW_CATALOGUE_COLUMNS, "restatement", "match", "note"]


def review_tables(result: Extraction, catalogue: pd.DataFrame, figures: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The proposed figures, exclusions and links, in the curated formats plus review columns."""
    labels: dict[str, list[str]] = {}
    for row in figures.itertuples():
        labels.setdefault(row.indicator_id, []).append(figure_wording(row.quote, row.value_text, row.measure))
    matches = [match_catalogue(c, catalogue, labels) for c in result.candidates]
    # One figure per indicator, year and kind: where several candidates match one indicator,
    # the best-matching wording has it and the others are new.
    best: dict[tuple, int] = {}
    for number, (c, (indicator, score, _)) in enumerate(zip(result.candidates, matches)):
        key = (indicator, c.year, c.kind, c.coverage)
        if indicator is not None and (key not in best or score > matches[best[key]][1]):
            best[key] = number
    rows = []
    for number, (c, (indicator, score, why)) in enumerate(zip(result.candidates, matches), start=1):
        key = (indicator, c.year, c.kind, c.coverage)
        if indicator is None or best[key] != number - 1:
            wording = c.wording or quote_wording(c.quote, c.value_text) or c.quote
            reason = why if why.startswith("ambiguous") else "no indicator of the catalogue matches"
            if indicator is not None:
                reason = f"{indicator} fits another figure of {c.year} in this document better"
            indicator, match, name_zh = f"new_{number:03d}", f"new ({reason}): name it and fill the catalogue columns", wording
        else:
            match, name_zh = f"{why} ({score} characters in common)", ""
        known = catalogue.set_index("indicator_id")
        meta = known.loc[indicator] if indicator in known.index else None
        rows.append({
            "keep": "yes", "indicator_id": indicator, "year": c.year, "kind": c.kind,
            "value": c.value_text, "unit": c.unit, "comparator": c.comparator, "value_high": c.value_high_text,
            "coverage": c.coverage, "quote": c.quote, "source": result.source_id,
            "status": "estimated" if ESTIMATE_WORD in c.quote else "printed",
            "period_start": c.period[0] if c.period else "", "period_end": c.period[1] if c.period else "",
            **_catalogue_fields(meta, name_zh, c.measure_hint),
            "restatement": "", "match": match, "note": c.note,
        })
    proposed = pd.DataFrame(rows, columns=REVIEW_COLUMNS)
    exclusions = pd.DataFrame(
        [(result.source_id, r.text, r.quote, *(label(r.reason, lang, **r.values) for lang in LANGS))
         for r in result.rejected],
        columns=EXCLUSION_COLUMNS,
    ).drop_duplicates(["text", "quote"])
    # A baseline is a full-year actual of the year before, in the data or in this document.
    full = [r for r in rows if r["coverage"] == "full_year"]
    known = figures[figures["coverage"] == "full_year"]
    actuals = set(zip(known.indicator_id, known.year, known.kind)) | {(r["indicator_id"], r["year"], r["kind"]) for r in full}
    links = [
        {"target_indicator": r["indicator_id"], "target_year": r["year"], "base_indicator": r["indicator_id"],
         "base_year": r["year"] - 1, "comparable": "yes",
         **{f"reason_{lang}": label("extract.same_indicator", lang) for lang in LANGS}}
        for r in full if r["kind"] == "target" and (r["indicator_id"], r["year"] - 1, "actual") in actuals
    ]
    return {"figures": proposed, "exclusions": exclusions, "links": pd.DataFrame(links, columns=LINK_COLUMNS)}


def _catalogue_fields(meta, name_zh: str, measure_hint: str) -> dict:
    """The catalogue columns of a review row: the indicator's own where it is known, else left to fill in."""
    if meta is not None:
        return {c: ("" if pd.isna(meta[c]) else meta[c]) for c in REVIEW_CATALOGUE_COLUMNS}
    return {**{c: "" for c in REVIEW_CATALOGUE_COLUMNS}, "name_zh": name_zh,
            "measure": "rank" if measure_hint == "rank" else "", "direction": "lower" if measure_hint == "rank" else ""}


def section_entry(part) -> dict:
    """A part of the document as a section of sources.yaml (with its period, for a multi-year review)."""
    entry = {"starts_at": part.starts_at, "year": part.year, "kind": part.kind, "coverage": part.coverage}
    if part.period:
        entry.update(period_start=part.period[0], period_end=part.period[1])
    return entry


def source_entry(path: Path, result: Extraction, url: str, published: str, title_zh: str, title_en: str,
                 place=None) -> dict:
    """The sources.yaml entry for the new document, with its checksum, sections and place.

    `read_from` (where the text was read, for accept to copy it into the data's raw/)
    is for the review only: accept leaves it out of sources.yaml.
    """
    return {
        "id": result.source_id,
        "file": f"raw/{path.name}",
        "title_zh": title_zh,
        "title_en": title_en,
        "url": url,
        "published": dt.date.fromisoformat(published),
        "report_year": result.report_year,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "sections": [section_entry(p) for p in result.parts],
        **({"place": place.id, "place_zh": place.full_zh} if place is not None else {}),
        "read_from": str(path.resolve()),
    }


def write_review(folder: Path, tables: dict[str, pd.DataFrame], entry: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        table.to_csv(folder / f"{name}.csv", index=False, encoding="utf-8", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    (folder / "source.yaml").write_text(yaml.safe_dump(entry, allow_unicode=True, sort_keys=False), encoding="utf-8")

