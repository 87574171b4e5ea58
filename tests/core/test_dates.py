"""Fuzzy dates and periods: text form, the days they may mean, and judging deadlines."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rectflow import Dekad, FuzzyDate, Period, Precision
from rectflow._core.dates import Judgement  # exported from rectflow by the lead (issue 10)
from rectflow.errors import InvalidDateError, RectflowError


@st.composite
def fuzzy_dates(draw: st.DrawFn) -> FuzzyDate:
    """Any valid fuzzy date, of any precision, year written or inferred."""
    year = draw(st.integers(1, 9999))
    inferred = draw(st.booleans())
    precision = draw(st.sampled_from(Precision))
    if precision is Precision.YEAR:
        return FuzzyDate(year, inferred=inferred)
    month = draw(st.integers(1, 12))
    if precision is Precision.MONTH:
        return FuzzyDate(year, month, inferred=inferred)
    if precision is Precision.DEKAD:
        return FuzzyDate(year, month, dekad=draw(st.sampled_from(Dekad)), inferred=inferred)
    day = draw(st.integers(1, calendar.monthrange(year, month)[1]))
    return FuzzyDate(year, month, day, inferred=inferred)


# -- text form ---------------------------------------------------------------------------------


@given(fuzzy_dates())
def test_the_text_form_reads_back_as_the_same_date(date: FuzzyDate) -> None:
    """``FuzzyDate.parse(str(d)) == d`` for every precision, written or inferred year."""
    assert date == FuzzyDate.parse(str(date))


@given(fuzzy_dates())
def test_the_text_form_is_canonical(date: FuzzyDate) -> None:
    """Printing a parsed text form gives the same text back."""
    text = str(date)
    assert text == str(FuzzyDate.parse(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021", FuzzyDate(2021)),
        ("2021-06", FuzzyDate(2021, 6)),
        ("2021-6", FuzzyDate(2021, 6)),
        ("2020-08-early", FuzzyDate(2020, 8, dekad=Dekad.EARLY)),
        ("2020-08-mid", FuzzyDate(2020, 8, dekad=Dekad.MID)),
        ("2020-08-late", FuzzyDate(2020, 8, dekad=Dekad.LATE)),
        ("2020-12-03", FuzzyDate(2020, 12, 3)),
        ("2020-12-03?", FuzzyDate(2020, 12, 3, inferred=True)),
        ("  2021-06 ", FuzzyDate(2021, 6)),
    ],
)
def test_parse_reads_each_precision(text: str, expected: FuzzyDate) -> None:
    """Years, months, dekads and days parse, with ``?`` marking an inferred year."""
    assert expected == FuzzyDate.parse(text)


@pytest.mark.parametrize(
    "text", ["", "21", "2021/06", "2021-13", "2021-02-30", "2021-06-first", "2021-00", "June"]
)
def test_parse_rejects_what_is_not_a_date(text: str) -> None:
    """Malformed or impossible text raises InvalidDateError carrying the text."""
    with pytest.raises(InvalidDateError) as caught:
        FuzzyDate.parse(text)
    assert text == caught.value.value
    assert caught.value.reason


def test_an_exact_day_reads_as_itself() -> None:
    """``FuzzyDate.of`` wraps a day; it is exact unless the year was inferred."""
    day = dt.date(2021, 3, 9)
    assert (day, day, Precision.DAY, True) == (
        FuzzyDate.of(day).earliest,
        FuzzyDate.of(day).latest,
        FuzzyDate.of(day).precision,
        FuzzyDate.of(day).is_exact,
    )
    assert not FuzzyDate.of(day, inferred=True).is_exact


# -- the days a date may mean ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        ("2021", dt.date(2021, 1, 1), dt.date(2021, 12, 31)),
        ("2021-06", dt.date(2021, 6, 1), dt.date(2021, 6, 30)),
        ("2021-02", dt.date(2021, 2, 1), dt.date(2021, 2, 28)),
        ("2020-02", dt.date(2020, 2, 1), dt.date(2020, 2, 29)),
        ("1900-02", dt.date(1900, 2, 1), dt.date(1900, 2, 28)),
        ("2000-02", dt.date(2000, 2, 1), dt.date(2000, 2, 29)),
        ("2020-08-early", dt.date(2020, 8, 1), dt.date(2020, 8, 10)),
        ("2020-08-mid", dt.date(2020, 8, 11), dt.date(2020, 8, 20)),
        ("2020-08-late", dt.date(2020, 8, 21), dt.date(2020, 8, 31)),
        ("2021-02-late", dt.date(2021, 2, 21), dt.date(2021, 2, 28)),
        ("2024-02-late", dt.date(2024, 2, 21), dt.date(2024, 2, 29)),
        ("2020-04-late", dt.date(2020, 4, 21), dt.date(2020, 4, 30)),
        ("2020-12-03", dt.date(2020, 12, 3), dt.date(2020, 12, 3)),
        ("2024-02-29?", dt.date(2024, 2, 29), dt.date(2024, 2, 29)),
    ],
)
def test_earliest_and_latest_bound_the_days_a_date_may_mean(
    text: str, earliest: dt.date, latest: dt.date
) -> None:
    """Each precision spans its days: months end on their last day, February in leap years."""
    date = FuzzyDate.parse(text)
    assert (earliest, latest) == (date.earliest, date.latest)


@given(fuzzy_dates())
def test_a_date_never_ends_before_it_starts(date: FuzzyDate) -> None:
    """``earliest <= latest``, and only a day-precision date is a single day."""
    assert date.earliest <= date.latest
    assert (date.earliest == date.latest) == (date.precision is Precision.DAY)


def test_february_29_exists_only_in_leap_years() -> None:
    """2024-02-29 is a date; 2023-02-29 and 1900-02-29 are not."""
    assert FuzzyDate(2024, 2, 29).latest == dt.date(2024, 2, 29)
    for year in (2023, 1900):
        with pytest.raises(InvalidDateError, match="28 days"):
            FuzzyDate(year, 2, 29)


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"year": 0}, "out of range"),
        ({"year": 2021, "month": 13}, "not 1-12"),
        ({"year": 2021, "day": 3}, "needs a month"),
        ({"year": 2021, "dekad": Dekad.MID}, "needs a month"),
        ({"year": 2021, "month": 4, "day": 31}, "30 days"),
        ({"year": 2021, "month": 4, "day": 3, "dekad": Dekad.EARLY}, "not both"),
    ],
)
def test_an_impossible_date_cannot_be_built(kwargs: dict[str, object], reason: str) -> None:
    """The constructor refuses impossible combinations with a reason."""
    with pytest.raises(InvalidDateError) as caught:
        FuzzyDate(**kwargs)  # type: ignore[arg-type]
    assert reason in caught.value.reason


# -- judging a deadline ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "deadline", "expected"),
    [
        ("2020-12-03", dt.date(2020, 12, 3), "meets"),
        ("2020-12-03", dt.date(2020, 12, 2), "misses"),
        ("2020-08-early", dt.date(2020, 8, 10), "meets"),
        ("2020-08-early", dt.date(2020, 8, 5), "uncertain"),
        ("2020-08-early", dt.date(2020, 7, 31), "misses"),
        ("2021-06", dt.date(2021, 6, 30), "meets"),
        ("2021-06", dt.date(2021, 6, 15), "uncertain"),
        ("2021-06", dt.date(2021, 5, 31), "misses"),
        ("2021-02-late", dt.date(2021, 2, 28), "meets"),
        ("2020-02-late", dt.date(2020, 2, 28), "uncertain"),
        ("2021", dt.date(2021, 12, 31), "meets"),
        ("2021", dt.date(2021, 1, 1), "uncertain"),
        ("2021", dt.date(2020, 12, 31), "misses"),
    ],
)
def test_judge_compares_every_day_the_date_may_mean(
    text: str, deadline: dt.date, expected: str
) -> None:
    """Meets when even the latest day does, misses when even the earliest does, else uncertain."""
    assert expected == FuzzyDate.parse(text).judge(deadline)


@given(fuzzy_dates(), st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_judge_agrees_with_the_bounds(date: FuzzyDate, deadline: dt.date) -> None:
    """The judgement is exactly what comparing both bounds with the deadline says."""
    expected = (
        "meets"
        if date.latest <= deadline
        else "misses"
        if date.earliest > deadline
        else "uncertain"
    )
    assert expected == date.judge(deadline)


# -- inferred years and descriptions -----------------------------------------------------------


def test_an_inferred_year_is_kept_and_shown() -> None:
    """An inferred year is marked with ``?`` and named in the description, not exact."""
    date = FuzzyDate.parse("2020-12-03?")
    assert (
        date.inferred,
        date.is_exact,
        date.describe(),
    ) == (True, False, "2020-12-03? (year inferred: 2020-12-03)")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-12-03", "2020-12-03"),
        ("2021-06", "2021-06 (month: 2021-06-01..2021-06-30)"),
        ("2020-08-mid", "2020-08-mid (dekad: 2020-08-11..2020-08-20)"),
        ("2021", "2021 (year: 2021-01-01..2021-12-31)"),
    ],
)
def test_describe_names_the_range_of_a_fuzzy_date(text: str, expected: str) -> None:
    """Messages show exact days plainly and fuzzy ones with the days they may mean."""
    assert expected == FuzzyDate.parse(text).describe()


# -- periods -----------------------------------------------------------------------------------


def test_a_period_that_ends_before_it_starts_is_impossible() -> None:
    """Period(June, May) raises InvalidDateError, a RectflowError and a ValueError."""
    with pytest.raises(InvalidDateError, match="ends before it starts") as caught:
        Period(FuzzyDate.parse("2021-06"), FuzzyDate.parse("2021-05"))
    assert isinstance(caught.value, RectflowError)
    assert isinstance(caught.value, ValueError)
    assert caught.value.value == "2021-06 .. 2021-05"


def test_a_period_whose_ends_may_overlap_is_possible() -> None:
    """June .. early June may be a ten-day period or a one-day one: it is kept."""
    period = Period(FuzzyDate.parse("2021-06"), FuzzyDate.parse("2021-06-early"))
    assert period.days == (1, 10)


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        ("2020-12-03", "2021-02-28", (88, 88)),
        ("2020-08-early", "2020-08-late", (12, 31)),
        ("2025-04-07", "2025-05-06", (30, 30)),
    ],
)
def test_period_days_count_both_ends(start: str, end: str, days: tuple[int, int]) -> None:
    """The shortest and longest lengths include both the first and the last day."""
    assert days == Period(FuzzyDate.parse(start), FuzzyDate.parse(end)).days


def test_an_open_ended_period_has_no_length() -> None:
    """A period without an end has ``days is None``."""
    assert Period(FuzzyDate.parse("2021-06")).days is None


@given(fuzzy_dates(), fuzzy_dates())
def test_a_period_exists_exactly_when_its_end_may_follow_its_start(
    start: FuzzyDate, end: FuzzyDate
) -> None:
    """A period is refused exactly when its end's last day precedes its start's first day."""
    if end.latest < start.earliest:
        with pytest.raises(InvalidDateError):
            Period(start, end)
    else:
        shortest, longest = Period(start, end).days or (0, 0)
        assert 0 <= shortest <= longest


def test_the_judgement_is_a_typed_enum_equal_to_the_old_strings() -> None:
    """``judge`` returns a ``Judgement`` member, equal to the string 0.1 returned."""
    judgements = [
        FuzzyDate.parse("2021-06").judge(dt.date(2021, 6, 30)),
        FuzzyDate.parse("2021-06").judge(dt.date(2021, 5, 31)),
        FuzzyDate.parse("2021-06").judge(dt.date(2021, 6, 15)),
    ]
    expected = [Judgement.MEETS, Judgement.MISSES, Judgement.UNCERTAIN]
    as_strings = ["meets", "misses", "uncertain"]
    assert (expected, as_strings, [Judgement] * 3) == (
        judgements,
        judgements,
        [type(j) for j in judgements],
    )
