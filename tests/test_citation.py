"""Citations: one bibliography without duplicates or unused keys; CITATION.cff valid and consistent."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from paying_for_protection import __version__, paths
from paying_for_protection.formatting import citation as book

BOOK_SOURCES = [
    "intro.md",
    "zreferences.md",
    *sorted(str(p.relative_to(paths.ROOT)) for p in (paths.ROOT / "chapters").glob("*.md")),
]


def _bib_keys() -> list[str]:
    text = (paths.ROOT / "references.bib").read_text(encoding="utf-8")
    return re.findall(r"^@\w+\{([^,\s]+),", text, flags=re.M)


def _cited_keys() -> set[str]:
    cited = set()
    for source in BOOK_SOURCES:
        cited.update(book.cited_keys((paths.ROOT / source).read_text(encoding="utf-8")))
    # Keys referenced from the data: published figures name the reference of each row.
    import pandas as pd

    cited.update(pd.read_csv(paths.DATA_DIR / "published_figures.csv")["source_key"])
    return cited


def test_bibliography_has_no_duplicate_keys():
    keys = _bib_keys()
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    assert not duplicates, duplicates


def test_every_entry_is_cited_and_every_citation_exists():
    keys, cited = set(_bib_keys()), _cited_keys()
    assert not (keys - cited), f"unused entries in references.bib: {sorted(keys - cited)}"
    assert not (cited - keys), f"cited but missing from references.bib: {sorted(cited - keys)}"


def test_every_entry_parses_and_has_author_title_and_year_or_url():
    from pybtex.database import parse_file

    database = parse_file(str(paths.ROOT / "references.bib"))
    for key, entry in database.entries.items():
        assert entry.persons.get("author"), key
        assert entry.fields.get("title"), key
        assert entry.fields.get("year") or entry.fields.get("url"), key


CFF_SCHEMA = Path(__file__).parent / "schemas" / "citation-file-format-1.2.0.json"


def _validate_cff(cff: dict) -> None:
    import json

    import jsonschema

    schema = json.loads(CFF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(json.loads(json.dumps(cff, default=str))), key=str)
    if errors:
        raise jsonschema.ValidationError("; ".join(e.message for e in errors[:5]))


def test_citation_cff_is_valid_and_matches_the_package_and_changelog():
    cff = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    _validate_cff(cff)  # raises on a schema violation
    for key in ["cff-version", "title", "authors", "version", "date-released", "license", "repository-code"]:
        assert cff.get(key), key
    assert str(cff["version"]) == __version__
    changelog = (paths.ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    latest = re.search(r"^## (\S+) \((\d{4}-\d{2}-\d{2})\)", changelog, flags=re.M)
    assert latest and latest.group(1) == str(cff["version"]) and latest.group(2) == str(cff["date-released"])


def test_an_invalid_citation_file_is_rejected():
    import jsonschema

    broken = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    broken["date-released"] = "29 November 2026"
    with pytest.raises(jsonschema.ValidationError):
        _validate_cff(broken)
    del broken["authors"]
    with pytest.raises(jsonschema.ValidationError):
        _validate_cff(broken)


def test_generated_citations_carry_version_and_urls():
    info = book.release_info()
    entry = book.book_citation()
    assert f"Version {info['version']}" in entry["bibtex"] and info["url"] in entry["apa"]
    for page in book.CHAPTERS:
        assert f"{page}.html" in book.chapter_citation(page)["bibtex"]
    sipri = book.dataset_citation("sipri_milex")
    assert "SIPRI" in sipri["bibtex"] and "SIPRI-fair-use" in sipri["bibtex"]
