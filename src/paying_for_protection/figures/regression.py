"""Figures of the regression chapter, drawn from the fits and frames of :mod:`..analysis`."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from ..analysis import models, robustness
from ..panel_design import TRUMP_BASE_YEAR, WALES_BASE_YEARS
from .plotted import name_series
from .style import COLORS, color_for, finished, label_line_ends


def plot_pressure_measures(frame: pd.DataFrame, exposure: pd.DataFrame, countries: pd.DataFrame, guideline_pct: float):

    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 7.0), gridspec_kw={"width_ratios": [1.1, 1]})
    names = countries.set_index("iso3")["name"]
    shown = ["KOR", "JPN", "DEU", "GBR", "POL"]
    for iso3 in shown:
        series = frame[frame["iso3"] == iso3].set_index("year")["log1p_us_troops_per_bn_gdp"].astype(float)
        name_series(
            left.plot(series.index, series.values, color=color_for(iso3), lw=3 if iso3 == "KOR" else 1.8)[0],
            names[iso3],
        )
    median = frame.groupby("year")["log1p_us_troops_per_bn_gdp"].median()
    name_series(left.plot(median.index, median.values, color=COLORS["WORLD"], lw=1.5, ls=":")[0], "panel median")
    left.set_ylabel("log(1 + US troops per $bn of real GDP)")
    left.set_xlabel("year")
    left.set_xlim(1990, 2030)
    left.set_ylim(0, None)
    label_line_ends(
        left,
        [
            (
                names[i],
                frame[frame["iso3"] == i].set_index("year")["log1p_us_troops_per_bn_gdp"].astype(float),
                color_for(i),
            )
            for i in shown
        ]
        + [("panel median", median, COLORS["WORLD"])],
    )
    left.set_title("Troop presence", loc="left")

    data = exposure[exposure["iso3"].isin(frame["iso3"].unique())].copy()
    data["name"] = data["iso3"].map(names)
    data = data.sort_values(["wales_gap_pct", "trump_gap_pct"])
    y = np.arange(len(data))
    right.barh(
        y - 0.2,
        data["wales_gap_pct"],
        height=0.4,
        color=COLORS["NATO_EUROPE"],
        label=f"before Wales ({WALES_BASE_YEARS[0]}–{WALES_BASE_YEARS[1]})",
    )
    right.barh(y + 0.2, data["trump_gap_pct"], height=0.4, color=COLORS["USA"], label=f"in {TRUMP_BASE_YEAR}")
    right.set_yticks(y, data["name"], fontsize=9.5)
    right.set_xlabel(f"shortfall from {guideline_pct:g} % of GDP,\npercentage points")
    right.grid(axis="y", visible=False)
    right.grid(axis="x", color="#dddddd")
    right.legend(loc="lower right")
    right.set_title("Exposure to the 2 % guideline", loc="left")
    fig.tight_layout()
    return finished(fig)


def plot_coefficients(fits: dict[str, models.TwoWayFE], loo: pd.DataFrame):
    """Each pressure estimate with its clustered t(G-1) interval, main specification first, then
    every robustness and design check that re-estimates it; the band spans leave-one-ally-out."""
    fig, axes = plt.subplots(1, 3, figsize=(9, 8.0), sharey=True)
    # Only models of the share of GDP share one scale; the growth outcome is in the tables.
    fits = {
        check: fit
        for check, fit in fits.items()
        if fit.outcome == models.MAIN_OUTCOME and check not in robustness.NOT_COUNTED
    }
    checks = list(fits)
    y = np.arange(len(checks))[::-1]
    for ax, name in zip(axes, models.PRESSURE, strict=True):
        for yi, check in zip(y, checks, strict=True):
            fit = fits[check]
            if not robustness.identified(fits, check, name):
                ax.text(0, yi, "not identified", ha="center", va="center", fontsize=9.5, color="#777777")
                continue
            term = robustness.coefficient(check, name)
            low, high = fit.conf_int(term)
            colour = COLORS["KOR"] if check == checks[0] else COLORS["USA"]
            name_series(ax.plot([low, high], [yi, yi], color=colour, lw=1.6)[0], "interval (t(G-1), 95 %)")
            name_series(ax.plot(fit.coef(term), yi, "o", color=colour, ms=5)[0], "estimate")
        main_y = y[0]
        (band,) = ax.plot(
            [loo[name].min(), loo[name].max()],
            [main_y + 0.3, main_y + 0.3],
            color=COLORS["JPN"],
            lw=4,
            alpha=0.7,
            solid_capstyle="butt",
        )
        name_series(band, "range of the estimate leaving out one ally at a time")
        ax.axvline(0, color="#333333", lw=0.8)
        ax.set_title({"troops_lag": "Troops", "wales_pressure": "Wales", "trump_pressure": "Trump"}[name], loc="left")
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", color="#e5e5e5")
        ax.set_xlabel("coefficient")
    labels = [robustness.CHECK_NAMES[c][0].upper() + robustness.CHECK_NAMES[c][1:] for c in checks]
    axes[0].set_yticks(y, labels, fontsize=9.5)
    fig.tight_layout()
    return finished(fig)


def plot_event_studies(wales: pd.DataFrame, trump: pd.DataFrame, wales_ref: int, trump_ref: int):
    fig, axes = plt.subplots(1, 2, figsize=(9, 4.6), sharey=True)
    for ax, frame, ref, title, colour in [
        (axes[0], wales, wales_ref, f"Exposure: shortfall before Wales (reference {wales_ref})", COLORS["NATO_EUROPE"]),
        (axes[1], trump, trump_ref, f"Exposure: shortfall in {trump_ref} (reference {trump_ref})", COLORS["USA"]),
    ]:
        name_series(
            ax.fill_between(frame.index, frame["low"], frame["high"], color=colour, alpha=0.2, lw=0), "interval"
        )
        name_series(ax.plot(frame.index, frame["coef"], color=colour, lw=2, marker="o", ms=4)[0], "estimate")
        ax.axhline(0, color="#333333", lw=0.8)
        ax.axvline(ref + 0.5, color="#777777", lw=1, ls="--")
        ax.set_title(title, loc="left", fontsize=10.5)
        ax.set_xlabel("year")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes[0].set_ylabel("effect on share of GDP per point of shortfall")
    fig.tight_layout()
    return finished(fig)


def plot_olson_zeckhauser(oz: pd.DataFrame, published: pd.DataFrame, alpha: float = 0.05):
    """The yearly rank correlation; filled where one-sided p < alpha (the theory's direction).
    Sandler and Murdoch's p-values are two-sided, so the legend gives theirs as such."""
    fig, ax = plt.subplots(figsize=(9, 4.8))
    name_series(ax.plot(oz.index, oz["rho"], color=COLORS["USA"], lw=1.8)[0], "this book")
    significant = oz["p_one_sided"] < alpha
    ax.scatter(
        oz.index[significant],
        oz.loc[significant, "rho"],
        color=COLORS["USA"],
        s=26,
        zorder=3,
        label=f"this book, one-sided p < {alpha:g}",
    )
    ax.scatter(
        oz.index[~significant],
        oz.loc[~significant, "rho"],
        facecolor="white",
        edgecolor=COLORS["USA"],
        s=26,
        zorder=3,
        label="this book, not significant",
    )
    ax.scatter(
        published.index,
        published["rho"],
        marker="D",
        color=COLORS["KOR"],
        s=34,
        zorder=4,
        label=f"Sandler and Murdoch (2000), Table 9: two-sided p of {published['p_two_sided'].min():.2f} or more",
    )
    ax.axhline(0, color="#333333", lw=0.8)
    ax.set_ylabel("Spearman rank correlation, GDP and burden")
    ax.set_xlabel("year")
    ax.set_ylim(-1, 1)
    ax.legend(loc="lower left", fontsize=10)
    return finished(fig)
