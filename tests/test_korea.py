"""The Korea chapter's analysis: budget growth, SMA rounds and the synthetic control, recomputed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import optimize

from paying_for_protection import paths
from paying_for_protection.analysis import korea

# One test process fits the synthetic control for all of them (it takes about 2 s).
pytestmark = pytest.mark.xdist_group("korea")


@pytest.fixture(scope="module")
def synth():
    return korea.synthetic_control("KOR")


def test_budget_growth_and_the_demand_years_recompute_from_the_csv():
    budget = pd.read_csv(paths.DATA_DIR / "korea_defense_budget.csv").set_index("year")["budget_krw_trillion"]
    growth = 100 * (budget / budget.shift(1) - 1)
    assert korea.budget_growth().loc[2019] == pytest.approx(growth.loc[2019])
    demand = korea.demand_years()
    assert demand["during_dispute"] == pytest.approx(growth.loc[2020:2021].mean())
    assert demand["before_2018"] == pytest.approx(growth.loc[2010:2017].mean())
    rounds = korea.sma_rounds()
    assert rounds.loc[11, "budget_growth_during_pct"] == pytest.approx(growth.loc[2020:2025].mean())
    assert rounds.loc[11, "budget_growth_before_pct"] == pytest.approx(growth.loc[2014:2019].mean())
    assert rounds.loc[12, "budget_years_during"] == 1  # only the 2026 budget is passed


def test_donor_pool_excludes_korea_japan_and_the_patron_and_has_complete_series():
    donors = korea.donors()
    assert not set(donors) & {"KOR", "JPN", "USA"}
    assert korea.burden_panel()[donors].notna().all().all()


def test_synthetic_korea_is_the_weighted_average_of_its_donors(synth):
    weights = synth["weights"]
    assert (weights >= -1e-9).all() and weights.sum() == pytest.approx(1, abs=1e-6)
    share = pd.read_csv(paths.DATA_DIR / "sipri_milex.csv")
    share = share[share["indicator"] == "share_of_gdp_pct"].pivot(index="year", columns="iso3", values="value")
    recomputed = share.loc[1990:2024, weights.index] @ weights
    assert np.allclose(synth["synthetic"].to_numpy(), recomputed.to_numpy(), atol=1e-9)


def test_synthetic_weights_solve_the_equal_weight_problem_independently(synth):
    # min_W sum_k (x1_k - x0_k W)^2 over the simplex, predictors: the five-year block means and the
    # 1990-2019 mean of the burden, each divided by its standard deviation across the units (as in
    # Synth), equally weighted. Solved here with scipy's SLSQP, not through pysyncon.
    burden = korea.burden_panel()
    blocks = [(a, b) for a, b in korea.PREDICTOR_BLOCKS] + [(1990, 2019)]
    X = np.array([[burden.loc[a:b, c].mean() for c in burden.columns] for a, b in blocks])
    X = pd.DataFrame(X, columns=burden.columns)
    X = X[[c for c in X.columns if c in synth["weights"].index or c == "KOR"]]
    X = X.divide(X.std(axis=1), axis=0)
    donors = list(synth["weights"].index)
    x1, x0 = X["KOR"].to_numpy(), X[donors].to_numpy()
    result = optimize.minimize(
        lambda w: np.sum((x1 - x0 @ w) ** 2),
        np.full(len(donors), 1 / len(donors)),
        bounds=[(0, 1)] * len(donors),
        constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1}],
        method="SLSQP",
        options={"ftol": 1e-12, "maxiter": 1000},
    )
    loss_package = np.sum((x1 - x0 @ synth["weights"].to_numpy()) ** 2)
    assert loss_package <= result.fun * (1 + 1e-4) + 1e-9  # the package's weights are as good
    assert np.abs(result.x - synth["weights"].to_numpy()).max() < 0.02


def test_rmspe_ratio_and_placebo_p_value_by_hand(synth):
    gap = pd.Series([1.0, -1.0, 2.0, 2.0], index=[2018, 2019, 2020, 2021])
    assert korea.rmspe_ratio(gap) == pytest.approx(2.0)
    ratios = synth["ratios"]
    assert synth["units"] == len(korea.donors()) + 1
    assert synth["p"] == pytest.approx((ratios >= ratios["KOR"]).sum() / len(ratios))
    assert synth["rank"] == int((ratios >= ratios["KOR"]).sum())
