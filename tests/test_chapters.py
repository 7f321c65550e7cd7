"""Every chapter has the book's skeleton, and its reader notebook matches the build and runs anywhere."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from book_build import notebooks
from paying_for_protection import paths
from paying_for_protection.formatting.links import notebook_path

SKELETON = ["Overview", "Data", "Summary", "References", "Colophon"]
CHAPTERS = notebooks.chapter_sources()


def test_the_table_of_contents_names_each_chapter_by_its_own_title():
    from paying_for_protection.formatting.citation import chapter_titles

    titles = chapter_titles()
    assert [f"{page}.md" for page in titles] == CHAPTERS
    for page, title in titles.items():
        source = (paths.ROOT / f"{page}.md").read_text(encoding="utf-8")
        assert f"\n# {title}\n" in source, f"_toc.yml's title for {page} is not the chapter's # title"


def test_the_numbered_chapters_are_found():
    assert len(CHAPTERS) >= 3 and all(re.match(r"chapters/\d\d_", c) for c in CHAPTERS)


@pytest.mark.parametrize("source", CHAPTERS)
def test_chapter_follows_the_skeleton(source):
    # Headings of the prose only: code cells may contain comments that start with "# ".
    text = re.sub(r"^```.*?^```", "", (paths.ROOT / source).read_text(encoding="utf-8"), flags=re.M | re.S)
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    positions = []
    for section in SKELETON:
        matches = [i for i, h in enumerate(headings) if h == section or h.startswith(section + " ")]
        assert matches, f"{source} has no '{section}' section"
        positions.append(matches[0])
    assert positions == sorted(positions), f"{source}: skeleton sections out of order"
    assert positions[1] == 1, f"{source}: 'Data' must follow 'Overview'"
    assert len(headings) > len(SKELETON), f"{source} has no analysis sections"
    assert len(re.findall(r"^# ", text, flags=re.M)) == 1, f"{source} must have exactly one title"


def test_citations_read_author_year_with_et_al_and_plain_unicode():
    cite = notebooks.Citations(paths.ROOT / "references.bib")
    # Accents written in LaTeX come out as Unicode; three authors or more (or "and others") read "et al.".
    assert cite.parenthetical(["plumper2015free", "sipri2025milex"]) == "(Plümper and Neumayer 2015; Liang et al. 2025)"
    assert cite.textual(["allen2022us"]) == "Allen et al. (2022)"
    assert r"Consumer prices rise 2\.1% in 2025" in cite.reference_list(["joongang2025cpi"])  # Markdown-escaped


def test_myst_roles_and_directives_become_plain_markdown():
    converter = notebooks.MystToMarkdown("chapters/01_history.md", {"k": "28,500"}, paths.ROOT)
    text = converter.convert(
        "(some-label)=\n## A section\n\nAbout {glue:text}`k` troops {cite}`allen2022us`; see {ref}`chapter-budget`, "
        "the {term}`SMA <SMA (Special Measures Agreement)>` and {numref}`fig-usfk-troops`.\n\n"
        ":::{admonition} A note\n:class: note\nInside {glue:text}`k`.\n:::\n"
    )
    assert "About 28,500 troops (Allen et al. 2022)" in text
    assert "the SMA and [the figure](" in text and "chapters/01_history.html#fig-usfk-troops)" in text
    assert "/chapters/02_budget_trends.html#chapter-budget)" in text
    assert "> **A note**" in text and "> Inside 28,500." in text
    assert "{" not in text and "(some-label)=" not in text
    with pytest.raises(KeyError, match="did not glue"):
        converter.convert("{glue:text}`missing`")


@pytest.mark.book
@pytest.mark.parametrize("source", CHAPTERS)
def test_committed_notebook_is_the_one_the_build_offers(source, built_copy: Path):
    site = built_copy / "_build" / "html"
    offered = (site / "_sources" / Path(source).with_suffix(".ipynb")).read_text(encoding="utf-8")
    expected = notebooks.notebook_text(notebooks.reader_notebook(source, root=built_copy, site=site))
    committed = (paths.ROOT / notebook_path(source)).read_text(encoding="utf-8")
    assert committed == expected, f"{notebook_path(source)} is stale: run `make notebooks`"
    assert offered == expected, "the page's download button offers another file than notebooks/"
    nb = nbformat.reads(committed, as_version=4)
    assert all(not cell.get("outputs") for cell in nb.cells if cell.cell_type == "code")
    markdown = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")
    assert not re.search(r"\{[a-z:]+\}`", markdown), "a MyST role is left in the notebook's text"


@pytest.mark.book
@pytest.mark.parametrize("source", CHAPTERS)
def test_chapter_notebook_runs_top_to_bottom_in_an_empty_folder(source, tmp_path: Path, built_book: Path):
    # As a reader would run it: a copy in an unrelated folder, the project's kernel, no Sphinx.
    nb = nbformat.read(paths.ROOT / notebook_path(source), as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.get("output_type") == "error"
    ]
    assert not errors
    setup = "".join(o.get("text", "") for o in nb.cells[1].get("outputs", []))
    assert "Using paying_for_protection" in setup and "Installed" not in setup  # nothing installed here
    # Every number the book's page prints is printed by the notebook too, with the same text: each
    # section's cell shows a table of its values (`| `key` | value |`) when run outside the book.
    shown = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            for row in re.finditer(r"^\| `([^`]+)` \| (.*) \|$", output.get("data", {}).get("text/markdown", ""), re.M):
                shown[row.group(1)] = row.group(2)
    page = source.removesuffix(".md")
    listed = json.loads((built_book / "numbers.json").read_text(encoding="utf-8"))["numbers"]
    printed = {n["key"]: n["value"] for n in listed if n["page"] == page and n.get("number") is not None}
    assert printed, f"numbers.json lists no number of {page}"
    missing = {k: v for k, v in printed.items() if shown.get(k) != v}
    assert not missing, f"the notebook does not print these values of the page: {missing}"
