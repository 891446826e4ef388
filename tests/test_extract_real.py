"""The assistant on real documents: every curated source of data/ is its test set.

Per document, the share of curated figures proposed with the right value, year and kind
(held at >= 95%) and, for indicators already in the catalogue, with the right id (>= 80%).
The held-out document (benchmarks/score_extraction.py: HELD_OUT) is scored the same way
but was kept out of tuning; its score is printed apart.
"""

import importlib.util

import pytest

import zhenhai_analysis as za

from .conftest import PROJECT

_spec = importlib.util.spec_from_file_location("score_extraction", PROJECT / "benchmarks" / "score_extraction.py")
scoring = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(scoring)

SOURCES = [s for s in za.load_sources().itertuples() if s.source != "zhenhai_2020_summary"]


@pytest.fixture(scope="module")
def truth():
    return za.load_indicators(versions="all"), za.load_catalogue()


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.source)
def test_assistant_reads_each_real_document(truth, source):
    figures, catalogue = truth
    result = scoring.score(source, figures, catalogue)
    print(f"\n{source.source}{' (held out)' if source.source == scoring.HELD_OUT else ''}: {result['figures']} figures, "
          f"value/year/kind {result['value_year_kind']:.0%}, ids {result['ids']:.0%} ({result['note']})")
    if result["figures"]:
        assert result["value_year_kind"] >= 0.95, result
    if result["ids"] == result["ids"]:  # not NaN: some indicator was already in the catalogue
        assert result["ids"] >= 0.80, result
