"""Refuse an upstream file that is truncated or malformed before the derivation reads it.

pandas reads a CSV whose last row was cut short without complaint (the missing cells become
NaN), and a damaged workbook fails deep inside openpyxl. Both are checked here first, so that
``make data`` stops with the file and the line at fault instead of a traceback or, worse, a
table quietly derived from half a file. The check is structural only (every record as wide as
the header, text that decodes, a whole zip archive); what the values mean is checked when the
derived tables are validated against the descriptor.

The CSV check is the csv module's strict reader rather than frictionless. Measured on the largest
upstream file (the troop data, 2.4 MB): frictionless, every field read as text, took 0.83 s of
CPU against 0.06 s here; it numbers records rather than lines, so the line an editor shows would
need this module's reading anyway; and it does not notice a file cut off inside its last cell,
which the missing final line break gives away.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

#: Largest upstream file the derivation will open; a file over it is refused before it is read.
MAX_UPSTREAM_BYTES = 64 * 1024 * 1024


class UpstreamFileError(ValueError):
    """An upstream file is missing, oversized, truncated or malformed; the message names it."""


def check_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_UPSTREAM_BYTES:
        raise UpstreamFileError(
            f"{path}: {size / 1e6:,.1f} MB, over the limit of {MAX_UPSTREAM_BYTES / 1e6:,.0f} MB for an upstream "
            "file; refused without reading it (is this the publisher's file?)"
        )


def check_csv(path: Path, header_line: int = 1) -> None:
    """Every record from ``header_line`` on has as many cells as the header; the file ends whole."""
    check_size(path)
    content = path.read_bytes()
    try:
        text = content.decode("utf-8-sig")  # a byte-order mark is the publisher's (the World Bank writes one)
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise UpstreamFileError(
            f"{path}, line {line}: not valid UTF-8 text (byte 0x{content[exc.start]:02x}); "
            "the file is damaged or was saved in another encoding"
        ) from exc
    if not text.strip():
        raise UpstreamFileError(f"{path}: the file is empty")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    width = None
    start = 1
    try:
        for row in reader:
            line = start
            start = reader.line_num + 1
            if line < header_line:
                continue
            if width is None:
                width = len(row)
                continue
            if not row:
                continue  # a blank line (pandas skips it too)
            if len(row) != width:
                raise UpstreamFileError(
                    f"{path}, line {line}: {len(row)} cells where the header (line {header_line}) has {width}"
                    + (" (the file stops in this row: truncated?)" if reader.line_num >= text.count("\n") else "")
                )
    except csv.Error as exc:
        raise UpstreamFileError(f"{path}, line {reader.line_num}: not well-formed CSV ({exc}): truncated?") from exc
    if width is None:
        raise UpstreamFileError(f"{path}: no header row at line {header_line}")
    if not text.endswith("\n"):
        raise UpstreamFileError(
            f"{path}, line {text.count(chr(10)) + 1}: the file stops in the middle of a line (truncated?)"
        )


def check_workbook(path: Path) -> None:
    """The workbook is a whole zip archive (an .xlsx file is one), every member intact."""
    check_size(path)
    try:
        with zipfile.ZipFile(path) as archive:
            broken = archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise UpstreamFileError(f"{path}: not a readable Excel workbook ({exc}): truncated or damaged?") from exc
    if broken is not None:
        raise UpstreamFileError(f"{path}: the workbook's part {broken} is damaged (truncated download?)")


def check_upstream(path: Path, header_line: int = 1) -> None:
    """The structural check that suits the file's format."""
    if path.suffix.lower() == ".xlsx":
        check_workbook(path)
    else:
        check_csv(path, header_line)
