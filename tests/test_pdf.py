"""The PDF of the whole book (where the TeX toolchain is installed; `make pdf` installs it)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from paying_for_protection import loaders, paths

pytestmark = [
    pytest.mark.book,
    pytest.mark.skipif(not (shutil.which("xelatex") and shutil.which("latexmk")), reason="TeX toolchain not installed (make pdf installs it)"),
]


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pdf")
    config = yaml.safe_load((paths.ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["execute"]["cache"] = str(out / "jupyter_cache")
    config_path = out / "_config.yml"
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "jupyter-book"), "build", str(paths.ROOT), "--builder", "pdflatex", "--path-output", str(out), "--config", str(config_path), "--all", "-n", "-W", "--keep-going"],
        capture_output=True,
        text=True,
        cwd=paths.ROOT,
    )
    if result.returncode != 0:
        pytest.fail("the PDF did not build:\n" + "\n".join((result.stdout + result.stderr).splitlines()[-40:]))
    return out / "_build" / "latex" / "paying-for-protection.pdf"


def test_pdf_has_every_chapter_and_the_glued_numbers(pdf: Path):
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout if shutil.which("pdftotext") else ""
    if not text:
        pytest.skip("pdftotext not installed")
    flat = " ".join(text.split())
    for title in ["The history of cost-sharing", "Budget trends", "Does US pressure move allied defense spending?", "Glossary", "How to cite"]:
        assert title in flat, title
    amount = loaders.load_sma_contributions().set_index("year").loc[2026, "amount"]
    assert f"{amount:,.1f} billion won" in flat
    assert "Traceback" not in flat


def test_pdf_is_a_real_document(pdf: Path):
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 200_000
