"""The built book in a real browser: every page renders with its images, assets and theme intact."""

from __future__ import annotations

from pathlib import Path

import pytest

from book_build import browser
from paying_for_protection import paths

pytestmark = [
    pytest.mark.book,
    pytest.mark.skipif(browser.chromium_path() is None, reason="Chromium is not installed (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def reports(built_book: Path) -> dict[str, browser.PageReport]:
    pytest.importorskip("playwright")
    return {r.page: r for r in browser.inspect_pages(built_book)}


def test_every_page_in_the_toc_was_rendered(reports):
    assert set(reports) == set(paths.toc_pages())


def test_no_local_asset_fails_to_load(reports):
    failures = {page: r.failed_requests for page, r in reports.items() if r.failed_requests}
    assert not failures, failures


def test_every_image_loads_and_has_real_alt_text(reports):
    broken = {page: r.broken_images for page, r in reports.items() if r.broken_images}
    assert not broken, broken
    without_alt = {page: r.images_without_alt for page, r in reports.items() if r.images_without_alt}
    assert not without_alt, without_alt


def test_theme_renders_one_search_box_a_sidebar_and_the_article(reports):
    for page, r in reports.items():
        assert r.visible_search_fields == 1, f"{page}: {r.visible_search_fields} visible search boxes"
        assert r.has_sidebar and r.has_article, page


def test_figures_stay_legible_in_dark_mode(reports):
    assert all(r.dark_mode_ok for r in reports.values())


def test_no_javascript_errors(reports):
    errors = {page: r.console_errors for page, r in reports.items() if r.console_errors}
    assert not errors, errors
