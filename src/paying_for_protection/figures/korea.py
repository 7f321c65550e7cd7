"""Figures of the Korea chapter, drawn from :mod:`..analysis.korea`."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import MaxNLocator

from ..analysis.korea import DEMAND_FIRST_BUDGET
from .plotted import name_series
from .style import COLORS, finished


def plot_budget_and_payments(budget_growth: pd.Series, contributions: pd.DataFrame, rounds: pd.DataFrame):
    """Yearly growth of Korea's defense budget (bars) and of the SMA payment (line, from 2005, in won),
    with each agreement's years marked and the 2019-20 demand shaded."""
    fig, ax = plt.subplots(figsize=(9, 5.0))
    ax.bar(budget_growth.index, budget_growth.values, color=COLORS["KOR"], alpha=0.75, label="defense budget")
    won = contributions[(contributions["currency"] == "KRW") & contributions["change_pct"].notna()]
    ax.plot(won["year"], won["change_pct"], color=COLORS["USA"], lw=1.8, marker="o", ms=3.5, label="SMA payment (won)")
    derived = won[won["status"] != "agreed"]
    ax.scatter(
        derived["year"],
        derived["change_pct"],
        facecolor="white",
        edgecolor=COLORS["USA"],
        s=30,
        zorder=3,
        label="SMA payment derived from the agreement's rule",
    )
    for number, row in rounds.iterrows():
        ax.axvline(row["first_year"] - 0.5, color="#bbbbbb", lw=0.7)
        ax.text(row["first_year"] - 0.3, 0.98, f"{number}", transform=ax.get_xaxis_transform(), fontsize=9.5, va="top")
    ax.axvspan(
        DEMAND_FIRST_BUDGET - 0.5,
        DEMAND_FIRST_BUDGET + 1.5,
        color="#f2d7d5",
        alpha=0.6,
        lw=0,
        label="budgets drawn up during the 2019–20 demand",
    )
    ax.axhline(0, color="#333333", lw=0.8)
    ax.set_ylabel("growth over the previous year, %")
    ax.set_xlabel("year (numbers: SMA in force from that year)")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(loc="lower left", fontsize=9.5)
    fig.tight_layout()
    return finished(fig)


def plot_synthetic(result: dict, names: pd.Series, japan: dict | None = None):
    """Left: the treated ally and its synthetic twin. Right: the gap, with every placebo's gap in grey."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 4.8))
    treated = result["treated"]
    left.plot(result["actual"].index, result["actual"].values, color=COLORS["KOR"], lw=2.4, label=names[treated])
    left.plot(
        result["synthetic"].index,
        result["synthetic"].values,
        color=COLORS["KOR"],
        lw=1.6,
        ls="--",
        label=f"synthetic {names[treated]}",
    )
    if japan is not None:
        left.plot(
            japan["actual"].index, japan["actual"].values, color=COLORS["JPN"], lw=2, label=names[japan["treated"]]
        )
        left.plot(
            japan["synthetic"].index,
            japan["synthetic"].values,
            color=COLORS["JPN"],
            lw=1.3,
            ls="--",
            label=f"synthetic {names[japan['treated']]}",
        )
    for ax in (left, right):
        ax.axvline(DEMAND_FIRST_BUDGET - 0.5, color="#777777", lw=1, ls=":")
        ax.set_xlabel("year")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    left.set_ylabel("military expenditure, % of GDP")
    left.legend(loc="upper right", fontsize=9.5)
    left.set_title("Burden and synthetic twin", loc="left", fontsize=10.5)
    gaps = result["gaps"]
    for unit in gaps.columns:
        if unit != treated:
            name_series(
                right.plot(gaps.index, gaps[unit], color="#999999", lw=0.8, alpha=0.6)[0], f"placebo: {names[unit]}"
            )
    name_series(right.plot(gaps.index, gaps[treated], color=COLORS["KOR"], lw=2.4)[0], names[treated])
    right.axhline(0, color="#333333", lw=0.8)
    right.set_ylabel("actual minus synthetic, percentage points")
    right.set_title(f"Gap to the twin: {names[treated]} and placebos", loc="left", fontsize=10.5)
    fig.tight_layout()
    return finished(fig)
