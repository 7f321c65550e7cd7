"""Korea's fiscal path to 3.5 % of GDP: what each pledge date needs and what it costs.

Three nominal GDP paths to 2035, each from a published figure or from the book's data:

* ``plan``: the GDP the government's 2025-2029 fiscal plan implies (its national debt over its
  debt-to-GDP ratio, 2026-2029), then the plan's nominal growth rate carried on to 2035 (the
  book's assumption: the plan stops in 2029);
* ``ministry``: the defense ministry's own reckoning of September 2025, which grows 2025 GDP (as
  the ministry's 2.32 % share of the 2025 budget implies it) at 3.4 % a year;
* ``trend``: 2026 GDP from the fiscal plan, growing at the average nominal growth of 2014-2024
  (SIPRI's GDP on one base).

The measure is the ministry's budget (its general account, the measure in which the 3.5 % has been
discussed in Seoul). A budget path grows at one constant rate from the 2026 budget as passed to
3.5 % of GDP in the target year, as the ministry's reckoning does. 'Holding today's share' keeps the
2026 budget's share of GDP (on the same path) constant; the cumulative cost of a pledge is the sum,
year by year, of the budget on its path minus the budget at today's share. Amounts are nominal.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data import loaders
from .gdp_base import consistent_gdp

FIRST_YEAR = 2026
HORIZON = 2035
FISCAL_PLAN = "2025-2029 National Fiscal Management Plan"
MND_RECKONING = "MND reckoning of the path to 3.5 % (September 2025)"
MND_PLANS = ["MND 2024-2028 mid-term defense plan", "MND 2025-2029 mid-term defense plan"]
TREND_YEARS = (2014, 2024)
PATHS = ["ministry", "plan", "trend"]
PATH_LABELS = {
    "ministry": "the ministry's reckoning",
    "plan": "the fiscal plan",
    "trend": "the 2014–2024 trend",
}


def _figures() -> pd.DataFrame:
    return loaders.load_korea_budget_figures()


def _figure(measure: str, year: int, document: str) -> float:
    return loaders.budget_figure(measure, year, document)


def budget_2026() -> float:
    return float(loaders.load_korea_defense_budget().set_index("year").loc[FIRST_YEAR, "budget_krw_trillion"])


def plan_gdp() -> pd.Series:
    """Nominal GDP (trillion won) the fiscal plan implies: national debt over its ratio to GDP."""
    figures = _figures()
    plan = figures[figures["document"] == FISCAL_PLAN]
    debt = plan[plan["measure"] == "national_debt"].set_index("year")["value"].astype(float)
    ratio = plan[plan["measure"] == "national_debt_to_gdp"].set_index("year")["value"].astype(float)
    return (debt / (ratio / 100.0)).dropna().rename("gdp_krw_trillion")


def gdp_2026_estimates() -> dict[str, float]:
    """2026 GDP two ways: from the fiscal plan, and from the ministry's projection of its proposal."""
    figures = loaders.load_published_figures()["value"]
    proposal = float(figures.loc["mnd_2026_proposal_krw_trillion"])
    share = float(figures.loc["mnd_2026_proposal_gdp_pct"])
    return {"fiscal_plan": float(plan_gdp().loc[FIRST_YEAR]), "ministry_proposal": proposal / (share / 100.0)}


def trend_growth() -> float:
    """Average nominal GDP growth over TREND_YEARS (percent a year), SIPRI's GDP on one base."""
    gdp = consistent_gdp()
    first, last = TREND_YEARS
    return 100.0 * ((gdp.loc[last] / gdp.loc[first]) ** (1.0 / (last - first)) - 1.0)


def gdp_paths(horizon: int = HORIZON) -> pd.DataFrame:
    """Nominal GDP, trillion won, FIRST_YEAR..horizon, on the three paths."""
    years = range(FIRST_YEAR, horizon + 1)
    implied = plan_gdp()
    plan_growth = _figure("nominal_gdp_growth", max(implied.index), FISCAL_PLAN) / 100.0
    plan = {}
    for year in years:
        plan[year] = implied.loc[year] if year in implied.index else plan[year - 1] * (1 + plan_growth)

    budget = loaders.load_korea_defense_budget().set_index("year")
    base_year = FIRST_YEAR - 1
    gdp_base = float(budget.loc[base_year, "budget_krw_trillion"]) / (
        float(budget.loc[base_year, "share_of_gdp_pct"]) / 100
    )
    ministry_growth = _figure("nominal_gdp_growth", horizon, MND_RECKONING) / 100.0
    ministry = {year: gdp_base * (1 + ministry_growth) ** (year - base_year) for year in years}

    g = trend_growth() / 100.0
    trend = {year: implied.loc[FIRST_YEAR] * (1 + g) ** (year - FIRST_YEAR) for year in years}
    frame = pd.DataFrame({"ministry": ministry, "plan": plan, "trend": trend})
    frame.index.name = "year"
    return frame


def required_growth(gdp: pd.Series, target_pct: float, target_year: int, start: float | None = None) -> float:
    """Yearly nominal budget growth (percent) that takes the 2026 budget to target_pct of GDP in target_year."""
    start = budget_2026() if start is None else start
    target = target_pct / 100.0 * gdp.loc[target_year]
    return 100.0 * ((target / start) ** (1.0 / (target_year - FIRST_YEAR)) - 1.0)


def budget_path(gdp: pd.Series, target_pct: float, target_year: int, horizon: int = HORIZON) -> pd.Series:
    """The budget growing at the required rate to target_year, then held at target_pct of GDP."""
    rate = required_growth(gdp, target_pct, target_year) / 100.0
    start = budget_2026()
    values = {}
    for year in range(FIRST_YEAR, horizon + 1):
        if year <= target_year:
            values[year] = start * (1 + rate) ** (year - FIRST_YEAR)
        else:
            values[year] = target_pct / 100.0 * gdp.loc[year]
    return pd.Series(values, name="budget_krw_trillion")


def share_2026(gdp: pd.Series) -> float:
    """The 2026 budget's share of 2026 GDP on this path (percent)."""
    return 100.0 * budget_2026() / gdp.loc[FIRST_YEAR]


def holding_share(gdp: pd.Series) -> pd.Series:
    """The budget that keeps the 2026 share of GDP on this path."""
    return (share_2026(gdp) / 100.0 * gdp).rename("budget_krw_trillion")


def scenarios(target_pct: float, target_years: tuple[int, ...] = (2030, HORIZON)) -> pd.DataFrame:
    """For each GDP path and pledge date: the growth needed, the budget and extra cost in the date's year,
    and the cumulative cost to HORIZON against holding the 2026 share."""
    paths = gdp_paths()
    rows = []
    for name in PATHS:
        gdp = paths[name]
        hold = holding_share(gdp)
        for year in target_years:
            path = budget_path(gdp, target_pct, year)
            rows.append(
                {
                    "path": name,
                    "target_year": year,
                    "gdp_target_year": gdp.loc[year],
                    "share_2026_pct": share_2026(gdp),
                    "required_growth_pct": required_growth(gdp, target_pct, year),
                    "budget_target_year": path.loc[year],
                    "extra_over_2026_budget": path.loc[year] - budget_2026(),
                    "extra_over_holding_share": path.loc[year] - hold.loc[year],
                    "cumulative_extra_to_horizon": float((path - hold).loc[FIRST_YEAR + 1 :].sum()),
                }
            )
    return pd.DataFrame(rows).set_index(["path", "target_year"])


def ministry_reckoning_check() -> dict[str, float]:
    """The ministry's own reckoning recomputed: the 2025 budget at 7.7 % a year, and its 2035 share."""
    budget = loaders.load_korea_defense_budget().set_index("year")
    base_year = FIRST_YEAR - 1
    start = float(budget.loc[base_year, "budget_krw_trillion"])
    growth = _figure("defense_budget_growth", HORIZON, MND_RECKONING) / 100.0
    end = start * (1 + growth) ** (HORIZON - base_year)
    gdp = gdp_paths()["ministry"].loc[HORIZON]
    return {
        "budget_2035": end,
        "published_budget_2035": _figure("defense_budget", HORIZON, MND_RECKONING),
        "share_2035_pct": 100.0 * end / gdp,
    }


def plans_against_budgets() -> pd.DataFrame:
    """The ministry's medium-term plans beside the budgets later passed, trillion won."""
    figures = _figures()
    plans = figures[figures["document"].isin(MND_PLANS) & (figures["measure"] == "defense_budget")]
    wide = plans.pivot(index="year", columns="document", values="value").astype(float)
    passed = loaders.load_korea_defense_budget().set_index("year")["budget_krw_trillion"].astype(float)
    wide["passed"] = passed.reindex(wide.index)
    return wide


def government_spending_share(path: pd.Series, year: int) -> dict[str, float]:
    """A budget path's share of central government total expenditure in the fiscal plan's year."""
    total = _figure("government_total_expenditure", year, FISCAL_PLAN)
    ministry_plan = _figure("defense_budget", year, MND_PLANS[-1]) if year <= 2029 else np.nan
    return {
        "path_pct": 100.0 * float(path.loc[year]) / total,
        "ministry_plan_pct": 100.0 * ministry_plan / total,
        "total_expenditure": total,
    }


def debt_effect(path: pd.Series, gdp: pd.Series, year: int) -> float:
    """Points of GDP added to debt by year if the extra over holding the 2026 share were all borrowed.

    The sum of the yearly extras from 2027 to year, over that year's GDP; interest is left out.
    """
    hold = holding_share(gdp)
    extra = float((path - hold).loc[FIRST_YEAR + 1 : year].sum())
    return 100.0 * extra / float(gdp.loc[year])


def broader_measure_share(year: int = 2024) -> float:
    """SIPRI's spending over the ministry's budget in ``year``: how much a broader count adds."""
    local = loaders.sipri_series("local_currency_current_m")["KOR"] / 1e6
    budget = loaders.load_korea_defense_budget().set_index("year")["budget_krw_trillion"].astype(float)
    return float(local.loc[year] / budget.loc[year])


def arms_pledge_in_won() -> dict[str, float]:
    """The fact sheet's $25 billion of US equipment in won at the 2025 average rates, against force improvement."""
    figures = loaders.load_published_figures()["value"]
    usd = float(figures.loc["factsheet_us_equipment_usd_billion"])
    rate = float(figures.loc["krw_per_usd_2025_average"])
    rate_alt = float(figures.loc["krw_per_usd_2025_average_alt"])
    won = usd * rate / 1000.0  # trillion won
    improvement = loaders.budget_figure("force_improvement", FIRST_YEAR, "2026 defense budget as passed")
    years = 2030 - FIRST_YEAR + 1
    return {
        "usd_billion": usd,
        "krw_trillion": won,
        "krw_trillion_alt": usd * rate_alt / 1000.0,
        "years": years,
        "per_year_krw_trillion": won / years,
        "share_of_force_improvement_pct": 100.0 * won / years / improvement,
        "force_improvement_2026": improvement,
    }
