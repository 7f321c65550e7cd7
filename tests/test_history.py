"""The history chapter's computations: agreements, rules, growth, projection, conversions, claims."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from paying_for_protection.analysis import article_check as claims
from paying_for_protection.analysis import conversions, history
from paying_for_protection.data import loaders


def test_twelve_agreements_cover_1991_to_2030_without_gaps_or_overlaps():
    agreements = loaders.load_sma_agreements()
    assert agreements["sma_number"].tolist() == list(range(1, 13))
    starts = agreements["period_start_year"].tolist()
    ends = agreements["period_end_year"].tolist()
    assert starts[0] == 1991 and ends[-1] == 2030
    for previous_end, next_start in zip(ends[:-1], starts[1:], strict=True):
        assert next_start == previous_end + 1


def test_each_contribution_falls_inside_its_agreements_period():
    agreements = loaders.load_sma_agreements().set_index("sma_number")
    for row in loaders.load_sma_contributions().itertuples():
        period = agreements.loc[row.sma_number]
        assert period["period_start_year"] <= row.year <= period["period_end_year"], row.year


@pytest.mark.parametrize("year", [1997, 2023, 2024])
def test_derived_from_rule_amounts_reproduce_from_their_rule(year):
    sma = loaders.load_sma_contributions().set_index("year")
    assert sma.loc[year, "status"] == "derived-from-rule"
    assert history.rule_amount(year).amount == pytest.approx(sma.loc[year, "amount"], abs=0.05)


def test_every_derived_from_rule_year_is_covered_by_the_test_above():
    sma = loaders.load_sma_contributions()
    assert sorted(sma.loc[sma["status"] == "derived-from-rule", "year"]) == [1997, 2023, 2024]


@pytest.mark.parametrize("year", [2021, 2022, 2025])
def test_agreed_amounts_under_the_11th_sma_follow_its_rule(year):
    sma = loaders.load_sma_contributions().set_index("year")
    assert history.rule_amount(year).amount == pytest.approx(sma.loc[year, "amount"], abs=0.15)


@pytest.mark.parametrize("year", [2010, 2011, 2012, 2013, 2015, 2016, 2017, 2018])
def test_cpi_indexed_agreements_are_consistent_with_sipri_consumer_prices(year):
    # The 8th and 9th SMAs used official CPI of two years earlier (capped at 4 %); SIPRI's implied
    # index differs from the official one by rounding, so the amounts agree to within 0.5 %.
    sma = loaders.load_sma_contributions().set_index("year")
    assert history.rule_amount(year).amount == pytest.approx(sma.loc[year, "amount"], rel=0.005)


def test_a_negotiated_first_year_has_no_rule():
    with pytest.raises(ValueError, match="negotiated"):
        history.rule_amount(2019)


def test_growth_rates_recompute_from_the_amounts():
    contrib = history.contributions().set_index("year")
    both = contrib[["growth_pct", "change_pct"]].dropna()
    assert len(both) == len(contrib) - 1  # every year but the first
    assert (both["growth_pct"] - both["change_pct"]).abs().max() < 0.051


def test_currency_switch_year_compares_won_with_won():
    contrib = history.contributions().set_index("year")
    # 2005 (first all-won year) is compared with the 2004 won equivalent, 746.9 billion.
    assert contrib.loc[2005, "growth_pct"] == pytest.approx(100 * (680.4 / 746.9 - 1))


def test_conversions_use_sipri_series_and_state_their_basis():
    contrib = history.contributions().set_index("year")
    rate = conversions.krw_per_usd()
    local = loaders.sipri_series("local_currency_current_m")["KOR"]
    current = loaders.sipri_series("current_usd_m")["KOR"]
    assert rate.loc[2010] == pytest.approx(local.loc[2010] / current.loc[2010])
    assert contrib.loc[2010, "usd_million"] == pytest.approx(790.4 * 1000 / rate.loc[2010])
    assert contrib.loc[1992, "krw_basis"] == "converted at the annual average rate"
    assert contrib.loc[1994, "krw_basis"] == "reported"
    assert contrib.loc[2026, "usd_basis"] == "converted at the 2024 average rate"
    # Real values are nominal values deflated to 2024 prices; in the base year they coincide.
    assert contrib.loc[2024, "real_krw_billion"] == pytest.approx(contrib.loc[2024, "krw_billion"])
    prices = conversions.korea_price_index(2024)
    assert contrib.loc[2000, "real_krw_billion"] == pytest.approx(
        contrib.loc[2000, "krw_billion"] * 100 / prices.loc[2000]
    )
    assert pd.isna(contrib.loc[2025, "real_krw_billion"])  # no price index beyond SIPRI's last year


def test_projection_starts_from_2026_and_respects_the_cap():
    sma = loaders.load_sma_contributions().set_index("year")
    cap = float(loaders.load_sma_agreements().set_index("sma_number").loc[12, "rule_cap_pct"])
    central = history.projection_12th_sma(2.0, {2025: 2.1}).set_index("year")
    assert central.loc[2026, "amount"] == sma.loc[2026, "amount"]
    assert central.loc[2027, "amount"] == pytest.approx(sma.loc[2026, "amount"] * 1.021)
    assert list(central.loc[2027:, "inflation_basis"]) == ["published", "assumed", "assumed", "assumed"]
    high = history.projection_12th_sma(9.0, {}).set_index("year")
    assert (high.loc[2027:, "rate_pct"] == cap).all() and high.loc[2027:, "capped"].all()
    growth = high["amount"].pct_change().dropna() * 100
    assert (growth <= cap + 1e-9).all()
    assert high.loc[2030, "amount"] == pytest.approx(sma.loc[2026, "amount"] * (1 + cap / 100) ** 4)


def test_usfk_levels_set_reported_levels_beside_dmdc_counts():
    levels = history.usfk_levels().set_index("year")
    assert levels.loc[2025, "usfk_troops"] == 28500
    assert levels.loc[2025, "troops_active_duty"] < levels.loc[2025, "usfk_troops"]


def test_japan_comparison_uses_budgets_before_agreement_averages():
    japan = history.japan_korea_comparison().set_index("year")
    assert japan.loc[2015, "japan_basis"] == "budget"  # FY2015 budget beats the 2011-15 average
    assert japan.loc[2013, "japan_basis"] == "agreement average"
    assert pd.isna(japan.loc[2005, "japan_usd_million"])  # no Japanese figure for FY2001-2008


def test_article_claims_verdicts():
    table = claims.claims_table().set_index("figure_id")
    assert table.loc["cnbc_sma_2026_krw_trillion", "verdict"] == "confirmed"
    assert table.loc["cnbc_budget_2025_krw_trillion", "verdict"] == "confirmed"
    assert table.loc["cnbc_korea_burden_2024_pct", "verdict"] == "confirmed"
    assert table.loc["cnbc_sma_start_year", "article"] == "1991"
    assert table.loc["cnbc_budget_2025_usd_billion", "verdict"].startswith("depends on the exchange rate")


def test_a_wrong_claim_would_be_flagged(data_copy: Path, monkeypatch: pytest.MonkeyPatch):
    # Guard against a verdict that is always "confirmed": change the article's 2026 figure.
    path = data_copy / "published_figures.csv"
    text = path.read_text(encoding="utf-8").replace(
        "cnbc_sma_2026_krw_trillion,1.5200", "cnbc_sma_2026_krw_trillion,1.6200"
    )
    path.write_text(text, encoding="utf-8")
    original = loaders.load_published_figures
    monkeypatch.setattr(loaders, "load_published_figures", lambda data_dir=None: original(data_copy))
    table = claims.claims_table().set_index("figure_id")
    assert table.loc["cnbc_sma_2026_krw_trillion", "verdict"] == "differs"
