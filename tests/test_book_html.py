"""The built book: every page exists, no error reaches a page, every figure has real alt text."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from paying_for_protection import paths

pytestmark = pytest.mark.book


def toc_files() -> list[str]:
    return paths.toc_pages()


def pages(built_book: Path) -> dict[str, BeautifulSoup]:
    return {
        name: BeautifulSoup((built_book / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
        for name in toc_files()
    }


def test_every_page_in_the_table_of_contents_was_built(built_book: Path):
    for name in toc_files():
        assert (built_book / f"{name}.html").is_file(), name


def test_no_error_output_or_traceback_reaches_a_page(built_book: Path):
    for name, soup in pages(built_book).items():
        article = soup.select_one("article") or soup
        text = article.get_text(" ")
        assert "Traceback (most recent call last)" not in text, name
        assert not article.select(".output.traceback, .output.error, .output.stderr"), name
        for pattern in [r"\bDataValidationError\b", r"\bWarning:", r"\bError:\s", r"nan\s*%"]:
            assert not re.search(pattern, text), f"{name}: {pattern!r} found in the page text"


def test_every_image_has_real_alt_text(built_book: Path):
    checked = 0
    for name, soup in pages(built_book).items():
        article = soup.select_one("article") or soup
        for img in article.find_all("img"):
            alt = (img.get("alt") or "").strip()
            checked += 1
            assert alt, f"{name}: image {img.get('src')} has no alt text"
            assert not re.search(r"\.(png|svg|jpe?g|gif)$", alt, re.I), f"{name}: alt text is a file path: {alt}"
            assert "_images/" not in alt and not alt.startswith("../"), f"{name}: alt text is a path: {alt}"
            assert len(alt.split()) >= 8, f"{name}: alt text too short to describe the figure: {alt!r}"
    assert checked >= 10  # the chapters' figures were found at all


def test_glued_values_are_filled_in(built_book: Path):
    # An unresolved glue role leaves its key in the page; a failed glue leaves nothing at all.
    for name, soup in pages(built_book).items():
        article = soup.select_one("article") or soup
        assert "{glue" not in article.get_text(), name


def _plain(text: str) -> str:
    """Text with Sphinx's typographic quotes made straight and every run of spaces one space."""
    for curly, straight in (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"')):
        text = text.replace(curly, straight)
    return " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())


@functools.cache
def _article_text(built_book: Path, page: str) -> str:
    soup = BeautifulSoup((built_book / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
    return _plain((soup.select_one("article") or soup).get_text(" "))


def _shown(value: float, text: str, decimals: range = range(0, 4)) -> bool:
    """Whether the page shows ``value`` at some precision (the chapter chooses it, not this test)."""
    return any(re.search(rf"(?<![\d.,]){re.escape(f'{value:,.{d}f}')}(?![\d])", text) for d in decimals)


def _numbers(built_book: Path) -> dict[str, dict]:
    listed = json.loads((built_book / "numbers.json").read_text(encoding="utf-8"))
    return {f"{n['page']}::{n['key']}": n for n in listed["numbers"]}


def test_history_chapter_shows_the_2026_contribution_from_the_data(built_book: Path):
    from paying_for_protection.data import loaders

    amount = loaders.load_sma_contributions().set_index("year").loc[2026, "amount"]
    assert _shown(amount, _article_text(built_book, "chapters/01_history"), range(1, 3))


def test_budget_chapter_shows_koreas_2024_share_of_gdp_from_the_data(built_book: Path):
    from paying_for_protection.data import loaders

    share = loaders.sipri_series("share_of_gdp_pct").loc[2024, "KOR"]
    assert _shown(share, _article_text(built_book, "chapters/02_budget_trends"), range(1, 3))


def test_every_number_a_page_prints_is_in_its_text(built_book: Path):
    checked = 0
    for entry in _numbers(built_book).values():
        for use in entry["printed_on"]:
            if "<" in use["text"] or "[" in use["text"]:
                continue  # Markdown or HTML, rendered rather than printed as is
            assert _plain(use["text"]) in _article_text(built_book, use["page"]), (use, entry["key"])
            checked += 1
    assert checked > 200


def test_regression_chapter_and_landing_page_show_the_packages_estimates(built_book: Path):
    from paying_for_protection.analysis import models

    fit = models.main_model(with_bootstrap=True)
    chapter = _article_text(built_book, "chapters/03_us_pressure_regression")
    landing = _article_text(built_book, "intro")
    for value in (fit.coef("wales_pressure"), fit.wild_bootstrap("wales_pressure")):
        assert _shown(value, chapter, range(2, 4)) and _shown(value, landing, range(2, 4)), value
    assert f"{fit.nobs:,}" in chapter
    # The landing page pastes the chapter's own values (it does not estimate again).
    numbers = _numbers(built_book)
    for key in ("wales_points", "wales_p_boot"):
        printed = {u["page"]: u["text"] for u in numbers[f"chapters/03_us_pressure_regression::{key}"]["printed_on"]}
        assert printed["intro"] == printed["chapters/03_us_pressure_regression"], key


def test_every_figure_is_numbered_and_captioned(built_book: Path):
    for name, soup in pages(built_book).items():
        article = soup.select_one("article") or soup
        for figure in article.select("figure"):
            caption = figure.select_one("figcaption")
            assert caption is not None and len(caption.get_text(strip=True)) > 40, (
                f"{name}: a figure without a real caption"
            )
            assert figure.get("id"), f"{name}: a figure without a label"
