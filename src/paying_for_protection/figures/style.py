"""One look for every figure in the book.

Chapters call :func:`use_house_style` once (in a hidden setup cell). Colours for countries and
aggregates are fixed here so that Korea is the same colour in every chart of every chapter. The
palette is Paul Tol's colour-blind-safe 'muted' scheme; figures have an opaque white background
so they stay legible in the theme's dark mode.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd

STYLE_PATH = Path(__file__).with_name("paying-for-protection.mplstyle")

#: Colour of each country or aggregate, the same in every chart.
COLORS: dict[str, str] = {
    "KOR": "#882255",  # wine: the book's subject, always the strongest colour
    "USA": "#332288",  # indigo
    "JPN": "#44AA99",  # teal
    "DEU": "#999933",  # olive
    "GBR": "#88CCEE",  # cyan
    "FRA": "#DDCC77",  # sand
    "POL": "#AA4499",  # purple
    "NATO_EUROPE": "#117733",  # green
    "WORLD": "#555555",  # dark grey
    "OTHER": "#BBBBBB",  # light grey: context lines
}

#: Colours for the status of a data point (agreed, derived from a rule, projected).
STATUS_COLORS = {"agreed": "#882255", "derived-from-rule": "#DDCC77", "projection": "#888888"}

#: Colours for event categories in the timeline.
CATEGORY_COLORS = {
    "agreement": "#882255",
    "negotiation": "#DDCC77",
    "politics": "#332288",
    "trade": "#117733",
    "military": "#88CCEE",
}


def use_house_style() -> None:
    """Apply the house style sheet to every later figure in the session, and show figures as
    vector graphics: SVG on screens (sharp at any zoom, on any pixel density) and PDF for the
    printed book (myst-nb picks one per builder: ``nb_mime_priority_overrides`` in _config.yml)."""
    plt.style.use(STYLE_PATH)
    # Text stays text in the SVG: smaller files, selectable and searchable labels, and its size
    # can be checked in the browser (book_build.browser).
    mpl.rcParams["svg.fonttype"] = "none"
    _show_figures_as_vectors()


#: Formats of a displayed figure, with metadata that keeps the files identical from build to build
#: (matplotlib otherwise stamps the current date into both).
VECTOR_FORMATS = {"image/svg+xml": ("svg", {"Date": None}), "application/pdf": ("pdf", {"CreationDate": None})}


def figure_bytes(fig: mpl.figure.Figure, fmt: str, metadata: dict) -> bytes:
    """One figure as SVG or PDF, cut to its drawn area as the inline backend does."""
    import io

    buffer = io.BytesIO()
    fig.canvas.print_figure(buffer, format=fmt, bbox_inches="tight", metadata=metadata)
    return buffer.getvalue()


def _show_figures_as_vectors() -> None:
    """In a Jupyter kernel, display (and glue) figures as SVG and PDF instead of PNG."""
    import base64

    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:  # a plain Python session: nothing is displayed
        return
    # In a Jupyter kernel the inline backend sets PNG as the figure format when its module is first
    # imported, which would otherwise happen at the first figure, after (and over) the settings
    # below: import it now, so that ours are the last word.
    try:
        import matplotlib_inline.backend_inline  # noqa: F401
    except ImportError:
        pass
    formatters = shell.display_formatter.formatters
    formatters["image/png"].pop(mpl.figure.Figure, None)
    svg_format, svg_meta = VECTOR_FORMATS["image/svg+xml"]
    formatters["image/svg+xml"].for_type(
        mpl.figure.Figure,
        lambda fig: (figure_bytes(fig, svg_format, svg_meta).decode("utf-8"), download_metadata(fig)),
    )
    pdf_format, pdf_meta = VECTOR_FORMATS["application/pdf"]
    # Binary outputs travel in a notebook as base64 text, as IPython's own PDF formatter expects.
    formatters["application/pdf"].for_type(
        mpl.figure.Figure, lambda fig: base64.b64encode(figure_bytes(fig, pdf_format, pdf_meta)).decode("ascii")
    )


#: Key of a book figure's name and data in the metadata of its displayed SVG (read by the build,
#: which offers both for download beside the figure: book_build.site.figure_downloads).
DOWNLOAD_KEY = "paying_for_protection/figure"


def finished(fig: mpl.figure.Figure) -> mpl.figure.Figure:
    """The last step of every plotting function: record what the figure plots and close it.

    ``fig.plotted`` is :func:`.plotted.plotted_data` of the figure as drawn (the CSV a reader
    downloads). Closing it before it is returned makes a chapter cell that ends in ``fig`` show it
    once: left open, the inline backend would show it again at the end of the cell, giving two
    outputs under one figure label. A closed figure still displays as a cell's value.
    """
    from .plotted import plotted_data

    fig.plotted = plotted_data(fig)
    plt.close(fig)
    return fig


def download_metadata(fig: mpl.figure.Figure) -> dict:
    """The output metadata that carries a named book figure's data to the build ({} for others)."""
    name = getattr(fig, "book_name", None)
    plotted = getattr(fig, "plotted", None)
    if name is None or plotted is None:
        return {}
    return {DOWNLOAD_KEY: {"name": name, "csv": plotted.to_csv(index=False, lineterminator="\n")}}


def color_for(key: str) -> str:
    """The fixed colour of a country (ISO3) or aggregate; light grey for anything else.

    NATO Europe's median and aggregate (keys starting ``NATO_EUROPE``) share NATO Europe's colour.
    """
    if key.startswith("NATO_EUROPE"):
        return COLORS["NATO_EUROPE"]
    return COLORS.get(key, COLORS["OTHER"])


def label_line_ends(
    ax: plt.Axes,
    series: Iterable[tuple[str, pd.Series, str]],
    min_gap: float | None = None,
    fmt: str = "{label}",
    at_x: float | None = None,
) -> None:
    """Write each line's label at its last point, so the chart reads without a legend.

    ``series`` yields (label, values indexed by x, colour). Labels that would overlap are pushed
    apart vertically by at least ``min_gap`` (default: 4.5 % of the y range; a label of two lines
    needs about twice that). ``at_x`` puts every label at that x instead of its line's last point
    (past a marker that follows the lines, say).
    """
    items = []
    for label, values, colour in series:
        values = values.dropna()
        if values.empty:
            continue
        items.append([values.index[-1] if at_x is None else at_x, float(values.iloc[-1]), label, colour])
    if not items:
        return
    # De-overlap in the axis's own scale (log axes in log units), then place the labels.
    log = ax.get_yscale() == "log"
    to_axis = (lambda v: math.log10(v)) if log else (lambda v: v)
    from_axis = (lambda v: 10**v) if log else (lambda v: v)
    low, high = (to_axis(v) for v in ax.get_ylim())
    gap = min_gap if min_gap is not None else 0.045 * (high - low)
    items.sort(key=lambda item: item[1])
    previous = None
    for x, y, label, colour in items:
        y = to_axis(y)
        if previous is not None and y - previous < gap:
            y = previous + gap
        previous = y
        ax.annotate(
            fmt.format(label=label),
            xy=(x, from_axis(y)),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            color=colour,
            fontsize=10.5,
            fontweight="bold",
            annotation_clip=False,
        )
