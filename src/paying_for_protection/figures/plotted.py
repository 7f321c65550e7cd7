"""What a figure plots, read back from the figure itself as one tidy table.

Every book figure offers its data as a CSV beside the image. Rather than have each plotting
function keep a second, hand-written copy of its data (which could drift from the drawing), the
table is read from the artists the function drew: the points of each line, the offsets of each
scatter, the bars of each bar container, the ends of each range and the edges of each band, in
the units of the axes they were drawn on. Decorations drawn in axes coordinates (reference lines
at zero, event markers, shaded spans) are not data and are skipped.

Each data artist must say which series it is: its legend label, or, for artists the chart labels
another way (at the line's end, say), a name given with :func:`name_series`. An unnamed data
artist is an error, so a new line cannot slip into the CSV as ``_child3``.
"""

from __future__ import annotations

import functools
import itertools
import weakref

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.collections import FillBetweenPolyCollection, LineCollection, PathCollection
from matplotlib.container import BarContainer
from matplotlib.figure import Figure

#: The columns of every figure's table, in this order.
COLUMNS = ["panel", "series", "kind", "x", "x_end", "y", "y_low", "y_high", "category"]

_SERIES_NAMES: weakref.WeakKeyDictionary[Artist, str] = weakref.WeakKeyDictionary()


class UnnamedSeries(ValueError):
    """A data artist with neither a legend label nor a name given by :func:`name_series`."""


def name_series(artist, name: str):
    """Name the series ``artist`` draws in the figure's data, without putting it in a legend.

    Returns the artist, so that ``name_series(ax.plot(...)[0], "placebo")`` reads in one line.
    """
    _SERIES_NAMES[artist] = name
    return artist


def _series(artist, panel: str) -> str:
    if artist in _SERIES_NAMES:
        return _SERIES_NAMES[artist]
    label = artist.get_label() or ""
    if label and not label.startswith("_"):
        return label
    raise UnnamedSeries(
        f"a {type(artist).__name__} in the panel {panel!r} has no series name: give it a label "
        "or name it with figures.plotted.name_series"
    )


def _panel_name(ax, index: int) -> str:
    return ax.get_title(loc="left") or ax.get_title() or ax.get_title(loc="right") or f"panel {index + 1}"


def _is_date_axis(axis) -> bool:
    return isinstance(
        axis.get_major_formatter(), mdates.DateFormatter | mdates.AutoDateFormatter | mdates.ConciseDateFormatter
    )


def _categories(axis) -> dict[float, str]:
    """Tick positions labelled with words (a lane or a row name), not numbers."""
    found = {}
    for position, label in zip(axis.get_majorticklocs(), axis.get_majorticklabels(), strict=False):
        text = " ".join(label.get_text().split())  # a label wrapped on several lines reads as one
        if text and not _is_number(text):
            found[float(position)] = text
    return found


def _nearest(categories: dict[float, str], value: float) -> str | None:
    """The category whose tick is nearest ``value``, within half the spacing of the ticks (a pair
    of bars or a band drawn just beside a row belongs to that row)."""
    if not categories:
        return None
    ticks = sorted(categories)
    spacing = min((b - a for a, b in itertools.pairwise(ticks)), default=1.0)
    nearest = min(ticks, key=lambda tick: abs(tick - value))
    return categories[nearest] if abs(nearest - value) <= spacing / 2 else None


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "").replace("\N{MINUS SIGN}", "-"))
    except ValueError:
        return False
    return True


def _values(values, date_axis: bool) -> list:
    """Plain numbers, or ISO dates on a date axis."""
    out = []
    for value in np.asarray(values, dtype=object).ravel():
        if isinstance(value, np.datetime64 | pd.Timestamp):
            out.append(pd.Timestamp(value).date().isoformat())
        elif date_axis and value is not None and not pd.isna(value):
            out.append(mdates.num2date(float(value)).date().isoformat())
        else:
            out.append(None if value is None or pd.isna(value) else float(value))
    return out


def _add(rows, panel, x_dates, y_dates, categories, series, kind, xs, ys, x_end=None, y_low=None, y_high=None):
    """Append one row per point of one artist to ``rows``."""
    xs, ys = _values(xs, x_dates), _values(ys, y_dates)
    n = max(len(xs), len(ys))
    columns = {
        "x": xs or [None] * n,
        "y": ys or [None] * n,
        "x_end": _values(x_end, x_dates) if x_end is not None else [None] * n,
        "y_low": _values(y_low, y_dates) if y_low is not None else [None] * n,
        "y_high": _values(y_high, y_dates) if y_high is not None else [None] * n,
    }
    for i in range(n):
        row = {"panel": panel, "series": series, "kind": kind} | {k: v[i] for k, v in columns.items()}
        x_categories, y_categories = categories
        y_category = _nearest(y_categories, row["y"]) if isinstance(row["y"], float) else None
        x_category = _nearest(x_categories, row["x"]) if isinstance(row["x"], float) else None
        row["category"] = y_category or x_category
        rows.append(row)


def plotted_data(fig: Figure) -> pd.DataFrame:
    """One row per plotted point, bar, range or band edge of ``fig``; the columns are :data:`COLUMNS`.

    ``panel`` is the axes' title (or "panel n"); ``kind`` is line, points, bar, range or band;
    ``x`` and ``y`` are in the axes' data units (``x_end`` for a horizontal range, ``y_low`` and
    ``y_high`` for a vertical range, a band or the base and top of a bar); ``category`` is the word
    on the tick of a categorical axis (a lane of a timeline, a row of a coefficient plot, a bar's
    label).
    """
    rows: list[dict] = []
    for index, ax in enumerate(fig.axes):
        panel = _panel_name(ax, index)
        x_dates, y_dates = _is_date_axis(ax.xaxis), _is_date_axis(ax.yaxis)
        categories = (_categories(ax.xaxis), _categories(ax.yaxis))

        add = functools.partial(_add, rows, panel, x_dates, y_dates, categories)
        for line in ax.get_lines():
            if line.get_transform() != ax.transData:
                continue  # axhline, axvline: a reference, not data
            add(_series(line, panel), "line", line.get_xdata(orig=True), line.get_ydata(orig=True))
        for collection in ax.collections:
            if collection.get_transform() != ax.transData and not isinstance(collection, PathCollection):
                continue
            if isinstance(collection, PathCollection):
                offsets = np.asarray(collection.get_offsets())
                if offsets.size:
                    add(_series(collection, panel), "points", offsets[:, 0], offsets[:, 1])
            elif isinstance(collection, FillBetweenPolyCollection):
                for path in collection.get_paths():
                    vertices = path.vertices
                    n = (len(vertices) - 3) // 2
                    if len(vertices) != 2 * n + 3:
                        raise ValueError(f"a band in the panel {panel!r} has an unexpected outline")
                    lower = vertices[1 : n + 1]
                    upper = vertices[n + 2 : 2 * n + 2][::-1]
                    add(
                        _series(collection, panel),
                        "band",
                        lower[:, 0],
                        [None] * n,
                        y_low=lower[:, 1],
                        y_high=upper[:, 1],
                    )
            elif isinstance(collection, LineCollection):
                segments = collection.get_segments()
                if not segments:
                    continue
                starts = np.array([s[0] for s in segments])
                ends = np.array([s[-1] for s in segments])
                name = _series(collection, panel)
                if np.allclose(starts[:, 0], ends[:, 0]):  # vertical ranges (vlines)
                    add(name, "range", starts[:, 0], [None] * len(segments), y_low=starts[:, 1], y_high=ends[:, 1])
                else:  # horizontal ranges (hlines)
                    add(name, "range", starts[:, 0], starts[:, 1], x_end=ends[:, 0])
            else:
                raise ValueError(f"{type(collection).__name__} in the panel {panel!r}: no rule to read its data")
        for container in ax.containers:
            if not isinstance(container, BarContainer):
                continue
            name = _series(container, panel)
            horizontal = container.orientation == "horizontal"
            bars = [bar for bar in container.patches if bar.get_visible()]
            if horizontal:
                add(
                    name,
                    "bar",
                    [b.get_x() + b.get_width() for b in bars],
                    [b.get_y() + b.get_height() / 2 for b in bars],
                )
            else:
                add(
                    name,
                    "bar",
                    [b.get_x() + b.get_width() / 2 for b in bars],
                    [b.get_y() + b.get_height() for b in bars],
                    y_low=[b.get_y() for b in bars],
                    y_high=[b.get_y() + b.get_height() for b in bars],
                )
    frame = pd.DataFrame(rows, columns=COLUMNS).dropna(axis="columns", how="all")
    # Whole numbers (years, counts) read as such in the CSV: 1991, not 1991.0.
    for column in ("x", "x_end", "y", "y_low", "y_high"):
        if column in frame and pd.api.types.is_float_dtype(frame[column]):
            values = frame[column].dropna()
            if len(values) and (values == values.round()).all():
                frame[column] = frame[column].astype("Int64")
    return frame
