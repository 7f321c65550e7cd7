"""US troops abroad (troopdata), NATO's own shares of GDP, and World Bank GDP."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def derive_us_troops_abroad(path: Path, countries: pd.DataFrame) -> pd.DataFrame:
    """Annual active-duty counts for the hosts in countries.csv: the largest reported quarter of each year.

    The upstream file writes a quarter DMDC did not report as a row with no source and a count
    of 0. Such rows are missing, not zero: a quarter counts as reported when it has a count and
    either names its report or has a positive count (the package fills a few reports it took
    from elsewhere, e.g. Iraq 2018–2021, without naming them). US domestic rows are dropped, and
    so are hosts outside the book's countries (every table's country code is one of countries.csv).
    """
    raw = pd.read_csv(
        path,
        usecols=["iso3c", "year", "quarter", "month", "source", "troops_ad"],
        dtype={"iso3c": str, "source": str, "month": str},
    )
    hosts = set(countries["iso3"]) - {"USA"}
    raw = raw[raw["iso3c"].isin(hosts)].copy()
    reported = raw["troops_ad"].notna() & (raw["source"].notna() | (raw["troops_ad"] > 0))
    raw["reported"] = reported
    raw["label"] = raw["source"].where(
        raw["source"].notna(), raw["month"] + " " + raw["year"].astype(str) + " (unnamed report)"
    )

    records = []
    for (iso3, year), group in raw.groupby(["iso3c", "year"], sort=True):
        used = group[group["reported"]].sort_values("quarter")
        september = used.loc[used["quarter"] == 3, "troops_ad"]
        records.append(
            {
                "iso3": iso3,
                "year": int(year),
                "troops_active_duty": int(used["troops_ad"].max()) if len(used) else None,
                "quarters_reported": len(used),
                "september_active_duty": int(september.iloc[0]) if len(september) else None,
                "reports": "; ".join(used["label"]) if len(used) else "",
            }
        )
    frame = pd.DataFrame.from_records(records)
    for column in ["troops_active_duty", "september_active_duty"]:
        frame[column] = frame[column].astype("Int64")
    return frame


def _nato_iso3(countries: pd.DataFrame) -> dict[str, str]:
    named = countries[countries["nato_name"].notna() & (countries["nato_name"] != "")]
    return dict(zip(named["nato_name"], named["iso3"], strict=True))


def _year_label(label: object) -> tuple[int, bool]:
    text = str(label).strip()
    if text.endswith("e"):
        return int(float(text[:-1])), True
    return int(float(text)), False


def derive_nato_defence_share(workbook_path: Path, transcription_path: Path, countries: pd.DataFrame) -> pd.DataFrame:
    iso3_of = _nato_iso3(countries)
    records = []

    # Official 2024 edition: TABLE3, header on sheet row 8, country names in column C; the
    # share-of-GDP block stops at the aggregates ('NATO Europe and Canada').
    table = pd.read_excel(workbook_path, sheet_name="TABLE3", header=None)
    header = table.iloc[7]
    year_columns = {
        col: _year_label(header[col])
        for col in table.columns
        if pd.notna(header[col]) and str(header[col]).strip()[:4].isdigit()
    }
    for _, row in table.iloc[8:].iterrows():
        if isinstance(row[1], str) and row[1].startswith("NATO"):
            break
        name = row[2]
        if not isinstance(name, str):
            continue
        committed = name.endswith("*")
        name = name.rstrip("*").strip()
        if name not in iso3_of:
            raise ValueError(
                f"{workbook_path.name} TABLE3: no ISO3 code for NATO name {name!r} (add it to data/countries.csv)"
            )
        for col, (year, estimate) in year_columns.items():
            value = row[col]
            if pd.isna(value):
                continue
            records.append(
                {
                    "iso3": iso3_of[name],
                    "year": year,
                    "edition": "2024-06",
                    "share_of_real_gdp_pct": float(value),
                    "estimate": estimate,
                    "national_2pct_commitment": committed,
                }
            )

    # August 2025 edition (secondary transcription): 2014..2023, 2024e; aggregates skipped.
    transcription = pd.read_csv(transcription_path, encoding="utf-8")
    for _, row in transcription.iterrows():
        name = row["Country"]
        if name.startswith("NATO"):
            continue
        if name not in iso3_of:
            raise ValueError(
                f"{transcription_path.name}: no ISO3 code for NATO name {name!r} (add it to data/countries.csv)"
            )
        for column in transcription.columns[1:]:
            year, estimate = _year_label(column)
            if pd.isna(row[column]):
                continue
            records.append(
                {
                    "iso3": iso3_of[name],
                    "year": year,
                    "edition": "2025-08",
                    "share_of_real_gdp_pct": float(row[column]),
                    "estimate": estimate,
                    "national_2pct_commitment": False,
                }
            )
    return pd.DataFrame.from_records(records)


#: Countries in countries.csv that the World Bank does not publish (its data exclude Taiwan).
NOT_IN_WDI = {"TWN"}


def derive_wdi_gdp(path: Path, countries: pd.DataFrame) -> pd.DataFrame:
    raw = pd.read_csv(path, skiprows=4)
    keep = set(countries["iso3"]) - NOT_IN_WDI
    raw = raw[raw["Country Code"].isin(keep)]
    missing = keep - set(raw["Country Code"])
    if missing:
        raise ValueError(f"{path.name}: no rows for {sorted(missing)}")
    years = [c for c in raw.columns if c.isdigit()]
    long = raw.melt(id_vars=["Country Code"], value_vars=years, var_name="year", value_name="gdp").dropna(
        subset=["gdp"]
    )
    return pd.DataFrame(
        {
            "iso3": long["Country Code"],
            "year": long["year"].astype(int),
            "gdp_constant_2015_usd_bn": long["gdp"].astype(float) / 1e9,
        }
    )
