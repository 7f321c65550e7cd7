"""Is the built book up to date? A fingerprint of everything the build reads.

``make book`` asks this module first. The fingerprint is one SHA-256 over the path and content of
every file in the book's folder that can change a page (chapters, data, package code, configuration,
bibliography, static files, the pinned requirements), skipping only folders that cannot
(``.git``, the virtual environment, build output, caches, the tests). A successful build saves
the fingerprint of the inputs it started from inside the site; when the inputs still hash to it,
there is nothing to rebuild, and ``make book`` returns at once.

Content hashes rather than modification times: a checkout, a copy or a ``touch`` does not
trigger a rebuild, and an edit that keeps a file's timestamp does not escape one.

Light imports only, so that the check costs a Python start-up and a few megabytes of hashing.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from paying_for_protection import paths

#: Folders (at any depth) whose files never reach a page.
SKIPPED_DIRS = {
    ".git",
    ".venv",
    "_build",
    "tests",
    "benchmarks",
    ".github",
    ".ci",
    "__pycache__",
    ".pytest_cache",
    ".ipynb_checkpoints",
    ".ruff_cache",
}
SKIPPED_SUFFIXES = {".pyc"}

#: Where a successful build keeps the fingerprint of its inputs, inside the site it built.
FINGERPRINT_NAME = ".inputs-sha256"


def input_files(root: Path | None = None) -> list[Path]:
    """Every file under the book root that can change the built book, in a stable order."""
    root = root or paths.ROOT
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(
            d for d in dirs if d not in SKIPPED_DIRS and not d.endswith(".egg-info") and not d.startswith(".venv")
        )
        for name in sorted(files):
            if Path(name).suffix not in SKIPPED_SUFFIXES:
                found.append(Path(folder) / name)
    return found


def fingerprint(root: Path | None = None) -> str:
    root = root or paths.ROOT
    digest = hashlib.sha256()
    digest.update(f"python {sys.version_info[0]}.{sys.version_info[1]}\n".encode())
    for path in input_files(root):
        digest.update(str(path.relative_to(root)).encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def is_up_to_date(site: Path, root: Path | None = None) -> bool:
    """True when ``site`` was built from exactly the current inputs and is complete."""
    root = root or paths.ROOT
    try:
        recorded = (site / FINGERPRINT_NAME).read_text(encoding="ascii").strip()
    except OSError:
        return False
    pages = [site / (Path(page).with_suffix("").as_posix() + ".html") for page in paths.toc_pages(root)]
    return recorded == fingerprint(root) and all(page.is_file() for page in pages)


def stabilise_notebook_ids(site: Path) -> int:
    """Give the cells of the site's downloadable notebooks ids that do not change between builds.

    The reader myst-nb uses draws a random id for every cell it creates, so two builds of the same
    book would offer notebooks that differ in nothing but those ids. Each id becomes the cell's
    position, which is what it identifies in a notebook read from a chapter. Returns the number
    of notebooks rewritten.
    """
    import json

    count = 0
    for path in sorted((site / "_sources").rglob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for index, cell in enumerate(notebook.get("cells", [])):
            if "id" in cell:
                cell["id"] = f"cell-{index}"
        # The layout nbformat writes: one-space indent, sorted keys, a final newline.
        path.write_text(json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
        count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    usage = "usage: python -m book_build.fingerprint (check SITE | save FILE | stabilise SITE)"
    if len(argv) != 2 or argv[0] not in {"check", "save", "stabilise"}:
        print(usage, file=sys.stderr)
        return 2
    command, target = argv[0], Path(argv[1])
    if command == "check":
        return 0 if is_up_to_date(target) else 1
    if command == "stabilise":
        stabilise_notebook_ids(target)
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(fingerprint() + "\n", encoding="ascii")
    return 0


if __name__ == "__main__":
    sys.exit(main())
