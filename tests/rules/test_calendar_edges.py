"""Due dates at the edges of the date range: a result, or DateRangeError; never a traceback."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rectflow
from rectflow import Duration, Unit, WeekdayCalendar, add_duration
from rectflow._rules.calendar import period_end
from rectflow.errors import DateRangeError

ONE_DAY = dt.timedelta(days=1)
LAST, FIRST = dt.date.max, dt.date.min


def edge_dates() -> st.SearchStrategy[dt.date]:
    """Any day, but mostly within a few years of 0001-01-01 or 9999-12-31."""
    return st.one_of(
        st.dates(),
        st.dates(FIRST, FIRST + dt.timedelta(days=1500)),
        st.dates(LAST - dt.timedelta(days=1500), LAST),
    )


def edge_durations() -> st.SearchStrategy[Duration]:
    """Periods from nothing to far past the end of the range (working days kept countable)."""
    return st.one_of(
        st.builds(Duration, st.integers(0, 4_000_000), st.just(Unit.DAYS)),
        st.builds(Duration, st.integers(0, 130_000), st.just(Unit.MONTHS)),
        st.builds(Duration, st.integers(0, 3_000), st.just(Unit.WORKING_DAYS)),
    )


def _expected_days(start: dt.date, amount: int) -> dt.date | None:
    ordinal = start.toordinal() + amount
    return dt.date.fromordinal(ordinal) if ordinal <= LAST.toordinal() else None


@given(edge_dates(), edge_durations())
def test_add_duration_gives_a_day_in_range_or_says_it_falls_outside(
    start: dt.date, duration: Duration
) -> None:
    """Never OverflowError or ValueError: a due date on or after the start, or DateRangeError."""
    try:
        due = add_duration(start, duration, WeekdayCalendar())
    except DateRangeError as error:
        refused: DateRangeError | None = error
    else:
        refused = None
    if refused is not None:
        assert (refused.start, refused.period) == (start, str(duration))
        if duration.unit is Unit.DAYS:
            assert _expected_days(start, duration.amount) is None
        return
    assert start <= due.on <= LAST
    if duration.unit is Unit.DAYS:
        assert due.on == _expected_days(start, duration.amount)
    if duration.unit is Unit.WORKING_DAYS and duration.amount:
        assert due.on.weekday() < 5


@given(edge_dates(), edge_durations())
def test_a_period_beginning_on_a_day_ends_where_counting_from_its_eve_ends(
    begin: dt.date, duration: Duration
) -> None:
    """period_end(b, d) == add_duration(b - 1 day, d), also for 0001-01-01 (computed without it)."""
    try:
        end = period_end(begin, duration, WeekdayCalendar())
    except DateRangeError:
        end = None
    if begin == FIRST:
        if duration.amount == 0:
            assert end is None
        else:
            assert end is not None
            assert end.on >= begin
        return
    try:
        expected = add_duration(begin - ONE_DAY, duration, WeekdayCalendar())
    except DateRangeError:
        expected = None
    assert expected == end


@pytest.mark.parametrize(
    ("start", "period"),
    [
        (LAST, "1 day"),
        (LAST, "1 working day"),
        (LAST, "1 month"),
        (dt.date(2024, 1, 31), "99999 months"),
        (dt.date(9990, 1, 1), "99999 days"),
    ],
)
def test_the_issues_examples_raise_date_range_error_naming_the_start_and_the_period(
    start: dt.date, period: str
) -> None:
    """9999-12-31 + 1 day, "99999 months": one error a person can act on."""
    with pytest.raises(DateRangeError) as raised:
        add_duration(start, Duration.parse(period))
    assert str(raised.value).startswith(f"can't count {period} from {start}: the day would fall")
    assert isinstance(raised.value, ValueError)


def test_year_one_periods_are_counted_from_the_first_day() -> None:
    """A period beginning 0001-01-01 (a Monday) ends as counting from its eve would."""
    assert period_end(FIRST, Duration.parse("1 month")).on == dt.date(1, 1, 31)
    assert period_end(FIRST, Duration.parse("30 days")).on == dt.date(1, 1, 30)
    assert period_end(FIRST, Duration.parse("3 working days")).on == dt.date(1, 1, 3)
    with pytest.raises(DateRangeError):
        period_end(FIRST, Duration.parse("0 days"))


def test_a_context_states_a_deadline_past_the_last_day_as_that_day_with_a_caveat() -> None:
    """The checks get 9999-12-31 and a caveat saying the real day lies beyond it."""
    context = rectflow.CheckContext(dt.date(2024, 1, 1), rectflow.Policy("t"))
    due = context.due(dt.date(2024, 1, 31), Duration.parse("99999 months"))
    assert due.on == LAST
    assert due.caveat is not None
    assert "the deadline falls after 9999-12-31" in due.caveat
    assert context.caveats == (due.caveat,)
