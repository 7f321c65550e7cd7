"""`make data` is deterministic: re-deriving from the upstream files reproduces data/ byte for byte."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pandas as pd
import pytest
from conftest import needs_sources

from paying_for_protection import paths
from paying_for_protection.data import schema as catalog
from paying_for_protection.derive import DerivationError, derive_all, korea


@pytest.fixture(scope="module")
def derived(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """One strict derivation from the upstream files (shared: a derivation takes several seconds)."""
    return derive_all(paths.default_sources_dir(), tmp_path_factory.mktemp("derived"), strict=True)


@needs_sources
@pytest.mark.sources
@pytest.mark.xdist_group("derivation")  # one test process derives once for both tests
def test_rederiving_reproduces_the_committed_tables_byte_for_byte(derived: list[Path]):
    assert {p.name for p in derived} >= {spec["path"] for spec in catalog.RESOURCES if not spec.get("handKeyed")}
    for path in derived:
        committed = paths.DATA_DIR / path.name
        assert filecmp.cmp(path, committed, shallow=False), (
            f"{path.name} differs from data/{path.name}: run `make data` and commit"
        )


@needs_sources
@pytest.mark.sources
@pytest.mark.xdist_group("derivation")
def test_derivation_is_deterministic_across_runs(derived: list[Path], tmp_path: Path):
    again = derive_all(paths.default_sources_dir(), tmp_path)
    for a, b in zip(derived, again, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


@needs_sources
@pytest.mark.sources
def test_a_changed_input_is_reported_and_refused_in_strict_mode(tmp_path: Path):
    import shutil

    sources = tmp_path / "sources"
    shutil.copytree(paths.default_sources_dir(), sources)
    path = sources / "korea" / "usfk_troops.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("43000", "43001"), encoding="utf-8")
    with pytest.raises(DerivationError, match="differs from the recorded release"):
        derive_all(sources, tmp_path / "out", strict=True)
    assert not (tmp_path / "out").exists()


def test_status_splitting_keeps_the_qualifier():
    assert korea._split_status("confirmed (month only)") == ("confirmed", "month only")
    assert korea._split_status("agreed; signed_date unverified") == ("agreed", "signed_date unverified")
    assert korea._split_status("partially verified") == ("partially verified", "")


def test_fiscal_periods_parse():
    assert korea._fiscal_years("FY2016-FY2020") == (2016, 2020)
    assert korea._fiscal_years("FY1987-") == (1987, None)
    assert korea._fiscal_years("FY1999") == (1999, 1999)


def test_every_agreement_has_a_machine_readable_rule():
    frame = pd.read_csv(paths.DATA_DIR / "sma_agreements.csv")
    assert sorted(frame["sma_number"]) == sorted(korea.SMA_RULES)


# --- all or nothing: a failed `make data` leaves data/ byte-identical -------------------------------


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@needs_sources
@pytest.mark.sources
def test_changed_korea_source_and_truncated_world_bank_file_leave_data_unchanged(tmp_path: Path):
    import shutil
    import subprocess
    import sys

    sources = tmp_path / "sources"
    shutil.copytree(paths.default_sources_dir(), sources)
    korea_file = sources / "korea" / "usfk_troops.csv"
    korea_file.write_text(korea_file.read_text(encoding="utf-8").replace("43000", "43001"), encoding="utf-8")
    wdi = sources / "wdi-gdp" / "API_NY.GDP.MKTP.KD_DS2_en_csv_v2_213435.csv"
    content = wdi.read_bytes()
    wdi.write_bytes(content[: len(content) // 2])  # a download cut off half-way, mid-row
    out = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, out)
    before = _snapshot(out)

    result = subprocess.run(
        [sys.executable, "-m", "paying_for_protection.derive", "--sources", str(sources), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert _snapshot(out) == before
    assert "Traceback" not in result.stderr, result.stderr
    cut_line = content[: len(content) // 2].count(b"\n") + 1
    assert f"API_NY.GDP.MKTP.KD_DS2_en_csv_v2_213435.csv, line {cut_line}" in result.stderr, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "sources"]  # no scratch folder left


@needs_sources
@pytest.mark.sources
def test_a_table_failing_half_way_through_leaves_the_folder_unchanged(tmp_path: Path, monkeypatch):
    import shutil

    from paying_for_protection import derive

    out = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, out)
    before = _snapshot(out)

    def broken(path: Path):
        raise KeyError("date")  # as pandas does when an upstream column was renamed

    monkeypatch.setattr(korea, "derive_timeline", broken)  # the fifth table: four are derived by then
    with pytest.raises(derive.DerivationError, match=r"timeline.csv: cannot derive timeline.csv: KeyError"):
        derive.derive_all(paths.default_sources_dir(), out)
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_swap_into_place_replaces_a_folder_as_a_whole(tmp_path: Path):
    from paying_for_protection.derive import swap_into_place

    target, new = tmp_path / "data", tmp_path / "new"
    target.mkdir()
    (target / "old.csv").write_text("old\n")
    new.mkdir()
    (new / "fresh.csv").write_text("fresh\n")
    swap_into_place(new, target)
    assert _snapshot(target) == {"fresh.csv": b"fresh\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


# --- upstream files: truncated or malformed ones are named with their line ----------------------------


def test_upstream_csv_cut_mid_row_names_file_and_line(tmp_path: Path):
    from paying_for_protection.derive.integrity import UpstreamFileError, check_csv

    path = tmp_path / "upstream.csv"
    path.write_text("iso3,year,value\nKOR,2023,1.5\nKOR,2024,1.6\nJPN,20", encoding="utf-8")
    with pytest.raises(UpstreamFileError, match=r"upstream.csv, line 4: 2 cells where the header \(line 1\) has 3"):
        check_csv(path)


def test_upstream_csv_cut_in_its_last_cell_is_noticed(tmp_path: Path):
    from paying_for_protection.derive.integrity import UpstreamFileError, check_csv

    path = tmp_path / "upstream.csv"
    path.write_text("iso3,year,value\nKOR,2023,1.5\nKOR,2024,1.", encoding="utf-8")
    with pytest.raises(UpstreamFileError, match=r"upstream.csv, line 3: the file stops in the middle of a line"):
        check_csv(path)


def test_upstream_csv_with_an_unclosed_quote_names_the_line(tmp_path: Path):
    from paying_for_protection.derive.integrity import UpstreamFileError, check_csv

    path = tmp_path / "upstream.csv"
    path.write_text('a,b\n1,"two\n3,4\n', encoding="utf-8")
    with pytest.raises(UpstreamFileError, match=r"upstream.csv, line \d+: not well-formed CSV"):
        check_csv(path)


def test_upstream_csv_header_below_metadata_lines_is_found(tmp_path: Path):
    from paying_for_protection.derive.integrity import check_csv

    # The World Bank's layout: a byte-order mark, metadata lines, the header on line 5.
    path = tmp_path / "wdi.csv"
    path.write_bytes(
        '\ufeff"Data Source","WDI",\n\n"Last Updated Date","2026-02-24",\n\n"Country Code","2024",\n"KOR","1.0",\n'.encode()
    )
    check_csv(path, header_line=5)
    path.write_bytes(path.read_bytes() + b'"JPN"\n')
    with pytest.raises(ValueError, match="line 7: 1 cells where the header"):
        check_csv(path, header_line=5)


def test_upstream_file_in_another_encoding_names_the_line(tmp_path: Path):
    from paying_for_protection.derive.integrity import UpstreamFileError, check_csv

    path = tmp_path / "upstream.csv"
    path.write_bytes("name,value\nKorea,1\nS\u00e9oul,2\n".encode("latin-1"))
    with pytest.raises(UpstreamFileError, match=r"upstream.csv, line 3: not valid UTF-8"):
        check_csv(path)


def test_truncated_workbook_is_named(tmp_path: Path):
    import zipfile

    from paying_for_protection.derive.integrity import UpstreamFileError, check_workbook

    path = tmp_path / "tables.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>" * 1000)
    check_workbook(path)
    content = path.read_bytes()
    path.write_bytes(content[: len(content) // 2])
    with pytest.raises(UpstreamFileError, match=r"tables\.xlsx: not a readable Excel workbook"):
        check_workbook(path)


def test_oversized_upstream_file_is_refused_unread(tmp_path: Path, monkeypatch):
    from paying_for_protection.derive import integrity

    path = tmp_path / "upstream.csv"
    with path.open("wb") as handle:
        handle.truncate(integrity.MAX_UPSTREAM_BYTES + 1)  # sparse: nothing is written or read
    with pytest.raises(integrity.UpstreamFileError, match="over the limit"):
        integrity.check_csv(path)
