"""Every chapter has the book's skeleton, and the chapter notebooks match their sources and run."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from book_build import notebooks
from paying_for_protection import paths
from paying_for_protection.formatting.links import notebook_path

SKELETON = ["Overview", "Data", "Summary", "References", "Colophon"]


@pytest.mark.parametrize("source", notebooks.CHAPTER_SOURCES)
def test_chapter_follows_the_skeleton(source):
    # Headings of the prose only: code cells may contain comments that start with "# ".
    text = re.sub(r"^```.*?^```", "", (paths.ROOT / source).read_text(encoding="utf-8"), flags=re.M | re.S)
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    positions = []
    for section in SKELETON:
        matches = [i for i, h in enumerate(headings) if h == section or h.startswith(section + " ")]
        assert matches, f"{source} has no '{section}' section"
        positions.append(matches[0])
    assert positions == sorted(positions), f"{source}: skeleton sections out of order"
    assert positions[1] == 1, f"{source}: 'Data' must follow 'Overview'"
    assert len(headings) > len(SKELETON), f"{source} has no analysis sections"
    assert len(re.findall(r"^# ", text, flags=re.M)) == 1, f"{source} must have exactly one title"


@pytest.mark.parametrize("source", notebooks.CHAPTER_SOURCES)
def test_committed_notebook_matches_its_chapter(source):
    committed = (paths.ROOT / notebook_path(source)).read_text(encoding="utf-8")
    assert committed == notebooks.notebook_text(source), f"{notebook_path(source)} is stale: run `make notebooks`"
    nb = nbformat.reads(committed, as_version=4)
    assert all(not cell.get("outputs") for cell in nb.cells if cell.cell_type == "code")


@pytest.mark.book
@pytest.mark.parametrize("source", notebooks.CHAPTER_SOURCES)
def test_chapter_notebook_runs_top_to_bottom_outside_the_book(source, tmp_path: Path):
    # As a reader would run it: a copy in an unrelated folder, the project's kernel, no Sphinx.
    nb = nbformat.read(paths.ROOT / notebook_path(source), as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.get("output_type") == "error"
    ]
    assert not errors
