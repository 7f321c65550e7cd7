"""The build pipeline end to end: no stale page, no hidden warning, no half-built site, no network.

The first tests drive the cache guard and check the packaging without building. The others run
`make book` on scratch copies of the session's build (conftest.py). Most of them share one copy,
``book``, turned into a git repository of its own so that commits can be made in it; each test
leaves it as it found it (built and up to date) and the next one checks that first.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import tomllib
from importlib import metadata
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from conftest import book_environment, copy_book, make, make_command, site_digest
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn

from book_build import cache_guard, execution, numbers, site
from paying_for_protection import paths, provenance
from paying_for_protection.data import loaders


def _cached_notebook(manifest: dict | None, code: str = "provenance.colophon()") -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(code, execution_count=1)
    metadata = {provenance.INPUTS_KEY: manifest} if manifest is not None else {}
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/plain": "colophon"}, metadata=metadata)]
    nb.cells.append(cell)
    return nb


def _current_environment() -> dict:
    return {
        "python": provenance.platform.python_version(),
        "distributions": provenance.installed_distributions(),
        "modules": ["pandas"],
    }


def test_cache_guard_finds_runs_whose_data_changed_and_keeps_every_run_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    root = tmp_path / "book"
    (root / "data").mkdir(parents=True)
    table = root / "data" / "table.csv"
    table.write_text("year,value\n2024,1\n", encoding="utf-8")
    monkeypatch.setattr(paths, "ROOT", root)

    manifest = {
        "data": {"data/table.csv": provenance._sha256(table)},
        "code": provenance.package_files(),
        "environment": _current_environment(),
    }
    cache = get_cache(str(tmp_path / "cache"))
    fresh = cache.cache_notebook_bundle(
        CacheBundleIn(_cached_notebook(manifest), str(root / "fresh.md")), check_validity=False
    )
    unmarked = cache.cache_notebook_bundle(
        CacheBundleIn(_cached_notebook(None, "print('no colophon')"), str(root / "unmarked.md")), check_validity=False
    )
    assert fresh.pk != unmarked.pk

    # A run with no manifest cannot vouch for its inputs: it is stale; the current one is kept.
    kept = {}
    stale = cache_guard.stale_runs(tmp_path / "cache", kept)
    assert stale == {unmarked.pk: (str(root / "unmarked.md"), "it records no inputs (no colophon)")}
    assert list(kept) == [fresh.pk]

    # Editing the data file makes the other run stale too, and the guard says why ...
    table.write_text("year,value\n2024,2\n", encoding="utf-8")
    stale = cache_guard.stale_runs(tmp_path / "cache")
    assert stale[fresh.pk] == (str(root / "fresh.md"), "data/table.csv changed")
    # ... but deletes nothing: the last good run stays until a new one replaces it, so undoing the
    # edit makes it current again.
    assert {r.pk for r in cache.list_cache_records()} == {fresh.pk, unmarked.pk}
    table.write_text("year,value\n2024,1\n", encoding="utf-8")
    assert list(cache_guard.stale_runs(tmp_path / "cache")) == [unmarked.pk]


@pytest.mark.parametrize(
    "change, reason",
    [
        ("code", "changed"),
        ("library", "pandas 0.0.1 ->"),
    ],
)
def test_cache_guard_finds_runs_whose_package_code_or_libraries_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str, reason: str
):
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    code = provenance.package_files()
    environment = _current_environment()
    if change == "code":
        code = {**code, next(iter(code)): "0" * 64}
    else:
        environment["distributions"] = {**environment["distributions"], "pandas": "0.0.1"}
    stale = {"data": {}, "code": code, "environment": environment}
    cache = get_cache(str(tmp_path / "cache"))
    record = cache.cache_notebook_bundle(
        CacheBundleIn(_cached_notebook(stale), str(tmp_path / "a.md")), check_validity=False
    )
    found = cache_guard.stale_runs(tmp_path / "cache")
    assert list(found) == [record.pk] and found[record.pk][0] == str(tmp_path / "a.md")
    assert reason in found[record.pk][1]


def test_colophon_lists_the_data_files_a_session_read():
    loaders.load_usfk_troops()
    colophon = provenance.colophon()
    data, metadata = colophon._repr_mimebundle_()
    manifest = metadata[provenance.INPUTS_KEY]
    assert "data/usfk_troops.csv" in manifest["data"]
    assert manifest["data"]["data/usfk_troops.csv"] == provenance._sha256(paths.DATA_DIR / "usfk_troops.csv")
    assert "data/usfk_troops.csv" in data["text/html"]
    assert manifest["environment"]["distributions"]["pandas"] == metadata_version("pandas")
    assert "pandas" in manifest["environment"]["modules"]


def metadata_version(name: str) -> str:
    return metadata.version(name)


# --- packaging ---------------------------------------------------------------------------------------


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if "==" in line:
            name, version = (part.strip() for part in line.split("==", 1))
            pins[re.sub(r"\[.*\]", "", name).lower().replace("_", "-")] = version
    return pins


def test_requirements_pull_in_the_constraints_and_agree_with_them():
    requirements = (paths.ROOT / "requirements.txt").read_text(encoding="utf-8")
    assert re.search(r"^-c constraints\.txt$", requirements, re.M), "Binder would install without the full pins"
    direct, full = _pins(paths.ROOT / "requirements.txt"), _pins(paths.ROOT / "constraints.txt")
    disagree = {name: (version, full.get(name)) for name, version in direct.items() if full.get(name) != version}
    assert not disagree, f"requirements.txt and constraints.txt pin different versions: {disagree}"


def test_installed_environment_matches_the_pins():
    """A reader who pulled new pins without rebuilding gets told what to do."""
    stale = []
    for name, pinned in _pins(paths.ROOT / "constraints.txt").items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue  # pinned for some platform or extra this environment does not use
        if installed != pinned:
            stale.append(f"{name}: pinned {pinned}, installed {installed}")
    for name in _pins(paths.ROOT / "requirements.txt"):
        try:
            metadata.version(name)
        except metadata.PackageNotFoundError:
            stale.append(f"{name}: required, not installed")
    assert not stale, "the environment does not match the pins; run `make book` to update it:\n  " + "\n  ".join(stale)


def _imported_modules(folder: Path) -> set[str]:
    """Top-level modules imported anywhere in a package's source (imports inside functions too)."""
    import ast

    found = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.partition(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.partition(".")[0])
    return found - set(sys.stdlib_module_names) - {"__future__", "paying_for_protection", "book_build"}


def test_pyproject_declares_every_package_the_code_imports_and_requirements_pin_them():
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    research = set(project["dependencies"])
    tooling = research | set(project["optional-dependencies"]["build"])
    src = paths.PACKAGE_ROOT / "src"
    for package, declared in (("paying_for_protection", research), ("book_build", tooling)):
        provided = set().union(*(cache_guard._modules_of(name) for name in declared))
        missing = _imported_modules(src / package) - provided
        assert not missing, f"{package} imports {sorted(missing)}, which pyproject.toml does not declare"
    pinned = _pins(paths.ROOT / "constraints.txt")
    everything = tooling | set(project["optional-dependencies"]["dev"])
    unpinned = sorted(name for name in everything if name.lower() not in pinned)
    assert not unpinned, f"declared in pyproject.toml but not pinned in constraints.txt: {unpinned}"


# --- the session's clean build ---------------------------------------------------------------------------


@pytest.mark.book
def test_sphinx_renders_every_chapter_from_the_parallel_run(built_copy: Path):
    log = (built_copy / "_build" / "make-book.log").read_text(encoding="utf-8")
    chapters = execution.notebook_documents(built_copy)
    assert re.search(rf"executing {len(chapters)} chapter\(s\), \d+ at a time", log), log[:2000]
    # myst-nb must find each pre-executed chapter in the cache (same reader, same hash) and run none.
    assert "Executing notebook" not in log
    for path in chapters:
        assert f"{path.relative_to(built_copy)}: Using cached notebook" in log.replace(str(built_copy) + "/", ""), (
            path.name
        )


@pytest.mark.book
def test_the_session_build_needed_no_network(built_copy: Path):
    if (built_copy / "_build" / "offline").read_text(encoding="utf-8") != "yes":
        pytest.skip("cannot enter a network namespace here (`unshare --net` or `ip` unavailable, or not permitted)")
    assert (built_copy / "_build" / "html" / "intro.html").is_file()


@pytest.mark.book
def test_make_book_with_nothing_changed_returns_at_once_and_touches_nothing(built_copy: Path):
    site_dir = built_copy / "_build" / "html"
    before = site_digest(site_dir)
    result = make(built_copy)
    assert result.returncode == 0, result.stderr
    assert "Up to date" in result.stdout and "Sphinx" not in result.stdout
    assert site_digest(site_dir) == before


# --- a copy of the build, edited test by test --------------------------------------------------------------


def _git(root: Path, *args: str) -> str:
    command = ["git", "-C", str(root), "-c", "user.name=Test", "-c", "user.email=test@example.org", *args]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory, built_copy: Path) -> Path:
    """A copy of the session's build in a git repository of its own, built (up to date) at a clean commit."""
    copy = copy_book(tmp_path_factory.mktemp("edited") / "book", with_build_from=built_copy)
    (copy / ".git").unlink() if (copy / ".git").is_file() else shutil.rmtree(copy / ".git")
    _git(copy, "init", "-q")
    _git(copy, "add", "-A")
    _git(copy, "commit", "-qm", "the book as tested")
    result = make(copy)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    return copy


def _built(book: Path) -> Path:
    result = make(book)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    return book / "_build" / "html"


def _assert_up_to_date(book: Path) -> None:
    result = make(book)
    assert result.returncode == 0 and "Up to date" in result.stdout, (result.stdout + result.stderr)[-3000:]


def _plain_typography(text: str) -> str:
    """Text with Sphinx's typographic quotes made straight and every run of spaces one space."""
    for curly, straight in (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"')):
        text = text.replace(curly, straight)
    return re.sub(r"\s+", " ", text.replace("\xa0", " ").replace("\u202f", " "))


def _page_text(site_dir: Path, page: str) -> str:
    """A built page's article text, with the spaces and quotes a formatter or Sphinx may use made plain."""
    soup = BeautifulSoup((site_dir / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article") or soup
    return _plain_typography(article.get_text(" "))


def _cell(path: Path, match: dict[str, str], column: str) -> str:
    """One cell of a CSV, in the row whose cells equal ``match``; exactly one row must match."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    header = rows[0]
    hits = [row for row in rows[1:] if all(row[header.index(k)] == v for k, v in match.items())]
    assert len(hits) == 1, f"{path.name}: {len(hits)} rows match {match}"
    return hits[0][header.index(column)]


def _set_cell(path: Path, match: dict[str, str], column: str, value: str) -> None:
    """Set one cell of a CSV, in the row whose cells equal ``match``; exactly one row must match."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    header = rows[0]
    hits = [row for row in rows[1:] if all(row[header.index(k)] == v for k, v in match.items())]
    assert len(hits) == 1, f"{path.name}: {len(hits)} rows match {match}"
    hits[0][header.index(column)] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _executed(log: str) -> set[str]:
    match = re.search(r"executing \d+ chapter\(s\), \d+ at a time: (.*)", log)
    return set(match.group(1).split(", ")) if match else set()


def _chapters_reading(book: Path, data_file: str) -> set[str]:
    """The chapters whose cached run records reading ``data_file`` (from their colophons)."""
    cache = get_cache(str(book / "_build" / ".jupyter_cache"))
    readers = set()
    for record in cache.list_cache_records():
        for cell in cache.get_cache_bundle(record.pk).nb.cells:
            for output in cell.get("outputs", []):
                manifest = output.get("metadata", {}).get(provenance.INPUTS_KEY)
                if manifest and data_file in manifest["data"]:
                    readers.add(_in_book(book, Path(record.uri)))
    return readers


def _in_book(book: Path, path: Path) -> str:
    """A cached run's path relative to ``book`` (runs copied from another copy keep its paths)."""
    for start in range(len(path.parts)):
        candidate = Path(*path.parts[start:])
        if not candidate.is_absolute() and (book / candidate).is_file():
            return candidate.as_posix()
    raise ValueError(f"{path} is not a file of {book}")


def _sphinx_reading(log: str) -> str:
    """Sphinx's line saying how many pages it reads again ("0 added, 1 changed, 0 removed")."""
    for line in log.splitlines():
        if "updating environment:" in line:
            return re.sub(r"\x1b\[[0-9;]*m", "", line)
    return ""


def _sphinx_writing(log: str) -> set[str]:
    """The pages Sphinx wrote ("writing output... [ 50%] chapters/01_history")."""
    return set(re.findall(r"writing output\.\.\. \[\s*\d+%\] (\S+)", re.sub(r"\x1b\[[0-9;]*m", "", log)))


def _numbers(site_dir: Path) -> dict[str, str]:
    listed = json.loads((site_dir / "numbers.json").read_text(encoding="utf-8"))
    return {f"{n['page']}::{n['key']}": n["value"] for n in listed["numbers"]}


@pytest.fixture
def restored(book: Path):
    """Give back, after the test, every file of ``book`` the test registers before changing it."""
    originals: dict[Path, bytes] = {}

    def keep(*relpaths: str) -> None:
        for relpath in relpaths:
            originals.setdefault(book / relpath, (book / relpath).read_bytes())

    yield keep
    for path, content in originals.items():
        path.write_bytes(content)


@pytest.mark.book
def test_prose_and_code_edits_and_undoing_them_give_the_clean_build_back(book: Path, restored):
    _assert_up_to_date(book)
    site_dir = book / "_build" / "html"
    clean = site_digest(site_dir)
    restored("chapters/01_history.md")
    chapter = book / "chapters" / "01_history.md"
    original = chapter.read_text(encoding="utf-8")

    # A prose edit re-executes nothing and reads one page again.
    chapter.write_text(original.replace("## Overview\n", "## Overview\n\nA new sentence.\n", 1), encoding="utf-8")
    result = make(book)
    assert result.returncode == 0, result.stderr[-3000:]
    assert _executed(result.stdout) == set(), result.stdout[-3000:]
    assert "0 added, 1 changed" in _sphinx_reading(result.stdout), _sphinx_reading(result.stdout)
    assert "A new sentence." in _page_text(site_dir, "chapters/01_history")
    # ... and writes that page, and those that paste its values, not the whole book.
    written = _sphinx_writing(result.stdout)
    assert "chapters/01_history" in written and written <= {"chapters/01_history", "intro"}, written

    # A code edit re-executes that chapter alone.
    marker = "```{code-cell} ipython3\n"
    chapter.write_text(original.replace(marker, f"{marker}# an edit to the code\n", 1), encoding="utf-8")
    result = make(book)
    assert result.returncode == 0, result.stderr[-3000:]
    assert _executed(result.stdout) == {"chapters/01_history.md"}, result.stdout[-3000:]

    # Undoing the edits gives back the clean build's site, byte for byte: the incremental build of
    # a commit equals its clean build. (The original run is still cached: nothing executes.)
    subprocess.run(["git", "-C", str(book), "checkout", "--", "chapters/01_history.md"], check=True)
    result = make(book)
    assert result.returncode == 0 and _executed(result.stdout) == set(), (result.stdout + result.stderr)[-3000:]
    now = site_digest(site_dir)
    assert set(now) == set(clean), set(now) ^ set(clean)
    assert [name for name in clean if clean[name] != now[name]] == []
    _assert_up_to_date(book)


@pytest.mark.book
def test_a_new_chapter_title_reaches_every_page_that_shows_it(book: Path, restored):
    # A chapter's heading shows on other pages (a reference to its label, the next and previous
    # links) that were not read again: they must be written again too, not kept from the last build.
    restored("chapters/01_history.md")
    chapter = book / "chapters" / "01_history.md"
    text = chapter.read_text(encoding="utf-8")
    title = re.search(r"^# (.+)$", text, re.M).group(1)
    new_title = "A history retitled for the test"
    site_dir = book / "_build" / "html"

    def shown(page: str, words: str) -> int:
        soup = BeautifulSoup((site_dir / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
        places = soup.select("article span.std-ref, .prev-next-title")
        return sum(place.get_text(" ").strip() == words for place in places)

    others = [page for page in paths.toc_pages(book) if page != "chapters/01_history"]
    before = {page: shown(page, title) for page in others}
    assert sum(before.values()) >= 2, before  # the landing page refers to it; the next chapter links back

    chapter.write_text(text.replace(f"# {title}\n", f"# {new_title}\n", 1), encoding="utf-8")
    result = make(book)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert "0 added, 1 changed" in _sphinx_reading(result.stdout), _sphinx_reading(result.stdout)
    assert {page: shown(page, new_title) for page in others} == before
    assert not any(shown(page, title) for page in others)
    chapter.write_text(text, encoding="utf-8")
    _built(book)


def _numbers_file(path: Path) -> dict[str, str]:
    listed = json.loads(path.read_text(encoding="utf-8"))
    return {f"{n['page']}::{n['key']}": n["value"] for n in listed["numbers"]}


@pytest.mark.book
def test_a_damaged_site_is_rebuilt_not_declared_up_to_date(book: Path):
    site_dir = _built(book)
    good = site_digest(site_dir)
    shutil.rmtree(site_dir / "_images")
    (site_dir / "chapters" / "01_history.html").write_text("<html>damaged</html>", encoding="utf-8")
    result = make(book)
    assert result.returncode == 0 and "Up to date" not in result.stdout, result.stdout[-2000:]
    assert "missing from the site" in result.stdout or "changed in the site" in result.stdout
    assert site_digest(site_dir) == good
    _assert_up_to_date(book)


@pytest.mark.book
def test_odd_files_in_the_book_neither_break_nor_hang_the_check(book: Path):
    _built(book)
    chapters = book / "chapters"
    os.symlink("someone@host.4242:1700000000", chapters / ".#01_history.md")  # an Emacs lock
    os.mkfifo(chapters / "pipe.md")
    with open(book / "notebooks" / "stray.ipynb", "wb") as handle:  # 1 GB, sparse
        handle.truncate(1 << 30)
    try:
        started = time.perf_counter()
        result = subprocess.run(
            make_command(book), capture_output=True, text=True, env=book_environment(book), timeout=60, check=False
        )
        assert result.returncode == 0 and "Up to date" in result.stdout, (result.stdout + result.stderr)[-2000:]
        assert "Traceback" not in result.stderr and time.perf_counter() - started < 30
    finally:
        for odd in (chapters / ".#01_history.md", chapters / "pipe.md", book / "notebooks" / "stray.ipynb"):
            odd.unlink()


@pytest.mark.book
def test_a_second_build_waits_or_names_the_build_that_runs(book: Path):
    from book_build import lock

    _built(book)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from book_build import lock\n"
            f"with lock.build_lock(Path({str(book / '_build')!r}), command='make book (the other one)'):\n"
            "    print('locked', flush=True); time.sleep(float(sys.argv[1]))",
            "3",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        refused = make(book, env={lock.WAIT_ENV_VAR: "0"})
        assert refused.returncode != 0
        assert f"another build is running (PID {holder.pid}" in refused.stderr and "Traceback" not in refused.stderr
        waited = make(book)  # waits for the holder, then finds nothing to do
        assert waited.returncode == 0 and f"PID {holder.pid}" in waited.stdout and "Up to date" in waited.stdout
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.book
def test_the_colophon_shows_the_commit_being_rendered_not_the_one_a_cached_run_saw(book: Path):
    _assert_up_to_date(book)

    def commits(site_dir: Path) -> set[str]:
        shown = set()
        for page in site.site_files(site_dir):
            if page.suffix in {".html", ".ipynb"}:
                shown |= set(
                    re.findall(rf'class=\\?"{provenance.COMMIT_CLASS}\\?">([^<]*)<', page.read_text(encoding="utf-8"))
                )
        return shown

    head = _git(book, "rev-parse", "--short=12", "HEAD")
    assert commits(book / "_build" / "html") == {head}

    readme = book / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\nAn uncommitted line.\n", encoding="utf-8")
    assert commits(_built(book)) == {f"{head} with uncommitted changes"}

    _git(book, "commit", "-qam", "a commit that changes no page")
    result = make(book)
    assert result.returncode == 0 and _executed(result.stdout) == set(), result.stdout[-2000:]
    new_head = _git(book, "rev-parse", "--short=12", "HEAD")
    assert commits(book / "_build" / "html") == {new_head} and new_head != head
    _assert_up_to_date(book)


@pytest.mark.book
def test_a_build_killed_while_rendering_leaves_the_published_site_whole(book: Path, restored):
    site_dir = _built(book)
    good = site_digest(site_dir)
    published = site_dir.resolve()
    from book_build.fingerprint import Inputs

    recorded = site.read_manifest(published)["inputs"]
    inputs = Inputs(recorded["files"], recorded["environment"], recorded["commit"])
    restored("chapters/glossary.md")
    glossary = book / "chapters" / "glossary.md"
    text = glossary.read_text(encoding="utf-8")
    glossary.write_text(text + "\nOne more line.\n", encoding="utf-8")
    process = subprocess.Popen(
        make_command(book),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=book_environment(book),
        start_new_session=True,
    )
    for line in process.stdout:
        if "reading sources" in line or "writing output" in line:
            os.killpg(process.pid, signal.SIGKILL)
            break
    process.wait()
    assert site_digest(site_dir) == good and site.why_not_current(site_dir.resolve(), inputs) is None
    glossary.write_text(text, encoding="utf-8")
    assert site_digest(_built(book)) == good  # the next build starts Sphinx afresh and gives the same site


# Bad input, then a data edit: the last test to use the copy, as undoing it would execute the
# chapters that read the file again.


@pytest.mark.book
def test_bad_input_stops_make_book_and_keeps_the_last_good_site(book: Path, restored):
    _built(book)
    restored("data/wdi_gdp.csv", "data/korea_budget_figures.csv", "chapters/data.md", "chapters/glossary.md")
    site_dir = book / "_build" / "html"
    good = site_digest(site_dir)

    def fails_with(*messages: str) -> subprocess.CompletedProcess:
        result = make(book)
        assert result.returncode != 0, "the build succeeded on bad input"
        for message in messages:
            assert message in result.stderr, result.stderr[-3000:]
        assert "Traceback" not in result.stderr.split("failed to execute")[0]
        assert site_digest(site_dir) == good, "the last good site was changed by a failed build"
        return result

    # A number that is not one, and a file saved in another encoding.
    gdp = book / "data" / "wdi_gdp.csv"
    original = gdp.read_bytes()
    rows = original.decode("utf-8").splitlines()
    rows[4] = rows[4].rsplit(",", 1)[0] + ",not-a-number"
    gdp.write_text("\n".join(rows) + "\n", encoding="utf-8")
    fails_with("data/wdi_gdp.csv, line 5 (data row 4), column 'gdp_constant_2015_usd_bn'")
    gdp.write_bytes(original)

    # A chapter that raises: the build stops naming the chapter and the error.
    chapter = book / "chapters" / "data.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(
        text.replace(
            "from IPython.display import display\n",
            "from IPython.display import display\nraise RuntimeError('deliberately broken chapter')\n",
            1,
        ),
        encoding="utf-8",
    )
    fails_with("chapters/data.md failed to execute", "deliberately broken chapter")
    chapter.write_text(text, encoding="utf-8")

    # A data value that makes a guarded sentence false: the build stops naming the chapter and the
    # claim (the Assembly cut force improvement below the government's proposal; here the budget as
    # passed is made larger than the proposal).
    figures = book / "data" / "korea_budget_figures.csv"
    original = figures.read_bytes()
    _set_cell(
        figures,
        {"measure": "force_improvement", "year": "2026", "document": "2026 defense budget as passed"},
        "value",
        "20.5000",
    )
    fails_with(
        "chapters/02_budget_trends.md failed to execute",
        "the data no longer support the claim: the Assembly cut force improvement below the proposal",
    )
    figures.write_bytes(original)

    # A Sphinx warning (a reference to no label) fails the build, and fails it again on a rebuild
    # with nothing changed: Sphinx's incremental build must not hide it.
    glossary = book / "chapters" / "glossary.md"
    text = glossary.read_text(encoding="utf-8")
    glossary.write_text(text + "\nSee {ref}`no-such-label`.\n", encoding="utf-8")
    result = fails_with("no-such-label")
    # Chapter 2's last good run outlived its failed run: with the data restored, it is current
    # again. (The Data page, which lists every table and ran well on the bad value, runs again.)
    assert _executed(result.stdout + result.stderr) == {"chapters/data.md"}, result.stdout[-3000:]
    fails_with("no-such-label")


@pytest.mark.book
def test_a_data_edit_reexecutes_exactly_the_chapters_that_read_it_and_reaches_every_page(
    book: Path, restored, tmp_path: Path
):
    site_dir = _built(book)
    clean_numbers = tmp_path / "clean-numbers.json"
    shutil.copy(site_dir / "numbers.json", clean_numbers)
    restored("data/us_troops_abroad.csv")
    # An edit that changes what the pages print but keeps every guarded claim true (most edits of a
    # printed value stop the build, correctly, which the next test checks on purpose): DMDC's 2025
    # count of US troops in Korea, one higher.
    troops_file = book / "data" / "us_troops_abroad.csv"
    korea_2025 = {"iso3": "KOR", "year": "2025"}
    troops = int(_cell(troops_file, korea_2025, "troops_active_duty")) + 1
    readers = _chapters_reading(book, "data/us_troops_abroad.csv")
    assert {"intro.md", "chapters/01_history.md"} <= readers
    _set_cell(troops_file, korea_2025, "troops_active_duty", str(troops))
    # Each page shows the new value, which it did not show before (or the check would prove nothing).
    shown = {("intro", f"{troops:,}"), ("chapters/01_history", f"{troops:,}")}
    assert not {(page, value) for page, value in shown if value in _page_text(site_dir, page)}
    result = make(book)
    assert result.returncode == 0, result.stderr[-3000:]
    assert _executed(result.stdout) == readers, result.stdout[-3000:]
    assert {(page, value) for page, value in shown if value not in _page_text(site_dir, page)} == set()

    # numbers-diff names what changed between the two builds, and nothing else.
    diff = subprocess.run(
        [sys.executable, "-m", "book_build.numbers", "diff", str(clean_numbers), str(site_dir)],
        capture_output=True,
        text=True,
        env=book_environment(book),
        check=True,
    ).stdout
    before, after = _numbers_file(clean_numbers), _numbers(site_dir)
    expected = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
    changed = {line[4:].split(": ", 1)[0] for line in diff.splitlines()[1:]}
    assert changed == expected and "intro::dmdc_count" in changed, diff


def _running_kernels(build) -> list:
    """The kernels among a build's descendants, skipping any that exits while it is looked at."""
    import psutil

    kernels = []
    for child in build.children(recursive=True):
        try:
            command = " ".join(child.cmdline())
        except psutil.NoSuchProcess:  # includes ZombieProcess: it ended between listing and reading
            continue
        if "ipykernel" in command:
            kernels.append(child)
    return kernels


@pytest.mark.book
def test_ctrl_c_stops_every_chapter_and_says_interrupted(tmp_path: Path):
    import psutil

    fresh = copy_book(tmp_path / "book")  # no cache: every chapter has to execute
    process = subprocess.Popen(
        make_command(fresh),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=book_environment(fresh),
        start_new_session=True,
    )
    output = []
    reader = threading.Thread(target=lambda: output.extend(process.stdout), daemon=True)
    reader.start()
    deadline = time.monotonic() + 120
    kernels = []
    while time.monotonic() < deadline and len(kernels) < 2 and process.poll() is None:
        kernels = _running_kernels(psutil.Process(process.pid))
        time.sleep(0.5)
    assert kernels, f"no kernel started; make exited with {process.poll()}"
    time.sleep(2)
    descendants = psutil.Process(process.pid).children(recursive=True)
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    stderr = process.communicate(timeout=60)[1]
    reader.join(5)
    assert process.returncode != 0
    assert "interrupted" in stderr and "DeadKernelError" not in stderr + "".join(output), stderr[-2000:]
    _, alive = psutil.wait_procs(descendants, timeout=30)
    assert not alive, f"still running after Ctrl-C: {[p.pid for p in alive]}"
    assert not (fresh / "_build" / "html").exists(), "an interrupted first build published a site"


@pytest.mark.book
def test_numbers_json_lists_every_value_the_pages_paste(built_book: Path, built_copy: Path):
    listed = json.loads((built_book / "numbers.json").read_text(encoding="utf-8"))
    entries = {f"{n['page']}::{n['key']}": n for n in listed["numbers"]}
    assert listed["book"]["commit"] and listed["book"]["version"]
    pasted = 0
    for page in paths.toc_pages(built_copy):
        source = built_copy / f"{page}.md"
        if not source.is_file():
            continue
        text = _page_text(built_book, page)
        for use in numbers.uses(source.read_text(encoding="utf-8"), page):
            if use.kind not in {"text", "md"}:
                continue
            entry = entries.get(f"{use.source_page}::{use.key}")
            assert entry is not None, f"{page} prints {use.source_page}::{use.key}, which numbers.json lacks"
            shown = [u["text"] for u in entry["printed_on"] if u["page"] == page]
            assert shown, f"numbers.json does not say that {page} prints {use.key}"
            if use.kind == "text":
                assert all(_plain_typography(s) in text for s in shown), (page, use.key, shown)
            pasted += 1
    assert pasted > 200
    # The landing page pastes chapter 3's numbers: listed under chapter 3, printed on both.
    wales = entries["chapters/03_us_pressure_regression::wales_points"]
    assert {u["page"] for u in wales["printed_on"]} >= {"intro", "chapters/03_us_pressure_regression"}
    # The Data page links the file.
    data_page = BeautifulSoup((built_book / "chapters" / "data.html").read_text(encoding="utf-8"), "html.parser")
    assert any(a.get("href", "").endswith("numbers.json") for a in data_page.find_all("a"))


@pytest.mark.book
def test_numbers_diff_between_two_builds_runs_from_make(built_copy: Path):
    result = make(built_copy, "numbers-diff", FROM=str(built_copy / "_build" / "html" / "numbers.json"))
    assert result.returncode == 0, result.stderr
    assert "no printed number changed" in result.stdout
