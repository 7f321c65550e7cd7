"""The budget chapter stops, naming its claim, when the data no longer support a sentence it writes."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import jupytext
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from paying_for_protection import paths

CHAPTER = paths.ROOT / "chapters" / "02_budget_trends.md"


def _book_with(tmp_path: Path) -> Path:
    root = tmp_path / "book"
    shutil.copytree(paths.DATA_DIR, root / "data")
    for name in ("_config.yml", "_toc.yml", "references.bib", "CITATION.cff"):
        if (paths.ROOT / name).exists():
            shutil.copyfile(paths.ROOT / name, root / name)
    return root


def _set(path: Path, match: dict[str, str], column: str, value: str) -> None:
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    hits = [r for r in rows if all(r[k] == v for k, v in match.items())]
    assert len(hits) == 1, hits
    hits[0][column] = value
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def test_a_false_premise_stops_the_chapter_naming_the_claim(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = _book_with(tmp_path)
    # The Assembly cut force improvement below the proposal: make the budget as passed exceed it.
    _set(
        root / "data" / "korea_budget_figures.csv",
        {"measure": "force_improvement", "year": "2026", "document": "2026 defense budget as passed"},
        "value",
        "20.5000",
    )
    monkeypatch.setenv("PFP_ROOT", str(root))
    notebook = jupytext.read(CHAPTER)
    client = NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(CHAPTER.parent)}}
    )
    with pytest.raises(CellExecutionError) as failure:
        client.execute()
    message = str(failure.value)
    assert "UnsupportedClaim" in message
    assert "the Assembly cut force improvement below the proposal" in message
