"""The package's layout keeps its promises: arrows only run down, no circles.

The folders follow the data (README "How it is built"): the shared vocabulary
at the ground, then reading and the engine, stage chains, training and
checking, pictures, grading, showing, and the command line on top. This test
reads every ``import`` of the package with ``ast`` (imports inside functions
too, since a lazy import is still an arrow) and fails on an arrow that points
up or sideways, on an import circle, on click outside ``cli/`` and on rich
outside ``show/``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "cnncalc"

# The floor of each top-level part of the package: a module may import its own
# folder and any part on a lower floor, nothing else.
FLOORS = {
    "errors": 0,
    "messages": 0,
    "numfmt": 0,
    "formats": 0,
    "colors": 0,
    "writing": 0,
    "read": 1,
    "engine": 1,
    "net": 2,
    "train": 3,
    "check": 3,
    "draw": 4,
    "grade": 5,
    "show": 6,
    "cli": 7,
}
GROUND = {name for name, floor in FLOORS.items() if floor == 0}
# The package's own entry points: the lazy Python API and ``python -m cnncalc``.
ENTRY_POINTS = {"cnncalc", "cnncalc.__main__"}
ONLY_USERS = {"click": "cli", "rich": "show"}


def module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(source: str, name: str, is_package: bool) -> set[str]:
    """Every module ``source`` imports, absolute, with ``from X import m`` resolved to ``X.m``."""
    found: set[str] = set()
    package = name if is_package else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def package_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """Module name -> the package's own modules it imports (resolved to real modules)."""
    files = {module_name(p, root): p for p in root.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        raw = imports_of(path.read_text(encoding="utf-8"), name, path.name == "__init__.py")
        graph[name] = {m for m in raw if m in files and m != name}
        graph[name].discard("cnncalc")  # `from cnncalc import __version__` names no stage
    return graph


def third_party(root: Path = PACKAGE) -> dict[str, set[str]]:
    """Module name -> top-level names of the outside packages it imports."""
    result = {}
    for path in root.rglob("*.py"):
        name = module_name(path, root)
        raw = imports_of(path.read_text(encoding="utf-8"), name, path.name == "__init__.py")
        result[name] = {m.split(".")[0] for m in raw}
    return result


def part(module: str) -> str:
    """``cnncalc.check.compare`` -> ``check``."""
    return module.split(".")[1]


def upward_arrows(graph: dict[str, set[str]]) -> list[str]:
    wrong = []
    for source, targets in sorted(graph.items()):
        if source in ENTRY_POINTS:
            continue
        for target in sorted(targets):
            s, t = part(source), part(target)
            if s == t or (s in GROUND and t in GROUND):
                continue
            if FLOORS[t] >= FLOORS[s]:
                wrong.append(f"{source} -> {target} ({s} is on floor {FLOORS[s]}, {t} on {FLOORS[t]})")
    return wrong


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_every_part_has_a_floor():
    parts = {part(m) for m in package_graph() if m not in ENTRY_POINTS}
    assert parts <= set(FLOORS), parts - set(FLOORS)


def test_arrows_only_run_down():
    assert upward_arrows(package_graph()) == []


def test_no_import_circles():
    graph = {m: t for m, t in package_graph().items() if m not in ENTRY_POINTS}
    assert circles(graph) == []


@pytest.mark.parametrize("library", sorted(ONLY_USERS))
def test_only_one_part_imports(library):
    owner = ONLY_USERS[library]
    users = sorted(m for m, libs in third_party().items() if library in libs and part(m) != owner)
    assert users == []


def test_engine_and_checking_stay_below_their_users():
    """The issue's own words, apart from the floors: what the engine and checking never import."""
    graph = package_graph()
    forbidden = {
        "engine": {"read", "net", "train", "check", "grade", "draw", "show", "cli"},
        "check": {"grade", "draw", "show", "cli"},
    }
    wrong = [
        f"{s} -> {t}"
        for s, targets in graph.items()
        if s not in ENTRY_POINTS
        for t in targets
        if part(t) in forbidden.get(part(s), ())
    ]
    assert wrong == []


def test_no_module_over_500_lines():
    long = {
        module_name(p): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert long == {}


# ---- the checks themselves catch what they should (a planted package in tmp_path)


def plant(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "cnncalc"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_a_planted_upward_import_is_caught(tmp_path):
    root = plant(
        tmp_path,
        {
            "__init__.py": "",
            "engine/__init__.py": "",
            "engine/ops.py": "def f():\n    from cnncalc.check import compare\n",
            "check/__init__.py": "",
            "check/compare.py": "from cnncalc.engine import ops\n",
        },
    )
    graph = package_graph(root)
    assert upward_arrows(graph) == [
        "cnncalc.engine.ops -> cnncalc.check (engine is on floor 1, check on 3)",
        "cnncalc.engine.ops -> cnncalc.check.compare (engine is on floor 1, check on 3)",
    ]
    assert circles(graph) == [["cnncalc.check.compare", "cnncalc.engine.ops"]]


def test_a_planted_rich_import_outside_show_is_caught(tmp_path):
    root = plant(tmp_path, {"__init__.py": "", "grade/__init__.py": "", "grade/x.py": "import rich.table\n"})
    assert {m for m, libs in third_party(root).items() if "rich" in libs} == {"cnncalc.grade.x"}


def test_relative_imports_are_resolved():
    assert imports_of("from ..engine import ops", "cnncalc.check.compare", False) >= {
        "cnncalc.engine",
        "cnncalc.engine.ops",
    }
    assert imports_of("from . import scan", "cnncalc.read", True) >= {"cnncalc.read.scan"}
