"""Tables and figures for the regression chapter, built from models.py."""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import loaders, models
from .book import fmt_p
from .style import COLORS, label_line_ends

MIN_CLUSTERS_FOR_BOOTSTRAP = 10
#: A robustness check 'disagrees' when its bootstrap p-value reaches this level (or the sign flips).
DISAGREE_ALPHA = 0.10


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
        ("R² (within, after fixed effects)", lambda f: f"{within_r2(f):.3f}"),
    ]:
        rows.append({"": label, **{title: value(fit) for title, fit in fits.items()}})
    return pd.DataFrame(rows)


def within_r2(fit: models.TwoWayFE) -> float:
    """Share of the outcome's variance left after the fixed effects that the regressors explain."""
    y, X, _ = models.design(fit.data, fit.outcome, [])
    import statsmodels.api as sm

    fe_only = sm.OLS(y, X).fit()
    return 1.0 - float(fit.clustered.ssr) / float(fe_only.ssr)


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


def disagreeing_checks(fits: dict[str, models.TwoWayFE], name: str, main_title: str = "Main specification", alpha: float = DISAGREE_ALPHA) -> list[str]:
    """Checks whose estimate of ``name`` changes sign or loses significance (bootstrap p >= alpha)."""
    main = fits[main_title]
    main_sign = np.sign(main.coef(name))
    out = []
    for title, fit in fits.items():
        if title == main_title or name not in fit.regressors:
            continue
        if fit.clusters < MIN_CLUSTERS_FOR_BOOTSTRAP:
            out.append(title)
            continue
        if np.sign(fit.coef(name)) != main_sign or fit.wild_bootstrap(name) >= alpha:
            out.append(title)
    return out


# --- figures ---------------------------------------------------------------------------------------


def plot_pressure_measures(frame: pd.DataFrame, exposure: pd.DataFrame, countries: pd.DataFrame, guideline_pct: float):
    import matplotlib.pyplot as plt

    from .derive.panel import TRUMP_BASE_YEAR, WALES_BASE_YEARS

    fig, (left, right) = plt.subplots(1, 2, figsize=(10.5, 5.0), gridspec_kw={"width_ratios": [1.1, 1]})
    names = countries.set_index("iso3")["name"]
    shown = ["KOR", "JPN", "DEU", "GBR", "POL"]
    for iso3 in shown:
        series = frame[frame["iso3"] == iso3].set_index("year")["log1p_us_troops_per_bn_gdp"].astype(float)
        left.plot(series.index, series.values, color=COLORS.get(iso3, COLORS["OTHER"]), lw=3 if iso3 == "KOR" else 1.8)
    median = frame.groupby("year")["log1p_us_troops_per_bn_gdp"].median()
    left.plot(median.index, median.values, color=COLORS["WORLD"], lw=1.5, ls=":")
    left.set_ylabel("log(1 + US troops per $bn of real GDP)")
    left.set_xlabel("year")
    left.set_xlim(1990, 2030)
    left.set_ylim(0, None)
    label_line_ends(
        left,
        [(names[i], frame[frame["iso3"] == i].set_index("year")["log1p_us_troops_per_bn_gdp"].astype(float), COLORS.get(i, COLORS["OTHER"])) for i in shown]
        + [("panel median", median, COLORS["WORLD"])],
    )
    left.set_title("Troop presence", loc="left", fontsize=10.5)

    data = exposure[exposure["iso3"].isin(frame["iso3"].unique())].copy()
    data["name"] = data["iso3"].map(names)
    data = data.sort_values(["wales_gap_pct", "trump_gap_pct"])
    y = np.arange(len(data))
    right.barh(y - 0.2, data["wales_gap_pct"], height=0.4, color=COLORS["NATO_EUROPE"], label=f"before Wales ({WALES_BASE_YEARS[0]}–{WALES_BASE_YEARS[1]})")
    right.barh(y + 0.2, data["trump_gap_pct"], height=0.4, color=COLORS["USA"], label=f"in {TRUMP_BASE_YEAR}")
    right.set_yticks(y, data["name"], fontsize=7.5)
    right.set_xlabel(f"shortfall from {guideline_pct:g} % of GDP, percentage points")
    right.grid(axis="y", visible=False)
    right.grid(axis="x", color="#dddddd")
    right.legend(loc="lower right", fontsize=8.5)
    right.set_title("Exposure to the 2 % guideline", loc="left", fontsize=10.5)
    fig.tight_layout()
    return fig


def plot_coefficients(fits: dict[str, models.TwoWayFE], loo: pd.DataFrame):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(11, 5.2), sharey=True)
    # Only models of the share of GDP share one scale; the growth outcome is in the tables.
    fits = {title: fit for title, fit in fits.items() if fit.outcome == models.MAIN_OUTCOME}
    titles = list(fits)
    y = np.arange(len(titles))[::-1]
    for ax, name in zip(axes, models.PRESSURE):
        for yi, title in zip(y, titles):
            fit = fits[title]
            if name not in fit.regressors:
                ax.text(0, yi, "n/a", ha="center", va="center", fontsize=8, color="#777777")
                continue
            low, high = fit.conf_int(name)
            colour = COLORS["KOR"] if title == titles[0] else COLORS["USA"]
            ax.plot([low, high], [yi, yi], color=colour, lw=1.6)
            ax.plot(fit.coef(name), yi, "o", color=colour, ms=5)
        main_y = y[0]
        ax.plot([loo[name].min(), loo[name].max()], [main_y + 0.3, main_y + 0.3], color=COLORS["JPN"], lw=4, alpha=0.7, solid_capstyle="butt")
        ax.axvline(0, color="#333333", lw=0.8)
        ax.set_title(models.LABELS[name].split(",")[0].split(":")[0], loc="left", fontsize=10)
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", color="#e5e5e5")
        ax.set_xlabel(f"coefficient, {models.CONFIDENCE_LEVEL:.0%} CI (clustered)")
    axes[0].set_yticks(y, titles, fontsize=8.5)
    fig.tight_layout()
    return fig


def plot_event_studies(wales: pd.DataFrame, trump: pd.DataFrame, wales_ref: int, trump_ref: int):
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    fig, axes = plt.subplots(1, 2, figsize=(10.5, 4.3), sharey=True)
    for ax, frame, ref, title, colour in [
        (axes[0], wales, wales_ref, f"Exposure: shortfall before Wales (reference {wales_ref})", COLORS["NATO_EUROPE"]),
        (axes[1], trump, trump_ref, f"Exposure: shortfall in {trump_ref} (reference {trump_ref})", COLORS["USA"]),
    ]:
        ax.fill_between(frame.index, frame["low"], frame["high"], color=colour, alpha=0.2, lw=0)
        ax.plot(frame.index, frame["coef"], color=colour, lw=2, marker="o", ms=4)
        ax.axhline(0, color="#333333", lw=0.8)
        ax.axvline(ref + 0.5, color="#777777", lw=1, ls="--")
        ax.set_title(title, loc="left", fontsize=10)
        ax.set_xlabel("year")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes[0].set_ylabel("effect on share of GDP per point of shortfall")
    fig.tight_layout()
    return fig


def plot_olson_zeckhauser(oz: pd.DataFrame, published: pd.DataFrame, alpha: float = 0.05):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9.5, 4.4))
    ax.plot(oz.index, oz["rho"], color=COLORS["USA"], lw=1.8)
    significant = oz["p_one_sided"] < alpha
    ax.scatter(oz.index[significant], oz.loc[significant, "rho"], color=COLORS["USA"], s=26, zorder=3, label=f"this book, one-sided p < {alpha:g}")
    ax.scatter(oz.index[~significant], oz.loc[~significant, "rho"], facecolor="white", edgecolor=COLORS["USA"], s=26, zorder=3, label="this book, not significant")
    ax.scatter(published.index, published["rho"], marker="D", color=COLORS["KOR"], s=34, zorder=4, label="Sandler and Murdoch (2000), Table 9")
    ax.axhline(0, color="#333333", lw=0.8)
    ax.set_ylabel("Spearman rank correlation, GDP and burden")
    ax.set_xlabel("year")
    ax.set_ylim(-1, 1)
    ax.legend(loc="lower left", fontsize=8.5)
    return fig


def published_spearman() -> pd.DataFrame:
    figures = loaders.load_published_figures()["value"]
    years = sorted(int(i.rsplit("_", 1)[1]) for i in figures.index if i.startswith("sandler_murdoch_rho_"))
    return pd.DataFrame(
        {"rho": [figures[f"sandler_murdoch_rho_{y}"] for y in years], "p_one_sided": [figures[f"sandler_murdoch_p_{y}"] for y in years]},
        index=pd.Index(years, name="year"),
    )
