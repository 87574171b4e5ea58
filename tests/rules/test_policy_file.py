"""Policy files: the TOML layout, strict loading with places, dumping, and the round-trip."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rectflow
from rectflow import Duration, Level, OptionSetting, Policy, RuleSettings, Source
from rectflow._rules.policy_file import init_policy_text
from rectflow.errors import PolicyError


@attrs.frozen
class ReportOptions:
    """Options of the test report rule.

    Attributes:
        within: the report is due this long after feedback.
        strict: whether fuzzy dates count against the case.
    """

    within: Duration = attrs.field(default=Duration(2, rectflow.Unit.MONTHS))
    strict: bool = False
    grace: int = 0
    label: str = "report"
    channels: tuple[str, ...] = ("phone", "email")
    longest: Duration | None = None


@attrs.frozen
class EmptyOptions:
    """No options."""


RULES = {
    "test.report": rectflow.Rule("test.report", Level.ERROR, ReportOptions, "report in time"),
    "test.other-thing": rectflow.Rule("test.other-thing", Level.INFO, EmptyOptions, "other"),
}

GOOD = """\
schema = 1
name = "county"
description = "A county's regime."

[calendar]
name = "cn"
unknown_years = "weekdays"

[rules."test.report"]
enabled = true
level = "warning"
basis = "county rule 3"
source = "practice"

[rules."test.report".options]
within = { value = "3 months", basis = "定远县 巡察整改 制度", source = "practice" }
strict = true
channels = ["phone"]
"""


def _load(text: str, source: str = "county.toml") -> Policy:
    return rectflow.loads_policy(text, source=source, rules=RULES)


def _error(text: str) -> PolicyError:
    with pytest.raises(PolicyError) as raised:
        _load(text)
    return raised.value


def test_a_policy_file_reads_into_a_policy_with_every_setting() -> None:
    """Top keys, the calendar, a rule's settings, a bare option and a cited one."""
    expected = Policy(
        "county",
        "A county's regime.",
        rectflow.CalendarSettings("cn", "weekdays"),
        {
            "test.report": RuleSettings(
                enabled=True,
                level=Level.WARNING,
                basis="county rule 3",
                source=Source.PRACTICE,
                options={
                    "within": OptionSetting("3 months", "定远县 巡察整改 制度", Source.PRACTICE),
                    "strict": OptionSetting(True),
                    "channels": OptionSetting(["phone"]),
                },
            )
        },
    )
    assert expected == _load(GOOD)


def test_defaults_fill_what_a_minimal_file_leaves_out() -> None:
    """Only schema and name are required; the calendar is weekdays, unknown years an error."""
    assert Policy("tiny") == _load('schema = 1\nname = "tiny"\n')


def test_dumping_writes_the_layout_loading_reads() -> None:
    """The dump of the loaded example loads back to the same policy."""
    policy = _load(GOOD)
    text = rectflow.dumps_policy(policy)
    assert '[rules."test.report".options]' in text
    assert (
        'within = { value = "3 months", basis = "定远县 巡察整改 制度", source = "practice" }'
        in (text)
    )
    assert policy == _load(text)


def test_an_option_given_as_a_duration_is_kept_in_its_toml_form() -> None:
    """A policy built in code with a Duration equals the same policy read from TOML."""
    built = Policy(
        "p",
        rules={
            "test.report": RuleSettings(
                options={"within": OptionSetting(Duration.parse("3 months"))}
            )
        },
    )
    assert built.rules["test.report"].options["within"].value == "3 months"
    assert built == _load(rectflow.dumps_policy(built))


# -- strictness ---------------------------------------------------------------------------------


def test_an_unknown_top_level_key_lists_the_known_ones_with_its_line() -> None:
    """A typo at the top names the key, the line, and every key that is allowed."""
    error = _error(GOOD.replace("description", "descripton"))
    assert (error.source, error.key_path, error.line) == ("county.toml", "descripton", 3)
    assert error.fix == "use one of: schema, name, description, calendar, rules, escalation"


def test_an_unknown_calendar_key_is_an_error_at_its_line() -> None:
    """[calendar] takes name and unknown_years only."""
    error = _error(GOOD.replace("unknown_years", "unknown_year"))
    assert (error.key_path, error.line) == ("calendar.unknown_year", 7)
    assert "name, unknown_years" in error.fix


def test_unknown_years_must_be_error_or_weekdays() -> None:
    """Anything else is refused with the two choices."""
    error = _error(GOOD.replace('unknown_years = "weekdays"', 'unknown_years = "guess"'))
    assert (error.key_path, error.line) == ("calendar.unknown_years", 7)
    assert error.fix == "use one of: error, weekdays"


def test_an_unknown_rule_code_suggests_the_nearest_known_one() -> None:
    """A misspelt code gets a did-you-mean and the list of known codes."""
    error = _error(GOOD.replace("test.report", "test.reprot"))
    assert (error.key_path, error.line) == ('rules."test.reprot"', 9)
    assert "did you mean 'test.report'?" in error.fix
    assert "test.other-thing, test.report" in error.fix


def test_an_unknown_rule_key_lists_the_known_ones() -> None:
    """A rule table takes enabled, level, basis, source and options."""
    error = _error(GOOD.replace("enabled = true", "enable = true"))
    assert (error.key_path, error.line) == ('rules."test.report".enable', 10)
    assert error.fix == "use one of: enabled, level, basis, source, options"


def test_an_unknown_option_lists_the_rules_options() -> None:
    """An option the rule's options class does not have is refused, naming the known ones."""
    error = _error(GOOD.replace("strict = true", "strickt = true"))
    assert (error.key_path, error.line) == ('rules."test.report".options.strickt', 17)
    assert "channels, grace, label, longest, strict, within" in error.fix


def test_an_option_of_the_wrong_type_names_the_option_and_the_expected_form() -> None:
    """`strict = "yes"` is not a boolean, and no string is quietly taken for one."""
    error = _error(GOOD.replace("strict = true", 'strict = "yes"'))
    assert (error.key_path, error.line) == ('rules."test.report".options.strict', 17)
    assert error.fix == "write true or false"


def test_an_unreadable_period_in_an_inline_option_table_is_found_on_its_line() -> None:
    """A bad period inside `{ value = ... }` is reported at that line with the period forms."""
    error = _error(GOOD.replace('"3 months"', '"3 fortnights"'))
    assert (error.key_path, error.line) == ('rules."test.report".options.within', 16)
    assert '"2 months"' in error.fix


def test_an_option_table_needs_a_value_and_knows_only_value_basis_source() -> None:
    """`{ basis = ... }` without a value, or with an unknown key, is refused."""
    missing = _error(GOOD.replace('value = "3 months", ', ""))
    assert "has no 'value'" in missing.reason
    unknown = _error(GOOD.replace('source = "practice" }', 'source = "practice", unit = "m" }'))
    assert unknown.key_path == 'rules."test.report".options.within.unit'
    assert unknown.fix == "use one of: value, basis, source"


def test_level_and_source_accept_only_their_words() -> None:
    """level is error|warning|info; source is rule|practice."""
    level = _error(GOOD.replace('level = "warning"', 'level = "fatal"'))
    assert (level.key_path, level.line) == ('rules."test.report".level', 11)
    assert level.fix == "use one of: error, warning, info"
    source = _error(GOOD.replace('source = "practice"\n', 'source = "law"\n'))
    assert source.fix == "use one of: rule, practice"


def test_schema_and_name_are_required_and_the_schema_must_be_1() -> None:
    """The version of the layout and a name come first."""
    assert "'schema' is missing" in _error(GOOD.replace("schema = 1\n", "")).reason
    assert "'name' is missing" in _error(GOOD.replace('name = "county"\n', "")).reason
    future = _error(GOOD.replace("schema = 1", "schema = 2"))
    assert (future.key_path, future.line) == ("schema", 1)


def test_a_toml_syntax_error_names_its_line() -> None:
    """Broken TOML is a PolicyError with the parser's line."""
    error = _error(GOOD.replace("strict = true", "strict = "))
    assert error.line == 17
    assert "not valid TOML" in error.reason


def test_a_wrongly_typed_value_names_the_expected_type() -> None:
    """`enabled = "yes"` must be true or false; `[calendar] name = 3` a string."""
    assert (
        _error(GOOD.replace("enabled = true", 'enabled = "yes"')).fix == "write true or false here"
    )
    assert _error(GOOD.replace('name = "cn"', "name = 3")).fix == "write a string here"


def test_load_policy_reads_a_file_and_names_it_in_errors(tmp_path: Path) -> None:
    """The path is the error's source."""
    path = tmp_path / "county.toml"
    path.write_text(GOOD, encoding="utf-8")
    assert _load(GOOD) == rectflow.load_policy(path, rules=RULES)
    path.write_text(GOOD.replace("strict = true", "strict = 1"), encoding="utf-8")
    with pytest.raises(PolicyError) as raised:
        rectflow.load_policy(path, rules=RULES)
    assert str(raised.value).startswith(f"{path}:17: ")


def test_a_missing_policy_file_is_a_policy_error(tmp_path: Path) -> None:
    """Nothing to read is the user's mistake, said plainly."""
    with pytest.raises(PolicyError, match="can't read the file"):
        rectflow.load_policy(tmp_path / "absent.toml", rules=RULES)


def test_a_policy_built_in_code_is_validated_before_a_check() -> None:
    """check() refuses a policy naming a rule no plugin declares."""
    manager = rectflow.plugin_manager(builtins=lambda: (), load_entry_points=False)
    policy = Policy("p", rules={"deadline.reprot": RuleSettings()})
    with pytest.raises(PolicyError, match=r"unknown rule 'deadline.reprot'"):
        rectflow.check(
            rectflow.Case(id="c"), policy=policy, as_of=dt.date(2024, 1, 1), plugins=manager
        )


# -- policy init ----------------------------------------------------------------------------------


def test_init_writes_every_rule_and_option_with_comments_and_loads_back() -> None:
    """The complete policy spells out levels and default options, and documents each option."""
    text = init_policy_text(None, RULES, name="mine", calendars=("cn", "weekdays"))
    assert "# within: the report is due this long after feedback; a period: " in text
    assert "# name: the working-day calendar (cn, weekdays)" in text
    assert "# longest = (not set)" in text
    spelled = Policy(
        "mine",
        rules={
            "test.report": RuleSettings(
                level=Level.ERROR,
                options={
                    "within": OptionSetting("2 months"),
                    "strict": OptionSetting(False),
                    "grace": OptionSetting(0),
                    "label": OptionSetting("report"),
                    "channels": OptionSetting(["phone", "email"]),
                },
            ),
            "test.other-thing": RuleSettings(level=Level.INFO),
        },
    )
    assert spelled == _load(text)


def test_init_from_a_policy_keeps_its_settings_and_citations() -> None:
    """Starting from a policy keeps its calendar, its levels and its cited options."""
    base = _load(GOOD)
    loaded = _load(init_policy_text(base, RULES, name="mine"))
    assert base.calendar == loaded.calendar
    assert base.description == loaded.description
    assert (
        base.rules["test.report"].options["within"] == loaded.rules["test.report"].options["within"]
    )
    assert loaded.rules["test.report"].level == Level.WARNING


# -- the round-trip -------------------------------------------------------------------------------

_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)
_SOURCES = st.none() | st.sampled_from(Source)
_PERIODS = st.builds(
    lambda n, unit: str(Duration(n, unit)), st.integers(0, 400), st.sampled_from(rectflow.Unit)
)
_OPTION_VALUES = {
    "within": _PERIODS,
    "strict": st.booleans(),
    "grace": st.integers(-(2**63), 2**63 - 1),
    "label": _TEXT,
    "channels": st.lists(_TEXT, max_size=3),
    "longest": _PERIODS,
}


@st.composite
def policies(draw: st.DrawFn) -> Policy:
    """Policies valid against RULES, with every kind of setting and citation."""
    rules: dict[str, RuleSettings] = {}
    for code in draw(st.lists(st.sampled_from(sorted(RULES)), unique=True)):
        names = draw(st.lists(st.sampled_from(sorted(_OPTION_VALUES)), unique=True))
        options = {}
        if code == "test.report":
            options = {
                name: OptionSetting(
                    draw(_OPTION_VALUES[name]), draw(st.none() | _TEXT), draw(_SOURCES)
                )
                for name in names
            }
        rules[code] = RuleSettings(
            enabled=draw(st.booleans()),
            level=draw(st.none() | st.sampled_from(Level)),
            basis=draw(st.none() | _TEXT),
            source=draw(_SOURCES),
            options=options,
        )
    return Policy(
        draw(_TEXT.filter(str.strip)),
        draw(_TEXT),
        rectflow.CalendarSettings(draw(_TEXT), draw(st.sampled_from(["error", "weekdays"]))),
        rules,
    )


@given(policies())
def test_loading_a_dumped_policy_gives_the_same_policy(policy: Policy) -> None:
    """load(dump(p)) == p, for every kind of value, citation and text."""
    text = rectflow.dumps_policy(policy)
    tomllib.loads(text)  # valid TOML on its own
    assert policy == _load(text)


@given(policies())
def test_init_text_of_any_policy_loads_back_with_its_settings(policy: Policy) -> None:
    """The commented complete policy keeps every setting the policy made."""
    loaded = _load(init_policy_text(policy, RULES, name="x"))
    for code, settings in policy.rules.items():
        assert settings.options.items() <= loaded.rules[code].options.items()
        assert (settings.enabled, settings.basis, settings.source) == (
            loaded.rules[code].enabled,
            loaded.rules[code].basis,
            loaded.rules[code].source,
        )
