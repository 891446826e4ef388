"""Every word a reader sees, in Chinese and English: data/labels.csv, read and checked here.

Code asks for "the words for KEY in language L" and never branches on the language.
A label may hold {placeholders}; the Chinese and English texts of a key must name the
same ones (checked on load). Data tables with text in both languages name their
columns FIELD_zh and FIELD_en (name_zh, reason_en ...); `localized` picks one.
"""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .paths import data_dir
from .vocab import LANGS

if TYPE_CHECKING:
    import pandas as pd

LABEL_FILE = "labels.csv"
# How a language joins sentences and the items of a list: not words, so not labels (a label
# may not begin or end with a space).
SENTENCE_SEP = {"zh": "", "en": " "}
LIST_SEP = {"zh": "，", "en": ", "}


def check_lang(lang: str) -> str:
    """Return `lang` if it is a supported language, else raise with the valid values."""
    if lang not in LANGS:
        raise ValueError(f"unknown lang {lang!r}; valid values: {', '.join(LANGS)}")
    return lang


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


# How labels.csv is read and checked (validation.validate.read_labels). The package passes
# it in (zhenhai_analysis/__init__.py), so that this foundation imports no layer below it.
_read: Callable[[Path], dict[str, dict[str, str]]] | None = None


def read_with(reader: Callable[[Path], dict[str, dict[str, str]]]) -> None:
    """Read and check labels.csv with `reader` (path -> key -> {"zh", "en"}) from now on."""
    global _read
    _read = reader
    _table.cache_clear()


@lru_cache(maxsize=4)
def _table(path: Path, _version: tuple = ()) -> dict[str, dict[str, str]]:
    """The labels of `path`, read once per version of the file (`_version`: its size and time)."""
    if _read is None:
        raise RuntimeError("no reader for labels.csv: import zhenhai_analysis, which passes it in")
    return _read(path)


def labels(path: str | Path | None = None) -> dict[str, dict[str, str]]:
    """Every label: key -> {"zh": ..., "en": ...}, from data/labels.csv (validated once per version of the file)."""
    file = data_dir(path).resolve() / LABEL_FILE
    stat = file.stat()  # an edited labels.csv is read again, as the data are (load.py)
    return _table(file, (stat.st_size, stat.st_mtime_ns))


def label(key: str, lang: str, **values) -> str:
    """The words for `key` in `lang`, with {placeholders} filled from `values`."""
    entry = labels().get(key)
    if entry is None:
        raise KeyError(f"no label {key!r} in data/{LABEL_FILE}")
    text = entry[check_lang(lang)]
    return text.format(**values) if values else text


def qualified(what: str, how: str, lang: str) -> str:
    """`what` with a qualifier in brackets, as the language writes them: 实际（预计）, actual (estimate)."""
    return label("qualified", lang, what=what, how=how)


def covered(coverage: str, year: int, lang: str, start: int | None = None, end: int | None = None) -> str:
    """What part of time a figure covers, in words: '2024 H1', '2012–2016 average'; '' for a full year."""
    if coverage == "full_year":
        return ""
    return label(f"coverage.{coverage}", lang, year=year, start=start, end=end)


def counted(key: str, lang: str, count: int, total: int | None = None, **values) -> str:
    """The words for `key` said of `count` things (of `total`), with {count} and {total} filled in.

    A sentence about counts reads badly with a bare number ("1 of the 1 targets have", "0 of
    them"), so a label may have variants, used when they exist, the first that fits:
    KEY.only_none / KEY.only when `total` is 1 (count 0 / 1), KEY.none for 0, KEY.all when
    `count` equals `total`, KEY.one for 1; otherwise KEY itself.
    """
    tried = []
    if total == 1:
        tried.append(".only" if count == 1 else ".only_none")
    tried += [".none"] if count == 0 else []
    tried += [".all"] if total is not None and count == total else []
    tried += [".one"] if count == 1 else []
    variant = next((key + suffix for suffix in tried if has_label(key + suffix)), key)
    return label(variant, lang, count=count, total=total, **values)


def has_label(key: str) -> bool:
    return key in labels()


def localized(frame: "pd.DataFrame", field: str, lang: str) -> "pd.Series":
    """The column FIELD_<lang> of a table with text in both languages (name_zh, reason_en ...)."""
    return frame[f"{field}_{check_lang(lang)}"]


def localized_value(row, field: str, lang: str) -> str:
    """FIELD_<lang> of one row (a Series, a mapping or a namedtuple)."""
    name = f"{field}_{check_lang(lang)}"
    return row[name] if hasattr(row, "keys") else getattr(row, name)
