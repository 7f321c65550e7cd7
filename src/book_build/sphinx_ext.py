"""The build's own Sphinx extension (loaded by :mod:`book_build.render`, never by the chapters).

1. **Re-read a page whose executed notebook changed.** Sphinx re-reads a page when its source file
   changed. When only a data file changed, the cache guard finds the chapter's cached run stale and
   the chapter is executed again, but its source is the same: Sphinx would keep the old page. myst-nb
   records, for every page it reads, the creation time of the cached run it used; the build passes
   the creation time of each chapter's current run (``pfp_cache_runs``), and a page whose two times
   differ is read again (``env-get-outdated``).
2. **The commit in the colophons is the commit being rendered** (``pfp_build_commit``): a cached
   run keeps the commit and the "uncommitted changes" flag of the checkout it ran in, which a
   later commit would make untrue. The LaTeX builder writes it into each page here; the HTML
   pages get it after rendering (``book_build.site``), so that a new commit does not make every
   page one to write again.
3. **Citations formatted once, not on every build.** pybtex finds its styles and back ends through
   ``importlib.metadata`` entry points, a scan of every installed distribution, on each look-up;
   sphinxcontrib-bibtex looks one up for every citation it resolves (about a hundred per build,
   50 ms each on the reference machine). And it formats every entry of every bibliography on every
   build, twice (text and tooltip), even when nothing changed. The classes the book's citations
   use are registered once, through pybtex's own ``register_plugin``; the formatting style is
   registered as a subclass that remembers what it formatted, keyed on everything the result
   depends on (the style's settings, the label and the entry's type, fields and people), in a
   file kept with Sphinx's environment (and wiped with it). Only where a class is found and
   whether a result is computed again change, not what any citation says.
4. **Links to files the build adds to the site** (``numbers.json``), which Sphinx cannot see when
   it reads the pages: a Markdown link ``[numbers.json](../numbers.json)`` resolves to the file at
   the site's root from any page.
5. **plotly's JavaScript served with the site**, for the interactive chart of the budget chapter
   (``paying_for_protection.figures.interactive``): the copy that comes with the installed plotly
   is written to the site's ``_static`` folder and loaded by the pages that show such a chart, and
   only by them (it is large). Nothing is fetched from a CDN, so the chart works offline.
6. **Only the pages that changed are written again, and never a stale one**
   (:func:`pages_to_write`). Sphinx writes the pages it read again; the rest of the site is kept
   from the last build (``book_build.render``). A page that was not read again can still change
   through another page: its navigation shows every page's title and headings, its references
   show other pages' section titles and figure numbers, its citations the labels of the
   bibliography, and it may paste values that another chapter glued. So after reading, the
   extension compares everything that reaches across pages with the last build: when any of it
   changed, the output folder is emptied (but for the static files) and every page is written (as
   on a clean build, so no file of the earlier build is left behind); otherwise it adds to the
   pages Sphinx writes those that paste a value from a page read again. A warning that only writing a page can raise
   (a broken reference) cannot hide in a page that is kept: the page was written without it
   before, and nothing it refers to has changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from paying_for_protection import provenance

LOGGER = logging.getLogger(__name__)

#: The pybtex plugins the book's citations use (``bibtex_default_style`` is added from the
#: configuration): the plain-text back end of the tooltips and the author-year referencing style's
#: name, label and sorting styles. A plugin missing here is found the slow way, as before.
PYBTEX_PLUGINS = [
    ("pybtex.backends", "plaintext"),
    ("pybtex.backends", "markdown"),  # the reader notebooks' reference lists (book_build.notebooks)
    ("pybtex.style.names", "plain"),
    ("pybtex.style.names", "last"),
    ("pybtex.style.labels", "number"),
    ("pybtex.style.sorting", "author_year_title"),
]


def reread_reexecuted(app: Sphinx, env: Any, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """Pages whose chapter was executed again since they were read (``env-get-outdated``)."""
    from myst_nb.sphinx_ import NbMetadataCollector

    runs: dict[str, float] = app.config.pfp_cache_runs or {}
    again = []
    for docname in sorted(env.all_docs):
        if docname in changed or docname in removed:
            continue
        current = runs.get(str(env.doc2path(docname)))
        if current is None:
            continue
        read_from = (NbMetadataCollector.get_exec_data(env, docname) or {}).get("mtime")
        if read_from != current:
            again.append(docname)
    if again:
        LOGGER.info("re-reading %s: executed again since last read", ", ".join(again))
    return again


class BuildCommit(SphinxPostTransform):
    """Write the commit being rendered into each colophon (see the module docstring)."""

    default_priority = 900

    def run(self, **kwargs: Any) -> None:
        commit = self.config.pfp_build_commit
        if not commit or self.app.builder.format == "html":
            return  # HTML pages get the commit after rendering (book_build.site.colophon_commit)
        for node in list(self.document.findall(nodes.raw)):
            text = node.astext()
            if provenance.COMMIT_CLASS in text:
                node.replace_self(nodes.raw(text=provenance.with_build_commit(text, commit), **node.attributes))
        for node in list(self.document.findall(nodes.literal_block)):
            text = node.astext()
            if f"{provenance.COMMIT_LABEL}: " in text:
                new = node.deepcopy()
                new.children = [nodes.Text(provenance.with_build_commit(text, commit))]
                node.replace_self(new)


#: What reaches across pages, as of the last successful build (see :func:`pages_to_write`).
SITE_WIDE_FILE = "pfp-site-wide.pickle"


def site_wide_state(app: Sphinx, env: Any) -> dict[str, Any]:
    """Everything that one page shows of the others, in plain values that compare and pickle.

    (The static files every page loads are not here: a change of them starts Sphinx afresh; see
    ``book_build.render``.)
    """
    std = env.get_domain("std")
    cite = env.get_domain("cite")
    return {
        "pages": sorted(env.found_docs),
        "titles": {doc: title.astext() for doc, title in sorted(env.titles.items())},
        "headings": {doc: toc.astext() for doc, toc in sorted(env.tocs.items())},
        "toctrees": {doc: list(children) for doc, children in sorted(env.toctree_includes.items())},
        "labels": dict(sorted(std.labels.items())),
        "anonymous labels": dict(sorted(std.anonlabels.items())),
        "terms and objects": sorted((str(k), str(v)) for k, v in std.objects.items()),
        "figure numbers": {doc: dict(n) for doc, n in sorted(env.toc_fignumbers.items())},
        "section numbers": {doc: dict(n) for doc, n in sorted(env.toc_secnumbers.items())},
        "images": sorted(env.images),
        "downloads": sorted(env.dlfiles),
        # Sorted: the domain lists a page's citations last once the page was read again.
        "citations": sorted(
            (c.citation_id, c.bibliography_key.docname, c.key, c.formatted_entry.label, str(c.formatted_entry.text))
            for c in cite.citations
        ),
    }


def note_pages_read(app: Sphinx, env: Any, docnames: list[str]) -> None:
    """Remember which pages Sphinx reads again (``env-before-read-docs``)."""
    app.pfp_pages_read = set(docnames)


def pages_to_write(app: Sphinx, env: Any) -> list[str]:
    """Pages to write besides those read again, or every page (``env-get-updated``; see the module
    docstring). Runs after Sphinx has numbered the figures and sections."""
    import pickle
    import shutil

    if app.builder.format != "html":
        return []
    current = site_wide_state(app, env)
    app.pfp_site_wide = current
    try:
        with open(Path(app.doctreedir) / SITE_WIDE_FILE, "rb") as handle:
            previous = pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        previous = None
    changed = (
        "no record of the last build"
        if not isinstance(previous, dict)
        else next((name for name in current if previous.get(name) != current[name]), None)
    )
    if changed:
        LOGGER.info("writing every page afresh: %s", changed if previous is None else f"the {changed} changed")
        # Everything but the static files, which Sphinx and its extensions have already written
        # for this build (and which cannot be stale: a change of them starts afresh).
        for path in Path(app.outdir).iterdir():
            if path.name != "_static":
                shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
        return sorted(env.found_docs)
    from .numbers import uses

    read = getattr(app, "pfp_pages_read", set())
    pasting = set()
    for doc in sorted(env.found_docs - read):
        text = Path(env.doc2path(doc)).read_text(encoding="utf-8")
        if any(use.source_page in read for use in uses(text, doc) if use.source_page != doc):
            pasting.add(doc)
    if pasting:
        LOGGER.info("writing again %s: they paste values from a page read again", ", ".join(sorted(pasting)))
    return sorted(pasting)


def search_index_as_a_clean_build_makes_it() -> None:
    """Make the search index of a build that writes some pages equal to a clean build's.

    When Sphinx writes some pages, it loads the last ``searchindex.js`` and removes from it the
    pages it writes again, then adds them back. Sphinx 7.4 loses two things on the way, which this
    puts right (it patches ``sphinx.search.IndexBuilder`` in the build's process only):

    * the index entries of the pages it keeps (the glossary's terms): ``load`` does not read them
      back, so the search box would stop finding a glossary term after any edit elsewhere;
    * the words only the rewritten pages used: ``prune`` leaves them in the index with no page.

    The index entries are also put in page order before the index is written, as a clean build
    adds them.
    """
    import io

    from sphinx.search import IndexBuilder

    if getattr(IndexBuilder, "pfp_as_a_clean_build", False):
        return
    load, prune, freeze = IndexBuilder.load, IndexBuilder.prune, IndexBuilder.freeze

    def load_with_index_entries(self, stream, format) -> None:
        if isinstance(format, str):
            format = self.formats[format]
        frozen = format.load(stream)
        load(self, io.StringIO(format.dumps(frozen)), format)
        pages = frozen["docnames"]
        entries: dict[str, list[tuple[str, str, str]]] = {}
        for name, places in frozen.get("indexentries", {}).items():
            for page, anchor, main in places:
                entries.setdefault(pages[page], []).append((name, anchor, "main" if main else ""))
        self._index_entries = {page: sorted(found) for page, found in entries.items()}

    def prune_all_of_a_page(self, docnames) -> None:
        prune(self, docnames)
        kept = set(docnames)
        self._index_entries = {page: found for page, found in self._index_entries.items() if page in kept}
        for mapping in (self._mapping, self._title_mapping):
            for word in [word for word, pages in mapping.items() if not pages]:
                del mapping[word]

    def freeze_in_page_order(self):
        self._index_entries = dict(sorted(self._index_entries.items()))
        return freeze(self)

    IndexBuilder.load = load_with_index_entries
    IndexBuilder.prune = prune_all_of_a_page
    IndexBuilder.freeze = freeze_in_page_order
    IndexBuilder.pfp_as_a_clean_build = True


def keep_site_wide_state(app: Sphinx, exception: Exception | None) -> None:
    """Record what reaches across pages after a build that finished (``build-finished``)."""
    import pickle

    state = getattr(app, "pfp_site_wide", None)
    if exception is None and state is not None:
        with open(Path(app.doctreedir) / SITE_WIDE_FILE, "wb") as handle:
            pickle.dump(state, handle)


#: Formatted citations by everything they depend on (see the module docstring), kept between builds.
FORMATTED: dict[tuple, Any] = {}
FORMATTED_FILE = "pfp-formatted-citations.pickle"


def _citation_key(style: Any, label: str, entry: Any) -> tuple | None:
    """Everything pybtex's formatting of ``entry`` depends on; None when it depends on more."""
    if "crossref" in entry.fields:
        return None  # reads another entry
    formatting = type(style).__mro__[1]  # the style this class remembers for (its code is part of the
    # environment key of book_build.render: a change of it, or of pybtex, starts afresh)
    settings = (
        f"{formatting.__module__}.{formatting.__qualname__}",
        type(style.name_style).__qualname__,
        style.abbreviate_names,
        style.min_crossrefs,
    )
    people = tuple((role, tuple(str(p) for p in persons)) for role, persons in entry.persons.items())
    return (settings, label, entry.key, entry.type, tuple(entry.fields.items()), people)


def remembering(style_class: type) -> type:
    """``style_class`` with a ``format_entry`` that remembers its results in :data:`FORMATTED`."""

    class Remembering(style_class):
        def format_entry(self, label, entry, bib_data=None):
            key = None if bib_data is not None else _citation_key(self, label, entry)
            if key is None:
                return super().format_entry(label, entry, bib_data)
            if key not in FORMATTED:
                FORMATTED[key] = super().format_entry(label, entry, bib_data)
            return FORMATTED[key]

    Remembering.__name__ = Remembering.__qualname__ = style_class.__name__
    Remembering.remembers_formatted_entries = True
    return Remembering


def register_citation_plugins(app: Sphinx) -> None:
    """Register the pybtex plugins the book uses once, and load what was formatted before."""
    import pickle
    from importlib.metadata import entry_points

    import pybtex.plugin

    installed = entry_points()
    for group, name in PYBTEX_PLUGINS:
        for search in (group, f"{group}.aliases"):  # as pybtex searches: names first, then aliases
            found = list(installed.select(group=search, name=name))
            if found:
                pybtex.plugin.register_plugin(search, name, found[0].load(), force=True)
                break
    # The formatting style may itself be registered at run time (the book's own, by
    # book_build.bibliography): find it the way sphinxcontrib-bibtex will, then remember its results.
    style_name = app.config.bibtex_default_style
    style = pybtex.plugin.find_plugin("pybtex.style.formatting", style_name)
    if not getattr(style, "remembers_formatted_entries", False):
        pybtex.plugin.register_plugin("pybtex.style.formatting", style_name, remembering(style), force=True)
    FORMATTED.clear()
    try:
        with open(Path(app.doctreedir) / FORMATTED_FILE, "rb") as handle:
            FORMATTED.update(pickle.load(handle))
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        pass  # first build, or a file from other versions of the libraries: format afresh


def keep_formatted_citations(app: Sphinx, exception: Exception | None) -> None:
    """Save the formatted citations with Sphinx's environment after a successful build."""
    import pickle

    if exception is None and FORMATTED:
        path = Path(app.doctreedir) / FORMATTED_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as handle:
            pickle.dump(FORMATTED, handle)


#: Files the build writes into the site's root after Sphinx has run (see ``book_build.site``).
SITE_FILES = {"numbers.json"}


class SiteFiles(Domain):
    """Resolves a link to a file the build adds to the site's root (see the module docstring)."""

    name = "pfp-site"
    label = "files added to the site by the build"

    def resolve_xref(self, env, fromdocname, builder, typ, target, node, contnode):
        return None

    def resolve_any_xref(self, env, fromdocname, builder, target, node, contnode):
        from sphinx.util.osutil import relative_uri

        name = Path(target).name
        if name not in SITE_FILES:
            return []
        reference = nodes.reference(
            "", "", internal=False, refuri=relative_uri(builder.get_target_uri(fromdocname), name)
        )
        reference.append(contnode)
        return [("pfp-site:file", reference)]

    def merge_domaindata(self, docnames, otherdata) -> None:
        pass


#: plotly's JavaScript, as served in the site's ``_static`` folder.
PLOTLY_JS = "plotly.min.js"
#: The class of an interactive chart's container (``paying_for_protection.figures.interactive.CSS_CLASS``,
#: which a test holds equal: importing that module for it would import pandas and matplotlib).
INTERACTIVE_CLASS = "pfp-interactive"


def load_plotly_where_needed(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Load plotly's JavaScript in the pages that show an interactive chart (``html-page-context``)."""
    if f'class="{INTERACTIVE_CLASS}"' in context.get("body", ""):
        app.add_js_file(PLOTLY_JS)


def drop_duplicate_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Each script once per page (``html-page-context``).

    sphinx-thebe, which Jupyter Book always loads, adds its inline configuration script
    (``const THEBE_JS_URL = ...``) when the documents are read; under Sphinx 7.4 the page then
    carries it twice, and the second ``const`` declaration is a JavaScript error on every page.
    """
    seen, unique = set(), []
    for script in context.get("script_files", []):
        # An inline script has no file: None in one copy, "" in the other.
        key = (str(getattr(script, "filename", script) or ""), tuple(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    # In place: the list is the builder's own, to which handlers after this one add their scripts.
    context["script_files"][:] = unique


def static_files_before_writing(app: Sphinx) -> None:
    """Put the static files that extensions add late into ``_static`` before any page is written
    (``builder-inited``): plotly's JavaScript, and myst-nb's stylesheet (which myst-nb itself only
    copies when the build has finished).

    Sphinx links each static file from a page with a checksum of it (``mystnb.css?v=...``) when
    the file is there as the page is written. Written first, these files are there in a clean build
    and in one that writes some pages alike, so the two give the same pages.
    """
    if app.builder.format != "html":
        return
    import shutil

    import plotly
    from myst_nb.sphinx_ext import add_global_html_resources

    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    source = Path(plotly.__file__).parent / "package_data" / PLOTLY_JS
    if not source.is_file():
        raise FileNotFoundError(f"plotly {plotly.__version__} ships no {PLOTLY_JS} at {source}")
    shutil.copyfile(source, static / PLOTLY_JS)
    add_global_html_resources(app, None)


def setup(app: Sphinx) -> dict[str, Any]:
    # Not "html": the HTML pages get the commit after rendering, so a new one rewrites no page.
    app.add_config_value("pfp_build_commit", "", "")
    app.add_config_value("pfp_cache_runs", {}, "")
    app.connect("env-get-outdated", reread_reexecuted)
    app.connect("env-before-read-docs", note_pages_read)
    # After Sphinx's own handler, which numbers the figures and sections.
    app.connect("env-get-updated", pages_to_write, priority=900)
    app.connect("build-finished", keep_site_wide_state)
    search_index_as_a_clean_build_makes_it()
    app.connect("builder-inited", register_citation_plugins)
    app.connect("build-finished", keep_formatted_citations)
    app.add_post_transform(BuildCommit)
    app.add_domain(SiteFiles)
    app.connect("html-page-context", load_plotly_where_needed)
    # Early: html-page-context stops at the first handler that returns a template, and the
    # duplicates are already there (added while the documents were read).
    app.connect("html-page-context", drop_duplicate_scripts, priority=100)
    app.connect("builder-inited", static_files_before_writing)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
