"""What the built book depends on, as one SHA-256: the inputs half of the up-to-date check.

The fingerprint covers the content and path of every file that can reach a page, the installed
environment (every distribution and its version) and the git commit with its clean/dirty state
(the colophons print both). ``make book`` compares it with the one recorded in the last site's
manifest (:mod:`book_build.site`); the site half of the check hashes the site's own files.

Which files: the ones git tracks, plus untracked files that git does not ignore when they have a
suffix the build reads (a new chapter or table before its first ``git add``), under the size limit
below. Never: build output, the environment, tests, benchmarks, CI, editor droppings (Emacs lock
links, Vim swap files, backups), dangling links, FIFOs, sockets or devices, which the walk checks
with ``lstat`` before it opens anything. Without git, the same rules apply to a walk of the folder.

Content hashes rather than modification times: a checkout, a copy or a ``touch`` does not trigger
a rebuild, and an edit that keeps a file's timestamp does not escape one.

Light imports only: the check runs before anything heavy is loaded.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from paying_for_protection import paths

# The project's one streaming SHA-256 (the derivation records upstream files with it).
from paying_for_protection.derive.inputs import sha256_of as file_sha256

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
    "node_modules",
}
SKIPPED_SUFFIXES = {".pyc"}

#: Editors' lock, swap and backup files (Emacs .#name and #name#, Vim swap files and its 4913
#: probe, backups, OS metadata).
EDITOR_PATTERNS = [".#*", "#*#", "*~", "*.swp", "*.swo", "*.swx", ".*.sw?", "4913", "*.bak", ".DS_Store", "Thumbs.db"]

#: Suffixes an untracked file must have to count: what Sphinx, the chapters or the package read.
UNTRACKED_SUFFIXES = {
    ".md",
    ".ipynb",
    ".py",
    ".csv",
    ".json",
    ".yml",
    ".yaml",
    ".toml",
    ".txt",
    ".bib",
    ".cff",
    ".css",
    ".js",
    ".html",
    ".png",
    ".svg",
    ".jpg",
    ".jpeg",
    ".gif",
    ".ico",
    ".mplstyle",
}

#: An untracked file above this size is a stray (a download, a dump), not a source: not hashed.
MAX_UNTRACKED_BYTES = 50 * 1024 * 1024


def _skipped(relpath: str) -> bool:
    parts = relpath.split("/")
    if any(p in SKIPPED_DIRS or p.startswith(".venv") or p.endswith(".egg-info") for p in parts[:-1]):
        return True
    name = parts[-1]
    return Path(name).suffix in SKIPPED_SUFFIXES or any(fnmatch.fnmatch(name, p) for p in EDITOR_PATTERNS)


def _git_listing(root: Path) -> tuple[list[str], list[str]] | None:
    """(tracked, untracked but not ignored) paths relative to ``root``, or None without git."""

    def ls(*args: str) -> list[str] | None:
        try:
            out = subprocess.run(
                ["git", "-C", str(root), "ls-files", "-z", *args], capture_output=True, timeout=60, check=False
            )
        except (OSError, subprocess.SubprocessError):
            return None
        if out.returncode != 0:
            return None
        return [p for p in out.stdout.decode("utf-8", "surrogateescape").split("\0") if p]

    tracked = ls("--cached")
    if tracked is None:
        return None
    untracked = ls("--others", "--exclude-standard") or []
    return tracked, untracked


def _walk(root: Path) -> list[str]:
    found = []
    for folder, dirs, files in os.walk(root):  # os.walk never follows links to folders
        dirs[:] = sorted(d for d in dirs if not _skipped(f"{d}/x"))
        rel = Path(folder).relative_to(root)
        found += [(rel / name).as_posix() for name in files]
    return found


def _regular_file(path: Path) -> os.stat_result | None:
    """The file's stat when it is a regular file or a link to one; never opens anything else."""
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            info = os.stat(path)  # raises for a dangling link
    except OSError:
        return None
    return info if stat.S_ISREG(info.st_mode) else None


def input_files(root: Path | None = None) -> list[Path]:
    """Every file under the book root that can change the built book, in a stable order."""
    root = root or paths.ROOT
    listing = _git_listing(root)
    if listing is None:
        tracked, untracked = [], _walk(root)
    else:
        tracked, untracked = listing
    chosen = set()
    for relpath in tracked:
        if not _skipped(relpath) and _regular_file(root / relpath) is not None:
            chosen.add(relpath)
    for relpath in untracked:
        if _skipped(relpath) or Path(relpath).suffix.lower() not in UNTRACKED_SUFFIXES:
            continue
        info = _regular_file(root / relpath)
        if info is not None and info.st_size <= MAX_UNTRACKED_BYTES:
            chosen.add(relpath)
    return [root / p for p in sorted(chosen)]


def file_hashes(root: Path | None = None) -> dict[str, str]:
    """SHA-256 of every input file, by path relative to the root."""
    root = root or paths.ROOT
    return {path.relative_to(root).as_posix(): file_sha256(path) for path in input_files(root)}


def environment_digest() -> str:
    """One hash of the Python version and every installed distribution with its version."""
    from paying_for_protection.provenance import installed_distributions

    text = f"python {sys.version.split()[0]}\n" + "\n".join(f"{k}=={v}" for k, v in installed_distributions().items())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _combine(hashes: dict[str, str], environment: str, commit: str) -> str:
    digest = hashlib.sha256()
    digest.update(f"environment {environment}\ncommit {commit}\n".encode())
    for relpath, file_digest in sorted(hashes.items()):
        digest.update(f"{relpath}\0{file_digest}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def fingerprint(root: Path | None = None, hashes: dict[str, str] | None = None, commit: str = "") -> str:
    """The inputs' fingerprint: files (``hashes``, computed when not given), environment and commit."""
    root = root or paths.ROOT
    hashes = file_hashes(root) if hashes is None else hashes
    return _combine(hashes, environment_digest(), commit)


@dataclass(frozen=True)
class Inputs:
    """What a build depends on: input files with their hashes, the environment and the commit."""

    files: dict[str, str]
    environment: str
    commit: str

    @property
    def fingerprint(self) -> str:
        return _combine(self.files, self.environment, self.commit)

    def as_record(self) -> dict:
        return {
            "fingerprint": self.fingerprint,
            "files": self.files,
            "environment": self.environment,
            "commit": self.commit,
        }

    def changes_since(self, record: dict) -> str | None:
        """What differs from a recorded set of inputs, in words; None when nothing does."""
        if record.get("fingerprint") == self.fingerprint:
            return None
        if record.get("environment") != self.environment:
            return "the installed packages changed"
        if record.get("commit") != self.commit:
            return f"the commit changed ({record.get('commit') or 'unknown'} -> {self.commit})"
        before = record.get("files") or {}
        for relpath in sorted(set(before) | set(self.files)):
            if relpath not in before:
                return f"{relpath} is new"
            if relpath not in self.files:
                return f"{relpath} was removed"
            if before[relpath] != self.files[relpath]:
                return f"{relpath} changed"
        return "inputs changed"


def current_inputs(root: Path | None = None, commit: str = "") -> Inputs:
    root = root or paths.ROOT
    return Inputs(file_hashes(root), environment_digest(), commit)


def subset_digest(hashes: dict[str, str], prefixes: tuple[str, ...]) -> str:
    """One hash of the input files under some folders (e.g. what data validation reads)."""
    digest = hashlib.sha256()
    for relpath, file_digest in sorted(hashes.items()):
        if relpath.startswith(prefixes):
            digest.update(f"{relpath}\0{file_digest}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def main(argv: list[str] | None = None) -> int:
    """``python -m book_build.fingerprint [list]``: print the fingerprint, or the files it covers."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["list"]:
        for path in input_files():
            print(path.relative_to(paths.ROOT).as_posix())
        return 0
    from paying_for_protection import provenance

    print(fingerprint(commit=provenance.git_commit()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
