"""The curated public API: ``rectflow.__all__`` is exactly what ``__init__`` exports, documented.

``__init__`` imports each name when it is first asked for (PEP 562); the promise is the same as
an eager one's: every name in ``__all__`` resolves, to the object type checkers are told it is;
``dir(rectflow)`` and ``from rectflow import *`` see them all; ``mypy --strict`` types a user's
code against them (``test_mypy_types_a_users_code``).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import itertools
import subprocess
import sys
import types
from pathlib import Path

import pytest

import rectflow

INIT = Path(rectflow.__file__)


def _body() -> list[ast.stmt]:
    """The statements of ``__init__``, with those under ``if TYPE_CHECKING:`` lifted to the top:
    the imports type checkers read (the interpreter imports each name on first use instead)."""
    body: list[ast.stmt] = []
    for node in ast.parse(INIT.read_text(encoding="utf-8")).body:
        if (
            isinstance(node, ast.If)
            and isinstance(node.test, ast.Name)
            and node.test.id == "TYPE_CHECKING"
        ):
            body.extend(node.body)
        else:
            body.append(node)
    return body


def imported_by_init() -> dict[str, str]:
    """Each name ``__init__`` imports from rectflow's own modules, with its module."""
    return {
        alias.asname or alias.name: node.module or ""
        for node in _body()
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("rectflow")
        for alias in node.names
    }


def exported_by_init() -> set[str]:
    """The public names ``rectflow/__init__.py`` binds from rectflow's own modules or defines.

    Imports of other packages (``importlib``, ``typing``, ``__future__``) are the file's tools,
    not the API, and so is its ``TYPE_CHECKING`` constant; ``__version__`` is the one dunder
    exported.
    """
    names = set(imported_by_init())
    for node in _body():
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Try):
            for inner in node.body:
                if isinstance(inner, ast.Assign):
                    names.update(t.id for t in inner.targets if isinstance(t, ast.Name))
    public = {n for n in names if not n.startswith("_") or n == "__version__"}
    return public - {"__all__", "TYPE_CHECKING"}


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


def test_the_names_resolve_where_the_type_checkers_are_told_they_are() -> None:
    """The interpreter's table (``_NAMES_BY_MODULE``) and the imports type checkers read name
    the same module for every public name: ``rectflow.X`` is the object a checker types."""
    assert imported_by_init() == rectflow._MODULE_OF
    for name, module in imported_by_init().items():
        assert getattr(rectflow, name) is getattr(importlib.import_module(module), name), name


def test_every_public_attribute_from_rectflow_is_exported() -> None:
    """No rectflow object reachable as ``rectflow.X`` is left out of ``__all__`` (modules aside),
    once every public name has been asked for."""
    for name in rectflow.__all__:
        getattr(rectflow, name)
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
    """Each name in ``__all__`` is an attribute."""
    missing = [name for name in rectflow.__all__ if not hasattr(rectflow, name)]
    assert missing == []


def _fresh(code: str) -> str:
    """What ``code`` prints in a fresh interpreter (nothing of rectflow imported before)."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout


def test_star_import_binds_every_public_name_in_a_fresh_interpreter() -> None:
    """``from rectflow import *`` binds every name of ``__all__``, each the object its module
    defines, though ``import rectflow`` loaded none of them."""
    code = (
        "import importlib, rectflow\n"
        "from rectflow import *\n"
        "wrong = [n for n in rectflow.__all__ if globals()[n] is not getattr("
        "importlib.import_module(rectflow._MODULE_OF[n]), n)]\n"
        "print(wrong)\n"
    )
    assert _fresh(code) == "[]\n"


def test_dir_lists_every_public_name_before_any_is_loaded() -> None:
    """``dir(rectflow)`` lists the whole API (for completion in a shell or a notebook) right
    after ``import rectflow``, as an eager ``__init__`` did."""
    code = "import rectflow\nprint(sorted(set(rectflow.__all__) - set(dir(rectflow))))\n"
    assert _fresh(code) == "[]\n"


def test_an_unknown_name_is_an_attribute_error() -> None:
    """A misspelt name fails as on any module (``hasattr`` is false, ``from rectflow import``
    raises ImportError), and the public submodules stay reachable as attributes."""
    assert not hasattr(rectflow, "load_cases")
    with pytest.raises(AttributeError, match="module 'rectflow' has no attribute 'load_cases'"):
        rectflow.load_cases  # type: ignore[attr-defined]  # noqa: B018 - the access is the test
    with pytest.raises(ImportError, match="cannot import name 'Cases'"):
        exec("from rectflow import Cases", {})  # noqa: S102 - a literal import statement
    code = "import rectflow\nprint(rectflow.errors.RectflowError, rectflow.hookspecs.hookimpl)\n"
    assert "rectflow.errors.RectflowError" in _fresh(code)


def test_importing_rectflow_imports_nothing_else() -> None:
    """``import rectflow`` loads its ``__init__`` only: no room of the library, no dependency
    (attrs, cattrs, transitions, click, jinja2, rich, babel, openpyxl, sqlalchemy …), not even
    ``typing``; each name is imported when it is first used (issue 14). What it may import is
    the import machinery the interpreter has frozen in anyway."""
    code = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "import rectflow\n"
        "print(sorted(set(sys.modules) - before))\n"
    )
    machinery = {"__future__", "importlib", "importlib._bootstrap", "importlib._bootstrap_external"}
    loaded = set(eval(_fresh(code)))  # noqa: S307 - our own printed list of names
    assert "rectflow" in loaded
    assert loaded - {"rectflow", "warnings"} <= machinery


def test_a_name_loads_its_own_room_only() -> None:
    """Asking for the case model does not load the notice parser, the renderer, the dashboard,
    the workbook, the store, the rounds or the rules."""
    code = "import sys, rectflow\nrectflow.Case\nprint(sorted(sys.modules))\n"
    loaded = set(eval(_fresh(code)))  # noqa: S307 - our own printed list of names
    heavy = {
        "jinja2",
        "rich",
        "babel",
        "openpyxl",
        "sqlalchemy",
        "pluggy",
        "rectflow._notices",
        "rectflow._dashboard",
        "rectflow._ledger_io",
        "rectflow._store",
        "rectflow._rounds",
        "rectflow._rules",
        "rectflow._casefile",
    }
    assert {m.split(".")[0] if not m.startswith("rectflow") else m for m in loaded} & heavy == set()


def test_private_modules_stay_private() -> None:
    """Public names come from ``rectflow._*`` modules or the public submodules only."""
    public_modules = {"rectflow", "rectflow.errors", "rectflow.hookspecs", "rectflow.strategies"}
    for module in {*imported_by_init().values(), *rectflow._NAMES_BY_MODULE}:
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
    return imported_by_init().get(name, "rectflow")


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


USER_CODE = """\
import datetime as dt

import rectflow
from rectflow import Case, fire, load_case

case: Case = load_case("case.toml")
event: rectflow.Event = fire(case, "start", item="1.1.1", on=dt.date(2024, 1, 1))
version: str = rectflow.__version__
reveal_type(rectflow.status)
reveal_type(rectflow.CASE_LIFECYCLE)
wrong: int = rectflow.load_case("case.toml")
rectflow.load_cases("case.toml")
"""


def test_mypy_types_a_users_code(tmp_path: Path) -> None:
    """``mypy --strict`` on a user's file sees every name with its type (the imports under
    ``TYPE_CHECKING``), and a misspelt one is an error, not ``Any`` (``__getattr__`` is hidden
    from type checkers)."""
    (tmp_path / "user.py").write_text(USER_CODE, encoding="utf-8")
    mypy = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache")]
    done = subprocess.run(
        [*mypy, "--no-error-summary", "--hide-error-context", "user.py"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
        check=False,
    )
    said = done.stdout.splitlines()
    assert said == [
        'user.py:9: note: Revealed type is "def (case: rectflow._core.model.Case, '
        'as_of: datetime.date | None =) -> rectflow._core.status.CaseStatus"',
        "user.py:10: note: Revealed type is "
        '"rectflow._core.lifecycle.Lifecycle[rectflow._core.kinds.CaseState]"',
        'user.py:11: error: Incompatible types in assignment (expression has type "Case", '
        'variable has type "int")  [assignment]',
        'user.py:12: error: Module has no attribute "load_cases"; maybe "load_case" or '
        '"loads_case"?  [attr-defined]',
    ], done.stderr
