"""Shared fixtures: the book built once per test session, and scratch copies of the book and data/.

Tests that need a built book are marked ``book`` (``make check`` leaves them out); they share one
clean build of a scratch copy (:func:`built_copy`), made with no network where the machine allows,
and copy it when they need to change something. ``make test`` runs the tests in two processes
(pytest-xdist): the first to need the build makes it, the other waits for it and uses it too, and
the book tests of one file stay together in one process, in order (they share module fixtures).
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


#: Tests that need no built book but take several seconds (measured on the reference machine):
#: `make check` leaves them out, `make test` runs them. A test may also say so itself with
#: ``@pytest.mark.slow``; a name listed here that no longer exists fails the collection.
SLOW_TESTS = {
    "tests/test_models.py::test_leave_one_out_covers_every_ally",
    "tests/test_models.py::test_the_bootstrap_is_seeded_and_reproducible",
    "tests/test_models.py::test_the_bootstrap_rejects_a_true_effect_and_not_a_null_one",
    "tests/test_models.py::test_event_study_is_normalised_at_the_reference_year",
    "tests/test_citation.py::test_every_bibtex_entry_of_the_page_compiles_in_latex",
    "tests/test_figure_style.py::test_a_jupyter_kernel_displays_figures_as_svg_and_pdf_not_png",
    "tests/test_figure_style.py::test_figures_are_identical_from_build_to_build",
    "tests/test_data.py::test_descriptor_is_a_valid_frictionless_data_package",
    # A derivation from the upstream files (about 6 s each), and chapters executed on purpose with
    # a false premise (5 to 7 s each).
    "tests/test_derivation.py::test_rederiving_reproduces_the_committed_tables_byte_for_byte",
    "tests/test_derivation.py::test_derivation_is_deterministic_across_runs",
    "tests/test_budget_chapter_guards.py::test_a_false_premise_stops_the_chapter_naming_the_claim",
    "tests/test_hosting_costs.py::test_a_changed_figure_stops_the_chapter_by_naming_its_claim",
}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the slow tests; keep the book tests of a file together in one test process."""
    found = set()
    for item in items:
        name = item.nodeid.split("[")[0]
        if name in SLOW_TESTS:
            item.add_marker(pytest.mark.slow)
            found.add(name)
        if item.get_closest_marker("book") and not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))
    # Where whole files were collected, a listed name that was not found is a renamed test.
    if all("::" not in str(arg) for arg in config.args):
        collected_files = {item.nodeid.split("::")[0] for item in items}
        missing = sorted(n for n in SLOW_TESTS - found if n.split("::")[0] in collected_files)
        if missing:
            raise pytest.UsageError(f"conftest.SLOW_TESTS names tests that do not exist (renamed?): {missing}")


#: Why the book tests cannot run as intended, when they cannot (see :func:`pytest_collection_finish`).
UNGROUPED = pytest.StashKey[str]()


def pytest_collection_finish(session: pytest.Session) -> None:
    """Note when pytest-xdist would spread the tests of one ``xdist_group`` over both test processes.

    pytest-xdist groups the tests of one ``xdist_group`` by appending ``@group`` to their node ids
    (in each test process, when the tests are collected). When it cannot (pytest-xdist#1386: under
    pytest 9.2 the change has no effect), each process sets up the module fixtures again (the
    browser report, the PDF, the derivation) and ``make test`` takes minutes longer while passing;
    so every grouped test then fails, saying why.
    """
    config = session.config
    if not (hasattr(config, "workerinput") and config.getvalue("loadgroup")):
        return
    ungrouped = [i.nodeid for i in session.items if i.get_closest_marker("xdist_group") and "@" not in i.nodeid]
    if ungrouped:
        config.stash[UNGROUPED] = (
            f"pytest-xdist did not group {len(ungrouped)} test(s) of an xdist_group (e.g. {ungrouped[0]}): "
            "see pytest-xdist#1386 and the pytest pin in requirements.txt"
        )


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("xdist_group") and UNGROUPED in item.config.stash:
        pytest.fail(item.config.stash[UNGROUPED], pytrace=False)


@pytest.fixture(scope="session")
def built_copy(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """A scratch copy of the book built by `make book` from nothing, as on a fresh clone.

    Every chapter executes (in parallel, into the copy's own cache); warnings fail the build
    exactly as for a reader. Where the machine allows, the build runs with no network at all. The
    make log is kept in ``_build/make-book.log``, and whether the build was offline in
    ``_build/offline``. Test processes started by pytest-xdist share one build.
    """
    if not hasattr(request.config, "workerinput"):
        return _build_copy(tmp_path_factory.mktemp("built") / "book")
    from book_build import lock

    shared = tmp_path_factory.getbasetemp().parent  # the same folder for every worker
    with lock.build_lock(shared / "built-lock", command="the test session's build", log=lambda _: None):
        book = shared / "built" / "book"
        failed = shared / "built" / "failed"
        if failed.is_file():
            pytest.fail(failed.read_text(encoding="utf-8"))
        if not (book / "_build" / "html").exists():
            try:
                _build_copy(book)
            except pytest.fail.Exception as failure:
                failed.write_text(str(failure), encoding="utf-8")
                raise
    return book


def _build_copy(book: Path) -> Path:
    book.parent.mkdir(parents=True, exist_ok=True)
    copy_book(book)
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
