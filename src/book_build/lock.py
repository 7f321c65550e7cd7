"""One build at a time: an advisory lock on ``_build/.lock`` that names the build holding it.

Two builds of one checkout would share the execution cache, Sphinx's environment and the staging
folder, and trip over each other. The lock is the kernel's ``flock``: it is released when its
holder exits, however it exits, so a killed build never leaves a stale lock behind. The holder
writes its PID, start time and command into the file so that a second build can say who it waits
for.

A second build waits (``$PFP_LOCK_WAIT`` seconds, default: as long as it takes) and then usually
finds the book up to date; with ``PFP_LOCK_WAIT=0`` it stops at once with the holder's PID.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

LOCK_NAME = ".lock"

#: Seconds a build waits for another one to finish; unset means no limit, 0 means do not wait.
WAIT_ENV_VAR = "PFP_LOCK_WAIT"


class BuildLocked(RuntimeError):
    """Another build holds the lock (the message names its PID) and waiting was not allowed."""


def describe_holder(path: Path) -> str:
    """Who holds the lock, from what the holder wrote into it."""
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        return f"PID {info['pid']}, started {info['started']}: {info['command']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "PID unknown (it has not written its details yet)"


def _wait_seconds() -> float | None:
    configured = os.environ.get(WAIT_ENV_VAR, "").strip()
    return float(configured) if configured else None


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@contextlib.contextmanager
def build_lock(
    build_dir: Path, command: str | None = None, wait: float | None = None, log: Callable[[str], None] = print
) -> Iterator[None]:
    """Hold the build lock of ``build_dir`` for the duration of the block.

    ``command`` describes this build to one that has to wait for it. ``wait`` is how long to wait
    for another build (``None``: ``$PFP_LOCK_WAIT``, else no limit). Raises :class:`BuildLocked`,
    naming the other build, when the wait runs out.
    """
    wait = _wait_seconds() if wait is None else wait
    build_dir.mkdir(parents=True, exist_ok=True)
    path = build_dir / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not _try_lock(fd):
            holder = describe_holder(path)
            if wait is not None and wait <= 0:
                raise BuildLocked(f"another build is running ({holder}); try again when it has finished")
            log(f"Another build is running ({holder}); waiting for it to finish (Ctrl-C stops waiting).")
            deadline = None if wait is None else time.monotonic() + wait
            while not _try_lock(fd):
                if deadline is not None and time.monotonic() > deadline:
                    raise BuildLocked(
                        f"another build is still running after {wait:g} s ({describe_holder(path)}); "
                        "try again when it has finished"
                    )
                time.sleep(0.2)
        details = {
            "pid": os.getpid(),
            "started": time.strftime("%Y-%m-%d %H:%M:%S"),
            "command": command or " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(details).encode("utf-8"), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
