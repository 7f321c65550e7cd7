"""What a chapter ran on, shown to the reader.

Each chapter ends with :func:`colophon`. It prints, for the reader, the files the chapter read
(with their SHA-256), the package and library versions and the git commit. It also attaches
the same file list to that output's metadata (``INPUTS_KEY``), which travels with the executed
notebook into Jupyter Book's execution cache: the build's cache guard
(``book_build.cache_guard``) reads it back to re-execute a chapter whose inputs changed.
"""

from __future__ import annotations

import hashlib
import html
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

from . import __version__, paths
from .data import validation
from .formatting.tables import RAW_LATEX_MIME, latex_longtable

#: Key of the inputs manifest in the colophon output's metadata (where the engine does not render it).
INPUTS_KEY = "paying-for-protection/inputs"
LIBRARIES = ["pandas", "numpy", "matplotlib", "statsmodels", "scipy", "jupyter-book"]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def package_files() -> dict[str, str]:
    """SHA-256 of every source file of this package (a code change re-executes chapters too)."""
    package_dir = Path(__file__).resolve().parent
    return {
        str(path.relative_to(paths.PACKAGE_ROOT)): _sha256(path)
        for path in sorted(package_dir.rglob("*"))
        if path.suffix in {".py", ".mplstyle"} and "__pycache__" not in path.parts
    }


def git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(paths.ROOT), "rev-parse", "--short=12", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
        )
        dirty = subprocess.run(
            ["git", "-C", str(paths.ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown (git not available)"
    if out.returncode != 0:
        return "unknown (not a git checkout)"
    return out.stdout.strip() + (" with uncommitted changes" if dirty.stdout.strip() else "")


class Colophon:
    """Rich output: an HTML table for readers, plain text for PDF, and the inputs manifest."""

    def __init__(self, data_files: dict[str, str], code_files: dict[str, str]):
        self.data_files = data_files
        self.code_files = code_files
        self.versions = {"paying-for-protection": __version__, "python": platform.python_version()}
        for name in LIBRARIES:
            try:
                self.versions[name] = metadata.version(name)
            except metadata.PackageNotFoundError:
                self.versions[name] = "not installed"
        self.commit = git_commit()

    def _rows(self) -> list[tuple[str, str]]:
        rows = [(name, f"SHA-256 {digest[:16]}…") for name, digest in sorted(self.data_files.items())]
        rows.append(("versions", ", ".join(f"{k} {v}" for k, v in self.versions.items())))
        rows.append(("git commit", self.commit))
        return rows

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> tuple[dict[str, Any], dict[str, Any]]:
        body = "".join(
            f"<tr><td><code>{html.escape(a)}</code></td><td>{html.escape(b)}</td></tr>" for a, b in self._rows()
        )
        table = f'<table class="colophon"><thead><tr><th>Input</th><th>Version</th></tr></thead><tbody>{body}</tbody></table>'
        plain = "\n".join(f"{a}: {b}" for a, b in self._rows())
        # The PDF's form: the same rows as a real LaTeX table (formatting.tables).
        latex = latex_longtable(["Input", "Version"], [[a, b] for a, b in self._rows()])
        manifest = {"data": self.data_files, "code": self.code_files}
        return {"text/html": table, RAW_LATEX_MIME: latex, "text/plain": plain}, {INPUTS_KEY: manifest}


def colophon() -> Colophon:
    """End-of-chapter record of the data and code the chapter ran on."""
    return Colophon(dict(sorted(validation.FILES_READ.items())), package_files())
