"""`make data` is deterministic: re-deriving from the upstream files reproduces data/ byte for byte."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pandas as pd
import pytest
from conftest import needs_sources

from paying_for_protection import paths
from paying_for_protection.data import schema as catalog
from paying_for_protection.derive import derive_all, korea


@needs_sources
def test_rederiving_reproduces_the_committed_tables_byte_for_byte(tmp_path: Path):
    written = derive_all(paths.default_sources_dir(), tmp_path, strict=True)
    assert {p.name for p in written} >= {spec["path"] for spec in catalog.RESOURCES if not spec.get("handKeyed")}
    for path in written:
        committed = paths.DATA_DIR / path.name
        assert filecmp.cmp(path, committed, shallow=False), (
            f"{path.name} differs from data/{path.name}: run `make data` and commit"
        )


@needs_sources
def test_derivation_is_deterministic_across_runs(tmp_path: Path):
    first = derive_all(paths.default_sources_dir(), tmp_path / "a")
    second = derive_all(paths.default_sources_dir(), tmp_path / "b")
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


@needs_sources
def test_a_changed_input_is_reported_and_refused_in_strict_mode(tmp_path: Path):
    import shutil

    sources = tmp_path / "sources"
    shutil.copytree(paths.default_sources_dir(), sources)
    path = sources / "korea" / "usfk_troops.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("43000", "43001"), encoding="utf-8")
    with pytest.raises(ValueError, match="differs from the recorded release"):
        derive_all(sources, tmp_path / "out", strict=True)


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
