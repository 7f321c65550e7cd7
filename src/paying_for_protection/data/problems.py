"""Problems in a data file, said where a reader can find them: file, editor line, column.

frictionless reports a table's problems by record number and field; a reader needs the line an
editor shows (the header is line 1), which differs from the record number once a quoted cell
holds a line break. This module maps frictionless's report onto such problems, in the book's own
words, one problem per fault (a row cut short is one problem, not one per missing cell).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Any

#: How many problems one error message lists before it stops.
MAX_REPORTED_PROBLEMS = 10


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None  # as an editor shows it: 1 = the header row; None when the whole file is at fault
    column: str | None  # a field name (tables)
    message: str
    record: int | None = None  # data row: 1 = the first record after the header
    char: int | None = None  # character position in the line (JSON files)

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
            if self.file.endswith(".csv") and self.line == 1:
                where += " (header)"
            elif self.record is not None:
                where += f" (data row {self.record})"
        if self.char is not None:
            where += f", character {self.char}"
        if self.column is not None:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


class DataValidationError(ValueError):
    """A data file does not match its descriptor. ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        first = problems[0]
        self.file, self.line, self.column = first.file, first.line, first.column
        shown = "\n  ".join(str(p) for p in problems[:MAX_REPORTED_PROBLEMS])
        more = len(problems) - MAX_REPORTED_PROBLEMS
        tail = f"\n  ... and {more} more" if more > 0 else ""
        super().__init__(f"{len(problems)} problem(s) in {first.file}:\n  {shown}{tail}")


def fail(shown: str, message: str, line: int | None = None, column: str | None = None) -> DataValidationError:
    return DataValidationError([Problem(shown, line, column, message)])


class EditorLines:
    """Editor lines of the records and cells of a CSV text (frictionless numbers records).

    A record usually sits on one line; a quoted cell holding a line break makes it span more,
    and every later record starts further down than its record number suggests. Records are
    numbered as frictionless does: the header is 1.
    """

    def __init__(self, text: str):
        self._text = text
        self._starts: list[int] | None = None
        self._cells: list[list[str]] = []

    def _records(self) -> list[int]:
        if self._starts is None:
            self._starts = []
            reader = csv.reader(io.StringIO(self._text, newline=""))
            end = 0
            try:
                for row in reader:
                    self._starts.append(end + 1)
                    self._cells.append(row)
                    end = reader.line_num
            except csv.Error:
                pass  # frictionless has reported what is wrong; locate what can be located
        return self._starts

    def record_start(self, record: int) -> int:
        """The line on which a record starts."""
        starts = self._records()
        return starts[record - 1] if 1 <= record <= len(starts) else record

    def cell_line(self, record: int, field_number: int) -> int:
        """The line of one cell: its record's first line plus the line breaks in the cells before it."""
        start = self.record_start(record)
        if 1 <= record <= len(self._cells):
            return start + sum(cell.count("\n") for cell in self._cells[record - 1][: max(field_number - 1, 0)])
        return start

    def spans_lines(self) -> bool:
        """Whether any record spans more than one line (so record and line numbers part)."""
        starts = self._records()
        return bool(starts) and starts[-1] != len(starts)


_CONSTRAINT = re.compile(r'constraint "(\w+)"')
_ARTICLE = {"integer": "an integer", "number": "a number", "boolean": "a boolean", "date": "a date"}


def _cell_message(error: Any, spec: dict[str, Any]) -> str:
    """A type or constraint error in words, quoting the cell as the file has it."""
    raw = error.cells[error.field_number - 1] if 0 < error.field_number <= len(error.cells) else error.cell
    kind = spec.get("type", "")
    if error.type == "type-error":
        if kind == "boolean":
            allowed = spec.get("trueValues", ["true"]) + spec.get("falseValues", ["false"])
            return f"'{raw}' is not a boolean (expected one of {allowed})"
        return f"'{raw}' is not {_ARTICLE.get(kind, 'a ' + kind)} (type {kind})"
    constraints = spec.get("constraints", {})
    found = _CONSTRAINT.search(error.note or "")  # frictionless names the constraint in its note
    name = found.group(1) if found else ""
    if name == "required":
        return "value is required but the cell is empty"
    if name == "minimum":
        return f"{raw} is below the minimum {constraints['minimum']}"
    if name == "maximum":
        return f"{raw} is above the maximum {constraints['maximum']}"
    if name == "enum":
        return f"'{raw}' is not one of the allowed values {constraints['enum']}"
    if name == "pattern":
        return f"'{raw}' does not match the pattern {constraints['pattern']!r}"
    return f"'{raw}': {error.note or error.message}"


_HEADER_MESSAGES = {
    "missing-label": "required column is missing from the header",
    "extra-label": "unexpected column (not in the descriptor)",
    "duplicate-label": "column appears more than once in the header",
    "blank-label": "the header has a column without a name",
}


def problems_from_report(
    report: Any,
    shown: str,
    fields: list[dict[str, Any]],
    key: list[str],
    lines: EditorLines,
    rows: list[list[Any]],
) -> list[Problem]:
    """frictionless's report on one table as problems, in file order.

    ``key`` is the table's primary key and ``rows`` the values frictionless parsed, record by
    record, for naming a duplicated key's first occurrence. A wrong header misaligns every row below it, so header problems are
    reported alone.
    """
    specs = {f["name"]: f for f in fields}
    names = [f["name"] for f in fields]
    errors = [e for task in report.tasks for e in task.errors] + list(report.errors)
    header: list[Problem] = []
    found: dict[tuple[int, int], Problem] = {}  # (record, field number) -> the problem there
    cut_short: dict[int, int] = {}  # record -> the first field missing from it

    def add(record: int, field_number: int, column: str | None, message: str, line: int | None = None) -> None:
        line = line if line is not None else lines.record_start(record)
        found.setdefault((record, field_number), Problem(shown, line, column, message, record=record - 1))

    for error in errors:
        if error.type == "missing-cell":
            cut_short[error.row_number] = min(cut_short.get(error.row_number, 10**9), error.field_number)
    first_seen: dict[tuple, int] | None = None
    for error in errors:
        kind = error.type
        if kind in _HEADER_MESSAGES:
            column = error.field_name if kind in ("missing-label", "blank-label") else error.label
            header.append(Problem(shown, 1, column, _HEADER_MESSAGES[kind]))
        elif kind == "incorrect-label":
            message = f"required column is missing from the header (found '{error.label}' in its place)"
            header.append(Problem(shown, 1, error.field_name, message))
            if error.label not in specs:
                header.append(Problem(shown, 1, error.label, _HEADER_MESSAGES["extra-label"]))
        elif kind == "source-error" and "empty" in (error.note or ""):
            message = f"the file is empty: the header row ({', '.join(names)}) is missing"
            header.append(Problem(shown, 1, names[0], message))
        elif kind == "missing-cell":
            if error.field_number == cut_short[error.row_number]:  # the row stops here: report it once
                message = f"has {len(error.cells)} cells, the header has {len(names)}: the row stops before this column (a truncated file?)"
                add(error.row_number, error.field_number, error.field_name, message)
        elif kind == "extra-cell":
            message = (
                f"has {len(error.cells)} cells, the header has {len(names)}: extra cells after this, the last column"
            )
            add(error.row_number, len(names), names[-1], message)
        elif kind in ("type-error", "constraint-error"):
            if error.field_number >= cut_short.get(error.row_number, 10**9):
                continue  # a cell the row does not have: reported once, as the row cut short
            line = lines.cell_line(error.row_number, error.field_number)
            add(
                error.row_number,
                error.field_number,
                error.field_name,
                _cell_message(error, specs[error.field_name]),
                line,
            )
        elif kind == "primary-key":
            position = [names.index(k) for k in key]
            if first_seen is None:  # each key's first record, looked up once
                first_seen = {}
                for i, row in enumerate(rows):
                    first_seen.setdefault(tuple(row[j] for j in position), i + 2)
            record = error.row_number
            values = tuple(rows[record - 2][j] for j in position) if 0 <= record - 2 < len(rows) else ()
            first = first_seen.get(values)
            label = ", ".join(f"{k}={v}" for k, v in zip(key, values, strict=False))
            seen = f"; first seen on line {lines.record_start(first)}" if first and first < record else ""
            column = key[0] if len(key) == 1 else "+".join(key)
            add(record, position[0] + 1, column, f"duplicate primary key ({label}){seen}")
        elif kind == "foreign-key":
            columns = list(error.field_names)
            position = names.index(columns[0]) + 1
            message = (
                f"'{', '.join(error.field_cells)}' is not found in {error.reference_name}.csv "
                f"(column {'+'.join(error.reference_field_names)}, a foreign key)"
            )
            add(error.row_number, position, "+".join(columns), message, lines.cell_line(error.row_number, position))
        elif kind == "blank-row":
            add(error.row_number, 0, None, "blank line")
        else:
            record = getattr(error, "row_number", None)
            header.append(Problem(shown, lines.record_start(record) if record else None, None, error.message))
    if header:
        return header
    return [found[place] for place in sorted(found)]
