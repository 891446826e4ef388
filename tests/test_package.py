"""The package's exports are functions, whatever was imported before; its layers import only
the layers above them (ARCHITECTURE.md)."""

import ast
import importlib
import pkgutil
from pathlib import Path

import zhenhai_analysis as za

PACKAGE = Path(za.__file__).parent
# ARCHITECTURE.md's layers, top first. The extraction assistant (extract/) reads documents
# with foundations and validation, beside analysis.
LAYERS = ["foundations", "validation", "analysis", "presentation", "pipeline"]
RANK = {**{layer: i for i, layer in enumerate(LAYERS)}, "extract": LAYERS.index("analysis")}


def test_no_module_shadows_an_export():
    modules = {m.name for m in pkgutil.walk_packages(za.__path__, "zhenhai_analysis.")
               if not m.name.endswith(".__main__")}  # a __main__ runs its command
    assert {name.rpartition(".")[2] for name in modules}.isdisjoint(za.__all__)
    for name in modules:
        importlib.import_module(name)
    assert callable(za.forecast) and callable(za.gap_analysis) and callable(za.load_indicators)


def test_every_module_sits_in_a_layer_folder():
    loose = sorted(p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py")
    assert loose == [], f"modules outside the layer folders: {loose}"
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()} == set(RANK)


def _imported_layers(text: str, folders: tuple[str, ...]) -> set[str]:
    """The layer folders that module text imports, for a module in `folders` of the package."""
    found = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = list(folders[: len(folders) - node.level + 1]) + (node.module.split(".") if node.module else [])
            found |= {base[0]} if base else {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("zhenhai_analysis."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("zhenhai_analysis.")}
    return found & set(RANK)


def _wrong_imports(folder: str, others: set[str]) -> list[str]:
    return [other for other in sorted(others)
            if RANK[other] > RANK[folder] or (other != folder and {other, folder} == {"extract", "analysis"})]


def test_layers_import_only_the_layers_above_them():
    wrong = []
    for path in PACKAGE.rglob("*.py"):
        folders = path.relative_to(PACKAGE).parts[:-1]
        if not folders:
            continue  # the package's __init__ wires the layers together
        for other in _wrong_imports(folders[0], _imported_layers(path.read_text(), folders)):
            wrong.append(f"{path.relative_to(PACKAGE)} imports {other}")
    assert wrong == []


def test_the_layer_check_sees_a_wrong_import():
    text = "from .vocab import LANGS\n\ndef f():\n    from ..validation.load import load_indicators\n"
    assert _imported_layers(text, ("foundations",)) == {"foundations", "validation"}
    assert _wrong_imports("foundations", {"foundations", "validation"}) == ["validation"]
    assert _imported_layers("from .. import analysis\n", ("pipeline",)) == {"analysis"}
    assert _imported_layers("import zhenhai_analysis.pipeline.cli\n", ("extract",)) == {"pipeline"}
    assert _wrong_imports("extract", {"analysis"}) == ["analysis"]
