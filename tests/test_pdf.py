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


def test_pdf_has_every_chapter_and_the_glued_numbers(pdf: Path):
    text = (
        subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
        if shutil.which("pdftotext")
        else ""
    )
    if not text:
        pytest.skip("pdftotext not installed")
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
