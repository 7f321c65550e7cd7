"""SIPRI's Korean GDP base breaks and the burden on one base, recomputed from the CSV files themselves."""

from __future__ import annotations

import pandas as pd
import pytest

from paying_for_protection import paths
from paying_for_protection.analysis import gdp_base


def _independent() -> pd.DataFrame:
    sipri = pd.read_csv(paths.DATA_DIR / "sipri_milex.csv")
    kor = sipri[sipri["iso3"] == "KOR"].pivot(index="year", columns="indicator", values="value")
    mnd = pd.read_csv(paths.DATA_DIR / "korea_defense_budget.csv").set_index("year")
    frame = pd.DataFrame(
        {
            "spending": kor["local_currency_current_m"] / 1e6,
            "share": kor["share_of_gdp_pct"],
            "mnd_gdp": mnd["budget_krw_trillion"] / (mnd["share_of_gdp_pct"] / 100),
        }
    ).dropna()
    frame["sipri_gdp"] = frame["spending"] / (frame["share"] / 100)
    return frame


def test_sipri_gdp_steps_against_the_ministrys_in_1993_1995_and_2000_only():
    frame = _independent()
    ratio_change = 100 * (frame["sipri_gdp"] / frame["mnd_gdp"]).pct_change()
    assert sorted(ratio_change[ratio_change.abs() > 2].index) == [1993, 1995, 2000]
    assert list(gdp_base.base_breaks().index) == [1993, 1995, 2000]
    # The reading: SIPRI's implied nominal growth of 18-26 % in those years.
    growth = 100 * frame["sipri_gdp"].pct_change()
    assert growth.loc[[1993, 1995, 2000]].between(17, 27).all()
    assert ratio_change.loc[2001:].abs().max() < 1


def test_the_1990_burden_on_one_base_is_about_3_4_percent():
    frame = _independent()
    linked_1990 = frame.loc[2000, "sipri_gdp"] * frame.loc[1990, "mnd_gdp"] / frame.loc[2000, "mnd_gdp"]
    expected = 100 * frame.loc[1990, "spending"] / linked_1990
    assert gdp_base.consistent_share().loc[1990] == pytest.approx(expected)
    assert 3.3 < expected < 3.5 and frame.loc[1990, "share"] > 3.95


def test_from_the_link_year_the_consistent_burden_is_sipris_published_one():
    consistent = gdp_base.consistent_share()
    published = _independent()["share"]
    later = consistent.index >= gdp_base.LINK_YEAR
    assert (consistent[later] - published[later]).abs().max() < 1e-9
    affected = gdp_base.affected_years()
    assert list(affected.index) == list(range(1990, 2000))
    assert (affected["difference_points"] > 0).all()
    assert affected["overstatement_pct"].between(5, 18).all()
