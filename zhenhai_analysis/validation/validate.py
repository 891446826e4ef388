"""Reading the curated CSV files strictly and reporting every problem at once.

A problem names the file, the line (as a spreadsheet or editor shows it, header = 1),
the field and what is wrong. The schemas are in schemas.py; this module reads files
and turns pandera's structured failures (reason code, check name and statistics,
column, index, failure case) into problems an analyst can act on. Nothing is dropped
or coerced silently: a value that does not parse is a problem, not a NaN.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrorReason as Reason

from ..foundations.exceptions import DataValidationError, Problem

__all__ = ["DataValidationError", "Problem", "read_csv_table", "read_labels", "schema_problems"]


def read_utf8(path: Path) -> str:
    """The text of a UTF-8 file (a BOM is allowed); a DataValidationError naming the line if it is not UTF-8."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
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


def read_csv_table(path: Path, columns: list[str], optional: tuple[str, ...] = ()) -> pd.DataFrame:
    """Read a UTF-8 CSV file as strings, indexed by line number.

    `columns` must all be present; `optional` columns may be present; any other column
    is an error (a typo in a header must not pass unnoticed). Empty cells become None.
    Raises DataValidationError for problems that stop the file from being read at all.
    """
    text = read_utf8(path)
    if not text.strip():
        raise DataValidationError([Problem(path, None, None, f"the file is empty; it needs a header row: {','.join(columns)}")])

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


def space_problems(frame: pd.DataFrame, path: Path) -> list[Problem]:
    """Cells with spaces before or after the value ('2019 '), which a spreadsheet may add unseen."""
    return [Problem(path, int(line), name, f"{cell!r} has spaces before or after it: remove them")
            for name in frame.columns for line, cell in frame[name].items()
            if isinstance(cell, str) and cell != cell.strip()]


def schema_problems(schema: pa.DataFrameSchema, frame: pd.DataFrame, path: Path) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Validate `frame` (indexed by line) lazily; return the coerced frame or the problems.

    A table with a header and no rows is valid (an empty links.csv is legitimate): it
    gets the schema's column types, since there is no value whose type could be wrong.
    Cells with surrounding spaces are reported too (space_problems).
    """
    spaces = space_problems(frame, path)
    if frame.empty:
        frame = frame.astype({name: column.dtype.type for name, column in schema.columns.items()
                              if name in frame.columns and column.dtype is not None})
    try:
        checked = schema.validate(frame, lazy=True)
        return (None, spaces) if spaces else (checked, [])
    except pa.errors.SchemaErrors as exc:
        problems: dict[tuple, Problem] = {}
        for error in exc.schema_errors:
            for problem in _problems(error, schema, path):
                problems.setdefault((problem.line, problem.field, problem.message), problem)
        if not problems:  # a failure this module does not describe must still stop the load, visibly
            problems = {None: Problem(path, None, None, f"does not match its schema: {exc}")}
        return None, spaces + list(problems.values())


def _cases(error) -> list[tuple[int | None, object]]:
    """(line, failure case) pairs of one schema error."""
    cases = error.failure_cases
    if not isinstance(cases, pd.DataFrame):
        return [(None, cases)]
    lines = cases["index"] if "index" in cases.columns else pd.Series([None] * len(cases))
    return [(None if pd.isna(line) else int(line), value) for line, value in zip(lines, cases["failure_case"])]


def _problems(error, schema: pa.DataFrameSchema, path: Path) -> list[Problem]:
    """The problems of one pandera SchemaError, from its reason code, check and cases."""
    reason, check = error.reason_code, error.check
    column = getattr(error.schema, "name", None) if isinstance(error.schema, pa.Column) else error.column_name
    if reason == Reason.WRONG_DATATYPE:
        return []  # reported as the DATATYPE_COERCION failure of the same values
    if reason == Reason.DUPLICATES:  # a key of several columns
        return [Problem(path, line, None, f"duplicate row: another line has the same {', '.join(schema.unique)}")
                for line, _ in _cases(error)]
    if reason == Reason.SERIES_CONTAINS_DUPLICATES:  # a column that must be unique
        return [Problem(path, line, column, f"{value!r} appears on another line too; it must be unique")
                for line, value in _cases(error)]
    if reason == Reason.DATATYPE_COERCION:
        dtype = str(schema.columns[column].dtype) if column in schema.columns else ""
        kind = {"int64": "a whole number", "float64": "a number written with digits (e.g. 652 or 7.8)",
                "date": "a date written YYYY-MM-DD"}.get(dtype, dtype)
        return [Problem(path, line, column, f"{value!r} is not {kind}") for line, value in _cases(error)]
    if reason == Reason.SERIES_CONTAINS_NULLS:
        return [Problem(path, line, column, "is empty; a value is required") for line, _ in _cases(error)]
    if reason == Reason.COLUMN_NOT_IN_DATAFRAME:
        return [Problem(path, 1, column, "the column is missing from the header")]
    name = getattr(check, "name", None)
    statistics = getattr(check, "statistics", None) or {}
    if "message" in statistics:  # our own checks (schemas.row_check, schemas.value_check)
        field = statistics.get("field", column)
        return [Problem(path, line, field, statistics["message"]) for line, _ in _cases(error)
                if line is not None] or [Problem(path, None, field, statistics["message"])]
    if name == "isin":
        allowed = ", ".join(map(str, statistics.get("allowed_values", [])))
        return [Problem(path, line, column, f"{value!r} is not an allowed value; allowed: {allowed}")
                for line, value in _cases(error)]
    if name == "str_matches":
        return [Problem(path, line, column, f"{value!r} does not have the required form {statistics.get('pattern')}")
                for line, value in _cases(error)]
    if name == "str_startswith":
        return [Problem(path, line, column, f"{value!r} must start with {statistics.get('string')!r}")
                for line, value in _cases(error)]
    return [Problem(path, line, column, f"{value!r} fails the check {name or reason.name.lower()}")
            for line, value in _cases(error)]


def read_labels(path: Path) -> dict[str, dict[str, str]]:
    """labels.csv as key -> {"zh": ..., "en": ...}; every problem raised at once (the schema,
    and the Chinese and English texts of a key naming different {placeholders})."""
    from ..foundations.labels import LABEL_FILE, placeholders
    from .schemas import columns, labels_schema

    frame = read_csv_table(path, columns(LABEL_FILE))
    checked, problems = schema_problems(labels_schema(), frame, path)
    if checked is not None:
        for line, row in checked.iterrows():
            if placeholders(row.zh) != placeholders(row.en):
                problems.append(Problem(path, int(line), "en", f"names placeholders {sorted(placeholders(row.en))}, "
                                        f"the Chinese text {sorted(placeholders(row.zh))}: they must agree"))
    if problems:
        raise DataValidationError(problems)
    return {row.key: {"zh": row.zh, "en": row.en} for row in checked.itertuples()}
