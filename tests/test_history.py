"""The history chapter's computations: agreements, rules, growth, projection, conversions, claims."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from paying_for_protection.analysis import agreements, conversions, history
from paying_for_protection.analysis import article_check as claims
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


# --- issue 12 and 16: the history chapter's new computations --------------------------------------


def test_projection_band_never_overrides_a_year_whose_inflation_is_published():
    # 2027 is fixed by published 2025 inflation: the band's edges must agree with the centre there.
    published = history.published_korea_inflation()
    assert published[2025] == pytest.approx(2.1)
    sma = loaders.load_sma_contributions().set_index("year")
    for assumption in (0.0, 1.0, 2.0, 9.0):
        projection = history.projection_12th_sma(assumption).set_index("year")
        assert projection.loc[2027, "inflation_basis"] == "published"
        assert projection.loc[2027, "amount"] == pytest.approx(sma.loc[2026, "amount"] * 1.021)


def test_months_from_the_12th_conclusion_to_the_11th_expiry_are_counted_not_typed():
    events = loaders.load_timeline()
    concluded = events[events["event"].str.startswith("12th SMA negotiations concluded")]["start"].iloc[0]
    assert concluded == pd.Timestamp("2024-10-02")
    assert history.conclusion_to_expiry_months(12, 11) == 15  # 455 days to 31 December 2025
    assert history.months_between(pd.Timestamp("2024-10-02"), pd.Timestamp("2025-11-30")) == 14


def test_amount_basis_reads_the_status_of_the_year():
    assert history.amount_basis(2024) == "derived-from-rule"
    assert history.amount_basis(2025) == "agreed"
    with pytest.raises(KeyError):
        history.amount_basis(2028)  # not yet determined


def test_rule_wording_is_generated_from_the_rule_class_and_matches_the_recomputation():
    table = agreements.agreements().set_index("sma_number")
    # The fact base's free text for the 8th omits the lag; the generated wording states it.
    assert "two years earlier" in table.loc[8, "rule_text"] and "capped at 4" in table.loc[8, "rule_text"]
    assert "two years earlier" not in table.loc[7, "rule_text"]
    assert "defense budget" in table.loc[11, "rule_text"]
    # Where the wording says 'two years earlier', the recomputation uses inflation of year - 2.
    inflation = conversions.korea_inflation()
    for year in (2010, 2015):
        number = int(loaders.load_sma_contributions().set_index("year").loc[year, "sma_number"])
        assert "two years earlier" in table.loc[number, "rule_text"]
        cap = float(table.loc[number, "rule_cap_pct"])
        assert history.rule_amount(year).rate_pct == pytest.approx(min(float(inflation.loc[year - 2]), cap))
    with pytest.raises(KeyError):
        agreements.rule_description("no_such_rule")


def test_every_provision_and_round_belongs_to_an_agreement_and_its_period():
    numbers = set(loaders.load_sma_agreements()["sma_number"])
    provisions, rounds = loaders.load_sma_provisions(), loaders.load_sma_negotiations()
    assert set(provisions["sma_number"]) <= numbers and set(rounds["sma_number"]) <= numbers
    periods = loaders.load_sma_agreements().set_index("sma_number")
    for row in rounds.itertuples():
        start, end = periods.loc[row.sma_number, ["period_start_year", "period_end_year"]]
        # An amount is for a year of the agreement it was bargained for (the 1st's 1992 included).
        assert start <= row.for_year <= end, (row.sma_number, row.stage, row.for_year)
    coverage = agreements.coverage()
    assert len(coverage) == 12 and coverage.loc[coverage["sma_number"] == 11, "labour_share"].str.contains("87").all()


def test_rounds_convert_each_amount_at_the_rate_of_the_year_it_was_for():
    rounds = agreements.rounds()
    rate = conversions.krw_per_usd()
    outcome_9 = rounds.query("sma_number == 9 and stage == 'outcome'").iloc[0]
    assert outcome_9["usd_million"] == pytest.approx(920 * 1000 / rate.loc[2014])
    # Seoul's 10 % offer for 2020 applies to the 2019 amount in won.
    offer_11 = rounds.query("sma_number == 11 and stage == 'korea_offer'").iloc[0]
    assert offer_11["usd_million"] == pytest.approx(1038.9 * 1.10 * 1000 / rate.loc[2020])
    share_ask = rounds.query("sma_number == 8 and stage == 'us_ask'").iloc[0]
    assert pd.isna(share_ask["usd_million"]) and share_ask["usd_basis"] == "a share, not an amount"


def test_ask_and_outcome_against_the_reports():
    asked = agreements.ask_and_outcome().set_index("sma_number")
    # 4th round: the US sought $440M for 1999 and got $333M (Dong-A, 1998-12-22).
    assert asked.loc[4, "outcome_share_of_ask_pct"] == pytest.approx(100 * 333 / 440)
    assert asked.loc[11, "ask_usd_million"] == 5000 and asked.loc[11, "outcome_for_year"] == 2021
    assert (asked["outcome_share_of_ask_pct"] <= 100 + 1e-9).all()


def test_troop_floors_in_us_law_follow_the_acts():
    floors = agreements.troop_floors()
    assert floors["troop_floor"].tolist() == [22000, 28500, 28500, 28500, 28500]
    assert floors["floor_binding"].tolist() == [True, True, True, False, True]
    assert floors["event"].str.match(r"^FY(2019|2020|2021|2022|2026) NDAA").all()


def test_pre_sma_payments_agree_across_the_reports_of_two_meetings():
    # The 21st SCM's $30M for 1990 plus the $40M of CDIP equal the 'about $70M' of the 22nd SCM.
    rows = loaders.load_hosting_costs().set_index("entry_id")
    items = rows.loc["scm21_1990_cost_sharing", "amount"] + rows.loc["scm20_cdip_annual", "amount"]
    assert items == rows.loc["scm22_1990_direct_total", "amount"]
    assert (
        rows.loc[["scm21_1990_cost_sharing", "scm20_cdip_annual", "scm22_1990_direct_total"], "period_start"] == 1990
    ).all()


def test_claims_table_says_which_article_figures_are_unverified():
    table = claims.claims_table().set_index("figure_id")
    figures = loaders.load_published_figures()
    assert (table["article figure status"] == figures.loc[table.index, "status"]).all()
    assert (table["article figure status"] == "unverified").sum() == 9
