"""Judge a number: every number of the text, as a candidate figure or a number that is not one, with the reason.

It reads full- and half-width punctuation (，（）％ and ,()%), Chinese numerals (两,
十二, 第二), 亿/万 units and percentage points (百分点). A figure takes the year, kind
and coverage of the part it stands in (document.find_parts), except where the text
prints its own year right before the value (提高到2020年的25.03亿元), and except an
average annual rate (年均增长) or a cumulative total (累计) in a multi-year review,
which covers the review's period.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from ..foundations.quotes import CN_NUMBER, NUMBER, chinese_to_int
from ..validation.rules import period_base_year, year_printed_before
from ..validation.sources import section_at
from ..foundations.vocab import DECREASE_WORD, RANGE_WORD, read_comparator
from .document import Part, Reading, find_parts
from .matching import UNITS_PRINTED, subject_wording

# 219个国家级经开区中排名第十位: the group a rank is taken in. 10亿元以上项目: a category's threshold.
_RANKING_GROUP = re.compile(r"[^,，;；。]{0,12}?中(?:排名|排|位列|位居|居|列)")
_CATEGORY = re.compile(r"(?:及)?以上(?:的)?(?:重大|工业|产业|制造业)?(?:项目|企业)")
_CLAUSE_END = "，,；;。：:\n"
_FIXED_TERMS = ("八项规定",)  # set phrases with a numeral that count nothing
# What follows a Chinese numeral that counts nothing of the place: a session (三次会议), the
# three sectors (三次产业), the parts of a speech (六个方面), the previous item (上一条).
_NOT_COUNTED_AFTER = ("次会议", "次全会", "次产业", "个方面", "方面")
_NOT_COUNTED_BEFORE = ("上", "下", "第")
_AVERAGE = re.compile(r"(?:年均|年平均|两年平均|三年平均)(?:分别)?(?:增长|增速)?(?:为|达|达到)?$")
# The later values of a run that 年均 opens: 年均分别增长7.2%、8.4%.
_AVERAGE_RUN = re.compile(r"(?:年均|年平均)(?:分别)?(?:增长|增速)(?:为|达)?(?:\d+(?:\.\d+)?%(?:、|和))+$")
_YEARS_AVERAGED = {"两年平均": 2, "三年平均": 3}  # an average over the last N years of the part's year
_CUMULATIVE = "累计"


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

    kind: str = ""  # its part's, or a task's target in a progress table
    coverage: str = ""  # its part's, or a period's (年均, 累计)
    period: tuple[int, int] | None = None  # the first and last year of a period figure

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
    place: object = None  # place.Found: whose document it is


def _clause(text: str, start: int, end: int) -> str:
    """The clause around text[start:end], extended until it occurs once in the text."""
    left = start
    while left > 0 and text[left - 1] not in _CLAUSE_END:
        left -= 1
    right = end
    while right < len(text) and text[right] not in _CLAUSE_END:
        right += 1
    quote = text[left:right]
    while text.count(quote.strip()) > 1 and left > 0:  # unique as it is written, stripped
        left -= 1
        while left > 0 and text[left - 1] not in _CLAUSE_END:
            left -= 1
        quote = text[left:right]
    return quote.strip()


def _unit_at(text: str, position: int) -> str:
    for unit in UNITS_PRINTED:
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
    if quoted is not None and (not unit or quoted == number + unit):
        return number, "exclusion.quoted_name", {}
    if not unit:  # 3.9和4.1个百分点: parallel values share the unit printed after the last
        shared = re.match(r"(?:和|、|与)" + NUMBER.pattern, text[end:])
        if shared:
            unit = _unit_at(text, end + shared.end())
            if unit:
                after_unit = end + shared.end() + len(unit)
                comparator, note = _comparator(text, start, after_unit)
                return Candidate(start, number, unit, comparator, "", _clause(text, start, after_unit), None,
                                 note=f"the unit {unit} printed after {shared.group()[1:]}")
    if not unit:
        return number, "exclusion.no_unit", {"after": text[end : end + 6]}
    after_unit = end + len(unit)
    if _RANKING_GROUP.match(text, after_unit):
        return number + unit, "exclusion.ranking_group", {}
    if _CATEGORY.match(text, after_unit):
        return number + unit, "exclusion.category_threshold", {}
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
                or text[match.start() - 1 : match.start()] in _NOT_COUNTED_BEFORE
                or text.startswith(_NOT_COUNTED_AFTER, match.end())
                or match.group() == "一"  # 一项, 一次: 'a', 'one', not a count of the place
                or any(text.startswith(term, match.start()) for term in _FIXED_TERMS)):
            continue
        result.candidates.append(Candidate(match.start(), str(chinese_to_int(match.group())), unit, "=", "",
                                           _clause(text, match.start(), match.end() + len(unit)), part,
                                           note=f"written in Chinese numerals: {match.group()}"))
    result.candidates.sort(key=lambda c: c.position)
    cut = _cut_off_at(text)
    for candidate in [c for c in result.candidates if c.position + len(c.value_text) + len(c.unit) >= cut]:
        result.candidates.remove(candidate)
        result.rejected.append(Rejection(candidate.position, candidate.value_text, candidate.quote, "exclusion.cut_off", {}))
    for candidate in result.candidates:
        _cover(candidate, text)
    return result


_CUT_MARGIN = 2  # characters after a number and its unit within which a cut may have taken part of them


def _cut_off_at(text: str) -> int:
    """Where a text that stops mid-sentence may have cut a number (len(text) + 1 if it ends whole).

    Stored texts are often the opening part of a page: a number right at the cut may
    itself be cut (161 of 1610吨), or its unit (2.05万 of 2.05万座); one further back in
    the clause is whole.
    """
    stripped = text.rstrip()
    if not stripped or stripped[-1] in "。！？!?”」』）)" + _CLAUSE_END or text.endswith("\n"):  # a line ended whole
        return len(text) + 1
    last_clause = max(stripped.rfind(mark) for mark in _CLAUSE_END) + 1  # a number before a clause mark is whole
    return max(len(stripped) - _CUT_MARGIN, last_clause)


_SENTENCE_YEAR = re.compile(r"^\s*(?:回望|回顾)?(\d{4})年[,，]")  # 2021年,完成地区生产总值669.8亿元: that year's
_MONTHS_SO_FAR = re.compile(r"(?<!\d)1\s*[-—–~至]\s*(\d{1,2})\s*月")  # 1-2月,全市…: January to February
_UNTIL_MONTH = re.compile(r"截至\s*(?:\d{4}年)?(\d{1,2})月(?:底|末)")  # as of a month: the year to date
# A task of a progress table: a numbered item (1.引进…不少于3个), a quoted task (“完成城镇新增就业70万人”项目),
# or a bound (不少于, 以上, 左右) in a sentence that does not report a completion (上半年,…; 已完成…).
_NUMBERED_ITEM = re.compile(r"^\s*(?:\d{1,2}[.、．]|[(（]\d{1,2}[)）]|[一二三四五六七八九十]+是)")
_PLANNED = re.compile(r"计划|目标为|目标是|力争")
_DONE = re.compile(r"^\s*(?:实际|完成情况|全年完成|实现|完成)")  # a clause that reports what was done
_COMPLETION = re.compile(r"^\s*(?:上半年|今年以来|截至|1\s*[-—–~至]\s*\d{1,2}月|已)|已(?:完成|新增|实现|达到)")


_TARGET_HEADER = re.compile(r"目标|任务|计划|预期")
_DONE_HEADER = re.compile(r"完成|进展|实际|进度|执行|实绩")


def _table_column(text: str, position: int) -> str | None:
    """In a table written as text (cells split by | or tabs), what the column of `position` holds by its header.

    'target' under a header naming 目标, 任务 or 计划 (and not 完成 …), 'actual' under one
    naming 完成, 进展 or 实际; None outside a table, or where no header says.
    """
    start = text.rfind("\n", 0, position) + 1
    line = text[start : text.find("\n", position) if "\n" in text[position:] else len(text)]
    sep = next((mark for mark in ("|", "\t", "｜") if line.count(mark) >= 2), None)
    if sep is None:
        return None
    column = text[start:position].count(sep)
    for header in reversed(text[:start].splitlines()[-40:]):
        cells = header.split(sep)
        if len(cells) < 3 or re.search(r"\d", header):
            continue
        if column >= len(cells):
            return None
        words = cells[column]
        if _DONE_HEADER.search(words):
            return "actual"
        return "target" if _TARGET_HEADER.search(words) else None
    return None


def _is_task(text: str, candidate: Candidate, sentence: str) -> bool:
    """In a progress table: the figure states a task's target, not its completion.

    Its own clause decides first (目标为增长6%左右,实际增长5.8%: the second is done), then
    its sentence (a numbered item states a task).
    """
    clause = re.split(r"[,，;；]", sentence)[-1]
    if _COMPLETION.search(sentence) or _DONE.match(clause):
        return False
    quoted = _in_quotation(text, candidate.position)
    return bool(_NUMBERED_ITEM.match(sentence) or (quoted and len(quoted) > len(candidate.value_text) + 3)
                or candidate.comparator != "=" or _PLANNED.search(clause))


_PERIOD_PARAGRAPH = re.compile(r"^\s*(?:五年来|过去五年|过去的五年|这五年)")
_LEVEL_WORDS = re.compile(r"(?:达到|达|增加到|提高到|增长到|跃升至|突破|超过|为|至)$")


def _over_the_period(text: str, candidate: Candidate) -> bool:
    """A count or amount of a paragraph that opens with 五年来: what the five years did (引进项目227个), not a level."""
    if candidate.unit in ("%", "个百分点", "位次") or candidate.unit.endswith("元") and "人均" in candidate.quote:
        return False
    paragraph = text[text.rfind("\n", 0, candidate.position) + 1 : candidate.position]
    clause = re.split(r"[,，;；。、]", paragraph)[-1]
    return bool(_PERIOD_PARAGRAPH.match(paragraph)) and not _LEVEL_WORDS.search(re.sub(r"[\d.]+$", "", clause))


def _sentence_before(text: str, candidate: Candidate) -> str:
    """The words of the candidate's sentence before its value (from the last 。；; or line break)."""
    head = text[: candidate.position]
    start = max(head.rfind(mark) for mark in "。；;\n") + 1
    return head[start:]


def _cover(candidate: Candidate, text: str) -> None:
    """The kind, year, coverage and period of a candidate: its part's, unless its own words say otherwise.

    - In a progress table, a task's figure is a target (its column's header, a numbered
      item, a quoted task, a bound); its completion keeps the table's period.
    - A sentence opening with its year (2021年,…) gives that year; in a plan's targets, an
      earlier year makes it that year's actual. 截至N月底 and 1-N月 give part of the year.
    - In a review, 年均增长 right before the value is an average annual rate and 累计 in its
      sentence a cumulative total, over the review's period (五年来 ending in the year it
      reviews; 十三五 2016-2020); so are the counts of a paragraph opening with 五年来; in
      由A增加到B, A is the level of the year before the period.
    A period the text does not give is left for the analyst, with a note.
    """
    part = candidate.part
    candidate.kind, candidate.coverage = part.kind, part.coverage
    sentence = _sentence_before(text, candidate)
    own_year = _SENTENCE_YEAR.match(sentence)
    if part.kind != "actual":
        if own_year and int(own_year.group(1)) < part.year:  # a plan's 2021年,全区实现…: last year's actual
            candidate.kind, candidate.year = "actual", int(own_year.group(1))
        return
    column = _table_column(text, candidate.position) if part.progress else None
    if column == "target" or (column is None and part.progress and _is_task(text, candidate, sentence)):
        candidate.kind, candidate.coverage = "target", "full_year"
        return
    if own_year and candidate.year == part.year and int(own_year.group(1)) <= part.year:
        candidate.year = int(own_year.group(1))
    until = _UNTIL_MONTH.search(sentence) or _MONTHS_SO_FAR.search(sentence)
    if until and int(until.group(1)) < 12:
        candidate.coverage = {"3": "quarter", "6": "half_year"}.get(until.group(1), "year_to_date")
        return
    if candidate.measure_hint == "rank":
        if part.period and period_base_year(candidate.quote, candidate.value_text, "rank", part.period):
            candidate.year = part.period[0] - 1  # 由全省第48位上升到第29位: the rank before the period
        return
    before = text[max(0, candidate.position - 12) : candidate.position]
    clause_before = candidate.quote[: candidate.quote.find(candidate.value_text)] if candidate.value_text in candidate.quote else ""
    average = _AVERAGE.search(before) or _AVERAGE_RUN.search(sentence)
    if average:
        candidate.coverage = "multi_year_average"
        years = next((n for words, n in _YEARS_AVERAGED.items() if average.group().startswith(words)), None)
        if years:
            candidate.period = (candidate.year - years + 1, candidate.year)
            return
    elif candidate.unit not in ("%", "个百分点") and _CUMULATIVE in (clause_before + sentence):
        candidate.coverage = "cumulative"
    elif part.period and _over_the_period(text, candidate):
        candidate.coverage = "cumulative"
    elif part.period and period_base_year(candidate.quote, candidate.value_text, "level", part.period):
        candidate.year = part.period[0] - 1
        candidate.note = (candidate.note + "; " if candidate.note else "") + \
            f"由A增加到B: A is the level of {candidate.year}, the year before the period {part.period[0]}-{part.period[1]}"
        return
    else:
        return
    if part.period:
        candidate.period, candidate.year = part.period, part.period[1]
    else:
        candidate.note = (candidate.note + "; " if candidate.note else "") + \
            f"{candidate.coverage}: give period_start and period_end, the first and last year it covers"

