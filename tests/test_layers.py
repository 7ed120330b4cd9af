"""The packages import one way: cli and ui → application → reports → store → optimizer → models.

The contract is import-linter's, kept in pyproject.toml; a second check finds imports written
inside functions, which hide a cycle unless a heavy module is loaded late on purpose.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("models", "optimizer", "store", "reports", "application", "cli", "ui")

LATE_IMPORTS = {
    ("reports/charts.py", "matplotlib"): "matplotlib is slow to import and only charts need it",
    ("reports/charts.py", "matplotlib.pyplot"): "as above",
    (
        "optimizer/solve.py",
        "optimizer.phasing",
    ): "phasing builds on solve (a cycle inside the engine)",
    (
        "optimizer/solve.py",
        "optimizer.diagnose",
    ): "diagnose re-solves with solve's solver (a cycle)",
    (
        "optimizer/solver.py",
        "optimizer.highs_direct",
    ): "the HiGHS backend implements the solver interface's Backend (a cycle inside the engine)",
    (
        "reports/brief.py",
        "matplotlib",
    ): "matplotlib is slow to import and only the brief's chart needs it",
    (
        "cli/entry.py",
        "cli.main",
    ): "imported with the garbage collector paused, then frozen (about 0.2 s of every start)",
    (
        "store/store.py",
        "store.migrate",
    ): "Alembic loads only when a schema must change (store/revision.py; 0.1 s of every start)",
    ("reports/brief.py", "fpdf"): "fpdf2 (with fontTools) is slow to import; only a brief needs it",
    ("reports/brief.py", "fpdf.fonts"): "as above",
    ("models/uncertainty.py", "models.scenario"): "models.scenario imports uncertainty (a cycle)",
    (
        "optimizer/sweep.py",
        "distributed",
    ): "Dask's distributed is slow to import; sweeps in this process do not need it",
    ("optimizer/sweep.py", "optimizer.sweep_worker"): "it imports distributed (as above)",
    ("optimizer/sweep.py", "dask"): "loaded with distributed (as above)",
}
"""Imports allowed inside functions, with the reason."""


def test_no_package_imports_a_layer_above_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert lint_imports(no_cache=True, no_logo=True) == 0, "see the broken contract above"


def _late_imports(path: Path) -> list[tuple[str, int]]:
    """(module, line) of every import inside a function of the file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import):
                    found += [(alias.name, inner.lineno) for alias in inner.names]
                elif isinstance(inner, ast.ImportFrom) and inner.level == 0 and inner.module:
                    found.append((inner.module, inner.lineno))
    return found


def test_imports_sit_at_the_top_of_modules_unless_loaded_late_on_purpose() -> None:
    late = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        for module, line in _late_imports(path)
        if (path.relative_to(ROOT).as_posix(), module) not in LATE_IMPORTS
    ]
    assert not late, "\n".join(late)


def test_the_late_import_list_names_only_imports_that_exist() -> None:
    present = {
        (path.relative_to(ROOT).as_posix(), module)
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        for module, _ in _late_imports(path)
    }
    assert set(LATE_IMPORTS) <= present, set(LATE_IMPORTS) - present
