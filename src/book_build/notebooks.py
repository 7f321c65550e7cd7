"""The chapters as Jupyter notebooks, for readers who want to run or change them.

The chapters are MyST Markdown; Colab cannot open Markdown, and many readers want an ``.ipynb``.
``make notebooks`` converts each chapter with jupytext into ``notebooks/``, without outputs, and
puts one cell in front that makes the notebook self-sufficient outside the book's environment
(on Colab it fetches the repository and installs the package; in the book's environment or on
Binder it does nothing). A test checks that the committed notebooks match their chapters and
that they run from top to bottom.
"""

from __future__ import annotations

import sys
from pathlib import Path

import jupytext
import nbformat

from paying_for_protection import paths
from paying_for_protection.formatting.links import (
    NOTEBOOK_DIR,
    repository,
)

CHAPTER_SOURCES = ["chapters/01_history.md", "chapters/02_budget_trends.md", "chapters/03_us_pressure_regression.md"]

#: Packages the chapters need beyond what Colab provides (versions as in requirements.txt).
COLAB_EXTRAS = ["myst-nb==1.4.0", "wildboottest==0.3.2", "statsmodels==0.15.0", "pandas==3.1.1"]


def _setup_cell() -> nbformat.NotebookNode:
    repo = repository()
    extras = ", ".join(f'"{p}"' for p in COLAB_EXTRAS)
    source = f'''# Running outside the book's environment (for example on Google Colab)? This cell fetches the
# book's code and data and installs what the chapter needs. In the book's own environment (after
# `make book`) or on Binder the package is already installed and the cell does nothing.
import importlib.util
import os
import subprocess
import sys

if importlib.util.find_spec("paying_for_protection") is None:
    clone = os.path.abspath("{repo["name"]}")
    if not os.path.isdir(clone):
        subprocess.run(["git", "clone", "--depth", "1", "{repo["url"]}.git", clone], check=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "-e", clone, {extras}], check=True)
    os.environ["PFP_ROOT"] = clone
    sys.path.insert(0, os.path.join(clone, "src"))'''
    return nbformat.v4.new_code_cell(source, metadata={"tags": ["setup"]})


def chapter_notebook(source: str) -> nbformat.NotebookNode:
    notebook = jupytext.read(paths.ROOT / source, fmt="md:myst")
    intro = nbformat.v4.new_markdown_cell(
        "*This notebook is a chapter of* Paying for Protection. *Its text uses MyST roles such as "
        "`{glue:text}` that show the computed numbers in the built book; here the numbers are in the "
        "code cells. Run the cells from top to bottom.*"
    )
    notebook.cells = [intro, _setup_cell(), *notebook.cells]
    notebook.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{index:03d}"  # stable ids: regenerating gives the same bytes
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    nbformat.validate(notebook)
    return notebook


def notebook_text(source: str) -> str:
    return nbformat.writes(chapter_notebook(source), version=4) + "\n"


def write_notebooks(out_dir: Path | None = None) -> list[Path]:
    out_dir = Path(out_dir) if out_dir else paths.ROOT / NOTEBOOK_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for source in CHAPTER_SOURCES:
        path = out_dir / f"{Path(source).stem}.ipynb"
        path.write_text(notebook_text(source), encoding="utf-8")
        written.append(path)
    return written


def main() -> int:
    for path in write_notebooks():
        print(f"wrote {path.relative_to(paths.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
