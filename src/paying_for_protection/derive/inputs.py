"""The upstream files the derivation reads: where each one sits, which release it is, and the
SHA-256 of the copy the committed tables were derived from.

A reader who downloads the publishers' files places them in the same folder layout (see
``data/README.md``). If a file's hash differs from the one recorded here, the derivation still
runs, but says loudly that the release differs: the tables it writes will then differ from the
committed ones, and the book's numbers with them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class UpstreamFile:
    key: str
    relpath: str
    publisher: str
    release: str
    url: str
    sha256: str
    #: Line of the CSV header (the World Bank's file has four lines of metadata above it).
    header_line: int = 1


UPSTREAM_FILES: dict[str, UpstreamFile] = {
    f.key: f
    for f in [
        UpstreamFile(
            key="sipri_milex",
            relpath="sipri-milex/SIPRI-Milex-data-1949-2024_2.xlsx",
            publisher="Stockholm International Peace Research Institute (SIPRI)",
            release="SIPRI Military Expenditure Database, data for 1949-2024, released April 2025",
            url="https://www.sipri.org/databases/milex",
            sha256="8a31c2794c8070230b3b9ef26a3249663f6317a8bc86ba3ec3099c791cdb692f",
        ),
        UpstreamFile(
            key="nato_2024_workbook",
            relpath="nato-defence-expenditure/240617-def-exp-2024-TABLES-en.xlsx",
            publisher="NATO Public Diplomacy Division",
            release="Defence Expenditure of NATO Countries (2014-2024), 17 June 2024, Excel tables",
            url="https://www.nato.int/cps/en/natohq/topics_49198.htm",
            sha256="1897e2ead4be252c5c9a9d2f2696a65398c51375c88a2e7425339a8d368a600b",
        ),
        UpstreamFile(
            key="nato_2025_table3",
            relpath="nato-defence-expenditure/nato-def-exp-2025-table3-share-of-gdp_2014-2024e.csv",
            publisher="NATO Public Diplomacy Division (third-party transcription)",
            release=(
                "Defence Expenditure of NATO Countries (2014-2025), 28 August 2025, Table 3, "
                "2014-2024e, as transcribed in namanjain92/NATO-Analytics@c7de6166 data/defence_per.csv"
            ),
            url=(
                "https://www.nato.int/en/news-and-events/articles/news/2025/08/28/"
                "defence-expenditure-of-nato-countries-2014-2025"
            ),
            sha256="898f688ad35dca5eee6920cebb45d6f2988c61c47a860b5dbe514c531d484517",
        ),
        UpstreamFile(
            key="troopdata_rebuild",
            relpath="us-troop-deployments/troopdata-rebuild-country-year-quarter-format.csv",
            publisher="Allen, Flynn and Martinez Machain, troopdata (DMDC-based)",
            release="troopdata rebuild file at meflynn/troopdata@bab0a9c3 (development version 1.0.4.9000, March 2026; latest quarter December 2025)",
            url="https://github.com/meflynn/troopdata",
            sha256="e89dd8ce0f43a52feeded433e25ec5d7513029775a8d25dd54d3a77f3e9fb3ca",
        ),
        UpstreamFile(
            key="wdi_gdp",
            relpath="wdi-gdp/API_NY.GDP.MKTP.KD_DS2_en_csv_v2_213435.csv",
            publisher="The World Bank, World Development Indicators",
            release="NY.GDP.MKTP.KD, GDP (constant 2015 US$), last updated 2026-02-24",
            url="https://data.worldbank.org/indicator/NY.GDP.MKTP.KD",
            sha256="85c1fbdabaf67b8935ed409bc0599beaa97e0332868adeb9d02316e5e8c6b32b",
            header_line=5,
        ),
        UpstreamFile(
            key="korea_sma_agreements",
            relpath="korea/sma_agreements.csv",
            publisher="Project fact base (transcribed from ministry releases, agreement texts and press; see korea/SOURCES.md)",
            release="korea fact base, independent check of 2026-11-29",
            url="https://mnd.go.kr/mnd_book/DefenseWhitePaper/2018/body(eng)/files/basic-html/page181.html",
            sha256="dfdd5b2b055673bcaa4dc8078980df5ee90d42ad9953fc94c92ff64c7d8df78f",
        ),
        UpstreamFile(
            key="korea_sma_contributions",
            relpath="korea/sma_contributions_by_year.csv",
            publisher="Project fact base (transcribed; see korea/SOURCES.md)",
            release="korea fact base, independent check of 2026-11-29",
            url="https://mnd.go.kr/mnd_book/DefenseWhitePaper/2018/body(eng)/files/basic-html/page181.html",
            sha256="16366e2819b105a9ac4655d77b5c8939acfd8d6fd6424f929abb55c3e13547a6",
        ),
        UpstreamFile(
            key="korea_defense_budget",
            relpath="korea/korea_defense_budget.csv",
            publisher="Project fact base (transcribed from the ROK Ministry of National Defense budget table and press; see korea/SOURCES.md)",
            release="korea fact base, independent check of 2026-11-29",
            url="http://www.mnd.go.kr/mbshome/mbs/mnd/subview.jsp?id=mnd_010401020000",
            sha256="4d951141822d35f79725f590b2b6ea38c8f263469e4ff30288d582688677ef35",
        ),
        UpstreamFile(
            key="korea_usfk_troops",
            relpath="korea/usfk_troops.csv",
            publisher="Project fact base (transcribed from press, communiques and law; see korea/SOURCES.md)",
            release="korea fact base, independent check of 2026-11-29",
            url="https://koreajoongangdaily.joins.com/news/2025-12-19/national/defense/Trump-signs-annual-defense-policy-bill-restricting-USFK-troop-reduction/2481920",
            sha256="6143fa13153b2d7f35f52e9ed0bd37b41bcd3d57dd7fbff7e75a0667af886912",
        ),
        UpstreamFile(
            key="korea_timeline",
            relpath="korea/timeline.csv",
            publisher="Project fact base (transcribed; see korea/SOURCES.md)",
            release="korea fact base, independent check of 2026-11-29",
            url="https://www.mofa.go.kr/eng/brd/m_5676/view.do?seq=320383",
            sha256="a611301639bdcfc3f5608a75021dea283ba7c45eca8b8254665d0029c76f7f0a",
        ),
        UpstreamFile(
            key="korea_japan_hns",
            relpath="korea/japan_hns.csv",
            publisher="Project fact base (transcribed from Japan MOD and press; see korea/SOURCES.md)",
            release="korea fact base, independent check of 2026-11-29",
            url="http://www.mod.go.jp/j/approach/zaibeigun/us_keihi/keii.html",
            sha256="4afca8a7cd82598dbcc68c4677188e60284fb45ca48490167f19afb923a5e71d",
        ),
    ]
}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
