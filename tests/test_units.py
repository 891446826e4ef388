import pytest

from zhenhai_analysis.foundations.units import UnitError, convert_currency, require_comparable, to_base, unit_info


def test_to_base_converts_printed_units():
    assert to_base(652, "亿元") == (652e8, "yuan")
    assert to_base(5700, "万元") == (5700e4, "yuan")
    assert to_base(1.8, "亿美元") == (1.8e8, "USD")
    assert to_base(43, "万平方米") == (43e4, "m²")
    assert to_base(86.9, "%") == (86.9, "%")
    assert to_base(1120, "户") == (1120, "count")


def test_unknown_unit_is_named():
    with pytest.raises(UnitError, match="unknown unit '亿圆'"):
        unit_info("亿圆")


def test_comparability_of_units():
    require_comparable("亿元", "万元")
    with pytest.raises(UnitError, match="different currencies"):
        require_comparable("亿元", "亿美元")
    with pytest.raises(UnitError, match="different things"):
        require_comparable("户", "万平方米")


def test_currency_conversion_needs_a_citation():
    with pytest.raises(UnitError, match="citation"):
        convert_currency(1.8, 7.0, "")
    assert convert_currency(2.0, 7.0, "test rate, not an official one") == 14.0
