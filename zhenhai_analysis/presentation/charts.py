"""Charts of actuals against targets, for one indicator or a whole theme.

Targets are drawn as what they are: ▲ at least (以上, 超), ▼ at most (以内), ◆ a point,
a bar from low to high for a range (4至6), ◆ with a bar of ± half its last digit for 左右 (verdicts.half_step). Actuals
for a partial year, derived figures and forecasts have their own markers; the unit is
on the y axis. Every chart uses `style.apply_style()`.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .formatting import axis_unit, estimated, format_figure, format_value, scaled_text
from ..foundations.labels import LIST_SEP, label, localized, localized_value, qualified
from .style import PALETTE, apply_style
from ..analysis.verdicts import half_step
from ..foundations.vocab import AMOUNT_MEASURES, COMPARATOR, COMPARATORS, JUDGED, PART_YEAR_COVERAGES, Position

_TITLE_WIDTH = {"zh": 28, "en": 48}  # characters per line of a panel title


def indicator_chart(
    obs: pd.DataFrame,
    indicator_id: str,
    lang: str = "zh",
    ax: Axes | None = None,
    forecast: pd.DataFrame | None = None,
    derived: pd.DataFrame | None = None,
    title: bool = True,
) -> Axes:
    """Actuals and targets of one indicator over the years, in its printed unit."""
    apply_style()
    rows = obs[obs["indicator_id"] == indicator_id].sort_values("year")
    if rows.empty:
        raise KeyError(f"unknown indicator {indicator_id!r}")
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 3.4), layout="constrained")
    first = rows.iloc[0]
    # English in natural units (billion yuan, US$ million): every value drawn is scaled alike.
    factor, unit_words = axis_unit(first["unit"], pd.concat([rows["value"], rows["value_high"]]), lang,
                                   first.get("noun_en"))
    if factor != 1:
        rows = rows.assign(value=rows["value"] * factor, value_high=rows["value_high"] * factor,
                           value_text=rows["value_text"].map(lambda t: scaled_text(t, factor)),
                           value_high_text=rows["value_high_text"].map(lambda t: t if pd.isna(t) else scaled_text(t, factor)))
        if derived is not None:
            derived = derived.assign(value=derived["value"] * factor)
        if forecast is not None:
            forecast = forecast.assign(**{c: forecast[c] * factor for c in ("point", "lower", "upper")})
    full = rows[(rows["kind"] == "actual") & (rows["coverage"] == "full_year")]
    partial = rows[(rows["kind"] == "actual") & rows["coverage"].isin(PART_YEAR_COVERAGES)]
    averages = rows[(rows["kind"] == "actual") & (rows["coverage"] == "multi_year_average")]
    targets = rows[rows["kind"] == "target"]
    # An average over years is drawn across them (a cumulative total has no place on a yearly axis).
    for a in averages.itertuples():
        ax.hlines(a.value, a.period_start, a.period_end, colors=PALETTE["actual"], linestyles="--", lw=1.5, gid="average")
        ax.annotate(qualified(a.value_text, label("coverage.multi_year_average", lang, start=a.period_start,
                                                  end=a.period_end), lang),  # its value and its years
                    (a.period_end, a.value), textcoords="offset points", xytext=(-2, 4), ha="right", fontsize=7,
                    annotation_clip=False)

    estimated = full["status"] == "estimated"
    ax.plot(full.loc[~estimated, "year"], full.loc[~estimated, "value"], "o", color=PALETTE["actual"], ms=6, gid="actual")
    ax.plot(full.loc[estimated, "year"], full.loc[estimated, "value"], "o", mfc="white", mew=1.5,
            color=PALETTE["actual"], ms=6, zorder=3, gid="estimate")  # 预计: an estimate, drawn open
    years, values = full["year"].tolist(), full["value"].tolist()
    for y0, v0, y1, v1 in zip(years, values, years[1:], values[1:]):  # dotted across years without a figure
        ax.plot([y0, y1], [v0, v1], color=PALETTE["actual"], lw=1.5, ls="-" if y1 - y0 == 1 else ":")
    ax.plot(partial["year"], partial["value"], "o", mfc="white", color=PALETTE["partial"], ms=6, gid="partial")
    for t in targets.itertuples():
        colour = PALETTE["target"]
        if t.comparator == "range":
            ax.plot([t.year, t.year], [t.value, t.value_high], color=colour, lw=3, solid_capstyle="butt")
            ax.plot([t.year] * 2, [t.value, t.value_high], "_", color=colour, ms=14, mew=2, gid="target")
        else:
            if t.comparator == "~":
                half = half_step(t.value_text)  # 左右: the band widens by half the last printed digit (verdicts)
                ax.errorbar(t.year, t.value, yerr=half, color=colour, capsize=4, lw=1)
            bound = COMPARATOR[t.comparator]
            ax.plot(t.year, t.value, bound.marker, color=colour, ms=8, mfc=colour if bound.filled else "white", gid="target")
    mine = derived_shown(rows, indicator_id, derived)
    ax.plot(mine["year"], mine["value"], "s", mfc="white", color=PALETTE["derived"], ms=6, gid="derived")
    if forecast is not None and forecast["point"].notna().any():
        f = forecast[forecast["point"].notna()]
        err = [(f["point"] - f["lower"]).fillna(0), (f["upper"] - f["point"]).fillna(0)]
        ax.errorbar(f["year"], f["point"], yerr=err, fmt="o", mfc="white", color=PALETTE["forecast"], capsize=4, lw=1)
        ax.plot(f["year"], f["point"], linestyle="none", gid="forecast")  # the points drawn, for marks()

    labelled = pd.concat([full, partial, targets])
    for _, row in labelled.iterrows():
        top = row["value_high"] if row["comparator"] == "range" else row["value"]
        same_year = labelled.loc[labelled["year"] == row["year"], "value"]
        if same_year.nunique() > 1:  # a target and an actual of one year: the lower label under its point
            below = row["value"] == same_year.min()
        else:  # a target's label under it, an actual's above
            below = row["kind"] == "target"
        ax.annotate(format_value(row, lang), (row["year"], top), textcoords="offset points",
                    xytext=(6, -11 if below else 4), fontsize=8)
    years = sorted(set(rows["year"]) | set(mine["year"]) | (set(forecast["year"]) if forecast is not None else set()))
    ax.set_xticks(years, [str(y) for y in years])
    ax.set_xlim(min(years) - 0.6, max(years) + 0.8)
    # The unit, horizontal, above the axis (a rotated 个 reads as an arrow).
    ax.set_ylabel(unit_words or label("count", lang), rotation=0, ha="left", va="bottom",
                  fontsize=8)
    ax.yaxis.set_label_coords(0, 1.01)
    ax.margins(y=0.25)
    drawn_values = [rows["value"], rows["value_high"]] + ([forecast["upper"], forecast["point"]] if forecast is not None else [])
    highest = pd.concat(drawn_values).max()  # the axis holds every mark, a forecast's interval included
    if first["measure"] == "rank":
        ax.set_ylim(highest + 1.5, 0.5)  # first place on top
    elif first["measure"] != "growth" and (rows["value"] >= 0).all():
        ax.set_ylim(0, highest * 1.25)  # amounts from zero, so heights compare honestly
    if title:
        ax.set_title(_wrap(localized_value(first, "name", lang), _TITLE_WIDTH[lang]), loc="left", pad=14)
    return ax


MARKS = ("actual", "estimate", "partial", "average", "target", "derived", "forecast")


def marks(ax: Axes) -> pd.DataFrame:
    """What an indicator chart (indicator_chart's axes) draws: one row per point, with its mark (MARKS),
    year and value; an average over years is one row at its last year. Read back from the artists."""
    rows = []
    for line in ax.get_lines():
        if line.get_gid() in MARKS:
            rows += [(line.get_gid(), int(round(x)), float(y)) for x, y in zip(line.get_xdata(), line.get_ydata())]
    for collection in ax.collections:
        if collection.get_gid() == "average":
            rows += [("average", int(round(max(seg[:, 0]))), float(seg[0, 1])) for seg in collection.get_segments()]
    return pd.DataFrame(rows, columns=["mark", "year", "value"]).drop_duplicates()


def derived_shown(obs: pd.DataFrame, indicator_id: str, derived: pd.DataFrame | None) -> pd.DataFrame:
    """The levels derived from growth (compare.implied_previous_levels) that a chart draws: those of
    years without a printed full-year actual, since a printed figure always wins over a derived one."""
    if derived is None or derived.empty:
        return pd.DataFrame(columns=["year", "value"])
    rows = obs[obs["indicator_id"] == indicator_id]
    printed = rows.loc[(rows["kind"] == "actual") & (rows["coverage"] == "full_year"), "year"]
    return derived[(derived["indicator_id"] == indicator_id) & ~derived["year"].isin(printed)]


def drawn(obs: pd.DataFrame, indicator_id: str, forecast: pd.DataFrame | None = None,
          derived: pd.DataFrame | None = None) -> set[str]:
    """The legend entries indicator_chart draws for one indicator: what its legend may show."""
    rows = obs[obs["indicator_id"] == indicator_id]
    keys = set()
    full = rows[(rows["kind"] == "actual") & (rows["coverage"] == "full_year")]
    full_years = full["year"].sort_values()
    if (full["status"] == "estimated").any():
        keys.add("estimate")
    if "status" not in full or (full["status"] != "estimated").any():
        keys.add("actual")
    if (full_years.diff() > 1).any():
        keys.add("gap")  # a dotted line joins two actuals years apart
    if ((rows["kind"] == "actual") & rows["coverage"].isin(PART_YEAR_COVERAGES)).any():
        keys.add("partial_actual")
    if ((rows["kind"] == "actual") & (rows["coverage"] == "multi_year_average")).any():
        keys.add("period_average")
    keys |= {f"target.{c}" for c in rows.loc[rows["kind"] == "target", "comparator"]}
    if not derived_shown(obs, indicator_id, derived).empty:
        keys.add("derived")
    if forecast is not None and forecast["point"].notna().any():
        keys.add("forecast")
    return keys


CHART_KEY = ("actual", "estimate", "partial_actual", "period_average", "target", "derived", "forecast")  # the order of chart_key's parts


def chart_key(keys: set[str], lang: str) -> str:
    """The sentence under an indicator's chart: what its marks mean, for the marks it draws (drawn())."""
    found = {"target" if key.startswith("target.") else key for key in keys}
    first = next((key for key in ("actual", "estimate") if key in found), None)  # the one that says how gaps are drawn
    parts = [label(f"chart.key.{key}_gap" if key == first and "gap" in found else f"chart.key.{key}", lang)
             for key in CHART_KEY if key in found]
    text = label("indicator.p.chart", lang, parts=LIST_SEP[lang].join(parts))
    return text[:1].upper() + text[1:]


def legend_handles(lang: str, keys: set[str] | None = None) -> list[Line2D]:
    """The legend explaining the markers: only those in `keys` (drawn()), in a fixed order."""
    def handle(key: str, text: str, **kw) -> Line2D:
        return Line2D([], [], **{"linestyle": "none", **kw}, label=text)

    target = PALETTE["target"]
    entries = [
        ("actual", label("actual", lang), dict(marker="o", color=PALETTE["actual"])),
        ("estimate", qualified(label("actual", lang), label("estimate_mark", lang), lang),
         dict(marker="o", mfc="white", mew=1.5, color=PALETTE["actual"])),
        ("partial_actual", label("partial_actual", lang), dict(marker="o", mfc="white", color=PALETTE["partial"])),
        ("period_average", label("period_average", lang), dict(linestyle="--", color=PALETTE["actual"])),
        *((f"target.{c.code}", label("target_point", lang) if c.code == "=" else
           label("target_with_bound", lang, bound=label(c.label_key, lang)),
           dict(marker="|" if c.code == "range" else c.marker, ms=12 if c.code == "range" else 7,
                mew=3 if c.code == "range" else 1, color=target, mfc=target if c.filled else "white"))
          for c in COMPARATORS),
        ("derived", label("derived", lang), dict(marker="s", mfc="white", color=PALETTE["derived"])),
        ("forecast", label("forecast", lang), dict(marker="o", mfc="white", color=PALETTE["forecast"])),
    ]
    return [handle(key, text, **style) for key, text, style in entries if keys is None or key in keys]


def describe(obs: pd.DataFrame, indicator_id: str, lang: str, forecast: pd.DataFrame | None = None) -> str:
    """Alternative text for a chart of one indicator: its points in words."""
    rows = obs[obs["indicator_id"] == indicator_id].sort_values(["year", "kind"])
    parts = [f"{int(r['year'])} {label(r['kind'], lang)} {format_figure(r, lang)}" for _, r in rows.iterrows()]
    if forecast is not None and forecast["point"].notna().any():
        f = forecast[forecast["point"].notna()].iloc[0]
        parts.append(f"{int(f['year'])} {label('forecast', lang)} {estimated(f['point'], rows.iloc[0]['unit'], lang, noun=rows.iloc[0].get('noun_en'))}")
    return label("chart.alt", lang, name=localized_value(rows.iloc[0], "name", lang), points="; ".join(parts))


def indicator_figure(obs: pd.DataFrame, indicator_id: str, lang: str, forecast: pd.DataFrame | None = None,
                     derived: pd.DataFrame | None = None) -> Figure:
    """One indicator's chart with a legend of what it draws and a source note.

    As wide as a panel (PANEL_SIZE): a phone shows it at 85% of its size, so its 8-point
    labels stay about 11 px high there."""
    apply_style()  # before the axes are made: they take their look (grid, spines, ticks) from the style then
    _, ax = plt.subplots(figsize=(PANEL_SIZE[0], 3.1), layout="constrained")
    indicator_chart(obs, indicator_id, lang, ax=ax, forecast=forecast, derived=derived, title=False)
    handles = legend_handles(lang, drawn(obs, indicator_id, forecast, derived))
    ax.figure.legend(handles=handles, fontsize=8, loc="outside lower center", ncols=3 if len(handles) <= 4 else 2,
                     frameon=False)  # below: the chart stays narrow for a phone; two columns where three would overrun it
    return ax.figure


def points_drawn(obs: pd.DataFrame, indicator_id: str, forecast: pd.DataFrame | None = None,
                 derived: pd.DataFrame | None = None) -> int:
    """How many markers indicator_chart draws for one indicator: figures, derived levels, forecasts."""
    points = int(((obs["indicator_id"] == indicator_id) & (obs["coverage"] != "cumulative")).sum())
    points += len(derived_shown(obs, indicator_id, derived))
    return points + (int(forecast["point"].notna().sum()) if forecast is not None else 0)


def show_indicator_chart(obs: pd.DataFrame, indicator_id: str, lang: str, forecast: pd.DataFrame | None = None,
                         derived: pd.DataFrame | None = None) -> None:
    """An indicator page's chart section: heading, chart with its source, and the key to its marks.

    Nothing for an indicator with a single figure: one dot on an axis says less than the
    table of figures under it.
    """
    from .display import figure, heading, text

    if points_drawn(obs, indicator_id, forecast, derived) < 2:
        return
    heading("indicator.h.chart", lang)
    figure(indicator_figure(obs, indicator_id, lang, forecast=forecast, derived=derived),
           describe(obs, indicator_id, lang, forecast=forecast), note=label("chart.source", lang))
    text(chart_key(drawn(obs, indicator_id, forecast, derived), lang))


def _targets(obs: pd.DataFrame, theme: str, year: int | None) -> pd.DataFrame:
    targets = obs[(obs["kind"] == "target") & (obs["theme"] == theme)]
    year = int(obs.loc[obs["kind"] == "target", "year"].max()) if year is None else year
    return targets[targets["year"] == year]


HISTORY_MIN = 2  # actuals of different years that make a history worth a panel


def with_history(obs: pd.DataFrame, theme: str, year: int | None = None) -> list[str]:
    """The indicators of `theme` with a `year` target and actuals of at least HISTORY_MIN years: a panel
    each. A target beside one actual is a step, which the targets table and chart already show."""
    ids = set(_targets(obs, theme, year)["indicator_id"])
    years = obs[obs["kind"] == "actual"].groupby("indicator_id")["year"].nunique()
    return sorted(ids & set(years[years >= HISTORY_MIN].index))


def _wrap(text: str, width: int) -> str:
    """Break a long title into lines of about `width` characters."""
    if len(text) <= width:
        return text
    if " " not in text:  # Chinese: break anywhere
        return "\n".join(text[i : i + width] for i in range(0, len(text), width))
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join(lines + [line])


PANEL_SIZE = (3.6, 2.9)  # inches at 120 dpi: 432 px, one column on a phone, three at 1280 px


def legend_figure(keys: set[str], lang: str) -> Figure:
    """A legend alone, of the markers in `keys` (drawn()), for a grid of panels."""
    apply_style()
    handles = legend_handles(lang, keys)
    fig = plt.figure(figsize=(PANEL_SIZE[0], 0.28 * math.ceil(len(handles) / 2) + 0.15))
    fig.legend(handles=handles, loc="center left", ncols=2, frameon=False, fontsize=8)
    return fig


def show_legend(obs: pd.DataFrame, ids: list[str], lang: str, derived: pd.DataFrame | None = None) -> None:
    """One legend of what the panels of `ids` draw."""
    from .display import legend

    apply_style()
    keys = set().union(*(drawn(obs, i, derived=derived) for i in ids))
    legend(legend_figure(keys, lang), ", ".join(h.get_label() for h in legend_handles(lang, keys)))


def show_panels(obs: pd.DataFrame, ids: list[str], lang: str, pages=None, derived: pd.DataFrame | None = None,
                with_legend: bool = True) -> None:
    """Small multiples as a grid of separate charts, one per indicator, that reflows to one column on a phone.

    A legend of what the panels draw comes first (unless `with_legend` is False: one legend
    above several grids); each panel's title links to its indicator's page where `pages` has it.
    `derived`: levels to draw as derived (a verdict's level carried from growth: compare.carried_levels).
    """
    from .display import panels

    if with_legend:
        show_legend(obs, ids, lang, derived)
    apply_style()
    items = []
    for indicator_id in ids:
        _, ax = plt.subplots(figsize=PANEL_SIZE, layout="constrained")
        indicator_chart(obs, indicator_id, lang, ax=ax, title=False, derived=derived)
        name = localized_value(obs[obs["indicator_id"] == indicator_id].iloc[0], "name", lang)
        items.append((ax.figure, name, describe(obs, indicator_id, lang), indicator_id))
    panels(items, pages, note=label("chart.source", lang))


def show_theme_charts(obs: pd.DataFrame, themes: pd.DataFrame, lang: str, year: int, pages=None,
                      theme_pages=None, derived: pd.DataFrame | None = None) -> None:
    """The panels of each theme with a `year` target on an indicator with a history, under the theme's
    name, linked to the theme's page where `theme_pages` (themes with a page in the run) has it.
    One legend, of what all of them draw, comes first."""
    from .display import subheading

    groups = [(theme, name, with_history(obs, theme, year)) for theme, name in zip(themes["theme"], localized(themes, "name", lang))]
    groups = [group for group in groups if group[2]]
    if groups:
        show_legend(obs, [i for _, _, ids in groups for i in ids], lang, derived)
    for theme, name, ids in groups:
        subheading(name, f"02_theme.{theme}.html" if theme in (theme_pages or ()) else None)
        show_panels(obs, ids, lang, pages, derived=derived, with_legend=False)


def show_theme(obs: pd.DataFrame, theme: str, name: str, lang: str, year: int, pages=None,
               derived: pd.DataFrame | None = None) -> None:
    """A theme's charts: a panel per indicator with a history (its other targets are in the targets table)."""
    ids = with_history(obs, theme, year)
    if ids:
        show_panels(obs, ids, lang, pages, derived=derived)


def targets_figure(against: pd.DataFrame, lang: str) -> Figure | None:
    """The comparable targets as steps from their baseline (0), beside the trend's step and the outcome.

    One panel for amounts (% change), one for rates (change in points); each row a
    target: a line from the baseline to the target, the trend's 80% interval as a grey
    band with its point (where the trend rests on forecasting.MIN_POINTS printed figures or
    more), and the outcome where it is known. None without comparable targets.
    """
    from ..analysis.trend import change_from_base

    apply_style()
    rows = against[against["comparable"] & against["required"].notna()].copy()
    if rows.empty:
        return None
    rows["_amount"] = rows["measure"].isin(AMOUNT_MEASURES)
    groups = [(g, part.sort_values("required")) for g, part in ((True, rows[rows["_amount"]]), (False, rows[~rows["_amount"]]))
              if len(part)]
    heights = [len(part) for _, part in groups]
    fig, axes = plt.subplots(len(groups), 1, figsize=(4.0, 0.42 * sum(heights) + 1.1 * len(groups) + 0.7),
                             height_ratios=heights, layout="constrained", squeeze=False)
    width = _TITLE_WIDTH[lang] // 2
    for ax, (amount, part) in zip(axes[:, 0], groups):
        y = range(len(part))
        names = [_wrap(n, width) for n in localized(part, "name", lang)]
        # A trend of fewer than MIN_POINTS printed figures is not drawn: it carries no label (verdicts.trend_label).
        evidence = part["position"] != Position.TOO_FEW_POINTS
        low = change_from_base(part, part["trend_lower"]).where(evidence)
        high = change_from_base(part, part["trend_upper"]).where(evidence)
        ax.hlines(y, low, high, color="#bbbbbb", lw=7)
        ax.plot(change_from_base(part, part["trend_point"]).where(evidence), y, "|", color="#777777", ms=9, mew=2)
        ax.hlines(y, 0, part["required"], color=PALETTE["target"], lw=1.5)
        for i, (step, code) in enumerate(zip(part["required"], part["comparator"])):  # ▲ at least, ▼ at most ...
            bound = COMPARATOR[code] if code in COMPARATOR and code != "range" else COMPARATOR["="]
            ax.plot(step, i, bound.marker, color=PALETTE["target"], ms=7, mfc=PALETTE["target"] if bound.filled else "white")
        known = part["verdict"].isin(JUDGED)
        carried = known & (part["actual_derived"] != "")  # carried from its growth: drawn hollow, as derived levels are
        for subset, style in ((known & ~carried, {"color": PALETTE["actual"]}),
                              (carried, {"color": PALETTE["derived"], "mfc": "white", "marker": "s"})):
            ax.plot(change_from_base(part[subset], part.loc[subset, "actual_value"]),
                    [i for i, k in zip(y, subset) if k], **{"marker": "o", "linestyle": "none", "ms": 6, **style})
        ax.axvline(0, color="#333333", lw=0.8)
        ax.set_yticks(list(y), names, fontsize=8)
        ax.set_xlabel(label("chart.targets.amounts" if amount else "chart.targets.rates", lang), fontsize=8)
        ax.tick_params(axis="x", labelsize=8)
        ax.margins(x=0.08, y=0.5 / max(len(part), 1))  # no mark on the frame
    bounds = [COMPARATOR[c] for c in COMPARATOR if c not in ("=", "range") and c in set(rows["comparator"])]
    handles = [Line2D([], [], color=PALETTE["target"], marker="D", lw=1.5, label=label("chart.targets.target", lang)),
               *(Line2D([], [], color=PALETTE["target"], marker=b.marker, linestyle="none",
                        mfc=PALETTE["target"] if b.filled else "white",
                        label=label("target_with_bound", lang, bound=label(b.label_key, lang))) for b in bounds),
               Line2D([], [], color="#bbbbbb", lw=7, label=label("chart.targets.trend", lang)),
               Line2D([], [], color="#777777", marker="|", ms=9, mew=2, linestyle="none",
                      label=label("chart.targets.trend_point", lang)),
               Line2D([], [], color=PALETTE["actual"], marker="o", linestyle="none", label=label("actual", lang))]
    if (rows["verdict"].isin(JUDGED) & (rows["actual_derived"] != "")).any():
        handles.append(Line2D([], [], color=PALETTE["derived"], marker="s", mfc="white", linestyle="none",
                              label=label("derived", lang)))
    fig.legend(handles=handles, loc="outside upper left", ncols=2, frameon=False, fontsize=8)
    return fig


def describe_targets(against: pd.DataFrame, lang: str) -> str:
    """Alternative text for targets_figure: each target's step from its baseline."""
    from .tables import required_text

    rows = against[against["comparable"] & against["required"].notna()]
    steps = "; ".join(f"{n} {required_text(r, lang)}" for n, (_, r) in zip(localized(rows, "name", lang), rows.iterrows()))
    return label("chart.alt.targets", lang, steps=steps)
