"""The project's exceptions, in a light module (no pandas): callers catch them by class.

Problems are data: a `Problem` carries the file, line, field and message, and every
error lists all its problems at once. Only the command-line entry points exit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one place of a file."""

    file: Path
    line: int | None  # 1-based line in the file, as an editor shows it; None for the whole file
    field: str | None
    message: str

    def __str__(self) -> str:
        where = str(self.file)
        if self.line is not None:
            where += f", line {self.line}"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"


class ProblemsError(ValueError):
    """Base of the errors that list problems; `problems` holds every one of them."""

    what = "problem(s)"

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (str(p.file), p.line or 0, p.field or ""))
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} {self.what}:\n{lines}")

    def __reduce__(self):  # pickled whole, so that an error in a worker process reaches the run intact
        return type(self), (self.problems,)


class DataValidationError(ProblemsError):
    """The curated data has problems; `problems` lists all of them."""

    what = "problem(s) in the data files"


class ParameterError(ProblemsError):
    """A parameter file or a notebook parameter is wrong; `problems` lists every one."""

    what = "problem(s) in the parameters"


class NotebookFailed(RuntimeError):
    """A notebook raised an error; the message names the page and the cell."""
