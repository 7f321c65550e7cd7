"""Computations for the history chapter: SMA contributions in won, dollars and real terms, the
agreements' escalation rules, a projection under the 12th SMA, troop levels and Japan.

Conversions (won per dollar, consumer prices) are the SIPRI-implied series of
:mod:`.conversions`, so that every converted value traces to one named source.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..data import loaders
from .conversions import jpy_per_usd, korea_inflation, korea_price_index, krw_per_usd

#: Korean-worker labour-cost increment added to the 2021 rate by the 11th SMA (percentage points).
SMA11_2021_LABOUR_INCREMENT = 6.5


# --- contributions --------------------------------------------------------------------------------


def contributions(base_year: int = 2024) -> pd.DataFrame:
    """Korea's SMA contribution by year in won, dollars and constant won, with each basis stated.

    ``krw_billion`` is the won amount where a source reports one (all years from 2005, and some
    earlier years), otherwise the dollar amount converted at SIPRI's annual average rate
    (``krw_basis``). ``usd_million`` is the dollar amount for 1991-2004 and the won amount converted
    at the annual average rate from 2005; 2025-2026 use the 2024 rate, the last in the data.
    ``real_krw_billion`` is in ``base_year`` won, deflated with the SIPRI-implied price index.
    ``growth_pct`` is recomputed from the amounts in each agreement's currency.
    """
    sma = loaders.load_sma_contributions()
    sma = sma[sma["amount"].notna()].copy()
    rate = krw_per_usd()
    last_rate_year = int(rate.index.max())
    rate_used = sma["year"].map(lambda y: rate.get(y, rate.loc[last_rate_year]))
    rate_year = sma["year"].where(sma["year"].isin(rate.index), last_rate_year)

    usd_rows = sma["currency"] == "USD"
    reported_krw = sma["amount_krw_billion"].astype(float)
    converted_krw = sma["amount"].astype(float) * rate_used / 1000.0
    sma["krw_billion"] = np.where(usd_rows & reported_krw.isna(), converted_krw, reported_krw)
    sma["krw_basis"] = np.where(usd_rows & reported_krw.isna(), "converted at the annual average rate", "reported")
    sma["usd_million"] = np.where(
        usd_rows, sma["amount"].astype(float), sma["amount"].astype(float) * 1000.0 / rate_used
    )
    sma["usd_basis"] = np.where(
        usd_rows,
        "agreed in dollars",
        np.where(
            rate_year == sma["year"],
            "converted at the annual average rate",
            f"converted at the {last_rate_year} average rate",
        ),
    )
    prices = korea_price_index(base_year)
    sma["real_krw_billion"] = sma["krw_billion"] * 100.0 / sma["year"].map(prices)
    sma["growth_pct"] = growth_in_agreement_currency(sma)
    columns = [
        "year",
        "sma_number",
        "currency",
        "amount",
        "status",
        "krw_billion",
        "krw_basis",
        "usd_million",
        "usd_basis",
        "real_krw_billion",
        "growth_pct",
        "change_pct",
    ]
    return sma[columns].reset_index(drop=True)


def growth_in_agreement_currency(sma: pd.DataFrame) -> pd.Series:
    """Year-on-year change in the currency of each year's agreement (won from 2005, dollars before)."""
    by_year = sma.set_index("year")
    growth = {}
    for year, row in by_year.iterrows():
        if year - 1 not in by_year.index:
            growth[year] = np.nan
            continue
        previous = by_year.loc[year - 1]
        if row["currency"] == previous["currency"]:
            base = previous["amount"]
        elif row["currency"] == "KRW":
            base = previous["amount_krw_billion"] if "amount_krw_billion" in previous else previous["krw_billion"]
        else:
            base = previous["amount_usd_million"] if "amount_usd_million" in previous else previous["usd_million"]
        growth[year] = 100.0 * (row["amount"] / base - 1.0) if pd.notna(base) else np.nan
    return sma["year"].map(growth).astype(float)


# --- escalation rules -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleResult:
    year: int
    rate_pct: float
    amount: float
    explanation: str


def rule_amount(year: int) -> RuleResult:
    """Recompute one year's contribution from its agreement's escalation rule and sourced inputs.

    Defined for the years an agreement's rule determines: +10 % a year under the 3rd SMA; the
    previous year's defense-budget growth under the 11th (plus the labour increment in 2021);
    consumer-price growth of two years earlier, capped, under the 8th and 9th.
    """
    sma = loaders.load_sma_contributions().set_index("year")
    agreements = loaders.load_sma_agreements().set_index("sma_number")
    number = int(sma.loc[year, "sma_number"])
    agreement = agreements.loc[number]
    if year == agreement["period_start_year"]:
        raise ValueError(f"{year} is the first year of SMA {number}: its amount was negotiated, not set by a rule")
    previous = float(sma.loc[year - 1, "amount"])
    rule = agreement["rule_type"]
    if rule == "fixed_growth":
        rate = 10.0
        why = "3rd SMA: +10 % a year"
    elif rule == "defense_budget_growth":
        budget = loaders.load_korea_defense_budget().set_index("year")
        growth = float(budget.loc[year - 1, "change_pct"])
        if year == 2021:
            rate = growth + SMA11_2021_LABOUR_INCREMENT
            why = f"11th SMA: {year - 1} defense budget growth plus the labour increment"
        else:
            rate = growth
            why = f"11th SMA: defense budget growth of {year - 1}"
    elif rule in {"cpi_lag2", "cpi_lag2_capped"}:
        inflation = korea_inflation()
        cap = float(agreement["rule_cap_pct"])
        rate = min(float(inflation.loc[year - 2]), cap)
        why = f"SMA {number}: consumer prices of {year - 2}, capped at {cap:g} %"
    else:
        raise ValueError(f"SMA {number} ({rule}) sets no rule this function can recompute for {year}")
    return RuleResult(year, rate, round(previous * (1 + rate / 100.0), 1), why)


def published_korea_inflation() -> dict[int, float]:
    """Korea's published consumer-price inflation by year, from ``published_figures.csv``.

    The rows are named ``kor_cpi_<year>_pct``; a year is added to the projection as soon as its row is.
    """
    figures = loaders.load_published_figures()
    found = figures.index.to_series().str.fullmatch(r"kor_cpi_\d{4}_pct")
    return {int(name[8:12]): float(figures.loc[name, "value"]) for name in figures.index[found]}


def projection_12th_sma(
    inflation_assumption_pct: float, published_inflation: dict[int, float] | None = None
) -> pd.DataFrame:
    """Contributions for 2027-2030 under the 12th SMA's rule, from the 2026 amount.

    Each year's rate is consumer-price growth two years earlier, capped at the agreement's cap.
    Years whose inflation has been published use it; later years use the stated assumption. By
    default the published rates come from the data (:func:`published_korea_inflation`), so that a
    range of assumptions never overrides a year that is already known; pass a dict only to test
    the rule itself.
    """
    if published_inflation is None:
        published_inflation = published_korea_inflation()
    sma = loaders.load_sma_contributions().set_index("year")
    agreement = loaders.load_sma_agreements().set_index("sma_number").loc[12]
    cap = float(agreement["rule_cap_pct"])
    start_year = int(agreement["period_start_year"])
    amount = float(sma.loc[start_year, "amount"])
    rows = [
        {
            "year": start_year,
            "amount": amount,
            "inflation_year": np.nan,
            "inflation_pct": np.nan,
            "inflation_basis": "agreed amount",
            "rate_pct": np.nan,
            "capped": False,
        }
    ]
    for year in range(start_year + 1, int(agreement["period_end_year"]) + 1):
        source_year = year - 2
        if source_year in published_inflation:
            inflation, basis = published_inflation[source_year], "published"
        else:
            inflation, basis = inflation_assumption_pct, "assumed"
        rate = min(inflation, cap)
        amount = amount * (1 + rate / 100.0)
        rows.append(
            {
                "year": year,
                "amount": amount,
                "inflation_year": source_year,
                "inflation_pct": inflation,
                "inflation_basis": basis,
                "rate_pct": rate,
                "capped": inflation > cap,
            }
        )
    return pd.DataFrame(rows)


def amount_basis(year: int) -> str:
    """How the contribution of ``year`` is known: 'agreed' or 'derived-from-rule' (from the data)."""
    sma = loaders.load_sma_contributions().set_index("year")
    if year not in sma.index or pd.isna(sma.loc[year, "amount"]):
        raise KeyError(f"no contribution for {year} in sma_contributions.csv")
    return str(sma.loc[year, "status"])


def months_between(start: pd.Timestamp, end: pd.Timestamp) -> int:
    """Whole months from ``start`` to ``end``, rounded to the nearest month (30.44 days each)."""
    return round((pd.Timestamp(end) - pd.Timestamp(start)).days / 30.4375)


def conclusion_to_expiry_months(concluded_sma: int = 12, expiring_sma: int = 11) -> int:
    """Months between the conclusion of one agreement's talks and the expiry of the one before.

    The conclusion date is the timeline's 'negotiations concluded' event for ``concluded_sma``;
    the expiry is the last day of the earlier agreement's final year.
    """
    events = loaders.load_timeline()
    ordinal = {11: "11th", 12: "12th"}.get(concluded_sma, f"{concluded_sma}th")
    concluded = events[events["event"].str.startswith(f"{ordinal} SMA negotiations concluded")]["start"]
    if concluded.empty:
        raise KeyError(f"the timeline has no conclusion event for the {ordinal} SMA")
    agreements = loaders.load_sma_agreements().set_index("sma_number")
    expiry = pd.Timestamp(year=int(agreements.loc[expiring_sma, "period_end_year"]), month=12, day=31)
    return months_between(concluded.iloc[0], expiry)


# --- troops and Japan ------------------------------------------------------------------------------


def usfk_levels() -> pd.DataFrame:
    """Reported or authorised USFK levels beside DMDC's count of permanently assigned troops."""
    reported = loaders.load_usfk_troops()[["year", "usfk_troops", "status", "level_type"]]
    dmdc = loaders.load_us_troops_abroad()
    dmdc = dmdc[dmdc["iso3"] == "KOR"][["year", "troops_active_duty", "quarters_reported"]]
    return reported.merge(dmdc, on="year", how="outer").sort_values("year").reset_index(drop=True)


def japan_korea_comparison() -> pd.DataFrame:
    """Japan's host-nation support against Korea's SMA, in dollars and as a share of military spending.

    Japan's annual amounts are budgets where a source gives one, otherwise the agreement total
    spread evenly over its years (marked). Both countries' shares use SIPRI's military
    expenditure in national currency (calendar years; Japan budgets by fiscal year from April).
    """
    hns = loaders.load_japan_hns()
    annual = {}
    for row in hns.itertuples():
        if row.annual_jpy_billion is None or pd.isna(row.annual_jpy_billion) or pd.isna(row.fy_end):
            continue
        basis = "agreement average" if row.basis.startswith("agreement") else "budget"
        for year in range(int(row.fy_start), int(row.fy_end) + 1):
            # A budget figure for a single year beats an agreement average covering it.
            if year not in annual or (annual[year][1] == "agreement average" and basis == "budget"):
                annual[year] = (float(row.annual_jpy_billion), basis)
    japan = pd.DataFrame(
        [(y, v, b) for y, (v, b) in sorted(annual.items())], columns=["year", "japan_jpy_billion", "japan_basis"]
    )
    local = loaders.sipri_series("local_currency_current_m")
    japan["japan_usd_million"] = japan["japan_jpy_billion"] * 1000.0 / japan["year"].map(jpy_per_usd())
    japan["japan_share_of_milex_pct"] = 100.0 * japan["japan_jpy_billion"] * 1000.0 / japan["year"].map(local["JPN"])

    korea = contributions()[["year", "krw_billion", "usd_million"]].rename(
        columns={"krw_billion": "korea_krw_billion", "usd_million": "korea_usd_million"}
    )
    budget = loaders.load_korea_defense_budget()[["year", "budget_krw_trillion"]]
    korea = korea.merge(budget, on="year", how="left")
    korea["korea_share_of_budget_pct"] = 100.0 * korea["korea_krw_billion"] / (korea["budget_krw_trillion"] * 1000.0)
    korea["korea_share_of_milex_pct"] = 100.0 * korea["korea_krw_billion"] * 1000.0 / korea["year"].map(local["KOR"])
    # Korea's series for every year from Japan's first to SIPRI's last; Japan's only where it has a figure.
    korea = korea[(korea["year"] >= japan["year"].min()) & korea["year"].isin(local.index)]
    merged = korea.merge(japan, on="year", how="left")
    return merged[merged["korea_share_of_milex_pct"].notna()].reset_index(drop=True)
