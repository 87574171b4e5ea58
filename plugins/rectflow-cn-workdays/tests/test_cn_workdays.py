"""The `cn` calendar: China's statutory holidays and make-up working days, and unknown years."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rectflow_cn_workdays import ChinaWorkdays, Said, known_years

import rectflow
from rectflow._i18n import Msg, translate
from rectflow.errors import UnknownYearError

NATIONAL_DAY_2024 = [dt.date(2024, 10, day) for day in range(1, 8)]
MAKE_UP_2024 = [dt.date(2024, 9, 29), dt.date(2024, 10, 12)]  # a Sunday and a Saturday


def test_fifteen_working_days_from_2024_09_30_end_on_2024_10_25() -> None:
    """Across National Day 2024 (1-7 Oct off; 29 Sep and 12 Oct worked) the 15th working day is
    25 October; Monday-Friday counting would say 21 October."""
    fifteen = rectflow.Duration.parse("15 working days")
    start = dt.date(2024, 9, 30)
    assert rectflow.Due(dt.date(2024, 10, 25)) == rectflow.add_duration(
        start, fifteen, ChinaWorkdays()
    )
    assert dt.date(2024, 10, 21) == rectflow.add_duration(start, fifteen).on


def test_the_2024_national_day_holiday_is_off_and_its_make_up_days_are_worked() -> None:
    """The official 2024 schedule: seven days off, two weekend days worked."""
    cn = ChinaWorkdays()
    assert [cn.is_working_day(day) for day in NATIONAL_DAY_2024] == [False] * 7
    assert [cn.is_working_day(day) for day in MAKE_UP_2024] == [True, True]
    assert cn.is_working_day(dt.date(2024, 10, 8))  # the Tuesday after
    assert not cn.is_working_day(dt.date(2024, 10, 13))  # an ordinary Sunday


def test_a_year_outside_the_schedule_is_an_error_naming_it_and_the_known_years() -> None:
    """Never a silent weekday guess: 2027 is not in chinesecalendar 1.11."""
    first, last = known_years()
    with pytest.raises(UnknownYearError) as raised:
        ChinaWorkdays().is_working_day(dt.date(last + 1, 1, 4))
    assert (last + 1, (first, last), "cn") == (
        raised.value.year,
        raised.value.known,
        raised.value.calendar,
    )
    assert 'unknown_years = "weekdays"' in str(raised.value)


def test_the_caveat_is_silent_inside_the_schedule_and_names_the_years_outside() -> None:
    """caveat(first, last) says which years are guesses."""
    cn = ChinaWorkdays()
    last = known_years()[1]
    assert cn.caveat(dt.date(2024, 9, 30), dt.date(2024, 10, 25)) is None
    caveat = cn.caveat(dt.date(last, 12, 1), dt.date(last + 2, 1, 10))
    assert caveat is not None
    assert f"{last + 1}, {last + 2}" in caveat


def test_with_the_weekday_fallback_an_unknown_year_counts_monday_to_friday_and_says_so() -> None:
    """A policy's unknown_years = "weekdays": the count goes on, the caveat names the year."""
    last = known_years()[1]
    start = dt.date(last, 12, 30)
    due = rectflow.add_duration(
        start, rectflow.Duration.parse("5 working days"), rectflow.WeekdayFallback(ChinaWorkdays())
    )
    assert due.caveat is not None
    assert str(last + 1) in due.caveat
    assert "Monday-Friday" in due.caveat


def test_the_plugin_provides_cn_through_its_entry_point() -> None:
    """Installed, it answers the calendar hook for `cn` and lists it."""
    plugins = rectflow.plugin_manager()
    assert "cn-workdays" in plugins.names()
    assert "cn" in plugins.calendar_names()
    assert ChinaWorkdays() == plugins.calendar("cn")


def test_a_policy_naming_cn_counts_working_days_with_the_holidays() -> None:
    """A check's context uses the policy's calendar: the due date lands on 2024-10-25."""
    plugins = rectflow.plugin_manager()
    policy = rectflow.Policy("cn", calendar=rectflow.CalendarSettings("cn"))
    context = rectflow.Checker(plugins, policy).context(dt.date(2024, 11, 1))
    due = context.due(dt.date(2024, 9, 30), rectflow.Duration.parse("15 working days"))
    assert rectflow.Due(dt.date(2024, 10, 25)) == due
    assert context.caveats == ()


def test_the_plugin_says_its_words_in_english_and_carries_their_chinese() -> None:
    """A holiday's name, the source line and the caveat are English str, each with its Chinese:
    rectflow says them in Chinese under zh without a catalogue of the plugin's words."""
    calendar = ChinaWorkdays()
    label = calendar.label(dt.date(2025, 1, 29))
    assert label == "Spring Festival"
    assert isinstance(label, Said)
    assert translate("zh", label) == "春节"
    assert translate("en", label) == "Spring Festival"
    source = calendar.source(2025)
    assert source is not None
    assert source.startswith("the chinesecalendar package")
    assert "收录" in translate("zh", source)
    last = known_years()[1]
    caveat = calendar.caveat(dt.date(last, 12, 1), dt.date(last + 1, 1, 31))
    assert caveat is not None
    assert "Monday-Friday guesses" in caveat
    assert "周一至周五" in translate("zh", caveat)


@given(st.text(min_size=1, max_size=40), st.text(min_size=1, max_size=40))
def test_said_survives_pickling_with_its_chinese(english: str, chinese: str) -> None:
    """A Said crosses a process boundary whole: the English text and the Chinese beside it."""
    said = Said(english, zh=chinese)
    again = pickle.loads(pickle.dumps(said))  # noqa: S301 - our own bytes, just made
    assert again == english
    assert again.translations == {"zh": chinese}
    as_message = pickle.loads(pickle.dumps(Msg.of(said)))  # noqa: S301 - as above
    assert as_message == english
    assert translate("zh", as_message) == chinese
