"""Computations for the budget chapter: Korea's defense budget, Korea among its allies, the SMA
inside the budget, and NATO's 2 % guideline on two measures.

Two measures of Korea's defense effort are kept apart throughout:

* the Ministry of National Defense's (MND) original budget, which is the general account of the
  ministry and the procurement agency only, with the ministry's own share of GDP (on the Bank of
  Korea's 2015 base to 2024);
* SIPRI's military expenditure, a broader definition that counts, among other items, military
  pensions (the military pension fund lies outside the ministry's general account), over GDP as
  SIPRI measures it (current national accounts from 2000; older bases before, see
  :mod:`.gdp_base`).

Mixing them in one series would show a jump that is only a change of definition.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data import loaders
from . import history
from .allies import members_by_year
from .conversions import korea_price_index

COMPARATORS = ["KOR", "USA", "JPN", "DEU", "GBR", "FRA", "POL"]


# --- Korea's budget -------------------------------------------------------------------------------


def korea_gdp_krw_trillion() -> pd.Series:
    """Korea's nominal GDP in trillion won as SIPRI uses it (local-currency spending / share of GDP)."""
    local = loaders.sipri_series("local_currency_current_m")["KOR"]
    share = loaders.sipri_series("share_of_gdp_pct")["KOR"]
    return (local / (share / 100.0) / 1e6).dropna().rename("gdp_krw_trillion")


def korea_budget(base_year: int = 2024) -> pd.DataFrame:
    """MND budget by year: nominal, real (base-year won), growth, and shares on both GDP bases."""
    budget = loaders.load_korea_defense_budget().set_index("year")
    prices = korea_price_index(base_year)
    gdp = korea_gdp_krw_trillion()
    sipri_local = loaders.sipri_series("local_currency_current_m")["KOR"] / 1e6
    frame = pd.DataFrame(index=budget.index)
    frame["budget_krw_trillion"] = budget["budget_krw_trillion"].astype(float)
    frame["real_krw_trillion"] = frame["budget_krw_trillion"] * 100.0 / frame.index.map(prices)
    frame["growth_pct"] = 100.0 * frame["budget_krw_trillion"].pct_change()
    frame["real_growth_pct"] = 100.0 * frame["real_krw_trillion"].pct_change()
    frame["mnd_share_of_gdp_pct"] = budget["share_of_gdp_pct"].astype(float)
    frame["gdp_krw_trillion"] = frame.index.map(gdp)
    frame["mnd_budget_on_current_gdp_pct"] = 100.0 * frame["budget_krw_trillion"] / frame["gdp_krw_trillion"]
    frame["sipri_spending_krw_trillion"] = frame.index.map(sipri_local)
    frame["sipri_share_of_gdp_pct"] = frame.index.map(loaders.sipri_series("share_of_gdp_pct")["KOR"])
    frame["mnd_share_of_government_pct"] = budget["share_of_government_pct"].astype(float)
    return frame


def definition_gap(year: int) -> dict[str, float]:
    """Split SIPRI's share minus MND's published share into a definition and a GDP-base effect.

    definition effect: (SIPRI spending - MND budget) / current GDP;
    GDP-base effect: MND budget / current GDP - MND's published share.
    The two add up to the whole gap.
    """
    row = korea_budget().loc[year]
    definition = 100.0 * (row["sipri_spending_krw_trillion"] - row["budget_krw_trillion"]) / row["gdp_krw_trillion"]
    base = row["mnd_budget_on_current_gdp_pct"] - row["mnd_share_of_gdp_pct"]
    return {
        "sipri_share": row["sipri_share_of_gdp_pct"],
        "mnd_share": row["mnd_share_of_gdp_pct"],
        "definition_effect": definition,
        "gdp_base_effect": base,
        "sipri_over_mnd": row["sipri_spending_krw_trillion"] / row["budget_krw_trillion"],
        "mnd_gdp_over_current": (row["budget_krw_trillion"] / (row["mnd_share_of_gdp_pct"] / 100.0))
        / row["gdp_krw_trillion"],
    }


# --- Korea among allies ---------------------------------------------------------------------------


def nato_europe_burden(first: int = 1990, last: int = 2024) -> pd.DataFrame:
    """NATO Europe's median burden and its aggregate burden (members' shares weighted by real GDP).

    Total spending over total GDP equals the mean of members' shares weighted by their nominal GDP.
    Nominal GDP for every member would mean publishing further SIPRI values, so the weights here are
    real GDP (World Bank, constant 2015 dollars): an approximation to total spending over total
    GDP, which the chapter calls by what it is, a real-GDP-weighted mean of shares.
    """
    countries = loaders.load_countries()
    share = loaders.sipri_series("share_of_gdp_pct")
    gdp = loaders.load_wdi_gdp().pivot(index="year", columns="iso3", values="gdp_constant_2015_usd_bn")
    rows = []
    for year, members in members_by_year(countries, first, last, europe_only=True).items():
        values = share.loc[year, members].dropna()
        weights = gdp.loc[year, values.index].dropna()
        values = values[weights.index]
        rows.append(
            {
                "year": year,
                "members": len(members),
                "with_data": len(values),
                "median_pct": float(values.median()),
                "weighted_pct": float(np.average(values, weights=weights)),
            }
        )
    return pd.DataFrame(rows).set_index("year")


def world_burden() -> pd.Series:
    world = loaders.load_sipri_world().pivot(index="year", columns="statistic", values="value")
    return world["coverage_burden_pct"]


def comparison_shares() -> pd.DataFrame:
    """Share of GDP, 1990-2024: the comparators, NATO Europe (median, aggregate) and the world."""
    share = loaders.sipri_series("share_of_gdp_pct").loc[1990:2024, COMPARATORS]
    europe = nato_europe_burden()
    share["NATO_EUROPE_MEDIAN"] = europe["median_pct"]
    share["NATO_EUROPE_AGGREGATE"] = europe["weighted_pct"]
    share["WORLD"] = world_burden()
    return share


def higher_and_lower(shares: pd.DataFrame, year: int, subject: str, others: list[str]) -> tuple[list[str], list[str]]:
    """The columns in ``others`` whose share in ``year`` is above, and those below or equal to, the subject's."""
    row = shares.loc[year]
    higher = [c for c in others if row[c] > row[subject]]
    lower = [c for c in others if row[c] <= row[subject]]
    return higher, lower


#: Names that take the definite article in running prose.
_WITH_ARTICLE = {"USA", "GBR", "NLD", "PHL"}


def prose_names() -> dict[str, str]:
    """Country names as a sentence uses them ('the United States', 'Japan'), by ISO3 code."""
    names = loaders.load_countries().set_index("iso3")["name"]
    return {iso3: (f"the {name}" if iso3 in _WITH_ARTICLE else name) for iso3, name in names.items()}


def sipri_estimates(iso3: str, indicator: str) -> list[int]:
    """Years in which SIPRI marks a country's value of an indicator as its own estimate."""
    sipri = loaders.load_sipri_milex()
    rows = sipri[(sipri["iso3"] == iso3) & (sipri["indicator"] == indicator) & (sipri["sipri_flag"] == "estimate")]
    return sorted(int(y) for y in rows["year"])


def latest_with_value(frame: pd.DataFrame, column: str) -> int:
    """The last year in which ``column`` has a value (a table's newest row may be missing)."""
    return int(frame[column].dropna().index.max())


def ally_ranks(year: int) -> pd.Series:
    """Allies in the panel that year ranked by share of GDP (1 = highest)."""
    countries = loaders.load_countries()
    allies = countries[countries["in_panel"] & (countries["ally_since"] <= year)]["iso3"]
    share = loaders.sipri_series("share_of_gdp_pct").loc[year, allies].dropna()
    return share.rank(ascending=False, method="min").sort_values()


# --- the SMA in the budget ------------------------------------------------------------------------


def sma_in_budget() -> pd.DataFrame:
    """SMA payment as a share of MND's budget, and per US soldier (DMDC count and authorised level)."""
    contrib = history.contributions().set_index("year")
    budget = loaders.load_korea_defense_budget().set_index("year")["budget_krw_trillion"]
    troops = loaders.load_us_troops_abroad()
    kor = troops[troops["iso3"] == "KOR"].set_index("year")["troops_active_duty"].astype(float)
    frame = pd.DataFrame(index=contrib.index)
    frame["sma_krw_billion"] = contrib["krw_billion"]
    frame["sma_usd_million"] = contrib["usd_million"]
    frame["share_of_budget_pct"] = 100.0 * contrib["krw_billion"] / (budget.reindex(contrib.index) * 1000.0)
    frame["dmdc_troops"] = kor.reindex(contrib.index)
    frame["usd_per_dmdc_soldier"] = contrib["usd_million"] * 1e6 / frame["dmdc_troops"]
    return frame


def japan_per_soldier() -> pd.DataFrame:
    """Japan's host-nation support per permanently assigned US soldier in Japan (DMDC)."""
    comparison = history.japan_korea_comparison().set_index("year")
    troops = loaders.load_us_troops_abroad()
    jpn = troops[troops["iso3"] == "JPN"].set_index("year")["troops_active_duty"].astype(float)
    frame = comparison[["japan_usd_million"]].dropna().copy()
    frame["dmdc_troops"] = jpn.reindex(frame.index)
    frame["usd_per_dmdc_soldier"] = frame["japan_usd_million"] * 1e6 / frame["dmdc_troops"]
    return frame


def demand_2019() -> dict[str, float]:
    """The 2019 US demand in won at SIPRI's 2019 rate, against the 2019 budget and its growth.

    Two readings: the whole demand against the budget's increase over 2018, and only the part of
    the demand above the contribution Korea already paid in 2019 (the 10th SMA's amount).
    """
    from .conversions import krw_per_usd

    figures = loaders.load_published_figures()["value"]
    budget = loaders.load_korea_defense_budget().set_index("year")["budget_krw_trillion"].astype(float)
    contributions = loaders.load_sma_contributions().set_index("year")
    demand_usd = float(figures.loc["us_demand_2019_usd_billion"])
    rate = float(krw_per_usd().loc[2019])
    demand = demand_usd * rate / 1000.0  # trillion won
    paid = float(contributions.loc[2019, "amount_krw_billion"]) / 1000.0
    increase = float(budget.loc[2019] - budget.loc[2018])
    return {
        "demand_usd_billion": demand_usd,
        "krw_per_usd": rate,
        "demand_krw_trillion": demand,
        "sma_2019_krw_trillion": paid,
        "extra_krw_trillion": demand - paid,
        "budget_increase_krw_trillion": increase,
        "share_of_budget_pct": 100.0 * demand / float(budget.loc[2019]),
        "whole_over_increase": demand / increase,
        "extra_over_increase": (demand - paid) / increase,
    }


# --- benchmarks --------------------------------------------------------------------------------


def gdp_2026_from_proposal(proposal_krw_trillion: float, proposal_share_pct: float) -> float:
    """2026 nominal GDP implied by the ministry's proposal and the share of GDP it was projected at."""
    return proposal_krw_trillion / (proposal_share_pct / 100.0)


def benchmark_costs(gdp_krw_trillion: float, shares_pct: list[float]) -> pd.Series:
    """What each share of GDP costs in trillion won."""
    return pd.Series({share: gdp_krw_trillion * share / 100.0 for share in shares_pct}, name="krw_trillion")


def required_real_growth(
    current_share_pct: float, target_share_pct: float, years: int, real_gdp_growth_pct: float
) -> float:
    """Annual real growth of defense spending that lifts its share of GDP to the target in ``years``.

    share_T = share_0 * ((1 + r) / (1 + g)) ** T  =>  r = (1 + g) * (target / share_0) ** (1 / T) - 1.
    """
    g = real_gdp_growth_pct / 100.0
    return 100.0 * ((1 + g) * (target_share_pct / current_share_pct) ** (1.0 / years) - 1.0)


def korea_real_gdp_growth(first: int, last: int) -> float:
    """Average annual real GDP growth between two years (World Bank, constant 2015 dollars)."""
    gdp = loaders.load_wdi_gdp()
    kor = gdp[gdp["iso3"] == "KOR"].set_index("year")["gdp_constant_2015_usd_bn"]
    return 100.0 * ((kor.loc[last] / kor.loc[first]) ** (1.0 / (last - first)) - 1.0)


# --- the NATO lens --------------------------------------------------------------------------------


def allies_at_or_above(
    threshold_pct: float, first: int = 2014, last: int = 2024, decimals: int | None = None
) -> pd.DataFrame:
    """Number of NATO members at or above ``threshold_pct`` of GDP, by year, on three measures.

    SIPRI: members at the time, SIPRI's share of GDP. NATO 2024 and 2025 editions: the Allies in
    each table (NATO reports Finland and Sweden for all years), NATO's share of real GDP. With
    ``decimals``, shares are rounded first, as published tables round them.
    """

    def at_or_above(values: pd.Series) -> pd.Series:
        values = values.round(decimals) if decimals is not None else values
        return values >= threshold_pct

    countries = loaders.load_countries()
    share = loaders.sipri_series("share_of_gdp_pct")
    nato = loaders.load_nato_defence_share()
    members = members_by_year(countries, first, last)
    rows = []
    for year in range(first, last + 1):
        sipri_values = share.loc[year, members[year]].dropna()
        row = {
            "year": year,
            "sipri_members": len(members[year]),
            "sipri_at_or_above": int(at_or_above(sipri_values).sum()),
        }
        for edition in ["2024-06", "2025-08"]:
            values = nato[(nato["edition"] == edition) & (nato["year"] == year)]
            row[f"nato_{edition}_reporting"] = len(values)
            above = at_or_above(values["share_of_real_gdp_pct"])
            row[f"nato_{edition}_at_or_above"] = int(above.sum())
            row[f"nato_{edition}_members_at_or_above"] = int((above & values["iso3"].isin(members[year])).sum())
        rows.append(row)
    return pd.DataFrame(rows).set_index("year")


def edition_revisions(iso3: str, first: str = "2024-06", second: str = "2025-08") -> pd.DataFrame:
    """One ally's NATO share of GDP in two editions, year by year, and the revision in percent.

    A revision of GDP (the denominator) moves every year's share; a revision that moves one year
    far more than the others is, for that year, mostly a revision of spending.
    """
    nato = loaders.load_nato_defence_share()
    nato = nato[nato["iso3"] == iso3].pivot(index="year", columns="edition", values="share_of_real_gdp_pct")
    frame = nato[[first, second]].dropna().rename(columns={first: "first_pct", second: "second_pct"})
    frame["revision_pct"] = 100.0 * (frame["second_pct"] / frame["first_pct"] - 1.0)
    return frame


def sipri_nato_pairs(year: int, edition: str = "2025-08") -> pd.DataFrame:
    """SIPRI's and NATO's shares for the members in one year, side by side."""
    countries = loaders.load_countries().set_index("iso3")
    members = members_by_year(countries.reset_index(), year, year)[year]
    share = loaders.sipri_series("share_of_gdp_pct").loc[year, members]
    nato = loaders.load_nato_defence_share()
    nato = nato[(nato["edition"] == edition) & (nato["year"] == year)].set_index("iso3")["share_of_real_gdp_pct"]
    frame = pd.DataFrame(
        {"name": countries.loc[members, "name"], "sipri_pct": share, "nato_pct": nato.reindex(members)}
    )
    frame["difference"] = frame["sipri_pct"] - frame["nato_pct"]
    return frame.sort_values("sipri_pct", ascending=False)
