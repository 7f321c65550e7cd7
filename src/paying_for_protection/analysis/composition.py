"""What Korea's defense budget buys and how fast it grows in real terms.

* The budget's two parts (force operations: running the forces, pay included; force improvement:
  acquiring and developing weapons), conscripts' pay and its cost, from the ministry's releases
  and the press (``korea_budget_figures``).
* Real growth on two deflators: consumer prices (as implied by SIPRI's Korean series, the deflator
  the rest of the book uses) and GDP prices (nominal GDP on one base, :mod:`.gdp_base`, over the
  World Bank's real GDP). The two differ when import prices move: in 2022 consumer prices rose
  much faster than GDP prices.
* Budget growth split into the growth of real GDP, of GDP prices and of the budget's share of GDP.
* Spending per person, shares of government spending, and Korea beside other high-threat
  democracies (SIPRI).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data import loaders
from .conversions import korea_price_index
from .gdp_base import consistent_gdp, implied_gdp

#: High-threat democracies compared with Korea (SIPRI's measure).
HIGH_THREAT = ["KOR", "TWN", "ISR", "SGP"]

#: What SIPRI's workbook marks about a comparator's coverage (its special notes † and ¶).
SIPRI_COVERAGE_NOTES = {"TWN": "excludes military pensions and paramilitary forces"}


# --- the budget in real terms ------------------------------------------------------------------------


def korea_real_gdp() -> pd.Series:
    """Korea's real GDP (World Bank, constant 2015 US$ billion): its growth is real GDP growth in won."""
    wdi = loaders.load_wdi_gdp()
    return wdi[wdi["iso3"] == "KOR"].set_index("year")["gdp_constant_2015_usd_bn"].rename("real_gdp")


def gdp_deflator(base_year: int = 2024) -> pd.Series:
    """Korea's GDP deflator (base_year = 100): nominal GDP on one base over real GDP."""
    ratio = (consistent_gdp() / korea_real_gdp()).dropna()
    return (100.0 * ratio / ratio.loc[base_year]).rename("gdp_deflator")


def real_budget(base_year: int = 2024) -> pd.DataFrame:
    """The ministry's budget in base-year won on both deflators, and real growth on each (1990-2024)."""
    budget = loaders.load_korea_defense_budget().set_index("year")["budget_krw_trillion"].astype(float)
    cpi, deflator = korea_price_index(base_year), gdp_deflator(base_year)
    years = cpi.index.intersection(deflator.index).intersection(budget.index)
    frame = pd.DataFrame(index=years)
    frame.index.name = "year"
    frame["budget_krw_trillion"] = budget.loc[years]
    frame["real_cpi_krw_trillion"] = frame["budget_krw_trillion"] * 100.0 / cpi.loc[years]
    frame["real_deflator_krw_trillion"] = frame["budget_krw_trillion"] * 100.0 / deflator.loc[years]
    frame["cpi_inflation_pct"] = 100.0 * cpi.loc[years].pct_change()
    frame["gdp_inflation_pct"] = 100.0 * deflator.loc[years].pct_change()
    frame["real_growth_cpi_pct"] = 100.0 * frame["real_cpi_krw_trillion"].pct_change()
    frame["real_growth_deflator_pct"] = 100.0 * frame["real_deflator_krw_trillion"].pct_change()
    return frame


def years_of_real_cuts(frame: pd.DataFrame, deflator: str) -> list[int]:
    """Years in which the real budget fell on the given deflator ('cpi' or 'deflator')."""
    growth = frame[f"real_growth_{deflator}_pct"].dropna()
    return [int(y) for y in growth[growth < 0].index]


def growth_decomposition(first: int, last: int) -> dict[str, float]:
    """Average yearly growth of the budget split into real GDP, GDP prices and the budget's share.

    budget = real GDP x GDP deflator x (budget / nominal GDP), so the log growth of the budget is
    the sum of the three log growths exactly. Rates are average log growth in percent a year;
    ``*_part`` is each factor's share of the budget's log growth.
    """
    budget = loaders.load_korea_defense_budget().set_index("year")["budget_krw_trillion"].astype(float)
    nominal, real = consistent_gdp(), korea_real_gdp()
    years = last - first

    def rate(series: pd.Series) -> float:
        return 100.0 * float(np.log(series.loc[last] / series.loc[first])) / years

    prices = nominal / real
    burden = budget / nominal
    out = {
        "budget": rate(budget),
        "real_gdp": rate(real),
        "prices": rate(prices),
        "burden": rate(burden),
    }
    for key in ("real_gdp", "prices", "burden"):
        out[f"{key}_part"] = out[key] / out["budget"]
    out["burden_first_pct"] = 100.0 * float(burden.loc[first])
    out["burden_last_pct"] = 100.0 * float(burden.loc[last])
    return out


# --- what the budget buys -----------------------------------------------------------------------------


def budget_parts() -> pd.DataFrame:
    """Force operations and force improvement by year and stage, in trillion won and as shares.

    Where a source gives only force improvement for the budget as passed, force operations is the
    ministry's total minus it (``derived`` is True); rows whose two parts were both published are
    checked against the total in the tests.
    """
    figures = loaders.load_korea_budget_figures()
    totals = loaders.load_korea_defense_budget().set_index("year")["budget_krw_trillion"].astype(float)
    parts = figures[figures["measure"].isin(["force_operations", "force_improvement"])]
    wide = parts.pivot_table(index=["year", "stage"], columns="measure", values="value", aggfunc="first")
    wide = wide.reset_index()
    rows = []
    for row in wide.itertuples(index=False):
        improvement = row.force_improvement
        operations = row.force_operations
        derived = False
        if pd.isna(operations) and row.stage == "final" and row.year in totals.index:
            operations, derived = totals.loc[row.year] - improvement, True
        total = improvement + operations
        rows.append(
            {
                "year": int(row.year),
                "stage": row.stage,
                "force_operations_krw_trillion": operations,
                "force_improvement_krw_trillion": improvement,
                "total_krw_trillion": total,
                "force_improvement_share_pct": 100.0 * improvement / total,
                "operations_derived": derived,
            }
        )
    return pd.DataFrame(rows).set_index(["year", "stage"]).sort_index()


def force_improvement_share() -> pd.Series:
    """Force improvement's share of the budget as passed, from the published parts and shares."""
    figures = loaders.load_korea_budget_figures()
    published = figures[(figures["measure"] == "force_improvement_share") & (figures["stage"] == "final")]
    shares = published.set_index("year")["value"].astype(float)
    parts = budget_parts().xs("final", level="stage")["force_improvement_share_pct"]
    return pd.concat([shares, parts]).sort_index().rename("force_improvement_share_pct")


def conscript_pay() -> pd.DataFrame:
    """A sergeant's monthly pay and savings grant (thousand won), and the cost of conscripts' pay.

    ``pay_budget_share_pct`` is the pay budget over the ministry's budget of the same year.
    """
    figures = loaders.load_korea_budget_figures()
    totals = loaders.load_korea_defense_budget().set_index("year")["budget_krw_trillion"].astype(float)

    def series(measure: str) -> pd.Series:
        rows = figures[figures["measure"] == measure]
        return rows.groupby("year")["value"].first().astype(float)

    frame = pd.DataFrame(
        {
            "sergeant_pay_krw_thousand": series("sergeant_monthly_pay"),
            "savings_match_krw_thousand": series("enlisted_savings_match"),
            "pay_budget_krw_trillion": series("enlisted_pay_budget"),
        }
    )
    frame.index.name = "year"
    frame["sergeant_total_krw_thousand"] = frame["sergeant_pay_krw_thousand"] + frame["savings_match_krw_thousand"]
    frame["pay_budget_share_pct"] = 100.0 * frame["pay_budget_krw_trillion"] / totals.reindex(frame.index)
    return frame


def pension_fund_and_definition_gap() -> pd.DataFrame:
    """SIPRI's spending minus the ministry's budget, beside the military pension fund's budget."""
    figures = loaders.load_korea_budget_figures()
    fund = figures[figures["measure"] == "military_pension_fund"].groupby("year")["value"].first().astype(float)
    gdp = implied_gdp()
    budget = loaders.load_korea_defense_budget().set_index("year")["budget_krw_trillion"].astype(float)
    frame = pd.DataFrame(index=fund.index)
    frame["gap_krw_trillion"] = gdp["sipri_spending_krw_trillion"].reindex(fund.index) - budget.reindex(fund.index)
    frame["pension_fund_krw_trillion"] = fund
    frame["fund_over_gap"] = frame["pension_fund_krw_trillion"] / frame["gap_krw_trillion"]
    return frame


# --- per person, per government won, and beside other high-threat democracies -------------------------


def government_shares(year: int) -> dict[str, float]:
    """Korea's defense as a share of government spending on three denominators, for one year.

    SIPRI: military spending over general government spending (all levels); MND: the ministry's
    budget over 'government finance' as the ministry defines it; central: the ministry's budget over
    central government total expenditure (the budget's headline 'chongjichul').
    """
    sipri = loaders.sipri_series("share_of_government_pct")["KOR"]
    mnd = loaders.load_korea_defense_budget().set_index("year")
    figures = loaders.load_korea_budget_figures()
    total = figures[(figures["measure"] == "government_total_expenditure") & (figures["stage"] == "final")]
    total = total.set_index("year")["value"].astype(float)
    out = {}
    if year in sipri.index:
        out["sipri_pct"] = float(sipri.loc[year])
    if year in mnd.index and pd.notna(mnd.loc[year, "share_of_government_pct"]):
        out["mnd_pct"] = float(mnd.loc[year, "share_of_government_pct"])
    if year in total.index:
        out["central_pct"] = 100.0 * float(mnd.loc[year, "budget_krw_trillion"]) / float(total.loc[year])
    return out


def per_capita() -> pd.Series:
    """Korea's military spending per person, current US dollars (SIPRI)."""
    return loaders.sipri_series("per_capita_current_usd")["KOR"].dropna().rename("usd_per_person")


def high_threat_comparison(first: int = 1990, year: int = 2024) -> pd.DataFrame:
    """Korea, Taiwan, Israel and Singapore: burden now and then, spending per person, share of government."""
    countries = loaders.load_countries().set_index("iso3")
    share = loaders.sipri_series("share_of_gdp_pct")
    person = loaders.sipri_series("per_capita_current_usd")
    government = loaders.sipri_series("share_of_government_pct")
    rows = []
    for iso3 in HIGH_THREAT:
        rows.append(
            {
                "iso3": iso3,
                "name": countries.loc[iso3, "name"],
                f"share_{first}_pct": share.loc[first, iso3],
                f"share_{year}_pct": share.loc[year, iso3],
                "usd_per_person": person.loc[year, iso3],
                "share_of_government_pct": government.loc[year, iso3],
                "coverage_note": SIPRI_COVERAGE_NOTES.get(iso3, ""),
            }
        )
    return pd.DataFrame(rows).set_index("iso3")
