"""How fast the book builds, side by side with plain Jupyter Book: the benchmark behind ``make bench``.

Two scratch copies of the book with the same content (the working tree is never touched): one built
with ``make book``, one with plain ``jupyter-book build .`` (the engine alone, with the book's own
``_config.yml``: the execution cache on, the same chapters). Each run measures, for both, in turn:

1. a clean build (no ``_build`` folder at all);
2. a rebuild with nothing changed;
3. a rebuild after a prose-only edit to one chapter (a sentence added to its text);
4. a rebuild after a code edit to one chapter (a comment added to a code cell);
5. a rebuild after a data edit (one value of one table changed, as a correction would).

The two builds of a scenario run back to back, in alternating order from run to run, so that the
load of a shared machine falls on both alike; the report gives medians of the paired ratios (ours /
plain Jupyter Book). After a data edit it also checks which chapters each build executed again and
whether plain Jupyter Book's page still shows the old value.

It then compares the build's chapter executor (``book_build.execution``) with jupyter-cache's own
``local-parallel`` executor, both executing every chapter into an empty cache, paired the same way.

Usage: ``python benchmarks/bench.py [--runs N] [--jobs N] [--skip-executors]``.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VENV = Path(sys.prefix)
COPY_IGNORE = shutil.ignore_patterns(
    ".venv*", "_build", ".git", "__pycache__", ".pytest_cache", "*.egg-info", ".ruff_cache"
)

#: The chapter edited (prose and code) and the data file edited, with a value its pages print.
EDITED_CHAPTER = "chapters/01_history.md"
EDITED_DATA = "data/us_troops_abroad.csv"

#: Targets, as ratios to plain Jupyter Book in the same run (issue 11).
TARGETS = {"clean": 0.65, "prose": 1.0, "code": 1.1}

SCENARIOS = ["clean", "nochange", "prose", "code", "data"]
LABELS = {
    "clean": "clean build",
    "nochange": "nothing changed",
    "prose": "prose-only edit to one chapter",
    "code": "code edit to one chapter",
    "data": "data edit",
}


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    memory = ""
    try:
        kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f", {kib / 1024**2:.0f} GiB RAM"
    except (OSError, AttributeError):
        pass
    return (
        f"{model}, {cores} cores{memory}; {platform.system()} {platform.release()}; Python {platform.python_version()}"
    )


def run(command: list[str], book: Path, label: str) -> tuple[float, str]:
    """Run a command in a copy of the book; return wall seconds and its output (exit on failure)."""
    started = time.perf_counter()
    result = subprocess.run(
        command, cwd=book, capture_output=True, text=True, env={**os.environ, "PFP_ROOT": str(book)}, check=False
    )
    seconds = time.perf_counter() - started
    output = result.stdout + result.stderr
    if result.returncode != 0:
        sys.exit(f"{label} failed in {book}:\n{output[-4000:]}")
    return seconds, output


def ours(book: Path, jobs: int | None) -> tuple[float, str]:
    command = ["make", "-C", str(book), f"VENV={VENV}", "-o", f"{VENV}/.installed", "book"]
    return run(command + ([f"JOBS={jobs}"] if jobs else []), book, "make book")


def plain(book: Path, jobs: int | None) -> tuple[float, str]:
    return run([str(VENV / "bin" / "jupyter-book"), "build", "."], book, "jupyter-book build .")


def executed_by_ours(log: str) -> list[str]:
    match = re.search(r"executing \d+ chapter\(s\), \d+ at a time: (.*)", log)
    return sorted(match.group(1).split(", ")) if match else []


def executed_by_plain(log: str, book: Path) -> list[str]:
    return sorted(
        Path(m).relative_to(book).as_posix()
        for m in re.findall(r"(\S+\.md): Executing notebook", log.replace("\x1b", ""))
    )


def edit_prose(book: Path, run_number: int) -> None:
    path = book / EDITED_CHAPTER
    text = path.read_text(encoding="utf-8")
    assert "\n## Overview\n" in text, f"{EDITED_CHAPTER}: no Overview section to edit"
    sentence = f"A sentence added by the benchmark, run {run_number}."
    path.write_text(text.replace("\n## Overview\n", f"\n## Overview\n\n{sentence}\n", 1), encoding="utf-8")


def edit_code(book: Path, run_number: int) -> None:
    path = book / EDITED_CHAPTER
    text = path.read_text(encoding="utf-8")
    marker = "```{code-cell} ipython3\n"
    assert marker in text, f"{EDITED_CHAPTER}: no code cell to edit"
    path.write_text(text.replace(marker, f"{marker}# benchmark edit {run_number}\n", 1), encoding="utf-8")


#: The row edited: DMDC's count of US troops in Korea in 2025, which the landing page and the
#: history chapter print. (A change of the 2008 level the press quotes would, correctly, stop the
#: build: the history chapter guards that the level has not moved since.)
EDITED_ROW = {"iso3": "KOR", "year": "2025"}
EDITED_COLUMN = "troops_active_duty"


def edit_data(book: Path, run_number: int) -> str:
    """Change that count by one (a valid value); return the new value as pages print it."""
    path = book / EDITED_DATA
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    (index,) = [
        i for i, line in enumerate(lines) if all(line.split(",")[header.index(k)] == v for k, v in EDITED_ROW.items())
    ]
    row = lines[index].split(",")
    column = header.index(EDITED_COLUMN)
    row[column] = str(int(row[column]) + (1 if run_number % 2 else -1))
    lines[index] = ",".join(row)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return f"{int(row[column]):,}"


def page_shows(book: Path, page: str, text: str) -> bool:
    html = (book / "_build" / "html" / f"{page}.html").read_text(encoding="utf-8")
    return text in re.sub(r"<[^>]+>", " ", html).replace("\xa0", " ")


def one_run(books: dict[str, Path], run_number: int, jobs: int | None) -> dict[str, dict]:
    builders = {"ours": ours, "plain": plain}
    order = ["ours", "plain"] if run_number % 2 else ["plain", "ours"]
    results: dict[str, dict] = {name: {} for name in builders}

    def measure(scenario: str) -> None:
        for name in order:
            seconds, log = builders[name](books[name], jobs)
            results[name][scenario] = seconds
            results[name][f"{scenario}_log"] = log

    for book in books.values():
        shutil.rmtree(book / "_build", ignore_errors=True)
    measure("clean")
    assert "Built:" in results["ours"]["clean_log"]
    measure("nochange")
    assert "Up to date" in results["ours"]["nochange_log"], "the no-change rebuild did not take the fast path"
    for book in books.values():
        edit_prose(book, run_number)
    measure("prose")
    for book in books.values():
        edit_code(book, run_number)
    measure("code")
    for book in books.values():
        value = edit_data(book, run_number)
    measure("data")
    results["ours"]["data_executed"] = executed_by_ours(results["ours"]["data_log"])
    results["plain"]["data_executed"] = executed_by_plain(results["plain"]["data_log"], books["plain"])
    results["ours"]["code_executed"] = executed_by_ours(results["ours"]["code_log"])
    results["ours"]["prose_executed"] = executed_by_ours(results["ours"]["prose_log"])
    results["ours"]["data_fresh"] = page_shows(books["ours"], "intro", value)
    results["plain"]["data_fresh"] = page_shows(books["plain"], "intro", value)
    return results


def chapters_reading(book: Path, data_file: str) -> list[str]:
    """The chapters whose cached run records reading ``data_file``."""
    sys.path.insert(0, str(REPO / "src"))
    from jupyter_cache import get_cache

    cache = get_cache(str(book / "_build" / ".jupyter_cache"))
    readers = set()
    for record in cache.list_cache_records():
        for cell in cache.get_cache_bundle(record.pk).nb.cells:
            for output in cell.get("outputs", []):
                manifest = output.get("metadata", {}).get("paying-for-protection/inputs")
                if manifest and data_file in manifest.get("data", {}):
                    readers.add(Path(record.uri).relative_to(book).as_posix())
    return sorted(readers)


# --- executors -------------------------------------------------------------------------------------------

OUR_EXECUTOR = """
import sys
from pathlib import Path
from book_build import execution
report = execution.execute_into_cache(Path(sys.argv[1]), int(sys.argv[2]), log=lambda *_: None)
assert len(report.notebooks) == len(execution.notebook_documents())
"""

LIBRARY_EXECUTOR = """
import sys
from jupyter_cache import get_cache
from jupyter_cache.executors import load_executor
from book_build import execution
cache = get_cache(sys.argv[1])
documents = execution.notebook_documents()
for path in documents:
    cache.add_nb_to_project(str(path), read_data={"name": "myst_nb_md", "type": "plugin"})
result = load_executor("local-parallel", cache=cache).run_and_cache(timeout=600, allow_errors=False)
assert len(result.succeeded) == len(documents), result
"""


def compare_executors(book: Path, run_number: int, jobs: int) -> dict[str, float]:
    timings = {}
    order = [("ours", OUR_EXECUTOR), ("library", LIBRARY_EXECUTOR)]
    for name, code in order if run_number % 2 else reversed(order):
        cache = Path(tempfile.mkdtemp(prefix=f"cache-{name}-", dir=book.parent))
        timings[name], _ = run([sys.executable, "-c", code, str(cache), str(jobs)], book, f"{name} executor")
        shutil.rmtree(cache)
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark the book's build against plain Jupyter Book.")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None, help="chapters executed at once (default: the cores)")
    parser.add_argument("--skip-executors", action="store_true", help="leave out the executor comparison")
    args = parser.parse_args()
    jobs = args.jobs or (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count())

    scratch = Path(tempfile.mkdtemp(prefix="pfp-bench-"))
    books = {name: scratch / name / "book" for name in ("ours", "plain")}
    for book in books.values():
        shutil.copytree(REPO, book, ignore=COPY_IGNORE)
        # A repository of its own, committed: the pages' last-updated dates come from git, as in a clone.
        for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "benchmark copy"]):
            subprocess.run(
                ["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost", *command], cwd=book, check=True
            )
    print(f"Machine: {machine()}")
    print(f"Date: {datetime.date.today().isoformat()}; runs: {args.runs}; chapters executed {jobs} at a time")
    print(f"Scratch copies: {scratch}\n", flush=True)
    runs, executor_runs = [], []
    readers: list[str] = []
    try:
        for number in range(1, args.runs + 1):
            started = time.perf_counter()
            runs.append(one_run(books, number, args.jobs))
            if not readers:
                readers = chapters_reading(books["ours"], EDITED_DATA)
            if not args.skip_executors:
                executor_runs.append(compare_executors(books["ours"], number, jobs))
            print(f"run {number}/{args.runs} done in {time.perf_counter() - started:.0f} s", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print("\nmake book against plain `jupyter-book build .`, median seconds and median of paired ratios:")
    print(f"  {'scenario':<34} {'make book':>10} {'plain JB':>10} {'ratio':>7}  target")
    ratios = {}
    for scenario in SCENARIOS:
        mine = statistics.median(r["ours"][scenario] for r in runs)
        theirs = statistics.median(r["plain"][scenario] for r in runs)
        ratios[scenario] = statistics.median(r["ours"][scenario] / r["plain"][scenario] for r in runs)
        target = f"<= {TARGETS[scenario]:.2f}" if scenario in TARGETS else ""
        print(f"  {LABELS[scenario]:<34} {mine:10.2f} {theirs:10.2f} {ratios[scenario]:7.2f}  {target}")

    last = runs[-1]
    print("\nAfter the data edit:")
    print(f"  chapters that read {EDITED_DATA}: {', '.join(readers) or 'none'}")
    print(f"  make book re-executed: {', '.join(last['ours']['data_executed']) or 'nothing'}")
    print(f"  plain JB re-executed:  {', '.join(last['plain']['data_executed']) or 'nothing'}")
    print(
        f"  landing page shows the new value: make book {'yes' if last['ours']['data_fresh'] else 'NO'}, "
        f"plain JB {'yes' if last['plain']['data_fresh'] else 'no (stale)'}"
    )
    print(
        f"  prose edit re-executed: {', '.join(last['ours']['prose_executed']) or 'nothing'}; "
        f"code edit re-executed: {', '.join(last['ours']['code_executed']) or 'nothing'}"
    )

    if executor_runs:
        mine = statistics.median(r["ours"] for r in executor_runs)
        library = statistics.median(r["library"] for r in executor_runs)
        ratio = statistics.median(r["ours"] / r["library"] for r in executor_runs)
        print("\nExecuting every chapter into an empty cache, median seconds:")
        print(f"  book_build.execution ({jobs} at a time)        {mine:7.1f}")
        print(f"  jupyter-cache local-parallel              {library:7.1f}")
        print(f"  ratio (ours / library)                    {ratio:7.2f}")

    met = {
        f"clean build <= {TARGETS['clean']} x plain JB": ratios["clean"] <= TARGETS["clean"],
        f"prose-only edit <= {TARGETS['prose']} x plain JB": ratios["prose"] <= TARGETS["prose"],
        f"code edit <= {TARGETS['code']} x plain JB": ratios["code"] <= TARGETS["code"],
        "prose-only edit re-executes nothing": all(not r["ours"]["prose_executed"] for r in runs),
        "code edit re-executes only that chapter": all(r["ours"]["code_executed"] == [EDITED_CHAPTER] for r in runs),
        "data edit re-executes exactly the chapters that read the file": all(
            r["ours"]["data_executed"] == readers for r in runs
        ),
        "data edit reaches the landing page": all(r["ours"]["data_fresh"] for r in runs),
    }
    print("\nTargets:")
    for target, ok in met.items():
        print(f"  {'met   ' if ok else 'MISSED'} {target}")
    return 0 if all(met.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
