"""The build pipeline: no stale page, no half-built site, no network, the same bytes every time.

The first tests drive the cache guard directly. The others run `make book` on scratch copies of
the book (conftest.py): the session's build, a rebuild after edits that reach every chapter,
builds stopped by bad data and by a failing chapter, and a second clean build with no network.
"""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from conftest import can_go_offline, copy_book, make, site_digest
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn

from book_build import cache_guard, execution
from paying_for_protection import paths, provenance
from paying_for_protection.data import loaders
from paying_for_protection.formatting import citation, datapage, phrases


def _cached_notebook(manifest: dict | None, code: str = "provenance.colophon()") -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(code, execution_count=1)
    metadata = {provenance.INPUTS_KEY: manifest} if manifest is not None else {}
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/plain": "colophon"}, metadata=metadata)]
    nb.cells.append(cell)
    return nb


def test_cache_guard_drops_runs_whose_data_changed_and_keeps_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    root = tmp_path / "book"
    (root / "data").mkdir(parents=True)
    table = root / "data" / "table.csv"
    table.write_text("year,value\n2024,1\n", encoding="utf-8")
    monkeypatch.setattr(paths, "ROOT", root)

    manifest = {"data": {"data/table.csv": provenance._sha256(table)}, "code": provenance.package_files()}
    cache = get_cache(str(tmp_path / "cache"))
    fresh = cache.cache_notebook_bundle(
        CacheBundleIn(_cached_notebook(manifest), str(root / "fresh.md")), check_validity=False
    )
    unmarked = cache.cache_notebook_bundle(
        CacheBundleIn(_cached_notebook(None, "print('no colophon')"), str(root / "unmarked.md")), check_validity=False
    )
    assert fresh.pk != unmarked.pk

    # A run with no manifest cannot vouch for its inputs: it is dropped, the current one is kept.
    assert cache_guard.invalidate_stale_cache(tmp_path / "cache") == [str(root / "unmarked.md")]
    assert [r.pk for r in cache.list_cache_records()] == [fresh.pk]

    # Editing the data file makes the remaining run stale.
    table.write_text("year,value\n2024,2\n", encoding="utf-8")
    assert cache_guard.invalidate_stale_cache(tmp_path / "cache") == [str(root / "fresh.md")]
    assert cache.list_cache_records() == []


def test_cache_guard_drops_runs_whose_package_code_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    code = provenance.package_files()
    some_file = next(iter(code))
    stale = {"data": {}, "code": {**code, some_file: "0" * 64}}
    cache = get_cache(str(tmp_path / "cache"))
    cache.cache_notebook_bundle(CacheBundleIn(_cached_notebook(stale), str(tmp_path / "a.md")), check_validity=False)
    assert cache_guard.invalidate_stale_cache(tmp_path / "cache") == [str(tmp_path / "a.md")]


def test_colophon_lists_the_data_files_a_session_read():
    loaders.load_usfk_troops()
    colophon = provenance.colophon()
    data, metadata = colophon._repr_mimebundle_()
    manifest = metadata[provenance.INPUTS_KEY]
    assert "data/usfk_troops.csv" in manifest["data"]
    assert manifest["data"]["data/usfk_troops.csv"] == provenance._sha256(paths.DATA_DIR / "usfk_troops.csv")
    assert "data/usfk_troops.csv" in data["text/html"]


def _page_text(site: Path, page: str) -> str:
    """A built page's article text, with the spaces a formatter may use made plain."""
    soup = BeautifulSoup((site / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article") or soup
    return re.sub(r"\s+", " ", article.get_text(" ").replace("\xa0", " ").replace("\u202f", " "))


def _set_cell(path: Path, match: dict[str, str], column: str, value: str) -> None:
    """Set one cell of a CSV, in the row whose cells equal ``match``; exactly one row must match."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    header = rows[0]
    hits = [row for row in rows[1:] if all(row[header.index(k)] == v for k, v in match.items())]
    assert len(hits) == 1, f"{path.name}: {len(hits)} rows match {match}"
    hits[0][header.index(column)] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def test_sphinx_renders_every_chapter_from_the_parallel_run(built_copy: Path):
    log = (built_copy / "_build" / "make-book.log").read_text(encoding="utf-8")
    chapters = execution.notebook_documents()
    assert re.search(rf"executing {len(chapters)} chapter\(s\), \d+ at a time", log), log[:2000]
    # myst-nb must find each pre-executed chapter in the cache (same reader, same hash) and run none.
    assert "Executing notebook" not in log
    for path in chapters:
        assert f"{path.relative_to(paths.ROOT)}: Using cached notebook" in log.replace(str(built_copy) + "/", ""), (
            path.name
        )


def test_make_book_with_nothing_changed_returns_at_once_and_touches_nothing(built_copy: Path):
    site = built_copy / "_build" / "html"
    before = site_digest(site)
    result = make(built_copy)
    assert result.returncode == 0, result.stderr
    assert "Up to date" in result.stdout and "jupyter-book build" not in result.stdout
    assert site_digest(site) == before


@pytest.mark.book
def test_editing_inputs_updates_every_page_that_shows_them(tmp_path: Path, built_copy: Path):
    copy = copy_book(tmp_path / "book", with_build_from=built_copy)
    site = copy / "_build" / "html"
    assert "Up to date" in make(copy).stdout  # the copied site is recognised as built from these inputs

    # One edit per page, each to a value that page glues (and that nothing else there prints).
    data = copy / "data"
    troops, share = 28437, 4.444444
    _set_cell(data / "usfk_troops.csv", {"year": "2025"}, "usfk_troops", str(troops))
    _set_cell(
        data / "sipri_milex.csv",
        {"iso3": "KOR", "year": "2024", "indicator": "share_of_gdp_pct"},
        "value",
        f"{share:.6f}",
    )
    exposure = loaders.load_panel_exposure().merge(loaders.load_countries()[["iso3", "alliance"]], on="iso3")
    nato = exposure[exposure["alliance"] == "NATO"]
    exposed = nato[nato["wales_gap_pct"] > 0]
    _set_cell(data / "panel_exposure.csv", {"iso3": exposed["iso3"].iloc[0]}, "wales_gap_pct", "0.000000")
    world = data / "sipri_world.csv"
    world.write_text("".join(world.read_text(encoding="utf-8").splitlines(keepends=True)[:-1]), encoding="utf-8")
    cff = copy / "CITATION.cff"
    version = citation.release_info()["version"]
    cff.write_text(
        cff.read_text(encoding="utf-8").replace(f'version: "{version}"', 'version: "9.8.7"'), encoding="utf-8"
    )

    expected = {
        "intro": [phrases.fmt_number(troops), phrases.fmt_pct(share, 1), "9.8.7"],
        "chapters/01_history": [phrases.fmt_number(troops)],
        "chapters/02_budget_trends": [phrases.fmt_pct(share, 1)],
        "chapters/03_us_pressure_regression": [f"{len(exposed) - 1} of {len(nato)} members"],
        "chapters/data": [f"there are {phrases.fmt_number(datapage.sipri_values_published() - 1)}"],
        "chapters/how_to_cite": ["version 9.8.7"],
    }
    for page, values in expected.items():
        text = _page_text(site, page)
        for value in values:
            assert value not in text, f"{page} already shows {value!r}: the check would prove nothing"

    result = make(copy)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    for page, values in expected.items():
        text = _page_text(site, page)
        for value in values:
            assert value in text, f"{page} does not show {value!r} after the edit: a stale page"


@pytest.mark.book
def test_bad_input_stops_make_book_and_keeps_the_last_good_site(tmp_path: Path, built_copy: Path):
    copy = copy_book(tmp_path / "book", with_build_from=built_copy)
    site = copy / "_build" / "html"
    good = site_digest(site)

    def fails_with(*messages: str) -> None:
        result = make(copy)
        assert result.returncode != 0, "the build succeeded on bad input"
        for message in messages:
            assert message in result.stderr, result.stderr[-3000:]
        assert "Traceback" not in result.stderr.split("failed to execute")[0]
        assert site_digest(site) == good, "the last good site was changed by a failed build"

    # A number that is not one, and a file saved in another encoding.
    gdp = copy / "data" / "wdi_gdp.csv"
    original = gdp.read_bytes()
    rows = original.decode("utf-8").splitlines()
    rows[4] = rows[4].rsplit(",", 1)[0] + ",not-a-number"
    gdp.write_text("\n".join(rows) + "\n", encoding="utf-8")
    fails_with("data/wdi_gdp.csv, line 5 (data row 4), column 'gdp_constant_2015_usd_bn'")
    gdp.write_bytes(original)

    timeline = copy / "data" / "timeline.csv"
    original = timeline.read_bytes()
    lines = original.split(b"\n")
    lines[2] = lines[2].replace(b",", "Séoul,".encode("latin-1"), 1)
    timeline.write_bytes(b"\n".join(lines))
    fails_with("data/timeline.csv, line 3 (data row 2), column 'date'", "not valid utf-8 text")
    timeline.write_bytes(original)

    # A chapter that raises: the build stops naming the chapter and the error.
    chapter = copy / "chapters" / "data.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(
        text.replace(
            "from myst_nb import glue\n",
            "from myst_nb import glue\nraise RuntimeError('deliberately broken chapter')\n",
            1,
        ),
        encoding="utf-8",
    )
    fails_with("chapters/data.md failed to execute", "deliberately broken chapter")


@pytest.fixture(scope="module")
def second_clean_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bool]:
    """Another clean build on another copy, without a network where the kernel allows it."""
    copy = copy_book(tmp_path_factory.mktemp("offline") / "book")
    offline = can_go_offline()
    result = make(copy, offline=offline)
    if result.returncode != 0:
        pytest.fail(("offline " if offline else "") + "build failed:\n" + (result.stdout + result.stderr)[-4000:])
    return copy / "_build" / "html", offline


@pytest.mark.book
def test_the_book_builds_with_no_network(second_clean_build: tuple[Path, bool]):
    site, offline = second_clean_build
    if not offline:
        pytest.skip("cannot enter a network namespace here (`unshare --net` or `ip` unavailable, or not permitted)")
    assert (site / "intro.html").is_file() and (site / "chapters" / "03_us_pressure_regression.html").is_file()


@pytest.mark.book
def test_two_clean_builds_give_the_same_bytes(built_book: Path, second_clean_build: tuple[Path, bool]):
    site, _ = second_clean_build
    first, second = site_digest(built_book), site_digest(site)
    assert set(first) == set(second), set(first) ^ set(second)
    differing = sorted(name for name in first if first[name] != second[name])
    assert not differing, f"files that differ between two clean builds: {differing[:10]}"


def test_installed_environment_matches_requirements():
    """A reader who pulled new pins without rebuilding gets told what to do."""
    stale = []
    for line in (paths.ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if "==" not in line:
            continue
        name, pinned = (part.strip() for part in line.split("==", 1))
        name = re.sub(r"\[.*\]", "", name)
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = "not installed"
        if installed != pinned:
            stale.append(f"{name}: requirements.txt pins {pinned}, the environment has {installed}")
    assert not stale, (
        "the environment does not match requirements.txt; run `make book` to update it:\n  " + "\n  ".join(stale)
    )
