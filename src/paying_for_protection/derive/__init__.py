"""Derive the book's tidy tables from the publishers' files (``make data``).

Usage::

    python -m paying_for_protection.derive [--sources DIR] [--out DIR] [--strict]

Reads the upstream files from ``DIR`` (default ``$PFP_SOURCES`` or ``../shared/sources``), derives
the tables and ``datapackage.json`` into a scratch folder and, when every table succeeded and
validates, puts that folder in the place of ``--out`` (default ``data/``) in one step: a failure
leaves ``--out`` byte-identical. The output depends only on the input bytes: same inputs,
byte-identical files.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from .. import paths
from ..data import schema
from ..data.validation import DataValidationError, read_descriptor, resource_from_descriptor, validate_table
from . import international, korea, panel, sipri
from .inputs import UPSTREAM_FILES, sha256_of
from .integrity import UpstreamFileError, check_upstream


class DerivationError(Exception):
    """``make data`` could not derive the tables; the message names the upstream file (and line)."""


class SourcesMissing(DerivationError):
    pass


def _format_cell(value: Any, spec: dict[str, Any]) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    kind = spec["type"]
    if kind == "boolean":
        return "true" if bool(value) else "false"
    if kind == "integer":
        return str(int(value))
    if kind == "number":
        decimals = spec.get("decimals", 6)
        text = f"{float(value):.{decimals}f}"
        if text.startswith("-") and float(text) == 0:
            text = text[1:]
        return text
    return str(value)


def write_table(frame: pd.DataFrame, name: str, out_dir: Path) -> Path:
    """Write ``frame`` as the catalogue's table ``name``: its columns, its key order, fixed decimals."""
    spec = schema.resource_spec(name)
    fields = spec["schema"]["fields"]
    columns = [f["name"] for f in fields]
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"table {name}: derivation produced no column(s) {missing}")
    frame = frame.sort_values(spec["schema"]["primaryKey"], kind="mergesort").reset_index(drop=True)
    lines = [",".join(columns)]
    for row in frame[columns].itertuples(index=False):
        cells = [_format_cell(value, f) for value, f in zip(row, fields, strict=True)]
        lines.append(",".join(_csv_quote(c) for c in cells))
    path = out_dir / spec["path"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _csv_quote(cell: str) -> str:
    if any(ch in cell for ch in [",", '"', "\n", "\r"]):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def build_descriptor(input_records: dict[str, dict[str, str]]) -> dict[str, Any]:
    """The data package descriptor: the catalogue, with each derived table's inputs recorded.

    ``upstreamFiles`` (a property of this package, beyond the Data Package standard) lists every
    publisher's file the tables were derived from: its release, SHA-256, where the copy came from,
    its licence and what a reader must know about it.
    """
    resources = []
    for spec in schema.RESOURCES:
        resource = json.loads(json.dumps(spec))  # deep copy
        keys = resource.pop("derivedFrom", None)
        if keys:
            resource["derivedFrom"] = [input_records[key] for key in keys]
        resources.append(resource)
    return {
        "profile": "tabular-data-package",
        "name": "paying-for-protection-data",
        "title": "Paying for Protection: tidy data on US-South Korea defense cost-sharing and allied defense spending",
        "description": (
            "Tables read by the Paying for Protection book. Derived tables are written by "
            "`make data` from the publishers' files recorded in each resource's derivedFrom "
            "(path, SHA-256, release); hand-keyed tables carry their sources row by row. Each "
            "table keeps its source's licence. SIPRI-derived values are marked sipriDerived and "
            f"total at most {schema.SIPRI_VALUE_LIMIT} across the package."
        ),
        "homepage": "https://github.com/paying-for-protection/paying-for-protection",
        "licenses": [schema.LICENCE_PROJECT],
        "resources": resources,
        "upstreamFiles": [
            {
                "source": upstream.provenance.title,
                "path": upstream.relpath,
                "publisher": upstream.publisher,
                "release": upstream.release,
                "url": upstream.url,
                "sha256": input_records[key]["sha256"],
                "obtainedFrom": upstream.provenance.obtained_from,
                "licence": upstream.provenance.licence,
                "notes": list(upstream.provenance.notes),
            }
            for key, upstream in UPSTREAM_FILES.items()
            if key in input_records
        ],
    }


def write_descriptor(descriptor: dict[str, Any], out_dir: Path) -> Path:
    path = out_dir / "datapackage.json"
    path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def check_inputs(sources_dir: Path, strict: bool = False) -> dict[str, dict[str, str]]:
    """Every upstream file present, whole and of the recorded release; its record for the descriptor.

    All of them are checked before anything is derived, so a missing or truncated file stops
    ``make data`` at once, naming the file (and the line, for a CSV).
    """
    records: dict[str, dict[str, str]] = {}
    for key, upstream in UPSTREAM_FILES.items():
        path = sources_dir / upstream.relpath
        if not path.is_file():
            raise SourcesMissing(f"upstream file not found: {path} (see data/README.md for where to download it)")
        try:
            check_upstream(path, upstream.header_line)
        except UpstreamFileError as exc:
            raise DerivationError(str(exc)) from exc
        digest = sha256_of(path)
        if digest != upstream.sha256:
            message = (
                f"{path}: SHA-256 {digest[:12]}... differs from the recorded release ({upstream.sha256[:12]}..., {upstream.release}). "
                "The derived tables, and the book's numbers, will differ from the committed ones."
            )
            if strict:
                raise DerivationError(message)
            print(f"WARNING: {message}", file=sys.stderr)
        records[key] = {
            "path": upstream.relpath,
            "sha256": digest,
            "release": upstream.release,
            "publisher": upstream.publisher,
            "url": upstream.url,
        }
    return records


def _derive_table(name: str, inputs: list[Path], job: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """Run one table's derivation; a failure names the table and the upstream file(s), no traceback."""
    try:
        return job()
    except DerivationError:
        raise
    except Exception as exc:  # pandas, openpyxl or our own checks: say which file, keep the reason
        files = ", ".join(str(p) for p in inputs)
        raise DerivationError(f"{files}: cannot derive {name}.csv: {type(exc).__name__}: {exc}") from exc


def _derive_into(sources_dir: Path, out_dir: Path, records: dict[str, dict[str, str]]) -> list[Path]:
    """Derive every table into ``out_dir`` (a fresh folder); return the files written."""
    path = lambda key: sources_dir / UPSTREAM_FILES[key].relpath  # noqa: E731

    # Hand-keyed tables are part of the project, not of the upstream folder: they are copied from
    # the book's data/ and validated before anything reads them.
    for spec in schema.RESOURCES:
        if spec.get("handKeyed"):
            shutil.copyfile(paths.DATA_DIR / spec["path"], out_dir / spec["path"])
    countries = validate_table(out_dir / "countries.csv", schema.resource_spec("countries"))

    jobs: list[tuple[str, list[str], Callable[[], pd.DataFrame]]] = [
        ("sma_agreements", ["korea_sma_agreements"], lambda: korea.derive_sma_agreements(path("korea_sma_agreements"))),
        (
            "sma_contributions",
            ["korea_sma_contributions"],
            lambda: korea.derive_sma_contributions(path("korea_sma_contributions")),
        ),
        (
            "korea_defense_budget",
            ["korea_defense_budget"],
            lambda: korea.derive_korea_defense_budget(path("korea_defense_budget")),
        ),
        ("usfk_troops", ["korea_usfk_troops"], lambda: korea.derive_usfk_troops(path("korea_usfk_troops"))),
        ("timeline", ["korea_timeline"], lambda: korea.derive_timeline(path("korea_timeline"))),
        ("japan_hns", ["korea_japan_hns"], lambda: korea.derive_japan_hns(path("korea_japan_hns"))),
        ("sipri_milex", ["sipri_milex"], lambda: sipri.derive_sipri_milex(path("sipri_milex"), countries)),
        ("sipri_world", ["sipri_milex"], lambda: sipri.derive_sipri_world(path("sipri_milex"))),
        (
            "us_troops_abroad",
            ["troopdata_rebuild"],
            lambda: international.derive_us_troops_abroad(path("troopdata_rebuild"), countries),
        ),
        (
            "nato_defence_share",
            ["nato_2024_workbook", "nato_2025_table3"],
            lambda: international.derive_nato_defence_share(
                path("nato_2024_workbook"), path("nato_2025_table3"), countries
            ),
        ),
        ("wdi_gdp", ["wdi_gdp"], lambda: international.derive_wdi_gdp(path("wdi_gdp"), countries)),
    ]
    written = [
        write_table(_derive_table(name, [path(k) for k in keys], job), name, out_dir) for name, keys, job in jobs
    ]

    # Second stage: the regression panel, built from the tables just written (and validated).
    def table(name: str) -> pd.DataFrame:
        table_path = out_dir / f"{name}.csv"
        records[f"table_{name}"] = {
            "path": f"data/{name}.csv",
            "sha256": sha256_of(table_path),
            "release": "table of this data package",
            "publisher": "Paying for Protection",
            "url": "https://github.com/paying-for-protection/paying-for-protection/tree/main/data",
        }
        return validate_table(table_path, schema.resource_spec(name))

    troops_frame, gdp_frame, sipri_frame, figures = (
        table("us_troops_abroad"),
        table("wdi_gdp"),
        table("sipri_milex"),
        table("published_figures"),
    )
    countries = table("countries")
    share = (
        sipri_frame[sipri_frame["indicator"] == "share_of_gdp_pct"]
        .pivot(index="year", columns="iso3", values="value")
        .astype(float)
    )
    guideline = float(figures.set_index("figure_id").loc["nato_wales_guideline_pct", "value"])
    written.append(write_table(panel.build_panel(countries, troops_frame, gdp_frame), "panel", out_dir))
    written.append(write_table(panel.build_exposure(countries, share, guideline), "panel_exposure", out_dir))
    written.append(write_descriptor(build_descriptor(records), out_dir))

    # Check what was written against the descriptor just written, exactly as the book will.
    descriptor = read_descriptor(out_dir / "datapackage.json")
    for spec in schema.RESOURCES:
        validate_table(out_dir / spec["path"], resource_from_descriptor(spec["name"], descriptor), descriptor)
    return written


def derive_all(sources_dir: Path, out_dir: Path, strict: bool = False) -> list[Path]:
    """Derive every table from ``sources_dir`` and replace ``out_dir`` with the result; return the files.

    The tables and the descriptor are derived into a scratch folder beside ``out_dir`` and
    validated there; only when every one of them succeeded does the scratch folder replace
    ``out_dir``, in one step. Any failure leaves ``out_dir`` exactly as it was. Files in ``out_dir``
    that the derivation does not write (``README.md``) are carried over unchanged.
    """
    sources_dir, out_dir = Path(sources_dir), Path(out_dir)
    records = check_inputs(sources_dir, strict)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.staging-", dir=out_dir.parent))
    # mkdtemp makes a private folder; the new data/ keeps the permissions of the old one.
    staging.chmod(out_dir.stat().st_mode & 0o7777 if out_dir.is_dir() else 0o755)
    try:
        _carry_over(out_dir, staging)
        written = _derive_into(sources_dir, staging, records)
        swap_into_place(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [out_dir / p.name for p in written]


def _carry_over(out_dir: Path, staging: Path) -> None:
    """Copy the files of ``out_dir`` that the derivation does not write into the new folder."""
    if not out_dir.is_dir():
        return
    produced = {spec["path"] for spec in schema.RESOURCES} | {"datapackage.json"}
    for entry in out_dir.iterdir():
        if entry.name in produced:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, staging / entry.name, symlinks=True)
        else:
            shutil.copy2(entry, staging / entry.name, follow_symlinks=False)


def swap_into_place(new: Path, target: Path) -> None:
    """Put the folder ``new`` where ``target`` is, in one step where the system allows it.

    On Linux the two folders are exchanged atomically (``renameat2`` with ``RENAME_EXCHANGE``),
    so a reader of ``target`` sees either the old folder or the new one, never a mixture or
    nothing. Elsewhere the old folder is renamed aside first, which leaves an instant without
    ``target`` but never a mixture. The old contents are then deleted.
    """
    if not target.exists():
        new.rename(target)
        return
    if _exchange(new, target):
        shutil.rmtree(new)  # now holds the old contents
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    old.rmdir()
    target.rename(old)
    new.rename(target)
    shutil.rmtree(old)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with Linux's renameat2; False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes
    import errno
    import os

    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:  # glibc older than 2.28, or another C library
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):  # the file system cannot exchange
        return False
    raise OSError(code, os.strerror(code), str(b))


def write_descriptor_only(out_dir: Path = paths.DATA_DIR) -> Path:
    """Rewrite datapackage.json from the catalogue, keeping the recorded input hashes.

    For a maintainer who edits the catalogue (a description, a constraint, a new hand-keyed
    table) on a machine without the upstream files. Every table is validated against the new
    descriptor first; the file is replaced only when all pass.
    """
    old = read_descriptor(out_dir / "datapackage.json")
    described = {r["name"]: r for r in old["resources"]}
    records = {}
    for spec in schema.RESOURCES:
        if not spec.get("derivedFrom"):
            continue  # a hand-keyed table (perhaps new to the catalogue) records no inputs
        # A table whose inputs were added to the catalogue since the last derivation keeps the
        # records it has; the new inputs get theirs from the next `make data`.
        for key, record in zip(
            spec.get("derivedFrom", []),
            described.get(spec["name"], {}).get("derivedFrom", []),
            strict=False,
        ):
            records[key] = record
    missing = sorted({key for spec in schema.RESOURCES for key in spec.get("derivedFrom", [])} - set(records))
    if missing:
        raise DerivationError(f"no recorded inputs for {missing}: run `make data` with the upstream files")
    descriptor = build_descriptor(records)
    for resource in descriptor["resources"]:
        validate_table(out_dir / resource["path"], resource, descriptor)
    staging = Path(tempfile.mkdtemp(prefix=".datapackage-", dir=out_dir))
    try:
        written = write_descriptor(descriptor, staging)
        written.replace(out_dir / "datapackage.json")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out_dir / "datapackage.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m paying_for_protection.derive", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--sources",
        type=Path,
        default=None,
        help=f"folder of upstream files (default ${paths.SOURCES_ENV_VAR} or ../shared/sources)",
    )
    parser.add_argument("--out", type=Path, default=paths.DATA_DIR, help="where to write the tables (default: data/)")
    parser.add_argument(
        "--strict", action="store_true", help="fail when an input's SHA-256 differs from the recorded release"
    )
    parser.add_argument(
        "--descriptor-only", action="store_true", help="only rewrite datapackage.json from the catalogue"
    )
    args = parser.parse_args(argv)
    if args.descriptor_only:
        try:
            print(f"wrote {write_descriptor_only(args.out)}")
        except (DerivationError, DataValidationError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        return 0
    sources_dir = args.sources or paths.default_sources_dir()
    try:
        written = derive_all(sources_dir, args.out, strict=args.strict)
    except DerivationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print(f"make data failed: {args.out} was left unchanged", file=sys.stderr)
        return 2
    except DataValidationError as exc:
        print(f"error: a derived table does not match the catalogue: {exc}", file=sys.stderr)
        print(f"make data failed: {args.out} was left unchanged", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path}")
    return 0
