"""The project's vocabulary: comparators, kinds, coverages, statuses, measures, languages.

One home for every closed list. The loader's schemas, gap analysis, charts, tables, the
extraction assistant and the tests import these; none writes its own copy. Words a
reader sees for each entry live in data/labels.csv under the keys named here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # no pandas import at run time: the pipeline's planner imports this module
    import pandas as pd

LANGS = ("zh", "en")
ALL_PAGES = "all"  # a notebook's indicator_pages when every indicator with a figure has a page in the run
KINDS = ("actual", "target")
# What part of time a figure covers. full_year: the calendar year `year`; half_year,
# quarter, year_to_date: part of `year` (上半年, 一季度, 1-N月 or 今年以来 as of publication);
# multi_year_average (年均增长) and cumulative (累计): the years period_start..period_end,
# `year` being the last. Only full-year actuals are points of a series.
COVERAGES = ("full_year", "half_year", "quarter", "year_to_date", "multi_year_average", "cumulative")
PART_YEAR_COVERAGES = ("half_year", "quarter", "year_to_date")
PERIOD_COVERAGES = ("multi_year_average", "cumulative")
# How a figure stands in its source: printed as a fact, or as an estimate (预计) that a
# later source's actual supersedes (both stay in the data).
FIGURE_STATUSES = ("printed", "estimated")
ESTIMATE_WORD = "预计"
MEASURES = ("level", "growth", "share", "count", "rank")
DIRECTIONS = ("higher", "lower")
AMOUNT_MEASURES = ("level", "count")  # quantities that compound; percentages are not
# Verdicts of a target against its actual, in the order the scorecard lists them.
# "not reported": the data hold full-year actuals of the target's year, but not this one;
# "pending": the data reach no full-year actual of that year yet.
STATUSES = ("met", "missed", "within tolerance", "not comparable", "not reported", "pending")
JUDGED = STATUSES[:3]  # verdicts that say a comparable outcome is known
UNFOUND = STATUSES[4:]  # no later figure of the target's year has been found (yet)


@dataclass(frozen=True)
class Comparator:
    """A bound as the report writes it.

    `after` are wordings that follow the number and its unit (100亿元以上); `before`
    wordings precede the number (超30亿元). `marker` is the matplotlib marker of a
    target with this bound; `symbol` is how tables print it before the value.
    """

    code: str
    symbol: str
    marker: str
    after: tuple[str, ...] = ()
    before: tuple[str, ...] = ()
    filled: bool = True  # a strict bound (超, more than) is drawn hollow, an inclusive one (以上) filled

    @property
    def label_key(self) -> str:
        return f"comparator.{self.code}"


# Order matters for reading: 不超过 (at most) must win over 超过 (more than).
COMPARATORS: tuple[Comparator, ...] = (
    Comparator(">=", "≥ ", "^", after=("以上",), before=("不少于", "不低于")),
    Comparator("<=", "≤ ", "v", after=("以内",), before=("最多", "控制在", "不超过")),
    Comparator("~", "≈ ", "D", after=("左右",)),
    Comparator(">", "> ", "^", before=("超过", "超", "突破"), filled=False),
    Comparator("<", "< ", "v", filled=False),
    Comparator("=", "", "D"),
    Comparator("range", "", "_"),  # 4至6: value to value_high
)
COMPARATOR = {c.code: c for c in COMPARATORS}
COMPARATOR_CODES = tuple(COMPARATOR)
RANGE_WORD = "至"  # 4至6
DECREASE_WORD = "下降"  # the value is the size of a fall


def read_comparator(before: str, after: str) -> str:
    """The comparator that the words around a printed figure give.

    `before` is the text just before the number, `after` the text right after its unit:
    read_comparator("力争", "以上") -> ">=", read_comparator("不超过", "") -> "<=".
    A plain figure (达到, or no wording) is "=".
    """
    for comparator in COMPARATORS:
        if (comparator.after and after.startswith(comparator.after)) or (
            comparator.before and before.endswith(comparator.before)
        ):
            return comparator.code
    return "="


def full_year_actuals(obs: pd.DataFrame) -> pd.DataFrame:
    """The printed full-year actuals: the points of a series.

    Part-year figures (half year, quarter, year to date), period figures (a multi-year
    average, a cumulative total) and actuals printed as bounds (超1000亿元) are not
    points: their value is not the year's outcome. Frames without a `coverage`
    column (synthetic panels) count as full-year.
    """
    keep = (obs["kind"] == "actual") & (obs["comparator"] == "=")
    if "coverage" in obs.columns:
        keep &= obs["coverage"] == "full_year"
    return obs[keep]
