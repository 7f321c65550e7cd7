"""Rich outputs the chapters display: accessible HTML tables, Markdown and copyable code blocks."""

from __future__ import annotations

import html
from typing import Any

import pandas as pd


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

    def __repr__(self) -> str:
        return self.frame.to_string(index=False)


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
