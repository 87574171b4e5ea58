"""Policies for property tests: the strategies behind ``rectflow.strategies.policies()`` and
``durations()``.

:func:`policies` draws valid :class:`rectflow.Policy` values for a set of rules (the built-in
checks' by default), reading each rule's options class to draw values of the right type: periods,
booleans, numbers, text, the words of a ``Literal``, lists of them. Re-exported by
:mod:`rectflow.strategies`.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, get_args, get_origin

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from rectflow._core.report import Level
from rectflow._rules.calendar import Duration, Unit
from rectflow._rules.plugins import Plugins
from rectflow._rules.policy import CalendarSettings, Policy, build_options
from rectflow._rules.rules import OptionSetting, Rule, RuleSettings, Source
from rectflow._testing.drawing import (
    _BOOL,
    _TEXT,
    _check,
    _check_size,
    _maybe,
    _pick,
    _some,
)
from rectflow.errors import PolicyError

__all__ = ["builtin_rules", "durations", "policies"]

# The largest amount drawn per unit: long enough for every regime the presets encode.
_MOST = {Unit.DAYS: 400, Unit.WORKING_DAYS: 120, Unit.MONTHS: 24}
_POLICY_NAMES = ("my-policy", "市委巡察", "county-xuncha", "hospital")


def builtin_rules() -> dict[str, Rule]:
    """The rules of rectflow's built-in checks, by code."""
    from rectflow.checks import BUILTIN_CHECKS  # noqa: PLC0415 - the checks load on first use

    return {rule.code: rule for module in BUILTIN_CHECKS for rule in module.RULES}


# -- policies ---------------------------------------------------------------------------------


def durations(
    *, units: Sequence[Unit | str] = tuple(Unit), max_amount: int | None = None
) -> st.SearchStrategy[Duration]:
    """Periods (``30 days``, ``15 working days``, ``2 months``), shrinking to ``0 days``.

    Args:
        units: the units to draw from.
        max_amount: the largest amount (default: 400 days, 120 working days, 24 months).
    """
    try:
        chosen = tuple(dict.fromkeys(Unit(u) for u in units))
    except ValueError:
        raise InvalidArgument(
            f"units={units!r}: each must be one of {', '.join(u.value for u in Unit)}"
        ) from None
    _check(bool(chosen), "units must name at least one unit")
    _check(max_amount is None or max_amount >= 0, f"max_amount={max_amount} must be at least 0")
    return st.one_of(
        *(
            st.builds(
                Duration, st.integers(0, _MOST[u] if max_amount is None else max_amount), st.just(u)
            )
            for u in chosen
        )
    )


def _values(kind: Any) -> st.SearchStrategy[Any] | None:
    """Values of an option's type, in the form a policy file holds them; None when unknown."""
    origin, args = get_origin(kind), get_args(kind)
    if kind is Duration:
        return durations()
    if kind is bool:
        return st.booleans()
    if kind is int:
        return st.integers(0, 60)
    if kind is str:
        return _TEXT
    if origin is Literal:
        return st.sampled_from(args)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return st.sampled_from(kind)
    if origin in (typing.Union, types.UnionType):
        inner = [_values(arg) for arg in args if arg is not type(None)]
        if any(strategy is None for strategy in inner):
            return None
        # TOML has no null: an option that may be None is set to a value or left out.
        return st.one_of(*(s for s in inner if s is not None))
    if origin in (tuple, list) and args and (origin is list or args[-1] is Ellipsis):
        element = _values(args[0])
        return None if element is None else st.lists(element, max_size=4, unique=True)
    return None


def _option_strategies(rule: Rule) -> dict[str, st.SearchStrategy[Any]]:
    """Each option of ``rule`` whose type the strategies know, with a strategy for its values."""
    hints = typing.get_type_hints(rule.options)
    found = {}
    for field in attrs.fields(rule.options):
        values = _values(hints.get(field.name, field.type))
        if values is not None:
            found[field.alias or field.name] = values
    return found


@st.composite
def _rule_settings(
    draw: st.DrawFn, rule: Rule, options: dict[str, st.SearchStrategy[Any]], allow_disabled: bool
) -> RuleSettings:
    chosen: dict[str, OptionSetting] = {}
    for name in _some(draw, tuple(options), len(options)):
        setting = OptionSetting(
            draw(options[name]), _maybe(draw, ("条例 (2015) 第二十七条", "practice")), None
        )
        if draw(_BOOL):
            setting = attrs.evolve(setting, source=_pick(draw, tuple(Source)))
        try:  # a value its options class refuses (a validator's range) keeps the default
            build_options(rule.code, rule.options, RuleSettings(options={name: setting}))
        except PolicyError:
            continue
        chosen[name] = setting
    settings = RuleSettings(
        enabled=not (allow_disabled and draw(_BOOL)),
        level=_maybe(draw, tuple(Level)),
        basis=_maybe(draw, ("《中国共产党巡视工作条例》", "practice: a city's rule")),
        source=_maybe(draw, tuple(Source)),
        options=chosen,
    )
    try:  # options that are valid one by one but not together keep their defaults
        build_options(rule.code, rule.options, settings)
    except PolicyError:
        settings = attrs.evolve(settings, options={})
    return settings


@st.composite
def _policies(
    draw: st.DrawFn,
    rules: dict[str, Rule],
    options: dict[str, dict[str, st.SearchStrategy[Any]]],
    names: st.SearchStrategy[str],
    calendars: tuple[str, ...],
    sizes: tuple[int, int],
    allow_disabled: bool,
) -> Policy:
    least, most = sizes
    settings: dict[str, RuleSettings] = {}

    def configure(code: str) -> None:
        settings[code] = draw(_rule_settings(rules[code], options[code], allow_disabled))

    # One yes/no per rule, its settings drawn right after it: a rule shrinks away on its own.
    for code in sorted(rules):
        if len(settings) < most and draw(_BOOL):
            configure(code)
    for code in sorted(rules):
        if len(settings) >= least:
            break
        if code not in settings:
            configure(code)
    return Policy(
        name=draw(names),
        description=draw(st.just("") | _TEXT),
        calendar=CalendarSettings(_pick(draw, calendars), _pick(draw, ("error", "weekdays"))),
        rules=settings,
    )


def _rules_given(
    rules: Mapping[str, Rule] | Iterable[Rule] | None, plugins: Plugins | None
) -> dict[str, Rule]:
    _check(rules is None or plugins is None, "give rules= or plugins=, not both")
    if plugins is not None:
        return dict(plugins.known_rules)
    if rules is None:
        return builtin_rules()
    given = list(rules.values()) if isinstance(rules, Mapping) else list(rules)
    _check(
        all(isinstance(rule, Rule) for rule in given),
        f"rules={rules!r} must be rectflow.Rule values (or a mapping of code to Rule)",
    )
    return {rule.code: rule for rule in given}


def policies(
    *,
    rules: Mapping[str, Rule] | Iterable[Rule] | None = None,
    plugins: Plugins | None = None,
    names: st.SearchStrategy[str] | None = None,
    calendars: Sequence[str] = ("weekdays",),
    min_rules: int = 0,
    max_rules: int | None = None,
    allow_disabled: bool = True,
) -> st.SearchStrategy[Policy]:
    """Valid policies: some of the rules, each enabled or not, with a level, citations and options.

    Option values are drawn from each rule's options class (periods, booleans, numbers, text,
    the allowed words of a ``Literal``, lists of them); a value the class's validators refuse
    keeps the rule's default. Every drawn policy loads strictly against the rules, and
    ``loads_policy(dumps_policy(p)) == p``. Shrinks to a policy naming no rule.

    Args:
        rules: the rules a policy may configure (default: rectflow's built-in checks).
        plugins: take the rules from this plugin manager instead (its plugins' rules too).
        names: where policy names come from.
        calendars: the calendar names to draw from (``cn`` needs rectflow-cn-workdays).
        min_rules: the fewest rules named.
        max_rules: the most rules named (default: all of them).
        allow_disabled: also draw ``enabled = false``.
    """
    found = _rules_given(rules, plugins)
    most = len(found) if max_rules is None else max_rules
    _check_size("rules", min_rules, most)
    _check(min_rules <= len(found), f"min_rules={min_rules} exceeds the {len(found)} rules known")
    _check(bool(calendars), "calendars must name at least one calendar")
    options = {code: _option_strategies(rule) for code, rule in found.items()}
    name_strategy = names if names is not None else st.sampled_from(_POLICY_NAMES)
    sizes = (min_rules, min(most, len(found)))
    return _policies(found, options, name_strategy, tuple(calendars), sizes, allow_disabled)
