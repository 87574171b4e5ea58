"""The 完成时限 column: every way docs/ledger.md says a deadline may be written reads to its day."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rectflow._ledger_io.deadlines import (
    IMMEDIATE,
    LONG_TERM,
    Deadline,
    DeadlineError,
    read_deadline,
)

DAYS = st.dates(dt.date(1950, 1, 1), dt.date(2099, 12, 31))
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("2024-06-30", dt.date(2024, 6, 30)),
        ("2024/6/30", dt.date(2024, 6, 30)),
        ("2024.6.30", dt.date(2024, 6, 30)),
        ("2024年6月30日", dt.date(2024, 6, 30)),
        ("2024年6月30日前", dt.date(2024, 6, 30)),
        ("2024年6月30号之前", dt.date(2024, 6, 30)),
        ("2024年6月", dt.date(2024, 6, 30)),
        ("2024年6月底", dt.date(2024, 6, 30)),
        ("2024年6月底前", dt.date(2024, 6, 30)),
        ("2024年2月末", dt.date(2024, 2, 29)),
        ("2024年6月上旬", dt.date(2024, 6, 10)),
        ("2024年6月中旬", dt.date(2024, 6, 20)),
        ("2024年6月下旬", dt.date(2024, 6, 30)),
        ("2024年底", dt.date(2024, 12, 31)),
        ("2024年底前", dt.date(2024, 12, 31)),
        ("2024年年底", dt.date(2024, 12, 31)),
        ("2024年末", dt.date(2024, 12, 31)),
        ("2024年", dt.date(2024, 12, 31)),
        ("2024年上半年", dt.date(2024, 6, 30)),
        ("2024年下半年", dt.date(2024, 12, 31)),
        ("2024年第三季度", dt.date(2024, 9, 30)),
        ("2024年一季度末", dt.date(2024, 3, 31)),
        ("二〇二四年六月底", dt.date(2024, 6, 30)),
        ("二〇二四年十二月三十一日", dt.date(2024, 12, 31)),
        ("２０２４年６月３０日", dt.date(2024, 6, 30)),
        (" 2024年 6月 30日 ", dt.date(2024, 6, 30)),
        ("2024年6月至12月", dt.date(2024, 12, 31)),
        ("2024年6月底前完成", dt.date(2024, 6, 30)),
    ],
)
def test_a_written_deadline_reads_to_the_last_day_it_allows(written: str, day: dt.date) -> None:
    """Months, dekads, years, halves and quarters are due on their last day."""
    assert read_deadline(written) == Deadline(day)


@pytest.mark.parametrize(
    ("written", "tag"),
    [
        ("长期坚持", LONG_TERM),
        ("长期", LONG_TERM),
        ("持续推进", LONG_TERM),
        ("立行立改", IMMEDIATE),
        ("立即整改", IMMEDIATE),
    ],
)
def test_long_term_and_immediate_have_no_day_and_a_tag(written: str, tag: str) -> None:
    """长期坚持 and 立行立改 are not dates: no deadline, and the measure is tagged."""
    assert read_deadline(written) == Deadline(None, tag)


def test_a_date_with_long_term_keeps_both() -> None:
    """``2024年6月底前完成，长期坚持`` has a deadline and is long-term work."""
    assert read_deadline("2024年6月底前完成，长期坚持") == Deadline(dt.date(2024, 6, 30), LONG_TERM)


def test_a_year_less_deadline_takes_the_year_above_it() -> None:
    """``6月30日前`` below a 2024 deadline is 2024; ``3月底`` below an October one is next year."""
    found = read_deadline("6月30日前", context=dt.date(2024, 5, 1))
    assert found.day == dt.date(2024, 6, 30)
    assert found.year_from is not None
    assert read_deadline("3月底", context=dt.date(2024, 10, 31)).day == dt.date(2025, 3, 31)
    assert read_deadline("6月底", default_year=2023).day == dt.date(2023, 6, 30)


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("尽快", "is not a deadline rectflow reads"),
        ("2024年13月", "month 13"),
        ("2024年2月30日", "does not exist"),
        ("6月30日", "no year"),
        (45473, "is a number, not a date"),
        (True, "is a number, not a date"),
    ],
)
def test_what_is_not_a_deadline_is_refused_with_a_fix(written: object, reason: str) -> None:
    """No guessing: the reason, and how to write it."""
    with pytest.raises(DeadlineError, match=reason) as refused:
        read_deadline(written)
    assert refused.value.fix


def test_blank_is_no_deadline() -> None:
    """An empty cell, or white space, has no deadline."""
    assert read_deadline(None) == read_deadline("  \u3000") == Deadline()


@given(DAYS)
def test_a_day_written_any_way_reads_back(day: dt.date) -> None:
    """A date cell, ISO text, 年月日 in ASCII or full-width digits: the same day."""
    chinese = f"{day.year}年{day.month}月{day.day}日"
    for written in (
        day,
        dt.datetime(day.year, day.month, day.day),
        day.isoformat(),
        chinese,
        chinese + "前",
        chinese.translate(FULL_WIDTH),
    ):
        assert read_deadline(written).day == day


@given(DAYS)
def test_a_month_reads_to_its_last_day(day: dt.date) -> None:
    """``YYYY年M月`` and ``YYYY年M月底`` are due on the month's last day."""
    last = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    assert read_deadline(f"{day.year}年{day.month}月").day == last
    assert read_deadline(f"{day.year}年{day.month}月底前").day == last
