"""Validate a data file against its Table Schema in ``data/datapackage.json``, with frictionless.

The book must never run on a wrong frame. frictionless checks every table against the descriptor
(types, constraints, primary and foreign keys, header); :mod:`.problems` turns its report into
problems that name the file, the line as an editor shows it and the column; this module hands the
loaders a typed pandas frame built from the values frictionless parsed.

Done here rather than by frictionless, because frictionless cannot say where the problem is or
does not look for it:

* size, byte-order mark and UTF-8, checked on the raw bytes before anything is parsed, so that a
  huge file is refused at once and a bad byte is reported by line and column (frictionless
  reports all three as "the source is empty");
* numbers that are not finite ("NaN", "inf", which frictionless accepts as numbers) and plausible
  ranges that depend on another column (``rangeBy``: a SIPRI value's bounds depend on its
  indicator), which a Table Schema constraint cannot express.

Every file read is remembered with its SHA-256 (``FILES_READ``): a chapter's colophon lists them
and the build's cache guard re-executes a chapter when one changes. A table is validated once per
content and schema in a Python session, and a table of the book's own ``data/`` once for all
sessions (:mod:`.validated_store`).
"""

from __future__ import annotations

import csv
import decimal
import hashlib
import io
import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from .. import paths
from .problems import MAX_REPORTED_PROBLEMS, DataValidationError, EditorLines, Problem, fail, problems_from_report
from .validated_store import STORE_ENV_VAR, ValidatedStore

__all__ = [
    "FILES_READ",
    "MAX_FILE_BYTES",
    "MAX_REPORTED_PROBLEMS",
    "STORE_ENV_VAR",
    "DataValidationError",
    "Problem",
    "check_descriptor",
    "check_rows",
    "read_descriptor",
    "read_input_text",
    "resource_from_descriptor",
    "validate_table",
]

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

#: Typed frames already validated in this session, by content and schema (see _cache_key).
_VALIDATED: dict[tuple[str, ...], pd.DataFrame] = {}

#: Frames validated from the book's data/ in earlier sessions.
_STORE = ValidatedStore()


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(paths.ROOT))
    except ValueError:
        return str(path)


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


# --- reading ---------------------------------------------------------------------------------------


def _read_limited(path: Path, shown: str) -> bytes:
    """The file's bytes, refusing a missing, unreadable or oversized file before reading it."""
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise fail(shown, "the file does not exist") from exc
    except OSError as exc:
        raise fail(shown, f"cannot read the file ({exc.strerror or exc})") from exc
    if size > MAX_FILE_BYTES:
        raise fail(
            shown,
            f"the file is {size / 1e6:,.1f} MB, over the limit of {MAX_FILE_BYTES / 1e6:,.1f} MB for a data file; "
            "refused without reading it (MAX_FILE_BYTES in paying_for_protection/data/validation.py)",
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise fail(shown, f"cannot read the file ({exc.strerror or exc})") from exc


def _decode(content: bytes, shown: str, encoding: str, first_column: str | None) -> str:
    """Text of a data file; a byte-order mark or an undecodable byte is named with its line."""
    if content.startswith(_UTF8_BOM):
        message = (
            "the file starts with a UTF-8 byte-order mark (BOM), which some editors add when saving "
            "'UTF-8 with BOM'; save it as plain UTF-8"
        )
        raise fail(shown, message, 1, first_column)
    try:
        return content.decode(encoding)
    except UnicodeDecodeError as exc:
        before = content[: exc.start].decode(encoding, errors="replace")
        # The record the byte sits in (0 = the header): the last record of the text up to and
        # including it (a stand-in character takes its place).
        record = len(list(csv.reader(io.StringIO(before + "?", newline="")))) - 1
        message = (
            f"not valid {encoding} text: byte 0x{content[exc.start]:02x} (was the file saved in another encoding?)"
        )
        problem = Problem(
            shown, before.count("\n") + 1, _column_at(before, first_column), message, record=record or None
        )
        raise DataValidationError([problem]) from exc


def _column_at(text_before: str, first_column: str | None) -> str | None:
    """The field in which the text ``text_before`` stops (for a byte that cannot be decoded)."""
    lines = text_before.split("\n")
    header = next(csv.reader([lines[0]]), []) if lines[0] else []
    if len(lines) == 1 or not header:
        return first_column
    cells = next(csv.reader([lines[-1]]), [""]) if lines[-1] else [""]
    return header[min(len(cells), len(header)) - 1]


# --- the descriptor --------------------------------------------------------------------------------


def read_descriptor(descriptor_path: Path | None = None) -> dict[str, Any]:
    """The data package descriptor, as a dict; a broken file is reported by JSON line and column."""
    descriptor_path = descriptor_path or paths.DESCRIPTOR_PATH
    shown = _display(descriptor_path)
    content = _read_limited(descriptor_path, shown)
    text = _decode(content, shown, "utf-8", None)
    try:
        descriptor = json.loads(text)
    except json.JSONDecodeError as exc:
        problem = Problem(shown, exc.lineno, None, f"not valid JSON: {exc.msg}", char=exc.colno)
        raise DataValidationError([problem]) from exc
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise fail(shown, "not a data package descriptor: no list of 'resources'", 1)
    _record_read(descriptor_path, content)
    return descriptor


def check_descriptor(descriptor: dict[str, Any], descriptor_path: Path | None = None) -> None:
    """The descriptor against the Frictionless Data Package profile; raise naming each property."""
    descriptor_path = descriptor_path or paths.DESCRIPTOR_PATH
    key = ("descriptor", hashlib.sha256(json.dumps(descriptor, sort_keys=True).encode("utf-8")).hexdigest())
    kept = _STORE.applies_to(descriptor_path)
    if kept and _STORE.get(key, bool):
        return  # this very descriptor passed in an earlier session
    from frictionless import FrictionlessException, Package

    try:
        errors = [error.note or error.message for error in Package.metadata_validate(descriptor)]
    except FrictionlessException as exc:
        errors = [str(exc)]
    if errors:
        shown = _display(descriptor_path)
        raise DataValidationError([Problem(shown, None, None, f"not a valid data package: {e}") for e in errors])
    if kept:
        _STORE.put(key, True)


def resource_from_descriptor(name: str, descriptor: dict[str, Any]) -> dict[str, Any]:
    for resource in descriptor.get("resources", []):
        if resource.get("name") == name:
            return resource
    raise KeyError(f"the descriptor has no resource named {name!r}")


# --- a table -----------------------------------------------------------------------------------------


def _frictionless_resource(content: bytes, resource: dict[str, Any]) -> Any:
    """The table for frictionless, from the very bytes that were hashed."""
    from frictionless import Dialect, FrictionlessException, Resource, Schema

    try:
        return Resource(
            content,
            name=resource["name"],
            format="csv",
            encoding=resource.get("encoding", "utf-8"),
            dialect=Dialect.from_descriptor(resource.get("dialect", {"header": True})),
            schema=Schema.from_descriptor(resource["schema"]),
        )
    except FrictionlessException as exc:
        raise fail(f"datapackage.json (table {resource['name']})", f"the table's schema is not valid: {exc}") from exc


def _reference_resource(name: str, keys: dict[str, tuple[str, list[Any]]]) -> Any:
    """The key columns of a table that foreign keys point to, as a small in-memory resource.

    The referenced table has been validated in full already; frictionless's foreign-key check
    needs only its key values, and copying a slim resource for the lookup costs a fraction of
    copying (and re-validating the metadata of) the whole table.
    """
    from frictionless import Resource, Schema

    columns = list(keys)
    rows = [list(values) for values in zip(*(keys[c][1] for c in columns), strict=True)]
    schema = Schema.from_descriptor({"fields": [{"name": c, "type": keys[c][0]} for c in columns]})
    return Resource(data=[columns, *rows], name=name, schema=schema)


_DTYPES = {"integer": "Int64", "boolean": "boolean", "string": "string"}


def _typed_frame(rows: list[list[Any]], fields: list[dict[str, Any]]) -> pd.DataFrame:
    columns = {}
    for i, spec in enumerate(fields):
        values = [row[i] if i < len(row) else None for row in rows]
        if spec["type"] == "number":  # frictionless parses numbers as Decimal
            columns[spec["name"]] = pd.array([math.nan if v is None else float(v) for v in values], dtype="float64")
        else:
            columns[spec["name"]] = pd.array(values, dtype=_DTYPES.get(spec["type"], "object"))
    return pd.DataFrame(columns)


def _range_problems(
    rows: list[list[Any]], fields: list[dict[str, Any]], shown: str, lines: EditorLines
) -> list[Problem]:
    """Numbers that are not finite, and values outside a range that depends on another column."""
    names = [f["name"] for f in fields]
    found: dict[tuple[int, int], Problem] = {}
    for i, spec in enumerate(fields):
        if spec["type"] != "number":
            continue
        by = spec.get("rangeBy")
        for r, row in enumerate(rows):
            value = row[i] if i < len(row) else None
            if value is None:
                continue
            message = None
            if isinstance(value, decimal.Decimal) and not value.is_finite():
                message = f"'{value}' is not a finite number"
            elif by is not None:
                kind = row[names.index(by["field"])]
                bounds = by["ranges"].get(kind, {})
                if value < bounds.get("minimum", value):
                    message = f"{value} is below the minimum {bounds['minimum']} for {by['field']} '{kind}'"
                elif value > bounds.get("maximum", value):
                    message = f"{value} is above the maximum {bounds['maximum']} for {by['field']} '{kind}'"
            if message:
                record = r + 2
                found[(record, i)] = Problem(shown, lines.cell_line(record, i + 1), spec["name"], message, record=r + 1)
    return [found[place] for place in sorted(found)]


def _validate_content(
    content: bytes, shown: str, resource: dict[str, Any], references: dict[str, dict[str, tuple[str, list[Any]]]]
) -> pd.DataFrame:
    from frictionless import Check, Checklist, Package

    fields = resource["schema"]["fields"]
    lines = EditorLines(_decode(content, shown, resource.get("encoding", "utf-8"), fields[0]["name"]))
    rows: list[list[Any]] = []

    class KeepRows(Check):
        """Keeps each row's parsed values, so the frame is built in the same pass as validation."""

        type = "keep-rows"

        def validate_row(self, row):  # frictionless calls it for every row
            rows.append(row.to_list())
            return iter(())

    table = _frictionless_resource(content, resource)
    if references:
        Package(resources=[table, *(_reference_resource(name, keys) for name, keys in references.items())])
    report = table.validate(checklist=Checklist(checks=[KeepRows()]), limit_errors=_ERROR_LIMIT)
    if report.valid:
        problems = _range_problems(rows, fields, shown, lines)
    else:
        key = resource["schema"].get("primaryKey") or []
        problems = problems_from_report(report, shown, fields, key, lines, rows)
        if not problems:  # an error of a kind problems.py does not know: say what frictionless said
            errors = [e for task in report.tasks for e in task.errors] + list(report.errors)
            problems = [Problem(shown, None, None, errors[0].message)]
    if problems:
        raise DataValidationError(problems)

    frame = _typed_frame(rows, fields)
    frame.attrs["source_file"] = shown
    if lines.spans_lines():
        frame.attrs["source_lines"] = [lines.record_start(i + 2) for i in range(len(rows))]
    return frame


def _cache_key(content_sha: str, resource: dict[str, Any], references: str) -> tuple[str, ...]:
    spec = hashlib.sha256(json.dumps(resource, sort_keys=True).encode("utf-8")).hexdigest()
    return (content_sha, spec, hashlib.sha256(references.encode("utf-8")).hexdigest())


def validate_table(path: Path, resource: dict[str, Any], descriptor: dict[str, Any] | None = None) -> pd.DataFrame:
    """Read ``path`` and check it against ``resource``; return a typed frame or raise.

    Tables the resource points to with foreign keys are found in ``descriptor`` (the catalogue
    when none is given) and read from ``path``'s folder; each is validated first.
    """
    shown = _display(path)
    content = _read_limited(path, shown)
    digest = _record_read(path, content)
    if not resource["schema"]["fields"]:
        raise fail(shown, "the descriptor lists no fields for this table")

    # The values the foreign keys point to, from their tables (validated first), with their types.
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
        types = {f["name"]: f["type"] for f in target["schema"]["fields"]}
        keys = references.setdefault(target_name, {})
        for name in fk["reference"]["fields"]:
            keys[name] = (types[name], [None if pd.isna(v) else v for v in target_frame[name].tolist()])

    key = _cache_key(digest, resource, json.dumps(references, sort_keys=True))
    if key not in _VALIDATED:
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
