"""The catalogue of every table in ``data/``: schema, units, keys, sources and licence.

This module is the single place where a table is described. ``make data`` writes it out as
``data/datapackage.json`` (a Frictionless Data Package), and the loaders validate every CSV
against that written descriptor, so the JSON file a reader downloads is exactly what the book
checks its data against.

Custom field properties go beyond the Frictionless Table Schema: ``unit`` (what a number
measures), ``sipriDerived`` (the field holds values taken or computed from SIPRI's database,
which count against SIPRI's limit of 3,500 published values), ``decimals`` (how the derivation
writes a number, so that re-deriving gives byte-identical files) and ``rangeBy`` (plausible
bounds that depend on another column, e.g. a SIPRI value's on its indicator; checked by the
loaders, since a Table Schema constraint cannot depend on another cell).

Every numeric field has the bounds its domain gives: a year lies in the years the table covers, a
share of GDP, a troop count or an amount below a ceiling no real value comes near, so that a
slipped digit or a value in the wrong unit fails validation instead of reaching a chart. Every
table's country code is a foreign key to ``countries.csv``.
"""

from __future__ import annotations

from typing import Any

SIPRI_VALUE_LIMIT = 3500

ISO3_PATTERN = "^[A-Z]{3}$"
PARTIAL_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
URL_LIST_PATTERN = r"^https?://\S+(;https?://\S+)*$"

#: Every table's country code must be a country of countries.csv (a Table Schema foreign key).
COUNTRY_KEY = {"fields": ["iso3"], "reference": {"resource": "countries", "fields": ["iso3"]}}

# --- plausibility ceilings --------------------------------------------------------------------
# Far above any real value, close enough to catch a value off by a factor of ten or a thousand.

#: An SMA amount, in USD million (to 2004) or KRW billion (from 2005): ten billion dollars, or ten
#: trillion won, is several times any sum demanded in the negotiations.
MAX_SMA_AMOUNT = 10_000
#: Troops in one host country: several times the largest count in the data (Korea, 1953).
MAX_TROOPS = 1_000_000
#: Real GDP of one country, USD billion at 2015 prices: more than the world's GDP in the WDI file.
MAX_GDP_USD_BN = 100_000
#: A military burden (share of GDP, percent): no country in the data comes near a quarter of its GDP.
MAX_BURDEN_PCT = 25
#: Countries in a SIPRI count or rank: more than there are countries.
MAX_COUNTRIES = 250
#: Military spending of one country, USD million: about the whole world's military spending.
MAX_MILEX_USD_M = 3_000_000
#: Military spending per person, current US$: several times the United States' figure in the data.
MAX_MILEX_PER_PERSON_USD = 20_000
#: An amount in trillion won: several times Korea's GDP.
MAX_KRW_TRILLION = 10_000
#: A cost of hosting US forces, or an amount asked for in a negotiation, in USD million or KRW
#: billion: a hundred billion dollars, or a hundred trillion won, is several times the largest sum
#: any account gives (the fact sheet's $33 billion, summed over a decade).
MAX_HOSTING_AMOUNT = 100_000

# --- licences -------------------------------------------------------------------------------

LICENCE_PROJECT = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 (the project's compilation; the facts themselves carry no copyright)",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
LICENCE_SIPRI = {
    "name": "SIPRI-fair-use",
    "title": (
        "SIPRI fair-use terms: free non-commercial use with the citation 'SIPRI Military Expenditure "
        "Database 2025, https://www.sipri.org/databases/milex'; at most 3,500 values may be reproduced"
    ),
    "path": "https://www.sipri.org/databases/milex",
}
LICENCE_NATO = {
    "name": "NATO-public-release",
    "title": "NATO public-release statistics; non-commercial reproduction with acknowledgement of NATO as the source",
    "path": "https://www.nato.int/cps/en/natohq/topics_49198.htm",
}
LICENCE_TROOPDATA = {
    "name": "GPL-3.0-or-later",
    "title": "GNU GPL 3.0 or later, the licence of the troopdata package; the underlying DMDC counts are US public domain",
    "path": "https://www.gnu.org/licenses/gpl-3.0.html",
}
LICENCE_WORLD_BANK = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 (World Bank Open Data terms)",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}

# --- sources ----------------------------------------------------------------------------------

SOURCE_HAND_KEYED = {
    "title": "Publications listed row by row (source_key in references.bib, source_urls)",
    "path": "https://github.com/paying-for-protection/paying-for-protection/blob/main/references.bib",
    "version": "hand-keyed",
}
SOURCE_KOREA = {
    "title": "Korea fact base: ministry releases (MND, MOFA), agreement texts, CRS and press, row by row in source_urls",
    "path": "https://mnd.go.kr/mnd_book/DefenseWhitePaper/2018/body(eng)/files/basic-html/page181.html",
    "version": "transcribed fact base, independently checked 2026-11-29",
}
SOURCE_SIPRI = {
    "title": "SIPRI Military Expenditure Database 2025 (data for 1949–2024)",
    "path": "https://www.sipri.org/databases/milex",
    "version": "April 2025 release, file SIPRI-Milex-data-1949-2024_2.xlsx",
}
SOURCE_NATO_2024 = {
    "title": "NATO, Defence Expenditure of NATO Countries (2014–2024), Table 3",
    "path": "https://www.nato.int/cps/en/natohq/topics_49198.htm",
    "version": "17 June 2024, file 240617-def-exp-2024-TABLES-en.xlsx",
}
SOURCE_NATO_2025 = {
    "title": "NATO, Defence Expenditure of NATO Countries (2014–2025), Table 3 (third-party transcription)",
    "path": "https://www.nato.int/en/news-and-events/articles/news/2025/08/28/defence-expenditure-of-nato-countries-2014-2025",
    "version": "28 August 2025; values via namanjain92/NATO-Analytics@c7de6166 data/defence_per.csv",
}
SOURCE_TROOPDATA = {
    "title": "Allen, Flynn and Martinez Machain, troopdata: US military personnel by host country (DMDC; Kane 2006 before 2006)",
    "path": "https://github.com/meflynn/troopdata",
    "version": "rebuild file at commit bab0a9c3 (development version 1.0.4.9000; latest quarter December 2025)",
}
SOURCE_WDI = {
    "title": "World Bank, World Development Indicators, GDP (constant 2015 US$), NY.GDP.MKTP.KD",
    "path": "https://data.worldbank.org/indicator/NY.GDP.MKTP.KD",
    "version": "last updated 2026-02-24",
}
SOURCE_NATO_MEMBERS = {
    "title": "NATO, NATO member countries (accession dates); US Department of State, U.S. Collective Defense Arrangements",
    "path": "https://www.nato.int/cps/en/natohq/topics_52044.htm",
    "version": "as listed in 2025",
}


# --- field helpers ----------------------------------------------------------------------------


def field(
    name: str,
    type_: str,
    description: str,
    *,
    unit: str | None = None,
    required: bool = False,
    minimum: float | int | None = None,
    maximum: float | int | None = None,
    enum: list[str] | None = None,
    pattern: str | None = None,
    decimals: int | None = None,
    sipri: bool = False,
    range_by: tuple[str, dict[str, dict[str, float]]] | None = None,
) -> dict[str, Any]:
    spec: dict[str, Any] = {"name": name, "type": type_, "description": description}
    if unit:
        spec["unit"] = unit
    constraints: dict[str, Any] = {}
    if required:
        constraints["required"] = True
    if minimum is not None:
        constraints["minimum"] = minimum
    if maximum is not None:
        constraints["maximum"] = maximum
    if enum is not None:
        constraints["enum"] = enum
    if pattern is not None:
        constraints["pattern"] = pattern
    if constraints:
        spec["constraints"] = constraints
    if decimals is not None:
        spec["decimals"] = decimals
    if sipri:
        spec["sipriDerived"] = True
    if range_by is not None:
        spec["rangeBy"] = {"field": range_by[0], "ranges": range_by[1]}
    if type_ == "boolean":
        spec["trueValues"] = ["true"]
        spec["falseValues"] = ["false"]
    return spec


def source_urls(required: bool = True) -> dict[str, Any]:
    return field(
        "source_urls",
        "string",
        "Sources of the row: web addresses, separated by semicolons.",
        required=required,
        pattern=URL_LIST_PATTERN,
    )


def resource(
    name: str,
    title: str,
    description: str,
    fields: list[dict[str, Any]],
    primary_key: list[str],
    *,
    sources: list[dict[str, Any]],
    licence: dict[str, Any],
    derived_from: list[str] | None = None,
    hand_keyed: bool = False,
    foreign_keys: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "name": name,
        "path": f"{name}.csv",
        "title": title,
        "description": description,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "doubleQuote": True, "header": True},
        "schema": {"fields": fields, "primaryKey": primary_key, "missingValues": [""]},
        "sources": sources,
        "licenses": [licence],
    }
    if foreign_keys:
        spec["schema"]["foreignKeys"] = foreign_keys
    if derived_from:
        # Replaced by the input files' SHA-256 and release when the descriptor is written.
        spec["derivedFrom"] = derived_from
    if hand_keyed:
        spec["handKeyed"] = True
    return spec


# --- the tables -------------------------------------------------------------------------------

RESOURCES: list[dict[str, Any]] = [
    resource(
        "sma_agreements",
        "US-ROK Special Measures Agreements, 1991–2030",
        "One row per Special Measures Agreement (SMA): dates, period, first-year amount and the "
        "escalation rule for later years. Amounts up to 2004 are in US dollars (mixed won and "
        "dollar payments), from 2005 in won.",
        [
            field(
                "sma_number", "integer", "Number of the agreement (1st to 12th).", required=True, minimum=1, maximum=12
            ),
            field(
                "signed_date",
                "string",
                "Signing date, ISO 8601; month or year only where the day is not confirmed; empty if unknown.",
                pattern=PARTIAL_DATE_PATTERN,
            ),
            field(
                "signed_date_precision",
                "string",
                "Precision of signed_date.",
                required=True,
                enum=["day", "month", "unknown"],
            ),
            field(
                "entry_into_force",
                "string",
                "Date of entry into force, ISO 8601; empty if not confirmed.",
                pattern=PARTIAL_DATE_PATTERN,
            ),
            field(
                "period_start_year",
                "integer",
                "First calendar year the agreement covers.",
                required=True,
                minimum=1991,
                maximum=2030,
            ),
            field(
                "period_end_year",
                "integer",
                "Last calendar year the agreement covers.",
                required=True,
                minimum=1991,
                maximum=2030,
            ),
            field(
                "first_year_amount",
                "number",
                "Contribution agreed for the first year of the period.",
                unit="amount_unit",
                required=True,
                minimum=0,
                maximum=MAX_SMA_AMOUNT,
                decimals=1,
            ),
            field("currency", "string", "Currency of first_year_amount.", required=True, enum=["USD", "KRW"]),
            field(
                "amount_unit",
                "string",
                "Unit of first_year_amount.",
                required=True,
                enum=["USD million", "KRW billion"],
            ),
            field(
                "first_year_change_pct",
                "number",
                "Change of the first-year amount over the previous year, in the agreement's currency.",
                unit="percent",
                minimum=-100,
                maximum=100,
                decimals=1,
            ),
            field("escalation_rule", "string", "How amounts after the first year are set, in words.", required=True),
            field(
                "rule_type",
                "string",
                "Machine-readable class of the escalation rule.",
                required=True,
                enum=[
                    "negotiated_yearly",
                    "fixed_growth",
                    "growth_plus_inflation",
                    "fixed_plus_cpi",
                    "flat",
                    "cpi",
                    "cpi_lag2",
                    "one_year",
                    "defense_budget_growth",
                    "cpi_lag2_capped",
                ],
            ),
            field(
                "rule_cap_pct",
                "number",
                "Annual cap on the rule's increase, where the agreement sets one.",
                unit="percent",
                minimum=0,
                maximum=100,
                decimals=1,
            ),
            field(
                "status",
                "string",
                "Status of the amounts: agreed (in an agreement text or official release).",
                required=True,
                enum=["agreed"],
            ),
            field("status_note", "string", "What about the row is unconfirmed or disputed (dates, change basis)."),
            field("notes", "string", "Signatories, ratification and conflicts between sources."),
            source_urls(),
        ],
        ["sma_number"],
        sources=[SOURCE_KOREA],
        licence=LICENCE_PROJECT,
        derived_from=["korea_sma_agreements"],
    ),
    resource(
        "sma_contributions",
        "Korea's SMA contribution by year, 1991–2030",
        "The contribution agreed for each calendar year. 'amount' is in the agreement's currency; "
        "won and dollar equivalents are given only where a source reports them. Rows marked "
        "derived-from-rule are computed from the agreement's escalation rule; 2027–2030 are "
        "not yet determined (unverified, empty).",
        [
            field("year", "integer", "Calendar year of the contribution.", required=True, minimum=1991, maximum=2030),
            field(
                "amount",
                "number",
                "Contribution in the agreement's currency: USD million to 2004, KRW billion from 2005.",
                unit="currency",
                minimum=0,
                maximum=MAX_SMA_AMOUNT,
                decimals=1,
            ),
            field("currency", "string", "Currency of amount.", required=True, enum=["USD", "KRW"]),
            field(
                "amount_krw_billion",
                "number",
                "Won amount or won equivalent where a source reports it.",
                unit="KRW billion",
                minimum=0,
                maximum=MAX_SMA_AMOUNT,
                decimals=1,
            ),
            field(
                "amount_usd_million",
                "number",
                "Dollar amount or a representative dollar conversion reported by a source (rates differ; see notes).",
                unit="USD million",
                minimum=0,
                maximum=MAX_SMA_AMOUNT,
                decimals=1,
            ),
            field(
                "change_pct",
                "number",
                "Change over the previous year in the row's currency.",
                unit="percent",
                minimum=-100,
                maximum=100,
                decimals=1,
            ),
            field("sma_number", "integer", "Agreement the year falls under.", required=True, minimum=1, maximum=12),
            field(
                "status",
                "string",
                "agreed; derived-from-rule (computed from the agreement's rule and sourced inputs); unverified (no source gives the value).",
                required=True,
                enum=["agreed", "derived-from-rule", "unverified"],
            ),
            field("notes", "string", "Conversions, alternatives and conflicts between sources."),
            source_urls(),
        ],
        ["year"],
        sources=[SOURCE_KOREA],
        licence=LICENCE_PROJECT,
        derived_from=["korea_sma_contributions"],
    ),
    resource(
        "korea_defense_budget",
        "Korea's defense budget (Ministry of National Defense), 1990–2026",
        "The original (main) appropriated budget of the Ministry of National Defense, excluding "
        "supplementary budgets, with the ministry's published shares of GDP (2015 GDP base) and "
        "of government finance.",
        [
            field("year", "integer", "Budget year.", required=True, minimum=1990, maximum=2030),
            field(
                "budget_krw_trillion",
                "number",
                "Original appropriated defense budget.",
                unit="KRW trillion",
                required=True,
                minimum=0,
                maximum=500,  # about a fifth of Korea's GDP: far above any budget
                decimals=4,
            ),
            field(
                "change_pct",
                "number",
                "Growth over the previous year's budget, as published (derived where change_pct_derived).",
                unit="percent",
                minimum=-50,
                maximum=50,
                decimals=1,
            ),
            field(
                "change_pct_derived",
                "boolean",
                "True where change_pct was computed by the fact base rather than published.",
                required=True,
            ),
            field(
                "share_of_gdp_pct",
                "number",
                "Budget as a share of GDP, as published by MND (2015 GDP base).",
                unit="percent",
                minimum=0,
                maximum=10,
                decimals=2,
            ),
            field(
                "gdp_share_provisional", "boolean", "True where MND marks the GDP share as provisional.", required=True
            ),
            field(
                "share_of_government_pct",
                "number",
                "Budget as a share of government finance, as published by MND.",
                unit="percent",
                minimum=0,
                maximum=50,
                decimals=1,
            ),
            field(
                "status",
                "string",
                "confirmed: from MND's table or an official release.",
                required=True,
                enum=["confirmed"],
            ),
            field("notes", "string", "Basis, alternatives and conflicts."),
            source_urls(),
        ],
        ["year"],
        sources=[SOURCE_KOREA],
        licence=LICENCE_PROJECT,
        derived_from=["korea_defense_budget"],
    ),
    resource(
        "usfk_troops",
        "US Forces Korea: reported, agreed and statutory troop levels",
        "Levels of US troops in Korea as reported, agreed between the allies (the 2008 ceiling) or set by law at a date, not an "
        "end-strength statistic. For counts of permanently assigned personnel see us_troops_abroad.",
        [
            field("year", "integer", "Year of the reported level.", required=True, minimum=1950, maximum=2030),
            field("usfk_troops", "integer", "Troop level.", unit="persons", required=True, minimum=0, maximum=400000),
            field(
                "level_type",
                "string",
                "What the number is (reported, agreed ceiling, statutory floor, estimated, derived).",
                required=True,
            ),
            field(
                "status",
                "string",
                "Confidence class of the value.",
                required=True,
                enum=["confirmed", "reported", "estimated", "derived"],
            ),
            field("note", "string", "Context and conflicts between sources."),
            source_urls(),
        ],
        ["year"],
        sources=[SOURCE_KOREA],
        licence=LICENCE_PROJECT,
        derived_from=["korea_usfk_troops"],
    ),
    resource(
        "timeline",
        "Events in US-ROK cost-sharing, 1953–2026",
        "Dated events: treaties, agreements, negotiations, political statements, trade measures "
        "and military decisions.",
        [
            field(
                "date",
                "string",
                "Date of the event, ISO 8601; month or year only where the day is not confirmed.",
                required=True,
                pattern=PARTIAL_DATE_PATTERN,
            ),
            field("date_precision", "string", "Precision of date.", required=True, enum=["day", "month", "year"]),
            field("event", "string", "What happened, in the fact base's words.", required=True),
            field(
                "category",
                "string",
                "Kind of event.",
                required=True,
                enum=["agreement", "negotiation", "politics", "trade", "military"],
            ),
            field(
                "status",
                "string",
                "Confidence class.",
                required=True,
                enum=["confirmed", "reported", "partially verified"],
            ),
            field("status_note", "string", "What about the date or content is unconfirmed."),
            source_urls(),
        ],
        ["date", "event"],
        sources=[SOURCE_KOREA],
        licence=LICENCE_PROJECT,
        derived_from=["korea_timeline"],
    ),
    resource(
        "japan_hns",
        "Japan's host-nation support for US forces",
        "Japan's special-measures payments for US forces in Japan ('omoiyari' or sympathy budget, "
        "from FY2022 'alliance resilience budget'): agreement totals, annual budgets and changes "
        "of scope, by Japanese fiscal year (April-March).",
        [
            field(
                "period",
                "string",
                "Fiscal year or range as given by the source (e.g. FY2016-FY2020).",
                required=True,
                pattern=r"^FY\d{4}(-(FY\d{4})?)?$",
            ),
            field("fy_start", "integer", "First fiscal year of the period.", required=True, minimum=1970, maximum=2030),
            field(
                "fy_end",
                "integer",
                "Last fiscal year of the period; empty for an open-ended scope change.",
                minimum=1970,
                maximum=2030,
            ),
            field("agreement", "string", "Agreement the row refers to."),
            field(
                "total_jpy_billion",
                "number",
                "Total over the agreement period.",
                unit="JPY billion",
                minimum=0,
                maximum=10_000,  # ten trillion yen over a period: several times any agreement
                decimals=1,
            ),
            field(
                "annual_jpy_billion",
                "number",
                "Annual amount (budget, or agreement total divided by its years).",
                unit="JPY billion",
                minimum=0,
                maximum=2_000,  # two trillion yen a year: several times any budget
                decimals=1,
            ),
            field(
                "annual_is_approximate",
                "boolean",
                "True where the source gives the annual amount only approximately.",
                required=True,
            ),
            field(
                "basis",
                "string",
                "What the amount is.",
                required=True,
                enum=[
                    "agreement total",
                    "agreement total (derived)",
                    "budget",
                    "budget (contract value)",
                    "budget (expenditure basis)",
                    "budget (peak)",
                    "period",
                    "scope",
                ],
            ),
            field(
                "status",
                "string",
                "Confidence class.",
                required=True,
                enum=["confirmed", "reported", "derived", "unverified"],
            ),
            field("status_note", "string", "Qualifier of the status."),
            field("notes", "string", "Content of the agreement or budget."),
            source_urls(),
        ],
        ["period"],
        sources=[SOURCE_KOREA],
        licence=LICENCE_PROJECT,
        derived_from=["korea_japan_hns"],
    ),
    resource(
        "sipri_milex",
        "SIPRI military expenditure: extract for US allies and comparators",
        "Long format, one value per country, year and indicator, for the countries and years the "
        "book uses (see countries.csv). SIPRI estimates and highly uncertain figures, marked by "
        "colour in SIPRI's workbook, are flagged.",
        [
            field("iso3", "string", "ISO 3166-1 alpha-3 code.", required=True, pattern=ISO3_PATTERN),
            field("year", "integer", "Calendar year.", required=True, minimum=1949, maximum=2024),
            field(
                "indicator",
                "string",
                "share_of_gdp_pct: military expenditure as % of GDP; constant_2023_usd_m: US$ m at constant 2023 prices and exchange rates; "
                "current_usd_m: US$ m at current prices and exchange rates; local_currency_current_m: million units of national currency, current prices, calendar year; "
                "share_of_government_pct: % of general government expenditure; per_capita_current_usd: US$ per person, current prices.",
                required=True,
                enum=[
                    "share_of_gdp_pct",
                    "constant_2023_usd_m",
                    "current_usd_m",
                    "local_currency_current_m",
                    "share_of_government_pct",
                    "per_capita_current_usd",
                ],
            ),
            field(
                "value",
                "number",
                "The value, in the indicator's unit.",
                unit="indicator",
                required=True,
                minimum=0,
                decimals=6,
                sipri=True,
                range_by=(
                    "indicator",
                    {
                        "share_of_gdp_pct": {"minimum": 0, "maximum": MAX_BURDEN_PCT},
                        "share_of_government_pct": {"minimum": 0, "maximum": 100},
                        "constant_2023_usd_m": {"minimum": 0, "maximum": MAX_MILEX_USD_M},
                        "current_usd_m": {"minimum": 0, "maximum": MAX_MILEX_USD_M},
                        "per_capita_current_usd": {"minimum": 0, "maximum": MAX_MILEX_PER_PERSON_USD},
                        # local currency: units differ by currency, so only the floor of 0 applies
                    },
                ),
            ),
            field(
                "sipri_flag",
                "string",
                "estimate: SIPRI estimate (blue in the workbook); uncertain: highly uncertain figure (red); empty otherwise.",
                enum=["estimate", "uncertain"],
            ),
        ],
        ["iso3", "year", "indicator"],
        sources=[SOURCE_SIPRI],
        licence=LICENCE_SIPRI,
        derived_from=["sipri_milex"],
        foreign_keys=[COUNTRY_KEY],
    ),
    resource(
        "sipri_world",
        "SIPRI world aggregates and Korea's world rank",
        "Statistics computed from all countries in SIPRI's workbook, kept as aggregates so that no "
        "further country values are published: world total, a coverage-limited world burden "
        "(sum of spending over sum of implied GDP for countries with both), and Korea's rank.",
        [
            field("year", "integer", "Calendar year.", required=True, minimum=1988, maximum=2024),
            field(
                "statistic",
                "string",
                "world_total_constant_2023_usd_bn: SIPRI's world total (Regional totals sheet); coverage_burden_pct: sum of current-US$ spending over sum of implied GDP, countries with both; "
                "coverage_countries: number of those countries; kor_rank_share_of_gdp / kor_rank_constant_usd: Korea's rank (1 = highest) among countries with a value; ranked_countries_share / ranked_countries_usd: countries ranked.",
                required=True,
                enum=[
                    "world_total_constant_2023_usd_bn",
                    "coverage_burden_pct",
                    "coverage_countries",
                    "kor_rank_share_of_gdp",
                    "kor_rank_constant_usd",
                    "ranked_countries_share",
                    "ranked_countries_usd",
                ],
            ),
            field(
                "value",
                "number",
                "The statistic.",
                unit="statistic",
                required=True,
                minimum=0,
                decimals=6,
                sipri=True,
                range_by=(
                    "statistic",
                    {
                        "world_total_constant_2023_usd_bn": {"minimum": 0, "maximum": 10_000},
                        "coverage_burden_pct": {"minimum": 0, "maximum": MAX_BURDEN_PCT},
                        "coverage_countries": {"minimum": 1, "maximum": MAX_COUNTRIES},
                        "kor_rank_share_of_gdp": {"minimum": 1, "maximum": MAX_COUNTRIES},
                        "kor_rank_constant_usd": {"minimum": 1, "maximum": MAX_COUNTRIES},
                        "ranked_countries_share": {"minimum": 1, "maximum": MAX_COUNTRIES},
                        "ranked_countries_usd": {"minimum": 1, "maximum": MAX_COUNTRIES},
                    },
                ),
            ),
        ],
        ["year", "statistic"],
        sources=[SOURCE_SIPRI],
        licence=LICENCE_SIPRI,
        derived_from=["sipri_milex"],
    ),
    resource(
        "us_troops_abroad",
        "US active-duty military personnel by host country and year",
        "Hosts in countries.csv. Annual value = the largest count among the quarters DMDC reported that year (the troopdata "
        "package's rule). Quarters with no report (which the upstream file shows as 0) are treated "
        "as missing, not zero; a year with no report at all has an empty count. Before 2008 there is "
        "usually one report per year. DMDC counts personnel permanently assigned: rotational forces "
        "are excluded.",
        [
            field("iso3", "string", "ISO 3166-1 alpha-3 code of the host.", required=True, pattern=ISO3_PATTERN),
            field("year", "integer", "Year.", required=True, minimum=1950, maximum=2025),
            field(
                "troops_active_duty",
                "integer",
                "Active-duty personnel: the largest of the year's reported quarters.",
                unit="persons",
                minimum=0,
                maximum=MAX_TROOPS,
            ),
            field(
                "quarters_reported",
                "integer",
                "Number of quarters with a DMDC (or Kane) report that year.",
                required=True,
                minimum=0,
                maximum=4,
            ),
            field(
                "september_active_duty",
                "integer",
                "Count in the September report, where there is one (an alternative single-quarter rule).",
                unit="persons",
                minimum=0,
                maximum=MAX_TROOPS,
            ),
            field("reports", "string", "The reports used, e.g. 'March 2024; June 2024'."),
        ],
        ["iso3", "year"],
        sources=[SOURCE_TROOPDATA],
        licence=LICENCE_TROOPDATA,
        derived_from=["troopdata_rebuild"],
        foreign_keys=[COUNTRY_KEY],
    ),
    resource(
        "nato_defence_share",
        "NATO's own defence expenditure as a share of real GDP",
        "NATO's Table 3 (defence expenditure as a share of GDP at 2015 prices), 2014–2024, from two "
        "editions. NATO's definition of defence expenditure and its real-GDP denominator differ "
        "from SIPRI's: never combine the two in one series.",
        [
            field("iso3", "string", "ISO 3166-1 alpha-3 code.", required=True, pattern=ISO3_PATTERN),
            field("year", "integer", "Year.", required=True, minimum=2014, maximum=2025),
            field(
                "edition",
                "string",
                "2024-06: official workbook of 17 June 2024; 2025-08: edition of 28 August 2025 via a third-party transcription (secondary).",
                required=True,
                enum=["2024-06", "2025-08"],
            ),
            field(
                "share_of_real_gdp_pct",
                "number",
                "Defence expenditure as % of real GDP (2015 prices).",
                unit="percent",
                required=True,
                minimum=0,
                maximum=10,
                decimals=6,
            ),
            field("estimate", "boolean", "True where NATO marks the year as an estimate (e).", required=True),
            field(
                "national_2pct_commitment",
                "boolean",
                "True where NATO's table marks the Ally with a national law or political agreement calling for at least 2% (2024 edition only).",
                required=True,
            ),
        ],
        ["iso3", "year", "edition"],
        sources=[SOURCE_NATO_2024, SOURCE_NATO_2025],
        licence=LICENCE_NATO,
        derived_from=["nato_2024_workbook", "nato_2025_table3"],
        foreign_keys=[COUNTRY_KEY],
    ),
    resource(
        "wdi_gdp",
        "Real GDP (World Bank WDI, constant 2015 US$)",
        "GDP at constant 2015 US dollars for the countries in countries.csv.",
        [
            field("iso3", "string", "ISO 3166-1 alpha-3 code.", required=True, pattern=ISO3_PATTERN),
            field("year", "integer", "Year.", required=True, minimum=1960, maximum=2025),
            field(
                "gdp_constant_2015_usd_bn",
                "number",
                "GDP, constant 2015 US$, billions.",
                unit="USD billion (2015 prices)",
                required=True,
                minimum=0,
                maximum=MAX_GDP_USD_BN,
                decimals=6,
            ),
        ],
        ["iso3", "year"],
        sources=[SOURCE_WDI],
        licence=LICENCE_WORLD_BANK,
        derived_from=["wdi_gdp"],
        foreign_keys=[COUNTRY_KEY],
    ),
    resource(
        "panel",
        "Country-year panel of US allies for the regression chapter",
        "Second-stage table built by make data from the other tables in data/. One row per ally and "
        "year in which it was a US treaty ally, 1960–2024. The SIPRI outcomes are not repeated here: "
        "the loader joins them from sipri_milex.csv, and the exposure measures from panel_exposure.csv. "
        "Timing: the Wales pledge (September 2014) can first shape 2015 budgets; the Trump "
        "administration's first budgets are 2018–2021; North Korea's first nuclear test (October 2006) "
        "counts from 2007 budgets.",
        [
            field("iso3", "string", "ISO 3166-1 alpha-3 code of the ally.", required=True, pattern=ISO3_PATTERN),
            field("year", "integer", "Year.", required=True, minimum=1960, maximum=2024),
            field(
                "sample",
                "string",
                "main: allies in the main panel, 1990–2024; cold_war: the same allies, 1960–1989; robustness: Philippines and Thailand, 1990–2024.",
                required=True,
                enum=["main", "cold_war", "robustness"],
            ),
            field("nato_member", "boolean", "A NATO member that year (including the United States).", required=True),
            field(
                "us_troops",
                "integer",
                "US active-duty troops hosted (us_troops_abroad.csv); 0 for the United States itself; empty when DMDC reported no quarter that year.",
                unit="persons",
                minimum=0,
                maximum=MAX_TROOPS,
            ),
            field(
                "us_troops_quarters",
                "integer",
                "Quarters with a DMDC report behind us_troops.",
                required=True,
                minimum=0,
                maximum=4,
            ),
            field(
                "gdp_constant_2015_usd_bn",
                "number",
                "Real GDP (World Bank), constant 2015 US$ billions.",
                unit="USD billion (2015 prices)",
                minimum=0,
                maximum=MAX_GDP_USD_BN,
                decimals=6,
            ),
            field(
                "gdp_growth_pct",
                "number",
                "Real GDP growth over the previous year.",
                unit="percent",
                minimum=-50,
                maximum=50,
                decimals=6,
            ),
            field(
                "us_troops_per_bn_gdp",
                "number",
                "US troops hosted per billion dollars of real GDP.",
                unit="persons per USD billion",
                minimum=0,
                maximum=10_000,  # ten troops per million dollars of GDP: far above any ally
                decimals=6,
            ),
            field(
                "log1p_us_troops_per_bn_gdp",
                "number",
                "log(1 + us_troops_per_bn_gdp): the troop-presence pressure measure.",
                unit="log",
                minimum=0,
                maximum=10,  # log(1 + 10,000) is about 9.2
                decimals=6,
            ),
            field("post_wales", "boolean", "Budget year 2015 or later (after NATO's Wales pledge).", required=True),
            field(
                "trump_years",
                "boolean",
                "Budget years 2018–2021 (the first Trump administration's budgets).",
                required=True,
            ),
            field("russia_border", "boolean", "Land border with Russia (countries.csv).", required=True),
            field("post_crimea", "boolean", "Year 2014 or later (Russia's annexation of Crimea).", required=True),
            field(
                "post_invasion",
                "boolean",
                "Year 2022 or later (Russia's full-scale invasion of Ukraine).",
                required=True,
            ),
            field(
                "dprk_nuclear",
                "boolean",
                "South Korea or Japan, budget year 2007 or later (after North Korea's first nuclear test).",
                required=True,
            ),
        ],
        ["iso3", "year"],
        sources=[SOURCE_TROOPDATA, SOURCE_WDI, SOURCE_NATO_MEMBERS],
        licence=LICENCE_TROOPDATA,
        derived_from=["table_countries", "table_us_troops_abroad", "table_wdi_gdp"],
        foreign_keys=[COUNTRY_KEY],
    ),
    resource(
        "panel_exposure",
        "Allies' exposure to US pressure: shortfalls from the 2 % guideline",
        "Second-stage table: one row per ally in the panel. wales_gap_pct: NATO members' shortfall from "
        "2 % of GDP before the Wales pledge (mean 2011–2013; accession year for later members; 0 for "
        "allies outside NATO). trump_gap_pct: every ally's shortfall in 2016 (accession year for later "
        "members). Computed from SIPRI's shares of GDP.",
        [
            field("iso3", "string", "ISO 3166-1 alpha-3 code of the ally.", required=True, pattern=ISO3_PATTERN),
            field(
                "wales_gap_pct",
                "number",
                "max(0, 2 - share of GDP) before the Wales pledge; 0 outside NATO.",
                unit="percentage points",
                required=True,
                minimum=0,
                maximum=2,
                decimals=6,
                sipri=True,
            ),
            field("wales_reference", "string", "The years the Wales shortfall is measured on.", required=True),
            field(
                "trump_gap_pct",
                "number",
                "max(0, 2 - share of GDP) in 2016 or the accession year.",
                unit="percentage points",
                required=True,
                minimum=0,
                maximum=2,
                decimals=6,
                sipri=True,
            ),
            field("trump_reference", "string", "The year the Trump-era shortfall is measured on.", required=True),
        ],
        ["iso3"],
        sources=[SOURCE_SIPRI],
        licence=LICENCE_SIPRI,
        derived_from=["table_countries", "table_sipri_milex", "table_published_figures"],
        foreign_keys=[COUNTRY_KEY],
    ),
    resource(
        "countries",
        "Countries in the book: allies, alliance dates and name crosswalk",
        "Hand-keyed. US treaty allies and comparators, with the year each became a US ally, "
        "whether the regression panel includes it (and why), and each publisher's name for it.",
        [
            field("iso3", "string", "ISO 3166-1 alpha-3 code.", required=True, pattern=ISO3_PATTERN),
            field("name", "string", "Name used in the book.", required=True),
            field("sipri_name", "string", "Name in SIPRI's workbook.", required=True),
            field("nato_name", "string", "Name in NATO's tables (NATO members only)."),
            field(
                "alliance",
                "string",
                "Treaty tie to the United States ('no US defense treaty': a comparator that was never a treaty ally).",
                required=True,
                enum=[
                    "United States",
                    "NATO",
                    "bilateral or regional treaty",
                    "former treaty ally",
                    "no US defense treaty",
                ],
            ),
            field("treaty", "string", "Treaty and its entry-into-force or accession date.", required=True),
            field(
                "ally_since",
                "integer",
                "First calendar year as a US treaty ally (NATO accession year for members); empty only for a "
                "country with no US defense treaty.",
                minimum=1949,
                maximum=2030,
            ),
            field(
                "ally_until",
                "integer",
                "Last year as an active US treaty ally, where the tie lapsed.",
                minimum=1949,
                maximum=2030,
            ),
            field("in_panel", "boolean", "Whether the main regression panel includes the country.", required=True),
            field("robustness_only", "boolean", "Included only in a robustness sample.", required=True),
            field(
                "comparator",
                "boolean",
                "One of the countries compared side by side in the budget chapter.",
                required=True,
            ),
            field(
                "land_border_russia",
                "boolean",
                "Shares a land border with Russia (Kaliningrad included).",
                required=True,
            ),
            field("panel_note", "string", "Why the country is in or out of the panel.", required=True),
            source_urls(),
        ],
        ["iso3"],
        sources=[SOURCE_NATO_MEMBERS],
        licence=LICENCE_PROJECT,
        hand_keyed=True,
    ),
    resource(
        "published_figures",
        "Published figures and claims the book checks or quotes",
        "Hand-keyed. Numbers that come from a publication rather than a dataset: claims of the "
        "starting article, official targets and pledges, published statistics the book compares "
        "its own results with. Each row names its source and whether the project verified it.",
        [
            field("figure_id", "string", "Identifier used by the chapters.", required=True, pattern=r"^[a-z0-9_]+$"),
            field("value", "number", "The published value.", unit="unit", required=True, decimals=4),
            field("unit", "string", "Unit of value.", required=True),
            field("description", "string", "What the figure is, in the book's words.", required=True),
            field(
                "source_key",
                "string",
                "Key of the source in references.bib.",
                required=True,
                pattern=r"^[A-Za-z0-9_:-]+$",
            ),
            field(
                "status",
                "string",
                "verified: read in the source; unverified: could not be confirmed.",
                required=True,
                enum=["verified", "unverified"],
            ),
            field("notes", "string", "Context, alternatives and caveats."),
            source_urls(),
        ],
        ["figure_id"],
        sources=[
            {
                "title": "Publications listed row by row (source_key in references.bib, source_urls)",
                "path": "https://github.com/paying-for-protection/paying-for-protection/blob/main/references.bib",
                "version": "hand-keyed",
            }
        ],
        licence=LICENCE_PROJECT,
        hand_keyed=True,
    ),
    resource(
        "korea_budget_figures",
        "Korea's defense budget and public finances: composition, pay, plans and projections",
        "Hand-keyed. Published figures the budget chapter uses beside the ministry's budget table: "
        "the split of the defense budget into force operations and force improvement, conscripts' "
        "pay, the military pension fund, the ministry's medium-term plans and its reckoning of the "
        "path to 3.5 % of GDP, the government's fiscal plan (total expenditure, national debt and "
        "its ratio to GDP) and the Bank of Korea's 2022 GDP. One row per measure, year and "
        "document, each with its publisher, date, status and source; where two documents give "
        "the same measure and year, both are kept.",
        [
            field(
                "measure",
                "string",
                "What the value is: defense_budget; force_operations and force_improvement (the two parts "
                "of the general-account defense budget); force_improvement_share; troop_operations (pay, "
                "food, clothing of the forces); personnel (pay and pension-fund transfers); "
                "enlisted_pay_budget (conscripts' pay and savings grants); sergeant_monthly_pay; "
                "enlisted_savings_match (monthly matching grant); military_pension_fund (the fund's "
                "budget); government_total_expenditure (central government total expenditure); "
                "government_expenditure_growth; national_debt; national_debt_to_gdp; nominal_gdp; "
                "nominal_gdp_growth; real_gdp_growth; defense_budget_growth.",
                required=True,
                enum=[
                    "defense_budget",
                    "force_operations",
                    "force_improvement",
                    "force_improvement_share",
                    "troop_operations",
                    "personnel",
                    "enlisted_pay_budget",
                    "sergeant_monthly_pay",
                    "enlisted_savings_match",
                    "military_pension_fund",
                    "government_total_expenditure",
                    "government_expenditure_growth",
                    "national_debt",
                    "national_debt_to_gdp",
                    "nominal_gdp",
                    "nominal_gdp_growth",
                    "real_gdp_growth",
                    "defense_budget_growth",
                ],
            ),
            field("year", "integer", "Year the value refers to.", required=True, minimum=1990, maximum=2040),
            field(
                "document",
                "string",
                "The budget, plan, projection or report the value comes from, in the book's words.",
                required=True,
            ),
            field(
                "stage",
                "string",
                "final: budget as passed or actual value; proposal: the government's budget proposal; "
                "plan: a medium-term plan; projection: a published calculation of a future path; "
                "outturn: a statistical estimate of a past year.",
                required=True,
                enum=["final", "proposal", "plan", "projection", "outturn"],
            ),
            field(
                "value",
                "number",
                "The published value.",
                unit="unit",
                required=True,
                minimum=0,
                decimals=4,
                range_by=(
                    "unit",
                    {
                        "KRW trillion": {"minimum": 0, "maximum": MAX_KRW_TRILLION},
                        "KRW thousand": {"minimum": 0, "maximum": 10_000},  # ten million won: a monthly pay
                        "percent": {"minimum": 0, "maximum": 100},
                    },
                ),
            ),
            field(
                "unit",
                "string",
                "Unit of value.",
                required=True,
                enum=["KRW trillion", "KRW thousand", "percent"],
            ),
            field(
                "publisher",
                "string",
                "Who published the figure (the source named in source_key reports it).",
                required=True,
            ),
            field(
                "published",
                "string",
                "Publication date, ISO 8601; month or year only where the day is not known.",
                required=True,
                pattern=PARTIAL_DATE_PATTERN,
            ),
            field(
                "status",
                "string",
                "confirmed: read in the source; unverified: could not be confirmed against the source's text.",
                required=True,
                enum=["confirmed", "unverified"],
            ),
            field(
                "source_key",
                "string",
                "Key of the source in references.bib.",
                required=True,
                pattern=r"^[A-Za-z0-9_:-]+$",
            ),
            source_urls(),
            field("notes", "string", "Definition, rounding and alternatives."),
        ],
        ["measure", "year", "document"],
        sources=[
            {
                "title": "Ministry releases and press reports listed row by row (source_key in references.bib, source_urls)",
                "path": "https://github.com/paying-for-protection/paying-for-protection/blob/main/references.bib",
                "version": "hand-keyed",
            }
        ],
        licence=LICENCE_PROJECT,
        hand_keyed=True,
    ),
    # --- hand-keyed tables of the history chapters (the whole cost of hosting US forces) ----------------
    resource(
        "hosting_costs",
        "The cost of hosting US forces in Korea: every published figure, Korean and US side",
        "Hand-keyed. One row per figure a publication gives for what Korea contributes to US forces "
        "(the SMA and everything outside it: land provided rent-free, tax and utility exemptions, "
        "KATUSA, relocations, the THAAD site) or for what the United States spends on them. Figures "
        "from one publication share a release_id, so that their totals can be recomputed; where "
        "publications disagree about the same year, both are kept. Imputed values (the rent of land "
        "provided free) are marked basis = imputed and state their method in the notes.",
        [
            field("entry_id", "string", "Identifier of the row.", required=True, pattern=r"^[a-z0-9_]+$"),
            field(
                "release_id",
                "string",
                "The publication and year the figure belongs to; rows sharing it form one account.",
                required=True,
                pattern=r"^[a-z0-9_]+$",
            ),
            field(
                "side",
                "string",
                "Whose spending the figure measures: Korea's support, the United States' cost, or a total both paid.",
                required=True,
                enum=["korea", "united_states", "both"],
            ),
            field(
                "period_start",
                "integer",
                "First year the figure covers; empty where the source gives no period.",
                minimum=1950,
                maximum=2040,
            ),
            field("period_end", "integer", "Last year the figure covers.", minimum=1950, maximum=2040),
            field(
                "category",
                "string",
                "What the figure is.",
                required=True,
                enum=[
                    "pre_sma_payment",
                    "cdip",
                    "sma_labor",
                    "sma_construction",
                    "sma_logistics",
                    "sma_unspent",
                    "c4i_fees",
                    "katusa",
                    "private_land_rent",
                    "base_area_support",
                    "land_rent_imputed",
                    "land_value",
                    "katusa_opportunity",
                    "training_areas",
                    "tax_exemption",
                    "utilities_fees",
                    "relocation",
                    "thaad_site",
                    "other",
                    "direct_total",
                    "indirect_total",
                    "continuing_total",
                    "one_time_total",
                    "total_support",
                    "dod_obligations",
                    "stationing_cost",
                ],
            ),
            field(
                "support_type",
                "string",
                "How the publication classes it: direct (budget outlays), indirect (forgone revenue, "
                "opportunity costs), one_time, total, us_cost, or memo (a stock or a part of another row, never added).",
                required=True,
                enum=["direct", "indirect", "one_time", "total", "us_cost", "memo"],
            ),
            field("item", "string", "The item in the book's words.", required=True),
            field(
                "amount",
                "number",
                "The figure as published.",
                unit="unit",
                required=True,
                minimum=0,
                decimals=3,
                range_by=(
                    "unit",
                    {
                        "KRW billion": {"minimum": 0, "maximum": MAX_HOSTING_AMOUNT},
                        "USD million": {"minimum": 0, "maximum": MAX_HOSTING_AMOUNT},
                    },
                ),
            ),
            field("unit", "string", "Unit of amount.", required=True, enum=["KRW billion", "USD million"]),
            field(
                "basis",
                "string",
                "agreed (in an agreement), reported (a publication's count), imputed (a value put on something "
                "given free, method in notes), estimate (a publication's estimate).",
                required=True,
                enum=["agreed", "reported", "imputed", "estimate"],
            ),
            field(
                "status",
                "string",
                "confirmed: read in the source named; unverified: read only in part, or a date or year inferred.",
                required=True,
                enum=["confirmed", "unverified"],
            ),
            field("publisher", "string", "Who published the figure (and whose data it reports).", required=True),
            field(
                "published",
                "string",
                "Date of publication, ISO 8601, year or month where the day is not known.",
                required=True,
                pattern=PARTIAL_DATE_PATTERN,
            ),
            field(
                "source_key",
                "string",
                "Key of the source in references.bib.",
                required=True,
                pattern=r"^[A-Za-z0-9_:-]+$",
            ),
            field("notes", "string", "Method, context and disagreements."),
            source_urls(),
        ],
        ["entry_id"],
        sources=[SOURCE_HAND_KEYED],
        licence=LICENCE_PROJECT,
        hand_keyed=True,
    ),
    resource(
        "cost_share_claims",
        "Claims of the share of the cost of US forces that Korea pays",
        "Hand-keyed. Each row is a share stated (or implied by two amounts) by an official, a commander, "
        "the press or civil society, with the cost it was measured against, which differs from claim to claim.",
        [
            field("claim_id", "string", "Identifier of the claim.", required=True, pattern=r"^[a-z0-9_]+$"),
            field(
                "date",
                "string",
                "When the claim was made, ISO 8601 (partial where the day is not known).",
                required=True,
                pattern=PARTIAL_DATE_PATTERN,
            ),
            field("claimant", "string", "Who made the claim.", required=True),
            field("label", "string", "A short name for the claimant, for figures.", required=True),
            field(
                "claimant_type",
                "string",
                "Kind of claimant.",
                required=True,
                enum=["US government", "US military", "Korean government", "Korean press", "Korean civil society"],
            ),
            field(
                "share_low_pct",
                "number",
                "The share claimed, or the lower end of a range.",
                unit="percent",
                minimum=0,
                maximum=100,
                decimals=1,
            ),
            field(
                "share_high_pct",
                "number",
                "The upper end of a range, or an upper bound ('no more than').",
                unit="percent",
                minimum=0,
                maximum=100,
                decimals=1,
            ),
            field("denominator", "string", "The cost the share is of, in the claimant's terms.", required=True),
            field(
                "basis",
                "string",
                "stated: the share was said; implied: computed from two amounts the claimant gave.",
                required=True,
                enum=["stated", "implied"],
            ),
            field("refers_to_year", "integer", "Year the share describes, where known.", minimum=1990, maximum=2030),
            field("status", "string", "confirmed or unverified.", required=True, enum=["confirmed", "unverified"]),
            field("publisher", "string", "Where the claim was read.", required=True),
            field(
                "source_key",
                "string",
                "Key of the source in references.bib.",
                required=True,
                pattern=r"^[A-Za-z0-9_:-]+$",
            ),
            field("notes", "string", "Context."),
            source_urls(),
        ],
        ["claim_id"],
        sources=[SOURCE_HAND_KEYED],
        licence=LICENCE_PROJECT,
        hand_keyed=True,
    ),
    resource(
        "sma_provisions",
        "What each Special Measures Agreement says beyond the amount",
        "Hand-keyed, long format: one row per agreement and provision (labour share, construction in kind, "
        "lapse, transparency and scope, ratification, term sought, currency). A provision the sources read "
        "do not describe has no row, or a row marked unverified.",
        [
            field("sma_number", "integer", "Number of the agreement.", required=True, minimum=1, maximum=12),
            field(
                "provision",
                "string",
                "Which provision.",
                required=True,
                enum=[
                    "labour_share",
                    "construction_in_kind",
                    "lapse",
                    "transparency",
                    "ratification",
                    "term_sought",
                    "currency",
                ],
            ),
            field(
                "value",
                "number",
                "The provision's number, where it has one.",
                unit="unit",
                minimum=0,
                maximum=100,
                decimals=1,
            ),
            field("unit", "string", "Unit of value."),
            field("text", "string", "The provision in the book's words.", required=True),
            field("status", "string", "confirmed or unverified.", required=True, enum=["confirmed", "unverified"]),
            field(
                "source_key",
                "string",
                "Key of the source in references.bib.",
                required=True,
                pattern=r"^[A-Za-z0-9_:-]+$",
            ),
            field("notes", "string", "Disagreements and context."),
            source_urls(),
        ],
        ["sma_number", "provision"],
        sources=[SOURCE_HAND_KEYED],
        licence=LICENCE_PROJECT,
        hand_keyed=True,
    ),
    resource(
        "sma_negotiations",
        "Special Measures Agreement rounds: the US ask, Korea's offer and the outcome",
        "Hand-keyed. One row per position reported in a round (us_ask, korea_offer, tentative_deal, "
        "outcome), in the unit the report used. Rounds with no reported ask carry an unverified row saying so.",
        [
            field("sma_number", "integer", "Number of the agreement negotiated.", required=True, minimum=1, maximum=12),
            field(
                "stage",
                "string",
                "Which position.",
                required=True,
                enum=["us_ask", "korea_offer", "tentative_deal", "outcome"],
            ),
            field(
                "date",
                "string",
                "When the position was reported or agreed, ISO 8601 (partial).",
                required=True,
                pattern=PARTIAL_DATE_PATTERN,
            ),
            field(
                "for_year",
                "integer",
                "The year the amount is for (the agreement's first year, or its first year of increase).",
                required=True,
                minimum=1991,
                maximum=2030,
            ),
            field(
                "amount",
                "number",
                "The amount, where one was reported.",
                unit="unit",
                minimum=0,
                decimals=1,
                range_by=(
                    "unit",
                    {
                        "USD million": {"minimum": 0, "maximum": MAX_HOSTING_AMOUNT},
                        "KRW billion": {"minimum": 0, "maximum": MAX_HOSTING_AMOUNT},
                        "percent increase": {"minimum": 0, "maximum": 1000},
                        "percent of non-personnel stationing costs": {"minimum": 0, "maximum": 100},
                    },
                ),
            ),
            field(
                "unit",
                "string",
                "Unit of amount.",
                enum=["USD million", "KRW billion", "percent increase", "percent of non-personnel stationing costs"],
            ),
            field("text", "string", "The position in the book's words.", required=True),
            field("status", "string", "confirmed or unverified.", required=True, enum=["confirmed", "unverified"]),
            field(
                "source_key",
                "string",
                "Key of the source in references.bib.",
                required=True,
                pattern=r"^[A-Za-z0-9_:-]+$",
            ),
            field("notes", "string", "Disagreements and context."),
            source_urls(),
        ],
        ["sma_number", "stage", "date"],
        sources=[SOURCE_HAND_KEYED],
        licence=LICENCE_PROJECT,
        hand_keyed=True,
    ),
    resource(
        "alliance_pressure",
        "US pressure around the cost-sharing rounds: troop cuts, exercise halts, troop floors in law, trade",
        "Hand-keyed. Dated events that bore on the negotiations, with the troop floor where a US "
        "defense authorization act set one and whether it bound the use of funds.",
        [
            field(
                "date",
                "string",
                "Date, ISO 8601 (partial where the day is not known).",
                required=True,
                pattern=PARTIAL_DATE_PATTERN,
            ),
            field(
                "kind",
                "string",
                "Kind of pressure.",
                required=True,
                enum=[
                    "law",
                    "troop_reduction",
                    "troop_floor_law",
                    "exercise_suspension",
                    "payment_demand",
                    "trade_pressure",
                    "basing_demand",
                ],
            ),
            field("event", "string", "What happened, in the book's words.", required=True),
            field(
                "troop_floor",
                "integer",
                "Troop level below which the act barred or discouraged reductions.",
                unit="persons",
                minimum=0,
                maximum=100000,
            ),
            field(
                "floor_binding",
                "boolean",
                "True where the act barred the use of funds; false for a statement of support only.",
            ),
            field(
                "bears_on_sma",
                "integer",
                "The agreement being negotiated or in force at the time.",
                required=True,
                minimum=1,
                maximum=12,
            ),
            field("status", "string", "confirmed or unverified.", required=True, enum=["confirmed", "unverified"]),
            field(
                "source_key",
                "string",
                "Key of the source in references.bib.",
                required=True,
                pattern=r"^[A-Za-z0-9_:-]+$",
            ),
            field("notes", "string", "Context and what is not known."),
            source_urls(),
        ],
        ["date", "kind"],
        sources=[SOURCE_HAND_KEYED],
        licence=LICENCE_PROJECT,
        hand_keyed=True,
    ),
]


def resource_spec(name: str) -> dict[str, Any]:
    for spec in RESOURCES:
        if spec["name"] == name:
            return spec
    raise KeyError(f"no table named {name!r} in the catalogue")
