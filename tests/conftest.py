"""Shared fixtures: the book built once per test session, and scratch copies of data/."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from paying_for_protection import paths
from paying_for_protection.derive.inputs import UPSTREAM_FILES

ROOT = paths.ROOT
BIN = Path(sys.executable).parent


def sources_available() -> bool:
    sources = paths.default_sources_dir()
    return all((sources / f.relpath).is_file() for f in UPSTREAM_FILES.values())


needs_sources = pytest.mark.skipif(not sources_available(), reason="upstream files not found (../shared/sources or $PFP_SOURCES)")


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A scratch copy of data/ that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, target)
    return target


@pytest.fixture(scope="session")
def built_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the whole book with a fresh execution cache, as CI does; return the HTML folder.

    The build uses the book's own _config.yml with only the cache moved into the temporary
    folder, so every chapter executes and warnings fail the build exactly as in `make book`.
    """
    out = tmp_path_factory.mktemp("book")
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["execute"]["cache"] = str(out / "jupyter_cache")
    config_path = out / "_config.yml"
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    result = subprocess.run(
        [str(BIN / "jupyter-book"), "build", str(ROOT), "--path-output", str(out), "--config", str(config_path), "--all", "-n", "-W", "--keep-going"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    log = result.stdout + result.stderr
    (out / "build.log").write_text(log, encoding="utf-8")
    if result.returncode != 0:
        pytest.fail(f"the book did not build (exit {result.returncode}); last lines of the log:\n" + "\n".join(log.splitlines()[-60:]))
    return out / "_build" / "html"
