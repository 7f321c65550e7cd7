"""Keep the execution cache honest: drop cached runs whose inputs changed.

Jupyter Book's cache keys only on code cells: editing ``data/*.csv`` would leave a page with stale
numbers. Each chapter's colophon (``paying_for_protection.provenance``) records the files the
chapter read and the package's source files, with their SHA-256, in its output's metadata.
Before each build, :func:`invalidate_stale_cache` reads that record back from every cached
notebook and drops the cached execution of any chapter whose recorded inputs or package code
changed since it ran, so that chapter is executed again (:mod:`.execution` calls it first).
"""

from __future__ import annotations

from pathlib import Path

from paying_for_protection import paths
from paying_for_protection.provenance import INPUTS_KEY, _sha256, package_files


def _manifest_is_current(manifest: dict[str, dict[str, str]]) -> bool:
    for group, base in (("data", paths.ROOT), ("code", paths.PACKAGE_ROOT)):
        recorded = manifest.get(group)
        if not isinstance(recorded, dict):
            return False
        for relpath, digest in recorded.items():
            path = base / relpath
            if not path.is_file() or _sha256(path) != digest:
                return False
    # A package file added since the run also counts as a code change.
    return set(manifest["code"]) == set(package_files())


def invalidate_stale_cache(cache_dir: Path) -> list[str]:
    """Remove cached executions whose recorded inputs changed; return the notebooks affected."""
    if not (cache_dir / "global.db").exists():
        return []
    from jupyter_cache import get_cache

    cache = get_cache(str(cache_dir))
    removed = []
    for record in cache.list_cache_records():
        notebook = cache.get_cache_bundle(record.pk).nb
        manifests = [
            output["metadata"][INPUTS_KEY]
            for cell in notebook.cells
            if cell.get("cell_type") == "code"
            for output in cell.get("outputs", [])
            if INPUTS_KEY in output.get("metadata", {})
        ]
        if not manifests or not all(_manifest_is_current(m) for m in manifests):
            cache.remove_cache(record.pk)
            removed.append(record.uri)
    return removed
