"""The research package's layers, read from its imports: dependencies run one way, and no module of
it imports the build machinery (CONTRIBUTING.md, "The layers of the code")."""

from __future__ import annotations

import ast
from pathlib import Path

from paying_for_protection import paths

PACKAGE = paths.ROOT / "src" / "paying_for_protection"

#: Each top-level module or subpackage and its layer: a module may import its own layer's modules
#: and lower layers, never a higher one nor a sibling of another name on its layer (the derivation
#: and the analysis both read data and never each other).
LAYERS = {
    "": 0,  # the package's __init__ (its version)
    "__version__": 0,
    "paths": 0,
    "panel_design": 0,
    "data": 1,
    "derive": 2,
    "analysis": 2,
    "figures": 3,
    "formatting": 4,
    "provenance": 5,
    "book_figures": 5,  # the registry of the chapters' figures: figures and phrases for their labels
}

#: What belongs to the build tooling (src/book_build) or to Sphinx and notebook execution.
BUILD_MACHINERY = {
    "book_build",
    "jupyter_book",
    "jupyter_cache",
    "myst_nb",
    "myst_parser",
    "nbclient",
    "nbformat",
    "playwright",
    "selenium",
    "sphinx",
    "sphinx_book_theme",
    "sphinxcontrib",
}


def _imports() -> list[tuple[str, str, Path]]:
    """(importing layer, imported module, file) for every import in the package."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        module = ".".join(relative.parts)
        package = module.removesuffix(".__init__") if path.name == "__init__.py" else module.rsplit(".", 1)[0]
        layer = module.split(".")[1] if module.count(".") else ""
        layer = "" if layer == "__init__" else layer
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                if node.module:
                    targets = [".".join([*base, node.module])]
                else:
                    targets = [".".join([*base, alias.name]) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                targets = [node.module or ""]
            else:
                continue
            found += [(layer, target, path) for target in targets]
    return found


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_every_import_runs_down_the_layers():
    imports = _imports()
    internal = [(src, _layer(t), path) for src, t, path in imports if t.startswith("paying_for_protection")]
    assert ("analysis", "data") in {(s, t) for s, t, _ in internal}  # the reader of imports works
    unknown = {name for s, t, _ in internal for name in (s, t) if name not in LAYERS}
    assert not unknown, f"modules with no layer in LAYERS (add them, with their place): {sorted(unknown)}"
    upward = [
        f"{path.relative_to(paths.ROOT)}: {source} imports {target}"
        for source, target, path in internal
        if source != target and (LAYERS[target] > LAYERS[source] or LAYERS[target] == LAYERS[source] != 0)
    ]
    assert not upward, "imports against the layers:\n" + "\n".join(upward)


def test_the_research_package_imports_no_build_machinery():
    offending = [
        f"{path.relative_to(paths.ROOT)}: {target}"
        for _, target, path in _imports()
        if target.split(".")[0] in BUILD_MACHINERY
    ]
    assert not offending, "the research package imports build tooling:\n" + "\n".join(offending)


def test_the_build_recognises_an_interactive_chart_by_the_class_the_research_package_writes():
    # The build keeps its own copy of the class name (importing the figure module for it would
    # import pandas and matplotlib into every build); the two must not drift apart.
    from book_build import sphinx_ext
    from paying_for_protection.figures import interactive

    assert sphinx_ext.INTERACTIVE_CLASS == interactive.CSS_CLASS
