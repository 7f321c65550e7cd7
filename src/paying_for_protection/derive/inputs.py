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
class Provenance:
    """How a copy of an upstream file was obtained and what a reader must know about it.

    Summarised, in the project's words, from the PROVENANCE.md or SOURCES.md kept beside the
    upstream files; written into the descriptor (``upstreamFiles``) and shown on the Data page.
    """

    title: str
    obtained_from: str
    licence: str
    notes: tuple[str, ...]


@dataclass(frozen=True)
class UpstreamFile:
    key: str
    relpath: str
    publisher: str
    release: str
    url: str
    sha256: str
    provenance: Provenance
    #: Line of the CSV header (the World Bank's file has four lines of metadata above it).
    header_line: int = 1


SIPRI_PROVENANCE = Provenance(
    title="SIPRI Military Expenditure Database",
    obtained_from=(
        "SIPRI's own workbook, unaltered. The copy comes from the public repository "
        "podsv-fs26-ad24/ad24-6-fancyproject (commit fa10b3ca, data/sources/milex/); an unrelated repository, "
        "jacobvoss/geopolitical-dashboard, holds a byte-identical copy, which points to both having been "
        "downloaded from SIPRI."
    ),
    licence=(
        "SIPRI's fair-use terms, which are not an open licence: non-commercial use is free if SIPRI is cited, "
        "and only a limited share of the database may be republished (see the licence of each SIPRI table)."
    ),
    notes=(
        "The share-of-GDP and share-of-government sheets hold fractions; the extract stores percent.",
        "SIPRI marks its own estimates (blue) and highly uncertain figures (red) by font colour alone; the "
        "derivation reads the colours into sipri_flag.",
        "SIPRI's headline world military burden is not a cell of the workbook (its denominator, world GDP, is "
        "not in it), so the book computes a burden over the countries that have both spending and GDP instead.",
        "SIPRI has since published an edition covering 2025; no copy of it could be obtained, so the book's "
        "SIPRI series end in 2024.",
    ),
)

NATO_2024_PROVENANCE = Provenance(
    title="NATO, Defence Expenditure of NATO Countries, June 2024 edition",
    obtained_from=(
        "NATO's Excel tables as published in June 2024, from the repository jacobvoss/geopolitical-dashboard "
        "at the commit that first added them (4318b071); a later commit there re-saved the file and was not used."
    ),
    licence=(
        "NATO public-release statistics: no explicit open licence; reproduction for non-commercial purposes "
        "with NATO acknowledged as the source."
    ),
    notes=(
        "Table 3 divides defence expenditure, by NATO's definition, by real GDP at 2015 prices: its levels "
        "differ from SIPRI's, and the book never joins the two into one series.",
        "The last two years of the edition are NATO's estimates; an asterisk after a name marks an Ally with "
        "a national law or political agreement to spend at least 2 % of GDP.",
        "Iceland has no armed forces and is not in the expenditure tables.",
    ),
)

NATO_2025_PROVENANCE = Provenance(
    title="NATO, Defence Expenditure of NATO Countries, August 2025 edition (Table 3, transcribed)",
    obtained_from=(
        "A transcription of Table 3 of the August 2025 edition made by a third party (repository "
        "namanjain92/NATO-Analytics, commit c7de6166, data/defence_per.csv), saved as UTF-8. The repository "
        "does not name its source; the values match an independent transcription of the same edition to two "
        "decimals, without a single difference."
    ),
    licence="As NATO's own tables; the transcription adds no rights of its own.",
    notes=(
        "A secondary source: it should be checked against NATO's own workbook for that edition, which could "
        "not be obtained.",
        "It stops at the 2024 estimate; the edition's 2025 column is not in it.",
        "NATO revised GDP between the two editions, so the same year's share can differ from one edition to "
        "the other; the table keeps both, labelled by edition.",
    ),
)

TROOPDATA_PROVENANCE = Provenance(
    title="US troops abroad (troopdata, from DMDC reports)",
    obtained_from=(
        "The rebuild file of the troopdata package (Allen, Flynn and Martinez Machain) at commit bab0a9c3 of "
        "meflynn/troopdata, unaltered. The newer file at the repository's head was rejected: it counts many "
        "host-years twice."
    ),
    licence=(
        "GPL 3.0 or later, the package's licence; the Defense Manpower Data Center counts beneath it are "
        "works of the US government, in the public domain in the United States."
    ),
    notes=(
        "From 2008 there is a row per host and quarter; before, usually one count a year.",
        "A quarter for which DMDC sent no report appears as a count of 0 with no source; the derivation "
        "treats it as missing, not as zero.",
        "DMDC counts personnel permanently assigned to a country: rotational units are not in the counts, "
        "which is why they sit below the troop levels quoted in the press for Korea and Poland.",
        "Japan's quarterly counts jump where afloat naval and Marine personnel are included.",
    ),
)

WDI_PROVENANCE = Provenance(
    title="World Bank, World Development Indicators: GDP at constant 2015 prices",
    obtained_from=(
        "The World Bank's bulk-download CSV, unaltered and under its original name, from the repository "
        "dandrini/fair-shares (commit 34f4d48a, data/gdp/wdi-2025/)."
    ),
    licence="Creative Commons Attribution 4.0 (World Bank Open Data terms).",
    notes=(
        "Values are in constant 2015 US dollars, not millions; the table stores billions.",
        "Regional and income aggregates are mixed in with the countries; only the countries of countries.csv are kept.",
        "This vintage has no values for 2025.",
    ),
)

KOREA_PROVENANCE = Provenance(
    title="The Korea fact base (six files)",
    obtained_from=(
        "The project's own fact base, transcribed value by value from public pages: ministry releases and "
        "white papers, agreement texts, US State Department treaty pages, congressional reports, and Korean, "
        "Japanese and English-language newspapers. Each row lists the pages it rests on (source_urls)."
    ),
    licence="The compilation is under Creative Commons Attribution 4.0; the facts themselves carry no copyright.",
    notes=(
        "Numbers were transcribed; no sentence was copied.",
        "Every row has a status: agreed or confirmed (in an agreement text or official release), reported, "
        "derived (computed from an agreement's rule or from sourced inputs, and marked so), estimated, or "
        "unverified. A value no source gave is left empty and marked unverified, never filled in from memory.",
        "Copies on mirrors and aggregator sites were used only where no official or mainstream copy was "
        "found, or to corroborate one, and count as weaker evidence.",
        "Contributions are in US dollars up to 2004 and in won from 2005, as the ministry's chart and the "
        "agreements state them; the defense budget is the original appropriation, without supplementary "
        "budgets.",
        "Known gaps: several signing and entry-into-force days; won equivalents for some years of the 1990s; "
        "no source states the 2023 and 2024 contributions, which are derived from the 11th agreement's rule; "
        "the contributions from 2027 depend on inflation not yet known; no USFK strength series; Japan's "
        "totals for FY2001-FY2008.",
        "An independent re-check of prominent values against other sources, on 29 November 2026, contradicted "
        "none of them and fixed the 10th agreement's entry into force to 5 April 2019.",
    ),
)


UPSTREAM_FILES: dict[str, UpstreamFile] = {
    f.key: f
    for f in [
        UpstreamFile(
            key="sipri_milex",
            relpath="sipri-milex/SIPRI-Milex-data-1949-2024_2.xlsx",
            publisher="Stockholm International Peace Research Institute (SIPRI)",
            release="SIPRI Military Expenditure Database, data for 1949–2024, released April 2025",
            url="https://www.sipri.org/databases/milex",
            provenance=SIPRI_PROVENANCE,
            sha256="8a31c2794c8070230b3b9ef26a3249663f6317a8bc86ba3ec3099c791cdb692f",
        ),
        UpstreamFile(
            key="nato_2024_workbook",
            relpath="nato-defence-expenditure/240617-def-exp-2024-TABLES-en.xlsx",
            publisher="NATO Public Diplomacy Division",
            release="Defence Expenditure of NATO Countries (2014–2024), 17 June 2024, Excel tables",
            url="https://www.nato.int/cps/en/natohq/topics_49198.htm",
            provenance=NATO_2024_PROVENANCE,
            sha256="1897e2ead4be252c5c9a9d2f2696a65398c51375c88a2e7425339a8d368a600b",
        ),
        UpstreamFile(
            key="nato_2025_table3",
            relpath="nato-defence-expenditure/nato-def-exp-2025-table3-share-of-gdp_2014-2024e.csv",
            publisher="NATO Public Diplomacy Division (third-party transcription)",
            release=(
                "Defence Expenditure of NATO Countries (2014–2025), 28 August 2025, Table 3, "
                "2014-2024e, as transcribed in namanjain92/NATO-Analytics@c7de6166 data/defence_per.csv"
            ),
            url=(
                "https://www.nato.int/en/news-and-events/articles/news/2025/08/28/"
                "defence-expenditure-of-nato-countries-2014-2025"
            ),
            provenance=NATO_2025_PROVENANCE,
            sha256="898f688ad35dca5eee6920cebb45d6f2988c61c47a860b5dbe514c531d484517",
        ),
        UpstreamFile(
            key="troopdata_rebuild",
            relpath="us-troop-deployments/troopdata-rebuild-country-year-quarter-format.csv",
            publisher="Allen, Flynn and Martinez Machain, troopdata (DMDC-based)",
            release="troopdata rebuild file at meflynn/troopdata@bab0a9c3 (development version 1.0.4.9000, March 2026; latest quarter December 2025)",
            url="https://github.com/meflynn/troopdata",
            provenance=TROOPDATA_PROVENANCE,
            sha256="e89dd8ce0f43a52feeded433e25ec5d7513029775a8d25dd54d3a77f3e9fb3ca",
        ),
        UpstreamFile(
            key="wdi_gdp",
            relpath="wdi-gdp/API_NY.GDP.MKTP.KD_DS2_en_csv_v2_213435.csv",
            publisher="The World Bank, World Development Indicators",
            release="NY.GDP.MKTP.KD, GDP (constant 2015 US$), last updated 2026-02-24",
            url="https://data.worldbank.org/indicator/NY.GDP.MKTP.KD",
            provenance=WDI_PROVENANCE,
            sha256="85c1fbdabaf67b8935ed409bc0599beaa97e0332868adeb9d02316e5e8c6b32b",
            header_line=5,
        ),
        UpstreamFile(
            key="korea_sma_agreements",
            relpath="korea/sma_agreements.csv",
            publisher="Paying for Protection (the Korea fact base)",
            release="korea fact base, independent check of 2026-11-29",
            url="https://mnd.go.kr/mnd_book/DefenseWhitePaper/2018/body(eng)/files/basic-html/page181.html",
            provenance=KOREA_PROVENANCE,
            sha256="dfdd5b2b055673bcaa4dc8078980df5ee90d42ad9953fc94c92ff64c7d8df78f",
        ),
        UpstreamFile(
            key="korea_sma_contributions",
            relpath="korea/sma_contributions_by_year.csv",
            publisher="Paying for Protection (the Korea fact base)",
            release="korea fact base, independent check of 2026-11-29",
            url="https://mnd.go.kr/mnd_book/DefenseWhitePaper/2018/body(eng)/files/basic-html/page181.html",
            provenance=KOREA_PROVENANCE,
            sha256="16366e2819b105a9ac4655d77b5c8939acfd8d6fd6424f929abb55c3e13547a6",
        ),
        UpstreamFile(
            key="korea_defense_budget",
            relpath="korea/korea_defense_budget.csv",
            publisher="Paying for Protection (the Korea fact base)",
            release="korea fact base, independent check of 2026-11-29",
            url="http://www.mnd.go.kr/mbshome/mbs/mnd/subview.jsp?id=mnd_010401020000",
            provenance=KOREA_PROVENANCE,
            sha256="4d951141822d35f79725f590b2b6ea38c8f263469e4ff30288d582688677ef35",
        ),
        UpstreamFile(
            key="korea_usfk_troops",
            relpath="korea/usfk_troops.csv",
            publisher="Paying for Protection (the Korea fact base)",
            release="korea fact base, independent check of 2026-11-29",
            url="https://koreajoongangdaily.joins.com/news/2025-12-19/national/defense/Trump-signs-annual-defense-policy-bill-restricting-USFK-troop-reduction/2481920",
            provenance=KOREA_PROVENANCE,
            sha256="6143fa13153b2d7f35f52e9ed0bd37b41bcd3d57dd7fbff7e75a0667af886912",
        ),
        UpstreamFile(
            key="korea_timeline",
            relpath="korea/timeline.csv",
            publisher="Paying for Protection (the Korea fact base)",
            release="korea fact base, independent check of 2026-11-29",
            url="https://www.mofa.go.kr/eng/brd/m_5676/view.do?seq=320383",
            provenance=KOREA_PROVENANCE,
            sha256="a611301639bdcfc3f5608a75021dea283ba7c45eca8b8254665d0029c76f7f0a",
        ),
        UpstreamFile(
            key="korea_japan_hns",
            relpath="korea/japan_hns.csv",
            publisher="Paying for Protection (the Korea fact base)",
            release="korea fact base, independent check of 2026-11-29",
            url="http://www.mod.go.jp/j/approach/zaibeigun/us_keihi/keii.html",
            provenance=KOREA_PROVENANCE,
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
