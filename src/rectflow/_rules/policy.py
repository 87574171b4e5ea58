"""Policies: which rules run, at which level, with which options, citing where they come from.

This module holds the :class:`Policy` value and turns a rule's option settings into its options
class. Reading and writing policy TOML files and the presets live in ``policy_file``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Literal, TypeVar, get_args, get_origin

import attrs
import cattrs
import cattrs.errors

from rectflow._i18n import N_, Msg
from rectflow._rules.calendar import Duration, DurationError
from rectflow._rules.ladder import Ladder
from rectflow._rules.rules import RuleSettings
from rectflow._rules.schedules import YearSchedule, schedule_tuple
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
        schedules: years the calendar's own data does not have (or, with ``override``,
            replaced), each read from a schedule file copied from the official notice
            (:func:`rectflow._rules.schedules.load_schedule`).
    """

    name: str = "weekdays"
    unknown_years: str = attrs.field(
        default="error", validator=attrs.validators.in_(("error", "weekdays"))
    )
    schedules: tuple[YearSchedule, ...] = attrs.field(default=(), converter=schedule_tuple)


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
        escalation: the escalation ladder (``[escalation]``), or ``None`` for none: the agenda
            then uses :data:`rectflow._rules.ladder.DEFAULT_LADDER` and deadline violations
            carry no level.
    """

    name: str
    description: str = ""
    calendar: CalendarSettings = attrs.Factory(CalendarSettings)
    rules: Mapping[str, RuleSettings] = attrs.field(
        factory=dict, converter=_frozen_rules, eq=attrs.cmp_using(eq=lambda a, b: a == b)
    )
    escalation: Ladder | None = None


_options_converter = cattrs.Converter(forbid_extra_keys=True)


def _structure_duration(value: Any, _: type) -> Duration:
    if isinstance(value, Duration):
        return value
    if not isinstance(value, str):
        raise DurationError(shown(value))
    return Duration.parse(value)


def _structure_date(value: Any, _: type) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    return dt.date.fromisoformat(str(value))


def _strict(kind: type) -> Any:
    # cattrs would turn 5 into "5" and "no" into True; a policy value must have the right type.
    def structure(value: Any, _: type) -> Any:
        if isinstance(value, bool) and kind is not bool:
            raise _not_a(value, kind)
        if kind is float and isinstance(value, int):
            return float(value)
        if not isinstance(value, kind):
            raise _not_a(value, kind)
        return value

    return structure


_TYPE_WORDS = {
    bool: N_("true or false"),
    int: N_("an integer"),
    float: N_("a number"),
    str: N_("a string"),
}


_NONE = Msg.of(N_("(none)"))


def _not_a(value: Any, kind: type) -> TypeError:
    # The message is a Msg, said in Chinese where the policy error is (_detail hands it on).
    return TypeError(
        Msg("{value} is not {what}", value=shown(value), what=Msg.of(_TYPE_WORDS[kind]))
    )


_options_converter.register_structure_hook(Duration, _structure_duration)
_options_converter.register_structure_hook(dt.date, _structure_date)
for _kind in _TYPE_WORDS:
    _options_converter.register_structure_hook(_kind, _strict(_kind))


# A value quoted in a message is clipped: the message is one line a person reads.
SHOWN_LIMIT = 60


def shown(value: Any) -> str:
    """``repr(value)`` for a message, cut after about 60 characters, saying how long it was."""
    if isinstance(value, str) and len(value) > SHOWN_LIMIT:
        # Only the head is quoted: repr() of a 100 MB string would copy all of it.
        return f"{repr(value[:SHOWN_LIMIT])[:-1]}…({len(value)} characters)"
    try:
        text = repr(value)
    except RecursionError:
        return "(a value nested too deeply to show)"
    if len(text) <= SHOWN_LIMIT:
        return text
    return f"{text[:SHOWN_LIMIT]}…({len(text)} characters)"


def clipped(text: str, limit: int = 4 * SHOWN_LIMIT) -> str:
    """A message part (which may quote a value) cut after ``limit`` characters."""
    return text if len(text) <= limit else f"{text[:limit]}…({len(text)} characters)"


def _literals(kind: Any) -> tuple[Any, ...]:
    """The values a ``Literal`` in ``kind`` allows (inside tuples, lists, unions), or ()."""
    if get_origin(kind) is Literal:
        return get_args(kind)
    return tuple(value for arg in get_args(kind) for value in _literals(arg))


def _describe(kind: Any) -> Msg:
    if kind is Duration:
        return Msg.of(N_('a period such as "30 days", "15 working days" or "2 months"'))
    if kind in _TYPE_WORDS:
        return Msg.of(_TYPE_WORDS[kind])
    allowed = _literals(kind)
    if allowed:
        words = ", ".join(str(value) for value in allowed)
        if get_origin(kind) in (tuple, list, set, frozenset):
            return Msg("a list of: {words}", words=words)
        return Msg("one of: {words}", words=words)
    if get_origin(kind) in (tuple, list) and get_args(kind):
        return Msg("a list of {what}", what=_describe(get_args(kind)[0]))
    args = [arg for arg in get_args(kind) if arg is not type(None)]
    if len(args) == 1 and len(get_args(kind)) == 2:  # X | None: an optional setting
        return Msg("{what}, or leave the option out", what=_describe(args[0]))
    return Msg.of(str(getattr(kind, "__name__", kind)))


def _wants_array(kind: Any) -> bool:
    """True when the option holds a list (or a tuple, a set), possibly optional."""
    if get_origin(kind) in (tuple, list, set, frozenset):
        return True
    return any(_wants_array(arg) for arg in get_args(kind) if get_origin(kind) is not Literal)


def _fix(kind: Any) -> Msg:
    allowed = _literals(kind)
    if allowed:
        return Msg("use one of: {allowed}", allowed=", ".join(str(value) for value in allowed))
    return Msg("write {what}", what=_describe(kind))


def _format_error(error: BaseException, kind: Any) -> str:
    """One failure as cattrs' ``transform_error`` reports it, without quoting a huge value."""
    if get_origin(kind) is Literal or (
        # cattrs raises a bare CattrsError "x not in literal ..." and passes no type for it.
        type(error) is cattrs.errors.CattrsError and "not in literal" in str(error)
    ):
        return N_("not one of the allowed values")
    if isinstance(error, cattrs.errors.ForbiddenExtraKeysError):
        return f"unknown keys: {clipped(', '.join(sorted(map(str, error.extra_fields))))}"
    if type(error) is cattrs.errors.CattrsError:
        return clipped(str(error))
    return clipped(cattrs.v.format_exception(error, kind))


def _detail(error: Exception, kind: Any) -> str:
    """What is wrong with a value, from whatever cattrs or a structure hook raised."""
    if isinstance(error, cattrs.BaseValidationError):
        found = cattrs.transform_error(error, format_exception=_format_error)
        text = clipped("; ".join(found))
        if text != "; ".join(found):
            return text
        # Each failure is "what @ $path": the what said again from its msgid where it has one.
        said: Msg | None = None
        for failure in found:
            what, _, path = failure.rpartition(" @ ")
            part = Msg("{what} @ {path}", what=Msg.of(what), path=path) if what else failure
            said = (
                Msg.of(part) if said is None else Msg("{first}; {second}", first=said, second=part)
            )
        return said if said is not None else text
    if isinstance(error, cattrs.errors.CattrsError):
        return _format_error(error, kind)
    said = error.args[0] if len(error.args) == 1 else None
    if isinstance(said, Msg) and len(said) <= 4 * SHOWN_LIMIT:
        return said  # our hooks' own words ("can't read the period '3 moons'"), sayable in Chinese
    return clipped(str(error))


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
                Msg("unknown option {name}", name=shown(name)),
                Msg("use one of: {allowed}", allowed=", ".join(sorted(fields)) or _NONE),
            )
        kind: Any = field.type if field.type is not None else Any
        if isinstance(setting.value, str) and _wants_array(kind):
            # cattrs would read the text "领导小组" as the list of its characters.
            raise PolicyError(
                source,
                _option_path(code, name),
                Msg("{value} is a string, not an array", value=shown(setting.value)),
                Msg(
                    'write an array: {name} = ["{value}"]',
                    name=name,
                    value=clipped(setting.value, SHOWN_LIMIT),
                ),
            )
        try:
            values[field.alias or name] = _options_converter.structure(setting.value, kind)
        except RecursionError:
            raise PolicyError(
                source,
                _option_path(code, name),
                N_("the value is nested too deeply to read"),
                Msg("write {what}", what=_describe(kind)),
            ) from None
        # CattrsError covers every cattrs failure: a value outside a Literal, the validation
        # groups, a type it has no hook for.
        except (cattrs.errors.CattrsError, ValueError, TypeError) as error:
            raise PolicyError(
                source,
                _option_path(code, name),
                Msg(
                    "{value} is not a valid value ({detail})",
                    value=shown(setting.value),
                    detail=Msg.of(_detail(error, kind)),
                ),
                _fix(kind),
            ) from error
    try:
        return cls(**values)
    except (ValueError, TypeError) as error:
        raise PolicyError(
            source,
            _option_path(code),
            Msg("the options are not accepted ({detail})", detail=Msg.of(_detail(error, None))),
            N_("see `rectflow policy init` for every option with its default"),
        ) from error
