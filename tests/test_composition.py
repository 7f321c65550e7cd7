"""What the budget buys and its real volume: published parts against the ministry's totals, and the
deflators and decomposition recomputed from data/ independently."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from paying_for_protection import paths
from paying_for_protection.analysis import composition, gdp_base


def _figures() -> pd.DataFrame:
    return pd.read_csv(paths.DATA_DIR / "korea_budget_figures.csv")


def _totals() -> pd.Series:
    return pd.read_csv(paths.DATA_DIR / "korea_defense_budget.csv").set_index("year")["budget_krw_trillion"]


def test_published_parts_add_up_to_the_ministrys_budget_where_both_parts_are_published():
    figures, totals = _figures(), _totals()
    parts = figures[figures["measure"].isin(["force_operations", "force_improvement"]) & (figures["stage"] == "final")]
    wide = parts.pivot_table(index="year", columns="measure", values="value", aggfunc="first").dropna()
    assert list(wide.index) == [2018, 2019, 2023, 2026]
    for year, row in wide.iterrows():
        # Different sources (the ministry's page, Dong-A, Herald Business) against the ministry's table.
        assert row.sum() == pytest.approx(totals.loc[year], abs=1e-4), year


def test_proposals_add_up_to_the_proposed_totals_the_sources_give():
    figures = _figures()
    proposals = figures[figures["stage"] == "proposal"].pivot_table(
        index="year", columns="measure", values="value", aggfunc="first"
    )
    published_totals = {2024: 59.5885, 2025: 61.5878, 2026: 66.2947}  # the ministry's proposals as reported
    for year, total in published_totals.items():
        assert proposals.loc[year, ["force_operations", "force_improvement"]].sum() == pytest.approx(total, abs=1e-4)


def test_force_operations_are_derived_only_where_not_published():
    parts = composition.budget_parts()
    derived = parts[parts["operations_derived"]]
    assert list(derived.index) == [(2024, "final")]
    assert derived.loc[(2024, "final"), "force_operations_krw_trillion"] == pytest.approx(59.4244 - 17.6532)


def test_real_cuts_on_each_deflator_recompute_from_the_csvs():
    budget = _totals()
    sipri = pd.read_csv(paths.DATA_DIR / "sipri_milex.csv")
    kor = sipri[sipri["iso3"] == "KOR"].pivot(index="year", columns="indicator", values="value")
    cpi = kor["local_currency_current_m"] / kor["constant_2023_usd_m"]
    wdi = pd.read_csv(paths.DATA_DIR / "wdi_gdp.csv")
    real_gdp = wdi[wdi["iso3"] == "KOR"].set_index("year")["gdp_constant_2015_usd_bn"]
    deflator = gdp_base.consistent_gdp() / real_gdp
    years = range(1991, 2025)
    cuts_cpi = [y for y in years if (budget[y] / cpi[y]) < (budget[y - 1] / cpi[y - 1])]
    cuts_deflator = [y for y in years if (budget[y] / deflator[y]) < (budget[y - 1] / deflator[y - 1])]
    real = composition.real_budget()
    assert composition.years_of_real_cuts(real, "cpi") == cuts_cpi == [1998, 1999, 2022]
    assert composition.years_of_real_cuts(real, "deflator") == cuts_deflator == [1999]


def test_gdp_prices_in_2022_are_close_to_the_bank_of_koreas_first_estimate():
    # The Bank of Korea's provisional 2022 accounts (2015 base): nominal +3.8 %, real +2.6 %. The
    # book's deflator is on the later 2020 base, so only closeness is expected; a wrong unit, year
    # or series would be far off.
    figures = _figures().set_index(["measure", "year"])
    nominal = figures.loc[("nominal_gdp_growth", 2022), "value"]
    real = figures.loc[("real_gdp_growth", 2022), "value"]
    published = 100 * ((1 + nominal / 100) / (1 + real / 100) - 1)
    ours = composition.real_budget().loc[2022, "gdp_inflation_pct"]
    assert abs(ours - published) < 1.0
    assert composition.real_budget().loc[2022, "cpi_inflation_pct"] > ours + 2


def test_growth_decomposition_adds_up_and_recomputes():
    result = composition.growth_decomposition(2000, 2024)
    assert result["real_gdp"] + result["prices"] + result["burden"] == pytest.approx(result["budget"])
    budget = _totals()
    assert result["budget"] == pytest.approx(100 * np.log(budget[2024] / budget[2000]) / 24)
    burden = budget / gdp_base.consistent_gdp()
    assert result["burden"] == pytest.approx(100 * np.log(burden[2024] / burden[2000]) / 24)
    assert result["real_gdp_part"] + result["prices_part"] + result["burden_part"] == pytest.approx(1.0)


def test_conscripts_pay_and_its_share_of_the_budget_recompute():
    pay = composition.conscript_pay()
    assert pay.loc[2025, "sergeant_total_krw_thousand"] == pytest.approx(1500 + 550)
    assert pay.loc[2019, "pay_budget_share_pct"] == pytest.approx(100 * 1.7 / 46.6971)
    assert pay.loc[2024, "pay_budget_share_pct"] == pytest.approx(100 * 4.2705 / 59.4244)


def test_the_pension_fund_is_most_of_sipris_gap_over_the_budget():
    gap = composition.pension_fund_and_definition_gap()
    sipri = pd.read_csv(paths.DATA_DIR / "sipri_milex.csv")
    local = sipri[(sipri["iso3"] == "KOR") & (sipri["indicator"] == "local_currency_current_m")].set_index("year")[
        "value"
    ]
    assert gap.loc[2019, "gap_krw_trillion"] == pytest.approx(local[2019] / 1e6 - 46.6971)
    assert gap.loc[2019, "fund_over_gap"] == pytest.approx(3.4267 / (local[2019] / 1e6 - 46.6971))
    assert (gap["fund_over_gap"] > 0.5).all() and (gap["fund_over_gap"] < 1).all()


def test_government_shares_use_their_own_denominators():
    shares = composition.government_shares(2025)
    assert shares == {"central_pct": pytest.approx(100 * 61.2469 / 673.3)}
    shares_2024 = composition.government_shares(2024)
    assert shares_2024["mnd_pct"] == 13.2 and 11 < shares_2024["sipri_pct"] < 12


def test_high_threat_comparison_is_sipris_extract():
    table = composition.high_threat_comparison(1990, 2024)
    sipri = pd.read_csv(paths.DATA_DIR / "sipri_milex.csv").set_index(["iso3", "year", "indicator"])["value"]
    for iso3 in ["KOR", "TWN", "ISR", "SGP"]:
        assert table.loc[iso3, "share_2024_pct"] == sipri[(iso3, 2024, "share_of_gdp_pct")]
        assert table.loc[iso3, "usd_per_person"] == sipri[(iso3, 2024, "per_capita_current_usd")]
    assert table.loc["TWN", "coverage_note"] and not table.loc["KOR", "coverage_note"]
