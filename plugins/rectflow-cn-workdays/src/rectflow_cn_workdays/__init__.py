"""Working days in mainland China for rectflow, from the State Council's holiday schedules.

Provides the calendar ``cn`` through the ``rectflow_calendar`` hook: statutory public holidays
are not working days, and make-up working days (调休, e.g. Sunday 2024-09-29) are. The schedules
come from the ``chinesecalendar`` package, which knows the years it was released with (2004-2026
for 1.11). A date outside them raises :class:`rectflow.errors.UnknownYearError`: a deadline is
never silently computed as if there were no holidays. A policy that accepts a Monday-Friday guess
for such years says so in its ``[calendar]`` table (``unknown_years = "weekdays"``), and every
result computed that way carries a caveat naming the years.

A year the package does not know yet (each is announced late in the year before, by the State
Council's 国务院办公厅关于YYYY年部分节假日安排的通知) can be supplied as a schedule file copied
from that notice (see the README): ``ChinaWorkdays(schedules=(load_schedule("cn-2027.toml"),))``
in Python, a policy's ``[calendar] schedules``, or ``--schedule`` on the command line. The caveat
of every count that passes through such a year names the file and the notice.

The words this plugin says (where a year's holidays come from, a holiday's name, the caveat for
a year nobody knows) are English text that carries its Chinese (:class:`Said`): rectflow says
them in Chinese under ``--lang zh``; a host that reads them as ``str`` sees the English.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version

import attrs
import chinese_calendar

import rectflow
from rectflow._rules.schedules import YearSchedule, check_schedules, schedule_caveat
from rectflow.errors import UnknownYearError

__all__ = [
    "NAME",
    "ChinaWorkdays",
    "Said",
    "known_years",
    "package_version",
    "rectflow_calendar",
    "rectflow_calendar_names",
]

NAME = "cn"


def known_years() -> tuple[int, int]:
    """The first and last year the installed ``chinesecalendar`` has a schedule for."""
    years = {day.year for day in chinese_calendar.constants.holidays}
    years |= {day.year for day in chinese_calendar.constants.workdays}
    return min(years), max(years)


def package_version() -> str:
    """The installed ``chinesecalendar``'s version (``"1.11.0"``), or ``"?"``."""
    try:
        return version("chinesecalendar")
    except PackageNotFoundError:  # pragma: no cover - installed under another distribution name
        return "?"


class Said(str):
    """English text that carries its Chinese: ``Said("Spring Festival", zh="春节")``.

    It is the English ``str`` (compared, printed, serialised as one); rectflow reads the
    ``translations`` attribute (language to text) to say it in Chinese. The plugin keeps its own
    words this way, without a catalogue and without importing rectflow's internals.

    Attributes:
        translations: ``{"zh": …}``.
    """

    translations: dict[str, str]

    def __new__(cls, english: str, *, zh: str) -> Said:
        made = super().__new__(cls, english)
        made.translations = {"zh": zh}
        return made

    def __reduce__(self) -> tuple[object, ...]:
        return (_said, (str.__str__(self), self.translations["zh"]))


def _said(english: str, zh: str) -> Said:
    return Said(english, zh=zh)


# chinese_calendar names a holiday in English (its Holiday enum's value) and carries the
# Chinese name beside it.
_HOLIDAY_ZH = {str(holiday.value): str(holiday.chinese) for holiday in chinese_calendar.Holiday}


def _schedules(value: Iterable[YearSchedule]) -> tuple[YearSchedule, ...]:
    return tuple(value)


@attrs.frozen
class ChinaWorkdays:
    """Working days under mainland China's official holiday schedules.

    Attributes:
        name: ``"cn"``.
        years: the first and last year the ``chinesecalendar`` package has a schedule for.
        schedules: user-supplied years, each copied from its State Council notice; a year the
            package knows is refused unless its schedule says ``override = true``.

    Raises:
        PolicyError: a schedule for another calendar, two for one year, or one for a year the
            package knows without ``override = true`` (naming the file and the line).
    """

    name: str = NAME
    years: tuple[int, int] = attrs.field(factory=known_years)
    schedules: tuple[YearSchedule, ...] = attrs.field(default=(), converter=_schedules)
    _by_year: dict[int, YearSchedule] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        by_year = check_schedules(self.name, self.schedules, self._in_package)
        object.__setattr__(self, "_by_year", by_year)

    def is_working_day(self, day: dt.date) -> bool:
        """True for a working day, make-up working days included.

        Raises:
            UnknownYearError: ``day`` is in a year with neither the package's schedule nor a
                user-supplied one.
        """
        schedule = self._by_year.get(day.year)
        if schedule is not None:
            return schedule.is_working_day(day)
        if not self._in_package(day.year):
            raise UnknownYearError(self.name, day.year, self.years)
        return bool(chinese_calendar.is_workday(day))

    def schedule_for(self, year: int) -> YearSchedule | None:
        """The user-supplied schedule counted with for ``year``, or ``None``."""
        return self._by_year.get(year)

    def source(self, year: int) -> str | None:
        """Where ``year``'s holidays come from, or ``None`` when nobody knows them."""
        schedule = self._by_year.get(year)
        if schedule is not None:
            return schedule.describe()
        if self._in_package(year):
            first, last = self.years
            return Said(
                f"the chinesecalendar package {package_version()} (it knows {first}-{last})",
                zh=f"chinesecalendar 软件包 {package_version()}（收录 {first}-{last} 年）",
            )
        return None

    def label(self, day: dt.date) -> str | None:
        """The holiday ``day`` is off or worked for (春节, or the package's "Spring Festival")."""
        schedule = self._by_year.get(day.year)
        if schedule is not None:
            return schedule.labels.get(day)
        if not self._in_package(day.year):
            return None
        name = chinese_calendar.get_holiday_detail(day)[1]
        if not name:
            return None
        zh = _HOLIDAY_ZH.get(str(name))
        return Said(str(name), zh=zh) if zh else str(name)

    def caveat(self, first: dt.date, last: dt.date) -> str | None:
        """``None`` within the package's years; the user-supplied years with their files and
        notices; the years nobody knows."""
        return schedule_caveat(first, last, self._by_year, self._package_caveat)

    def _package_caveat(self, first: dt.date, last: dt.date) -> str | None:
        unknown = [y for y in range(first.year, last.year + 1) if not self._knows(y)]
        if not unknown:
            return None
        years = ", ".join(str(year) for year in unknown)
        since, until = self.years
        return Said(
            f"calendar {self.name!r} has no holiday schedule for {years} (it knows "
            f"{since}-{until}); working days there are Monday-Friday guesses",
            zh=f"日历 {self.name!r} 没有 {'、'.join(str(y) for y in unknown)} 年的节假日安排"
            f"（收录 {since}-{until} 年）；这些年份的工作日按周一至周五推算",
        )

    def _knows(self, year: int) -> bool:
        return year in self._by_year or self._in_package(year)

    def _in_package(self, year: int) -> bool:
        return self.years[0] <= year <= self.years[1]


@rectflow.hookimpl
def rectflow_calendar(name: str) -> ChinaWorkdays | None:
    """The ``cn`` calendar."""
    return ChinaWorkdays() if name == NAME else None


@rectflow.hookimpl
def rectflow_calendar_names() -> Iterable[str]:
    """This plugin provides ``cn``."""
    return (NAME,)
