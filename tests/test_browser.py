"""The built book in a real browser, as readers see it: every page at 1400 px and 390 px wide, in
light and dark mode, renders with its images, assets and theme intact, fits the screen, passes an
axe-core accessibility audit, and shows figures that are legible and can be enlarged."""

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
    pytest.importorskip("axe_playwright_python")
    return {r.page: r for r in browser.inspect_pages(built_book)}


def test_every_page_in_the_toc_was_rendered_in_four_views(reports):
    assert set(reports) == set(paths.toc_pages())
    for page, r in reports.items():
        assert {(v.width, v.scheme) for v in r.views} == {(w, s) for w in browser.WIDTHS for s in browser.SCHEMES}, page
        # The theme really switched: the dark views are dark, the light ones light.
        assert all(v.applied_theme == v.scheme for v in r.views), (page, [(v.scheme, v.applied_theme) for v in r.views])


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


def test_no_page_is_wider_than_the_screen(reports):
    """Nothing scrolls the page sideways, on a phone either: wide tables scroll in their own box."""
    wide = {
        f"{page} {v.width} {v.scheme}": f"{v.overflow_px} px: {v.too_wide}"
        for page, r in reports.items()
        for v in r.views
        if v.overflow_px > 0
    }
    assert not wide, wide


def test_no_serious_or_critical_accessibility_violation_in_light_or_dark_mode(reports):
    found = {
        f"{page} {v.width} {v.scheme}": v.accessibility
        for page, r in reports.items()
        for v in r.views
        if v.accessibility
    }
    assert not found, found


def test_figures_are_vector_graphics_and_stay_opaque_in_dark_mode(reports):
    figures = {src for r in reports.values() for v in r.views for src in v.figure_text_px}
    assert len(figures) >= 10, "the chapters' SVG figures were not found"
    transparent = {page: r.transparent_figures for page, r in reports.items() if r.transparent_figures}
    assert not transparent, transparent


def test_every_figure_can_be_enlarged(reports):
    stuck = {page: r.not_enlargeable for page, r in reports.items() if r.not_enlargeable}
    assert not stuck, stuck


def test_every_page_says_when_it_last_changed(reports):
    for page, r in reports.items():
        assert r.last_updated.startswith("Last updated"), f"{page}: {r.last_updated!r}"


def test_no_javascript_errors(reports):
    errors = {page: r.console_errors for page, r in reports.items() if r.console_errors}
    assert not errors, errors


@pytest.fixture(scope="module")
def charts(built_book: Path) -> list[browser.ChartView]:
    pytest.importorskip("playwright")
    # The budget chapter has the interactive chart; the landing page, none (its errors are the
    # theme's own, the baseline the chart must not add to).
    return browser.inspect_charts(built_book, ["chapters/02_budget_trends", "intro"])


def test_the_interactive_chart_renders_offline_in_light_and_dark_mode_and_responds(charts):
    shown = [v for v in charts if v.page == "chapters/02_budget_trends"]
    assert {v.scheme for v in shown} == set(browser.SCHEMES)
    for view in shown:
        # Every request went to the site itself (any other was blocked and recorded).
        assert view.other_hosts == [], (view.scheme, view.other_hosts)
        # One chart, drawing a line for each series of the allies figure's data.
        assert view.charts == 1 and view.traces == [10], (view.scheme, view.traces, view.document, view.loads)
        # Hovering names the year's values; a click on a legend entry hides that line.
        assert "South Korea" in view.hover_text and "%" in view.hover_text, view.hover_text
        assert view.traces_after_legend_click == 9, view.traces_after_legend_click
        baseline = next(v for v in charts if v.page == "intro" and v.scheme == view.scheme)
        added = set(view.console_errors) - set(baseline.console_errors)
        assert not added, (view.scheme, added)
