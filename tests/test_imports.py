"""The import graph: no cycles, and data flowing one way (DESIGN.md section 7).

Every ``import`` in every module counts, wherever it stands: inside a function
or under ``if TYPE_CHECKING:`` too, since either is a dependency a reader and a
refactoring have to follow.
"""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "journeysim"
DOWNSTREAM_OF_SIM = ("analysis", "runs", "present", "cli", "workshop")
DOWNSTREAM_OF_CONFIG = ("sim", "analysis", "runs", "present", "cli", "workshop")


def _module_name(path: Path) -> str:
    parts = ["journeysim", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The journeysim modules ``name`` imports (``from a import b``: a.b if a module, else a)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {target for target in found if target in known and target != name}


def import_graph() -> dict[str, set[str]]:
    """Each journeysim module and the journeysim modules it imports."""
    modules = _modules()
    return {name: _imports(name, path, set(modules)) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while not group or group[-1] != node:
                group.append(stack.pop())
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def _inside(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _reaching(sources: tuple[str, ...], forbidden: tuple[str, ...]) -> list[str]:
    graph = import_graph()
    banned = tuple(f"journeysim.{name}" for name in forbidden)
    return sorted(f"{module} imports {target}" for module, targets in graph.items()
                  for target in targets
                  if any(_inside(module, s) for s in sources)
                  and any(_inside(target, b) for b in banned))


def test_the_cycle_finder_finds_a_cycle_and_nothing_else():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]


def test_the_graph_counts_type_checking_and_relative_imports(tmp_path):
    module = tmp_path / "b.py"
    module.write_text("from typing import TYPE_CHECKING\nfrom . import c\nfrom ..x import y\n\n"
                      "if TYPE_CHECKING:\n    from p.t import u\n\n"
                      "def f():\n    import d.e\n")
    known = {"p.q.c", "p.x", "d.e", "p.t"}
    assert _imports("p.q.b", module, known) == known


def test_no_import_cycle_anywhere():
    assert not cycles(import_graph()), f"import cycles: {cycles(import_graph())}"


def test_the_model_imports_nothing_downstream():
    leaks = _reaching(("journeysim.sim",), DOWNSTREAM_OF_SIM)
    assert not leaks, "the model reaches downstream:\n" + "\n".join(leaks)


def test_vocabulary_and_config_import_nothing_downstream():
    leaks = _reaching(("journeysim.vocabulary", "journeysim.config"), DOWNSTREAM_OF_CONFIG)
    assert not leaks, "vocabulary or config reaches downstream:\n" + "\n".join(leaks)
