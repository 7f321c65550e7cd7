"""The committed tables: schema, keys, known values against their sources, coverage."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from paying_for_protection import paths
from paying_for_protection.data import loaders
from paying_for_protection.data import schema as catalog
from paying_for_protection.data.loaders import validate_all


def test_every_table_validates_against_the_descriptor():
    assert validate_all() == []


def test_descriptor_describes_exactly_the_csv_files_in_data():
    descriptor = json.loads(paths.DESCRIPTOR_PATH.read_text(encoding="utf-8"))
    described = {r["path"] for r in descriptor["resources"]}
    on_disk = {p.name for p in paths.DATA_DIR.glob("*.csv")}
    assert described == on_disk


def test_every_table_has_a_loader_and_every_resource_a_source_and_licence():
    descriptor = json.loads(paths.DESCRIPTOR_PATH.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        assert resource["name"] in loaders.LOADERS, resource["name"]
        assert resource["sources"] and all(s.get("path") for s in resource["sources"]), resource["name"]
        assert resource["licenses"] and all(lic.get("name") for lic in resource["licenses"]), resource["name"]
        assert resource["schema"]["primaryKey"], resource["name"]
        for field in resource["schema"]["fields"]:
            assert field.get("description"), f"{resource['name']}.{field['name']} has no description"
        # A derived table names each input file with its SHA-256 and release.
        if not resource.get("handKeyed"):
            assert resource["derivedFrom"], resource["name"]
            for record in resource["derivedFrom"]:
                assert len(record["sha256"]) == 64 and record["release"], record


def test_descriptor_is_a_valid_frictionless_data_package():
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(paths.DESCRIPTOR_PATH))
    errors = [e.message for task in report.tasks for e in task.errors] + [e.message for e in report.errors]
    assert report.valid, errors[:10]


# --- known values against their sources ----------------------------------------------------------


def test_sma_contributions_match_ministry_releases():
    sma = loaders.load_sma_contributions().set_index("year")
    # 2026: 12th SMA, MOFA release of 2024-10-04; 2019: 10th SMA, MOFA 2019-02-10; 2021: 11th SMA.
    assert sma.loc[2026, "amount_krw_billion"] == pytest.approx(1519.2)
    assert sma.loc[2019, "amount_krw_billion"] == pytest.approx(1038.9)
    assert sma.loc[2021, "amount_krw_billion"] == pytest.approx(1183.3)
    assert sma.loc[1991, "amount_usd_million"] == pytest.approx(150)
    assert sma.loc[2026, "change_pct"] == pytest.approx(8.3)
    assert sma.loc[2021, "change_pct"] == pytest.approx(13.9)


def test_korea_defense_budget_matches_the_ministry():
    budget = loaders.load_korea_defense_budget().set_index("year")
    assert budget.loc[2025, "budget_krw_trillion"] == pytest.approx(61.2469)  # Kookbang Ilbo, 2024-12-11
    assert budget.loc[2026, "budget_krw_trillion"] == pytest.approx(65.8642)  # MND via Herald Business, 2025-12-03
    assert budget.loc[2024, "budget_krw_trillion"] == pytest.approx(59.4244)  # MND budget table


def test_sipri_korea_2024_burden_rounds_to_2_6_percent():
    share = loaders.sipri_series("share_of_gdp_pct")
    assert round(share.loc[2024, "KOR"], 1) == 2.6
    assert share.loc[2024, "KOR"] == pytest.approx(2.5620525938674844, abs=1e-6)  # workbook cell, x100
    assert share.loc[2024, "USA"] == pytest.approx(3.419, abs=5e-4)  # PROVENANCE.md spot check


def test_sipri_constant_dollar_values_match_provenance_spot_checks():
    dollars = loaders.sipri_series("constant_2023_usd_m")
    assert dollars.loc[2024, "KOR"] == pytest.approx(48473.5, abs=0.1)
    assert dollars.loc[2024, "JPN"] == pytest.approx(58399.3, abs=0.1)
    assert dollars.loc[2024, "POL"] == pytest.approx(34488.3, abs=0.1)


def test_sipri_world_total_matches_the_regional_totals_sheet():
    world = loaders.load_sipri_world().pivot(index="year", columns="statistic", values="value")
    assert world.loc[2024, "world_total_constant_2023_usd_bn"] == pytest.approx(2676.5, abs=0.1)


def test_us_troops_korea_match_dmdc_spot_checks():
    troops = loaders.load_us_troops_abroad().set_index(["iso3", "year"])
    assert troops.loc[("KOR", 2025), "troops_active_duty"] == 23766
    assert troops.loc[("KOR", 1990), "troops_active_duty"] == 41344
    assert troops.loc[("DEU", 1990), "troops_active_duty"] == 227586


def test_unreported_quarters_are_missing_not_zero():
    troops = loaders.load_us_troops_abroad().set_index(["iso3", "year"])
    # DMDC sent no Army data for Dec 2022 and Mar/Jun 2023 (IPPS-A conversion): the upstream file
    # shows 0 for those quarters. 2023 must rest on the two reported quarters only.
    assert troops.loc[("KOR", 2023), "quarters_reported"] == 2
    assert troops.loc[("KOR", 2023), "troops_active_duty"] == 24159
    assert troops.loc[("KOR", 2022), "quarters_reported"] == 3


def test_nato_editions_are_kept_apart_and_match_spot_checks():
    nato = loaders.load_nato_defence_share().set_index(["edition", "iso3", "year"])["share_of_real_gdp_pct"]
    assert nato.loc[("2024-06", "POL", 2024)] == pytest.approx(4.12, abs=0.005)
    assert nato.loc[("2025-08", "POL", 2024)] == pytest.approx(3.79, abs=0.005)
    assert nato.loc[("2024-06", "DEU", 2024)] == pytest.approx(2.12, abs=0.005)
    assert nato.loc[("2025-08", "USA", 2024)] == pytest.approx(3.21, abs=0.005)


def test_wdi_gdp_matches_spot_checks():
    # wdi-gdp/PROVENANCE.md: Korea 1.917 tn, United States 22.57 tn, Japan 4.606 tn (2024).
    gdp = loaders.load_wdi_gdp().set_index(["iso3", "year"])["gdp_constant_2015_usd_bn"]
    assert gdp.loc[("KOR", 2024)] == pytest.approx(1917, rel=1e-3)
    assert gdp.loc[("USA", 2024)] == pytest.approx(22570, rel=1e-3)
    assert gdp.loc[("JPN", 2024)] == pytest.approx(4606, rel=1e-3)


# --- coverage --------------------------------------------------------------------------------------


def test_years_are_continuous_where_the_series_is_annual():
    sma = loaders.load_sma_contributions()
    assert sma["year"].tolist() == list(range(1991, 2031))
    budget = loaders.load_korea_defense_budget()
    assert budget["year"].tolist() == list(range(1990, 2027))
    share = loaders.sipri_series("share_of_gdp_pct")
    for iso3 in ["KOR", "USA", "JPN", "DEU", "GBR", "FRA", "POL"]:
        years = share[iso3].dropna().index
        assert list(years) == list(range(years.min(), 2025)), iso3
        assert years.min() <= 1990, iso3


def test_every_year_1991_to_2026_has_a_contribution_and_later_years_are_marked_unverified():
    sma = loaders.load_sma_contributions().set_index("year")
    assert sma.loc[1991:2026, "amount"].notna().all()
    assert (sma.loc[2027:2030, "status"] == "unverified").all()
    assert sma.loc[2027:2030, "amount"].isna().all()


def test_every_ally_in_the_panel_has_sipri_data_from_its_accession():
    countries = loaders.load_countries()
    share = loaders.sipri_series("share_of_gdp_pct")
    for row in countries[countries["in_panel"]].itertuples():
        first = max(1990, row.ally_since)
        assert row.iso3 in share.columns, row.iso3
        assert share.loc[first:2024, row.iso3].notna().all(), row.iso3


def test_sipri_extract_stays_within_the_published_value_limit():
    counts = loaders.count_sipri_derived_values()
    assert set(counts) == {"sipri_milex", "sipri_world", "panel_exposure"}
    assert sum(counts.values()) <= catalog.SIPRI_VALUE_LIMIT, counts


def test_every_table_drawn_from_sipri_marks_its_sipri_fields():
    # The limit test counts only marked fields: a SIPRI table without marks would escape it.
    descriptor = json.loads(paths.DESCRIPTOR_PATH.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        from_sipri = any("sipri" in s["path"] for s in resource["sources"])
        marked = any(f.get("sipriDerived") for f in resource["schema"]["fields"])
        assert from_sipri == marked, resource["name"]


def test_no_upstream_file_is_committed():
    from paying_for_protection.derive.inputs import UPSTREAM_FILES

    recorded = {f.sha256 for f in UPSTREAM_FILES.values()}
    import hashlib
    import subprocess

    tracked = subprocess.run(["git", "-C", str(paths.ROOT), "ls-files"], capture_output=True, text=True).stdout.split()
    for name in tracked:
        path = paths.ROOT / name
        if path.is_file():
            assert hashlib.sha256(path.read_bytes()).hexdigest() not in recorded, f"{name} is an upstream file"
        assert not name.endswith(".xlsx"), name


def test_sipri_flags_come_from_the_workbook_colours():
    sipri = loaders.load_sipri_milex()
    flagged = sipri[sipri["sipri_flag"].notna()]
    # SIPRI marks some values as estimates; the extract must carry those marks, not drop them.
    assert len(flagged) > 0
    assert set(flagged["sipri_flag"]) <= {"estimate", "uncertain"}
    assert pd.api.types.is_string_dtype(sipri["sipri_flag"])
