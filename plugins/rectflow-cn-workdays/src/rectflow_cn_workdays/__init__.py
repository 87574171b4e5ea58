"""Working days in mainland China for rectflow, from the State Council's holiday schedules.

Provides the calendar ``cn`` through the ``rectflow_calendar`` hook: statutory public holidays
are not working days, and make-up working days (调休, e.g. Sunday 2024-09-29) are. The schedules
come from the ``chinesecalendar`` package, which knows the years it was released with (2004-2026
for 1.11). A date outside them raises :class:`rectflow.errors.UnknownYearError`: a deadline is
never silently computed as if there were no holidays. A policy that accepts a Monday-Friday guess
for such years says so in its ``[calendar]`` table (``unknown_years = "weekdays"``), and every
result computed that way carries a caveat naming the years.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs
import chinese_calendar

import rectflow
from rectflow.errors import UnknownYearError

__all__ = ["NAME", "ChinaWorkdays", "known_years", "rectflow_calendar", "rectflow_calendar_names"]

NAME = "cn"


def known_years() -> tuple[int, int]:
    """The first and last year the installed ``chinesecalendar`` has a schedule for."""
    years = {day.year for day in chinese_calendar.constants.holidays}
    years |= {day.year for day in chinese_calendar.constants.workdays}
    return min(years), max(years)


@attrs.frozen
class ChinaWorkdays:
    """Working days under mainland China's official holiday schedules.

    Attributes:
        name: ``"cn"``.
        years: the first and last year with a schedule.
    """

    name: str = NAME
    years: tuple[int, int] = attrs.field(factory=known_years)

    def is_working_day(self, day: dt.date) -> bool:
        """True for a working day, make-up working days included.

        Raises:
            UnknownYearError: ``day`` is in a year without a schedule.
        """
        if not self.years[0] <= day.year <= self.years[1]:
            raise UnknownYearError(self.name, day.year, self.years)
        return bool(chinese_calendar.is_workday(day))

    def caveat(self, first: dt.date, last: dt.date) -> str | None:
        """``None`` within the known years; otherwise the years outside the schedule."""
        unknown = [y for y in range(first.year, last.year + 1) if not self._knows(y)]
        if not unknown:
            return None
        years = ", ".join(str(year) for year in unknown)
        return (
            f"calendar {self.name!r} has no holiday schedule for {years} (it knows "
            f"{self.years[0]}-{self.years[1]}); working days there are Monday-Friday guesses"
        )

    def _knows(self, year: int) -> bool:
        return self.years[0] <= year <= self.years[1]


@rectflow.hookimpl
def rectflow_calendar(name: str) -> ChinaWorkdays | None:
    """The ``cn`` calendar."""
    return ChinaWorkdays() if name == NAME else None


@rectflow.hookimpl
def rectflow_calendar_names() -> Iterable[str]:
    """This plugin provides ``cn``."""
    return (NAME,)
