"""The fault suite's vocabulary: its ten groups, and the failures that count against it.

A test of the suite carries `@pytest.mark.fault(group, "what is injected")`. It injects one
fault on a temporary copy and asserts the promised behaviour with the helpers below, whose
failures say which promise broke: a Loss (data or outputs changed by a rejected or
interrupted operation), a Hang (no end within its bound), an Injection (live markup in a
page) or an Unclear error (a traceback or a message that names nothing). conftest.py
counts them and prints the table at the end of the run.
"""

from __future__ import annotations

import re
from pathlib import Path

GROUPS = {
    1: "markup in text that reaches a page",
    2: "accept: crashes, retries, duplicates",
    3: "interrupts and dying runs",
    4: "concurrent runs",
    5: "the index",
    6: "empty and header-only tables",
    7: "malformed review files",
    8: "every problem at once",
    9: "bad parameters",
    10: "smaller: spaces, lock files, Excel saves, progress",
}


class Loss(AssertionError):
    """Data or outputs changed by an operation that was rejected or interrupted."""


class Hang(AssertionError):
    """An operation that did not end within its bound."""


class Injection(AssertionError):
    """Text from the data became live markup in a page."""


class Unclear(AssertionError):
    """A traceback, or a message that does not name what is wrong."""


def files(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, by relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_unchanged(before: dict[str, bytes], folder: Path) -> None:
    after = files(folder)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    if changed:
        raise Loss(f"{folder}: changed by a rejected or interrupted operation: {changed}")


def assert_clear(message: str, *names: str) -> None:
    """A message a user can act on: no traceback, and it names each of `names` (file, line, field…)."""
    if "Traceback (most recent call last)" in message:
        raise Unclear(f"a traceback instead of a message:\n{message}")
    missing = [n for n in names if n not in message]
    if missing:
        raise Unclear(f"the message does not name {missing}:\n{message}")


LIVE = re.compile(r"<script>alert|<img src=x|href=\"javascript:", re.IGNORECASE)  # escaped text (&lt;…) is inert


def assert_inert(html: str, where: str = "page") -> None:
    found = LIVE.search(html)
    if found:
        raise Injection(f"{where}: live markup {html[max(0, found.start() - 60):found.end() + 60]!r}")
