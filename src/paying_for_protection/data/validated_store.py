"""Tables validated from the book's own ``data/``, kept between Python sessions.

Each chapter runs in a kernel of its own, and the first frictionless validation in a process
costs about 2.3 s of CPU before any table is read (frictionless imports jsonschema, whose
optional IRI checker compiles its grammars on import), against 0.5 s for validating all the
tables a chapter reads: 2.8 s per chapter in all, where the former hand-written validator took
0.2 s. ``make book`` validates every table before any chapter runs; a kernel then finds each
table here and does not import frictionless at all (0.09 s).

An entry is keyed by everything the result depends on: the file's bytes, its schema, the values
its foreign keys point to, and the validator itself (the source of the validation modules and
the frictionless and pandas versions). Only files inside the book's ``data/`` are kept (a
scratch copy never is), only after they passed, each in a file of its own written atomically;
an entry that cannot be read is a miss, and the table is validated again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from .. import paths

#: Environment variable naming the folder of kept tables; "off" turns keeping off.
STORE_ENV_VAR = "PFP_DATA_VALIDATED"

#: The modules whose code decides whether a table passes (part of every key).
_VALIDATOR_SOURCES = ("validation.py", "problems.py")


class ValidatedStore:
    def __init__(self) -> None:
        self._folder: Path | bool | None = False  # False: not looked up yet
        self._validator: str | None = None

    def folder(self) -> Path | None:
        if self._folder is False:
            configured = os.environ.get(STORE_ENV_VAR, "")
            if configured == "off":
                self._folder = None
            else:
                self._folder = Path(configured) if configured else paths.ROOT / "_build" / "data-validated"
        return self._folder  # type: ignore[return-value]

    def _validator_id(self) -> str:
        if self._validator is None:
            from importlib.metadata import version

            here = Path(__file__).parent
            parts = [(here / name).read_bytes() for name in _VALIDATOR_SOURCES]
            parts += [version("frictionless").encode(), pd.__version__.encode()]
            self._validator = hashlib.sha256(b"\0".join(parts)).hexdigest()
        return self._validator

    def _entry(self, key: tuple[str, ...]) -> Path | None:
        folder = self.folder()
        if folder is None:
            return None
        name = hashlib.sha256("\0".join((self._validator_id(), *key)).encode()).hexdigest()
        return folder / f"{name}.pickle"

    def applies_to(self, path: Path) -> bool:
        """Whether ``path`` is a file of the book's own data/ and keeping is on."""
        return self.folder() is not None and path.resolve().parent == paths.DATA_DIR.resolve()

    def get(self, key: tuple[str, ...], kind: type = pd.DataFrame) -> Any:
        entry = self._entry(key)
        if entry is None or not entry.is_file():
            return None
        try:
            value = pickle.loads(entry.read_bytes())
        except Exception:  # a damaged entry is a miss, never an error: validate again
            return None
        return value if isinstance(value, kind) else None

    def put(self, key: tuple[str, ...], value: Any) -> None:
        entry = self._entry(key)
        if entry is None:
            return
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            handle, scratch = tempfile.mkstemp(dir=entry.parent, prefix=".writing-")
            with os.fdopen(handle, "wb") as out:
                out.write(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(scratch, entry)  # atomic: a reader sees the whole entry or none
        except OSError:
            pass  # a read-only checkout still builds, validating in every session
