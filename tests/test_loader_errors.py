"""Bad input must fail loudly, naming the file, the row and the column: one test per failure mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from paying_for_protection.data import loaders
from paying_for_protection.data.validation import DataValidationError


def _edit(path: Path, line: int, column: str, value: str) -> None:
    """Set one cell (line 1 = header) of a simple CSV whose target cells hold no commas."""
    import csv

    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    rows[line - 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def test_missing_column_names_file_header_row_and_column(data_copy: Path):
    path = data_copy / "korea_defense_budget.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace("budget_krw_trillion", "budget")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        loaders.load_korea_defense_budget(data_copy)
    error = info.value
    assert error.file.endswith("korea_defense_budget.csv")
    assert error.line == 1
    assert {p.column for p in error.problems} >= {"budget_krw_trillion", "budget"}
    assert "korea_defense_budget.csv, line 1 (header), column 'budget_krw_trillion'" in str(error)


def test_wrong_type_names_file_row_and_column(data_copy: Path):
    path = data_copy / "sma_contributions.csv"
    _edit(path, 30, "amount", "1,038.9 bn")  # line 30 is 2019
    with pytest.raises(DataValidationError) as info:
        loaders.load_sma_contributions(data_copy)
    error = info.value
    assert error.file.endswith("sma_contributions.csv")
    assert (error.line, error.column) == (30, "amount")
    assert "line 30 (data row 29), column 'amount': '1,038.9 bn' is not a number" in str(error)


def test_duplicate_key_names_both_rows(data_copy: Path):
    path = data_copy / "usfk_troops.csv"
    _edit(path, 4, "year", "1990")  # the 1991 row now repeats 1990 (line 3)
    with pytest.raises(DataValidationError) as info:
        loaders.load_usfk_troops(data_copy)
    error = info.value
    assert error.line == 4 and error.column == "year"
    assert "duplicate primary key (year=1990); first seen on line 3" in str(error)


def test_out_of_range_value_names_row_and_column(data_copy: Path):
    path = data_copy / "korea_defense_budget.csv"
    _edit(path, 5, "share_of_gdp_pct", "29.2")  # a share of GDP above the 10 % maximum
    with pytest.raises(DataValidationError) as info:
        loaders.load_korea_defense_budget(data_copy)
    error = info.value
    assert (error.line, error.column) == (5, "share_of_gdp_pct")
    assert "above the maximum 10" in str(error)


def test_value_outside_an_enumeration_is_rejected(data_copy: Path):
    path = data_copy / "sma_contributions.csv"
    _edit(path, 2, "status", "guessed")
    with pytest.raises(DataValidationError) as info:
        loaders.load_sma_contributions(data_copy)
    assert (info.value.line, info.value.column) == (2, "status")


def test_empty_required_cell_is_rejected(data_copy: Path):
    path = data_copy / "wdi_gdp.csv"
    _edit(path, 7, "gdp_constant_2015_usd_bn", "")
    with pytest.raises(DataValidationError) as info:
        loaders.load_wdi_gdp(data_copy)
    assert (info.value.line, info.value.column) == (7, "gdp_constant_2015_usd_bn")
    assert "required" in str(info.value)


def test_unreadable_file_names_the_file(data_copy: Path):
    path = data_copy / "timeline.csv"
    path.write_bytes(b"date,event\n\xff\xfe broken \x00 bytes\n")
    with pytest.raises(DataValidationError) as info:
        loaders.load_timeline(data_copy)
    assert info.value.file.endswith("timeline.csv")
    assert "not valid utf-8" in str(info.value)


def test_missing_file_names_the_file(data_copy: Path):
    (data_copy / "japan_hns.csv").unlink()
    with pytest.raises(DataValidationError) as info:
        loaders.load_japan_hns(data_copy)
    assert info.value.file.endswith("japan_hns.csv")
    assert "does not exist" in str(info.value)


def test_ragged_row_names_the_line(data_copy: Path):
    path = data_copy / "us_troops_abroad.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[9] = lines[9] + ",extra"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        loaders.load_us_troops_abroad(data_copy)
    assert info.value.line == 10
    assert "cells, the header has" in str(info.value)


def test_cross_column_rule_names_row_and_column(data_copy: Path):
    path = data_copy / "sma_contributions.csv"
    _edit(path, 38, "amount", "1551.1")  # 2027 is not determined: an amount with status unverified
    _edit(path, 38, "amount_krw_billion", "1551.1")
    with pytest.raises(DataValidationError) as info:
        loaders.load_sma_contributions(data_copy)
    assert (info.value.line, info.value.column) == (38, "status")


def test_malformed_descriptor_names_the_descriptor(data_copy: Path):
    (data_copy / "datapackage.json").write_text("{ not json", encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        loaders.load_countries(data_copy)
    assert info.value.file.endswith("datapackage.json")


def test_a_valid_copy_loads_to_the_same_frame(data_copy: Path):
    # The guard against a loader that rejects everything: an untouched copy must load.
    assert loaders.load_sma_contributions(data_copy).equals(loaders.load_sma_contributions())
