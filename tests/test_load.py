"""The loader: tidy output, and a clear, complete error for every kind of broken file."""

import re

import pandas as pd
import pytest

import zhenhai_analysis as za
from zhenhai_analysis.validation.load import INDICATOR_COLUMNS

FIGURES = "figures/zhenhai_2020_summary.csv"


def test_load_indicators_is_tidy_and_typed():
    df = za.load_indicators()
    assert list(df.columns) == INDICATOR_COLUMNS + ["used", "restated_from"]
    assert len(df) >= 100
    assert df["year"].dtype == "int64"
    assert df["value"].dtype == "float64" and df["value_high"].dtype == "float64"
    assert not df.duplicated(["indicator_id", "year", "kind"]).any()
    assert df[["name_zh", "name_en", "theme", "measure", "unit", "quote", "source"]].notna().all().all()
    row = df[(df.indicator_id == "domestic_investment_outside_city") & (df.year == 2019)].iloc[0]
    assert (row.value, row.unit, row.kind, row.comparator) == (99.2, "亿元", "actual", "=")


def test_base_units_column_is_optional():
    plain, based = za.load_indicators(), za.load_indicators(base_units=True)
    assert "value_base" not in plain.columns
    row = based[(based.indicator_id == "fdi_utilised") & (based.year == 2019)].iloc[0]
    assert row.base_unit == "USD" and row.value_base == pytest.approx(1.8e8)


def test_catalogue_lists_each_indicator_once_and_every_one_is_used():
    catalogue, figures = za.load_catalogue(), za.load_indicators()
    assert catalogue["indicator_id"].is_unique
    assert set(catalogue["indicator_id"]) == set(figures["indicator_id"])
    assert catalogue[["theme_zh", "theme_en"]].notna().all().all()


def _edit_line(path, line_number, old, new):
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[line_number - 1], lines[line_number - 1]
    lines[line_number - 1] = lines[line_number - 1].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")


def _line_of(path, needle):
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def _problems(data_dir):
    with pytest.raises(za.DataValidationError) as info:
        za.load_indicators(data_dir)
    return info.value


def _break(data_copy, case):
    """Break the copy in one way; return (file, line, field, message pattern)."""
    figures = data_copy / FIGURES
    line = _line_of(figures, "industrial_value_added_above_size,2019")
    if case == "non-numeric value":
        _edit_line(figures, line, ",652,", ",六百五十二,")
        return figures, line, "value", "'六百五十二' is not a number"
    if case == "unknown unit":
        _edit_line(figures, line, ",亿元,", ",亿圆,")
        return figures, line, "unit", "'亿圆' is not an allowed value"
    if case == "duplicated figure":
        text = figures.read_text(encoding="utf-8")
        figures.write_text(text + text.splitlines()[line - 1] + "\n", encoding="utf-8")
        return figures, line, None, "duplicate row"
    if case == "quote not in source":
        _edit_line(figures, line, ",规上工业增加值652亿元,", ",规上工业增加值652亿圆,")
        return figures, line, "quote", "not found verbatim"
    if case == "missing column":
        frame = pd.read_csv(figures, dtype=str, keep_default_na=False).drop(columns=["coverage"])
        frame.to_csv(figures, index=False)
        return figures, 1, None, "missing column\\(s\\): coverage"
    if case == "empty file":
        figures.write_bytes(b"")
        return figures, None, None, "the file is empty"
    if case == "GBK encoding":
        figures.write_bytes(figures.read_text(encoding="utf-8").encode("gbk"))
        return figures, 2, None, "not valid UTF-8.*GBK"
    if case == "unknown indicator id":
        _edit_line(figures, line, "industrial_value_added_above_size,", "industrial_value_add_above_size,")
        return figures, line, "indicator_id", "unknown indicator 'industrial_value_add_above_size'"
    raise AssertionError(case)


CASES = [
    "non-numeric value", "unknown unit", "duplicated figure", "quote not in source",
    "missing column", "empty file", "GBK encoding", "unknown indicator id",
]


@pytest.mark.parametrize("case", CASES)
def test_broken_figures_file_gives_a_clear_error(data_copy, case):
    path, line, field, pattern = _break(data_copy, case)
    error = _problems(data_copy)
    matching = [p for p in error.problems if p.file == path and re.search(pattern, p.message)]
    assert matching, str(error)
    problem = matching[0]
    assert problem.line == line, str(error)
    if field:
        assert problem.field == field
    # The message an analyst reads names the file, the line and the field.
    text = str(error)
    assert path.name in text
    if line:
        assert f"line {line}" in text
    if field:
        assert f"field '{field}'" in text
    assert "Traceback" not in text


def test_all_problems_are_reported_at_once(data_copy):
    figures = data_copy / FIGURES
    first = _line_of(figures, "industrial_output_above_size,2019")
    second = _line_of(figures, "pm25_concentration,2019")
    _edit_line(figures, first, ",2507,", ",2507x,")
    _edit_line(figures, second, ",2019,", ",2O19,")
    catalogue = data_copy / "catalogue.csv"
    _edit_line(catalogue, _line_of(catalogue, "zhongkao_rank"), ",lower,", ",smaller,")
    error = _problems(data_copy)
    where = {(p.file.name, p.line, p.field) for p in error.problems}
    assert ("zhenhai_2020_summary.csv", first, "value") in where
    assert ("zhenhai_2020_summary.csv", second, "year") in where
    assert ("catalogue.csv", _line_of(catalogue, "zhongkao_rank"), "direction") in where


def test_no_row_is_dropped_or_coerced(data_copy):
    """An empty required cell is an error, not a silently missing row."""
    figures = data_copy / FIGURES
    line = _line_of(figures, "pm25_concentration,2019")
    _edit_line(figures, line, ",28,", ",,")
    error = _problems(data_copy)
    assert any(p.line == line and p.field == "value" and "empty" in p.message for p in error.problems), str(error)


def test_a_range_needs_its_upper_end(data_copy):
    figures = data_copy / FIGURES
    line = _line_of(figures, "cloud_benchmark_pilot_enterprises")
    _edit_line(figures, line, ",range,6,", ",range,,")
    error = _problems(data_copy)
    assert any(p.line == line and p.field == "value_high" for p in error.problems), str(error)


def test_figure_in_the_wrong_year_is_caught(data_copy):
    figures = data_copy / FIGURES
    line = _line_of(figures, "gdp_growth,2020,target")
    _edit_line(figures, line, "gdp_growth,2020,target", "gdp_growth,2019,actual")
    error = _problems(data_copy)
    assert any(p.line == line and p.field == "year" and "2020 target" in p.message for p in error.problems), str(error)


def test_changed_raw_source_fails_its_checksum(data_copy):
    raw = data_copy / "raw" / "zhenhai_2020_work_report_summary.txt"
    raw.write_bytes(raw.read_bytes().replace("2507".encode(), "2508".encode()))
    error = _problems(data_copy)
    assert any(p.field == "sha256" and "raw file was changed" in p.message for p in error.problems), str(error)


def test_unknown_header_column_is_an_error(data_copy):
    themes = data_copy / "themes.csv"
    _edit_line(themes, 1, "description", "descriptoin")
    error = _problems(data_copy)
    assert any(p.file == themes and p.line == 1 and "descriptoin" in p.message for p in error.problems), str(error)


def test_a_broken_source_entry_is_reported_once(data_copy):
    sources = data_copy / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").replace("published: 2020-05-10", "published: 10 May 2020", 1), encoding="utf-8")
    error = _problems(data_copy)
    assert [p.field for p in error.problems] == ["published"], str(error)
    assert "must be a date written YYYY-MM-DD" in str(error)


def test_a_target_with_last_years_actual_needs_a_link(data_copy):
    links = data_copy / "links.csv"
    links.write_text("".join(l for l in links.read_text(encoding="utf-8").splitlines(keepends=True)
                             if not l.startswith("digital_workshops,")), encoding="utf-8")
    error = _problems(data_copy)
    assert any("digital_workshops has a 2019 actual and a 2020 target but no link row" in p.message for p in error.problems)


def test_a_count_without_its_english_noun_is_named(data_copy):
    catalogue = data_copy / "catalogue.csv"
    line = _line_of(catalogue, "academician_workstations_new")
    _edit_line(catalogue, line, ",workstations", ",")
    error = _problems(data_copy)
    assert any(p.line == line and p.field == "noun_en" and "needs noun_en" in p.message for p in error.problems), str(error)
