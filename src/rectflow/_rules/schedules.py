"""A year's official holidays and make-up working days, read from a small TOML file.

Holiday schedules are announced late in the year before (in China by the State Council's
General Office: 国务院办公厅关于YYYY年部分节假日安排的通知), often before a calendar package
has caught up. A schedule file lets a user or a policy supply such a year; the calendar counts
with it for that year and its caveat names the file and the notice. The layout
(docs/policies.md, "Calendar")::

    schema = 1
    calendar = "cn"                 # the calendar it completes
    year = 2027
    # override = true               # only to replace a year the calendar already knows

    [notice]                        # where the days come from
    title = "国务院办公厅关于2027年部分节假日安排的通知"
    issuer = "国务院办公厅"
    number = "国办发明电〔2026〕N号"  # optional
    date = 2026-11-XX               # a TOML date
    url = "https://www.gov.cn/..."

    [[holidays]]                    # one table per holiday, as the notice lists them
    name = "元旦"
    off = ["2027-01-01..2027-01-03"] # days off: dates, or "FIRST..LAST" ranges
    work = [2027-01-04]              # make-up working days (调休上班): weekend days

Reading is strict: an unknown key, a day outside the year, a make-up day that is not a Saturday
or Sunday, a day both off and worked, a day listed twice, are errors naming the file, the key
path (``holidays[1].off[0]``) and the line, and saying how to fix it.

:class:`ScheduledCalendar` puts schedules in front of a calendar: a scheduled year's working
days are Monday to Friday less its days off, plus its make-up days; other years are the inner
calendar's. A schedule for a year the inner calendar already knows is refused unless it says
``override = true``.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import tomli_w

from rectflow._i18n import N_, Msg, toml_message
from rectflow._inputs import read_input
from rectflow._rules.calendar import Calendar
from rectflow._textio import decode_utf8
from rectflow.errors import PolicyError, UnknownYearError

__all__ = [
    "SCHEDULE_SCHEMA",
    "ScheduleNotice",
    "ScheduledCalendar",
    "YearSchedule",
    "check_schedules",
    "dumps_schedule",
    "load_schedule",
    "loads_schedule",
    "schedule_caveat",
    "schedule_tuple",
    "with_schedules",
]

SCHEDULE_SCHEMA = 1
TOP_KEYS = ("schema", "calendar", "year", "override", "notice", "holidays")
NOTICE_KEYS = ("title", "issuer", "number", "date", "url")
HOLIDAY_KEYS = ("name", "off", "work")
_WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")

KeyPath = tuple[str | int, ...]


@attrs.frozen
class ScheduleNotice:
    """The official notice a schedule is copied from.

    Attributes:
        title: its title (国务院办公厅关于2027年部分节假日安排的通知).
        issuer: who issued it (国务院办公厅).
        date: the day it was issued.
        url: where it is published.
        number: its document number (国办发明电〔…〕N号), when it has one.
    """

    title: str
    issuer: str
    date: dt.date
    url: str
    number: str = ""

    def __str__(self) -> str:
        return self.said()

    def said(self) -> Msg:
        """The notice in a line: title (issuer number, date, address), said in Chinese with
        full-width brackets."""
        return Msg(
            "{title} ({issuer}{number}, {date}, {url})",
            title=self.title,
            issuer=self.issuer,
            number=" " + self.number if self.number else "",
            date=self.date.isoformat(),
            url=self.url,
        )


def _frozen_days(value: Iterable[dt.date]) -> frozenset[dt.date]:
    return frozenset(value)


def schedule_tuple(value: Iterable[YearSchedule]) -> tuple[YearSchedule, ...]:
    """The schedules as a tuple (an attrs converter)."""
    return tuple(value)


def _frozen_labels(value: Mapping[dt.date, str]) -> Mapping[dt.date, str]:
    return dict(sorted(value.items()))


@attrs.frozen
class YearSchedule:
    """One year's days off and make-up working days for one calendar.

    Attributes:
        calendar: the calendar it completes (``cn``).
        year: the year.
        off: the days off (holidays, the weekend days inside them included).
        work: the make-up working days (Saturdays and Sundays worked, 调休上班).
        notice: the notice the days come from.
        path: the file it was read from, as the policy or the command line named it (``""``
            for a schedule built in code).
        override: whether it may replace a year the calendar already knows.
        labels: the holiday each listed day belongs to (春节), for display.
    """

    calendar: str
    year: int
    off: frozenset[dt.date] = attrs.field(converter=_frozen_days)
    work: frozenset[dt.date] = attrs.field(converter=_frozen_days)
    notice: ScheduleNotice
    path: str = ""
    override: bool = False
    labels: Mapping[dt.date, str] = attrs.field(
        factory=dict, converter=_frozen_labels, eq=attrs.cmp_using(eq=lambda a, b: a == b)
    )
    # Where each key was written, for errors raised after reading (a year already known).
    _lines: Mapping[str, int] = attrs.field(factory=dict, eq=False, repr=False, alias="lines")

    def is_working_day(self, day: dt.date) -> bool:
        """A make-up day, or a Monday-Friday that is not a day off."""
        return day in self.work or (day.weekday() < 5 and day not in self.off)

    def line(self, key: str) -> int | None:
        """The line ``key`` (``year``, ``calendar``) was written on, if read from a file."""
        return self._lines.get(key)

    def describe(self) -> str:
        """``the schedule file cn-2027.toml, copied from <the notice>`` (the notice's title,
        issuer, number, date and address)."""
        notice = self.notice.said()
        if self.path:
            return Msg(
                "the schedule file {path}, copied from {notice}", path=self.path, notice=notice
            )
        return Msg("a user-supplied schedule, copied from {notice}", notice=notice)


def _fail(source: str, text: str, path: KeyPath, reason: str, fix: str) -> PolicyError:
    return PolicyError(source, format_path(path), reason, fix, locate(text, path))


def format_path(path: KeyPath) -> str:
    """``("holidays", 1, "off", 0)`` -> ``holidays[1].off[0]``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


# -- finding lines -------------------------------------------------------------------------------

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_-]+)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=\s*")


def locate(text: str, path: KeyPath) -> int | None:
    """The 1-based line where ``path`` (or its deepest enclosing key or table) is written.

    Follows the layout a schedule file has: ``[notice]``, ``[[holidays]]`` (counted), keys, and
    the elements of an array written over several lines. ``None`` when nothing matches.
    """
    lines = text.splitlines()
    best: tuple[int, int] | None = None  # (depth, line)
    table: KeyPath = ()
    counts: dict[str, int] = {}

    def note(found: KeyPath, number: int) -> None:
        nonlocal best
        if path[: len(found)] == found and (best is None or len(found) > best[0]):
            best = (len(found), number)

    for number, line in enumerate(lines, start=1):
        header = _HEADER.match(line.lstrip("\ufeff"))
        if header is not None:
            name = header[2]
            if header[1] == "[[":
                counts[name] = counts.get(name, -1) + 1
                table = (name, counts[name])
                note((name,), number)
            else:
                table = (name,)
            note(table, number)
            continue
        key = _KEY.match(line.lstrip("\ufeff"))
        if key is None:
            continue
        full = (*table, key[1])
        note(full, number)
        if len(path) > len(full) and path[: len(full)] == full and isinstance(path[len(full)], int):
            element = _element_line(lines, number - 1, key.end(), int(path[len(full)]))
            if element is not None:
                note((*full, path[len(full)]), element)
    return None if best is None else best[1]


def _element_line(lines: Sequence[str], row: int, column: int, index: int) -> int | None:
    """The line of element ``index`` of the array starting at ``lines[row][column]``."""
    if not lines[row][column:].startswith("["):
        return None
    depth, count, quote, expect = 0, -1, "", False
    for r in range(row, len(lines)):
        line = lines[r]
        c = column if r == row else 0
        while c < len(line):
            char = line[c]
            c += 1
            if quote:  # inside a string: only its end (or an escape) matters
                if char == "\\" and quote == '"':
                    c += 1
                elif char == quote:
                    quote = ""
                continue
            if char == "#":
                break
            if char.isspace():
                continue
            if depth == 1 and expect and char not in ",]":
                count += 1
                expect = False
                if count == index:
                    return r + 1
            if char in "\"'":
                quote = char
            elif char in "[{":
                depth += 1
                expect = expect or depth == 1
            elif char in "]}":
                depth -= 1
                if depth == 0:
                    return None
            elif char == "," and depth == 1:
                expect = True
    return None


# -- reading -------------------------------------------------------------------------------------


@attrs.define
class _Reader:
    text: str
    source: str

    def fail(self, path: KeyPath, reason: str, fix: str) -> PolicyError:
        return _fail(self.source, self.text, path, reason, fix)

    def only(self, table: Mapping[str, Any], known: Sequence[str], path: KeyPath) -> None:
        for key in table:
            if key not in known:
                raise self.fail(
                    (*path, key),
                    Msg("unknown key {key!r}", key=key),
                    Msg("use one of: {known}", known=", ".join(known)),
                )

    def need(self, table: Mapping[str, Any], key: str, path: KeyPath, example: str) -> Any:
        if key not in table:
            raise self.fail(
                path,
                Msg("the key {key!r} is missing", key=key),
                Msg(
                    "add `{example}` to the [{table}] table",
                    example=example,
                    table=format_path(path),
                )
                if path
                else Msg("add `{example}` to the file", example=example),
            )
        return table[key]

    def text_value(self, value: Any, path: KeyPath, example: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(
                path,
                Msg("{value} is not a non-empty string", value=_shown(value)),
                Msg("write {example}", example=Msg.of(example)),
            )
        return value.strip()

    def read(self) -> YearSchedule:
        document = self.document()
        self.only(document, TOP_KEYS, ())
        schema = self.need(document, "schema", (), f"schema = {SCHEDULE_SCHEMA}")
        if schema != SCHEDULE_SCHEMA or isinstance(schema, bool):
            raise self.fail(
                ("schema",),
                Msg("schema {schema} is not supported", schema=_shown(schema)),
                Msg("this rectflow reads schema = {schema}", schema=SCHEDULE_SCHEMA),
            )
        calendar = self.text_value(
            self.need(document, "calendar", (), 'calendar = "cn"'),
            ("calendar",),
            N_('the calendar this schedule completes, e.g. calendar = "cn"'),
        )
        year = self.need(document, "year", (), "year = 2027")
        if not isinstance(year, int) or isinstance(year, bool) or not 1 <= year <= 9999:
            raise self.fail(
                ("year",),
                Msg("{value} is not a year", value=_shown(year)),
                N_("write e.g. year = 2027"),
            )
        override = document.get("override", False)
        if not isinstance(override, bool):
            raise self.fail(
                ("override",),
                Msg("{value} is not true or false", value=_shown(override)),
                N_("write true"),
            )
        notice = self.notice(self.need(document, "notice", (), "[notice]"), year)
        holidays = self.need(document, "holidays", (), "[[holidays]]")
        if not isinstance(holidays, list) or not holidays:
            raise self.fail(
                ("holidays",),
                N_("there are no holidays"),
                N_("add a [[holidays]] table per holiday of the notice (name, off, work)"),
            )
        off: dict[dt.date, KeyPath] = {}
        work: dict[dt.date, KeyPath] = {}
        labels: dict[dt.date, str] = {}
        for index, table in enumerate(holidays):
            self.holiday(table, ("holidays", index), year, off, work, labels)
        lines = {key: locate(self.text, (key,)) for key in ("year", "calendar", "override")}
        return YearSchedule(
            calendar,
            year,
            off,
            work,
            notice,
            self.source,
            override,
            labels,
            lines={key: line for key, line in lines.items() if line is not None},
        )

    def document(self) -> dict[str, Any]:
        try:
            return tomllib.loads(self.text.removeprefix("\ufeff"))
        except RecursionError:
            raise PolicyError(
                self.source,
                "",
                N_("the document nests inline tables or arrays too deeply to read"),
                N_("a schedule needs only a few levels: remove the deep nesting"),
            ) from None
        except tomllib.TOMLDecodeError as error:
            line = re.search(r"line (\d+)", str(error))
            raise PolicyError(
                self.source,
                "",
                Msg("not valid TOML ({error})", error=toml_message(str(error))),
                N_("fix the syntax at that place (https://toml.io)"),
                int(line[1]) if line else None,
            ) from error

    def notice(self, table: Any, year: int) -> ScheduleNotice:
        path: KeyPath = ("notice",)
        if not isinstance(table, dict):
            raise self.fail(
                path,
                Msg("{value} is not a table", value=_shown(table)),
                N_("write a [notice] table"),
            )
        self.only(table, NOTICE_KEYS, path)
        title = self.text_value(
            self.need(table, "title", path, 'title = "国务院办公厅关于…年部分节假日安排的通知"'),
            (*path, "title"),
            N_("the notice's title as published"),
        )
        issuer = self.text_value(
            self.need(table, "issuer", path, 'issuer = "国务院办公厅"'),
            (*path, "issuer"),
            N_('who issued it, e.g. "国务院办公厅"'),
        )
        number = table.get("number", "")
        if not isinstance(number, str):
            raise self.fail(
                (*path, "number"),
                Msg("{value} is not a string", value=_shown(number)),
                N_("quote it"),
            )
        issued = self.need(table, "date", path, "date = 2026-11-12")
        if not isinstance(issued, dt.date) or isinstance(issued, dt.datetime):
            raise self.fail(
                (*path, "date"),
                Msg("{value} is not a date", value=_shown(issued)),
                N_("write the day it was issued as a bare TOML date: date = 2026-11-12"),
            )
        if issued > dt.date(year, 12, 31):
            raise self.fail(
                (*path, "date"),
                Msg(
                    "the notice is dated {issued}, after the year {year} it schedules",
                    issued=issued,
                    year=year,
                ),
                N_("write the date printed on the notice (it comes out before or during the year)"),
            )
        url = self.text_value(
            self.need(table, "url", path, 'url = "https://www.gov.cn/…"'),
            (*path, "url"),
            N_("the address where the notice is published"),
        )
        if not url.startswith(("https://", "http://")):
            raise self.fail(
                (*path, "url"),
                Msg("{value} is not a web address", value=_shown(url)),
                N_("write the notice's address, starting with https://"),
            )
        return ScheduleNotice(title, issuer, issued, url, number.strip())

    def holiday(
        self,
        table: Any,
        path: KeyPath,
        year: int,
        off: dict[dt.date, KeyPath],
        work: dict[dt.date, KeyPath],
        labels: dict[dt.date, str],
    ) -> None:
        if not isinstance(table, dict):
            raise self.fail(
                path,
                Msg("{value} is not a table", value=_shown(table)),
                N_("write a [[holidays]] table"),
            )
        self.only(table, HOLIDAY_KEYS, path)
        name = self.text_value(
            self.need(table, "name", path, 'name = "春节"'),
            (*path, "name"),
            N_('the holiday\'s name as the notice gives it, e.g. "春节"'),
        )
        days_off = self.days(
            self.need(table, "off", path, 'off = ["2027-01-01..2027-01-03"]'), (*path, "off"), year
        )
        for day, where in days_off:
            self.add(day, where, off, work, "off", name, labels)
        for day, where in self.days(table.get("work", []), (*path, "work"), year):
            if day.weekday() < 5:
                raise self.fail(
                    where,
                    Msg(
                        "{day} is a {weekday}, not a weekend day",
                        day=day,
                        weekday=Msg.of(_WEEKDAYS[day.weekday()]),
                    ),
                    N_(
                        "list only the Saturdays and Sundays the notice says are worked "
                        "(调休上班); a weekday is a working day already"
                    ),
                )
            self.add(day, where, work, off, "work", name, labels)

    def add(
        self,
        day: dt.date,
        where: KeyPath,
        into: dict[dt.date, KeyPath],
        other: dict[dt.date, KeyPath],
        kind: str,
        name: str,
        labels: dict[dt.date, str],
    ) -> None:
        if day in other:
            raise self.fail(
                where,
                Msg(
                    "{day} is both a day off and a make-up working day (also at {other})",
                    day=day,
                    other=format_path(other[day]),
                ),
                N_("check the notice: a day is either off (放假) or worked (上班), keep only one"),
            )
        if day in into:
            raise self.fail(
                where,
                Msg(
                    "{day} is listed twice (also at {other})", day=day, other=format_path(into[day])
                ),
                N_("list each day once"),
            )
        into[day] = where
        labels[day] = name

    def days(self, value: Any, path: KeyPath, year: int) -> list[tuple[dt.date, KeyPath]]:
        if not isinstance(value, list):
            raise self.fail(
                path,
                Msg("{value} is not a list", value=_shown(value)),
                Msg(
                    'write a list of days or ranges, e.g. ["{year}-10-01..{year}-10-07"]', year=year
                ),
            )
        found: list[tuple[dt.date, KeyPath]] = []
        for index, item in enumerate(value):
            where = (*path, index)
            first, last = self.day_or_range(item, where)
            for day in (first, last):
                if day.year != year:
                    said = (
                        N_(
                            "list only days of {year}; a day of {other} belongs in that year's "
                            "schedule (a weekend day: leave it out)"
                        )
                        if day.weekday() >= 5
                        else N_(
                            "list only days of {year}; a day of {other} belongs in that year's "
                            "schedule"
                        )
                    )
                    raise self.fail(
                        where,
                        Msg(
                            "{day} is outside {year}, the year this file schedules",
                            day=day,
                            year=year,
                        ),
                        Msg(said, year=year, other=day.year),
                    )
            day = first
            while day <= last:
                found.append((day, where))
                day += dt.timedelta(days=1)
        return found

    def day_or_range(self, item: Any, where: KeyPath) -> tuple[dt.date, dt.date]:
        if isinstance(item, dt.date) and not isinstance(item, dt.datetime):
            return item, item
        fix = N_('write a date (2027-10-01, or "2027-10-01") or a range "2027-10-01..2027-10-07"')
        if not isinstance(item, str):
            raise self.fail(
                where, Msg("{value} is not a day or a range of days", value=_shown(item)), fix
            )
        parts = [part.strip() for part in item.split("..")]
        if len(parts) > 2 or not all(_DAY.match(part) for part in parts):
            raise self.fail(
                where,
                Msg("can't read {value} as a day or a range of days", value=_shown(item)),
                fix,
            )
        try:
            days = [dt.date.fromisoformat(part) for part in parts]
        except ValueError as error:
            raise self.fail(
                where,
                Msg(
                    "{value} is not a day of the calendar ({error})",
                    value=_shown(item),
                    error=Msg.of(str(error)),
                ),
                fix,
            ) from None
        if days[-1] < days[0]:
            raise self.fail(
                where,
                Msg("the range {item!r} ends before it begins", item=item),
                N_("write the first day before the last: FIRST..LAST"),
            )
        return days[0], days[-1]


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:60]}…({len(text)} characters)"


def loads_schedule(text: str, *, source: str = "<schedule>") -> YearSchedule:
    """Read a schedule from TOML text, strictly (a leading byte-order mark is allowed).

    Raises:
        PolicyError: naming ``source``, the key path and the line, what is wrong and the fix.
    """
    return _Reader(text, source).read()


def load_schedule(path: str | Path, *, shown_as: str | None = None) -> YearSchedule:
    """Read a schedule file (see :func:`loads_schedule`).

    Args:
        path: the file.
        shown_as: the name errors and caveats give it (default: ``path``).
    """
    source = str(path) if shown_as is None else shown_as
    raw = read_input(
        path,
        lambda reason, fix: PolicyError(
            source, "", Msg("can't read the schedule file ({reason})", reason=Msg.of(reason)), fix
        ),
    )
    # UTF-8, a byte-order mark dropped; GB18030 refused with how to convert it.
    text = decode_utf8(raw, lambda reason, fix, line: PolicyError(source, "", reason, fix, line))
    return loads_schedule(text.text, source=source)


def dumps_schedule(schedule: YearSchedule) -> str:
    """The schedule as a TOML document :func:`loads_schedule` reads back equal (but ``path``).

    Consecutive days of a holiday are written as ``FIRST..LAST`` ranges.
    """
    notice = schedule.notice
    lines = [
        f"schema = {SCHEDULE_SCHEMA}",
        f"calendar = {_string(schedule.calendar)}",
        f"year = {schedule.year}",
    ]
    if schedule.override:
        lines.append("override = true")
    lines += [
        "",
        "[notice]",
        f"title = {_string(notice.title)}",
        f"issuer = {_string(notice.issuer)}",
    ]
    if notice.number:
        lines.append(f"number = {_string(notice.number)}")
    lines += [f"date = {notice.date.isoformat()}", f"url = {_string(notice.url)}"]
    names: dict[str, tuple[list[dt.date], list[dt.date]]] = {}
    for day in sorted(schedule.off | schedule.work):
        entry = names.setdefault(schedule.labels.get(day, "holiday"), ([], []))
        entry[0 if day in schedule.off else 1].append(day)
    for name, (off, work) in names.items():
        lines += ["", "[[holidays]]", f"name = {_string(name)}", f"off = [{_ranges(off)}]"]
        if work:
            lines.append(f"work = [{', '.join(day.isoformat() for day in work)}]")
    return "\n".join(lines) + "\n"


def _string(text: str) -> str:
    """``text`` as a TOML basic string (control characters escaped)."""
    return tomli_w.dumps({"k": text})[4:-1]


def _ranges(days: Sequence[dt.date]) -> str:
    runs: list[list[dt.date]] = []
    for day in days:
        if runs and runs[-1][-1] + dt.timedelta(days=1) == day:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(
        f'"{run[0].isoformat()}..{run[-1].isoformat()}"' if len(run) > 1 else run[0].isoformat()
        for run in runs
    )


# -- counting with schedules ---------------------------------------------------------------------


def check_schedules(
    name: str, schedules: Iterable[YearSchedule], knows: Callable[[int], bool]
) -> dict[int, YearSchedule]:
    """The schedules by year, refused when they cannot complete the calendar called ``name``.

    Args:
        name: the calendar's name.
        schedules: the schedules to add.
        knows: whether the calendar has its own schedule for a year.

    Raises:
        PolicyError: a schedule for another calendar, two schedules for one year, or one for a
            year the calendar knows without ``override = true``; naming the file and line.
    """
    by_year: dict[int, YearSchedule] = {}
    for schedule in schedules:
        if schedule.calendar != name:
            raise PolicyError(
                schedule.path or "<schedule>",
                "calendar",
                Msg(
                    "the schedule is for calendar {calendar!r}, not {name!r}",
                    calendar=schedule.calendar,
                    name=name,
                ),
                Msg(
                    "give it to calendar {calendar!r}, or count with that calendar",
                    calendar=schedule.calendar,
                ),
                schedule.line("calendar"),
            )
        other = by_year.get(schedule.year)
        if other is not None:
            raise PolicyError(
                schedule.path or "<schedule>",
                "year",
                Msg(
                    "{year} is scheduled twice (also by {other})",
                    year=schedule.year,
                    other=other.path or Msg.of(N_("another schedule")),
                ),
                N_("give one schedule per year"),
                schedule.line("year"),
            )
        if not schedule.override and knows(schedule.year):
            raise PolicyError(
                schedule.path or "<schedule>",
                "year",
                Msg("calendar {name!r} already knows {year}", name=name, year=schedule.year),
                N_(
                    "drop this schedule, or add `override = true` to count with it instead of the "
                    "calendar's own data"
                ),
                schedule.line("year"),
            )
        by_year[schedule.year] = schedule
    return by_year


def schedule_caveat(
    first: dt.date,
    last: dt.date,
    by_year: Mapping[int, YearSchedule],
    rest: Callable[[dt.date, dt.date], str | None],
) -> str | None:
    """The caveat for ``first``..``last``: the scheduled years with their notices, and
    ``rest``'s caveat for each run of other years (``None`` when there is nothing to say)."""
    notes: list[str] = []  # each a Msg where it can be said in Chinese
    run: list[int] = []

    def flush() -> None:
        if run:
            begin = max(first, dt.date(run[0], 1, 1))
            end = min(last, dt.date(run[-1], 12, 31))
            note = rest(begin, end)
            if note:
                notes.append(note)
            run.clear()

    for year in range(first.year, last.year + 1):
        schedule = by_year.get(year)
        if schedule is None:
            run.append(year)
            continue
        flush()
        notes.append(Msg("{year} counted with {schedule}", year=year, schedule=schedule.describe()))
    flush()
    if not notes:
        return None
    said = Msg.of(notes[0])
    for note in notes[1:]:
        said = Msg("{first}; {second}", first=said, second=Msg.of(note))
    return said


def _knows(calendar: Calendar, year: int) -> bool:
    try:
        calendar.is_working_day(dt.date(year, 1, 1))
    except UnknownYearError:
        return False
    return True


@attrs.frozen
class ScheduledCalendar:
    """A calendar completed by schedules: their years are counted with them, others by ``inner``.

    What a policy's ``[calendar] schedules`` ask for. Building one checks the schedules against
    the calendar (see :func:`check_schedules`).

    Attributes:
        inner: the calendar the schedules complete.
        schedules: the schedules.
    """

    inner: Calendar
    schedules: tuple[YearSchedule, ...] = attrs.field(converter=schedule_tuple)
    _by_year: dict[int, YearSchedule] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        by_year = check_schedules(self.name, self.schedules, lambda y: _knows(self.inner, y))
        object.__setattr__(self, "_by_year", by_year)

    @property
    def name(self) -> str:
        """The inner calendar's name."""
        return self.inner.name

    def schedule_for(self, year: int) -> YearSchedule | None:
        """The schedule counted with for ``year``, or ``None`` when ``inner`` answers."""
        return self._by_year.get(year)

    def is_working_day(self, day: dt.date) -> bool:
        """The schedule's answer in a scheduled year, otherwise the inner calendar's."""
        schedule = self._by_year.get(day.year)
        if schedule is not None:
            return schedule.is_working_day(day)
        return self.inner.is_working_day(day)

    def caveat(self, first: dt.date, last: dt.date) -> str | None:
        """The scheduled years with their files and notices, and the inner caveat for the rest."""
        return schedule_caveat(first, last, self._by_year, self.inner.caveat)


def with_schedules(calendar: Calendar, schedules: Sequence[YearSchedule]) -> Calendar:
    """``calendar`` completed by ``schedules`` (itself when there are none)."""
    return ScheduledCalendar(calendar, schedules) if schedules else calendar
