"""Computations for the history chapter: SMA contributions in won, dollars and real terms, the
agreements' escalation rules, a projection under the 12th SMA, troop levels and Japan.

Conversions use series implied by SIPRI's own figures for Korea (and Japan), so that every
converted value traces to one named source:

* won per dollar = SIPRI local-currency spending / SIPRI current-dollar spending (SIPRI converts
  at the IMF's annual average market rate);
* consumer prices = SIPRI local-currency spending / SIPRI constant-dollar spending (SIPRI
  deflates with the national consumer price index), rebased.

Both end in 2024, the last year of the SIPRI release.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import loaders

#: Korean-worker labour-cost increment added to the 2021 rate by the 11th SMA (percentage points).
SMA11_2021_LABOUR_INCREMENT = 6.5


# --- conversion series ------------------------------------------------------------------------


def krw_per_usd() -> pd.Series:
    """Annual average won per US dollar implied by SIPRI's Korea figures."""
    local = loaders.sipri_series("local_currency_current_m")["KOR"]
    dollars = loaders.sipri_series("current_usd_m")["KOR"]
    return (local / dollars).dropna().rename("krw_per_usd")


def jpy_per_usd() -> pd.Series:
    local = loaders.sipri_series("local_currency_current_m")["JPN"]
    dollars = loaders.sipri_series("current_usd_m")["JPN"]
    return (local / dollars).dropna().rename("jpy_per_usd")


def korea_price_index(base_year: int = 2024) -> pd.Series:
    """Korea's consumer price index as implied by SIPRI (base_year = 100)."""
    local = loaders.sipri_series("local_currency_current_m")["KOR"]
    constant = loaders.sipri_series("constant_2023_usd_m")["KOR"]
    ratio = (local / constant).dropna()
    return (100 * ratio / ratio.loc[base_year]).rename("cpi")


def korea_inflation() -> pd.Series:
    """Year-on-year change of the SIPRI-implied consumer price index, percent."""
    return (korea_price_index().pct_change() * 100).dropna().rename("inflation_pct")


# --- contributions --------------------------------------------------------------------------------


def contributions(base_year: int = 2024) -> pd.DataFrame:
    """Korea's SMA contribution by year in won, dollars and constant won, with each basis stated.

    ``krw_billion`` is the won amount where a source reports one (all years from 2005, and some
    earlier years), otherwise the dollar amount converted at SIPRI's annual average rate
    (``krw_basis``). ``usd_million`` is the dollar amount for 1991-2004 and the won amount converted
    at the annual average rate from 2005; 2025-2026 use the 2024 rate, the last in the data.
    ``real_krw_billion`` is in ``base_year`` won, deflated with the SIPRI-implied price index.
    ``growth_pct`` is recomputed from the amounts in each agreement's currency.
    """
    sma = loaders.load_sma_contributions()
    sma = sma[sma["amount"].notna()].copy()
    rate = krw_per_usd()
    last_rate_year = int(rate.index.max())
    rate_used = sma["year"].map(lambda y: rate.get(y, rate.loc[last_rate_year]))
    rate_year = sma["year"].where(sma["year"].isin(rate.index), last_rate_year)

    usd_rows = sma["currency"] == "USD"
    reported_krw = sma["amount_krw_billion"].astype(float)
    converted_krw = sma["amount"].astype(float) * rate_used / 1000.0
    sma["krw_billion"] = np.where(usd_rows & reported_krw.isna(), converted_krw, reported_krw)
    sma["krw_basis"] = np.where(usd_rows & reported_krw.isna(), "converted at the annual average rate", "reported")
    sma["usd_million"] = np.where(usd_rows, sma["amount"].astype(float), sma["amount"].astype(float) * 1000.0 / rate_used)
    sma["usd_basis"] = np.where(
        usd_rows,
        "agreed in dollars",
        np.where(rate_year == sma["year"], "converted at the annual average rate", f"converted at the {last_rate_year} average rate"),
    )
    prices = korea_price_index(base_year)
    sma["real_krw_billion"] = sma["krw_billion"] * 100.0 / sma["year"].map(prices)
    sma["growth_pct"] = growth_in_agreement_currency(sma)
    columns = ["year", "sma_number", "currency", "amount", "status", "krw_billion", "krw_basis", "usd_million", "usd_basis", "real_krw_billion", "growth_pct", "change_pct"]
    return sma[columns].reset_index(drop=True)


def growth_in_agreement_currency(sma: pd.DataFrame) -> pd.Series:
    """Year-on-year change in the currency of each year's agreement (won from 2005, dollars before)."""
    by_year = sma.set_index("year")
    growth = {}
    for year, row in by_year.iterrows():
        if year - 1 not in by_year.index:
            growth[year] = np.nan
            continue
        previous = by_year.loc[year - 1]
        if row["currency"] == previous["currency"]:
            base = previous["amount"]
        elif row["currency"] == "KRW":
            base = previous["amount_krw_billion"] if "amount_krw_billion" in previous else previous["krw_billion"]
        else:
            base = previous["amount_usd_million"] if "amount_usd_million" in previous else previous["usd_million"]
        growth[year] = 100.0 * (row["amount"] / base - 1.0) if pd.notna(base) else np.nan
    return sma["year"].map(growth).astype(float)


# --- escalation rules -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleResult:
    year: int
    rate_pct: float
    amount: float
    explanation: str


def rule_amount(year: int) -> RuleResult:
    """Recompute one year's contribution from its agreement's escalation rule and sourced inputs.

    Defined for the years an agreement's rule determines: +10 % a year under the 3rd SMA; the
    previous year's defense-budget growth under the 11th (plus the labour increment in 2021);
    consumer-price growth of two years earlier, capped, under the 8th and 9th.
    """
    sma = loaders.load_sma_contributions().set_index("year")
    agreements = loaders.load_sma_agreements().set_index("sma_number")
    number = int(sma.loc[year, "sma_number"])
    agreement = agreements.loc[number]
    if year == agreement["period_start_year"]:
        raise ValueError(f"{year} is the first year of SMA {number}: its amount was negotiated, not set by a rule")
    previous = float(sma.loc[year - 1, "amount"])
    rule = agreement["rule_type"]
    if rule == "fixed_growth":
        rate = 10.0
        why = "3rd SMA: +10 % a year"
    elif rule == "defense_budget_growth":
        budget = loaders.load_korea_defense_budget().set_index("year")
        growth = float(budget.loc[year - 1, "change_pct"])
        if year == 2021:
            rate = growth + SMA11_2021_LABOUR_INCREMENT
            why = f"11th SMA: {year - 1} defense budget growth plus the labour increment"
        else:
            rate = growth
            why = f"11th SMA: defense budget growth of {year - 1}"
    elif rule in {"cpi_lag2", "cpi_lag2_capped"}:
        inflation = korea_inflation()
        cap = float(agreement["rule_cap_pct"])
        rate = min(float(inflation.loc[year - 2]), cap)
        why = f"SMA {number}: consumer prices of {year - 2}, capped at {cap:g} %"
    else:
        raise ValueError(f"SMA {number} ({rule}) sets no rule this function can recompute for {year}")
    return RuleResult(year, rate, round(previous * (1 + rate / 100.0), 1), why)


def projection_12th_sma(inflation_assumption_pct: float, published_inflation: dict[int, float]) -> pd.DataFrame:
    """Contributions for 2027-2030 under the 12th SMA's rule, from the 2026 amount.

    Each year's rate is consumer-price growth two years earlier, capped at the agreement's cap.
    Years whose inflation has been published use it; later years use the stated assumption.
    """
    sma = loaders.load_sma_contributions().set_index("year")
    agreement = loaders.load_sma_agreements().set_index("sma_number").loc[12]
    cap = float(agreement["rule_cap_pct"])
    start_year = int(agreement["period_start_year"])
    amount = float(sma.loc[start_year, "amount"])
    rows = [{"year": start_year, "amount": amount, "inflation_year": np.nan, "inflation_pct": np.nan, "inflation_basis": "agreed amount", "rate_pct": np.nan, "capped": False}]
    for year in range(start_year + 1, int(agreement["period_end_year"]) + 1):
        source_year = year - 2
        if source_year in published_inflation:
            inflation, basis = published_inflation[source_year], "published"
        else:
            inflation, basis = inflation_assumption_pct, "assumed"
        rate = min(inflation, cap)
        amount = amount * (1 + rate / 100.0)
        rows.append({"year": year, "amount": amount, "inflation_year": source_year, "inflation_pct": inflation, "inflation_basis": basis, "rate_pct": rate, "capped": inflation > cap})
    return pd.DataFrame(rows)


# --- troops and Japan ------------------------------------------------------------------------------


def usfk_levels() -> pd.DataFrame:
    """Reported or authorised USFK levels beside DMDC's count of permanently assigned troops."""
    reported = loaders.load_usfk_troops()[["year", "usfk_troops", "status", "level_type"]]
    dmdc = loaders.load_us_troops_abroad()
    dmdc = dmdc[dmdc["iso3"] == "KOR"][["year", "troops_active_duty", "quarters_reported"]]
    return reported.merge(dmdc, on="year", how="outer").sort_values("year").reset_index(drop=True)


def japan_korea_comparison() -> pd.DataFrame:
    """Japan's host-nation support against Korea's SMA, in dollars and as a share of military spending.

    Japan's annual amounts are budgets where a source gives one, otherwise the agreement total
    spread evenly over its years (marked). Both countries' shares use SIPRI's military
    expenditure in national currency (calendar years; Japan budgets by fiscal year from April).
    """
    hns = loaders.load_japan_hns()
    annual = {}
    for row in hns.itertuples():
        if row.annual_jpy_billion is None or pd.isna(row.annual_jpy_billion) or pd.isna(row.fy_end):
            continue
        basis = "agreement average" if row.basis.startswith("agreement") else "budget"
        for year in range(int(row.fy_start), int(row.fy_end) + 1):
            # A budget figure for a single year beats an agreement average covering it.
            if year not in annual or (annual[year][1] == "agreement average" and basis == "budget"):
                annual[year] = (float(row.annual_jpy_billion), basis)
    japan = pd.DataFrame([(y, v, b) for y, (v, b) in sorted(annual.items())], columns=["year", "japan_jpy_billion", "japan_basis"])
    local = loaders.sipri_series("local_currency_current_m")
    japan["japan_usd_million"] = japan["japan_jpy_billion"] * 1000.0 / japan["year"].map(jpy_per_usd())
    japan["japan_share_of_milex_pct"] = 100.0 * japan["japan_jpy_billion"] * 1000.0 / japan["year"].map(local["JPN"])

    korea = contributions()[["year", "krw_billion", "usd_million"]].rename(columns={"krw_billion": "korea_krw_billion", "usd_million": "korea_usd_million"})
    budget = loaders.load_korea_defense_budget()[["year", "budget_krw_trillion"]]
    korea = korea.merge(budget, on="year", how="left")
    korea["korea_share_of_budget_pct"] = 100.0 * korea["korea_krw_billion"] / (korea["budget_krw_trillion"] * 1000.0)
    korea["korea_share_of_milex_pct"] = 100.0 * korea["korea_krw_billion"] * 1000.0 / korea["year"].map(local["KOR"])
    # Korea's series for every year from Japan's first to SIPRI's last; Japan's only where it has a figure.
    korea = korea[(korea["year"] >= japan["year"].min()) & korea["year"].isin(local.index)]
    merged = korea.merge(japan, on="year", how="left")
    return merged[merged["korea_share_of_milex_pct"].notna()].reset_index(drop=True)


def contributions_display_table(contrib: pd.DataFrame) -> pd.DataFrame:
    """The contributions as a reader's table: conversions marked * (that year's rate) or † (2024 rate)."""

    def mark(basis: str) -> str:
        if basis.startswith("converted at the annual"):
            return "*"
        if basis.startswith("converted at the"):
            return "†"
        return ""

    return pd.DataFrame(
        {
            "year": contrib["year"],
            "SMA": contrib["sma_number"],
            "agreed in": contrib["currency"],
            "billion won": [f"{v:,.1f}{mark(b)}" for v, b in zip(contrib["krw_billion"], contrib["krw_basis"])],
            "million US$": [f"{v:,.0f}{mark(b)}" for v, b in zip(contrib["usd_million"], contrib["usd_basis"])],
            "billion won, 2024 prices": [("" if pd.isna(v) else f"{v:,.0f}") for v in contrib["real_krw_billion"]],
            "growth": [("" if pd.isna(v) else f"{v:+.1f} %") for v in contrib["growth_pct"]],
            "status": contrib["status"],
        }
    )


# --- figures -----------------------------------------------------------------------------------------

def plot_contributions(contrib: pd.DataFrame, projection: pd.DataFrame, band: tuple[pd.DataFrame, pd.DataFrame], band_label: str, base_year: int = 2024):
    """Nominal and real won by year, rule-derived years marked, the 12th-SMA projection apart."""
    import matplotlib.pyplot as plt

    from .style import COLORS, STATUS_COLORS

    agreements = loaders.load_sma_agreements()
    fig, ax = plt.subplots(figsize=(9, 4.8))
    for i, row in enumerate(agreements.itertuples()):
        if i % 2 == 0:
            ax.axvspan(row.period_start_year - 0.5, row.period_end_year + 0.5, color="#f2f2f2", zorder=0, lw=0)
        ax.text((row.period_start_year + row.period_end_year) / 2, 1.0, f"{row.sma_number}", transform=ax.get_xaxis_transform(), ha="center", va="bottom", fontsize=8, color="#666666")
    ax.plot(contrib["year"], contrib["krw_billion"], color=COLORS["KOR"], lw=2, label="nominal won")
    ax.plot(contrib["year"], contrib["real_krw_billion"], color=COLORS["USA"], lw=2, ls="-", alpha=0.85, label=f"real won ({base_year} prices)")
    agreed = contrib[contrib["status"] == "agreed"]
    derived = contrib[contrib["status"] == "derived-from-rule"]
    ax.scatter(agreed["year"], agreed["krw_billion"], s=18, color=COLORS["KOR"], zorder=3, label="agreed amount")
    ax.scatter(derived["year"], derived["krw_billion"], s=46, facecolor="white", edgecolor=COLORS["KOR"], linewidth=1.6, zorder=4, label="derived from the agreement's rule")
    low, high = band
    ax.fill_between(low["year"], low["amount"], high["amount"], color=STATUS_COLORS["projection"], alpha=0.2, lw=0, label=band_label)
    ax.plot(projection["year"], projection["amount"], color=STATUS_COLORS["projection"], lw=2, ls="--", label="projection (12th SMA rule)")
    ax.set_xlim(1990, projection["year"].max() + 0.8)
    ax.set_ylabel("billion won")
    ax.set_xlabel("year (shaded bands and numbers at the top: agreement periods)")
    ax.legend(loc="upper left", fontsize=8.5)
    ax.set_ylim(0, None)
    return fig


def plot_troops(levels: pd.DataFrame):
    import matplotlib.pyplot as plt

    from .style import COLORS

    fig, ax = plt.subplots(figsize=(9, 4.2))
    dmdc = levels.dropna(subset=["troops_active_duty"])
    ax.plot(dmdc["year"], dmdc["troops_active_duty"] / 1000, color=COLORS["USA"], lw=2, label="DMDC count of permanently assigned active-duty troops (largest reported quarter)")
    reported = levels.dropna(subset=["usfk_troops"])
    for status, marker in [("confirmed", "o"), ("reported", "s"), ("estimated", "D"), ("derived", "^")]:
        rows = reported[reported["status"] == status]
        if len(rows):
            ax.scatter(rows["year"], rows["usfk_troops"] / 1000, marker=marker, s=40, color=COLORS["KOR"], facecolor="white" if status in ("estimated", "derived") else COLORS["KOR"], zorder=3, label=f"reported or authorised level ({status})")
    ax.set_ylabel("thousand troops")
    ax.set_xlabel("year")
    ax.set_ylim(0, None)
    ax.legend(loc="upper right", fontsize=8.5)
    return fig


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
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    from .style import CATEGORY_COLORS

    categories = list(CATEGORY_COLORS)
    fig, axes = plt.subplots(2, 1, figsize=(10, 7.2), gridspec_kw={"height_ratios": [1, 1.4]})
    recent = events["start"].dt.year >= zoom_from
    for ax, frame, label_recent in [(axes[0], events, False), (axes[1], events[recent], True)]:
        for lane, category in enumerate(categories):
            rows = frame[frame["category"] == category]
            ax.scatter(rows["start"], [lane] * len(rows), s=34, color=CATEGORY_COLORS[category], edgecolor="white", linewidth=0.5, zorder=3)
        ax.set_yticks(range(len(categories)), categories)
        ax.set_ylim(-0.9, len(categories) - 0.2)
        ax.grid(axis="x", color="#e5e5e5")
        ax.grid(axis="y", visible=False)
        labelled = frame[frame["date"].isin(TIMELINE_LABELS)]
        labelled = labelled[(labelled["start"].dt.year >= zoom_from) == label_recent].sort_values("start")
        for i, row in enumerate(labelled.itertuples()):
            lane = categories.index(row.category)
            offset = 10 if i % 2 == 0 else -14
            ax.annotate(TIMELINE_LABELS[row.date], (row.start, lane), xytext=(0, offset), textcoords="offset points", ha="center", fontsize=8, color="#222222")
    axes[0].set_title(f"All events (labels before {zoom_from})", loc="left", fontsize=10.5)
    axes[1].set_title(f"Since {zoom_from}", loc="left", fontsize=10.5)
    axes[1].xaxis.set_major_locator(mdates.YearLocator())
    axes[1].xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    fig.tight_layout()
    return fig


def plot_japan(comparison: pd.DataFrame):
    import matplotlib.pyplot as plt

    from .style import COLORS

    # Reindex to every year so that lines break where Japan's series has no figure.
    comparison = comparison.set_index("year").reindex(range(int(comparison["year"].min()), int(comparison["year"].max()) + 1)).reset_index()
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2))
    for ax, japan, korea, unit in [
        (left, "japan_usd_million", "korea_usd_million", "million US$ (current)"),
        (right, "japan_share_of_milex_pct", "korea_share_of_milex_pct", "% of military spending (SIPRI)"),
    ]:
        budget = (comparison["japan_basis"] == "budget").to_numpy()
        average = (comparison["japan_basis"] == "agreement average").to_numpy()
        ax.plot(comparison["year"], comparison[japan], color=COLORS["JPN"], lw=1.2, alpha=0.6)
        ax.scatter(comparison.loc[budget, "year"], comparison.loc[budget, japan], color=COLORS["JPN"], s=30, zorder=3, label="Japan: annual budget")
        ax.scatter(comparison.loc[average, "year"], comparison.loc[average, japan], facecolor="white", edgecolor=COLORS["JPN"], s=30, zorder=3, label="Japan: agreement average")
        ax.plot(comparison["year"], comparison[korea], color=COLORS["KOR"], lw=2, marker="o", ms=3.5, label="Korea: SMA contribution")
        ax.set_ylabel(unit)
        ax.set_xlabel("year")
        ax.set_ylim(0, None)
    left.legend(loc="lower left", fontsize=8)
    left.set_title("In dollars", loc="left", fontsize=10.5)
    right.set_title("As a share of military spending", loc="left", fontsize=10.5)
    fig.tight_layout()
    return fig
