"""The starting article's factual claims, each set against the book's data.

Every claim is a row of ``published_figures.csv`` (the figure the article gives); the book's own
value is computed here from ``data/``. The verdict compares the two at the precision the article
used: a claim is confirmed when the book's value rounds to it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..data import loaders
from .conversions import krw_per_usd


@dataclass(frozen=True)
class Claim:
    figure_id: str
    claim: str
    book_value: float
    book_basis: str
    decimals: int
    #: For dollar conversions: the won amount, so the verdict can state the rate the article implies.
    krw_billion: float | None = None


def _decimals(value: float) -> int:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return len(text.split(".")[1]) if "." in text else 0


def article_claims() -> list[Claim]:
    figures = loaders.load_published_figures()
    sma = loaders.load_sma_contributions().set_index("year")
    budget = loaders.load_korea_defense_budget().set_index("year")
    troops = loaders.load_usfk_troops().set_index("year")
    share = loaders.sipri_series("share_of_gdp_pct")
    world = loaders.load_sipri_world().pivot(index="year", columns="statistic", values="value")
    rate_2024 = float(krw_per_usd().loc[2024])
    first_sma = int(loaders.load_sma_agreements()["period_start_year"].min())

    def claim(figure_id: str, text: str, value: float, basis: str, krw_billion: float | None = None) -> Claim:
        return Claim(figure_id, text, value, basis, _decimals(float(figures.loc[figure_id, "value"])), krw_billion)

    return [
        claim(
            "cnbc_usfk_troops",
            "US troops stationed in South Korea",
            float(troops.loc[2025, "usfk_troops"]),
            "the level agreed in 2008 and reported since, in 2025 also the statutory floor of the FY2026 NDAA "
            "(usfk_troops.csv); not a headcount",
        ),
        claim(
            "cnbc_korea_burden_2024_pct",
            "Korea's military spending, % of GDP, 2024 (SIPRI)",
            float(share.loc[2024, "KOR"]),
            "SIPRI, April 2025 release (sipri_milex.csv)",
        ),
        claim(
            "cnbc_world_burden_2024_pct",
            "World military burden, % of GDP, 2024 (SIPRI)",
            float(world.loc[2024, "coverage_burden_pct"]),
            "sum of spending over sum of GDP, the countries with both in SIPRI's workbook (sipri_world.csv)",
        ),
        claim(
            "cnbc_budget_2025_krw_trillion",
            "Korea's 2025 defense budget, trillion won",
            float(budget.loc[2025, "budget_krw_trillion"]),
            "MND final appropriation (korea_defense_budget.csv)",
        ),
        claim(
            "cnbc_budget_2025_growth_pct",
            "Growth of the 2025 defense budget, %",
            100 * (budget.loc[2025, "budget_krw_trillion"] / budget.loc[2024, "budget_krw_trillion"] - 1),
            "recomputed from the 2024 and 2025 budgets",
        ),
        claim(
            "cnbc_budget_2025_usd_billion",
            "Korea's 2025 defense budget, US$ billion",
            float(budget.loc[2025, "budget_krw_trillion"]) * 1000 / rate_2024,
            "converted at the 2024 average rate implied by SIPRI (the article's rate is not stated)",
            float(budget.loc[2025, "budget_krw_trillion"]) * 1000,
        ),
        claim(
            "cnbc_sma_start_year",
            "Year cost-sharing began",
            float(first_sma),
            "first year of the 1st SMA (sma_agreements.csv); items agreed at the allies' security meetings "
            "were paid before it (hosting_costs.csv)",
        ),
        claim(
            "cnbc_sma_2026_krw_trillion",
            "Korea's 2026 contribution, trillion won",
            float(sma.loc[2026, "amount"]) / 1000,
            "12th SMA (sma_contributions.csv)",
        ),
        claim(
            "cnbc_sma_2026_growth_pct",
            "Increase of the 2026 contribution, %",
            100 * (sma.loc[2026, "amount"] / sma.loc[2025, "amount"] - 1),
            "recomputed from the 2025 and 2026 amounts",
        ),
        claim(
            "cnbc_sma_2026_usd_billion",
            "Korea's 2026 contribution, US$ billion",
            float(sma.loc[2026, "amount"]) / rate_2024,
            "converted at the 2024 average rate implied by SIPRI",
            float(sma.loc[2026, "amount"]),
        ),
    ]


def claims_table() -> pd.DataFrame:
    """One row per claim: the article's figure, its status in the data, the book's value and the verdict."""
    figures = loaders.load_published_figures()
    rows = []
    for c in article_claims():
        stated = float(figures.loc[c.figure_id, "value"])
        rounded = round(c.book_value, c.decimals)
        if abs(rounded - stated) < 10 ** (-c.decimals) / 2:
            verdict = "confirmed"
        elif c.krw_billion is not None:
            verdict = f"depends on the exchange rate: the article's figure implies {c.krw_billion / stated:,.0f} won per dollar"
        else:
            verdict = "differs"
        separator = "" if figures.loc[c.figure_id, "unit"] == "year" else ","
        shown = max(c.decimals, 2) if c.decimals else 0
        rows.append(
            {
                "claim": c.claim,
                "article": f"{stated:{separator}.{c.decimals}f}",
                "this book": f"{c.book_value:{separator}.{shown}f}",
                "verdict": verdict,
                # Whether the article's own figure could be read in the article (verified) or only in
                # mirror copies and the brief (unverified): the verdict is only as sure as this.
                "article figure status": figures.loc[c.figure_id, "status"],
                "basis of the book's value": c.book_basis,
                "figure_id": c.figure_id,
            }
        )
    return pd.DataFrame(rows)
