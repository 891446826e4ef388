"""Read the document: what kind it is, which years and what part of them its parts cover.

The document's own words come first: its title, then its headings. The publication
date fixes the year of a kind the words name; it never decides the kind itself.

| title says (or, without a title, its opening) | kind | its figures |
|---|---|---|
| 统计公报 (of year Y) | statistical bulletin | Y actuals |
| YYYY年…计划执行情况 | plan execution | YYYY actuals; the plan part, YYYY+1 targets (上半年…执行情况: the first half, and the rest of YYYY) |
| 完成情况, 进展情况, 督查 … (of year Y) | progress table | a task's target: Y target; its completion: Y actual of the table's period |
| 上半年, 半年度 (of year Y) | half-year report | Y actuals of January–June; Y targets |
| 一季度, 第一季度 | quarterly report | Y actuals of the quarter |
| 工作计划, 工作要点, 实施方案, 主要任务, 任务分解 (of year Y) | work plan | Y targets, no actuals |
| 政府工作报告 (of year Y) | work report | Y-1 actuals (a five-year review: the five years to Y-1); Y targets |

A text whose title names no kind is read as reviewing the year before its publication.
Inside a document, headings and target lines (主要预期目标) open its parts (find_parts);
numbers.py then reads what a sentence says of its own figure.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass


class UnreadableDocument(ValueError):
    """The assistant cannot tell which year or kind the figures of a document are; it asks."""


@dataclass
class Part:
    """A part of the text whose figures share a year, kind and coverage (a section of sources.yaml)."""

    start: int
    year: int
    kind: str
    coverage: str
    starts_at: str
    period: tuple[int, int] | None = None  # the years a multi-year review spans (五年来: 2012-2016)
    progress: bool = False  # of a progress table: a task's own figure is a target, its completion an actual


@dataclass(frozen=True)
class Reading:
    """What a document is, from its title, publication date and text: the years its parts concern."""

    what: str  # "work report", "plan execution", "statistical bulletin", "half-year report", "work plan", "document"
    review_year: int  # the year whose actuals it reports
    plan_year: int  # the year whose targets it sets
    this_year: int  # the year 今年 means in it (its publication year)
    why: str
    coverage: str = "full_year"  # of its review: half_year for a half-year report
    targets_only: bool = False  # a work plan: no actuals unless a sentence says so
    progress: bool = False  # a completion or progress table: each row a target and its completion


# How a document says what its parts hold. A heading's own year wins over the document's.
REVIEW_WORDS = ("回顾", "基本情况", "执行情况", "完成情况", "进展情况", "基础形势", "发展基础")
PLAN_WORDS = ("目标", "任务", "计划草案", "安排", "工作要求", "工作思路")
PLAN_TITLES = ("工作计划", "工作要点", "实施方案", "任务分工方案", "任务分解", "主要任务", "重点任务", "工作思路")
PROGRESS_WORDS = ("完成情况", "进展情况", "进度", "督办", "督查", "成绩单", "时间过半")
OPENING = 300  # characters of a text without a title in which it says what it is
_MONTHS = re.compile(r"1\s*[-—–~至]\s*(\d{1,2})\s*月")
# A line that announces targets: 2020年经济社会发展的主要预期目标; 今年,…定下这些具体目标:
_TARGET_LINE = re.compile(r"^[^\n]{0,40}?(?:主要预期目标|预期目标|主要目标|具体目标)[^\n。]{0,12}$"
                          r"|^[^\n]{0,60}?(?:主要预期目标|具体目标|预期目标)(?:是|为)?[:：]"
                          r"|^[^\n]{0,20}?提出(?:了)?\d{4}年[^\n。]{0,40}?(?:目标|安排|指标)[^\n。]{0,20}?(?:具体为|主要是|如下)[:：]",
                          re.M)
# The year a progress table reports on: the one named with its period or its subject, else 今年.
_PROGRESS_YEAR = re.compile(r"(\d{4})年[^\n。]{0,20}?(?:上半年|1\s*[-—–~至]\s*\d{1,2}月|一季度|完成情况|进展情况|重点工作|政府工作报告)")
# A figure in a sentence: an amount, a rate or a count with its unit (not a date).
_LEAD_FIGURE = re.compile(r"\d+(?:\.\d+)?(?:亿元|万元|亿美元|%|个百分点)")
_PLAN_EXECUTION = re.compile(r"(\d{4})年[^\n，,。]{0,24}?计划执行情况")
HALF_YEAR_WORDS = ("上半年", "半年度", "1-6月", "1—6月", "1至6月")
QUARTER_WORDS = ("第一季度", "一季度")
_NUMBERED_HEADING = re.compile(r"^[ \t]*[一二三四五六七八九十]+、[^\n]+$", re.M)
_YEAR_HEADING = re.compile(r"^[ \t]*(?:\d{4}年|上半年)[^\n,，。]{0,12}(?:回顾|基本情况|完成情况|执行情况)[ \t]*$", re.M)
_YEAR = re.compile(r"(\d{4})年")
_REPORT_YEAR = re.compile(r"(\d{4})年度?[^\d，,。:：]{0,8}政府工作报告")
_FIVE_YEARS = re.compile(r"(?:过去的?|以来的|近|这)五年|五年来|本届政府")  # a term of five years
_PLAN_PERIODS = {"十二五": (2011, 2015), "十三五": (2016, 2020), "十四五": (2021, 2025)}


def _first_year(text: str) -> int | None:
    match = _YEAR.search(text or "")
    return int(match.group(1)) if match else None


def _part_year_coverage(words: str) -> str:
    """The part of a year that words name: 上半年, 1-6月 -> half_year; 一季度 -> quarter; 1-11月 -> year_to_date."""
    months = _MONTHS.search(words)
    if months:
        return {"3": "quarter", "6": "half_year", "12": "full_year"}.get(months.group(1), "year_to_date")
    if any(w in words for w in HALF_YEAR_WORDS):
        return "half_year"
    if any(w in words for w in QUARTER_WORDS):
        return "quarter"
    if "前三季度" in words:
        return "year_to_date"
    return "full_year"


def read_document(text: str, title: str = "", published: dt.date | None = None,
                  report_year: int | None = None) -> Reading:
    """Which years a document concerns, from what it says: its title, then its publication date.

    See the module's table. `report_year` (the --year option) overrides the years, not
    the kind. Raises UnreadableDocument, with the question to answer, when nothing tells.
    """
    head = title or text[:OPENING]  # where a document without a title says what it is
    title = title or next((line.strip() for line in text.splitlines() if line.strip()), "")
    year = _first_year(title)
    this_year = published.year if published else (report_year or year or 0)
    if report_year is not None:
        return Reading("document", report_year - 1, report_year, this_year or report_year,
                       f"report year {report_year} (--year)")
    if "统计公报" in title and year:
        return Reading("statistical bulletin", year, year + 1, this_year, f"a statistical bulletin of {year} (title)")
    executed = _PLAN_EXECUTION.search(title if "执行情况" in title else head)
    if executed:
        own = int(executed.group(1))
        said = "title" if executed.string == title else "its opening"
        covers = _part_year_coverage(executed.group(0))  # 2023年上半年…计划执行情况: the first half of 2023
        if covers != "full_year":
            return Reading("plan execution", own, own, this_year, f"reviews part of {own} ({covers}), plans the rest "
                           f"of {own} ({said})", coverage=covers)
        return Reading("plan execution", own, own + 1, this_year, f"reviews {own}, plans {own + 1} ({said})")
    if "执行情况" in title and year:
        return Reading("plan execution", year, year + 1, this_year, f"reviews {year}, plans {year + 1} (title)")
    if any(word in head for word in PROGRESS_WORDS) and "执行情况" not in head and (_first_year(head) or published):
        named = _PROGRESS_YEAR.search(head)
        own = int(named.group(1)) if named else (published.year if published and "今年" in head else _first_year(head))
        own = own or published.year
        covers = _part_year_coverage(head)
        if covers == "full_year" and "年度" not in head and not (published and published.year > own):
            covers = "year_to_date"  # a progress table of a year still running, naming no part of it
        said = "title" if head == title else "its opening"
        return Reading("progress table", own, own, this_year, f"a progress table of {own} ({said}): {own} targets, "
                       f"and their completion ({covers})", coverage=covers, progress=True)
    part_year = _part_year_coverage(title)
    if part_year != "full_year" and (year or published):
        own = year or published.year
        what = {"half_year": "half-year report", "quarter": "quarterly report"}[part_year]
        return Reading(what, own, own, this_year, f"a {what} of {own} (title): {own} actuals of part of the year, "
                       f"{own} targets", coverage=part_year)
    if any(word in title for word in PLAN_TITLES) and (year or published):
        own = year or published.year
        return Reading("work plan", own, own, this_year,
                       f"a work plan of {own} (title{'' if year else ' and publication date'}): {own} targets",
                       targets_only=True)
    if "政府工作报告" in title and (year or published):
        # The report's own year is the one its title gives it (2022年政府工作报告); a news
        # title's year is often the year reviewed (…摘要:2021年全县…), so the delivery date decides there.
        named = _REPORT_YEAR.search(title)
        # delivered from October on (全椒县…工作报告(2021年12月26日)): the next year's report, reviewing this one
        delivered = published.year + (published.month >= 10) if published else None
        own = int(named.group(1)) if named else (delivered or year)
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


def review_period(words: str, last_year: int) -> tuple[int, int] | None:
    """The years a multi-year review spans: 五年来 ending in `last_year`, or a named plan period (十三五).

    The review's own five years win over a plan period it mentions in passing.
    """
    if _FIVE_YEARS.search(words):
        return (last_year - 4, last_year)
    for name, period in _PLAN_PERIODS.items():
        if name in words:
            return period
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
    one part: actuals of the year it reviews (targets, for a work plan). A review of
    five years (五年来) or of a plan period (十三五) carries that period for the figures
    that need one (年均, 累计).
    """
    reading = read_document(text, title, published, report_year)
    headings = sorted({m.start(): m for m in [*_NUMBERED_HEADING.finditer(text), *_YEAR_HEADING.finditer(text),
                                              *_TARGET_LINE.finditer(text)]}.items())
    parts: list[Part] = []
    default_kind = "target" if reading.targets_only else "actual"
    for number, (start, heading) in enumerate(headings):
        line = heading.group(0).strip()
        kind = _heading_kind(line) or ("target" if _TARGET_LINE.match(line) else None)
        own = _first_year(line) or (reading.this_year if "今年" in line and kind == "target" else None)
        if kind is None and parts:
            continue  # a chapter heading: the part before it goes on
        kind = kind or default_kind
        year = own or (reading.review_year if kind == "actual" else reading.plan_year)
        end = headings[number + 1][0] if number + 1 < len(headings) else len(text)
        coverage = "full_year"
        if kind == "actual":
            coverage = _part_year_coverage(line) if _part_year_coverage(line) != "full_year" else reading.coverage
        period = review_period(text[start:end][:400], year) if kind == "actual" else None
        parts.append(Part(start, year, kind, coverage, line, period, reading.progress and kind == "actual"))
        if kind == "actual":
            this_year = re.search(r"^今年[,，][^\n]{0,12}", text[start:end], re.M)
            if this_year and reading.this_year > year:
                parts.append(Part(start + this_year.start(), reading.this_year, "actual", "year_to_date", this_year.group(0)))
    lead = _LEAD_FIGURE.search(text, 0, headings[0][0]) if headings and parts else None
    if lead and parts[0].start > lead.start() and not reading.targets_only:
        # A paragraph of figures before the first heading (经省市核定,2020年1-6月全县实现地区生产总值161.41亿元):
        # the document's own review.
        paragraph = text.rfind("\n", 0, lead.start()) + 1
        parts.insert(0, Part(paragraph, reading.review_year, "actual", reading.coverage,
                             text[paragraph : text.find("\n", paragraph) if "\n" in text[paragraph:] else len(text)][:40],
                             None, reading.progress))
    if not parts:
        first = next(line for line in text.splitlines() if line.strip())
        kind = default_kind
        year = reading.plan_year if kind == "target" else reading.review_year
        parts.append(Part(text.index(first), year, kind, reading.coverage if kind == "actual" else "full_year", first,
                          review_period(text[:600], year) if kind == "actual" else None, reading.progress))
    # Consecutive parts with the same year, kind and coverage are one section.
    merged = [p for i, p in enumerate(parts)
              if i == 0 or (p.year, p.kind, p.coverage) != (parts[i - 1].year, parts[i - 1].kind, parts[i - 1].coverage)]
    return reading.plan_year, merged, reading
