"""What a chapter ran on, shown to the reader.

Each chapter ends with :func:`colophon`. It prints, for the reader, the files the chapter read
(with their SHA-256), the package and library versions and the git commit. It also attaches a
record to that output's metadata (``INPUTS_KEY``), which travels with the executed notebook into
Jupyter Book's execution cache: the files the chapter read, the package's source files and the
version of every installed distribution the chapter imported. The build's cache guard
(``book_build.cache_guard``) reads it back and re-executes a chapter when any of them changed.

The commit is the one thing a cached run cannot know: the book may be rendered from a later commit
(or a clean tree) with the same inputs. The commit cell is therefore marked (``COMMIT_CLASS``), and
the build writes the commit it renders into it (:func:`with_build_commit`); a reader who runs the
chapter sees the commit of their own checkout.
"""

from __future__ import annotations

import hashlib
import html
import os
import platform
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from . import __version__, paths

#: Key of the inputs manifest in the colophon output's metadata (where the engine does not render it).
INPUTS_KEY = "paying-for-protection/inputs"
LIBRARIES = ["pandas", "numpy", "matplotlib", "statsmodels", "scipy", "jupyter-book"]

#: Class of the table cell that shows the commit, and the label of its plain-text line.
COMMIT_CLASS = "pfp-build-commit"
COMMIT_LABEL = "git commit"
_COMMIT_HTML = re.compile(rf'(<td class="{COMMIT_CLASS}">)(.*?)(</td>)', re.S)
_COMMIT_PLAIN = re.compile(rf"^({COMMIT_LABEL}: ).*$", re.M)
_COMMIT_LATEX = re.compile(rf"^({COMMIT_LABEL} & ).*?( \\\\)$", re.M)


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


def installed_distributions() -> dict[str, str]:
    """Every installed distribution and its version, from the names of their metadata folders.

    ``pandas-3.1.1.dist-info`` carries both; listing the folders takes milliseconds where parsing
    every distribution's metadata with ``importlib.metadata`` takes seconds.
    """
    found = {}
    for entry in sys.path:
        try:
            with os.scandir(entry or ".") as listing:
                names = [e.name for e in listing if e.name.endswith((".dist-info", ".egg-info"))]
        except OSError:
            continue
        for name in names:
            stem = name.rsplit(".", 1)[0]
            distribution, _, version = stem.rpartition("-")
            if distribution:
                found.setdefault(distribution.lower().replace("_", "-").replace(".", "-"), version)
    return dict(sorted(found.items()))


def environment() -> dict[str, Any]:
    """What a chapter's outputs can depend on beyond its inputs and this package's code.

    The Python version, every installed distribution with its version, and the top-level modules
    this process imported. The cache guard re-executes a chapter when Python changed or when a
    distribution changed that provides one of the modules the chapter imported: a change of pin
    re-executes what it affects and nothing else.
    """
    modules = sorted({name.partition(".")[0] for name in list(sys.modules) if not name.startswith("_")})
    return {"python": platform.python_version(), "distributions": installed_distributions(), "modules": modules}


def git_commit() -> str:
    """The checkout's commit, with " with uncommitted changes" when tracked files differ from it."""
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


def with_build_commit(text: str, commit: str) -> str:
    """A colophon's HTML, LaTeX or plain text with ``commit`` as its commit (other text is left alone)."""
    text = _COMMIT_HTML.sub(lambda m: m.group(1) + html.escape(commit) + m.group(3), text)
    if f"{COMMIT_LABEL} & " in text:
        from .formatting.tables import latex_text

        text = _COMMIT_LATEX.sub(lambda m: m.group(1) + latex_text(commit) + m.group(2), text)
    return _COMMIT_PLAIN.sub(lambda m: m.group(1) + commit, text)


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
        self.environment = environment()
        self.commit = git_commit()

    def _rows(self) -> list[tuple[str, str]]:
        rows = [(name, f"SHA-256 {digest[:16]}…") for name, digest in sorted(self.data_files.items())]
        rows.append(("versions", ", ".join(f"{k} {v}" for k, v in self.versions.items())))
        return rows

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> tuple[dict[str, Any], dict[str, Any]]:
        body = "".join(
            f"<tr><td><code>{html.escape(a)}</code></td><td>{html.escape(b)}</td></tr>" for a, b in self._rows()
        )
        body += (
            f'<tr><td><code>{COMMIT_LABEL}</code></td><td class="{COMMIT_CLASS}">{html.escape(self.commit)}</td></tr>'
        )
        table = f'<table class="colophon"><thead><tr><th>Input</th><th>Version</th></tr></thead><tbody>{body}</tbody></table>'
        plain = "\n".join([*(f"{a}: {b}" for a, b in self._rows()), f"{COMMIT_LABEL}: {self.commit}"])
        # The PDF's form: the same rows as a real LaTeX table (formatting.tables; imported here, as
        # the build's light tooling imports this module too).
        from .formatting.tables import RAW_LATEX_MIME, latex_longtable

        latex = latex_longtable(["Input", "Version"], [*([a, b] for a, b in self._rows()), [COMMIT_LABEL, self.commit]])
        manifest = {"data": self.data_files, "code": self.code_files, "environment": self.environment}
        return {"text/html": table, RAW_LATEX_MIME: latex, "text/plain": plain}, {INPUTS_KEY: manifest}


def colophon() -> Colophon:
    """End-of-chapter record of the data, code and libraries the chapter ran on."""
    from .data import validation  # imported here: the build's light tooling imports this module too

    return Colophon(dict(sorted(validation.FILES_READ.items())), package_files())
