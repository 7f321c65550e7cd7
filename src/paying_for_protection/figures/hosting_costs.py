"""Figures of the hosting-costs chapter, drawn from :mod:`..analysis.hosting_costs`."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import MaxNLocator

from .style import COLORS


def _finished(fig):
    """Close the figure before returning it, so that a chapter cell ending in ``fig`` shows it once.

    The notebook's inline backend would otherwise also show every open figure at the end of the
    cell, and the book would get two images under one figure label.
    """
    plt.close(fig)
    return fig


#: Colour of each kind of claimant in the share-claims figure.
CLAIMANT_COLORS = {
    "US government": COLORS["USA"],
    "US military": "#88CCEE",
    "Korean government": COLORS["KOR"],
    "Korean press": "#DDCC77",
    "Korean civil society": "#117733",
}


def plot_accounts(recurring: pd.DataFrame):
    """Each account's recurring support for one year, direct and indirect, beside that year's SMA.

    ``recurring`` is :func:`..analysis.hosting_costs.recurring_support`. Bars are billion won (accounts
    published in dollars converted at SIPRI's rate of the year); the imputed rent of land provided
    free is hatched within the indirect part; the diamond is the SMA payment agreed for the year.
    """
    fig, ax = plt.subplots(figsize=(9, 4.6))
    labels = [f"{row.year}\n{textwrap.fill(row.account_of, 15)}" for row in recurring.itertuples()]
    positions = range(len(recurring))
    direct = recurring["direct_krw_billion"]
    land = recurring["land_rent_krw_billion"].fillna(0.0)
    other_indirect = recurring["indirect_krw_billion"] - land
    ax.bar(positions, direct, color=COLORS["KOR"], label="direct support (budget outlays)")
    ax.bar(
        positions,
        land,
        bottom=direct,
        color="white",
        edgecolor=COLORS["KOR"],
        hatch="///",
        lw=0.8,
        label="imputed rent of land provided free",
    )
    ax.bar(
        positions,
        other_indirect,
        bottom=direct + land,
        color="#DDCC77",
        label="other indirect support (exemptions; land where not itemised)",
    )
    ax.scatter(
        positions,
        recurring["sma_krw_billion"],
        marker="D",
        s=46,
        color=COLORS["USA"],
        zorder=4,
        label="SMA payment agreed for the year",
    )
    ax.set_xticks(list(positions), labels)
    ax.set_ylabel("billion won (current)")
    ax.set_ylim(0, None)
    ax.legend(loc="upper left")
    fig.tight_layout()
    return _finished(fig)


def plot_share_claims(claims: pd.DataFrame):
    """Claims of Korea's share of the cost of US forces, by date, coloured by who made them.

    ``claims`` is :func:`..analysis.hosting_costs.share_claims`. A range is a vertical bar; an upper
    bound ('no more than') is a downward triangle; an implied share is hollow.
    """
    fig, ax = plt.subplots(figsize=(9, 4.8))
    month = pd.to_numeric(claims["date"].str[5:7], errors="coerce").fillna(6)
    year = claims["date"].str[:4].astype(int) + (month - 1) / 12
    for kind, color in CLAIMANT_COLORS.items():
        rows = claims["claimant_type"] == kind
        if not rows.any():
            continue
        plain = rows & ~claims["is_upper_bound"] & (claims["basis"] == "stated")
        ax.scatter(year[plain], claims.loc[plain, "share_pct"], s=50, color=color, zorder=3, label=kind)
        implied = rows & (claims["basis"] == "implied")
        ax.scatter(
            year[implied], claims.loc[implied, "share_pct"], s=50, facecolor="white", edgecolor=color, lw=1.6, zorder=3
        )
        bound = rows & claims["is_upper_bound"]
        ax.scatter(year[bound], claims.loc[bound, "share_pct"], marker="v", s=70, color=color, zorder=3)
        ranges = rows & claims["is_range"]
        ax.vlines(
            year[ranges], claims.loc[ranges, "share_low_pct"], claims.loc[ranges, "share_high_pct"], color=color, lw=3
        )
    # Alternate the labels above and below their points so that neighbours in time do not collide.
    for i, (x, y, label) in enumerate(zip(year, claims["share_pct"], claims["label"], strict=True)):
        ax.annotate(
            label,
            (x, y),
            xytext=(6, 5 if i % 2 == 0 else -12),
            textcoords="offset points",
            fontsize=10.5,
            color="#333333",
        )
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, 100)
    ax.set_ylabel("share Korea is said to pay, %")
    ax.set_xlabel("year of the claim")
    ax.legend(loc="upper left")
    fig.tight_layout()
    return _finished(fig)
