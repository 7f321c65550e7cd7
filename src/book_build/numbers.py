"""Every number the book prints, listed: ``numbers.json``, and which printed numbers changed.

The build reads every glued value from the chapters' executed notebooks (a glue output carries
``metadata.scrapbook.name``; the book's ``formatting.glue`` helper adds the number behind a phrase,
its unit and its source under ``metadata["paying-for-protection/number"]``) and writes them into
the site as ``numbers.json``: for each value, the page that computed it, its key, the text it
prints as, the pages that print it (a page may paste another page's value with ``path::key``), and
its unit, source and underlying number where the chapter gave them.

``make numbers-diff`` compares two such lists, so that a changelog entry or a citation can say
which numbers changed "as of version X"::

    python -m book_build.numbers diff                     # the previous build against the last one
    python -m book_build.numbers diff OLD [NEW]           # NEW defaults to the last build

OLD and NEW are each a ``numbers.json`` file, a built site folder, or a git revision (a tag such
as ``v1.0.0``, a branch, a commit): a revision is checked out into a temporary worktree and its
chapters are executed with this environment to list its numbers (nothing is rendered).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from paying_for_protection import paths

NUMBERS_NAME = "numbers.json"
GLUE_PREFIX = "application/papermill.record/"
NUMBER_METADATA_KEY = "paying-for-protection/number"

#: ``{glue}`` / ``{glue:any}`` / ``{glue:text}`` / ``{glue:md}`` roles, and glue directives.
_ROLE = re.compile(r"\{glue(?::(any|text|md)?)?\}`([^`]+)`")
_DIRECTIVE = re.compile(r"^\s*(?:`{3,}|:{3,})\{glue(?::(any|text|md|figure|math)?)?\}\s+(\S+)", re.M)


def _page(path: Path, root: Path) -> str:
    return path.resolve().relative_to(root.resolve()).with_suffix("").as_posix()


def glued_values(notebook: Any) -> dict[str, dict[str, Any]]:
    """Each glued key of an executed notebook: its MIME data (prefix removed) and number metadata."""
    found = {}
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            metadata = output.get("metadata", {})
            name = metadata.get("scrapbook", {}).get("name")
            if not name:
                continue
            data = {mime.removeprefix(GLUE_PREFIX): value for mime, value in output.get("data", {}).items()}
            data = {mime: "".join(value) if isinstance(value, list) else value for mime, value in data.items()}
            found[name] = {"data": data, "number": metadata.get(NUMBER_METADATA_KEY) or {}}
    return found


@dataclass(frozen=True)
class Use:
    page: str  # where it is printed
    source_page: str  # the page that glued it
    key: str
    kind: str  # text, md or any
    fmt_spec: str


def uses(source: str, page: str) -> list[Use]:
    """Where a page's MyST source prints glued values (roles and directives), as myst-nb parses them."""
    found = []
    for kind, content in _ROLE.findall(source):
        kind = kind or "any"
        fmt_spec = "s" if kind == "text" else ""
        if kind in {"text", "md"}:
            parts = content.rsplit(":", 1)
            if len(parts) == 2:
                content, fmt_spec = parts
        doc, _, key = content.rpartition("::")
        source_page = Path(doc).with_suffix("").as_posix() if doc else page
        found.append(Use(page, source_page, key, kind, fmt_spec if kind == "text" else ""))
    for kind, key in _DIRECTIVE.findall(source):
        doc, _, key = key.rpartition("::")
        found.append(Use(page, Path(doc).with_suffix("").as_posix() if doc else page, key, kind or "any", ""))
    return found


def printed_text(data: dict[str, Any], use: Use | None) -> str | None:
    """The text a value prints as (through a role's format spec when given); None for a figure."""
    from myst_nb.core.variables import format_plain_text

    if use is not None and use.kind == "md" and "text/markdown" in data:
        return data["text/markdown"]
    if "text/plain" in data and not any(m.startswith("image/") for m in data):
        try:
            return format_plain_text(data["text/plain"], use.fmt_spec if use else "")
        except (ValueError, TypeError):
            return data["text/plain"]
    if "text/markdown" in data:
        return data["text/markdown"]
    return None


def _book_version(root: Path) -> str:
    import yaml

    try:
        return str(yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8")).get("version", ""))
    except (OSError, AttributeError, yaml.YAMLError):
        return ""


def collect(root: Path | None, notebooks: dict[str, Any], commit: str = "") -> dict[str, Any]:
    """The book's numbers from its executed notebooks (chapter path -> notebook), in book order."""
    root = root or paths.ROOT
    order = {page: index for index, page in enumerate(paths.toc_pages(root))}
    values = {_page(Path(path), root): glued_values(nb) for path, nb in notebooks.items()}
    printed_on: dict[tuple[str, str], list[dict[str, str]]] = {}
    for page in order:
        source = root / (page if Path(page).suffix else f"{page}.md")
        if not source.is_file():
            continue
        for use in uses(source.read_text(encoding="utf-8"), page):
            data = values.get(use.source_page, {}).get(use.key, {}).get("data")
            if data is not None:
                printed_on.setdefault((use.source_page, use.key), []).append(
                    {"page": use.page, "text": printed_text(data, use)}
                )
    entries = []
    for page in sorted(values, key=lambda p: (order.get(p, len(order)), p)):
        for key, value in sorted(values[page].items()):
            text = printed_text(value["data"], None)
            if text is None:
                continue  # a figure: not a number
            entry = {"page": page, "key": key, "value": text}
            for field in ("unit", "source", "value"):
                if value["number"].get(field) not in (None, ""):
                    entry["number" if field == "value" else field] = value["number"][field]
            shown = printed_on.get((page, key), [])
            entry["printed_on"] = sorted({(u["page"], u["text"]) for u in shown}, key=lambda u: order.get(u[0], 0))
            entry["printed_on"] = [{"page": p, "text": t} for p, t in entry["printed_on"]]
            entries.append(entry)
    return {"book": {"version": _book_version(root), "commit": commit}, "numbers": entries}


def write_numbers(site: Path, numbers: dict[str, Any]) -> Path:
    path = site / NUMBERS_NAME
    path.write_text(json.dumps(numbers, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


# --- comparing two lists -----------------------------------------------------------------------------


@dataclass
class Change:
    ident: str  # page::key
    old: str | None
    new: str | None


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Values that changed, appeared or disappeared, by page and key."""
    before = {f"{n['page']}::{n['key']}": n["value"] for n in old.get("numbers", [])}
    after = {f"{n['page']}::{n['key']}": n["value"] for n in new.get("numbers", [])}
    changes = []
    for ident in list(before) + [i for i in after if i not in before]:
        if before.get(ident) != after.get(ident):
            changes.append(Change(ident, before.get(ident), after.get(ident)))
    return changes


def _label(numbers: dict[str, Any], fallback: str) -> str:
    book = numbers.get("book", {})
    parts = [
        f"version {book['version']}" if book.get("version") else "",
        f"commit {book['commit']}" if book.get("commit") else "",
    ]
    text = ", ".join(p for p in parts if p)
    return f"{fallback} ({text})" if text else fallback


def format_diff(old: dict[str, Any], new: dict[str, Any], old_name: str, new_name: str) -> str:
    changes = diff(old, new)
    head = f"Printed numbers, {_label(old, old_name)} -> {_label(new, new_name)}:"
    if not changes:
        return f"{head} no printed number changed ({len(new.get('numbers', []))} compared)."
    lines = [f"{head} {len(changes)} changed."]
    for change in changes:
        if change.old is None:
            lines.append(f"  + {change.ident}: {change.new}")
        elif change.new is None:
            lines.append(f"  - {change.ident}: {change.old}")
        else:
            lines.append(f"  ~ {change.ident}: {change.old} -> {change.new}")
    return "\n".join(lines)


def previous_numbers_path(root: Path) -> Path:
    """Where a build keeps the numbers of the site it replaced."""
    return root / "_build" / "numbers-previous.json"


def numbers_of_revision(revision: str, root: Path, log=print) -> dict[str, Any]:
    """The numbers of a git revision: its chapters executed, with this environment, in a worktree."""

    from . import execution

    commit = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--verify", "--short=12", f"{revision}^{{commit}}"],
        capture_output=True,
        text=True,
        check=False,
    )
    if commit.returncode != 0:
        raise LookupError(f"{revision!r} is not a numbers.json file, a built site or a git revision")
    workdir = Path(tempfile.mkdtemp(prefix="pfp-numbers-"))
    tree = workdir / "book"
    try:
        subprocess.run(
            ["git", "-C", str(root), "worktree", "add", "--detach", "--quiet", str(tree), commit.stdout.strip()],
            check=True,
        )
        log(f"executing the chapters of {revision} ({commit.stdout.strip()}) to list its numbers")
        with _book_at(tree):
            report = execution.execute_into_cache(tree / "_build" / ".jupyter_cache", log=log)
            return collect(tree, report.notebooks, commit.stdout.strip())
    finally:
        subprocess.run(["git", "-C", str(root), "worktree", "remove", "--force", str(tree)], check=False)
        shutil.rmtree(workdir, ignore_errors=True)


class _book_at:
    """Point the package (and the kernels) at another checkout of the book for a while."""

    def __init__(self, tree: Path) -> None:
        self.tree = tree

    def __enter__(self) -> None:
        import os

        self.saved = {k: os.environ.get(k) for k in ("PFP_ROOT", "PYTHONPATH")}
        self.root = paths.ROOT
        os.environ["PFP_ROOT"] = str(self.tree)
        os.environ["PYTHONPATH"] = str(self.tree / "src") + (
            os.pathsep + self.saved["PYTHONPATH"] if self.saved["PYTHONPATH"] else ""
        )
        paths.ROOT = self.tree

    def __exit__(self, *exc: object) -> None:
        import os

        paths.ROOT = self.root
        for key, value in self.saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def load(spec: str, root: Path | None = None, log=print) -> tuple[dict[str, Any], str]:
    """Numbers from a numbers.json file, a built site folder or a git revision; with a name for them."""
    root = root or paths.ROOT
    path = Path(spec)
    if path.is_dir():
        path = path / NUMBERS_NAME
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8")), str(spec)
    return numbers_of_revision(spec, root, log), spec


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Compare the numbers two builds or versions of the book print.")
    parser.add_argument("command", choices=["diff"])
    parser.add_argument(
        "old", nargs="?", help="numbers.json, a site folder or a git revision (default: the previous build)"
    )
    parser.add_argument("new", nargs="?", help="the same (default: the last build, _build/html)")
    args = parser.parse_args(argv)
    root = paths.ROOT
    site = root / "_build" / "html"
    try:
        if args.old is None:
            previous = previous_numbers_path(root)
            if not previous.is_file():
                print(
                    "error: no previous build to compare with; give a version: make numbers-diff FROM=v1.0.0",
                    file=sys.stderr,
                )
                return 2
            old, old_name = json.loads(previous.read_text(encoding="utf-8")), "the previous build"
        else:
            old, old_name = load(args.old, root, log=lambda m: print(m, file=sys.stderr))
        if args.new is None:
            if not (site / NUMBERS_NAME).is_file():
                print("error: no built book to compare with; run `make book` first", file=sys.stderr)
                return 2
            new, new_name = json.loads((site / NUMBERS_NAME).read_text(encoding="utf-8")), "the last build"
        else:
            new, new_name = load(args.new, root, log=lambda m: print(m, file=sys.stderr))
    except (LookupError, subprocess.CalledProcessError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(format_diff(old, new, old_name, new_name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
