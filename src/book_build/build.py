"""``make book``: the whole build, in one process, one build at a time.

1. **Lock** ``_build/.lock`` (:mod:`.lock`): a second build waits, naming the first one's PID.
2. **Up to date?** The fingerprint of the inputs (:mod:`.fingerprint`) against the manifest of the
   published site, and every file of that site against its recorded hash (:mod:`.site`). When
   both match, the build returns at once.
3. **Validate** ``data/`` against its descriptor, unless the data and the validating code are
   exactly those of the last successful validation.
4. **Execute** the chapters that need it into the execution cache, several at a time
   (:mod:`.execution`; :mod:`.cache_guard` finds the stale cached runs, which stay cached until a
   new run replaces them, so a failed run loses nothing).
5. **Render** with Sphinx from the cache (:mod:`.render`): only the pages whose source or executed
   notebook changed are read again, and only the pages that show something of them are written
   again (:mod:`.sphinx_ext`); warnings are errors.
6. **Finish** the new site in a staging copy (:data:`.site.POST_RENDER_STEPS`: the commit in the
   colophons, stable notebook ids, the reader notebooks, ``numbers.json``, the PDF, the internal
   link check) and write its manifest.
7. **Publish** it by replacing the ``_build/html`` link in one atomic rename (:func:`.site.publish`).

Any failure stops the build with a message naming the file, the chapter or the page, and leaves
the published site as it was. Ctrl-C stops every running chapter and reports "interrupted".
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

from paying_for_protection import paths

from . import fingerprint, lock, site

#: Exit status of an interrupted build (as a shell reports a command stopped by Ctrl-C).
INTERRUPTED = 130


class BuildFailed(RuntimeError):
    """The build stopped; the message says where and why."""


def _say(message: str) -> None:
    print(message, flush=True)


def _validated_stamp(root: Path) -> Path:
    return root / "_build" / ".validated"


def validate(root: Path, hashes: dict[str, str]) -> None:
    """Validate data/ unless exactly these data files and validating code were validated before."""
    key = fingerprint.subset_digest(hashes, ("data/", "src/paying_for_protection/data/"))
    stamp = _validated_stamp(root)
    if stamp.is_file() and stamp.read_text(encoding="ascii").strip() == key:
        _say("data/: unchanged since its last validation")
        return
    from paying_for_protection.data.__main__ import main as validate_data

    if validate_data([]) != 0:
        raise BuildFailed("data validation failed (see the messages above); nothing was built")
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(key + "\n", encoding="ascii")


def build(root: Path | None = None, jobs: int | None = None, target: str = "book", paper: str = "a4") -> int:
    """Bring ``_build/html`` (or the PDF) up to date; return an exit status (0, 1, or 130 when interrupted)."""
    from . import execution

    root = root or paths.ROOT
    try:
        with lock.build_lock(root / "_build", command=f"make {target} (in {root})", log=_say):
            if target == "pdf":
                return _pdf_locked(root, jobs, paper)
            return _build_locked(root, jobs)
    except lock.BuildLocked as locked:
        print(f"The book was not built: {locked}.", file=sys.stderr)
        return 1
    except execution.ExecutionInterrupted as interrupted:
        print(f"The book was not built: {interrupted}. The published site is unchanged.", file=sys.stderr)
        return INTERRUPTED
    except KeyboardInterrupt:
        print("The book was not built: interrupted. The published site is unchanged.", file=sys.stderr)
        return INTERRUPTED
    except BuildFailed as failure:
        print(f"The book was not built: {failure}", file=sys.stderr)
        return 1


def _build_locked(root: Path, jobs: int | None) -> int:
    from paying_for_protection import provenance

    started = time.perf_counter()
    phases: dict[str, float] = {}
    commit = provenance.git_commit()
    inputs = fingerprint.current_inputs(root, commit)
    hashes = inputs.files
    published = site.current_site(root)
    reason = site.why_not_current(published, inputs) if published else "no site has been built yet"
    if reason is None:
        _say(f"Up to date: {site.site_link(root).relative_to(root)}/index.html (nothing changed since the last build)")
        return 0
    _say(f"Building the book: {reason}.")
    phases["check"] = time.perf_counter() - started

    validate(root, hashes)
    phases["validation"] = time.perf_counter() - started - sum(phases.values())

    from . import execution, render

    try:
        report = execution.execute_into_cache(execution.cache_dir(root), jobs, log=_say)
    except execution.ExecutionFailed as failure:
        raise BuildFailed(f"a chapter raised an error.\n\n{failure}") from None
    phases["execution"] = time.perf_counter() - started - sum(phases.values())

    result = render.render(root, "html", commit=commit, runs=report.runs)
    phases["Sphinx"] = time.perf_counter() - started - sum(phases.values())
    if not result.ok:
        problems = "\n  ".join(result.warnings[-20:]) or "(no message)"
        raise BuildFailed(
            f"Sphinx reported {len(result.warnings)} warning(s) or error(s), and warnings are errors:\n  {problems}"
        )

    # Sphinx's output stays as it is (the next build writes only the pages that change); the new
    # site is finished in a copy of it.
    staged = site.stage(result.outdir, root)
    context = site.BuildContext(root=root, commit=commit, executed_notebooks=report.notebooks, log=_say)
    try:
        site.finish(staged, context, inputs)
    except Exception as error:
        shutil.rmtree(staged, ignore_errors=True)
        render.invalidate(root, "html")  # read every page again next time, in case the cause is stale
        raise BuildFailed(f"the new site failed a check before publishing: {error}") from None

    if published is not None and (published / "numbers.json").is_file():
        shutil.copy2(published / "numbers.json", root / "_build" / "numbers-previous.json")
    site.publish(staged, root)
    phases["site"] = time.perf_counter() - started - sum(phases.values())
    detail = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in phases.items())
    _say(
        f"Built: {site.site_link(root).relative_to(root)}/index.html in {time.perf_counter() - started:.1f} s ({detail})"
    )
    return 0


PDF_NAME = "paying-for-protection.pdf"
LETTER_PDF_NAME = "paying-for-protection-letter.pdf"


def _pdf_locked(root: Path, jobs: int | None, paper: str = "a4") -> int:
    """`make pdf`: the same validation and execution, then Sphinx's LaTeX builder and latexmk."""
    import subprocess

    from paying_for_protection import provenance

    from . import execution, render

    started = time.perf_counter()
    validate(root, fingerprint.file_hashes(root))
    try:
        report = execution.execute_into_cache(execution.cache_dir(root), jobs, log=_say)
    except execution.ExecutionFailed as failure:
        raise BuildFailed(f"a chapter raised an error.\n\n{failure}") from None
    result = render.render(root, "latex", commit=provenance.git_commit(), runs=report.runs)
    if not result.ok:
        problems = "\n  ".join(result.warnings[-20:]) or "(no message)"
        raise BuildFailed(f"Sphinx's LaTeX build reported {len(result.warnings)} warning(s) or error(s):\n  {problems}")
    # Sphinx writes a Makefile next to the LaTeX sources; its all-pdf target runs latexmk with the
    # engine the configuration names (xelatex), as `jupyter-book build --builder pdflatex` does.
    latex = subprocess.run([os.environ.get("MAKE", "make"), "all-pdf"], cwd=result.outdir, check=False)
    if latex.returncode != 0:
        raise BuildFailed(f"LaTeX failed (see its log in {result.outdir.relative_to(root)})")
    pdf_dir = root / "_build" / "pdf"
    pdf_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy2(result.outdir / PDF_NAME, pdf_dir / PDF_NAME)
    built = [PDF_NAME]
    if paper == "letter":
        # The same LaTeX on US Letter: one more latexmk run on the document class's paper option.
        tex = result.outdir / PDF_NAME.replace(".pdf", ".tex")
        tex.write_text(tex.read_text(encoding="utf-8").replace("a4paper", "letterpaper", 1), encoding="utf-8")
        letter = subprocess.run(
            ["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", tex.name],
            cwd=result.outdir,
            capture_output=True,
            check=False,
        )
        if letter.returncode != 0:
            raise BuildFailed(f"LaTeX failed on US Letter (see its log in {result.outdir.relative_to(root)})")
        shutil.copy2(result.outdir / PDF_NAME, pdf_dir / LETTER_PDF_NAME)
        built.append(LETTER_PDF_NAME)
    published = site.current_site(root)
    for name in built:
        if published is not None:
            shutil.copy2(pdf_dir / name, published / name)  # offered from the site too (outside its manifest)
        _say(f"Built: {(pdf_dir / name).relative_to(root)}")
    _say(f"PDF built in {time.perf_counter() - started:.1f} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m book_build", description="Build the book (make book, make pdf).")
    parser.add_argument("command", nargs="?", default="book", choices=["book", "pdf"])
    parser.add_argument("--jobs", type=int, default=None, help="chapters executed at once (default: the cores)")
    parser.add_argument(
        "--paper", choices=["a4", "letter"], default="a4", help="pdf: letter also makes a US Letter PDF"
    )
    args = parser.parse_args(argv)
    status = build(jobs=args.jobs, target=args.command, paper=args.paper)
    # Everything is written and flushed; skip the interpreter's slow teardown of Sphinx's and the
    # kernels' objects (about a second).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    main()
