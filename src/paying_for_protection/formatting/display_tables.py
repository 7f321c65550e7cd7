"""Tables for readers: the analysis results laid out with formatted cells.

Each function turns a frame computed in :mod:`..analysis` into the strings a chapter's table
shows; the computations stay in the analysis modules and are tested there.
"""

from __future__ import annotations

import pandas as pd

from ..analysis import models
from ..analysis.robustness import MIN_CLUSTERS_FOR_BOOTSTRAP
from .phrases import fmt_p


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
    """Readable regression table: coefficient, clustered SE, bootstrap and Driscoll-Kraay p-values."""
    rows = []
    names = []
    for fit in fits.values():
        names += [r for r in fit.regressors if r not in names]
    for name in names:
        coef_row = {"": models.LABELS.get(name, name)}
        se_row = {"": ""}
        for title, fit in fits.items():
            if name not in fit.regressors:
                coef_row[title] = se_row[title] = ""
                continue
            coef_row[title] = f"{fit.coef(name):.3f}{_stars(fit.pvalue(name))}"
            detail = f"({fit.se(name):.3f})"
            if name in models.PRESSURE:
                dk = fit.driscoll_kraay()
                detail += f" boot p {fmt_p(fit.wild_bootstrap(name))}; DK p {fmt_p(float(dk.pvalues[name]))}"
            se_row[title] = detail
        rows += [coef_row, se_row]
    for label, value in [
        ("Observations", lambda f: f"{f.nobs:,}"),
        ("Clusters (countries)", lambda f: f"{f.clusters}"),
        ("Years", lambda f: f"{int(f.data['year'].min())}–{int(f.data['year'].max())}"),
        ("Country fixed effects", lambda f: "yes"),
        ("Year fixed effects", lambda f: "yes"),
        ("R² (within, after fixed effects)", lambda f: f"{models.within_r2(f):.3f}"),
    ]:
        rows.append({"": label, **{title: value(fit) for title, fit in fits.items()}})
    return pd.DataFrame(rows)


def robustness_table(fits: dict[str, models.TwoWayFE]) -> pd.DataFrame:
    rows = []
    for title, fit in fits.items():
        row = {"check": title, "N": f"{fit.nobs:,}", "clusters": str(fit.clusters)}
        for name in models.PRESSURE:
            short = {"troops_lag": "troops", "wales_pressure": "Wales", "trump_pressure": "Trump"}[name]
            if name not in fit.regressors:
                row[short] = "not identified"
                continue
            text = f"{fit.coef(name):.3f} ({fit.se(name):.3f})"
            if fit.clusters >= MIN_CLUSTERS_FOR_BOOTSTRAP:
                text += f", boot p {fmt_p(fit.wild_bootstrap(name))}"
            else:
                text += f", {fit.clusters} clusters: no valid inference"
            row[short] = text
        rows.append(row)
    return pd.DataFrame(rows)
