"""Dependencies point one way: dashboards use topic modules' public names only, and grading does
not import the command line (issue 18)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "cryptocourse"
SHARED_PRIVATE = {"_validate", "_base"}   # package infrastructure, not a topic module's internals


def _private_uses(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = set()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level >= 1:
            source = (node.module or "").split(".")[-1]
            for alias in node.names:
                if node.module is None or node.level == 2 and source not in SHARED_PRIVATE:
                    modules.add(alias.asname or alias.name)
                if alias.name.startswith("_") and source not in SHARED_PRIVATE and alias.name not in SHARED_PRIVATE:
                    found.append(f"from {'.' * node.level}{node.module or ''} import {alias.name}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules \
                and node.attr.startswith("_") and not node.attr.startswith("__"):
            found.append(f"{node.value.id}.{node.attr} (line {node.lineno})")
    return found


@pytest.mark.parametrize("path", sorted((PACKAGE / "dashboards").glob("*.py")), ids=lambda p: p.name)
def test_dashboards_use_only_public_names(path):
    assert _private_uses(path) == []


def test_the_checker_finds_a_private_reach(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from .. import leverage\nfrom .arbitrage import _fixed_layout\nleverage._final_returns(1)\n")
    assert len(_private_uses(bad)) == 2


def test_no_package_module_is_too_long_to_read():
    """A maintainer reads a module whole: topic modules are split into sub-packages along their
    seams (amm/v2, v3, stableswap ...) before they pass about 1,000 lines."""
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 1_100}
    assert long == {}


def test_grading_does_not_depend_on_the_command_line():
    tree = ast.parse((PACKAGE / "exercises" / "grade.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(m and m.endswith("cli") for m in imported)


@pytest.mark.parametrize("relative", ["finance.py", "farming.py", "arbitrage"])
def test_public_functions_are_type_hinted(relative):
    """Issue 18: the modules that had no type hints have them on every public function."""
    target = PACKAGE / relative
    missing = []
    for path in ([target] if target.is_file() else sorted(target.glob("*.py"))):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                args = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
                if node.returns is None or any(a.annotation is None for a in args if a.arg not in ("self", "cls")):
                    missing.append(f"{path.name}:{node.name}")
    assert missing == []
