"""Render the book with Sphinx, in this process, keeping Sphinx's environment between builds.

Jupyter Book's ``jupyter-book build`` starts a process, reads its configuration and runs Sphinx.
The build does the same here, through Jupyter Book's own configuration reader, so that validation,
execution and rendering share one process start-up, and so that the book's Sphinx extension
(:mod:`book_build.sphinx_ext`) is loaded alongside Jupyter Book's.

What is kept, and why it stays correct (``_build/.sphinx/<builder>/``):

* ``doctrees/`` is Sphinx's environment: an edit re-reads only the pages it touches. A page whose
  source did not change but whose executed notebook did (new data) is re-read too (the extension
  compares each page's cached run with the one it was read from). The environment is wiped after
  any build that did not finish cleanly (a warning, an error, Ctrl-C, a kill) and whenever the
  installed packages or the build tooling's code changed, so a warning can never hide in a page
  that is not read again.
* ``jupyter_execute/`` holds what myst-nb extracted from the notebooks (figures, glue values);
  it belongs with the environment and is wiped with it.
* ``out/`` (HTML) keeps the pages of the last build: Sphinx writes again the pages it read again,
  and the book's extension adds every page that shows something of those (or empties the folder
  and writes every page when anything reaching across pages changed; see
  :mod:`book_build.sphinx_ext`). The build copies ``out/`` into a staging folder before finishing
  it, so ``out/`` itself only ever holds what Sphinx wrote. It is emptied with the environment
  (and for the LaTeX builder, which writes every page anyway, on every build).
"""

from __future__ import annotations

import io
import json
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from paying_for_protection import paths

EXTENSION = "book_build.sphinx_ext"


@dataclass
class RenderResult:
    builder: str
    outdir: Path
    status: int
    warnings: list[str] = field(default_factory=list)
    fresh: bool = False  # whether Sphinx started from an empty environment

    @property
    def ok(self) -> bool:
        return self.status == 0


def work_dir(root: Path, builder: str) -> Path:
    return root / "_build" / ".sphinx" / builder


class _Tee(io.TextIOBase):
    """Sphinx's warning stream: shown as it comes and kept for the summary."""

    def __init__(self, target) -> None:
        self.target = target
        self.kept = io.StringIO()

    def write(self, text: str) -> int:
        self.kept.write(text)
        if self.target is not None:
            self.target.write(text)
        return len(text)

    def flush(self) -> None:
        if self.target is not None:
            self.target.flush()


def _state(work: Path) -> dict:
    try:
        return json.loads((work / "state.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _set_state(work: Path, **state: str) -> None:
    work.mkdir(parents=True, exist_ok=True)
    (work / "state.json").write_text(json.dumps(state, sort_keys=True) + "\n", encoding="utf-8")


def invalidate(root: Path, builder: str) -> None:
    """Make the next build start Sphinx from an empty environment."""
    _set_state(work_dir(root, builder), status="invalidated")


def _environment_key(root: Path) -> str:
    """What Sphinx's pickled environment and kept output depend on beyond the sources: the installed
    packages, the build tooling's own code (its Sphinx extensions among it) and the book's static
    files (which every page loads, with a checksum of each, and which no page's source names)."""
    import hashlib

    from .fingerprint import environment_digest, file_sha256

    tooling = " ".join(file_sha256(path) for path in sorted(Path(__file__).parent.glob("*.py")))
    static = " ".join(
        f"{path.relative_to(root).as_posix()}:{file_sha256(path)}"
        for path in sorted((root / "_static").rglob("*"))
        if path.is_file()
    )
    return hashlib.sha256(f"{environment_digest()} {tooling} {static}".encode()).hexdigest()


def sphinx_config(root: Path, builder: str, overrides: dict) -> tuple[dict, dict]:
    """The Sphinx configuration Jupyter Book makes of ``_config.yml`` and ``_toc.yml``, plus ours."""
    from jupyter_book.config import get_final_config

    cli = {
        "external_toc_path": (root / "_toc.yml").as_posix(),
        "nitpicky": True,  # -n: every unresolved reference is a warning
        "latex_individualpages": False,
    }
    config, meta = get_final_config(user_yaml=root / "_config.yml", cli_config=cli, sourcedir=root)
    if EXTENSION not in config["extensions"]:
        config["extensions"] = [*config["extensions"], EXTENSION]
    config.update(overrides)
    return config, meta


def render(
    root: Path | None = None,
    builder: str = "html",
    *,
    commit: str = "",
    runs: dict[str, float] | None = None,
    status=sys.stdout,
    warning=sys.stderr,
) -> RenderResult:
    """Render the book into ``_build/.sphinx/<builder>/out``; warnings are errors.

    ``commit`` is written into every colophon; ``runs`` maps each notebook chapter's path to the
    creation time of the cached run to render (from :mod:`book_build.execution`).
    """
    from jupyter_book.pdf import update_latex_documents
    from sphinx.application import Sphinx
    from sphinx.util.console import nocolor
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    if not getattr(status, "isatty", lambda: False)():
        nocolor()  # plain text in logs and CI, as sphinx-build does when not writing to a terminal

    root = root or paths.ROOT
    work = work_dir(root, builder)
    outdir, doctrees, extracted = work / "out", work / "doctrees", work / "jupyter_execute"
    key = _environment_key(root)
    state = _state(work)
    fresh = state.get("status") != "ok" or state.get("environment") != key
    if fresh:
        shutil.rmtree(doctrees, ignore_errors=True)
        shutil.rmtree(extracted, ignore_errors=True)
    if fresh or builder != "html":
        shutil.rmtree(outdir, ignore_errors=True)
    _set_state(work, status="rendering", environment=key)

    config, meta = sphinx_config(root, builder, {"pfp_build_commit": commit, "pfp_cache_runs": dict(runs or {})})
    warnings = _Tee(warning)
    status_code = 1
    try:
        with patch_docutils(str(root)), docutils_namespace():
            app = Sphinx(
                srcdir=str(root),
                confdir=None,
                outdir=str(outdir),
                doctreedir=str(doctrees),
                buildername=builder,
                confoverrides=config,
                status=status,
                warning=warnings,
                freshenv=fresh,
                warningiserror=True,
                keep_going=True,
                parallel=1,
            )
            if builder == "latex":
                app.config.latex_documents = update_latex_documents(
                    app.config.latex_documents, meta["latex_doc_overrides"]
                )
            app.build(force_all=False)
            status_code = app.statuscode
    except Exception as error:  # Sphinx reports its own errors as exceptions (SphinxError and others)
        warnings.write(f"{type(error).__name__}: {error}\n")
        status_code = 1
    finally:
        if status_code == 0:
            _set_state(work, status="ok", environment=key)
    lines = [line for line in warnings.kept.getvalue().splitlines() if line.strip()]
    return RenderResult(builder, outdir, status_code, lines, fresh)
