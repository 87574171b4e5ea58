"""What a plugin raises or returns, judged: a crash, a broken contract, or a usable answer.

:class:`rectflow.Plugins` calls every hook implementation through these helpers, so that no
plugin can take a run down or silence the checks:

* anything an implementation raises is its crash (:func:`crash`, a ``plugin.crashed``
  violation naming it), ``SystemExit`` and ``GeneratorExit`` included; only ``KeyboardInterrupt``
  (:func:`is_interrupt`) goes through, since Ctrl-C is how a person stops a plugin that hangs;
* an answer of the wrong shape is a crash too (:class:`Broken` says what was wrong with it): a
  violation whose fields have the wrong types (:func:`violation_problem`), a rule declaration
  (:func:`rule_problem`), a preset (:func:`preset_problem`), a calendar that is not one
  (:func:`calendar_problem`);
* a plugin's calendar is wrapped (:class:`PluginCalendar`) so that what it raises or answers
  wrongly while a check counts working days is reported against the calendar's plugin, not the
  check that asked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import attrs

from rectflow._core.report import Level, Violation
from rectflow._i18n import Msg
from rectflow._rules.rules import Rule
from rectflow.errors import PluginError, UnknownYearError

__all__ = [
    "CRASHED",
    "DISABLE_ENV",
    "Broken",
    "PluginCalendar",
    "calendar_problem",
    "crash",
    "is_interrupt",
    "names_problem",
    "preset_problem",
    "raised",
    "rule_problem",
    "shown",
    "violation_problem",
    "well_formed",
]

CRASHED = "plugin.crashed"
DISABLE_ENV = "RECTFLOW_DISABLE"
# A value quoted in a crash message: enough to recognise it, never a screenful.
_SHOWN_LIMIT = 120
_DEFAULT_OUTCOME = ("its checks did not run", "其检查未执行")


class Broken(Exception):  # noqa: N818 - an answer, not an error: "the plugin's answer is broken"
    """A plugin's answer that breaks the hook's contract (raised by rectflow, not the plugin).

    Attributes:
        problem: what the plugin did, e.g. ``returned 'x', which is not a Violation``.
    """

    def __init__(self, problem: str) -> None:
        self.problem = problem
        super().__init__(problem)


def is_interrupt(error: BaseException) -> bool:
    """True for Ctrl-C (alone or in an exception group): the user's, never a plugin's crash."""
    if isinstance(error, KeyboardInterrupt):
        return True
    if isinstance(error, BaseExceptionGroup):
        return error.subgroup(KeyboardInterrupt) is not None
    return False


def _clip(text: str) -> str:
    return text if len(text) <= _SHOWN_LIMIT else text[: _SHOWN_LIMIT - 1] + "…"


def shown(value: object) -> str:
    """``repr(value)``, clipped; a plugin's object whose ``repr`` raises is named by its type."""
    try:
        text = repr(value)
    except BaseException as error:  # a plugin's object: its repr is plugin code too
        if is_interrupt(error):
            raise
        return f"<{type(value).__name__} object>"
    return _clip(text)


def raised(error: BaseException) -> str:
    """``raised KeyError: 'tag'`` (or ``raised SystemExit`` for one without a message)."""
    if isinstance(error, Broken):
        return error.problem
    try:
        text = str(error)
    except BaseException as inner:  # an exception's __str__ is plugin code too
        if is_interrupt(inner):
            raise
        text = ""
    name = type(error).__name__
    return f"raised {name}: {_clip(text)}" if text else f"raised {name}"


def crash(
    plugin: str,
    hook: str,
    problem: str,
    where: str = "case",
    outcome: tuple[str, str] = _DEFAULT_OUTCOME,
) -> Violation:
    """The ``plugin.crashed`` violation (level error) for ``plugin``'s ``problem`` in ``hook``.

    Args:
        plugin: the plugin's name (what ``--disable`` takes).
        hook: where it failed, e.g. ``rectflow_check_case``.
        problem: what it did (:func:`raised`, or a :class:`Broken`'s problem).
        where: the place in the case the violation is about.
        outcome: what did not happen because of it, in English and Chinese.
    """
    return Violation(
        code=CRASHED,
        level=Level.ERROR,
        where=where,
        message=f"plugin {plugin!r} {problem} in {hook}; {outcome[0]}",
        message_zh=f"插件 {plugin!r} 在 {hook} 中出错({problem}),{outcome[1]}",
        hint=Msg(
            "report it to the plugin's authors; meanwhile disable it with `--disable {plugin}` "
            "or {variable}={plugin}",
            plugin=plugin,
            variable=DISABLE_ENV,
        ),
        plugin=plugin,
    )


# -- violations ---------------------------------------------------------------------------------


def well_formed(v: Violation) -> bool:
    """True when every field of ``v`` has its declared type (the fast path: exact types)."""
    return (
        type(v.level) is Level
        and type(v.code) is str
        and type(v.where) is str
        and type(v.message) is str
        and type(v.message_zh) is str
        and type(v.hint) is str
        and (v.due is None or type(v.due) is dt.date)
        and (v.actual is None or type(v.actual) is dt.date)
        and (v.basis is None or type(v.basis) is str)
    )


def violation_problem(item: object) -> str | None:
    """What is wrong with a plugin's ``item`` as a :class:`Violation`, or ``None``.

    Text fields may be ``str`` subclasses; dates must be days (a ``datetime`` does not compare
    with a ``date``); the level must be a :class:`rectflow.Level`, not its text.
    """
    if not isinstance(item, Violation):
        return f"returned {shown(item)}, which is not a Violation"
    for name in ("code", "where", "message", "message_zh", "hint"):
        value = getattr(item, name)
        if not isinstance(value, str):
            return f"returned a Violation whose {name} is {shown(value)}, not a str"
    if type(item.level) is not Level:
        return f"returned a Violation whose level is {shown(item.level)}, not a rectflow.Level"
    for name in ("due", "actual"):
        value = getattr(item, name)
        if value is not None and type(value) is not dt.date:
            return f"returned a Violation whose {name} is {shown(value)}, not a datetime.date"
    if item.basis is not None and not isinstance(item.basis, str):
        return f"returned a Violation whose basis is {shown(item.basis)}, not a str or None"
    return None


# -- declarations -------------------------------------------------------------------------------


def rule_problem(rule: object) -> str | None:
    """What is wrong with a plugin's rule declaration, or ``None``.

    Besides the field types, the options class must be an attrs class whose annotations resolve
    and which builds with its defaults: that is what a policy that says nothing gets, and what
    policy loading and ``rectflow policy init`` read.
    """
    if not isinstance(rule, Rule):
        return f"returned {shown(rule)}, which is not a Rule"
    if not isinstance(rule.code, str) or not rule.code:
        return f"declared a rule whose code is {shown(rule.code)}, not a non-empty str"
    what = f"declared rule {rule.code!r} with"
    if type(rule.level) is not Level:
        return f"{what} level {shown(rule.level)}, not a rectflow.Level"
    if not isinstance(rule.summary, str) or not (rule.basis is None or isinstance(rule.basis, str)):
        return f"{what} a summary or basis that is not a str"
    triggers = rule.blocking_triggers
    if not isinstance(triggers, tuple) or not all(isinstance(t, str) for t in triggers):
        return f"{what} blocking_triggers {shown(triggers)}, not a tuple of str"
    if not (isinstance(rule.options, type) and attrs.has(rule.options)):
        return f"{what} options {shown(rule.options)}, which is not an attrs class"
    try:
        attrs.resolve_types(rule.options)
        rule.options()
    except BaseException as error:  # the options class is plugin code
        if is_interrupt(error):
            raise
        return f"{what} options that do not build with their defaults ({raised(error)})"
    return None


def preset_problem(item: object) -> str | None:
    """What is wrong with one ``(name, toml_text)`` preset pair, or ``None``."""
    if not (isinstance(item, tuple | list) and len(item) == 2):
        return f"returned {shown(item)}, which is not a (name, toml_text) pair"
    name, text = item
    if not isinstance(name, str) or not name.strip():
        return f"returned a preset named {shown(name)}, not a non-empty str"
    if not isinstance(text, str):
        return f"returned preset {name!r} whose text is {shown(text)}, not a str"
    return None


# -- calendars ----------------------------------------------------------------------------------


def calendar_problem(found: object, name: str) -> str | None:
    """What keeps ``found`` from serving as the calendar called ``name``, or ``None``."""
    try:
        own = getattr(found, "name", None)
        methods = [getattr(found, method, None) for method in ("is_working_day", "caveat")]
    except BaseException as error:  # attribute access runs the plugin's properties
        if is_interrupt(error):
            raise
        return f"returned a calendar that {raised(error)} when read"
    if not isinstance(own, str) or not all(callable(method) for method in methods):
        return (
            f"returned {shown(found)} for calendar {name!r}, which is not a calendar (it needs "
            "a str name and is_working_day(day) and caveat(first, last) methods)"
        )
    return None


@attrs.frozen
class PluginCalendar:
    """A plugin's calendar, held to the :class:`rectflow.Calendar` contract at every call.

    What it raises (but :class:`~rectflow.errors.UnknownYearError`, which is the user's to
    settle) or answers with the wrong type becomes :class:`~rectflow.errors.PluginError` naming
    the plugin: a check that was counting working days with it reports the calendar's plugin as
    crashed, and ``rectflow due`` says so on one line.

    Attributes:
        inner: the plugin's calendar.
        plugin: the plugin that provided it.
        name: the calendar's name.
    """

    inner: Any
    plugin: str
    name: str

    def _fail(self, method: str, problem: str) -> PluginError:
        return PluginError(self.plugin, f"Calendar.{method} of calendar {self.name!r}", problem)

    def is_working_day(self, day: dt.date) -> bool:
        """The plugin's answer, which must be a bool."""
        try:
            answer = self.inner.is_working_day(day)
        except UnknownYearError:
            raise
        except BaseException as error:
            if is_interrupt(error):
                raise
            raise self._fail(f"is_working_day({day})", raised(error)) from error
        if type(answer) is not bool:
            problem = f"returned {shown(answer)} for {day}, not a bool"
            raise self._fail("is_working_day", problem)
        return answer

    def caveat(self, first: dt.date, last: dt.date) -> str | None:
        """The plugin's caveat, which must be a str or ``None``."""
        try:
            answer = self.inner.caveat(first, last)
        except UnknownYearError:
            raise
        except BaseException as error:
            if is_interrupt(error):
                raise
            raise self._fail(f"caveat({first}, {last})", raised(error)) from error
        if answer is not None and not isinstance(answer, str):
            raise self._fail("caveat", f"returned {shown(answer)}, not a str or None")
        return answer


def names_problem(result: Sequence[object]) -> str | None:
    """What is wrong with a ``rectflow_calendar_names`` answer, or ``None``."""
    bad = [name for name in result if not isinstance(name, str) or not name]
    return f"returned calendar name {shown(bad[0])}, not a non-empty str" if bad else None
