"""Internal links of the built book: every relative link, image, script and anchor resolves."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.book

#: Produced by `make pdf` (built separately, and tested in test_pdf.py) and copied into the site.
BUILT_SEPARATELY = {"paying-for-protection.pdf"}


def _targets(soup: BeautifulSoup):
    for tag, attribute in [("a", "href"), ("img", "src"), ("script", "src"), ("link", "href")]:
        for element in soup.find_all(tag):
            value = element.get(attribute)
            if value:
                yield value


def test_every_internal_link_and_anchor_resolves(built_book: Path):
    ids: dict[Path, set[str]] = {}
    problems = []
    # The book's pages; _static and _sources hold theme templates and copied sources, not pages.
    pages = sorted(
        p for p in built_book.rglob("*.html") if not {"_static", "_sources"} & set(p.relative_to(built_book).parts)
    )
    assert len(pages) >= 8
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        ids[page.resolve()] = {e.get("id") for e in soup.find_all(id=True)}
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for target in _targets(soup):
            parsed = urlparse(target)
            if parsed.scheme or target.startswith(("//", "mailto:", "javascript:", "data:")):
                continue
            path = unquote(parsed.path)
            if Path(path).name in BUILT_SEPARATELY:
                continue
            resolved = (page.parent / path).resolve() if path else page.resolve()
            if not resolved.exists():
                problems.append(f"{page.relative_to(built_book)}: {target} (missing file)")
                continue
            if (
                parsed.fragment
                and resolved.suffix == ".html"
                and unquote(parsed.fragment) not in ids.get(resolved, set())
            ):
                problems.append(f"{page.relative_to(built_book)}: {target} (missing anchor)")
    assert not problems, problems[:20]


def test_every_table_and_notebook_is_downloadable_from_the_book(built_book: Path):
    import json

    from book_build import notebooks
    from paying_for_protection import paths
    from paying_for_protection.formatting.links import notebook_path

    soup = BeautifulSoup((built_book / "chapters" / "data.html").read_text(encoding="utf-8"), "html.parser")
    downloads = {Path(a["href"]).name: a["href"] for a in soup.select("a.download")}
    descriptor = json.loads(paths.DESCRIPTOR_PATH.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        assert resource["path"] in downloads, resource["path"]
        copied = (built_book / "chapters" / downloads[resource["path"]]).resolve()
        assert copied.read_bytes() == (paths.DATA_DIR / resource["path"]).read_bytes()
    assert "datapackage.json" in downloads
    headings = {h.get_text(" ", strip=True).rstrip("#").strip().replace("\u2019", "'") for h in soup.select("h2")}
    captions = {c.get_text(" ", strip=True) for c in soup.select("table caption")}
    for resource in descriptor["resources"]:
        assert any(c.startswith(f"Codebook of {resource['path']}") for c in captions), (
            f"no codebook for {resource['path']}"
        )
        assert resource["title"] in headings, f"the data page has no section titled {resource['title']!r}"
    for source in notebooks.chapter_sources():
        page = built_book / (source.removesuffix(".md") + ".html")
        links = {
            Path(a["href"]).name
            for a in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("a.download")
        }
        assert Path(notebook_path(source)).name in links, source
