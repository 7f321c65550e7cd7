"""Where things live, resolved from the package itself.

Chapters execute in a working directory chosen by the build engine (and sometimes in a temporary
one), so nothing in the book may rely on a relative path such as ``../data``. Every path is
resolved from this file instead.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Where this package's source sits: the repository the code came from.
PACKAGE_ROOT = Path(__file__).resolve().parents[2]

#: The book root (the folder holding ``_config.yml`` and ``data/``). ``$PFP_ROOT`` points the
#: code at another checkout of the book, e.g. a copy a reader edits or a test builds.
ROOT = Path(os.environ.get("PFP_ROOT") or PACKAGE_ROOT).resolve()

#: The tidy tables the book reads, and their descriptor.
DATA_DIR = ROOT / "data"
DESCRIPTOR_PATH = DATA_DIR / "datapackage.json"

#: Environment variable that points the derivation at a folder of upstream files.
SOURCES_ENV_VAR = "PFP_SOURCES"


def default_sources_dir() -> Path:
    """The folder of upstream (publisher) files used by ``make data``.

    ``$PFP_SOURCES`` wins; otherwise ``../shared/sources`` next to the repository, which is
    where the project's own machines keep the publishers' files.
    """
    configured = os.environ.get(SOURCES_ENV_VAR)
    if configured:
        return Path(configured).expanduser().resolve()
    return (ROOT.parent / "shared" / "sources").resolve()


def toc_pages(root: Path | None = None) -> list[str]:
    """The pages of ``_toc.yml`` in book order (as written there, without suffixes)."""
    import yaml

    toc = yaml.safe_load(((root or ROOT) / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                pages.append(node["file"])
            for key, value in node.items():
                if key != "file":
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({k: v for k, v in toc.items() if k != "root"})
    return pages
