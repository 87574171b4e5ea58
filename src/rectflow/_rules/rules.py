"""What a check declares about itself (:class:`Rule`) and what a policy says about it.

A check module (built-in or third-party) declares its rules through the ``rectflow_rules`` hook:
a stable code, a default level, an options class whose defaults are the policy defaults, a
summary and the basis. A policy (``_policy``) enables or disables each rule, may change its level
and options, and records where each parameter comes from.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, TypeVar

import attrs

from rectflow._core.report import Level
from rectflow._rules.calendar import Duration

__all__ = ["OptionSetting", "Rule", "RuleSettings", "Source", "guards_only", "guards_when"]

GUARDED_TRIGGERS = "rectflow_guarded_triggers"
"""The attribute :func:`guards_only` sets on a guard function."""


_F = TypeVar("_F", bound=Callable[..., Any])


def guards_only(*triggers: str) -> Callable[[_F], _F]:
    """Declare that a built-in ``rectflow_guard_transition`` returns nothing for any trigger but
    ``triggers``: the plugin manager then skips the call for the others (a guarded fire pays
    only for the guards that can speak). Honoured for rectflow's own checks only; a
    third-party guard is always called."""

    def mark(function: _F) -> _F:
        setattr(function, GUARDED_TRIGGERS, frozenset(triggers))
        return function

    return mark


GUARD_SPEAKS = "rectflow_guard_speaks"
"""The attribute :func:`guards_when` sets on a guard function."""


def guards_when(speaks: Callable[[Any], bool]) -> Callable[[_F], _F]:
    """Declare when a built-in ``rectflow_guard_transition`` can return anything at all:
    ``speaks(context)`` is false only when the guard returns nothing for every case and
    transition under the context's policy. It may read the policy alone (``context.enabled``,
    ``context.options``), never the case, the date or the calendar: a policy is frozen, so a
    :class:`rectflow._rules.check.Checker` asks once and leaves a silent guard out of every
    guarded fire (no check context is built when no guard is left). Anything ``speaks`` raises
    keeps the guard, so the error surfaces where it did. Honoured for rectflow's own checks
    only; a third-party guard is always called."""

    def mark(function: _F) -> _F:
        setattr(function, GUARD_SPEAKS, speaks)
        return function

    return mark


class Source(enum.StrEnum):
    """Whether a parameter is a written rule or common practice."""

    RULE = "rule"
    PRACTICE = "practice"


@attrs.frozen
class Rule:
    """A check's self-description.

    Attributes:
        code: stable, dotted, kebab-case (``deadline.report``); never reused for another meaning.
        level: the level it reports at unless a policy says otherwise.
        options: an attrs class; its defaults are the policy defaults. Periods are
            :class:`rectflow.Duration` fields written ``"2 months"`` in TOML.
        summary: one line saying what it checks.
        basis: the document and article (or practice) it comes from, if any.
        blocking_triggers: the triggers it guards (e.g. ``("close",)``); empty for a rule that
            only checks.
    """

    code: str
    level: Level
    options: type[Any]
    summary: str
    basis: str | None = None
    blocking_triggers: tuple[str, ...] = ()


def _toml_value(value: Any) -> Any:
    """The value as TOML holds it: a Duration or an enum as its text, a tuple as a list.

    Settings keep TOML's form so that a policy built in code equals the same policy read back
    from its file; the check's options class structures the value (``"2 months"`` -> Duration).
    """
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_toml_value(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _toml_value(v) for k, v in value.items()}
    if isinstance(value, Duration):
        return str(value)
    return value


@attrs.frozen
class OptionSetting:
    """One option's value in a policy, with where it comes from.

    In TOML an option is either a bare value (``period = "2 months"``) or a table
    (``period = { value = "2 months", basis = "条例 (2015) 第二十七条", source = "rule" }``).
    The value is kept in TOML's form: a :class:`rectflow.Duration` becomes ``"2 months"``.
    """

    value: Any = attrs.field(converter=_toml_value)
    basis: str | None = None
    source: Source | None = None


def _frozen_options(value: Mapping[str, OptionSetting]) -> Mapping[str, OptionSetting]:
    return MappingProxyType(dict(value))


@attrs.frozen
class RuleSettings:
    """What a policy says about one rule.

    Attributes:
        enabled: whether the rule runs.
        level: the level to report at (``None``: the rule's default).
        basis: where the rule comes from, as the policy cites it.
        source: written rule or common practice.
        options: option name -> setting; options not named keep the rule's defaults.
    """

    enabled: bool = True
    level: Level | None = None
    basis: str | None = None
    source: Source | None = None
    options: Mapping[str, OptionSetting] = attrs.field(
        factory=dict, converter=_frozen_options, eq=attrs.cmp_using(eq=lambda a, b: a == b)
    )
