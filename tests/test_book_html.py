"""The built book: every page exists, no error reaches a page, every figure has real alt text."""

from __future__ import annotations

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


def _article_text(built_book: Path, page: str) -> str:
    soup = BeautifulSoup((built_book / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
    return " ".join((soup.select_one("article") or soup).get_text(" ").split())


def test_history_chapter_carries_the_glued_2026_contribution(built_book: Path):
    from paying_for_protection.data import loaders

    amount = loaders.load_sma_contributions().set_index("year").loc[2026, "amount"]
    text = _article_text(built_book, "chapters/01_history")
    assert f"{amount:,.1f} billion won in 2026" in text


def test_budget_chapter_carries_the_glued_2024_korea_share(built_book: Path):
    from paying_for_protection.data import loaders

    share = loaders.sipri_series("share_of_gdp_pct").loc[2024, "KOR"]
    text = _article_text(built_book, "chapters/02_budget_trends")
    assert f"Korea spent {share:.2f} % of GDP in 2024" in text


def test_every_figure_is_numbered_and_captioned(built_book: Path):
    for name, soup in pages(built_book).items():
        article = soup.select_one("article") or soup
        for figure in article.select("figure"):
            caption = figure.select_one("figcaption")
            assert caption is not None and len(caption.get_text(strip=True)) > 40, (
                f"{name}: a figure without a real caption"
            )
            assert figure.get("id"), f"{name}: a figure without a label"


def test_regression_chapter_headline_coefficient_equals_the_packages(built_book: Path):
    from paying_for_protection.analysis import models

    fit = models.main_model(with_bootstrap=True)
    text = _article_text(built_book, "chapters/03_us_pressure_regression")
    # Values, not sentences: the coefficient as a phrase, and each of its four p-values.
    assert f"{fit.coef('wales_pressure'):.2f} percentage points" in text
    for p in (fit.pvalue("wales_pressure"), fit.jackknife_pvalue("wales_pressure"), fit.wild_bootstrap("wales_pressure")):
        assert f"p = {p:.3f}" in text
    assert f"{fit.nobs:,}" in text and f"{fit.clusters} clusters" in text
    # The landing page pastes the same run's numbers from the chapter (it does not re-estimate).
    landing = _article_text(built_book, "intro")
    assert (
        f"{fit.coef('wales_pressure'):.2f} points of GDP per point of shortfall; wild bootstrap p = {fit.wild_bootstrap('wales_pressure'):.3f}"
        in landing
    )
    assert f"no added effect (p = {fit.wild_bootstrap('trump_pressure'):.3f}" in landing
