"""One loader per table in ``data/``.

Each loader validates its CSV against the descriptor (``data/datapackage.json``) and then checks
the rules that span columns or tables. Problems raise :class:`~.validation.DataValidationError`
naming the file, row and column. Every table read in a session is remembered (with its SHA-256)
(by the validation module) so that a chapter's colophon can list exactly which data it used.
:func:`validate_all` runs every loader; ``python -m paying_for_protection.data`` calls it before
each build.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import paths
from .validation import (
    DataValidationError,
    Problem,
    check_descriptor,
    check_rows,
    read_descriptor,
    resource_from_descriptor,
    validate_table,
)


def load_table(name: str, data_dir: Path | None = None) -> pd.DataFrame:
    """Validate and load the table ``name`` from ``data_dir`` (default: the book's ``data/``)."""
    data_dir = Path(data_dir) if data_dir is not None else paths.DATA_DIR
    descriptor_path = data_dir / "datapackage.json"
    descriptor = read_descriptor(descriptor_path)
    resource = resource_from_descriptor(name, descriptor)
    path = data_dir / resource["path"]
    return validate_table(path, resource, descriptor)


# --- Korea ---------------------------------------------------------------------------------------


def load_sma_agreements(data_dir: Path | None = None) -> pd.DataFrame:
    """The twelve Special Measures Agreements, one row each, ordered by number."""
    frame = load_table("sma_agreements", data_dir)
    check_rows(
        frame, frame["period_end_year"] < frame["period_start_year"], "period_end_year", "period ends before it starts"
    )
    unit_matches = ((frame["currency"] == "USD") & (frame["amount_unit"] == "USD million")) | (
        (frame["currency"] == "KRW") & (frame["amount_unit"] == "KRW billion")
    )
    check_rows(frame, ~unit_matches, "amount_unit", "amount_unit does not match currency")
    dated = frame["signed_date"].notna()
    precision = frame["signed_date"].str.len().map({10: "day", 7: "month"})
    check_rows(
        frame,
        dated & (precision != frame["signed_date_precision"]),
        "signed_date_precision",
        "signed_date_precision does not match the form of signed_date",
    )
    return frame.sort_values("sma_number").reset_index(drop=True)


def load_sma_contributions(data_dir: Path | None = None) -> pd.DataFrame:
    """Korea's contribution for each year 1991-2030 (2027-2030 not yet determined)."""
    frame = load_table("sma_contributions", data_dir)
    check_rows(
        frame,
        frame["amount"].isna() & (frame["status"] != "unverified"),
        "amount",
        "amount is empty but the status is not 'unverified'",
    )
    check_rows(
        frame,
        frame["amount"].notna() & (frame["status"] == "unverified"),
        "status",
        "status is 'unverified' but an amount is given",
    )
    krw_rows = frame["currency"] == "KRW"
    check_rows(
        frame,
        krw_rows & frame["amount"].notna() & ((frame["amount_krw_billion"] - frame["amount"]).abs() > 1e-9),
        "amount_krw_billion",
        "a won-denominated amount must equal its amount_krw_billion",
    )
    usd_rows = frame["currency"] == "USD"
    check_rows(
        frame,
        usd_rows & ((frame["amount_usd_million"] - frame["amount"]).abs() > 1e-9),
        "amount_usd_million",
        "a dollar-denominated amount must equal its amount_usd_million",
    )
    return frame.sort_values("year").reset_index(drop=True)


def load_korea_defense_budget(data_dir: Path | None = None) -> pd.DataFrame:
    """The Ministry of National Defense's original budget, 1990-2026."""
    return load_table("korea_defense_budget", data_dir).sort_values("year").reset_index(drop=True)


def load_usfk_troops(data_dir: Path | None = None) -> pd.DataFrame:
    """Reported and authorised USFK troop levels (not a headcount series)."""
    return load_table("usfk_troops", data_dir).sort_values("year").reset_index(drop=True)


def load_timeline(data_dir: Path | None = None) -> pd.DataFrame:
    """Dated events 1953-2026, with a ``start`` timestamp (first day of a partial date) for plotting."""
    frame = load_table("timeline", data_dir)
    precision = frame["date"].str.len().map({10: "day", 7: "month", 4: "year"})
    check_rows(
        frame, precision != frame["date_precision"], "date_precision", "date_precision does not match the form of date"
    )
    padded = frame["date"].where(frame["date_precision"] == "day", frame["date"] + "-01")
    padded = padded.where(frame["date_precision"] != "year", frame["date"] + "-01-01")
    frame["start"] = pd.to_datetime(padded, format="%Y-%m-%d")
    return frame.sort_values(["start", "event"]).reset_index(drop=True)


def load_japan_hns(data_dir: Path | None = None) -> pd.DataFrame:
    """Japan's host-nation support: agreement totals, annual budgets, changes of scope."""
    frame = load_table("japan_hns", data_dir)
    check_rows(
        frame, frame["fy_end"].notna() & (frame["fy_end"] < frame["fy_start"]), "fy_end", "period ends before it starts"
    )
    return frame.sort_values(["fy_start", "period"]).reset_index(drop=True)


# --- international data --------------------------------------------------------------------------


def load_sipri_milex(data_dir: Path | None = None) -> pd.DataFrame:
    """SIPRI extract, long format (iso3, year, indicator, value, sipri_flag).

    The bounds of each indicator's values are in the descriptor (``rangeBy``) and checked on load.
    """
    frame = load_table("sipri_milex", data_dir)
    return frame.sort_values(["iso3", "indicator", "year"]).reset_index(drop=True)


def sipri_series(indicator: str, data_dir: Path | None = None) -> pd.DataFrame:
    """One SIPRI indicator as a wide frame: years in rows, ISO3 codes in columns."""
    frame = load_sipri_milex(data_dir)
    known = frame["indicator"].unique().tolist()
    if indicator not in known:
        raise KeyError(f"indicator {indicator!r} is not in the SIPRI extract (have {sorted(known)})")
    wide = frame[frame["indicator"] == indicator].pivot(index="year", columns="iso3", values="value")
    return wide.astype(float).sort_index()


def load_sipri_world(data_dir: Path | None = None) -> pd.DataFrame:
    """World aggregates computed from SIPRI's full workbook, and Korea's world rank."""
    return load_table("sipri_world", data_dir).sort_values(["statistic", "year"]).reset_index(drop=True)


def load_us_troops_abroad(data_dir: Path | None = None) -> pd.DataFrame:
    """US active-duty personnel by host and year (annual max over reported quarters)."""
    frame = load_table("us_troops_abroad", data_dir)
    check_rows(
        frame,
        (frame["quarters_reported"] == 0) != frame["troops_active_duty"].isna(),
        "troops_active_duty",
        "the count must be empty exactly when no quarter was reported",
    )
    return frame.sort_values(["iso3", "year"]).reset_index(drop=True)


def load_nato_defence_share(data_dir: Path | None = None) -> pd.DataFrame:
    """NATO's own defence expenditure as a share of real GDP, two editions."""
    return load_table("nato_defence_share", data_dir).sort_values(["edition", "iso3", "year"]).reset_index(drop=True)


def load_wdi_gdp(data_dir: Path | None = None) -> pd.DataFrame:
    """Real GDP, constant 2015 US$ billions (World Bank WDI)."""
    return load_table("wdi_gdp", data_dir).sort_values(["iso3", "year"]).reset_index(drop=True)


def load_countries(data_dir: Path | None = None) -> pd.DataFrame:
    """Allies and comparators, alliance dates, panel membership and name crosswalk."""
    frame = load_table("countries", data_dir)
    check_rows(
        frame,
        frame["ally_until"].notna() & (frame["ally_until"] < frame["ally_since"]),
        "ally_until",
        "the alliance ends before it starts",
    )
    never_allied = frame["alliance"] == "no US defense treaty"
    check_rows(
        frame,
        frame["ally_since"].isna() != never_allied,
        "ally_since",
        "ally_since must be given for every treaty ally and empty for a country with no US defense treaty",
    )
    check_rows(
        frame,
        never_allied & (frame["in_panel"] | frame["robustness_only"]),
        "in_panel",
        "a country with no US defense treaty cannot be in the regression panel",
    )
    check_rows(
        frame,
        frame["in_panel"] & frame["robustness_only"],
        "robustness_only",
        "a country cannot be both in the main panel and robustness-only",
    )
    return frame.sort_values("iso3").reset_index(drop=True)


def load_published_figures(data_dir: Path | None = None) -> pd.DataFrame:
    """Published figures and claims, indexed by ``figure_id``."""
    return load_table("published_figures", data_dir).set_index("figure_id")


def published_figure(figure_id: str, data_dir: Path | None = None) -> float:
    """The value of one published figure (raises KeyError naming the id if absent)."""
    figures = load_published_figures(data_dir)
    if figure_id not in figures.index:
        raise KeyError(f"no published figure {figure_id!r} in data/published_figures.csv")
    return float(figures.loc[figure_id, "value"])


def count_sipri_derived_values(data_dir: Path | None = None) -> dict[str, int]:
    """Non-empty cells in fields marked ``sipriDerived``, per table (SIPRI allows 3,500 in all).

    Every table and field is read through the descriptor, so a new table of SIPRI values is
    counted as soon as its fields are marked.
    """
    data_dir = Path(data_dir) if data_dir is not None else paths.DATA_DIR
    descriptor = read_descriptor(data_dir / "datapackage.json")
    counts = {}
    for resource in descriptor["resources"]:
        marked = [f["name"] for f in resource["schema"]["fields"] if f.get("sipriDerived")]
        if not marked:
            continue
        frame = validate_table(data_dir / resource["path"], resource, descriptor)
        counts[resource["name"]] = int(frame[marked].notna().sum().sum())
    return counts


def load_panel(data_dir: Path | None = None) -> pd.DataFrame:
    """The regression panel's non-SIPRI variables (outcomes are joined by models.analysis_frame)."""
    frame = load_table("panel", data_dir)
    check_rows(
        frame,
        frame["us_troops"].isna() != (frame["us_troops_quarters"] == 0),
        "us_troops",
        "troops must be empty exactly when no quarter was reported",
    )
    return frame.sort_values(["iso3", "year"]).reset_index(drop=True)


def load_panel_exposure(data_dir: Path | None = None) -> pd.DataFrame:
    """Each ally's shortfall from the 2 % guideline before Wales and before the Trump budgets."""
    return load_table("panel_exposure", data_dir).sort_values("iso3").reset_index(drop=True)


def load_korea_budget_figures(data_dir: Path | None = None) -> pd.DataFrame:
    """Published figures on Korea's defense budget and public finances (composition, pay, plans)."""
    frame = load_table("korea_budget_figures", data_dir)
    percent = frame["unit"] == "percent"
    check_rows(frame, percent & (frame["value"] > 100), "value", "a percentage above 100")
    return frame.sort_values(["measure", "year", "document"]).reset_index(drop=True)


def budget_figure(measure: str, year: int, document: str | None = None, data_dir: Path | None = None) -> float:
    """One value of ``korea_budget_figures``; ``document`` picks one where several documents give it."""
    frame = load_korea_budget_figures(data_dir)
    rows = frame[(frame["measure"] == measure) & (frame["year"] == year)]
    if document is not None:
        rows = rows[rows["document"] == document]
    if len(rows) != 1:
        found = sorted(rows["document"]) if len(rows) else "none"
        raise KeyError(
            f"korea_budget_figures: {len(rows)} rows for {measure} {year} {document or ''} (documents: {found})"
        )
    return float(rows["value"].iloc[0])


# --- the whole cost of hosting US forces (hand-keyed) ----------------------------------------------


def load_hosting_costs(data_dir: Path | None = None) -> pd.DataFrame:
    """Every published figure for Korea's support of US forces and for the US cost, one row each."""
    frame = load_table("hosting_costs", data_dir)
    check_rows(
        frame,
        frame["period_start"].isna() != frame["period_end"].isna(),
        "period_end",
        "a period needs both a first and a last year, or neither",
    )
    check_rows(
        frame,
        frame["period_end"].notna() & (frame["period_end"] < frame["period_start"]),
        "period_end",
        "period ends before it starts",
    )
    # A US cost is never a Korean contribution, and the reverse.
    us_category = frame["category"].isin(["dod_obligations", "stationing_cost"])
    check_rows(frame, us_category != (frame["support_type"] == "us_cost"), "support_type", "only US costs are us_cost")
    check_rows(frame, us_category & (frame["side"] != "united_states"), "side", "a US cost must be on the US side")
    return frame.sort_values(["period_start", "release_id", "entry_id"], na_position="last").reset_index(drop=True)


def load_cost_share_claims(data_dir: Path | None = None) -> pd.DataFrame:
    """Claims of Korea's share of the cost of US forces, with the cost each is measured against."""
    frame = load_table("cost_share_claims", data_dir)
    check_rows(
        frame,
        frame["share_low_pct"].isna() & frame["share_high_pct"].isna(),
        "share_low_pct",
        "a claim needs a share or an upper bound",
    )
    check_rows(
        frame,
        (frame["share_high_pct"] < frame["share_low_pct"]).fillna(False).astype(bool),
        "share_high_pct",
        "the upper end is below the lower end",
    )
    return frame.sort_values(["date", "claim_id"]).reset_index(drop=True)


def load_sma_provisions(data_dir: Path | None = None) -> pd.DataFrame:
    """What each agreement says beyond the amount, one row per agreement and provision."""
    frame = load_table("sma_provisions", data_dir)
    check_rows(
        frame, frame["value"].notna() != frame["unit"].notna(), "unit", "a value needs a unit, and a unit a value"
    )
    return frame.sort_values(["sma_number", "provision"]).reset_index(drop=True)


def load_sma_negotiations(data_dir: Path | None = None) -> pd.DataFrame:
    """For each round: the US ask, Korea's offer, any tentative deal and the outcome."""
    frame = load_table("sma_negotiations", data_dir)
    check_rows(
        frame, frame["amount"].notna() != frame["unit"].notna(), "unit", "an amount needs a unit, and a unit an amount"
    )
    return frame.sort_values(["sma_number", "date", "stage"]).reset_index(drop=True)


def load_alliance_pressure(data_dir: Path | None = None) -> pd.DataFrame:
    """Pressure around the rounds: troop cuts, exercise halts, troop floors in US law, trade measures."""
    frame = load_table("alliance_pressure", data_dir)
    floor_law = frame["kind"] == "troop_floor_law"
    check_rows(
        frame,
        floor_law != frame["troop_floor"].notna(),
        "troop_floor",
        "a troop floor belongs to a troop_floor_law row, and every such row has one",
    )
    check_rows(
        frame,
        frame["troop_floor"].notna() != frame["floor_binding"].notna(),
        "floor_binding",
        "a troop floor must say whether it binds",
    )
    precision = frame["date"].str.len().map({10: "day", 7: "month", 4: "year"})
    padded = frame["date"].where(precision == "day", frame["date"] + "-01")
    padded = padded.where(precision != "year", frame["date"] + "-01-01")
    frame["start"] = pd.to_datetime(padded, format="%Y-%m-%d")
    return frame.sort_values(["start", "kind"]).reset_index(drop=True)


#: Loader for each table, by table name (used by the validation command and the tests).
LOADERS = {
    "sma_agreements": load_sma_agreements,
    "sma_contributions": load_sma_contributions,
    "korea_defense_budget": load_korea_defense_budget,
    "usfk_troops": load_usfk_troops,
    "timeline": load_timeline,
    "japan_hns": load_japan_hns,
    "sipri_milex": load_sipri_milex,
    "sipri_world": load_sipri_world,
    "us_troops_abroad": load_us_troops_abroad,
    "nato_defence_share": load_nato_defence_share,
    "wdi_gdp": load_wdi_gdp,
    "countries": load_countries,
    "published_figures": load_published_figures,
    "panel": load_panel,
    "panel_exposure": load_panel_exposure,
    "korea_budget_figures": load_korea_budget_figures,
    "hosting_costs": load_hosting_costs,
    "cost_share_claims": load_cost_share_claims,
    "sma_provisions": load_sma_provisions,
    "sma_negotiations": load_sma_negotiations,
    "alliance_pressure": load_alliance_pressure,
}


def validate_all(data_dir: Path | None = None) -> list[DataValidationError]:
    """Load every table through its loader; return the problems found (empty when all is well)."""
    import sys

    data_dir = Path(data_dir) if data_dir is not None else paths.DATA_DIR
    try:
        descriptor = read_descriptor(data_dir / "datapackage.json")
    except DataValidationError as exc:
        return [exc]
    try:
        check_descriptor(descriptor, data_dir / "datapackage.json")
    except DataValidationError as exc:
        return [exc]
    errors = []
    for resource in descriptor["resources"]:
        if resource.get("name") in LOADERS:
            continue
        # A table described without a loader is still checked against its schema.
        print(f"warning: {resource.get('name')} is described but has no loader", file=sys.stderr)
        try:
            validate_table(data_dir / resource["path"], resource, descriptor)
        except DataValidationError as exc:
            errors.append(exc)
    for loader in LOADERS.values():
        try:
            loader(data_dir)
        except DataValidationError as exc:
            errors.append(exc)
        except KeyError as exc:  # the descriptor lacks a table a loader expects
            errors.append(
                DataValidationError([Problem(str(data_dir / "datapackage.json"), None, None, str(exc).strip("'\""))])
            )
    return errors
