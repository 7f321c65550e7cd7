"""Glue a section's numbers into the page in one call, and show them to a reader who runs the notebook.

A chapter computes the numbers of a section in one cell and hands them over together::

    glue_values(
        {
            "sma_1991": usd_million(contrib.loc[1991, "usd_million"]),
            "sma_2026": krw_billion(contrib.loc[2026, "krw_billion"]),
        },
        source="data/sma_contributions.csv",
    )

Each value is glued under its key for ``{glue:text}`` roles, as myst-nb's ``glue(..., display=False)``
does, and its output also carries the number behind the phrase, its unit and its source
(``NUMBER_METADATA_KEY``), which the build collects into ``numbers.json``.

In the book, nothing else is shown. In a chapter's notebook run outside the book, where the prose
shows the values the book was built with, the set-up cell sets :data:`SHOW_VALUES` and each call
also prints its values, so a reader sees the recomputed numbers next to the text that quotes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Prefix myst-nb gives the MIME types of glued, not displayed, outputs (``myst_nb.ext.glue.GLUE_PREFIX``;
#: a test checks the two agree). Kept here so that gluing does not import the build engine.
GLUE_PREFIX = "application/papermill.record/"

#: Output metadata key under which each glued value records its number, unit and source.
NUMBER_METADATA_KEY = "paying-for-protection/number"

#: Print each section's values as well as gluing them (set by the set-up cell of a reader's notebook).
SHOW_VALUES = False


def _glue(name: str, value: Any, number: dict[str, Any]) -> None:
    """myst-nb's glue(name, value, display=False), with this book's number metadata added."""
    from IPython.core.formatters import format_display_data
    from IPython.display import display

    mimebundle, metadata = format_display_data(value)
    metadata["scrapbook"] = {"name": name, "mime_prefix": GLUE_PREFIX}
    if number:
        metadata[NUMBER_METADATA_KEY] = number
    display({GLUE_PREFIX + mime: data for mime, data in mimebundle.items()}, raw=True, metadata=metadata)


def glue_values(values: Mapping[str, Any], *, source: str | None = None) -> None:
    """Glue every value under its key; ``source`` names the data file(s) the numbers come from."""
    for name, value in values.items():
        number = {}
        if getattr(value, "value", None) is not None:
            number["value"] = value.value
        if getattr(value, "unit", None):
            number["unit"] = value.unit
        if source:
            number["source"] = source
        _glue(name, value, number)
    if SHOW_VALUES:
        from IPython.display import Markdown, display

        rows = "\n".join(f"| `{name}` | {value} |" for name, value in values.items() if isinstance(value, str))
        if rows:
            display(Markdown("| value | as printed in the book's text |\n| --- | --- |\n" + rows))
