"""The packages import each other in one direction only (docs/architecture.md): computed
from the source, so a new import that crosses a layer fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "gtmgen"

# Which top-level parts of gtmgen each part may import. ``simulate`` as a target means
# its public API only (``gtmgen.simulate`` itself, not its modules).
SHARED = {"errors", "display", "gtm"}
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "display": set(),
    "gtm": {"errors", "display"},
    "resources": set(),
    "spec": {"errors", "gtm", "platforms"},
    "platforms": {*SHARED, "spec", "resources", "generate"},
    "generate": {*SHARED, "spec", "platforms", "resources", "validate", "diff"},
    "validate": {*SHARED},
    "diff": {*SHARED},
    "sandbox": {*SHARED},
    "simulate": {*SHARED, "sandbox", "platforms", "generate", "resources", "spec"},
    "audit": {*SHARED, "platforms", "simulate"},
    "plan": {*SHARED, "platforms", "audit", "diff", "validate", "generate"},
    "cli": {
        "__init__",
        *SHARED,
        "generate",
        "validate",
        "diff",
        "simulate",
        "audit",
        "plan",
        "spec",
        "resources",
        "platforms",
    },
    "__main__": {"cli"},
    "__init__": set(),
}


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"  # "gtmgen" itself


def imports() -> dict[str, set[str]]:
    """{module: gtmgen modules it imports}, every import statement, lazy ones too."""
    trees = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        module = ".".join(relative.parts).removesuffix(".__init__")
        trees[module] = ast.parse(path.read_text(encoding="utf-8"))
    graph: dict[str, set[str]] = {}
    for module, tree in trees.items():
        targets: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module == "gtmgen" or node.module.startswith("gtmgen."):
                    for alias in node.names:  # `from gtmgen.x import y`: y may be a module
                        name = f"{node.module}.{alias.name}"
                        targets.add(name if name in trees else node.module)
            elif isinstance(node, ast.Import):
                targets |= {a.name for a in node.names if a.name.startswith("gtmgen.")}
        graph[module] = targets
    return graph


def test_every_part_is_known() -> None:
    parts = {_part(module) for module in imports()}
    assert parts <= set(ALLOWED), f"add {parts - set(ALLOWED)} to ALLOWED and the docs"


@pytest.mark.parametrize("part", sorted(ALLOWED))
def test_imports_follow_the_layers(part: str) -> None:
    wrong = []
    for module, targets in imports().items():
        if _part(module) != part:
            continue
        for target in targets:
            other = _part(target)
            if other == part:
                continue
            if other not in ALLOWED[part]:
                wrong.append(f"{module} imports {target}")
            elif other == "simulate" and target != "gtmgen.simulate" and part != "cli":
                wrong.append(f"{module} imports {target}, not simulate's public API")
    assert wrong == []


def test_no_import_cycles_between_modules() -> None:
    graph = imports()
    seen: dict[str, int] = {}  # 1 = on the current path, 2 = done
    cycles: list[str] = []

    def visit(module: str, path: list[str]) -> None:
        seen[module] = 1
        for target in sorted(graph.get(module, ())):
            target = target if target in graph else target.rsplit(".", 1)[0]
            if seen.get(target) == 1:
                cycles.append(" -> ".join([*path[path.index(target) :], target]))
            elif target in graph and target not in seen:
                visit(target, [*path, target])
        seen[module] = 2

    for module in sorted(graph):
        if module not in seen:
            visit(module, [module])
    assert cycles == []


# What a platform folder (gtmgen/platforms/<name>/) may import besides itself
# (docs/platforms.md): the shared layers and the builder's shared modules, never another
# platform nor the generic web/server builders that call it.
PLATFORM_MAY_IMPORT = (
    "gtmgen.gtm",
    "gtmgen.errors",
    "gtmgen.spec",
    "gtmgen.resources",
    "gtmgen.display",
    "gtmgen.generate.container",
    "gtmgen.generate.names",
    "gtmgen.generate.mapping",
    "gtmgen.platforms.base",
    "gtmgen.platforms.rules",
    "gtmgen.platforms.classify",
)


def test_each_platform_folder_depends_only_on_the_shared_layers() -> None:
    folders = sorted(
        p.name
        for p in (PACKAGE / "platforms").iterdir()
        if p.is_dir() and (p / "__init__.py").exists()
    )
    assert {"tiktok", "meta"} <= set(folders)
    wrong = []
    for module, targets in imports().items():
        parts = module.split(".")
        if len(parts) < 3 or parts[1] != "platforms" or parts[2] not in folders:
            continue
        own = ".".join(parts[:3])
        for target in targets:
            if target == own or target.startswith(own + "."):
                continue
            if not any(target == ok or target.startswith(ok + ".") for ok in PLATFORM_MAY_IMPORT):
                wrong.append(f"{module} imports {target}")
    assert wrong == []
