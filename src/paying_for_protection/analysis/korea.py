"""Korea itself: did US pressure move Korea's own defense spending and its payments for US forces?

Two descriptive comparisons, neither a causal estimate:

* the Special Measures Agreement rounds against the growth of Korea's defense budget
  (Ministry of National Defense, original budgets), in particular the budgets drawn up while the
  United States demanded about five times the 2019 payment;
* a synthetic Korea: a weighted mix of other allies whose military burden (SIPRI, % of GDP)
  tracked Korea's before the demand, fitted with the ``pysyncon`` package, with placebo runs
  in which each donor ally in turn is treated as if it had been Korea (inference in space).
"""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pandas as pd

from ..data import loaders

#: The first budget the 2019-20 demand could shape: the demand was made during 2019, when the 2020
#: budget was drawn up (budgets for year t are set in t-1, as in the panel).
DEMAND_FIRST_BUDGET = 2020
#: The years over which Korea's synthetic twin is fitted.
SYNTH_START = 1990
#: Allies never used as donors: Korea, Japan (pressed at the same time; the chapter's named
#: comparison) and the United States (the patron, whose burden is what allies are pressed towards).
NOT_DONORS = {"KOR", "JPN", "USA"}
#: Five-year blocks of the outcome used as the synthetic control's predictors.
PREDICTOR_BLOCKS = ((1990, 1994), (1995, 1999), (2000, 2004), (2005, 2009), (2010, 2014), (2015, 2019))


# --- the SMA rounds and the budget ---------------------------------------------------------------------


def budget_growth() -> pd.Series:
    """Growth of the original defense budget over the previous year, percent, by budget year."""
    budget = loaders.load_korea_defense_budget().set_index("year")["budget_krw_trillion"].astype(float)
    return (100 * budget.pct_change()).dropna().rename("budget_growth_pct")


def sma_rounds() -> pd.DataFrame:
    """One row per SMA: its years, the change of the payment in its first year (agreed), and the
    average growth of Korea's defense budget over the agreement's years (to 2026, the last budget
    passed) and over as many years just before it."""
    agreements = loaders.load_sma_agreements().set_index("sma_number")
    growth = budget_growth()
    rows = []
    for number, row in agreements.iterrows():
        first, last = int(row["period_start_year"]), min(int(row["period_end_year"]), int(growth.index.max()))
        span = last - first + 1
        during = growth.loc[first:last]
        before = growth.loc[first - span : first - 1]
        rows.append(
            {
                "sma": int(number),
                "first_year": first,
                "last_year": int(row["period_end_year"]),
                "payment_change_pct": float(row["first_year_change_pct"]) if pd.notna(row["first_year_change_pct"]) else np.nan,
                "currency": row["currency"],
                "budget_growth_during_pct": float(during.mean()) if len(during) else np.nan,
                "budget_growth_before_pct": float(before.mean()) if len(before) == span else np.nan,
                "budget_years_during": len(during),
            }
        )
    return pd.DataFrame(rows).set_index("sma")


def demand_years() -> dict[str, float]:
    """Budget growth in the budgets drawn up during the 2019-20 dispute (2020-2021) against the
    budgets before Trump's first term was shaping them (2010-2017) and the year between (2018-2019)."""
    growth = budget_growth()
    return {
        "during_dispute": float(growth.loc[DEMAND_FIRST_BUDGET : DEMAND_FIRST_BUDGET + 1].mean()),
        "before_2018": float(growth.loc[2010:2017].mean()),
        "in_2018": float(growth.loc[2018]),
        "in_2019": float(growth.loc[2019]),
        "after_dispute": float(growth.loc[2022:2024].mean()),
    }


# --- a synthetic Korea -------------------------------------------------------------------------------------


def burden_panel() -> pd.DataFrame:
    """SIPRI military burden of the allies with a complete series over the synthetic-control years."""
    share = loaders.sipri_series("share_of_gdp_pct")
    countries = loaders.load_countries().set_index("iso3")
    in_panel = countries.index[countries["in_panel"]]
    window = share.loc[SYNTH_START:, [c for c in share.columns if c in in_panel]]
    complete = window.columns[window.notna().all()]
    return window[complete]


def donors() -> list[str]:
    return [c for c in burden_panel().columns if c not in NOT_DONORS]


def _dataprep(treated: str, controls: list[str]):
    from pysyncon import Dataprep

    long = burden_panel().stack().rename("burden").reset_index()
    long.columns = ["year", "iso3", "burden"]
    last_pre = DEMAND_FIRST_BUDGET - 1
    return Dataprep(
        foo=long,
        predictors=["burden"],
        predictors_op="mean",
        time_predictors_prior=range(SYNTH_START, DEMAND_FIRST_BUDGET),
        special_predictors=[("burden", range(a, b + 1), "mean") for a, b in PREDICTOR_BLOCKS],
        dependent="burden",
        unit_variable="iso3",
        time_variable="year",
        treatment_identifier=treated,
        controls_identifier=controls,
        time_optimize_ssr=range(SYNTH_START, last_pre + 1),
    )


def _fit(treated: str, controls: list[str]):
    """Donor weights for ``treated``, predictors weighted equally.

    Equal predictor weights (``custom_V``), not the package's nested search for V: the predictors
    are the outcome itself in six five-year blocks and overall, so no predictor deserves more
    weight a priori, and the nested search takes minutes per fit (the placebo runs need one fit per
    donor) while landing on the same leading donors.
    """
    from pysyncon import Synth

    synth = Synth()
    prep = _dataprep(treated, controls)
    n_predictors = len(PREDICTOR_BLOCKS) + 1
    with contextlib.redirect_stdout(io.StringIO()):  # the package prints progress
        synth.fit(dataprep=prep, custom_V=np.ones(n_predictors) / n_predictors)
    return synth


def _gap(treated: str, controls: list[str]) -> tuple[pd.Series, pd.Series, object]:
    synth = _fit(treated, controls)
    panel = burden_panel()
    weights = synth.W
    synthetic = panel[controls] @ np.asarray(weights, dtype=float)
    return panel[treated], pd.Series(synthetic, index=panel.index), synth


def rmspe_ratio(gap: pd.Series) -> float:
    """Post-demand over pre-demand root mean squared gap (years before 2020 against 2020 on)."""
    pre = gap.loc[: DEMAND_FIRST_BUDGET - 1]
    post = gap.loc[DEMAND_FIRST_BUDGET:]
    return float(np.sqrt(np.mean(post**2)) / np.sqrt(np.mean(pre**2)))


def synthetic_control(treated: str = "KOR") -> dict[str, object]:
    """Korea (or another ally) against its synthetic twin, and the same for every donor in turn.

    Returns the actual and synthetic paths, the donor weights, each unit's gap path, and the
    placebo p-value: the share of units (the treated one counted) whose post/pre RMSPE ratio is at
    least the treated unit's. The ratio is computed here with the pre-period ending in 2019 and
    the post-period starting in 2020 (pysyncon's own ``pvalue`` counts the treatment year in both).
    """
    pool = donors()
    actual, synthetic, synth = _gap(treated, pool)
    gaps = {treated: actual - synthetic}
    for placebo in pool:
        others = [c for c in pool if c != placebo]
        placebo_actual, placebo_synthetic, _ = _gap(placebo, others)
        gaps[placebo] = placebo_actual - placebo_synthetic
    gaps = pd.DataFrame(gaps)
    ratios = gaps.apply(rmspe_ratio)
    weights = pd.Series(np.asarray(synth.W, dtype=float), index=pool).sort_values(ascending=False)
    return {
        "treated": treated,
        "actual": actual,
        "synthetic": synthetic,
        "weights": weights,
        "gaps": gaps,
        "ratios": ratios,
        "rank": int((ratios >= ratios[treated]).sum()),
        "p": float((ratios >= ratios[treated]).mean()),
        "units": len(ratios),
        "pre_rmspe": float(np.sqrt(np.mean(gaps[treated].loc[: DEMAND_FIRST_BUDGET - 1] ** 2))),
    }
