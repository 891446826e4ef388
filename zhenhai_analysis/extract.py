"""Extraction assistant: propose the figures of a new report for an analyst to review.

    python -m zhenhai_analysis.extract data/raw/<report>.txt --url URL --published YYYY-MM-DD
    python -m zhenhai_analysis.extract --accept review/<source_id>

The first command reads a report and writes, under review/<source_id>/, files in the
curated formats of data/: figures.csv (the proposed figures, with a `keep` column and
the catalogue indicator whose wording matches, or a new one to name), exclusions.csv
(the numbers judged not to be figures, with the reason), links.csv (proposed baselines
for targets) and source.yaml (the source's metadata and sections). It never writes into
data/. After review, --accept checks the reviewed files together with the curated data
and adds them to data/ all at once, or changes nothing and lists the problems.

It reads full- and half-width punctuation (，（）％ and ,()%), Chinese numerals (两,
十二, 第二), 亿/万 units and percentage points (百分点); the year and kind of a figure
follow the part of the report it stands in: the review of last year gives actuals of
the previous year (a paragraph starting 今年 in it gives this year's, partial), the
rest gives targets of the report year.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from difflib import SequenceMatcher
from typing import NamedTuple

import pandas as pd
import yaml

from .labels import label
from .load import load_indicators
from .paths import PROJECT, data_dir
from .quotes import CN_NUMBER, NUMBER, chinese_to_int
from .rules import year_printed_before
from .schemas import columns
from .sources import section_at
from .units import UNITS
from .vocab import COMPARATORS, DECREASE_WORD, ESTIMATE_WORD, LANGS, RANGE_WORD, read_comparator

FIGURE_COLUMNS, CATALOGUE_COLUMNS = columns("figures/<source>.csv"), columns("catalogue.csv")
EXCLUSION_COLUMNS, LINK_COLUMNS = columns("exclusions.csv"), columns("links.csv")

REVIEW_DIR = PROJECT / "review"

# Units as printed, longest first so that 亿美元 wins over 亿元 and 个工作日 over 个.
_UNITS = sorted(list(UNITS) + ["％"], key=len, reverse=True)
_CLAUSE_END = "，,；;。：:\n"
_FIXED_TERMS = ("八项规定",)  # set phrases with a numeral that count nothing
_HEADING = re.compile(r"^([一二三四五六七八九十]+)、(.+)$", re.M)
_LEAD_VERBS = re.compile(
    r"^(实现|完成|新增|新|推动|引导|实施|建成|开展|计划|确保|力争|培育|引进|带动|打造|创建|发布|出清|淘汰|更新|"
    r"优化|处置|安排|兑现|减免|落户|全面|全年|积极|加快|统筹推进|推进|其中|获得|同比|首次|超额)+"
)
# Bound wordings after a value (以上, 以内, 左右) and a range's upper end (至6): not part of a name.
_BOUND_WORDS = "^(" + "|".join([w for c in COMPARATORS for w in c.after] + [RANGE_WORD + r"\S*"]) + ")"
REVIEW_EXTRA = ["keep", "name_zh", "name_en", "theme", "measure", "direction", "restatement", "match", "note"]


@dataclass
class Part:
    start: int
    year: int
    kind: str
    coverage: str
    starts_at: str


# How a document says what its parts hold. A heading's own year wins over the document's.
REVIEW_WORDS = ("回顾", "基本情况", "执行情况", "完成情况", "基础形势", "发展基础")
PLAN_WORDS = ("目标", "任务", "计划草案", "安排", "工作要求", "工作思路")
_NUMBERED_HEADING = re.compile(r"^[一二三四五六七八九十]+、[^\n]+$", re.M)
_YEAR_HEADING = re.compile(r"^[ \t]*\d{4}年[^\n,，。]{0,12}(?:回顾|基本情况|完成情况|执行情况)[ \t]*$", re.M)
_YEAR = re.compile(r"(\d{4})年")


class UnreadableDocument(ValueError):
    """The assistant cannot tell which year or kind the figures of a document are; it asks."""


@dataclass(frozen=True)
class Reading:
    """What a document is, from its title, publication date and text: the years its parts concern."""

    what: str  # "work report", "plan execution", "statistical bulletin", "document"
    review_year: int  # the year whose actuals it reports
    plan_year: int  # the year whose targets it sets
    this_year: int  # the year 今年 means in it (its publication year)
    why: str


def _first_year(text: str) -> int | None:
    match = _YEAR.search(text or "")
    return int(match.group(1)) if match else None


def read_document(text: str, title: str = "", published: dt.date | None = None,
                  report_year: int | None = None) -> Reading:
    """Which years a document concerns, from what it says: its title, then its publication date.

    A work report (政府工作报告) of year Y reviews Y-1 and sets Y's targets; a plan-execution
    report (YYYY年…计划执行情况) reviews its year YYYY and plans the next; a statistical
    bulletin (统计公报) reports its year. Without such a title, a document published in
    year P is read as reviewing P-1. `report_year` (the --year option) overrides all this.
    Raises UnreadableDocument, with the question to answer, when nothing tells.
    """
    title = title or next((line.strip() for line in text.splitlines() if line.strip()), "")
    year = _first_year(title)
    this_year = published.year if published else (report_year or year or 0)
    if report_year is not None:
        return Reading("document", report_year - 1, report_year, this_year or report_year,
                       f"report year {report_year} (--year)")
    if "统计公报" in title and year:
        return Reading("statistical bulletin", year, year + 1, this_year, f"a statistical bulletin of {year} (title)")
    if "执行情况" in title and year:
        return Reading("plan execution", year, year + 1, this_year, f"reviews {year}, plans {year + 1} (title)")
    if "政府工作报告" in title and (year or published):
        own = year or published.year
        return Reading("work report", own - 1, own, this_year,
                       f"a work report of {own} (" + ("title" if year else "publication date") + f"): reviews {own - 1}")
    if published:
        return Reading("document", published.year - 1, published.year, published.year,
                       f"published {published.isoformat()}: read as reviewing {published.year - 1}")
    raise UnreadableDocument(
        "cannot tell which year this document reviews: neither its title nor its text says, and no publication "
        "date was given. Give --published YYYY-MM-DD and --title-zh as published, or --year REPORT_YEAR.")


def _heading_kind(line: str) -> str | None:
    if any(word in line for word in REVIEW_WORDS):
        return "actual"
    if any(word in line for word in PLAN_WORDS):
        return "target"
    return None


def find_parts(text: str, report_year: int | None = None, title: str = "",
               published: dt.date | None = None) -> tuple[int, list[Part], Reading]:
    """The parts of a document and the year and kind of their figures, with the reading behind them.

    Parts start at numbered headings (一、…) and at year headings (2013年工作回顾). A
    heading of a review (回顾, 基本情况, 执行情况, 完成情况) gives actuals of its own year,
    else of the year the document reviews; a heading of targets (目标, 任务, 计划草案 …)
    gives targets of its own year, else of the planned year; any other heading continues
    the part before it (a bulletin's chapters are all actuals). Inside a review, a paragraph
    starting 今年 opens the publication year's partial actuals. A text without headings is
    one part: actuals of the year it reviews.
    """
    reading = read_document(text, title, published, report_year)
    headings = sorted({m.start(): m for m in [*_NUMBERED_HEADING.finditer(text), *_YEAR_HEADING.finditer(text)]}.items())
    parts: list[Part] = []
    default_kind = "actual"
    for number, (start, heading) in enumerate(headings):
        line = heading.group(0).strip()
        kind = _heading_kind(line)
        own = _first_year(line)
        if kind is None and parts:
            continue  # a chapter heading: the part before it goes on
        kind = kind or default_kind
        year = own or (reading.review_year if kind == "actual" else reading.plan_year)
        parts.append(Part(start, year, kind, "full_year", line))
        if kind == "actual":
            end = headings[number + 1][0] if number + 1 < len(headings) else len(text)
            this_year = re.search(r"^今年[,，][^\n]{0,12}", text[start:end], re.M)
            if this_year and reading.this_year > year:
                parts.append(Part(start + this_year.start(), reading.this_year, "actual", "year_to_date", this_year.group(0)))
    if not parts:
        first = next(line for line in text.splitlines() if line.strip())
        parts.append(Part(text.index(first), reading.review_year, "actual", "full_year", first))
    # Consecutive parts with the same year and kind are one section.
    merged = [p for i, p in enumerate(parts) if i == 0 or (p.year, p.kind, p.coverage) != (parts[i - 1].year, parts[i - 1].kind, parts[i - 1].coverage)]
    return reading.plan_year, merged, reading


@dataclass
class Candidate:
    position: int  # of the printed value in the text
    value_text: str
    unit: str
    comparator: str
    value_high_text: str
    quote: str
    part: Part
    measure_hint: str = ""  # "rank" for 第二
    note: str = ""
    year: int | None = None  # the figure's year: its part's, or one printed right before the value
    wording: str = ""  # the figure's subject in the text (subject_wording)
    growth: bool = False

    def __post_init__(self):
        if self.year is None and self.part is not None:
            self.year = self.part.year


class Rejection(NamedTuple):
    """A number judged not to be a figure; `reason` is a label key of data/labels.csv."""

    position: int
    text: str
    quote: str
    reason: str
    values: dict


@dataclass
class Extraction:
    source_id: str
    report_year: int
    parts: list[Part]
    candidates: list[Candidate] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    reading: Reading | None = None


def _clause(text: str, start: int, end: int) -> str:
    """The clause around text[start:end], extended until it occurs once in the text."""
    left = start
    while left > 0 and text[left - 1] not in _CLAUSE_END:
        left -= 1
    right = end
    while right < len(text) and text[right] not in _CLAUSE_END:
        right += 1
    quote = text[left:right]
    while text.count(quote) > 1 and left > 0:
        left -= 1
        while left > 0 and text[left - 1] not in _CLAUSE_END:
            left -= 1
        quote = text[left:right]
    return quote.strip()


def _unit_at(text: str, position: int) -> str:
    for unit in _UNITS:
        if text.startswith(unit, position):
            return "%" if unit == "％" else unit
    if text.startswith("个百分点", position) or text.startswith("百分点", position):
        return "个百分点"
    return ""


def _in_quotation(text: str, position: int) -> str | None:
    """The “quoted” segment around position, if the number stands in quotation marks."""
    opening = text.rfind("“", 0, position)
    if opening < 0 or text.rfind("”", opening, position) >= 0:
        return None
    closing = text.find("”", position)
    return text[opening + 1 : closing] if closing > 0 else None


def _comparator(text: str, start: int, after_unit: int) -> tuple[str, str]:
    """The comparator of the figure printed at `start` (vocab.read_comparator), and a note."""
    before = text[max(0, start - 4) : start]
    comparator = read_comparator(before, text[after_unit : after_unit + 3])
    if comparator == "=" and before.endswith(DECREASE_WORD):
        return "=", "a decrease (下降): the value is the size of the fall"
    return comparator, ""


def _judge_number(text: str, match: re.Match) -> tuple[str, str, dict] | Candidate:
    """A candidate figure, or (text, reason key, values) for a number that is not a figure."""
    start, end, number = match.start(), match.end(), match.group()
    before, after = text[start - 1 : start], text[end : end + 4]
    if re.match(r"[A-Za-z]", before) or re.match(r"[A-Za-z]", after):
        return number, "exclusion.letters", {}
    if before == "第" and re.fullmatch(r"\d{1,3}", number) and not re.match(r"[一二三四五六七八九十]|届|次|批|季度", after):
        return Candidate(start, number, "位次", "=", "", _clause(text, start - 1, end), None, measure_hint="rank",
                         note="a rank printed in digits")
    if after.startswith("年") and 1900 <= float(number) <= 2100:
        return number, "exclusion.calendar_year", {}
    if after.startswith("+") or before == "+":
        return number, "exclusion.plus_name", {}
    if after.startswith("号线"):
        return number + "号线", "exclusion.metro_line", {}
    if after.startswith("岁"):
        return number + "岁", "exclusion.age", {}
    if after.startswith("条意见"):
        return number, "exclusion.articles", {}
    range_end = re.match(RANGE_WORD + NUMBER.pattern, text[end:])
    if range_end:
        high_unit = _unit_at(text, end + range_end.end())
        return Candidate(start, number, high_unit, "range", range_end.group()[len(RANGE_WORD):],
                         _clause(text, start, end + range_end.end() + len(high_unit)), None)
    unit = _unit_at(text, end)
    quoted = _in_quotation(text, start)
    if quoted is not None and not unit:
        return number, "exclusion.quoted_name", {}
    if not unit:
        return number, "exclusion.no_unit", {"after": text[end : end + 6]}
    after_unit = end + len(unit)
    comparator, note = _comparator(text, start, after_unit)
    return Candidate(start, number, unit, comparator, "", _clause(text, start, after_unit), None, note=note)


def extract(text: str, source_id: str, report_year: int | None = None, title: str = "",
            published: dt.date | None = None) -> Extraction:
    """Every number of `text`, as a candidate figure or a rejected number with a reason.

    The year and kind of each figure follow the part it stands in (find_parts), except
    where the text prints the year right before the value (提高到2020年的25.03亿元).
    """
    year, parts, reading = find_parts(text, report_year, title, published)
    result = Extraction(source_id, year, parts, reading=reading)
    covered: set[int] = set()
    for match in NUMBER.finditer(text):
        if match.start() in covered:
            continue
        judged = _judge_number(text, match)
        if isinstance(judged, Candidate):
            judged.part = section_at(parts, judged.position)
            if judged.part is not None:
                judged.year = year_printed_before(judged.quote, judged.value_text, "level") or judged.part.year
                after = judged.position + len(judged.value_text) + len(judged.unit)
                judged.wording, judged.growth = subject_wording(text[max(0, judged.position - 60) : judged.position],
                                                                text[after : after + 30])
            if judged.part is None:
                result.rejected.append(Rejection(match.start(), match.group(), _clause(text, match.start(), match.end()),
                                                 "exclusion.before_first_part", {}))
                continue
            result.candidates.append(judged)
            if judged.comparator == "range":
                covered.add(text.index(judged.value_high_text, match.end()))
        else:
            shown, reason, values = judged
            quote = _clause(text, match.start(), match.end())
            if shown not in quote:
                shown = match.group()
            result.rejected.append(Rejection(match.start(), shown, quote, reason, values))
    # Ranks (居全市第二, 均列全市第一) and counts in Chinese numerals (两家, 十二个).
    for match in re.finditer(r"(?<=全市|全省|全国|排名|位居|位列)第([一二三四五六七八九十]+)", text):
        part = section_at(parts, match.start())
        if part is not None:
            result.candidates.append(Candidate(match.start(), str(chinese_to_int(match.group(1))), "位次", "=", "",
                                               _clause(text, match.start(), match.end()), part, measure_hint="rank"))
    for match in CN_NUMBER.finditer(text):
        unit = _unit_at(text, match.end())
        part = section_at(parts, match.start())
        if (not unit or unit == "%" or part is None or _in_quotation(text, match.start()) is not None
                or text[match.start() - 1 : match.start()] == "第"
                or any(text.startswith(term, match.start()) for term in _FIXED_TERMS)):
            continue
        result.candidates.append(Candidate(match.start(), str(chinese_to_int(match.group())), unit, "=", "",
                                           _clause(text, match.start(), match.end() + len(unit)), part,
                                           note=f"written in Chinese numerals: {match.group()}"))
    result.candidates.sort(key=lambda c: c.position)
    return result


# ---- matching candidates to the catalogue ----------------------------------------------

def _label(quote: str, value_text: str) -> str:
    """The words around the number in a quote, without leading verbs: the figure's name.

    实现规上工业总产值2507亿元 -> 规上工业总产值; 完成10个数字化车间 -> 数字化车间.
    """
    head, _, tail = quote.partition(value_text) if value_text in quote else (quote, "", "")
    head = _LEAD_VERBS.sub("", re.split(r"[、,，]", head)[-1])
    unit = next((u for u in _UNITS if tail.startswith(u)), "")
    tail = re.split(r"[、,，]", tail[len(unit):])[0]
    tail = re.sub(_BOUND_WORDS, "", tail)
    return (head + tail).strip("“”\"'() ")


def _similarity(a: str, b: str) -> tuple[int, float]:
    """(characters in common, in order; how alike the two are overall): 旅游业总收入 ~ 旅游总收入 = (5, 0.91).

    An identical wording scores above any other.
    """
    if a == b:
        return (100 + len(a), 1.0)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return (sum(block.size for block in matcher.get_matching_blocks()), round(matcher.ratio(), 6))


_GROWTH_TAIL = re.compile(r"(?:同比|比上年)?(?:增长|增速|下降)(?:为|均为|达)?$")
_CLAUSE_BREAK = re.compile(r"[,，;；。:：、\n]|——")


def _clean(words: str) -> str:
    return _LEAD_VERBS.sub("", words.replace(ESTIMATE_WORD, "")).strip("“”\"'() ")


def subject_wording(before: str, after: str = "") -> tuple[str, bool]:
    """The name of the figure whose value follows `before`, and whether it is a growth rate.

    地区生产总值增长 -> (地区生产总值增速, True); a bare 同比增长 takes the subject of the
    number before it: 地区生产总值908.7亿元,同比增长 -> (地区生产总值增速, True);
    实现规上工业总产值 -> (规上工业总产值, False). A count printed before its noun takes the
    words after its unit (`after`): 完成|10个|数字化车间 -> (数字化车间, False). Parallel
    subjects read in order: 城镇、农村居民人均可支配收入分别达到59482元、|32743元 -> 农村居民….
    """
    own = _CLAUSE_BREAK.split(before)[-1]
    tail = _GROWTH_TAIL.search(own.replace(ESTIMATE_WORD, ""))
    name = _clean(_GROWTH_TAIL.sub("", own.replace(ESTIMATE_WORD, "")))
    sentence = re.split(r"[,，;；。\n]", before)[-1]
    if "分别" in sentence:
        head, _, values = sentence.partition("分别")
        items = [_clean(item) for item in head.split("、")]
        # 城镇、农村居民… : a short first item shares the rest of the last one's words.
        items = [item + items[-1][len(item):] if len(item) <= 3 < len(items[-1]) else item for item in items]
        if values.count("、") < len(items):
            name = items[values.count("、")]
    if tail and len(name) < 2:
        numbers = list(NUMBER.finditer(before))
        if numbers:
            name = subject_wording(before[: numbers[-1].start()])[0]
    if not tail:
        if len(name) < 2:
            name = _clean(re.sub(_BOUND_WORDS, "", _CLAUSE_BREAK.split(after)[0]))
        return name, False
    return name + ("降幅" if DECREASE_WORD in tail.group() else "增速"), True


def _figure_wording(quote: str, value_text: str, measure: str) -> str:
    """The wording of a curated figure, from its quote (as subject_wording reads a candidate)."""
    at = quote.find(value_text) if measure != "rank" else -1
    return subject_wording(quote[:at])[0] if at > 0 else _label(quote, value_text)


def match_catalogue(candidate: Candidate, catalogue: pd.DataFrame, known_labels: dict[str, list[str]]) -> tuple[str | None, int, str]:
    """The catalogue indicator whose wording best matches the candidate's subject: (id, score, why).

    Growth rates match only growth indicators, and other percentages only the others. A tie
    between indicators is not broken by their order: the candidate stays new, and `why`
    names the indicators it could be.
    """
    if candidate.measure_hint == "rank" or not candidate.wording:
        wording, growth = _label(candidate.quote, candidate.value_text if candidate.measure_hint != "rank" else "第"), None
    else:
        wording, growth = candidate.wording, candidate.growth
    if len(wording) < 2:
        return None, 0, ""
    scores: dict[str, tuple[tuple[int, float], str]] = {}
    for row in catalogue.itertuples():
        if row.unit != candidate.unit or (growth is not None and candidate.unit == "%" and (row.measure == "growth") != growth):
            continue
        for number, text in enumerate([row.name_zh, *known_labels.get(row.indicator_id, [])]):
            score = _similarity(wording, text)
            if number == 0 and text == wording:  # the catalogue's own name, word for word, wins over any label
                score = (score[0] + 100, score[1])
            if score > scores.get(row.indicator_id, ((0, 0.0), ""))[0]:
                scores[row.indicator_id] = (score, text)
    if not scores:
        return None, 0, ""
    best = max(score for score, _ in scores.values())
    leaders = sorted(iid for iid, (score, _) in scores.items() if score == best)
    if best[0] < min(4, len(wording)):
        return None, best[0], ""
    if len(leaders) > 1:
        return None, best[0], f"ambiguous: '{wording}' matches {', '.join(leaders)} equally; choose one"
    iid = leaders[0]
    return iid, best[0], f"catalogue: '{wording}' ~ '{scores[iid][1]}'"


# ---- the review files ------------------------------------------------------------------

def review_tables(result: Extraction, catalogue: pd.DataFrame, figures: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The proposed figures, exclusions and links, in the curated formats plus review columns."""
    labels: dict[str, list[str]] = {}
    for row in figures.itertuples():
        labels.setdefault(row.indicator_id, []).append(_figure_wording(row.quote, row.value_text, row.measure))
    matches = [match_catalogue(c, catalogue, labels) for c in result.candidates]
    # One figure per indicator, year and kind: where several candidates match one indicator,
    # the best-matching wording has it and the others are new.
    best: dict[tuple, int] = {}
    for number, (c, (indicator, score, _)) in enumerate(zip(result.candidates, matches)):
        key = (indicator, c.year, c.part.kind)
        if indicator is not None and (key not in best or score > matches[best[key]][1]):
            best[key] = number
    rows = []
    for number, (c, (indicator, score, why)) in enumerate(zip(result.candidates, matches), start=1):
        key = (indicator, c.year, c.part.kind)
        if indicator is None or best[key] != number - 1:
            wording = c.wording or _label(c.quote, c.value_text) or c.quote
            reason = why if why.startswith("ambiguous") else "no indicator of the catalogue matches"
            if indicator is not None:
                reason = f"{indicator} fits another figure of {c.year} in this document better"
            indicator, match, name_zh = f"new_{number:03d}", f"new ({reason}): name it and fill the catalogue columns", wording
        else:
            match, name_zh = f"{why} ({score} characters in common)", ""
        known = catalogue.set_index("indicator_id")
        meta = known.loc[indicator] if indicator in known.index else None
        rows.append({
            "keep": "yes", "indicator_id": indicator, "year": c.year, "kind": c.part.kind,
            "value": c.value_text, "unit": c.unit, "comparator": c.comparator, "value_high": c.value_high_text,
            "coverage": c.part.coverage, "quote": c.quote, "source": result.source_id,
            "status": "estimated" if ESTIMATE_WORD in c.quote else "printed",
            "name_zh": name_zh, "name_en": "", "theme": "" if meta is None else meta.theme,
            "measure": ("rank" if c.measure_hint == "rank" else "") if meta is None else meta.measure,
            "direction": ("lower" if c.measure_hint == "rank" else "") if meta is None else meta.direction,
            "restatement": "", "match": match, "note": c.note,
        })
    proposed = pd.DataFrame(rows, columns=["keep", *FIGURE_COLUMNS, *REVIEW_EXTRA[1:]])
    exclusions = pd.DataFrame(
        [(result.source_id, r.text, r.quote, *(label(r.reason, lang, **r.values) for lang in LANGS))
         for r in result.rejected],
        columns=EXCLUSION_COLUMNS,
    ).drop_duplicates(["text", "quote"])
    previous_actuals = set(zip(figures.indicator_id, figures.year, figures.kind))
    links = [
        {"target_indicator": r["indicator_id"], "target_year": r["year"], "base_indicator": r["indicator_id"],
         "base_year": r["year"] - 1, "comparable": "yes",
         **{f"reason_{lang}": label("extract.same_indicator", lang) for lang in LANGS}}
        for r in rows if r["kind"] == "target"
        and ((r["indicator_id"], r["year"] - 1, "actual") in previous_actuals
             or any(o["indicator_id"] == r["indicator_id"] and o["year"] == r["year"] - 1 and o["kind"] == "actual" for o in rows))
    ]
    return {"figures": proposed, "exclusions": exclusions, "links": pd.DataFrame(links, columns=LINK_COLUMNS)}


def source_entry(path: Path, result: Extraction, url: str, published: str, title_zh: str, title_en: str) -> dict:
    """The sources.yaml entry for the new document, with its checksum and sections."""
    return {
        "id": result.source_id,
        "file": f"raw/{path.name}",
        "title_zh": title_zh,
        "title_en": title_en,
        "url": url,
        "published": dt.date.fromisoformat(published),
        "report_year": result.report_year,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "sections": [{"starts_at": p.starts_at, "year": p.year, "kind": p.kind, "coverage": p.coverage} for p in result.parts],
    }


def write_review(folder: Path, tables: dict[str, pd.DataFrame], entry: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        table.to_csv(folder / f"{name}.csv", index=False, encoding="utf-8", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    (folder / "source.yaml").write_text(yaml.safe_dump(entry, allow_unicode=True, sort_keys=False), encoding="utf-8")


# ---- accepting a review ----------------------------------------------------------------

def _append_rows(path: Path, rows: pd.DataFrame, columns: list[str]) -> None:
    """Append rows to a curated CSV file as text, leaving its existing lines untouched."""
    if rows.empty:
        return
    text = path.read_text(encoding="utf-8")
    with path.open("a", encoding="utf-8", newline="") as handle:
        if text and not text.endswith("\n"):
            handle.write("\n")
        csv.writer(handle, lineterminator="\n").writerows(rows[columns].itertuples(index=False))


@dataclass
class Acceptance:
    """What accepting a review did or would do: problems (nothing changed) or the changes made."""

    problems: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # existing figures a restatement or an actual supersedes


def _appended_lines(path: Path) -> int:
    """The last line number of a CSV file as it is now (header = 1), before rows are appended."""
    return len(path.read_text(encoding="utf-8").splitlines())


def _changed_values(keep: pd.DataFrame, existing: pd.DataFrame, review: Path) -> tuple[list[str], list[str]]:
    """Figures of the review that would change a value already in the data: refused, or listed.

    A later source may restate a figure (a revised number: mark the row restatement=yes)
    or give the actual of an estimate (预计, status estimated): both are kept and the
    later one is used. Any other change of value is refused: usually a wrong indicator id.
    """
    problems, changes = [], []
    before = existing.set_index(["indicator_id", "year", "kind"]).sort_index()
    for line, row in keep.iterrows():
        key = (row.indicator_id, int(row.year), row.kind)
        if key not in before.index:
            continue
        for old in before.loc[[key]].itertuples():
            if float(old.value) == float(row.value):
                continue
            what = (f"{row.indicator_id} {row.year} {row.kind}: {old.value_text} ({old.source}: {old.quote!r}) -> "
                    f"{row.value} ({row.quote!r})")
            if str(row.get("restatement", "")).strip().lower() == "yes" or old.status == "estimated":
                changes.append(what + (" supersedes an estimate" if old.status == "estimated" else " restates it"))
            else:
                problems.append(f"{review}, line {line}, field 'indicator_id': would change {what}. If the later "
                                "document revises the figure, set restatement to yes; otherwise correct the indicator id")
    return problems, changes


PENDING = ".accept-pending"  # under data/: the files of an accept being switched in, and its journal


def _switch(staging: Path, data: Path, names: list[str]) -> None:
    """Put the validated files into `data` as one step that an interruption cannot leave half done.

    The new files are first copied beside the data (same file system); then a journal is
    written (the point of no return); then each file is renamed into place. If anything
    stops it after the journal, the next accept (or finish_pending_accept) completes the
    renames; before the journal, nothing in data/ has changed.
    """
    pending = data / PENDING
    shutil.rmtree(pending, ignore_errors=True)  # a staging that never reached its journal
    pending.mkdir()
    moves = []
    for number, name in enumerate(names):
        shutil.copyfile(staging / name, pending / f"{number}.new")
        moves.append([f"{number}.new", name])
    journal = pending / "journal.json"
    journal.with_suffix(".tmp").write_text(json.dumps(moves), encoding="utf-8")
    os.replace(journal.with_suffix(".tmp"), journal)
    finish_pending_accept(data)


def finish_pending_accept(data: Path) -> bool:
    """Complete an accept that was stopped after its journal; drop one stopped before. True if one was found."""
    pending = data / PENDING
    if not pending.exists():
        return False
    journal = pending / "journal.json"
    if journal.exists():
        for staged, name in json.loads(journal.read_text(encoding="utf-8")):
            if (pending / staged).exists():
                os.replace(pending / staged, data / name)
    shutil.rmtree(pending)
    return True


_SOURCE_ENTRY = "a mapping with the source's id, file, url, dates and sections"


def _read_yaml(path: Path, kind: type, what: str):
    """A YAML file of the review or the data, or a DataValidationError naming the file and line."""
    from .validate import DataValidationError, Problem, read_utf8

    text = read_utf8(path)
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        raise DataValidationError([Problem(path, mark.line + 1 if mark else None, None,
                                           f"is not well-formed YAML: {reason}")]) from None
    if not isinstance(value, kind):
        raise DataValidationError([Problem(path, None, None, f"must be {what}")])
    return value


def accept(folder: Path, data: Path) -> Acceptance:
    """Add a reviewed extraction to the data folder, all at once, if the result validates.

    Rows with keep = no are dropped; new indicators (not in the catalogue) get catalogue
    rows from the review columns. A row that would change an existing figure's value is
    refused unless it is a restatement (restatement = yes) or the actual of an estimate.
    The merged data are validated in a temporary copy first: on any problem nothing in
    `data` changes, and each problem names the review file and its own line.
    Existing files are appended to, never rewritten.
    """
    from .validate import DataValidationError, read_csv_table

    completed = ["an earlier accept had been interrupted after its checks; it has been completed"] \
        if finish_pending_accept(data) else []
    review = folder / "figures.csv"
    try:
        figures = read_csv_table(review, ["keep", *FIGURE_COLUMNS], optional=tuple(REVIEW_EXTRA[1:]))
        others = {name: read_csv_table(folder / name, columns).fillna("")
                  for name, columns in (("exclusions.csv", EXCLUSION_COLUMNS), ("links.csv", LINK_COLUMNS))}
        entry = _read_yaml(folder / "source.yaml", dict, _SOURCE_ENTRY)
        sources = _read_yaml(data / "sources.yaml", list, "a list of sources")
    except DataValidationError as exc:
        return Acceptance([str(p) for p in exc.problems])
    except OSError as exc:  # a review folder without its four files, or unreadable
        return Acceptance([f"{exc.filename}: cannot be read ({exc.strerror}); a review folder holds figures.csv, "
                           "exclusions.csv, links.csv and source.yaml as the assistant wrote them"])
    if "id" not in entry:
        return Acceptance([f"{folder / 'source.yaml'}: has no id; it must be {_SOURCE_ENTRY}"])
    if any(s["id"] == entry["id"] for s in sources):
        if completed:  # this very review, whose interrupted accept was just completed
            return Acceptance(changes=completed)
        return Acceptance([f"{data / 'sources.yaml'}: a source with id {entry['id']!r} is already there"])
    target = Path("figures") / f"{entry['id']}.csv"
    if (data / target).exists():
        return Acceptance([f"{data / target} already exists"])
    keep = figures[figures["keep"].fillna("").str.strip().str.lower().isin(["yes", "y", "1", "true"])].fillna("")
    try:
        existing = load_indicators(data, versions="all")
    except DataValidationError as exc:
        return Acceptance([f"the curated data have problems already; fix them first: {p}" for p in exc.problems])
    refused, changes = _changed_values(keep, existing, review)
    if refused:
        return Acceptance(refused)

    staging = Path(tempfile.mkdtemp(prefix="accept-")) / "data"
    try:
        shutil.copytree(data, staging)
        catalogue = pd.read_csv(staging / "catalogue.csv", dtype=str, keep_default_na=False)
        new = keep[~keep["indicator_id"].isin(catalogue["indicator_id"])].drop_duplicates("indicator_id")
        # Where each staged line comes from in the review, so that problems name the analyst's own lines.
        origin = {staging / target: (review, dict(zip(range(2, len(keep) + 2), keep.index)))}
        for name, rows in (("catalogue.csv", new), ("exclusions.csv", None), ("links.csv", None)):
            start = _appended_lines(staging / name)
            source_file = review if rows is not None else folder / name
            if rows is None:
                rows = others[name]
            lines = rows.index  # the line numbers of the analyst's file
            origin[staging / name] = (source_file, dict(zip(range(start + 1, start + 1 + len(rows)), lines)))
            columns = {"catalogue.csv": CATALOGUE_COLUMNS, "exclusions.csv": EXCLUSION_COLUMNS, "links.csv": LINK_COLUMNS}[name]
            extra = {"growth_of": "", "definition_zh": "", "definition_en": ""} if name == "catalogue.csv" else {}
            _append_rows(staging / name, rows.assign(**extra), columns)
        keep[FIGURE_COLUMNS].to_csv(staging / target, index=False, lineterminator="\n")
        with (staging / "sources.yaml").open("a", encoding="utf-8") as handle:
            handle.write("\n" + yaml.safe_dump([entry], allow_unicode=True, sort_keys=False))
        try:
            load_indicators(staging)
        except DataValidationError as exc:
            return Acceptance([_in_review(p, origin, staging, data) for p in exc.problems])
        _switch(staging, data, ["catalogue.csv", "exclusions.csv", "links.csv", "sources.yaml", str(target)])
        return Acceptance(changes=completed + changes)
    finally:
        shutil.rmtree(staging.parent, ignore_errors=True)


def _in_review(problem, origin: dict, staging: Path, data: Path) -> str:
    """A problem of the staged data, told against the file the analyst edits and its own line."""
    if problem.file in origin and problem.line in origin[problem.file][1]:
        file, lines = origin[problem.file]
        return str(type(problem)(file, int(lines[problem.line]), problem.field, problem.message))
    return str(problem).replace(str(staging), str(data))


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date written YYYY-MM-DD") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Propose the figures of a report for review, or accept a review.")
    parser.add_argument("report", nargs="?", type=Path, help="the report's text, already in data/raw/")
    parser.add_argument("--accept", type=Path, metavar="REVIEW_FOLDER", help="add a reviewed extraction to data/")
    parser.add_argument("--source-id", help="id of the new source (default: the file name without extension)")
    parser.add_argument("--year", type=int, help="report year, only if the title and date do not tell (a work report of "
                                                  "year Y reviews Y-1)")
    parser.add_argument("--url", default="", help="where the report was published")
    parser.add_argument("--published", type=_date, help="publication date as the page gives it, YYYY-MM-DD")
    parser.add_argument("--title-zh", default="")
    parser.add_argument("--title-en", default="")
    parser.add_argument("--data-dir", type=Path, default=None, help="the curated data (default: data/)")
    parser.add_argument("--review-dir", type=Path, default=REVIEW_DIR)
    args = parser.parse_args(argv)
    data = data_dir(args.data_dir)

    if args.accept:
        result = accept(args.accept, data)
        if result.problems:
            print(f"Not accepted; nothing in {data} was changed. {len(result.problems)} problem(s):", file=sys.stderr)
            for problem in result.problems:
                print(f"  - {problem}", file=sys.stderr)
            return 1
        for change in result.changes:
            print(f"  kept both, the later used: {change}")
        print(f"Accepted {args.accept} into {data}. Next: make test, then make briefing YEAR=<year>.")
        return 0
    if args.report is None:
        parser.error("give a report file, or --accept REVIEW_FOLDER")

    from .load import load_catalogue
    from .validate import DataValidationError

    try:
        text = args.report.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"{args.report}: cannot be read as UTF-8 text: {exc}", file=sys.stderr)
        return 1
    source_id = args.source_id or args.report.stem
    try:
        result = extract(text, source_id, args.year, title=args.title_zh, published=args.published)
        catalogue, figures = load_catalogue(data), load_indicators(data)
    except (ValueError, DataValidationError) as exc:  # no report year found, or the curated data have problems
        print(f"Nothing extracted: {exc}", file=sys.stderr)
        return 1
    tables = review_tables(result, catalogue, figures)
    if args.published is None:
        print("Nothing extracted: give --published YYYY-MM-DD, the publication date the page states "
              "(sources.yaml records it with the text).", file=sys.stderr)
        return 1
    entry = source_entry(args.report, result, args.url, args.published.isoformat(), args.title_zh, args.title_en)
    folder = args.review_dir / source_id
    write_review(folder, tables, entry)
    proposed = tables["figures"]
    print(f"{args.report.name}: read as {result.reading.what}: {result.reading.why}; report year {result.report_year}; parts: "
          + "; ".join(f"{p.starts_at[:14]}… → {p.year} {p.kind}" for p in result.parts))
    print(f"{len(proposed)} candidate figures ({(proposed.match.str.startswith('catalogue')).sum()} matched to the catalogue, "
          f"{(proposed.match.str.startswith('new')).sum()} new), {len(tables['exclusions'])} numbers judged not to be figures:")
    for row in tables["exclusions"].itertuples():
        print(f"  - {row.text} in {row.quote[:30]!r}: {row.reason_en}")
    print(f"Review files written to {folder}/ (figures.csv, exclusions.csv, links.csv, source.yaml).\n"
          f"Check them, then: python -m zhenhai_analysis.extract --accept {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
