"""Downloads are data: numbers as numbers with their unit and multiplier, codes for statuses, the same
bytes for the same inputs, and a bundle whose README defines every column (no kernel)."""

import io
import time
import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook

import zhenhai_analysis as za
from zhenhai_analysis.presentation import downloads
from zhenhai_analysis.analysis.compare import implied_previous_levels
from zhenhai_analysis.presentation.charts import derived_shown


@pytest.fixture(scope="module")
def rows():
    return za.briefing_model(None, 2020, 2019).rows


def test_the_targets_download_holds_numbers_units_multipliers_and_codes(rows):
    data = downloads.targets_data(rows, "zh")
    assert len(data) == len(rows) and set(data["verdict"]) <= {"met", "missed", "within tolerance", "not comparable",
                                                              "cannot assess", "no figure found"}
    for column in ("target_value", "base_value", "actual_value", "margin", "band_low", "multiplier", "p_hold"):
        assert pd.api.types.is_numeric_dtype(data[column]), column
    budget = data.set_index("indicator_id").loc["general_budget_revenue"]
    assert (budget.unit, budget.multiplier, budget.base_unit) == ("亿元", 1e8, "yuan")
    assert budget.target_value * budget.multiplier == pytest.approx(8.45e9)
    assert budget.verdict == "within tolerance" and budget.verdict_words == "在舍入范围内"


def test_a_downloaded_csv_and_workbook_keep_numbers_as_numbers(rows):
    data = downloads.targets_data(rows, "en")
    back = pd.read_csv(io.BytesIO(downloads.table_csv(data)), encoding="utf-8-sig")
    assert pd.api.types.is_float_dtype(back["target_value"]) and pd.api.types.is_float_dtype(back["margin"])
    assert back["target_value"].tolist() == pytest.approx(data["target_value"].tolist(), nan_ok=True)
    sheet = load_workbook(io.BytesIO(downloads.table_xlsx(data))).active
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("target_value") + 1)
    assert cell.data_type == "n" and isinstance(cell.value, (int, float))


def test_a_workbook_is_the_same_bytes_whenever_it_is_made(rows):
    data = downloads.targets_data(rows.head(5), "en")
    first = downloads.table_xlsx(data)
    time.sleep(2.1)  # a zip entry's time has a resolution of two seconds
    assert downloads.table_xlsx(data) == first


def test_the_figures_download_has_the_derived_levels_the_chart_draws():
    obs = za.load_indicators()
    drawn = derived_shown(obs, "exports", implied_previous_levels(obs, za.load_catalogue()))
    data = downloads.figures_data(obs[obs.indicator_id == "exports"], "en", derived=drawn)
    derived = data[data["status"] == "derived"]
    assert len(derived) == len(drawn) >= 1 and derived["quote"].str.contains("/ \\(1 \\+").all()
    assert data["year"].is_monotonic_increasing


def test_the_bundle_holds_everything_defined_in_both_languages_the_same_each_time(rows):
    first = downloads.bundle(None, 2020, 2019)
    assert downloads.bundle(None, 2020, 2019) == first
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert archive.namelist() == ["README.md", "figures.csv", "targets_2020.csv", "sources.csv", "sources.yaml"]
    readme = archive.read("README.md").decode("utf-8")
    for name in ("figures.csv", "targets_2020.csv", "sources.csv"):
        columns = pd.read_csv(io.BytesIO(archive.read(name)), encoding="utf-8-sig", nrows=1).columns
        assert all(readme.count(f"- `{c}`:") >= 2 for c in columns), name  # defined in Chinese and in English
    assert "引用" in readme and "How to cite" in readme
    targets = pd.read_csv(io.BytesIO(archive.read("targets_2020.csv")), encoding="utf-8-sig")
    assert len(targets) == len(rows) and "name_zh" in targets and "name_en" in targets
    sources = pd.read_csv(io.BytesIO(archive.read("sources.csv")), encoding="utf-8-sig")
    assert sources["sha256"].str.fullmatch("[0-9a-f]{64}").all() and sources["url"].str.startswith("http").all()
