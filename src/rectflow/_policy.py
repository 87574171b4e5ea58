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


def _strict(kind: type) -> Any:
    # cattrs would turn 5 into "5" and "no" into True; a policy value must have the right type.
    def structure(value: Any, _: type) -> Any:
        if isinstance(value, bool) and kind is not bool:
            raise TypeError(f"{value!r} is not {_TYPE_WORDS[kind]}")
        if kind is float and isinstance(value, int):
            return float(value)
        if not isinstance(value, kind):
            raise TypeError(f"{value!r} is not {_TYPE_WORDS[kind]}")
        return value

    return structure


_TYPE_WORDS = {bool: "true or false", int: "an integer", float: "a number", str: "a string"}

_options_converter.register_structure_hook(Duration, _structure_duration)
_options_converter.register_structure_hook(dt.date, _structure_date)
for _kind in _TYPE_WORDS:
    _options_converter.register_structure_hook(_kind, _strict(_kind))


def _describe(kind: Any) -> str:
    if kind is Duration:
        return 'a period such as "30 days", "15 working days" or "2 months"'
    if kind in _TYPE_WORDS:
        return _TYPE_WORDS[kind]
    return str(getattr(kind, "__name__", kind))


def _option_path(code: str, name: str | None = None) -> str:
    path = f'rules."{code}".options'
    return path if name is None else f"{path}.{name}"


def build_options(code: str, cls: type[T], settings: RuleSettings, *, source: str = "") -> T:
    """``cls`` with the settings' option values over its defaults.

    Raises:
        PolicyError: an option the class does not have (listing the known ones), or a value of
            the wrong type (naming the option and the expected form).
    """
    fields = attrs.fields_dict(cls)  # type: ignore[arg-type]  # T is an attrs class
    attrs.resolve_types(cls)  # type: ignore[type-var]  # string annotations -> types
    values: dict[str, Any] = {}
    for name, setting in settings.options.items():
        field = fields.get(name)
        if field is None:
            raise PolicyError(
                source,
                _option_path(code, name),
                f"unknown option {name!r}",
                f"use one of: {', '.join(sorted(fields)) or '(none)'}",
            )
        try:
            kind: Any = field.type if field.type is not None else Any
            values[field.alias or name] = _options_converter.structure(setting.value, kind)
        except (cattrs.BaseValidationError, ValueError, TypeError) as error:
            detail = (
                "; ".join(cattrs.transform_error(error))
                if isinstance(error, cattrs.BaseValidationError)
                else str(error)
            )
            raise PolicyError(
                source,
                _option_path(code, name),
                f"{setting.value!r} is not a valid value ({detail})",
                f"write {_describe(field.type)}",
            ) from error
    try:
        return cls(**values)
    except (ValueError, TypeError) as error:
        raise PolicyError(
            source,
            _option_path(code),
            f"the options are not accepted ({error})",
            "see `rectflow policy init` for every option with its default",
        ) from error
