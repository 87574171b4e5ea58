"""Schedule files: a year's holidays and make-up days, read strictly, for calendars and policies.

Every schedule here is for a MADE-UP year (2098, 2099, ...): the days are invented for the
tests and are no official schedule. The one real schedule (2026, copied from the State Council's
notice) is the plugin's example file, tested in plugins/rectflow-cn-workdays/tests.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rectflow
from rectflow._rules.policy_file import dumps_policy, load_policy, loads_policy
from rectflow._rules.schedules import (
    ScheduledCalendar,
    ScheduleNotice,
    YearSchedule,
    dumps_schedule,
    load_schedule,
    loads_schedule,
    with_schedules,
)
from rectflow.errors import PolicyError, UnknownYearError

FIFTEEN = rectflow.Duration.parse("15 working days")

# A made-up year, written as a user would: Chinese comments, a byte-order mark, CRLF line ends.
MADE_UP_2099 = """\ufeff# 虚构的2099年安排:仅供测试,不是任何官方通知。
schema = 1
calendar = "made-up"
year = 2099

[notice]  # 通知
title = "虚构:2099年部分节假日安排(测试用)"
issuer = "测试办公室"
number = "测试〔2098〕1号"
date = 2098-11-02
url = "https://example.invalid/made-up-2099"

# 一、元旦(虚构):1月1日至3日放假,共3天。1月4日(周日)上班。
[[holidays]]
name = "元旦(虚构)"
off = ["2099-01-01..2099-01-03"]
work = [2099-01-04]

# 二、春节(虚构):2月14日至20日放假,2月21日(周六)上班。
[[holidays]]
name = "春节(虚构)"
off = [
  "2099-02-14..2099-02-17",
  2099-02-18,
  "2099-02-19",
  "2099-02-20",
]
work = ["2099-02-21"]

[[holidays]]
name = "国庆节(虚构)"
off = ["2099-10-01..2099-10-07"]
work = [2099-09-27, 2099-10-10]
""".replace("\n", "\r\n")


@attrs.frozen
class Knows2098:
    """A test calendar called ``made-up``: Monday-Friday in 2098, no other year."""

    name: str = "made-up"

    def caveat(self, first: dt.date, last: dt.date) -> str | None:
        return None

    def is_working_day(self, day: dt.date) -> bool:
        if day.year != 2098:
            raise UnknownYearError(self.name, day.year, (2098, 2098))
        return day.weekday() < 5


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_a_file_with_a_bom_crlf_and_chinese_comments_reads_with_its_notice_and_days(
    tmp_path: Path,
) -> None:
    """Ranges, bare TOML dates and quoted dates all count; every day keeps its holiday's name."""
    schedule = load_schedule(_write(tmp_path, "made-up-2099.toml", MADE_UP_2099))
    assert (schedule.calendar, schedule.year, schedule.override) == ("made-up", 2099, False)
    assert schedule.notice == ScheduleNotice(
        "虚构:2099年部分节假日安排(测试用)",
        "测试办公室",
        dt.date(2098, 11, 2),
        "https://example.invalid/made-up-2099",
        "测试〔2098〕1号",
    )
    assert len(schedule.off) == 3 + 7 + 7
    assert schedule.work == {
        dt.date(2099, 1, 4),
        dt.date(2099, 2, 21),
        dt.date(2099, 9, 27),
        dt.date(2099, 10, 10),
    }
    assert schedule.labels[dt.date(2099, 2, 18)] == "春节(虚构)"
    assert schedule.path == str(tmp_path / "made-up-2099.toml")
    assert not schedule.is_working_day(dt.date(2099, 1, 2))  # a Friday off
    assert schedule.is_working_day(dt.date(2099, 1, 4))  # a Sunday worked
    assert not schedule.is_working_day(dt.date(2099, 1, 10))  # an ordinary Saturday
    assert schedule.is_working_day(dt.date(2099, 1, 5))  # an ordinary Monday


def test_dumping_a_schedule_reads_back_equal_with_ranges_for_runs_of_days() -> None:
    """``dumps_schedule`` writes ranges; reading its text gives the same schedule."""
    schedule = loads_schedule(MADE_UP_2099, source="made-up-2099.toml")
    text = dumps_schedule(schedule)
    assert 'off = ["2099-01-01..2099-01-03"]' in text
    assert loads_schedule(text, source="made-up-2099.toml") == schedule


GOOD_HEAD = """schema = 1
calendar = "made-up"
year = 2099

[notice]
title = "虚构的通知"
issuer = "测试办公室"
date = 2098-11-02
url = "https://example.invalid/n"
"""

# Each bad document marks the line the error must name with "# <-".
BAD = [
    pytest.param(
        GOOD_HEAD
        + """
[[holidays]]
name = "甲"
off = ["2099-01-01..2099-01-03"]
work = [2099-01-04]

[[holidays]]
name = "乙"
off = [2099-02-16]
work = [2099-01-04]  # <-
""",
        "holidays[1].work[0]",
        ("2099-01-04 is listed twice", "holidays[0].work[0]"),
        id="make-up-day-twice",
    ),
    pytest.param(
        GOOD_HEAD
        + """
[[holidays]]
name = "甲"
off = ["2099-01-01..2099-01-03"]
work = [2099-01-03]  # <-
""",
        "holidays[0].work[0]",
        ("2099-01-03 is both a day off and a make-up working day", "keep only one"),
        id="off-and-worked",
    ),
    pytest.param(
        GOOD_HEAD
        + """
[[holidays]]
name = "甲"
off = [
  "2099-01-01..2099-01-02",
  "2098-12-31..2099-01-01",  # <-
]
""",
        "holidays[0].off[1]",
        ("2098-12-31 is outside 2099", "list only days of 2099"),
        id="outside-the-year",
    ),
    pytest.param(
        GOOD_HEAD
        + """
[[holidays]]
name = "甲"
off = ["2099-01-01..2099-01-03"]
work = [2099-01-05]  # <-
""",
        "holidays[0].work[0]",
        ("2099-01-05 is a Mon, not a weekend day", "only the Saturdays and Sundays"),
        id="make-up-on-a-weekday",
    ),
    pytest.param(
        GOOD_HEAD.replace(
            'issuer = "测试办公室"', 'issuer = "测试办公室"\nissued = 2098-11-02  # <-'
        )
        + '\n[[holidays]]\nname = "甲"\noff = [2099-01-01]\n',
        "notice.issued",
        ("unknown key 'issued'", "use one of: title, issuer, number, date, url"),
        id="unknown-notice-key",
    ),
    pytest.param(
        GOOD_HEAD
        + """
[[holidays]]
name = "甲"
off = ["2099-01-05..2099-01-01"]  # <-
""",
        "holidays[0].off[0]",
        ("ends before it begins", "FIRST..LAST"),
        id="backwards-range",
    ),
    pytest.param(
        GOOD_HEAD
        + """
[[holidays]]
name = "甲"
off = ["2099-02-30"]  # <-
""",
        "holidays[0].off[0]",
        ("is not a day of the calendar", "write a date"),
        id="no-such-day",
    ),
    pytest.param(
        GOOD_HEAD.replace("date = 2098-11-02", "date = 2100-01-05  # <-")
        + '\n[[holidays]]\nname = "甲"\noff = [2099-01-01]\n',
        "notice.date",
        ("dated 2100-01-05, after the year 2099", "the date printed on the notice"),
        id="notice-after-the-year",
    ),
    pytest.param(
        GOOD_HEAD.replace('url = "https://example.invalid/n"', 'url = "gov.cn"  # <-')
        + '\n[[holidays]]\nname = "甲"\noff = [2099-01-01]\n',
        "notice.url",
        ("'gov.cn' is not a web address", "https://"),
        id="url",
    ),
    pytest.param(
        GOOD_HEAD.replace("year = 2099", 'year = "2099"  # <-')
        + '\n[[holidays]]\nname = "甲"\noff = [2099-01-01]\n',
        "year",
        ("'2099' is not a year", "year = 2027"),
        id="year-as-text",
    ),
    pytest.param(
        GOOD_HEAD.replace("[notice]", "[notice]  # <-").replace('title = "虚构的通知"\n', "")
        + '\n[[holidays]]\nname = "甲"\noff = [2099-01-01]\n',
        "notice",
        ("the key 'title' is missing", "add `title ="),
        id="missing-title",
    ),
    pytest.param(
        GOOD_HEAD + '\n[[holidays]]\nname = "甲"\noff = "2099-01-01"  # <-\n',
        "holidays[0].off",
        ("is not a list", "write a list of days or ranges"),
        id="off-not-a-list",
    ),
    pytest.param(
        GOOD_HEAD + "\n[[holidays]]\nname = 甲  # <-\noff = [2099-01-01]\n",
        "",
        ("not valid TOML", "(https://toml.io)"),
        id="not-toml",
    ),
]


@pytest.mark.parametrize(("text", "key_path", "words"), BAD)
def test_a_bad_schedule_names_the_file_key_path_line_and_fix(
    text: str, key_path: str, words: tuple[str, ...]
) -> None:
    """The error is one line: file:line: key path: what is wrong; how to fix it."""
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if "# <-" in row)
    with pytest.raises(PolicyError) as raised:
        loads_schedule(text, source="cn-bad.toml")
    error = raised.value
    assert (error.source, error.key_path) == ("cn-bad.toml", key_path)
    assert error.line == line, str(error)
    message = str(error)
    assert message.startswith(f"cn-bad.toml:{error.line}")
    assert "\n" not in message
    for word in words:
        assert word in message


def test_crlf_and_a_bom_do_not_move_the_line_an_error_names() -> None:
    """The line is counted the same in a file saved on Windows."""
    text = GOOD_HEAD + '\n[[holidays]]\nname = "甲"\noff = [2099-01-01]\nwork = [2099-01-05]\n'
    expected = len(text.splitlines())
    with pytest.raises(PolicyError) as raised:
        loads_schedule("\ufeff" + text.replace("\n", "\r\n"), source="cn-bad.toml")
    assert (raised.value.key_path, raised.value.line) == ("holidays[0].work[0]", expected)


def test_a_file_that_is_not_utf8_or_missing_is_one_line_naming_it(tmp_path: Path) -> None:
    """Not found, not UTF-8: the file is named, the fix given."""
    with pytest.raises(PolicyError, match="can't read the schedule file"):
        load_schedule(tmp_path / "nowhere.toml")
    bad = tmp_path / "gbk.toml"
    bad.write_bytes("# 虚构\n".encode("gbk"))
    with pytest.raises(PolicyError, match="save it as UTF-8"):
        load_schedule(bad)


# -- calendars completed by schedules ------------------------------------------------------------


def _made_up() -> YearSchedule:
    return loads_schedule(MADE_UP_2099, source="made-up-2099.toml")


def test_a_deadline_counted_across_a_user_supplied_year() -> None:
    """2098-12-20 + 15 working days: 1-2 Jan 2099 off, Sunday 4 Jan worked, so 12 January;
    Monday-Friday counting would say 9 January. The caveat names the file and the notice."""
    calendar = ScheduledCalendar(Knows2098(), [_made_up()])
    due = rectflow.add_duration(dt.date(2098, 12, 20), FIFTEEN, calendar)
    assert due.on == dt.date(2099, 1, 12)
    assert rectflow.add_duration(dt.date(2098, 12, 20), FIFTEEN).on == dt.date(2099, 1, 9)
    assert due.caveat == (
        "2099 counted with the schedule file made-up-2099.toml, copied from "
        "虚构:2099年部分节假日安排(测试用) (测试办公室 测试〔2098〕1号, 2098-11-02, "
        "https://example.invalid/made-up-2099)"
    )
    inside = rectflow.add_duration(dt.date(2098, 3, 2), FIFTEEN, calendar)
    assert inside.caveat is None  # the inner calendar's own year: nothing to say


def test_a_year_neither_knows_is_still_an_error_and_the_fallback_still_says_so() -> None:
    """Schedules add years; they do not silence UnknownYearError for the others."""
    calendar = ScheduledCalendar(Knows2098(), [_made_up()])
    with pytest.raises(UnknownYearError):
        calendar.is_working_day(dt.date(2100, 1, 4))
    due = rectflow.add_duration(dt.date(2099, 12, 20), FIFTEEN, rectflow.WeekdayFallback(calendar))
    assert due.caveat is not None
    assert "2100" in due.caveat


def test_a_schedule_for_a_year_the_calendar_knows_needs_override() -> None:
    """Refused with the file, `year`, its line and the fix; accepted with override = true."""
    text = GOOD_HEAD.replace("2099", "2098").replace("2098-11-02", "2097-11-02")
    text += '\n[[holidays]]\nname = "甲"\noff = [2098-01-02]\n'
    schedule = loads_schedule(text, source="made-up-2098.toml")
    with pytest.raises(PolicyError) as raised:
        ScheduledCalendar(Knows2098(), [schedule])
    error = raised.value
    assert (error.source, error.key_path, error.line) == ("made-up-2098.toml", "year", 3)
    assert "already knows 2098" in str(error)
    assert "override = true" in error.fix
    overriding = attrs.evolve(schedule, override=True)
    calendar = ScheduledCalendar(Knows2098(), [overriding])
    assert not calendar.is_working_day(dt.date(2098, 1, 2))  # the file's answer, not Knows2098's


def test_a_schedule_for_another_calendar_or_a_second_for_one_year_is_refused() -> None:
    """The file says which calendar it completes; one file per year."""
    schedule = _made_up()
    with pytest.raises(PolicyError, match="for calendar 'made-up', not 'weekdays'"):
        ScheduledCalendar(rectflow.WeekdayCalendar(), [schedule])
    with pytest.raises(PolicyError, match="2099 is scheduled twice"):
        ScheduledCalendar(Knows2098(), [schedule, schedule])


def test_with_no_schedules_the_calendar_is_itself() -> None:
    """Nothing wraps a calendar that has nothing to add."""
    calendar = Knows2098()
    assert with_schedules(calendar, ()) is calendar


# -- policies ------------------------------------------------------------------------------------

POLICY = """# 测试用政策
schema = 1
name = "made-up-policy"

[calendar]
name = "made-up"
schedules = ["schedules/made-up-2099.toml"]
"""


def test_a_policy_names_schedules_relative_to_its_file_and_round_trips(tmp_path: Path) -> None:
    """The schedule is read at load; dumping writes its path back, and loading that is equal."""
    (tmp_path / "schedules").mkdir()
    _write(tmp_path / "schedules", "made-up-2099.toml", MADE_UP_2099)
    policy = load_policy(_write(tmp_path, "policy.toml", POLICY), rules={})
    (schedule,) = policy.calendar.schedules
    assert schedule.path == str(tmp_path / "schedules" / "made-up-2099.toml")
    assert schedule.year == 2099
    text = dumps_policy(policy)
    assert f"schedules = [{_toml_string(schedule.path)}]" in text
    assert loads_policy(text, rules={}) == policy


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def test_a_policy_without_schedules_dumps_as_before() -> None:
    """No `schedules` line unless there are schedules."""
    assert "schedules" not in dumps_policy(rectflow.Policy("p"))


def test_a_missing_schedule_file_names_the_policy_key_and_line(tmp_path: Path) -> None:
    """The policy's file, calendar.schedules[0], the line of the key."""
    policy = _write(tmp_path, "policy.toml", POLICY)
    with pytest.raises(PolicyError) as raised:
        load_policy(policy, rules={})
    error = raised.value
    assert (error.source, error.key_path, error.line) == (
        str(policy),
        "calendar.schedules[0]",
        7,
    )
    assert "does not exist" in error.reason


def test_a_bad_schedule_named_by_a_policy_names_the_schedule_file(tmp_path: Path) -> None:
    """The error points into the schedule file, where the fix is made."""
    (tmp_path / "schedules").mkdir()
    bad = _write(
        tmp_path / "schedules",
        "made-up-2099.toml",
        MADE_UP_2099.replace("work = [2099-01-04]", "work = [2099-01-05]"),
    )
    with pytest.raises(PolicyError) as raised:
        load_policy(_write(tmp_path, "policy.toml", POLICY), rules={})
    assert (raised.value.source, raised.value.key_path) == (str(bad), "holidays[0].work[0]")


@pytest.mark.parametrize(
    ("value", "words"),
    [('"cn-2027.toml"', "is not a list"), ("[3]", "3 is not a file name")],
)
def test_schedules_must_be_a_list_of_file_names(value: str, words: str) -> None:
    """The key path and the line of the key."""
    text = POLICY.replace('["schedules/made-up-2099.toml"]', value)
    with pytest.raises(PolicyError) as raised:
        loads_policy(text, rules={})
    assert raised.value.line == 7
    assert words in str(raised.value)


# -- properties ----------------------------------------------------------------------------------

_YEARS = st.integers(min_value=2100, max_value=2400)  # made-up years only


@st.composite
def schedules(draw: st.DrawFn) -> YearSchedule:
    """A valid made-up schedule: days off anywhere in the year, make-up days on weekends."""
    year = draw(_YEARS)
    first = dt.date(year, 1, 1)
    size = (dt.date(year, 12, 31) - first).days + 1
    indexes = draw(st.sets(st.integers(0, size - 1), min_size=1, max_size=40))
    days = [first + dt.timedelta(days=i) for i in sorted(indexes)]
    work = {day for day in days if day.weekday() >= 5 and draw(st.booleans())}
    names = st.sampled_from(["元旦(虚构)", "春节(虚构)", "Made-up Day", 'a "quoted" name'])
    labels = {day: draw(names) for day in days}
    notice = ScheduleNotice(
        draw(st.text(min_size=1, max_size=20).filter(str.strip)).strip(),
        "测试办公室",
        dt.date(year - 1, 11, 2),
        "https://example.invalid/n",
        draw(st.sampled_from(["", "测试〔1〕1号"])),
    )
    return YearSchedule(
        "made-up",
        year,
        set(days) - work,
        work,
        notice,
        "",
        draw(st.booleans()),
        labels,
    )


@given(schedules())
def test_property_dumps_schedule_reads_back_equal(schedule: YearSchedule) -> None:
    """Every valid schedule survives dumping and reading (but the path, which is the source)."""
    read = loads_schedule(dumps_schedule(schedule), source="x.toml")
    assert read == attrs.evolve(schedule, path="x.toml")


@given(schedules())
def test_property_a_policy_with_schedules_round_trips(schedule: YearSchedule) -> None:
    """``loads_policy(dumps_policy(p)) == p`` with schedules read from their files."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"made-up-{schedule.year}.toml"
        path.write_text(dumps_schedule(schedule), encoding="utf-8")
        calendar = rectflow.CalendarSettings("made-up", schedules=(load_schedule(path),))
        policy = rectflow.Policy("p", calendar=calendar)
        assert loads_policy(dumps_policy(policy), rules={}) == policy


def test_a_schedule_built_in_code_cannot_be_dumped_into_a_policy() -> None:
    """It has no file for the policy to name: the error says how to give it one."""
    schedule = attrs.evolve(_made_up(), path="")
    policy = rectflow.Policy(
        "p", calendar=rectflow.CalendarSettings("made-up", "error", (schedule,))
    )
    with pytest.raises(ValueError, match="dumps_schedule"):
        dumps_policy(policy)


def test_the_docs_schedule_example_reads_and_its_error_line_is_what_the_loader_says() -> None:
    """docs/policies.md: the example file loads; the error it quotes is the loader's own."""
    docs = (Path(__file__).resolve().parents[2] / "docs" / "policies.md").read_text("utf-8")
    block = docs.split("```toml\n# cn-2026.toml", 1)[1].split("```", 1)[0]
    schedule = loads_schedule("# cn-2026.toml" + block, source="cn-2026.toml")
    assert (schedule.year, schedule.override, len(schedule.off), len(schedule.work)) == (
        2026,
        True,
        3,
        1,
    )
    quoted = next(line for line in docs.splitlines() if line.startswith("cn-2027.toml:16:"))
    bad = GOOD_HEAD.replace("2099", "2027").replace("2098-11-02", "2026-11-02")
    bad += '\n# 虚构\n# 虚构\n[[holidays]]\nname = "甲"\noff = [2027-01-01]\nwork = [2027-01-05]\n'
    with pytest.raises(PolicyError) as raised:
        loads_schedule(bad, source="cn-2027.toml")
    assert str(raised.value) == quoted


class _MadeUpCalendar:
    """A plugin providing the calendar ``made-up`` (:class:`Knows2098`)."""

    @rectflow.hookimpl
    def rectflow_calendar(self, name: str) -> rectflow.Calendar | None:
        return Knows2098() if name == "made-up" else None

    @rectflow.hookimpl
    def rectflow_calendar_names(self) -> tuple[str, ...]:
        return ("made-up",)


def test_the_checks_count_with_the_policys_schedules() -> None:
    """A check's context counts 2099 with the policy's schedule and says so in the caveats."""
    plugins = rectflow.plugin_manager(builtins=lambda: (), load_entry_points=False)
    plugins.register(_MadeUpCalendar(), "made-up-calendar")
    calendar = rectflow.CalendarSettings("made-up", schedules=(_made_up(),))
    context = rectflow.Checker(plugins, rectflow.Policy("p", calendar=calendar)).context(
        dt.date(2099, 6, 1)
    )
    assert context.due(dt.date(2098, 12, 20), FIFTEEN).on == dt.date(2099, 1, 12)
    assert context.caveats == (
        "2099 counted with the schedule file made-up-2099.toml, copied from "
        "虚构:2099年部分节假日安排(测试用) (测试办公室 测试〔2098〕1号, 2098-11-02, "
        "https://example.invalid/made-up-2099)",
    )
