"""Score the extraction assistant on every real document whose figures are curated in data/.

    python benchmarks/score_extraction.py

For each source, the assistant reads the stored text as the README's walkthrough does,
with no option beyond the document's own metadata (no --year), and proposes figures and
ids; the curated figures of that source are the truth. Printed per document:
- value/year/kind: the share of curated figures that the assistant proposes with the
  right value, year and kind (goal >= 95%);
- ids: of those, for indicators that were already in the catalogue before this source,
  the share given the right indicator id (goal >= 80%).
The held-out document (HELD_OUT) is reported apart: it must not be used to tune the
assistant. A document the assistant cannot read at all scores 0 and says why.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import zhenhai_analysis as za  # noqa: E402
from zhenhai_analysis.extract import UnreadableDocument, extract, review_tables  # noqa: E402
from zhenhai_analysis.foundations.paths import data_dir  # noqa: E402
from zhenhai_analysis.foundations.quotes import value_positions  # noqa: E402

HELD_OUT = "zhenhai_2015_work_report"  # kept out of tuning from the start


def score(source: pd.Series, figures: pd.DataFrame, catalogue: pd.DataFrame) -> dict:
    text = (data_dir() / "raw" / source.file).read_text(encoding="utf-8")
    truth = figures[figures["source"] == source.source]
    try:
        result = extract(text, source.source, title=source.title_zh, published=source.published)
    except UnreadableDocument as exc:
        return {"source": source.source, "figures": len(truth), "value_year_kind": 0.0, "ids": float("nan"),
                "note": f"not read: {exc}"}
    others = figures[figures["source"] != source.source]
    proposed = review_tables(result, catalogue[catalogue["indicator_id"].isin(others["indicator_id"])], others)["figures"]
    proposed = proposed.assign(position=[c.position for c in result.candidates], year=proposed["year"].astype(int))
    right = ids_right = ids_known = 0
    for row in truth.itertuples():
        # The candidate at the place the curated figure's value is printed, with the same value, year and kind.
        at = {text.index(row.quote) + offset for offset in value_positions(row.quote, row.value_text, row.measure)}
        hits = proposed[proposed["position"].isin(at) & (proposed["year"] == row.year) & (proposed["kind"] == row.kind)]
        hits = hits[pd.to_numeric(hits["value"]) == row.value]
        if hits.empty:
            continue
        right += 1
        if row.indicator_id in set(others["indicator_id"]):
            ids_known += 1
            ids_right += bool((hits["indicator_id"] == row.indicator_id).any())
    return {"source": source.source, "figures": len(truth), "value_year_kind": right / max(len(truth), 1),
            "ids": ids_right / ids_known if ids_known else float("nan"), "note": f"{ids_known} with a known id"}


def main() -> None:
    figures = za.load_indicators(versions="all")
    catalogue = za.load_catalogue()
    rows = [score(s, figures, catalogue) for s in za.load_sources().itertuples() if s.source != "zhenhai_2020_summary"]
    table = pd.DataFrame(rows)
    tuned, held = table[table["source"] != HELD_OUT], table[table["source"] == HELD_OUT]
    pd.set_option("display.width", 200)
    print("Extraction assistant on real documents (goals: value/year/kind >= 95%, ids >= 80%)\n")
    print(tuned.to_string(index=False, float_format=lambda x: f"{x:.0%}"))
    scored = tuned[tuned["figures"] > 0]  # a document whose excerpt holds no figure has nothing to score
    print(f"\nall but the held-out document ({len(scored)} with figures): value/year/kind "
          f"{scored['value_year_kind'].mean():.0%}, ids {scored['ids'].mean():.0%}")
    print("\nheld out:")
    print(held.to_string(index=False, float_format=lambda x: f"{x:.0%}"))


if __name__ == "__main__":
    main()
