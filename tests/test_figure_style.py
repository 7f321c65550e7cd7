"""The house style's share of legible figures: vector output, fixed metadata, text sizes."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

from paying_for_protection.figures import style

#: The book's desktop column is 768 CSS px wide (sphinx-book-theme at a 1400 px window).
COLUMN_PX = 768


def _default_figure():
    style.use_house_style()
    fig, ax = plt.subplots()
    ax.plot([2000, 2010, 2020], [1, 3, 2], label="Korea")
    ax.set(title="A title", xlabel="year", ylabel="share of GDP, %")
    ax.legend()
    return fig


def test_smallest_text_of_a_house_style_figure_reads_at_11_px_in_the_column():
    fig = _default_figure()
    svg = style.figure_bytes(fig, "svg", {"Date": None}).decode()
    plt.close(fig)
    width_pt = float(re.search(r'viewBox="[\d.\-]+ [\d.\-]+ ([\d.]+)', svg).group(1))
    sizes = [float(s) for s in re.findall(r"font(?:-size)?:\s*(?:[a-z]+\s+)*([\d.]+)px", svg)]
    assert sizes, "no text found in the SVG (is svg.fonttype 'none'?)"
    smallest_px = min(sizes) * COLUMN_PX / width_pt
    assert smallest_px >= 11, f"smallest text {smallest_px:.1f} px at the column width"


def test_figures_are_identical_from_build_to_build():
    fig = _default_figure()
    first = {fmt: style.figure_bytes(fig, fmt, meta) for fmt, meta in style.VECTOR_FORMATS.values()}
    second = {fmt: style.figure_bytes(fig, fmt, meta) for fmt, meta in style.VECTOR_FORMATS.values()}
    plt.close(fig)
    assert first == second
    assert b"<dc:date>" not in first["svg"] and b"/CreationDate" not in first["pdf"]


def test_a_jupyter_kernel_displays_figures_as_svg_and_pdf_not_png():
    """In a real kernel, as the book executes chapters (the inline backend, loaded at the first
    figure, must not put PNG back)."""
    import nbformat
    from nbclient import NotebookClient

    code = (
        "import matplotlib.pyplot as plt\n"
        "from paying_for_protection.figures import style\n"
        "style.use_house_style()\n"
        "fig, ax = plt.subplots()\n"
        "ax.plot([1, 2], [3, 4])\n"
        "display(fig)\n"
        "plt.close(fig)"
    )
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    outputs = [o for o in notebook.cells[0].outputs if o.get("output_type") == "display_data"]
    assert outputs, notebook.cells[0].outputs
    mimetypes = set(outputs[0]["data"])
    assert {"image/svg+xml", "application/pdf"} <= mimetypes and "image/png" not in mimetypes, mimetypes
