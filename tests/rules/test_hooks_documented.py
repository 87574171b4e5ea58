"""Documentation keeps up with the code: every hook, rule code and policy key is documented."""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest

import rectflow
from rectflow import hookspecs
from rectflow._rules.policy_file import CALENDAR_KEYS, OPTION_KEYS, RULE_KEYS, TOP_KEYS

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
HOOKS = [
    getattr(hookspecs, name)
    for name in hookspecs.__all__
    if name.startswith("rectflow_") and callable(getattr(hookspecs, name))
]


def signature(hook: Callable[..., Any]) -> str:
    """``name(arg: Type, ...) -> Return`` as the hook specification spells it."""
    spec = inspect.signature(hook)
    args = ", ".join(f"{p.name}: {p.annotation}" for p in spec.parameters.values())
    return f"{hook.__name__}({args}) -> {spec.return_annotation}"


def headings(path: Path) -> list[str]:
    """The Markdown headings of a file, without the hashes (code blocks skipped)."""
    return list(sections(path.read_text(encoding="utf-8")))


def defined_tests() -> set[str]:
    """The names of every test function under tests/ (read, not imported)."""
    names: set[str] = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names.update(
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
        )
    return names


def docs_text() -> str:
    """Every page under docs/."""
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(DOCS.glob("*.md")))


def sections(text: str) -> dict[str, str]:
    """Heading text -> the section under it, until the next heading of any level.

    Lines inside fenced code blocks are never headings (a TOML or Python comment starts with
    ``#`` too). Backticks around a heading are dropped.
    """
    found: dict[str, list[str]] = {}
    body: list[str] | None = None
    fenced = False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        if not fenced and line.startswith("#"):
            body = found.setdefault(line.lstrip("#").strip().strip("`"), [])
        elif body is not None:
            body.append(line)
    return {heading: "\n".join(lines) for heading, lines in found.items()}


def test_the_hook_list_is_not_empty() -> None:
    """The hookspecs module declares the hooks this test walks through."""
    assert {hook.__name__ for hook in HOOKS} >= {
        "rectflow_rules",
        "rectflow_check_case",
        "rectflow_guard_transition",
        "rectflow_calendar",
        "rectflow_policy_presets",
    }


@pytest.mark.parametrize("hook", HOOKS, ids=lambda hook: hook.__name__)
def test_every_hook_has_a_heading_with_its_exact_signature(hook: Callable[..., Any]) -> None:
    """docs/hooks.md has ``## `name(args) -> Return` `` for each hook, and an example."""
    wanted = signature(hook)
    assert wanted in headings(DOCS / "hooks.md"), f"docs/hooks.md lacks the heading `{wanted}`"
    body = sections((DOCS / "hooks.md").read_text(encoding="utf-8"))[signature(hook)]
    assert "```python" in body, f"{hook.__name__} has no example"
    assert f"def {hook.__name__}(" in body, f"the example does not implement {hook.__name__}"


@pytest.mark.parametrize("hook", HOOKS, ids=lambda hook: hook.__name__)
def test_every_hook_has_a_test_of_its_own(hook: Callable[..., Any]) -> None:
    """A test named ``test_hook_<hook name>_...`` exists somewhere under tests/."""
    prefix = f"test_hook_{hook.__name__}_"
    assert any(name.startswith(prefix) for name in defined_tests()), f"no {prefix}* test"


def test_every_hook_documented_is_a_hook() -> None:
    """No heading in docs/hooks.md names a hook that no longer exists."""
    documented = {h.strip("`").split("(")[0] for h in headings(DOCS / "hooks.md") if "(" in h}
    assert documented == {hook.__name__ for hook in HOOKS}


def builtin_rules() -> dict[str, rectflow.Rule]:
    """The rules the built-in checks declare."""
    return dict(rectflow.plugin_manager(load_entry_points=False).rules)


@pytest.mark.parametrize("code", sorted(builtin_rules()))
def test_every_builtin_rule_has_a_section_documenting_its_options(code: str) -> None:
    """A heading per rule code in docs/, and each of its options named in that section."""
    found = sections(docs_text())
    assert code in found, f"no heading for {code} in docs/"
    for field in attrs.fields(builtin_rules()[code].options):
        assert f"`{field.name}`" in found[code], f"{code}: option {field.name} undocumented"


@pytest.mark.parametrize("code", ["plugin.crashed", "plugin.conflict"])
def test_the_plugin_managers_own_codes_are_documented(code: str) -> None:
    """The violations the plugin manager itself reports are explained in the docs."""
    assert f"`{code}`" in docs_text()


@pytest.mark.parametrize("key", sorted({*TOP_KEYS, *CALENDAR_KEYS, *RULE_KEYS, *OPTION_KEYS}))
def test_every_policy_key_is_documented(key: str) -> None:
    """docs/policies.md names each key a policy file may hold, in a table row."""
    rows = [
        line
        for line in (DOCS / "policies.md").read_text(encoding="utf-8").splitlines()
        if line.startswith(f"| `{key}` |")
    ]
    assert rows, f"docs/policies.md has no row for the key {key!r}"


def test_the_plugin_walkthrough_exists_and_covers_writing_testing_installing_disabling() -> None:
    """docs/plugins.md walks through the example plugin, end to end."""
    text = (DOCS / "plugins.md").read_text(encoding="utf-8")
    for needle in (
        "[project.entry-points.rectflow]",
        "@rectflow.hookimpl",
        "pytest plugins/rectflow-example-rules/tests",
        "pip install -e plugins/rectflow-example-rules",
        "--disable example-rules",
        "RECTFLOW_DISABLE",
    ):
        assert needle in text, needle
