"""The Data page and the escaping of data on its way to HTML.

Every string a data file or the descriptor holds reaches the page as text: the tests put script
and image payloads in every free-text cell of every table and every text of the descriptor,
render what the Data page displays the way the book does (Markdown through MyST, HTML as is) and
look for the payloads in the result, as text and never as markup.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from paying_for_protection import paths
from paying_for_protection.data import loaders
from paying_for_protection.formatting import datapage
from paying_for_protection.formatting.tables import CodeBlock, HTMLTable, Link, Markdown, escape_markdown

SCRIPT = "<script>alert('pwned')</script>"
IMAGE = '<img src=x onerror="alert(1)">'
MARKUP = "[click](javascript:alert(1)) {cite}`x` $x$ *em* `code` &amp; {{ sub }}"
PAYLOAD = f"{SCRIPT} {IMAGE} {MARKUP}"
#: Descriptor properties that are structure, not text: names, paths, types, keys, patterns.
STRUCTURAL = {"name", "path", "type", "format", "mediatype", "encoding", "profile", "sha256", "fields", "primaryKey"}


def render(output: Any) -> str:
    """HTML as the book renders a cell's output: Markdown parsed by MyST, HTML inserted as is."""
    if hasattr(output, "_repr_html_"):
        return output._repr_html_()
    from docutils.core import publish_parts
    from myst_parser.parsers.docutils_ import Parser

    extensions = ["colon_fence", "dollarmath", "deflist", "substitution"]  # as in _config.yml
    return publish_parts(
        output._repr_markdown_(),
        parser=Parser(),
        writer_name="html5",
        settings_overrides={"myst_enable_extensions": extensions, "report_level": 5},
    )["body"]


def assert_inert(html: str, payloads: list[str]) -> None:
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find_all(["script", "img", "iframe", "object"]), html[:2000]
    for element in soup.find_all(True):
        for attribute, value in element.attrs.items():
            assert not attribute.lower().startswith("on"), element
            if attribute in ("href", "src"):
                assert str(value).lower().startswith(("http://", "https://", "#", "../")), element
    text = soup.get_text()
    for payload in payloads:
        assert payload in text, f"{payload!r} is not shown as text"


# --- the helpers ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [SCRIPT, IMAGE, MARKUP, "# a heading", "1. a list", "| a | b |", "line\n\nbreak"])
def test_escaped_text_renders_as_exactly_its_characters(text: str):
    html = render(Markdown(escape_markdown(text)))
    soup = BeautifulSoup(html, "html.parser")
    assert [p.name for p in soup.find_all(True)] == ["p"], html
    assert soup.get_text().strip() == " ".join(text.split()), html


def test_html_table_escapes_cells_caption_and_header():
    import pandas as pd

    table = HTMLTable(pd.DataFrame({SCRIPT: [IMAGE]}), caption=SCRIPT)
    assert_inert(table._repr_html_(), [SCRIPT, IMAGE])


def test_links_only_to_web_addresses():
    assert Link("ok", "https://example.org/a?b=<c>").to_html() == '<a href="https://example.org/a?b=&lt;c&gt;">ok</a>'
    for target in ["javascript:alert(1)", "data:text/html,<b>x</b>", "//evil.example", "https://a b.org"]:
        assert "<a" not in Link(SCRIPT, target).to_html()
        assert_inert(Link(SCRIPT, target).to_html(), [SCRIPT])


def test_code_block_cannot_be_closed_by_its_text():
    text = f"```\n{SCRIPT}\n```"
    html = render(CodeBlock(text, "bibtex"))
    soup = BeautifulSoup(html, "html.parser")
    assert {e.name for e in soup.find_all(True)} <= {"pre", "code", "span"}, html
    assert soup.get_text().strip() == text


# --- the Data page with poisoned data ----------------------------------------------------------------


def _poison_descriptor(value: Any, key: str = "") -> Any:
    """Every text of the descriptor replaced by the payload, structure kept."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k in ("constraints", "rangeBy", "foreignKeys", "dialect", "missingValues", "trueValues", "falseValues"):
                out[k] = v
            elif k in ("url", "homepage") or (k == "path" and isinstance(v, str) and v.startswith("http")):
                out[k] = "javascript:alert(1)"
            elif k in STRUCTURAL and not isinstance(v, list | dict):
                out[k] = v
            else:
                out[k] = _poison_descriptor(v, k)
        return out
    if isinstance(value, list):
        return [_poison_descriptor(v, key) for v in value]
    if isinstance(value, str) and key not in STRUCTURAL:
        return f"{PAYLOAD} ({value})"
    return value


def _poison_tables(data: Path, descriptor: dict) -> int:
    """Every free-text cell of every table replaced by the payload; returns how many cells."""
    cells = 0
    for resource in descriptor["resources"]:
        free = [
            f["name"]
            for f in resource["schema"]["fields"]
            if f["type"] == "string" and not {"pattern", "enum"} & set(f.get("constraints", {}))
        ]
        path = data / resource["path"]
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
        header = rows[0]
        for n, row in enumerate(rows[1:]):
            for name in free:
                if not row[header.index(name)]:
                    continue  # an empty cell stays empty: rules that pair fields (a value needs a unit) still hold
                row[header.index(name)] = f"{PAYLOAD} {n}"  # numbered: a free-text key stays unique
                cells += 1
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        path.write_text(buffer.getvalue(), encoding="utf-8")
    return cells


@pytest.fixture
def poisoned_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, data)
    descriptor = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    poisoned = _poison_descriptor(descriptor)
    (data / "datapackage.json").write_text(json.dumps(poisoned, indent=2), encoding="utf-8")
    assert _poison_tables(data, descriptor) > 1000
    monkeypatch.setattr(paths, "DATA_DIR", data)
    monkeypatch.setattr(paths, "DESCRIPTOR_PATH", data / "datapackage.json")
    assert loaders.validate_all(data) == []  # the payloads are valid data: only escaping stops them
    return data


def test_every_text_of_the_data_page_is_escaped(poisoned_data: Path):
    outputs = [datapage.upstream_files()]
    for name in datapage.resource_names():
        outputs += datapage.table_section(name)
    html = "\n".join(render(o) for o in outputs)
    assert_inert(html, [SCRIPT, IMAGE, "[click](javascript:alert(1))", "{cite}`x`", "$x$", "*em*", "{{ sub }}"])
    # The payload reached every part: descriptions, sources, upstream notes, previews, codebooks.
    assert html.count("alert(&#x27;pwned&#x27;)") + html.count("alert('pwned')") > 100


def test_poisoned_links_are_shown_as_text_not_followed(poisoned_data: Path):
    html = render(datapage.table_provenance("sipri_milex")) + render(datapage.upstream_files())
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find_all("a") == []  # every address was javascript:, so nothing is a link


# --- the Data page's content -------------------------------------------------------------------------


def test_sources_are_clickable_links():
    html = render(datapage.table_provenance("sipri_milex"))
    links = {a["href"] for a in BeautifulSoup(html, "html.parser").find_all("a")}
    assert "https://www.sipri.org/databases/milex" in links


def test_preview_shows_the_first_rows_as_the_file_has_them():
    table = datapage.table_preview("korea_defense_budget")
    with (paths.DATA_DIR / "korea_defense_budget.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert list(table.frame.columns) == rows[0]
    assert len(table.frame) == datapage.PREVIEW_ROWS
    for shown, raw in zip(table.frame.itertuples(index=False), rows[1:], strict=False):
        for cell, original in zip(shown, raw, strict=True):
            if isinstance(cell, list):  # source addresses, as links
                urls = original.split(";")
                assert [p.url for p in cell if isinstance(p, Link)] == urls[: datapage.PREVIEW_LINKS]
            elif len(original) <= datapage.PREVIEW_CHARS:
                assert cell == original
            else:
                assert cell.endswith("…") and original.startswith(cell[:-1])


def test_preview_source_links_are_clickable_and_counted():
    html = datapage.table_preview("sma_contributions")._repr_html_()
    soup = BeautifulSoup(html, "html.parser")
    assert "nowrap" in soup.tbody.get("style", ""), "a wide preview keeps its rows on one line"
    assert "nowrap" not in soup.table.get("style", ""), "its caption wraps"
    assert soup.find_all("a") and all(a["href"].startswith(("https://", "http://")) for a in soup.find_all("a"))
    first = next(csv.DictReader((paths.DATA_DIR / "sma_contributions.csv").open(encoding="utf-8")))
    urls = first["source_urls"].split(";")
    cell = soup.select("tbody tr")[0].find_all("td")[-1]
    assert [a["href"] for a in cell.find_all("a")] == urls[: datapage.PREVIEW_LINKS]
    if len(urls) > datapage.PREVIEW_LINKS:
        assert f"and {len(urls) - datapage.PREVIEW_LINKS} more" in cell.get_text()


def test_every_upstream_file_has_its_provenance_on_the_page():
    from paying_for_protection.derive.inputs import UPSTREAM_FILES

    html = render(datapage.upstream_files())
    text = BeautifulSoup(html, "html.parser").get_text()
    for upstream in UPSTREAM_FILES.values():
        assert upstream.relpath in text and upstream.sha256[: datapage.SHOWN_HASH_CHARS] in text, upstream.relpath
        assert upstream.provenance.obtained_from in text
        for note in upstream.provenance.notes:
            assert note in text


def test_codebook_shows_ranges_by_indicator_and_foreign_keys():
    table = datapage.codebook("sipri_milex")
    assert "iso3 in countries.csv" in table.caption
    rules = table.frame.set_index("field").loc["value", "rules"]
    assert "by indicator: share_of_gdp_pct: 0…25" in rules
