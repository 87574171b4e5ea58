"""User-supplied years for `cn`: the shipped 2026 example against the package, the caveat, and a
schedule generated from the package's own data giving the package's working days.

The only real schedule here is examples/cn-2026.toml, copied from the State Council's notice for
2026 (国务院办公厅, 2025-11-04). Every other schedule is for a MADE-UP year and says so.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rectflow_cn_workdays import ChinaWorkdays, known_years

import rectflow
from rectflow._rules.schedules import (
    ScheduledCalendar,
    ScheduleNotice,
    YearSchedule,
    dumps_schedule,
    load_schedule,
    loads_schedule,
)
from rectflow.errors import PolicyError, UnknownYearError

EXAMPLE_2026 = Path(__file__).resolve().parents[1] / "examples" / "cn-2026.toml"
FIFTEEN = rectflow.Duration.parse("15 working days")
FIRST, LAST = known_years()


def _days(year: int) -> list[dt.date]:
    first = dt.date(year, 1, 1)
    return [first + dt.timedelta(days=n) for n in range((dt.date(year, 12, 31) - first).days + 1)]


def test_the_2026_example_copied_from_the_notice_gives_the_packages_2026() -> None:
    """Every day of 2026 from the example file is what chinesecalendar says: the format holds a
    real notice (7 holidays, 6 make-up days), and the example is a faithful template."""
    schedule = load_schedule(EXAMPLE_2026)
    assert (schedule.year, schedule.override, schedule.calendar) == (2026, True, "cn")
    assert schedule.notice.title == "国务院办公厅关于2026年部分节假日安排的通知"
    assert schedule.notice.date == dt.date(2025, 11, 4)
    from_file = ChinaWorkdays(schedules=(schedule,))
    package = ChinaWorkdays()
    assert [from_file.is_working_day(d) for d in _days(2026)] == [
        package.is_working_day(d) for d in _days(2026)
    ]
    assert from_file.label(dt.date(2026, 2, 28)) == "春节"  # a Saturday worked


def test_a_schedule_for_a_year_the_package_knows_is_refused_without_override() -> None:
    """The example without `override = true`: refused, naming the file, `year`, line and fix."""
    text = EXAMPLE_2026.read_text(encoding="utf-8").replace("override = true", "")
    schedule = loads_schedule(text, source="cn-2026.toml")
    with pytest.raises(PolicyError) as raised:
        ChinaWorkdays(schedules=(schedule,))
    error = raised.value
    assert (error.source, error.key_path, error.line) == ("cn-2026.toml", "year", 9)
    assert "calendar 'cn' already knows 2026" in str(error)
    assert "override = true" in error.fix


def test_a_deadline_across_a_year_the_package_lacks_counts_with_the_users_schedule() -> None:
    """A package that stopped at 2025 (as 1.10 did) plus the 2026 notice's file counts
    2025-12-20 + 15 working days exactly as the package that knows 2026; its caveat names the
    file and the notice, where a package without the file refuses the year."""
    older = ChinaWorkdays(years=(FIRST, 2025))
    with pytest.raises(UnknownYearError):
        rectflow.add_duration(dt.date(2025, 12, 20), FIFTEEN, older)
    completed = ChinaWorkdays(years=(FIRST, 2025), schedules=(load_schedule(EXAMPLE_2026),))
    due = rectflow.add_duration(dt.date(2025, 12, 20), FIFTEEN, completed)
    assert due.on == rectflow.add_duration(dt.date(2025, 12, 20), FIFTEEN, ChinaWorkdays()).on
    # 1-2 Jan off, Sunday 4 Jan worked: 12 January; Monday-Friday would say 9 January.
    assert (due.on, rectflow.add_duration(dt.date(2025, 12, 20), FIFTEEN).on) == (
        dt.date(2026, 1, 12),
        dt.date(2026, 1, 9),
    )
    assert due.caveat == (
        f"2026 counted with the schedule file {EXAMPLE_2026}, copied from "
        "国务院办公厅关于2026年部分节假日安排的通知 (国务院办公厅, 2025-11-04, "
        "https://politics.gmw.cn/2025-11/04/content_38391083.htm)"
    )


MADE_UP_2027 = """# 虚构的2027年安排,仅供测试:不是官方通知(2027年的通知发布后,请按通知抄写)。
schema = 1
calendar = "cn"
year = 2027

[notice]
title = "虚构:2027年部分节假日安排(测试用,非官方)"
issuer = "测试办公室"
date = 2026-11-02
url = "https://example.invalid/made-up-2027"

[[holidays]]
name = "虚构假日"
off = ["2027-01-01..2027-01-03"]
work = [2027-01-09]
"""


def test_the_caveat_names_the_user_supplied_year_and_the_years_nobody_knows() -> None:
    """From the package's last year through a made-up next year into one nobody knows."""
    made_up = loads_schedule(MADE_UP_2027, source="cn-2027-made-up.toml")
    cn = ChinaWorkdays(years=(FIRST, 2026), schedules=(made_up,))
    assert cn.caveat(dt.date(2026, 12, 1), dt.date(2026, 12, 31)) is None
    caveat = cn.caveat(dt.date(2026, 12, 1), dt.date(2028, 1, 10))
    assert caveat == (
        "2027 counted with the schedule file cn-2027-made-up.toml, copied from "
        "虚构:2027年部分节假日安排(测试用,非官方) (测试办公室, 2026-11-02, "
        "https://example.invalid/made-up-2027); calendar 'cn' has no holiday schedule for "
        "2028 (it knows 2004-2026); working days there are Monday-Friday guesses"
    )
    assert cn.source(2027) == made_up.describe()
    assert cn.source(2028) is None
    assert cn.source(2024) == (
        f"the chinesecalendar package {chinese_calendar.__version__} (it knows 2004-2026)"
    )


def test_a_schedule_for_another_calendar_is_refused_by_cn() -> None:
    """A file for calendar 'made-up' does not complete 'cn'."""
    other = loads_schedule(MADE_UP_2027.replace('calendar = "cn"', 'calendar = "hk"'), source="x")
    with pytest.raises(PolicyError, match="for calendar 'hk', not 'cn'") as raised:
        ChinaWorkdays(years=(FIRST, 2026), schedules=(other,))
    assert raised.value.line == 3


def test_the_core_wrapper_and_the_plugin_agree_on_a_user_supplied_year() -> None:
    """A policy's schedules reach `cn` through ScheduledCalendar: the same days either way."""
    made_up = loads_schedule(MADE_UP_2027, source="cn-2027-made-up.toml")
    inner = ChinaWorkdays(years=(FIRST, 2026))
    wrapped = ScheduledCalendar(inner, (made_up,))
    own = ChinaWorkdays(years=(FIRST, 2026), schedules=(made_up,))
    days = _days(2027)
    assert [wrapped.is_working_day(d) for d in days] == [own.is_working_day(d) for d in days]
    assert wrapped.caveat(dt.date(2026, 12, 1), dt.date(2027, 2, 1)) == own.caveat(
        dt.date(2026, 12, 1), dt.date(2027, 2, 1)
    )


# -- the package's own data as schedule files ----------------------------------------------------


def package_schedule(year: int) -> YearSchedule:
    """``year`` as chinesecalendar has it, as a schedule (override: the package knows it)."""
    off = {d: str(n) for d, n in chinese_calendar.constants.holidays.items() if d.year == year}
    work = {d: str(n) for d, n in chinese_calendar.constants.workdays.items() if d.year == year}
    notice = ScheduleNotice(
        f"chinesecalendar {chinese_calendar.__version__}, {year}",
        "the chinesecalendar package (for this test only)",
        dt.date(year - 1, 12, 1),
        "https://pypi.org/project/chinesecalendar/",
    )
    return YearSchedule("cn", year, off, work, notice, "", True, {**off, **work})


@pytest.mark.parametrize("year", range(FIRST, LAST + 1))
def test_every_known_year_written_as_a_file_reads_back_as_the_package_has_it(
    year: int, tmp_path: Path
) -> None:
    """Every year the package knows, dumped to a file and read strictly, counts every day of
    the year as the package does: the format can hold what the State Council published."""
    path = tmp_path / f"cn-{year}.toml"
    path.write_text(dumps_schedule(package_schedule(year)), encoding="utf-8")
    from_file = ChinaWorkdays(schedules=(load_schedule(path),))
    package = ChinaWorkdays()
    assert [from_file.is_working_day(d) for d in _days(year)] == [
        package.is_working_day(d) for d in _days(year)
    ]


_ALL_FROM_FILES = ChinaWorkdays(
    schedules=tuple(
        loads_schedule(dumps_schedule(package_schedule(y)), source=f"cn-{y}.toml")
        for y in range(FIRST, LAST + 1)
    )
)


@given(
    start=st.dates(dt.date(FIRST, 1, 1), dt.date(LAST, 10, 31)),
    amount=st.integers(0, 40),
)
def test_property_deadlines_from_generated_files_equal_the_packages(
    start: dt.date, amount: int
) -> None:
    """Any working-day deadline inside the known years: every year read from a generated file
    gives the package's due date (the caveat then names the files instead)."""
    duration = rectflow.Duration(amount, rectflow.Unit.WORKING_DAYS)
    expected = rectflow.add_duration(start, duration, ChinaWorkdays())
    assert expected.caveat is None
    assert rectflow.add_duration(start, duration, _ALL_FROM_FILES).on == expected.on
