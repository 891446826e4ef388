"""Numbers and units as a reader expects them (no kernel)."""

import pytest

from zhenhai_analysis.presentation.formatting import quantity


@pytest.mark.parametrize("text, unit, english", [
    ("55.1", "亿元", "5.51 billion yuan"),
    ("84.23", "亿元", "8.423 billion yuan"),  # exact: decimal arithmetic on the printed digits
    ("5700", "万元", "57 million yuan"),
    ("0.5", "万元", "5,000 yuan"),
    ("100.37", "万平方米", "1.0037 million m²"),
    ("1.8", "亿美元", "US$180 million"),
    ("12.5", "亿美元", "US$1.25 billion"),
    ("-0.34", "亿元", "-34 million yuan"),
    ("+0.3", "亿元", "+30 million yuan"),
    ("3", "家", "3 enterprises"),
    ("6", "%", "6%"),
])
def test_english_amounts_in_natural_units_chinese_as_printed(text, unit, english):
    assert quantity(text, unit, "en") == english
    assert quantity(text, unit, "zh") == f"{text}{unit}"  # Chinese: no space, 55.1亿元


def test_ranges_and_bounds_share_one_scale():
    assert quantity("4", "亿元", "en", high="6") == "400–600 million yuan"
    assert quantity("30", "亿元", "en", before="> ") == "> 3 billion yuan"


def test_a_tab_title_in_english_drops_its_chinese_gloss():
    from zhenhai_analysis.presentation.formatting import plain_title

    assert plain_title("Livelihood projects (民生实事) completed", "en") == "Livelihood projects completed"
    assert plain_title("Enterprises listed on the NEEQ (新三板)", "en") == "Enterprises listed on the NEEQ"
    assert plain_title("民生实事项目", "zh") == "民生实事项目"


def test_a_count_reads_with_its_own_noun_in_english():
    assert quantity("3", "家", "en", noun="workstations") == "3 workstations"  # 家 is not always enterprises
    assert quantity("3", "家", "zh", noun="workstations") == "3家"
    assert quantity("12", "个", "en", before="≥ ", noun="projects") == "≥ 12 projects"


def test_one_of_a_count_takes_the_singular_noun():
    from zhenhai_analysis.presentation.formatting import quantity

    assert quantity("1", "个", "en", noun="enterprises") == "1 enterprise"
    assert quantity("1", "台", "en", noun="units of equipment") == "1 unit of equipment"
    assert quantity("1", "家", "en", noun="companies") == "1 company"
    assert quantity("12", "家", "en", noun="companies") == "12 companies"
    assert quantity("1", "个", "zh", noun="enterprises") == "1个"
