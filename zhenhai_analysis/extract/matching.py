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

from ..quotes import NUMBER
from ..units import UNITS
from ..vocab import COMPARATORS, DECREASE_WORD, ESTIMATE_WORD, RANGE_WORD

if TYPE_CHECKING:
    from .numbers import Candidate

# Units as printed, longest first so that 亿美元 wins over 亿元 and 个工作日 over 个.
UNITS_PRINTED = sorted(list(UNITS) + ["％"], key=len, reverse=True)
_LEAD_VERBS = re.compile(
    r"^(实现|完成|新增|新|推动|引导|实施|建成|开展|计划|确保|力争|培育|引进|带动|打造|创建|发布|出清|淘汰|更新|"
    r"优化|处置|安排|兑现|减免|落户|全面|全年|积极|加快|统筹推进|推进|其中|获得|同比|首次|超额)+"
)
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

