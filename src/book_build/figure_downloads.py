"""A download of every book figure: the image and a CSV of exactly what it plots.

A figure drawn through ``paying_for_protection.book_figures`` carries its name, and the house
style's SVG formatter puts that name and the figure's data (``fig.plotted``, read back from what
it draws) in the metadata of the SVG it displays (``style.DOWNLOAD_KEY``). After Sphinx has
written the site, :func:`add_downloads` takes both from the executed notebooks, writes
``figures/<name>.svg`` and ``figures/<name>.csv`` into the site, and adds a line "Download: image ·
data (CSV)" to the figure's caption on its page. Only the HTML site is touched; the PDF shows the
figures alone.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from paying_for_protection import paths
from paying_for_protection.figures.style import DOWNLOAD_KEY

#: Where the downloads live in the site.
FOLDER = "figures"
#: The class of the download line under each caption (styled in _static/custom.css).
CSS_CLASS = "pfp-downloads"


class FigureNotOnPage(RuntimeError):
    """A figure's data was recorded, but its page has no figure of that name to attach it to."""


def figure_outputs(notebook: Any) -> Iterator[tuple[str, str, str]]:
    """(name, SVG, CSV) of every named book figure a notebook displays, in order."""
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            record = output.get("metadata", {}).get("image/svg+xml", {}).get(DOWNLOAD_KEY)
            if not record:
                continue
            svg = output["data"]["image/svg+xml"]
            yield record["name"], "".join(svg) if isinstance(svg, list) else svg, record["csv"]


def download_line(name: str, prefix: str) -> str:
    """The caption's download line; ``prefix`` leads from the page to the site's root."""
    image = html.escape(f"{prefix}{FOLDER}/{name}.svg")
    data = html.escape(f"{prefix}{FOLDER}/{name}.csv")
    return (
        f'<p class="{CSS_CLASS}">Download: <a href="{image}" download="{name}.svg">image</a>'
        f' · <a href="{data}" download="{name}.csv">data (CSV)</a></p>\n'
    )


def _with_line(page_html: str, name: str, line: str, page: str) -> str:
    """``page_html`` with ``line`` at the end of the caption of the figure ``name``."""
    start = re.search(rf'<figure\b[^>]*\bid="{re.escape(name)}"', page_html)
    if start is None:
        raise FigureNotOnPage(f"{page}: no figure with the id {name!r} to offer its downloads under")
    end = page_html.index("</figure>", start.end())
    caption_end = page_html.find("</figcaption>", start.end(), end)
    if caption_end < 0:
        raise FigureNotOnPage(f"{page}: the figure {name!r} has no caption to put its downloads in")
    return page_html[:caption_end] + line + page_html[caption_end:]


def add_downloads(site: Path, notebooks: dict[str, Any], root: Path | None = None) -> dict[str, list[str]]:
    """Write each figure's image and data into ``site`` and link them from its caption.

    ``notebooks`` maps each executed chapter's path to its notebook (the build's execution report).
    Returns the figures' names by page. Two figures with one name are an error: their files
    would overwrite each other.
    """
    root = root or paths.ROOT
    folder = site / FOLDER
    written: dict[str, str] = {}
    by_page: dict[str, list[str]] = {}
    for path, notebook in sorted(notebooks.items()):
        page = Path(path).resolve().relative_to(root.resolve()).with_suffix("").as_posix()
        figures = list(figure_outputs(notebook))
        if not figures:
            continue
        page_file = site / f"{page}.html"
        page_html = page_file.read_text(encoding="utf-8")
        prefix = os.path.relpath(site, page_file.parent).replace(os.sep, "/") + "/"
        prefix = "" if prefix == "./" else prefix
        for name, svg, csv in figures:
            if name in written:
                raise ValueError(f"two figures are named {name!r} ({written[name]} and {page})")
            written[name] = page
            folder.mkdir(exist_ok=True)
            (folder / f"{name}.svg").write_text(svg, encoding="utf-8")
            (folder / f"{name}.csv").write_text(csv, encoding="utf-8")
            page_html = _with_line(page_html, name, download_line(name, prefix), page)
            by_page.setdefault(page, []).append(name)
        page_file.write_text(page_html, encoding="utf-8")
    return by_page
