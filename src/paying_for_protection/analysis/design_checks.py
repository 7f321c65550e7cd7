"""Checks on the design behind the headline Wales estimate, and the facts the chapter's caveats rest on.

Each check answers one question a referee would ask of the main specification
(:mod:`.models`):

* placebo pledges: did the allies with large shortfalls already move apart before 2014?
* ally-specific linear trends: does the estimate survive each ally following its own trend?
* mean reversion: is the shortfall only a low pre-pledge level recovering (level x post)?
* troops without the GDP ratio: does the troop result depend on GDP in its denominator?
* a sensitivity bound on the post-pledge event-study coefficients when parallel trends fail by
  as much as the pre-pledge coefficients move (after Rambachan and Roth 2023);
* the panel's shape (years per ally, persistence of the troop measure), which decides whether
  Driscoll-Kraay standard errors are usable, and who identifies the 2 % threshold.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ..data import loaders
from ..panel_design import WALES_BASE_YEARS, WALES_FIRST_BUDGET
from . import gdp_base, inference, models

#: Placebo pledge years: each dated before the real pledge, estimated on budgets up to 2014.
PLACEBO_YEARS = tuple(range(2006, 2013))
PLACEBO_LAST_YEAR = 2014

#: Relative-magnitude bounds reported: post-pledge violations up to M times the largest pre-pledge move.
SENSITIVITY_MBARS = (0.0, 0.25, 0.5, 0.75, 1.0)


# --- extra regressors -----------------------------------------------------------------------------


_CACHE: dict[object, pd.DataFrame | pd.Series] = {}


def pre_pledge_level() -> pd.Series:
    """Each ally's share of GDP before the pledge, measured as its Wales shortfall is.

    NATO members by 2013 and every ally outside NATO: mean share 2011-2013; later NATO members:
    the share in the accession year. For NATO members below the line this is 2 minus the shortfall.
    Computed once per process (the chapter asks for it with every design check).
    """
    if "level" not in _CACHE:
        _CACHE["level"] = _pre_pledge_level()
    return _CACHE["level"].copy()


def _pre_pledge_level() -> pd.Series:
    share = loaders.sipri_series("share_of_gdp_pct")
    exposure = loaders.load_panel_exposure().set_index("iso3")
    levels = {}
    for iso3, row in exposure.iterrows():
        reference = str(row["wales_reference"])
        if reference.startswith("accession year"):
            levels[iso3] = float(share.loc[int(reference.rsplit(" ", 1)[1]), iso3])
        else:
            levels[iso3] = float(share.loc[WALES_BASE_YEARS[0] : WALES_BASE_YEARS[1], iso3].mean())
    return pd.Series(levels, name="pre_pledge_level")


def design_frame(samples: tuple[str, ...] = ("main",)) -> pd.DataFrame:
    """The analysis frame with the regressors the design checks add (built once per process)."""
    key = ("frame", tuple(samples))
    if key not in _CACHE:
        _CACHE[key] = _design_frame(tuple(samples))
    return _CACHE[key].copy()


def _design_frame(samples: tuple[str, ...]) -> pd.DataFrame:
    frame = models.analysis_frame(samples)
    post = frame["post_wales"].astype(float)
    frame["level_x_post"] = frame["iso3"].map(pre_pledge_level()) * post
    troops = np.log1p(pd.to_numeric(frame["us_troops"], errors="coerce").astype(float))
    same_country = frame["iso3"].eq(frame["iso3"].shift(1)) & frame["year"].eq(frame["year"].shift(1) + 1)
    frame["troops_level_lag"] = troops.shift(1).where(same_country)
    return frame


def with_ally_trends(frame: pd.DataFrame, regressors: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """Add one linear time trend per ally (the first ally's is left to the year effects).

    Only for allies with at least three years in the estimation sample: with one or two, a trend
    is fitted exactly by the ally's own effect (Sweden joined in 2024).
    """
    frame = frame.copy()
    centred = frame["year"].astype(float) - 2007.0
    complete = frame.dropna(subset=[models.MAIN_OUTCOME, *regressors])
    years = complete.groupby("iso3")["year"].nunique()
    names = []
    for iso3 in sorted(years.index[years >= 3])[1:]:
        name = f"trend_{iso3}"
        frame[name] = centred * (frame["iso3"] == iso3)
        names.append(name)
    return frame, names


# --- the checks as fits ---------------------------------------------------------------------------


def placebo_fit(year: int) -> models.TwoWayFE:
    """The Wales shortfall interacted with a pledge dated ``year``, on budgets up to 2014."""
    frame = design_frame()
    frame = frame[frame["year"] <= PLACEBO_LAST_YEAR].copy()
    frame["wales_pressure"] = frame["wales_gap_pct"].astype(float) * (frame["year"] >= year)
    regressors = ["troops_lag", "wales_pressure", "gdp_growth_pct", "border_x_crimea", "dprk_nuclear"]
    return models.twfe(frame, models.MAIN_OUTCOME, regressors)


def placebo_table() -> pd.DataFrame:
    """One row per placebo pledge year: estimate, CR1 t(G-1) p-value, wild bootstrap p-value."""
    rows = []
    for year in PLACEBO_YEARS:
        fit = placebo_fit(year)
        rows.append(
            {
                "placebo_year": year,
                "coef": fit.coef("wales_pressure"),
                "se": fit.se("wales_pressure"),
                "p_t": fit.pvalue("wales_pressure"),
                "p_boot": fit.wild_bootstrap("wales_pressure"),
                "clusters": fit.clusters,
                "nobs": fit.nobs,
            }
        )
    return pd.DataFrame(rows).set_index("placebo_year")


#: The design checks in the robustness table, by prose name (the chapter lists them by these names).
DESIGN_CHECKS = {
    "ally_trends": "with a linear trend for each ally",
    "mean_reversion": "with the pre-pledge level interacted with the post-pledge years",
    "troops_level": "with troops counted, not divided by GDP",
    "placebo_2010": "with a placebo pledge dated 2010, budgets up to 2014",
    "korea_one_base": "with Korea's burden before 2000 on one GDP base",
}


def design_check_fits() -> dict[str, models.TwoWayFE]:
    """The main specification changed one way at a time, keyed by the names in ``DESIGN_CHECKS``."""
    frame = design_frame()
    regs = models.PRESSURE + models.CONTROLS
    trended, trends = with_ally_trends(frame, regs)
    troops_level = ["troops_level_lag" if r == "troops_lag" else r for r in regs]
    return {
        "ally_trends": models.twfe(trended, models.MAIN_OUTCOME, regs + trends),
        "mean_reversion": models.twfe(frame, models.MAIN_OUTCOME, [*regs, "level_x_post"]),
        "troops_level": models.twfe(frame, models.MAIN_OUTCOME, troops_level),
        "placebo_2010": placebo_fit(2010),
        "korea_one_base": models.twfe(korea_on_one_base(frame), models.MAIN_OUTCOME, regs),
    }


def korea_on_one_base(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with Korea's burden before ``gdp_base.LINK_YEAR`` on one GDP base.

    SIPRI's Korean GDP steps between national-accounts bases before 2000 (the budget chapter shows
    the breaks), so Korea's published burden falls in those years partly because its denominator
    jumps. The check replaces those years with the burden on one base and leaves everything else.
    """
    frame = frame.copy()
    one_base = gdp_base.consistent_share()
    rows = frame["iso3"].eq("KOR") & frame["year"].lt(gdp_base.LINK_YEAR) & frame[models.MAIN_OUTCOME].notna()
    replaced = frame.loc[rows, "year"].map(one_base)
    if replaced.isna().any():
        missing = sorted(frame.loc[rows, "year"][replaced.isna()])
        raise ValueError(f"no burden on one GDP base for Korea in {missing}")
    frame.loc[rows, models.MAIN_OUTCOME] = replaced.to_numpy()
    return frame


# --- facts behind the caveats --------------------------------------------------------------------


def panel_shape(fit: models.TwoWayFE) -> dict[str, float]:
    """Years in the estimation sample, per ally, and the persistence of the troop measure.

    ``troop_autocorrelation``: the pooled first-order autocorrelation of the troop measure within
    allies (deviations from each ally's mean, consecutive years only).
    """
    data = fit.data
    per_ally = data.groupby("iso3")["year"].nunique()
    x = data[["iso3", "year", "troops_lag"]].copy()
    x["dev"] = x["troops_lag"] - x.groupby("iso3")["troops_lag"].transform("mean")
    previous = x.set_index(["iso3", "year"])["dev"]
    lagged = previous.reindex(pd.MultiIndex.from_arrays([x["iso3"], x["year"] - 1])).to_numpy()
    both = pd.DataFrame({"now": x["dev"].to_numpy(), "before": lagged}).dropna()
    return {
        "years": int(data["year"].nunique()),
        "first_year": int(data["year"].min()),
        "last_year": int(data["year"].max()),
        "mean_years_per_ally": float(per_ally.mean()),
        "min_years_per_ally": int(per_ally.min()),
        "allies_with_every_year": int((per_ally == data["year"].nunique()).sum()),
        "troop_autocorrelation": float(np.corrcoef(both["now"], both["before"])[0, 1]),
    }


def zero_gap_allies(fit: models.TwoWayFE) -> dict[str, list[str]]:
    """The comparison group of the Wales measure, the allies with no shortfall, by kind."""
    countries = loaders.load_countries().set_index("iso3")
    exposure = loaders.load_panel_exposure().set_index("iso3")
    allies = sorted(fit.data["iso3"].unique())
    zero = [a for a in allies if exposure.loc[a, "wales_gap_pct"] == 0]
    alliance = countries["alliance"]
    return {
        "patron": [a for a in zero if alliance[a] == "United States"],
        "outside_nato": [a for a in zero if alliance[a] not in ("NATO", "United States")],
        "nato_at_or_above": [a for a in zero if alliance[a] == "NATO"],
    }


def threshold_leave_out(fit_regressors: list[str] | None = None) -> pd.Series:
    """The Wales estimate with each NATO member at or above the line left out in turn.

    Among NATO members below the line, the shortfall is 2 minus the pre-pledge level, so with the
    level x post term in the model, the Wales coefficient is identified by the kink at 2 %: by the
    members above the line (and the allies outside NATO). This shows which of them carry it.
    """
    frame = design_frame()
    regs = (fit_regressors or models.PRESSURE + models.CONTROLS) + ["level_x_post"]
    full = models.twfe(frame, models.MAIN_OUTCOME, regs)
    groups = zero_gap_allies(full)
    out = {}
    for iso3 in groups["nato_at_or_above"] + groups["patron"]:
        out[iso3] = models.twfe(frame[frame["iso3"] != iso3], models.MAIN_OUTCOME, regs).coef("wales_pressure")
    return pd.Series(out, name="wales_without").sort_values()


def long_run_effect(dynamic: models.TwoWayFE, name: str = "wales_pressure") -> dict[str, float]:
    """b / (1 - rho) from a model with the lagged outcome, with a delta-method clustered SE."""
    b, rho = dynamic.coef(name), dynamic.coef("lagged_share")
    cov = dynamic.clustered.cov_params().loc[[name, "lagged_share"], [name, "lagged_share"]].to_numpy()
    gradient = np.array([1 / (1 - rho), b / (1 - rho) ** 2])
    return {"long_run": b / (1 - rho), "se": float(np.sqrt(gradient @ cov @ gradient)), "rho": rho, "short_run": b}


# --- sensitivity to violations of parallel trends ---------------------------------------------------


def relative_magnitude_bounds(
    fit: models.TwoWayFE,
    terms: dict[int, str],
    reference_year: int,
    first_post: int = WALES_FIRST_BUDGET,
    mbars: tuple[float, ...] = SENSITIVITY_MBARS,
    level: float = models.CONFIDENCE_LEVEL,
) -> pd.DataFrame:
    """Bounds on the average post-pledge event-study coefficient under relative-magnitude limits.

    After Rambachan and Roth (2023), Delta^RM(Mbar): between consecutive post-pledge years, the
    departure from parallel trends moves by at most Mbar times the largest move between consecutive
    pre-pledge years (the reference year counting as zero). The departure k years after the
    reference year is then at most k * Mbar * m in absolute value, and the average over the
    post-pledge years at most Mbar * m * mean(k). The interval is the estimate's t(G-1) interval
    widened by that bias on each side.

    Simplification, stated in the chapter: m is the estimated largest pre-pledge move, treated as
    known; Rambachan and Roth's conditional and hybrid intervals also allow for its sampling error,
    so theirs are wider. ``breakdown`` is the Mbar at which the lower bound reaches zero.
    """
    years = sorted(terms)
    pre_years = [y for y in years if y < reference_year]
    post_years = [y for y in years if y >= first_post]
    beta = fit.clustered.params
    pre_path = [float(beta[terms[y]]) for y in pre_years] + [0.0]  # ends at the reference year
    largest_pre_move = float(np.max(np.abs(np.diff(pre_path))))
    names = [terms[y] for y in post_years]
    weights = np.full(len(names), 1 / len(names))
    estimate = float(weights @ beta[names].to_numpy())
    cov = fit.clustered.cov_params().loc[names, names].to_numpy()
    se = float(np.sqrt(weights @ cov @ weights))
    critical = float(stats.t.ppf(0.5 + level / 2, fit.clusters - 1))
    mean_k = float(np.mean([y - reference_year for y in post_years]))
    rows = []
    for mbar in mbars:
        bias = mbar * largest_pre_move * mean_k
        rows.append({"mbar": mbar, "low": estimate - bias - critical * se, "high": estimate + bias + critical * se})
    table = pd.DataFrame(rows).set_index("mbar")
    table.attrs.update(
        estimate=estimate,
        se=se,
        largest_pre_move=largest_pre_move,
        mean_k=mean_k,
        breakdown=max(0.0, (estimate - critical * se) / (largest_pre_move * mean_k)),
        post_years=(post_years[0], post_years[-1]),
    )
    return table


# --- randomisation inference for the Wales measure ---------------------------------------------------

#: Reassignments drawn for randomisation inference, and their seed.
RANDOMISATION_DRAWS = 4999
RANDOMISATION_SEED = 20260102


def wales_randomisation(
    fit: models.TwoWayFE, draws: int = RANDOMISATION_DRAWS, seed: int = RANDOMISATION_SEED
) -> dict[str, object]:
    """Randomisation inference for the Wales coefficient: shortfalls reassigned across NATO members.

    Under the sharp null that the shortfall is unrelated to later burdens, any reassignment of the
    NATO members' shortfalls among themselves was as likely as the real one; allies outside NATO
    keep zero. The p-value is the share of reassignments whose coefficient is at least as far from
    zero as the real one.
    """
    countries = loaders.load_countries().set_index("iso3")
    exposure = loaders.load_panel_exposure().set_index("iso3")["wales_gap_pct"].astype(float)
    members = [
        a for a in sorted(fit.data["iso3"].unique()) if countries.loc[a, "alliance"] in ("NATO", "United States")
    ]
    gaps = exposure.loc[members]
    rng = np.random.default_rng(seed)
    permutations = np.array([rng.permutation(len(members)) for _ in range(draws)])
    column = list(fit.model.exog_names).index("wales_pressure")
    Z = np.delete(np.asarray(fit.model.exog, dtype=float), column, axis=1)
    permuted = inference.permutation_coefficients(
        fit.model.endog, Z, gaps, fit.data["iso3"], fit.data["post_wales"].astype(float), permutations
    )
    observed = fit.coef("wales_pressure")
    return {
        "observed": observed,
        "permuted": permuted,
        "p": inference.randomisation_pvalue(observed, permuted),
        "members": len(members),
        "draws": draws,
    }
