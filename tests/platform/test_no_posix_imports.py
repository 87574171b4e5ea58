"""rectflow runs where POSIX-only modules do not exist (Windows): nothing imports them at import
time, and the whole load → fire → save → load path, the CLI, the store, the testing kit and the
plugins work without them."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]

# Modules Windows does not have (the standard library's "Availability: Unix" ones rectflow
# might reach for). ``posix`` itself is not listed: on Linux ``os`` is built on it.
POSIX_ONLY = frozenset(
    {"crypt", "fcntl", "grp", "nis", "pty", "pwd", "resource", "spwd", "syslog", "termios", "tty"}
)

WITHOUT_POSIX = textwrap.dedent(
    """
    import importlib.abc
    import sys

    BLOCKED = frozenset(sys.argv[1].split(","))


    class Windows(importlib.abc.MetaPathFinder):
        '''Refuses the POSIX-only modules, as a Windows Python does.'''

        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None


    for name in BLOCKED:
        sys.modules.pop(name, None)
    sys.meta_path.insert(0, Windows())

    import datetime as dt
    import os
    from pathlib import Path

    import rectflow
    import rectflow.errors
    import rectflow.hookspecs
    import rectflow.store
    import rectflow.strategies
    from rectflow._cli.main import main
    from rectflow._testing import hypothesis_hook, pytest_plugin
    import rectflow_cn_workdays
    import rectflow_example_rules
    import rectflow_notify_email

    folder = Path(sys.argv[2])
    on = dt.date(2021, 5, 1)
    measures = [rectflow.Measure("1.1.1"), rectflow.Measure("1.1.2")]
    case = rectflow.Case(
        "c1",
        categories=[rectflow.Category("1", problems=[rectflow.Problem("1.1", measures=measures)])],
    )
    path = folder / "整改 台账.toml"
    rectflow.save_case(case, path)
    loaded = rectflow.load_case(path)
    rectflow.fire(loaded, "start", item="1.1.1", on=on)
    rectflow.save_case(loaded, path)
    again = rectflow.load_case(path)
    assert [e.trigger for e in again.events] == ["start"], again.events
    assert again.version == 2
    assert sorted(p.name for p in folder.iterdir()) == ["整改 台账.toml"], list(folder.iterdir())

    # the plugins, found by entry point, check the case
    plugins = rectflow.plugin_manager()
    assert {"cn-workdays", "example-rules", "notify-email"} <= set(plugins.names()), plugins.names()
    rectflow.check(again, policy="xuncha", as_of=on, plugins=plugins)

    # the store (SQLite)
    store = rectflow.store.open(f"sqlite:///{(folder / '台账 库.db').as_posix()}")
    store.init()
    store.add(again)
    store.fire("c1", "start", item="1.1.2", on=on)
    assert [e.trigger for e in store.get("c1").events] == ["start", "start"]

    # the hypothesis hook and the strategies
    hypothesis_hook._hypothesis_setup_hook()
    from hypothesis import given, settings

    @settings(max_examples=3, database=None)
    @given(rectflow.strategies.cases())
    def loads_back(drawn):
        assert rectflow.loads_case(rectflow.dumps_case(drawn)) == drawn

    loads_back()

    # the CLI, through its entry point: fire (which saves under the lock), then status
    for args in (
        ["fire", str(path), "complete", "--item", "1.1.1", "--on", "2021-05-02"],
        ["status", str(path), "--as-of", "2021-05-02", "--lang", "zh"],
    ):
        try:
            code = main(args)
        except SystemExit as done:
            code = done.code
        assert code in (0, None), (args, code)
    assert rectflow.load_case(path).version == 3

    found = sorted(BLOCKED & {name.partition(".")[0] for name in sys.modules})
    assert not found, found
    print("ok")
    """
)


@pytest.mark.slow
def test_rectflow_its_cli_store_testing_kit_and_plugins_work_without_posix_modules(
    tmp_path: Path,
) -> None:
    """With fcntl, pwd, grp, termios, resource, … unimportable, as on Windows: import, load,
    fire, save, load, check with the plugins, the SQLite store, the hypothesis hook and the
    CLI all work, and none of those modules was imported."""
    folder = tmp_path / "巡察 整改"
    folder.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_POSIX, ",".join(sorted(POSIX_ONLY)), str(folder)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines()[-1] == "ok"


def test_importing_rectflow_or_its_cli_does_not_import_fcntl() -> None:
    """``import rectflow`` (and the CLI, and the hypothesis hook) in a fresh interpreter leaves
    fcntl and the other POSIX-only modules unimported; filelock waits for the first save.

    (``rectflow.store`` and the pytest plugin bring Alembic and pytest, which import fcntl or
    termios where they exist and do without them elsewhere, as the test above shows.)
    """
    modules = "rectflow, rectflow._cli.main, rectflow._testing.hypothesis_hook"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import sys, {modules}; print(sorted(set({sorted(POSIX_ONLY)!r}) & set(sys.modules)))",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout == "[]\n"


# -- the AST check -----------------------------------------------------------------------------


def top_level_posix_imports(source: str) -> list[tuple[int, str]]:
    """The POSIX-only modules ``source`` imports outside any function or class (at import time),
    with their lines; an import under ``if sys.platform …``/``try`` at module level counts too."""
    found = []
    for node in _module_level(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [(node.lineno, n) for n in names if n.partition(".")[0] in POSIX_ONLY]
    return found


def _module_level(tree: ast.Module) -> list[ast.stmt]:
    """The statements run at import: the module's, and those inside its if/try/with/match
    blocks and class bodies (a class body runs when the module is imported; a function's
    body does not)."""
    out: list[ast.stmt] = []
    todo: list[ast.stmt] = list(tree.body)
    while todo:
        node = todo.pop()
        out.append(node)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for field in ("body", "orelse", "finalbody"):
            todo += getattr(node, field, [])
        todo += [stmt for handler in getattr(node, "handlers", []) for stmt in handler.body]
        todo += [stmt for case in getattr(node, "cases", []) for stmt in case.body]
    return out


def python_files() -> list[Path]:
    """Every module of rectflow and its plugins."""
    return sorted([*(ROOT / "src").rglob("*.py"), *(ROOT / "plugins").glob("*/src/**/*.py")])


def test_no_module_of_rectflow_or_its_plugins_imports_a_posix_only_module_at_import_time() -> None:
    """An AST scan of src/ and plugins/*/src: a new top-level ``import fcntl`` (or pwd, grp,
    termios, resource, …) fails here, naming the file and line."""
    files = python_files()
    assert len(files) > 50
    found = [
        f"{path.relative_to(ROOT)}:{line}: import {name}"
        for path in files
        for line, name in top_level_posix_imports(path.read_text(encoding="utf-8"))
    ]
    assert found == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import fcntl\n", [(1, "fcntl")]),
        ("import os, pwd as p\n", [(1, "pwd")]),
        ("from grp import getgrnam\n", [(1, "grp")]),
        ("try:\n    import termios\nexcept ImportError:\n    pass\n", [(2, "termios")]),
        ("import sys\nif sys.platform != 'win32':\n    import resource\n", [(3, "resource")]),
        ("def f():\n    import fcntl\n", []),
        ("class C:\n    import pwd\n", [(2, "pwd")]),
        ("class C:\n    def f(self):\n        import pwd\n", []),
        ("import sys\nmatch sys.platform:\n    case 'linux':\n        import grp\n", [(4, "grp")]),
        ("import fcntlish\nfrom . import fcntl\n", []),
    ],
)
def test_the_ast_check_finds_module_level_posix_imports_and_only_those(
    source: str, expected: list[tuple[int, str]]
) -> None:
    """Module level (also under if/try/match and in a class body, which runs at import) is
    found; inside a function or method, a relative import or a look-alike name is not."""
    assert top_level_posix_imports(source) == expected
