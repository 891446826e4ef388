"""The parameter file is checked whole before anything runs (no kernel here)."""

import json

import pytest

from zhenhai_analysis.foundations.exceptions import ParameterError
from zhenhai_analysis.pipeline.params import Briefing

from .conftest import PROJECT


def _read(tmp_path, params: dict) -> Briefing:
    path = tmp_path / "params.yaml"
    path.write_text(json.dumps(params), encoding="utf-8")  # JSON is YAML
    return Briefing.from_file(path)


GOOD = {"report_year": 2020, "languages": ["zh", "en"], "notebooks": ["01_briefing"]}


def test_the_shipped_parameter_file_reads():
    briefing = Briefing.from_file(PROJECT / "params" / "briefing_2020.yaml")
    assert (briefing.report_year, briefing.base_year, briefing.languages) == (2020, 2019, ["zh", "en"])


def test_base_year_defaults_to_the_year_before(tmp_path):
    assert _read(tmp_path, GOOD).base_year == 2019


@pytest.mark.fault(9, "a bad parameter value")
@pytest.mark.parametrize("change, field, words", [
    ({"report_year": "2020x"}, "report_year", "must be a year"),
    ({"report_year": 2020.5}, "report_year", "must be a year"),
    ({"base_year": 2020}, "base_year", "must be before report_year"),
    ({"languages": ["zh", "fr"]}, "languages", "unknown value(s) fr"),
    ({"languages": []}, "languages", "non-empty list"),
    ({"themes": "some"}, "themes", "must be 'all' or a list"),
])
def test_each_bad_parameter_is_named(tmp_path, change, field, words):
    with pytest.raises(ParameterError) as info:
        _read(tmp_path, {**GOOD, **change})
    assert [(p.field, words in p.message) for p in info.value.problems] == [(field, True)]


@pytest.mark.fault(8, "four bad parameters at once")
def test_every_problem_is_reported_at_once(tmp_path):
    with pytest.raises(ParameterError) as info:
        _read(tmp_path, {"report_year": "x", "languages": ["de"], "themes": 3})
    assert {p.field for p in info.value.problems} == {"report_year", "languages", "themes", "notebooks"}


@pytest.mark.fault(9, "a parameter file that does not exist")
def test_a_missing_file_says_how_to_make_one(tmp_path):
    with pytest.raises(ParameterError, match="copy params/briefing_2020.yaml"):
        Briefing.from_file(tmp_path / "briefing_2031.yaml")


@pytest.mark.fault(9, "a forecast horizon out of range")
@pytest.mark.parametrize("horizon", [0, -1, 1000, 2.5, "3", True])
def test_a_forecast_horizon_out_of_range_is_named(horizon):
    from zhenhai_analysis.pipeline.params import check_horizon

    with pytest.raises(ValueError, match="horizon must be a whole number of years from 1 to 10"):
        check_horizon(horizon)


@pytest.mark.fault(9, "a forecast horizon out of range in the parameter file")
@pytest.mark.parametrize("horizon", [0, -1, 1000, "2020x"])
def test_a_bad_horizon_in_the_parameter_file_stops_before_any_page(tmp_path, horizon):
    with pytest.raises(ParameterError) as info:
        _read(tmp_path, {**GOOD, "horizon": horizon})
    (problem,) = info.value.problems
    assert problem.field == "horizon" and "from 1 to 10" in problem.message


@pytest.mark.fault(9, "a report year without targets (2030)")
def test_a_report_year_without_targets_stops_the_plan(tmp_path):
    from zhenhai_analysis.pipeline.planning import plan

    briefing = _read(tmp_path, {**GOOD, "report_year": 2030})
    with pytest.raises(ParameterError) as info:
        plan(briefing, tmp_path / "outputs")
    (problem,) = info.value.problems
    assert problem.field == "report_year" and "no targets of that year; years with targets: 2020" in problem.message
