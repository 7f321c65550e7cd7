"""The PDF of the whole book (where the TeX toolchain is installed; `make pdf` installs it)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import copy_book, make

from paying_for_protection.data import loaders

pytestmark = [
    pytest.mark.book,
    pytest.mark.skipif(
        not (shutil.which("xelatex") and shutil.which("latexmk")),
        reason="TeX toolchain not installed (make pdf installs it)",
    ),
]


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory, built_copy: Path) -> Path:
    """`make pdf` on a copy of the session's build (its chapters already executed and cached)."""
    copy = copy_book(tmp_path_factory.mktemp("pdf") / "book", with_build_from=built_copy)
    result = make(copy, "pdf")
    if result.returncode != 0:
        pytest.fail("`make pdf` failed:\n" + "\n".join((result.stdout + result.stderr).splitlines()[-40:]))
    assert (copy / "_build" / "html" / "paying-for-protection.pdf").is_file(), (
        "make pdf did not put the PDF into the site"
    )
    return copy / "_build" / "pdf" / "paying-for-protection.pdf"


def _text(pdf: Path, *options: str) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext not installed (poppler-utils)")
    return subprocess.run(["pdftotext", *options, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_pdf_has_every_chapter_and_the_glued_numbers(pdf: Path):
    text = _text(pdf, "-layout")
    flat = " ".join(text.split())
    for title in [
        "The history of cost-sharing",
        "Budget trends",
        "Does US pressure move allied defense spending?",
        "Glossary",
        "How to cite",
    ]:
        assert title in flat, title
    amount = loaders.load_sma_contributions().set_index("year").loc[2026, "amount"]
    assert f"{amount:,.1f} billion won" in flat
    assert "Traceback" not in flat


def test_pdf_is_a_real_document(pdf: Path):
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 200_000


#: What must never reach the printed page: HTML entities, the wrap arrows of plain-text output
#: dumps, raw HTML or LaTeX, Markdown or MyST markup that was not rendered.
RAW_MARKUP = {
    "an HTML entity": r"&(?:[a-zA-Z]+|#\d+);",
    "a line-wrap arrow": r"[\u21a9\u21aa\u2936\u2937\u23ce]",
    "an HTML tag": r"</?(?:table|tr|td|th|div|span|p|a|caption|thead|tbody|br)\b[^>]*>",
    "a LaTeX command": r"\\(?:begin|end|textbf|emph|caption|cite|ref|url|hline|toprule)\b",
    "a LaTeX quote": r"``|(?<![\w'])`[A-Za-z]",
    "a MyST role": r"\{(?:glue|cite|ref|numref|term|download)(?::[a-z]+)?\}`",
    "a Markdown link": r"\]\((?:https?:|\.\./)",
}


def test_pdf_text_has_no_entities_wrap_arrows_or_raw_markup(pdf: Path):
    import re

    text = _text(pdf)
    found = {}
    for what, pattern in RAW_MARKUP.items():
        hits = [text[max(0, m.start() - 40) : m.end() + 40].replace("\n", " ") for m in re.finditer(pattern, text)]
        if hits:
            found[what] = hits[:3]
    assert not found, found


def test_pdf_tables_are_numbered_latex_tables_not_text_dumps(pdf: Path):
    import re

    text = _text(pdf)
    captions = re.findall(r"Table \d+\.\d+: ", text) + re.findall(r"Table \d+: ", text)
    assert len(captions) >= 5, f"only {len(captions)} numbered table captions in the PDF"
    assert "Codebook of sma_agreements.csv" in " ".join(text.split())


def test_pdf_bibliography_is_author_year(pdf: Path):
    flat = " ".join(_text(pdf).split())
    assert "Olson and Zeckhauser, 1966" in flat  # a label as the text cites it
    assert not __import__("re").search(r"\[\d{1,3}\] [A-Z]", flat), "numbered bibliography labels in the PDF"


def test_pdf_figures_are_vector_graphics(pdf: Path):
    if not shutil.which("pdfimages"):
        pytest.skip("pdfimages not installed (poppler-utils)")
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    raster = [line for line in listing.splitlines()[2:] if line.strip()]
    # Charts are drawn as vectors; a raster image would be a chart embedded as PNG.
    assert not raster, raster[:5]


def test_running_footer_is_the_page_number_alone(pdf: Path):
    pages = _text(pdf, "-layout").split("\f")
    feet = [page.strip().splitlines()[-1].strip() for page in pages[10:40] if page.strip()]
    numbered = [foot for foot in feet if foot.isdigit()]
    assert len(numbered) >= len(feet) * 0.8, feet[:10]
