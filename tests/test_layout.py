"""The package's shape: data flows down the layers, nothing imports upward or in a circle.

Layers, bottom up: findings; the NACHA format (ach); privacy, spreadsheet cells and the
codecs; validation; one folder per user (employer, sdu, bank), which do not import each other;
then the test helpers, the web page and the CLI on top. A new top-level module or folder must
be given a layer here.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "nacha_cs"
LAYER = {
    "findings": 0,
    "ach": 1,
    "amounts": 1,
    "privacy": 2,
    "spreadsheet": 2,
    "codecs": 3,
    "validate": 4,
    "employer": 5,
    "sdu": 5,
    "bank": 5,
    "testing": 6,
    "web": 7,
    "cli": 8,
    "__main__": 9,
}
ROOT = -1  # nacha_cs/__init__.py holds the version and imports nothing of ours


def _modules() -> dict[str, set[str]]:
    """Every module of the package and the package modules it imports, at any depth."""
    imports: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module.split(".")[0] == "nacha_cs":
                    found.add(node.module)
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name.split(".")[0] == "nacha_cs"}
        imports[name] = found
    return imports


def _layer(module: str) -> int:
    parts = module.split(".")
    return ROOT if len(parts) == 1 else LAYER[parts[1]]


def _top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_every_top_level_part_has_a_layer() -> None:
    tops = {_top(m) for m in _modules()} - {""}
    assert tops <= set(LAYER), sorted(tops - set(LAYER))


def _upward(imports: dict[str, set[str]]) -> list[str]:
    wrong = []
    for module, imported in imports.items():
        for other in sorted(imported):
            if _top(other) == _top(module):
                continue
            if _layer(other) > _layer(module) or (
                _layer(other) == _layer(module) and _top(module) != ""
            ):
                wrong.append(f"{module} imports {other}")
    return wrong


def test_nothing_imports_upward_and_users_do_not_import_each_other() -> None:
    assert _upward(_modules()) == []


def test_no_import_cycles() -> None:
    imports = _modules()
    known = set(imports)

    def resolve(name: str) -> str:
        while name not in known:  # "from nacha_cs.ach.records import X" names a module
            name = name.rsplit(".", 1)[0]
        return name

    graph = {m: {resolve(d) for d in ds} - {m} for m, ds in imports.items()}
    # A package's __init__ re-exporting its own modules is the one loop Python allows by design.
    for m in graph:
        graph[m] = {d for d in graph[m] if not (d.startswith(m + ".") and m != "nacha_cs")}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt):], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert cycles == []


def test_the_layer_check_names_an_upward_and_a_sideways_import() -> None:
    imports = {
        "nacha_cs.ach.reader": {"nacha_cs.validate.engine", "nacha_cs.ach.records"},
        "nacha_cs.sdu.remittance": {"nacha_cs.employer.plan", "nacha_cs.codecs.ded"},
        "nacha_cs.cli.validate": {"nacha_cs.sdu.remittance"},
    }
    assert _upward(imports) == [
        "nacha_cs.ach.reader imports nacha_cs.validate.engine",
        "nacha_cs.sdu.remittance imports nacha_cs.employer.plan",
    ]
