"""The layers of docs/architecture.md: each package imports only from the layers below it.

``cli`` → analyses (reproduce, calibration, sweep, fit, model_eis, plotting, explore)
→ ``simulation`` → ``parameters`` → ``model``; ``data`` (file I/O) and ``ecm``
(circuits) stand beside and import nothing of the model (``data`` reads spectra through
``ecm``); ``errors`` and ``textfiles`` (decoding text files) are imported by all.
Checked on the source (imports anywhere in a
module, including inside functions).
"""

import ast
from pathlib import Path

import pytest

import assb_model

ROOT = Path(assb_model.__file__).parent

#: Layer of each top-level module or package, lowest first.
LAYERS = {
    "errors": 0,
    "textfiles": 0,
    "data": 2,
    "model": 1,
    "parameters": 2,
    "simulation": 3,
    "ecm": 1,
    "plotting": 4,
    "model_eis": 4,
    "sweep": 4,
    "fit": 5,
    "calibration": 5,
    "uq": 5,
    "reproduce": 6,
    "explore": 6,
    "cli": 7,
}
#: Modules a layer may import although they are not below it (none today).
ALLOWED: set[tuple[str, str]] = set()


def _unit(module_path: Path) -> str:
    rel = module_path.relative_to(ROOT)
    return rel.parts[0].removesuffix(".py")


def _imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (a.name for a in node.names)


SOURCES = [p for p in ROOT.rglob("*.py") if _unit(p) in LAYERS]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_go_down_the_layers(path):
    own = _unit(path)
    for module in _imports(path):
        if not module.startswith("assb_model."):
            continue
        other = module.split(".")[1]
        if other == own or other not in LAYERS:
            continue
        assert LAYERS[other] < LAYERS[own] or (own, other) in ALLOWED, (
            f"{path.relative_to(ROOT)} imports {module}: layer {own} ({LAYERS[own]}) may "
            f"not import layer {other} ({LAYERS[other]})"
        )


def test_every_package_has_a_layer():
    units = {_unit(p) for p in ROOT.rglob("*.py")} - {"__init__", "__main__"}
    assert units <= set(LAYERS), units - set(LAYERS)


def test_the_file_readers_do_not_need_the_model():
    for path in (ROOT / "data").glob("*.py"):
        for module in _imports(path):
            assert not module.startswith(("pybamm", "assb_model.model", "assb_model.sim")), (
                path.name,
                module,
            )
