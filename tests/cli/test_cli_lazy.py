"""The command line imports a command's module only when the command runs (issue 14)."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from rectflow._cli.main import COMMAND_MODULES, cli

MODULES = sorted(COMMAND_MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_the_table_lists_every_command_its_module_defines(module: str) -> None:
    """Each module's ``COMMANDS`` and the table name the same commands."""
    loaded = importlib.import_module(f"rectflow._cli.{module}")
    assert sorted(c.name or "" for c in loaded.COMMANDS) == sorted(COMMAND_MODULES[module])


@pytest.mark.parametrize("module", MODULES)
def test_the_help_in_the_table_is_the_commands_own(module: str) -> None:
    """The listing shows what the command's own help would, at every width click may use."""
    loaded = importlib.import_module(f"rectflow._cli.{module}")
    for command in loaded.COMMANDS:
        stand_in = click.Command(command.name, help=COMMAND_MODULES[module][command.name or ""])
        for width in (20, 45, 60, 120, 400):
            assert stand_in.get_short_help_str(width) == command.get_short_help_str(width)


def test_help_lists_every_command_without_importing_their_modules() -> None:
    """``rectflow --help`` names every command, and no command module is imported for it."""
    code = (
        "import sys\n"
        "from rectflow._cli.main import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('rectflow._cli.') and "
        "m.rsplit('.', 1)[-1] in " + repr(MODULES) + "))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.splitlines()[-1] == "[]"
    for names in COMMAND_MODULES.values():
        for name in names:
            assert f"\n  {name} " in done.stdout


def test_a_command_runs_once_its_module_is_loaded_on_demand() -> None:
    """Looking a command up imports its module and registers all of that module's commands."""
    result = CliRunner().invoke(cli, ["diagram", "--help"])
    assert result.exit_code == 0
    assert "Mermaid" in result.output
    assert {"status", "fire", "diagram"} <= set(cli.commands)


def test_an_unknown_command_is_refused_as_before() -> None:
    """No module is named for it: click's usual refusal, exit 2."""
    result = CliRunner().invoke(cli, ["no-such-command"])
    assert result.exit_code == 2
    assert "No such command 'no-such-command'" in result.output


def test_the_version_is_the_installed_distributions() -> None:
    """``--version`` reads the dist-info directly; importlib.metadata agrees."""
    from importlib.metadata import version

    result = CliRunner().invoke(cli, ["--version"])
    assert result.output == f"rectflow, version {version('rectflow')}\n"


# -- what a command imports (issue 14: import only what a command uses) -------------------------

EXAMPLE = (
    Path(__file__).parents[2]
    / "examples"
    / "cases"
    / "synthetic-hongqiao-first-people-hospital.toml"
)

# The modules no command below needs; they cost more to import than the command takes to run.
HEAVY = frozenset(
    {
        "jinja2",
        "rich",
        "babel",
        "openpyxl",
        "sqlalchemy",
        "alembic",
        "hypothesis",
        "secrets",  # hashlib and OpenSSL: for the name of a save's temporary file
        "rectflow._notices",  # the notice parser and renderer
        "rectflow._dashboard",
        "rectflow._ledger_io",  # the workbook
        "rectflow._store",
        "rectflow._rounds",
    }
)

MODULES_AT_EXIT = (
    "import sys\n"
    "from rectflow._cli.main import main\n"
    "try:\n"
    "    main(sys.argv[1:])\n"
    "except SystemExit:\n"
    "    pass\n"
    "print('MODULES', sorted(sys.modules))\n"
)


def modules_of(*args: str) -> set[str]:
    """The modules loaded by ``rectflow ARGS`` run to the end, output to a pipe (no terminal)."""
    done = subprocess.run(
        [sys.executable, "-c", MODULES_AT_EXIT, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
        timeout=120,
    )
    line = done.stdout.splitlines()[-1]
    assert line.startswith("MODULES "), done.stdout + done.stderr
    return set(ast.literal_eval(line.removeprefix("MODULES ")))


def loaded(modules: set[str], names: frozenset[str]) -> list[str]:
    """Which of ``names`` (packages or modules) were loaded."""
    return sorted(n for n in names if any(m == n or m.startswith(f"{n}.") for m in modules))


def test_status_imports_no_rules_plugins_or_heavy_modules() -> None:
    """``rectflow status CASE`` prints the status without loading the rules, the plugins or
    any of the heavy modules other commands use."""
    modules = modules_of("status", str(EXAMPLE))
    assert "rectflow._core.status" in modules  # the probe sees what the command loaded
    # check's: the plugins found by entry point (importlib.metadata, which brings
    # importlib.resources), the rules and the checks.
    only_others = {
        "pluggy",
        "importlib.metadata",
        "importlib.resources",
        "rectflow._rules",
        "rectflow.checks",
    }
    assert loaded(modules, HEAVY | only_others) == []


def test_check_imports_no_heavy_modules() -> None:
    """``rectflow check CASE`` loads the rules and the plugins, and none of the heavy modules."""
    modules = modules_of("check", str(EXAMPLE))
    assert "rectflow.checks.deadline" in modules
    assert loaded(modules, HEAVY) == []


def test_version_and_help_import_no_model_and_no_metadata() -> None:
    """``--version`` reads the dist-info itself, and neither it nor ``--help`` loads the model,
    attrs or ``importlib.metadata``."""
    for args in (["--version"], ["--help"]):
        modules = modules_of(*args)
        assert "click" in modules
        others = {"attrs", "importlib.metadata", "importlib.resources", "rectflow._core"}
        found = loaded(modules, HEAVY | others)
        assert found == [], args
