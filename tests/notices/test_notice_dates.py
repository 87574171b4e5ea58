"""Dates as notices write them: read with their precision, inferred years marked, garbled ones
reported rather than guessed, and written back with every year."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rectflow.strategies as rs
from rectflow import FuzzyDate, Period
from rectflow._notices.dates import YearContext, read_dates, write_date, write_period


def read(text: str, context: YearContext | None = None) -> list[FuzzyDate | Period | None]:
    return [r.value for r in read_dates(text, context or YearContext())]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023年9月8日", FuzzyDate(2023, 9, 8)),
        ("2021年6月", FuzzyDate(2021, 6)),
        ("2021年", FuzzyDate(2021)),
        ("2020年8月上旬", FuzzyDate.parse("2020-08-early")),
        ("2020年8月中旬", FuzzyDate.parse("2020-08-mid")),
        ("2020年8月下旬", FuzzyDate.parse("2020-08-late")),
        ("二〇二四年九月四日", FuzzyDate(2024, 9, 4)),
        ("2024年12月31号", FuzzyDate(2024, 12, 31)),
    ],
)
def test_a_date_is_read_with_its_precision(text: str, expected: FuzzyDate) -> None:
    """Days, dekads (上/中/下旬), months, years; Chinese numerals in signatures."""
    assert [expected] == read(f"于{text}召开")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023年9月8日至12月27日", Period(FuzzyDate(2023, 9, 8), FuzzyDate(2023, 12, 27))),
        (
            "2020年8月上旬至2020年10月上旬",
            Period(FuzzyDate.parse("2020-08-early"), FuzzyDate.parse("2020-10-early")),
        ),
        ("2024年12月1日至1月31日", Period(FuzzyDate(2024, 12, 1), FuzzyDate(2025, 1, 31))),
        ("2023年5月至8月", Period(FuzzyDate(2023, 5), FuzzyDate(2023, 8))),
        ("自2025年4月7日起", Period(FuzzyDate(2025, 4, 7))),
    ],
)
def test_a_period_is_read_and_its_end_takes_the_start_s_year(text: str, expected: Period) -> None:
    """ "至12月27日" is in the start's year, or the next when its month comes earlier."""
    assert [expected] == read(text)


def test_a_date_without_a_year_takes_the_year_of_the_date_before_it() -> None:
    """ "12月3日" after 2020年10月 is 2020-12-03, marked inferred, with a note saying how."""
    context = YearContext()
    read("2020年8月上旬至2020年10月上旬，", context)
    [reading] = read_dates("12月3日，反馈", context)
    assert (FuzzyDate(2020, 12, 3, inferred=True), True) == (
        reading.value,
        "2020" in (reading.note or ""),
    )


def test_a_year_less_month_before_the_previous_one_rolls_into_the_next_year() -> None:
    """ "1月5日" after 2024年12月20日 is 2025-01-05 (inferred), not a date in the past."""
    assert [FuzzyDate(2024, 12, 20), FuzzyDate(2025, 1, 5, inferred=True)] == read(
        "2024年12月20日，1月5日"
    )


def test_a_date_without_any_year_before_it_is_not_read() -> None:
    """With nothing to take a year from, "4月25日" is reported with how to fix it."""
    [reading] = read_dates("4月25日召开", YearContext())
    assert (reading.value, "2024年4月25日" in (reading.reason or "")) == (None, True)


def test_a_garbled_date_is_reported_with_its_possible_readings_not_guessed() -> None:
    """ "2024717日至830日" lost its 年 and 月: unread, and the reason lists what it may mean."""
    [reading] = read_dates("2024717日至830日，开展集中整改", YearContext())
    assert (
        reading.value,
        reading.text,
        "2024-07-17 to 08-30" in (reading.reason or ""),
    ) == (None, "2024717日至830日", True)


@pytest.mark.parametrize(
    "text",
    ["2024年717日", "2024年7月17，", "202407123年", "2023年2月30日", "2024年5月1日至2024年4月1日"],
)
def test_dates_that_cannot_be_read_with_confidence_are_reported(text: str) -> None:
    """A missing 月 or 日, a run of digits, a day the month lacks, a reversed period."""
    readings = read_dates(text, YearContext())
    assert [r.value for r in readings] == [None]
    assert readings[0].reason


@pytest.mark.parametrize("text", ["整改期限为120日内", "共263条", "第1次会议", "至今"])
def test_numbers_that_are_not_dates_are_left_alone(text: str) -> None:
    """A duration, a count, an ordinal: nothing is read and nothing is reported."""
    assert read(text) == []


@pytest.mark.parametrize(
    ("date", "text"),
    [
        (FuzzyDate(2023, 9, 8), "2023年9月8日"),
        (FuzzyDate.parse("2020-08-mid"), "2020年8月中旬"),
        (FuzzyDate(2021, 6), "2021年6月"),
        (FuzzyDate(2021), "2021年"),
        (FuzzyDate(2020, 12, 3, inferred=True), "2020年12月3日"),
    ],
)
def test_dates_are_written_as_notices_write_them_with_their_year(
    date: FuzzyDate, text: str
) -> None:
    """Every year is written, so nothing the renderer writes needs inferring."""
    assert text == write_date(date)


def test_an_open_ended_period_is_written_from_its_start() -> None:
    """A period whose end is unknown reads "自…起"."""
    assert write_period(Period(FuzzyDate(2025, 4, 7))) == "自2025年4月7日起"


@given(rs.fuzzy_dates(allow_inferred=False))
def test_a_written_date_reads_back_as_itself(date: FuzzyDate) -> None:
    """write_date then read_dates gives back the same date, at every precision."""
    assert [date] == read(f"于{write_date(date)}召开")


@given(rs.periods(min_value=dt.date(2015, 1, 1)), st.sampled_from(["，", "。", "开展"]))
def test_a_written_period_reads_back_as_itself(period: Period, after: str) -> None:
    """write_period then read_dates gives back the period (inferred marks aside)."""
    plain = Period(
        FuzzyDate(period.start.year, period.start.month, period.start.day, period.start.dekad),
        None
        if period.end is None
        else FuzzyDate(period.end.year, period.end.month, period.end.day, period.end.dekad),
    )
    assert [plain] == read(write_period(period) + after)
