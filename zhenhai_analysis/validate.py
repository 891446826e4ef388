"""Reading the curated CSV files strictly and reporting every problem at once.

A problem names the file, the line (as a spreadsheet or editor shows it, header = 1),
the field and what is wrong. Column types, allowed values and uniqueness are checked
with pandera schemas (see `load.py`); checks that need other tables (the source text,
the catalogue) are plain functions there too. Nothing is dropped or coerced silently:
a value that does not parse is a problem, not a NaN.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa


@dataclass(frozen=True)
class Problem:
    file: Path
    line: int | None  # 1-based line in the file; None for a whole-file problem
    field: str | None
    message: str

    def __str__(self) -> str:
        where = str(self.file)
        if self.line is not None:
            where += f", line {self.line}"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"


class DataValidationError(ValueError):
    """The curated data has problems; `problems` lists all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (str(p.file), p.line or 0, p.field or ""))
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the data files:\n{lines}")


def read_csv_table(path: Path, columns: list[str], optional: tuple[str, ...] = ()) -> pd.DataFrame:
    """Read a UTF-8 CSV file as strings, indexed by line number.

    `columns` must all be present; `optional` columns may be present; any other column
    is an error (a typo in a header must not pass unnoticed). Empty cells become None.
    Raises DataValidationError for problems that stop the file from being read at all.
    """
    raw = path.read_bytes()
    if not raw.strip():
        raise DataValidationError([Problem(path, None, None, f"the file is empty; it needs a header row: {','.join(columns)}")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        hint = ""
        try:
            raw.decode("gb18030")
            hint = " It looks like GBK/GB18030 (a Chinese Windows encoding): save it as UTF-8."
        except UnicodeDecodeError:
            pass
        raise DataValidationError(
            [Problem(path, line, None, f"the file is not valid UTF-8 (byte {exc.start}: {exc.reason}).{hint}")]
        ) from None

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems = []
    try:
        header = next(reader)
        missing = [c for c in columns if c not in header]
        unknown = [c for c in header if c not in columns and c not in optional]
        if missing:
            problems.append(Problem(path, 1, None, f"missing column(s): {', '.join(missing)}; the header must have {','.join(columns)}"))
        if unknown:
            problems.append(Problem(path, 1, None, f"unknown column(s): {', '.join(unknown)}; allowed: {','.join(columns + list(optional))}"))
        if len(set(header)) != len(header):
            problems.append(Problem(path, 1, None, "a column name appears twice in the header"))
        if problems:
            raise DataValidationError(problems)
        records, lines = [], []
        line = reader.line_num + 1
        for row in reader:
            if not any(cell.strip() for cell in row):
                line = reader.line_num + 1
                continue  # blank lines are layout, not data
            if len(row) != len(header):
                problems.append(Problem(path, line, None, f"has {len(row)} fields, the header has {len(header)} (a missing or extra comma? quote a field that contains a comma)"))
            else:
                records.append([cell if cell != "" else None for cell in row])
                lines.append(line)
            line = reader.line_num + 1
    except csv.Error as exc:
        problems.append(Problem(path, reader.line_num, None, f"is not well-formed CSV: {exc}"))
    if problems:
        raise DataValidationError(problems)
    frame = pd.DataFrame(records, columns=header, index=pd.Index(lines, name="line"), dtype=object)
    return frame.reindex(columns=columns + [c for c in optional if c in header])


def schema_problems(schema: pa.DataFrameSchema, frame: pd.DataFrame, path: Path) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Validate `frame` (indexed by line) lazily; return the coerced frame or the problems."""
    try:
        return schema.validate(frame, lazy=True), []
    except pa.errors.SchemaErrors as exc:
        return None, _translate(exc.failure_cases, path)


def _translate(failures: pd.DataFrame, path: Path) -> list[Problem]:
    """Turn pandera's failure cases into problems an analyst can act on."""
    problems: dict[tuple, Problem] = {}
    for case in failures.to_dict("records"):
        check, column, value, line = str(case["check"]), case["column"], case["failure_case"], case["index"]
        line = None if pd.isna(line) else int(line)
        if check.startswith("dtype("):
            continue  # always accompanied by the coerce_dtype failure below
        if check.startswith("coerce_dtype("):
            kind = "a whole number" if "int" in check else "a number written with digits (e.g. 652 or 7.8)"
            message = f"{value!r} is not {kind}"
        elif check.startswith("isin("):
            allowed = check[len("isin(") : -1]
            message = f"{value!r} is not an allowed value; allowed: {allowed}"
        elif check == "not_nullable":
            message = "is empty; a value is required"
        elif check in ("field_uniqueness", "multiple_fields_uniqueness"):
            column = None
            message = "duplicate row: another line has the same key (" + ", ".join(_key_columns(failures)) + ")"
        elif check.startswith("str_matches("):
            message = f"{value!r} does not have the required form {check[len('str_matches(') : -1]}"
        elif "|" in check:  # our own dataframe checks: "field|message"
            column, message = check.split("|", 1)
        else:
            message = f"{value!r} fails check {check}"
        problems.setdefault((line, column, message), Problem(path, line, column, message))
    return list(problems.values())


def _key_columns(failures: pd.DataFrame) -> list[str]:
    rows = failures[failures["check"] == "multiple_fields_uniqueness"]
    return list(dict.fromkeys(rows["column"])) or ["key"]


def row_check(field: str, message: str, predicate) -> pa.Check:
    """A dataframe-wide check whose failures are reported against one field.

    `predicate(frame)` returns a boolean Series, True where the row is fine.
    """
    return pa.Check(predicate, error=f"{field}|{message}")
