"""The fingerprint behind `make book`'s fast path: what changes it and what must not."""

from __future__ import annotations

import json
from pathlib import Path

from book_build import fingerprint as buildstate


def _book(root: Path) -> Path:
    (root / "chapters").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n  - file: chapters/one\n", encoding="utf-8"
    )
    (root / "intro.md").write_text("# Intro\n", encoding="utf-8")
    (root / "chapters" / "one.md").write_text("# One\n", encoding="utf-8")
    (root / "data" / "table.csv").write_text("year,value\n2024,1\n", encoding="utf-8")
    return root


def _site(root: Path) -> Path:
    site = root / "_build" / "html"
    (site / "chapters").mkdir(parents=True)
    (site / "intro.html").write_text("<html></html>", encoding="utf-8")
    (site / "chapters" / "one.html").write_text("<html></html>", encoding="utf-8")
    (site / buildstate.FINGERPRINT_NAME).write_text(buildstate.fingerprint(root) + "\n", encoding="ascii")
    return site


def test_any_input_edit_changes_the_fingerprint_and_the_site_is_no_longer_current(tmp_path: Path):
    root = _book(tmp_path / "book")
    site = _site(root)
    assert buildstate.is_up_to_date(site, root)
    (root / "data" / "table.csv").write_text("year,value\n2024,2\n", encoding="utf-8")
    assert not buildstate.is_up_to_date(site, root)


def test_a_new_input_file_and_a_renamed_one_count_as_changes(tmp_path: Path):
    root = _book(tmp_path / "book")
    before = buildstate.fingerprint(root)
    (root / "data" / "new.csv").write_text("a\n", encoding="utf-8")
    added = buildstate.fingerprint(root)
    assert added != before
    (root / "data" / "new.csv").rename(root / "data" / "renamed.csv")
    assert buildstate.fingerprint(root) not in {before, added}


def test_build_output_git_metadata_and_tests_do_not_count(tmp_path: Path):
    root = _book(tmp_path / "book")
    before = buildstate.fingerprint(root)
    for folder in ("_build/html", ".git/objects", ".venv/bin", "tests", "src/pkg/__pycache__"):
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / "file").write_text("anything", encoding="utf-8")
    assert buildstate.fingerprint(root) == before


def test_a_site_missing_a_page_is_not_current(tmp_path: Path):
    root = _book(tmp_path / "book")
    site = _site(root)
    (site / "chapters" / "one.html").unlink()
    assert not buildstate.is_up_to_date(site, root)


def test_notebook_ids_become_positional_and_nothing_else_changes(tmp_path: Path):
    site = tmp_path / "html"
    (site / "_sources").mkdir(parents=True)
    notebook = {
        "cells": [
            {"cell_type": "code", "id": "a1b2c3", "metadata": {}, "source": "1", "outputs": [], "execution_count": 1}
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = site / "_sources" / "page.ipynb"
    path.write_text(json.dumps(notebook, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    assert buildstate.stabilise_notebook_ids(site) == 1
    rewritten = json.loads(path.read_text(encoding="utf-8"))
    assert rewritten["cells"][0]["id"] == "cell-0"
    rewritten["cells"][0]["id"] = "a1b2c3"
    assert rewritten == notebook
