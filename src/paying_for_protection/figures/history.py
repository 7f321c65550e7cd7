"""Figures of the history chapter, drawn from the frames :mod:`..analysis.history` computes."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import pandas as pd

from ..data import loaders
from .plotted import name_series
from .style import CATEGORY_COLORS, COLORS, STATUS_COLORS, finished


def plot_contributions(
    contrib: pd.DataFrame,
    projection: pd.DataFrame,
    band: tuple[pd.DataFrame, pd.DataFrame],
    band_label: str,
    base_year: int = 2024,
):
    """Nominal and real won by year, rule-derived years marked, the 12th-SMA projection apart."""
    agreements = loaders.load_sma_agreements()
    fig, ax = plt.subplots(figsize=(9, 4.8))
    for i, row in enumerate(agreements.itertuples()):
        if i % 2 == 0:
            ax.axvspan(row.period_start_year - 0.5, row.period_end_year + 0.5, color="#f2f2f2", zorder=0, lw=0)
        ax.text(
            (row.period_start_year + row.period_end_year) / 2,
            1.0,
            f"{row.sma_number}",
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="bottom",
            fontsize=10.5,
            color="#666666",
        )
    ax.plot(contrib["year"], contrib["krw_billion"], color=COLORS["KOR"], lw=2, label="nominal won")
    ax.plot(
        contrib["year"],
        contrib["real_krw_billion"],
        color=COLORS["USA"],
        lw=2,
        ls="-",
        alpha=0.85,
        label=f"real won ({base_year} prices)",
    )
    agreed = contrib[contrib["status"] == "agreed"]
    derived = contrib[contrib["status"] == "derived-from-rule"]
    ax.scatter(agreed["year"], agreed["krw_billion"], s=18, color=COLORS["KOR"], zorder=3, label="agreed amount")
    ax.scatter(
        derived["year"],
        derived["krw_billion"],
        s=46,
        facecolor="white",
        edgecolor=COLORS["KOR"],
        linewidth=1.6,
        zorder=4,
        label="derived from the agreement's rule",
    )
    low, high = band
    ax.fill_between(
        low["year"], low["amount"], high["amount"], color=STATUS_COLORS["projection"], alpha=0.2, lw=0, label=band_label
    )
    ax.plot(
        projection["year"],
        projection["amount"],
        color=STATUS_COLORS["projection"],
        lw=2,
        ls="--",
        label="projection (12th SMA rule)",
    )
    ax.set_xlim(1990, projection["year"].max() + 0.8)
    ax.set_ylabel("billion won")
    ax.set_xlabel("year (shaded bands and numbers at the top: agreement periods)")
    ax.legend(loc="upper left")
    ax.set_ylim(0, None)
    return finished(fig)


def _troop_lines(ax, levels: pd.DataFrame, legend: bool) -> None:
    dmdc = levels.dropna(subset=["troops_active_duty"])
    dmdc_label = "DMDC count of permanently assigned active-duty troops (largest reported quarter)"
    (line,) = ax.plot(
        dmdc["year"], dmdc["troops_active_duty"] / 1000, color=COLORS["USA"], lw=2, label=dmdc_label if legend else None
    )
    name_series(line, dmdc_label)
    reported = levels.dropna(subset=["usfk_troops"])
    for status, marker in [("confirmed", "o"), ("reported", "s"), ("estimated", "D"), ("derived", "^")]:
        rows = reported[reported["status"] == status]
        if len(rows):
            label = f"reported or agreed level ({status})"
            points = ax.scatter(
                rows["year"],
                rows["usfk_troops"] / 1000,
                marker=marker,
                s=40,
                color=COLORS["KOR"],
                facecolor="white" if status in ("estimated", "derived") else COLORS["KOR"],
                zorder=3,
                label=label if legend else None,
            )
            name_series(points, label)


def plot_troops(levels: pd.DataFrame, floors: pd.DataFrame | None = None, zoom_from: int = 1988):
    """DMDC's count and reported or agreed levels; with ``floors``, a second panel of recent years.

    ``floors`` is :func:`..analysis.agreements.troop_floors`. In the second panel (from
    ``zoom_from``) each act's floor is drawn from its date to the next act's, solid where it barred
    the use of funds, dotted where it only expressed support.
    """
    if floors is None:
        fig, ax = plt.subplots(figsize=(9, 4.2))
        _troop_lines(ax, levels, legend=True)
        ax.set_ylabel("thousand troops")
        ax.set_xlabel("year")
        ax.set_ylim(0, None)
        ax.legend(loc="upper right")
        return finished(fig)
    fig, (whole, recent) = plt.subplots(2, 1, figsize=(9, 7.4), gridspec_kw={"height_ratios": [1, 1.1]})
    _troop_lines(whole, levels, legend=True)
    _troop_lines(recent, levels[levels["year"] >= zoom_from], legend=False)
    starts = floors["start"].dt.year + (floors["start"].dt.day_of_year - 1) / 365.25
    ends = [*starts.iloc[1:], float(levels["year"].max()) + 1]
    labelled = set()
    for begin, end, floor, binding in zip(starts, ends, floors["troop_floor"], floors["floor_binding"], strict=True):
        label = "troop floor in US law (binding)" if binding else "level supported in US law (not binding)"
        floor_lines = recent.hlines(
            floor / 1000,
            begin,
            end,
            colors=COLORS["WORLD"],
            linestyles="-" if binding else ":",
            lw=2.4,
            zorder=4,
            label=None if label in labelled else label,
        )
        name_series(floor_lines, label)
        labelled.add(label)
    whole.set_title("All years", loc="left")
    recent.set_title(f"Since {zoom_from}, with the floors written into US defense authorization acts", loc="left")
    for ax in (whole, recent):
        ax.set_ylabel("thousand troops")
        ax.set_ylim(0, None)
    recent.set_xlabel("year")
    whole.legend(loc="upper right")
    recent.legend(loc="lower left")
    fig.tight_layout()
    return finished(fig)


#: Marker of each position in a round, in the rounds figure.
ROUND_MARKERS = {
    "us_ask": ("^", "US ask"),
    "korea_offer": ("v", "Korean offer"),
    "tentative_deal": ("D", "tentative deal (rejected)"),
    "outcome": ("s", "outcome"),
}


def plot_rounds(rounds: pd.DataFrame, contributions: pd.DataFrame, pressure: pd.DataFrame):
    """Asks, offers and outcomes of each round in dollars, above the pressure of the moment.

    Upper panel: each position at the year its amount is for (log scale), with the yearly
    contribution as a line. Lower panel: pressure events in lanes by kind. Positions without a
    dollar amount (a share of costs, or none reported) are left out.
    """
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 7), sharex=True, gridspec_kw={"height_ratios": [2.2, 1]})
    top.plot(
        contributions["year"],
        contributions["usd_million"],
        color=COLORS["KOR"],
        lw=1.6,
        alpha=0.7,
        label="contribution paid",
    )
    shown = rounds.dropna(subset=["usd_million"])
    for stage, (marker, label) in ROUND_MARKERS.items():
        rows = shown[shown["stage"] == stage]
        if len(rows):
            top.scatter(
                rows["for_year"],
                rows["usd_million"],
                marker=marker,
                s=60,
                color=COLORS["USA"] if stage == "us_ask" else COLORS["KOR"],
                facecolor="white" if stage in ("korea_offer", "tentative_deal") else None,
                zorder=3,
                label=label,
            )
    top.set_yscale("log")
    top.set_yticks([200, 500, 1000, 2000, 5000])
    top.yaxis.set_major_formatter(mticker.FuncFormatter(lambda value, _: f"{value:,.0f}"))
    top.yaxis.set_minor_formatter(mticker.NullFormatter())
    top.set_ylabel("million US$ a year (log scale)")
    top.legend(loc="upper left")
    kinds = [
        "troop_reduction",
        "troop_floor_law",
        "exercise_suspension",
        "payment_demand",
        "trade_pressure",
        "basing_demand",
        "law",
    ]
    labels = {
        "troop_reduction": "troop cuts",
        "troop_floor_law": "troop floor in law",
        "exercise_suspension": "exercises halted",
        "payment_demand": "payment demand",
        "trade_pressure": "tariffs, trade",
        "basing_demand": "basing demand",
        "law": "other US law",
    }
    when = pressure["start"].dt.year + (pressure["start"].dt.day_of_year - 1) / 365.25
    for lane, kind in enumerate(kinds):
        rows = pressure["kind"] == kind
        events = bottom.scatter(
            when[rows], [lane] * int(rows.sum()), s=34, color=COLORS["USA"], edgecolor="white", zorder=3
        )
        name_series(events, f"pressure event: {labels[kind]}")
    bottom.set_yticks(range(len(kinds)), [labels[k] for k in kinds])
    bottom.set_ylim(-0.7, len(kinds) - 0.3)
    bottom.grid(axis="y", visible=False)
    bottom.set_xlabel("year")
    fig.tight_layout()
    return finished(fig)


#: Short labels for the events the chapter discusses, keyed by the timeline's date.
TIMELINE_LABELS = {
    "1953-10-01": "Mutual Defense Treaty",
    "1966-07-09": "SOFA signed",
    "1991-01": "1st SMA",
    "2005-06-09": "6th SMA: all in won",
    "2008-04-19": "drawdown halted",
    "2019-03-08": "10th SMA (one year)",
    "2020-04-01": "furlough",
    "2021-04-08": "11th SMA",
    "2024-11-04": "12th SMA",
    "2025-04-08": "'one-stop shopping'",
    "2025-07-30": "trade deal",
    "2025-11-13": "joint fact sheet",
    "2026-01-26": "tariff threat",
}


def plot_timeline(events: pd.DataFrame, zoom_from: int = 2018):
    """Events by category: the whole period above, the years since ``zoom_from`` below.

    Labelled events (TIMELINE_LABELS) are annotated in the panel where they have room: earlier
    ones above, recent ones below, with alternating offsets so neighbours do not collide.
    """

    categories = list(CATEGORY_COLORS)
    fig, axes = plt.subplots(2, 1, figsize=(10, 7.2), gridspec_kw={"height_ratios": [1, 1.4]})
    recent = events["start"].dt.year >= zoom_from
    for ax, frame, label_recent in [(axes[0], events, False), (axes[1], events[recent], True)]:
        for lane, category in enumerate(categories):
            rows = frame[frame["category"] == category]
            dots = ax.scatter(
                rows["start"],
                [lane] * len(rows),
                s=34,
                color=CATEGORY_COLORS[category],
                edgecolor="white",
                linewidth=0.5,
                zorder=3,
            )
            name_series(dots, f"event: {category}")
        ax.set_yticks(range(len(categories)), categories)
        ax.set_ylim(-0.9, len(categories) - 0.2)
        ax.grid(axis="x", color="#e5e5e5")
        ax.grid(axis="y", visible=False)
        labelled = frame[frame["date"].isin(TIMELINE_LABELS)]
        labelled = labelled[(labelled["start"].dt.year >= zoom_from) == label_recent].sort_values("start")
        seen_in_lane: dict[str, int] = {}
        for row in labelled.itertuples():
            lane = categories.index(row.category)
            # Alternate above and below within each lane, so that neighbours in one lane do not collide.
            n = seen_in_lane.get(row.category, 0)
            seen_in_lane[row.category] = n + 1
            offset = 10 if n % 2 == 0 else -16
            ax.annotate(
                TIMELINE_LABELS[row.date],
                (row.start, lane),
                xytext=(0, offset),
                textcoords="offset points",
                ha="center",
                fontsize=10.5,
                color="#222222",
            )
    axes[0].set_title(f"All events (labels before {zoom_from})", loc="left")
    axes[1].set_title(f"Since {zoom_from}", loc="left")
    axes[1].xaxis.set_major_locator(mdates.YearLocator())
    axes[1].xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    fig.tight_layout()
    return finished(fig)


def plot_japan(comparison: pd.DataFrame):
    # Reindex to every year so that lines break where Japan's series has no figure.
    comparison = (
        comparison.set_index("year")
        .reindex(range(int(comparison["year"].min()), int(comparison["year"].max()) + 1))
        .reset_index()
    )
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2))
    for ax, japan, korea, unit in [
        (left, "japan_usd_million", "korea_usd_million", "million US$ (current)"),
        (right, "japan_share_of_milex_pct", "korea_share_of_milex_pct", "% of military spending (SIPRI)"),
    ]:
        budget = (comparison["japan_basis"] == "budget").to_numpy()
        average = (comparison["japan_basis"] == "agreement average").to_numpy()
        name_series(
            ax.plot(comparison["year"], comparison[japan], color=COLORS["JPN"], lw=1.2, alpha=0.6)[0],
            "Japan: line through the years with a figure",
        )
        ax.scatter(
            comparison.loc[budget, "year"],
            comparison.loc[budget, japan],
            color=COLORS["JPN"],
            s=30,
            zorder=3,
            label="Japan: annual budget",
        )
        ax.scatter(
            comparison.loc[average, "year"],
            comparison.loc[average, japan],
            facecolor="white",
            edgecolor=COLORS["JPN"],
            s=30,
            zorder=3,
            label="Japan: agreement average",
        )
        ax.plot(
            comparison["year"],
            comparison[korea],
            color=COLORS["KOR"],
            lw=2,
            marker="o",
            ms=3.5,
            label="Korea: SMA contribution",
        )
        ax.set_ylabel(unit)
        ax.set_xlabel("year")
        ax.set_ylim(0, None)
    left.legend(loc="lower left")
    left.set_title("In dollars", loc="left")
    right.set_title("As a share of military spending", loc="left")
    fig.tight_layout()
    return finished(fig)
