"""The regression panel's fixed design: its samples and the timing of the events it codes.

One place for the dates that both the derivation (which builds ``data/panel.csv``) and the
analysis (which labels tables and figures with them) need. Budgets for year t are mostly set in
t-1, so a pledge or an administration first shapes the next year's budget:

* the Wales pledge of September 2014 can first move 2015 budgets;
* the Trump administration's first budgets are those for 2018-2021;
* North Korea's first nuclear test (October 2006) counts from 2007 budgets.

Threat events are dated by the year they happened (Crimea 2014, the full-scale invasion 2022).
"""

from __future__ import annotations

#: The main panel's years, and the start of the longer Cold War window.
MAIN_START, MAIN_END = 1990, 2024
COLD_WAR_START = 1960

#: The Wales pledge: first budget it can shape, and the years its shortfall is measured on.
WALES_FIRST_BUDGET = 2015
WALES_BASE_YEARS = (2011, 2013)

#: The first Trump administration's budget years, and the year its shortfall is measured on.
TRUMP_BUDGETS = (2018, 2021)
TRUMP_BASE_YEAR = 2016

CRIMEA_YEAR = 2014
INVASION_YEAR = 2022

#: North Korea's nuclear programme: first budget after the first test, and the allies it threatens most.
DPRK_FIRST_BUDGET = 2007
DPRK_EXPOSED = {"KOR", "JPN"}
