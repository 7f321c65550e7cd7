"""The budget chapter's computations, recomputed independently where that is possible."""

from __future__ import annotations

import pandas as pd
import pytest

from paying_for_protection import paths
from paying_for_protection.analysis import budget, conversions
from paying_for_protection.data import loaders


def test_ministry_shares_recompute_from_budget_and_gdp_where_both_are_present():
    frame = budget.korea_budget()
    both = frame.dropna(subset=["budget_krw_trillion", "gdp_krw_trillion"])
    assert both.index.min() == 1990 and both.index.max() == 2024
    recomputed = 100 * both["budget_krw_trillion"] / both["gdp_krw_trillion"]
    assert (recomputed - both["mnd_budget_on_current_gdp_pct"]).abs().max() < 1e-12
    # SIPRI's GDP in won is its local-currency spending over its share of GDP.
    sipri = pd.read_csv(paths.DATA_DIR / "sipri_milex.csv")
    kor = sipri[(sipri["iso3"] == "KOR") & (sipri["year"] == 2024)].set_index("indicator")["value"]
    assert frame.loc[2024, "gdp_krw_trillion"] == pytest.approx(
        kor["local_currency_current_m"] / (kor["share_of_gdp_pct"] / 100) / 1e6
    )


def test_the_ministrys_published_shares_imply_a_gdp_close_to_sipris():
    # A recomputation with a wrong year or unit would land far off: the two GDP bases differ by
    # revisions of a few percent, not by orders of magnitude.
    frame = budget.korea_budget().dropna(subset=["mnd_share_of_gdp_pct", "gdp_krw_trillion"])
    implied = frame["budget_krw_trillion"] / (frame["mnd_share_of_gdp_pct"] / 100)
    ratio = implied / frame["gdp_krw_trillion"]
    assert ratio.between(0.85, 1.15).all(), ratio[~ratio.between(0.85, 1.15)]


def test_definition_and_gdp_base_effects_add_up_to_the_gap():
    gap = budget.definition_gap(2024)
    assert gap["definition_effect"] + gap["gdp_base_effect"] == pytest.approx(
        gap["sipri_share"] - gap["mnd_share"], abs=1e-9
    )
    assert gap["definition_effect"] > 0 and gap["sipri_over_mnd"] > 1


def test_constant_won_equals_nominal_over_the_deflator():
    frame = budget.korea_budget(base_year=2024)
    prices = conversions.korea_price_index(2024)
    years = frame["real_krw_trillion"].dropna().index
    assert list(years) == list(range(1990, 2025))
    expected = frame.loc[years, "budget_krw_trillion"] * 100 / prices.loc[years]
    assert (frame.loc[years, "real_krw_trillion"] - expected).abs().max() < 1e-12
    assert frame.loc[2024, "real_krw_trillion"] == pytest.approx(frame.loc[2024, "budget_krw_trillion"])


def test_benchmark_amounts_recompute_from_gdp():
    gdp = budget.gdp_2026_from_proposal(66.2947, 2.42)
    assert gdp == pytest.approx(66.2947 / 0.0242)
    costs = budget.benchmark_costs(gdp, [2.0, 3.5, 5.0])
    assert costs[3.5] == pytest.approx(gdp * 0.035)
    assert costs[5.0] / costs[2.0] == pytest.approx(2.5)


def test_required_growth_reaches_the_target():
    share, target, years, g = 2.4, 3.5, 9, 2.5
    r = budget.required_real_growth(share, target, years, g)
    assert share * ((1 + r / 100) / (1 + g / 100)) ** years == pytest.approx(target)
    assert budget.required_real_growth(share, share, years, g) == pytest.approx(g)


def _independent_count(year: int, threshold: float, decimals: int | None = None) -> int:
    sipri = pd.read_csv(paths.DATA_DIR / "sipri_milex.csv")
    countries = pd.read_csv(paths.DATA_DIR / "countries.csv")
    members = countries[
        countries["alliance"].isin(["NATO", "United States"])
        & countries["in_panel"]
        & (countries["ally_since"] <= year)
    ]["iso3"]
    values = sipri[(sipri["indicator"] == "share_of_gdp_pct") & (sipri["year"] == year) & sipri["iso3"].isin(members)][
        "value"
    ]
    if decimals is not None:
        values = values.round(decimals)
    return int((values >= threshold).sum())


@pytest.mark.parametrize("year", [2014, 2019, 2022, 2024])
def test_counts_of_allies_at_two_percent_recompute_from_the_extract(year):
    counts = budget.allies_at_or_above(2.0)
    assert counts.loc[year, "sipri_at_or_above"] == _independent_count(year, 2.0)


def test_rounded_sipri_count_matches_sipris_published_count():
    counts = budget.allies_at_or_above(2.0, decimals=1)
    assert counts.loc[2024, "sipri_at_or_above"] == _independent_count(2024, 2.0, decimals=1)
    assert counts.loc[2024, "sipri_at_or_above"] == loaders.published_figure("sipri_nato_members_at_2pct_2024")


def test_nato_counts_recompute_from_nato_tables():
    nato = pd.read_csv(paths.DATA_DIR / "nato_defence_share.csv")
    counts = budget.allies_at_or_above(2.0)
    for edition in ["2024-06", "2025-08"]:
        values = nato[(nato["edition"] == edition) & (nato["year"] == 2024)]["share_of_real_gdp_pct"]
        assert counts.loc[2024, f"nato_{edition}_at_or_above"] == int((values >= 2.0).sum())


def test_nato_europe_aggregate_lies_within_members_and_excludes_north_america():
    europe = budget.nato_europe_burden()
    share = loaders.sipri_series("share_of_gdp_pct")
    members = budget.members_by_year(loaders.load_countries(), 2024, 2024, europe_only=True)[2024]
    assert "USA" not in members and "CAN" not in members and "POL" in members
    assert europe.loc[2024, "median_pct"] == pytest.approx(share.loc[2024, members].median())
    assert share.loc[2024, members].min() <= europe.loc[2024, "weighted_pct"] <= share.loc[2024, members].max()
    # European members in 1990: the nine European founders other than Iceland (no military),
    # Greece, Turkiye, Germany and Spain.
    assert budget.members_by_year(loaders.load_countries(), 1990, 1990, europe_only=True)[1990] == sorted(
        ["BEL", "DNK", "FRA", "ITA", "LUX", "NLD", "NOR", "PRT", "GBR", "GRC", "TUR", "DEU", "ESP"]
    )
    assert europe.loc[1990, "members"] == 13


def test_sma_share_of_budget_recomputes():
    sma = budget.sma_in_budget()
    frame = loaders.load_korea_defense_budget().set_index("year")
    assert sma.loc[2026, "share_of_budget_pct"] == pytest.approx(
        100 * 1519.2 / (frame.loc[2026, "budget_krw_trillion"] * 1000)
    )


def test_the_2019_demand_read_two_ways_recomputes_from_the_csvs():
    sipri = pd.read_csv(paths.DATA_DIR / "sipri_milex.csv")
    kor = sipri[(sipri["iso3"] == "KOR") & (sipri["year"] == 2019)].set_index("indicator")["value"]
    rate = kor["local_currency_current_m"] / kor["current_usd_m"]
    demand = 5.0 * rate / 1000  # trillion won
    totals = pd.read_csv(paths.DATA_DIR / "korea_defense_budget.csv").set_index("year")["budget_krw_trillion"]
    paid = (
        pd.read_csv(paths.DATA_DIR / "sma_contributions.csv").set_index("year").loc[2019, "amount_krw_billion"] / 1000
    )
    increase = totals[2019] - totals[2018]
    result = budget.demand_2019()
    assert result["whole_over_increase"] == pytest.approx(demand / increase)
    assert result["extra_over_increase"] == pytest.approx((demand - paid) / increase)
    # The two readings: about 1.6 for the whole demand, 1.35 for the part above the SMA.
    assert round(result["whole_over_increase"], 1) == 1.6 and round(result["extra_over_increase"], 2) == 1.35


def test_polands_2024_revision_is_spending_not_gdp():
    nato = pd.read_csv(paths.DATA_DIR / "nato_defence_share.csv")
    pol = nato[nato["iso3"] == "POL"].pivot(index="year", columns="edition", values="share_of_real_gdp_pct")
    revision = 100 * (pol["2025-08"] / pol["2024-06"] - 1)
    frame = budget.edition_revisions("POL")
    assert (frame["revision_pct"] - revision.dropna()).abs().max() < 1e-9
    assert revision.loc[:2023].abs().max() < 1.2 and revision.loc[2024] < -7.5


def test_comparisons_and_names_are_generated_from_the_data():
    shares = pd.DataFrame({"KOR": [2.5], "JPN": [1.4], "USA": [3.4], "POL": [2.5]}, index=[2024])
    assert budget.higher_and_lower(shares, 2024, "KOR", ["JPN", "USA", "POL"]) == (["USA"], ["JPN", "POL"])
    names = budget.prose_names()
    assert names["USA"] == "the United States" and names["JPN"] == "Japan" and names["GBR"] == "the United Kingdom"


def test_the_latest_year_with_a_value_skips_a_missing_last_row():
    frame = pd.DataFrame({"x": [1.0, 2.0, None]}, index=[2022, 2023, 2024])
    assert budget.latest_with_value(frame, "x") == 2023


def test_sipri_estimates_are_read_from_the_workbook_colours():
    assert budget.sipri_estimates("KOR", "share_of_gdp_pct")[-1] == 2004
    assert 2024 not in budget.sipri_estimates("KOR", "share_of_gdp_pct")
