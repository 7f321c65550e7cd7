"""Small helpers the chapters share: number formatting for glued text, HTML tables, codebooks.

Numbers quoted in the prose are computed in the chapter and inserted with myst-nb's ``glue``;
the formatters here make the same quantity read the same way in every chapter.
"""

from __future__ import annotations

import html
import re
from typing import Any, Iterable

import pandas as pd

from . import loaders, paths, validation
from .validation import read_descriptor, resource_from_descriptor


# --- number formatting ---------------------------------------------------------------------------


def fmt_number(value: float, decimals: int = 0) -> str:
    """Thousands separators, fixed decimals: 28500 -> '28,500'; 2.562 -> '2.6' (decimals=1)."""
    return f"{value:,.{decimals}f}"


def fmt_pct(value: float, decimals: int = 1, signed: bool = False) -> str:
    """A percentage: 2.562 -> '2.6 %'; with signed=True, 8.3 -> '+8.3 %'."""
    sign = "+" if signed and value > 0 else ""
    return f"{sign}{value:,.{decimals}f} %"


def fmt_p(value: float) -> str:
    """A p-value with its relation, for text such as 'p = 0.028' or 'p < 0.001'."""
    return "< 0.001" if value < 0.001 else f"= {value:.3f}"


def count_phrase(n: int, singular: str, plural: str | None = None) -> str:
    """'1 check', '3 checks'."""
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def fmt_krw_billion(value: float, decimals: int = 1) -> str:
    """Won amounts given in billions: 1519.2 -> '1,519.2 billion won'."""
    return f"{value:,.{decimals}f} billion won"


def fmt_krw_trillion(value: float, decimals: int = 2) -> str:
    return f"{value:,.{decimals}f} trillion won"


def fmt_usd_million(value: float, decimals: int = 0) -> str:
    return f"${value:,.{decimals}f} million"


def fmt_usd_billion(value: float, decimals: int = 2) -> str:
    return f"${value:,.{decimals}f} billion"


# --- tables ------------------------------------------------------------------------------------


class HTMLTable:
    """A plain, accessible HTML table (caption, header row, no index), with a text fallback."""

    def __init__(self, frame: pd.DataFrame, caption: str | None = None, css_class: str = "pfp-table", escape: bool = True):
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
        body = "".join("<tr>" + "".join(f"<td>{self._cell(v)}</td>" for v in row) + "</tr>" for row in self.frame.itertuples(index=False))
        caption = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        return f'<table class="{self.css_class}">{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'

    def __repr__(self) -> str:
        return self.frame.to_string(index=False)


def codebook(name: str) -> HTMLTable:
    """The codebook of one table, rendered from data/datapackage.json."""
    descriptor = read_descriptor()
    resource = resource_from_descriptor(name, descriptor)
    rows = []
    for spec in resource["schema"]["fields"]:
        constraints = spec.get("constraints", {})
        rules = []
        if constraints.get("required"):
            rules.append("required")
        if "minimum" in constraints or "maximum" in constraints:
            rules.append(f"{constraints.get('minimum', '')}…{constraints.get('maximum', '')}")
        if "enum" in constraints:
            rules.append("one of: " + ", ".join(constraints["enum"]))
        if spec.get("sipriDerived"):
            rules.append("SIPRI-derived value")
        rows.append(
            {
                "field": spec["name"],
                "type": spec["type"],
                "unit": spec.get("unit", ""),
                "description": spec["description"],
                "rules": "; ".join(rules),
            }
        )
    return HTMLTable(pd.DataFrame(rows), caption=f"Codebook of {resource['path']} (primary key: {', '.join(resource['schema']['primaryKey'])})")


def table_provenance(name: str) -> HTMLTable:
    """Source, release, licence and (for derived tables) the input files' SHA-256 of one table."""
    resource = resource_from_descriptor(name, read_descriptor())
    rows = []
    for source in resource.get("sources", []):
        rows.append({"item": "source", "value": f"{source['title']} ({source.get('version', '')}) {source['path']}"})
    for licence in resource.get("licenses", []):
        rows.append({"item": "licence", "value": f"{licence['name']}: {licence['title']}"})
    for record in resource.get("derivedFrom", []):
        rows.append({"item": "derived from", "value": f"{record['path']}, {record['release']}, SHA-256 {record['sha256']}"})
    if resource.get("handKeyed"):
        rows.append({"item": "derived from", "value": "hand-keyed by the project; sources row by row"})
    return HTMLTable(pd.DataFrame(rows), caption=f"Provenance of {resource['path']}")


def resource_names() -> list[str]:
    return [r["name"] for r in read_descriptor().get("resources", [])]


def join_words(items: Iterable[str]) -> str:
    """['a', 'b', 'c'] -> 'a, b and c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def sipri_values_published() -> int:
    """How many SIPRI-derived values the data folder publishes (all tables)."""
    return sum(loaders.count_sipri_derived_values().values())


class Markdown:
    """Markdown output (rendered as such by myst-nb), with a plain-text fallback."""

    def __init__(self, text: str):
        self.text = text

    def _repr_markdown_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text


def table_description(name: str) -> Markdown:
    resource = resource_from_descriptor(name, read_descriptor())
    return Markdown(resource["description"])


# --- per-chapter reference lists ------------------------------------------------------------------

_CITE_ROLE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")


def cited_keys(markdown: str) -> list[str]:
    """Keys cited with {cite}, {cite:p} or {cite:t} roles, in order of first appearance."""
    keys: list[str] = []
    for match in _CITE_ROLE.finditer(markdown):
        for key in match.group(1).split(","):
            key = key.strip()
            if key and key not in keys:
                keys.append(key)
    return keys


def chapter_references(chapter: str) -> "ReferenceList":
    """The works a chapter cites, formatted from references.bib (links resolve on the References page).

    Sphinx allows each key in one bibliography only, and the book's References page holds them
    all; this list repeats a chapter's share of it at the chapter's end, as a reader expects.
    """
    from pybtex.database import parse_string
    from pybtex.plugin import find_plugin

    source = validation.read_input_text(paths.ROOT / chapter)
    keys = cited_keys(source)
    database = parse_string(validation.read_input_text(paths.ROOT / "references.bib"), "bibtex")
    missing = [k for k in keys if k not in database.entries]
    if missing:
        raise KeyError(f"{chapter} cites keys missing from references.bib: {missing}")
    style = find_plugin("pybtex.style.formatting", "plain")(label_style=None)
    entries = sorted((database.entries[k] for k in keys), key=lambda e: (e.persons.get("author", [""])[0].__str__() if e.persons.get("author") else e.fields.get("title", "")).lower())
    formatted = style.format_entries(entries)
    backend = find_plugin("pybtex.backends", "html")()
    items = [entry.text.render(backend) for entry in formatted]
    return ReferenceList(items)


class ReferenceList:
    def __init__(self, items: list[str]):
        self.items = items

    def _repr_html_(self) -> str:
        return '<ol class="pfp-references">' + "".join(f"<li>{item}</li>" for item in self.items) + "</ol>"

    def __repr__(self) -> str:
        return "\n".join(re.sub("<[^>]+>", "", item) for item in self.items)


# --- release and citation ------------------------------------------------------------------------

CHAPTERS = {
    "chapters/01_history": "The history of cost-sharing, 1953–2030",
    "chapters/02_budget_trends": "Budget trends: what Korea spends, what it pays the US, and how it compares",
    "chapters/03_us_pressure_regression": "Does US pressure move allied defense spending? A panel regression",
}


def release_info() -> dict[str, str]:
    """Title, version, release date and addresses of the book, from CITATION.cff (the one source)."""
    import yaml

    cff = yaml.safe_load(validation.read_input_text(paths.ROOT / "CITATION.cff"))
    return {
        "title": cff["title"],
        "short_title": cff["title"].split(":")[0],
        "version": str(cff["version"]),
        "date": str(cff["date-released"]),
        "year": str(cff["date-released"])[:4],
        "author": cff["authors"][0].get("name") or f"{cff['authors'][0]['family-names']}, {cff['authors'][0]['given-names']}",
        "repository": cff["repository-code"],
        "url": cff["url"],
        "license": cff["license"],
    }


def _bibtex(kind: str, key: str, fields: dict[str, str]) -> str:
    """One BibTeX entry, fields aligned; the author is braced as a corporate name."""
    width = max(len(name) for name in fields)
    lines = [f"  {name:<{width}} = {{{value}}}" for name, value in fields.items()]
    return f"@{kind}{{{key},\n" + ",\n".join(lines) + "\n}"


def book_citation() -> dict[str, str]:
    info = release_info()
    bibtex = _bibtex(
        "book",
        f"paying_for_protection_{info['year']}",
        {"author": f"{{{info['author']}}}", "title": info["title"], "year": info["year"], "edition": f"Version {info['version']}", "url": info["url"], "note": f"Code: {info['repository']}"},
    )
    apa = f"{info['author']}. ({info['year']}). *{info['title']}* (Version {info['version']}). {info['url']}"
    return {"bibtex": bibtex, "apa": apa}


def chapter_citation(page: str) -> dict[str, str]:
    info = release_info()
    title = CHAPTERS[page]
    url = f"{info['url'].rstrip('/')}/{page}.html"
    bibtex = _bibtex(
        "incollection",
        f"paying_for_protection_{info['year']}_{page.split('/')[-1]}",
        {"author": f"{{{info['author']}}}", "title": title, "booktitle": info["title"], "year": info["year"], "edition": f"Version {info['version']}", "url": url},
    )
    apa = f"{info['author']}. ({info['year']}). {title}. In *{info['short_title']}* (Version {info['version']}). {url}"
    return {"bibtex": bibtex, "apa": apa}


def dataset_citation(name: str) -> dict[str, str]:
    """How to cite one table of the data package, with the publisher it derives from."""
    info = release_info()
    resource = resource_from_descriptor(name, read_descriptor())
    url = f"{info['repository'].rstrip('/')}/blob/v{info['version']}/data/{resource['path']}"
    sources = "; ".join(f"{s['title']} ({s.get('version', '')})" for s in resource["sources"])
    bibtex = _bibtex(
        "misc",
        f"paying_for_protection_{info['year']}_data_{name}",
        {
            "author": f"{{{info['author']}}}",
            "title": f"{resource['title']} [data set]",
            "howpublished": f"{info['short_title']}, version {info['version']}",
            "year": info["year"],
            "url": url,
            "note": f"Derived from: {sources}. Licence: {resource['licenses'][0]['name']}",
        },
    )
    apa = f"{info['author']}. ({info['year']}). *{resource['title']}* [Data set]. {info['short_title']} (Version {info['version']}). {url}. Derived from {sources}."
    return {"bibtex": bibtex, "apa": apa}


class CodeBlock:
    """Text shown as a code block (copyable), e.g. a BibTeX entry."""

    def __init__(self, text: str, language: str = ""):
        self.text, self.language = text, language

    def _repr_markdown_(self) -> str:
        return f"```{self.language}\n{self.text}\n```"

    def __repr__(self) -> str:
        return self.text


def launch_links(source: str) -> Markdown:
    """Binder and Colab links for a chapter's notebook, from the one repository setting."""
    from . import notebooks

    return Markdown(
        f"[Open on Binder]({notebooks.binder_url(source)}) · [Open in Colab]({notebooks.colab_url(source)}) · "
        f"or, in a clone of the repository, `make book` and open `{notebooks.notebook_path(source)}`."
    )
