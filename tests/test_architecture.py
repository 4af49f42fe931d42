"""The house as built (docs/architecture.md): no import cycle, and imports go only the allowed
ways. Reads every module's imports with `ast`, TYPE_CHECKING ones included."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "inspector"
CORE_MAY_NOT_IMPORT = ("inspector.hooks", "inspector.ui", "inspector.commands", "inspector.cli")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, known: set[str]) -> Iterator[str]:
    """The modules of ours that a file imports, resolved to absolute names."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            names_modules = True
            for alias in node.names:  # `from . import api_requests` imports a module
                candidate = f"{source}.{alias.name}"
                if candidate in known:
                    yield candidate
                else:
                    names_modules = False
            if source in known and not names_modules:  # names defined in the module itself
                yield source


def import_graph() -> dict[str, set[str]]:
    files = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    known = set(files)
    return {name: set(imported_modules(path, known)) - {name} for name, path in files.items()}


GRAPH = import_graph()


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the list of modules along it, or None."""
    state: dict[str, int] = {}  # 1 while on the path, 2 once done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target):], target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_graph_is_read() -> None:
    assert "inspector.hooks.server" in GRAPH["inspector.commands.serve"]
    assert "inspector.models" in GRAPH["inspector.serialize"]


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle() -> None:
    assert find_cycle(GRAPH) is None


@pytest.mark.parametrize(("package", "forbidden"), [
    ("inspector.hooks", ("inspector.ui", "inspector.commands", "inspector.cli")),
    ("inspector.ui", ("inspector.hooks", "inspector.commands", "inspector.cli")),
    ("inspector.commands", ("inspector.cli",)),
])
def test_listeners_and_commands_keep_to_their_side(package: str,
                                                   forbidden: tuple[str, ...]) -> None:
    wrong = {(module, target) for module, targets in GRAPH.items() if within(module, package)
             for target in targets if any(within(target, f) for f in forbidden)}
    assert not wrong


def test_the_core_imports_no_edge() -> None:
    edges = ("inspector.hooks", "inspector.ui", "inspector.commands", "inspector.cli",
             "inspector.__main__")
    wrong = {(module, target) for module, targets in GRAPH.items()
             if not any(within(module, edge) for edge in edges)
             for target in targets if any(within(target, f) for f in CORE_MAY_NOT_IMPORT)}
    assert not wrong


def test_signatures_import_only_models() -> None:
    wrong = {(module, target) for module, targets in GRAPH.items()
             if within(module, "inspector.signatures") for target in targets
             if not within(target, "inspector.signatures") and target != "inspector.models"
             and target != "inspector"}
    assert not wrong


def test_provider_names_live_in_signatures_and_the_send_data() -> None:
    """A provider is one module of signatures/ (plus its samples and retry policy in send/):
    no other module knows a provider by name."""
    from inspector.signatures import names

    known = {name.lower() for name in names()}
    allowed = ("signatures/", "send/samples/", "send/policies.py")
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        place = path.relative_to(PACKAGE).as_posix()
        if place.startswith(allowed):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and node.value.lower() in known:
                found.append(f"{place}:{node.lineno}: {node.value!r}")
    assert not found


# Rooms held to the house's size: a module over this many lines does more than one job.
# (Pure data tables would be named here; none is this long yet.)
MAX_LINES = 400
SIZED_ROOMS = ("signatures", "send")


@pytest.mark.parametrize("room", SIZED_ROOMS)
def test_no_module_over_400_lines(room: str) -> None:
    long = {path.relative_to(PACKAGE).as_posix(): lines
            for path in sorted((PACKAGE / room).rglob("*.py"))
            if (lines := len(path.read_text().splitlines())) > MAX_LINES}
    assert not long
