"""Every figure of the book: its name (the label chapters cite), its plotting function and the
book's data for it.

A chapter draws a figure with :func:`draw`, passing the frames it has already computed for its
prose; the figure then carries its name, so the build can offer the image and the data behind it
for download under that name. The tests draw the same entries from :meth:`BookFigure.inputs`,
which computes those frames the way the chapter does: the legibility and overlap test checks
every figure as the book draws it, and a test of the built book compares each figure's
downloaded data with the data drawn from these inputs, so an entry that drifted from its chapter
would fail there.

This module sits at the top of the research package, beside ``formatting``: it imports the
analysis, the figures and the phrases, and nothing imports it but the chapters and the tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from matplotlib.figure import Figure

from .analysis import (
    agreements,
    budget,
    composition,
    fiscal_path,
    gdp_base,
    history,
    hosting_costs,
    korea,
    models,
    olson_zeckhauser,
    robustness,
)
from .data import loaders
from .figures import budget as budget_figures
from .figures import history as history_figures
from .figures import hosting_costs as hosting_figures
from .figures import korea as korea_figures
from .figures import regression as regression_figures
from .formatting import phrases as ph

Arguments = tuple[tuple, dict]


@dataclass(frozen=True)
class BookFigure:
    name: str
    chapter: str
    plot: Callable[..., Figure]
    #: The book's data for the figure, computed as the chapter computes it: (args, kwargs).
    inputs: Callable[[], Arguments]

    def draw(self, *args, **kwargs) -> Figure:
        fig = self.plot(*args, **kwargs)
        fig.book_name = self.name
        return fig

    def draw_from_data(self) -> Figure:
        args, kwargs = self.inputs()
        return self.draw(*args, **kwargs)


# --- the book's data for each figure, as each chapter computes it ----------------------------------------


def _published(key: str) -> float:
    return float(loaders.load_published_figures()["value"].loc[key])


def _troops() -> Arguments:
    return (history.usfk_levels(), agreements.troop_floors()), {}


def _contributions() -> Arguments:
    contrib = history.contributions(base_year=2024)
    agreement_by_number = agreements.agreements().set_index("sma_number")
    cap = float(agreement_by_number.loc[12, "rule_cap_pct"])
    band_low = 1.0
    projection = history.projection_12th_sma(_published("bok_inflation_target_pct"))
    low = history.projection_12th_sma(band_low)
    high = history.projection_12th_sma(cap + 1.0)
    label = contribution_band_label(band_low, cap)
    return (contrib, projection, (low, high)), {"band_label": label}


def contribution_band_label(band_low: float, cap: float) -> str:
    """The legend entry of the projection band in the contributions figure."""
    return (
        f"projection range (assumed inflation from {ph.percent(band_low)} to above the "
        f"{ph.percent(cap, 0)} cap, from 2028)"
    )


def _rounds() -> Arguments:
    return (agreements.rounds(), history.contributions(base_year=2024), agreements.pressure()), {}


def _timeline() -> Arguments:
    return (loaders.load_timeline(),), {}


def _japan() -> Arguments:
    return (history.japan_korea_comparison(),), {}


def _korea_budget() -> Arguments:
    korea_budget = budget.korea_budget(base_year=2024)
    return (korea_budget["budget_krw_trillion"], composition.real_budget(base_year=2024)), {}


def _budget_composition() -> Arguments:
    return (composition.force_improvement_share(), composition.conscript_pay()), {}


def _korea_shares() -> Arguments:
    return (budget.korea_budget(base_year=2024), gdp_base.consistent_share(), gdp_base.LINK_YEAR), {}


def _allies_shares() -> Arguments:
    return (budget.comparison_shares(),), {}


def _sma_budget() -> Arguments:
    return (budget.sma_in_budget(), budget.japan_per_soldier()), {}


def _fiscal_paths() -> Arguments:
    nominal = budget.korea_budget(base_year=2024)["budget_krw_trillion"]
    pledge = _published("factsheet_defense_gdp_target_pct")
    target_year = int(_published("mnd_target_year_3_5pct"))
    paths = fiscal_path.gdp_paths()
    return (
        nominal.loc[2015:],
        {name: fiscal_path.budget_path(paths[name], pledge, target_year) for name in fiscal_path.PATHS},
        fiscal_path.holding_share(paths["plan"]),
        fiscal_path.plans_against_budgets().drop(columns="passed"),
        fiscal_path.PATH_LABELS,
    ), {}


def _nato_lens() -> Arguments:
    guideline = _published("nato_wales_guideline_pct")
    return (budget.allies_at_or_above(guideline), f"{guideline:g} % of GDP"), {}


def _pressure_measures() -> Arguments:
    return (
        models.analysis_frame(),
        loaders.load_panel_exposure(),
        loaders.load_countries(),
        _published("nato_wales_guideline_pct"),
    ), {}


#: The reference years of the two event studies (the regression chapter's choice).
EVENT_STUDY_REFERENCES = (2013, 2016)


def _event_studies() -> Arguments:
    wales_ref, trump_ref = EVENT_STUDY_REFERENCES
    return (
        models.event_study("wales_gap_pct", wales_ref),
        models.event_study("trump_gap_pct", trump_ref),
        wales_ref,
        trump_ref,
    ), {}


def _coefficients() -> Arguments:
    return (robustness.all_checks(), models.leave_one_out()), {}


#: The significance level of the Olson–Zeckhauser figure (the regression chapter's ALPHA).
OZ_ALPHA = 0.05


def _olson_zeckhauser() -> Arguments:
    return (olson_zeckhauser.olson_zeckhauser(), olson_zeckhauser.published_spearman(), OZ_ALPHA), {}


def _budget_payments() -> Arguments:
    return (korea.budget_growth(), loaders.load_sma_contributions(), korea.sma_rounds()), {}


def _synthetic() -> Arguments:
    names = loaders.load_countries().set_index("iso3")["name"]
    return (korea.synthetic_control("KOR"), names, korea.synthetic_control("JPN")), {}


def _accounts() -> Arguments:
    return (hosting_costs.recurring_support(),), {}


def _claims() -> Arguments:
    return (hosting_costs.share_claims(),), {}


_ENTRIES = [
    BookFigure("fig-usfk-troops", "chapters/01_history.md", history_figures.plot_troops, _troops),
    BookFigure("fig-sma-contributions", "chapters/01_history.md", history_figures.plot_contributions, _contributions),
    BookFigure("fig-rounds", "chapters/01_history.md", history_figures.plot_rounds, _rounds),
    BookFigure("fig-timeline", "chapters/01_history.md", history_figures.plot_timeline, _timeline),
    BookFigure("fig-japan", "chapters/01_history.md", history_figures.plot_japan, _japan),
    BookFigure("fig-korea-budget", "chapters/02_budget_trends.md", budget_figures.plot_korea_budget, _korea_budget),
    BookFigure(
        "fig-budget-composition",
        "chapters/02_budget_trends.md",
        budget_figures.plot_budget_composition,
        _budget_composition,
    ),
    BookFigure("fig-korea-shares", "chapters/02_budget_trends.md", budget_figures.plot_korea_shares, _korea_shares),
    BookFigure("fig-allies-shares", "chapters/02_budget_trends.md", budget_figures.plot_allies_shares, _allies_shares),
    BookFigure("fig-sma-budget", "chapters/02_budget_trends.md", budget_figures.plot_sma_in_budget, _sma_budget),
    BookFigure("fig-fiscal-paths", "chapters/02_budget_trends.md", budget_figures.plot_fiscal_paths, _fiscal_paths),
    BookFigure("fig-nato-lens", "chapters/02_budget_trends.md", budget_figures.plot_nato_lens, _nato_lens),
    BookFigure(
        "fig-pressure-measures",
        "chapters/03_us_pressure_regression.md",
        regression_figures.plot_pressure_measures,
        _pressure_measures,
    ),
    BookFigure(
        "fig-event-study",
        "chapters/03_us_pressure_regression.md",
        regression_figures.plot_event_studies,
        _event_studies,
    ),
    BookFigure(
        "fig-coefficients", "chapters/03_us_pressure_regression.md", regression_figures.plot_coefficients, _coefficients
    ),
    BookFigure(
        "fig-olson-zeckhauser",
        "chapters/03_us_pressure_regression.md",
        regression_figures.plot_olson_zeckhauser,
        _olson_zeckhauser,
    ),
    BookFigure("fig-budget-payments", "chapters/04_korea.md", korea_figures.plot_budget_and_payments, _budget_payments),
    BookFigure("fig-synthetic-korea", "chapters/04_korea.md", korea_figures.plot_synthetic, _synthetic),
    BookFigure("fig-accounts", "chapters/05_hosting_costs.md", hosting_figures.plot_accounts, _accounts),
    BookFigure("fig-claims", "chapters/05_hosting_costs.md", hosting_figures.plot_share_claims, _claims),
]

#: Every figure of the book by its name.
FIGURES: dict[str, BookFigure] = {entry.name: entry for entry in _ENTRIES}


def draw(name: str, *args, **kwargs) -> Figure:
    """Draw the book figure ``name`` from the chapter's own frames (see the module docstring)."""
    return FIGURES[name].draw(*args, **kwargs)
