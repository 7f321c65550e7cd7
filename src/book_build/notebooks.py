"""The chapters as notebooks a reader can follow: Markdown without MyST, the values the book printed.

A chapter is MyST Markdown: its prose quotes numbers through ``{glue:text}`` roles, cites with
``{cite}``, links with ``{ref}`` and ``{numref}``, and uses directives (admonitions, a bibliography).
Jupyter, JupyterLab, VS Code and Colab show none of that. :func:`reader_notebook` turns a chapter
into a plain notebook:

* each glued value is written into the text as the book printed it (read from the chapter's
  executed run in the execution cache); the code cells still compute it, and when run outside the
  book they print each section's values beside the text (``formatting.glue.SHOW_VALUES``);
* citations read "(Author Year)", references link to the online book, glossary terms are plain
  words, admonitions are quotes, the chapter's bibliography is a Markdown list;
* figure captions follow their figure as text;
* a set-up cell first finds out whether the book's package is importable: on Colab it installs it
  into Colab's runtime and says so; anywhere else it installs nothing and says what to run.

``make notebooks`` writes ``notebooks/`` (what Binder and Colab open from the repository); the
build calls :func:`write_site_notebooks` so that the page's download button and its "Run this
chapter" box offer the same file. A test runs each notebook in an empty folder and checks that it
prints every number the page prints.
"""

from __future__ import annotations

import codecs
import os
import re
import sys
from pathlib import Path

import latexcodec  # noqa: F401 (registers the "ulatex" codec used by _plain)
import nbformat

from paying_for_protection import paths
from paying_for_protection.formatting import citation as book_citation
from paying_for_protection.formatting.glue import GLUE_PREFIX
from paying_for_protection.formatting.links import NOTEBOOK_DIR, notebook_path, repository

#: The chapters offered as notebooks: the numbered chapters of the table of contents.
CHAPTER_PATTERN = re.compile(r"^chapters/\d\d_[a-z0-9_]+$")

#: Colab lacks these (everything else the package needs is on Colab already or comes with it).
COLAB_EXTRAS: list[str] = []


def chapter_sources(root: Path | None = None) -> list[str]:
    """The numbered chapters in book order, as paths relative to the book root."""
    return [f"{page}.md" for page in paths.toc_pages(root) if CHAPTER_PATTERN.match(page)]


# --- what the book printed ----------------------------------------------------------------------------


def built_values(source: str, root: Path | None = None) -> dict[str, str]:
    """Every glued value of a chapter as its page prints it, from the chapter's cached run.

    Raises ``LookupError`` naming the chapter when the cache has no run of its current code (build
    the book first).
    """
    from jupyter_cache import get_cache

    from book_build import execution

    root = root or paths.ROOT
    cache = get_cache(str(execution.cache_dir(root)))
    try:
        record = cache.match_cache_notebook(execution.read_notebook(root / source, root))
    except KeyError:
        raise LookupError(
            f"{source}: no executed run in the cache for its current code; run `make book` first"
        ) from None
    return glued_text(cache.get_cache_bundle(record.pk).nb)


def glued_text(notebook) -> dict[str, str]:
    """Every glued value of an executed notebook, as a page prints it."""
    from myst_nb.core.variables import format_plain_text

    values: dict[str, str] = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if not name:
                continue
            data = {key.removeprefix(GLUE_PREFIX): value for key, value in output.get("data", {}).items()}
            if "text/markdown" in data:
                values[name] = str(data["text/markdown"])
            elif "text/plain" in data:
                values[name] = format_plain_text(str(data["text/plain"]), "")
    return values


#: A numbered figure or table of a built page, and the number in its caption ("Fig. 3 "). Figures and
#: tables do not nest, so a figure ends at the first closing tag of its kind.
_NUMBERED = re.compile(r'<(figure|table)\b[^>]*\bid="([^"]+)"[^>]*>(.*?)</\1>', re.S)
_CAPTION_NUMBER = re.compile(r'<span class="caption-number">(.*?)</span>', re.S)


def figure_numbers(site: Path | None, page: str) -> dict[str, str]:
    """Figure and table numbers as the built page shows them ('Fig. 3'), by label; empty without a site.

    Read with two regular expressions rather than an HTML parser: Python's parser takes about half a
    second for a chapter, and this runs on every build that changes the chapter.
    """
    import html

    if site is None:
        return {}
    built = site / f"{Path(page).with_suffix('').as_posix()}.html"
    if not built.is_file():
        return {}
    numbers = {}
    for numbered in _NUMBERED.finditer(built.read_text(encoding="utf-8")):
        number = _CAPTION_NUMBER.search(numbered.group(3))
        if number:
            numbers[numbered.group(2)] = html.unescape(re.sub(r"<[^>]+>", "", number.group(1))).strip()
    return numbers


# --- citations ----------------------------------------------------------------------------------------


def _unicode_accents(latex: str) -> str:
    """BibTeX text with LaTeX accents ({\\\"u}) as Unicode, still LaTeX otherwise (% and $ stay escaped)."""
    return codecs.decode(latex, "ulatex").replace("%", r"\%").replace("$", r"\$")


def _plain(latex: str) -> str:
    """LaTeX-encoded BibTeX text as plain Unicode: {\\\"u} -> ü, braces dropped."""
    return codecs.decode(latex, "ulatex").replace("{", "").replace("}", "")


class Citations:
    """Author–year citations and reference lists from ``references.bib``, as plain Markdown."""

    def __init__(self, bibfile: Path):
        from pybtex.database import parse_file

        self.database = parse_file(str(bibfile))

    def _entry(self, key: str):
        try:
            return self.database.entries[key]
        except KeyError:
            raise KeyError(f"citation key {key!r} is not in references.bib") from None

    def authors(self, key: str) -> str:
        entry = self._entry(key)
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        names = [_plain(" ".join(p.prelast_names + p.last_names)) for p in people if str(p) != "others"]
        if not names:
            return _plain(entry.fields.get("title", key))
        if len(names) >= 3 or any(str(p) == "others" for p in people):
            return f"{names[0]} et al."
        return " and ".join(names)

    def year(self, key: str) -> str:
        return _plain(self._entry(key).fields.get("year", "n.d."))

    def parenthetical(self, keys: list[str]) -> str:
        return "(" + "; ".join(f"{self.authors(k)} {self.year(k)}" for k in keys) + ")"

    def textual(self, keys: list[str]) -> str:
        return "; ".join(f"{self.authors(k)} ({self.year(k)})" for k in keys)

    def reference_list(self, keys: list[str]) -> str:
        """The entries, formatted by pybtex's plain style as Markdown, sorted by author and year."""
        from pybtex.database import Person
        from pybtex.plugin import find_plugin

        entries = []
        for key in sorted(keys, key=lambda k: (self.authors(k).lower(), self.year(k))):
            entry = self._entry(key)
            # Accents become Unicode first (braces stay: they protect capitals from sentence case).
            fields = {
                name: value if name in ("url", "doi") else _unicode_accents(value)
                for name, value in entry.fields.items()
            }
            persons = {
                role: [Person(_unicode_accents(str(p))) for p in people] for role, people in entry.persons.items()
            }
            entries.append(type(entry)(entry.type, fields=fields, persons=persons))
            entries[-1].key = key
        style = find_plugin("pybtex.style.formatting", "plain")()
        backend = find_plugin("pybtex.backends", "markdown")()
        items = [formatted.text.render(backend).replace("\n", " ") for formatted in style.format_entries(entries)]
        return "\n".join(f"- {item}" for item in items)


# --- MyST to plain Markdown ------------------------------------------------------------------------------

_ROLE = re.compile(r"\{(?P<name>[a-z:]+)\}`(?P<content>[^`]*)`")
_LABEL_LINE = re.compile(r"^\((?P<label>[A-Za-z0-9_-]+)\)=\s*$", re.M)
_NAME_OPTION = re.compile(r"^\s*:?name:\s*(?P<label>[A-Za-z0-9_-]+)\s*$")
_LINK_TEXT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^>]+)>$", re.S)


def _labels(root: Path) -> dict[str, tuple[str, str]]:
    """Every ``(label)=`` target of the book: label -> (page, the heading that follows it, if any)."""
    found = {}
    for page in paths.toc_pages(root):
        source = root / (page if Path(page).suffix else f"{page}.md")
        if not source.is_file():
            continue
        lines = source.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            match = _LABEL_LINE.match(line)
            if match:
                following = next((ln for ln in lines[i + 1 :] if ln.strip()), "")
                title = following.lstrip("#").strip() if following.startswith("#") else ""
                found[match.group("label")] = (page, title)
            # Figures and tables are named by a directive option (``:name:``) or in a code cell's
            # ``mystnb`` metadata (``name:``).
            named = _NAME_OPTION.match(line)
            if named:
                found.setdefault(named.group("label"), (page, ""))
    return found


class MystToMarkdown:
    """Rewrites one chapter's MyST Markdown cells as plain Markdown (see the module docstring)."""

    def __init__(self, source: str, values: dict[str, str], root: Path, site: Path | None = None):
        self.source = source
        self.values = values
        self.root = root
        self.citations = Citations(root / "references.bib")
        self.labels = _labels(root)
        self.numbers = figure_numbers(site, source)
        self.book_url = book_citation.release_info()["url"].rstrip("/")
        self.cited: list[str] = []

    def page_url(self, page: str, anchor: str = "") -> str:
        return f"{self.book_url}/{Path(page).with_suffix('').as_posix()}.html" + (f"#{anchor}" if anchor else "")

    def value(self, key: str) -> str:
        key = key.split(":")[0] if "::" not in key else key
        if key not in self.values:
            raise KeyError(f"{self.source}: the text pastes {key!r}, which the chapter's run did not glue")
        return self.values[key]

    def role(self, match: re.Match) -> str:
        name, content = match.group("name"), match.group("content")
        if name.startswith("glue"):
            return self.value(content.strip())
        if name in ("cite", "cite:p", "cite:ps"):
            keys = [k.strip() for k in content.split(",")]
            self.cited += [k for k in keys if k not in self.cited]
            return self.citations.parenthetical(keys)
        if name in ("cite:t", "cite:ts"):
            keys = [k.strip() for k in content.split(",")]
            self.cited += [k for k in keys if k not in self.cited]
            return self.citations.textual(keys)
        explicit = _LINK_TEXT.match(content)
        text, target = (explicit.group("text"), explicit.group("target")) if explicit else (None, content.strip())
        if name == "term":
            return text or target
        if name in ("ref", "numref"):
            page, title = self.labels.get(target, (None, ""))
            if page is None:
                raise KeyError(f"{self.source}: {{{name}}} to unknown label {target!r}")
            if text:
                shown = text
            elif name == "numref":
                shown = self.numbers.get(target) or ("the figure" if target.startswith("fig") else "the table")
            else:
                shown = title or "this section"
            return f"[{shown}]({self.page_url(page, target)})"
        if name == "download":
            return text or Path(target).name
        if name == "doc":
            return f"[{text or target}]({self.page_url(target)})"
        raise ValueError(f"{self.source}: no plain-Markdown rendering for the role {{{name}}}")

    def directive(self, name: str, argument: str, options: dict[str, str], body: str) -> str:
        if name in ("admonition", "note", "tip", "warning", "important", "seealso"):
            if argument == "Run this chapter":
                return ""  # the page's box for downloading this very notebook
            title = argument or name.capitalize()
            quoted = "\n".join(f"> {line}" if line else ">" for line in self.convert(body).splitlines())
            return f"> **{title}**\n>\n{quoted}"
        if name == "bibliography":
            return self.citations.reference_list(self.cited) if self.cited else ""
        if name == "rubric":
            return f"**{argument}**"
        if name == "math":
            return f"$$\n{body.strip()}\n$$"
        if name in ("rst-class", "raw", "tableofcontents", "glue:figure", "glue"):
            return ""
        raise ValueError(f"{self.source}: no plain-Markdown rendering for the directive {{{name}}}")

    def convert(self, text: str) -> str:
        text = _LABEL_LINE.sub("", text)
        text = self._directives(text)
        text = _ROLE.sub(self.role, text)
        return re.sub(r"\n{3,}", "\n\n", text).strip("\n")

    def _directives(self, text: str) -> str:
        """Replace every ``` or ::: fenced directive (outermost first) by its plain rendering."""
        pattern = re.compile(
            r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[a-z:-]+)\}[ \t]*(?P<arg>[^\n]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$",
            re.M | re.S,
        )

        def render(match: re.Match) -> str:
            lines = match.group("body").splitlines()
            options = {}
            while lines and lines[0].startswith(":") and not lines[0].startswith("::"):
                key, _, value = lines.pop(0)[1:].partition(":")
                options[key.strip()] = value.strip()
            return self.directive(match.group("name"), match.group("arg").strip(), options, "\n".join(lines))

        return pattern.sub(render, text)


# --- the notebook ---------------------------------------------------------------------------------------


def _setup_cell() -> nbformat.NotebookNode:
    repo = repository()
    extras = "".join(f', "{p}"' for p in COLAB_EXTRAS)
    source = f'''# Set-up. This chapter runs on the book's own Python package (`paying_for_protection`) and its data.
# In the book's environment (after `make lab` in a clone of the repository) or on Binder it is already
# installed and this cell only says so. On Google Colab it fetches the repository and installs the
# package into Colab's runtime. Anywhere else it installs nothing and tells you what to run.
import importlib.util
import os
import subprocess
import sys

REPOSITORY = "{repo["url"]}"

if importlib.util.find_spec("paying_for_protection") is None:
    if "google.colab" not in sys.modules:
        raise SystemExit(
            "The book's package is not installed in this environment, and nothing was installed. "
            f"Clone {{REPOSITORY}} and run `make lab` there (it creates the book's own environment "
            "and opens the chapters), or install the package into an environment you choose with "
            "`pip install -r requirements.txt` in the clone."
        )
    clone = os.path.abspath("{repo["name"]}")
    steps = [] if os.path.isdir(clone) else [["git", "clone", "--depth", "1", REPOSITORY + ".git", clone]]
    steps.append([sys.executable, "-m", "pip", "install", "--quiet", "-e", clone{extras}])
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True)
        if done.returncode != 0:
            detail = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise SystemExit(f"Installing the book's package on Colab failed at `{{' '.join(step[:4])}} ...`: {{detail}}")
    sys.path.insert(0, os.path.join(clone, "src"))
    os.environ["PFP_ROOT"] = clone
    print(f"Installed the book's package into this Colab runtime from a copy of {{REPOSITORY}} in {{clone}}.")

import paying_for_protection
from paying_for_protection import paths
from paying_for_protection.formatting import glue

glue.SHOW_VALUES = True  # print each section's numbers beside the text that quotes them
print(f"Using paying_for_protection {{paying_for_protection.__version__}} with the data in {{paths.DATA_DIR}}.")'''
    return nbformat.v4.new_code_cell(source, metadata={"tags": ["setup"]})


def _caption_cell(cell: nbformat.NotebookNode, converter: MystToMarkdown) -> nbformat.NotebookNode | None:
    figure = cell.get("metadata", {}).get("mystnb", {}).get("figure", {})
    caption = figure.get("caption")
    if not caption:
        return None
    number = converter.numbers.get(figure.get("name", ""), "Figure")
    return nbformat.v4.new_markdown_cell(f"*{number}.* {converter.convert(str(caption)).strip()}")


def reader_notebook(
    source: str, values: dict[str, str] | None = None, root: Path | None = None, site: Path | None = None
) -> nbformat.NotebookNode:
    """The chapter ``source`` as a plain notebook with the values its run printed (see module docstring)."""
    import jupytext

    root = root or paths.ROOT
    values = built_values(source, root) if values is None else values
    converter = MystToMarkdown(source, values, root, site)
    chapter = jupytext.read(root / source, fmt="md:myst")
    info = book_citation.release_info()
    cells = [
        nbformat.v4.new_markdown_cell(
            f"*A chapter of* {info['short_title']}*, version {info['version']}. Online: "
            f"<{converter.page_url(source)}>. The numbers in the text are those the book printed when it "
            "was built; run the cells from top to bottom to compute them again from the data.*"
        ),
        _setup_cell(),
    ]
    for cell in chapter.cells:
        if cell.cell_type == "markdown":
            text = converter.convert(cell.source)
            if text.strip():
                cells.append(nbformat.v4.new_markdown_cell(text))
        elif cell.cell_type == "code":
            tags = cell.get("metadata", {}).get("tags", [])
            cells.append(nbformat.v4.new_code_cell(cell.source, metadata={"tags": tags} if tags else {}))
            caption = _caption_cell(cell, converter)
            if caption is not None:
                cells.append(caption)
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{index:03d}"  # stable ids: the same chapter and values give the same bytes
    for leftover in re.finditer(
        r"\{[a-z:]+\}`", "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    ):
        raise ValueError(f"{source}: a MyST role is left in the notebook's text near {leftover.group(0)!r}")
    nbformat.validate(notebook)
    return notebook


def notebook_text(notebook: nbformat.NotebookNode) -> str:
    return nbformat.writes(notebook, version=4) + "\n"


def write_notebooks(out_dir: Path | None = None, site: Path | None = None) -> list[Path]:
    """Write every chapter's reader notebook into ``out_dir`` (default ``notebooks/``)."""
    out_dir = Path(out_dir) if out_dir else paths.ROOT / NOTEBOOK_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for source in chapter_sources():
        path = out_dir / Path(notebook_path(source)).name
        path.write_text(notebook_text(reader_notebook(source, site=site)), encoding="utf-8")
        written.append(path)
    return written


def write_site_notebooks(
    site: Path, root: Path | None = None, executed: dict[str, object] | None = None, memo: Path | None = None
) -> list[Path]:
    """Put each chapter's reader notebook where the built site offers a notebook for download.

    The theme's download button serves ``_sources/<page>.ipynb`` and the chapter's "Run this chapter"
    box a copy of ``notebooks/<chapter>.ipynb`` under ``_downloads/``: both get the same file.

    ``executed`` (chapter path -> executed notebook, from the build) saves looking each run up in
    the cache again. With a ``memo`` folder, a notebook made before from exactly the same inputs
    (:func:`_memo_key`) is reused rather than made again: most builds change one chapter at most,
    and making the five notebooks is the slowest step after Sphinx. The memo keeps only what this
    call used.
    """
    root = root or paths.ROOT
    executed = executed or {}
    labels = _labels(root)
    converter = _converter_digest() if memo is not None else ""
    written, used = [], set()
    for source in chapter_sources(root):
        run = executed.get(str(root / source))
        values = glued_text(run) if run is not None else built_values(source, root)
        text = None
        if memo is not None:
            key = _memo_key(source, values, labels, root, site, converter)
            kept = memo / f"{key}.ipynb"
            used.add(kept.name)
            if kept.is_file():
                text = kept.read_text(encoding="utf-8")
        if text is None:
            text = notebook_text(reader_notebook(source, values, root, site))
            if memo is not None:
                memo.mkdir(parents=True, exist_ok=True)
                partial = kept.with_suffix(".partial")
                partial.write_text(text, encoding="utf-8")
                os.replace(partial, kept)  # never a half-written notebook under a key
        name = Path(notebook_path(source)).name
        targets = [site / "_sources" / Path(source).with_suffix(".ipynb")]
        targets += sorted((site / "_downloads").glob(f"*/{name}"))
        for target in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            written.append(target)
    if memo is not None and memo.is_dir():
        for old in memo.iterdir():
            if old.name not in used:
                old.unlink()
    return written


def _converter_digest() -> str:
    """The code that makes a reader notebook (this package and the book's, as imported) and the
    installed packages it uses (jupytext, nbformat, pybtex among them)."""
    import hashlib

    from .fingerprint import environment_digest, file_sha256

    src = Path(__file__).resolve().parents[1]
    code = "\n".join(f"{p.relative_to(src)}:{file_sha256(p)}" for p in sorted(src.rglob("*.py")))
    return hashlib.sha256(f"{environment_digest()}\n{code}".encode()).hexdigest()


def _memo_key(source: str, values: dict[str, str], labels: dict, root: Path, site: Path, converter: str) -> str:
    """Everything a chapter's reader notebook is made from (see :func:`reader_notebook`).

    The chapter's text and the values its run printed; the bibliography and the release's metadata
    (citations, the banner); every label of the book (links); the built page (figure numbers); and
    the code that converts (``converter``, from :func:`_converter_digest`).
    """
    import hashlib
    import json

    from .fingerprint import file_sha256

    page = site / f"{Path(source).with_suffix('').as_posix()}.html"
    parts = [
        source,
        file_sha256(root / source),
        json.dumps(values, sort_keys=True),
        json.dumps(labels, sort_keys=True),
        *(file_sha256(root / name) if (root / name).is_file() else "-" for name in ("references.bib", "CITATION.cff")),
        file_sha256(page) if page.is_file() else "-",
        converter,
    ]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def main(argv: list[str] | None = None) -> int:
    """``python -m book_build.notebooks [SITE]`` writes ``notebooks/`` (figure numbers from the built
    SITE, default ``_build/html``); ``--into-site SITE`` puts the notebooks into a freshly built site."""
    argv = sys.argv[1:] if argv is None else argv
    into_site = argv[:1] == ["--into-site"]
    site = Path(argv[1] if into_site else (argv[0] if argv else paths.ROOT / "_build" / "html"))
    try:
        written = write_site_notebooks(site) if into_site else write_notebooks(site=site if site.is_dir() else None)
    except LookupError as missing:
        print(f"error: {missing}", file=sys.stderr)
        return 1
    if not into_site:
        for path in written:
            print(f"wrote {path.relative_to(paths.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
