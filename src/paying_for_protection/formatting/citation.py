"""How to cite the book, a chapter or a dataset, from ``CITATION.cff``.

Each chapter's list of the works it cites is not built here: sphinxcontrib-bibtex renders it from
``references.bib`` (a ``bibliography`` directive filtered to the chapter's own citations).
"""

from __future__ import annotations

import re

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
    """Title, version, release date and addresses of the book, from CITATION.cff (the one source)."""
    import yaml

    cff = yaml.safe_load(validation.read_input_text(paths.ROOT / "CITATION.cff"))
    return {
        "title": cff["title"],
        "short_title": cff["title"].split(":")[0],
        "version": str(cff["version"]),
        "date": str(cff["date-released"]),
        "year": str(cff["date-released"])[:4],
        "author": cff["authors"][0].get("name")
        or f"{cff['authors'][0]['family-names']}, {cff['authors'][0]['given-names']}",
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
        {
            "author": f"{{{info['author']}}}",
            "title": info["title"],
            "year": info["year"],
            "edition": f"Version {info['version']}",
            "url": info["url"],
            "note": f"Code: {info['repository']}",
        },
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
        {
            "author": f"{{{info['author']}}}",
            "title": title,
            "booktitle": info["title"],
            "year": info["year"],
            "edition": f"Version {info['version']}",
            "url": url,
        },
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
