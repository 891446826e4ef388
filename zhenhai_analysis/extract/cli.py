"""The command line: propose the figures of a report for review, or accept a review.

    python -m zhenhai_analysis.extract FILE --url URL --published YYYY-MM-DD --title-zh … --title-en …
    python -m zhenhai_analysis.extract FILE … --place beilun      # a document of another place
    python -m zhenhai_analysis.extract --accept review/<source_id> [--dry-run]

Only the command line prints and exits; the modules it calls return or raise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from ..foundations.paths import PROJECT, data_dir
from .accepting import accept
from .place import HOME, Found, PlaceError, find_place, named_place

REVIEW_DIR = PROJECT / "review"
PLACES_DIR = PROJECT / "places"  # places/<place id>/: the data of another place, never read by Zhenhai's pages


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date written YYYY-MM-DD") from None


def _stop(*lines: str) -> int:
    """Say why nothing was extracted, last of all (the place, the question), and exit non-zero."""
    for line in lines:
        print(line, file=sys.stderr)
    return 1


def whose(text: str, title: str, url: str, option: str | None):
    """The place the figures are kept under, or the lines that stop the run (a list of str)."""
    found: Found | None = find_place(text, title, url)
    if option is not None:
        try:
            return named_place(option, found)
        except PlaceError as exc:
            return ["Nothing extracted.", f"  {exc}"]
    if found is None:
        return ["Nothing extracted: the document names no place (not in its title, its issuing body, the URL's host "
                "or its text), so whose figures these are is unknown.",
                "  If it is a document of Zhenhai, run again with --place zhenhai;",
                "  if of another place, with --place ID (README: 'Documents of other places')."]
    if found.place.id != HOME:
        option = found.place.id or "ID (an id you choose, in lower-case letters)"
        return [f"Nothing extracted: this is a document of {found.written}, not of 宁波市镇海区 (Zhenhai).",
                f"  Found in its {found.where}: {found.evidence[:80]!r}.",
                f"  Its figures would enter Zhenhai's series; to keep them under {found.written} instead, "
                f"run again with --place {option}"]
    return found.place


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Propose the figures of a report for review, or accept a review.")
    parser.add_argument("report", nargs="?", type=Path, help="the report's text (UTF-8)")
    parser.add_argument("--accept", type=Path, metavar="REVIEW_FOLDER", help="add a reviewed extraction to the data")
    parser.add_argument("--dry-run", action="store_true", help="with --accept: list the changes, change nothing")
    parser.add_argument("--source-id", help="id of the new source (default: the file name without extension)")
    parser.add_argument("--year", type=int, help="report year, only if the title and date do not tell (a work report of "
                                                  "year Y reviews Y-1)")
    parser.add_argument("--url", default="", help="where the report was published")
    parser.add_argument("--published", type=_date, help="publication date as the page gives it, YYYY-MM-DD")
    parser.add_argument("--title-zh", default="")
    parser.add_argument("--title-en", default="")
    parser.add_argument("--place", help="whose document it is, when it is not Zhenhai's or names no place: an id or name "
                                        "of data/places.csv (beilun, 余姚市 ...), or a new id in lower-case letters")
    parser.add_argument("--data-dir", type=Path, default=None, help="the curated data (default: data/, or "
                                                                     "places/<id>/ for another place)")
    parser.add_argument("--review-dir", type=Path, default=REVIEW_DIR)
    args = parser.parse_args(argv)

    if args.accept:
        return _accept(args)
    if args.report is None:
        parser.error("give a report file, or --accept REVIEW_FOLDER")
    return _propose(args)


def _accept(args) -> int:
    import yaml

    try:
        place = (yaml.safe_load((args.accept / "source.yaml").read_text(encoding="utf-8")) or {}).get("place", HOME)
    except (OSError, yaml.YAMLError, AttributeError):
        place = HOME  # accept() names the unreadable file
    data = args.data_dir or (data_dir() if place == HOME else PLACES_DIR / str(place))
    result = accept(args.accept, data, dry_run=args.dry_run)
    if result.problems:
        print(f"Not accepted; nothing in {data} was changed. {len(result.problems)} problem(s):", file=sys.stderr)
        for problem in result.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    print(f"{'Would change' if args.dry_run else 'Changes'} in {data}:")
    for change in result.changes:
        print(f"  - {change}")
    if args.dry_run:
        print("Nothing was changed (--dry-run).")
    else:
        print(f"Accepted {args.accept} into {data}. Next: make test, then make briefing YEAR=<year>.")
    return 0


def _propose(args) -> int:
    from ..validation.load import load_catalogue, load_indicators
    from ..validation.validate import DataValidationError
    from .numbers import extract
    from .review import review_tables, source_entry, write_review

    try:
        text = args.report.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"{args.report}: cannot be read as UTF-8 text: {exc}", file=sys.stderr)
        return 1
    place = whose(text, args.title_zh, args.url, args.place)
    if isinstance(place, list):
        return _stop(*place)
    data = data_dir(args.data_dir)  # ids are matched against Zhenhai's catalogue, for every place
    source_id = args.source_id or args.report.stem
    try:
        result = extract(text, source_id, args.year, title=args.title_zh, published=args.published)
        catalogue, figures = load_catalogue(data), load_indicators(data)
    except (ValueError, DataValidationError) as exc:  # no report year found, or the curated data have problems
        return _stop(f"Nothing extracted: {exc}")
    if args.published is None:
        return _stop("Nothing extracted: give --published YYYY-MM-DD, the publication date the page states "
                     "(sources.yaml records it with the text).")
    tables = review_tables(result, catalogue, figures)
    entry = source_entry(args.report, result, args.url, args.published.isoformat(), args.title_zh, args.title_en,
                         place if place.id != HOME else None)
    folder = args.review_dir / source_id
    write_review(folder, tables, entry)
    proposed = tables["figures"]
    print(f"{args.report.name}: a document of {place.full_zh}; read as {result.reading.what}: {result.reading.why}; "
          f"report year {result.report_year}; parts: "
          + "; ".join(f"{p.starts_at[:14]}… → {p.year} {p.kind}"
                      + ("" if p.coverage == "full_year" else f" ({p.coverage})") for p in result.parts))
    print(f"{len(proposed)} candidate figures ({(proposed.match.str.startswith('catalogue')).sum()} matched to the catalogue, "
          f"{(proposed.match.str.startswith('new')).sum()} new), {len(tables['exclusions'])} numbers judged not to be figures:")
    for row in tables["exclusions"].itertuples():
        print(f"  - {row.text} in {row.quote[:30]!r}: {row.reason_en}")
    where = "data/" if place.id == HOME else f"places/{place.id}/"
    print(f"Review files written to {folder}/ (figures.csv, exclusions.csv, links.csv, source.yaml).\n"
          f"Check them, then: python -m zhenhai_analysis.extract --accept {folder}   (into {where})")
    return 0
