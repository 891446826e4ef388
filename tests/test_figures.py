"""The curated figures against the source text, checked independently of the loader."""

import re

import pandas as pd

import zhenhai_analysis as za
from zhenhai_analysis.foundations.quotes import NUMBER, chinese_numeral
from zhenhai_analysis.foundations.vocab import RANGE_WORD, read_comparator

from .conftest import SOURCE_2020, figures_2020
from .conftest import SOURCE_TEXT as TEXT


def _figures() -> pd.DataFrame:
    return figures_2020()


def _position(row) -> int:
    """Where the figure's printed value stands in the source text."""
    start = TEXT.index(row.quote)
    if row.measure == "rank":
        offset = row.quote.index("第" + chinese_numeral(int(row.value)))
    else:
        offset = next(m.start() for m in NUMBER.finditer(row.quote) if m.group() == row.value_text)
    return start + offset


def test_every_quote_is_verbatim_and_contains_its_value():
    for row in _figures().itertuples():
        assert TEXT.count(row.quote) == 1, row.quote
        if row.measure == "rank":
            assert "第" + chinese_numeral(int(row.value)) in row.quote
        else:
            numbers = [m.group() for m in NUMBER.finditer(row.quote)]
            assert row.value_text in numbers, (row.indicator_id, row.quote)
            assert float(row.value_text) == row.value


def test_year_and_kind_follow_the_part_of_the_report():
    part_two = TEXT.index("二、2020年主要目标任务")
    covid_start = TEXT.index("今年,突如其来的新冠肺炎疫情")
    assert TEXT.index("一、2019年政府工作回顾") < covid_start < part_two
    for row in _figures().itertuples():
        at = _position(row)
        if at >= part_two:
            expected = (2020, "target", "full_year")
        elif at >= covid_start:
            expected = (2020, "actual", "year_to_date")  # partial year, as of publication
        else:
            expected = (2019, "actual", "full_year")
        assert (row.year, row.kind, row.coverage) == expected, row.indicator_id


_STOP = re.compile(r"[,，、。;；“”(（]")


def _expected_comparator(at: int, printed: str, unit: str) -> str:
    """The bound the wording around a printed value gives.

    以上/以内 bind to the figure only right after its unit: in 100个亿元以上重点项目,
    以上 qualifies 亿元 (projects of 100 million yuan or more), not the count.
    """
    before = TEXT[max(0, at - 4) : at]
    after = _STOP.split(TEXT[at + len(printed) : at + len(printed) + 10])[0]
    if after.startswith(RANGE_WORD):
        return "range"
    return read_comparator(before, after.removeprefix(unit))


def test_comparators_follow_the_wording():
    checked = 0
    for row in _figures().itertuples():
        if row.measure == "rank":
            continue
        assert row.comparator == _expected_comparator(_position(row), row.value_text, row.unit), row.indicator_id
        checked += 1
    assert checked > 100


def test_every_number_in_the_source_is_a_figure_or_excluded():
    coverage = za.classify_numbers().query("source == @SOURCE_2020")
    counts = coverage["covered_by"].replace("", "UNCLASSIFIED").value_counts()
    figures = _figures()
    print(
        f"\n{len(coverage)} numbers in the source: {counts.get('figure', 0)} figure values, "
        f"{counts.get('exclusion', 0)} excluded, {counts.get('UNCLASSIFIED', 0)} unclassified; "
        f"{len(figures)} figures ({(figures.measure == 'rank').sum()} ranks in Chinese numerals), "
        f"{figures.indicator_id.nunique()} indicators"
    )
    unclassified = coverage[coverage["covered_by"] == ""]
    assert unclassified.empty, unclassified.to_string()
    # Independent count: every digit run of the raw text was looked at.
    assert len(coverage) == len(re.findall(r"\d+(?:\.\d+)?", TEXT))


def test_ranks_in_chinese_numerals_are_figures():
    ranks = _figures().query("measure == 'rank'")
    assert set(ranks.indicator_id) == {
        "industrial_value_added_growth_rank",
        "fixed_asset_investment_growth_rank",
        "industrial_investment_growth_rank",
        "zhongkao_rank",
    }
    assert (ranks.direction == "lower").all()


def test_covid_figures_are_marked_partial_year():
    covid = _figures().query("theme == 'covid_response'")
    assert len(covid) == 4
    assert (covid.coverage == "year_to_date").all() and (covid.year == 2020).all() and (covid.kind == "actual").all()


def test_exclusions_have_reasons_and_point_to_one_place():
    exclusions = za.load_exclusions().query("source == @SOURCE_2020")
    assert exclusions["reason_en"].str.len().gt(10).all() and exclusions["reason_zh"].str.len().gt(3).all()
    for row in exclusions.itertuples():
        assert TEXT.count(row.quote) == 1 and row.text in row.quote
    assert {"246", "122", "5112", "1+4+10+X", "3岁以下", "50"} <= set(exclusions["text"])
