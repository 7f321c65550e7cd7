"""Where a chapter's notebook lives and how to open it online (Binder, Colab), all derived from
the one repository setting in ``_config.yml``."""

from __future__ import annotations

from pathlib import Path

from .. import paths
from ..data import validation
from .tables import Markdown

NOTEBOOK_DIR = "notebooks"


def repository() -> dict[str, str]:
    """The one repository setting (``_config.yml``), which every launch link derives from."""
    import yaml

    config = yaml.safe_load(validation.read_input_text(paths.ROOT / "_config.yml"))
    url = config["repository"]["url"].rstrip("/")
    owner, name = url.split("/")[-2:]
    return {"url": url, "owner": owner, "name": name, "branch": config["repository"].get("branch", "main")}


def notebook_path(source: str) -> str:
    return f"{NOTEBOOK_DIR}/{Path(source).stem}.ipynb"


def binder_url(source: str) -> str:
    repo = repository()
    return f"https://mybinder.org/v2/gh/{repo['owner']}/{repo['name']}/{repo['branch']}?urlpath=lab/tree/{notebook_path(source)}"


def colab_url(source: str) -> str:
    repo = repository()
    return f"https://colab.research.google.com/github/{repo['owner']}/{repo['name']}/blob/{repo['branch']}/{notebook_path(source)}"


def launch_links(source: str) -> Markdown:
    """Binder and Colab links for a chapter's notebook, from the one repository setting."""
    return Markdown(
        f"[Open on Binder]({binder_url(source)}) · [Open in Colab]({colab_url(source)}) · "
        f"or, in a clone of the repository, `make book` and open `{notebook_path(source)}`."
    )
