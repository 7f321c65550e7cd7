"""Every committed table against every kind of damage: each must raise, naming file, row and column.

The corruptions are built from each table's own schema in data/datapackage.json, so a table added
to the catalog joins the matrix without a new test. test_loader_errors.py holds the hand-written
cases (messages, cross-column rules, the descriptor itself).
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from paying_for_protection import paths
from paying_for_protection.data import loaders
from paying_for_protection.data.validation import DataValidationError, read_descriptor, resource_from_descriptor

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
]
TYPED = {"integer", "number", "date", "boolean", "year"}
ROW = 4  # the damaged data row, as a spreadsheet numbers lines (the header is line 1)


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


def _constraints(field: dict) -> set[str]:
    return set(field.get("constraints", {}))


def corrupt(path: Path, schema: dict, kind: str) -> tuple[int, str]:
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
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("table", TABLES)
def test_every_table_rejects_every_kind_of_damage_naming_file_row_and_column(tmp_path: Path, table: str, kind: str):
    descriptor = read_descriptor(paths.DESCRIPTOR_PATH)
    resource = resource_from_descriptor(table, descriptor)
    shutil.copy(paths.DESCRIPTOR_PATH, tmp_path / "datapackage.json")
    path = tmp_path / resource["path"]
    shutil.copy(paths.DATA_DIR / resource["path"], path)
    line, column = corrupt(path, resource["schema"], kind)

    with pytest.raises(DataValidationError) as info:
        loaders.LOADERS[table](tmp_path)
    error = info.value
    assert error.file.endswith(resource["path"]), str(error)
    assert (error.line, error.column) == (line, column), str(error)
    assert f"{resource['path']}, line {line}" in str(error) and f"column '{column}'" in str(error)


@pytest.mark.parametrize("table", TABLES)
def test_every_undamaged_table_loads_from_a_copy(data_copy: Path, table: str):
    # The matrix's control: undamaged, the same table must load (a loader that rejected
    # everything would pass every test above).
    assert len(loaders.LOADERS[table](data_copy)) > ROW
