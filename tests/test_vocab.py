"""The vocabulary: one reading of each wording, and a label in both languages for every entry."""

import pandas as pd
import pytest

from zhenhai_analysis.foundations.labels import covered, has_label, label
from zhenhai_analysis.foundations.vocab import (COMPARATORS, COVERAGES, KINDS, LANGS, PERIOD_COVERAGES, STATUSES, full_year_actuals,
                                    read_comparator)


@pytest.mark.parametrize("before, after, expected", [
    ("力争", "以上", ">="),
    ("", "以内", "<="),
    ("控制在", "", "<="),
    ("最多", "", "<="),
    ("不超过", "", "<="),  # not "more than": 不超过 ends with 超过
    ("超过", "", ">"),
    ("研发投入超", "", ">"),
    ("首次突破", "", ">"),
    ("增长", "左右", "~"),
    ("达到", "", "="),
    ("", "", "="),
])
def test_each_wording_reads_as_one_comparator(before, after, expected):
    assert read_comparator(before, after) == expected


def test_every_comparator_has_a_symbol_marker_words_and_a_unique_code():
    codes = [c.code for c in COMPARATORS]
    assert len(codes) == len(set(codes)) == 7
    assert all(c.marker for c in COMPARATORS)
    assert all(label(c.label_key, lang) for c in COMPARATORS for lang in LANGS)


@pytest.mark.parametrize("key", [*KINDS, *STATUSES])
def test_every_entry_has_words_in_both_languages(key):
    assert has_label(key)
    assert all(label(key, lang) for lang in LANGS)


@pytest.mark.parametrize("coverage", [c for c in COVERAGES if c != "full_year"])
def test_every_coverage_but_the_full_year_is_said_with_its_years(coverage):
    for lang in LANGS:
        words = covered(coverage, 2016, lang, 2012, 2016)
        assert ("2012" in words and "2016" in words) if coverage in PERIOD_COVERAGES else "2016" in words
    assert covered("full_year", 2016, "en") == ""


def test_full_year_actuals_are_the_points_of_a_series():
    obs = pd.DataFrame({
        "kind": ["actual", "actual", "actual", "target"],
        "comparator": ["=", ">", "=", "="],
        "coverage": ["full_year", "full_year", "year_to_date", "full_year"],
    })
    assert list(full_year_actuals(obs).index) == [0]
    assert list(full_year_actuals(obs.drop(columns="coverage")).index) == [0, 2]  # panels have no coverage
