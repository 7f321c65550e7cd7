"""How fast the book builds: the benchmark behind ``make bench``.

Everything runs on a scratch copy of the book (the working tree is never touched), with the
environment already installed. Each run measures, in this order:

1. the bare execution time of each chapter: nbclient alone, one chapter after another, no Sphinx;
2. the execution part of a build on an empty cache, one chapter at a time and in parallel;
3. the clean build (``make book`` with no _build folder at all);
4. Sphinx's own floor (``make book`` with every chapter cached and no site);
5. the rebuild with nothing changed;
6. the rebuild after editing one chapter's code;
7. the rebuild after editing one data file.

Several runs; medians are reported, with the ratios the targets are stated in. Usage:
``python benchmarks/bench.py [--runs N] [--jobs N]``.
"""

from __future__ import annotations

import argparse
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
COPY_IGNORE = shutil.ignore_patterns(".venv*", "_build", ".git", "__pycache__", ".pytest_cache", "*.egg-info")

#: The chapter whose code is edited, and the data file (with the chapters expected to notice).
EDITED_CHAPTER = "chapters/01_history.md"
EDITED_DATA = "data/usfk_troops.csv"


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


def make_book(book: Path, jobs: int | None) -> tuple[float, str]:
    """Run `make book` on the copy with the installed environment; return seconds and the log."""
    command = ["make", "-C", str(book), f"VENV={VENV}", "-o", f"{VENV}/.installed", "book"]
    if jobs:
        command.append(f"JOBS={jobs}")
    started = time.perf_counter()
    result = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, "PFP_ROOT": str(book)}, check=False
    )
    seconds = time.perf_counter() - started
    log = result.stdout + result.stderr
    if result.returncode != 0:
        sys.exit(f"make book failed in the benchmark copy:\n{log[-4000:]}")
    return seconds, log


def executed_chapters(log: str) -> list[str]:
    match = re.search(r"executing \d+ chapter\(s\), \d+ at a time: (.*)", log)
    return match.group(1).split(", ") if match else []


def edit_chapter_code(book: Path, run: int) -> None:
    """Add a comment line to the chapter's first code cell: a code change, as a reader makes one."""
    path = book / EDITED_CHAPTER
    text = path.read_text(encoding="utf-8")
    marker = ":tags: [remove-cell]\n\n"
    assert marker in text, f"{EDITED_CHAPTER}: no first code cell to edit"
    path.write_text(text.replace(marker, f"{marker}# benchmark edit {run}\n", 1), encoding="utf-8")


def edit_data_value(book: Path, run: int) -> None:
    """Change one troop count by one (still a valid row), as a correction to a data file would."""
    path = book / EDITED_DATA
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    column = header.index("usfk_troops")
    row = lines[-1].split(",")
    row[column] = str(int(row[column]) + (1 if run % 2 else -1))
    lines[-1] = ",".join(row)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def one_run(book: Path, run: int, jobs: int) -> dict[str, object]:
    from book_build import execution

    result: dict[str, object] = {}
    documents = execution.notebook_documents()

    bare = {}
    for path in documents:
        started = time.perf_counter()
        outcome = execution.execute_document(path)
        bare[str(path.relative_to(book))] = time.perf_counter() - started
        if outcome.error:
            sys.exit(f"{path} failed:\n{outcome.error}")
    result["bare"] = bare

    quiet = lambda *_: None  # noqa: E731 -- the benchmark prints its own summary
    for label, workers in (("exec_serial", 1), ("exec_parallel", jobs)):
        cache = Path(tempfile.mkdtemp(prefix=f"cache-{label}-", dir=book.parent))
        started = time.perf_counter()
        execution.execute_into_cache(cache, workers, documents, log=quiet)
        result[label] = time.perf_counter() - started
        shutil.rmtree(cache)

    shutil.rmtree(book / "_build", ignore_errors=True)
    result["clean"], _ = make_book(book, jobs)
    shutil.rmtree(book / "_build" / "html")
    result["floor"], _ = make_book(book, jobs)
    result["nochange"], log = make_book(book, jobs)
    assert "Up to date" in log, "the no-change rebuild did not take the fast path"

    edit_chapter_code(book, run)
    result["chapter_edit"], log = make_book(book, jobs)
    result["chapter_edit_executed"] = executed_chapters(log)

    edit_data_value(book, run)
    result["data_edit"], log = make_book(book, jobs)
    result["data_edit_executed"] = executed_chapters(log)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark the book's build.")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None, help="chapters executed at once (default: the cores)")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="pfp-bench-"))
    book = scratch / "book"
    shutil.copytree(REPO, book, ignore=COPY_IGNORE)
    os.environ["PFP_ROOT"] = str(book)  # before the package is imported: it resolves paths once
    from book_build import execution

    jobs = args.jobs or execution.default_jobs()
    print(f"Machine: {machine()}")
    print(
        f"Runs: {args.runs}; chapters executed {jobs} at a time in parallel builds; scratch copy {book}\n", flush=True
    )
    runs = []
    try:
        for run in range(1, args.runs + 1):
            started = time.perf_counter()
            runs.append(one_run(book, run, jobs))
            print(f"run {run}/{args.runs} done in {time.perf_counter() - started:.0f} s", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    med = lambda key: statistics.median(r[key] for r in runs)  # noqa: E731
    chapters = list(runs[0]["bare"])
    bare = {c: statistics.median(r["bare"][c] for r in runs) for c in chapters}
    bare_sum = statistics.median(sum(r["bare"].values()) for r in runs)
    clean, floor, nochange = med("clean"), med("floor"), med("nochange")
    chapter_edit, data_edit = med("chapter_edit"), med("data_edit")
    serial, parallel = med("exec_serial"), med("exec_parallel")

    print("\nBare chapter execution (nbclient, no Sphinx), median seconds:")
    for chapter, seconds in bare.items():
        print(f"  {chapter:<42} {seconds:6.1f}")
    print(f"  {'sum':<42} {bare_sum:6.1f}")
    print("\nExecution part of a build (empty cache), median seconds:")
    print(f"  one chapter at a time                      {serial:6.1f}")
    print(f"  {jobs} at a time                               {parallel:6.1f}")
    print(f"  speed-up                                   {serial / parallel:6.2f}x")
    print(f"  sum of bare chapter times / {jobs} at a time     {bare_sum / parallel:6.2f}x")
    print("\nmake book, median seconds:")
    print(f"  clean build (empty cache, no site)         {clean:6.1f}")
    print(f"  Sphinx floor (all chapters cached)         {floor:6.1f}")
    print(f"  no-change rebuild                          {nochange:6.2f}")
    print(
        f"  after editing {EDITED_CHAPTER:<28} {chapter_edit:6.1f}   re-executed: {', '.join(runs[-1]['chapter_edit_executed']) or 'nothing'}"
    )
    print(
        f"  after editing {EDITED_DATA:<28} {data_edit:6.1f}   re-executed: {', '.join(runs[-1]['data_edit_executed']) or 'nothing'}"
    )
    print("\nRatios:")
    print(f"  clean build / sum of bare chapter times    {clean / bare_sum:6.2f}")
    print(f"  (clean build - Sphinx floor) / sum of bare {(clean - floor) / bare_sum:6.2f}")
    print(f"  no-change rebuild / clean build            {nochange / clean:6.3f}")
    print(f"  chapter-edit rebuild / clean build         {chapter_edit / clean:6.2f}")
    print(f"  data-edit rebuild / clean build            {data_edit / clean:6.2f}")

    targets = {
        "clean build <= 1.3 x sum of bare chapter times + Sphinx floor": clean <= 1.3 * bare_sum + floor,
        "no-change rebuild <= 2 s": nochange <= 2.0,
        "one-chapter edit re-executes only that chapter": all(
            r["chapter_edit_executed"] == [EDITED_CHAPTER] for r in runs
        ),
        "parallel execution speed-up >= 1.6x": serial / parallel >= 1.6,
    }
    print("\nTargets:")
    for target, met in targets.items():
        print(f"  {'met   ' if met else 'MISSED'} {target}")
    return 0 if all(targets.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
