"""Sentences as a reader sees them in the built book: no garbled numbers, no leftover markup.

Whole-phrase formatters and claim guards prevent these defects at their source; this scan of every
built page is the net behind them. Each pattern is a kind of defect a careful reading of the book
once found ("p = = 0.080", "fell by -2.00", "0 of the 8", "7 of ten", "[2022] [Flynn, 2026]").
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from paying_for_protection import paths

_NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten"

#: Defect -> pattern over a page's visible article text (code excluded).
DEFECTS = {
    "a doubled operator": r"[=<>≤≥]\s*[=<>≤≥]",
    "an operator with nothing after it": r"(?<![\w-])[pP]\s*[=<>](?!\s*[\d.−-])",
    "a signed number after a verb of change": r"\b(?:fell|rose|grew|declined|increased|decreased|dropped|shrank|climbed|jumped) by\s*[+\-−]\s*\d",
    "a signed number after 'a change of'": r"\ba change of\s*[+\-−]\s*\d",
    "'0 of' instead of 'none of'": r"(?<![\d.,])\b0 of\b",
    "digits and words mixed in one count": rf"\b\d+ of (?:the )?(?:{_NUMBER_WORDS})\b|\b(?:{_NUMBER_WORDS}) of (?:the )?\d+\b",
    "an unresolved MyST role": r"\{(?:glue|cite|ref|numref|term|download|doc)[:a-z]*\}",
    "a value that is missing": r"\bnan\b|\bNaN\b|\bn/a\b|\bNone\b(?!\s+(?:of|has|have|is|was|were|had|but)\b)",
    "a range of years written with a hyphen": r"\b(?:19|20)\d\d-(?:19|20)\d\d\b",
    "a range of numbers written with a hyphen": r"\b\d+(?:\.\d+)?-\d+(?:\.\d+)?\s?%",
    "two citations run together": r"\]\s*\[\s*(?=[A-Z][^\]]*\d{4}\s*\])",
    "a signed number written with a hyphen-minus in prose": r"(?:^|[\s(])-\d+(?:\.\d+)?(?=[\s,;.)%])",
}


#: Checked in the book's own prose only: tables quote data as transcribed, and reference lists quote
#: the titles and addresses of other people's work.
PROSE_ONLY = {
    "a range of years written with a hyphen",
    "a range of numbers written with a hyphen",
    "a signed number written with a hyphen-minus in prose",
}


def _visible_text(page: Path, prose_only: bool = False) -> str:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article") or soup
    hidden = "pre, code, script, style, .highlight, .cell_input, details"
    if prose_only:
        hidden += ", table, section#references, dl.citation, div.citation, .bibliography"
    for element in article.select(hidden):
        element.decompose()
    text = article.get_text(" ").replace("\xa0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text)


def _pages(built_book: Path) -> list[Path]:
    return [built_book / f"{page}.html" for page in paths.toc_pages()]


@pytest.mark.book
@pytest.mark.parametrize("defect", sorted(DEFECTS))
def test_no_page_garbles_its_numbers(built_book: Path, defect: str):
    found = []
    for page in _pages(built_book):
        if defect in PROSE_ONLY and page.stem == "zreferences":
            continue
        text = _visible_text(page, prose_only=defect in PROSE_ONLY)
        for match in re.finditer(DEFECTS[defect], text):
            found.append(f"{page.relative_to(built_book)}: …{text[max(0, match.start() - 60) : match.end() + 30]}…")
    assert not found, f"{len(found)} place(s) with {defect}:\n" + "\n".join(found[:12])


@pytest.mark.parametrize(
    ("defect", "garbled", "clean"),
    [
        ("a doubled operator", "clustered p = = 0.080", "clustered p = 0.080"),
        ("an operator with nothing after it", "puts its p = at zero", "puts it at p = 0.112"),
        ("a signed number after a verb of change", "fell by -2.00 log points", "fell by 2.00 log points"),
        ("a signed number after 'a change of'", "a change of -0.42 points", "a change of 0.42 points"),
        ("'0 of' instead of 'none of'", "(0 of the 8 pre-pledge intervals)", "none of the eight intervals"),
        ("digits and words mixed in one count", "7 of ten years", "seven of the ten years"),
        ("an unresolved MyST role", "about {glue:text}`x` troops", "about 28,500 troops"),
        ("a value that is missing", "a share of nan %", "a share of 2.6 %"),
        ("a range of years written with a hyphen", "in 2018-2021", "in 2018–2021"),
        ("a range of numbers written with a hyphen", "between 1.3-3.8 %", "between 1.3 and 3.8 %"),
        ("two citations run together", "Allen et al. [2022] [Flynn, 2026]", "Allen et al. [2022]"),
        (
            "a signed number written with a hyphen-minus in prose",
            "a coefficient of -0.42, small",
            "a coefficient of −0.42",
        ),
    ],
)
def test_each_pattern_catches_its_defect_and_spares_clean_text(defect: str, garbled: str, clean: str):
    # The scan would prove nothing if a pattern matched nothing, or everything.
    assert re.search(DEFECTS[defect], garbled), f"{defect!r} misses {garbled!r}"
    assert not re.search(DEFECTS[defect], clean), f"{defect!r} flags clean text {clean!r}"
