"""The curated public API: ``rectflow.__all__`` is exactly what ``__init__`` exports, documented."""

from __future__ import annotations

import ast
import importlib
import inspect
import itertools
import types
from pathlib import Path

import pytest

import rectflow

INIT = Path(rectflow.__file__)


def exported_by_init() -> set[str]:
    """The public names ``rectflow/__init__.py`` binds from rectflow's own modules or defines.

    Imports of other packages (``importlib.metadata``, ``__future__``) are the file's tools, not
    the API; ``__version__`` is the one dunder exported.
    """
    names: set[str] = set()
    for node in ast.parse(INIT.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("rectflow"):
            names.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Try):
            for inner in node.body:
                if isinstance(inner, ast.Assign):
                    names.update(t.id for t in inner.targets if isinstance(t, ast.Name))
    return {n for n in names if not n.startswith("_") or n == "__version__"} - {"__all__"}


def isort_style(name: str) -> tuple[int, str]:
    """ruff's RUF022 order: CONSTANTS, then Classes, then everything else, each alphabetical."""
    if len(name) > 1 and name.isupper():
        return (0, name)
    if name[0].isupper():
        return (1, name)
    return (2, name)


def test_all_is_sorted() -> None:
    """``__all__`` is kept in ruff's isort-style order, so additions are easy to review."""
    assert sorted(rectflow.__all__, key=isort_style) == rectflow.__all__


def test_all_is_exactly_what_init_exports() -> None:
    """Every public name imported or defined in ``__init__`` is in ``__all__``, and vice versa."""
    assert sorted(exported_by_init(), key=isort_style) == rectflow.__all__


def test_every_public_attribute_from_rectflow_is_exported() -> None:
    """No rectflow object reachable as ``rectflow.X`` is left out of ``__all__`` (modules aside)."""
    stray = [
        name
        for name, value in vars(rectflow).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and (getattr(value, "__module__", None) or "").startswith("rectflow")
        and name not in rectflow.__all__
    ]
    assert stray == []


def test_every_exported_name_resolves() -> None:
    """``from rectflow import *`` works: each name in ``__all__`` is an attribute."""
    missing = [name for name in rectflow.__all__ if not hasattr(rectflow, name)]
    assert missing == []


def test_private_modules_stay_private() -> None:
    """Public names come from ``rectflow._*`` modules or the public submodules only."""
    public_modules = {"rectflow", "rectflow.errors", "rectflow.hookspecs", "rectflow.strategies"}
    for node in ast.parse(INIT.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("rectflow"):
            module = node.module or ""
            assert module.startswith("rectflow._") or module in public_modules, module


def _attribute_docstring(module_name: str, name: str) -> str | None:
    """The string literal right after ``name = ...`` in the module that defines it, if any."""
    module = importlib.import_module(module_name)
    source = inspect.getsource(module)
    body = ast.parse(source).body
    for node, following in itertools.pairwise(body):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            if isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant):
                value = following.value.value
                return value if isinstance(value, str) else None
            return None
    return None


def _defining_module(name: str) -> str:
    """The module ``__init__`` imports ``name`` from."""
    for node in ast.parse(INIT.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and any(
            (a.asname or a.name) == name for a in node.names
        ):
            return node.module or "rectflow"
    return "rectflow"


@pytest.mark.parametrize("name", [n for n in rectflow.__all__ if n != "__version__"])
def test_every_public_name_has_a_docstring(name: str) -> None:
    """Classes and functions carry their own docstring; constants and aliases one after them."""
    value = getattr(rectflow, name)
    if inspect.isclass(value) or inspect.isroutine(value):
        own = value.__dict__.get("__doc__") if inspect.isclass(value) else value.__doc__
        assert (own or "").strip(), f"{name} has no docstring of its own"
    else:
        # A constant is documented by a string right after its assignment, or by its module's
        # docstring naming it as :data:`name` (as hookspecs does for ``hookimpl``).
        module_name = _defining_module(name)
        doc = _attribute_docstring(module_name, name) or ""
        module_doc = importlib.import_module(module_name).__doc__ or ""
        assert doc.strip() or f":data:`{name}`" in module_doc, (
            f"{name} needs a docstring string right after its assignment in {module_name}"
        )
