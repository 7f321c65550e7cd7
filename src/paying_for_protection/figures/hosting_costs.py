"""Figures of the hosting-costs chapter, drawn from :mod:`..analysis.hosting_costs`."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import Bbox

from .plotted import name_series
from .style import COLORS, finished

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
    return finished(fig)


#: Where a point's label may go, in points from the point, in order of preference: right, left,
#: then further above and below (with a thin leader line back to the point).
_LABEL_SPOTS = [(6, 4), (6, -13), (-6, 4), (-6, -13), (6, 17), (6, -26), (-6, 17), (-6, -26), (0, 30), (0, -38)]


def _place_labels(ax, points: list[tuple[float, float, str]]) -> None:
    """Label each point at the first spot where the label meets no label placed before it and no
    other point (in the order of :data:`_LABEL_SPOTS`), judged on the boxes the renderer draws."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    to_pixels = ax.transData.transform
    markers = [Bbox.from_bounds(*(to_pixels((x, y)) - 5), 10, 10) for x, y, _ in points]
    placed: list[Bbox] = []
    for index, (x, y, label) in enumerate(sorted(points)):
        for dx, dy in _LABEL_SPOTS:
            far = abs(dy) > 15
            text = ax.annotate(
                label,
                (x, y),
                xytext=(dx, dy),
                textcoords="offset points",
                ha="left" if dx > 0 else ("right" if dx < 0 else "center"),
                fontsize=10.5,
                color="#333333",
                arrowprops={"arrowstyle": "-", "color": "#999999", "lw": 0.6, "shrinkB": 4} if far else None,
            )
            box = text.get_window_extent(renderer).padded(1)
            own = to_pixels((x, y))
            clashes = any(box.overlaps(other) for other in placed) or any(
                box.overlaps(marker) for i, marker in enumerate(markers) if not marker.contains(*own)
            )
            inside = ax.bbox.contains(box.x0, box.y0) and ax.bbox.contains(box.x1, box.y1)
            if not clashes and inside:
                placed.append(box)
                break
            text.remove()
        else:
            raise ValueError(f"no room to label the claim {label!r} (point {index + 1})")


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
        name_series(
            ax.scatter(
                year[implied],
                claims.loc[implied, "share_pct"],
                s=50,
                facecolor="white",
                edgecolor=color,
                lw=1.6,
                zorder=3,
            ),
            f"{kind} (implied share)",
        )
        bound = rows & claims["is_upper_bound"]
        name_series(
            ax.scatter(year[bound], claims.loc[bound, "share_pct"], marker="v", s=70, color=color, zorder=3),
            f"{kind} (upper bound)",
        )
        ranges = rows & claims["is_range"]
        name_series(
            ax.vlines(
                year[ranges],
                claims.loc[ranges, "share_low_pct"],
                claims.loc[ranges, "share_high_pct"],
                color=color,
                lw=3,
            ),
            f"{kind} (range)",
        )
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, 100)
    _place_labels(ax, list(zip(year, claims["share_pct"], claims["label"], strict=True)))
    ax.set_ylabel("share Korea is said to pay, %")
    ax.set_xlabel("year of the claim")
    ax.legend(loc="upper left")
    fig.tight_layout()
    return finished(fig)
