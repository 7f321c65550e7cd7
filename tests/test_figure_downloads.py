"""Every figure of the built book offers its image and the data it plots, and that data is what
the figure draws from the book's data (recomputed here through the figure registry)."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import urljoin

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from book_build import figure_downloads
from paying_for_protection import book_figures, paths


def _figures_by_page(site: Path) -> dict[str, list]:
    found = {}
    for page in paths.toc_pages():
        soup = BeautifulSoup((site / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
        figures = soup.select("article figure[id^=fig-]")
        if figures:
            found[page] = figures
    return found


@pytest.mark.book
def test_every_figure_on_every_page_links_its_image_and_its_data_and_both_resolve(built_book):
    by_page = _figures_by_page(built_book)
    names = {figure["id"] for figures in by_page.values() for figure in figures}
    assert names == set(book_figures.FIGURES), names ^ set(book_figures.FIGURES)
    for page, figures in by_page.items():
        page_url = f"{page}.html"
        for figure in figures:
            line = figure.select_one(f"figcaption p.{figure_downloads.CSS_CLASS}")
            assert line is not None, f"{page}: {figure['id']} offers no download"
            links = {a.get_text(): a["href"] for a in line.find_all("a")}
            assert list(links) == ["image", "data (CSV)"], links
            for text, href in links.items():
                target = built_book / urljoin(page_url, href)
                assert target.is_file(), f"{page}: {figure['id']}'s {text} link {href} leads nowhere"
            assert links["image"].endswith(f"figures/{figure['id']}.svg")
            assert links["data (CSV)"].endswith(f"figures/{figure['id']}.csv")
            # The image offered is the figure as drawn: an opaque SVG with its text as text.
            svg = (built_book / urljoin(page_url, links["image"])).read_text(encoding="utf-8")
            assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "<text" in svg


@pytest.mark.book
@pytest.mark.slow
def test_each_figure_s_csv_is_exactly_the_data_its_plot_function_draws_from_the_book_s_data(built_book):
    """Recomputes every figure from the registry's inputs: a chapter whose figure drifted from its
    registry entry (other frames, other arguments) fails here, as would a CSV that is not what
    the figure plots."""
    from paying_for_protection.figures import style

    style.use_house_style()
    for name, entry in book_figures.FIGURES.items():
        expected = entry.draw_from_data().plotted
        offered = pd.read_csv(built_book / figure_downloads.FOLDER / f"{name}.csv")
        assert list(offered.columns) == list(expected.columns), name
        assert list(offered.columns[:3]) == ["panel", "series", "kind"] and "x" in offered.columns, name
        # The same rows in the same order, with the same labels; numbers equal to within 1e-4,
        # relative or in the figure's units, far below what a figure can show. They are not
        # bit-identical: the chapter's kernel and this process add in another order, which moves
        # the last digits of a regression and, through the optimiser, the sixth digit of the
        # synthetic controls' placebo gaps (measured: 3e-6 at most).
        expected = pd.read_csv(io.StringIO(expected.to_csv(index=False)))
        pd.testing.assert_frame_equal(offered, expected, check_exact=False, rtol=1e-4, atol=1e-4, obj=name)


# --- the post-render step on a small site ---------------------------------------------------------------

PAGE = """<html><body><article>
<figure class="align-default" id="fig-one">
<img alt="a chart" src="../_images/abc.svg" />
<figcaption>
<p><span class="caption-number">Fig. 1 </span><span class="caption-text">One.</span></p>
</figcaption>
</figure>
</article></body></html>
"""


def _notebook(*names):
    from paying_for_protection.figures.style import DOWNLOAD_KEY

    outputs = [
        {
            "output_type": "display_data",
            "data": {"image/svg+xml": f"<svg>{name}</svg>", "text/plain": "<Figure>"},
            "metadata": {"image/svg+xml": {DOWNLOAD_KEY: {"name": name, "csv": f"panel,x\\n{name},1\\n"}}},
        }
        for name in names
    ]
    return {"cells": [{"cell_type": "code", "source": "", "outputs": outputs}]}


def _site(tmp_path):
    site = tmp_path / "site"
    (site / "chapters").mkdir(parents=True)
    (site / "chapters" / "one.html").write_text(PAGE, encoding="utf-8")
    return site


def test_the_step_writes_each_figure_s_files_and_links_them_under_its_caption(tmp_path):
    site = _site(tmp_path)
    found = figure_downloads.add_downloads(
        site, {str(tmp_path / "chapters" / "one.md"): _notebook("fig-one")}, tmp_path
    )
    assert found == {"chapters/one": ["fig-one"]}
    assert (site / "figures" / "fig-one.svg").read_text() == "<svg>fig-one</svg>"
    assert (site / "figures" / "fig-one.csv").read_text() == "panel,x\\nfig-one,1\\n"
    page = (site / "chapters" / "one.html").read_text()
    caption = page[page.index("<figcaption>") : page.index("</figcaption>")]
    assert 'href="../figures/fig-one.svg"' in caption and 'href="../figures/fig-one.csv"' in caption


def test_the_step_fails_on_a_figure_its_page_does_not_show_and_on_two_figures_with_one_name(tmp_path):
    site = _site(tmp_path)
    chapter = str(tmp_path / "chapters" / "one.md")
    with pytest.raises(figure_downloads.FigureNotOnPage, match="fig-two"):
        figure_downloads.add_downloads(site, {chapter: _notebook("fig-two")}, tmp_path)
    with pytest.raises(ValueError, match="two figures are named 'fig-one'"):
        figure_downloads.add_downloads(_site(tmp_path / "again"), {chapter: _notebook("fig-one", "fig-one")}, tmp_path)
