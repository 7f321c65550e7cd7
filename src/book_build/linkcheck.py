"""Every internal link of a built site resolves: files, images, scripts, style sheets and anchors.

Run on every new site before it is published (``book_build.site.check_links``). Sphinx reports a
broken cross-reference only for the pages it writes; this check looks at the site as a whole, so a
reference that an edit elsewhere left dangling cannot be published. The standard library's HTML
parser is enough: it reads the book's pages in a fraction of a second.
"""

from __future__ import annotations

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


def _parse(page: Path) -> _PageParser:
    parser = _PageParser()
    parser.feed(page.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if not NOT_PAGES & set(p.relative_to(site).parts))


def broken_links(site: Path, ignore: set[str] = frozenset()) -> list[str]:
    """Every internal link or anchor of the site's pages that does not resolve, as 'page: target (why)'.

    ``ignore`` names files that are added to a site separately (the PDF).
    """
    site = site.resolve()
    parsed = {page.resolve(): _parse(page) for page in pages(site)}
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
                ids = parsed[resolved].ids if resolved in parsed else _parse(resolved).ids
                if unquote(url.fragment) not in ids:
                    problems.append(f"{where}: {target} (no such anchor)")
    return problems
