"""A myst-nb mime renderer: raw LaTeX outputs go into the PDF as they are.

myst-nb renders a ``text/latex`` output as display math, which is right for an equation and wrong for
a table: a ``longtable`` wrapped in ``equation*`` stops XeLaTeX. The book's tables and colophons
(``paying_for_protection.formatting.tables``) therefore offer their LaTeX form under their own MIME
type, :data:`~paying_for_protection.formatting.tables.RAW_LATEX_MIME`; this plugin (registered with
myst-nb through the ``myst_nb.mime_renderers`` entry point in ``pyproject.toml``) puts that output
into the LaTeX build verbatim, and the HTML build never chooses it.
"""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes

from paying_for_protection.formatting.tables import RAW_LATEX_MIME


class RawLatexPlugin:
    """myst-nb ``MimeRenderPlugin``: first choice for the LaTeX builder, never chosen for HTML."""

    mime_priority_overrides: ClassVar[list[tuple[str, str, int | None]]] = [
        ("latex", RAW_LATEX_MIME, 5),
        ("html", RAW_LATEX_MIME, None),
    ]

    @staticmethod
    def handle_mime(renderer, data, inline: bool) -> list[nodes.Element] | None:
        if data.mime_type != RAW_LATEX_MIME:
            return None
        return [nodes.raw(text=data.string, format="latex", classes=["output", "raw_latex"])]
