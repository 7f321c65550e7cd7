"""Figures of the budget chapter, drawn from the frames :mod:`..analysis.budget` computes."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import FuncFormatter

from ..data import loaders
from .style import COLORS, color_for, label_line_ends

_LABELS = {
    "KOR": "South Korea",
    "USA": "United States",
    "JPN": "Japan",
    "DEU": "Germany",
    "GBR": "United Kingdom",
    "FRA": "France",
    "POL": "Poland",
    "NATO_EUROPE_MEDIAN": "NATO Europe, median",
    "NATO_EUROPE_AGGREGATE": "NATO Europe, aggregate",
    "WORLD": "World (SIPRI coverage)",
}


def plot_korea_budget(frame: pd.DataFrame, base_year: int = 2024):
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2), gridspec_kw={"width_ratios": [1.3, 1]})
    left.plot(frame.index, frame["budget_krw_trillion"], color=COLORS["KOR"], lw=2)
    left.plot(frame.index, frame["real_krw_trillion"], color=COLORS["USA"], lw=2)
    left.set_ylabel("trillion won")
    left.set_xlabel("year")
    left.set_ylim(0, None)
    label_line_ends(
        left,
        [
            ("nominal", frame["budget_krw_trillion"], COLORS["KOR"]),
            (f"real ({base_year} won)", frame["real_krw_trillion"], COLORS["USA"]),
        ],
    )
    left.set_title("Budget", loc="left", fontsize=10.5)
    growth = frame["real_growth_pct"].dropna()
    right.bar(
        growth.index,
        growth.values,
        color=[COLORS["USA"] if v >= 0 else COLORS["OTHER"] for v in growth.values],
        width=0.8,
    )
    right.axhline(0, color="#333333", lw=0.8)
    right.set_ylabel("real growth, % a year")
    right.set_xlabel("year")
    right.set_title("Real growth", loc="left", fontsize=10.5)
    fig.tight_layout()
    return fig


def plot_korea_shares(frame: pd.DataFrame):
    fig, ax = plt.subplots(figsize=(9, 4.6))
    published = frame["mnd_share_of_gdp_pct"].loc[:2024]
    series = [
        ("SIPRI: military expenditure / GDP", frame["sipri_share_of_gdp_pct"], COLORS["KOR"], "-"),
        ("MND budget / current GDP", frame["mnd_budget_on_current_gdp_pct"], COLORS["USA"], "--"),
        ("MND published share (2015 GDP base)", published, COLORS["JPN"], "-"),
    ]
    for _label, values, colour, style in series:
        ax.plot(values.index, values.values, color=colour, lw=2, ls=style)
    latest = frame["mnd_share_of_gdp_pct"].dropna()
    latest = latest[latest.index > 2024]
    ax.scatter(latest.index, latest.values, color=COLORS["JPN"], marker="D", s=36, zorder=3)
    for year, value in latest.items():
        ax.annotate(
            f"MND, {year} (current GDP base)",
            (year, value),
            xytext=(6, -12),
            textcoords="offset points",
            fontsize=8.5,
            color=COLORS["JPN"],
        )
    ax.set_ylabel("% of GDP")
    ax.set_xlabel("year")
    ax.set_xlim(1989, 2033)
    label_line_ends(ax, [(label, values.dropna(), colour) for label, values, colour, _ in series])
    return fig


def plot_allies_shares(shares: pd.DataFrame):
    fig, ax = plt.subplots(figsize=(9.5, 5.2))
    for key in shares.columns:
        width = 3 if key == "KOR" else 1.8
        style = ":" if key == "WORLD" else ("--" if key == "NATO_EUROPE_MEDIAN" else "-")
        ax.plot(shares.index, shares[key], color=color_for(key), lw=width, ls=style, zorder=4 if key == "KOR" else 2)
    ax.set_ylabel("military expenditure, % of GDP")
    ax.set_xlabel("year")
    ax.set_xlim(1990, 2031)
    ax.set_ylim(0, None)
    label_line_ends(ax, [(_LABELS[k], shares[k], color_for(k)) for k in shares.columns])
    return fig


def plot_allies_dollars(dollars: pd.DataFrame):
    fig, ax = plt.subplots(figsize=(9.5, 5.0))
    for key in dollars.columns:
        ax.plot(
            dollars.index,
            dollars[key] / 1000.0,
            color=color_for(key),
            lw=3 if key == "KOR" else 1.8,
            zorder=4 if key == "KOR" else 2,
        )
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_ylabel("billion US$, constant 2023 prices (log scale)")
    ax.set_xlabel("year")
    ax.set_xlim(1990, 2030)
    label_line_ends(ax, [(_LABELS[k], dollars[k] / 1000.0, color_for(k)) for k in dollars.columns])
    return fig


def plot_sma_in_budget(sma: pd.DataFrame, japan: pd.DataFrame):
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2))
    left.plot(sma.index, sma["share_of_budget_pct"], color=COLORS["KOR"], lw=2, marker="o", ms=3)
    left.set_ylabel("% of MND's defense budget")
    left.set_xlabel("year")
    left.set_ylim(0, None)
    left.set_title("SMA payment as a share of the budget", loc="left", fontsize=10.5)
    right.plot(
        sma.index, sma["usd_per_dmdc_soldier"] / 1000, color=COLORS["KOR"], lw=2, marker="o", ms=3, label="Korea: SMA"
    )
    right.scatter(
        japan.index,
        japan["usd_per_dmdc_soldier"] / 1000,
        color=COLORS["JPN"],
        s=22,
        zorder=3,
        label="Japan: host-nation support",
    )
    right.set_ylabel("thousand US$ per stationed soldier")
    right.set_xlabel("year")
    right.set_ylim(0, None)
    right.legend(loc="upper left", fontsize=8.5)
    right.set_title("Per US soldier stationed (DMDC count)", loc="left", fontsize=10.5)
    fig.tight_layout()
    return fig


def plot_benchmarks(budget_2026: float, costs: pd.Series):
    fig, ax = plt.subplots(figsize=(8, 3.8))
    labels = ["2026 budget"] + [f"{share:g} % of GDP" for share in costs.index]
    values = [budget_2026, *list(costs.values)]
    colours = [COLORS["KOR"]] + [COLORS["OTHER"]] * len(costs)
    bars = ax.barh(labels, values, color=colours)
    for bar, value in zip(bars, values, strict=True):
        ax.text(value, bar.get_y() + bar.get_height() / 2, f" {value:,.1f}", va="center", fontsize=9.5)
    ax.axvline(budget_2026, color=COLORS["KOR"], lw=1, ls="--")
    ax.invert_yaxis()
    ax.set_xlabel("trillion won")
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", color="#dddddd")
    ax.set_xlim(0, max(values) * 1.15)
    return fig


def plot_nato_lens(counts: pd.DataFrame, threshold_label: str):
    nato = loaders.load_nato_defence_share()

    def estimated(edition: str) -> str:
        years = sorted(nato[(nato["edition"] == edition) & nato["estimate"]]["year"].unique())
        return "–".join(str(y) for y in (years[0], years[-1])) if len(years) > 1 else str(years[0])

    fig, ax = plt.subplots(figsize=(9, 4.2))
    ax.plot(
        counts.index,
        counts["sipri_at_or_above"],
        color=COLORS["KOR"],
        lw=2,
        marker="o",
        ms=4,
        label=f"SIPRI, members at the time, {threshold_label}",
    )
    ax.plot(
        counts.index,
        counts["nato_2024-06_at_or_above"],
        color=COLORS["NATO_EUROPE"],
        lw=2,
        ls="--",
        marker="s",
        ms=4,
        label=f"NATO, June 2024 edition ({estimated('2024-06')} estimated)",
    )
    ax.plot(
        counts.index,
        counts["nato_2025-08_at_or_above"],
        color=COLORS["USA"],
        lw=2,
        ls=":",
        marker="^",
        ms=4,
        label=f"NATO, August 2025 edition ({estimated('2025-08')} estimated)",
    )
    ax.set_ylabel(f"Allies at or above {threshold_label}")
    ax.set_xlabel("year")
    ax.set_ylim(0, None)
    ax.legend(loc="upper left", fontsize=8.5)
    return fig
