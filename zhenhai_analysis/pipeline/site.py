"""outputs/index.html: every page of every year's briefing, grouped by theme, in every language.

The page is the Jinja template templates/site/index.html.j2, rendered with autoescape
on; its words come from data/labels.csv and the data. Each year's part is saved when
its pages are run (outputs/.state/site_<year>.json), so the index never drops a year
that a later run of another year does not touch, and is rewritten after every run.
"""

from __future__ import annotations

import json
from pathlib import Path

from .params import Briefing
from ..foundations.paths import TEMPLATES
from .planning import Job
from .state import STATE_DIR, write_atomic

def _words(key: str, **values) -> dict[str, str]:
    """The words of a label in every language, for the bilingual index."""
    from ..foundations.labels import label
    from ..foundations.vocab import LANGS

    return {lang: label(key, lang, **values) for lang in LANGS}


def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(loader=FileSystemLoader(str(TEMPLATES / "site")), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def _statuses(briefing: Briefing) -> dict[str, dict]:
    """Each indicator's line in the index: the verdict on its target and the trend label, or no target
    ('' is the entry of an indicator without a target). `code` is what the status filter matches."""
    from ..analysis.briefing import briefing_model
    from ..foundations.labels import label
    from ..presentation.tables import position_words
    from ..foundations.vocab import LANGS

    rows = briefing_model(briefing.data_dir, briefing.report_year, briefing.base_year).rows
    out = {"": {"code": "none", "words": _words("index.no_target", year=briefing.report_year)}}
    for _, row in rows.drop_duplicates("indicator_id").iterrows():
        words = {lang: f"{label(f'status.{row.verdict}', lang)} · {label('index.trend', lang)}: "
                       f"{position_words(row, lang, short=True)}" for lang in LANGS}
        out[row.indicator_id] = {"code": str(row.verdict), "words": words}
    return out


def status_choices(year: int) -> list[dict]:
    """The index's status filter: any target of the year, each verdict, no target."""
    from ..foundations.vocab import Verdict

    return ([{"code": "target", "words": _words("index.with_target", year=year)}]
            + [{"code": str(v), "words": _words(f"status.{v}")} for v in Verdict]
            + [{"code": "none", "words": _words("index.no_target", year=year)}])


def year_entry(outputs: Path, jobs: list[Job], briefing: Briefing) -> dict:
    """One year's part of the index: its sections of pages, each with titles and links per language."""
    from ..validation.load import load_sources, load_themes
    from ..foundations.vocab import LANGS

    themes = load_themes(briefing.data_dir)
    statuses = _statuses(briefing)
    pages: dict[tuple[str, str], dict] = {}
    for job in jobs:
        page = pages.setdefault((job.theme or "", job.page), {"title": {}, "links": {}})
        if "indicator_id" in job.parameters:
            page["status"] = statuses.get(job.parameters["indicator_id"], statuses[""])
        page["title"][job.lang] = job.page_title
        page["links"][job.lang] = {"reader": job.path(".html").relative_to(outputs).as_posix(),
                                   "code": job.path(".code.html").relative_to(outputs).as_posix()}
    for page in pages.values():
        page["title"].setdefault("zh", page["title"].get("en", ""))
        page["title"].setdefault("en", "")
        for lang in LANGS:
            page["links"].setdefault(lang, None)
    sections = [{"theme": "", "title": _words("index.overview"), "pages": [p for (t, _), p in pages.items() if not t]}]
    for theme in themes.itertuples():
        mine = [p for (t, _), p in pages.items() if t == theme.theme]
        sections.append({"theme": theme.theme, "title": {"zh": theme.name_zh, "en": theme.name_en}, "pages": mine})
    sources = load_sources(briefing.data_dir)
    return {
        "year": briefing.report_year,
        "title": _words("index.title", year=briefing.report_year),
        # The page a reader starts from: the briefing, in each language the run made.
        "start": {"text": _words("index.start", year=briefing.report_year),
                  "links": next((p["links"] for (t, page), p in pages.items() if page == "01_briefing"), None)},
        "sources": [{"title_zh": s.title_zh, "title_en": s.title_en, "published": str(s.published), "url": s.url}
                    for s in sources.itertuples()],
        "sections": [s for s in sections if s["pages"]],
        "statuses": status_choices(briefing.report_year),
        "bundle": {"href": bundle_path(outputs, briefing.report_year).relative_to(outputs).as_posix(),
                   "text": _words("briefing.bundle")},
    }


def bundle_path(outputs: Path, year: int) -> Path:
    """Where a year's "download everything" zip lives: beside its language folders."""
    from ..presentation.downloads import BUNDLE_NAME

    return outputs / str(year) / BUNDLE_NAME.format(year=year)


def make_bundle(briefing: Briefing) -> bytes:
    """The year's bundle (downloads.bundle): made from the data alone, so a worker makes it while pages run."""
    from ..presentation.downloads import bundle

    return bundle(briefing.data_dir, briefing.report_year, briefing.base_year)


def write_bundle(outputs: Path, briefing: Briefing, data: bytes | None = None) -> Path:
    """Write the year's bundle (`data`, else made now), atomically: a failed write leaves the previous one."""
    target = bundle_path(outputs, briefing.report_year)
    write_atomic(target, make_bundle(briefing) if data is None else data)
    return target


def save_year(outputs: Path, entry: dict) -> None:
    """Keep a year's part of the index under outputs/.state/, so that a later run of another year keeps it."""
    write_atomic(outputs / STATE_DIR / f"site_{entry['year']}.json", json.dumps(entry, ensure_ascii=False))


def has_year(outputs: Path, year: int) -> bool:
    return (outputs / STATE_DIR / f"site_{year}.json").exists()


def index_is_current(outputs: Path) -> bool:
    """True when outputs/index.html is newer than every page's record of its last good run."""
    index = outputs / "index.html"
    if not index.exists():
        return False
    written = index.stat().st_mtime_ns
    return all(p.stat().st_mtime_ns <= written for p in (outputs / STATE_DIR).glob("*.json"))


def write_index(outputs: Path) -> Path:
    """Render outputs/index.html from every year rendered so far, newest first; written atomically.

    Reads only the saved year entries (no data loading), so it is cheap to call after every run.
    """
    from ..presentation.formatting import generated_now
    from ..foundations.vocab import LANGS

    years = [json.loads(p.read_text(encoding="utf-8")) for p in (outputs / STATE_DIR).glob("site_*.json")]
    years.sort(key=lambda entry: -entry["year"])

    themes = {}  # the filter's choices: every theme of every year, in order of appearance
    for entry in years:
        for section in entry["sections"]:
            if section.get("theme"):
                themes.setdefault(section["theme"], section["title"])
    context = {
        "years": years,
        "themes": themes,
        "title": _words("index.site_title"),
        "generated": generated_now("zh"),
        "languages": list(LANGS),
        "words": {"report_year": _words("report_year"), "generated": _words("generated"), "source": _words("source"),
                  "reader": _words("index.reader"), "with_code": _words("index.with_code"), "lang": _words("index.lang"),
                  "search": _words("index.search"), "all_themes": _words("index.all_themes"),
                  "nothing": _words("index.nothing"), "status": _words("attainment"),
                  "all_statuses": _words("index.all_statuses"), "link_code": _words("index.link_code")},
        "link_words": {"reader": _words("index.reader"), "with_code": _words("index.with_code")},
    }
    text = _environment().get_template("index.html.j2").render(**context)
    index = outputs / "index.html"
    write_atomic(index, text)
    return index
