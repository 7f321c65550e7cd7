"""Figures of the budget chapter, drawn from the frames :mod:`..analysis.budget` computes."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import MaxNLocator

from ..data import loaders
from .plotted import name_series
from .style import COLORS, color_for, finished, label_line_ends

SERIES_LABELS = {
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


def plot_korea_budget(nominal: pd.Series, real: pd.DataFrame, base_year: int = 2024):
    """Left: the budget in current won and in base-year won on both deflators. Right: real growth on each."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2), gridspec_kw={"width_ratios": [1.3, 1]})
    lines = [
        ("current won", nominal, COLORS["KOR"], "-"),
        (f"{base_year} won, consumer prices", real["real_cpi_krw_trillion"], COLORS["USA"], "-"),
        (f"{base_year} won, GDP prices", real["real_deflator_krw_trillion"], COLORS["JPN"], "--"),
    ]
    for label, values, colour, style in lines:
        left.plot(values.index, values.values, color=colour, lw=2, ls=style, label=label)
    left.set_ylabel("trillion won")
    left.set_xlabel("year")
    left.set_ylim(0, None)
    left.legend(loc="upper left")
    left.set_title("Budget", loc="left")
    growth = real[["real_growth_cpi_pct", "real_growth_deflator_pct"]].dropna()
    width = 0.42
    right.bar(
        growth.index - width / 2,
        growth["real_growth_cpi_pct"],
        width=width,
        color=COLORS["USA"],
        label="consumer prices",
    )
    right.bar(
        growth.index + width / 2,
        growth["real_growth_deflator_pct"],
        width=width,
        color=COLORS["JPN"],
        label="GDP prices",
    )
    right.axhline(0, color="#333333", lw=0.8)
    right.set_ylabel("real growth, % a year")
    right.set_xlabel("year")
    right.legend(loc="lower right", title="deflated by")
    right.set_title("Real growth", loc="left")
    fig.tight_layout()
    return finished(fig)


def plot_budget_composition(improvement_share: pd.Series, pay: pd.DataFrame):
    """Left: force improvement's share of the budget. Right: a sergeant's monthly pay and savings grant."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.0))
    name_series(
        left.plot(improvement_share.index, improvement_share.values, color=COLORS["KOR"], lw=1.5, marker="o", ms=5)[0],
        "force improvement, % of the defense budget",
    )
    left.set_ylabel("% of the defense budget")
    left.set_xlabel("year")
    left.set_ylim(0, 40)
    left.xaxis.set_major_locator(MaxNLocator(integer=True))
    left.set_title("Force improvement's share", loc="left")
    monthly = pay[["sergeant_pay_krw_thousand", "savings_match_krw_thousand"]].dropna(how="all")
    pay_part = monthly["sergeant_pay_krw_thousand"] / 1000.0
    grant = monthly["savings_match_krw_thousand"].fillna(0.0) / 1000.0
    right.bar(monthly.index, pay_part, color=COLORS["KOR"], width=0.7, label="pay")
    right.xaxis.set_major_locator(MaxNLocator(integer=True))
    right.bar(monthly.index, grant, bottom=pay_part, color=COLORS["OTHER"], width=0.7, label="savings grant")
    right.set_ylabel("million won a month")
    right.set_xlabel("year")
    right.set_ylim(0, None)
    right.legend(loc="upper left")
    right.set_title("A sergeant's pay", loc="left")
    fig.tight_layout()
    return finished(fig)


def plot_korea_shares(frame: pd.DataFrame, consistent: pd.Series, link_year: int):
    """Korea's burden on SIPRI's and the ministry's measures; SIPRI's on one GDP base before ``link_year``."""
    fig, ax = plt.subplots(figsize=(9, 4.6))
    # Room at the right for the lines' labels, written in two lines each past the last marker.
    fig.subplots_adjust(left=0.09, right=0.76, bottom=0.12, top=0.96)
    published = frame["mnd_share_of_gdp_pct"].loc[:2024]
    series = [
        ("SIPRI: military\nexpenditure / GDP", frame["sipri_share_of_gdp_pct"], COLORS["KOR"], "-"),
        ("MND budget /\nSIPRI's GDP", frame["mnd_budget_on_current_gdp_pct"], COLORS["USA"], "--"),
        ("MND published share\n(2015 GDP base)", published, COLORS["JPN"], "-"),
    ]
    early = consistent.loc[:link_year]
    name_series(ax.plot(early.index, early.values, color=COLORS["KOR"], lw=1.5, ls=":")[0], "SIPRI, GDP on one base")
    anchor = early.index[len(early) // 2]
    ax.annotate(
        "SIPRI, GDP on one base",
        (anchor, early.loc[anchor]),
        xytext=(20, 55),  # up into the empty space above the late-1990s lines
        textcoords="offset points",
        color=COLORS["KOR"],
        arrowprops={"arrowstyle": "-", "color": COLORS["KOR"], "lw": 0.8},
    )
    for label, values, colour, style in series:
        name_series(ax.plot(values.index, values.values, color=colour, lw=2, ls=style)[0], " ".join(label.split()))
    latest = frame["mnd_share_of_gdp_pct"].dropna()
    latest = latest[latest.index > 2024]
    name_series(
        ax.scatter(latest.index, latest.values, color=COLORS["JPN"], marker="D", s=36, zorder=3),
        "MND published share (new GDP base)",
    )
    for year, value in latest.items():
        ax.annotate(
            f"MND, {year} (new GDP base)",
            (year, value),
            xytext=(-40, -26),
            textcoords="offset points",
            color=COLORS["JPN"],
        )
    ax.set_ylabel("% of GDP")
    ax.set_xlabel("year")
    ax.set_xlim(1989, 2026)
    last_marker = max(latest.index, default=2024)
    label_line_ends(
        ax,
        [(label, values.dropna(), colour) for label, values, colour, _ in series],
        min_gap=0.11 * (ax.get_ylim()[1] - ax.get_ylim()[0]),
        at_x=last_marker + 0.4,
    )
    return finished(fig)


def plot_allies_shares(shares: pd.DataFrame):
    fig, ax = plt.subplots(figsize=(9.5, 5.2))
    for key in shares.columns:
        width = 3 if key == "KOR" else 1.8
        style = ":" if key == "WORLD" else ("--" if key == "NATO_EUROPE_MEDIAN" else "-")
        (line,) = ax.plot(
            shares.index, shares[key], color=color_for(key), lw=width, ls=style, zorder=4 if key == "KOR" else 2
        )
        name_series(line, SERIES_LABELS[key])
    ax.set_ylabel("military expenditure, % of GDP")
    ax.set_xlabel("year")
    ax.set_xlim(1990, 2031)
    ax.set_ylim(0, None)
    label_line_ends(ax, [(SERIES_LABELS[k], shares[k], color_for(k)) for k in shares.columns])
    return finished(fig)


def plot_sma_in_budget(sma: pd.DataFrame, japan: pd.DataFrame):
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2))
    name_series(
        left.plot(sma.index, sma["share_of_budget_pct"], color=COLORS["KOR"], lw=2, marker="o", ms=3)[0],
        "Korea: SMA payment, % of MND's defense budget",
    )
    left.set_ylabel("% of MND's defense budget")
    left.set_xlabel("year")
    left.set_ylim(0, None)
    left.set_title("SMA payment as a share of the budget", loc="left")
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
    right.legend(loc="upper left")
    right.set_title("Per US soldier stationed (DMDC count)", loc="left")
    fig.tight_layout()
    return finished(fig)


def plot_fiscal_paths(
    passed: pd.Series, paths: dict[str, pd.Series], hold: pd.Series, plans: pd.DataFrame, labels: dict[str, str]
):
    """Budget paths to the pledge on each GDP path, today's share held, the ministry's plans, and budgets passed."""
    fig, ax = plt.subplots(figsize=(9.5, 4.8))
    name_series(ax.plot(passed.index, passed.values, color="#333333", lw=2.2)[0], "budgets passed")
    colours = [COLORS["KOR"], COLORS["USA"], COLORS["JPN"]]
    lines = [("budgets passed", passed, "#333333")]
    for (name, path), colour in zip(paths.items(), colours, strict=False):
        name_series(ax.plot(path.index, path.values, color=colour, lw=2)[0], labels[name])
        lines.append((labels[name], path, colour))
    name_series(ax.plot(hold.index, hold.values, color=COLORS["OTHER"], lw=2, ls="--")[0], "today's share held")
    lines.append(("today's share held", hold, COLORS["OTHER"]))
    styles = [("s", COLORS["POL"]), ("^", COLORS["FRA"])]
    for (document, values), (marker, colour) in zip(plans.items(), styles, strict=False):
        values = values.dropna()
        ax.scatter(
            values.index,
            values.values,
            marker=marker,
            s=42,
            color=colour,
            edgecolor="#333333",
            lw=0.5,
            zorder=4,
            label=document,
        )
    ax.legend(loc="upper left", title="the ministry's plans")
    ax.set_ylabel("trillion won, current prices")
    ax.set_xlabel("year")
    ax.set_ylim(0, None)
    ax.set_xlim(passed.index.min() - 0.5, max(p.index.max() for p in paths.values()) + 4.5)
    label_line_ends(ax, lines)
    return finished(fig)


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
    ax.legend(loc="upper left")
    return finished(fig)
