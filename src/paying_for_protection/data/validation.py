"""Validate a data file against its Table Schema in ``data/datapackage.json``, with frictionless.

The book must never run on a wrong frame. frictionless checks every table against the descriptor
(types, constraints, primary and foreign keys, header); this module turns its report into
problems that name the file, the line as an editor shows it (the header is line 1) and the
column, and hands the loaders a typed pandas frame built from the values frictionless parsed.

Three things are done here rather than by frictionless, each because frictionless cannot say
where the problem is or does not look for it:

* size, byte-order mark and UTF-8: checked on the raw bytes before anything is parsed, so a huge
  file is refused at once and a bad byte is reported by line and column (frictionless reports
  both as "the source is empty");
* editor lines: frictionless numbers records, not lines; a quoted cell holding a newline makes
  the two differ, so records are mapped back to the lines they start on;
* non-finite numbers ("NaN", "inf", which frictionless accepts as numbers) and the plausible
  ranges that depend on another column (``rangeBy``, e.g. a SIPRI value's bounds depend on its
  indicator), which a Table Schema constraint cannot express.

Every file read is remembered with its SHA-256 (``FILES_READ``): a chapter's colophon lists them
and the build's cache guard re-executes a chapter when one changes. A table is validated once per
content and descriptor in a Python session; later loads of the same bytes reuse the typed frame.
"""

from __future__ import annotations

import csv
import decimal
import hashlib
import io
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .. import paths

#: How many problems one error message lists before it stops.
MAX_REPORTED_PROBLEMS = 10

#: Largest data file (a table or the descriptor) the loaders will read. The largest table is a
#: fraction of this; a file over it is almost certainly not the one meant (an unfiltered export,
#: a corrupted copy) and is refused before it is parsed. Raise it here if a real table needs more.
MAX_FILE_BYTES = 8 * 1024 * 1024

#: Stop collecting problems after this many (frictionless keeps reading until then).
_ERROR_LIMIT = 1000

_UTF8_BOM = b"\xef\xbb\xbf"

#: Files read (and validated) in this Python session: path relative to the book root -> SHA-256.
#: A chapter's colophon lists them, and the build's cache guard re-executes the chapter when any
#: of them changes. Every read goes through this module, so nothing a chapter reads is missed.
FILES_READ: dict[str, str] = {}

#: Typed frames already validated in this session, by content and descriptor (see _cache_key).
_VALIDATED: dict[tuple[str, ...], pd.DataFrame] = {}

#: Environment variable naming the folder that keeps validated frames between sessions (see
#: _ValidatedStore); "off" disables it. Default: _build/data-validated in the book.
STORE_ENV_VAR = "PFP_DATA_VALIDATED"


def _record_read(path: Path, content: bytes) -> str:
    digest = hashlib.sha256(content).hexdigest()
    FILES_READ[_display(path)] = digest
    return digest


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
    line: int | None  # as an editor shows it: 1 = the header row; None when the whole file is at fault
    column: str | None  # a field name (tables)
    message: str
    record: int | None = None  # data row (1 = first record after the header), where it differs from line - 1
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


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(paths.ROOT))
    except ValueError:
        return str(path)


def _fail(shown: str, message: str, line: int | None = None, column: str | None = None) -> DataValidationError:
    return DataValidationError([Problem(shown, line, column, message)])


def _read_limited(path: Path, shown: str, first_column: str | None = None) -> bytes:
    """The file's bytes, refusing a missing, unreadable or oversized file before reading it."""
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise _fail(shown, "the file does not exist") from exc
    except OSError as exc:
        raise _fail(shown, f"cannot read the file ({exc.strerror or exc})") from exc
    if size > MAX_FILE_BYTES:
        raise _fail(
            shown,
            f"the file is {size / 1e6:,.1f} MB, over the limit of {MAX_FILE_BYTES / 1e6:,.1f} MB for a data file; "
            "refused without reading it (MAX_FILE_BYTES in paying_for_protection/data/validation.py)",
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise _fail(shown, f"cannot read the file ({exc.strerror or exc})") from exc


def _decode(content: bytes, shown: str, encoding: str, first_column: str | None) -> str:
    """Text of a data file; a byte-order mark or an undecodable byte is named with its line."""
    if content.startswith(_UTF8_BOM):
        raise _fail(
            shown,
            "the file starts with a UTF-8 byte-order mark (BOM), which some editors add when saving "
            "'UTF-8 with BOM'; save it as plain UTF-8",
            1,
            first_column,
        )
    try:
        return content.decode(encoding)
    except UnicodeDecodeError as exc:
        before = content[: exc.start].decode(encoding, errors="replace")
        line = before.count("\n") + 1
        # The record the byte sits in (0 = the header): the last one of the text up to and
        # including it (a stand-in character takes its place).
        record = len(list(csv.reader(io.StringIO(before + "?", newline="")))) - 1
        raise DataValidationError(
            [
                Problem(
                    shown,
                    line,
                    _column_at(before, first_column),
                    f"not valid {encoding} text: byte 0x{content[exc.start]:02x} (was the file saved in another encoding?)",
                    record=record if record > 0 else None,
                )
            ]
        ) from exc


def _column_at(text_before: str, first_column: str | None) -> str | None:
    """The field in which the text ``text_before`` stops (for a byte that cannot be decoded)."""
    lines = text_before.split("\n")
    header = next(csv.reader([lines[0]]), []) if lines[0] else []
    if len(lines) == 1 or not header:
        return first_column
    cells = next(csv.reader([lines[-1]]), [""]) if lines[-1] else [""]
    return header[min(len(cells), len(header)) - 1]


def read_descriptor(descriptor_path: Path | None = None) -> dict[str, Any]:
    """The data package descriptor, as a dict; a broken file is reported by JSON line and column."""
    descriptor_path = descriptor_path or paths.DESCRIPTOR_PATH
    shown = _display(descriptor_path)
    content = _read_limited(descriptor_path, shown)
    text = _decode(content, shown, "utf-8", None)
    try:
        descriptor = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataValidationError(
            [Problem(shown, exc.lineno, None, f"not valid JSON: {exc.msg}", char=exc.colno)]
        ) from exc
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise _fail(shown, "not a data package descriptor: no list of 'resources'", 1)
    _record_read(descriptor_path, content)
    return descriptor


def check_descriptor(descriptor: dict[str, Any], descriptor_path: Path | None = None) -> None:
    """The descriptor against the Frictionless Data Package profile; raise naming each property."""
    descriptor_path = descriptor_path or paths.DESCRIPTOR_PATH
    shown = _display(descriptor_path)
    key = ("descriptor", hashlib.sha256(json.dumps(descriptor, sort_keys=True).encode("utf-8")).hexdigest())
    kept = _STORE.applies_to(descriptor_path)
    if kept and _STORE.get(key, bool):
        return  # this very descriptor passed before (see _ValidatedStore)
    from frictionless import FrictionlessException, Package

    try:
        errors = [error.note or error.message for error in Package.metadata_validate(descriptor)]
    except FrictionlessException as exc:
        errors = [str(exc)]
    if errors:
        raise DataValidationError([Problem(shown, None, None, f"not a valid data package: {e}") for e in errors])
    if kept:
        _STORE.put(key, True)


def resource_from_descriptor(name: str, descriptor: dict[str, Any]) -> dict[str, Any]:
    for resource in descriptor.get("resources", []):
        if resource.get("name") == name:
            return resource
    raise KeyError(f"the descriptor has no resource named {name!r}")


# --- where a record sits in the file ----------------------------------------------------------------


class _Lines:
    """Editor lines of the records and cells of a CSV text (frictionless numbers records).

    A record usually sits on one line; a quoted cell holding a line break makes it span more,
    and every later record starts further down than its record number suggests.
    """

    def __init__(self, text: str):
        self._text = text
        self._starts: list[int] | None = None
        self._cells: list[list[str]] | None = None

    def _parse(self) -> None:
        starts, cells = [], []
        reader = csv.reader(io.StringIO(self._text, newline=""))
        previous_end = 0
        try:
            for row in reader:
                starts.append(previous_end + 1)
                cells.append(row)
                previous_end = reader.line_num
        except csv.Error:
            pass  # frictionless has already reported what is wrong; locate what can be located
        self._starts, self._cells = starts, cells

    def record_start(self, row_number: int) -> int:
        """The line on which record ``row_number`` (frictionless's count; the header is 1) starts."""
        if self._starts is None:
            self._parse()
        assert self._starts is not None
        if 1 <= row_number <= len(self._starts):
            return self._starts[row_number - 1]
        return row_number

    def cell_line(self, row_number: int, field_number: int) -> int:
        """The line of one cell: its record's first line plus the line breaks in earlier cells."""
        start = self.record_start(row_number)
        assert self._cells is not None
        if 1 <= row_number <= len(self._cells):
            before = self._cells[row_number - 1][: max(field_number - 1, 0)]
            return start + sum(cell.count("\n") for cell in before)
        return start

    def spans_lines(self) -> bool:
        if self._starts is None:
            self._parse()
        assert self._starts is not None
        return bool(self._starts) and self._starts[-1] != len(self._starts)


# --- validation ------------------------------------------------------------------------------------

_CONSTRAINT = re.compile(r'constraint "(\w+)"')
_ARTICLE = {"integer": "an integer", "number": "a number", "boolean": "a boolean", "date": "a date"}


def _cell_message(error: Any, spec: dict[str, Any]) -> str:
    raw = error.cells[error.field_number - 1] if 0 < error.field_number <= len(error.cells) else error.cell
    kind = spec.get("type", "")
    if error.type == "type-error":
        if kind == "boolean":
            allowed = spec.get("trueValues", ["true"]) + spec.get("falseValues", ["false"])
            return f"'{raw}' is not a boolean (expected one of {allowed})"
        return f"'{raw}' is not {_ARTICLE.get(kind, 'a ' + kind)} (type {kind})"
    constraints = spec.get("constraints", {})
    found = _CONSTRAINT.search(error.note or "")
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


def _problems_from_report(
    report: Any,
    shown: str,
    fields: list[dict[str, Any]],
    lines: _Lines,
    rows: list[list[Any]],
    key: list[str],
) -> list[Problem]:
    specs = {f["name"]: f for f in fields}
    names = [f["name"] for f in fields]
    errors = [e for task in report.tasks for e in task.errors] + list(report.errors)
    header: list[Problem] = []
    cells: list[tuple[int, int, Problem]] = []
    short_rows: set[int] = set()
    first_seen: dict[tuple, int] | None = None
    for error in errors:
        if error.type == "missing-cell":
            short_rows.add(error.row_number)
    for error in errors:
        kind = error.type
        if kind == "missing-label":
            header.append(Problem(shown, 1, error.field_name, "required column is missing from the header"))
        elif kind == "incorrect-label":
            header.append(
                Problem(
                    shown,
                    1,
                    error.field_name,
                    f"required column is missing from the header (found '{error.label}' in its place)",
                )
            )
            if error.label not in specs:
                header.append(Problem(shown, 1, error.label, "unexpected column (not in the descriptor)"))
        elif kind == "extra-label":
            header.append(Problem(shown, 1, error.label, "unexpected column (not in the descriptor)"))
        elif kind == "duplicate-label":
            header.append(Problem(shown, 1, error.label, "column appears more than once in the header"))
        elif kind == "blank-label":
            header.append(Problem(shown, 1, error.field_name, "the header has a column without a name"))
        elif kind == "source-error" and "empty" in (error.note or ""):
            header.append(
                Problem(
                    shown,
                    1,
                    names[0],
                    f"the file is empty: the header row ({', '.join(names)}) is missing",
                )
            )
        elif kind in ("missing-cell", "extra-cell"):
            row = error.row_number
            got = len(error.cells)
            if kind == "missing-cell":
                # Report the first missing cell only: the row stops before it.
                if any(c[0] == row and c[1] < error.field_number and c[2].message.startswith("has ") for c in cells):
                    continue
                cells.append(
                    (
                        row,
                        error.field_number,
                        Problem(
                            shown,
                            lines.record_start(row),
                            error.field_name,
                            f"has {got} cells, the header has {len(names)}: the row stops before this column (a truncated file?)",
                            record=row - 1,
                        ),
                    )
                )
            else:
                if any(c[0] == row and c[2].message.startswith("has ") for c in cells):
                    continue
                cells.append(
                    (
                        row,
                        len(names),
                        Problem(
                            shown,
                            lines.record_start(row),
                            names[-1],
                            f"has {got} cells, the header has {len(names)}: extra cells after this, the last column",
                            record=row - 1,
                        ),
                    )
                )
        elif kind in ("type-error", "constraint-error"):
            if error.row_number in short_rows and error.field_number > len(error.cells):
                continue  # the missing cell is reported once, as such
            cells.append(
                (
                    error.row_number,
                    error.field_number,
                    Problem(
                        shown,
                        lines.cell_line(error.row_number, error.field_number),
                        error.field_name,
                        _cell_message(error, specs[error.field_name]),
                        record=error.row_number - 1,
                    ),
                )
            )
        elif kind == "primary-key":
            row = error.row_number
            position = [names.index(k) for k in key]
            if first_seen is None:  # record number of each key's first row, built once
                first_seen = {}
                for i, r in enumerate(rows):
                    first_seen.setdefault(tuple(r[j] for j in position), i + 2)
            values = tuple(rows[row - 2][i] for i in position) if 0 <= row - 2 < len(rows) else ()
            first = first_seen.get(values)
            first = first if first is not None and first < row else None
            label = ", ".join(f"{k}={v}" for k, v in zip(key, values, strict=False))
            seen = f"; first seen on line {lines.record_start(first)}" if first else ""
            cells.append(
                (
                    row,
                    names.index(key[0]) + 1,
                    Problem(
                        shown,
                        lines.record_start(row),
                        key[0] if len(key) == 1 else "+".join(key),
                        f"duplicate primary key ({label}){seen}",
                        record=row - 1,
                    ),
                )
            )
        elif kind == "foreign-key":
            row = error.row_number
            field_names = list(error.field_names)
            values = list(error.field_cells)
            reference = error.reference_name
            cells.append(
                (
                    row,
                    names.index(field_names[0]) + 1,
                    Problem(
                        shown,
                        lines.cell_line(row, names.index(field_names[0]) + 1),
                        "+".join(field_names),
                        f"'{', '.join(values)}' is not found in {reference}.csv "
                        f"(column {'+'.join(error.reference_field_names)}, a foreign key)",
                        record=row - 1,
                    ),
                )
            )
        elif kind == "blank-row":
            cells.append(
                (error.row_number, 0, Problem(shown, lines.record_start(error.row_number), None, "blank line"))
            )
        else:
            line = getattr(error, "row_number", None)
            header.append(Problem(shown, lines.record_start(line) if line else None, None, error.message))
    if header:
        return header  # a wrong header misaligns every row: report the header alone
    return [p for _, _, p in sorted(cells, key=lambda c: (c[0], c[1]))]


class _ValidatedStore:
    """Frames validated from the book's own ``data/``, kept between sessions.

    Each chapter runs in a kernel of its own, and the first frictionless validation in a process
    costs about 2.3 s of CPU before any table is read (frictionless imports jsonschema, whose
    optional IRI checker compiles its grammars on import) against 0.5 s for the validation of
    all the tables a chapter reads: 2.8 s per chapter in all, against 0.2 s with the former
    hand-written validator. ``make book`` validates every table before any chapter runs; the
    kernels then find each table here, by the same key as the session cache (the file's bytes,
    its schema, the tables its foreign keys point to) plus the validator itself (this module's
    source and the frictionless and pandas versions), and do not import frictionless at all.

    Only files inside the book's ``data/`` are kept (a scratch copy never is), only after they
    passed, each in a file of its own written atomically; an entry that cannot be read is
    ignored and the table validated again.
    """

    def __init__(self) -> None:
        self._folder: Path | bool | None = False  # False: not looked up yet

    def folder(self) -> Path | None:
        if self._folder is False:
            import os

            configured = os.environ.get(STORE_ENV_VAR, "")
            if configured == "off":
                self._folder = None
            else:
                self._folder = Path(configured) if configured else paths.ROOT / "_build" / "data-validated"
        return self._folder  # type: ignore[return-value]

    @staticmethod
    def validator_id() -> str:
        from importlib.metadata import version

        parts = [Path(__file__).read_bytes(), version("frictionless").encode(), pd.__version__.encode()]
        return hashlib.sha256(b"\0".join(parts)).hexdigest()

    def _entry(self, key: tuple[str, ...]) -> Path | None:
        folder = self.folder()
        if folder is None:
            return None
        name = hashlib.sha256("\0".join((self.validator_id(), *key)).encode()).hexdigest()
        return folder / f"{name}.pickle"

    def applies_to(self, path: Path) -> bool:
        return self.folder() is not None and path.resolve().parent == paths.DATA_DIR.resolve()

    def get(self, key: tuple[str, ...], kind: type = pd.DataFrame) -> Any:
        entry = self._entry(key)
        if entry is None or not entry.is_file():
            return None
        import pickle

        try:
            value = pickle.loads(entry.read_bytes())
        except Exception:  # a damaged entry is a miss, never an error: validate again
            return None
        return value if isinstance(value, kind) else None

    def put(self, key: tuple[str, ...], frame: Any) -> None:
        entry = self._entry(key)
        if entry is None:
            return
        import os
        import pickle
        import tempfile

        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            handle, scratch = tempfile.mkstemp(dir=entry.parent, prefix=".writing-")
            with os.fdopen(handle, "wb") as out:
                out.write(pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(scratch, entry)  # atomic: a reader sees the whole entry or none
        except OSError:
            pass  # a read-only checkout still builds, validating in every session


_STORE = _ValidatedStore()


def _cache_key(content_sha: str, resource: dict[str, Any], references: tuple[str, ...]) -> tuple[str, ...]:
    spec = hashlib.sha256(json.dumps(resource, sort_keys=True).encode("utf-8")).hexdigest()
    return (content_sha, spec, *references)


def _frictionless_resource(content: bytes, resource: dict[str, Any]) -> Any:
    from frictionless import Dialect, Resource, Schema

    schema = {k: v for k, v in resource["schema"].items()}
    return Resource(
        content,
        name=resource["name"],
        format="csv",
        encoding=resource.get("encoding", "utf-8"),
        dialect=Dialect.from_descriptor(resource.get("dialect", {"header": True})),
        schema=Schema.from_descriptor(schema),
    )


def _reference_resource(name: str, keys: dict[str, tuple[str, list[Any]]]) -> Any:
    """The key columns of a table that foreign keys point to, as a small in-memory resource.

    The referenced table has been validated in full already; frictionless's foreign-key check
    needs only its key values, and copying a slim resource for the lookup costs a fraction of
    copying (and re-validating the metadata of) the whole table.
    """
    from frictionless import Resource, Schema

    columns = list(keys)
    rows = [list(values) for values in zip(*(keys[c][1] for c in columns), strict=True)]
    return Resource(
        data=[columns, *rows],
        name=name,
        schema=Schema.from_descriptor({"fields": [{"name": c, "type": keys[c][0]} for c in columns]}),
    )


def _typed_frame(rows: list[list[Any]], fields: list[dict[str, Any]]) -> pd.DataFrame:
    columns = {}
    for i, spec in enumerate(fields):
        values = [row[i] if i < len(row) else None for row in rows]
        kind = spec["type"]
        if kind == "number":
            columns[spec["name"]] = pd.array([math.nan if v is None else float(v) for v in values], dtype="float64")
        elif kind == "integer":
            columns[spec["name"]] = pd.array(values, dtype="Int64")
        elif kind == "boolean":
            columns[spec["name"]] = pd.array(values, dtype="boolean")
        elif kind == "string":
            columns[spec["name"]] = pd.array(values, dtype="string")
        else:
            columns[spec["name"]] = pd.array(values, dtype="object")
    return pd.DataFrame(columns)


def _range_problems(rows: list[list[Any]], fields: list[dict[str, Any]], shown: str, lines: _Lines) -> list[Problem]:
    """Numbers that are not finite, and values outside a range that depends on another column."""
    names = [f["name"] for f in fields]
    problems: list[tuple[int, int, Problem]] = []
    for i, spec in enumerate(fields):
        if spec["type"] != "number":
            continue
        by = spec.get("rangeBy")
        by_index = names.index(by["field"]) if by else None
        for r, row in enumerate(rows):
            value = row[i] if i < len(row) else None
            if value is None:
                continue
            record = r + 2
            if isinstance(value, decimal.Decimal) and not value.is_finite():
                message = f"'{value}' is not a finite number"
            elif by is not None:
                bounds = by["ranges"].get(row[by_index])
                if bounds is None:
                    continue
                if "minimum" in bounds and value < bounds["minimum"]:
                    message = f"{value} is below the minimum {bounds['minimum']} for {by['field']} '{row[by_index]}'"
                elif "maximum" in bounds and value > bounds["maximum"]:
                    message = f"{value} is above the maximum {bounds['maximum']} for {by['field']} '{row[by_index]}'"
                else:
                    continue
            else:
                continue
            problems.append(
                (record, i, Problem(shown, lines.cell_line(record, i + 1), spec["name"], message, record=r + 1))
            )
    return [p for _, _, p in sorted(problems, key=lambda c: (c[0], c[1]))]


def _validate_content(
    content: bytes,
    shown: str,
    resource: dict[str, Any],
    references: dict[str, dict[str, tuple[str, list[Any]]]],
) -> pd.DataFrame:
    from frictionless import Check, Checklist, Package

    fields = resource["schema"]["fields"]
    names = [f["name"] for f in fields]
    text = _decode(content, shown, resource.get("encoding", "utf-8"), names[0] if names else None)
    lines = _Lines(text)

    rows: list[list[Any]] = []

    class KeepRows(Check):
        """Keeps each row's parsed values, so the frame is built in the same pass as validation."""

        type = "keep-rows"

        def validate_row(self, row):  # frictionless calls it for every row
            rows.append(row.to_list())
            return iter(())

    from frictionless import FrictionlessException

    try:
        table = _frictionless_resource(content, resource)
    except FrictionlessException as exc:
        raise _fail(f"datapackage.json (table {resource['name']})", f"the table's schema is not valid: {exc}") from exc
    if references:
        Package(resources=[table, *(_reference_resource(name, keys) for name, keys in references.items())])
    report = table.validate(checklist=Checklist(checks=[KeepRows()]), limit_errors=_ERROR_LIMIT)
    problems = (
        []
        if report.valid
        else _problems_from_report(report, shown, fields, lines, rows, resource["schema"].get("primaryKey") or [])
    )
    if not report.valid and not problems:  # an error type not mapped above: say what frictionless said
        errors = [e for task in report.tasks for e in task.errors] + list(report.errors)
        problems = [Problem(shown, None, None, errors[0].message)]
    if not problems:
        problems = _range_problems(rows, fields, shown, lines)
    if problems:
        raise DataValidationError(problems)

    frame = _typed_frame(rows, fields)
    frame.attrs["source_file"] = shown
    if lines.spans_lines():
        frame.attrs["source_lines"] = [lines.record_start(i + 2) for i in range(len(rows))]
    return frame


def validate_table(path: Path, resource: dict[str, Any], descriptor: dict[str, Any] | None = None) -> pd.DataFrame:
    """Read ``path`` and check it against ``resource``; return a typed frame or raise.

    Tables the resource points to with foreign keys are found in ``descriptor`` (the catalogue
    when none is given) and read from ``path``'s folder; each is validated first.
    """
    shown = _display(path)
    fields = resource["schema"]["fields"]
    content = _read_limited(path, shown)
    digest = _record_read(path, content)

    # Tables the foreign keys point to: validated first, then their key columns (as text) are
    # what the check looks values up in.
    references: dict[str, dict[str, tuple[str, list[Any]]]] = {}
    for fk in resource["schema"].get("foreignKeys", []):
        target_name = fk["reference"]["resource"]
        if not target_name or target_name == resource["name"]:
            continue
        if descriptor is None:
            from . import schema as catalogue

            descriptor = {"resources": catalogue.RESOURCES}
        target = resource_from_descriptor(target_name, descriptor)
        target_frame = validate_table(path.parent / target["path"], target, descriptor)
        keys = references.setdefault(target_name, {})
        types = {f["name"]: f["type"] for f in target["schema"]["fields"]}
        for name in fk["reference"]["fields"]:
            keys[name] = (types[name], [None if pd.isna(v) else v for v in target_frame[name].tolist()])

    key = _cache_key(digest, resource, (json.dumps(references, sort_keys=True),))
    if key not in _VALIDATED:
        if not fields:
            raise _fail(shown, "the descriptor lists no fields for this table")
        kept = _STORE.applies_to(path)
        frame = _STORE.get(key) if kept else None
        if frame is None:
            frame = _validate_content(content, shown, resource, references)
            if kept:
                _STORE.put(key, frame)
        _VALIDATED[key] = frame
    frame = _VALIDATED[key].copy()
    frame.attrs["source_file"] = shown
    return frame


def check_rows(frame: pd.DataFrame, mask: pd.Series, column: str, message: str) -> None:
    """Raise a :class:`DataValidationError` for every row where ``mask`` is true.

    Used by loaders for rules that span columns (e.g. 'amount may be empty only when the status
    is unverified'). Frame index i is the file's record i + 1 (the header is record 0), which
    starts on line i + 2 unless an earlier quoted cell spans lines.
    """
    bad = frame.index[mask.fillna(True).to_numpy(dtype=bool)]
    if len(bad):
        shown = frame.attrs.get("source_file", "<table>")
        lines = frame.attrs.get("source_lines")
        raise DataValidationError(
            [Problem(shown, lines[int(i)] if lines else int(i) + 2, column, message, record=int(i) + 1) for i in bad]
        )
