"""The assistant on real documents it was not built on: other places and other kinds (tests/data/documents/).

Each document of another place is read twice, as benchmarks/score_documents.py says:
with the README command as written, where it must stop and name the place; and with
the option that names its place, where it is scored against labels made by hand once.
The held-out documents (score_documents.HELD_OUT) were kept out while the rules were
tuned; their scores are printed apart and held to the same goals.
"""

import hashlib
import importlib.util
import subprocess
import sys

import pytest

from zhenhai_analysis.foundations.quotes import chinese_numeral

from .conftest import PROJECT

_spec = importlib.util.spec_from_file_location("score_documents", PROJECT / "benchmarks" / "score_documents.py")
scoring = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(scoring)

DOCUMENTS = scoring.documents()
OTHER_PLACES = [d for d in DOCUMENTS if (d.get("place_id") or scoring.HOME) != scoring.HOME]


def test_the_documents_are_stored_as_obtained_and_their_labels_quote_them():
    labels = scoring.labels()
    for entry in DOCUMENTS:
        raw = (scoring.DOCUMENTS / entry["file"]).read_bytes()
        assert hashlib.sha256(raw).hexdigest() == entry["sha256"], entry["id"]
        assert entry["url"].startswith("http") and entry["how_obtained"]
        text = raw.decode("utf-8")
        for row in labels[labels["document"] == entry["id"]].itertuples():
            printed = row.value in row.quote or (row.value.isdigit() and chinese_numeral(int(row.value)) in row.quote)
            assert row.quote in text and printed, (entry["id"], row.quote)
    assert set(labels["document"]) <= {d["id"] for d in DOCUMENTS}
    assert len({d.get("place_id") for d in OTHER_PLACES}) >= 4


@pytest.fixture(scope="module")
def stops():
    return {entry["id"]: scoring.stops(entry) for entry in OTHER_PLACES}


@pytest.mark.parametrize("entry", OTHER_PLACES, ids=lambda d: d["id"])
def test_a_document_of_another_place_stops_and_names_it_or_asks(stops, entry):
    """Never read as Zhenhai's: it stops, naming the place, or, where it names none that can be read, asking."""
    result = stops[entry["id"]]
    print(f"\n{entry['id']}: " + " / ".join(result["last_lines"]))
    assert result["stopped"], result
    assert result["named"] or any("names no place" in line for line in result["last_lines"]), result


def test_most_documents_of_other_places_are_stopped_with_their_own_name(stops):
    named = [d for d, r in stops.items() if r["named"]]
    print(f"\nnamed the place in {len(named)} of {len(stops)}; asked in {sorted(set(stops) - set(named))}")
    assert len(named) >= 0.80 * len(stops)


@pytest.mark.slow  # runs the command line in a subprocess, as the README writes it
def test_the_readme_command_on_another_places_document_stops_and_writes_nothing(tmp_path):
    entry = next(d for d in OTHER_PLACES if d["id"] == "jiangbei_2020_plan_execution")
    result = subprocess.run([sys.executable, "-m", "zhenhai_analysis.extract",
                             *scoring.readme_command(entry, tmp_path / "review")],
                            capture_output=True, text=True, cwd=PROJECT, timeout=300)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert not (tmp_path / "review").exists()
    assert any("宁波市江北区" in line for line in result.stderr.splitlines()[-3:]), result.stderr


@pytest.fixture(scope="module")
def scores():
    return scoring.score_all()[1].set_index("document")


HALF_YEAR = [d for d in DOCUMENTS if d.get("doc_kind") == "half_year_report"]


def _half_year_share(entry) -> float:
    code, lines, table = scoring.proposed(entry)
    assert code == 0, lines
    actuals = table[(table["keep"] == "yes") & (table["kind"] == "actual")]
    assert len(actuals), lines
    return (actuals["coverage"] == "half_year").mean()


@pytest.mark.parametrize("entry", HALF_YEAR, ids=lambda d: d["id"])
def test_a_half_year_report_proposes_its_actuals_as_half_year_figures(entry):
    assert _half_year_share(entry) >= 0.95


def _goals(readable) -> dict:
    """Pooled shares over the documents read: value, year+kind, coverage, precision, ids; and year+kind by kind."""
    pooled = {c: scoring.pooled(readable.reset_index(), c) for c in ("value", "year_kind", "coverage", "precision")}
    pooled["ids"] = (readable["ids"] * readable["labels"]).sum() / readable.loc[readable["ids"].notna(), "labels"].sum()
    by_kind = readable.groupby("kind")[["year_kind", "labels", "proposed"]].apply(
        lambda k: scoring.pooled(k.reset_index(), "year_kind"))
    return {**pooled, "worst kind": by_kind.min(), "by kind": by_kind.round(2).to_dict()}


def test_documents_read_with_their_place_meet_the_goals(scores):
    """The documents tuned on: year+kind and precision >= 95%, ids >= 80%, no kind below 80% year+kind.

    The held-out documents are printed apart and held to the same goals for year+kind and
    precision (their ids: 80% too).
    """
    readable = scores[scores["exit"] == 0]
    print("\n" + scores.to_string(float_format=lambda x: f"{x:.0%}"))
    tuned = _goals(readable[~readable.index.isin(scoring.HELD_OUT)])
    held = _goals(readable[readable.index.isin(scoring.HELD_OUT)])
    print("tuned on:", tuned, "\nheld out:", held)
    assert tuned["year_kind"] >= 0.95 and tuned["precision"] >= 0.95 and tuned["ids"] >= 0.80, tuned
    assert tuned["worst kind"] >= 0.80, tuned
    assert held["year_kind"] >= 0.95 and held["precision"] >= 0.95 and held["ids"] >= 0.80, held
    # A document without a publication date cannot be dated: it stops and asks, it is not guessed.
    undated = [d["id"] for d in DOCUMENTS if not d.get("published")]
    assert undated and all(scores.loc[d, "exit"] != 0 for d in undated)


def test_another_places_figures_are_accepted_into_their_own_folder(tmp_path, monkeypatch):
    """--place: the review notes the place, and accept writes places/<id>/, never Zhenhai's data/."""
    import pandas as pd

    import zhenhai_analysis as za
    from zhenhai_analysis.extract import cli

    from .conftest import DATA

    entry = next(d for d in OTHER_PLACES if d["id"] == "jiangbei_2020_plan_execution")
    code, lines = scoring.run(scoring.readme_command(entry, tmp_path / "review", "--place", "jiangbei"))
    assert code == 0, lines
    assert "a document of 宁波市江北区" in lines[0]
    folder = tmp_path / "review" / "jiangbei_2020_plan_execution"
    table = pd.read_csv(folder / "figures.csv", dtype=str, keep_default_na=False)
    table.loc[table["indicator_id"].str.startswith("new_"), "keep"] = "no"
    table.to_csv(folder / "figures.csv", index=False, lineterminator="\n")
    before = {p: p.read_bytes() for p in DATA.rglob("*") if p.is_file()}
    monkeypatch.setattr(cli, "PLACES_DIR", tmp_path / "places")
    code, lines = scoring.run(["--accept", str(folder)])
    assert code == 0, lines
    place = tmp_path / "places" / "jiangbei"
    figures = za.load_indicators(place)
    assert set(figures["source"]) == {"jiangbei_2020_plan_execution"} and len(figures) == (table["keep"] == "yes").sum()
    assert figures.query("indicator_id == 'gdp_growth'")["value"].tolist() == [3.4]
    assert (place / "raw" / entry["file"]).read_bytes() == (scoring.DOCUMENTS / entry["file"]).read_bytes()
    assert "place: jiangbei" in (place / "sources.yaml").read_text(encoding="utf-8")
    assert before == {p: p.read_bytes() for p in DATA.rglob("*") if p.is_file()}  # Zhenhai's data untouched
