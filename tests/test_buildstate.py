"""The build's state, piece by piece, without building the book: fingerprint, manifest, swap, lock, guard.

Each test reproduces one way a build used to go wrong (issue 14) or could: an up-to-date check
fooled by a damaged site, an odd file that crashed or hung the check, a window with no site, two
builds at once, a cached run outliving a new library version.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from book_build import cache_guard, linkcheck, lock, numbers, site
from book_build import fingerprint as inputs
from paying_for_protection import provenance


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def _book(root: Path, with_git: bool = True) -> Path:
    (root / "chapters").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "notebooks").mkdir()
    (root / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n  - file: chapters/one\n", encoding="utf-8"
    )
    (root / "intro.md").write_text("# Intro\n", encoding="utf-8")
    (root / "chapters" / "one.md").write_text("# One\n", encoding="utf-8")
    (root / "data" / "table.csv").write_text("year,value\n2024,1\n", encoding="utf-8")
    if with_git:
        _git(root, "init", "-q")
        _git(root, "add", "-A")
        _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "book")
    return root


def _names(root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in inputs.input_files(root)]


# --- the inputs' fingerprint ---------------------------------------------------------------------------


@pytest.mark.parametrize("with_git", [True, False], ids=["git checkout", "no git"])
def test_any_input_edit_a_new_file_and_a_rename_change_the_fingerprint(tmp_path: Path, with_git: bool):
    root = _book(tmp_path / "book", with_git)
    before = inputs.fingerprint(root)
    (root / "data" / "table.csv").write_text("year,value\n2024,2\n", encoding="utf-8")
    edited = inputs.fingerprint(root)
    (root / "data" / "new.csv").write_text("a\n", encoding="utf-8")  # untracked, but a table
    added = inputs.fingerprint(root)
    (root / "data" / "new.csv").rename(root / "data" / "renamed.csv")
    assert len({before, edited, added, inputs.fingerprint(root)}) == 4


def test_the_commit_and_the_environment_are_part_of_the_fingerprint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = _book(tmp_path / "book")
    hashes = inputs.file_hashes(root)
    clean = inputs.fingerprint(root, hashes, commit="abc")
    assert inputs.fingerprint(root, hashes, commit="abc with uncommitted changes") != clean
    monkeypatch.setattr(provenance, "installed_distributions", lambda: {"pandas": "0.0.1"})
    assert inputs.fingerprint(root, hashes, commit="abc") != clean


def test_build_output_environment_tests_and_editor_files_do_not_count(tmp_path: Path):
    root = _book(tmp_path / "book")
    before = inputs.fingerprint(root)
    for folder in ("_build/html", ".venv/bin", "tests", "src/pkg/__pycache__", ".ipynb_checkpoints"):
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / "file.py").write_text("anything", encoding="utf-8")
    for name in ("#one.md#", "one.md~", ".one.md.swp", "4913"):
        (root / "chapters" / name).write_text("an editor's", encoding="utf-8")
    assert inputs.fingerprint(root) == before


def test_an_editors_dangling_lock_link_is_ignored(tmp_path: Path):
    # Emacs marks a file it edits with a link to nowhere: `.#name -> user@host.pid`.
    root = _book(tmp_path / "book")
    before = inputs.fingerprint(root)
    os.symlink("someone@host.1234:1700000000", root / "chapters" / ".#one.md")
    os.symlink("nowhere.md", root / "chapters" / "dangling.md")  # and any other dangling link
    assert inputs.fingerprint(root) == before


def test_a_fifo_is_never_opened(tmp_path: Path):
    root = _book(tmp_path / "book")
    before = inputs.fingerprint(root)
    os.mkfifo(root / "chapters" / "pipe.md")  # opening it would block until someone writes
    done = threading.Event()
    result = {}
    thread = threading.Thread(
        target=lambda: (result.setdefault("f", inputs.fingerprint(root)), done.set()), daemon=True
    )
    thread.start()
    assert done.wait(20), "the fingerprint blocked on a FIFO"
    assert result["f"] == before


@pytest.mark.parametrize("name", ["notebooks/stray.bin", "notebooks/huge.ipynb"])
def test_a_huge_stray_file_is_not_hashed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str):
    root = _book(tmp_path / "book")
    before = inputs.fingerprint(root)
    with open(root / name, "wb") as handle:  # 1 GB, sparse: costs no disk
        handle.truncate(1 << 30)
    opened = []
    real = inputs.file_sha256
    monkeypatch.setattr(inputs, "file_sha256", lambda path: opened.append(path) or real(path))
    started = time.perf_counter()
    assert inputs.fingerprint(root) == before
    assert root / name not in opened and time.perf_counter() - started < 5


def test_a_tracked_file_counts_and_an_ignored_one_does_not(tmp_path: Path):
    root = _book(tmp_path / "book")
    (root / ".gitignore").write_text("scratch/\n", encoding="utf-8")
    (root / "scratch").mkdir()
    (root / "scratch" / "notes.md").write_text("x", encoding="utf-8")
    (root / "LICENSE").write_text("MIT", encoding="utf-8")  # no suffix: counts only once tracked
    names = _names(root)
    assert "scratch/notes.md" not in names and "LICENSE" not in names
    _git(root, "add", "LICENSE")
    assert "LICENSE" in _names(root)


# --- the site: manifest, up-to-date check, atomic publishing ---------------------------------------------


INPUTS = inputs.Inputs({"chapters/one.md": "1" * 64}, "environment", "abc")


def _site(root: Path, built_from: inputs.Inputs = INPUTS) -> Path:
    staged = root / "_build" / "staged"
    (staged / "_images").mkdir(parents=True)
    (staged / "intro.html").write_text('<html><a href="_images/a.png">a</a></html>', encoding="utf-8")
    (staged / "_images" / "a.png").write_bytes(b"png")
    site.write_manifest(staged, built_from)
    return site.publish(staged, root)


def test_a_site_is_current_only_while_every_file_is_present_and_unchanged(tmp_path: Path):
    published = _site(tmp_path)
    assert site.why_not_current(published, INPUTS) is None
    edited = inputs.Inputs({"chapters/one.md": "2" * 64}, "environment", "abc")
    assert site.why_not_current(published, edited) == "chapters/one.md changed since the last build"
    committed = inputs.Inputs(INPUTS.files, "environment", "def")
    assert site.why_not_current(published, committed) == "the commit changed (abc -> def) since the last build"
    (published / "_images" / "a.png").write_bytes(b"other")
    assert "_images/a.png changed" in site.why_not_current(published, INPUTS)
    (published / "_images" / "a.png").unlink()
    assert "_images/a.png is missing" in site.why_not_current(published, INPUTS)


def test_a_whole_deleted_folder_of_the_site_is_noticed(tmp_path: Path):
    published = _site(tmp_path)
    import shutil

    shutil.rmtree(published / "_images")
    assert "missing" in site.why_not_current(published, INPUTS)


def test_publishing_never_leaves_a_moment_without_a_complete_site(tmp_path: Path):
    _site(tmp_path)
    link = site.site_link(tmp_path)
    stop = threading.Event()
    misses = []

    def reader() -> None:
        while not stop.is_set():
            for name in ("intro.html", "_images/a.png"):
                try:
                    with open(link / name, "rb"):
                        pass
                except OSError:
                    misses.append(name)

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    for _ in range(40):
        _site(tmp_path)
        time.sleep(0.002)
    stop.set()
    thread.join()
    assert not misses, f"{len(misses)} looks at _build/html found no complete site: {misses[:5]}"
    # The site replaced last is kept (a reader may be in it); older ones are deleted.
    assert len(list(site.sites_dir(tmp_path).iterdir())) == 2 and link.resolve().parent == site.sites_dir(tmp_path)
    assert os.readlink(link).startswith("sites/")  # relative: the folder can be moved or copied


def test_a_site_from_before_links_is_replaced(tmp_path: Path):
    old = site.site_link(tmp_path)
    old.mkdir(parents=True)
    (old / "intro.html").write_text("old", encoding="utf-8")
    _site(tmp_path)
    assert old.is_symlink() and (old / "intro.html").read_text(encoding="utf-8").startswith("<html>")


# --- one build at a time ----------------------------------------------------------------------------


def _hold_lock(build_dir: Path, seconds: float) -> subprocess.Popen:
    code = (
        "import sys, time; from pathlib import Path; from book_build import lock\n"
        f"with lock.build_lock(Path({str(build_dir)!r}), command='the first build'):\n"
        "    print('locked', flush=True); time.sleep(float(sys.argv[1]))\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", code, str(seconds)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    return holder


def test_a_second_build_is_told_which_build_holds_the_lock(tmp_path: Path):
    holder = _hold_lock(tmp_path, 30)
    try:
        with pytest.raises(lock.BuildLocked, match=rf"another build is running \(PID {holder.pid}, .*the first build"):
            with lock.build_lock(tmp_path, wait=0):
                pass
    finally:
        holder.kill()
        holder.wait()
    with lock.build_lock(tmp_path, wait=0):  # a killed holder leaves no stale lock
        pass


def test_a_second_build_waits_for_the_first(tmp_path: Path):
    holder = _hold_lock(tmp_path, 1.5)
    messages = []
    started = time.perf_counter()
    with lock.build_lock(tmp_path, wait=60, log=messages.append):
        waited = time.perf_counter() - started
    holder.wait()
    assert waited > 0.5 and f"PID {holder.pid}" in messages[0]


# --- the cache guard and the environment ------------------------------------------------------------------


def _recorded_environment(**changes: str | None) -> dict:
    current = provenance.installed_distributions()
    distributions = dict(current)
    for name, version in changes.items():
        if version is None:
            distributions.pop(name, None)
        else:
            distributions[name] = version
    return {
        "python": provenance.platform.python_version(),
        "distributions": distributions,
        "modules": ["pandas", "numpy", "json"],
    }


def test_a_new_version_of_a_library_the_chapter_imported_makes_its_run_stale():
    assert cache_guard.environment_changes(_recorded_environment()) == []
    changes = cache_guard.environment_changes(_recorded_environment(pandas="0.0.1"))
    assert changes == [f"pandas 0.0.1 -> {provenance.installed_distributions()['pandas']}"]


def test_a_new_version_of_a_library_the_chapter_never_imported_does_not():
    assert cache_guard.environment_changes(_recorded_environment(playwright="0.0.1")) == []


def test_another_python_makes_every_run_stale():
    recorded = {**_recorded_environment(), "python": "3.9.0"}
    assert cache_guard.environment_changes(recorded) == [f"Python 3.9.0 -> {provenance.platform.python_version()}"]


def test_a_run_that_recorded_no_environment_is_stale():
    assert cache_guard.environment_changes(None) == ["no record of the environment"]


# --- the colophon's commit ----------------------------------------------------------------------------------


def test_the_commit_of_a_colophon_is_replaced_in_html_and_plain_text():
    colophon = provenance.colophon()
    data, metadata = colophon._repr_mimebundle_()
    rendered = provenance.with_build_commit(data["text/html"], "0123456789ab")
    assert f'<td class="{provenance.COMMIT_CLASS}">0123456789ab</td>' in rendered
    assert rendered.replace("0123456789ab", colophon.commit) == data["text/html"]  # nothing else changed
    plain = provenance.with_build_commit(data["text/plain"], "0123456789ab")
    assert plain.splitlines()[-1] == "git commit: 0123456789ab"
    assert set(metadata[provenance.INPUTS_KEY]) == {"data", "code", "environment"}


# --- numbers.json and the internal link check ---------------------------------------------------------------


def test_glue_uses_are_parsed_as_myst_nb_parses_them():
    text = (
        "{glue:text}`a` and {glue:text}`b:.2f` and {glue:}`c` and {glue:md}`d` and {glue}`e`\n"
        "pasted {glue:text}`chapters/03_x.md::f:s`\n```{glue:figure} fig\n:name: x\n```\n"
    )
    found = {(u.source_page, u.key, u.kind, u.fmt_spec) for u in numbers.uses(text, "intro")}
    assert found == {
        ("intro", "a", "text", "s"),
        ("intro", "b", "text", ".2f"),
        ("intro", "c", "any", ""),
        ("intro", "d", "md", ""),
        ("intro", "e", "any", ""),
        ("chapters/03_x", "f", "text", "s"),
        ("intro", "fig", "figure", ""),
    }


def test_numbers_diff_names_what_changed_appeared_and_disappeared():
    old = {
        "book": {"version": "1.0.0"},
        "numbers": [{"page": "p", "key": "a", "value": "1"}, {"page": "p", "key": "b", "value": "2"}],
    }
    new = {
        "book": {"version": "1.1.0"},
        "numbers": [{"page": "p", "key": "a", "value": "1"}, {"page": "p", "key": "c", "value": "3"}],
    }
    report = numbers.format_diff(old, new, "v1.0.0", "this build")
    assert "v1.0.0 (version 1.0.0) -> this build (version 1.1.0): 2 changed" in report
    assert "  - p::b: 2" in report and "  + p::c: 3" in report and "p::a" not in report
    assert "no printed number changed" in numbers.format_diff(old, old, "a", "b")


def test_the_link_check_finds_a_missing_file_and_a_missing_anchor(tmp_path: Path):
    (tmp_path / "a.html").write_text(
        '<p id="here"><a href="b.html#gone">x</a> <img src="_images/no.png"></p>', encoding="utf-8"
    )
    (tmp_path / "b.html").write_text(
        '<h1 id="top"><a href="a.html#here">back</a> <a href="#top">top</a></h1>', encoding="utf-8"
    )
    assert linkcheck.broken_links(tmp_path) == [
        "a.html: b.html#gone (no such anchor)",
        "a.html: _images/no.png (no such file)",
    ]
    json.dumps(linkcheck.broken_links(tmp_path))  # plain strings, for the build's message
