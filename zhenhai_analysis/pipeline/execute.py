"""Running one page: papermill in this process's IPython shell, then self-contained HTML.

A page is written only when its notebook succeeded, by renaming finished files into
place, so a failed run leaves the previous good outputs untouched; the failed notebook
is kept as <page>.failed.ipynb.
"""

from __future__ import annotations

import functools
import html
import os
import re
import sys
import time
from pathlib import Path

from ..foundations.exceptions import NotebookFailed
from ..foundations.labels import label
from ..foundations.paths import TEMPLATES
from ..presentation.lighten import lighten
from .planning import Job
from .state import record_good_run, write_atomic

CELL_TIMEOUT_S = 600  # one cell; every notebook here runs in seconds
READER_ONLY_TAG = "analyst-note"  # Markdown for analysts: kept in .code.html, left out of the reader page


def _failed_cell(notebook: Path) -> str:
    """Describe the first cell with an error, numbered as in the input notebook."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    added = {"injected-parameters", "papermill-error-cell-tag"}  # cells papermill inserts
    source_cells = [c for c in nb.cells if not added & set(c.get("metadata", {}).get("tags", []))]
    for index, cell in enumerate(source_cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                first_line = next((l for l in cell.source.splitlines() if l.strip()), "")
                return (f"cell {index} (In [{cell.get('execution_count')}], {first_line[:60]!r}): "
                        f"{output['ename']}: {output['evalue']}")
    return "no cell recorded an error"


# What the pages import, run in a worker's shell before its first page (warm).
_WARM_IMPORTS = ("import zhenhai_analysis as za, matplotlib.pyplot\n"
                 "from zhenhai_analysis.presentation import charts, conclusions, display, downloads, tables\n"
                 "from zhenhai_analysis.analysis import briefing, trend\n")


def warm() -> None:
    """Get a worker ready for its first page while the run plans: build both HTML exporters,
    make the shell and import the library in it. Anything that fails here is left for the
    first page to meet and report."""
    from . import shell

    try:
        _exporter(False), _exporter(True)
        shell.run_quietly(_WARM_IMPORTS)
    except Exception:  # noqa: BLE001 - the first page makes what is missing, and says what fails
        pass


def _execute(job: Job, executed: Path):
    """Run the notebook with papermill in this process's IPython shell, in the notebook's folder
    (see shell.py); the executed notebook."""
    import papermill as pm

    from . import shell

    return pm.execute_notebook(
        str(job.notebook), str(executed), parameters=job.parameters, kernel_name=shell.KERNEL_NAME,
        engine_name=shell.ENGINE_NAME, cwd=str(job.notebook.parent), progress_bar=False,
        execution_timeout=CELL_TIMEOUT_S,
        request_save_on_cell_execute=False,  # saved once at the end, or with the error on failure
    )


_exporters: dict[bool, object] = {}


_HIGHLIGHTED: dict[tuple, str] = {}  # (lexer, language, magics language, source) -> HTML


def _cached_highlight(highlight):
    """pygments' highlighting of a code cell, remembered: the code of a notebook is the same on
    each of its pages (only the parameters differ), and highlighting costs more than the rest."""
    def cached(source, language=None, metadata=None):
        key = (highlight.pygments_lexer, language, (metadata or {}).get("magics_language"), source)
        if key not in _HIGHLIGHTED:
            _HIGHLIGHTED[key] = highlight(source, language, metadata)
        return _HIGHLIGHTED[key]
    return cached


@functools.cache
def _fast_exporter_class():
    """nbconvert's HTMLExporter without three passes that cost most of a page's rendering.

    - After rendering, HTMLExporter parses the whole page (about 1 MB of embedded images and
      downloads) with BeautifulSoup only to add a placeholder alt text to images without one
      and tabindex attributes; every image here has its alt text (display.py), and pages are
      checked for it (tests).
    - Its `clean_html` filter runs bleach over code highlighted by pygments and over the
      notebooks' own Markdown: both are the project's, never data (data reach pages only
      through display.py, which escapes them).
    - It validates the whole notebook against its schema after every preprocessor; the
      notebook was validated when papermill wrote it, and the preprocessors only remove.

    And it does once per process what does not change from page to page: the stylesheets the
    template inlines (read from their files at each page) and the code-highlighting CSS
    (built by pygments at each page); and the notebook is copied once per page, not twice
    (from_notebook_node copies it, then its preprocessing copied the copy).
    """
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor

    class FastHTMLExporter(HTMLExporter):
        """See _fast_exporter_class. Its caches are the class's, shared by the reader and the
        code exporters (_exporter): both use the same template, stylesheets and highlighting."""

        _highlighters: dict = {}  # lexer -> highlight filter
        _included: dict = {}  # (kind, name) -> an inlined stylesheet
        _header_css: dict = {}  # resources["inlining"] of CSSHTMLHeaderPreprocessor

        def _init_resources(self, resources):
            resources = super()._init_resources(resources)
            for kind in ("include_css", "include_lab_theme"):
                def once(name, kind=kind, include=resources[kind]):
                    if (kind, name) not in self._included:
                        self._included[kind, name] = include(name)
                    return self._included[kind, name]
                resources[kind] = once
            return resources

        def _preprocess(self, nb, resources):
            for preprocessor in self._preprocessors:
                if isinstance(preprocessor, CSSHTMLHeaderPreprocessor) and self._header_css:
                    resources["inlining"] = dict(self._header_css)
                    continue
                nb, resources = preprocessor(nb, resources)
                if isinstance(preprocessor, CSSHTMLHeaderPreprocessor):
                    self._header_css.update(resources.get("inlining", {}))
            return nb, resources

        def default_filters(self):
            yield from super().default_filters()
            yield ("clean_html", lambda html: html)

        def _validate_preprocessor(self, nbc, preprocessor):
            pass  # validated once, when papermill wrote it; not again after each of a dozen preprocessors

        def from_notebook_node(self, nb, resources=None, **kw):
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            if lexer not in self._highlighters:
                self._highlighters[lexer] = _cached_highlight(Highlight2HTML(pygments_lexer=lexer, parent=self))
            self.register_filter("highlight_code", self._highlighters[lexer])
            resources = self._init_resources(resources)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return FastHTMLExporter


def _exporter(with_code: bool):
    """One HTML exporter per version, built once per process (building loads the templates)."""
    if with_code not in _exporters:
        from traitlets.config import Config

        HTMLExporter = _fast_exporter_class()

        config = Config()
        if not with_code:
            config.TagRemovePreprocessor.remove_cell_tags = {READER_ONLY_TAG}
            config.TagRemovePreprocessor.enabled = True
        _exporters[with_code] = HTMLExporter(
            config=config,
            template_name="zhenhai",
            extra_template_basedirs=[str(TEMPLATES)],
            exclude_input=not with_code,
            exclude_input_prompt=not with_code,
            exclude_output_prompt=not with_code,
        )
    return _exporters[with_code]


def navigation(job: Job, with_code: bool, sections: list[dict]) -> dict:
    """The links at the top of a page: back to the index, its neighbours (the briefing, the methods,
    an indicator's theme), the same page in the run's other languages and in its other version
    (with code, or the reader's), and its `sections` (contents())."""
    suffix = ".code.html" if with_code else ".html"
    return {"home": "../../index.html", "home_text": label("nav.home", job.lang),
            "contents": sections, "contents_text": label("nav.contents", job.lang),
            "neighbours": [{"href": f"{page}{suffix}", "text": title} for page, title in job.neighbours],
            "version": {"href": job.page + (".html" if with_code else ".code.html"),
                        "text": label("nav.reader" if with_code else "nav.with_code", job.lang)},
            "switch": [{"href": f"../{other}/{job.page}{suffix}", "lang": other, "text": label("nav.language", other)}
                       for other in job.languages if other != job.lang]}


HEADING = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>', re.S)
CONTENTS_MIN = 3  # a page with fewer sections needs no table of contents


def contents(nb) -> list[dict]:
    """The page's sections for its table of contents: the h2 headings that display.heading wrote."""
    found = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/html", "")
            text = "".join(text) if isinstance(text, list) else text
            found += [{"anchor": html.unescape(m.group(1)), "text": html.unescape(m.group(2))}
                      for m in HEADING.finditer(text)]
    return found if len(found) >= CONTENTS_MIN else []


def render_html(nb, target: Path, lang: str, with_code: bool, nav: dict | None = None) -> dict[str, bytes]:
    """Render an executed notebook to HTML that fetches nothing, written atomically. Returns the
    files its download links name, to be written beside it (lighten.py): both versions of a page
    link to the same files, so the caller writes them once."""
    exporter = _exporter(with_code)
    exporter.language_code = lang  # <html lang>: the exporter's own setting wins over resources
    body, _ = exporter.from_notebook_node(nb, resources={"zhenhai_nav": nav})
    body, files = lighten(body, lang)  # only the CSS it uses; its downloads as files beside it
    write_atomic(target, body)
    return files


def run_job(job: Job, digest: str, outputs: Path, announce: bool = False) -> dict:
    """Execute one page, render it, record its input digest. Raises NotebookFailed.

    Returns seconds in all, executing (papermill and the shell, cells_s of which in the cells) and rendering.
    """
    started = time.perf_counter()
    if announce:
        sys.stdout.write(f"  running {job.title}\n")  # one write: lines of parallel workers do not interleave
        sys.stdout.flush()
    job.output.parent.mkdir(parents=True, exist_ok=True)
    executed = job.path(".partial.ipynb")
    try:
        nb = _execute(job, executed)
    except Exception as exc:  # papermill raises several types; all mean the page failed
        failed = job.path(".failed.ipynb")
        detail = _failed_cell(executed) if executed.exists() else f"{type(exc).__name__}: {exc}"
        if executed.exists():
            os.replace(executed, failed)
        raise NotebookFailed(f"{job.title} failed in {detail}\n  the failed notebook is saved as {failed}") from None
    except BaseException:  # interrupted (Ctrl-C, or stopped by the parent): leave nothing half-written
        executed.unlink(missing_ok=True)
        raise
    executed_at = time.perf_counter()
    for cell in nb.cells:  # papermill gives its parameters cell a random id: the same page, the same bytes
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"
    nb.metadata["title"] = job.page_title
    sections = contents(nb)  # the same in both versions
    files = render_html(nb, job.path(".html"), job.lang, with_code=False, nav=navigation(job, False, sections))
    render_html(nb, job.path(".code.html"), job.lang, with_code=True, nav=navigation(job, True, sections))
    for name, data in files.items():  # the same downloads as the code version's
        write_atomic(job.output.parent / name, data)
    os.replace(executed, job.path(".ipynb"))
    job.path(".failed.ipynb").unlink(missing_ok=True)
    record_good_run(job, digest, outputs)
    done = time.perf_counter()
    cells = sum(c.get("metadata", {}).get("papermill", {}).get("duration") or 0 for c in nb.cells)
    return {"seconds": done - started, "execute_s": executed_at - started,
            "cells_s": cells, "render_s": done - executed_at}
