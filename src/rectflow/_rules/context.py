"""What a check sees besides the case: the as-of date, the policy, the calendar.

:class:`CheckContext` is handed to every ``rectflow_check_case`` and
``rectflow_guard_transition`` implementation. It resolves a rule's settings (enabled, level,
options, basis) once per context and computes due dates with the policy's calendar, so every
check states its deadlines the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, TypeVar

import attrs

from rectflow._core.fields import slot_setters
from rectflow._core.report import Level, Violation
from rectflow._i18n import translate
from rectflow._rules.calendar import (
    Calendar,
    Due,
    Duration,
    WeekdayCalendar,
    add_duration,
    period_end,
)
from rectflow._rules.rules import Rule, RuleSettings
from rectflow.errors import DateRangeError

__all__ = ["CheckContext"]

T = TypeVar("T")


@attrs.define
class CheckContext:
    """The as-of date, the policy and the calendar, for one run of the checks.

    Attributes:
        as_of: the date the case is judged at (never the clock).
        policy: the :class:`rectflow.Policy` in force.
        calendar: the working-day calendar the policy asked for.
        rules: every rule the registered plugins declare, by code.
        reporter: the plugin being called, set by the plugin manager so that
            :meth:`violation` names it.
    """

    as_of: dt.date
    policy: Any  # rectflow.Policy; typed loosely to keep _policy free to import this module
    calendar: Calendar = attrs.field(factory=WeekdayCalendar)
    rules: dict[str, Rule] = attrs.field(factory=dict)
    _options: dict[str, Any] = attrs.field(factory=dict, init=False, repr=False)
    # Calendar caveats by the due date they qualify: a violation citing that due date says so,
    # and the report lists every caveat met in the run.
    _caveats: dict[dt.date, str] = attrs.field(factory=dict, init=False, repr=False)
    # The plugin being called: the plugin manager sets it so violations are born stamped.
    reporter: str | None = attrs.field(default=None, init=False, repr=False)

    @classmethod
    def _fresh(
        cls,
        as_of: dt.date,
        policy: Any,
        calendar: Calendar,
        rules: Mapping[str, Rule],
        options: dict[str, Any],
    ) -> CheckContext:
        """``CheckContext(as_of, policy, calendar, dict(rules))`` sharing ``options``
        (:meth:`share_options`), built without attrs' generic ``__init__``: a guarded ``fire``
        builds one per transition, and the generic path cost as much as the transition."""
        context: CheckContext = _new(cls)
        _set_as_of(context, as_of)
        _set_policy(context, policy)
        _set_calendar(context, calendar)
        _set_rules(context, dict(rules))
        _set_options(context, options)
        _set_caveats(context, {})
        _set_reporter(context, None)
        return context

    @property
    def caveats(self) -> tuple[str, ...]:
        """Every calendar caveat met by :meth:`due` in this context, sorted."""
        return tuple(sorted(set(self._caveats.values())))

    def share_options(self, cache: dict[str, Any]) -> None:
        """Use ``cache`` for :meth:`options`: contexts of one policy may share their options."""
        self._options = cache

    def settings(self, code: str) -> RuleSettings:
        """The policy's settings for ``code`` (defaults when the policy does not name it)."""
        found: RuleSettings | None = self.policy.rules.get(code)
        return found if found is not None else RuleSettings()

    def enabled(self, code: str) -> bool:
        """Whether the policy enables the rule."""
        return self.settings(code).enabled

    def level(self, code: str) -> Level:
        """The level the rule reports at under this policy."""
        level = self.settings(code).level
        if level is not None:
            return level
        rule = self.rules.get(code)
        return rule.level if rule is not None else Level.ERROR

    def options(self, code: str, cls: type[T]) -> T:
        """The rule's options: ``cls`` with the policy's values over its defaults (cached)."""
        cached = self._options.get(code)
        if cached is None:
            from rectflow._rules.policy import build_options  # noqa: PLC0415 - avoids an import cycle

            cached = build_options(code, cls, self.settings(code), source=self.policy.name)
            self._options[code] = cached
        return cached

    def basis(self, code: str, option: str | None = None) -> str | None:
        """Where the rule (or one of its options) comes from, as the policy cites it."""
        settings = self.settings(code)
        if option is not None and option in settings.options:
            cited = settings.options[option].basis
            if cited:
                return cited
        if settings.basis:
            return settings.basis
        rule = self.rules.get(code)
        return rule.basis if rule is not None else None

    def due(self, start: dt.date, duration: Duration) -> Due:
        """The last on-time day of ``duration`` after ``start``, with the calendar's caveat.

        A caveat (holidays not considered, a year counted Monday-Friday) is remembered: a
        violation given this due date repeats it, and the report lists it.
        """
        try:
            due = add_duration(start, duration, self.calendar)
        except DateRangeError:
            due = _beyond()
        return self._noted(due)

    def period_end(self, begin: dt.date, duration: Duration) -> Due:
        """The last day of a period of ``duration`` that begins on ``begin`` and includes it.

        30 days beginning 2025-04-07 run through 2025-05-06 (:meth:`due` counted from the day
        before ``begin``). Caveats are remembered as by :meth:`due`.
        """
        try:
            due = period_end(begin, duration, self.calendar)
        except DateRangeError:
            due = _beyond(empty=duration.amount == 0 and begin == dt.date.min)
        return self._noted(due)

    def _noted(self, due: Due) -> Due:
        if due.caveat is not None:
            self._caveats[due.on] = due.caveat
        return due

    def violation(
        self,
        code: str,
        *,
        where: str,
        message: str,
        message_zh: str,
        hint: str,
        due: dt.date | None = None,
        actual: dt.date | None = None,
        option: str | None = None,
        level: Level | None = None,
    ) -> Violation:
        """A violation of ``code`` at the policy's level, citing the policy's basis.

        When ``due`` was computed by :meth:`due` with a calendar caveat, the messages say so.
        """
        caveat = self._caveats.get(due) if due is not None else None
        if caveat is not None:
            message = f"{message} (note: {caveat})"
            message_zh = f"{message_zh}（注：{translate('zh', caveat)}）"
        return Violation(
            code=code,
            level=level if level is not None else self.level(code),
            where=where,
            message=message,
            message_zh=message_zh,
            hint=hint,
            due=due,
            actual=actual,
            basis=self.basis(code, option),
            plugin=self.reporter,
        )


_new = object.__new__
# The slots' own setters: what ``_fresh`` stores each field with. A test holds ``_fresh`` to
# the attrs constructor, field for field, so a field added to the class is not forgotten here.
(_set_as_of, _set_policy, _set_calendar, _set_rules, _set_options, _set_caveats, _set_reporter) = (
    slot_setters(
        CheckContext, "as_of", "policy", "calendar", "rules", "_options", "_caveats", "reporter"
    )
)


def _beyond(*, empty: bool = False) -> Due:
    """A deadline past the last day a date can hold, as that day, with a caveat saying so.

    Every day a case can hold is on time by such a deadline, as it is by 9999-12-31, so the
    checks judge it rightly. The caveat names no period: caveats are kept by due date, and
    every deadline shown as 9999-12-31 this way has the same thing to say.
    """
    if empty:  # an empty period beginning 0001-01-01
        return Due(dt.date.min, "the period ends before 0001-01-01; shown as 0001-01-01")
    return Due(
        dt.date.max,
        "the deadline falls after 9999-12-31, the last day a date can hold; shown as 9999-12-31",
    )
