"""Policies: which rules run, at which level, with which options, citing where they come from.

This module holds the :class:`Policy` value and turns a rule's option settings into its options
class. Reading and writing policy TOML files and the presets live in ``_policy_file``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, TypeVar

import attrs
import cattrs

from rectflow._calendar import Duration, DurationError
from rectflow._rules import RuleSettings
from rectflow.errors import PolicyError

__all__ = ["CalendarSettings", "Policy", "build_options"]

T = TypeVar("T")


@attrs.frozen
class CalendarSettings:
    """Which working-day calendar a policy counts with.

    Attributes:
        name: ``weekdays`` (core, Monday-Friday) or a calendar a plugin provides (``cn``).
        unknown_years: ``error`` (a date outside the calendar's schedule is an error) or
            ``weekdays`` (count Monday-Friday there, and every result says so).
    """

    name: str = "weekdays"
    unknown_years: str = attrs.field(
        default="error", validator=attrs.validators.in_(("error", "weekdays"))
    )


def _frozen_rules(value: Mapping[str, RuleSettings]) -> Mapping[str, RuleSettings]:
    return MappingProxyType(dict(value))


@attrs.frozen
class Policy:
    """A named set of rule settings.

    Attributes:
        name: the policy's name (``xunshi``, ``xuncha``, or the user's).
        description: what regime it encodes.
        calendar: the working-day calendar it counts with.
        rules: rule code -> settings. A rule the policy does not name runs with its defaults.
    """

    name: str
    description: str = ""
    calendar: CalendarSettings = attrs.Factory(CalendarSettings)
    rules: Mapping[str, RuleSettings] = attrs.field(
        factory=dict, converter=_frozen_rules, eq=attrs.cmp_using(eq=lambda a, b: a == b)
    )


_options_converter = cattrs.Converter(forbid_extra_keys=True)


def _structure_duration(value: Any, _: type) -> Duration:
    if isinstance(value, Duration):
        return value
    if not isinstance(value, str):
        raise DurationError(repr(value))
    return Duration.parse(value)


def _structure_date(value: Any, _: type) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    return dt.date.fromisoformat(str(value))


_options_converter.register_structure_hook(Duration, _structure_duration)
_options_converter.register_structure_hook(dt.date, _structure_date)


def build_options(code: str, cls: type[T], settings: RuleSettings, *, source: str = "") -> T:
    """``cls`` with the settings' option values over its defaults.

    Raises:
        PolicyError: an option the class does not have (listing the known ones), or a value of
            the wrong type (naming the option).
    """
    fields = attrs.fields_dict(cls)  # type: ignore[arg-type]  # T is an attrs class
    values = {name: setting.value for name, setting in settings.options.items()}
    for name in values:
        if name not in fields:
            raise PolicyError(
                source,
                f"rules.{code}.options.{name}",
                f"unknown option {name!r}",
                f"use one of: {', '.join(sorted(fields)) or '(none)'}",
            )
    try:
        return _options_converter.structure(values, cls)
    except (cattrs.BaseValidationError, ValueError, TypeError) as error:
        detail = (
            "; ".join(cattrs.transform_error(error))
            if isinstance(error, cattrs.BaseValidationError)
            else str(error)
        )
        raise PolicyError(
            source,
            f"rules.{code}.options",
            f"an option has the wrong type or value ({detail})",
            "see `rectflow policy show` for the expected form of each option",
        ) from error
