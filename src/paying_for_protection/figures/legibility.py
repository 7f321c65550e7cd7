"""Whether a figure reads: the size of its smallest text in the book's column, and text that
collides with other text or runs off the figure.

The sizes follow the browser check (``book_build.browser``): the book shows each figure as an SVG
scaled to the column's width, so a point of text in the file shows at ``column_px / width_pt``
CSS pixels, where ``width_pt`` is the width of the saved, tightly cropped SVG. Collisions are
judged on the boxes matplotlib's renderer gives each drawn text (``get_window_extent``), the same
boxes it uses to lay out the figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from .style import VECTOR_FORMATS, figure_bytes

#: The book's desktop column is 768 CSS px wide (sphinx-book-theme at a 1400 px window).
COLUMN_PX = 768
#: The smallest text, in CSS px at the column's width, that reads comfortably.
MIN_TEXT_PX = 11.0
#: Two boxes that overlap by less than this (in pixels at the figure's dpi, either way) touch
#: rather than collide: a descender grazing the line below is not a collision.
TOLERANCE_PX = 1.0


@dataclass(frozen=True)
class DrawnText:
    text: str
    kind: str
    box: Bbox
    size_pt: float

    def __str__(self) -> str:
        return f"{self.kind} {self.text!r}"


def svg_width_pt(fig: Figure) -> float:
    """The width of the figure as the book saves it (tight SVG), in points."""
    svg_format, metadata = VECTOR_FORMATS["image/svg+xml"]
    svg = figure_bytes(fig, svg_format, metadata).decode("utf-8")
    return float(re.search(r'viewBox="[\d.\-]+ [\d.\-]+ ([\d.]+)', svg).group(1))


def drawn_texts(fig: Figure) -> list[DrawnText]:
    """Every non-empty, visible text the figure draws, with its box in display pixels.

    Tick labels count only for ticks inside the axis's view (matplotlib keeps labels for ticks
    outside it, but does not draw them).
    """
    # A figure closed after drawing (as every book figure is) keeps only a plain canvas: give it
    # an Agg one to measure with, at the figure's own dpi.
    canvas = fig.canvas if hasattr(fig.canvas, "get_renderer") else FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    tick_labels: dict[int, bool] = {}
    kinds: dict[int, str] = {}
    for ax in fig.axes:
        for axis_name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            low, high = sorted(axis.get_view_interval())
            span = high - low
            for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]:
                inside = low - 1e-9 * span <= tick.get_loc() <= high + 1e-9 * span
                for label in (tick.label1, tick.label2):
                    tick_labels[id(label)] = inside
                    kinds[id(label)] = f"{axis_name} tick label"
            kinds[id(axis.label)] = f"{axis_name} axis label"
            kinds[id(axis.get_offset_text())] = f"{axis_name} offset text"
        legend = ax.get_legend()
        if legend is not None:
            for text in [*legend.get_texts(), legend.get_title()]:
                kinds[id(text)] = "legend text"
    found = []
    seen: set[int] = set()
    for text in fig.findobj(Text):
        if id(text) in seen:  # findobj can reach one text by two paths
            continue
        seen.add(id(text))
        if not text.get_visible() or not text.get_text().strip() or not tick_labels.get(id(text), True):
            continue
        box = text.get_window_extent(renderer)
        if box.width <= 0 or box.height <= 0:
            continue
        kind = kinds.get(id(text), "annotation" if text.axes is not None else "figure text")
        found.append(DrawnText(" ".join(text.get_text().split()), kind, box, text.get_fontsize()))
    return found


def _overlap(a: Bbox, b: Bbox) -> bool:
    width = min(a.x1, b.x1) - max(a.x0, b.x0)
    height = min(a.y1, b.y1) - max(a.y0, b.y0)
    return width > TOLERANCE_PX and height > TOLERANCE_PX


def collisions(fig: Figure) -> list[str]:
    """Pairs of drawn texts whose boxes overlap, one line each."""
    texts = drawn_texts(fig)
    return [f"{a} overlaps {b}" for i, a in enumerate(texts) for b in texts[i + 1 :] if _overlap(a.box, b.box)]


def outside(fig: Figure) -> list[str]:
    """Drawn texts that run past the edge of the figure's canvas."""
    edge = fig.bbox
    return [
        f"{t} runs off the figure"
        for t in drawn_texts(fig)
        if t.box.x0 < edge.x0 - TOLERANCE_PX
        or t.box.y0 < edge.y0 - TOLERANCE_PX
        or t.box.x1 > edge.x1 + TOLERANCE_PX
        or t.box.y1 > edge.y1 + TOLERANCE_PX
    ]


def smallest_text_px(fig: Figure, column_px: float = COLUMN_PX) -> tuple[float, str]:
    """The smallest drawn text in CSS px when the figure fills the column, and which text it is."""
    scale = column_px / svg_width_pt(fig)
    smallest = min(drawn_texts(fig), key=lambda t: t.size_pt)
    return smallest.size_pt * scale, str(smallest)


def problems(fig: Figure, column_px: float = COLUMN_PX) -> list[str]:
    """Everything that keeps a figure from reading well in the book's column (empty when none)."""
    found = collisions(fig) + outside(fig)
    px, text = smallest_text_px(fig, column_px)
    if px < MIN_TEXT_PX:
        found.append(f"smallest text {px:.1f} px at the column's width ({text!r})")
    return found
