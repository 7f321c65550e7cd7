"""Validate a CSV file against its Table Schema in ``data/datapackage.json``.

The book must never run on a wrong frame. Every problem is reported with the file, the row and
the column it sits in (rows are counted as a spreadsheet shows them: the header is line 1, the
first data row line 2), and the loader raises :class:`DataValidationError` instead of handing on
a frame that pandas happened to parse.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from .. import paths

#: How many problems one error message lists before it stops.
MAX_REPORTED_PROBLEMS = 10

#: Files read (and validated) in this Python session: path relative to the book root -> SHA-256.
#: A chapter's colophon lists them, and the build's cache guard re-executes the chapter when any
#: of them changes. Every read goes through this module, so nothing a chapter reads is missed.
FILES_READ: dict[str, str] = {}


def _record_read(path: Path, content: bytes) -> None:
    FILES_READ[_display(path)] = hashlib.sha256(content).hexdigest()


def read_input_text(path: Path) -> str:
    """Read a file a page shows values from that is not a table (a chapter's own source, the
    bibliography, CITATION.cff), remembering it like a data file so that an edit re-executes
    the pages that used it."""
    content = path.read_bytes()
    _record_read(path, content)
    return content.decode("utf-8")


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None  # 1 = header row; None when the whole file is at fault
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}" + (" (header)" if self.line == 1 else f" (data row {self.line - 1})")
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


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(paths.ROOT))
    except ValueError:
        return str(path)


def read_descriptor(descriptor_path: Path | None = None) -> dict[str, Any]:
    descriptor_path = descriptor_path or paths.DESCRIPTOR_PATH
    shown = _display(descriptor_path)
    try:
        content = descriptor_path.read_bytes()
        descriptor = json.loads(content.decode("utf-8"))
    except OSError as exc:
        raise DataValidationError(
            [Problem(shown, None, None, f"cannot read the descriptor ({exc.strerror or exc})")]
        ) from exc
    except UnicodeDecodeError as exc:
        raise DataValidationError([Problem(shown, None, None, f"not valid utf-8 text (byte {exc.start})")]) from exc
    except json.JSONDecodeError as exc:
        raise DataValidationError([Problem(shown, exc.lineno, None, f"not valid JSON: {exc.msg}")]) from exc
    _record_read(descriptor_path, content)
    return descriptor


def resource_from_descriptor(name: str, descriptor: dict[str, Any]) -> dict[str, Any]:
    for resource in descriptor.get("resources", []):
        if resource.get("name") == name:
            return resource
    raise KeyError(f"the descriptor has no resource named {name!r}")


# --- cell parsers: each returns the typed value or raises ValueError with a reason ----------------

_INTEGER = re.compile(r"^[+-]?\d+$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _parse_cell(raw: str, spec: dict[str, Any]) -> Any:
    kind = spec["type"]
    if kind == "string":
        return raw
    if kind == "integer":
        if not _INTEGER.match(raw):
            raise ValueError(f"'{raw}' is not an integer")
        return int(raw)
    if kind == "number":
        if not _NUMBER.match(raw):
            raise ValueError(f"'{raw}' is not a number")
        value = float(raw)
        if not math.isfinite(value):
            raise ValueError(f"'{raw}' is not a finite number")
        return value
    if kind == "boolean":
        if raw in spec.get("trueValues", ["true"]):
            return True
        if raw in spec.get("falseValues", ["false"]):
            return False
        raise ValueError(
            f"'{raw}' is not a boolean (expected one of {spec.get('trueValues', ['true']) + spec.get('falseValues', ['false'])})"
        )
    if kind == "date":
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise ValueError(f"'{raw}' is not an ISO date") from None
    raise ValueError(f"field type {kind!r} is not supported by the validator")


def _check_constraints(value: Any, raw: str, spec: dict[str, Any]) -> str | None:
    constraints = spec.get("constraints", {})
    if "enum" in constraints and raw not in constraints["enum"]:
        return f"'{raw}' is not one of the allowed values {constraints['enum']}"
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], raw):
        return f"'{raw}' does not match the pattern {constraints['pattern']!r}"
    if "minimum" in constraints and value < constraints["minimum"]:
        return f"{raw} is below the minimum {constraints['minimum']}"
    if "maximum" in constraints and value > constraints["maximum"]:
        return f"{raw} is above the maximum {constraints['maximum']}"
    return None


_PANDAS_DTYPES = {"integer": "Int64", "number": "float64", "boolean": "boolean", "string": "string"}


def _locate(text_before: str, header: list[str]) -> tuple[int, str | None]:
    """Line (1 = header) and column of the position just after ``text_before`` in a CSV file."""
    lines = text_before.split("\n")
    line = len(lines)
    cells = next(csv.reader([lines[-1]]), [""]) if lines[-1] else [""]
    if line > 1:
        header = next(csv.reader([lines[0]]), header) or header
    return line, header[min(len(cells), len(header)) - 1] if header else None


def validate_table(path: Path, resource: dict[str, Any]) -> pd.DataFrame:
    """Read ``path`` and check it against ``resource``; return a typed frame or raise."""
    shown = _display(path)
    schema = resource["schema"]
    fields = schema["fields"]
    missing_values = set(schema.get("missingValues", [""]))

    encoding = resource.get("encoding", "utf-8")
    expected = [f["name"] for f in fields]
    try:
        content = path.read_bytes()
    except FileNotFoundError as exc:
        raise DataValidationError([Problem(shown, None, None, "the file does not exist")]) from exc
    except OSError as exc:
        raise DataValidationError(
            [Problem(shown, None, None, f"cannot read the file ({exc.strerror or exc})")]
        ) from exc
    try:
        text = content.decode(encoding)
    except UnicodeDecodeError as exc:
        line, column = _locate(content[: exc.start].decode(encoding, errors="replace"), expected)
        message = (
            f"not valid {encoding} text: byte 0x{content[exc.start]:02x} (was the file saved in another encoding?)"
        )
        raise DataValidationError([Problem(shown, line, column, message)]) from exc
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    try:
        rows.extend(reader)
    except csv.Error as exc:
        lines = text.splitlines()
        line, column = _locate("\n".join(lines[: reader.line_num]), expected)
        raise DataValidationError(
            [Problem(shown, line, column, f"not well-formed CSV: {exc} (a truncated or hand-edited file?)")]
        ) from exc

    _record_read(path, content)
    if not rows:
        raise DataValidationError(
            [Problem(shown, 1, expected[0], f"the file is empty: the header row ({', '.join(expected)}) is missing")]
        )

    header = rows[0]
    problems: list[Problem] = []
    for name in expected:
        if name not in header:
            problems.append(Problem(shown, 1, name, "required column is missing from the header"))
    for name in header:
        if name not in expected:
            problems.append(Problem(shown, 1, name, "unexpected column (not in the descriptor)"))
    if len(set(header)) != len(header):
        dupes = sorted({n for n in header if header.count(n) > 1})
        problems.append(Problem(shown, 1, dupes[0], "column appears more than once in the header"))
    if problems:
        raise DataValidationError(problems)

    position = {name: header.index(name) for name in expected}
    typed: dict[str, list[Any]] = {name: [] for name in expected}
    for offset, row in enumerate(rows[1:]):
        line = offset + 2
        if len(row) < len(header):
            problems.append(
                Problem(
                    shown,
                    line,
                    header[len(row)],
                    f"has {len(row)} cells, the header has {len(header)}: the row stops before this column (a truncated file?)",
                )
            )
            continue
        if len(row) > len(header):
            problems.append(
                Problem(
                    shown,
                    line,
                    header[-1],
                    f"has {len(row)} cells, the header has {len(header)}: extra cells after this, the last column",
                )
            )
            continue
        for spec in fields:
            name = spec["name"]
            raw = row[position[name]]
            if raw in missing_values:
                if spec.get("constraints", {}).get("required"):
                    problems.append(Problem(shown, line, name, "value is required but the cell is empty"))
                typed[name].append(None)
                continue
            try:
                value = _parse_cell(raw, spec)
            except ValueError as exc:
                problems.append(Problem(shown, line, name, f"{exc} (type {spec['type']})"))
                typed[name].append(None)
                continue
            violation = _check_constraints(value, raw, spec)
            if violation:
                problems.append(Problem(shown, line, name, violation))
            typed[name].append(value)

    key = schema.get("primaryKey") or []
    if key and not problems:
        seen: dict[tuple, int] = {}
        for i in range(len(rows) - 1):
            values = tuple(typed[k][i] for k in key)
            if values in seen:
                label = ", ".join(f"{k}={v}" for k, v in zip(key, values, strict=True))
                problems.append(
                    Problem(
                        shown,
                        i + 2,
                        key[0] if len(key) == 1 else "+".join(key),
                        f"duplicate primary key ({label}); first seen on line {seen[values]}",
                    )
                )
            else:
                seen[values] = i + 2
    if problems:
        raise DataValidationError(problems)

    frame = pd.DataFrame(
        {
            name: pd.array(typed[name], dtype=_PANDAS_DTYPES[spec["type"]])
            for name, spec in ((f["name"], f) for f in fields)
        }
    )
    frame.attrs["source_file"] = shown
    return frame


def check_rows(frame: pd.DataFrame, mask: pd.Series, column: str, message: str) -> None:
    """Raise a :class:`DataValidationError` for every row where ``mask`` is true.

    Used by loaders for rules that span columns (e.g. 'amount may be empty only when the status
    is unverified'). Frame index i corresponds to file line i + 2.
    """
    bad = frame.index[mask.fillna(True).to_numpy(dtype=bool)]
    if len(bad):
        shown = frame.attrs.get("source_file", "<table>")
        raise DataValidationError([Problem(shown, int(i) + 2, column, message) for i in bad])
