"""The Data page's content, rendered from ``data/datapackage.json`` and the tables themselves:
where each publisher's file came from, and for every table its description, sources, first rows
and codebook.

Everything shown comes from data or the descriptor and is escaped on the way (see
:mod:`.tables`); source addresses become links only when they are web addresses.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from ..data import loaders
from ..data.schema import URL_LIST_PATTERN
from ..data.validation import read_descriptor, resource_from_descriptor
from .tables import HTMLTable, Link, Markdown, escape_markdown, markdown_link

#: Rows shown from the top of each table, and the longest text shown in one cell of them.
PREVIEW_ROWS = 5
PREVIEW_CHARS = 60
#: Source addresses shown as links in one cell of the preview before the rest are counted.
PREVIEW_LINKS = 3
#: Characters of a SHA-256 shown on the page (64 unbreakable characters overflow a phone's screen).
SHOWN_HASH_CHARS = 16


def resource_names() -> list[str]:
    return [r["name"] for r in read_descriptor().get("resources", [])]


def _resource(name: str) -> dict[str, Any]:
    return resource_from_descriptor(name, read_descriptor())


def table_description(name: str) -> Markdown:
    return Markdown(escape_markdown(_resource(name)["description"]))


def table_provenance(name: str) -> Markdown:
    """Sources, licence and (for a derived table) the files it was derived from, as linked bullets."""
    resource = _resource(name)
    items = []
    for source in resource.get("sources", []):
        version = f" ({escape_markdown(source['version'])})" if source.get("version") else ""
        items.append(f"**Source:** {markdown_link(source['title'], source.get('path', ''))}{version}")
    for licence in resource.get("licenses", []):
        items.append(
            f"**Licence:** {markdown_link(licence.get('name', ''), licence.get('path', ''))}: "
            f"{escape_markdown(licence.get('title', ''))}"
        )
    for record in resource.get("derivedFrom", []):
        items.append(
            f"**Derived from:** {escape_markdown(record['path'])}, {escape_markdown(record['release'])} "
            f"(SHA-256 {escape_markdown(_short_hash(record['sha256']))})"
        )
    if resource.get("handKeyed"):
        items.append("**Derived from:** nothing; the project keys the table by hand, with each row's sources in it.")
    return Markdown("\n".join(f"- {item}" for item in items))


def _short_hash(sha256: str) -> str:
    """The first characters of a SHA-256: enough to tell two files apart on a page a phone can show
    (the full value is in datapackage.json)."""
    return sha256[:SHOWN_HASH_CHARS] + "…"


def _host(url: str) -> str:
    host = urlsplit(url).netloc
    return host.removeprefix("www.") or url


def _preview_cell(value: Any, spec: dict[str, Any]) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    kind = spec["type"]
    if kind == "number":
        return f"{float(value):.{spec.get('decimals', 6)}f}"
    if kind == "boolean":
        return "true" if bool(value) else "false"
    if kind == "integer":
        return str(int(value))
    text = str(value)
    if spec.get("constraints", {}).get("pattern") == URL_LIST_PATTERN:
        urls = text.split(";")
        parts: list[Any] = []
        for i, url in enumerate(urls[:PREVIEW_LINKS]):
            parts += [", "] if i else []
            parts.append(Link(_host(url), url))
        if len(urls) > PREVIEW_LINKS:
            parts.append(f" and {len(urls) - PREVIEW_LINKS} more")
        return parts
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1].rstrip() + "…"


def table_preview(name: str) -> HTMLTable:
    """The table's first rows as the file has them (long text shortened, sources as links)."""
    resource = _resource(name)
    frame = loaders.load_table(name)
    fields = resource["schema"]["fields"]
    top = frame.head(PREVIEW_ROWS)
    rows = [{f["name"]: _preview_cell(row[f["name"]], f) for f in fields} for _, row in top.iterrows()]
    shown = pd.DataFrame(rows, columns=[f["name"] for f in fields])
    return HTMLTable(
        shown,
        caption=f"First {len(top)} of the {len(frame):,} rows of {resource['path']} (long text shortened)",
        nowrap=True,
    )


def _rules(spec: dict[str, Any]) -> str:
    constraints = spec.get("constraints", {})
    rules = []
    if constraints.get("required"):
        rules.append("required")
    if "minimum" in constraints or "maximum" in constraints:
        rules.append(f"{constraints.get('minimum', '')}…{constraints.get('maximum', '')}")
    if "enum" in constraints:
        rules.append("one of: " + ", ".join(str(v) for v in constraints["enum"]))
    by = spec.get("rangeBy")
    if by:
        ranges = "; ".join(
            f"{value}: {bounds.get('minimum', '')}…{bounds.get('maximum', '')}"
            for value, bounds in by["ranges"].items()
        )
        rules.append(f"by {by['field']}: {ranges}")
    if spec.get("sipriDerived"):
        rules.append("SIPRI-derived value")
    return "; ".join(rules)


def codebook(name: str) -> HTMLTable:
    """The codebook of one table, rendered from data/datapackage.json."""
    resource = _resource(name)
    schema = resource["schema"]
    rows = [
        {
            "field": spec["name"],
            "type": spec["type"],
            "unit": spec.get("unit", ""),
            "description": spec["description"],
            "rules": _rules(spec),
        }
        for spec in schema["fields"]
    ]
    keys = [f"{', '.join(fk['fields'])} in {fk['reference']['resource']}.csv" for fk in schema.get("foreignKeys", [])]
    caption = f"Codebook of {resource['path']} (primary key: {', '.join(schema['primaryKey'])}"
    caption += f"; every {'; every '.join(keys)})" if keys else ")"
    return HTMLTable(pd.DataFrame(rows), caption=caption)


def table_section(name: str) -> list[Any]:
    """Everything the Data page shows about one table, in order (each displayed on its own)."""
    return [table_description(name), table_provenance(name), table_preview(name), codebook(name)]


def upstream_files() -> Markdown:
    """Where each publisher's file came from and what to know about it, from the descriptor.

    Files that share their provenance (the six files of the Korea fact base) are shown together.
    """
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for upstream in read_descriptor().get("upstreamFiles", []):
        key = (upstream["source"], upstream["obtainedFrom"], upstream["licence"], tuple(upstream["notes"]))
        groups.setdefault(key, []).append(upstream)
    blocks = []
    for (source, obtained, licence, notes), files in groups.items():
        first = files[0]
        lines = [
            f"**{escape_markdown(source)}**",
            "",
            f"- **Publisher:** {markdown_link(first['publisher'], first['url'])}",
            f"- **Release:** {escape_markdown(first['release'])}",
        ]
        for upstream in files:
            lines.append(
                f"- **File:** {escape_markdown(upstream['path'])} "
                f"(SHA-256 {escape_markdown(_short_hash(upstream['sha256']))})"
            )
        lines.append(f"- **Obtained from:** {escape_markdown(obtained)}")
        lines.append(f"- **Licence:** {escape_markdown(licence)}")
        lines += [f"- {escape_markdown(note)}" for note in notes]
        blocks.append("\n".join(lines))
    return Markdown("\n\n".join(blocks))


def sipri_values_published() -> int:
    """How many SIPRI-derived values the data folder publishes (all tables)."""
    return sum(loaders.count_sipri_derived_values().values())
