"""The published site: its manifest, the steps run on a new site, and the atomic swap.

``_build/html`` is a relative symbolic link to one complete site in ``_build/sites/``. A new site is
copied from Sphinx's output into a staging folder (:func:`stage`), finished there by the post-render
steps (:data:`POST_RENDER_STEPS`), moved next to the old one and published by replacing the link
with one rename (``os.replace``), which POSIX makes atomic: a reader, a web server or a killed build
sees the old site or the new one, never a half-written one and never none. The site it replaces is
kept until the next build, so that a reader who looked up the link just before the swap still finds
every file; older ones are deleted.

Every site carries a manifest (``.build-manifest.json``): the fingerprint of the inputs it was built
from (:mod:`book_build.fingerprint`) and the SHA-256 of each of its files. The book is up to date only
when the inputs still have that fingerprint and every file of the site is present and unchanged; a
deleted image or an edited page makes the next ``make book`` build again.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .fingerprint import Inputs, file_sha256

MANIFEST_NAME = ".build-manifest.json"

#: Files a site may gain after it was built without being stale: the PDF that `make pdf` adds.
ADDED_LATER = {"paying-for-protection.pdf", "paying-for-protection-letter.pdf"}


def site_link(root: Path) -> Path:
    """Where readers find the site: ``_build/html``."""
    return root / "_build" / "html"


def sites_dir(root: Path) -> Path:
    return root / "_build" / "sites"


# --- manifest and the up-to-date check ----------------------------------------------------------------


def site_files(site: Path) -> list[Path]:
    """The files the manifest covers: all but the manifest and what is added to a site later."""
    return sorted(
        p
        for p in site.rglob("*")
        if p.is_file() and p.name != MANIFEST_NAME and p.relative_to(site).as_posix() not in ADDED_LATER
    )


def write_manifest(site: Path, inputs: Inputs) -> dict:
    manifest = {
        "inputs": inputs.as_record(),
        "files": {p.relative_to(site).as_posix(): file_sha256(p) for p in site_files(site)},
    }
    (site / MANIFEST_NAME).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


def read_manifest(site: Path) -> dict | None:
    try:
        manifest = json.loads((site / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and isinstance(manifest.get("files"), dict) else None


def why_not_current(site: Path, inputs: Inputs) -> str | None:
    """None when ``site`` is complete and was built from exactly ``inputs``; otherwise why not."""
    if not site.is_dir():
        return "no site has been built yet"
    manifest = read_manifest(site)
    if manifest is None or not isinstance(manifest.get("inputs"), dict):
        return "the site has no manifest (built by an older version of the tooling, or damaged)"
    change = inputs.changes_since(manifest["inputs"])
    if change:
        return f"{change} since the last build"
    for relpath, digest in sorted(manifest["files"].items()):
        path = site / relpath
        if not path.is_file():
            return f"{relpath} is missing from the site"
        if file_sha256(path) != digest:
            return f"{relpath} changed in the site since it was built"
    return None


# --- post-render steps ----------------------------------------------------------------------------------


@dataclass
class BuildContext:
    """What the post-render steps may need to know about the build that made the site."""

    root: Path
    commit: str
    executed_notebooks: dict[str, object] = field(default_factory=dict)  # docname -> executed notebook
    previous_site: Path | None = None
    log: Callable[[str], None] = print


def colophon_commit(site: Path, context: BuildContext) -> int:
    """Write the commit this site is built from into every page's colophon.

    A cached run keeps the commit of the checkout it ran in; Sphinx writes a page only when it
    changes (:mod:`book_build.sphinx_ext`). So the commit, which a new commit or an uncommitted edit
    changes without changing any page, is written here, into every page of each new site.
    Returns the number of pages changed.
    """
    from paying_for_protection import provenance

    if not context.commit:
        return 0
    count = 0
    for path in sorted(site.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if provenance.COMMIT_CLASS not in text:
            continue
        new = provenance.with_build_commit(text, context.commit)
        if new != text:
            path.write_text(new, encoding="utf-8")
            count += 1
    return count


def stabilise_notebook_ids(site: Path, context: BuildContext | None = None) -> int:
    """Give the cells of the site's downloadable notebooks ids that do not change between builds.

    The reader myst-nb uses draws a random id for every cell it creates, so two builds of the same
    book would offer notebooks that differ in nothing but those ids. Each id becomes the cell's
    position, which is what it identifies in a notebook read from a chapter. The colophon's commit
    in the notebooks' outputs becomes the commit this site was built from, as on its pages (a cached
    run keeps the commit it ran at). Returns the number of notebooks rewritten.
    """
    from paying_for_protection import provenance

    count = 0
    for path in sorted((site / "_sources").rglob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for index, cell in enumerate(notebook.get("cells", [])):
            if "id" in cell:
                cell["id"] = f"cell-{index}"
            if context is not None and context.commit:
                for output in cell.get("outputs", []):
                    for mime in ("text/html", "text/plain"):
                        text = output.get("data", {}).get(mime)
                        if isinstance(text, list):
                            text = "".join(text)
                        if isinstance(text, str):
                            output["data"][mime] = provenance.with_build_commit(text, context.commit)
        # The layout nbformat writes: one-space indent, sorted keys, a final newline.
        path.write_text(json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
        count += 1
    return count


def reader_notebooks(site: Path, context: BuildContext) -> None:
    """The chapters' reader notebooks behind the download button and the "Run this chapter" box."""
    from . import notebooks

    memo = context.root / "_build" / ".reader-notebooks"
    notebooks.write_site_notebooks(site, context.root, context.executed_notebooks, memo)


def numbers_json(site: Path, context: BuildContext) -> None:
    """Every glued value of the book, with its page, unit and source: ``numbers.json``."""
    from . import numbers

    numbers.write_numbers(site, numbers.collect(context.root, context.executed_notebooks, context.commit))


def figure_downloads(site: Path, context: BuildContext) -> None:
    """Each figure's image and the data it plots, linked from its caption (book_build.figure_downloads)."""
    from . import figure_downloads as downloads

    by_page = downloads.add_downloads(site, context.executed_notebooks, context.root)
    context.log(f"figure downloads: {sum(map(len, by_page.values()))} figures on {len(by_page)} pages")


def carry_over_pdf(site: Path, context: BuildContext) -> None:
    """Keep offering the PDFs of the last `make pdf` (they are built separately)."""
    for name in sorted(ADDED_LATER):
        pdf = context.root / "_build" / "pdf" / name
        if pdf.is_file():
            shutil.copy2(pdf, site / name)


def check_links(site: Path, context: BuildContext) -> None:
    """Every internal link, image, script and anchor of every page resolves (raises otherwise)."""
    from . import linkcheck

    problems = linkcheck.broken_links(site, ignore=ADDED_LATER, memo=context.root / "_build" / ".linkcheck")
    if problems:
        raise linkcheck.BrokenLinks(problems)


#: What happens to a freshly rendered site before it replaces the published one, in this order.
#: This is the one place for a step that rewrites files of the rendered site (the reader notebooks
#: are one); each takes the staged site and the :class:`BuildContext`. The link check runs last,
#: so that it sees the site exactly as it will be published; the manifest is written after them all.
POST_RENDER_STEPS: list[Callable[[Path, BuildContext], object]] = [
    colophon_commit,
    stabilise_notebook_ids,
    reader_notebooks,
    numbers_json,
    figure_downloads,
    carry_over_pdf,
    check_links,
]


def finish(site: Path, context: BuildContext, inputs: Inputs) -> None:
    for step in POST_RENDER_STEPS:
        step(site, context)
    write_manifest(site, inputs)


# --- publishing -------------------------------------------------------------------------------------------


def stage(rendered: Path, root: Path) -> Path:
    """A copy of Sphinx's output to finish into the next site (``_build/staging-<pid>``).

    Staging folders of builds that were killed are deleted first (the build lock is held: no other
    build is using one).
    """
    build_dir = root / "_build"
    for old in build_dir.glob("staging-*"):
        shutil.rmtree(old, ignore_errors=True)
    staged = build_dir / f"staging-{os.getpid()}"
    shutil.copytree(rendered, staged, symlinks=True)
    return staged


def current_site(root: Path) -> Path | None:
    """The folder ``_build/html`` shows, or None."""
    link = site_link(root)
    return link.resolve() if link.exists() else None


def publish(staged: Path, root: Path) -> Path:
    """Make ``staged`` the published site with one atomic rename; delete the sites before the one it replaces."""
    sites = sites_dir(root)
    sites.mkdir(parents=True, exist_ok=True)
    name = time.strftime("%Y%m%d-%H%M%S") + f"-{os.getpid()}"
    target, count = sites / name, 0
    while target.exists():
        count += 1
        target = sites / f"{name}-{count}"
    os.rename(staged, target)

    link = site_link(root)
    replaced = current_site(root)
    if link.is_dir() and not link.is_symlink():
        # A site from before sites were published by link: moved aside first, the one time when
        # there is a moment (between two renames) with no site.
        os.rename(link, sites / f"{name}-previous")
    temporary = link.with_name(".html-new")
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    os.symlink(os.path.relpath(target, link.parent), temporary)
    os.replace(temporary, link)

    for old in sites.iterdir():
        if old not in (target, replaced) and old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
    return target
