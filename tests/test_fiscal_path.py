"""The fiscal path to 3.5 %: GDP paths, required growth and costs recomputed independently, and the
published figures they rest on checked against each other."""

from __future__ import annotations

import pandas as pd
import pytest

from paying_for_protection import paths
from paying_for_protection.analysis import fiscal_path

PLAN = fiscal_path.FISCAL_PLAN


def _rows(measure: str, document: str) -> pd.Series:
    figures = pd.read_csv(paths.DATA_DIR / "korea_budget_figures.csv")
    rows = figures[(figures["measure"] == measure) & (figures["document"] == document)]
    return rows.set_index("year")["value"]


def _budget(year: int) -> float:
    return float(
        pd.read_csv(paths.DATA_DIR / "korea_defense_budget.csv").set_index("year").loc[year, "budget_krw_trillion"]
    )


def test_the_fiscal_plans_gdp_is_its_debt_over_its_debt_ratio():
    debt, ratio = _rows("national_debt", PLAN), _rows("national_debt_to_gdp", PLAN)
    implied = fiscal_path.plan_gdp()
    for year in range(2025, 2030):
        assert implied.loc[year] == pytest.approx(debt[year] / ratio[year] * 100)
    # The plan's implied growth is close to the nominal growth it works with (3.9 %).
    growth = 100 * ((implied.loc[2029] / implied.loc[2026]) ** (1 / 3) - 1)
    assert abs(growth - _rows("nominal_gdp_growth", PLAN)[2029]) < 0.3


def test_two_published_2026_gdps_agree():
    # One from the finance ministry's debt figures, one from the defense ministry's projection of its
    # own proposal: independent sources that should describe the same economy.
    estimates = fiscal_path.gdp_2026_estimates()
    assert estimates["fiscal_plan"] == pytest.approx(estimates["ministry_proposal"], rel=0.01)


def test_the_ministrys_reckoning_reproduces_from_its_stated_rates():
    check = fiscal_path.ministry_reckoning_check()
    assert check["budget_2035"] == pytest.approx(61.2469 * 1.077**10)
    assert check["budget_2035"] == pytest.approx(check["published_budget_2035"], rel=0.01)
    assert check["share_2035_pct"] == pytest.approx(3.5, abs=0.05)


@pytest.mark.parametrize("path", fiscal_path.PATHS)
@pytest.mark.parametrize("target_year", [2030, 2035])
def test_required_growth_lands_on_the_pledge_and_costs_recompute(path, target_year):
    gdp = fiscal_path.gdp_paths()[path]
    start = _budget(2026)
    rate = fiscal_path.required_growth(gdp, 3.5, target_year) / 100
    assert start * (1 + rate) ** (target_year - 2026) == pytest.approx(0.035 * gdp[target_year])
    row = fiscal_path.scenarios(3.5).loc[(path, target_year)]
    share = start / gdp[2026]
    cumulative = 0.0
    for year in range(2027, 2036):
        budget = start * (1 + rate) ** (year - 2026) if year <= target_year else 0.035 * gdp[year]
        cumulative += budget - share * gdp[year]
    assert row["cumulative_extra_to_horizon"] == pytest.approx(cumulative)
    assert row["extra_over_2026_budget"] == pytest.approx(0.035 * gdp[target_year] - start)


def test_the_press_figure_holds_only_at_2026_gdp():
    figures = pd.read_csv(paths.DATA_DIR / "published_figures.csv").set_index("figure_id")["value"]
    gdp_2026 = figures["mnd_2026_proposal_krw_trillion"] / (figures["mnd_2026_proposal_gdp_pct"] / 100)
    assert 0.035 * gdp_2026 - _budget(2026) == pytest.approx(figures["press_extra_for_3_5pct_krw_trillion"], abs=0.5)
    at_2035 = fiscal_path.scenarios(3.5).xs(2035, level="target_year")["extra_over_2026_budget"]
    # The range for 2035 (65-77 trillion won more) against the book's three paths.
    assert 60 < at_2035.min() < at_2035.max() < 80
    assert (at_2035 > 2 * figures["press_extra_for_3_5pct_krw_trillion"]).all()


def test_the_gdp_paths_follow_their_stated_assumptions():
    frame = fiscal_path.gdp_paths()
    ministry_growth = frame["ministry"].pct_change().dropna()
    assert ministry_growth.round(6).eq(0.034).all()
    plan_tail = frame["plan"].loc[2029:].pct_change().dropna()
    assert plan_tail.round(6).eq(0.039).all()
    assert frame.loc[2026, "plan"] == pytest.approx(fiscal_path.plan_gdp().loc[2026])


def test_the_ministrys_plans_overstated_the_budgets_passed():
    plans = fiscal_path.plans_against_budgets()
    old = "MND 2024-2028 mid-term defense plan"
    assert plans.loc[2025, old] == 64.3 and plans.loc[2025, "passed"] == pytest.approx(61.2469)
    assert (plans.loc[[2025, 2026], old] > plans.loc[[2025, 2026], "passed"]).all()


def test_the_arms_pledge_in_won_and_the_debt_effect_recompute():
    arms = fiscal_path.arms_pledge_in_won()
    assert arms["krw_trillion"] == pytest.approx(25 * 1421.97 / 1000)
    assert arms["share_of_force_improvement_pct"] == pytest.approx(100 * 25 * 1421.97 / 1000 / 5 / 19.9653)
    gdp = fiscal_path.gdp_paths()["plan"]
    path = fiscal_path.budget_path(gdp, 3.5, 2035)
    share = _budget(2026) / gdp[2026]
    extra = sum(path[y] - share * gdp[y] for y in range(2027, 2030))
    assert fiscal_path.debt_effect(path, gdp, 2029) == pytest.approx(100 * extra / gdp[2029])
