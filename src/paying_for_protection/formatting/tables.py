"""Rich outputs the chapters display: accessible HTML tables (with a LaTeX form for the PDF),
Markdown and copyable code blocks."""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

#: MIME type of a table's LaTeX form. Not ``text/latex``, which myst-nb typesets as math: the
#: book's build renders this one verbatim into the PDF (``book_build.raw_latex``).
RAW_LATEX_MIME = "application/x-raw-latex"


class HTMLTable:
    """A plain, accessible HTML table (caption, header row, no index), with a text fallback."""

    def __init__(
        self, frame: pd.DataFrame, caption: str | None = None, css_class: str = "pfp-table", escape: bool = True
    ):
        self.frame = frame
        self.caption = caption
        self.css_class = css_class
        self.escape = escape

    def _cell(self, value: Any) -> str:
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
        return f'<table class="{self.css_class}">{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'

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
        if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
            return ""
        return str(value)

    def __repr__(self) -> str:
        return self.frame.to_string(index=False)


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
    """Markdown output (rendered as such by myst-nb), with a plain-text fallback."""

    def __init__(self, text: str):
        self.text = text

    def _repr_markdown_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text


class CodeBlock:
    """Text shown as a code block (copyable), e.g. a BibTeX entry."""

    def __init__(self, text: str, language: str = ""):
        self.text, self.language = text, language

    def _repr_markdown_(self) -> str:
        return f"```{self.language}\n{self.text}\n```"

    def __repr__(self) -> str:
        return self.text
