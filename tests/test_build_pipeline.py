"""The build pipeline: the cache never serves a page older than its data, and bad data stops the build.

The first tests drive the cache guard directly; the last one runs `make book` twice on a scratch
copy of the book (the data page only, to stay quick) and checks the two promises of the
README: a changed data file changes the page that shows it, and a corrupted one stops the build
with a message naming it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn

from paying_for_protection import paths, provenance


def _cached_notebook(manifest: dict | None, code: str = "provenance.colophon()") -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(code, execution_count=1)
    metadata = {provenance.INPUTS_KEY: manifest} if manifest is not None else {}
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/plain": "colophon"}, metadata=metadata)]
    nb.cells.append(cell)
    return nb


def test_cache_guard_drops_runs_whose_data_changed_and_keeps_the_others(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = tmp_path / "book"
    (root / "data").mkdir(parents=True)
    table = root / "data" / "table.csv"
    table.write_text("year,value\n2024,1\n", encoding="utf-8")
    monkeypatch.setattr(paths, "ROOT", root)

    manifest = {"data": {"data/table.csv": provenance._sha256(table)}, "code": provenance.package_files()}
    cache = get_cache(str(tmp_path / "cache"))
    fresh = cache.cache_notebook_bundle(CacheBundleIn(_cached_notebook(manifest), str(root / "fresh.md")), check_validity=False)
    unmarked = cache.cache_notebook_bundle(CacheBundleIn(_cached_notebook(None, "print('no colophon')"), str(root / "unmarked.md")), check_validity=False)
    assert fresh.pk != unmarked.pk

    # A run with no manifest cannot vouch for its inputs: it is dropped, the current one is kept.
    assert provenance.invalidate_stale_cache(tmp_path / "cache") == [str(root / "unmarked.md")]
    assert [r.pk for r in cache.list_cache_records()] == [fresh.pk]

    # Editing the data file makes the remaining run stale.
    table.write_text("year,value\n2024,2\n", encoding="utf-8")
    assert provenance.invalidate_stale_cache(tmp_path / "cache") == [str(root / "fresh.md")]
    assert cache.list_cache_records() == []


def test_cache_guard_drops_runs_whose_package_code_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    code = provenance.package_files()
    some_file = next(iter(code))
    stale = {"data": {}, "code": {**code, some_file: "0" * 64}}
    cache = get_cache(str(tmp_path / "cache"))
    cache.cache_notebook_bundle(CacheBundleIn(_cached_notebook(stale), str(tmp_path / "a.md")), check_validity=False)
    assert provenance.invalidate_stale_cache(tmp_path / "cache") == [str(tmp_path / "a.md")]


def test_colophon_lists_the_data_files_a_session_read():
    from paying_for_protection import loaders

    loaders.load_usfk_troops()
    colophon = provenance.colophon()
    data, metadata = colophon._repr_mimebundle_()
    manifest = metadata[provenance.INPUTS_KEY]
    assert "data/usfk_troops.csv" in manifest["data"]
    assert manifest["data"]["data/usfk_troops.csv"] == provenance._sha256(paths.DATA_DIR / "usfk_troops.csv")
    assert "data/usfk_troops.csv" in data["text/html"]


def _make_book(book: Path) -> subprocess.CompletedProcess:
    venv = Path(sys.prefix)
    env = {**os.environ, "PFP_ROOT": str(book)}
    return subprocess.run(
        ["make", "-C", str(book), f"VENV={venv}", "-o", f"{venv}/.installed", "book"],
        capture_output=True,
        text=True,
        env=env,
    )


def _glued_count(html: str) -> str:
    match = re.search(r"\(there are <span[^>]*>([\d,]+)</span>\)", html)
    assert match, "the glued SIPRI count is missing from the data page"
    return match.group(1)


@pytest.mark.book
def test_make_book_rebuilds_a_page_when_its_data_changes_and_stops_on_bad_data(tmp_path: Path):
    book = tmp_path / "book"
    shutil.copytree(paths.ROOT, book, ignore=shutil.ignore_patterns(".venv", "_build", ".git", "__pycache__", ".pytest_cache"))
    # Only the data page (and the references it cites), to keep the three builds quick.
    (book / "_toc.yml").write_text("format: jb-book\nroot: chapters/data\nchapters:\n  - file: zreferences\n", encoding="utf-8")

    first = _make_book(book)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    page = book / "_build" / "html" / "chapters" / "data.html"
    before = _glued_count(page.read_text(encoding="utf-8"))

    # Drop one SIPRI aggregate: the page's glued count must fall by one, which needs re-execution.
    world = book / "data" / "sipri_world.csv"
    lines = world.read_text(encoding="utf-8").splitlines()
    world.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    second = _make_book(book)
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    assert "re-executing data.md" in second.stdout
    after = _glued_count(page.read_text(encoding="utf-8"))
    assert int(after.replace(",", "")) == int(before.replace(",", "")) - 1

    # Corrupt a table: the build stops before executing anything, naming file, row and column,
    # and the last good book stays in place.
    gdp = book / "data" / "wdi_gdp.csv"
    rows = gdp.read_text(encoding="utf-8").splitlines()
    rows[4] = rows[4].rsplit(",", 1)[0] + ",not-a-number"
    gdp.write_text("\n".join(rows) + "\n", encoding="utf-8")
    third = _make_book(book)
    assert third.returncode != 0
    assert "data/wdi_gdp.csv, line 5 (data row 4), column 'gdp_constant_2015_usd_bn'" in third.stderr
    assert _glued_count(page.read_text(encoding="utf-8")) == after
