"""Who was an ally when: NATO membership by year, from ``data/countries.csv``."""

from __future__ import annotations

import pandas as pd

#: NATO's members outside Europe, left out of "NATO Europe" aggregates.
NORTH_AMERICA = {"USA", "CAN"}


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
