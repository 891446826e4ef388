"""Charts of actuals against targets, for one indicator or a whole theme.

Targets are drawn as what they are: ▲ at least (以上, 超), ▼ at most (以内), ◆ a point,
a bar from low to high for a range (4至6), ◆ with a ± tolerance bar for 左右. Actuals
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

from .formatting import format_value, unit_label
from .gaps import DEFAULT_TOLERANCE
from .labels import label, localized, localized_value
from .style import PALETTE, apply_style
from .vocab import COMPARATOR

_TITLE_WIDTH = {"zh": 28, "en": 48}  # characters per line of a panel title


def indicator_chart(
    obs: pd.DataFrame,
    indicator_id: str,
    lang: str = "zh",
    ax: Axes | None = None,
    forecast: pd.DataFrame | None = None,
    derived: pd.DataFrame | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
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
    full = rows[(rows["kind"] == "actual") & (rows["coverage"] == "full_year")]
    partial = rows[(rows["kind"] == "actual") & (rows["coverage"] != "full_year")]
    targets = rows[rows["kind"] == "target"]

    ax.plot(full["year"], full["value"], "o-", color=PALETTE["actual"], lw=1.5, ms=6)
    ax.plot(partial["year"], partial["value"], "o", mfc="white", color=PALETTE["partial"], ms=6)
    for t in targets.itertuples():
        colour = PALETTE["target"]
        if t.comparator == "range":
            ax.plot([t.year, t.year], [t.value, t.value_high], color=colour, lw=3, solid_capstyle="butt")
            ax.plot([t.year] * 2, [t.value, t.value_high], "_", color=colour, ms=14, mew=2)
        else:
            if t.comparator == "~":
                half = tolerance * abs(t.value)
                ax.errorbar(t.year, t.value, yerr=half, color=colour, capsize=4, lw=1)
            ax.plot(t.year, t.value, COMPARATOR[t.comparator].marker, color=colour, ms=8)
    if derived is not None and not derived.empty:
        mine = derived[derived["indicator_id"] == indicator_id]
        ax.plot(mine["year"], mine["value"], "s", mfc="white", color=PALETTE["derived"], ms=6)
    if forecast is not None and forecast["point"].notna().any():
        f = forecast[forecast["point"].notna()]
        err = [(f["point"] - f["lower"]).fillna(0), (f["upper"] - f["point"]).fillna(0)]
        ax.errorbar(f["year"], f["point"], yerr=err, fmt="o", mfc="white", color=PALETTE["forecast"], capsize=4, lw=1)

    for _, row in pd.concat([full, partial, targets]).iterrows():
        top = row["value_high"] if row["comparator"] == "range" else row["value"]
        ax.annotate(format_value(row, lang), (row["year"], top), textcoords="offset points", xytext=(6, 4), fontsize=8)
    years = sorted(set(rows["year"]) | (set(forecast["year"]) if forecast is not None else set()))
    ax.set_xticks(years, [str(y) for y in years])
    ax.set_xlim(min(years) - 0.6, max(years) + 0.8)
    ax.set_ylabel(unit_label(first["unit"], lang) or label("count", lang))
    ax.margins(y=0.25)
    highest = pd.concat([rows["value"], rows["value_high"]]).max()
    if first["measure"] == "rank":
        ax.set_ylim(highest + 1.5, 0.5)  # first place on top
    elif first["measure"] != "growth" and (rows["value"] >= 0).all():
        ax.set_ylim(0, highest * 1.25)  # amounts from zero, so heights compare honestly
    if title:
        ax.set_title(_wrap(localized_value(first, "name", lang), _TITLE_WIDTH[lang]), loc="left")
    return ax


def legend_handles(lang: str) -> list[Line2D]:
    """The legend explaining the markers, shared by all charts."""
    def handle(key: str, **kw) -> Line2D:
        return Line2D([], [], linestyle="none", label=label(key, lang), **kw)

    return [
        handle("actual", marker="o", color=PALETTE["actual"]),
        handle("partial_actual", marker="o", mfc="white", color=PALETTE["partial"]),
        handle("target_at_least", marker="^", color=PALETTE["target"]),
        handle("target_at_most", marker="v", color=PALETTE["target"]),
        handle("target_point", marker="D", color=PALETTE["target"]),
        handle("target_range", marker="|", ms=12, mew=3, color=PALETTE["target"]),
        handle("derived", marker="s", mfc="white", color=PALETTE["derived"]),
        handle("forecast", marker="o", mfc="white", color=PALETTE["forecast"]),
    ]


def theme_chart(obs: pd.DataFrame, theme: str, lang: str = "zh", year: int | None = None, ncols: int = 3) -> Figure:
    """Small multiples: one panel per indicator of `theme` with a target in `year`.

    Each panel has its own unit on its own axis: figures in different units are never
    drawn on one scale. `year` defaults to the latest target year in `obs`.
    """
    apply_style()
    targets = obs[obs["kind"] == "target"]
    year = int(targets["year"].max()) if year is None else year
    ids = sorted(targets[(targets["theme"] == theme) & (targets["year"] == year)]["indicator_id"].unique())
    if not ids:
        raise ValueError(f"no {year} targets in theme {theme!r}")
    ncols = min(ncols, len(ids))
    nrows = math.ceil(len(ids) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.2 * ncols, 3.0 * nrows + 0.6), layout="constrained", squeeze=False)
    for ax, indicator_id in zip(axes.flat, ids):
        indicator_chart(obs, indicator_id, lang, ax=ax)
    for ax in list(axes.flat)[len(ids):]:
        ax.set_visible(False)
    fig.legend(handles=legend_handles(lang), loc="outside lower center", ncols=4, frameon=False)
    return fig


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


def show_theme_charts(obs: pd.DataFrame, themes: pd.DataFrame, lang: str, year: int) -> None:
    """One theme chart per theme that has targets in `year`, each under its theme's name."""
    import html

    from IPython.display import HTML, display

    with_targets = set(obs[(obs["kind"] == "target") & (obs["year"] == year)]["theme"])
    for theme, name in zip(themes["theme"], localized(themes, "name", lang)):
        if theme in with_targets:
            display(HTML(f"<h3>{html.escape(name)}</h3>"))
            fig = theme_chart(obs, theme, lang, year)
            plt.show()
            plt.close(fig)
