"""Source documents: the raw texts in data/raw/ and their metadata (data/sources.yaml)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml

from .validate import DataValidationError, Problem

KINDS = ("actual", "target")
COVERAGES = ("full_year", "year_to_date")


@dataclass(frozen=True)
class Section:
    """A part of a source whose figures all refer to one year and kind."""

    starts_at: str
    start: int  # character offset of starts_at in the text
    year: int
    kind: str
    coverage: str
    note: str


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
        found = None
        for section in self.sections:
            if section.start <= position:
                found = section
        return found


_REQUIRED = ("id", "file", "title_zh", "title_en", "url", "published", "report_year", "sha256", "sections")
_SECTION_REQUIRED = ("starts_at", "year", "kind", "coverage")


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
    if not isinstance(entries, list) or not entries:
        raise DataValidationError([Problem(meta_path, None, None, "must be a YAML list of source entries")])

    problems: list[Problem] = []
    sources: dict[str, Source] = {}
    declared = {e["id"] for e in entries if isinstance(e, dict) and "id" in e}
    for number, entry in enumerate(entries, start=1):
        where = f"entry {number}"

        def problem(field: str | None, message: str) -> None:
            problems.append(Problem(meta_path, None, field, f"{where}: {message}"))

        if not isinstance(entry, dict):
            problem(None, "must be a mapping of fields")
            continue
        missing = [key for key in _REQUIRED if key not in entry]
        if missing:
            problem(None, f"missing fields: {', '.join(missing)}")
            continue
        where = f"entry {number} ({entry['id']})"
        if entry["id"] in sources:
            problem("id", "duplicate source id")
        path = data_dir / entry["file"]
        try:
            raw = path.read_bytes()
        except OSError:
            problem("file", f"no such file: {path}")
            continue
        digest = hashlib.sha256(raw).hexdigest()
        if digest != entry["sha256"]:
            problem("sha256", f"{path.name} has sha256 {digest}, metadata says {entry['sha256']}: the raw file was changed")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problem("file", f"{path.name} is not UTF-8 ({exc.reason} at byte {exc.start})")
            continue
        if not isinstance(entry["published"], dt.date):
            problem("published", f"must be a date written YYYY-MM-DD, got {entry['published']!r}")
        sections = []
        for s in entry["sections"] or []:
            if not isinstance(s, dict) or any(key not in s for key in _SECTION_REQUIRED):
                problem("sections", f"each section needs {', '.join(_SECTION_REQUIRED)}; got {s!r}")
                continue
            count = text.count(s["starts_at"])
            if count != 1:
                problem("sections", f"starts_at {s['starts_at']!r} occurs {count} times in {path.name}; it must occur once")
                continue
            if s["kind"] not in KINDS or s["coverage"] not in COVERAGES:
                problem("sections", f"kind must be one of {KINDS} and coverage one of {COVERAGES}; got {s!r}")
                continue
            sections.append(
                Section(s["starts_at"], text.index(s["starts_at"]), int(s["year"]), s["kind"], s["coverage"], s.get("note", ""))
            )
        sources[entry["id"]] = Source(
            id=entry["id"],
            path=path,
            title_zh=entry["title_zh"],
            title_en=entry["title_en"],
            url=entry["url"],
            published=entry["published"],
            report_year=int(entry["report_year"]),
            sha256=entry["sha256"],
            text=text,
            sections=tuple(sorted(sections, key=lambda s: s.start)),
        )
    return sources, declared, problems
