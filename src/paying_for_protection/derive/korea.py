"""Tidy the Korea fact base (``korea/*.csv``) into the book's tables.

The fact base is transcribed row by row from ministry releases, agreement texts and the press,
each row with its sources and a status. This step keeps every value as transcribed and only
makes the tables machine-checkable: free-text statuses are split into an enumerated status and a
note, partial dates get an explicit precision, and each agreement's escalation rule gets a
machine-readable class so the rule-derived amounts can be recomputed and tested.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

#: Machine-readable class and cap of each agreement's escalation rule, read off the rule's wording
#: in sma_agreements.csv (kept here, by agreement number, rather than parsed from prose).
SMA_RULES: dict[int, tuple[str, float | None]] = {
    1: ("negotiated_yearly", None),  # amounts fixed year by year at the SCM
    2: ("negotiated_yearly", None),  # decided yearly toward one-third of USFK won costs
    3: ("fixed_growth", None),  # +10 % a year
    4: ("growth_plus_inflation", None),  # previous year x (1 + real GNP growth + inflation)
    5: ("fixed_plus_cpi", None),  # previous year + 8.8 % + CPI of two years earlier
    6: ("flat", None),  # 680.4 billion won in both years
    7: ("cpi", None),  # 2008 = 2007 x (1 + CPI)
    8: ("cpi_lag2", 4.0),  # previous year x (1 + CPI), capped at 4 %
    9: ("cpi_lag2", 4.0),  # previous year x (1 + CPI of two years earlier), capped at 4 %
    10: ("one_year", None),  # 2019 only
    11: ("defense_budget_growth", None),  # previous year x (1 + ROK defense budget growth of the previous year)
    12: ("cpi_lag2_capped", 5.0),  # previous year x (1 + CPI of two years earlier), capped at 5 %
}

_DATE_PRECISION = {10: "day", 7: "month", 4: "year"}


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _split_status(value: str) -> tuple[str, str]:
    """'confirmed (month only)' -> ('confirmed', 'month only'); 'agreed; x' -> ('agreed', 'x')."""
    value = value.strip()
    match = re.fullmatch(r"([a-z\- ]+?)\s*\((.+)\)", value)
    if match:
        return match.group(1).strip(), match.group(2).strip()
    if ";" in value:
        head, tail = value.split(";", 1)
        return head.strip(), tail.strip()
    return value, ""


def derive_sma_agreements(path: Path) -> pd.DataFrame:
    raw = _read(path)
    status = raw["status"].map(_split_status)
    rules = raw["sma_number"].astype(int).map(SMA_RULES)
    if rules.isna().any():
        missing = raw.loc[rules.isna(), "sma_number"].tolist()
        raise ValueError(f"{path}: no escalation-rule class recorded for SMA {missing}")
    return pd.DataFrame(
        {
            "sma_number": raw["sma_number"].astype(int),
            "signed_date": raw["signed_date"],
            "signed_date_precision": raw["signed_date"].str.len().map(_DATE_PRECISION).fillna("unknown"),
            "entry_into_force": raw["entry_into_force"],
            "period_start_year": raw["period_start_year"].astype(int),
            "period_end_year": raw["period_end_year"].astype(int),
            "first_year_amount": raw["first_year_amount"].astype(float),
            "currency": raw["currency"],
            "amount_unit": raw["amount_unit"],
            "first_year_change_pct": pd.to_numeric(raw["first_year_change_pct"].replace("", None)),
            "escalation_rule": raw["escalation_rule"],
            "rule_type": rules.map(lambda r: r[0]),
            "rule_cap_pct": rules.map(lambda r: r[1]),
            "status": status.map(lambda s: s[0]),
            "status_note": status.map(lambda s: s[1]),
            "notes": raw["notes"],
            "source_urls": raw["source_urls"],
        }
    )


def derive_sma_contributions(path: Path) -> pd.DataFrame:
    raw = _read(path)
    number = lambda col: pd.to_numeric(raw[col].replace("", None))  # noqa: E731
    return pd.DataFrame(
        {
            "year": raw["year"].astype(int),
            "amount": number("amount"),
            "currency": raw["currency"],
            "amount_krw_billion": number("amount_krw_billion"),
            "amount_usd_million": number("amount_usd_million"),
            "change_pct": number("change_pct"),
            "sma_number": raw["sma_number"].astype(int),
            "status": raw["status"],
            "notes": raw["notes"],
            "source_urls": raw["source_urls"],
        }
    )


def derive_korea_defense_budget(path: Path) -> pd.DataFrame:
    raw = _read(path)
    status = raw["status"].map(_split_status)
    note = status.map(lambda s: s[1])
    return pd.DataFrame(
        {
            "year": raw["year"].astype(int),
            "budget_krw_trillion": raw["defense_budget_krw_trillion"].astype(float),
            "change_pct": pd.to_numeric(raw["change_pct"].replace("", None)),
            "change_pct_derived": note.eq("change_pct derived"),
            "share_of_gdp_pct": pd.to_numeric(raw["share_of_gdp_pct"].replace("", None)),
            "gdp_share_provisional": note.eq("GDP share provisional"),
            "share_of_government_pct": pd.to_numeric(raw["share_of_government_pct"].replace("", None)),
            "status": status.map(lambda s: s[0]),
            "notes": raw["notes"],
            "source_urls": raw["source_urls"],
        }
    )


def derive_usfk_troops(path: Path) -> pd.DataFrame:
    raw = _read(path)
    return pd.DataFrame(
        {
            "year": raw["year"].astype(int),
            "usfk_troops": raw["usfk_troops"].astype(int),
            "level_type": raw["level_type"],
            "status": raw["status"],
            "note": raw["note"],
            "source_urls": raw["source_urls"],
        }
    )


def derive_timeline(path: Path) -> pd.DataFrame:
    raw = _read(path)
    status = raw["status"].map(_split_status)
    return pd.DataFrame(
        {
            "date": raw["date"],
            "date_precision": raw["date"].str.len().map(_DATE_PRECISION),
            "event": raw["event"],
            "category": raw["category"],
            "status": status.map(lambda s: s[0]),
            "status_note": status.map(lambda s: s[1]),
            "source_urls": raw["source_urls"],
        }
    )


def _fiscal_years(period: str) -> tuple[int, int | None]:
    match = re.fullmatch(r"FY(\d{4})(-(FY(\d{4}))?)?", period)
    if not match:
        raise ValueError(f"unrecognised fiscal period {period!r}")
    start = int(match.group(1))
    if match.group(2) is None:  # a single fiscal year
        return start, start
    return start, int(match.group(4)) if match.group(4) else None


def derive_japan_hns(path: Path) -> pd.DataFrame:
    raw = _read(path)
    years = raw["period"].map(_fiscal_years)
    annual_text = raw["annual_jpy_billion"].str.strip()
    approximate = annual_text.str.startswith("about ")
    status = raw["status"].map(_split_status)
    return pd.DataFrame(
        {
            "period": raw["period"],
            "fy_start": years.map(lambda y: y[0]),
            "fy_end": years.map(lambda y: y[1]).astype("Int64"),
            "agreement": raw["agreement"],
            "total_jpy_billion": pd.to_numeric(raw["total_jpy_billion"].replace("", None)),
            "annual_jpy_billion": pd.to_numeric(annual_text.str.removeprefix("about ").replace("", None)),
            "annual_is_approximate": approximate,
            "basis": raw["basis"],
            "status": status.map(lambda s: s[0]),
            "status_note": status.map(lambda s: s[1]),
            "notes": raw["notes"],
            "source_urls": raw["source_urls"],
        }
    )
