"""Which pages the briefing has: one per notebook and language, per theme or indicator.

A notebook that declares a `theme` parameter runs once per theme, one that declares
`indicator_id` once per indicator page; the others once. A page's title comes from the
label key in its notebook's metadata (`metadata.zhenhai.title`), filled with the
report year and the theme's or indicator's name in the page's language.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..foundations.exceptions import ParameterError, Problem
from .params import OPTIONAL, REQUIRED, Briefing
from ..foundations.vocab import ALL_PAGES

# nbformat (under papermill and nbconvert) imports jsonschema, which builds a lark parser of
# RFC 3987 at import when rfc3987-syntax is installed (JupyterLab's jupyter-events asks for it):
# about 1 s in each process that runs papermill, for an "iri" format that no notebook schema uses
# (nbformat validates with fastjsonschema). Marked as absent, jsonschema skips that one format.
# Here because every such process imports this module first: the pipeline, to plan, and its
# workers, for Job.
sys.modules.setdefault("rfc3987_syntax", None)

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Job:
    """One page: a notebook run with its parameters, written under `output` (a stem)."""

    notebook: Path
    parameters: dict
    output: Path  # stem: outputs/2020/zh/02_theme.industry
    lang: str
    theme: str | None = None  # for the index: which theme the page belongs to
    page_title: str = ""  # in the page's language
    languages: tuple[str, ...] = ()  # every language of the run: the page links to its versions in the others
    # Pages of the run this page links to at its top, as (page, title): the briefing, the
    # methods page, and an indicator's theme.
    neighbours: tuple[tuple[str, str], ...] = ()

    @property
    def title(self) -> str:
        """The run's name in progress lines: notebook and parameters."""
        values = ", ".join(f"{k}={v}" for k, v in self.parameters.items() if k not in ("report_year", "base_year", "indicator_pages", "theme_pages"))
        return f"{self.notebook.stem} ({values})"

    @property
    def page(self) -> str:
        """The page's name without language: 02_theme.industry."""
        return self.output.name

    def path(self, suffix: str) -> Path:
        return self.output.with_name(self.output.name + suffix)


def title_key(notebook: Path) -> str:
    """The label key of a notebook's page title (metadata.zhenhai.title)."""
    meta = json.loads(notebook.read_text(encoding="utf-8")).get("metadata", {})
    try:
        return meta["zhenhai"]["title"]
    except KeyError:
        raise ParameterError([Problem(notebook, None, "metadata.zhenhai.title",
                                      "the notebook names no page title: add a label key of data/labels.csv")]) from None


def pages_for_indicators(obs: pd.DataFrame, report_year: int) -> list[str]:
    """Indicators that get a page: every one with a figure (actual or target) up to `report_year`."""
    return sorted(set(obs.loc[obs["year"] <= report_year, "indicator_id"]))


def _unknown(path: Path, key: str, unknown: list[str], valid: list[str], word: str) -> ParameterError:
    return ParameterError([Problem(path, None, key, f"unknown value(s) {', '.join(unknown)}; "
                                                     f"valid values: {word}, {', '.join(valid)}")])


def plan(briefing: Briefing, outputs: Path, params_path: Path = Path("parameters")) -> list[Job]:
    """Every page of the briefing, in order; validates the data and the parameters first."""
    import papermill as pm

    from ..presentation.formatting import plain_title
    from ..foundations.labels import label, localized
    from ..validation.load import load_catalogue, load_indicators, load_themes

    data = briefing.data_dir
    themes, catalogue = load_themes(data), load_catalogue(data)
    obs = load_indicators(data)
    target_years = sorted(set(obs.loc[obs["kind"] == "target", "year"]))
    if briefing.report_year not in target_years:
        raise ParameterError([Problem(params_path, None, "report_year", f"{briefing.report_year}: the data hold no "
                                      f"targets of that year; years with targets: {', '.join(map(str, target_years))}")])
    valid_themes = list(themes["theme"])
    chosen = valid_themes if briefing.themes == "all" else list(briefing.themes)
    unknown = [t for t in chosen if t not in valid_themes]
    if unknown:
        raise _unknown(params_path, "themes", unknown, valid_themes, "all")
    theme_of = catalogue.set_index("indicator_id")["theme"]
    if briefing.indicators == "auto":
        indicators = [i for i in pages_for_indicators(obs, briefing.report_year) if theme_of[i] in chosen]
    else:
        indicators = list(briefing.indicators)
        unknown = [i for i in indicators if i not in theme_of.index]
        if unknown:
            raise _unknown(params_path, "indicators", unknown, list(theme_of.index), "auto")

    declared_by = {}
    for name in briefing.notebooks:
        notebook = briefing.notebooks_dir / f"{name}.ipynb"
        if not notebook.exists():
            available = ", ".join(p.stem for p in sorted(briefing.notebooks_dir.glob("*.ipynb")))
            raise ParameterError([Problem(params_path, None, "notebooks", f"unknown notebook {name!r}; available: {available}")])
        declared_by[name] = pm.inspect_notebook(str(notebook))
    undeclared = [k for k in briefing.extra if not any(k in declared for declared in declared_by.values())]
    if undeclared:
        known = sorted({*REQUIRED, *OPTIONAL, *(k for d in declared_by.values() for k in d)})
        raise ParameterError([Problem(params_path, None, k, f"is not a parameter of the briefing or of its notebooks; "
                                      f"known: {', '.join(known)}") for k in undeclared])

    # Rows link to indicator pages only when this run makes them: ALL_PAGES when it makes one for
    # every indicator with a figure (the default; short in every page's parameters), else the list.
    linked = indicators if any("indicator_id" in declared for declared in declared_by.values()) else []
    if linked and linked == pages_for_indicators(obs, briefing.report_year):
        linked = ALL_PAGES
    # The briefing names each theme under its charts, linked to the theme's page when this run makes it.
    themed = chosen if any("theme" in declared for declared in declared_by.values()) else []
    jobs = []
    for name, declared in declared_by.items():
        notebook = briefing.notebooks_dir / f"{name}.ipynb"
        key = title_key(notebook)
        for lang in briefing.languages:
            theme_names = localized(themes, "name", lang).set_axis(themes["theme"])
            indicator_names = localized(catalogue, "name", lang).set_axis(catalogue["indicator_id"])
            if "theme" in declared:
                variants = [({"theme": t}, t, t, theme_names[t]) for t in chosen]
            elif "indicator_id" in declared:
                variants = [({"indicator_id": i}, i, theme_of[i], indicator_names[i]) for i in indicators]
            else:
                variants = [({}, None, None, "")]
            offered = {"report_year": briefing.report_year, "base_year": briefing.base_year,
                       "indicator_pages": linked, "theme_pages": themed, **briefing.extra}
            for own, suffix, theme, subject in variants:
                parameters = {k: v for k, v in {**offered, "lang": lang, **own}.items() if k in declared}
                stem = name if suffix is None else f"{name}.{suffix}"
                title = plain_title(label(key, lang, year=briefing.report_year, name=subject), lang)
                jobs.append(Job(notebook, parameters, outputs / str(briefing.report_year) / lang / stem, lang, theme, title,
                                tuple(briefing.languages)))
    return _with_neighbours(jobs)


NEIGHBOURS = ("01_briefing", "04_methods")  # linked from every other page of the run


def _with_neighbours(jobs: list[Job]) -> list[Job]:
    """Each page with the pages it links to at its top: NEIGHBOURS; for an indicator, its theme's page;
    for a theme, the previous and the next theme's page (in the order of themes.csv)."""
    from dataclasses import replace

    from ..foundations.labels import label

    titles = {(j.lang, j.page): j.page_title for j in jobs}
    themes = {lang: [j.page for j in jobs if j.lang == lang and "theme" in j.parameters] for lang in {j.lang for j in jobs}}
    out = []
    for job in jobs:
        pages = [p for p in NEIGHBOURS if p != job.page]
        if "indicator_id" in job.parameters and job.theme:
            pages.append(f"02_theme.{job.theme}")
        links = [(p, titles[(job.lang, p)]) for p in pages if (job.lang, p) in titles]
        if "theme" in job.parameters:
            order = themes[job.lang]
            at = order.index(job.page)
            for key, other in (("nav.previous", at - 1), ("nav.next", at + 1)):
                if 0 <= other < len(order):
                    links.append((order[other], label(key, job.lang, title=titles[(job.lang, order[other])])))
        out.append(replace(job, neighbours=tuple(links)))
    return out
