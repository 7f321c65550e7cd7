"""Internal links of the built book: every relative link, image, script and anchor resolves."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from book_build import linkcheck

pytestmark = pytest.mark.book

#: Produced by `make pdf` (built separately, and tested in test_pdf.py) and copied into the site.
BUILT_SEPARATELY = {"paying-for-protection.pdf"}


def test_every_internal_link_and_anchor_resolves(built_book: Path):
    # The build runs the same check before it publishes (book_build.linkcheck, tested on a site with
    # broken links in test_buildstate); here it runs on the site the tests built.
    assert len(linkcheck.pages(built_book)) >= 8
    problems = linkcheck.broken_links(built_book, ignore=BUILT_SEPARATELY)
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
