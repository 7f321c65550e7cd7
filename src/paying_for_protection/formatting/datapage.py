"""The Data page's content, rendered from ``data/datapackage.json``: descriptions, provenance and
codebooks of every table."""

from __future__ import annotations

import pandas as pd

from ..data import loaders
from ..data.validation import read_descriptor, resource_from_descriptor
from .tables import HTMLTable, Markdown


def codebook(name: str) -> HTMLTable:
    """The codebook of one table, rendered from data/datapackage.json."""
    descriptor = read_descriptor()
    resource = resource_from_descriptor(name, descriptor)
    rows = []
    for spec in resource["schema"]["fields"]:
        constraints = spec.get("constraints", {})
        rules = []
        if constraints.get("required"):
            rules.append("required")
        if "minimum" in constraints or "maximum" in constraints:
            rules.append(f"{constraints.get('minimum', '')}…{constraints.get('maximum', '')}")
        if "enum" in constraints:
            rules.append("one of: " + ", ".join(constraints["enum"]))
        if spec.get("sipriDerived"):
            rules.append("SIPRI-derived value")
        rows.append(
            {
                "field": spec["name"],
                "type": spec["type"],
                "unit": spec.get("unit", ""),
                "description": spec["description"],
                "rules": "; ".join(rules),
            }
        )
    return HTMLTable(
        pd.DataFrame(rows),
        caption=f"Codebook of {resource['path']} (primary key: {', '.join(resource['schema']['primaryKey'])})",
    )


def table_provenance(name: str) -> HTMLTable:
    """Source, release, licence and (for derived tables) the input files' SHA-256 of one table."""
    resource = resource_from_descriptor(name, read_descriptor())
    rows = []
    for source in resource.get("sources", []):
        rows.append({"item": "source", "value": f"{source['title']} ({source.get('version', '')}) {source['path']}"})
    for licence in resource.get("licenses", []):
        rows.append({"item": "licence", "value": f"{licence['name']}: {licence['title']}"})
    for record in resource.get("derivedFrom", []):
        rows.append(
            {"item": "derived from", "value": f"{record['path']}, {record['release']}, SHA-256 {record['sha256']}"}
        )
    if resource.get("handKeyed"):
        rows.append({"item": "derived from", "value": "hand-keyed by the project; sources row by row"})
    return HTMLTable(pd.DataFrame(rows), caption=f"Provenance of {resource['path']}")


def resource_names() -> list[str]:
    return [r["name"] for r in read_descriptor().get("resources", [])]


def table_description(name: str) -> Markdown:
    resource = resource_from_descriptor(name, read_descriptor())
    return Markdown(resource["description"])


def sipri_values_published() -> int:
    """How many SIPRI-derived values the data folder publishes (all tables)."""
    return sum(loaders.count_sipri_derived_values().values())
