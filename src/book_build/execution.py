"""Execute the book's chapters in parallel, into the execution cache Jupyter Book reads.

Jupyter Book 1 executes notebooks one after another, inside Sphinx. The build instead runs this
module first: it finds the cached runs whose inputs changed (:mod:`.cache_guard`), executes every
chapter that has no current cached run, several at a time, and stores each result in the
jupyter-cache database exactly as myst-nb would. Sphinx then finds every chapter in the cache and
only renders.

The chapters run in kernels, which are separate processes; this process only drives them. So one
nbclient client per chapter runs on one asyncio event loop, ``jobs`` at a time, with no worker
processes to start. The loop runs in a thread of its own, which also keeps nbclient from taking
over the process's Ctrl-C handler: on Ctrl-C (or SIGTERM) every running chapter is cancelled,
its kernel is shut down, the chapters that had finished stay cached, and the build reports that it
was interrupted (:class:`ExecutionInterrupted`).

Matching depends on reading each chapter into the same notebook myst-nb reads (the cache keys
on the code cells and the kernelspec), so this module uses myst-nb's own reader with the book's
parser settings; a test checks that Sphinx afterwards executes nothing.

Run ``python -m book_build.execution [--jobs N] [CACHE_DIR]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from paying_for_protection import paths

#: Environment variable that caps the number of chapters executed at once (default: the cores).
JOBS_ENV_VAR = "PFP_JOBS"

#: Thread pools of the numerical libraries. With one kernel per core, a kernel that also starts a
#: thread per core oversubscribes the machine; in parallel runs each kernel gets one thread.
THREAD_ENV_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS")

#: How long an interrupted build waits for its kernels to shut down before leaving them to exit
#: on their own (a kernel exits when the process that started it is gone).
SHUTDOWN_SECONDS = 20

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


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
    notebook: Any = None  # the executed notebook, when it succeeded
    error: str | None = None  # the cell, the exception and the traceback, when it failed
    interrupted: bool = False


@dataclass
class ExecutionReport:
    """What the execution step did, and which cached run Sphinx must render for each chapter."""

    executed: list[Execution] = field(default_factory=list)
    stale: dict[str, str] = field(default_factory=dict)  # chapter -> what changed since its cached run
    runs: dict[str, float] = field(default_factory=dict)  # chapter path -> creation time of its cached run
    notebooks: dict[str, Any] = field(default_factory=dict)  # chapter path -> its executed notebook


class ExecutionFailed(RuntimeError):
    """One or more chapters raised an error; the message names each chapter and its cell."""


class ExecutionInterrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM stopped the execution; the message names the chapters that were stopped."""


def default_jobs() -> int:
    configured = os.environ.get(JOBS_ENV_VAR)
    if configured:
        return max(1, int(configured))
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _relative(path: Path) -> str:
    try:
        return path.relative_to(paths.ROOT).as_posix()
    except ValueError:
        return str(path)


def _kernel_environment(jobs: int) -> dict[str, str]:
    environment = dict(os.environ)
    if jobs > 1:
        for name in THREAD_ENV_VARS:
            environment.setdefault(name, "1")
    return environment


async def _execute(path: Path, timeout: int, environment: dict[str, str], slots: asyncio.Semaphore) -> Execution:
    """Execute one chapter with nbclient in its own folder, as myst-nb does; never raises."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    started = None
    try:
        async with slots:
            started = time.perf_counter()
            notebook = read_notebook(path)
            client = NotebookClient(
                notebook,
                timeout=timeout,
                allow_errors=False,
                record_timing=False,
                resources={"metadata": {"path": str(path.parent)}},
                # The kernel's own log stays at errors: its start-up notice about local TCP sockets
                # would otherwise be printed once per chapter. Cell output is unaffected.
                extra_arguments=["--IPKernelApp.log_level=ERROR"],
            )
            await client.async_execute(env=environment)
    except asyncio.CancelledError:
        # nbclient has shut the kernel down on its way out; a chapter not yet started has none.
        return Execution(path, 0.0 if started is None else time.perf_counter() - started, interrupted=True)
    except (CellExecutionError, CellTimeoutError) as error:
        return Execution(path, time.perf_counter() - started, error=_ANSI.sub("", str(error)))
    except Exception as error:  # a kernel that does not start or dies, a chapter that cannot be read
        elapsed = 0.0 if started is None else time.perf_counter() - started
        return Execution(path, elapsed, error=f"{type(error).__name__}: {error}")
    return Execution(path, time.perf_counter() - started, notebook=notebook)


@contextmanager
def _sigterm_as_interrupt():
    """Within the block, SIGTERM (a CI job cancelled, a `kill`) stops the build as Ctrl-C does."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run_all(todo: list[Path], jobs: int, timeout: int, log: Callable[[str], None]) -> tuple[list[Execution], bool]:
    """Execute ``todo`` on an event loop in a thread; return the executions and whether interrupted.

    The loop runs outside the main thread so that Ctrl-C reaches this function as a
    KeyboardInterrupt (nbclient installs signal handlers only on a main-thread loop); every chapter
    is then cancelled and its kernel shut down before this returns.
    """
    loop = asyncio.new_event_loop()
    tasks: list[asyncio.Future] = []
    finished: list[Execution] = []
    failure: list[BaseException] = []

    async def run_one(path: Path, environment: dict[str, str], slots: asyncio.Semaphore) -> None:
        execution = await _execute(path, timeout, environment, slots)
        finished.append(execution)
        if execution.interrupted:
            return
        outcome = "FAILED" if execution.error else "executed"
        log(f"{outcome} {_relative(path)} {'after' if execution.error else 'in'} {execution.seconds:.1f} s")

    async def main() -> None:
        slots = asyncio.Semaphore(jobs)
        environment = _kernel_environment(jobs)
        tasks.extend(asyncio.ensure_future(run_one(path, environment, slots)) for path in todo)
        await asyncio.gather(*tasks, return_exceptions=True)

    def run() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(main())
        except BaseException as error:  # surfaced in the main thread below
            failure.append(error)
        finally:
            loop.close()

    thread = threading.Thread(target=run, name="chapter-execution", daemon=True)
    thread.start()
    try:
        with _sigterm_as_interrupt():
            while thread.is_alive():
                thread.join(0.2)
    except KeyboardInterrupt:
        log("interrupted: stopping every chapter and shutting its kernel down")
        loop.call_soon_threadsafe(lambda: [task.cancel() for task in tasks])
        thread.join(SHUTDOWN_SECONDS)
        return finished, True
    if failure:
        raise failure[0]
    return finished, False


def _previous_seconds(cache_path: Path) -> dict[str, float]:
    """How long each chapter took last time (kept next to the cache), to start the longest first."""
    record = cache_path / "execution-seconds.json"
    try:
        return json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _remember_seconds(cache_path: Path, executions: list[Execution]) -> None:
    record = cache_path / "execution-seconds.json"
    seconds = _previous_seconds(cache_path)
    seconds.update({_relative(e.path): round(e.seconds, 2) for e in executions})
    record.write_text(json.dumps(dict(sorted(seconds.items())), indent=1) + "\n", encoding="utf-8")


def execute_into_cache(
    cache_path: Path | None = None,
    jobs: int | None = None,
    documents: list[Path] | None = None,
    log: Callable[[str], None] = print,
) -> ExecutionReport:
    """Bring the execution cache up to date, executing stale or new chapters ``jobs`` at a time.

    Returns what was done and, for every chapter, the cached run Sphinx will render. Raises
    :class:`ExecutionFailed` after all chapters have finished when any of them failed (the chapters
    that succeeded are cached all the same), and :class:`ExecutionInterrupted` on Ctrl-C.
    """
    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    from . import cache_guard

    cache_path = Path(cache_path) if cache_path is not None else cache_dir()
    jobs = jobs or default_jobs()
    report = ExecutionReport()
    kept: dict[int, Any] = {}
    stale = cache_guard.stale_runs(cache_path, kept)
    documents = notebook_documents() if documents is None else documents
    cache = get_cache(str(cache_path))

    todo = []
    for path in documents:
        try:
            record = cache.match_cache_notebook(read_notebook(path))
        except KeyError:
            todo.append(path)
            continue
        if record.pk in stale:
            # Its last good run stays cached until this execution replaces it.
            reason = stale[record.pk][1]
            report.stale[str(path)] = reason
            log(f"re-executing {path.name}: {reason} since its cached run")
            todo.append(path)
        else:
            report.runs[str(path)] = record.created.timestamp()
            report.notebooks[str(path)] = kept.get(record.pk) or cache.get_cache_bundle(record.pk).nb
    if not todo:
        return report

    # Longest first, so that the slowest chapter does not start last and the wall time stays
    # short: by last run's time where known, else by the size of the source.
    previous = _previous_seconds(cache_path)
    todo.sort(key=lambda p: (-previous.get(_relative(p), float("inf")), -p.stat().st_size))
    workers = min(jobs, len(todo))
    log(f"executing {len(todo)} chapter(s), {workers} at a time: " + ", ".join(_relative(p) for p in todo))
    timeout = _config(paths.ROOT)["execute"].get("timeout", 600)

    started = time.perf_counter()
    finished, interrupted = _run_all(todo, workers, timeout, log)
    report.executed = [e for e in finished if not e.interrupted]
    # Every chapter that finished is cached, even when another failed or the build was interrupted.
    for execution in report.executed:
        if execution.error is None:
            record = cache.cache_notebook_bundle(
                CacheBundleIn(
                    nbformat.from_dict(execution.notebook),
                    str(execution.path),
                    data={"execution_seconds": execution.seconds},
                ),
                check_validity=False,
                overwrite=True,
            )
            report.runs[str(execution.path)] = record.created.timestamp()
            report.notebooks[str(execution.path)] = execution.notebook
    _remember_seconds(cache_path, [e for e in report.executed if e.error is None])
    if interrupted:
        stopped = [_relative(e.path) for e in finished if e.interrupted and e.seconds > 0]
        waiting = [_relative(e.path) for e in finished if e.interrupted and e.seconds == 0]
        parts = [
            f"stopped {', '.join(stopped)}" if stopped else "",
            f"never started {', '.join(waiting)}" if waiting else "",
        ]
        raise ExecutionInterrupted(
            "interrupted: " + "; ".join(p for p in parts if p) + "; the chapters that had finished stay cached"
        )
    log(f"executed {len(report.executed)} chapter(s) in {time.perf_counter() - started:.1f} s wall time")
    failed = [e for e in report.executed if e.error is not None]
    if failed:
        message = "\n\n".join(f"{_relative(e.path)} failed to execute:\n{e.error}" for e in failed)
        raise ExecutionFailed(message)
    return report


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
    except ExecutionInterrupted as interrupted:
        print(str(interrupted), file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
