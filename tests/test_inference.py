"""Inference with few clusters: each routine against an independent computation.

The chapter's estimates were pinned from the code as it stood before the inference was reworked
(statsmodels CR1 without ``use_t``, wildboottest's own bootstrap), so these tests also show that
the change of inference left every estimate where it was.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats

from paying_for_protection.analysis import design_checks, inference, models

# Main model, computed by the code before this rework (commit 6c1ddc3): coefficient, CR1 standard error.
PINNED_MAIN = {
    "troops_lag": (0.20937980618842994, 0.11975080245667663),
    "wales_pressure": (0.33115262817681146, 0.11798509145762752),
    "trump_pressure": (-0.1366666423571223, 0.07239173777230162),
    "gdp_growth_pct": (-0.0025317047781770624, 0.008441045290607909),
    "border_x_crimea": (0.2810774753406211, 0.1254988621988289),
    "border_x_invasion": (0.5315002282558332, 0.19609027431291706),
    "dprk_nuclear": (0.41671236167713077, 0.12199024328138175),
}
# wildboottest 0.3.2's own p-values for the pressure measures (9,999 draws, seed 20260101), same commit.
PINNED_BOOTSTRAP = {
    "troops_lag": 0.11191119111911191,
    "wales_pressure": 0.028302830283028303,
    "trump_pressure": 0.0671067106710671,
}


@pytest.fixture(scope="module")
def main_fit():
    return models.main_model(with_bootstrap=False)


def _panel(seed: int = 7, units: int = 12, years: int = 10) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    unit_effect, year_effect = rng.normal(0, 2, units), rng.normal(0, 1, years)
    rows = []
    for i in range(units):
        exposure = rng.uniform(0, 1)
        for t in range(years):
            x1 = rng.normal() + 0.3 * unit_effect[i]
            post = float(t >= years // 2)
            y = 1.5 * x1 + 0.4 * exposure * post + unit_effect[i] + year_effect[t] + rng.normal(0, 0.5) * (1 + 0.2 * i)
            rows.append({"iso3": f"U{i:02d}", "year": 2000 + t, "x1": x1, "exposure": exposure, "post": post, "y": y})
    frame = pd.DataFrame(rows)
    frame["treat"] = frame["exposure"] * frame["post"]
    return frame


# --- the estimates did not move -------------------------------------------------------------------


def test_main_model_estimates_equal_the_pinned_ones(main_fit):
    for name, (coef, se) in PINNED_MAIN.items():
        assert main_fit.coef(name) == pytest.approx(coef, rel=1e-9, abs=1e-12), name
        assert main_fit.se(name) == pytest.approx(se, rel=1e-9), name
    assert (main_fit.nobs, main_fit.clusters) == (885, 33)


def test_vectorised_bootstrap_gives_wildboottests_pinned_p_values(main_fit):
    for name, p in PINNED_BOOTSTRAP.items():
        assert main_fit.wild_bootstrap(name) == pytest.approx(p, abs=1e-12), name


@pytest.mark.parametrize(("param", "seed", "draws"), [("x1", 3, 999), ("treat", 11, 1999), ("treat", 5, 9999)])
def test_vectorised_bootstrap_equals_the_package_on_other_data(param, seed, draws):
    # 2^12 = 4,096 sign patterns: 9,999 draws switch to full enumeration, in both.
    from wildboottest.wildboottest import wildboottest

    data = _panel()
    fit = models.twfe(data, "y", ["x1", "treat"])
    clusters = pd.factorize(fit.data["iso3"])[0]
    expected = wildboottest(fit.model, B=draws, cluster=clusters, param=param, seed=seed, parallel=False, show=False)
    t_stat, p = inference.wild_cluster_bootstrap(
        fit.model.endog, fit.model.exog, fit.data["iso3"], list(fit.model.exog_names).index(param), draws, seed
    )
    assert p == pytest.approx(float(expected["p-value"].iloc[0]), abs=1e-12)
    assert t_stat == pytest.approx(fit.clustered.tvalues[param], rel=1e-8)


# --- t(G-1), CRV3, joint tests ----------------------------------------------------------------------


def test_clustered_tests_and_intervals_use_t_with_g_minus_one_degrees_of_freedom(main_fit):
    g = main_fit.clusters
    for name in models.PRESSURE:
        t_value = main_fit.coef(name) / main_fit.se(name)
        assert main_fit.pvalue(name) == pytest.approx(2 * stats.t.sf(abs(t_value), g - 1), rel=1e-10)
        low, high = main_fit.conf_int(name)
        assert high - main_fit.coef(name) == pytest.approx(stats.t.ppf(0.975, g - 1) * main_fit.se(name), rel=1e-10)
    # The referee's numbers: Wales p moves from 0.005 (normal) to about 0.008 (t(32)).
    assert 2 * stats.norm.sf(PINNED_MAIN["wales_pressure"][0] / PINNED_MAIN["wales_pressure"][1]) < 0.006
    assert 0.007 < main_fit.pvalue("wales_pressure") < 0.009


def test_jackknife_equals_leaving_each_unit_out_with_statsmodels_formulas():
    data = _panel()
    fit = models.twfe(data, "y", ["x1", "treat"])
    full = smf.ols("y ~ x1 + treat + C(iso3) + C(year)", data=data).fit().params
    deviations = []
    for unit in sorted(data["iso3"].unique()):
        refit = smf.ols("y ~ x1 + treat + C(iso3) + C(year)", data=data[data["iso3"] != unit]).fit().params
        deviations.append([refit["x1"] - full["x1"], refit["treat"] - full["treat"]])
    deviations = np.array(deviations)
    g = len(deviations)
    expected = (g - 1) / g * deviations.T @ deviations
    assert fit.jackknife_se("x1") == pytest.approx(np.sqrt(expected[0, 0]), rel=1e-7)
    assert fit.jackknife_se("treat") == pytest.approx(np.sqrt(expected[1, 1]), rel=1e-7)
    t_value = fit.coef("treat") / fit.jackknife_se("treat")
    assert fit.jackknife_pvalue("treat") == pytest.approx(2 * stats.t.sf(abs(t_value), g - 1), rel=1e-10)


def test_joint_wald_test_equals_the_quadratic_form(main_fit):
    names = ["troops_lag", "wales_pressure", "trump_pressure"]
    b = main_fit.clustered.params[names].to_numpy()
    V = main_fit.clustered.cov_params().loc[names, names].to_numpy()
    F = b @ np.linalg.solve(V, b) / len(names)
    result = main_fit.joint_test(names)
    assert result["F"] == pytest.approx(F, rel=1e-8)
    assert (result["df_num"], result["df_denom"]) == (3, main_fit.clusters - 1)
    assert result["p"] == pytest.approx(stats.f.sf(F, 3, main_fit.clusters - 1), rel=1e-8)


def test_a_regressor_that_moves_in_two_countries_has_no_valid_cluster_test(main_fit):
    assert main_fit.treated_clusters("dprk_nuclear") == 2  # Korea and Japan
    assert not main_fit.testable("dprk_nuclear")
    assert main_fit.testable("wales_pressure") and main_fit.testable("troops_lag")


# --- randomisation inference ------------------------------------------------------------------------


def test_permutation_coefficients_equal_full_refits():
    data = _panel()
    fit = models.twfe(data, "y", ["x1", "treat"])
    exposure = data.groupby("iso3")["exposure"].first()
    rng = np.random.default_rng(1)
    perms = np.array([np.arange(len(exposure))] + [rng.permutation(len(exposure)) for _ in range(3)])
    column = list(fit.model.exog_names).index("treat")
    Z = np.delete(fit.model.exog, column, axis=1)
    got = inference.permutation_coefficients(fit.model.endog, Z, exposure, fit.data["iso3"], fit.data["post"], perms)
    assert got[0] == pytest.approx(fit.coef("treat"), rel=1e-9)  # the identity is the real assignment
    for k, perm in enumerate(perms[1:], start=1):
        shuffled = data.copy()
        shuffled["treat"] = shuffled["iso3"].map(dict(zip(exposure.index, exposure.to_numpy()[perm]))) * data["post"]
        refit = smf.ols("y ~ x1 + treat + C(iso3) + C(year)", data=shuffled).fit()
        assert got[k] == pytest.approx(refit.params["treat"], rel=1e-8)


def test_randomisation_p_value_counts_the_observed_assignment():
    assert inference.randomisation_pvalue(1.0, np.array([0.5, -2.0, 0.9, 1.0])) == pytest.approx(3 / 5)
    assert inference.randomisation_pvalue(5.0, np.zeros(99)) == pytest.approx(0.01)


def test_wales_randomisation_reassigns_only_among_nato_members(main_fit):
    result = design_checks.wales_randomisation(main_fit, draws=199, seed=3)
    assert result["members"] == 30  # the main sample's NATO members, the United States included
    assert len(result["permuted"]) == 199 and 0 < result["p"] <= 1
    assert result["observed"] == pytest.approx(PINNED_MAIN["wales_pressure"][0], rel=1e-9)


# --- sensitivity bound ------------------------------------------------------------------------------


def test_relative_magnitude_bounds_reduce_to_the_t_interval_and_widen_linearly():
    fit, terms = models.event_study_fit("wales_gap_pct", 2013)
    table = design_checks.relative_magnitude_bounds(fit, terms, 2013, mbars=(0.0, 1.0, 2.0))
    post = [terms[y] for y in sorted(terms) if y >= 2015]
    # Mbar = 0: the t(G-1) interval of the average post-pledge coefficient, computed by statsmodels.
    weights = np.zeros(len(fit.clustered.params))
    for name in post:
        weights[list(fit.model.exog_names).index(name)] = 1 / len(post)
    low, high = fit.clustered.t_test(weights).conf_int(alpha=0.05)[0]
    assert table.loc[0.0, "low"] == pytest.approx(low, rel=1e-8)
    assert table.loc[0.0, "high"] == pytest.approx(high, rel=1e-8)
    # Each unit of Mbar widens both sides by the largest pre-pledge move times the mean horizon.
    pre = [fit.coef(terms[y]) for y in sorted(terms) if y < 2013] + [0.0]
    step = np.max(np.abs(np.diff(pre))) * np.mean([y - 2013 for y in range(2015, 2025)])
    assert table.loc[1.0, "high"] - table.loc[0.0, "high"] == pytest.approx(step, rel=1e-10)
    assert table.loc[0.0, "low"] - table.loc[2.0, "low"] == pytest.approx(2 * step, rel=1e-10)
