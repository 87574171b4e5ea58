"""``rectflow calendar show``: the working-day calendar of one year, and where it comes from.

Prints the weekdays that are not working days (holidays) and the weekend days that are (make-up
working days, 调休上班) of a year, under a calendar completed by schedule files (``--schedule``,
a policy's ``[calendar] schedules``), and says whether the year comes from the calendar's own
data or from a schedule file and its notice. A year nobody knows exits with 2 and one line.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import attrs
import click

from rectflow._cli.check import _DISABLE, _plugins, _warn
from rectflow._i18n import LANGS, N_, NP_, Msg, Words, default_lang, translate
from rectflow._rules.calendar import Calendar, WeekdayCalendar
from rectflow._rules.isolation import PluginCalendar
from rectflow._rules.policy_file import load_named_policy
from rectflow._rules.schedules import (
    ScheduledCalendar,
    YearSchedule,
    load_schedule,
    with_schedules,
)
from rectflow.errors import RectflowError, UnknownYearError

__all__ = ["COMMANDS", "YEAR_FORMAT", "YearView", "year_view"]

YEAR_FORMAT = "rectflow.calendar-year v1"
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")

# Every word `calendar show` prints, in English; the Chinese is in the catalogue.
WORDS = Words(
    {
        "head": N_("calendar {name!r}, {year}: from {source}"),
        "off": N_("weekdays that are not working days"),
        "worked": N_("weekend days that are working days"),
        "title": N_("{title} ({n}):"),
        "none": NP_("days", "  (none)"),
    }
)


@attrs.frozen
class Deviation:
    """A day that is not what Monday-Friday says: a weekday off or a weekend day worked."""

    day: dt.date
    label: str | None

    def to_dict(self) -> dict[str, Any]:
        """``{"date": "2027-10-01", "weekday": "Fri", "label": "国庆节"}``."""
        return {
            "date": self.day.isoformat(),
            "weekday": _WEEKDAYS[self.day.weekday()],
            "label": self.label,
        }


@attrs.frozen
class YearView:
    """One year of a calendar: its exceptions to Monday-Friday and where they come from.

    Attributes:
        calendar: the calendar's name.
        year: the year.
        source: where the year's holidays come from, in words.
        schedule: the schedule file counted with for the year, when one is.
        plugin: the plugin that provides the calendar (``None`` for the core's).
        days_off: the weekdays that are not working days.
        days_worked: the Saturdays and Sundays that are working days.
    """

    calendar: str
    year: int
    source: str
    schedule: YearSchedule | None
    plugin: str | None
    days_off: tuple[Deviation, ...]
    days_worked: tuple[Deviation, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``format`` = :data:`YEAR_FORMAT`)."""
        source: dict[str, Any]
        if self.schedule is not None:
            notice = self.schedule.notice
            source = {
                "kind": "schedule",
                "file": self.schedule.path,
                "override": self.schedule.override,
                "notice": {
                    "title": notice.title,
                    "issuer": notice.issuer,
                    "number": notice.number or None,
                    "date": notice.date.isoformat(),
                    "url": notice.url,
                },
            }
        else:
            source = {"kind": "calendar", "plugin": self.plugin, "text": self.source}
        return {
            "format": YEAR_FORMAT,
            "calendar": self.calendar,
            "year": self.year,
            "source": source,
            "non_working_weekdays": [day.to_dict() for day in self.days_off],
            "working_weekends": [day.to_dict() for day in self.days_worked],
        }

    def render_text(self, lang: str = "en") -> str:
        """A few lines a person reads: the source, then the two lists of days."""
        w = WORDS[lang]
        source = translate(lang, self.source)
        lines = [w["head"].format(name=self.calendar, year=self.year, source=source)]
        weekdays = _WEEKDAYS_ZH if lang == "zh" else _WEEKDAYS
        for title, days in ((w["off"], self.days_off), (w["worked"], self.days_worked)):
            lines.append(w["title"].format(title=title, n=len(days)))
            lines += [
                f"  {d.day.isoformat()} {weekdays[d.day.weekday()]}"
                + (f"  {translate(lang, d.label)}" if d.label else "")
                for d in days
            ] or [w["none"]]
        return "\n".join(lines) + "\n"


def _unwrap(calendar: Calendar) -> tuple[Any, str | None]:
    """The plugin's own calendar object and the plugin's name (``None`` for the core's)."""
    if isinstance(calendar, PluginCalendar):
        return calendar.inner, calendar.plugin
    return calendar, None


def _ask(inner: Any, method: str, *args: Any) -> str | None:
    """An optional descriptive method of a plugin's calendar (``source``, ``label``), or None.

    These are for display only: a plugin without them, or whose answer is not a str, is
    described generically rather than failing the command.
    """
    found = getattr(inner, method, None)
    if not callable(found):
        return None
    try:
        answer = found(*args)
    except Exception:  # display only: the counting itself is isolated
        return None
    return answer if isinstance(answer, str) else None


def year_view(calendar: Calendar, year: int) -> YearView:
    """The year under ``calendar`` (completed by schedules or not).

    Raises:
        RectflowError: nobody knows ``year`` (one line, saying how to supply it).
    """
    outer = calendar
    schedule = outer.schedule_for(year) if isinstance(outer, ScheduledCalendar) else None
    inner, plugin = _unwrap(outer.inner if isinstance(outer, ScheduledCalendar) else outer)
    try:
        calendar.is_working_day(dt.date(year, 1, 1))
    except UnknownYearError as error:
        raise RectflowError(
            Msg(
                "calendar {name!r} has no holiday schedule for {year} (it knows {first}-{last}): "
                "copy the State Council's notice for {year} into a schedule file and give it "
                "with --schedule FILE or a policy's [calendar] schedules (docs/policies.md, "
                "Calendar)",
                name=calendar.name,
                year=year,
                first=error.known[0],
                last=error.known[1],
            )
        ) from None
    if schedule is not None:
        source = schedule.describe()
    elif isinstance(inner, WeekdayCalendar):
        source = N_("Monday-Friday (the core calendar; public holidays not considered)")
    else:
        own = _ask(inner, "source", year)
        source = (
            own
            if own is not None
            else Msg("calendar {name!r} of plugin {plugin!r}", name=calendar.name, plugin=plugin)
        )
    off: list[Deviation] = []
    worked: list[Deviation] = []
    day = dt.date(year, 1, 1)
    while day.year == year:
        working = calendar.is_working_day(day)
        if working != (day.weekday() < 5):
            label = schedule.labels.get(day) if schedule is not None else _ask(inner, "label", day)
            (worked if working else off).append(Deviation(day, label))
        if day == dt.date.max:
            break
        day += dt.timedelta(days=1)
    return YearView(calendar.name, year, source, schedule, plugin, tuple(off), tuple(worked))


@click.group("calendar")
def calendar_group() -> None:
    """Working-day calendars: what a year's holidays are, and where they come from."""


@calendar_group.command("show")
@click.argument("year", type=click.IntRange(1, 9999))
@click.option(
    "--calendar",
    "name",
    default=None,
    help="The working-day calendar (weekdays, or a plugin's: cn); default: the policy's, "
    "else weekdays.",
)
@click.option(
    "--schedule",
    "schedules",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="A schedule file for a year the calendar does not know (repeatable).",
)
@click.option(
    "--policy",
    default=None,
    metavar="POLICY",
    help="A preset or policy file whose [calendar] table (name, schedules) is used.",
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Text for people, JSON for programs.",
)
@click.option(
    "--lang",
    type=click.Choice(LANGS),
    default=default_lang,
    show_default="zh when the locale is zh_CN, else en",
    help="The language of the text (json is the same in both).",
)
@_DISABLE
def show_command(
    year: int,
    name: str | None,
    schedules: tuple[Path, ...],
    policy: str | None,
    output: str,
    lang: str,
    disable: tuple[str, ...],
) -> None:
    """Print YEAR's weekdays off and weekend days worked, and where they come from."""
    plugins = _plugins(disable)
    settings = load_named_policy(policy, plugins).calendar if policy is not None else None
    chosen = name if name is not None else settings.name if settings is not None else "weekdays"
    found = plugins.calendar(chosen, isolated=True)
    _warn(plugins, lang)
    # The policy's schedules complete the policy's calendar, not one --calendar chose instead.
    ours = settings is not None and settings.name == chosen
    supplied = (*(settings.schedules if settings is not None and ours else ()),)
    supplied += tuple(load_schedule(path) for path in schedules)
    view = year_view(with_schedules(found, supplied), year)
    if output == "json":
        click.echo(json.dumps(view.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(view.render_text(lang), nl=False)


COMMANDS: list[click.Command] = [calendar_group]
