"""Durations and due dates: calendar days, months and working days.

A deadline "within N units after a date" falls on the last day of the period that begins the
day after that date; that day is included (it is still on time):

* ``N days``: the date plus N days (2024-03-28 + 30 days = 2024-04-27).
* ``N months``: the same day of the month N months later, or that month's last day when it is
  shorter (2024-01-31 + 1 month = 2024-02-29; 2023-01-31 + 1 month = 2023-02-28).
* ``N working days``: the N-th working day after the date, by a :class:`Calendar` (2024-09-30 +
  15 working days = 2024-10-25 under China's 2024 schedule; 2024-10-21 counting Monday-Friday).

Core knows only Monday-Friday (:class:`WeekdayCalendar`); calendars that know public holidays
come from plugins through the ``rectflow_calendar`` hook.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import datetime as dt
import enum
import re
from typing import Protocol, runtime_checkable

import attrs

from rectflow._i18n import N_, Msg
from rectflow.errors import DateRangeError, NoWorkingDayError, RectflowError, UnknownYearError

__all__ = [
    "LONGEST_BREAK",
    "Calendar",
    "Due",
    "Duration",
    "DurationError",
    "Unit",
    "WeekdayCalendar",
    "WeekdayFallback",
    "add_duration",
    "add_months",
    "period_end",
]


class DurationError(RectflowError, ValueError):
    """A period that cannot be read, e.g. ``"2 fortnights"``.

    Attributes:
        text: what was given.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(
            Msg(
                "can't read the period {text!r}: write a whole number and a unit, "
                'e.g. "30 days", "15 working days", "2 months" (or "30天", "15个工作日", "2个月")',
                text=text,
            )
        )


class Unit(enum.StrEnum):
    """The unit of a :class:`Duration`."""

    DAYS = "days"  # calendar days
    WORKING_DAYS = "working days"
    MONTHS = "months"


_UNIT_WORDS = {
    "day": Unit.DAYS,
    "days": Unit.DAYS,
    "calendar day": Unit.DAYS,
    "calendar days": Unit.DAYS,
    "天": Unit.DAYS,
    "日": Unit.DAYS,
    "working day": Unit.WORKING_DAYS,
    "working days": Unit.WORKING_DAYS,
    "workday": Unit.WORKING_DAYS,
    "workdays": Unit.WORKING_DAYS,
    "个工作日": Unit.WORKING_DAYS,
    "工作日": Unit.WORKING_DAYS,
    "month": Unit.MONTHS,
    "months": Unit.MONTHS,
    "个月": Unit.MONTHS,
    "月": Unit.MONTHS,
}
_DURATION = re.compile(r"^\s*(\d{1,5})\s*([a-z 个工作日天月]+?)\s*$")


@attrs.frozen(slots=True)
class Duration:
    """A whole number of calendar days, working days or months.

    Text form: ``"30 days"``, ``"15 working days"``, ``"2 months"`` (singular and the Chinese
    forms ``30天``, ``15个工作日``, ``2个月`` are read too); ``str()`` gives the English form.
    """

    amount: int = attrs.field(validator=attrs.validators.ge(0))
    unit: Unit = Unit.DAYS

    @classmethod
    def parse(cls, text: str) -> Duration:
        """Read the text form; raises :class:`DurationError`."""
        match = _DURATION.match(text.lower())
        if match is None or match[2] not in _UNIT_WORDS:
            raise DurationError(text)
        return cls(int(match[1]), _UNIT_WORDS[match[2]])

    def __str__(self) -> str:
        unit = self.unit.value
        return f"{self.amount} {unit[:-1] if self.amount == 1 else unit}"


@runtime_checkable
class Calendar(Protocol):
    """Says which days are working days.

    Attributes:
        name: how policies and ``--calendar`` name it (``weekdays``, ``cn``).
    """

    @property
    def name(self) -> str:
        """The calendar's name."""
        ...

    def caveat(self, first: dt.date, last: dt.date) -> str | None:
        """What a reader must know about working days counted from ``first`` to ``last``.

        For example that holidays were not considered, or that a year was outside the
        calendar's schedule and counted Monday-Friday. ``None`` when the count is authoritative.
        """
        ...

    def is_working_day(self, day: dt.date) -> bool:
        """True for a working day; may raise :class:`rectflow.errors.UnknownYearError`."""
        ...


@attrs.frozen
class WeekdayCalendar:
    """Monday to Friday are working days; public holidays are not considered."""

    name: str = "weekdays"

    def caveat(self, first: dt.date, last: dt.date) -> str | None:
        """Always says that holidays were not considered."""
        return N_("working days counted Monday-Friday; public holidays were not considered")

    def is_working_day(self, day: dt.date) -> bool:
        """True from Monday to Friday."""
        return day.weekday() < 5


@attrs.frozen
class WeekdayFallback:
    """A calendar that counts Monday-Friday in the years ``inner`` has no schedule for.

    What a policy's ``[calendar] unknown_years = "weekdays"`` asks for: instead of
    :class:`rectflow.errors.UnknownYearError`, such a year's working days are Monday to Friday,
    and :meth:`caveat` names the years so every result computed that way says so.
    """

    inner: Calendar

    @property
    def name(self) -> str:
        """The inner calendar's name."""
        return self.inner.name

    def is_working_day(self, day: dt.date) -> bool:
        """The inner calendar's answer, or Monday-Friday for a year it does not know."""
        try:
            return self.inner.is_working_day(day)
        except UnknownYearError:
            return day.weekday() < 5

    def caveat(self, first: dt.date, last: dt.date) -> str | None:
        """The inner caveat, plus the years between ``first`` and ``last`` counted Monday-Friday."""
        unknown = [year for year in range(first.year, last.year + 1) if not self._knows(year)]
        if not unknown:
            return self._inner_caveat(first, last)
        years = ", ".join(str(year) for year in unknown)
        return Msg(
            "calendar {name!r} has no holiday schedule for {years}; working days there "
            "were counted Monday-Friday (holidays not considered)",
            name=self.name,
            years=years,
            zh={"years": "、".join(str(year) for year in unknown)},
        )

    def _knows(self, year: int) -> bool:
        try:
            self.inner.is_working_day(dt.date(year, 1, 1))
        except UnknownYearError:
            return False
        return True

    def _inner_caveat(self, first: dt.date, last: dt.date) -> str | None:
        try:
            return self.inner.caveat(first, last)
        except UnknownYearError:  # a calendar that refuses to speak about unknown years
            return None


@attrs.frozen(slots=True)
class Due:
    """A computed due date and what the reader must know about it."""

    on: dt.date
    caveat: str | None = None


LONGEST_BREAK = 366
"""The most days in a row a calendar may go without a working day: one that goes longer is
broken (it would make every working-day deadline fall after 9999-12-31, silencing the checks)."""

_ONE_DAY = dt.timedelta(days=1)


def add_months(start: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the end of a shorter month.

    Raises:
        DateRangeError: the day would fall after 9999-12-31 (or before 0001-01-01).
    """
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise DateRangeError(start, f"{months} month" if months == 1 else f"{months} months")
    last = _stdlib_calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(start.day, last))


def add_duration(start: dt.date, duration: Duration, calendar: Calendar | None = None) -> Due:
    """The last on-time day of ``duration`` after ``start`` (see the module docstring).

    Working days need a calendar; without one, Monday-Friday is used and the result says so.

    Raises:
        DateRangeError: the day would fall after 9999-12-31.
        NoWorkingDayError: the calendar goes more than :data:`LONGEST_BREAK` days without a
            working day.
        UnknownYearError: the calendar has no schedule for a year the count passes through.
    """
    amount = duration.amount
    if duration.unit is Unit.MONTHS:
        return Due(add_months(start, amount))
    # N working days take at least N calendar days: either unit past the last day is out of range.
    if amount > (dt.date.max - start).days:
        raise DateRangeError(start, str(duration))
    if duration.unit is Unit.DAYS:
        return Due(start + dt.timedelta(days=amount))
    cal: Calendar = calendar if calendar is not None else WeekdayCalendar()
    day = _count_working_days(start, amount, cal, str(duration))
    return Due(day, cal.caveat(start, day))


def _count_working_days(start: dt.date, amount: int, cal: Calendar, period: str) -> dt.date:
    day, left, idle = start, amount, 0
    try:
        while left > 0:
            day += _ONE_DAY
            if cal.is_working_day(day):
                left, idle = left - 1, 0
            else:
                idle += 1
                if idle > LONGEST_BREAK:
                    after = day - dt.timedelta(days=idle)
                    raise NoWorkingDayError(cal.name, after, LONGEST_BREAK)
    except OverflowError:  # the last day passed before the count was done
        raise DateRangeError(start, period) from None
    return day


def period_end(begin: dt.date, duration: Duration, calendar: Calendar | None = None) -> Due:
    """The last day of a period of ``duration`` that begins on ``begin`` and includes it.

    That is :func:`add_duration` counted from the day before ``begin`` (30 days beginning
    2025-04-07 run through 2025-05-06), also when ``begin`` is 0001-01-01, whose day before
    does not exist.

    Raises:
        DateRangeError: the period ends outside 0001-01-01..9999-12-31 (an empty period
            beginning 0001-01-01 ends before it).
    """
    if begin != dt.date.min:
        return add_duration(begin - _ONE_DAY, duration, calendar)
    if duration.amount == 0:
        raise DateRangeError(begin, f"a period of {duration} beginning")
    if duration.unit is not Unit.WORKING_DAYS:
        # Counted from 0001-01-01 instead of its eve: a day later, in days and months alike
        # (the eve is the 31st, so its months end on the last day of their month).
        due = add_duration(begin, duration, calendar)
        return Due(due.on - _ONE_DAY, due.caveat)
    cal: Calendar = calendar if calendar is not None else WeekdayCalendar()
    # From the eve, ``begin`` itself is the first day counted.
    left = duration.amount - 1 if cal.is_working_day(begin) else duration.amount
    return add_duration(begin, Duration(left, Unit.WORKING_DAYS), cal)
