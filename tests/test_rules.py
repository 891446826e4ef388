"""Rules across tables (rules.py), on small cases worked by hand."""

import pytest

from zhenhai_analysis.validation.rules import year_printed_before


@pytest.mark.parametrize("quote, value, expected", [
    ("(R&D)经费支出从2015年的15.99亿元提高到2020年的25.03亿元", "25.03", 2020),
    ("全社会研究与试验发展(R&D)经费支出从2015年的15.99亿元", "15.99", 2015),
    ("地区生产总值908.7亿元", "908.7", None),
    ("2019年各项指标完成情况如下:——地区生产总值1021.6亿元", "1021.6", None),  # a heading's year, not the value's
    ("到2020年底达到200家", "200", None),  # a word between the year and the value: the section decides
])
def test_a_year_printed_right_before_a_value_is_the_figures_year(quote, value, expected):
    assert year_printed_before(quote, value, "level") == expected
