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


# --- messages: a reader must be able to find the problem from the message alone -------------------


def test_byte_order_mark_is_named_as_such(data_copy: Path):
    path = data_copy / "korea_defense_budget.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    with pytest.raises(DataValidationError) as info:
        loaders.load_korea_defense_budget(data_copy)
    message = str(info.value)
    assert (info.value.line, info.value.column) == (1, "year")
    assert "byte-order mark" in message
    # Not the old symptoms: a "missing" first column and an "unexpected" one.
    assert "missing" not in message and "unexpected" not in message


def test_broken_descriptor_names_its_json_line_and_character(data_copy: Path):
    path = data_copy / "datapackage.json"
    lines = path.read_text(encoding="utf-8").splitlines()
    broken = next(i for i, line in enumerate(lines) if i > 100 and line.rstrip().endswith('",'))
    lines[broken] = lines[broken].rstrip().removesuffix(",")  # a comma lost in a hand edit
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        loaders.load_countries(data_copy)
    problem = info.value.problems[0]
    # json reports the place where the comma is missed: the start of the next line's key.
    assert problem.file.endswith("datapackage.json")
    assert problem.line == broken + 2 and problem.char is not None
    assert f"datapackage.json, line {broken + 2}, character {problem.char}: not valid JSON" in str(info.value)
    assert "data row" not in str(info.value)


def test_cross_column_rule_after_a_quoted_line_break_names_the_editor_line(data_copy: Path):
    path = data_copy / "sma_contributions.csv"
    _edit(path, 3, "notes", "Change derived from USD values.\nSecond line of the note.")
    _edit(path, 38, "amount", "1551.1")  # 2027: an amount with status unverified
    _edit(path, 38, "amount_krw_billion", "1551.1")
    with pytest.raises(DataValidationError) as info:
        loaders.load_sma_contributions(data_copy)
    # Record 37 (the 2027 row) now starts on line 39: one line lower than its record number says.
    assert (info.value.line, info.value.column) == (39, "status")
    assert "line 39 (data row 37), column 'status'" in str(info.value)


def test_bad_cell_inside_a_record_spanning_lines_names_the_cells_own_line(data_copy: Path):
    path = data_copy / "sma_contributions.csv"
    _edit(path, 30, "notes", "first line\nsecond line")  # 2019; notes come before status and source_urls
    _edit(path, 30, "status", "guessed")
    with pytest.raises(DataValidationError) as info:
        loaders.load_sma_contributions(data_copy)
    # status sits before notes: still on the record's first line.
    assert (info.value.line, info.value.column) == (30, "status")
    _edit(path, 30, "status", "agreed")
    _edit(path, 30, "source_urls", "not a url")  # after the line break: on the record's second line
    with pytest.raises(DataValidationError) as info:
        loaders.load_sma_contributions(data_copy)
    assert (info.value.line, info.value.column) == (31, "source_urls")


def test_oversized_table_of_made_up_codes_is_refused_before_it_is_read(data_copy: Path):
    import itertools

    from paying_for_protection.data import validation

    # The case: a 188 MB table with over a million made-up country codes. The rows are
    # written for the first 1.16 million codes; the rest of the 188 MB is left sparse.
    path = data_copy / "wdi_gdp.csv"
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    block = "".join(f"{''.join(code)},2000,1.000000\n" for code in itertools.product(letters, repeat=3))
    with path.open("w", encoding="utf-8") as handle:
        handle.write("iso3,year,gdp_constant_2015_usd_bn\n")
        handle.write(block * 66)  # 66 x 26**3 = 1,160,016 rows of made-up codes
        handle.truncate(188 * 1000 * 1000)
    validation.FILES_READ.pop(str(path), None)
    with pytest.raises(DataValidationError) as info:
        loaders.load_wdi_gdp(data_copy)
    assert info.value.file.endswith("wdi_gdp.csv")
    assert "188.0 MB, over the limit" in str(info.value)
    assert not any(name.endswith("wdi_gdp.csv") and str(data_copy) in name for name in validation.FILES_READ)


def test_made_up_country_code_is_refused_by_the_foreign_key(data_copy: Path):
    path = data_copy / "wdi_gdp.csv"
    _edit(path, 12, "iso3", "XQZ")
    with pytest.raises(DataValidationError) as info:
        loaders.load_wdi_gdp(data_copy)
    assert (info.value.line, info.value.column) == (12, "iso3")
    assert "'XQZ' is not found in countries.csv (column iso3, a foreign key)" in str(info.value)


def test_a_broken_countries_table_is_named_when_another_table_needs_it(data_copy: Path):
    path = data_copy / "countries.csv"
    _edit(path, 5, "in_panel", "maybe")
    with pytest.raises(DataValidationError) as info:
        loaders.load_sipri_milex(data_copy)
    assert info.value.file.endswith("countries.csv") and (info.value.line, info.value.column) == (5, "in_panel")


# --- plausibility ---------------------------------------------------------------------------------


def _line_of(path: Path, prefix: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith(prefix))


def test_korea_at_95_percent_of_gdp_fails_in_sipri_extract(data_copy: Path):
    path = data_copy / "sipri_milex.csv"
    line = _line_of(path, "KOR,2024,share_of_gdp_pct,")
    _edit(path, line, "value", "95.000000")
    with pytest.raises(DataValidationError) as info:
        loaders.load_sipri_milex(data_copy)
    assert (info.value.line, info.value.column) == (line, "value")
    assert "above the maximum 25 for indicator 'share_of_gdp_pct'" in str(info.value)


def test_korea_at_95_percent_of_gdp_fails_in_ministry_budget(data_copy: Path):
    path = data_copy / "korea_defense_budget.csv"
    line = _line_of(path, "2024,")
    _edit(path, line, "share_of_gdp_pct", "95")
    with pytest.raises(DataValidationError) as info:
        loaders.load_korea_defense_budget(data_copy)
    assert (info.value.line, info.value.column) == (line, "share_of_gdp_pct")


def test_the_same_value_passes_in_a_unit_that_allows_it(data_copy: Path):
    # The ranges depend on the indicator: 95 (million dollars) is a plausible amount of spending.
    path = data_copy / "sipri_milex.csv"
    line = _line_of(path, "KOR,2024,constant_2023_usd_m,")
    _edit(path, line, "value", "95.000000")
    assert len(loaders.load_sipri_milex(data_copy)) > 0


@pytest.mark.parametrize("value", ["NaN", "inf", "-Infinity"])
def test_non_finite_numbers_are_refused(data_copy: Path, value: str):
    path = data_copy / "sipri_milex.csv"
    _edit(path, 4, "value", value)
    with pytest.raises(DataValidationError) as info:
        loaders.load_sipri_milex(data_copy)
    assert (info.value.line, info.value.column) == (4, "value")


def test_every_numeric_field_has_bounds_from_its_domain():
    import json

    from paying_for_protection import paths

    # Fields whose unit changes from row to row, so no single range applies.
    unbounded = {("published_figures", "value")}
    descriptor = json.loads(paths.DESCRIPTOR_PATH.read_text(encoding="utf-8"))
    missing = []
    for resource in descriptor["resources"]:
        for field in resource["schema"]["fields"]:
            if field["type"] not in ("integer", "number") or (resource["name"], field["name"]) in unbounded:
                continue
            constraints = field.get("constraints", {})
            ranged = field.get("rangeBy", {}).get("ranges", {})
            if "minimum" not in constraints or ("maximum" not in constraints and not ranged):
                missing.append(f"{resource['name']}.{field['name']}")
    assert not missing, f"numeric fields without domain bounds: {missing}"


def test_every_country_code_is_a_foreign_key_to_countries():
    import json

    from paying_for_protection import paths

    descriptor = json.loads(paths.DESCRIPTOR_PATH.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        names = {f["name"] for f in resource["schema"]["fields"]}
        if "iso3" not in names or resource["name"] == "countries":
            continue
        keys = resource["schema"].get("foreignKeys", [])
        assert {"fields": ["iso3"], "reference": {"resource": "countries", "fields": ["iso3"]}} in keys, resource[
            "name"
        ]


# --- the session cache ----------------------------------------------------------------------------


def test_a_table_changed_after_it_was_loaded_is_validated_again(data_copy: Path):
    # Validation is cached by content: loading the same bytes twice validates once, but new bytes
    # at the same path must be checked afresh.
    loaders.load_usfk_troops(data_copy)
    _edit(data_copy / "usfk_troops.csv", 3, "usfk_troops", "-5")
    with pytest.raises(DataValidationError) as info:
        loaders.load_usfk_troops(data_copy)
    assert (info.value.line, info.value.column) == (3, "usfk_troops")


def test_a_loaded_frame_can_be_changed_without_changing_the_next_load():
    first = loaders.load_usfk_troops()
    first.loc[0, "usfk_troops"] = -1
    assert loaders.load_usfk_troops().loc[0, "usfk_troops"] != -1


def test_descriptor_that_breaks_the_data_package_profile_is_reported(data_copy: Path):
    import json

    path = data_copy / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["resources"][0]["licenses"] = [{"title": "a licence without a name or path"}]
    path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    errors = loaders.validate_all(data_copy)
    assert len(errors) == 1 and errors[0].file.endswith("datapackage.json")
    assert "not a valid data package" in str(errors[0])


def test_a_described_table_without_a_loader_is_still_validated(data_copy: Path):
    import json

    # How another helper adds a hand-keyed table: a resource in the descriptor, a CSV beside it.
    path = data_copy / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    extra = json.loads(json.dumps(descriptor["resources"][3]))  # usfk_troops, as a template
    extra["name"], extra["path"] = "usfk_copy", "usfk_copy.csv"
    descriptor["resources"].append(extra)
    path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    (data_copy / "usfk_copy.csv").write_bytes(
        (data_copy / "usfk_troops.csv").read_bytes().replace(b",28500,", b",-1,", 1)
    )
    errors = loaders.validate_all(data_copy)
    assert [e.file.endswith("usfk_copy.csv") for e in errors] == [True], [str(e) for e in errors]


# --- the store of validated frames between sessions ---------------------------------------------------


def test_a_later_session_reuses_validated_tables_but_never_a_changed_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import shutil

    from paying_for_protection import paths
    from paying_for_protection.data import validated_store, validation

    data, store = tmp_path / "data", tmp_path / "store"
    shutil.copytree(paths.DATA_DIR, data)
    monkeypatch.setattr(paths, "DATA_DIR", data)  # the book's own data/, as far as the store knows
    monkeypatch.setattr(validation, "_STORE", validated_store.ValidatedStore())
    monkeypatch.setenv(validation.STORE_ENV_VAR, str(store))
    monkeypatch.setattr(validation, "_VALIDATED", {})
    first = loaders.load_sipri_milex(data)
    assert len(list(store.glob("*.pickle"))) == 2  # sipri_milex and countries (its foreign key)

    # A new session (a chapter's kernel after `make book` validated data/): no validation at all.
    def no_validation(*args, **kwargs):
        raise AssertionError("validated again although the store holds these bytes")

    monkeypatch.setattr(validation, "_VALIDATED", {})
    monkeypatch.setattr(validation, "_validate_content", no_validation)
    assert loaders.load_sipri_milex(data).equals(first)

    # The same path with other bytes is validated afresh, and refused.
    monkeypatch.undo()
    monkeypatch.setattr(paths, "DATA_DIR", data)
    monkeypatch.setattr(validation, "_STORE", validated_store.ValidatedStore())
    monkeypatch.setenv(validation.STORE_ENV_VAR, str(store))
    monkeypatch.setattr(validation, "_VALIDATED", {})
    _edit(data / "countries.csv", 3, "in_panel", "maybe")
    with pytest.raises(DataValidationError) as info:
        loaders.load_sipri_milex(data)
    assert info.value.file.endswith("countries.csv") and info.value.line == 3


def test_a_damaged_store_entry_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from paying_for_protection.data import validated_store, validation

    monkeypatch.setattr(validation, "_STORE", validated_store.ValidatedStore())
    monkeypatch.setenv(validation.STORE_ENV_VAR, str(tmp_path))
    monkeypatch.setattr(validation, "_VALIDATED", {})
    expected = loaders.load_usfk_troops()
    for entry in tmp_path.glob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    monkeypatch.setattr(validation, "_VALIDATED", {})
    assert loaders.load_usfk_troops().equals(expected)


def test_scratch_copies_are_never_kept(data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from paying_for_protection.data import validated_store, validation

    store = tmp_path / "store"
    monkeypatch.setattr(validation, "_STORE", validated_store.ValidatedStore())
    monkeypatch.setenv(validation.STORE_ENV_VAR, str(store))
    _edit(data_copy / "usfk_troops.csv", 3, "note", "a note only this copy has")
    loaders.load_usfk_troops(data_copy)
    assert not store.exists() or not list(store.iterdir())


def test_undecodable_byte_names_its_line_and_record(data_copy: Path):
    # A Latin-1 byte in the second record, after a first record that spans two lines.
    path = data_copy / "timeline.csv"
    _edit(path, 2, "event", "first line\nsecond line")
    lines = path.read_bytes().split(b"\n")
    lines[3] = lines[3].replace(b",", "Séoul,".encode("latin-1"), 1)  # the third line: record 2's first
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(DataValidationError) as info:
        loaders.load_timeline(data_copy)
    assert "timeline.csv, line 4 (data row 2), column 'date': not valid utf-8 text" in str(info.value)
