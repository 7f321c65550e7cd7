"""Every internal link of a built site resolves: files, images, scripts, style sheets and anchors.

Run on every new site before it is published (``book_build.site.check_links``). Sphinx reports a
broken cross-reference only for the pages it writes; this check looks at the site as a whole, so a
reference that an edit elsewhere left dangling cannot be published. The standard library's HTML
parser is enough: it reads the book's pages in a fraction of a second.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

#: Attributes that point at another file, by tag.
LINK_ATTRIBUTES = {"a": "href", "img": "src", "script": "src", "link": "href", "source": "src", "iframe": "src"}

#: Site folders that hold theme assets and copied sources, not pages.
NOT_PAGES = {"_static", "_sources"}


class BrokenLinks(RuntimeError):
    """Links or anchors of the site that do not resolve; the message lists them by page."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = "\n  ".join(problems[:20])
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} internal link(s) of the new site do not resolve:\n  {shown}{more}")


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])
        attribute = LINK_ATTRIBUTES.get(tag)
        if attribute and values.get(attribute):
            self.targets.append(values[attribute])


@dataclass
class _Page:
    """What the check needs of a page: the ids it defines and the targets it links to."""

    ids: set[str]
    targets: list[str]


def _parse(page: Path, memo: Path | None = None) -> _Page:
    """Parse a page, or read what parsing the same bytes gave before from ``memo`` (a folder).

    Most builds change a page or two; parsing all of them again takes most of the check's time.
    """
    text = page.read_bytes()
    kept = memo / f"{hashlib.sha256(text).hexdigest()}.json" if memo is not None else None
    if kept is not None and kept.is_file():
        record = json.loads(kept.read_text(encoding="utf-8"))
        return _Page(set(record["ids"]), record["targets"])
    parser = _PageParser()
    parser.feed(text.decode("utf-8", errors="replace"))
    parser.close()
    if kept is not None:
        kept.parent.mkdir(parents=True, exist_ok=True)
        partial = kept.with_suffix(".partial")
        partial.write_text(json.dumps({"ids": sorted(parser.ids), "targets": parser.targets}), encoding="utf-8")
        os.replace(partial, kept)
    return _Page(parser.ids, parser.targets)


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if not NOT_PAGES & set(p.relative_to(site).parts))


def broken_links(site: Path, ignore: set[str] = frozenset(), memo: Path | None = None) -> list[str]:
    """Every internal link or anchor of the site's pages that does not resolve, as 'page: target (why)'.

    ``ignore`` names files that are added to a site separately (the PDF); ``memo``, a folder where
    the parse of each page is kept by its SHA-256 (only this check's pages are kept there).
    """
    site = site.resolve()
    parsed = {page.resolve(): _parse(page, memo) for page in pages(site)}
    if memo is not None and memo.is_dir():
        used = {f"{hashlib.sha256(page.read_bytes()).hexdigest()}.json" for page in parsed}
        for old in memo.iterdir():
            if old.name not in used:
                old.unlink()
    problems = []
    for page, parser in parsed.items():
        for target in parser.targets:
            url = urlparse(target)
            if url.scheme or target.startswith(("//", "mailto:", "javascript:", "data:")):
                continue
            path = unquote(url.path)
            if Path(path).name in ignore:
                continue
            resolved = (page.parent / path).resolve() if path else page
            where = page.relative_to(site).as_posix()
            if not resolved.exists():
                problems.append(f"{where}: {target} (no such file)")
            elif url.fragment and resolved.suffix == ".html":
                ids = parsed[resolved].ids if resolved in parsed else _parse(resolved, memo).ids
                if unquote(url.fragment) not in ids:
                    problems.append(f"{where}: {target} (no such anchor)")
    return problems
