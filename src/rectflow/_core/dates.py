"""Dates as notices write them: exact days, dekads (上/中/下旬), months and years, and periods.

A :class:`FuzzyDate` stands for every day it may mean; ``earliest`` and ``latest`` bound them.
Judging a fuzzy date against an exact deadline uses those bounds: it *meets* the deadline when
even its latest day does, *misses* it when even its earliest day does, and is *uncertain* otherwise.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import re

import attrs

from rectflow._i18n import N_, Msg
from rectflow.errors import InvalidDateError, InvalidFieldError

__all__ = ["Dekad", "FuzzyDate", "Judgement", "Period", "Precision"]


class Precision(enum.StrEnum):
    """How much of a date a notice gives."""

    DAY = "day"
    DEKAD = "dekad"
    MONTH = "month"
    YEAR = "year"


class Dekad(enum.StrEnum):
    """A third of a month: 上旬 (days 1-10), 中旬 (11-20), 下旬 (21 to the month's end)."""

    EARLY = "early"
    MID = "mid"
    LATE = "late"


_DEKAD_FIRST_DAY = {Dekad.EARLY: 1, Dekad.MID: 11, Dekad.LATE: 21}


class Judgement(enum.StrEnum):
    """What :meth:`FuzzyDate.judge` finds: the date meets a deadline, misses it, or may do either.

    A string enum, so each member equals its value (``Judgement.MEETS == "meets"``): code that
    compared with the strings keeps working.
    """

    MEETS = "meets"  # even its latest day is on or before the deadline
    MISSES = "misses"  # even its earliest day is after the deadline
    UNCERTAIN = "uncertain"  # some of its days are before, some after


_TEXT = re.compile(
    r"^(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}|early|mid|late))?)?(?P<q>\?)?$"
)


def _month_end(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


@attrs.frozen(slots=True)
class FuzzyDate:
    """A date known to the day, the dekad, the month or only the year.

    Attributes:
        year: the year.
        month: the month (1-12), or ``None`` for a year-precision date.
        day: the day of the month for a day-precision date.
        dekad: the dekad for a dekad-precision date (``day`` is then ``None``).
        inferred: the year was not written but inferred from context (e.g. "12月3日" in a
            notice whose other dates are in 2020).

    Text form (used in case files when the date is not an exact, written day):
    ``2021`` · ``2021-06`` · ``2020-08-early`` / ``-mid`` / ``-late`` · ``2020-12-03``, with a
    trailing ``?`` when the year was inferred (``2020-12-03?``).
    """

    year: int
    month: int | None = None
    day: int | None = None
    dekad: Dekad | None = None
    inferred: bool = False

    def __attrs_post_init__(self) -> None:
        if not (
            type(self.year) is int
            and (self.month is None or type(self.month) is int)
            and (self.day is None or type(self.day) is int)
            and (self.dekad is None or type(self.dekad) is Dekad)
            and type(self.inferred) is bool
        ):
            self._refuse_types()
        if not 1 <= self.year <= 9999:
            raise InvalidDateError(self._raw(), Msg("year {year} is out of range", year=self.year))
        if self.month is None:
            if self.day is not None or self.dekad is not None:
                raise InvalidDateError(self._raw(), N_("a day or dekad needs a month"))
            return
        if not 1 <= self.month <= 12:
            raise InvalidDateError(self._raw(), Msg("month {month} is not 1-12", month=self.month))
        if self.day is not None and self.dekad is not None:
            raise InvalidDateError(self._raw(), N_("give either a day or a dekad, not both"))
        if self.day is not None and not 1 <= self.day <= _month_end(self.year, self.month):
            raise InvalidDateError(
                self._raw(),
                Msg(
                    "{year}-{month:02d} has {days} days",
                    year=self.year,
                    month=self.month,
                    days=_month_end(self.year, self.month),
                ),
            )

    def _refuse_types(self) -> None:
        for field, value, expected, ok in (
            ("year", self.year, N_("an int"), type(self.year) is int),
            (
                "month",
                self.month,
                N_("an int or None"),
                self.month is None or type(self.month) is int,
            ),
            ("day", self.day, N_("an int or None"), self.day is None or type(self.day) is int),
            (
                "dekad",
                self.dekad,
                N_("a Dekad or None"),
                self.dekad is None or type(self.dekad) is Dekad,
            ),
            ("inferred", self.inferred, N_("a bool"), type(self.inferred) is bool),
        ):
            if not ok:
                fix = (
                    Msg("pass Dekad({value!r})", value=value)
                    if field == "dekad" and value in {d.value for d in Dekad}
                    else N_(
                        "pass FuzzyDate.parse(text) or FuzzyDate.of(day) to build one from text "
                        "or a day"
                    )
                )
                raise InvalidFieldError("FuzzyDate", field, value, expected, fix)

    def _raw(self) -> str:
        parts = [str(self.year), str(self.month), str(self.day or self.dekad or "")]
        return "-".join(p for p in parts if p and p != "None")

    # -- constructors -------------------------------------------------------------------------

    @classmethod
    def of(cls, day: dt.date, *, inferred: bool = False) -> FuzzyDate:
        """An exact day."""
        return cls(day.year, day.month, day.day, inferred=inferred)

    @classmethod
    def parse(cls, text: str) -> FuzzyDate:
        """Read the text form (see the class docstring); raises :class:`InvalidDateError`."""
        match = _TEXT.match(text.strip())
        if match is None:
            raise InvalidDateError(
                text, N_("expected YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-early|mid|late")
            )
        year = int(match["y"])
        month = int(match["m"]) if match["m"] else None
        inferred = match["q"] is not None
        d = match["d"]
        try:
            if d is None:
                return cls(year, month, inferred=inferred)
            if d.isdigit():
                return cls(year, month, int(d), inferred=inferred)
            return cls(year, month, dekad=Dekad(d), inferred=inferred)
        except InvalidDateError as impossible:
            # Name the text the user wrote, not the constructor's rebuilt form of it.
            raise InvalidDateError(text, impossible.reason) from None

    # -- what it means ------------------------------------------------------------------------

    @property
    def precision(self) -> Precision:
        """How precise the date is."""
        if self.month is None:
            return Precision.YEAR
        if self.day is not None:
            return Precision.DAY
        if self.dekad is not None:
            return Precision.DEKAD
        return Precision.MONTH

    @property
    def is_exact(self) -> bool:
        """True for a day-precision date whose year was written, not inferred."""
        return self.day is not None and not self.inferred

    @property
    def earliest(self) -> dt.date:
        """The first day the date may mean."""
        if self.month is None:
            return dt.date(self.year, 1, 1)
        if self.day is not None:
            return dt.date(self.year, self.month, self.day)
        if self.dekad is not None:
            return dt.date(self.year, self.month, _DEKAD_FIRST_DAY[self.dekad])
        return dt.date(self.year, self.month, 1)

    @property
    def latest(self) -> dt.date:
        """The last day the date may mean."""
        if self.month is None:
            return dt.date(self.year, 12, 31)
        if self.day is not None:
            return dt.date(self.year, self.month, self.day)
        if self.dekad is Dekad.EARLY:
            return dt.date(self.year, self.month, 10)
        if self.dekad is Dekad.MID:
            return dt.date(self.year, self.month, 20)
        return dt.date(self.year, self.month, _month_end(self.year, self.month))

    def judge(self, deadline: dt.date) -> Judgement:
        """Compare with an exact deadline (inclusive): :attr:`Judgement.MEETS`,
        :attr:`Judgement.MISSES` or :attr:`Judgement.UNCERTAIN`."""
        if self.latest <= deadline:
            return Judgement.MEETS
        if self.earliest > deadline:
            return Judgement.MISSES
        return Judgement.UNCERTAIN

    def __str__(self) -> str:
        mark = "?" if self.inferred else ""
        # Four-digit years, so that the text form of year 33 reads back (``0033``).
        if self.month is None:
            return f"{self.year:04d}{mark}"
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}{mark}"
        if self.dekad is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.dekad.value}{mark}"
        return f"{self.year:04d}-{self.month:02d}{mark}"

    def describe(self) -> str:
        """How a message names this date: exact days plainly, others with their range."""
        if self.is_exact:
            return str(self)
        span = (
            str(self.earliest)
            if self.earliest == self.latest
            else f"{self.earliest}..{self.latest}"
        )
        how = "year inferred" if self.inferred and self.day is not None else self.precision.value
        return f"{self} ({how}: {span})"


@attrs.frozen(slots=True)
class Period:
    """A span of days from ``start`` to ``end``, both included; ``end`` may be unknown.

    A period whose end lies wholly before its start (``end.latest < start.earliest``) is
    impossible and raises :class:`InvalidDateError`.
    """

    start: FuzzyDate
    end: FuzzyDate | None = None

    def __attrs_post_init__(self) -> None:
        given: tuple[tuple[str, object], ...] = (("start", self.start), ("end", self.end))
        for field, value in given:
            if type(value) is not FuzzyDate and not (field == "end" and value is None):
                fix = (
                    Msg("pass FuzzyDate.of({value!r})", value=value)
                    if type(value) is dt.date
                    else N_("pass a FuzzyDate (FuzzyDate.parse(text), FuzzyDate.of(day))")
                )
                expected = N_("a FuzzyDate or None") if field == "end" else N_("a FuzzyDate")
                raise InvalidFieldError("Period", field, value, expected, fix)
        if self.end is not None and self.end.latest < self.start.earliest:
            raise InvalidDateError(
                f"{self.start} .. {self.end}", N_("the period ends before it starts")
            )

    @property
    def days(self) -> tuple[int, int] | None:
        """The shortest and longest length in days (both ends included), or ``None``."""
        if self.end is None:
            return None
        # When the ends may fall on the same day, the shortest reading is that one day.
        shortest = max(1, (self.end.earliest - self.start.latest).days + 1)
        longest = (self.end.latest - self.start.earliest).days + 1
        return shortest, longest
