"""Charts: Chinese drawn with a real CJK font, English throughout for lang=en, bounds as bounds."""

import re
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.ft2font import FT2Font  # noqa: E402

import zhenhai_analysis as za  # noqa: E402
from zhenhai_analysis.presentation import charts, style  # noqa: E402
from zhenhai_analysis.presentation.formatting import format_value  # noqa: E402
from zhenhai_analysis.foundations.labels import labels as labels_  # noqa: E402

from .conftest import figures_2020  # noqa: E402

CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]


def test_every_chinese_label_is_covered_by_the_chart_font():
    obs, themes = za.load_indicators(), za.load_themes()
    labels = list(obs["name_zh"]) + list(themes["name_zh"]) + list(obs["unit"])
    labels += [words["zh"] for words in labels_().values()]
    labels += [format_value(row, "zh") for _, row in obs.iterrows()]
    labels += ["−1.5", "≥ ≤ ≈ – × ²"]
    missing = style.missing_glyphs("".join(labels))
    assert missing == set(), f"not in {style.font_path().name}: {sorted(missing)}"


def test_the_style_selects_the_bundled_open_font():
    style.apply_style()
    found = font_manager.findfont(font_manager.FontProperties(family=matplotlib.rcParams["font.sans-serif"]))
    # The bundled file, or the same font installed by the system (Debian's fonts-noto-cjk).
    assert font_manager.get_font(found).family_name == style.FONT_FAMILY == FT2Font(str(style.font_path())).family_name
    assert matplotlib.rcParams["font.sans-serif"][0] == "Noto Sans CJK SC"  # not reset by seaborn.set_theme
    assert matplotlib.rcParams["axes.unicode_minus"] and "\u2212" not in style.missing_glyphs("\u2212")


def _panels(monkeypatch, obs, theme, lang, pages=()):
    """The HTML show_theme displays for a theme, and the figures it drew (still open for inspection)."""
    from zhenhai_analysis.presentation import display

    shown, figures = [], []
    monkeypatch.setattr(display, "_html", shown.append)
    monkeypatch.setattr(display, "_png", lambda fig: figures.append(fig) or b"png")
    charts.show_theme(obs, theme, theme, lang, 2020, pages=pages)
    return "".join(shown), figures


@pytest.mark.parametrize("theme", ["industry", "investment", "macro"])
def test_theme_panels_draw_chinese_without_missing_glyph_warnings(monkeypatch, theme):
    obs = za.load_indicators()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a "Glyph ... missing from font" warning fails the test
        html, figures = _panels(monkeypatch, obs, theme, "zh")
        for fig in figures:
            fig.canvas.draw()
    ids = charts.with_history(obs, theme, 2020)
    assert html.count("<figure>") == len(ids) and len(figures) == len(ids) + 1  # a panel each, and the legend
    assert any(CJK.search(t) for fig in figures for t in _texts(fig))
    plt.close("all")


def test_english_panels_have_english_labels_and_link_to_their_pages(monkeypatch):
    obs = za.load_indicators()
    html, figures = _panels(monkeypatch, obs, "investment", "en", pages={"domestic_investment_outside_city"})
    assert '<a href="03_indicator.domestic_investment_outside_city.html">Domestic capital attracted from outside Ningbo</a>' in html
    texts = [t for fig in figures for t in _texts(fig)]
    assert [t for t in texts if CJK.search(t)] == []
    plt.close("all")


def test_the_briefing_charts_by_theme_share_one_legend_of_everything_drawn(monkeypatch):
    from zhenhai_analysis.presentation import display

    obs, themes = za.load_indicators(), za.load_themes()
    shown, figures = [], []
    monkeypatch.setattr(display, "_html", shown.append)
    monkeypatch.setattr(display, "_png", lambda fig: figures.append(fig) or b"png")
    charts.show_theme_charts(obs, themes, "en", 2020)
    html = "".join(shown)
    ids = [i for theme in themes["theme"] for i in charts.with_history(obs, theme, 2020)]
    assert len(ids) > 3 and html.count('<div class="legend">') == 1 and html.index('class="legend"') < html.index("<figure>")
    assert html.count("<figure>") == len(ids) and len(figures) == len(ids) + 1
    legend = {t for t in _texts(figures[0])}
    every = set().union(*(charts.drawn(obs, i) for i in ids))
    assert len(legend) == len(charts.legend_handles("en", every))  # each thing drawn in any theme, once
    plt.close("all")


def test_every_chart_has_the_style_whatever_was_drawn_before():
    """A page's chart must not depend on an earlier page having set the style: a kernel's
    settings may be matplotlib's defaults when a page draws (seen on one page of a run)."""
    obs = za.load_indicators()
    makers = [lambda: charts.indicator_figure(obs, "general_budget_revenue", "en"),
              lambda: charts.legend_figure({"actual", "target"}, "en"),
              lambda: charts.targets_figure(za.briefing_model(None, 2020, 2019).rows, "en")]
    for make in makers:
        matplotlib.rcdefaults()
        fig = make()
        fig.canvas.draw()
        assert matplotlib.rcParams["font.sans-serif"][0] == style.FONT_FAMILY
        for ax in fig.axes:  # none for a legend alone
            assert any(line.get_visible() for line in ax.get_xgridlines() + ax.get_ygridlines()), "the style came too late"
            assert ax.xaxis.get_major_ticks()[0].label1.get_fontsize() == 8
    plt.close("all")


def test_targets_chart_draws_each_comparable_target_from_its_baseline():
    against = za.briefing_model(None, 2020, 2019).rows
    fig = charts.targets_figure(against, "en")
    comparable = against[against.comparable & against.required.notna()]
    ticks = [t.get_text() for ax in fig.axes for t in ax.get_yticklabels()]
    assert len(ticks) == len(comparable)
    from zhenhai_analysis.presentation.style import PALETTE
    from zhenhai_analysis.foundations.vocab import COMPARATOR

    marks = [(x, line.get_marker()) for ax in fig.axes for line in ax.get_lines()
             if line.get_color() == PALETTE["target"] and line.get_marker() not in ("None", "", None) for x in line.get_xdata()]
    assert sorted(x for x, _ in marks) == sorted(comparable["required"])
    cap = comparable.set_index("indicator_id").loc["registered_urban_unemployment_rate", "required"]
    assert (cap, COMPARATOR["<="].marker) in marks  # a cap is drawn as one, not as a point target
    assert "+16.9%" in charts.describe_targets(against, "en")
    assert charts.targets_figure(against.iloc[0:0], "en") is None
    plt.close("all")


def test_bounds_are_drawn_as_bounds():
    obs = za.load_indicators()
    ax = charts.indicator_chart(obs, "registered_urban_unemployment_rate", "en")
    markers = {line.get_marker() for line in ax.get_lines()}
    assert "v" in markers  # 3%以内: at most
    ax = charts.indicator_chart(obs, "cloud_benchmark_pilot_enterprises", "en")
    spans = [tuple(line.get_ydata()) for line in ax.get_lines() if len(line.get_ydata()) == 2]
    assert (4.0, 6.0) in spans  # 4至6: a bar from 4 to 6
    assert ax.get_ylabel() == "enterprises"
    plt.close("all")


def test_chart_axes_carry_the_unit():
    obs = za.load_indicators()
    assert charts.indicator_chart(obs, "fdi_utilised", "zh").get_ylabel() == "亿美元"
    ax = charts.indicator_chart(obs, "fdi_utilised", "en")  # 1.8亿美元: drawn as US$180 million
    assert ax.get_ylabel() == "US$ million" and 180 in ax.get_lines()[0].get_ydata()
    plt.close("all")


def test_the_legend_shows_only_what_is_drawn():
    import zhenhai_analysis as za
    from zhenhai_analysis.presentation.style import PALETTE

    obs = za.load_indicators()
    fig = charts.indicator_figure(obs, "gdp_growth", "en")
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [  # 2013, 2018: 预计; 2012-2016: 年均
        "actual", "actual (estimate)", "average over years", "target"]
    estimates = [line for line in fig.axes[0].get_lines() if line.get_markerfacecolor() == "white"
                 and line.get_color() == PALETTE["actual"]]
    assert sorted(x for line in estimates for x in line.get_xdata()) == [2013, 2018]
    fig = charts.indicator_figure(obs, "rd_expenditure", "zh")  # 超30亿元: a strict bound, drawn hollow
    assert "目标（超过）" in [t.get_text() for t in fig.legends[0].get_texts()]


def test_only_indicators_with_a_history_get_a_panel():
    import zhenhai_analysis as za

    obs = za.load_indicators()
    actual_years = obs[obs["kind"] == "actual"].groupby("indicator_id")["year"].nunique()
    drawn = {theme: charts.with_history(obs, theme, 2020) for theme in obs["theme"].unique()}
    assert all(actual_years[i] >= charts.HISTORY_MIN for ids in drawn.values() for i in ids)
    assert "gdp_growth" in drawn["macro"]
    assert not charts.with_history(figures_2020(), "macro", 2020)  # one report alone holds no history


def test_a_figure_carries_its_alternative_text(monkeypatch):
    import zhenhai_analysis as za
    from zhenhai_analysis.presentation import display

    shown = []
    monkeypatch.setattr(display, "_html", shown.append)
    obs = za.load_indicators()
    alt = charts.describe(obs, "gdp_growth", "en")
    display.figure(charts.indicator_figure(obs, "gdp_growth", "en"), alt, note="Source: …")
    import html

    assert f'alt="{html.escape(alt)}"' in shown[0] and "2019 actual 7.1%" in alt
    assert '<figcaption class="chart-source">Source: …</figcaption>' in shown[0]


@pytest.mark.slow
def test_every_indicator_page_agrees_with_itself():
    """For every indicator page, as notebook 03 builds it: each point its chart draws (read back from the
    chart) has a row in the page's table of figures (or of the forecast), and the lead sentence's latest
    and earliest years are the latest actual and the earliest point drawn."""
    import re

    from zhenhai_analysis.analysis.compare import carried_levels, implied_previous_levels
    from zhenhai_analysis.presentation.conclusions import indicator_conclusions
    from zhenhai_analysis.presentation.tables import forecast_table, history_table
    from zhenhai_analysis.analysis.trend import forecast_to_show

    obs = za.load_indicators()
    derived = implied_previous_levels(obs, za.load_catalogue())
    rows = za.briefing_model(None, 2020, 2019).rows
    checked = 0
    for indicator in sorted(obs.loc[obs.year <= 2020, "indicator_id"].unique()):
        fc = za.forecast(obs, indicator, derived=derived)
        shown = forecast_to_show(fc, rows[rows.indicator_id == indicator], 2020)
        mine = rows[rows.indicator_id == indicator]
        derived_drawn = pd.concat([derived, carried_levels(mine)], ignore_index=True)  # as notebook 03
        drawn = charts.derived_shown(obs, indicator, derived_drawn)
        ax = charts.indicator_chart(obs, indicator, "en", forecast=shown, derived=derived_drawn)
        points = charts.marks(ax)
        plt.close("all")
        table_years = set(history_table(obs, indicator, "en", derived=drawn)["Year"])
        forecast_years = set(forecast_table(shown, "%", "en")["Year"]) if shown is not None else set()
        for mark, year in zip(points["mark"], points["year"]):
            assert year in (forecast_years if mark == "forecast" else table_years), (indicator, mark, year)
        lead = indicator_conclusions(obs, indicator, rows, fc, 2020, "en", derived=drawn)[0]
        actual = points[points["mark"].isin(["actual", "estimate"])]
        if len(actual) and lead.startswith("The latest full-year figure"):
            years = [int(y) for y in re.findall(r"\bin (\d{4})", lead)]
            assert years[0] == actual["year"].max(), (indicator, lead)
            earliest = points[points["mark"].isin(["actual", "estimate", "derived"])]["year"].min()
            assert len(years) == 1 and earliest == years[0] or years[-1] == earliest, (indicator, lead, earliest)
            if (points["mark"] == "estimate").any() and actual["year"].max() in set(
                    points.loc[points["mark"] == "estimate", "year"]):
                assert "(estimate)" in lead.split(";")[0], (indicator, lead)
        checked += 1
    assert checked > 200
