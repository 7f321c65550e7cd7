"""Extract from SIPRI's Military Expenditure Database workbook the values the book uses.

SIPRI's terms allow publishing at most 3,500 country-year values, so the extract is cut to the
countries in ``data/countries.csv`` and to the years each chapter needs:

* share of GDP: allies from the year they became allies (from 1960; from 1990 for the
  robustness-only allies), plus the budget chapter's comparators for 1990–2024;
* constant 2023 US$: the same allies from one year before the panel starts (1989, or the year
  before accession) so that the first annual change can be computed, plus the comparators;
* local currency, current US$ and share of government spending: Korea (and Japan for the first
  two), 1990–2024, for the won deflator, exchange rate and host-nation-support comparisons;
* for the budget chapter's comparison of high-threat democracies: share of GDP for Israel,
  Singapore and Taiwan, 1990–2024; spending per person for Korea, 1990–2024, and for those three,
  the United States and Japan in 2024; share of government spending for the same five in 2024.

World aggregates and Korea's world rank are computed from the full workbook but only the
aggregate values are kept (``sipri_world``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pandas as pd

LAST_YEAR = 2024
COLD_WAR_START = 1960
PANEL_START = 1990

SHEETS = {
    "share_of_gdp_pct": "Share of GDP",
    "constant_2023_usd_m": "Constant (2023) US$",
    "current_usd_m": "Current US$",
    "local_currency_current_m": "Local currency calendar years",
    "share_of_government_pct": "Share of Govt. spending",
    "per_capita_current_usd": "Per capita",
}

# Share sheets hold fractions (0.0256 = 2.56 %); local currency is in units, not millions.
SCALE = {
    "share_of_gdp_pct": 100.0,
    "share_of_government_pct": 100.0,
    "constant_2023_usd_m": 1.0,
    "current_usd_m": 1.0,
    "local_currency_current_m": 1e-6,
    "per_capita_current_usd": 1.0,
}

# SIPRI marks estimates in blue and highly uncertain figures in red (font colour only). In this
# workbook they are the legacy palette's indexed colours 12 (blue) and 10 (red).
FONT_FLAGS = {12: "estimate", 10: "uncertain"}

#: Rows of the sheets that are not countries.
NOT_COUNTRIES = {"European Union"}

#: Extra series for single countries: (iso3, indicator) -> (first year, last year).
EXTRA_SERIES = {
    ("KOR", "local_currency_current_m"): (1990, LAST_YEAR),
    ("KOR", "current_usd_m"): (1990, LAST_YEAR),
    ("KOR", "share_of_government_pct"): (1990, LAST_YEAR),
    ("JPN", "local_currency_current_m"): (1990, LAST_YEAR),
    ("JPN", "current_usd_m"): (1990, LAST_YEAR),
    # The budget chapter's high-threat democracies (burden over time) and per-person comparisons.
    ("ISR", "share_of_gdp_pct"): (1990, LAST_YEAR),
    ("SGP", "share_of_gdp_pct"): (1990, LAST_YEAR),
    ("TWN", "share_of_gdp_pct"): (1990, LAST_YEAR),
    ("KOR", "per_capita_current_usd"): (1990, LAST_YEAR),
    **{(iso3, "per_capita_current_usd"): (LAST_YEAR, LAST_YEAR) for iso3 in ("ISR", "SGP", "TWN", "USA", "JPN")},
    **{(iso3, "share_of_government_pct"): (LAST_YEAR, LAST_YEAR) for iso3 in ("ISR", "SGP", "TWN", "USA", "JPN")},
}


@dataclass(frozen=True)
class Cell:
    value: float
    flag: str


def read_sheet(workbook: openpyxl.Workbook, sheet: str) -> dict[str, dict[int, Cell]]:
    """Country name -> year -> numeric cell, for one sheet (missing codes '...', 'xxx' dropped)."""
    ws = workbook[sheet]
    header_row = None
    for row in ws.iter_rows(min_row=1, max_row=20):
        if row[0].value == "Country":
            header_row = row
            break
    if header_row is None:
        raise ValueError(f"sheet {sheet!r}: no header row starting with 'Country'")
    year_columns = {cell.column: int(cell.value) for cell in header_row if isinstance(cell.value, int)}
    out: dict[str, dict[int, Cell]] = {}
    for row in ws.iter_rows(min_row=header_row[0].row + 1):
        name = row[0].value
        if not isinstance(name, str) or name in NOT_COUNTRIES:
            continue
        values: dict[int, Cell] = {}
        for cell in row:
            year = year_columns.get(cell.column)
            if year is None or isinstance(cell.value, bool) or not isinstance(cell.value, (int, float)):
                continue
            colour = cell.font.color if cell.font is not None else None
            flag = ""
            if colour is not None and colour.type == "indexed":
                flag = FONT_FLAGS.get(colour.indexed, "")
            values[year] = Cell(float(cell.value), flag)
        if values:
            out[name.strip()] = values
    return out


def wanted_years(countries: pd.DataFrame) -> dict[tuple[str, str], list[int]]:
    """(iso3, indicator) -> years to extract, by the rules in the module docstring."""
    wanted: dict[tuple[str, str], set[int]] = {}

    def want(iso3: str, indicator: str, first: int, last: int) -> None:
        wanted.setdefault((iso3, indicator), set()).update(range(first, last + 1))

    for row in countries.itertuples():
        last = LAST_YEAR if pd.isna(row.ally_until) else min(LAST_YEAR, int(row.ally_until))
        if row.in_panel:
            want(row.iso3, "share_of_gdp_pct", max(COLD_WAR_START, int(row.ally_since)), last)
            want(row.iso3, "constant_2023_usd_m", max(PANEL_START - 1, int(row.ally_since) - 1), last)
        elif row.robustness_only:
            want(row.iso3, "share_of_gdp_pct", max(PANEL_START, int(row.ally_since)), last)
            want(row.iso3, "constant_2023_usd_m", max(PANEL_START - 1, int(row.ally_since) - 1), last)
        if row.comparator:
            want(row.iso3, "share_of_gdp_pct", PANEL_START, LAST_YEAR)
            want(row.iso3, "constant_2023_usd_m", PANEL_START, LAST_YEAR)
    for (iso3, indicator), (first, last) in EXTRA_SERIES.items():
        want(iso3, indicator, first, last)
    return {key: sorted(years) for key, years in wanted.items()}


def derive_sipri_milex(workbook_path: Path, countries: pd.DataFrame) -> pd.DataFrame:
    workbook = openpyxl.load_workbook(workbook_path)
    sheets = {indicator: read_sheet(workbook, sheet) for indicator, sheet in SHEETS.items()}
    names = dict(zip(countries["iso3"], countries["sipri_name"], strict=True))
    records = []
    for (iso3, indicator), years in sorted(wanted_years(countries).items()):
        name = names[iso3]
        series = sheets[indicator].get(name)
        if series is None:
            raise ValueError(
                f"{workbook_path.name}: sheet {SHEETS[indicator]!r} has no country named {name!r} ({iso3})"
            )
        for year in years:
            cell = series.get(year)
            if cell is None:  # SIPRI has no value ('...' or 'xxx'): nothing is published
                continue
            records.append(
                {
                    "iso3": iso3,
                    "year": year,
                    "indicator": indicator,
                    "value": cell.value * SCALE[indicator],
                    "sipri_flag": cell.flag,
                }
            )
    return pd.DataFrame.from_records(records).sort_values(["iso3", "year", "indicator"]).reset_index(drop=True)


def _world_total(workbook: openpyxl.Workbook) -> dict[int, float]:
    ws = workbook["Regional totals"]
    header = None
    for row in ws.iter_rows(min_row=1, max_row=20):
        if row[0].value == "Region":
            header = row
            break
    if header is None:
        raise ValueError("sheet 'Regional totals': no header row starting with 'Region'")
    years = {cell.column: int(cell.value) for cell in header if isinstance(cell.value, int)}
    for row in ws.iter_rows(min_row=header[0].row + 1):
        if row[0].value == "World":
            return {
                years[c.column]: float(c.value) for c in row if c.column in years and isinstance(c.value, (int, float))
            }
    raise ValueError("sheet 'Regional totals': no 'World' row")


def derive_sipri_world(workbook_path: Path, first_year: int = PANEL_START) -> pd.DataFrame:
    workbook = openpyxl.load_workbook(workbook_path)
    share = read_sheet(workbook, SHEETS["share_of_gdp_pct"])
    current = read_sheet(workbook, SHEETS["current_usd_m"])
    constant = read_sheet(workbook, SHEETS["constant_2023_usd_m"])
    world = _world_total(workbook)
    records = []
    for year in range(first_year, LAST_YEAR + 1):
        both = [
            (current[name][year].value, current[name][year].value / share[name][year].value)
            for name in share
            if name in current
            and year in share[name]
            and year in current[name]
            and share[name][year].value > 0
            and current[name][year].value > 0
        ]
        spending = sum(s for s, _ in both)
        gdp = sum(g for _, g in both)
        shares = pd.Series({n: v[year].value for n, v in share.items() if year in v and v[year].value > 0})
        dollars = pd.Series({n: v[year].value for n, v in constant.items() if year in v and v[year].value > 0})
        stats = {
            "world_total_constant_2023_usd_bn": world.get(year),
            "coverage_burden_pct": 100.0 * spending / gdp if gdp else None,
            "coverage_countries": float(len(both)),
            "kor_rank_share_of_gdp": float(shares.rank(ascending=False, method="min")["Korea, South"])
            if "Korea, South" in shares
            else None,
            "ranked_countries_share": float(len(shares)),
            "kor_rank_constant_usd": float(dollars.rank(ascending=False, method="min")["Korea, South"])
            if "Korea, South" in dollars
            else None,
            "ranked_countries_usd": float(len(dollars)),
        }
        for statistic, value in stats.items():
            if value is not None:
                records.append({"year": year, "statistic": statistic, "value": value})
    return pd.DataFrame.from_records(records).sort_values(["year", "statistic"]).reset_index(drop=True)
