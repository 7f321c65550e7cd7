"""Keep the execution cache honest: find the cached runs whose inputs changed.

Jupyter Book's cache keys only on code cells: editing ``data/*.csv`` would leave a page with stale
numbers. Each chapter's colophon (``paying_for_protection.provenance``) records, in its output's
metadata, the files the chapter read and the package's source files with their SHA-256, and the
environment it ran in (Python, installed distributions, imported modules). Before each build,
:func:`stale_runs` reads that record back from every cached notebook and names each cached
execution whose recorded inputs or package code changed since it ran, or whose environment changed
in a way that reaches it: a new version of a distribution that provides a module the chapter
imported. That chapter is then executed again (:mod:`.execution` calls this first); a new pin of a
library no chapter imports re-executes nothing.

A stale run is not deleted: it stays in the cache until a successful run of the same chapter
replaces it. A re-execution that fails or is interrupted therefore loses nothing, and undoing the
edit that broke it makes the old run current again, with nothing to execute. Only the build's
execution step reads the cache before Sphinx does, and it never lets Sphinx start while a chapter
it renders has a stale run (the build stops first).
"""

from __future__ import annotations

from functools import cache
from importlib import metadata
from pathlib import Path

from paying_for_protection import paths
from paying_for_protection.provenance import INPUTS_KEY, _sha256, installed_distributions, package_files


@cache
def _modules_of(distribution: str) -> frozenset[str]:
    """The top-level modules an installed distribution provides."""
    try:
        found = metadata.distribution(distribution)
    except metadata.PackageNotFoundError:
        return frozenset()
    listed = found.read_text("top_level.txt")
    if listed:
        return frozenset(line.strip() for line in listed.splitlines() if line.strip())
    names = set()
    for file in found.files or []:
        first = file.parts[0] if file.parts else ""
        if first.endswith((".dist-info", ".egg-info", ".data")) or first in {"..", "bin"}:
            continue
        names.add(first.removesuffix(".py") if len(file.parts) == 1 else first)
    return frozenset(names)


def environment_changes(recorded: dict) -> list[str]:
    """How the current environment differs from a recorded one in ways that reach its modules."""
    import platform

    if not isinstance(recorded, dict) or not isinstance(recorded.get("distributions"), dict):
        return ["no record of the environment"]
    if recorded.get("python") != platform.python_version():
        return [f"Python {recorded.get('python')} -> {platform.python_version()}"]
    before, now = recorded["distributions"], installed_distributions()
    imported = set(recorded.get("modules", []))
    changes = []
    for name in sorted(set(before) | set(now)):
        if before.get(name) == now.get(name):
            continue
        if name not in now:
            # Its modules cannot be looked up any more: whether the chapter imported one of them
            # shows in whether every module it imported can still be found.
            from importlib.util import find_spec

            gone = sorted(m for m in imported if find_spec(m) is None)
            if gone:
                changes.append(f"{name} {before[name]} was uninstalled (the chapter imported {gone[0]})")
        elif _modules_of(name) & imported:
            was = before.get(name, "not installed")
            changes.append(f"{name} {was} -> {now[name]}")
    return changes


def why_stale(manifest: dict) -> str | None:
    """None when a cached run's recorded inputs are all unchanged; otherwise what changed."""
    for group, base in (("data", paths.ROOT), ("code", paths.PACKAGE_ROOT)):
        recorded = manifest.get(group)
        if not isinstance(recorded, dict):
            return f"no record of its {group} files"
        for relpath, digest in recorded.items():
            path = base / relpath
            if not path.is_file():
                return f"{relpath} is gone"
            if _sha256(path) != digest:
                return f"{relpath} changed"
    # A package file added since the run also counts as a code change.
    added = set(package_files()) - set(manifest["code"])
    if added:
        return f"{sorted(added)[0]} is new"
    changes = environment_changes(manifest.get("environment"))
    return "; ".join(changes) if changes else None


def stale_runs(cache_dir: Path, kept: dict[int, object] | None = None) -> dict[int, tuple[str, str]]:
    """The cached executions whose recorded inputs changed: {record id: (notebook, what changed)}.

    The records stay in the cache (see the module docstring). ``kept``, when given, receives the
    executed notebook of every run that is current, by record id (the build reuses them instead of
    reading them again).
    """
    if not (cache_dir / "global.db").exists():
        return {}
    from jupyter_cache import get_cache

    cache = get_cache(str(cache_dir))
    stale = {}
    for record in cache.list_cache_records():
        notebook = cache.get_cache_bundle(record.pk).nb
        manifests = [
            output["metadata"][INPUTS_KEY]
            for cell in notebook.cells
            if cell.get("cell_type") == "code"
            for output in cell.get("outputs", [])
            if INPUTS_KEY in output.get("metadata", {})
        ]
        reasons = [why_stale(m) for m in manifests] if manifests else ["it records no inputs (no colophon)"]
        reasons = [r for r in reasons if r]
        if reasons:
            stale[record.pk] = (record.uri, reasons[0])
        elif kept is not None:
            kept[record.pk] = notebook
    return stale
