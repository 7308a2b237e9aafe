"""Imports point down only: nothing in the library imports the faces (cli, service)."""

import ast
from pathlib import Path

import stalwart

SRC = Path(stalwart.__file__).parent
FACES = {"cli", "service"}
# lower layers must not import higher ones (DESIGN.md section 2)
LAYERS = [
    {"data", "models", "metrics", "stats", "engines"},
    {"drift", "novelty", "estimation", "quality", "perturb", "uncertainty", "explain",
     "fairness", "privacy", "slicing"},
    {"checks", "reports", "card"},
    {"monitoring", "store", "rca", "lifecycle"},
    {"cli", "service", "demo"},
]


def _layer(package: str) -> int | None:
    for i, layer in enumerate(LAYERS):
        if package in layer:
            return i
    return None


def _imports(path: Path) -> set[str]:
    """Top-level stalwart subpackages imported by a module (absolute or relative)."""
    tree = ast.parse(path.read_text())
    rel = path.relative_to(SRC).parts
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module and node.module.startswith("stalwart."):
                found.add(node.module.split(".")[1])
            elif node.level > 0:
                base = list(rel[:-1])[: len(rel) - node.level]
                parts = base + (node.module.split(".") if node.module else [])
                if parts:
                    found.add(parts[0])
                else:
                    found.update(a.name for a in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("stalwart."):
                    found.add(alias.name.split(".")[1])
    return found


def test_library_never_imports_faces():
    offenders = []
    for path in SRC.rglob("*.py"):
        top = path.relative_to(SRC).parts[0]
        if top in FACES or top == "__init__.py":
            continue
        bad = _imports(path) & FACES
        if bad:
            offenders.append(f"{path.relative_to(SRC)} imports {sorted(bad)}")
    assert offenders == []


def test_layers_import_down_only():
    offenders = []
    for path in SRC.rglob("*.py"):
        top = path.relative_to(SRC).parts[0]
        own = _layer(top)
        if own is None:
            continue
        for imported in _imports(path):
            other = _layer(imported)
            if other is not None and other > own:
                offenders.append(f"{path.relative_to(SRC)} (layer {own}) imports {imported} "
                                 f"(layer {other})")
    assert offenders == []
