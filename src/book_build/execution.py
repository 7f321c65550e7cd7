"""Execute the book's chapters in parallel, into the execution cache Jupyter Book reads.

Jupyter Book 1 executes notebooks one after another, inside Sphinx. ``make book`` instead runs
this module first: it drops cached runs whose inputs changed (:mod:`.cache_guard`), executes every
chapter that has no valid cached run, several at a time (one kernel per core), and stores each
result in the jupyter-cache database exactly as myst-nb would. Sphinx then finds every chapter
in the cache and only renders.

Matching depends on reading each chapter into the same notebook myst-nb reads (the cache keys
on the code cells and the kernelspec), so this module uses myst-nb's own reader with the book's
parser settings; a test checks that the build afterwards executes nothing.

Run ``python -m book_build.execution [--jobs N] [CACHE_DIR]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from paying_for_protection import paths

#: Environment variable that caps the number of chapters executed at once (default: the cores).
JOBS_ENV_VAR = "PFP_JOBS"

#: Thread pools of the numerical libraries. With one kernel per core, a kernel that also starts a
#: thread per core oversubscribes the machine; in parallel runs each kernel gets one thread.
THREAD_ENV_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS")


def _one_thread_per_kernel() -> None:
    """Worker initializer: the kernels this worker starts inherit single-threaded libraries."""
    for name in THREAD_ENV_VARS:
        os.environ.setdefault(name, "1")


def _config(root: Path) -> dict[str, Any]:
    import yaml

    return yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))


def cache_dir(root: Path | None = None) -> Path:
    """The execution cache named in ``_config.yml`` (relative paths are relative to the book)."""
    root = root or paths.ROOT
    configured = Path(_config(root)["execute"]["cache"])
    return configured if configured.is_absolute() else root / configured


def notebook_documents(root: Path | None = None) -> list[Path]:
    """The pages of the table of contents that are executable MyST notebooks, in book order."""
    from myst_nb.core.read import is_myst_markdown_notebook

    root = root or paths.ROOT
    documents = []
    for page in paths.toc_pages(root):
        path = root / (page if Path(page).suffix else f"{page}.md")
        if path.suffix == ".md" and is_myst_markdown_notebook(path.read_text(encoding="utf-8")):
            documents.append(path)
    return documents


def read_notebook(path: Path, root: Path | None = None):
    """Read a MyST chapter into the notebook myst-nb builds from it (same reader, same settings)."""
    from myst_nb.core.read import read_myst_markdown_notebook
    from myst_parser.config.main import MdParserConfig

    parse = _config(root or paths.ROOT).get("parse", {})
    config = MdParserConfig(
        enable_extensions=set(parse.get("myst_enable_extensions", [])),
        heading_anchors=parse.get("myst_heading_anchors", 0),
    )
    return read_myst_markdown_notebook(
        path.read_text(encoding="utf-8"), config=config, add_source_map=True, path=str(path)
    )


@dataclass
class Execution:
    """The outcome of executing one chapter."""

    path: Path
    seconds: float
    notebook_json: str | None  # the executed notebook, when it succeeded
    error: str | None  # the cell, the exception and the traceback, when it failed


def execute_document(path: str | Path, timeout: int | None = None) -> Execution:
    """Execute one chapter with nbclient in its own folder, as myst-nb does; never raises."""
    import nbformat
    from jupyter_cache.executors.utils import single_nb_execution

    path = Path(path)
    root = paths.ROOT
    if timeout is None:
        timeout = _config(root)["execute"].get("timeout", 600)
    started = time.perf_counter()
    try:
        notebook = read_notebook(path, root)
        # The kernel's own log stays at errors: its start-up notice about local TCP sockets would
        # otherwise be printed once per chapter. Cell output, warnings included, is unaffected.
        result = single_nb_execution(
            notebook,
            cwd=str(path.parent),
            timeout=timeout,
            allow_errors=False,
            meta_override=True,
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
        )
    except Exception as exc:  # a kernel that does not start, a chapter that cannot be read
        return Execution(path, time.perf_counter() - started, None, f"{type(exc).__name__}: {exc}")
    if result.err is not None:
        return Execution(path, result.time, None, result.exc_string)
    return Execution(path, result.time, nbformat.writes(result.nb), None)


def default_jobs() -> int:
    configured = os.environ.get(JOBS_ENV_VAR)
    if configured:
        return max(1, int(configured))
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def uncached_documents(cache_path: Path, documents: list[Path]) -> list[Path]:
    """The chapters with no cached run for their current code cells."""
    from jupyter_cache import get_cache

    cache = get_cache(str(cache_path))
    missing = []
    for path in documents:
        try:
            cache.match_cache_notebook(read_notebook(path))
        except KeyError:
            missing.append(path)
    return missing


def _previous_seconds(cache_path: Path) -> dict[str, float]:
    """How long each chapter took last time (kept next to the cache), to start the longest first."""
    import json

    record = cache_path / "execution-seconds.json"
    try:
        return json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _remember_seconds(cache_path: Path, executions: list[Execution]) -> None:
    import json

    record = cache_path / "execution-seconds.json"
    seconds = _previous_seconds(cache_path)
    seconds.update({str(e.path.relative_to(paths.ROOT)): round(e.seconds, 2) for e in executions})
    record.write_text(json.dumps(dict(sorted(seconds.items())), indent=1) + "\n", encoding="utf-8")


class ExecutionFailed(RuntimeError):
    """One or more chapters raised an error; the message names each chapter and its cell."""


def execute_into_cache(
    cache_path: Path | None = None, jobs: int | None = None, documents: list[Path] | None = None, log=print
) -> list[Execution]:
    """Bring the execution cache up to date, executing stale or new chapters ``jobs`` at a time.

    Returns the executions run (empty when every chapter was cached). Raises
    :class:`ExecutionFailed` after all chapters have finished when any of them failed; the
    chapters that succeeded are cached all the same.
    """
    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    from . import cache_guard

    cache_path = Path(cache_path) if cache_path is not None else cache_dir()
    jobs = jobs or default_jobs()
    for uri in cache_guard.invalidate_stale_cache(cache_path):
        log(
            f"re-executing {Path(uri).name}: an input it read (data, sources, package code) changed since the cached run"
        )
    documents = notebook_documents() if documents is None else documents
    todo = uncached_documents(cache_path, documents)
    if not todo:
        return []
    # Longest first, so that the slowest chapter does not start last and the wall time stays
    # short: by last run's time where known, else by the size of the source.
    previous = _previous_seconds(cache_path)
    todo.sort(key=lambda p: (-previous.get(str(p.relative_to(paths.ROOT)), float("inf")), -p.stat().st_size))
    workers = min(jobs, len(todo))
    log(
        f"executing {len(todo)} chapter(s), {workers} at a time: "
        + ", ".join(str(p.relative_to(paths.ROOT)) for p in todo)
    )
    cache = get_cache(str(cache_path))
    executions: list[Execution] = []
    started = time.perf_counter()
    # Each worker drives one kernel; the parent alone writes to the cache database.
    initializer = _one_thread_per_kernel if workers > 1 else None
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"), initializer=initializer) as pool:
        futures = [pool.submit(execute_document, str(path)) for path in todo]
        for future in as_completed(futures):
            execution = future.result()
            executions.append(execution)
            name = execution.path.relative_to(paths.ROOT)
            if execution.error is None:
                notebook = nbformat.reads(execution.notebook_json, as_version=4)
                cache.cache_notebook_bundle(
                    CacheBundleIn(notebook, str(execution.path), data={"execution_seconds": execution.seconds}),
                    check_validity=False,
                    overwrite=True,
                )
                log(f"executed {name} in {execution.seconds:.1f} s")
            else:
                log(f"FAILED {name} after {execution.seconds:.1f} s")
    log(f"executed {len(executions)} chapter(s) in {time.perf_counter() - started:.1f} s wall time")
    _remember_seconds(cache_path, [e for e in executions if e.error is None])
    failed = [e for e in executions if e.error is not None]
    if failed:
        message = "\n\n".join(f"{e.path.relative_to(paths.ROOT)} failed to execute:\n{e.error}" for e in failed)
        raise ExecutionFailed(message)
    return executions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "cache", nargs="?", type=Path, help="execution cache folder (default: execute.cache in _config.yml)"
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=None,
        help=f"chapters executed at once (default: ${JOBS_ENV_VAR} or the number of cores)",
    )
    args = parser.parse_args(argv)
    try:
        execute_into_cache(args.cache, args.jobs)
    except ExecutionFailed as failure:
        print(f"The book was not built: a chapter raised an error.\n\n{failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
