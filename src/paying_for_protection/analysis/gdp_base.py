"""SIPRI's Korean GDP, its base breaks before 2000, and a burden series on one consistent base.

SIPRI does not publish the GDP it divides by, but its workbook implies it: local-currency spending
over the share of GDP. For Korea that implied GDP jumps in a few years before 2000 by far more than
the economy grew, because the older years sit on older national-accounts bases. The ministry's
budget table gives a second implied GDP (its budget over its published share, all on the Bank of
Korea's 2015 base), which moves smoothly through those years. The ratio of the two is flat from
2000 on (it drifts by under one percent a year, as the 2020-base revision raised recent GDP more
than older GDP) and steps in the break years.

A burden on one base is SIPRI's spending over SIPRI's GDP from ``LINK_YEAR`` on, and before it over
SIPRI's ``LINK_YEAR`` GDP carried back with the growth of the ministry's implied GDP. The ministry's
shares are rounded to two decimals, so its implied GDP carries a rounding error of up to about
0.2 % in any one year; the breaks are an order of magnitude larger.
"""

from __future__ import annotations

import pandas as pd

from ..data import loaders

#: First year from which SIPRI's implied GDP and the ministry's move together (one base).
LINK_YEAR = 2000

#: A year-on-year change of the SIPRI/ministry GDP ratio larger than this (percent) is a base break;
#: outside the breaks the ratio moves by under one percent a year.
BREAK_THRESHOLD_PCT = 2.0


def implied_gdp() -> pd.DataFrame:
    """Korea's nominal GDP in trillion won as SIPRI's and the ministry's figures imply it, 1990-2024."""
    local = loaders.sipri_series("local_currency_current_m")["KOR"]
    share = loaders.sipri_series("share_of_gdp_pct")["KOR"]
    mnd = loaders.load_korea_defense_budget().set_index("year")
    frame = pd.DataFrame(
        {
            "sipri_spending_krw_trillion": local / 1e6,
            "sipri_share_pct": share,
            "sipri_gdp_krw_trillion": local / (share / 100.0) / 1e6,
            "mnd_gdp_krw_trillion": mnd["budget_krw_trillion"] / (mnd["share_of_gdp_pct"] / 100.0),
        }
    ).dropna()
    frame.index.name = "year"
    frame["sipri_growth_pct"] = 100.0 * frame["sipri_gdp_krw_trillion"].pct_change()
    frame["mnd_growth_pct"] = 100.0 * frame["mnd_gdp_krw_trillion"].pct_change()
    frame["ratio"] = frame["sipri_gdp_krw_trillion"] / frame["mnd_gdp_krw_trillion"]
    frame["ratio_change_pct"] = 100.0 * frame["ratio"].pct_change()
    return frame


def base_breaks(threshold_pct: float = BREAK_THRESHOLD_PCT) -> pd.DataFrame:
    """The years in which SIPRI's implied GDP steps against the ministry's, with both growth rates."""
    frame = implied_gdp()
    breaks = frame[frame["ratio_change_pct"].abs() > threshold_pct]
    return breaks[["sipri_growth_pct", "mnd_growth_pct", "ratio_change_pct"]]


def consistent_gdp(link_year: int = LINK_YEAR) -> pd.Series:
    """SIPRI's implied GDP from ``link_year``; before it, carried back with the ministry's GDP growth."""
    frame = implied_gdp()
    sipri, mnd = frame["sipri_gdp_krw_trillion"], frame["mnd_gdp_krw_trillion"]
    earlier = frame.index < link_year
    linked = sipri.copy()
    linked[earlier] = sipri.loc[link_year] * mnd[earlier] / mnd.loc[link_year]
    return linked.rename("gdp_krw_trillion")


def consistent_share(link_year: int = LINK_YEAR) -> pd.Series:
    """SIPRI's military spending over GDP on one base (percent), 1990-2024."""
    frame = implied_gdp()
    return (100.0 * frame["sipri_spending_krw_trillion"] / consistent_gdp(link_year)).rename("share_pct")


def affected_years(link_year: int = LINK_YEAR) -> pd.DataFrame:
    """SIPRI's published burden against the burden on one base, for the years before ``link_year``.

    ``overstatement_pct`` is how much larger the published burden is, in percent of the consistent
    one: the factor by which any analysis of SIPRI's Korean burden before ``link_year`` (the
    regression chapter's panel among them) overstates it relative to later years.
    """
    frame = implied_gdp()
    published = frame["sipri_share_pct"]
    consistent = consistent_share(link_year)
    out = pd.DataFrame({"published_pct": published, "consistent_pct": consistent})
    out["difference_points"] = out["published_pct"] - out["consistent_pct"]
    out["overstatement_pct"] = 100.0 * (out["published_pct"] / out["consistent_pct"] - 1.0)
    return out[out.index < link_year]
