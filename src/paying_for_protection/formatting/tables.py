"""Rich outputs the chapters display: accessible HTML tables (with a LaTeX form for the PDF),
Markdown and copyable code blocks.

Every string that comes from data or the descriptor is escaped on its way to a page: a cell of an
:class:`HTMLTable` always, a piece of text put into :class:`Markdown` through
:func:`escape_markdown`, a link only when its address is a web address (:func:`safe_url`).
A data file can then hold any text at all, ``<script>`` included, and the page shows it as text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

#: MIME type of a table's LaTeX form. Not ``text/latex``, which myst-nb typesets as math: the
#: book's build renders this one verbatim into the PDF (``book_build.raw_latex``).
RAW_LATEX_MIME = "application/x-raw-latex"

#: Every ASCII punctuation character: CommonMark (and so MyST) reads any of them as a literal
#: character when a backslash precedes it, and some of them as markup (HTML, links, emphasis,
#: roles, math, substitutions, tables, fences) when none does.
_MARKDOWN_PUNCTUATION = re.compile(r"([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")


def escape_markdown(text: Any) -> str:
    """Plain text made safe to put into Markdown: it renders as exactly these characters.

    HTML tags, links, emphasis, MyST roles and directives, math and substitutions in ``text``
    are shown as written, never interpreted. Line breaks become spaces (a blank line would start a
    new block). Use it for every string from data or the descriptor that goes into
    :class:`Markdown`; the Markdown around it stays the caller's.
    """
    flat = _LINE_BREAKS.sub(" ", str(text)).strip()
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", flat)


def safe_url(url: Any) -> str | None:
    """``url`` if it is a web address (http or https, with a host); None otherwise.

    A link's target from data must never be a ``javascript:`` or ``data:`` address.
    """
    text = str(url).strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c.isspace() for c in text):
        return None
    return text


def markdown_link(text: Any, url: Any) -> str:
    """A Markdown link to ``url`` labelled ``text``, both from data; the escaped text alone when
    ``url`` is not a web address."""
    label = escape_markdown(text)
    target = safe_url(url)
    if target is None:
        return label
    # The <...> form of a link destination takes any character but <, > and a line break.
    return f"[{label}](<{target.replace('<', '%3C').replace('>', '%3E')}>)"


@dataclass(frozen=True)
class Link:
    """A table cell that links ``text`` to ``url`` (plain text where the address is not a web address)."""

    text: str
    url: str

    def to_html(self) -> str:
        target = safe_url(self.url)
        label = html.escape(str(self.text))
        if target is None:
            return label
        return f'<a href="{html.escape(target, quote=True)}">{label}</a>'

    def __str__(self) -> str:
        return f"{self.text} <{self.url}>" if self.text != self.url else str(self.url)


class HTMLTable:
    """A plain, accessible HTML table (caption, header row, no index), with a text fallback.

    Cells are escaped; a cell may also be a :class:`Link` or a list of strings and links (shown
    one after the other). ``nowrap`` keeps each row on one line: a preview of a wide table reads
    better scrolled sideways (the book's style sheet lets a cell output scroll in its box) than
    squeezed into tall, narrow columns.
    """

    def __init__(
        self,
        frame: pd.DataFrame,
        caption: str | None = None,
        css_class: str = "pfp-table",
        escape: bool = True,
        nowrap: bool = False,
    ):
        self.frame = frame
        self.caption = caption
        self.css_class = css_class
        self.escape = escape  # False only for cells the code built itself as HTML, never for data
        self.nowrap = nowrap

    def _cell(self, value: Any) -> str:
        if isinstance(value, Link):
            return value.to_html()
        if isinstance(value, Sequence) and not isinstance(value, str):
            return "".join(self._cell(part) for part in value)
        if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
            return ""
        text = str(value)
        return html.escape(text) if self.escape else text

    def _repr_html_(self) -> str:
        head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in self.frame.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{self._cell(v)}</td>" for v in row) + "</tr>"
            for row in self.frame.itertuples(index=False)
        )
        caption = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        # On the rows only: the caption still wraps to the width of the page.
        style = ' style="white-space: nowrap;"' if self.nowrap else ""
        return (
            f'<table class="{html.escape(self.css_class)}">{caption}<thead{style}><tr>{head}</tr></thead>'
            f"<tbody{style}>{body}</tbody></table>"
        )

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/html": self._repr_html_(), RAW_LATEX_MIME: self.latex(), "text/plain": repr(self)}

    def latex(self) -> str:
        """The table for the PDF: a numbered, captioned ``longtable`` that breaks across pages,
        its header repeated on each, with wrapping columns sized to their content so it fits
        the text width."""
        return latex_longtable(
            [str(c) for c in self.frame.columns],
            [[_plain(self._latex_cell(v)) for v in row] for row in self.frame.itertuples(index=False)],
            self.caption,
        )

    def _latex_cell(self, value: Any) -> str:
        if isinstance(value, Link):
            return value.text  # a printed page cannot be clicked; the address is in the data
        if isinstance(value, Sequence) and not isinstance(value, str):
            return "".join(self._latex_cell(part) for part in value)
        if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
            return ""
        return str(value)

    def __repr__(self) -> str:
        text = self.frame.map(lambda v: str(v) if isinstance(v, Link) else v)
        return text.to_string(index=False)


_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def latex_text(text: str) -> str:
    """Plain text for the book's LaTeX (XeLaTeX reads Unicode, so only LaTeX's specials change)."""
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in text)


def _plain(text: str) -> str:
    """A cell written as HTML (escape=False tables) reduced to its text."""
    if "<" not in text:
        return text
    import html as html_module
    import re

    return html_module.unescape(re.sub(r"<[^>]+>", "", text))


def latex_longtable(columns: list[str], rows: list[list[str]], caption: str | None = None) -> str:
    """A table as LaTeX ``longtable`` with booktabs rules (both loaded by Sphinx's LaTeX).

    Each column gets a share of the text width in proportion to the square root of its longest
    cell (so one long text column does not crush the numbers), with a floor that keeps a short
    header on one line; every column wraps, ragged right. Tables of more than five columns are set
    in a smaller size.
    """
    import math

    longest = [
        max([len(word) for word in columns[i].split()] + [min(len(r[i]), 60) for r in rows] + [4])
        for i in range(len(columns))
    ]
    weights = [math.sqrt(n) for n in longest]
    total = sum(weights)
    # \tabcolsep on both sides of each column is taken off the width first.
    widths = [w / total for w in weights]
    spec = "".join(
        rf">{{\raggedright\arraybackslash}}p{{\dimexpr {w:.3f}\linewidth-2\tabcolsep\relax}}" for w in widths
    )
    size = r"\footnotesize" if len(columns) > 5 else r"\small"
    head = " & ".join(rf"\textbf{{{latex_text(c)}}}" for c in columns) + r" \\"
    body = "\n".join(" & ".join(latex_text(cell) for cell in row) + r" \\" for row in rows)
    caption_line = rf"\caption{{{latex_text(caption)}}}\\" if caption else ""
    continued = rf"\multicolumn{{{len(columns)}}}{{l}}{{\emph{{(continued)}}}}\\"
    lines = [
        r"\begingroup",
        size,
        r"\setlength{\LTpre}{0.5\baselineskip}\setlength{\LTpost}{0.5\baselineskip}",
        rf"\begin{{longtable}}{{@{{}}{spec}@{{}}}}",
        caption_line,
        r"\toprule",
        head,
        r"\midrule",
        r"\endfirsthead",
        continued,
        r"\toprule",
        head,
        r"\midrule",
        r"\endhead",
        r"\bottomrule",
        r"\endlastfoot",
        body,
        r"\end{longtable}",
        r"\endgroup",
    ]
    return "\n".join(line for line in lines if line)


class Markdown:
    """Markdown output (rendered as such by myst-nb), with a plain-text fallback.

    The text is taken as Markdown written by the code: put every string from data or the
    descriptor through :func:`escape_markdown` before it goes in.
    """

    def __init__(self, text: str):
        self.text = text

    def _repr_markdown_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text


class CodeBlock:
    """Text shown as a code block (copyable), e.g. a BibTeX entry.

    The fence is longer than any run of backticks in the text, so no text can close the block
    early and continue as Markdown.
    """

    def __init__(self, text: str, language: str = ""):
        self.text, self.language = text, language

    def _repr_markdown_(self) -> str:
        longest = max((len(run) for run in re.findall(r"`+", self.text)), default=0)
        fence = "`" * max(3, longest + 1)
        language = re.sub(r"[^A-Za-z0-9_+-]", "", self.language)
        return f"{fence}{language}\n{self.text}\n{fence}"

    def __repr__(self) -> str:
        return self.text
