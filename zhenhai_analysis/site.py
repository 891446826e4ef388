"""outputs/index.html: every page of the briefing, grouped by theme, in every language.

The page is the Jinja template templates/site/index.html.j2, rendered with autoescape
on; its words come from data/labels.csv and the data.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .params import Briefing
from .paths import TEMPLATES
from .planning import Job
from .state import write_atomic

BEIJING = dt.timezone(dt.timedelta(hours=8), "CST")


def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(loader=FileSystemLoader(str(TEMPLATES / "site")), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def index_context(outputs: Path, jobs: list[Job], briefing: Briefing) -> dict:
    """What the index shows: sections of pages, each with its title and links per language."""
    from .labels import label
    from .load import load_sources, load_themes
    from .vocab import LANGS

    def words(key: str, **values) -> dict[str, str]:
        return {lang: label(key, lang, **values) for lang in LANGS}

    themes = load_themes(briefing.data_dir)
    pages: dict[tuple[str, str], dict] = {}
    for job in jobs:
        page = pages.setdefault((job.theme or "", job.page), {"title": {}, "links": {}})
        page["title"][job.lang] = job.page_title
        page["links"][job.lang] = {"reader": job.path(".html").relative_to(outputs).as_posix(),
                                   "code": job.path(".code.html").relative_to(outputs).as_posix()}
    for page in pages.values():
        page["title"].setdefault("zh", page["title"].get("en", ""))
        page["title"].setdefault("en", "")
        for lang in LANGS:
            page["links"].setdefault(lang, None)
    sections = [{"title": words("index.overview"), "pages": [p for (t, _), p in pages.items() if not t]}]
    for theme in themes.itertuples():
        mine = [p for (t, _), p in pages.items() if t == theme.theme]
        sections.append({"title": {"zh": theme.name_zh, "en": theme.name_en}, "pages": mine})
    return {
        "title": words("index.title", year=briefing.report_year),
        "report_year": briefing.report_year,
        "generated": dt.datetime.now(BEIJING).strftime("%Y-%m-%d %H:%M") + " " + label("beijing_time", "zh"),
        "sources": list(load_sources(briefing.data_dir).itertuples()),
        "sections": [s for s in sections if s["pages"]],
        "languages": briefing.languages,
        "words": {"report_year": words("report_year"), "generated": words("generated"), "source": words("source"),
                  "reader": words("index.reader"), "with_code": words("index.with_code"), "lang": words("index.lang")},
    }


def write_index(outputs: Path, jobs: list[Job], briefing: Briefing) -> Path:
    """Render outputs/index.html from the template; written atomically."""
    text = _environment().get_template("index.html.j2").render(**index_context(outputs, jobs, briefing))
    index = outputs / "index.html"
    write_atomic(index, text)
    return index
