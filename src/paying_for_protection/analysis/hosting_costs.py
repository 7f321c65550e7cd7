"""The whole cost of hosting US forces in Korea, reconciled from every published account.

The Special Measures Agreement is the only part of Korea's support that is negotiated and
published every year. Everything else (land provided rent-free, tax and utility exemptions, KATUSA
soldiers, base relocations, the THAAD site) appears only in occasional accounts, each with its own
definitions: the defense ministry's (1993, 1999, 2010, 2015), the foreign ministry's (1999), the
Pentagon's (2002), the GAO's (2016-2019), civil society's (2016) and the November 2025 fact sheet.
This module reads them all from ``hosting_costs.csv``, recomputes each account's totals from its
items, puts each account beside the SMA payment of the same year, and converts where a comparison
needs one currency (SIPRI's annual average rates, :mod:`.conversions`).

An imputed value (the rent of land provided free) is never a payment: it is what the land would
fetch, on the publisher's method, which the notes of each row state.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data import loaders
from .conversions import krw_per_usd

#: Categories that are parts of an account, as opposed to its published totals.
TOTALS = {"direct_total", "indirect_total", "continuing_total", "one_time_total", "total_support"}

#: The accounts of Korea's recurring support with a direct and an indirect total, in date order,
#: and whose account each is (the publisher of the figures, not the outlet that reported them).
ACCOUNTS_WITH_SPLIT = {
    "mofa_1999": "foreign ministry",
    "mnd_1999": "defense ministry",
    "dod_2004": "US Department of Defense",
    "mnd_2010": "defense ministry",
    "mnd_2015": "defense ministry (KIDA study)",
}


def _rate(year: float) -> tuple[float, int]:
    """SIPRI's average won per dollar for ``year`` (the last year with a rate beyond the data)."""
    rate = krw_per_usd()
    rate_year = int(year) if int(year) in rate.index else int(rate.index.max())
    return float(rate.loc[rate_year]), rate_year


def ledger() -> pd.DataFrame:
    """Every row of the ledger with its amount per year, in won and in dollars.

    ``years`` is the length of the period (1 for a single year; empty where the source gives no
    period). ``krw_billion_per_year`` and ``usd_million_per_year`` divide multi-year amounts evenly
    and convert at the SIPRI rate of the period's last year; ``converted`` says whether a conversion
    was needed.
    """
    frame = loaders.load_hosting_costs().copy()
    frame["years"] = frame["period_end"] - frame["period_start"] + 1
    per_year = frame["amount"] / frame["years"]
    krw, usd, converted = [], [], []
    for amount, unit, end in zip(per_year, frame["unit"], frame["period_end"], strict=True):
        if pd.isna(amount):
            krw.append(np.nan)
            usd.append(np.nan)
            converted.append(False)
            continue
        rate, _ = _rate(end)
        if unit == "KRW billion":
            krw.append(amount)
            usd.append(amount * 1000.0 / rate)
        else:
            usd.append(amount)
            krw.append(amount * rate / 1000.0)
        converted.append(True)
    frame["krw_billion_per_year"] = krw
    frame["usd_million_per_year"] = usd
    return frame


def account(release_id: str) -> pd.DataFrame:
    """The rows of one account (one publication and year)."""
    frame = loaders.load_hosting_costs()
    rows = frame[frame["release_id"] == release_id]
    if rows.empty:
        raise KeyError(f"no account {release_id!r} in hosting_costs.csv")
    return rows.reset_index(drop=True)


def _total(rows: pd.DataFrame, category: str) -> float:
    match = rows.loc[rows["category"] == category, "amount"]
    return float(match.iloc[0]) if len(match) else np.nan


def account_checks() -> pd.DataFrame:
    """Each account's published totals against the same totals recomputed from its parts.

    Checks, where an account has what they need: the direct items against the direct total; the
    indirect items against the indirect total; direct plus indirect against the recurring total (or
    the grand total where there is no recurring one); recurring plus one-time against the grand
    total. ``difference`` is recomputed minus published, in the account's unit.
    """
    frame = loaders.load_hosting_costs()
    frame = frame[frame["support_type"] != "memo"]
    checks = []
    for release_id, rows in frame.groupby("release_id", sort=False):
        unit = rows["unit"].iloc[0]
        parts = rows[~rows["category"].isin(TOTALS)]
        for kind, total_category in [("direct", "direct_total"), ("indirect", "indirect_total")]:
            items = parts[parts["support_type"] == kind]
            published = _total(rows, total_category)
            if len(items) and not np.isnan(published):
                checks.append(
                    (
                        release_id,
                        f"{kind} items against the {kind} total",
                        published,
                        float(items["amount"].sum()),
                        unit,
                    )
                )
        direct, indirect = _total(rows, "direct_total"), _total(rows, "indirect_total")
        recurring = _total(rows, "continuing_total")
        grand = _total(rows, "total_support")
        if not (np.isnan(direct) or np.isnan(indirect)):
            target, label = (recurring, "recurring total") if not np.isnan(recurring) else (grand, "total")
            if not np.isnan(target):
                checks.append(
                    (release_id, f"direct plus indirect against the {label}", target, direct + indirect, unit)
                )
        one_time = _total(rows, "one_time_total")
        if not (np.isnan(recurring) or np.isnan(one_time) or np.isnan(grand)):
            checks.append((release_id, "recurring plus one-time against the total", grand, recurring + one_time, unit))
    result = pd.DataFrame(checks, columns=["release_id", "check", "published", "recomputed", "unit"])
    result["difference"] = result["recomputed"] - result["published"]
    return result


def _sma_of_year(year: int) -> tuple[float, float, str]:
    """The SMA contribution of ``year`` in billion won and million dollars, and its status."""
    from .history import contributions

    contrib = contributions().set_index("year")
    row = contrib.loc[year]
    return float(row["krw_billion"]), float(row["usd_million"]), str(row["status"])


def recurring_support() -> pd.DataFrame:
    """Each account's recurring support for one year beside the SMA payment of that year.

    One row per account that publishes a direct and an indirect total for a single year. Won and
    dollar values are both given (the account's own unit, and the other converted at SIPRI's rate
    of that year); ``sma_share_pct`` is the SMA payment as a share of the account's direct plus
    indirect support, and ``multiple_of_sma`` its inverse. The SMA payment is the agreed amount for
    the year (sma_contributions.csv), which can differ from the SMA line an account reports.
    """
    frame = loaders.load_hosting_costs()
    rows = []
    for release_id, whose in ACCOUNTS_WITH_SPLIT.items():
        account_rows = frame[frame["release_id"] == release_id]
        year = int(account_rows["period_start"].iloc[0])
        unit = account_rows["unit"].iloc[0]
        direct, indirect = _total(account_rows, "direct_total"), _total(account_rows, "indirect_total")
        land = account_rows.loc[account_rows["category"] == "land_rent_imputed", "amount"]
        rate, rate_year = _rate(year)
        to_krw = 1.0 if unit == "KRW billion" else rate / 1000.0
        sma_krw, sma_usd, sma_status = _sma_of_year(year)
        total_krw = (direct + indirect) * to_krw
        rows.append(
            {
                "release_id": release_id,
                "year": year,
                "account_of": whose,
                "publisher": account_rows["publisher"].iloc[0],
                "source_key": account_rows["source_key"].iloc[0],
                "status": "unverified" if (account_rows["status"] == "unverified").any() else "confirmed",
                "unit": unit,
                "direct_krw_billion": direct * to_krw,
                "indirect_krw_billion": indirect * to_krw,
                "land_rent_krw_billion": float(land.iloc[0]) * to_krw if len(land) else np.nan,
                "total_krw_billion": total_krw,
                "total_usd_million": total_krw * 1000.0 / rate,
                "rate_year": rate_year,
                "sma_krw_billion": sma_krw,
                "sma_usd_million": sma_usd,
                "sma_status": sma_status,
                "sma_share_pct": 100.0 * sma_krw / total_krw,
                "multiple_of_sma": total_krw / sma_krw,
            }
        )
    return pd.DataFrame(rows)


def gao_comparison() -> dict[str, float]:
    """GAO's 2016-2019 figures set against each other and against the SMA payments of those years.

    Korea's direct support (cash and in kind) and DoD's obligations are four-year sums in dollars.
    The SMA payments of the same years are converted at SIPRI's annual average rates.
    """
    from .history import contributions

    frame = loaders.load_hosting_costs().set_index("entry_id")
    korea = float(frame.loc["gao2016_2019_korea_direct", "amount"])
    dod = float(frame.loc["gao2016_2019_dod", "amount"])
    first, last = int(frame.loc["gao2016_2019_dod", "period_start"]), int(frame.loc["gao2016_2019_dod", "period_end"])
    contrib = contributions().set_index("year")
    sma_usd = float(contrib.loc[first:last, "usd_million"].sum())
    return {
        "first_year": first,
        "last_year": last,
        "korea_direct_usd_million": korea,
        "dod_obligations_usd_million": dod,
        "sma_usd_million": sma_usd,
        "sma_share_of_direct_pct": 100.0 * sma_usd / korea,
        "direct_over_obligations_pct": 100.0 * korea / dod,
        "direct_share_of_combined_pct": 100.0 * korea / (korea + dod),
    }


def factsheet_per_year(years: int = 10) -> dict[str, float]:
    """The fact sheet's $33bn spread over Seoul's 'about ten years', beside the 2026 SMA payment."""
    from .history import contributions

    frame = loaders.load_hosting_costs().set_index("entry_id")
    total = float(frame.loc["factsheet_33bn", "amount"])
    contrib = contributions().set_index("year")
    sma_2026 = float(contrib.loc[2026, "usd_million"])
    per_year = total / years
    return {
        "total_usd_million": total,
        "years": years,
        "per_year_usd_million": per_year,
        "sma_2026_usd_million": sma_2026,
        "outside_sma_per_year_usd_million": per_year - sma_2026,
        "sma_share_pct": 100.0 * sma_2026 / per_year,
    }


def land_rent() -> pd.DataFrame:
    """Every imputed rent of the land provided free, with the land value where one is published.

    ``implied_rate_pct`` is rent over value where the same source gives both for the same year.
    """
    frame = loaders.load_hosting_costs()
    rent = frame[frame["category"] == "land_rent_imputed"].copy()
    values = frame[frame["category"] == "land_value"].set_index("period_start")["amount"]
    rent["land_value"] = rent["period_start"].map(values)
    rent["implied_rate_pct"] = 100.0 * rent["amount"] / rent["land_value"]
    return rent.reset_index(drop=True)


def unspent_balances() -> pd.DataFrame:
    """Reported SMA money left unspent, by the date of the report."""
    frame = loaders.load_hosting_costs()
    return frame[frame["category"] == "sma_unspent"].reset_index(drop=True)


def share_claims() -> pd.DataFrame:
    """Claims of Korea's share of the cost of US forces, in date order, with a single plotted value.

    ``share_pct`` is the stated share, the midpoint of a range, or an upper bound where only one is
    given (``is_upper_bound``).
    """
    claims = loaders.load_cost_share_claims().copy()
    low, high = claims["share_low_pct"], claims["share_high_pct"]
    claims["share_pct"] = np.where(low.notna() & high.notna(), (low + high) / 2, low.fillna(high))
    claims["is_upper_bound"] = low.isna() & high.notna()
    claims["is_range"] = low.notna() & high.notna()
    return claims
