"""The project's vocabulary: comparators, kinds, coverages, statuses, measures, languages.

One home for every closed list. The loader's schemas, gap analysis, charts, tables, the
extraction assistant and the tests import these; none writes its own copy. Words a
reader sees for each entry live in data/labels.csv under the keys named here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
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


class TargetType(StrEnum):
    """What a target asks, read from its comparator (verdicts.target_type)."""

    POINT = "point"  # 增长6%: at or beyond the value in the indicator's direction
    FLOOR = "floor"  # 以上, 超, 不低于: at least (more than) the value
    CAP = "cap"  # 以内, 控制在, 不超过: at most (less than) the value
    RANGE = "range"  # 4至6: inside, or beyond in the indicator's direction
    ABOUT = "about"  # 左右: a point target whose band widens by half its last printed digit
    QUALITATIVE = "qualitative"  # no number to judge


BOUNDS = (TargetType.FLOOR, TargetType.CAP)  # judged by their bound alone, said as headroom
POINT_LIKE = (TargetType.POINT, TargetType.ABOUT, TargetType.RANGE)  # "less/more than" and trend labels apply


class TargetNature(StrEnum):
    """预期性 or 约束性, only where a document says which (otherwise empty)."""

    EXPECTED = "expected"  # 预期性
    BINDING = "binding"  # 约束性


NATURE_WORDS = {"预期性": TargetNature.EXPECTED, "约束性": TargetNature.BINDING}


class Verdict(StrEnum):
    """A target against its outcome, in the order the tables list them."""

    MET = "met"
    MISSED = "missed"
    WITHIN = "within tolerance"  # the printed figure's rounding band reaches the target
    NOT_COMPARABLE = "not comparable"  # a curated link: the later figure counts another thing (口径不同)
    CANNOT_ASSESS = "cannot assess"  # part of a year, a period, a bound, another measure, a qualitative target
    NO_FIGURE = "no figure found"


class Reason(StrEnum):
    """Why a verdict is what it is: each has its sentence in labels.csv (verdict.reason.<code>)."""

    REACHED = "reached"  # a point target met: at or beyond it
    HELD = "held"  # a cap or floor held: headroom
    SHORT = "short"  # a point target missed beyond the rounding band
    BREACHED = "breached"  # a cap or floor broken
    ROUNDING = "rounding"  # within the printed figure's rounding band
    OTHER_DEFINITION = "other_definition"  # the later figure is counted differently (links.csv)
    PART_YEAR = "part_year"
    PERIOD = "period"
    BOUND = "bound"  # the outcome is printed only as a bound (超1000亿元)
    OTHER_MEASURE = "other_measure"  # a growth rate for a level target, with no level to carry it to
    QUALITATIVE = "qualitative"
    NOT_FOUND = "not_found"  # later documents of the year were read; this figure is not in them
    NOT_YET = "not_yet"  # the data hold no full-year outcome of the year yet


class Position(StrEnum):
    """A target against the trend of the data known when it was set (verdicts.trend_label)."""

    STRETCH = "stretch"  # beyond the trend's interval in the good direction
    WITHIN = "within"
    MODEST = "modest"  # short of the interval
    LIKELY_HELD = "likely held"  # a cap or floor the trend holds with probability >= forecasting.LIKELY_HELD
    AT_RISK = "at risk"
    TOO_FEW_POINTS = "too few points"  # fewer than forecasting.MIN_POINTS printed actuals before the year
    TOO_UNCERTAIN = "trend too uncertain"  # the interval is wider than the step the target asks
    NOT_APPLICABLE = "not applicable"  # a qualitative target


LABELLED = (Position.STRETCH, Position.WITHIN, Position.MODEST, Position.LIKELY_HELD, Position.AT_RISK)
UNLABELLED = (Position.TOO_FEW_POINTS, Position.TOO_UNCERTAIN)
# Compatibility names: the verdicts in table order, those that judge an outcome, those without a figure.
STATUSES = tuple(Verdict)
JUDGED = (Verdict.MET, Verdict.MISSED, Verdict.WITHIN)
UNFOUND = (Verdict.NO_FIGURE,)


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
