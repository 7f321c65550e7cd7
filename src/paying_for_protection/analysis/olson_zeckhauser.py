"""Olson and Zeckhauser's test, year by year: the rank correlation of allies' economic size and
military burden, and Sandler and Murdoch's published values to compare with."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ..data import loaders
from .allies import members_by_year


def olson_zeckhauser(first: int = 1960, last: int = 2024) -> pd.DataFrame:
    """Spearman rank correlation between NATO members' GDP and military burden, year by year.

    Members at the time (Iceland, with no military, excluded). GDP is the World Bank's real GDP
    in constant 2015 dollars. ``p_one_sided`` tests for a positive association (large allies
    bearing larger burdens), the direction the theory predicts; ``p_two_sided`` is the usual
    two-sided p-value, the one Sandler and Murdoch (2000) print (their p-values match two-sided
    tests of their coefficients with N = 15).
    """
    countries = loaders.load_countries()
    share = loaders.sipri_series("share_of_gdp_pct")
    gdp = loaders.load_wdi_gdp().pivot(index="year", columns="iso3", values="gdp_constant_2015_usd_bn")
    rows = []
    for year, members in members_by_year(countries, first, last).items():
        both = pd.DataFrame(
            {
                "burden": share.loc[year, members] if year in share.index else np.nan,
                "gdp": gdp.loc[year, members] if year in gdp.index else np.nan,
            }
        ).dropna()
        if len(both) < 5:
            continue
        rho, p_two = stats.spearmanr(both["gdp"], both["burden"])
        p_one = p_two / 2 if rho > 0 else 1 - p_two / 2
        rows.append(
            {"year": year, "rho": float(rho), "p_one_sided": float(p_one), "p_two_sided": float(p_two), "n": len(both)}
        )
    return pd.DataFrame(rows).set_index("year")


def published_spearman() -> pd.DataFrame:
    figures = loaders.load_published_figures()["value"]
    years = sorted(int(i.rsplit("_", 1)[1]) for i in figures.index if i.startswith("sandler_murdoch_rho_"))
    return pd.DataFrame(
        {
            "rho": [figures[f"sandler_murdoch_rho_{y}"] for y in years],
            "p_two_sided": [figures[f"sandler_murdoch_p_{y}"] for y in years],
        },
        index=pd.Index(years, name="year"),
    )


def significant_runs(oz: pd.DataFrame, alpha: float, column: str = "p_one_sided") -> list[tuple[int, int]]:
    """Runs of consecutive years in which the correlation is significant at ``alpha``: [(first, last)]."""
    years = [int(y) for y in oz.index[oz[column] < alpha]]
    runs: list[list[int]] = []
    for year in years:
        if runs and year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return [(a, b) for a, b in runs]


def two_sided_p_for(rho: float, n: int) -> float:
    """Two-sided p-value of a Spearman coefficient with n observations (t approximation, as scipy)."""
    t = rho * np.sqrt((n - 2) / (1 - rho**2))
    return float(2 * stats.t.sf(abs(t), n - 2))
