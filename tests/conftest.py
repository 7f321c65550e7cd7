"""Shared fixtures: the book built once per test session, and scratch copies of the book and data/.

Tests that need a built book are marked ``book`` (``make check`` leaves them out); they share one
clean build of a scratch copy (:func:`built_copy`), made with no network where the machine allows,
and copy it when they need to change something.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from paying_for_protection import paths
from paying_for_protection.derive.inputs import UPSTREAM_FILES

ROOT = paths.ROOT


def sources_available() -> bool:
    sources = paths.default_sources_dir()
    return all((sources / f.relpath).is_file() for f in UPSTREAM_FILES.values())


needs_sources = pytest.mark.skipif(
    not sources_available(), reason="upstream files not found (../shared/sources or $PFP_SOURCES)"
)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A scratch copy of data/ that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, target)
    return target


#: What a scratch copy of the book leaves out: the environment, build output and caches.
COPY_IGNORE = shutil.ignore_patterns(".venv*", "_build", "__pycache__", ".pytest_cache", "*.egg-info", ".ruff_cache")


def copy_book(target: Path, with_build_from: Path | None = None) -> Path:
    """A scratch copy of the book (with its git metadata, so colophons name the same commit).

    ``with_build_from`` also copies another copy's ``_build`` (site, execution cache, Sphinx's
    environment); ``_build/html`` is a relative link and stays one.
    """
    shutil.copytree(ROOT, target, ignore=COPY_IGNORE, symlinks=True)
    if with_build_from is not None:
        shutil.copytree(with_build_from / "_build", target / "_build", symlinks=True)
    return target


def make_command(book: Path, target: str = "book", offline: bool = False, **variables: str) -> list[str]:
    """The command line of a README target on a copy of the book, with this environment."""
    venv = Path(sys.prefix)
    command = ["make", "-C", str(book), f"VENV={venv}", "-o", f"{venv}/.installed", target]
    command += [f"{k}={v}" for k, v in variables.items()]
    if offline:
        # A new network namespace has no network at all; its loopback (which Jupyter kernels talk
        # over) starts down and is brought up first.
        command = ["unshare", "--map-root-user", "--net", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", *command]
    return command


def book_environment(book: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "PFP_ROOT": str(book), **extra}


def make(
    book: Path, target: str = "book", offline: bool = False, env: dict[str, str] | None = None, **variables: str
) -> subprocess.CompletedProcess:
    """Run a README target on a copy of the book, with this environment (never reinstalled)."""
    return subprocess.run(
        make_command(book, target, offline, **variables),
        capture_output=True,
        text=True,
        env=book_environment(book, **(env or {})),
        check=False,
    )


def can_go_offline() -> bool:
    """Whether this machine lets an unprivileged process enter a network namespace of its own."""
    if not (shutil.which("unshare") and shutil.which("ip")):
        return False
    probe = ["unshare", "--map-root-user", "--net", "sh", "-c", "ip link set lo up"]
    return subprocess.run(probe, capture_output=True, check=False).returncode == 0


def site_digest(site: Path) -> dict[str, str]:
    """SHA-256 of every file of a built site, by relative path."""
    return {
        str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="session")
def built_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch copy of the book built by `make book` from nothing, as on a fresh clone.

    Every chapter executes (in parallel, into the copy's own cache); warnings fail the build
    exactly as for a reader. Where the machine allows, the build runs with no network at all. The
    make log is kept in ``_build/make-book.log``, and whether the build was offline in
    ``_build/offline``.
    """
    book = copy_book(tmp_path_factory.mktemp("built") / "book")
    offline = can_go_offline()
    result = make(book, offline=offline)
    log = result.stdout + result.stderr
    (book / "_build").mkdir(exist_ok=True)
    (book / "_build" / "make-book.log").write_text(log, encoding="utf-8")
    (book / "_build" / "offline").write_text("yes" if offline else "no", encoding="utf-8")
    if result.returncode != 0:
        pytest.fail(
            f"`make book` failed (exit {result.returncode}); last lines of the log:\n"
            + "\n".join(log.splitlines()[-60:])
        )
    return book


@pytest.fixture(scope="session")
def built_book(built_copy: Path) -> Path:
    """The HTML folder of the session's build."""
    return built_copy / "_build" / "html"
