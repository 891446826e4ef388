"""Charts: Chinese drawn with a real CJK font, English throughout for lang=en, bounds as bounds."""

import re
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.ft2font import FT2Font  # noqa: E402

import zhenhai_analysis as za  # noqa: E402
from zhenhai_analysis import charts, style  # noqa: E402
from zhenhai_analysis.formatting import format_value  # noqa: E402
from zhenhai_analysis.labels import labels as labels_  # noqa: E402

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


@pytest.mark.parametrize("theme", ["industry", "investment", "macro", "covid_response"])
def test_theme_chart_draws_without_missing_glyph_warnings(theme):
    obs = za.load_indicators()
    has_targets = ((obs.theme == theme) & (obs.kind == "target") & (obs.year == 2020)).any()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a "Glyph ... missing from font" warning fails the test
        if not has_targets:
            with pytest.raises(ValueError, match="no 2020 targets"):
                charts.theme_chart(obs, theme, "zh", 2020)
            return
        fig = charts.theme_chart(obs, theme, "zh", 2020)
        fig.canvas.draw()
    assert any(CJK.search(t) for t in _texts(fig))
    plt.close(fig)


def test_english_charts_have_english_labels_throughout():
    obs = za.load_indicators()
    fig = charts.theme_chart(obs, "investment", "en", 2020)
    fig.canvas.draw()
    texts = _texts(fig)
    assert "Domestic capital attracted from outside Ningbo" in texts
    assert [t for t in texts if CJK.search(t)] == []
    plt.close(fig)


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
    assert charts.indicator_chart(obs, "fdi_utilised", "en").get_ylabel() == "× 100 million US dollars"
    plt.close("all")


def test_the_legend_shows_only_what_is_drawn():
    import zhenhai_analysis as za

    obs = za.load_indicators()
    fig = charts.indicator_figure(obs, "gdp_growth", "en")
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["actual", "target"]
    fig = charts.indicator_figure(obs, "rd_expenditure", "zh")  # 超30亿元: a strict bound, drawn hollow
    assert "目标（超过）" in [t.get_text() for t in fig.axes[0].get_legend().get_texts()]


def test_targets_without_history_are_listed_not_drawn_as_single_dots():
    obs = figures_2020()
    drawn, listed = charts.with_history(obs, "investment", 2020), charts.without_history(obs, "investment", 2020)
    assert drawn and len(listed) and not set(drawn) & set(listed["indicator_id"])
    actuals = set(obs.loc[obs["kind"] == "actual", "indicator_id"])
    assert set(drawn) <= actuals and not set(listed["indicator_id"]) & actuals


def test_a_figure_carries_its_alternative_text(monkeypatch):
    import zhenhai_analysis as za
    from zhenhai_analysis import display

    shown = []
    monkeypatch.setattr(display, "display", lambda obj, metadata=None: shown.append((obj, metadata)))
    obs = za.load_indicators()
    alt = charts.describe(obs, "gdp_growth", "en")
    display.figure(charts.indicator_figure(obs, "gdp_growth", "en"), alt, note="Source: …")
    assert shown[0][1] == {"image/png": {"alt": alt}} and "2019 actual 7.1 %" in alt
    assert "Source: …" in shown[1][0].data
