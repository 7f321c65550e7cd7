"""Derive the book's tidy tables from the publishers' files (``make data``).

Usage::

    python -m paying_for_protection.derive [--sources DIR] [--out DIR] [--strict]

Reads the upstream files from ``DIR`` (default ``$PFP_SOURCES`` or ``../shared/sources``), writes
the tables and ``datapackage.json`` into ``--out`` (default ``data/``). The output depends only
on the input bytes: same inputs, byte-identical files.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from .. import paths
from ..data import schema
from ..data.validation import read_descriptor, resource_from_descriptor, validate_table
from . import international, korea, panel, sipri
from .inputs import UPSTREAM_FILES, sha256_of


class SourcesMissing(FileNotFoundError):
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
    """The data package descriptor: the catalogue, with each derived table's inputs recorded."""
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
    }


def write_descriptor(descriptor: dict[str, Any], out_dir: Path) -> Path:
    path = out_dir / "datapackage.json"
    path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _input(sources_dir: Path, key: str, strict: bool, records: dict[str, dict[str, str]]) -> Path:
    upstream = UPSTREAM_FILES[key]
    path = sources_dir / upstream.relpath
    if not path.is_file():
        raise SourcesMissing(f"upstream file not found: {path} (see data/README.md for where to download it)")
    digest = sha256_of(path)
    if digest != upstream.sha256:
        message = (
            f"{path}: SHA-256 {digest[:12]}... differs from the recorded release ({upstream.sha256[:12]}..., {upstream.release}). "
            "The derived tables, and the book's numbers, will differ from the committed ones."
        )
        if strict:
            raise ValueError(message)
        print(f"WARNING: {message}", file=sys.stderr)
    records[key] = {
        "path": upstream.relpath,
        "sha256": digest,
        "release": upstream.release,
        "publisher": upstream.publisher,
        "url": upstream.url,
    }
    return path


def derive_all(sources_dir: Path, out_dir: Path, strict: bool = False) -> list[Path]:
    """Derive every table from ``sources_dir`` into ``out_dir``; return the files written."""
    sources_dir, out_dir = Path(sources_dir), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    records: dict[str, dict[str, str]] = {}
    get = lambda key: _input(sources_dir, key, strict, records)  # noqa: E731

    # Hand-keyed tables are part of the project, not of the upstream folder: they are copied from
    # the book's data/ when deriving elsewhere, and validated before anything reads them.
    for spec in schema.RESOURCES:
        if spec.get("handKeyed") and out_dir.resolve() != paths.DATA_DIR.resolve():
            shutil.copyfile(paths.DATA_DIR / spec["path"], out_dir / spec["path"])
    countries = validate_table(out_dir / "countries.csv", schema.resource_spec("countries"))

    jobs: list[tuple[str, Callable[[], pd.DataFrame]]] = [
        ("sma_agreements", lambda: korea.derive_sma_agreements(get("korea_sma_agreements"))),
        ("sma_contributions", lambda: korea.derive_sma_contributions(get("korea_sma_contributions"))),
        ("korea_defense_budget", lambda: korea.derive_korea_defense_budget(get("korea_defense_budget"))),
        ("usfk_troops", lambda: korea.derive_usfk_troops(get("korea_usfk_troops"))),
        ("timeline", lambda: korea.derive_timeline(get("korea_timeline"))),
        ("japan_hns", lambda: korea.derive_japan_hns(get("korea_japan_hns"))),
        ("sipri_milex", lambda: sipri.derive_sipri_milex(get("sipri_milex"), countries)),
        ("sipri_world", lambda: sipri.derive_sipri_world(get("sipri_milex"))),
        (
            "us_troops_abroad",
            lambda: international.derive_us_troops_abroad(get("troopdata_rebuild"), countries),
        ),
        (
            "nato_defence_share",
            lambda: international.derive_nato_defence_share(
                get("nato_2024_workbook"), get("nato_2025_table3"), countries
            ),
        ),
        ("wdi_gdp", lambda: international.derive_wdi_gdp(get("wdi_gdp"), countries)),
    ]
    written = [write_table(job(), name, out_dir) for name, job in jobs]

    # Second stage: the regression panel, built from the tables just written (and validated).
    def table(name: str) -> pd.DataFrame:
        path = out_dir / f"{name}.csv"
        records[f"table_{name}"] = {
            "path": f"data/{name}.csv",
            "sha256": sha256_of(path),
            "release": "table of this data package",
            "publisher": "Paying for Protection",
            "url": "https://github.com/paying-for-protection/paying-for-protection/tree/main/data",
        }
        return validate_table(path, schema.resource_spec(name))

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


def write_descriptor_only(out_dir: Path = paths.DATA_DIR) -> Path:
    """Rewrite datapackage.json from the catalogue, keeping the recorded input hashes.

    For a maintainer who edits the catalogue (a description, a constraint) on a machine without
    the upstream files.
    """
    old = read_descriptor(out_dir / "datapackage.json")
    records = {}
    for spec in schema.RESOURCES:
        # A table whose inputs were added to the catalogue since the last derivation keeps the
        # records it has; the new inputs get theirs from the next `make data`.
        for key, record in zip(
            spec.get("derivedFrom", []),
            resource_from_descriptor(spec["name"], old).get("derivedFrom", []),
            strict=False,
        ):
            records[key] = record
    return write_descriptor(build_descriptor(records), out_dir)


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
        print(f"wrote {write_descriptor_only(args.out)}")
        return 0
    sources_dir = args.sources or paths.default_sources_dir()
    try:
        written = derive_all(sources_dir, args.out, strict=args.strict)
    except SourcesMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}")
    return 0
