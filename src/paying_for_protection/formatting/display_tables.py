"""Tables for readers: the analysis results laid out with formatted cells.

Each function turns a frame computed in :mod:`..analysis` into the strings a chapter's table
shows; the computations stay in the analysis modules and are tested there.
"""

from __future__ import annotations

import pandas as pd

from ..analysis import models, robustness
from . import phrases as ph


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
            "billion won": [
                f"{v:,.1f}{mark(b)}" for v, b in zip(contrib["krw_billion"], contrib["krw_basis"], strict=True)
            ],
            "million US$": [
                f"{v:,.0f}{mark(b)}" for v, b in zip(contrib["usd_million"], contrib["usd_basis"], strict=True)
            ],
            "billion won, 2024 prices": [("" if pd.isna(v) else f"{v:,.0f}") for v in contrib["real_krw_billion"]],
            "growth": [("" if pd.isna(v) else f"{v:+.1f} %") for v in contrib["growth_pct"]],
            "status": contrib["status"],
        }
    )


def _stars(p: float) -> str:
    return "***" if p < 0.01 else "**" if p < 0.05 else "*" if p < 0.1 else ""


def main_table(fits: dict[str, models.TwoWayFE]) -> pd.DataFrame:
    """Readable regression table. Per regressor: the coefficient, starred by its wild cluster
    bootstrap p-value where enough countries identify it (dagger where none can); the CR1 and
    jackknife (CRV3) standard errors; and the three p-values, each against its own reference."""
    rows = []
    names = []
    for fit in fits.values():
        names += [r for r in fit.regressors if r not in names]
    for name in names:
        coef_row, se_row, p_row = {"": models.LABELS.get(name, name)}, {"": ""}, {"": ""}
        for title, fit in fits.items():
            if name not in fit.regressors:
                coef_row[title] = se_row[title] = p_row[title] = ""
                continue
            if fit.testable(name):
                boot = fit.wild_bootstrap(name)
                coef_row[title] = f"{ph.number(fit.coef(name), 3)}{_stars(boot)}"
                p_row[title] = (
                    f"t: {ph.p_value(fit.pvalue(name))}; CRV3: {ph.p_value(fit.jackknife_pvalue(name))}; "
                    f"bootstrap: {ph.p_value(boot)}"
                )
            else:
                coef_row[title] = f"{ph.number(fit.coef(name), 3)}†"
                p_row[title] = f"no valid test: {ph.count(fit.treated_clusters(name), 'country', 'countries')} identify it"
            se_row[title] = f"({ph.number(fit.se(name), 3)}) [{ph.number(fit.jackknife_se(name), 3)}]"
        rows += [coef_row, se_row, p_row]
    for label, value in [
        ("Observations", lambda f: ph.number(f.nobs)),
        ("Clusters (countries)", lambda f: ph.number(f.clusters)),
        ("Years", lambda f: ph.year_span(f.data["year"].min(), f.data["year"].max())),
        ("Country and year fixed effects", lambda f: "yes"),
        ("R² (within, after fixed effects)", lambda f: ph.number(models.within_r2(f), 3)),
    ]:
        rows.append({"": label, **{title: value(fit) for title, fit in fits.items()}})
    return pd.DataFrame(rows)


def robustness_table(fits: dict[str, models.TwoWayFE]) -> pd.DataFrame:
    """One row per check: sample size, clusters, and each pressure estimate with its CR1 standard
    error and wild bootstrap p-value (none where the sample has too few countries)."""
    rows = []
    for check, fit in fits.items():
        name = robustness.CHECK_NAMES[check]
        row = {"check": name[0].upper() + name[1:], "N": ph.number(fit.nobs), "countries": ph.number(fit.clusters)}
        for measure in models.PRESSURE:
            short = {"troops_lag": "troops", "wales_pressure": "Wales", "trump_pressure": "Trump"}[measure]
            if not robustness.identified(fits, check, measure):
                row[short] = "—"
                continue
            term = robustness.coefficient(check, measure)
            text = f"{ph.number(fit.coef(term), 3)} ({ph.number(fit.se(term), 3)})"
            if fit.clusters >= robustness.MIN_CLUSTERS_FOR_BOOTSTRAP:
                text += f", bootstrap {ph.p_value(fit.wild_bootstrap(term))}"
            else:
                text += f", {ph.count(fit.clusters, 'country', 'countries')}: no valid inference"
            row[short] = text
        rows.append(row)
    return pd.DataFrame(rows)


def placebo_table(placebo: pd.DataFrame) -> pd.DataFrame:
    """The placebo pledges: one row per pretended pledge year."""
    return pd.DataFrame(
        {
            "pledge dated": [ph.year(y) for y in placebo.index],
            "estimate (s.e.)": [
                f"{ph.number(c, 3)} ({ph.number(s, 3)})" for c, s in zip(placebo["coef"], placebo["se"], strict=True)
            ],
            "t(G−1)": [ph.p_value(p) for p in placebo["p_t"]],
            "wild bootstrap": [ph.p_value(p) for p in placebo["p_boot"]],
            "countries": [ph.number(n) for n in placebo["clusters"]],
        }
    )


def sensitivity_table(bounds: pd.DataFrame) -> pd.DataFrame:
    """Relative-magnitude bounds: one row per Mbar."""
    return pd.DataFrame(
        {
            "M̄ (post-pledge moves as a multiple of the largest pre-pledge move)": [
                ph.number(m, 2) for m in bounds.index
            ],
            "95 % interval for the average post-pledge coefficient": [
                f"{ph.number(lo, 2)} to {ph.number(hi, 2)}" for lo, hi in zip(bounds["low"], bounds["high"], strict=True)
            ],
        }
    )


def sma_rounds_table(rounds: pd.DataFrame) -> pd.DataFrame:
    """The SMA rounds against the growth of Korea's defense budget."""

    def pct(value: float) -> str:
        return "" if pd.isna(value) else ph.signed_percent(value)

    return pd.DataFrame(
        {
            "SMA": [ph.ordinal(n) for n in rounds.index],
            "years": [ph.year_span(a, b) for a, b in zip(rounds["first_year"], rounds["last_year"], strict=True)],
            "payment, change in the first year": [
                f"{pct(v)} ({c})" if pd.notna(v) else "" for v, c in zip(rounds["payment_change_pct"], rounds["currency"], strict=True)
            ],
            "defense budget, mean yearly growth during": [pct(v) for v in rounds["budget_growth_during_pct"]],
            "the same number of years before": [pct(v) for v in rounds["budget_growth_before_pct"]],
            "budget years counted": [ph.number(n) for n in rounds["budget_years_during"]],
        }
    )


def donor_weights_table(weights: pd.Series, names: pd.Series, threshold: float = 0.001) -> pd.DataFrame:
    """The donors of a synthetic control with a weight above ``threshold``, largest first."""
    kept = weights[weights > threshold].sort_values(ascending=False)
    return pd.DataFrame({"ally": [names[i] for i in kept.index], "weight": [ph.percent(100 * w, 0) for w in kept]})
