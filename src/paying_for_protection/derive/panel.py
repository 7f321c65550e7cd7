"""Build the country-year panel of US allies for the regression chapter from the tables in data/.

The panel is a second-stage table: it is computed from the committed tables (countries, SIPRI
extract, US troops, World Bank GDP, published figures), not from the upstream files. SIPRI values
are not repeated in it: the outcomes are joined from ``sipri_milex.csv`` when the panel is
loaded, and the two exposure measures computed from SIPRI, one number per country each, sit in
``panel_exposure.csv``. That keeps the whole package within SIPRI's limit on published values.

The timing conventions (which budget year a pledge or an event first shapes) are set in
:mod:`paying_for_protection.panel_design` and documented in the codebook.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..panel_design import (
    COLD_WAR_START,
    CRIMEA_YEAR,
    DPRK_EXPOSED,
    DPRK_FIRST_BUDGET,
    INVASION_YEAR,
    MAIN_END,
    MAIN_START,
    TRUMP_BASE_YEAR,
    TRUMP_BUDGETS,
    WALES_BASE_YEARS,
    WALES_FIRST_BUDGET,
)


def _sample(row, year: int) -> str | None:
    last = MAIN_END if pd.isna(row.ally_until) else min(MAIN_END, int(row.ally_until))
    if year > last or year < row.ally_since:
        return None
    if row.in_panel:
        return "main" if year >= MAIN_START else "cold_war"
    if row.robustness_only and year >= MAIN_START:
        return "robustness"
    return None


def build_panel(countries: pd.DataFrame, troops: pd.DataFrame, gdp: pd.DataFrame) -> pd.DataFrame:
    """One row per ally and year in which it was an ally (1960–2024), with the non-SIPRI variables."""
    troops = troops.set_index(["iso3", "year"])
    gdp = gdp.pivot(index="year", columns="iso3", values="gdp_constant_2015_usd_bn")
    growth = 100.0 * gdp.pct_change(fill_method=None)
    rows = []
    # Only allies can enter the panel (comparators with no treaty have no ally_since).
    for row in countries[countries["in_panel"] | countries["robustness_only"]].itertuples():
        for year in range(COLD_WAR_START, MAIN_END + 1):
            sample = _sample(row, year)
            if sample is None:
                continue
            if row.iso3 == "USA":
                # The patron hosts no US forces abroad; its own forces are not "hosted".
                hosted, quarters = 0, 4
            elif (row.iso3, year) in troops.index:
                record = troops.loc[(row.iso3, year)]
                hosted = record["troops_active_duty"]
                quarters = int(record["quarters_reported"])
            else:
                hosted, quarters = pd.NA, 0
            gdp_bn = gdp.at[year, row.iso3] if year in gdp.index and row.iso3 in gdp.columns else np.nan
            rows.append(
                {
                    "iso3": row.iso3,
                    "year": year,
                    "sample": sample,
                    "nato_member": row.alliance in ("NATO", "United States"),
                    "us_troops": hosted,
                    "us_troops_quarters": quarters,
                    "gdp_constant_2015_usd_bn": gdp_bn,
                    "gdp_growth_pct": growth.at[year, row.iso3]
                    if year in growth.index and row.iso3 in growth.columns
                    else np.nan,
                    "post_wales": year >= WALES_FIRST_BUDGET,
                    "trump_years": TRUMP_BUDGETS[0] <= year <= TRUMP_BUDGETS[1],
                    "russia_border": bool(row.land_border_russia),
                    "post_crimea": year >= CRIMEA_YEAR,
                    "post_invasion": year >= INVASION_YEAR,
                    "dprk_nuclear": row.iso3 in DPRK_EXPOSED and year >= DPRK_FIRST_BUDGET,
                }
            )
    panel = pd.DataFrame(rows)
    troops_per_gdp = pd.to_numeric(panel["us_troops"], errors="coerce") / panel["gdp_constant_2015_usd_bn"]
    panel["us_troops_per_bn_gdp"] = troops_per_gdp
    panel["log1p_us_troops_per_bn_gdp"] = np.log1p(troops_per_gdp)
    panel["us_troops"] = panel["us_troops"].astype("Int64")
    return panel


def build_exposure(countries: pd.DataFrame, share: pd.DataFrame, guideline_pct: float) -> pd.DataFrame:
    """Per ally: shortfall from the 2 % guideline before Wales and before the Trump budgets.

    wales_gap_pct: NATO members in 2013, max(0, guideline - mean share 2011–2013); later members,
    the shortfall in their accession year (they commit to the guideline on joining); other allies
    were not party to the pledge and get 0. trump_gap_pct: every ally, max(0, guideline - 2016
    share), or the accession-year share for later members: Trump's demands on allies' spending,
    NATO and Asian alike, targeted those below it.
    """
    rows = []
    for row in countries[countries["in_panel"] | countries["robustness_only"]].itertuples():
        series = share[row.iso3] if row.iso3 in share.columns else pd.Series(dtype=float)
        nato = row.alliance in ("NATO", "United States")
        if nato and row.ally_since <= WALES_BASE_YEARS[1]:
            base = series.loc[WALES_BASE_YEARS[0] : WALES_BASE_YEARS[1]].mean()
            reference = f"{WALES_BASE_YEARS[0]}-{WALES_BASE_YEARS[1]} mean"
        elif nato:
            base = series.get(int(row.ally_since), np.nan)
            reference = f"accession year {int(row.ally_since)}"
        else:
            base, reference = np.nan, "not party to the pledge"
        wales = max(0.0, guideline_pct - base) if nato else 0.0
        trump_year = max(TRUMP_BASE_YEAR, int(row.ally_since))
        trump_base = series.get(trump_year, np.nan)
        trump = max(0.0, guideline_pct - trump_base) if not np.isnan(trump_base) else np.nan
        rows.append(
            {
                "iso3": row.iso3,
                "wales_gap_pct": wales,
                "wales_reference": reference,
                "trump_gap_pct": trump,
                "trump_reference": f"{trump_year}" + ("" if trump_year == TRUMP_BASE_YEAR else " (accession year)"),
            }
        )
    return pd.DataFrame(rows)
