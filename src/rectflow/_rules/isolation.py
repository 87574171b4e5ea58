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
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from rectflow._core.report import Level, Violation
from rectflow._i18n import Msg, translate
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
    if not text:
        return Msg("raised {name}", name=name)
    return Msg("raised {name}: {text}", name=name, text=_own_words(error, _clip(text)))


def _own_words(error: BaseException, text: str) -> str:
    """``text`` (the error's message, clipped), keeping the languages the error says it in
    itself: a plugin's exception with a ``translations`` mapping (``{"zh": "…"}``) is said in
    Chinese under ``--lang zh`` (rectflow's catalogue cannot hold a plugin's words)."""
    try:  # the attribute, and the mapping's own methods, are plugin code too
        own = getattr(error, "translations", None)
        if not isinstance(own, Mapping):
            return text
        translations = {
            lang: _clip(words)
            for lang, words in own.items()
            if isinstance(lang, str) and isinstance(words, str) and words
        }
    except BaseException as inner:
        if is_interrupt(inner):
            raise
        return text
    said = Msg.of(text)
    said.translations = translations
    return said


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
        message_zh=f"插件 {plugin!r} 在 {hook} 中出错（{translate('zh', problem)}），{outcome[1]}",
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
        return Msg("returned {value}, which is not a Violation", value=shown(item))
    for name in ("code", "where", "message", "message_zh", "hint"):
        value = getattr(item, name)
        if not isinstance(value, str):
            return Msg(
                "returned a Violation whose {name} is {value}, not a str",
                name=name,
                value=shown(value),
            )
    if type(item.level) is not Level:
        return Msg(
            "returned a Violation whose level is {value}, not a rectflow.Level",
            value=shown(item.level),
        )
    for name in ("due", "actual"):
        value = getattr(item, name)
        if value is not None and type(value) is not dt.date:
            return Msg(
                "returned a Violation whose {name} is {value}, not a datetime.date",
                name=name,
                value=shown(value),
            )
    if item.basis is not None and not isinstance(item.basis, str):
        return Msg(
            "returned a Violation whose basis is {value}, not a str or None",
            value=shown(item.basis),
        )
    return None


# -- declarations -------------------------------------------------------------------------------


def rule_problem(rule: object) -> str | None:
    """What is wrong with a plugin's rule declaration, or ``None``.

    Besides the field types, the options class must be an attrs class whose annotations resolve
    and which builds with its defaults: that is what a policy that says nothing gets, and what
    policy loading and ``rectflow policy init`` read.
    """
    if not isinstance(rule, Rule):
        return Msg("returned {value}, which is not a Rule", value=shown(rule))
    if not isinstance(rule.code, str) or not rule.code:
        return Msg(
            "declared a rule whose code is {value}, not a non-empty str", value=shown(rule.code)
        )
    code = rule.code
    if type(rule.level) is not Level:
        return Msg(
            "declared rule {code!r} with level {value}, not a rectflow.Level",
            code=code,
            value=shown(rule.level),
        )
    if not isinstance(rule.summary, str) or not (rule.basis is None or isinstance(rule.basis, str)):
        return Msg("declared rule {code!r} with a summary or basis that is not a str", code=code)
    triggers = rule.blocking_triggers
    if not isinstance(triggers, tuple) or not all(isinstance(t, str) for t in triggers):
        return Msg(
            "declared rule {code!r} with blocking_triggers {value}, not a tuple of str",
            code=code,
            value=shown(triggers),
        )
    if not (isinstance(rule.options, type) and attrs.has(rule.options)):
        return Msg(
            "declared rule {code!r} with options {value}, which is not an attrs class",
            code=code,
            value=shown(rule.options),
        )
    try:
        attrs.resolve_types(rule.options)
        rule.options()
    except BaseException as error:  # the options class is plugin code
        if is_interrupt(error):
            raise
        return Msg(
            "declared rule {code!r} with options that do not build with their defaults ({raised})",
            code=code,
            raised=raised(error),
        )
    return None


def preset_problem(item: object) -> str | None:
    """What is wrong with one ``(name, toml_text)`` preset pair, or ``None``."""
    if not (isinstance(item, tuple | list) and len(item) == 2):
        return Msg("returned {value}, which is not a (name, toml_text) pair", value=shown(item))
    name, text = item
    if not isinstance(name, str) or not name.strip():
        return Msg("returned a preset named {value}, not a non-empty str", value=shown(name))
    if not isinstance(text, str):
        return Msg(
            "returned preset {name!r} whose text is {value}, not a str",
            name=name,
            value=shown(text),
        )
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
        return Msg("returned a calendar that {raised} when read", raised=raised(error))
    if not isinstance(own, str) or not all(callable(method) for method in methods):
        return Msg(
            "returned {value} for calendar {name!r}, which is not a calendar (it needs "
            "a str name and is_working_day(day) and caveat(first, last) methods)",
            value=shown(found),
            name=name,
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
        return PluginError(
            self.plugin,
            Msg("Calendar.{method} of calendar {name!r}", method=method, name=self.name),
            problem,
        )

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
            problem = Msg("returned {value} for {day}, not a bool", value=shown(answer), day=day)
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
            raise self._fail(
                "caveat", Msg("returned {value}, not a str or None", value=shown(answer))
            )
        return answer


def names_problem(result: Sequence[object]) -> str | None:
    """What is wrong with a ``rectflow_calendar_names`` answer, or ``None``."""
    bad = [name for name in result if not isinstance(name, str) or not name]
    if not bad:
        return None
    return Msg("returned calendar name {value}, not a non-empty str", value=shown(bad[0]))
