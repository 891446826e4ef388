"""Match the catalogue: the indicator whose wording fits a candidate's subject.

A figure's subject is the words of its own clause before the value (a bare 同比增长
takes the subject of the number before it); it is compared with each indicator's name
and with the wordings of its curated figures. A tie is not broken by order: the
candidate stays new, and the review says which indicators it could be.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

import pandas as pd

from ..foundations.quotes import NUMBER
from ..foundations.units import CURRENCIES, UNITS
from ..foundations.vocab import COMPARATORS, DECREASE_WORD, ESTIMATE_WORD, RANGE_WORD

if TYPE_CHECKING:
    from .numbers import Candidate

# Units as printed, longest first so that 亿美元 wins over 亿元 and 个工作日 over 个.
UNITS_PRINTED = sorted(list(UNITS) + ["％"], key=len, reverse=True)
_LEAD_VERBS = re.compile(
    r"^(实现|完成|新增|新|推动|引导|实施|建成|开展|计划|确保|力争|培育|引进|带动|打造|创建|发布|出清|淘汰|更新|"
    r"优化|处置|安排|兑现|减免|落户|全面|全年|积极|加快|统筹推进|推进|其中|获得|同比|首次|超额|累计)+"
)
# Other places' words for what the catalogue names (their wording -> the catalogue's), applied
# to a candidate's subject before it is compared: 第三产业增加值 is 服务业增加值.
SAME_MEANING = (
    ("第三产业", "服务业"), ("规模以上", "规上"), ("外贸自营出口额", "出口总额"), ("货物出口额", "出口总额"),
    ("注册外资实际到账", "实际利用外资"), ("获批国家高新技术企业", "新认定高新技术企业"),
    ("地方一般公共预算收入", "一般公共预算收入"), ("地方公共财政收入", "一般公共预算收入"),
    ("公共财政预算收入", "一般公共预算收入"), ("GDP", "地区生产总值"),
    (r"^城居民", "城镇居民"), (r"(?<!城)乡居民", "农村居民"),  # 城、乡居民人均可支配收入: 城镇…, 农村…
)


def _same_kind_of_unit(indicator: str, printed: str) -> bool:
    """A figure may be an indicator's if printed in its unit, or as money in another multiple (万元 for 亿元)."""
    if indicator == printed:
        return True
    known = {u: UNITS[u].base for u in (indicator, printed) if u in UNITS}
    return len(known) == 2 and known[indicator] == known[printed] and known[indicator] in CURRENCIES


def canonical(words: str) -> str:
    """A subject in the catalogue's words (SAME_MEANING; patterns are regular expressions)."""
    for theirs, ours in SAME_MEANING:
        words = re.sub(theirs, ours, words)
    return words
# Bound wordings after a value (以上, 以内, 左右) and a range's upper end (至6): not part of a name.
_BOUND_WORDS = "^(" + "|".join([w for c in COMPARATORS for w in c.after] + [RANGE_WORD + r"\S*"]) + ")"


def quote_wording(quote: str, value_text: str) -> str:
    """The words around the number in a quote, without leading verbs: the figure's name.

    实现规上工业总产值2507亿元 -> 规上工业总产值; 完成10个数字化车间 -> 数字化车间.
    """
    head, _, tail = quote.partition(value_text) if value_text in quote else (quote, "", "")
    head = _LEAD_VERBS.sub("", re.split(r"[、,，]", head)[-1])
    unit = next((u for u in UNITS_PRINTED if tail.startswith(u)), "")
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


_GROWTH_TAIL = re.compile(r"(?:五年)?(?:年均|两年平均|三年平均)?(?:分别)?(?:同比|比上年(?:同期)?|可比)?(?:分别)?"
                          r"(?:增长|增速|增幅|下降)(?:为|均为|达)?$")
# Words between a subject and its value that say how it is measured, not what: dropped.
_QUALIFIERS = re.compile(r"[(（](?:下同|GDP)[)）]|按可比价格?计算|按现价计算")
# 由A增加到B, 从1978年的A跃升至2017年的B: the subject is the words before 由/从.
_FROM_TO = re.compile(r"(?:由|从)[^,，;；。]*?(?:(?:增加|增长|提高|跃升|上升|下降|减少)(?:到|至)(?:\d{4}年的?)?)?$")
# The values already printed in a parallel run: 61988元和|, 7.2%、|
_RUN_BEFORE = re.compile(r"(?:\d+(?:\.\d+)?[^\d、和,，;；。]{0,6}(?:、|和))+$")
_VERB_END = re.compile(r"(?:分别)?(?:达到|达|为|实现|完成|增长|增加到)+$")
_CLAUSE_BREAK = re.compile(r"[,，;；。:：、\n]|——")


def _clean(words: str) -> str:
    return _LEAD_VERBS.sub("", words.replace(ESTIMATE_WORD, "")).strip("“”\"'() ")


def subject_wording(before: str, after: str = "") -> tuple[str, bool]:
    """The name of the figure whose value follows `before`, and whether it is a growth rate.

    地区生产总值增长 -> (地区生产总值增速, True); a bare 同比增长 or 年均增长 takes the
    subject of the number before it: 地区生产总值908.7亿元,同比增长 -> (地区生产总值增速, True);
    实现规上工业总产值 -> (规上工业总产值, False); 地区生产总值由560亿元增加到 ->
    地区生产总值. A count printed before its noun takes the words after its unit (`after`):
    完成|10个|数字化车间 -> (数字化车间, False). Parallel subjects read in order:
    城镇、农村居民人均可支配收入分别达到59482元、|32743元 -> 农村居民…; 城镇和农村居民…
    达到61988元和36811元,分别增长8.3%和|8.9% -> 农村居民…增速.
    """
    before = _QUALIFIERS.sub("", before.replace(ESTIMATE_WORD, ""))
    run = _RUN_BEFORE.search(before)
    position = len(run.group()) if run else 0  # how many values of a parallel run come before this one
    own = _CLAUSE_BREAK.split(before[: len(before) - position])[-1]
    own = _FROM_TO.sub("", own) if re.search(r"由|从", own) else own
    tail = _GROWTH_TAIL.search(own)
    name = _clean(_GROWTH_TAIL.sub("", own))
    items = _parallel_subjects(before[: len(before) - position])
    first_of_run = re.match(r"[^\d,，;；。]{0,4}(?:、|和)\d", after)
    if items and (run or first_of_run or "分别" in re.split(r"[,，;；。\n]", before)[-1]):
        count = len(re.findall(r"、|和", run.group())) if run else 0
        if count < len(items):
            name = items[count]
    elif tail and len(name) < 2:
        numbers = list(NUMBER.finditer(before))
        if numbers:
            name = subject_wording(before[: numbers[-1].start()])[0]
    if not tail:
        if len(name) < 2:
            name = _clean(re.sub(_BOUND_WORDS, "", _CLAUSE_BREAK.split(after)[0]))
        return name, False
    return name + ("降幅" if DECREASE_WORD in tail.group() else "增速"), True


def _parallel_subjects(before: str) -> list[str]:
    """The subjects of a parallel run (城镇、农村居民人均可支配收入 -> [城镇居民…, 农村居民…]), or [].

    They stand in the value's sentence before its first number or 分别, or, where the
    sentence opens with 分别 (…,分别增长8.3%和8.9%), in the clause before it.
    """
    clauses = re.split(r"[,，;；。\n]", before)
    for clause in (clauses[-1], clauses[-2] if len(clauses) > 1 else ""):
        head = re.split(r"\d|分别", clause)[0]
        head = _VERB_END.sub("", _LEAD_VERBS.sub("", head))
        items = [_clean(item) for item in re.split(r"、|和", head) if item]
        if len(items) == 1 and items[0].startswith("城乡"):  # 城乡居民: the urban, then the rural
            items = ["城镇" + items[0][2:], "农村" + items[0][2:]]
        if len(items) > 1:
            # 城镇、农村居民… : a short first item shares the rest of the last one's words.
            return [item + items[-1][len(item):] if len(item) <= 3 < len(items[-1]) else item for item in items]
        if head.strip():
            return []
    return []


def figure_wording(quote: str, value_text: str, measure: str) -> str:
    """The wording of a curated figure, from its quote (as subject_wording reads a candidate)."""
    at = quote.find(value_text) if measure != "rank" else -1
    return subject_wording(quote[:at])[0] if at > 0 else quote_wording(quote, value_text)


def match_catalogue(candidate: Candidate, catalogue: pd.DataFrame, known_labels: dict[str, list[str]]) -> tuple[str | None, int, str]:
    """The catalogue indicator whose wording best matches the candidate's subject: (id, score, why).

    Growth rates match only growth indicators, and other percentages only the others. A tie
    between indicators is not broken by their order: the candidate stays new, and `why`
    names the indicators it could be.
    """
    if candidate.measure_hint == "rank" or not candidate.wording:
        wording, growth = quote_wording(candidate.quote, candidate.value_text if candidate.measure_hint != "rank" else "第"), None
    else:
        wording, growth = candidate.wording, candidate.growth
    wording = canonical(wording)
    if len(wording) < 2:
        return None, 0, ""
    scores: dict[str, tuple[tuple[int, float], str]] = {}
    for row in catalogue.itertuples():
        if not _same_kind_of_unit(row.unit, candidate.unit) or (
                growth is not None and candidate.unit == "%" and (row.measure == "growth") != growth):
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

