"""The built-in checks describe themselves truly: every PASS/FAIL example holds, docs agree.

Each check module's docstring has a ``Rules`` section: per rule code, its options and a PASS
and a FAIL example (a complete case file, the as-of date and any options in the example's
heading). These tests load every example as a case file, run the module's check and compare
the verdict; and they require docs/checks.md to document every rule code with the same
examples and every option.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from types import ModuleType

import attrs
import pytest

import rectflow
from rectflow._casefile.files import loads_case
from rectflow.checks import BUILTIN_CHECKS

DOCS = Path(__file__).resolve().parents[2] / "docs" / "checks.md"

_SECTION = re.compile(r"^(?P<code>[a-z]+\.[a-z-]+)\n(?P<body>(?:(?: {4}.*)?\n)+)", re.MULTILINE)
_EXAMPLE = re.compile(
    r"^ {4}(?P<verdict>PASS|FAIL) \((?P<notes>[^\n]*)\)::\n\n(?P<toml>(?:(?: {8}.*)?\n)+)",
    re.MULTILINE,
)


@attrs.frozen
class Example:
    """One PASS or FAIL example of a rule, as its module's docstring gives it."""

    module: ModuleType
    code: str
    verdict: str
    as_of: dt.date
    options: dict[str, object]
    toml: str

    @property
    def id(self) -> str:
        return f"{self.code}-{self.verdict}"


def _dedent(block: str, columns: int) -> str:
    return "\n".join(line[columns:] for line in block.splitlines()).strip() + "\n"


def _sections(module: ModuleType) -> dict[str, str]:
    doc = module.__doc__ or ""
    rules = doc[doc.index("Rules\n=====") :]
    return {m["code"]: m["body"] for m in _SECTION.finditer(rules)}


def _examples() -> list[Example]:
    found = []
    for module in BUILTIN_CHECKS:
        for code, body in _sections(module).items():
            for match in _EXAMPLE.finditer(body):
                notes = match["notes"]
                as_of = re.search(r"as of (\d{4}-\d{2}-\d{2})", notes)
                assert as_of is not None, f"{code}: an example without 'as of DATE': {notes}"
                options: dict[str, object] = {}
                for setting in re.findall(r"``(\w+ = [^`]+)``", notes):
                    options.update(tomllib.loads(setting))
                found.append(
                    Example(
                        module,
                        code,
                        match["verdict"],
                        dt.date.fromisoformat(as_of[1]),
                        options,
                        _dedent(match["toml"], 8),
                    )
                )
    return found


EXAMPLES = _examples()
RULES = {rule.code: (module, rule) for module in BUILTIN_CHECKS for rule in module.RULES}


def _run(example: Example) -> list[rectflow.Violation]:
    settings = rectflow.RuleSettings(
        options={name: rectflow.OptionSetting(value) for name, value in example.options.items()}
    )
    context = rectflow.CheckContext(
        as_of=example.as_of,
        policy=rectflow.Policy("docs", rules={example.code: settings}),
        rules={rule.code: rule for rule in example.module.RULES},
    )
    case = loads_case(example.toml, source=f"{example.id} example")
    return list(example.module.rectflow_check_case(case=case, context=context))


def test_every_rule_has_a_pass_and_a_fail_example() -> None:
    """Each rule code of each built-in module gives exactly one PASS and one FAIL example."""
    expected = sorted((code, verdict) for code in RULES for verdict in ("FAIL", "PASS"))
    actual = sorted((e.code, e.verdict) for e in EXAMPLES)
    assert expected == actual


def test_every_documented_section_names_a_declared_rule() -> None:
    """A module documents exactly the rules it declares, no more, no fewer."""
    for module in BUILTIN_CHECKS:
        expected = sorted(rule.code for rule in module.RULES)
        assert expected == sorted(_sections(module)), module.__name__


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.id)
def test_each_example_gets_the_verdict_its_heading_says(example: Example) -> None:
    """A PASS example draws no violation of its rule; a FAIL example draws at least one."""
    codes = [v.code for v in _run(example)]
    if example.verdict == "PASS":
        assert example.code not in codes
    else:
        assert example.code in codes


@pytest.mark.parametrize("code", sorted(RULES))
def test_docs_document_each_rule_with_its_options_and_examples(code: str) -> None:
    """docs/checks.md has a ``### code`` section naming every option and both examples."""
    docs = DOCS.read_text(encoding="utf-8")
    heading = f"\n### {code}\n"
    assert heading in docs
    section = docs.split(heading, 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
    _, rule = RULES[code]
    for option in attrs.fields_dict(rule.options):
        assert f"`{option}`" in section, f"{code}: option {option} undocumented"
    squashed = re.sub(r"\s+", " ", section)
    for example in (e for e in EXAMPLES if e.code == code):
        assert re.sub(r"\s+", " ", example.toml).strip() in squashed, f"{example.id} differs"
