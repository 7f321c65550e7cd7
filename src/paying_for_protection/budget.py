"""Computations for the budget chapter: Korea's defense budget, Korea among its allies, the SMA
inside the budget, benchmarks in won, and NATO's 2 % guideline on two measures.

Two measures of Korea's defense effort are kept apart throughout:

* the Ministry of National Defense's (MND) original budget, with the ministry's own share of
  GDP (on the 2015 GDP base to 2024);
* SIPRI's military expenditure, a broader definition (it adds, among other items, military
  pensions), over GDP as SIPRI measures it (IMF figures on the current national-accounts base).

Mixing them in one series would show a jump that is only a change of definition.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import history, loaders

COMPARATORS = ["KOR", "USA", "JPN", "DEU", "GBR", "FRA", "POL"]
NORTH_AMERICA = {"USA", "CAN"}


# --- Korea's budget ---------------------------------------------------------------------------------


def korea_gdp_krw_trillion() -> pd.Series:
    """Korea's nominal GDP in trillion won as SIPRI uses it (local-currency spending / share of GDP)."""
    local = loaders.sipri_series("local_currency_current_m")["KOR"]
    share = loaders.sipri_series("share_of_gdp_pct")["KOR"]
    return (local / (share / 100.0) / 1e6).dropna().rename("gdp_krw_trillion")


def korea_budget(base_year: int = 2024) -> pd.DataFrame:
    """MND budget by year: nominal, real (base-year won), growth, and shares on both GDP bases."""
    budget = loaders.load_korea_defense_budget().set_index("year")
    prices = history.korea_price_index(base_year)
    gdp = korea_gdp_krw_trillion()
    sipri_local = loaders.sipri_series("local_currency_current_m")["KOR"] / 1e6
    frame = pd.DataFrame(index=budget.index)
    frame["budget_krw_trillion"] = budget["budget_krw_trillion"].astype(float)
    frame["real_krw_trillion"] = frame["budget_krw_trillion"] * 100.0 / frame.index.map(prices)
    frame["growth_pct"] = 100.0 * frame["budget_krw_trillion"].pct_change()
    frame["real_growth_pct"] = 100.0 * frame["real_krw_trillion"].pct_change()
    frame["mnd_share_of_gdp_pct"] = budget["share_of_gdp_pct"].astype(float)
    frame["gdp_krw_trillion"] = frame.index.map(gdp)
    frame["mnd_budget_on_current_gdp_pct"] = 100.0 * frame["budget_krw_trillion"] / frame["gdp_krw_trillion"]
    frame["sipri_spending_krw_trillion"] = frame.index.map(sipri_local)
    frame["sipri_share_of_gdp_pct"] = frame.index.map(loaders.sipri_series("share_of_gdp_pct")["KOR"])
    frame["mnd_share_of_government_pct"] = budget["share_of_government_pct"].astype(float)
    return frame


def definition_gap(year: int) -> dict[str, float]:
    """Split SIPRI's share minus MND's published share into a definition and a GDP-base effect.

    definition effect: (SIPRI spending - MND budget) / current GDP;
    GDP-base effect: MND budget / current GDP - MND's published share.
    The two add up to the whole gap.
    """
    row = korea_budget().loc[year]
    definition = 100.0 * (row["sipri_spending_krw_trillion"] - row["budget_krw_trillion"]) / row["gdp_krw_trillion"]
    base = row["mnd_budget_on_current_gdp_pct"] - row["mnd_share_of_gdp_pct"]
    return {
        "sipri_share": row["sipri_share_of_gdp_pct"],
        "mnd_share": row["mnd_share_of_gdp_pct"],
        "definition_effect": definition,
        "gdp_base_effect": base,
        "sipri_over_mnd": row["sipri_spending_krw_trillion"] / row["budget_krw_trillion"],
        "mnd_gdp_over_current": (row["budget_krw_trillion"] / (row["mnd_share_of_gdp_pct"] / 100.0)) / row["gdp_krw_trillion"],
    }


# --- Korea among allies ----------------------------------------------------------------------------


def members_by_year(countries: pd.DataFrame, first: int, last: int, europe_only: bool = False) -> dict[int, list[str]]:
    """NATO members in each year (from their accession year), optionally without the USA and Canada."""
    nato = countries[countries["alliance"].isin(["NATO", "United States"]) & countries["in_panel"]]
    out = {}
    for year in range(first, last + 1):
        members = nato[nato["ally_since"] <= year]["iso3"].tolist()
        if europe_only:
            members = [m for m in members if m not in NORTH_AMERICA]
        out[year] = sorted(members)
    return out


def nato_europe_burden(first: int = 1990, last: int = 2024) -> pd.DataFrame:
    """NATO Europe's median burden and its aggregate burden (GDP-weighted mean of shares).

    The aggregate is sum(spending) / sum(GDP), computed as the mean of members' shares weighted by
    real GDP (World Bank, constant 2015 dollars); the weights are real rather than nominal GDP, a
    close approximation that avoids publishing further SIPRI values.
    """
    countries = loaders.load_countries()
    share = loaders.sipri_series("share_of_gdp_pct")
    gdp = loaders.load_wdi_gdp().pivot(index="year", columns="iso3", values="gdp_constant_2015_usd_bn")
    rows = []
    for year, members in members_by_year(countries, first, last, europe_only=True).items():
        values = share.loc[year, members].dropna()
        weights = gdp.loc[year, values.index].dropna()
        values = values[weights.index]
        rows.append(
            {
                "year": year,
                "members": len(members),
                "with_data": len(values),
                "median_pct": float(values.median()),
                "weighted_pct": float(np.average(values, weights=weights)),
            }
        )
    return pd.DataFrame(rows).set_index("year")


def world_burden() -> pd.Series:
    world = loaders.load_sipri_world().pivot(index="year", columns="statistic", values="value")
    return world["coverage_burden_pct"]


def comparison_shares() -> pd.DataFrame:
    """Share of GDP, 1990-2024: the comparators, NATO Europe (median, aggregate) and the world."""
    share = loaders.sipri_series("share_of_gdp_pct").loc[1990:2024, COMPARATORS]
    europe = nato_europe_burden()
    share["NATO_EUROPE_MEDIAN"] = europe["median_pct"]
    share["NATO_EUROPE_AGGREGATE"] = europe["weighted_pct"]
    share["WORLD"] = world_burden()
    return share


def ally_ranks(year: int) -> pd.Series:
    """Allies in the panel that year ranked by share of GDP (1 = highest)."""
    countries = loaders.load_countries()
    allies = countries[countries["in_panel"] & (countries["ally_since"] <= year)]["iso3"]
    share = loaders.sipri_series("share_of_gdp_pct").loc[year, allies].dropna()
    return share.rank(ascending=False, method="min").sort_values()


# --- the SMA in the budget ------------------------------------------------------------------------


def sma_in_budget() -> pd.DataFrame:
    """SMA payment as a share of MND's budget, and per US soldier (DMDC count and authorised level)."""
    contrib = history.contributions().set_index("year")
    budget = loaders.load_korea_defense_budget().set_index("year")["budget_krw_trillion"]
    troops = loaders.load_us_troops_abroad()
    kor = troops[troops["iso3"] == "KOR"].set_index("year")["troops_active_duty"].astype(float)
    frame = pd.DataFrame(index=contrib.index)
    frame["sma_krw_billion"] = contrib["krw_billion"]
    frame["sma_usd_million"] = contrib["usd_million"]
    frame["share_of_budget_pct"] = 100.0 * contrib["krw_billion"] / (budget.reindex(contrib.index) * 1000.0)
    frame["dmdc_troops"] = kor.reindex(contrib.index)
    frame["usd_per_dmdc_soldier"] = contrib["usd_million"] * 1e6 / frame["dmdc_troops"]
    return frame


def japan_per_soldier() -> pd.DataFrame:
    """Japan's host-nation support per permanently assigned US soldier in Japan (DMDC)."""
    comparison = history.japan_korea_comparison().set_index("year")
    troops = loaders.load_us_troops_abroad()
    jpn = troops[troops["iso3"] == "JPN"].set_index("year")["troops_active_duty"].astype(float)
    frame = comparison[["japan_usd_million"]].dropna().copy()
    frame["dmdc_troops"] = jpn.reindex(frame.index)
    frame["usd_per_dmdc_soldier"] = frame["japan_usd_million"] * 1e6 / frame["dmdc_troops"]
    return frame


# --- benchmarks ---------------------------------------------------------------------------------


def gdp_2026_from_proposal(proposal_krw_trillion: float, proposal_share_pct: float) -> float:
    """2026 nominal GDP implied by the ministry's proposal and the share of GDP it was projected at."""
    return proposal_krw_trillion / (proposal_share_pct / 100.0)


def benchmark_costs(gdp_krw_trillion: float, shares_pct: list[float]) -> pd.Series:
    """What each share of GDP costs in trillion won."""
    return pd.Series({share: gdp_krw_trillion * share / 100.0 for share in shares_pct}, name="krw_trillion")


def required_real_growth(current_share_pct: float, target_share_pct: float, years: int, real_gdp_growth_pct: float) -> float:
    """Annual real growth of defense spending that lifts its share of GDP to the target in ``years``.

    share_T = share_0 * ((1 + r) / (1 + g)) ** T  =>  r = (1 + g) * (target / share_0) ** (1 / T) - 1.
    """
    g = real_gdp_growth_pct / 100.0
    return 100.0 * ((1 + g) * (target_share_pct / current_share_pct) ** (1.0 / years) - 1.0)


def korea_real_gdp_growth(first: int, last: int) -> float:
    """Average annual real GDP growth between two years (World Bank, constant 2015 dollars)."""
    gdp = loaders.load_wdi_gdp()
    kor = gdp[gdp["iso3"] == "KOR"].set_index("year")["gdp_constant_2015_usd_bn"]
    return 100.0 * ((kor.loc[last] / kor.loc[first]) ** (1.0 / (last - first)) - 1.0)


# --- the NATO lens ------------------------------------------------------------------------------


def allies_at_or_above(threshold_pct: float, first: int = 2014, last: int = 2024, decimals: int | None = None) -> pd.DataFrame:
    """Number of NATO members at or above ``threshold_pct`` of GDP, by year, on three measures.

    SIPRI: members at the time, SIPRI's share of GDP. NATO 2024 and 2025 editions: the Allies in
    each table (NATO reports Finland and Sweden for all years), NATO's share of real GDP. With
    ``decimals``, shares are rounded first, as published tables round them.
    """

    def at_or_above(values: pd.Series) -> pd.Series:
        values = values.round(decimals) if decimals is not None else values
        return values >= threshold_pct

    countries = loaders.load_countries()
    share = loaders.sipri_series("share_of_gdp_pct")
    nato = loaders.load_nato_defence_share()
    members = members_by_year(countries, first, last)
    rows = []
    for year in range(first, last + 1):
        sipri_values = share.loc[year, members[year]].dropna()
        row = {"year": year, "sipri_members": len(members[year]), "sipri_at_or_above": int(at_or_above(sipri_values).sum())}
        for edition in ["2024-06", "2025-08"]:
            values = nato[(nato["edition"] == edition) & (nato["year"] == year)]
            row[f"nato_{edition}_reporting"] = len(values)
            above = at_or_above(values["share_of_real_gdp_pct"])
            row[f"nato_{edition}_at_or_above"] = int(above.sum())
            row[f"nato_{edition}_members_at_or_above"] = int((above & values["iso3"].isin(members[year])).sum())
        rows.append(row)
    return pd.DataFrame(rows).set_index("year")


def sipri_nato_pairs(year: int, edition: str = "2025-08") -> pd.DataFrame:
    """SIPRI's and NATO's shares for the members in one year, side by side."""
    countries = loaders.load_countries().set_index("iso3")
    members = members_by_year(countries.reset_index(), year, year)[year]
    share = loaders.sipri_series("share_of_gdp_pct").loc[year, members]
    nato = loaders.load_nato_defence_share()
    nato = nato[(nato["edition"] == edition) & (nato["year"] == year)].set_index("iso3")["share_of_real_gdp_pct"]
    frame = pd.DataFrame({"name": countries.loc[members, "name"], "sipri_pct": share, "nato_pct": nato.reindex(members)})
    frame["difference"] = frame["sipri_pct"] - frame["nato_pct"]
    return frame.sort_values("sipri_pct", ascending=False)


# --- figures ---------------------------------------------------------------------------------------

_LABELS = {
    "KOR": "South Korea", "USA": "United States", "JPN": "Japan", "DEU": "Germany", "GBR": "United Kingdom",
    "FRA": "France", "POL": "Poland", "NATO_EUROPE_MEDIAN": "NATO Europe, median",
    "NATO_EUROPE_AGGREGATE": "NATO Europe, aggregate", "WORLD": "World (SIPRI coverage)",
}


def _colour(key: str) -> str:
    from .style import COLORS

    if key.startswith("NATO_EUROPE"):
        return COLORS["NATO_EUROPE"]
    return COLORS.get(key, COLORS["OTHER"])


def plot_korea_budget(frame: pd.DataFrame, base_year: int = 2024):
    import matplotlib.pyplot as plt

    from .style import COLORS, label_line_ends

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2), gridspec_kw={"width_ratios": [1.3, 1]})
    left.plot(frame.index, frame["budget_krw_trillion"], color=COLORS["KOR"], lw=2)
    left.plot(frame.index, frame["real_krw_trillion"], color=COLORS["USA"], lw=2)
    left.set_ylabel("trillion won")
    left.set_xlabel("year")
    left.set_ylim(0, None)
    label_line_ends(left, [("nominal", frame["budget_krw_trillion"], COLORS["KOR"]), (f"real ({base_year} won)", frame["real_krw_trillion"], COLORS["USA"])])
    left.set_title("Budget", loc="left", fontsize=10.5)
    growth = frame["real_growth_pct"].dropna()
    right.bar(growth.index, growth.values, color=[COLORS["USA"] if v >= 0 else COLORS["OTHER"] for v in growth.values], width=0.8)
    right.axhline(0, color="#333333", lw=0.8)
    right.set_ylabel("real growth, % a year")
    right.set_xlabel("year")
    right.set_title("Real growth", loc="left", fontsize=10.5)
    fig.tight_layout()
    return fig


def plot_korea_shares(frame: pd.DataFrame):
    import matplotlib.pyplot as plt

    from .style import COLORS, label_line_ends

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
        ax.annotate(f"MND, {year} (current GDP base)", (year, value), xytext=(6, -12), textcoords="offset points", fontsize=8.5, color=COLORS["JPN"])
    ax.set_ylabel("% of GDP")
    ax.set_xlabel("year")
    ax.set_xlim(1989, 2033)
    label_line_ends(ax, [(label, values.dropna(), colour) for label, values, colour, _ in series])
    return fig


def plot_allies_shares(shares: pd.DataFrame):
    import matplotlib.pyplot as plt

    from .style import label_line_ends

    fig, ax = plt.subplots(figsize=(9.5, 5.2))
    for key in shares.columns:
        width = 3 if key == "KOR" else 1.8
        style = ":" if key == "WORLD" else ("--" if key == "NATO_EUROPE_MEDIAN" else "-")
        ax.plot(shares.index, shares[key], color=_colour(key), lw=width, ls=style, zorder=4 if key == "KOR" else 2)
    ax.set_ylabel("military expenditure, % of GDP")
    ax.set_xlabel("year")
    ax.set_xlim(1990, 2031)
    ax.set_ylim(0, None)
    label_line_ends(ax, [(_LABELS[k], shares[k], _colour(k)) for k in shares.columns])
    return fig


def plot_allies_dollars(dollars: pd.DataFrame):
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    from .style import label_line_ends

    fig, ax = plt.subplots(figsize=(9.5, 5.0))
    for key in dollars.columns:
        ax.plot(dollars.index, dollars[key] / 1000.0, color=_colour(key), lw=3 if key == "KOR" else 1.8, zorder=4 if key == "KOR" else 2)
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_ylabel("billion US$, constant 2023 prices (log scale)")
    ax.set_xlabel("year")
    ax.set_xlim(1990, 2030)
    label_line_ends(ax, [(_LABELS[k], dollars[k] / 1000.0, _colour(k)) for k in dollars.columns])
    return fig


def plot_sma_in_budget(sma: pd.DataFrame, japan: pd.DataFrame):
    import matplotlib.pyplot as plt

    from .style import COLORS

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2))
    left.plot(sma.index, sma["share_of_budget_pct"], color=COLORS["KOR"], lw=2, marker="o", ms=3)
    left.set_ylabel("% of MND's defense budget")
    left.set_xlabel("year")
    left.set_ylim(0, None)
    left.set_title("SMA payment as a share of the budget", loc="left", fontsize=10.5)
    right.plot(sma.index, sma["usd_per_dmdc_soldier"] / 1000, color=COLORS["KOR"], lw=2, marker="o", ms=3, label="Korea: SMA")
    right.scatter(japan.index, japan["usd_per_dmdc_soldier"] / 1000, color=COLORS["JPN"], s=22, zorder=3, label="Japan: host-nation support")
    right.set_ylabel("thousand US$ per stationed soldier")
    right.set_xlabel("year")
    right.set_ylim(0, None)
    right.legend(loc="upper left", fontsize=8.5)
    right.set_title("Per US soldier stationed (DMDC count)", loc="left", fontsize=10.5)
    fig.tight_layout()
    return fig


def plot_benchmarks(budget_2026: float, costs: pd.Series):
    import matplotlib.pyplot as plt

    from .style import COLORS

    fig, ax = plt.subplots(figsize=(8, 3.8))
    labels = ["2026 budget"] + [f"{share:g} % of GDP" for share in costs.index]
    values = [budget_2026] + list(costs.values)
    colours = [COLORS["KOR"]] + [COLORS["OTHER"]] * len(costs)
    bars = ax.barh(labels, values, color=colours)
    for bar, value in zip(bars, values):
        ax.text(value, bar.get_y() + bar.get_height() / 2, f" {value:,.1f}", va="center", fontsize=9.5)
    ax.axvline(budget_2026, color=COLORS["KOR"], lw=1, ls="--")
    ax.invert_yaxis()
    ax.set_xlabel("trillion won")
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", color="#dddddd")
    ax.set_xlim(0, max(values) * 1.15)
    return fig


def plot_nato_lens(counts: pd.DataFrame, threshold_label: str):
    import matplotlib.pyplot as plt

    from .style import COLORS

    nato = loaders.load_nato_defence_share()

    def estimated(edition: str) -> str:
        years = sorted(nato[(nato["edition"] == edition) & nato["estimate"]]["year"].unique())
        return "–".join(str(y) for y in (years[0], years[-1])) if len(years) > 1 else str(years[0])

    fig, ax = plt.subplots(figsize=(9, 4.2))
    ax.plot(counts.index, counts["sipri_at_or_above"], color=COLORS["KOR"], lw=2, marker="o", ms=4, label=f"SIPRI, members at the time, {threshold_label}")
    ax.plot(counts.index, counts["nato_2024-06_at_or_above"], color=COLORS["NATO_EUROPE"], lw=2, ls="--", marker="s", ms=4, label=f"NATO, June 2024 edition ({estimated('2024-06')} estimated)")
    ax.plot(counts.index, counts["nato_2025-08_at_or_above"], color=COLORS["USA"], lw=2, ls=":", marker="^", ms=4, label=f"NATO, August 2025 edition ({estimated('2025-08')} estimated)")
    ax.set_ylabel(f"Allies at or above {threshold_label}")
    ax.set_xlabel("year")
    ax.set_ylim(0, None)
    ax.legend(loc="upper left", fontsize=8.5)
    return fig
