"""Every committed table against every kind of damage: each must raise, naming file, row and column.

The corruptions are built from each table's own schema in data/datapackage.json, so a table added
to the catalog joins the matrix without a new test. Ten kinds apply to every table; the others
apply where a table has what they damage (a country code, a number, a free-text cell).
test_loader_errors.py holds the hand-written cases (messages, cross-column rules, the descriptor
itself).

The whole matrix (some 250 validations) runs in ``make test``. ``make check`` runs a covering part
of it, in which every table and every kind of damage still appear; the rest is marked ``slow``.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from paying_for_protection import paths
from paying_for_protection.data import loaders
from paying_for_protection.data.validation import MAX_FILE_BYTES, DataValidationError

TABLES = sorted(loaders.LOADERS)
KINDS = [
    "missing column",
    "renamed column",
    "wrong type",
    "duplicate key",
    "out-of-range value",
    "empty file",
    "truncated file",
    "wrong encoding",
    "byte-order mark",
    "oversized file",
]
TYPED = {"integer", "number", "date", "boolean", "year"}
ROW = 4  # the damaged data row, as a spreadsheet numbers lines (the header is line 1)
#: The damaged copies keep the table's first records only: every check works row by row, and a
#: short table keeps the matrix (some two hundred validations) fast.
RECORDS_KEPT = 40


def _resources() -> dict[str, dict]:
    descriptor = json.loads(paths.DESCRIPTOR_PATH.read_text(encoding="utf-8"))
    return {r["name"]: r for r in descriptor["resources"]}


def _constraints(field: dict) -> set[str]:
    return set(field.get("constraints", {}))


def _free_text(fields: list[dict]) -> dict | None:
    """A string field with no pattern or list of values: any text, a line break included."""
    return next((f for f in fields if f["type"] == "string" and not {"pattern", "enum"} & _constraints(f)), None)


#: Kinds that need something particular in the table, and the test that says it has it.
PARTIAL_KINDS = {
    "unknown country code": lambda r: bool(r["schema"].get("foreignKeys")),
    "not-finite number": lambda r: any(f["type"] == "number" for f in r["schema"]["fields"]),
    "bad cell after a record spanning two lines": lambda r: _free_text(r["schema"]["fields"]) is not None,
}
CASES = [(table, kind) for table in TABLES for kind in KINDS] + [
    (table, kind) for kind, applies in PARTIAL_KINDS.items() for table in TABLES if applies(_resources()[table])
]


def _covering(cases: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Few cases in which every table and every kind appear: each table with another kind first."""
    kinds = list(dict.fromkeys(k for _, k in cases))
    chosen: list[tuple[str, str]] = []
    seen_tables: set[str] = set()
    seen_kinds: set[str] = set()
    for i, table in enumerate(TABLES):
        for kind in kinds[i % len(kinds) :] + kinds[: i % len(kinds)]:
            if (table, kind) in cases and (table not in seen_tables or kind not in seen_kinds):
                chosen.append((table, kind))
                seen_tables.add(table)
                seen_kinds.add(kind)
    return chosen


COVERING = set(_covering(CASES))


def _read(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def _write(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _field(fields: list[dict], tests: list, what: str) -> dict:
    """The first field passing the first test that any field passes."""
    for test in tests:
        found = [f for f in fields if test(f)]
        if found:
            return found[0]
    raise AssertionError(f"no {what} field to damage: the matrix cannot cover this table")


def corrupt(path: Path, schema: dict, kind: str) -> tuple[int | None, str | None]:
    """Damage ``path`` in place; return the line and column the error must name."""
    fields = schema["fields"]
    rows = _read(path)
    header = rows[0]
    if kind in ("missing column", "renamed column"):
        target = fields[-1]["name"]
        index = header.index(target)
        if kind == "missing column":
            rows = [row[:index] + row[index + 1 :] for row in rows]
        else:
            rows[0][index] = f"{target}_renamed"
        _write(path, rows)
        return 1, target
    if kind == "wrong type":
        # A typed column, or in an all-text table a column whose format is fixed by a pattern.
        target = _field(fields, [lambda f: f["type"] in TYPED, lambda f: "pattern" in _constraints(f)], "typed")["name"]
        rows[ROW - 1][header.index(target)] = "not-a-value"
        _write(path, rows)
        return ROW, target
    if kind == "duplicate key":
        key = schema["primaryKey"]
        for name in key:
            rows[ROW - 1][header.index(name)] = rows[ROW - 2][header.index(name)]
        _write(path, rows)
        return ROW, key[0] if len(key) == 1 else "+".join(key)
    if kind == "out-of-range value":
        # A number beyond its bounds, or in a table without bounds a category outside its list.
        spec = _field(
            fields,
            [
                lambda f: f["type"] in {"integer", "number"} and {"minimum", "maximum"} & _constraints(f),
                lambda f: "enum" in _constraints(f),
            ],
            "range-constrained",
        )
        limits = spec["constraints"]
        if "enum" in limits and not {"minimum", "maximum"} & set(limits):
            value = "not-in-the-list"
        else:
            value = limits["maximum"] + 1 if "maximum" in limits else limits["minimum"] - 1
        rows[ROW - 1][header.index(spec["name"])] = str(int(value) if spec["type"] == "integer" else value)
        _write(path, rows)
        return ROW, spec["name"]
    if kind == "empty file":
        path.write_bytes(b"")
        return 1, fields[0]["name"]
    if kind == "truncated file":
        # The copy stops in the middle of a row, just after that row's first cell.
        lines = path.read_text(encoding="utf-8").splitlines()
        cut = len(lines) // 2
        first_cell = next(csv.reader([lines[cut]]))[0]
        assert lines[cut].startswith(first_cell + ","), "the first cell is quoted: pick another cut"
        path.write_text("\n".join([*lines[:cut], first_cell]), encoding="utf-8")
        return cut + 1, header[1]
    if kind == "wrong encoding":
        # One cell saved as Latin-1 inside an otherwise UTF-8 file, as a spreadsheet export does.
        target = _field(fields, [lambda f: f["type"] == "string"], "text")["name"]
        rows[ROW - 1][header.index(target)] = "S@@oul"
        _write(path, rows)
        path.write_bytes(path.read_bytes().replace(b"S@@oul", "Séoul".encode("latin-1")))
        return ROW, target
    if kind == "byte-order mark":
        # What a spreadsheet's "CSV UTF-8" export writes first.
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
        return 1, fields[0]["name"]
    if kind == "oversized file":
        # Made larger than the limit without writing the bytes (a sparse file): it must be
        # refused by its size alone, before a byte of it is parsed.
        with path.open("r+b") as handle:
            handle.truncate(MAX_FILE_BYTES + 1)
        return None, None
    if kind == "unknown country code":
        rows[ROW - 1][header.index("iso3")] = "QQQ"  # well-formed, but no country of countries.csv
        _write(path, rows)
        return ROW, "iso3"
    if kind == "not-finite number":
        target = _field(fields, [lambda f: f["type"] == "number"], "number")["name"]
        rows[ROW - 1][header.index(target)] = "NaN"
        _write(path, rows)
        return ROW, target
    if kind == "bad cell after a record spanning two lines":
        # A line break inside a quoted cell of the first record shifts every later record down a
        # line: the error must name the line an editor shows, not the record's number.
        text = _free_text(fields)["name"]
        rows[1][header.index(text)] = "first line\nsecond line"
        target = _field(
            fields,
            [lambda f: f["type"] in TYPED, lambda f: "pattern" in _constraints(f), lambda f: "enum" in _constraints(f)],
            "typed",
        )["name"]
        rows[ROW - 1][header.index(target)] = "not-a-value"
        _write(path, rows)
        return ROW + 1, target
    raise AssertionError(kind)


@pytest.mark.parametrize(
    ("table", "kind"),
    [pytest.param(t, k, id=f"{t}-{k}", marks=() if (t, k) in COVERING else pytest.mark.slow) for t, k in CASES],
)
def test_every_table_rejects_every_kind_of_damage_naming_file_row_and_column(data_copy: Path, table: str, kind: str):
    resource = _resources()[table]
    path = data_copy / resource["path"]
    _write(path, _read(path)[: RECORDS_KEPT + 1])
    line, column = corrupt(path, resource["schema"], kind)

    with pytest.raises(DataValidationError) as info:
        loaders.LOADERS[table](data_copy)
    error = info.value
    assert error.file.endswith(resource["path"]), str(error)
    assert (error.line, error.column) == (line, column), str(error)
    if line is None:
        assert "over the limit" in str(error), str(error)
    else:
        assert f"{resource['path']}, line {line}" in str(error) and f"column '{column}'" in str(error)
    if kind == "byte-order mark":
        assert "byte-order mark" in str(error)


@pytest.mark.parametrize("table", TABLES)
def test_every_undamaged_table_loads_from_a_copy(data_copy: Path, table: str):
    # The matrix's control: undamaged, the same table must load (a loader that rejected
    # everything would pass every test above).
    assert len(loaders.LOADERS[table](data_copy)) > ROW


def test_the_matrix_covers_every_partial_kind_somewhere():
    # A partial kind that applies to no table would silently test nothing.
    for kind in PARTIAL_KINDS:
        assert any(k == kind for _, k in CASES), kind


def test_the_part_make_check_runs_still_has_every_table_and_every_kind():
    assert {t for t, _ in COVERING} == set(TABLES)
    assert {k for _, k in COVERING} == {k for _, k in CASES} == set(KINDS) | set(PARTIAL_KINDS)
    assert COVERING < set(CASES) and len(COVERING) < len(CASES) / 3
