"""What each Special Measures Agreement covers, and how each round was bargained.

Two questions the amounts alone cannot answer. What did each agreement say beyond the money (the
share of Korean employees' wages it must meet, how much construction is delivered in kind, what
happens when it lapses, what it may be spent on, how it was ratified)? And for each round, what did
Washington ask, what did Seoul offer, what came out, and what pressure surrounded the talks (troop
cuts, halted exercises, troop floors written into US law, tariffs)?

Everything here is read from ``sma_agreements``, ``sma_contributions``, ``sma_provisions``,
``sma_negotiations`` and ``alliance_pressure``; nothing is typed in.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data import loaders
from .conversions import krw_per_usd

#: The provisions shown for each agreement, in the order of the coverage table.
PROVISIONS = ["currency", "labour_share", "construction_in_kind", "lapse", "transparency", "ratification"]

#: How each class of escalation rule reads, with the cap filled in from the data.
_RULE_TEXT = {
    "negotiated_yearly": "amounts negotiated year by year",
    "fixed_growth": "a fixed rise each year",
    "growth_plus_inflation": "previous year raised by real growth plus inflation",
    "fixed_plus_cpi": "previous year raised by a fixed rate plus consumer-price inflation of two years earlier",
    "flat": "the same amount in each year",
    "cpi": "previous year raised by consumer-price inflation",
    "cpi_lag2": "previous year raised by consumer-price inflation of two years earlier",
    "one_year": "a single year",
    "defense_budget_growth": "previous year raised by the growth of Korea's defense budget of the year before",
    "cpi_lag2_capped": "previous year raised by consumer-price inflation of two years earlier",
}


def rule_description(rule_type: str, cap_pct: float | None = None) -> str:
    """The escalation rule in words, generated from its machine-readable class and cap.

    Generating the words from ``rule_type`` keeps the prose and the rule the tests recompute in
    step: the 8th agreement's free-text rule in the fact base omits the two-year lag that its class
    (and the amounts) encode.
    """
    if rule_type not in _RULE_TEXT:
        raise KeyError(f"no description for rule type {rule_type!r}")
    text = _RULE_TEXT[rule_type]
    if cap_pct is not None and not pd.isna(cap_pct):
        text += f", capped at {cap_pct:g}{chr(0xA0)}% a year"
    return text


def agreements() -> pd.DataFrame:
    """The twelve agreements with their term in years, currency and escalation rule in words."""
    frame = loaders.load_sma_agreements().copy()
    frame["term_years"] = frame["period_end_year"] - frame["period_start_year"] + 1
    frame["rule_text"] = [
        rule_description(t, c) for t, c in zip(frame["rule_type"], frame["rule_cap_pct"], strict=True)
    ]
    return frame


def coverage() -> pd.DataFrame:
    """One row per agreement and one column per provision: the provision's text, or missing.

    Each text cell carries its status: an unverified provision is returned with ``status`` columns
    so that the table can say so (``<provision>_status``).
    """
    provisions = loaders.load_sma_provisions()
    base = agreements()[["sma_number", "period_start_year", "period_end_year", "term_years", "currency"]]
    for name in PROVISIONS:
        rows = provisions[provisions["provision"] == name].set_index("sma_number")
        base[name] = base["sma_number"].map(rows["text"])
        base[f"{name}_status"] = base["sma_number"].map(rows["status"])
        base[f"{name}_source"] = base["sma_number"].map(rows["source_key"])
    return base


def labour_share_rules() -> pd.DataFrame:
    """The labour-share figures the agreements set (ceiling or floor), with their unit and status."""
    provisions = loaders.load_sma_provisions()
    rows = provisions[(provisions["provision"] == "labour_share") & provisions["value"].notna()]
    return rows[["sma_number", "value", "unit", "text", "status", "source_key", "notes"]].reset_index(drop=True)


def in_kind_construction() -> pd.DataFrame:
    """Share of SMA construction delivered in kind, by agreement, where a source gives it."""
    provisions = loaders.load_sma_provisions()
    rows = provisions[(provisions["provision"] == "construction_in_kind") & provisions["value"].notna()]
    return rows[["sma_number", "value", "unit", "text", "status", "source_key"]].reset_index(drop=True)


# --- rounds ------------------------------------------------------------------------------------------


def _usd_million(amount: float, unit: str, year: int, previous_krw: float | None = None) -> float:
    """An ask, offer or outcome in US dollars (million), at SIPRI's annual average rate of ``year``.

    Percent increases are applied to the previous year's amount in won when that is given; shares of
    non-personnel stationing costs cannot be converted and return NaN.
    """
    rate = krw_per_usd()
    rate_year = year if year in rate.index else int(rate.index.max())
    if unit == "USD million":
        return float(amount)
    if unit == "KRW billion":
        return float(amount) * 1000.0 / float(rate.loc[rate_year])
    if unit == "percent increase" and previous_krw is not None:
        return previous_krw * (1 + float(amount) / 100.0) * 1000.0 / float(rate.loc[rate_year])
    return np.nan


def rounds() -> pd.DataFrame:
    """Every reported position of every round, with a dollar value where one can be computed.

    Each amount is for ``for_year``; conversions use SIPRI's annual average rate of that year (the
    last year with a rate where the data end), and a percent increase applies to the amount of the
    year before. ``usd_basis`` says which.
    """
    negotiations = loaders.load_sma_negotiations().copy()
    contributions = loaders.load_sma_contributions().set_index("year")
    rate = krw_per_usd()
    values, bases = [], []
    for row in negotiations.itertuples():
        previous = contributions["amount_krw_billion"].get(row.for_year - 1)
        previous = None if previous is None or pd.isna(previous) else float(previous)
        if pd.isna(row.amount):
            values.append(np.nan)
            bases.append("no amount reported")
            continue
        value = _usd_million(row.amount, row.unit, row.for_year, previous)
        values.append(value)
        if row.unit == "USD million":
            bases.append("reported in dollars")
        elif np.isnan(value):
            bases.append("a share, not an amount")
        else:
            rate_year = row.for_year if row.for_year in rate.index else int(rate.index.max())
            bases.append(f"converted at the {rate_year} average rate")
    negotiations["usd_million"] = values
    negotiations["usd_basis"] = bases
    return negotiations


def ask_and_outcome() -> pd.DataFrame:
    """For each round with both: the largest US ask and the outcome, in dollars, and their ratio.

    The ask is the largest yearly amount the United States was reported to seek in the round; the
    outcome is the amount the agreement set for its first year (for the 11th, the first year it
    raised, 2021, since 2020 was frozen). Both years are returned.
    """
    frame = rounds()
    asks = frame[(frame["stage"] == "us_ask") & frame["usd_million"].notna()]
    outcomes = frame[(frame["stage"] == "outcome") & frame["usd_million"].notna()]
    largest_ask = asks.loc[asks.groupby("sma_number")["usd_million"].idxmax()].set_index("sma_number")
    outcome = outcomes.groupby("sma_number").last()
    both = largest_ask.index.intersection(outcome.index)
    result = pd.DataFrame(
        {
            "sma_number": both,
            "ask_usd_million": largest_ask.loc[both, "usd_million"].to_numpy(),
            "ask_date": largest_ask.loc[both, "date"].to_numpy(),
            "ask_for_year": largest_ask.loc[both, "for_year"].to_numpy(),
            "outcome_usd_million": outcome.loc[both, "usd_million"].to_numpy(),
            "outcome_for_year": outcome.loc[both, "for_year"].to_numpy(),
        }
    )
    result["outcome_share_of_ask_pct"] = 100.0 * result["outcome_usd_million"] / result["ask_usd_million"]
    return result


def pressure() -> pd.DataFrame:
    """The pressure events, with their kind and the agreement they bore on."""
    return loaders.load_alliance_pressure()


def troop_floors() -> pd.DataFrame:
    """The troop floors in US defense authorization acts, binding or not, in date order."""
    events = loaders.load_alliance_pressure()
    return events[events["kind"] == "troop_floor_law"][
        ["date", "start", "event", "troop_floor", "floor_binding"]
    ].reset_index(drop=True)
