"""Citations: one bibliography without duplicates or unused keys; CITATION.cff valid and consistent."""

from __future__ import annotations

import re
import shutil
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
    for page in book.chapter_titles():
        assert f"{page}.html" in book.chapter_citation(page)["bibtex"]
    sipri = book.dataset_citation("sipri_milex")
    assert "SIPRI" in sipri["bibtex"] and "SIPRI-fair-use" in sipri["bibtex"]


def test_citation_cff_states_both_licences_and_prefers_the_book():
    cff = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert set(cff["license"]) == {"CC-BY-4.0", "MIT"}
    preferred = cff["preferred-citation"]
    assert preferred["type"] == "book" and preferred["license"] == "CC-BY-4.0"
    assert preferred["title"] == cff["title"] and str(preferred["version"]) == str(cff["version"])
    assert preferred["publisher"]["name"]


def _page_citations() -> list:
    """Every entry the How to cite page offers: the book, each chapter, each dataset."""
    from paying_for_protection.formatting import datapage

    return [
        book.book(),
        *(book.chapter(p) for p in book.chapter_titles()),
        *(book.dataset(n) for n in datapage.resource_names()),
    ]


def test_bibtex_fields_are_escaped_and_titles_protected():
    for entry in _page_citations():
        bibtex = entry.bibtex()
        body = "\n".join(line for line in bibtex.splitlines() if not line.lstrip().startswith("url"))
        assert not re.search(r"(?<!\\)[%$_&#]", body.split(",", 1)[1]), bibtex  # after the key
        assert re.search(r"^\s*title\s*=\s*\{\{", bibtex, re.M), bibtex
        assert "edition" not in bibtex, bibtex
        if entry.bibtex_type in ("book", "incollection"):
            assert re.search(r"^\s*publisher\s*=", bibtex, re.M), bibtex


def test_apa_and_csl_json_describe_the_same_works():
    import json

    entries = _page_citations()
    items = json.loads(book.csl_json(entries))
    assert [i["id"] for i in items] == [e.key for e in entries]
    for item, entry in zip(items, entries, strict=True):
        assert item["type"] in {"book", "chapter", "dataset"}
        assert item["title"] in entry.apa().replace("\\", "") and item["URL"] in entry.apa()
        assert item["issued"]["date-parts"][0][0] == int(entry.year)


def test_markdown_from_data_cannot_become_markup():
    assert book.markdown_text("<b>x</b> *y* [z](u)") == r"&lt;b&gt;x&lt;/b&gt; \*y\* \[z\](u)"


needs_tex = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdflatex", "bibtex", "biber", "pdftotext")),
    reason="TeX (pdflatex, bibtex, biber) or poppler-utils not installed (make pdf installs TeX)",
)

#: A student's document: classic BibTeX with natbib, or biblatex with biber; both with pdfLaTeX.
LATEX_DOCUMENTS = {
    "bibtex": (
        "\\documentclass{article}\\usepackage[T1]{fontenc}\\usepackage[utf8]{inputenc}\\usepackage{url}"
        "\\usepackage[authoryear]{natbib}\\begin{document}\\nocite{*}\\bibliographystyle{plainnat}"
        "\\bibliography{refs}\\end{document}\n"
    ),
    "biber": (
        "\\documentclass{article}\\usepackage[T1]{fontenc}\\usepackage[utf8]{inputenc}"
        "\\usepackage[backend=biber,style=authoryear]{biblatex}\\addbibresource{refs.bib}"
        "\\begin{document}\\nocite{*}\\printbibliography\\end{document}\n"
    ),
}


#: Entries per test document. natbib's author-year styles tell apart works of one author and year
#: by a letter (2026a ... 2026z): a document citing more than 26 of the book's entries (all by "The
#: Paying for Protection authors", 2026) runs out of letters and stops LaTeX. A student cites a few.
ENTRIES_PER_DOCUMENT = 20


@needs_tex
@pytest.mark.parametrize("backend", sorted(LATEX_DOCUMENTS))
def test_every_bibtex_entry_of_the_page_compiles_in_latex(tmp_path: Path, backend: str):
    """The How to cite page's BibTeX, every entry, through real BibTeX (or biber) and pdfLaTeX:
    no error, no warning about a missing field, and each title in the typeset reference list."""
    import subprocess

    entries = _page_citations()
    assert len(entries) > ENTRIES_PER_DOCUMENT  # so that the batching below is exercised
    for first_entry in range(0, len(entries), ENTRIES_PER_DOCUMENT):
        batch = entries[first_entry : first_entry + ENTRIES_PER_DOCUMENT]
        folder = tmp_path / f"batch-{first_entry}"
        folder.mkdir()
        (folder / "refs.bib").write_text("\n\n".join(e.bibtex() for e in batch), encoding="utf-8")
        (folder / "doc.tex").write_text(LATEX_DOCUMENTS[backend], encoding="utf-8")

        def run(*command: str, cwd: Path = folder) -> subprocess.CompletedProcess:
            return subprocess.run(command, cwd=cwd, capture_output=True, text=True, errors="replace", timeout=120)

        latex = ("pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex")
        first = run(*latex)
        assert first.returncode == 0, first.stdout[-3000:]
        bib = run(backend, "doc")
        log = (folder / "doc.blg").read_text(errors="replace")
        assert bib.returncode == 0, bib.stdout[-3000:] + log[-3000:]
        assert "Warning--" not in log and "WARN" not in log and "ERROR" not in log, log[-3000:]
        for _ in range(2):
            final = run(*latex)
            assert final.returncode == 0, final.stdout[-3000:]
        text = subprocess.run(["pdftotext", str(folder / "doc.pdf"), "-"], capture_output=True, text=True).stdout

        # Compare without spaces and hyphens (lines break inside words, at hyphens or not) and without
        # the ligatures pdftotext drops from the Latin Modern fonts ("fi" in "figures").
        def comparable(s: str) -> str:
            return re.sub("fi|fl|ff|\ufb01|\ufb02|\ufb00|[\\s\\-]", "", s)

        flat = comparable(text)
        for entry in batch:
            start = " ".join(entry.title.split()[:4])  # the start of the title, as typeset
            assert comparable(start) in flat, f"{entry.key}: {start!r} not in the typeset list"
