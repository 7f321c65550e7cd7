"""Validate every table in ``data/`` against the descriptor (run before each build).

``python -m paying_for_protection.data [DATA_DIR]`` prints each problem with its file, row and
column and exits with status 1, so a malformed data file stops ``make book`` before any chapter
executes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .. import paths
from .loaders import LOADERS, validate_all


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    data_dir = Path(argv[0]) if argv else paths.DATA_DIR
    errors = validate_all(data_dir)
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    if errors:
        print(f"data validation failed: {len(errors)} table(s) with problems; nothing was built", file=sys.stderr)
        return 1
    print(f"data/: all {len(LOADERS)} tables match data/datapackage.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
