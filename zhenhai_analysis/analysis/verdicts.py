"""The one home of the verdict rules: what a target asks, whether its outcome met it, and
what the trend known when it was set says of it.

Target types (vocab.TargetType) come from the comparator the report prints:
- point (增长6%), about (6%左右), range (4至6): met at or beyond the value in the
  indicator's direction (a range: its bound on that side);
- floor (以上, 超, 不低于) and cap (以内, 控制在, 不超过): met or missed by the bound alone,
  and said as headroom ("0.34 points under the ceiling");
- qualitative: nothing to judge.

Tolerance comes from what was printed, never from a fixed percentage: a figure printed to
0.1 may be anything within ±0.05 of it (`half_step`), a level derived from a printed rate
carries the rate's band, and a 左右 target widens the band by half its own last digit. A
point target missed by the printed figure, but inside that band, is "within tolerance";
the verdict shows the band. Counts are exact.

Trend labels (`trend_label`) say only what the evidence carries: a point target is set
against the trend's interval only with `forecasting.MIN_POINTS` printed actuals before the
target's year and an interval narrower than the step the target asks; a cap or floor gets
the trend's probability of holding it. Everything here works on arrays, element by element.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .forecasting import LIKELY_HELD, MIN_POINTS, to_scale
from ..foundations.vocab import BOUNDS, NATURE_WORDS, POINT_LIKE, Position, Reason, TargetType, Verdict

TARGET_TYPES = {"=": TargetType.POINT, "~": TargetType.ABOUT, "range": TargetType.RANGE,
                ">=": TargetType.FLOOR, ">": TargetType.FLOOR, "<=": TargetType.CAP, "<": TargetType.CAP}
STRICT = (">", "<")  # 超, more than: the bound itself does not hold it
EXACT_MEASURES = ("count",)  # a count is printed whole: no rounding band
RELATIVE_EPS = 1e-9  # two figures this close (relative) are equal: guards float noise, never a printed digit


def target_type(comparator, value) -> np.ndarray:
    """The type of each target: from its comparator; qualitative where it has no value."""
    types = pd.Series(comparator, dtype=object).map(TARGET_TYPES).to_numpy(dtype=object)
    if any(t is None or t is np.nan for t in types):
        unknown = sorted({str(c) for c, t in zip(comparator, types) if not isinstance(t, str)})
        raise ValueError(f"unknown comparator(s) {unknown}")
    return np.where(pd.isna(np.asarray(value, dtype=float)), TargetType.QUALITATIVE, types).astype(object)


def nature(text: str | None) -> str | None:
    """预期性 or 约束性 when the text (a target's quote) says which; None otherwise."""
    found = {code for word, code in NATURE_WORDS.items() if isinstance(text, str) and word in text}
    return found.pop().value if len(found) == 1 else None


def decimals(text) -> int:
    """How many decimals a figure was printed with: '84.23' -> 2, '6' -> 0, '1,200' -> 0."""
    digits = str(text).replace(",", "").strip().lstrip("+-")
    return len(digits.split(".", 1)[1]) if "." in digits else 0


def half_step(text) -> float:
    """Half of the last printed digit of a figure as printed: '84.23' -> 0.005, '6' -> 0.5, '1,200' -> 0.5.

    Missing text gives NaN (nothing is known of its precision)."""
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return np.nan
    return 0.5 * 10.0 ** -decimals(text)


def half_steps(texts, measure) -> np.ndarray:
    """half_step of each printed figure; 0 for exact measures (counts)."""
    steps = np.array([half_step(t) for t in texts], dtype=float)
    return np.where(np.isin(np.asarray(measure, dtype=object), EXACT_MEASURES), 0.0, steps)


def good_side(types, direction) -> np.ndarray:
    """+1 where more is better for the target, -1 where less is: a floor +1, a cap -1, else the direction."""
    types, direction = np.asarray(types, dtype=object), np.asarray(direction, dtype=object)
    return np.select([types == TargetType.FLOOR, types == TargetType.CAP], [1.0, -1.0],
                     np.where(direction == "lower", -1.0, 1.0))


def bound(types, value, value_high, direction) -> np.ndarray:
    """The value a target asks for: a range's end on its good side (4至6: 4 if more is better), else the value."""
    value, high = np.asarray(value, dtype=float), np.asarray(value_high, dtype=float)
    upper_end = (np.asarray(types, dtype=object) == TargetType.RANGE) & (good_side(types, direction) < 0)
    return np.where(upper_end, high, value)


def judge(types, comparator, value, value_high, direction, actual, half_width, target_half) -> pd.DataFrame:
    """The outcome verdict of each target with a comparable full-year actual.

    `actual` is the outcome in the target's unit; `half_width` half its rounding band
    (half_steps, or carried through a derivation); `target_half` half the target's last
    printed digit, used by 左右 targets only. Returns verdict, reason, margin (beyond
    the bound in the target's good direction: positive = met with room, negative =
    short; for caps and floors the headroom), band_low and band_high (the outcome's band
    after any 左右 widening; NaN for caps and floors, judged by the bound alone).
    """
    types = np.asarray(types, dtype=object)
    comparator = np.asarray(comparator, dtype=object)
    actual, half = np.asarray(actual, dtype=float), np.nan_to_num(np.asarray(half_width, dtype=float))
    side = good_side(types, direction)
    target = bound(types, value, value_high, direction)
    margin = side * (actual - target)
    eps = RELATIVE_EPS * np.maximum(np.abs(actual), np.abs(target))
    strict = np.isin(comparator, STRICT)
    beyond = np.where(strict, margin > eps, margin >= -eps)
    is_bound = np.isin(types, BOUNDS)
    widen = np.where(types == TargetType.ABOUT, np.nan_to_num(np.asarray(target_half, dtype=float)), 0.0)
    band = np.where(is_bound, 0.0, half + widen)
    reaches = margin + band >= -eps  # the band touches the target
    verdict = np.select([beyond, ~is_bound & reaches], [Verdict.MET, Verdict.WITHIN], Verdict.MISSED).astype(object)
    reason = np.select(
        [beyond & is_bound, beyond, verdict == Verdict.WITHIN, is_bound],
        [Reason.HELD, Reason.REACHED, Reason.ROUNDING, Reason.BREACHED], Reason.SHORT).astype(object)
    qualitative = types == TargetType.QUALITATIVE
    verdict[qualitative], reason[qualitative] = Verdict.CANNOT_ASSESS, Reason.QUALITATIVE
    shown = ~is_bound & ~qualitative
    return pd.DataFrame({
        "verdict": verdict, "reason": reason, "margin": np.where(qualitative, np.nan, margin),
        "band_low": np.where(shown, actual - band, np.nan), "band_high": np.where(shown, actual + band, np.nan),
    })


def p_hold(types, value, value_high, direction, centre, spread, df, scale) -> np.ndarray:
    """The trend's probability that each target is met (a cap or floor held): P(outcome on its good side).

    `centre`, `spread`, `df` and `scale` are forecasting.project's distribution of the
    target's year on the model's scale (a t with `df` degrees of freedom; normal if inf).
    """
    side = good_side(types, direction)
    target = bound(types, value, value_high, direction)
    out = np.full(len(side), np.nan)
    for i, (s, t, c, sd, d, sc) in enumerate(zip(side, target, centre, spread, df, scale)):
        if not (np.isfinite(c) and np.isfinite(sd) and np.isfinite(t)) or sd <= 0:
            continue
        if (sc in ("log", "logit") and t <= 0) or (sc == "logit" and t >= 100):
            below = 0.0 if t <= 0 else 1.0
        else:
            dist = stats.t(d) if np.isfinite(d) else stats.norm
            below = float(dist.cdf((float(to_scale(t, sc)) - c) / sd))
        out[i] = 1 - below if s > 0 else below
    return out


def trend_label(types, points, lower, upper, value, value_high, direction, last_actual, probability) -> np.ndarray:
    """Where each target stands against the trend, or why no label can be given (vocab.Position).

    `points`: printed actuals (estimates count, derived levels do not) up to the year
    before the target's; `lower`, `upper`: the trend's interval for the target's year;
    `last_actual`: the latest of those points; `probability`: p_hold.
    - qualitative: not applicable; fewer than MIN_POINTS points: too few points;
    - cap or floor: likely held when probability >= LIKELY_HELD, else at risk;
    - point, about, range: stretch, within or modest against the interval, only when the
      interval is narrower than the step |target - last actual|; otherwise too uncertain.
    """
    types = np.asarray(types, dtype=object)
    lower, upper = np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
    side = good_side(types, direction)
    target = bound(types, value, value_high, direction)
    step = np.abs(target - np.asarray(last_actual, dtype=float))
    enough = np.asarray(points, dtype=float) >= MIN_POINTS
    has_interval = np.isfinite(lower) & np.isfinite(upper)
    narrow = has_interval & ((upper - lower) < step)
    with np.errstate(invalid="ignore"):
        above, below = target > upper, target < lower
    stretch, modest = np.where(side > 0, above, below), np.where(side > 0, below, above)
    is_bound = np.isin(types, BOUNDS)
    probability = np.asarray(probability, dtype=float)
    return np.select(
        [types == TargetType.QUALITATIVE, ~enough,
         is_bound & (probability >= LIKELY_HELD), is_bound & np.isfinite(probability), is_bound,
         ~narrow, stretch, modest],
        [Position.NOT_APPLICABLE, Position.TOO_FEW_POINTS, Position.LIKELY_HELD, Position.AT_RISK,
         Position.TOO_UNCERTAIN, Position.TOO_UNCERTAIN, Position.STRETCH, Position.MODEST],
        Position.WITHIN).astype(object)


def is_point_like(types) -> np.ndarray:
    """Targets of which "less than" or "more than" a baseline may be said, and that a trend can rank."""
    return np.isin(np.asarray(types, dtype=object), POINT_LIKE)
