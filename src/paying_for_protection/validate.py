"""Validate every table in ``data/`` against the descriptor (run before each build).

``python -m paying_for_protection.validate [DATA_DIR]`` prints each problem with its file, row
and column and exits with status 1, so a malformed data file stops ``make book`` before any
chapter executes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import loaders, paths
from .validation import DataValidationError, read_descriptor


def validate_all(data_dir: Path = paths.DATA_DIR) -> list[DataValidationError]:
    errors = []
    try:
        descriptor = read_descriptor(data_dir / "datapackage.json")
    except DataValidationError as exc:
        return [exc]
    described = {r["name"] for r in descriptor.get("resources", [])}
    for name in sorted(described - set(loaders.LOADERS)):
        print(f"warning: {name} is described but has no loader", file=sys.stderr)
    for loader in loaders.LOADERS.values():
        try:
            loader(data_dir)
        except DataValidationError as exc:
            errors.append(exc)
        except KeyError as exc:
            print(f"error: {exc}", file=sys.stderr)
            raise SystemExit(1) from exc
    return errors


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    data_dir = Path(argv[0]) if argv else paths.DATA_DIR
    errors = validate_all(data_dir)
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    if errors:
        print(f"data validation failed: {len(errors)} table(s) with problems; nothing was built", file=sys.stderr)
        return 1
    print(f"data/: all {len(loaders.LOADERS)} tables match data/datapackage.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
