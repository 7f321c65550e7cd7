"""The whole cost of hosting US forces: the ledger against its sources, each account's totals
recomputed from its items, the SMA lines against the SMA table, and the reconciliations."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
import pytest

from paying_for_protection import paths
from paying_for_protection.analysis import history, hosting_costs
from paying_for_protection.analysis.conversions import krw_per_usd
from paying_for_protection.data import loaders
from paying_for_protection.formatting import citation

NEW_TABLES = ["hosting_costs", "cost_share_claims", "sma_provisions", "sma_negotiations", "alliance_pressure"]


def _rows() -> pd.DataFrame:
    return loaders.load_hosting_costs().set_index("entry_id")


def test_headline_figures_match_their_sources():
    rows = _rows()
    # GAO-21-270, highlights: $13.4bn of DoD obligations and $5.8bn of Korean support, 2016-2019.
    assert rows.loc["gao2016_2019_dod", "amount"] == 13400 and rows.loc["gao2016_2019_korea_direct", "amount"] == 5800
    assert (rows.loc["gao2016_2019_dod", "period_start"], rows.loc["gao2016_2019_dod", "period_end"]) == (2016, 2019)
    # 2018 Defense White Paper, Appendix 17 (2015): direct 24,279 and land rent 7,105 (hundred million won).
    assert rows.loc["mnd2015_direct", "amount"] == pytest.approx(2427.9)
    assert rows.loc["mnd2015_land", "amount"] == pytest.approx(710.5)
    # KIDA's totals as Yonhap and Dong-A reported them: 3,386.9 recurring, 5,456.4 in all.
    assert rows.loc["mnd2015_continuing", "amount"] == pytest.approx(3386.9)
    assert rows.loc["mnd2015_total", "amount"] == pytest.approx(5456.4)
    # The November 2025 fact sheet's comprehensive support.
    assert rows.loc["factsheet_33bn", "amount"] == 33000


def test_the_2015_account_adds_up_from_its_items():
    checks = hosting_costs.account_checks().set_index(["release_id", "check"])
    direct = checks.loc[("mnd_2015", "direct items against the direct total")]
    assert direct["recomputed"] == pytest.approx(direct["published"], abs=0.15)
    total = checks.loc[("mnd_2015", "recurring plus one-time against the total")]
    assert total["recomputed"] == pytest.approx(total["published"], abs=0.15)
    recurring = checks.loc[("mnd_2015", "direct plus indirect against the recurring total")]
    assert recurring["recomputed"] == pytest.approx(recurring["published"], abs=0.15)


def test_recomputation_reports_items_that_do_not_cover_their_total():
    # The 1999 report itemises only part of its indirect support; the check must say so, not pass.
    checks = hosting_costs.account_checks().set_index(["release_id", "check"])
    gap = checks.loc[("mnd_1999", "indirect items against the indirect total"), "difference"]
    rows = _rows()
    items = rows.loc[["mnd1999_land", "mnd1999_tax", "mnd1999_fees"], "amount"].sum()
    assert gap == pytest.approx(items - rows.loc["mnd1999_indirect", "amount"])
    assert gap < -100


@pytest.mark.parametrize(("release_id", "year"), [("mnd_2015", 2015), ("sma_2018", 2018), ("sma_2019", 2019)])
def test_sma_lines_of_an_account_add_up_to_the_agreed_payment(release_id, year):
    # Two tables transcribed from different sources must agree on the SMA payment of the year.
    rows = hosting_costs.account(release_id)
    sma_lines = rows[rows["category"].isin(["sma_labor", "sma_construction", "sma_logistics"])]["amount"].sum()
    agreed = loaders.load_sma_contributions().set_index("year").loc[year, "amount_krw_billion"]
    assert sma_lines == pytest.approx(agreed, abs=0.15)


def test_recurring_support_sets_each_account_beside_the_agreed_sma_of_its_year():
    recurring = hosting_costs.recurring_support().set_index("release_id")
    contrib = history.contributions().set_index("year")
    rate = krw_per_usd()
    row = recurring.loc["mnd_2010"]
    assert row["total_krw_billion"] == pytest.approx(856.1 + 818.8)
    assert row["sma_krw_billion"] == pytest.approx(contrib.loc[2010, "krw_billion"])  # 790.4 agreed, not 770.4 spent
    assert row["multiple_of_sma"] == pytest.approx((856.1 + 818.8) / 790.4)
    dod = recurring.loc["dod_2004"]  # published in dollars, converted at the 2002 rate
    assert dod["total_krw_billion"] == pytest.approx(843.11 * rate.loc[2002] / 1000)


def test_gao_comparison_recomputes_from_the_sma_table():
    gao = hosting_costs.gao_comparison()
    contrib = history.contributions().set_index("year")
    sma = contrib.loc[2016:2019, "usd_million"].sum()
    assert gao["sma_usd_million"] == pytest.approx(sma)
    assert gao["direct_over_obligations_pct"] == pytest.approx(100 * 5800 / 13400)
    assert gao["direct_share_of_combined_pct"] == pytest.approx(100 * 5800 / (5800 + 13400))


def test_fact_sheet_per_year_uses_seouls_ten_years_and_the_2026_payment():
    sheet = hosting_costs.factsheet_per_year()
    contrib = history.contributions().set_index("year")
    assert sheet["per_year_usd_million"] == pytest.approx(3300)
    assert sheet["sma_share_pct"] == pytest.approx(100 * contrib.loc[2026, "usd_million"] / 3300)


def test_imputed_land_rent_states_its_rate_where_the_land_value_is_published():
    land = hosting_costs.land_rent().set_index("entry_id")
    assert land.loc["mnd2011_land_rent", "implied_rate_pct"] == pytest.approx(100 * 569.3 / 12113.2)
    assert (land["basis"] == "imputed").all()
    assert land["notes"].notna().sum() >= 3  # the method is stated where the source gives it


def test_share_claims_keep_what_each_was_measured_against():
    claims = hosting_costs.share_claims().set_index("claim_id")
    assert claims.loc["pompeo_esper_2020", "is_upper_bound"] and claims.loc["pompeo_esper_2020", "share_pct"] == 33.3
    assert claims.loc["press_2013", "share_pct"] == pytest.approx(42.5)  # midpoint of 40-45
    assert claims.loc["trump_2019", "basis"] == "implied"
    assert claims["denominator"].str.len().min() > 10


def test_every_source_of_the_new_tables_is_in_the_bibliography_and_cited_in_a_chapter():
    bib = (paths.ROOT / "references.bib").read_text(encoding="utf-8")
    keys = set(re.findall(r"^@\w+\{([^,\s]+),", bib, flags=re.M))
    cited = set()
    for chapter in (paths.ROOT / "chapters").glob("*.md"):
        cited |= set(citation.cited_keys(chapter.read_text(encoding="utf-8")))
    for table in NEW_TABLES:
        used = set(loaders.LOADERS[table]()["source_key"])
        assert used <= keys, f"{table}: not in references.bib: {sorted(used - keys)}"
        assert used <= cited, f"{table}: sources never cited in a chapter: {sorted(used - cited)}"


def test_a_changed_figure_stops_the_chapter_by_naming_its_claim(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # The chapter says support around the bases exceeded the SMA in 2015; make that false in a copy.
    import jupytext
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    root = tmp_path / "book"
    root.mkdir()
    import shutil

    shutil.copytree(paths.DATA_DIR, root / "data")
    shutil.copy(paths.ROOT / "_config.yml", root / "_config.yml")  # the launch links read it
    path = root / "data" / "hosting_costs.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[frame["entry_id"] == "mnd2015_vicinity", "amount"] = "100.000"
    frame.to_csv(path, index=False, lineterminator="\n")
    monkeypatch.setenv("PFP_ROOT", str(root))
    nb = jupytext.read(paths.ROOT / "chapters" / "05_hosting_costs.md")
    client = NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    with pytest.raises(CellExecutionError, match="support around the bases exceeded the SMA in 2015"):
        client.execute(env=dict(os.environ))
