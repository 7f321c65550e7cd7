"""An interactive rendition of a book figure for the web page, with the static figure for print.

Where a reader would rather explore than read (Korea's military burden among its allies over
three decades: the value of any line in any year, one country against another), the web page
shows a plotly chart; the PDF, and anything else that cannot run JavaScript, shows the house-style
figure. :class:`Explorable` is one cell output offering both: HTML for the web page, the static
figure's SVG and PDF for everything else (myst-nb picks by builder: its LaTeX builder never uses
HTML). The static figure keeps its name and data, so its downloads are offered as for any figure.

plotly's JavaScript is not written into the page: the build serves the copy that comes with the
installed plotly from the site's own ``_static`` folder (book_build.sphinx_ext), so the chart
works offline and nothing is fetched from a CDN.
"""

from __future__ import annotations

import html

import matplotlib as mpl
import pandas as pd

from .style import VECTOR_FORMATS, color_for, download_metadata, figure_bytes

#: The class of the box around every interactive chart (styled in _static/custom.css; the build
#: looks for it to know which pages need plotly's JavaScript).
CSS_CLASS = "pfp-interactive"


def allies_explorer(static: mpl.figure.Figure, shares: pd.DataFrame, labels: dict[str, str]) -> Explorable:
    """Military burden (% of GDP) of each column of ``shares`` by year, Korea emphasised, as the
    web rendition of ``static`` (the book's figure of the same frame).

    Hovering shows every line's value in that year; clicking a name in the legend hides or shows
    its line, and a double click shows it alone.
    """
    import plotly.graph_objects as go

    fig = go.Figure()
    for key in shares.columns:
        values = shares[key].dropna()
        dash = "dot" if key == "WORLD" else ("dash" if key == "NATO_EUROPE_MEDIAN" else "solid")
        fig.add_trace(
            go.Scatter(
                x=values.index.astype(int).tolist(),
                y=values.round(2).tolist(),
                name=labels[key],
                mode="lines",
                line={"color": color_for(key), "width": 4 if key == "KOR" else 2, "dash": dash},
                hovertemplate="%{y:.2f} %<extra>" + html.escape(labels[key]) + "</extra>",
            )
        )
    fig.update_layout(
        template="simple_white",
        font={"family": "DejaVu Sans, sans-serif", "size": 14, "color": "#222222"},
        paper_bgcolor="white",
        plot_bgcolor="white",
        height=600,
        margin={"l": 70, "r": 20, "t": 20, "b": 40},
        hovermode="x unified",
        # Below the plot, in rows: on a phone a legend beside it would leave the lines no room.
        legend={
            "title": {"text": "click to hide or show:", "side": "top"},
            "itemdoubleclick": "toggleothers",
            "orientation": "h",
            "yanchor": "top",
            "y": -0.15,
            "x": 0,
        },
        xaxis={"title": {"text": "year"}, "showgrid": False},
        yaxis={"title": {"text": "military expenditure, % of GDP"}, "rangemode": "tozero", "gridcolor": "#dddddd"},
    )
    names = [labels[key] for key in shares.columns]
    description = "Interactive line chart of military expenditure as a share of GDP by year: " + ", ".join(names)
    return Explorable(static, fig, "allies-burden-explorer", description)


class Explorable:
    """A static book figure with an interactive chart as its web rendition (see the module docstring)."""

    def __init__(self, static: mpl.figure.Figure, chart, chart_id: str, description: str):
        self.static = static
        self.chart = chart
        self.chart_id = chart_id
        self.description = description

    def chart_html(self) -> str:
        body = self.chart.to_html(
            full_html=False,
            include_plotlyjs=False,  # served from the site's _static folder by the build
            div_id=self.chart_id,  # a fixed id: the page is the same from build to build
            config={"displayModeBar": False, "responsive": True},
        )
        return (
            f'<div class="{CSS_CLASS}" role="group" aria-label="{html.escape(self.description)}">\n'
            '<p class="pfp-interactive-help">Hover over the chart for each line\'s value in a year; click a '
            "name in the legend to hide or show its line, double-click it to show that line alone.</p>\n"
            f"{body}\n</div>"
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        svg_format, svg_meta = VECTOR_FORMATS["image/svg+xml"]
        pdf_format, pdf_meta = VECTOR_FORMATS["application/pdf"]
        import base64

        data = {
            "text/html": self.chart_html(),
            "image/svg+xml": figure_bytes(self.static, svg_format, svg_meta).decode("utf-8"),
            "application/pdf": base64.b64encode(figure_bytes(self.static, pdf_format, pdf_meta)).decode("ascii"),
            "text/plain": self.description,
        }
        return data, {"image/svg+xml": download_metadata(self.static)}
