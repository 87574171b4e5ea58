"""Drawing helpers shared by the strategies: wording, date spans and argument checks.

Private to :mod:`rectflow._testing`; the public strategies are in :mod:`rectflow.strategies`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from typing import TypeVar

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from rectflow._core.dates import Dekad, FuzzyDate, Precision
from rectflow._core.model import (
    AccountabilityForm,
    Evidence,
    EvidenceKind,
    ProblemKind,
    Responsibility,
)

MIN_DATE = dt.date(2015, 1, 1)
"""The default lower bound of generated dates: inspections of the current regime."""
MAX_DATE = dt.date(2035, 12, 31)
"""The default upper bound of generated dates."""

FiredEvent = tuple[str, str | None, dt.date]
"""One step of an event sequence: ``(trigger, item id or None for the case, date)``."""

T = TypeVar("T")

# Words the notices use, so that a shrunk example still reads like a ledger. The first entry of
# each tuple is what an example shrinks to.
_TITLES = ("整改", "制度建设", "落实主体责任", "Procurement", "采购管理不规范", "干部队伍建设")
_WORDS = "整改问题措施落实制度建设责任党委巡察反馈abcdefxyz0123456789 -"
_NAMES = ("张三", "李四", "院党委", "纪委", "Office", "王五")
_DEPARTMENTS = ("办公室", "组织部", "财务科", "HR", "纪检监察室")
_BODIES = ("中共某某委员会", "某市人民医院党委", "某大学党委", "Some Body")
_MILESTONES = ("专题民主生活会", "整改动员部署会", "对账销号会")
_TAGS = ("立行立改", "建章立制", "问责", "procurement", "reform")
_EVIDENCE = ("文件1", "会议纪要", "doc-2")
_REFERENCES = ("档案2024-12", "/evidence/1.pdf", "https://example.org/notice/1")
# Documents first: examples shrink to the most common kind of evidence.
_EVIDENCE_KINDS = (
    EvidenceKind.DOCUMENT,
    *(k for k in EvidenceKind if k is not EvidenceKind.DOCUMENT),
)
_FORMS = tuple(AccountabilityForm)
_APPROVERS = ("整改工作领导小组", "县委巡察办", "院党委")
_ROLES = ("领导小组", "巡察办")
# Supervising offices that accept or reject: none of them is among _NAMES, who do the work.
_ACCEPTORS = ("县委巡察办", "纪检监察组", "整改督查组")
_REASONS = ("材料不全", "需跨年度推进", "审批流程未完成", "evidence missing")
_CHANNELS = ("官网", "公众号", "official website")
_CONTACTS = ("0763-1234567", "jw@example.org", "某市某路1号")
# Exact days first, then ever coarser: examples shrink to exact days.
_PRECISIONS = (Precision.DAY, Precision.DEKAD, Precision.MONTH, Precision.YEAR)
# Specific problems first: examples shrink to the most common kind.
_KINDS = (ProblemKind.SPECIFIC, *(k for k in ProblemKind if k is not ProblemKind.SPECIFIC))

# Inside the composites below only these prebuilt strategies and hypothesis's cached primitives
# (integers, booleans) are drawn from: building strategies per draw costs more than drawing.
_BOOL = st.booleans()
_TEXT = st.one_of(st.sampled_from(_TITLES), st.text(_WORDS, min_size=1, max_size=12))
_LONG_TEXT = st.one_of(st.just(""), _TEXT, st.text(_WORDS, max_size=40))
_IDS = st.integers(1, 99).map(str)
# Which kind of day _day draws: 0 a plain day of the range (what it shrinks to), 1 a month's
# last day, 2 a 29 February, 3 next to a bound or an anchor.
_DAY_KINDS = st.integers(0, 3)


# -- drawing helpers --------------------------------------------------------------------------


def _pick(draw: st.DrawFn, options: Sequence[T]) -> T:
    """One of ``options``, shrinking to the first."""
    return options[draw(st.integers(0, len(options) - 1))]


def _maybe(draw: st.DrawFn, options: Sequence[T]) -> T | None:
    """None (what it shrinks to) or one of ``options``."""
    if not options:
        return None
    return _pick(draw, options) if draw(_BOOL) else None


def _some(draw: st.DrawFn, options: Sequence[T], most: int) -> tuple[T, ...]:
    """Up to ``most`` distinct ``options``, in their order."""
    return tuple(o for o in options if draw(_BOOL))[:most]


def _shift(day: dt.date, days: int) -> dt.date:
    """``day + days``, held inside the calendar's range."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def _plain_day(draw: st.DrawFn, low: dt.date, high: dt.date) -> dt.date:
    """A day in ``[low, high]`` drawn from the whole range, shrinking to ``low``."""
    return low + dt.timedelta(days=draw(st.integers(0, max(0, (high - low).days))))


def _month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month."""
    if day.month == 12:
        return dt.date(day.year, 12, 31)
    return dt.date(day.year, day.month + 1, 1) - dt.timedelta(days=1)


def _a_month_end(draw: st.DrawFn, low: dt.date, high: dt.date) -> dt.date | None:
    """The last day of one of the months that end in ``[low, high]``; None if none does."""
    first = low.year * 12 + low.month - 1
    last = high.year * 12 + high.month - 1
    if _month_end(high) > high:
        last -= 1
    if last < first:
        return None
    year, month = divmod(draw(st.integers(first, last)), 12)
    return _month_end(dt.date(year, month + 1, 1))


def _leap_days(low: dt.date, high: dt.date) -> list[dt.date]:
    """Every 29 February in ``[low, high]``."""
    years = [y for y in range(low.year, high.year + 1) if calendar.isleap(y)]
    return [d for y in years if low <= (d := dt.date(y, 2, 29)) <= high]


def _a_leap_day(draw: st.DrawFn, low: dt.date, high: dt.date) -> dt.date | None:
    """One of the 29 Februaries in ``[low, high]``; None if there is none."""
    days = _leap_days(low, high)
    return _pick(draw, days) if days else None


def _next_to(anchors: Sequence[dt.date], low: dt.date, high: dt.date) -> list[dt.date]:
    """The bounds, and each anchor with the days either side of it, inside ``[low, high]``."""
    near = {low, high}
    for anchor in anchors:
        near.update(_shift(anchor, offset) for offset in (-1, 0, 1))
    return sorted(day for day in near if low <= day <= high)


def _day(draw: st.DrawFn, low: dt.date, high: dt.date, anchors: Sequence[dt.date] = ()) -> dt.date:
    """A day in ``[low, high]``, shrinking to ``low``: often a day rules live on.

    One draw chooses among a plain day of the range (what it shrinks to), a month's last day,
    29 February, and a bound or an anchor (another date of the case: a due date, the feedback)
    or a day either side of one. Rules break on exactly these: ``date.replace(year=...)`` on a
    leap day, ``month + 1`` on the 31st, ``<`` written for ``<=`` on a due date. Where the range
    holds no such day, the plain draw is used.
    """
    if high <= low:
        return low
    kind = draw(_DAY_KINDS)
    day: dt.date | None = None
    if kind == 1:
        day = _a_month_end(draw, low, high)
    elif kind == 2:
        day = _a_leap_day(draw, low, high)
    elif kind == 3:
        day = _pick(draw, _next_to(anchors, low, high))
    return day if day is not None else _plain_day(draw, low, high)


def _optional_day(
    draw: st.DrawFn, low: dt.date, high: dt.date, anchors: Sequence[dt.date] = ()
) -> dt.date | None:
    return _day(draw, low, high, anchors) if draw(_BOOL) else None


def _text(draw: st.DrawFn) -> str:
    return draw(_TEXT)


def _responsibility(draw: st.DrawFn) -> Responsibility | None:
    """A responsibility naming any of a leader, a department and a person; None for no one."""
    who = Responsibility(_maybe(draw, _NAMES), _maybe(draw, _DEPARTMENTS), _maybe(draw, _NAMES))
    return None if who.is_empty() else who


def _evidence(draw: st.DrawFn, low: dt.date, high: dt.date) -> Evidence:
    """A piece of structured evidence: a title, a kind, and (each may be absent) the day of the
    document, within ``[low, high]``, a reference, who added it, and whether it is public."""
    return Evidence(
        _pick(draw, _EVIDENCE),
        _pick(draw, _EVIDENCE_KINDS),
        _optional_day(draw, low, high),
        _maybe(draw, _REFERENCES),
        _maybe(draw, _NAMES),
        draw(_BOOL),
    )


def _evidence_list(draw: st.DrawFn, low: dt.date, high: dt.date, most: int) -> tuple[Evidence, ...]:
    """Up to ``most`` pieces of evidence, no two equal (an item lists each once)."""
    found: list[Evidence] = []
    for _ in range(draw(st.integers(0, most))):
        evidence = _evidence(draw, low, high)
        if evidence not in found:
            found.append(evidence)
    return tuple(found)


# -- dates ------------------------------------------------------------------------------------


def _unit(day: dt.date, precision: Precision) -> FuzzyDate:
    """The date of ``precision`` that contains ``day``."""
    if precision is Precision.YEAR:
        return FuzzyDate(day.year)
    if precision is Precision.MONTH:
        return FuzzyDate(day.year, day.month)
    if precision is Precision.DEKAD:
        dekad = Dekad.EARLY if day.day <= 10 else Dekad.MID if day.day <= 20 else Dekad.LATE
        return FuzzyDate(day.year, day.month, dekad=dekad)
    return FuzzyDate.of(day)


Span = tuple[Precision, dt.date, dt.date]


def _spans(low: dt.date, high: dt.date, precisions: Sequence[Precision]) -> list[Span]:
    """For each precision, the days whose unit lies wholly in ``[low, high]`` (if any do)."""
    spans = []
    for precision in precisions:
        try:
            first = _unit(low, precision)
            if first.earliest < low:
                first = _unit(first.latest + dt.timedelta(days=1), precision)
            last = _unit(high, precision)
            if last.latest > high:
                last = _unit(last.earliest - dt.timedelta(days=1), precision)
        except (OverflowError, ValueError):  # the unit runs off the calendar
            continue
        if first.earliest <= last.latest:
            spans.append((precision, first.earliest, last.latest))
    return spans


def _fuzzy(draw: st.DrawFn, spans: Sequence[Span], allow_inferred: bool = True) -> FuzzyDate:
    precision, low, high = _pick(draw, spans)
    unit = _unit(_day(draw, low, high), precision)
    return attrs.evolve(unit, inferred=True) if allow_inferred and draw(_BOOL) else unit


def _fuzzy_between(draw: st.DrawFn, low: dt.date, high: dt.date) -> FuzzyDate:
    """A fuzzy date wholly inside ``[low, high]`` (an exact day always fits)."""
    return _fuzzy(draw, _spans(low, max(low, high), _PRECISIONS))


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise InvalidArgument(message)


def _check_size(name: str, min_size: int, max_size: int) -> None:
    _check(min_size >= 0, f"min_{name}={min_size} must be at least 0")
    _check(min_size <= max_size, f"min_{name}={min_size} exceeds max_{name}={max_size}")


def _check_dates(min_value: dt.date, max_value: dt.date) -> None:
    _check(
        type(min_value) is dt.date and type(max_value) is dt.date,
        f"min_value={min_value!r} and max_value={max_value!r} must be datetime.date values",
    )
    _check(min_value <= max_value, f"min_value={min_value} is after max_value={max_value}")


def _check_precisions(
    min_value: dt.date, max_value: dt.date, precisions: Sequence[Precision | str]
) -> list[Span]:
    _check_dates(min_value, max_value)
    try:
        chosen = {Precision(p) for p in precisions}
    except ValueError:
        raise InvalidArgument(
            f"precisions={precisions!r}: each must be one of "
            f"{', '.join(p.value for p in Precision)}"
        ) from None
    _check(bool(chosen), "precisions must name at least one precision")
    spans = _spans(min_value, max_value, [p for p in _PRECISIONS if p in chosen])
    _check(
        bool(spans),
        f"no {'/'.join(sorted(chosen))} date fits wholly between {min_value} and {max_value}; "
        "widen the bounds or allow a finer precision",
    )
    return spans
