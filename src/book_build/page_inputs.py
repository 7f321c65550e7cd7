"""Tell Sphinx which data files each page shows values from (a small Sphinx extension).

A page's content changes when its source changes and also when a table it reads changes: a new
data release moves the numbers without touching the chapter. Each chapter's colophon records the
files it read in the executed notebook (``paying_for_protection.provenance.INPUTS_KEY``, read
back from the execution cache exactly as :mod:`.cache_guard` does). This extension declares those
``data/`` files as the page's dependencies, so that sphinx-last-updated-by-git dates each page by
the latest commit of its source *or* of the data it reads.

Package code is deliberately not counted: a refactoring that leaves every number the same would
otherwise re-date every page.
"""

from __future__ import annotations

from pathlib import Path

from paying_for_protection.provenance import INPUTS_KEY

DATA_PREFIX = "data/"


def data_files_by_source(cache_dir: Path) -> dict[str, list[str]]:
    """Absolute source path of each cached notebook -> the data files (relative to the book) it read."""
    if not (cache_dir / "global.db").exists():
        return {}
    from jupyter_cache import get_cache

    cache = get_cache(str(cache_dir))
    found: dict[str, list[str]] = {}
    for record in cache.list_cache_records():
        notebook = cache.get_cache_bundle(record.pk).nb
        files: set[str] = set()
        for cell in notebook.cells:
            for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
                manifest = output.get("metadata", {}).get(INPUTS_KEY)
                if manifest:
                    files.update(f for f in manifest.get("data", {}) if f.startswith(DATA_PREFIX))
        found[str(Path(record.uri).resolve())] = sorted(files)
    return found


def _note_data_dependencies(app, docname, source):
    if docname not in app.env.found_docs:
        return  # an included file, not a page
    inputs = getattr(app.env, "pfp_page_inputs", None)
    if inputs is None:
        cache = Path(app.srcdir, app.config.nb_execution_cache_path)
        inputs = app.env.pfp_page_inputs = data_files_by_source(cache)
    for relpath in inputs.get(str(Path(app.env.doc2path(docname)).resolve()), []):
        app.env.note_dependency(str(Path(app.srcdir, relpath).resolve()))


def _forget_inputs(app, env, docnames):
    # Read the execution cache afresh in every build (chapters may have re-executed).
    if hasattr(env, "pfp_page_inputs"):
        del env.pfp_page_inputs


def setup(app):
    app.connect("env-before-read-docs", _forget_inputs)
    app.connect("source-read", _note_data_dependencies)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
