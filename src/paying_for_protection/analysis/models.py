"""The regression chapter's models: two-way fixed effects, clustered and bootstrap inference,
event studies, robustness, and the Olson-Zeckhauser rank correlation.

The main specification is fixed here, in code, before any estimate was looked at (see the git
history of this file), and the chapter states it before the results:

    share_of_gdp_it = b1 * troops_{i,t-1} + b2 * wales_gap_i x post_wales_t
                      + b3 * trump_gap_i x trump_years_t + controls_it + a_i + d_t + e_it

* sample: US treaty allies in the main panel (NATO members from accession, Japan, South Korea,
  Australia), 1990-2024;
* outcome: SIPRI military expenditure as a percentage of GDP;
* pressure: log(1 + US troops hosted per $bn of real GDP), lagged one year; the pre-2014
  shortfall from the 2 % guideline after the Wales pledge; the 2016 shortfall in the Trump
  administration's budget years;
* controls: real GDP growth (the denominator moves with the cycle), a land border with Russia
  after 2014 and after 2022, North Korea's nuclear tests for Korea and Japan;
* country and year fixed effects; standard errors clustered by country, tested against t(G-1),
  with the jackknife (CRV3) beside them and wild cluster bootstrap p-values (Rademacher weights,
  null imposed) because there are few clusters (:mod:`.inference`), and Driscoll-Kraay standard
  errors as a check on cross-country correlation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm

from ..data import loaders
from . import inference

PRESSURE = ["troops_lag", "wales_pressure", "trump_pressure"]
CONTROLS = ["gdp_growth_pct", "border_x_crimea", "border_x_invasion", "dprk_nuclear"]
MAIN_OUTCOME = "share_of_gdp_pct"
SECOND_OUTCOME = "dlog_milex"
BOOTSTRAP_DRAWS = 9999
BOOTSTRAP_SEED = 20260101
DK_MAXLAGS = 2
CONFIDENCE_LEVEL = 0.95

LABELS = {
    "troops_lag": "US troop presence, log(1 + troops per $bn GDP), t-1",
    "wales_pressure": "Wales: pre-2014 shortfall from 2 % x post-2014 budgets",
    "trump_pressure": "Trump: 2016 shortfall from 2 % x 2018–2021 budgets",
    "gdp_growth_pct": "Real GDP growth, %",
    "border_x_crimea": "Russian border x 2014 and after",
    "border_x_invasion": "Russian border x 2022 and after",
    "dprk_nuclear": "North Korean nuclear tests (Korea, Japan), 2007 and after",
    "lagged_outcome": "Outcome, t-1",
}


# --- data -----------------------------------------------------------------------------------------


_FRAMES: dict[tuple, pd.DataFrame] = {}


def analysis_frame(samples: tuple[str, ...] = ("main",), nato_edition: str | None = None) -> pd.DataFrame:
    """The panel with its outcomes and constructed regressors, for the given samples.

    With ``nato_edition``, the share-of-GDP outcome is NATO's own (2014-2024, NATO members only)
    instead of SIPRI's. Built once per process and returned as a copy: the chapter asks for it
    dozens of times, and the tables it reads do not change while a chapter runs.
    """
    key = (tuple(samples), nato_edition)
    if key not in _FRAMES:
        _FRAMES[key] = _build_analysis_frame(tuple(samples), nato_edition)
    return _FRAMES[key].copy()


def _build_analysis_frame(samples: tuple[str, ...], nato_edition: str | None) -> pd.DataFrame:
    panel = loaders.load_panel()
    exposure = loaders.load_panel_exposure()
    sipri = loaders.load_sipri_milex()
    share = sipri[sipri["indicator"] == "share_of_gdp_pct"].set_index(["iso3", "year"])["value"].astype(float)
    dollars = sipri[sipri["indicator"] == "constant_2023_usd_m"].set_index(["iso3", "year"])["value"].astype(float)

    frame = panel.merge(exposure[["iso3", "wales_gap_pct", "trump_gap_pct"]], on="iso3", how="left")
    keys = pd.MultiIndex.from_frame(frame[["iso3", "year"]])
    previous = pd.MultiIndex.from_arrays([frame["iso3"], frame["year"] - 1])
    frame["share_of_gdp_pct"] = share.reindex(keys).to_numpy()
    frame["dlog_milex"] = 100.0 * (
        np.log(dollars.reindex(keys).to_numpy()) - np.log(dollars.reindex(previous).to_numpy())
    )
    if nato_edition is not None:
        nato = loaders.load_nato_defence_share()
        nato = nato[nato["edition"] == nato_edition].set_index(["iso3", "year"])["share_of_real_gdp_pct"].astype(float)
        frame["share_of_gdp_pct"] = nato.reindex(keys).to_numpy()

    frame = frame.sort_values(["iso3", "year"]).reset_index(drop=True)
    troops = frame["log1p_us_troops_per_bn_gdp"].astype(float)
    same_country = frame["iso3"].eq(frame["iso3"].shift(1)) & frame["year"].eq(frame["year"].shift(1) + 1)
    frame["troops_lag"] = troops.shift(1).where(same_country)
    frame["lagged_share"] = frame["share_of_gdp_pct"].shift(1).where(same_country)
    frame["lagged_dlog"] = frame["dlog_milex"].shift(1).where(same_country)
    frame["wales_pressure"] = frame["wales_gap_pct"].astype(float) * frame["post_wales"].astype(float)
    frame["trump_pressure"] = frame["trump_gap_pct"].astype(float) * frame["trump_years"].astype(float)
    frame["border_x_crimea"] = (frame["russia_border"] & frame["post_crimea"]).astype(float)
    frame["border_x_invasion"] = (frame["russia_border"] & frame["post_invasion"]).astype(float)
    frame["dprk_nuclear"] = frame["dprk_nuclear"].astype(float)
    frame["gdp_growth_pct"] = frame["gdp_growth_pct"].astype(float)
    return frame[frame["sample"].isin(samples)].reset_index(drop=True)


# --- estimation -------------------------------------------------------------------------------------


@dataclass
class TwoWayFE:
    """A fitted two-way fixed-effects regression and what is needed to re-test it."""

    outcome: str
    regressors: list[str]
    data: pd.DataFrame
    model: sm.OLS
    clustered: object  # statsmodels results with cluster-robust covariance, t(G-1) inference
    bootstrap: dict[str, float] = field(default_factory=dict)
    _jackknife: np.ndarray | None = None

    @property
    def nobs(self) -> int:
        return int(self.clustered.nobs)

    @property
    def clusters(self) -> int:
        return int(self.data["iso3"].nunique())

    def coef(self, name: str) -> float:
        return float(self.clustered.params[name])

    def se(self, name: str) -> float:
        return float(self.clustered.bse[name])

    def pvalue(self, name: str) -> float:
        """Clustered (CR1) two-sided p-value against t(G-1)."""
        return float(self.clustered.pvalues[name])

    def conf_int(self, name: str, level: float = CONFIDENCE_LEVEL) -> tuple[float, float]:
        """Clustered (CR1) interval with t(G-1) critical values."""
        low, high = self.clustered.conf_int(alpha=1 - level).loc[name]
        return float(low), float(high)

    def _column(self, name: str) -> int:
        return list(self.model.exog_names).index(name)

    def jackknife_se(self, name: str) -> float:
        """Leave-one-country-out jackknife (CRV3) standard error."""
        if self._jackknife is None:
            self._jackknife = inference.jackknife_covariance(self.model.endog, self.model.exog, self.data["iso3"])
        column = self._column(name)
        return float(np.sqrt(self._jackknife[column, column]))

    def jackknife_pvalue(self, name: str) -> float:
        """CRV3 two-sided p-value against t(G-1)."""
        return inference.t_test(self.coef(name), self.jackknife_se(name), self.clusters)

    def treated_clusters(self, name: str) -> int:
        """Countries in which the regressor varies: the clusters that identify its coefficient."""
        return inference.treated_clusters(self.data[name], self.data["iso3"])

    def testable(self, name: str) -> bool:
        """Whether any cluster-based test is valid for the coefficient (enough countries identify it)."""
        return self.treated_clusters(name) >= inference.MIN_TREATED_CLUSTERS

    def joint_test(self, names: list[str]) -> dict[str, float]:
        """F(q, G-1) test that every coefficient in ``names`` is zero (clustered covariance)."""
        return inference.joint_wald_test(self.clustered, names)

    def driscoll_kraay(self, maxlags: int = DK_MAXLAGS):
        years = self.data["year"].to_numpy()
        time_index = pd.factorize(years, sort=True)[0]
        return self.model.fit(cov_type="hac-groupsum", cov_kwds={"time": time_index, "maxlags": maxlags})

    def wild_bootstrap(self, name: str, draws: int = BOOTSTRAP_DRAWS, seed: int = BOOTSTRAP_SEED) -> float:
        """Wild cluster bootstrap p-value (WCR, Rademacher, wildboottest's algorithm), seeded and cached."""
        key = name if (draws, seed) == (BOOTSTRAP_DRAWS, BOOTSTRAP_SEED) else f"{name}|{draws}|{seed}"
        if key not in self.bootstrap:
            _, p = inference.wild_cluster_bootstrap(
                self.model.endog, self.model.exog, self.data["iso3"], self._column(name), draws, seed
            )
            self.bootstrap[key] = p
        return self.bootstrap[key]


def design(frame: pd.DataFrame, outcome: str, regressors: list[str]) -> tuple[pd.Series, pd.DataFrame, pd.DataFrame]:
    """Outcome, regressors plus country and year dummies (one of each dropped), complete cases."""
    data = frame.dropna(subset=[outcome, *regressors]).sort_values(["iso3", "year"]).reset_index(drop=True)
    countries = pd.get_dummies(data["iso3"], prefix="country", drop_first=True, dtype=float)
    years = pd.get_dummies(data["year"], prefix="year", drop_first=True, dtype=float)
    X = pd.concat([data[regressors].astype(float), countries, years], axis=1)
    X.insert(0, "const", 1.0)
    # Drop dummies that are all zero in this sample (e.g. a year with no remaining allies).
    X = X.loc[:, (X != 0).any(axis=0)]
    return data[outcome].astype(float), X, data


def twfe(frame: pd.DataFrame, outcome: str = MAIN_OUTCOME, regressors: list[str] | None = None) -> TwoWayFE:
    """Two-way fixed effects by OLS with dummies; standard errors clustered by country (CR1), t(G-1)."""
    regressors = list(regressors if regressors is not None else PRESSURE + CONTROLS)
    y, X, data = design(frame, outcome, regressors)
    rank = np.linalg.matrix_rank(X.to_numpy())
    if rank < X.shape[1]:
        # A regressor collinear with the fixed effects is not identified: say so, never fit it.
        raise ValueError(f"design for {outcome} on {regressors} is rank-deficient ({rank} < {X.shape[1]} columns)")
    model = sm.OLS(y, X)
    # use_t: tests and intervals against t(G-1), the reference distribution with G clusters.
    clustered = model.fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(data["iso3"])[0]}, use_t=True)
    return TwoWayFE(outcome, regressors, data, model, clustered)


def within_r2(fit: TwoWayFE) -> float:
    """Share of the outcome's variance left after the fixed effects that the regressors explain."""
    y, X, _ = design(fit.data, fit.outcome, [])
    fe_only = sm.OLS(y, X).fit()
    return 1.0 - float(fit.clustered.ssr) / float(fe_only.ssr)


def main_model(with_bootstrap: bool = True, outcome: str = MAIN_OUTCOME) -> TwoWayFE:
    """The pre-specified model on the main panel; ``outcome`` may be the second outcome."""
    fit = twfe(analysis_frame(), outcome, PRESSURE + CONTROLS)
    if with_bootstrap:
        for name in PRESSURE:
            fit.wild_bootstrap(name)
    return fit


def second_outcome_model(with_bootstrap: bool = True) -> TwoWayFE:
    return main_model(with_bootstrap, outcome=SECOND_OUTCOME)


# --- robustness ---------------------------------------------------------------------------------------


def robustness_fits() -> dict[str, TwoWayFE]:
    """The main specification re-estimated on other samples, outcomes and dynamics, by check id
    (the names a reader sees are in :data:`.robustness.CHECK_NAMES`)."""
    main = analysis_frame()
    with_extra = analysis_frame(("main", "robustness"))
    long = analysis_frame(("cold_war", "main"))
    pacific = {"JPN", "KOR", "AUS"}
    nato_share = analysis_frame(nato_edition="2025-08")
    nato_share = nato_share[(nato_share["year"] >= 2014) & nato_share["nato_member"]]
    regs = PRESSURE + CONTROLS
    return {
        "main": twfe(main, MAIN_OUTCOME, regs),
        "without_usa": twfe(main[main["iso3"] != "USA"], MAIN_OUTCOME, regs),
        "without_war": twfe(main[main["year"] < 2022], MAIN_OUTCOME, [r for r in regs if r != "border_x_invasion"]),
        "nato_only": twfe(main[main["nato_member"]], MAIN_OUTCOME, [r for r in regs if r != "dprk_nuclear"]),
        "pacific_only": twfe(
            main[main["iso3"].isin(pacific)],
            MAIN_OUTCOME,
            ["troops_lag", "trump_pressure", "gdp_growth_pct", "dprk_nuclear"],
        ),
        "with_phl_tha": twfe(with_extra, MAIN_OUTCOME, regs),
        # From 2014 on, the Crimea interaction is constant within each ally: absorbed by its fixed effect.
        "nato_share": twfe(nato_share, MAIN_OUTCOME, [r for r in regs if r not in ("dprk_nuclear", "border_x_crimea")]),
        "dynamic": twfe(main, MAIN_OUTCOME, [*regs, "lagged_share"]),
        "cold_war": twfe(long, MAIN_OUTCOME, regs),
        "growth_outcome": twfe(main, SECOND_OUTCOME, regs),
    }


def leave_one_out(regressors: list[str] | None = None) -> pd.DataFrame:
    """Each pressure coefficient with one ally left out at a time."""
    frame = analysis_frame()
    regressors = regressors or PRESSURE + CONTROLS
    rows = []
    for iso3 in sorted(frame["iso3"].unique()):
        fit = twfe(frame[frame["iso3"] != iso3], MAIN_OUTCOME, regressors)
        rows.append({"left_out": iso3, **{name: fit.coef(name) for name in PRESSURE}})
    return pd.DataFrame(rows).set_index("left_out")


# --- event study ----------------------------------------------------------------------------------


def event_study_fit(
    exposure: str, reference_year: int, first: int = 2005, last: int = 2024, outcome: str = MAIN_OUTCOME
) -> tuple[TwoWayFE, dict[int, str]]:
    """The event-study regression and its terms by year.

    y_it = sum_k theta_k * exposure_i * 1[t = k] + controls + a_i + d_t + e_it, over the main
    panel's allies, k in [first, last] except the reference year.
    """
    frame = analysis_frame()
    frame = frame[(frame["year"] >= first) & (frame["year"] <= last)].copy()
    terms = {}
    for year in range(first, last + 1):
        if year == reference_year:
            continue
        name = f"exposure_{year}"
        frame[name] = frame[exposure].astype(float) * (frame["year"] == year)
        terms[year] = name
    return twfe(frame, outcome, list(terms.values()) + CONTROLS), terms


def event_study(
    exposure: str, reference_year: int, first: int = 2005, last: int = 2024, outcome: str = MAIN_OUTCOME
) -> pd.DataFrame:
    """Year-by-year association of an exposure (shortfall from 2 %) with the outcome, relative to
    ``reference_year``, with clustered 95 % intervals against t(G-1); see :func:`event_study_fit`."""
    fit, terms = event_study_fit(exposure, reference_year, first, last, outcome)
    rows = [{"year": reference_year, "coef": 0.0, "low": 0.0, "high": 0.0, "reference": True}]
    for year, name in terms.items():
        low, high = fit.conf_int(name)
        rows.append({"year": year, "coef": fit.coef(name), "low": low, "high": high, "reference": False})
    return pd.DataFrame(rows).sort_values("year").set_index("year")


def event_study_joint_tests(fit: TwoWayFE, terms: dict[int, str], reference_year: int) -> dict[str, dict[str, float]]:
    """F tests that all pre-reference and all post-reference event-study coefficients are zero."""
    pre = [name for year, name in terms.items() if year < reference_year]
    post = [name for year, name in terms.items() if year > reference_year]
    return {"pre": fit.joint_test(pre), "post": fit.joint_test(post)}
