import pandas as pd
import pytest

from zhenhai_analysis.foundations.quotes import chinese_numeral, number_coverage, printed_form, value_positions


@pytest.mark.parametrize("n, text", [(1, "一"), (2, "二"), (10, "十"), (12, "十二"), (20, "二十"), (99, "九十九")])
def test_chinese_numeral(n, text):
    assert chinese_numeral(n) == text


def test_value_is_found_only_as_a_whole_number():
    assert value_positions("推动2家企业上市", "2", "count") == [2]
    assert value_positions("总产值2507亿元", "2", "count") == []
    assert value_positions("增长7.2%", "2", "growth") == []
    assert value_positions("增速居全市第二", "2", "rank") == [5]
    assert printed_form("1", "rank") == "第一"


def test_number_coverage_flags_what_is_unclassified():
    text = "实施“246”行动,完成10个项目,另有7个。"
    figures = pd.DataFrame(
        [{"indicator_id": "projects", "quote": "完成10个项目", "value_text": "10", "value_high_text": None,
          "measure": "count", "comparator": "="}]
    )
    exclusions = pd.DataFrame([{"text": "246", "quote": "实施“246”行动", "reason_zh": "规划名称", "reason_en": "programme name"}])
    coverage = number_coverage(text, figures, exclusions)
    assert list(coverage["number"]) == ["246", "10", "7"]
    assert list(coverage["covered_by"]) == ["exclusion", "figure", ""]
