"""The package's shape: data flows one way between the stage packages, with no import
cycle between modules, counting imports inside functions too."""

from __future__ import annotations

import ast
from pathlib import Path

import cvbuild

SRC = Path(cvbuild.__file__).resolve().parent

# Lower layers never import higher ones; packages on one layer do not import each other
# unless listed in SIDEWAYS.
LAYERS: dict[str, int] = {
    "errors": 0, "paths": 0, "cache": 0,
    "text": 1,
    "source": 2,
    "engine": 3,
    "render": 4,
    "pipeline": 5,
    "verify": 6, "interop": 6,
    "cli": 7,
}
# cache asks paths where the built-in themes are (both standard library only)
SIDEWAYS: set[tuple[str, str]] = {("cache", "paths")}


def _module(path: Path) -> str:
    rel = path.relative_to(SRC).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(("cvbuild", *parts))


def _imports(path: Path) -> set[str]:
    """Every cvbuild module a file imports, wherever the import statement stands."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "cvbuild" or node.module.startswith("cvbuild."):
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    found.add(sub if (SRC / Path(*sub.split(".")[1:])).exists()
                              or (SRC / Path(*sub.split(".")[1:])).with_suffix(".py").exists()
                              else node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("cvbuild."))
    return found


def _graph() -> dict[str, set[str]]:
    return {_module(p): _imports(p) for p in SRC.rglob("*.py")}


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_every_package_has_a_layer():
    packages = {_package(m) for m in _graph()} - {"", "__main__"}
    assert packages <= set(LAYERS), packages - set(LAYERS)


def test_no_import_goes_up_or_sideways():
    wrong = []
    for module, imported in _graph().items():
        here = _package(module)
        if here in ("", "__main__"):
            continue  # the public API and `python -m cvbuild` stand above every layer
        for other in imported:
            there = _package(other)
            if there == here or (here, there) in SIDEWAYS:
                continue
            if there == "" or LAYERS[there] >= LAYERS[here]:
                wrong.append(f"{module} imports {other}")
    assert not wrong, "\n".join(sorted(wrong))


def test_no_import_cycle():
    graph = _graph()
    for module in graph:  # only edges to modules, not to packages' __init__ re-exports
        graph[module] = {m for m in graph[module] if m in graph and m != module}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                cycles.append(stack[stack.index(n):] + [n])
            elif n not in state:
                visit(n)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles)
