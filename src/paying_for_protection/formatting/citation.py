"""How to cite the book, a chapter or a dataset, from ``CITATION.cff``.

Each chapter's list of the works it cites is not built here: sphinxcontrib-bibtex renders it from
``references.bib`` (a ``bibliography`` directive filtered to the chapter's own citations).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import paths
from ..data import validation
from ..data.validation import read_descriptor, resource_from_descriptor

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


CHAPTERS = {
    "chapters/01_history": "The history of cost-sharing, 1953–2030",
    "chapters/02_budget_trends": "Budget trends: what Korea spends, what it pays the US, and how it compares",
    "chapters/03_us_pressure_regression": "Does US pressure move allied defense spending? A panel regression",
}


def release_info() -> dict[str, str]:
    """Title, version, release date, publisher, licences and addresses of the book, from
    CITATION.cff (the one source; its ``preferred-citation`` describes the book itself)."""
    import yaml

    cff = yaml.safe_load(validation.read_input_text(paths.ROOT / "CITATION.cff"))
    preferred = cff.get("preferred-citation", {})
    licences = cff["license"] if isinstance(cff["license"], list) else [cff["license"]]
    return {
        "title": cff["title"],
        "short_title": cff["title"].split(":")[0],
        "version": str(cff["version"]),
        "date": str(cff["date-released"]),
        "year": str(cff["date-released"])[:4],
        "author": cff["authors"][0].get("name")
        or f"{cff['authors'][0]['family-names']}, {cff['authors'][0]['given-names']}",
        "publisher": preferred.get("publisher", {}).get("name") or cff["authors"][0].get("name", ""),
        "repository": cff["repository-code"],
        "url": cff["url"],
        "license": ", ".join(licences),
        "text_license": preferred.get("license", licences[0]),
    }


def latex_escape(text: str) -> str:
    """Plain text as a BibTeX field value that compiles in any LaTeX document (pdfLaTeX too):
    special characters escaped, typographic characters as LaTeX ligatures, by latexcodec (a pybtex
    dependency). latexcodec leaves ``$`` alone (it could open math), so it is escaped here."""
    import codecs

    import latexcodec  # noqa: F401  (registers the "latex" codec)

    return codecs.encode(text, "latex").decode("ascii").replace("$", r"\$")


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def markdown_text(text: str) -> str:
    """Text from the data or CITATION.cff, safe inside Markdown: HTML-escaped and with Markdown's
    special characters backslash-escaped, so a title can never turn into markup."""
    import html

    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


@dataclass(frozen=True)
class Citation:
    """One citable thing (the book, a chapter, a dataset) in every format the How to cite page offers.

    BibTeX entries use only fields that classic BibTeX styles and biblatex (with biber) both
    understand, titles in double braces so no style changes their capitals, every value escaped.
    """

    key: str
    bibtex_type: str  # book, incollection, misc
    csl_type: str  # book, chapter, dataset
    title: str
    year: str
    date: str
    version: str
    url: str
    author: str
    publisher: str
    container: str = ""  # the book a chapter is part of
    note: str = ""
    apa_note: str = ""

    def bibtex(self) -> str:
        fields = {
            "author": "{" + latex_escape(self.author) + "}",  # a corporate name, not to be split
            "title": "{" + latex_escape(self.title + (" [data set]" if self.csl_type == "dataset" else "")) + "}",
        }
        if self.container:
            fields["booktitle"] = "{" + latex_escape(self.container) + "}"
        if self.bibtex_type in ("book", "incollection"):
            fields["publisher"] = latex_escape(self.publisher)
        else:
            fields["howpublished"] = latex_escape(self.publisher)
        fields["year"] = self.year
        fields["note"] = latex_escape("; ".join(filter(None, [f"Version {self.version}", self.note])))
        fields["url"] = self.url  # a URL field is read verbatim by BibTeX styles and biber
        width = max(len(name) for name in fields)
        lines = [f"  {name:<{width}} = {{{value}}}" for name, value in fields.items()]
        return f"@{self.bibtex_type}{{{self.key},\n" + ",\n".join(lines) + "\n}"

    def apa(self) -> str:
        """APA 7 reference as Markdown (italics for the title of a stand-alone work)."""
        md = markdown_text
        if self.csl_type == "chapter":
            work = f"{md(self.title)}. In *{md(self.container)}* (Version {md(self.version)})"
        elif self.csl_type == "dataset":
            work = f"*{md(self.title)}* (Version {md(self.version)}) [Data set]. {md(self.publisher)}"
        else:
            work = f"*{md(self.title)}* (Version {md(self.version)})"
        # The address as an autolink: clickable, and its characters are not read as Markdown.
        text = f"{md(self.author)}. ({md(self.year)}). {work}. <{self.url}>"
        return text + (f" {md(self.apa_note)}" if self.apa_note else "")

    def csl(self) -> dict:
        """CSL-JSON item (what Zotero, Mendeley and pandoc import)."""
        year, month, day = (int(part) for part in self.date.split("-"))
        item = {
            "id": self.key,
            "type": self.csl_type,
            "title": self.title,
            "author": [{"literal": self.author}],
            "issued": {"date-parts": [[year, month, day]]},
            "version": self.version,
            "publisher": self.publisher,
            "URL": self.url,
        }
        if self.container:
            item["container-title"] = self.container
        if self.note:
            item["note"] = self.note
        return item


def csl_json(citations: list[Citation]) -> str:
    import json

    return json.dumps([c.csl() for c in citations], ensure_ascii=False, indent=2)


def _common(info: dict[str, str]) -> dict[str, str]:
    return {
        "year": info["year"],
        "date": info["date"],
        "version": info["version"],
        "author": info["author"],
        "publisher": info["publisher"],
    }


def book(info: dict[str, str] | None = None) -> Citation:
    info = info or release_info()
    return Citation(
        key=f"paying_for_protection_{info['year']}",
        bibtex_type="book",
        csl_type="book",
        title=info["title"],
        url=info["url"],
        **_common(info),
    )


def chapter(page: str, info: dict[str, str] | None = None) -> Citation:
    info = info or release_info()
    return Citation(
        key=f"paying_for_protection_{info['year']}_{page.split('/')[-1]}",
        bibtex_type="incollection",
        csl_type="chapter",
        title=CHAPTERS[page],
        container=info["title"],
        url=f"{info['url'].rstrip('/')}/{page}.html",
        **_common(info),
    )


def dataset(name: str, info: dict[str, str] | None = None) -> Citation:
    """One table of the data package, naming the publisher it derives from and its licence."""
    info = info or release_info()
    resource = resource_from_descriptor(name, read_descriptor())
    sources = "; ".join(
        f"{s['title']} ({s['version']})" if s.get("version") else s["title"] for s in resource["sources"]
    )
    licence = resource["licenses"][0]["name"]
    return Citation(
        key=f"paying_for_protection_{info['year']}_data_{name}",
        bibtex_type="misc",
        csl_type="dataset",
        title=resource["title"],
        url=f"{info['repository'].rstrip('/')}/blob/v{info['version']}/data/{resource['path']}",
        note=f"Derived from {sources}. Licence: {licence}",
        apa_note=f"Derived from {sources}.",
        **{**_common(info), "publisher": info["short_title"]},
    )


def book_citation() -> dict[str, str]:
    entry = book()
    return {"bibtex": entry.bibtex(), "apa": entry.apa(), "csl": entry.csl()}


def chapter_citation(page: str) -> dict[str, str]:
    entry = chapter(page)
    return {"bibtex": entry.bibtex(), "apa": entry.apa(), "csl": entry.csl()}


def dataset_citation(name: str) -> dict[str, str]:
    entry = dataset(name)
    return {"bibtex": entry.bibtex(), "apa": entry.apa(), "csl": entry.csl()}
