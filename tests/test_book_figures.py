"""Every figure of the book reads at its house size, and the data it offers is what it draws.

The registry (``paying_for_protection.book_figures``) is what the chapters draw their figures
through, so drawing each entry from its inputs here checks the figures the book shows; a test of
the built book (test_figure_downloads) compares the data each page offers with these drawings.
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from paying_for_protection import book_figures, paths
from paying_for_protection.figures import legibility, plotted, style

FIGURE_CELL = re.compile(r"```\{code-cell\}[^\n]*\n---\n(?P<meta>.*?)\n---\n(?P<code>.*?)```", re.S)


def _chapter_figures() -> dict[str, tuple[str, str]]:
    """Each figure label in a chapter's cell metadata: (chapter, the cell's code)."""
    found = {}
    for chapter in [*sorted((paths.ROOT / "chapters").glob("*.md")), paths.ROOT / "intro.md"]:
        for cell in FIGURE_CELL.finditer(chapter.read_text(encoding="utf-8")):
            for name in re.findall(r"^\s+name: (fig-[\w-]+)$", cell["meta"], re.M):
                found[name] = (chapter.relative_to(paths.ROOT).as_posix(), cell["code"])
    return found


def test_every_figure_of_the_book_is_registered_and_drawn_through_its_entry():
    chapters = _chapter_figures()
    assert set(chapters) == set(book_figures.FIGURES), set(chapters) ^ set(book_figures.FIGURES)
    for name, (chapter, code) in chapters.items():
        assert book_figures.FIGURES[name].chapter == chapter, name
        # The cell draws this entry, not the plotting function directly nor another entry.
        assert re.findall(r'book_figures\.draw\(\s*"(fig-[\w-]+)"', code) == [name], (name, code)


@pytest.fixture(scope="module", autouse=True)
def house_style():
    style.use_house_style()
    yield
    plt.close("all")


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(book_figures.FIGURES))
def test_every_book_figure_is_legible_at_the_column_width_without_colliding_text(name):
    fig = book_figures.FIGURES[name].draw_from_data()
    assert fig.book_name == name
    px, text = legibility.smallest_text_px(fig)
    assert px >= legibility.MIN_TEXT_PX, f"{name}: smallest text {px:.1f} px ({text})"
    assert not legibility.collisions(fig), legibility.collisions(fig)
    assert not legibility.outside(fig), legibility.outside(fig)
    # Every point it draws is in its data, under a named series.
    assert len(fig.plotted) > 0 and fig.plotted["series"].notna().all()


# --- the checker itself --------------------------------------------------------------------------------


def _figure(**text_kwargs):
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.plot([2000, 2010, 2020], [1, 3, 2], label="Korea")
    ax.set(title="A title", xlabel="year", ylabel="share of GDP, %")
    ax.legend(loc="upper left")
    return fig, ax


def test_the_checker_passes_a_clean_figure():
    fig, _ = _figure()
    assert legibility.problems(fig) == []


def test_the_checker_finds_two_labels_printed_over_each_other():
    fig, ax = _figure()
    ax.annotate("trade deal", (2010, 2), fontsize=11)
    ax.annotate("tariff threat", (2010.5, 2.05), fontsize=11)
    found = legibility.collisions(fig)
    assert found == ["annotation 'trade deal' overlaps annotation 'tariff threat'"], found


def test_the_checker_finds_a_label_over_the_legend_and_one_over_the_tick_labels():
    fig, ax = _figure()
    ax.annotate("Korea's line", (2000, 3.0), fontsize=11)  # where the legend sits
    ax.annotate(
        "below the axis",
        (2010, 0),
        xycoords=ax.get_xaxis_transform(),  # on the x axis itself, among its tick labels
        xytext=(0, -12),
        textcoords="offset points",
        ha="center",
        fontsize=11,
        annotation_clip=False,
    )
    found = legibility.collisions(fig)
    assert any("legend text 'Korea'" in line and "Korea's line" in line for line in found), found
    assert any("x tick label '2010" in line and "below the axis" in line for line in found), found


def test_the_checker_ignores_tick_labels_outside_the_view():
    """Matplotlib keeps labels for ticks beyond the axis limits but does not draw them."""
    fig, ax = _figure()
    ax.set_xlim(2001, 2019)
    drawn = {t.text for t in legibility.drawn_texts(fig) if t.kind == "x tick label"}
    assert drawn and not any(t.startswith(("2000", "2020")) for t in drawn)


def test_the_checker_finds_text_off_the_figure_and_text_too_small():
    fig, ax = _figure()
    ax.annotate("a long label placed past the right edge", (2020, 2), xytext=(300, 0), textcoords="offset points")
    ax.set_ylabel("share of GDP, %", fontsize=6)
    found = legibility.problems(fig)
    assert any("runs off the figure" in line for line in found), found
    assert any(line.startswith("smallest text") and "share of GDP" in line for line in found), found


# --- what a figure plots -------------------------------------------------------------------------------


def test_plotted_data_reads_lines_points_bars_ranges_and_bands_in_data_units():
    fig, (left, right) = plt.subplots(1, 2)
    left.plot([1, 2, 3], [10.0, 20.0, 30.0], label="line")
    left.scatter([1, 2], [11.0, 21.0], label="points")
    left.fill_between([1, 2, 3], [5, 6, 7], [15, 16, 17], label="band")
    left.axhline(0, color="black")  # a reference line: not data
    left.axvspan(1, 2, color="grey")  # a shaded span: not data
    left.set_title("Left", loc="left")
    right.bar([2000, 2001], [3.0, 4.0], bottom=[1.0, 1.0], label="bars")
    plotted.name_series(right.vlines([2000.5], [1.0], [2.0]), "range")
    data = plotted.plotted_data(fig)
    line = data[data["series"] == "line"]
    assert line[["x", "y"]].values.tolist() == [[1, 10], [2, 20], [3, 30]]
    assert set(line["panel"]) == {"Left"} and set(line["kind"]) == {"line"}
    assert data[data["series"] == "points"][["x", "y"]].values.tolist() == [[1, 11], [2, 21]]
    band = data[data["series"] == "band"]
    assert band[["x", "y_low", "y_high"]].values.tolist() == [[1, 5, 15], [2, 6, 16], [3, 7, 17]]
    bars = data[data["series"] == "bars"]
    assert bars[["x", "y", "y_low"]].values.tolist() == [[2000, 4, 1], [2001, 5, 1]]
    assert set(bars["panel"]) == {"panel 2"}
    assert data[data["series"] == "range"][["x", "y_low", "y_high"]].values.tolist() == [[2000.5, 1, 2]]
    assert set(data["series"]) == {"line", "points", "band", "bars", "range"}
    plt.close(fig)


def test_plotted_data_names_categories_and_dates():
    fig, ax = plt.subplots()
    plotted.name_series(ax.scatter(pd.to_datetime(["2019-03-08", "2021-04-08"]), [0, 1]), "events")
    ax.set_yticks([0, 1], ["agreement", "negotiation"])
    data = plotted.plotted_data(fig)
    assert data["x"].tolist() == ["2019-03-08", "2021-04-08"]
    assert data["category"].tolist() == ["agreement", "negotiation"]
    plt.close(fig)


def test_a_data_artist_without_a_name_is_an_error():
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    with pytest.raises(plotted.UnnamedSeries, match="Line2D"):
        plotted.plotted_data(fig)
    plt.close(fig)


def test_a_figure_records_its_data_and_a_named_one_hands_it_to_the_build():
    entry = book_figures.FIGURES["fig-nato-lens"]
    fig = entry.draw_from_data()
    metadata = style.download_metadata(fig)[style.DOWNLOAD_KEY]
    assert metadata["name"] == "fig-nato-lens"
    from io import StringIO

    pd.testing.assert_frame_equal(pd.read_csv(StringIO(metadata["csv"])), fig.plotted, check_dtype=False)
    unnamed = entry.plot(*entry.inputs()[0])
    assert style.download_metadata(unnamed) == {}


def test_the_registry_is_drawn_by_the_chapters_only_through_draw():
    """No chapter calls a plotting function directly (it would escape the legibility test)."""
    for chapter in sorted(Path(paths.ROOT / "chapters").glob("*.md")):
        assert not re.search(r"_figures\.plot_\w+\(", chapter.read_text(encoding="utf-8")), chapter
