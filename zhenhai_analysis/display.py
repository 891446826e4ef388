"""Showing tables and words in a notebook page, in the page's language.

Data are always escaped: a name or reason in the data can never become live markup.
"""

from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML, display

from .formatting import generated_now
from .labels import label, localized


def show(table: pd.DataFrame, index: bool = True) -> None:
    """Display a whole table (no truncated rows or cells), text left-aligned, cells escaped."""
    styler = table.style.format(escape="html").format_index(escape="html", axis=0).format_index(escape="html", axis=1)
    styler = styler.set_properties(**{"text-align": "left", "vertical-align": "top"})
    styler = styler.set_table_styles([{"selector": "th", "props": [("text-align", "left")]}])
    if not index:
        styler = styler.hide(axis="index")
    display(HTML(styler.to_html()))


def say(key: str, lang: str, **values) -> None:
    """Display the sentence `key` of data/labels.csv in the page's language."""
    display(HTML(f"<p>{html.escape(label(key, lang, **values))}</p>"))


def heading(key: str, lang: str, level: int = 2, **values) -> None:
    """Display the heading `key` of data/labels.csv in the page's language."""
    display(HTML(f"<h{level}>{html.escape(label(key, lang, **values))}</h{level}>"))


def text(words: str) -> None:
    """Display a paragraph of data (a description, a definition), escaped."""
    display(HTML(f"<p>{html.escape(words)}</p>"))


def page_header(title: str, report_year: int, sources: pd.DataFrame, lang: str) -> None:
    """The title block every page starts with: title, report year, data as of, sources, generation time (Beijing).

    The sources are folded behind their count (a phone shows one line, not thirteen);
    their titles keep the language they were published in where no translation exists.
    """
    cited = "".join(
        f'<li><a href="{html.escape(url)}">{html.escape(title_)}</a> ({html.escape(label("published", lang))} {published})</li>'
        for url, title_, published in zip(sources["url"], localized(sources, "title", lang), sources["published"])
    )
    latest = max(str(p) for p in sources["published"]) if len(sources) else "—"
    generated = generated_now(lang)
    display(HTML(
        f"<h1>{html.escape(title)}</h1>"
        f"<p><b>{html.escape(label('report_year', lang))}</b>: {report_year} · "
        f"<b>{html.escape(label('data_as_of', lang))}</b>: {html.escape(latest)} · "
        f"<b>{html.escape(label('generated', lang))}</b>: {html.escape(generated)}</p>"
        f"<details><summary>{html.escape(label('sources_count', lang, n=len(sources)))}</summary>"
        f"<ul>{cited}</ul><p>{html.escape(label('sources_note', lang))}</p></details>"
    ))


def bullets(lines: list[str]) -> None:
    """Display sentences of data as a list, escaped."""
    display(HTML("<ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in lines) + "</ul>"))


def figure(fig, alt: str, note: str = "") -> None:
    """Display a matplotlib figure as a PNG with its alternative text (a sentence of data), then close it.

    `note` (the source of the figures) is printed under the image.
    """
    import io

    import matplotlib.pyplot as plt
    from IPython.display import Image

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=120)
    plt.close(fig)
    display(Image(data=buffer.getvalue(), format="png"), metadata={"image/png": {"alt": alt}})
    if note:
        display(HTML(f'<p class="chart-source">{html.escape(note)}</p>'))
