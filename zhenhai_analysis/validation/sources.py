"""Source documents: the raw texts in data/raw/ and their metadata (data/sources.yaml).

Each entry is checked with the `sources` and `sections` schemas (schemas.py); the raw
file's checksum is checked on every load, and each section is located in the text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from ..foundations.exceptions import DataValidationError, Problem
from .schemas import sections_schema, sources_schema
from .validate import schema_problems


@dataclass(frozen=True)
class Section:
    """A part of a source whose figures all refer to one year and kind."""

    starts_at: str
    start: int  # character offset of starts_at in the text
    year: int
    kind: str
    coverage: str
    note: str
    period: tuple[int, int] | None = None  # a multi-year review: its first and last year (五年来: 2012-2016)


def section_at(sections, position: int):
    """The last of `sections` (sorted by `.start`) that begins at or before `position`, or None."""
    found = None
    for section in sections:
        if section.start <= position:
            found = section
    return found


@dataclass(frozen=True)
class Source:
    id: str
    path: Path
    title_zh: str
    title_en: str
    url: str
    published: dt.date
    report_year: int
    sha256: str
    text: str
    sections: tuple[Section, ...]

    def section_at(self, position: int) -> Section | None:
        """The section that contains character `position`, or None before the first."""
        return section_at(self.sections, position)


_NEEDED_TO_READ = ("id", "file")  # without these an entry's text cannot be read; other problems are reported only


def _entry_problems(frame: pd.DataFrame, schema, meta_path: Path, what: str) -> tuple[list[Problem], set[int]]:
    """Schema problems of YAML entries numbered from 1, reported as '<what> N', and the Ns that cannot be read."""
    _, found = schema_problems(schema, frame, meta_path)
    unreadable = {p.line for p in found if p.field in _NEEDED_TO_READ or p.field is None}
    return [Problem(meta_path, None, p.field, f"{what} {p.line}: {p.message}") for p in found], unreadable


def read_sources(data_dir: Path) -> tuple[dict[str, Source], set[str], list[Problem]]:
    """Read data/sources.yaml, check every raw file's checksum, locate its sections.

    Returns the sources that could be read, every id the file declares (so that the
    figures of a source whose entry has a problem are not reported again), and the
    problems. Raises DataValidationError only when the file itself cannot be read.
    """
    meta_path = data_dir / "sources.yaml"
    try:
        entries = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DataValidationError([Problem(meta_path, None, None, f"cannot be read: {exc}")]) from None
    if not isinstance(entries, list) or not entries or not all(isinstance(e, dict) for e in entries):
        raise DataValidationError([Problem(meta_path, None, None, "must be a YAML list of source entries (mappings of fields)")])

    schema = sources_schema()
    frame = pd.DataFrame(entries, index=pd.RangeIndex(1, len(entries) + 1, name="entry"))
    frame = frame.reindex(columns=list(dict.fromkeys([*schema.columns, *frame.columns])))
    problems, bad = _entry_problems(frame, schema, meta_path, "entry")
    declared = {e["id"] for e in entries if e.get("id")}
    sources: dict[str, Source] = {}
    for number, entry in enumerate(entries, start=1):
        if number in bad:
            continue
        where = f"entry {number} ({entry['id']})"

        def problem(field: str | None, message: str) -> None:
            problems.append(Problem(meta_path, None, field, f"{where}: {message}"))

        path = data_dir / entry["file"]
        try:
            raw = path.read_bytes()
        except OSError:
            problem("file", f"no such file: {path}")
            continue
        digest = hashlib.sha256(raw).hexdigest()
        if entry.get("sha256") and digest != entry["sha256"]:
            problem("sha256", f"{path.name} has sha256 {digest}, metadata says {entry['sha256']}: the raw file was changed")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problem("file", f"{path.name} is not UTF-8 ({exc.reason} at byte {exc.start})")
            continue
        sections = []
        listed = entry.get("sections") or []
        if not isinstance(listed, list) or not all(isinstance(s, dict) for s in listed):
            problem("sections", "must be a list of sections, each with starts_at, year, kind, coverage")
            continue
        listed_frame = pd.DataFrame(listed, columns=list(sections_schema().columns) + ["note"],
                                    index=pd.RangeIndex(1, len(listed) + 1))
        found, _ = _entry_problems(listed_frame, sections_schema(), meta_path, f"{where}: section")
        problems.extend(found)
        for s in listed if not found else []:
            count = text.count(s["starts_at"])
            if count != 1:
                problem("sections", f"starts_at {s['starts_at']!r} occurs {count} times in {path.name}; it must occur once")
                continue
            period = (int(s["period_start"]), int(s["period_end"])) if s.get("period_start") and s.get("period_end") else None
            sections.append(Section(s["starts_at"], text.index(s["starts_at"]), int(s["year"]), s["kind"],
                                    s["coverage"], s.get("note") or "", period))
        sources[entry["id"]] = Source(
            # Fields with problems (reported above) are read as they are: the text's figures are still checked.
            id=entry["id"], path=path, title_zh=entry.get("title_zh"), title_en=entry.get("title_en"), url=entry.get("url"),
            published=entry.get("published"), report_year=entry.get("report_year"), sha256=entry.get("sha256"),
            text=text, sections=tuple(sorted(sections, key=lambda s: s.start)),
        )
    return sources, declared, problems
