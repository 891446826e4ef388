"""Showing tables and words in a notebook page, in the page's language.

Data are always escaped: a name or reason in the data can never become live markup.
"""

from __future__ import annotations

import html
import re
from contextlib import contextmanager

import pandas as pd
from IPython.core.interactiveshell import InteractiveShell
from IPython.display import publish_display_data

from .downloads import XLSX_TYPE, table_csv, table_xlsx
from .formatting import NOTHING, generated_now
from ..foundations.labels import label, localized
from ..foundations.vocab import ALL_PAGES


# A run of Chinese: CJK characters with the punctuation and digits between them (“浙商回归”资金55.1亿元).
CJK_RUN = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef“”‘’]"
                     r"(?:[\u3400-\u9fff\u3000-\u303f\uff00-\uffef“”‘’0-9.%]*[\u3400-\u9fff\u3000-\u303f\uff00-\uffef“”‘’%）])?")


def marked(text: str) -> str:
    """Text as HTML: escaped, each run of Chinese (a quote, a term as printed) marked lang="zh"."""
    return CJK_RUN.sub(lambda m: f'<span lang="zh">{m.group(0)}</span>', html.escape(text, quote=False))


class _Markup(str):
    """A cell already made HTML here (a link around an escaped name): shown as it is."""


def _cell(value) -> str:
    if isinstance(value, _Markup):
        return value
    if isinstance(value, float):
        return NOTHING if pd.isna(value) else f"{value:g}"
    return marked(str(value))


def indicator_page(indicator_id: str) -> str:
    """The file name of an indicator's page, beside the page that links to it."""
    return f"03_indicator.{indicator_id}.html"


def _page_link(indicator_id, name: str, pages) -> str:
    """A name as HTML, linked to its indicator's page when the run has one.

    `pages` is a set of indicator ids, or ALL_PAGES (every indicator with a figure has a page).
    """
    if pages == ALL_PAGES or indicator_id in pages:
        return f'<a href="{html.escape(indicator_page(indicator_id))}">{marked(name)}</a>'
    return marked(name)


def _linked(table: pd.DataFrame, pages) -> pd.DataFrame:
    """The table with its first column's cells linked to the page of the row's indicator (its index)."""
    pages = pages if pages == ALL_PAGES else set(pages)
    first = table.columns[0]
    cells = [_Markup(_page_link(i, str(v), pages)) for i, v in zip(table.index, table[first])]
    return table.assign(**{first: cells}) if isinstance(first, str) else table


def _is_nothing(value) -> bool:
    """A cell that _cell shows as NOTHING: the mark itself, or a missing number."""
    return value == NOTHING or (isinstance(value, float) and pd.isna(value))


def _without_empty_columns(table: pd.DataFrame) -> pd.DataFrame:
    """The table without the columns (after the first) that hold no figure in any row: a column
    of "—" only tells the reader nothing, in the page or in the download."""
    empty = [c for c in table.columns[1:] if table[c].map(_is_nothing).all()]
    return table.drop(columns=empty)


def show(table: pd.DataFrame, index: bool = True, name: str = "table", pages=None, data: pd.DataFrame | None = None,
         column_classes=None, row_classes=None, notes=(), kind: str = "", caption: str = "") -> None:
    """Display a whole table (no truncated rows or cells), text left-aligned, cells escaped.

    Runs of Chinese carry lang="zh", so an English page marks its quotes and glosses as
    such (and a Chinese page loses nothing: it is Chinese already). With `pages` (the
    indicator ids that have a page in this run, or ALL_PAGES), the first column of a table indexed by
    indicator id links each row to its indicator's page. Under the table, links save it
    as CSV and as Excel (`name`.csv, `name`.xlsx): the cells of `data` where given (numbers
    as numbers, downloads.py), else the table's own. Columns without any figure are left
    out. `column_classes` give columns a CSS class (num: right-aligned numbers; verdict: the
    cell a row's status colours); `row_classes` (a status code per row) colour a row's
    verdict; `notes` are numbered notes under the table; `kind` a class of the table for
    its own print and layout rules; `caption` its title on paper (the page's heading says it on screen).
    """
    if table.empty:  # no header-only tables: the heading above says what would be here
        _html("<p>—</p>")
        return
    table = _without_empty_columns(table)
    shown = _linked(table, pages) if pages is not None else table
    listed = "".join(f"<li>{marked(note)}</li>" for note in notes)
    _html(table_html(shown, index, column_classes=column_classes, row_classes=row_classes, kind=kind, caption=caption)
          + (f'<ol class="notes">{listed}</ol>' if listed else "")
          + download_link(table.reset_index(drop=not index) if data is None else data, name))


def _td(shown: str, css: str = "") -> str:
    """A data cell; one without a figure is marked, so that a phone's card leaves its line out."""
    classes = " ".join(c for c in (css, "empty" if shown == NOTHING else "") if c)
    return f'<td{_class(classes)}><div>{shown}</div></td>'


def _css_string(text: str) -> str:
    """Text as a CSS string: quotes, backslashes, line ends and "<" escaped (no </style> can appear)."""
    escaped = "".join(f"\\{ord(ch):x} " if ch in '"\\<>\n\r' else ch for ch in text)
    return f'"{escaped}"'


def card_labels(columns: list[str]) -> tuple[str, str]:
    """The class of a table with these columns, and the style that names each cell's column on a phone's card.

    One rule per column (td:nth-of-type), not one attribute per cell: a table of 300 rows carries
    its column names once. The class is a digest of the names, so the same page gives the same bytes."""
    import hashlib

    names = [str(c) for c in columns]
    key = "cols-" + hashlib.sha1("\x1f".join(names).encode()).hexdigest()[:10]
    rules = "".join(f"table.{key} td:nth-of-type({i})::before{{content:{_css_string(n)}}}" for i, n in enumerate(names, 1))
    return key, f"<style>@media (max-width: 600px){{{rules}}}</style>"


def table_html(table: pd.DataFrame, index: bool = True, column_classes=None, row_classes=None, kind: str = "",
               caption: str = "") -> str:
    """A table as HTML, every cell escaped (display._cell). When a phone shows the rows as cards,
    each cell's column name stands beside its value (card_labels); a card leaves out the lines
    without a figure (—), which the wide table keeps for its columns.
    `column_classes` ({column: class}) mark a column's cells; `row_classes` give each row a class."""
    heads = ([_cell(table.index.name or "")] if index else []) + [_cell(c) for c in table.columns]
    columns, labels = card_labels(list(table.columns))
    css = [(column_classes or {}).get(c, "") for c in table.columns]
    rows = []
    classes = row_classes if row_classes is not None else [""] * len(table)
    for key, values, row_class in zip(table.index, table.itertuples(index=False), classes):
        cells = [f"<th>{_cell(key)}</th>"] if index else []
        cells += [_td(_cell(v), c) for v, c in zip(values, css)]
        rows.append(f"<tr{_class(_css_word(row_class) if row_class else '')}>{''.join(cells)}</tr>")
    head = "".join(f"<th{_class(c)}>{h}</th>" for h, c in zip(heads, ([""] if index else []) + css))
    table_class = f"data {columns} {html.escape(kind)}".strip()
    title = f"<caption>{marked(caption)}</caption>" if caption else ""
    return f'{labels}<table class="{table_class}">{title}<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _class(words: str) -> str:
    """' class="…"' for an element with CSS classes, '' without."""
    return f' class="{html.escape(words)}"' if words else ""


def _css_word(value: str) -> str:
    """A status code as a CSS class: 'within tolerance' -> 'status-within-tolerance'."""
    return "status-" + re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-")


def download_link(table: pd.DataFrame, name: str = "table") -> str:
    """Links that save the table as CSV and as Excel, embedded in the page (no server)."""
    import base64

    csv = base64.b64encode(table_csv(table)).decode("ascii")
    xlsx = base64.b64encode(table_xlsx(table)).decode("ascii")
    name = html.escape(name)
    return (f'<p class="download"><a download="{name}.csv" href="data:text/csv;charset=utf-8;base64,{csv}">CSV ⬇</a> '
            f'<a download="{name}.xlsx" href="data:{XLSX_TYPE};base64,{xlsx}">Excel ⬇</a></p>')


_cell_html: list[str] = []  # what the running cell has shown so far, published when it ends


def bundle_link(report_year: int, lang: str) -> None:
    """A link to the year's "download everything" zip (site.write_bundle puts it beside the language folders)."""
    from .downloads import BUNDLE_NAME

    href = "../" + BUNDLE_NAME.format(year=report_year)
    _html(f'<p class="bundle"><a href="{html.escape(href)}" download>{marked(label("briefing.bundle", lang))}'
          f" ⬇</a></p>")


def _html(markup: str) -> None:
    """Show `markup` as HTML, in one output per cell: each output is handled on its way to the
    notebook (a kernel's message in JupyterLab, the shell's record in a briefing run: shell.py),
    and a page's cell shows up to a dozen parts. The parts are
    joined and published when the cell ends (IPython's post_run_cell event, also after an
    error), without IPython's formatters, which would only add a text/plain repr.
    Outside IPython it is printed, as IPython's display() prints what it cannot show.
    """
    if not InteractiveShell.initialized():
        print(markup)
        return
    events = InteractiveShell.instance().events
    if _publish_cell_html not in events.callbacks["post_run_cell"]:
        events.register("post_run_cell", _publish_cell_html)
    _cell_html.append(markup)


def _publish_cell_html(result=None) -> None:
    if _cell_html:
        publish_display_data({"text/html": "".join(_cell_html)})
        _cell_html.clear()


def say(key: str, lang: str, **values) -> None:
    """Display the sentence `key` of data/labels.csv in the page's language."""
    _html(f"<p>{marked(label(key, lang, **values))}</p>")  # a Chinese term in English words is marked


def heading(key: str, lang: str, level: int = 2, **values) -> None:
    """Display the heading `key` of data/labels.csv in the page's language.

    Its anchor is the key (briefing-h-outcome): the same in every language, and the
    table of contents links to it (execute.contents).
    """
    anchor = key.replace(".", "-")
    _html(f'<h{level} id="{html.escape(anchor)}">{html.escape(label(key, lang, **values))}</h{level}>')


@contextmanager
def folded(summary: str):
    """What is displayed inside the block is folded behind `summary` (words of data or a label),
    one click away: the detail a reader may want, not the page's message."""
    _html(f'<details class="folded"><summary>{marked(summary)}</summary>')
    try:
        yield
    finally:
        _html("</details>")


def links(words: str, items: list[tuple[str, str]]) -> None:
    """A line of links after `words` (a label's text): [(href, text of data)], escaped; nothing without items."""
    if items:
        shown = " · ".join(f'<a href="{html.escape(href)}">{marked(text)}</a>' for href, text in items)
        _html(f'<p class="links"><b>{marked(words)}</b>{"：" if CJK_RUN.match(words) else ": "}{shown}</p>')


def theme_links(themes: pd.DataFrame, theme_pages, lang: str) -> None:
    """'Theme pages: Macroeconomy · Industry …': the themes (load_themes) with a page in this run (`theme_pages`)."""
    names = localized(themes, "name", lang)
    links(label("briefing.themes", lang), [(f"02_theme.{theme}.html", name) for theme, name in zip(themes["theme"], names)
                                            if theme in (theme_pages or ())])


def subheading(words: str, href: str | None = None) -> None:
    """Display a heading of data (a theme's name) under a section, escaped; a link to `href` if given."""
    shown = marked(words) if href is None else f'<a href="{html.escape(href)}">{marked(words)}</a>'
    _html(f"<h3>{shown}</h3>")


def text(words: str) -> None:
    """Display a paragraph of data (a description, a definition), escaped; nothing for no words."""
    if words:
        _html(f"<p>{marked(words)}</p>")


def page_header(title: str, report_year: int, sources: pd.DataFrame, lang: str) -> None:
    """The title block every page starts with: title, report year, data as of, sources, generation time (Beijing).

    The sources are folded behind their count (a phone shows one line, not thirteen);
    their titles keep the language they were published in where no translation exists.
    """
    cited = "".join(
        f'<li><a href="{html.escape(url)}">{marked(title_)}</a> ({html.escape(label("published", lang))} {published})</li>'
        for url, title_, published in zip(sources["url"], localized(sources, "title", lang), sources["published"])
    )
    latest = max(str(p) for p in sources["published"]) if len(sources) else NOTHING
    generated = generated_now(lang)
    colon = "：" if lang == "zh" else ": "  # full-width in Chinese text
    _html(
        f"<h1>{marked(title)}</h1>"
        f"<p><b>{html.escape(label('report_year', lang))}</b>{colon}{report_year} · "
        f"<b>{html.escape(label('data_as_of', lang))}</b>{colon}{html.escape(latest)} · "
        f"<b>{html.escape(label('generated', lang))}</b>{colon}{html.escape(generated)}</p>"
        f"<details><summary>{html.escape(label('sources_count', lang, n=len(sources)))}</summary>"
        f"<ul>{cited}</ul><p>{html.escape(label('sources_note', lang))}</p></details>"
    )


def bullets(lines: list[str]) -> None:
    """Display sentences of data as a list, escaped."""
    _html("<ul>" + "".join(f"<li>{marked(line)}</li>" for line in lines) + "</ul>")


COLOURS = 128  # of a chart's palette


def _png(fig) -> bytes:
    """A matplotlib figure as a palette PNG at the pages' resolution; the figure is closed.

    A chart has a few hundred colours, most of them shades at the edges of lines and letters.
    COLOURS chosen for the image (PIL's maximum coverage, no dithering: about 10 ms) keep
    every pixel where it was, an edge pixel at most a few shades off (at most 8 of 255, 0.1 on
    average, on the indicator charts measured), at about a third of the bytes of a
    true-colour PNG. (An SVG is larger, even for a legend: 2.7 KB against 1.6-2.0 KB.)
    A chart with transparency keeps it, with PIL's fast octree (the only method for RGBA).
    """
    import io

    import matplotlib.pyplot as plt
    from PIL import Image

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=120)
    plt.close(fig)
    image = Image.open(buffer)
    if image.mode == "RGBA" and image.getextrema()[3] == (255, 255):
        image = image.convert("RGB")  # opaque: no alpha to keep
    out = io.BytesIO()
    method = Image.Quantize.MAXCOVERAGE if image.mode == "RGB" else Image.Quantize.FASTOCTREE
    image.quantize(colors=COLOURS, method=method, dither=Image.Dither.NONE).save(out, format="png")
    return out.getvalue()


def _img(fig, alt: str) -> str:
    import base64

    return f'<img src="data:image/png;base64,{base64.b64encode(_png(fig)).decode("ascii")}" alt="{html.escape(alt)}">'


def legend(fig, alt: str) -> None:
    """A legend image above a grid of panels (charts.show_legend)."""
    _html(f'<div class="legend">{_img(fig, alt)}</div>')


def panels(items: list, pages=None, note: str = "") -> None:
    """Charts side by side that reflow to one column on a phone: one figure per item.

    `items`: (figure, title, alternative text, indicator id); a title links to the
    indicator's page where `pages` has it. Figures are closed once drawn.
    """
    pages = pages if pages == ALL_PAGES else set(pages or ())
    cells = [f"<figure><figcaption>{_page_link(indicator_id, title, pages)}</figcaption>{_img(fig, alt)}</figure>"
             for fig, title, alt, indicator_id in items]
    source = f'<p class="chart-source">{html.escape(note)}</p>' if note else ""
    _html(f'<div class="panels">{"".join(cells)}</div>{source}')


def figure(fig, alt: str, note: str = "", title: str = "") -> None:
    """Display a matplotlib figure as a PNG with its alternative text (a sentence of data), then close it.

    `note` (the source of the figures) is printed under the image, in the same <figure>; `title`,
    if any, above it. Nothing at all for no figure (None).
    """
    if fig is None:
        return
    caption = f'<figcaption class="chart-source">{html.escape(note)}</figcaption>' if note else ""
    above = f"<h3>{marked(title)}</h3>" if title else ""
    _html(f'{above}<figure class="chart">{_img(fig, alt)}{caption}</figure>')
