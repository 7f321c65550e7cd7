"""Exchange rates and consumer prices implied by SIPRI's own figures for Korea and Japan.

Every converted or deflated value in the book traces to one named source:

* won (yen) per dollar = SIPRI local-currency spending / SIPRI current-dollar spending (SIPRI
  converts at the IMF's annual average market rate);
* consumer prices = SIPRI local-currency spending / SIPRI constant-dollar spending (SIPRI
  deflates with the national consumer price index), rebased.

Both end with the SIPRI release's last year (2024).
"""

from __future__ import annotations

import pandas as pd

from ..data import loaders


def krw_per_usd() -> pd.Series:
    """Annual average won per US dollar implied by SIPRI's Korea figures."""
    local = loaders.sipri_series("local_currency_current_m")["KOR"]
    dollars = loaders.sipri_series("current_usd_m")["KOR"]
    return (local / dollars).dropna().rename("krw_per_usd")


def jpy_per_usd() -> pd.Series:
    local = loaders.sipri_series("local_currency_current_m")["JPN"]
    dollars = loaders.sipri_series("current_usd_m")["JPN"]
    return (local / dollars).dropna().rename("jpy_per_usd")


def korea_price_index(base_year: int = 2024) -> pd.Series:
    """Korea's consumer price index as implied by SIPRI (base_year = 100)."""
    local = loaders.sipri_series("local_currency_current_m")["KOR"]
    constant = loaders.sipri_series("constant_2023_usd_m")["KOR"]
    ratio = (local / constant).dropna()
    return (100 * ratio / ratio.loc[base_year]).rename("cpi")


def korea_inflation() -> pd.Series:
    """Year-on-year change of the SIPRI-implied consumer price index, percent."""
    return (korea_price_index().pct_change() * 100).dropna().rename("inflation_pct")
