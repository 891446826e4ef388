"""A rendered page made light: what it carries inside it, and what moves to files beside it.

- Only the CSS the page uses (stylesheet.lean_page).
- A table's CSV and Excel downloads: in a notebook they are embedded as data: links
  (display.download_link), so that JupyterLab needs no server for them; in the briefing's
  HTML they are files beside the page, named as the link names them
  (`briefing_2020_en_status.csv`). A page mailed alone still reads whole; its download links
  need the folder (or the year's zip bundle).
- On a Chinese page, runs of Chinese need no lang="zh" mark (display.marked adds it for
  English pages): the page's own language says it.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

from .stylesheet import lean_page

# <a download="NAME" href="data:TYPE[;charset=…];base64,DATA">: a plain file name, no folder.
EMBEDDED = re.compile(r'(<a download=")([\w.-]+)(" href=")data:[\w./+-]+(?:;[\w-]+=[\w-]+)*;base64,([A-Za-z0-9+/=]+)(")')
CHINESE_RUN = re.compile(r'<span lang="zh">([^<]*)</span>')


def downloads_beside(page: str) -> tuple[str, dict[str, bytes]]:
    """The page with each embedded download linked to a file of its name instead, and those files' bytes."""
    files: dict[str, bytes] = {}

    def link(match: re.Match) -> str:
        files[match.group(2)] = base64.b64decode(match.group(4))
        return f"{match.group(1)}{match.group(2)}{match.group(3)}{match.group(2)}{match.group(5)}"

    return EMBEDDED.sub(link, page), files


def lighten(page: str, lang: str) -> tuple[str, dict[str, bytes]]:
    """A rendered page in `lang` made light, and the files to write beside it (name -> bytes)."""
    if lang == "zh":
        page = CHINESE_RUN.sub(r"\1", page)
    return downloads_beside(lean_page(page))


# What a reader page may weigh, in KB (1024 bytes), with every embedded image and download counted.
MEDIAN_PAGE_KB = 40
MAX_PAGE_KB = 150


def page_weights(outputs: Path) -> dict:
    """The weight of a briefing's outputs: reader pages (*.html but *.code.html, the index
    included) in KB, their median and heaviest, the heaviest with the download files beside it
    that it links to, and the whole folder and its parts in MB (screenshots left out)."""
    import statistics

    files = [p for p in outputs.rglob("*") if p.is_file() and "screenshots" not in p.relative_to(outputs).parts]
    reader = sorted((p.stat().st_size, p) for p in files if p.suffix == ".html" and not p.name.endswith(".code.html"))

    def with_files(page: Path) -> int:
        names = set(re.findall(r'<a download="([\w.-]+)" href="\1"', page.read_text(encoding="utf-8")))
        return page.stat().st_size + sum((page.parent / n).stat().st_size for n in names if (page.parent / n).is_file())

    together = sorted((with_files(p), p) for _, p in reader)
    heaviest = together[-1]
    mb = lambda paths: sum(p.stat().st_size for p in paths) / 2**20  # noqa: E731
    return {
        "pages": len(reader),
        "median_kb": statistics.median(size for size, _ in reader) / 1024,
        "max_kb": reader[-1][0] / 1024, "max_page": reader[-1][1].relative_to(outputs).as_posix(),
        "over": [p.relative_to(outputs).as_posix() for size, p in reader if size > MAX_PAGE_KB * 1024],
        "median_with_files_kb": statistics.median(size for size, _ in together) / 1024,
        "max_with_files_kb": heaviest[0] / 1024, "max_with_files_page": heaviest[1].relative_to(outputs).as_posix(),
        "total_mb": mb(files), "code_mb": mb(p for p in files if p.name.endswith(".code.html")),
        "reader_mb": mb(p for _, p in reader), "notebooks_mb": mb(p for p in files if p.suffix == ".ipynb"),
        "downloads_mb": mb(p for p in files if p.suffix in (".csv", ".xlsx", ".zip")),
    }
