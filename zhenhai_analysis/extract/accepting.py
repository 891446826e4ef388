"""Accept a review: add it to the curated data all at once, or change nothing and list the problems.

A new source is added; a source already in the data (the same text, by its checksum) is
updated: every change is listed, excluded numbers that become figures leave the
exclusion list, and a changed value is refused unless its row is marked as a
restatement. The merged data are validated in a temporary copy first, and switched in
as one step that an interruption cannot leave half done.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from ..validation.load import load_indicators
from ..foundations.paths import data_dir
from .place import HOME
from .review import CATALOGUE_COLUMNS, EXCLUSION_COLUMNS, FIGURE_COLUMNS, LINK_COLUMNS, REVIEW_COLUMNS


def _append_rows(path: Path, rows: pd.DataFrame, columns: list[str]) -> None:
    """Append rows to a curated CSV file as text, leaving its existing lines untouched."""
    if rows.empty:
        return
    text = path.read_text(encoding="utf-8")
    with path.open("a", encoding="utf-8", newline="") as handle:
        if text and not text.endswith("\n"):
            handle.write("\n")
        csv.writer(handle, lineterminator="\n").writerows(rows[columns].itertuples(index=False))


class _Refused(Exception):
    """An update that cannot be made as the review asks: the problems, each naming its file, line and field."""

    def __init__(self, problems: list[str]):
        super().__init__(problems)
        self.problems = problems


@dataclass
class Acceptance:
    """What accepting a review did or would do: problems (nothing changed) or the changes made."""

    problems: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # existing figures a restatement or an actual supersedes


def _appended_lines(path: Path) -> int:
    """The last line number of a CSV file as it is now (header = 1), before rows are appended."""
    return len(path.read_text(encoding="utf-8").splitlines())


def _changed_values(keep: pd.DataFrame, existing: pd.DataFrame, review: Path) -> tuple[list[str], list[str]]:
    """Figures of the review that would change a value already in the data: refused, or listed.

    A later source may restate a figure (a revised number: mark the row restatement=yes)
    or give the actual of an estimate (预计, status estimated): both are kept and the
    later one is used. Any other change of value is refused: usually a wrong indicator id.
    """
    problems, changes = [], []
    before = existing.set_index(["indicator_id", "year", "kind", "coverage"]).sort_index()
    for line, row in keep.iterrows():
        key = (row.indicator_id, int(row.year), row.kind, row.coverage)
        if key not in before.index:
            continue
        for old in before.loc[[key]].itertuples():
            if float(old.value) == float(row.value):
                continue
            what = (f"{row.indicator_id} {row.year} {row.kind}: {old.value_text} ({old.source}: {old.quote!r}) -> "
                    f"{row.value} ({row.quote!r})")
            if str(row.get("restatement", "")).strip().lower() == "yes" or old.status == "estimated":
                changes.append(what + (" supersedes an estimate" if old.status == "estimated" else " restates it"))
            else:
                problems.append(f"{review}, line {line}, field 'indicator_id': would change {what}. If the later "
                                "document revises the figure, set restatement to yes; otherwise correct the indicator id")
    return problems, changes


PENDING = ".accept-pending"  # under data/: the files of an accept being switched in, and its journal


def _switch(staging: Path, data: Path, names: list[str]) -> None:
    """Put the validated files into `data` as one step that an interruption cannot leave half done.

    The new files are first copied beside the data (same file system); then a journal is
    written (the point of no return); then each file is renamed into place. If anything
    stops it after the journal, the next accept (or finish_pending_accept) completes the
    renames; before the journal, nothing in data/ has changed.
    """
    pending = data / PENDING
    shutil.rmtree(pending, ignore_errors=True)  # a staging that never reached its journal
    pending.mkdir()
    moves = []
    for number, name in enumerate(names):
        shutil.copyfile(staging / name, pending / f"{number}.new")
        moves.append([f"{number}.new", name])
    journal = pending / "journal.json"
    journal.with_suffix(".tmp").write_text(json.dumps(moves), encoding="utf-8")
    os.replace(journal.with_suffix(".tmp"), journal)
    finish_pending_accept(data)


def finish_pending_accept(data: Path) -> bool:
    """Complete an accept that was stopped after its journal; drop one stopped before. True if one was found."""
    pending = data / PENDING
    if not pending.exists():
        return False
    journal = pending / "journal.json"
    if journal.exists():
        for staged, name in json.loads(journal.read_text(encoding="utf-8")):
            if (pending / staged).exists():
                os.replace(pending / staged, data / name)
    shutil.rmtree(pending)
    return True


_SOURCE_ENTRY = "a mapping with the source's id, file, url, dates and sections"


def _read_yaml(path: Path, kind: type, what: str):
    """A YAML file of the review or the data, or a DataValidationError naming the file and line."""
    from ..validation.validate import DataValidationError, Problem, read_utf8

    text = read_utf8(path)
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        raise DataValidationError([Problem(path, mark.line + 1 if mark else None, None,
                                           f"is not well-formed YAML: {reason}")]) from None
    if not isinstance(value, kind):
        raise DataValidationError([Problem(path, None, None, f"must be {what}")])
    return value


def accept(folder: Path, data: Path, dry_run: bool = False) -> Acceptance:
    """Add a reviewed extraction to the data folder, all at once, if the result validates.

    Rows with keep = no are dropped. A new indicator (not in the catalogue) gets its
    catalogue row from the review's catalogue columns; for another place's folder, an
    indicator of Zhenhai's catalogue is copied into that place's catalogue. A source
    already in the data (same id and checksum) is updated (see _update). A row that would
    change an existing figure's value is refused unless it is a restatement
    (restatement = yes) or the actual of an estimate. The merged data are validated in a
    temporary copy first: on any problem nothing in `data` changes, and each problem
    names the review file and its own line. `dry_run` lists the changes and stops there.
    """
    from ..validation.validate import DataValidationError, read_csv_table

    completed = ["an earlier accept had been interrupted after its checks; it has been completed"] \
        if finish_pending_accept(data) else []
    review = folder / "figures.csv"
    try:
        figures = read_csv_table(review, ["keep", *FIGURE_COLUMNS], optional=tuple(REVIEW_COLUMNS[len(FIGURE_COLUMNS) + 1 :]))
        others = {name: read_csv_table(folder / name, columns).fillna("")
                  for name, columns in (("exclusions.csv", EXCLUSION_COLUMNS), ("links.csv", LINK_COLUMNS))}
        entry = _read_yaml(folder / "source.yaml", dict, _SOURCE_ENTRY)
        sources = _read_yaml(data / "sources.yaml", list, "a list of sources") if data.exists() else []
    except DataValidationError as exc:
        return Acceptance([str(p) for p in exc.problems])
    except OSError as exc:  # a review folder without its four files, or unreadable
        return Acceptance([f"{exc.filename}: cannot be read ({exc.strerror}); a review folder holds figures.csv, "
                           "exclusions.csv, links.csv and source.yaml as the assistant wrote them"])
    if "id" not in entry or "file" not in entry:
        return Acceptance([f"{folder / 'source.yaml'}: has no id or file; it must be {_SOURCE_ENTRY}"])
    read_from = entry.pop("read_from", None)
    stored = next((s for s in sources if s.get("id") == entry["id"]), None)
    if stored is not None and completed:  # this very review, whose interrupted accept was just completed
        return Acceptance(changes=completed)
    if stored is not None and stored.get("sha256") != entry.get("sha256"):
        return Acceptance([f"{folder / 'source.yaml'}, field 'sha256': {data / 'sources.yaml'} holds a source "
                           f"{entry['id']!r} with another text (checksum {stored.get('sha256')}); an update must read the "
                           "same text. For a new document, give it another --source-id"])
    missing = [c for c in REVIEW_COLUMNS if c not in figures.columns]
    figures = figures.assign(**{c: None for c in missing})
    keep = figures[figures["keep"].fillna("").str.strip().str.lower().isin(["yes", "y", "1", "true"])].fillna("")
    try:
        existing = load_indicators(data, versions="all") if (data / "figures").exists() else None
    except DataValidationError as exc:
        return Acceptance([f"the curated data have problems already; fix them first: {p}" for p in exc.problems])
    target = Path("figures") / f"{entry['id']}.csv"
    if stored is None and (data / target).exists():
        return Acceptance([f"{data / target} already exists"])
    others_rows = existing[existing["source"] != entry["id"]] if existing is not None else None
    refused, changes = _changed_values(keep, others_rows, review) if others_rows is not None else ([], [])
    if refused:
        return Acceptance(refused)

    staging = Path(tempfile.mkdtemp(prefix="accept-")) / "data"
    try:
        if data.exists():
            shutil.copytree(data, staging)
        else:
            _new_place_folder(staging, entry)
        origin: dict[Path, tuple[Path, dict[int, int]]] = {}
        names = ["catalogue.csv", "exclusions.csv", "links.csv", "sources.yaml", str(target)]
        if stored is None:
            keep[FIGURE_COLUMNS].to_csv(staging / target, index=False, lineterminator="\n")
            origin[staging / target] = (review, dict(zip(range(2, len(keep) + 2), keep.index)))
            exclusions, links = others["exclusions.csv"], others["links.csv"]
            with (staging / "sources.yaml").open("a", encoding="utf-8") as handle:
                handle.write("\n" + yaml.safe_dump([entry], allow_unicode=True, sort_keys=False))
            changes = [f"new source {entry['id']}: {len(keep)} figures, {len(exclusions)} numbers excluded, "
                       f"{len(links)} links", *changes]
        else:
            try:
                found, exclusions, links = _update(staging, target, keep, others, review, origin, stored["file"])
                found += _update_sections(staging / "sources.yaml", stored, entry, folder / "source.yaml")
            except _Refused as refused:
                return Acceptance(refused.problems)
            changes = found + changes
            if not changes:
                return Acceptance([f"{data / 'sources.yaml'}: the source {entry['id']!r} is already there, and this "
                                   "review changes nothing in it"])
        home = None if entry.get("place", HOME) == HOME else \
            pd.read_csv(data_dir() / "catalogue.csv", dtype=str, keep_default_na=False).set_index("indicator_id")
        changes += _add_catalogue_rows(staging, keep, review, origin, home)
        for name, rows, file in (("exclusions.csv", exclusions, folder / "exclusions.csv"),
                                 ("links.csv", links, folder / "links.csv")):
            start = _appended_lines(staging / name)
            origin[staging / name] = (file, dict(zip(range(start + 1, start + 1 + len(rows)), rows.index)))
            _append_rows(staging / name, rows, EXCLUSION_COLUMNS if name == "exclusions.csv" else LINK_COLUMNS)
        raw = staging / entry["file"]
        if not raw.exists():
            problem = _copy_raw(read_from, raw, entry)
            if problem:
                return Acceptance([f"{folder / 'source.yaml'}, field 'file': {problem}"])
            names.append(entry["file"])
        try:
            load_indicators(staging)
        except DataValidationError as exc:
            return Acceptance([_in_review(p, origin, staging, data) for p in exc.problems])
        if dry_run:
            return Acceptance(changes=changes)
        if not data.exists():
            names = [str(p.relative_to(staging)) for p in sorted(staging.rglob("*")) if p.is_file()]
        for name in names:
            (data / name).parent.mkdir(parents=True, exist_ok=True)
        _switch(staging, data, names)
        return Acceptance(changes=completed + changes)
    finally:
        shutil.rmtree(staging.parent, ignore_errors=True)


def _update(staging: Path, target: Path, keep: pd.DataFrame, others: dict, review: Path,
            origin: dict, file: str) -> tuple[list[str], pd.DataFrame, pd.DataFrame]:
    """Merge a new reading of a stored source into its figures, and list every change.

    A figure of the same indicator, year, kind and coverage keeps its line: a new value
    replaces it only when the row is marked restatement = yes (else _Refused, with every
    such row); a new figure is added; figures the review does not propose stay.
    Excluded numbers that become figures leave the exclusion list; the review's other
    exclusions (of numbers no stored exclusion holds, by their place in the text) and
    links are added where they are new. Returns (changes, exclusions to
    add, links to add).
    """
    from ..validation.validate import read_csv_table

    path = staging / target
    old = read_csv_table(path, FIGURE_COLUMNS).fillna("")
    key = ["indicator_id", "year", "kind", "coverage"]
    at = {tuple(row[key]): line for line, row in old.iterrows()}
    rows = {line: row[FIGURE_COLUMNS].tolist() for line, row in old.iterrows()}
    added, changes, problems = [], [], []
    for line, row in keep.iterrows():
        what = f"{row.indicator_id} {row.year} {row.kind} ({row.coverage}) {row.value} {row.unit}"
        if tuple(row[key]) not in at:
            added.append((line, row[FIGURE_COLUMNS].tolist()))
            changes.append(f"add {what}: {row.quote!r}")
            continue
        before = old.loc[at[tuple(row[key])]]
        if before[FIGURE_COLUMNS].tolist() == row[FIGURE_COLUMNS].tolist():
            continue
        if float(before.value) != float(row.value) and str(row.restatement).strip().lower() != "yes":
            problems.append(f"{review}, line {line}, field 'value': would change {row.indicator_id} {row.year} "
                            f"{row.kind} from {before.value} to {row.value} in the stored reading; set restatement to yes "
                            "if the document's figure was misread before, otherwise correct the row")
            continue
        rows[at[tuple(row[key])]] = row[FIGURE_COLUMNS].tolist()
        changes.append(f"revise {what} (was {before.value}, {before.quote!r}): {row.quote!r}")
    if problems:
        raise _Refused(problems)
    merged = list(rows.values()) + [values for _, values in added]
    pd.DataFrame(merged, columns=FIGURE_COLUMNS).to_csv(path, index=False, lineterminator="\n")
    origin[path] = (review, {len(rows) + 2 + n: line for n, (line, _) in enumerate(added)})

    figures = pd.DataFrame([values for _, values in added] + list(rows.values()), columns=FIGURE_COLUMNS)
    exclusions_path = staging / "exclusions.csv"
    stored = read_csv_table(exclusions_path, EXCLUSION_COLUMNS).fillna("")
    source = keep["source"].iloc[0] if len(keep) else ""
    gone = [line for line, e in stored.iterrows() if e.source == source and _now_a_figure(e, figures)]
    for line in gone:
        changes.append(f"un-exclude {stored.loc[line, 'text']} in {stored.loc[line, 'quote']!r}: it is now a figure")
    if gone:
        lines = exclusions_path.read_text(encoding="utf-8").splitlines(keepends=True)
        exclusions_path.write_text("".join(t for n, t in enumerate(lines, start=1) if n not in set(gone)), encoding="utf-8")
    mine = stored[stored["source"] == source]
    text = (staging / file).read_text(encoding="utf-8") if (staging / file).is_file() else ""
    held = {at for e in mine.itertuples() for at in _number_places(text, e.text, e.quote)}
    exclusions = others["exclusions.csv"]
    exclusions = exclusions[[not (_number_places(text, e.text, e.quote) & held) and not _now_a_figure(e, figures)
                             for e in exclusions.itertuples()]]
    changes += [f"exclude {e.text} in {e.quote!r}" for e in exclusions.itertuples()]
    stored_links = read_csv_table(staging / "links.csv", LINK_COLUMNS).fillna("")
    linked = set(zip(stored_links.target_indicator, stored_links.target_year, stored_links.base_year))
    links = others["links.csv"]
    links = links[[(l.target_indicator, l.target_year, l.base_year) not in linked for l in links.itertuples()]]
    changes += [f"link {l.target_indicator} {l.target_year} to {l.base_indicator} {l.base_year}" for l in links.itertuples()]
    return changes, exclusions, links


def _update_sections(path: Path, stored: dict, entry: dict, review: Path) -> list[str]:
    """Put a new reading's sections into a stored source's entry; a section without a note of its own keeps the stored one.

    Only the entry's `sections:` block is rewritten, as text: every other line of
    sources.yaml, comments included, stays as it is; an entry that does not end with them is _Refused.
    """
    old = stored.get("sections") or []
    notes = {s.get("starts_at"): s.get("note") for s in old}
    new = [{**s, **({"note": notes[s["starts_at"]]} if notes.get(s["starts_at"]) and not s.get("note") else {})}
           for s in entry.get("sections") or []]  # the review's own note, else the stored one
    if new == old or not new:
        return []
    text = path.read_text(encoding="utf-8")
    start = text.find(f"- id: {stored['id']}\n")
    end = text.find("\n- id: ", start + 1)
    end = len(text) if end < 0 else end
    block = text[start:end]
    at = block.find("\n  sections:\n")
    tail = block[at + 1 :].split("\n")
    if start < 0 or at < 0 or any(line and not line.startswith(("  -", "    ", "  sections:")) for line in tail):
        raise _Refused([f"{review}, field 'sections': the stored entry of {stored['id']!r} in {path.name} does not end with its "
                "sections, so they cannot be replaced as text; edit them by hand"])
    dumped = yaml.safe_dump({"sections": new}, allow_unicode=True, sort_keys=False, width=1000)
    indented = "".join("  " + line + "\n" for line in dumped.splitlines())
    trailing = block[len(block.rstrip("\n")):]
    path.write_text(text[:start] + block[: at + 1] + indented.rstrip("\n") + trailing + text[end:], encoding="utf-8")
    return ["sections of the source: " + "; ".join(
        f"{s['starts_at'][:16]} → {s['year']} {s['kind']} ({s['coverage']}"
        + (f", {s['period_start']}-{s['period_end']}" if s.get("period_start") else "") + ")" for s in new)]


def _number_places(text: str, number: str, quote: str) -> set[int]:
    """Where in the source text the digits of an excluded number stand (one place per digit run)."""
    places = set()
    for match in re.finditer(re.escape(quote), text):
        for digits in re.finditer(r"\d+", number):
            at = quote.find(digits.group())
            if at >= 0:
                places.add(match.start() + at)
    return places


def _now_a_figure(exclusion, figures: pd.DataFrame) -> bool:
    """An excluded number that a figure now covers: same place in the text, same number."""
    return any((exclusion.quote in f.quote or f.quote in exclusion.quote) and f.value in exclusion.text
               for f in figures.itertuples())


def _add_catalogue_rows(staging: Path, keep: pd.DataFrame, review: Path, origin: dict, home: pd.DataFrame | None) -> list[str]:
    """Catalogue rows for the review's indicators that the folder's catalogue lacks, from the review's columns.

    In another place's folder, an indicator of Zhenhai's catalogue (`home`) keeps Zhenhai's
    row. The staged lines point back to the review's lines, so that a missing field is
    told there, with its line and field.
    """
    path = staging / "catalogue.csv"
    catalogue = pd.read_csv(path, dtype=str, keep_default_na=False)
    new = keep[~keep["indicator_id"].isin(catalogue["indicator_id"])].drop_duplicates("indicator_id")
    records = []
    for _, row in new.iterrows():
        fields = home.loc[row.indicator_id] if home is not None and row.indicator_id in home.index else row
        records.append({**{c: fields.get(c, "") for c in CATALOGUE_COLUMNS}, "indicator_id": row.indicator_id})
    rows = pd.DataFrame(records, index=new.index, columns=CATALOGUE_COLUMNS).fillna("")
    if home is not None:  # a growth rate copied from Zhenhai's catalogue brings the level it is the growth of
        have = set(catalogue["indicator_id"]) | set(rows["indicator_id"])
        levels = [g for g in rows["growth_of"] if g and g not in have and g in home.index]
        extra = home.loc[sorted(set(levels))].reset_index().reindex(columns=CATALOGUE_COLUMNS).fillna("")
        rows = pd.concat([rows, extra.set_axis([f"level of {g}" for g in extra["indicator_id"]])])
    start = _appended_lines(path)
    origin[path] = (review, dict(zip(range(start + 1, start + 1 + len(rows)), new.index)))
    _append_rows(path, rows, CATALOGUE_COLUMNS)
    return [f"new indicator {i}: {n}" for i, n in zip(rows["indicator_id"], rows["name_zh"])]


def _new_place_folder(folder: Path, entry: dict) -> None:
    """The data folder of another place, empty: its own sources, catalogue, figures and exclusions.

    Themes and the words of pages are Zhenhai's, so that the place's figures load and
    validate as Zhenhai's do; Zhenhai's pages never read this folder.
    """
    home = data_dir()
    (folder / "figures").mkdir(parents=True)
    (folder / "raw").mkdir()
    for name in ("themes.csv", "labels.csv"):
        shutil.copyfile(home / name, folder / name)
    for name, columns in (("catalogue.csv", CATALOGUE_COLUMNS), ("exclusions.csv", EXCLUSION_COLUMNS),
                          ("links.csv", LINK_COLUMNS)):
        (folder / name).write_text(",".join(columns) + "\n", encoding="utf-8")
    (folder / "sources.yaml").write_text(
        f"# The sources of {entry.get('place_zh', entry.get('place'))}, added by extract --accept; see data/sources.yaml.\n",
        encoding="utf-8")
    (folder / "README.md").write_text(
        f"# {entry.get('place_zh', '')} ({entry.get('place')})\n\nFigures of another place than Zhenhai, accepted with "
        "`python -m zhenhai_analysis.extract … --place`. They never enter Zhenhai's data/ or its pages. Load them with "
        f"`za.load_indicators(\"places/{entry.get('place')}\")`.\n", encoding="utf-8")


def _copy_raw(read_from: str | None, raw: Path, entry: dict) -> str:
    """Copy the document's text into the folder's raw/, if it is the text the review read; else the problem."""
    if not read_from or not Path(read_from).is_file():
        return (f"the text {entry['file']} is not in the data folder, and the file the review was read from "
                f"({read_from or 'not recorded'}) is gone; save the text there first")
    if hashlib.sha256(Path(read_from).read_bytes()).hexdigest() != entry.get("sha256"):
        return f"{read_from} has changed since it was read (its checksum differs); read it again"
    raw.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(read_from, raw)
    return ""


def _in_review(problem, origin: dict, staging: Path, data: Path) -> str:
    """A problem of the staged data, told against the file the analyst edits and its own line."""
    if problem.file in origin and problem.line in origin[problem.file][1]:
        file, lines = origin[problem.file]
        return str(type(problem)(file, int(lines[problem.line]), problem.field, problem.message))
    return str(problem).replace(str(staging), str(data))

