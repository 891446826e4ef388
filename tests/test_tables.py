"""The briefing's tables, checked against reviewed snapshots (no kernel).

Each snapshot in tests/snapshots/ is a table exactly as a page shows it, for the 2020
report alone. After a deliberate change, rewrite them with
`UPDATE_SNAPSHOTS=1 make test-fast`, read the diff, and commit it.
"""

import os
import re

import pandas as pd
import pytest

import zhenhai_analysis as za
from zhenhai_analysis.presentation import tables
from zhenhai_analysis.presentation.display import show

from zhenhai_analysis.analysis.briefing import illustrations as briefing_illustrations

from .conftest import PROJECT, copy_2020_data

SNAPSHOTS = PROJECT / "tests" / "snapshots"


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    root = copy_2020_data(tmp_path_factory.mktemp("tables") / "data")
    obs, themes = za.load_indicators(root), za.load_themes(root)
    gaps = za.briefing_model(root, 2020, 2019).rows  # the 2020 report alone: its targets, no outcomes yet
    return {"root": root, "obs": obs, "themes": themes, "gaps": gaps}


def _cases(d):
    obs, themes, gaps = d["obs"], d["themes"], d["gaps"]
    forecast = za.forecast(obs, "domestic_investment_outside_city")
    against = gaps
    for lang in ("zh", "en"):
        yield f"gap_table.{lang}", tables.gap_table(gaps, themes, lang)
        yield f"target_table.{lang}", tables.target_table(against, lang)
        yield f"scorecard_table.{lang}", tables.scorecard_table(gaps, lang)
        yield f"counts_by_theme.{lang}", tables.counts_by_theme(obs, themes, lang)
        yield f"figures_table.{lang}", tables.figures_table(obs, themes, lang)
        yield f"exclusions_table.{lang}", tables.exclusions_table(za.load_exclusions(d["root"]), lang)
        yield f"forecast_table.{lang}", tables.forecast_table(forecast, "亿元", lang)
        yield f"history_table.{lang}", tables.history_table(obs, "fdi_utilised", lang)
        # The verdicts, bands and reasons of the curated data (later documents hold the 2020 outcomes).
        model = za.briefing_model(None, 2020, 2019)
        yield f"scorecard_curated.{lang}", tables.scorecard_table(model.rows, lang)
        yield f"worked_examples.{lang}", tables.worked_examples(model.rows, lang, briefing_illustrations(2020))
        yield f"status_table.{lang}", tables.status_table(model.rows, lang)[0]


def test_tables_match_their_snapshots(data):
    update = os.environ.get("UPDATE_SNAPSHOTS") == "1"
    names = []
    for name, table in _cases(data):
        text = table.to_csv(lineterminator="\n")
        path = SNAPSHOTS / f"{name}.csv"
        names.append(path.name)
        if update:
            path.write_text(text, encoding="utf-8")
        assert path.exists(), f"no snapshot {path.name}: run UPDATE_SNAPSHOTS=1 make test-fast"
        assert text == path.read_text(encoding="utf-8"), f"{name} differs from {path}"
    assert sorted(names) == sorted(p.name for p in SNAPSHOTS.glob("*.csv")), "stale snapshot files"


def test_chinese_tables_hold_no_english_words_outside_quotes_and_names(data):
    """Column heads and category words of zh tables are Chinese (ids and units such as GDP, R&D may stay)."""
    english = re.compile(r"\b[a-z]{4,}\b")
    ids = set(data["obs"]["indicator_id"])  # an index of indicator ids is not shown (display.show links by it)
    for name, table in _cases(data):
        if name.endswith(".zh"):
            heads = " ".join(map(str, table.columns)) + " " + " ".join(str(i) for i in table.index if i not in ids)
            assert not english.search(heads.replace("zhenhai_2020_summary", "")), (name, heads)


def test_show_escapes_markup_from_the_data(monkeypatch):
    import zhenhai_analysis.presentation.display as ui

    shown = []
    monkeypatch.setattr(ui, "_html", shown.append)
    hostile = pd.DataFrame({"<b>name</b>": ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]},
                           index=["<i>a</i>", "b"])
    show(hostile)
    html = shown[0]
    assert "<script>" not in html and "<img" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;b&gt;name&lt;/b&gt;" in html


def test_the_history_names_its_sources_by_title_not_by_id():
    import zhenhai_analysis as za

    sources = za.load_sources()
    table = tables.history_table(za.load_indicators(), "gdp_growth", "en", sources)
    named = set(table["Source"])
    assert not named & set(sources["source"]) and all("(20" in n for n in named)


def test_expected_or_binding_is_shown_only_where_a_document_says_which():
    rows = za.briefing_model(None, 2020, 2019).rows
    assert rows["nature"].isna().all()  # no 2020 target's sentence says 预期性 or 约束性
    assert "Expected or binding (预期性/约束性)" not in tables.target_table(rows, "en").columns
    said = rows.assign(nature=rows["nature"].where(rows.indicator_id != "registered_urban_unemployment_rate", "binding"))
    table = tables.target_table(said, "zh")
    assert table.loc["registered_urban_unemployment_rate", "预期性/约束性"] == "约束性"
    assert table.loc["gdp_growth", "预期性/约束性"] == "—"


def test_the_status_table_has_a_row_per_target_and_says_why_a_baseline_is_missing():
    rows = za.briefing_model(None, 2020, 2019).rows
    table, statuses, notes = tables.status_table(rows, "en")
    assert len(table) == len(rows) == len(statuses) and sorted(table.index) == sorted(rows.indicator_id)
    assert statuses[:4] == ["met"] * 4 and statuses[-1] == "no figure found"  # judged first, in verdict order
    differs = rows[~rows.comparable & rows.base_value.notna()]
    assert len(notes) == len(differs) + 1  # one note per baseline of another measure, one for "—"
    marked = table[table["2019 actual"].str.startswith("differs")]
    assert sorted(marked.index) == sorted(differs.indicator_id)
    assert table.loc["general_budget_revenue", "2020 actual"] == "8.448 (carried from its growth)"
    assert table.loc["registered_urban_unemployment_rate", ["2020 target", "Attainment"]].tolist() == ["≤ 3", "✓ met"]
    assert table.loc["domestic_investment_outside_city", ["Unit", "2019 actual"]].tolist() == ["billion yuan", "9.92"]
    zh = tables.status_table(rows, "zh")[0]
    assert zh.loc["domestic_investment_outside_city", ["单位", "2019年实际"]].tolist() == ["亿元", "99.2"]
