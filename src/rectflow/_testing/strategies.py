"""Hypothesis strategies for rectflow's model: property-test your own rules and plugins.

Installed with the ``strategies`` extra (``pip install rectflow[strategies]``); this module and
the private ones it loads are the only ones that import hypothesis. The strategies follow
hypothesis's own style: plural names, keyword-only arguments with defaults,
``min_size``/``max_size``, and :class:`hypothesis.errors.InvalidArgument` for impossible
combinations. They shrink to small, readable examples: ids ``1``, ``1.1``, ``1.1.1``, short
Chinese or ASCII titles, exact dates at the lower bound, absent optional fields.

Every case they build is valid: it saves and loads as a case file, its dates are consistent
(nothing before the feedback date, no period ending before it starts) and its states follow
from its event log. ``st.from_type(rectflow.Case)`` works too, through hypothesis's entry point.

:func:`policies` draws valid policies, :func:`from_policy` cases that a policy accepts, and
:func:`workflow_test` is the stateful harness for workflow rules and plugins (docs/testing.md).

Example::

    from hypothesis import given
    import rectflow
    import rectflow.strategies as rs

    @given(rs.cases(with_events=True))
    def test_replay_gives_back_the_case(case):
        assert rectflow.replay(case) == case
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Sequence
from typing import TypeVar

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from rectflow._dates import Dekad, FuzzyDate, Period, Precision
from rectflow._lifecycle import CASE_LIFECYCLE, allowed_triggers, fire
from rectflow._model import (
    COUNT_SUBJECTS,
    Case,
    CaseState,
    Category,
    Classification,
    Contact,
    ContactKind,
    Disclosure,
    DisclosureScope,
    Inspection,
    InspectionKind,
    ItemState,
    LeadingGroup,
    Measure,
    Milestone,
    Plan,
    Problem,
    ProblemKind,
    Responsibility,
    Review,
    ReviewKind,
    ReviewOutcome,
    StatedCount,
)

__all__ = [
    "cases",
    "categories",
    "durations",
    "event_sequences",
    "from_policy",
    "fuzzy_dates",
    "ledgers",
    "measures",
    "periods",
    "policies",
    "problems",
    "workflow_test",
]

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


def _day(draw: st.DrawFn, low: dt.date, high: dt.date) -> dt.date:
    """A day in ``[low, high]``, shrinking to ``low``."""
    return low + dt.timedelta(days=draw(st.integers(0, max(0, (high - low).days))))


def _optional_day(draw: st.DrawFn, low: dt.date, high: dt.date) -> dt.date | None:
    return _day(draw, low, high) if draw(_BOOL) else None


def _text(draw: st.DrawFn) -> str:
    return draw(_TEXT)


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


@st.composite
def _fuzzy_dates(draw: st.DrawFn, spans: list[Span], allow_inferred: bool) -> FuzzyDate:
    return _fuzzy(draw, spans, allow_inferred)


def fuzzy_dates(
    *,
    min_value: dt.date = MIN_DATE,
    max_value: dt.date = MAX_DATE,
    precisions: Sequence[Precision | str] = _PRECISIONS,
    allow_inferred: bool = True,
) -> st.SearchStrategy[FuzzyDate]:
    """Fuzzy dates whose every possible day lies in ``[min_value, max_value]``.

    Args:
        min_value: the earliest day a date may mean.
        max_value: the latest day a date may mean.
        precisions: the precisions to draw from (``day``, ``dekad``, ``month``, ``year``); a
            precision with no whole unit between the bounds (``year`` between March and May) is
            left out.
        allow_inferred: also draw dates whose year was inferred (text form ``2021-06?``).
    """
    return _fuzzy_dates(_check_precisions(min_value, max_value, precisions), allow_inferred)


def _period(
    draw: st.DrawFn, spans: list[Span], high: dt.date, allow_open_end: bool = True
) -> Period:
    start = _fuzzy(draw, spans)
    if allow_open_end and draw(_BOOL):
        return Period(start)
    # The end may begin where the start may begin: the period is never reversed.
    ends = _spans(start.earliest, high, [p for p in _PRECISIONS if p in {s[0] for s in spans}])
    return Period(start, _fuzzy(draw, ends))


@st.composite
def _periods(draw: st.DrawFn, spans: list[Span], high: dt.date, allow_open_end: bool) -> Period:
    return _period(draw, spans, high, allow_open_end)


def periods(
    *,
    min_value: dt.date = MIN_DATE,
    max_value: dt.date = MAX_DATE,
    precisions: Sequence[Precision | str] = _PRECISIONS,
    allow_open_end: bool = True,
) -> st.SearchStrategy[Period]:
    """Periods inside ``[min_value, max_value]`` that never end before they start.

    Args:
        min_value: the earliest day either end may mean.
        max_value: the latest day either end may mean.
        precisions: the precisions of the ends (see :func:`fuzzy_dates`).
        allow_open_end: also draw periods whose end is unknown.
    """
    spans = _check_precisions(min_value, max_value, precisions)
    return _periods(spans, max_value, allow_open_end)


# -- the ledger -------------------------------------------------------------------------------


@attrs.frozen
class _Items:
    """What the ledger strategies were asked for, checked."""

    min_measures: int
    max_measures: int
    kinds: tuple[ProblemKind, ...]
    min_due: dt.date
    max_due: dt.date
    states: tuple[ItemState, ...]

    def moved(self, low: dt.date, high: dt.date) -> _Items:
        return attrs.evolve(self, min_due=low, max_due=high)


def _items(
    min_measures: int,
    max_measures: int,
    kinds: Sequence[ProblemKind | str],
    min_due: dt.date,
    max_due: dt.date,
    initial_states: Sequence[ItemState | str],
) -> _Items:
    _check_size("measures", min_measures, max_measures)
    _check_dates(min_due, max_due)
    try:
        chosen_kinds = tuple(dict.fromkeys(ProblemKind(k) for k in kinds))
    except ValueError:
        raise InvalidArgument(
            f"kinds={kinds!r}: each must be one of {', '.join(k.value for k in ProblemKind)}"
        ) from None
    _check(bool(chosen_kinds), "kinds must name at least one problem kind")
    try:
        states = tuple(dict.fromkeys(ItemState(s) for s in initial_states))
    except ValueError:
        raise InvalidArgument(
            f"initial_states={initial_states!r}: each must be one of "
            f"{', '.join(s.value for s in ItemState)}"
        ) from None
    _check(bool(states), "initial_states must name at least one state")
    return _Items(min_measures, max_measures, chosen_kinds, min_due, max_due, states)


def _measure(draw: st.DrawFn, measure_id: str, how: _Items) -> Measure:
    state = _pick(draw, how.states)
    responsibility = Responsibility(
        _maybe(draw, _NAMES), _maybe(draw, _DEPARTMENTS), _maybe(draw, _NAMES)
    )
    return Measure(
        id=measure_id,
        text=draw(_LONG_TEXT),
        responsibility=None if responsibility.is_empty() else responsibility,
        due_on=_optional_day(draw, how.min_due, how.max_due),
        state=state,
        evidence=_some(draw, _EVIDENCE, 2),
        tags=_some(draw, _TAGS, 2),
        added_on=_optional_day(draw, how.min_due, how.max_due),
        initial_state=state,
    )


def _problem(draw: st.DrawFn, problem_id: str, how: _Items) -> Problem:
    kind = _pick(draw, how.kinds)
    count = draw(st.integers(how.min_measures, how.max_measures))
    items = [_measure(draw, f"{problem_id}.{n}", how) for n in range(1, count + 1)]
    state = _pick(draw, how.states)
    clue = kind is ProblemKind.CLUE
    return Problem(
        id=problem_id,
        title=_text(draw),
        kind=kind,
        # Clues are never published.
        classification=Classification.CONFIDENTIAL if clue else _pick(draw, tuple(Classification)),
        state=state,
        measures=items,
        tags=_some(draw, _TAGS, 2),
        transferred_on=_optional_day(draw, how.min_due, how.max_due) if clue else None,
        # Only a problem tracked without measures has a deadline of its own.
        due_on=None if items else _optional_day(draw, how.min_due, how.max_due),
        initial_state=state,
    )


@st.composite
def _measures(draw: st.DrawFn, ids: st.SearchStrategy[str], how: _Items) -> Measure:
    return _measure(draw, draw(ids), how)


def measures(
    *,
    ids: st.SearchStrategy[str] = _IDS,
    min_due: dt.date = MIN_DATE,
    max_due: dt.date = MAX_DATE,
    initial_states: Sequence[ItemState | str] = (ItemState.OPEN,),
) -> st.SearchStrategy[Measure]:
    """Measures with text, a responsibility and due date (each may be absent), tags, evidence.

    Args:
        ids: where ids come from (short numbers by default; :func:`ledgers` gives ``1.1.1``).
        min_due: the earliest due (and added) date.
        max_due: the latest due (and added) date.
        initial_states: the states a measure may start in; its state is its initial state (an
            imported measure may start ``completed``, say). Use :func:`event_sequences` to move it.
    """
    return _measures(ids, _items(0, 0, _KINDS, min_due, max_due, initial_states))


@st.composite
def _problems(draw: st.DrawFn, ids: st.SearchStrategy[str], how: _Items) -> Problem:
    return _problem(draw, draw(ids), how)


def problems(
    *,
    ids: st.SearchStrategy[str] = _IDS,
    min_measures: int = 0,
    max_measures: int = 3,
    kinds: Sequence[ProblemKind | str] = _KINDS,
    min_due: dt.date = MIN_DATE,
    max_due: dt.date = MAX_DATE,
    initial_states: Sequence[ItemState | str] = (ItemState.OPEN,),
) -> st.SearchStrategy[Problem]:
    """Problems with their measures (ids ``<problem id>.1``, ``.2``, …).

    Clues (``kind = clue``) are always confidential. A problem with measures takes its state from
    them; one without has its own, drawn from ``initial_states``, and may have a due date.

    Args:
        ids: where problem ids come from.
        min_measures: the fewest measures per problem.
        max_measures: the most measures per problem.
        kinds: the problem kinds to draw from.
        min_due: the earliest due date (and transfer date of a clue).
        max_due: the latest such date.
        initial_states: the states items may start in (see :func:`measures`).
    """
    how = _items(min_measures, max_measures, kinds, min_due, max_due, initial_states)
    return _problems(ids, how)


def _ledger(
    draw: st.DrawFn, categories: tuple[int, int], sizes: tuple[int, int], how: _Items
) -> list[Category]:
    total = draw(st.integers(*sizes))
    count = draw(st.integers(max(categories[0], 1 if total else 0), categories[1]))
    ledger = [Category(str(n), _text(draw)) for n in range(1, count + 1)]
    # Each problem goes to a category no earlier than the one before it: ledger order.
    where = 0
    for _ in range(total):
        where = draw(st.integers(where, count - 1))
        category = ledger[where]
        problem = _problem(draw, f"{category.id}.{len(category.problems) + 1}", how)
        problem.parent = _maybe(draw, [p.id for p in category.problems])
        category.problems.append(problem)
    return ledger


@st.composite
def _ledgers(
    draw: st.DrawFn, categories: tuple[int, int], sizes: tuple[int, int], how: _Items
) -> list[Category]:
    return _ledger(draw, categories, sizes, how)


def _check_ledger(
    min_categories: int, max_categories: int, min_problems: int, max_problems: int
) -> None:
    _check_size("categories", min_categories, max_categories)
    _check_size("problems", min_problems, max_problems)
    _check(
        max_categories > 0 or min_problems == 0,
        f"min_problems={min_problems} needs at least one category (max_categories=0)",
    )


def ledgers(
    *,
    min_categories: int = 0,
    max_categories: int = 3,
    min_problems: int = 0,
    max_problems: int = 6,
    min_measures: int = 0,
    max_measures: int = 3,
    kinds: Sequence[ProblemKind | str] = _KINDS,
    min_due: dt.date = MIN_DATE,
    max_due: dt.date = MAX_DATE,
    initial_states: Sequence[ItemState | str] = (ItemState.OPEN,),
) -> st.SearchStrategy[list[Category]]:
    """Ledgers: categories ``1``, ``2``, … holding problems ``1.1``, … holding measures ``1.1.1``.

    Ids are unique across problems and measures. A problem's ``parent``, when set, names an
    earlier problem of its category.

    Args:
        min_categories: the fewest categories.
        max_categories: the most categories.
        min_problems: the fewest problems in the whole ledger.
        max_problems: the most problems in the whole ledger.
        min_measures: the fewest measures per problem.
        max_measures: the most measures per problem.
        kinds: the problem kinds to draw from.
        min_due: the earliest due date of an item.
        max_due: the latest due date of an item.
        initial_states: the states items may start in (see :func:`measures`).
    """
    _check_ledger(min_categories, max_categories, min_problems, max_problems)
    how = _items(min_measures, max_measures, kinds, min_due, max_due, initial_states)
    return _ledgers((min_categories, max_categories), (min_problems, max_problems), how)


@st.composite
def _categories(
    draw: st.DrawFn, ids: st.SearchStrategy[str], max_problems: int, how: _Items
) -> Category:
    category = _ledger(draw, (1, 1), (0, max_problems), how)[0]
    # Renumber under the drawn id: "1.2.3" becomes "<id>.2.3".
    category.id = draw(ids)
    for problem in category.problems:
        items: list[Problem | Measure] = [problem, *problem.measures]
        for item in items:
            item.id = category.id + item.id[1:]
        if problem.parent is not None:
            problem.parent = category.id + problem.parent[1:]
    return category


def categories(
    *,
    ids: st.SearchStrategy[str] = _IDS,
    max_problems: int = 3,
    max_measures: int = 3,
) -> st.SearchStrategy[Category]:
    """Single categories with problems ``<category id>.1``, … (see :func:`ledgers`)."""
    _check_size("problems", 0, max_problems)
    how = _items(0, max_measures, _KINDS, MIN_DATE, MAX_DATE, (ItemState.OPEN,))
    return _categories(ids, max_problems, how)


# -- events -----------------------------------------------------------------------------------


def _legal_moves(case: Case) -> list[tuple[str, str | None]]:
    moves: list[tuple[str, str | None]] = [(t, None) for t in CASE_LIFECYCLE.allowed(case.state)]
    for problem in case.problems():
        moves.extend((t, problem.id) for t in allowed_triggers(case, problem.id))
        for measure in problem.measures:
            moves.extend((t, measure.id) for t in allowed_triggers(case, measure.id))
    return moves


def _events(
    draw: st.DrawFn, case: Case, min_size: int, max_size: int, max_gap_days: int
) -> list[FiredEvent]:
    # Fire on a copy, so the lifecycle itself (a problem's reopen spreading to its measures, its
    # derived state) decides what is legal next; the caller's case is left alone.
    scratch = copy.deepcopy(case)
    days = [MIN_DATE if case.feedback_on is None else case.feedback_on.latest]
    on = max(days + [e.on for e in case.events])
    steps: list[FiredEvent] = []
    for _ in range(draw(st.integers(min_size, max_size))):
        # The case lifecycle allows a trigger in every state, so there is always a move.
        trigger, item = _pick(draw, _legal_moves(scratch))
        on = _shift(on, draw(st.integers(0, max_gap_days)))
        fire(scratch, trigger, item=item, on=on)
        steps.append((trigger, item, on))
    return steps


@st.composite
def _event_sequences(
    draw: st.DrawFn, case: Case, min_size: int, max_size: int, max_gap_days: int
) -> list[FiredEvent]:
    return _events(draw, case, min_size, max_size, max_gap_days)


def event_sequences(
    case: Case, *, min_size: int = 0, max_size: int = 12, max_gap_days: int = 30
) -> st.SearchStrategy[list[FiredEvent]]:
    """Lists of ``(trigger, item id or None, date)`` that are legal when fired in order on ``case``.

    Apply them with ``rectflow.fire(case, trigger, item=item, on=on)``: every step is allowed by
    the lifecycle where the case and its items then stand (a problem with measures only takes
    ``reopen``), and dates never go back, starting no earlier than the feedback date (its latest
    reading) and the case's last event. ``case`` itself is not changed.

    Args:
        case: the case the events are for.
        min_size: the fewest events.
        max_size: the most events.
        max_gap_days: the most days between one event and the next.
    """
    _check(isinstance(case, Case), f"case={case!r} must be a rectflow.Case")
    _check_size("size", min_size, max_size)
    _check(max_gap_days >= 0, f"max_gap_days={max_gap_days} must be at least 0")
    return _event_sequences(case, min_size, max_size, max_gap_days)


# -- cases ------------------------------------------------------------------------------------


def _inspection(draw: st.DrawFn, feedback: FuzzyDate) -> Inspection:
    onsite = None
    if draw(_BOOL):
        # On site before the feedback: the period ends no later than the feedback's first day.
        spans = _spans(_shift(feedback.earliest, -150), feedback.earliest, _PRECISIONS)
        onsite = _period(draw, spans, feedback.earliest)
    return Inspection(
        kind=_pick(draw, tuple(InspectionKind)),
        body=_maybe(draw, ("市委", "省委", "校党委")),
        team=_maybe(draw, ("市委第二巡察组", "第一巡视组")),
        round=_maybe(draw, ("第四轮", "2021年第一批")),
        onsite=onsite,
    )


def _disclosure(draw: st.DrawFn, low: dt.date, high: dt.date) -> Disclosure:
    published = _fuzzy_between(draw, low, high) if draw(_BOOL) else None
    start = low if published is None else published.earliest
    public_period = None
    if draw(_BOOL):
        end = _shift(start, 60)
        public_period = _period(draw, _spans(start, end, _PRECISIONS), end)
    contacts = [
        Contact(_pick(draw, tuple(ContactKind)), _pick(draw, _CONTACTS))
        for _ in range(draw(st.integers(0, 3)))
    ]
    return Disclosure(
        published_on=published,
        scope=_pick(draw, tuple(DisclosureScope)),
        channel=_maybe(draw, _CHANNELS),
        public_period=public_period,
        contacts=contacts,
        title=_text(draw) if draw(_BOOL) else None,
        signed_by=_maybe(draw, _BODIES),
        text=draw(_LONG_TEXT) if draw(_BOOL) else None,
    )


def _review(draw: st.DrawFn, low: dt.date, high: dt.date, item_ids: list[str]) -> Review:
    outcomes = [
        ReviewOutcome(item, _pick(draw, ("confirmed", "reopened")), _maybe(draw, _TITLES))
        for item in _some(draw, item_ids, 3)
    ]
    return Review(
        on=_day(draw, low, high),
        kind=_pick(draw, tuple(ReviewKind)),
        by=_maybe(draw, ("市委巡察办", "第三方")),
        grade=_maybe(draw, ("好", "较好", "一般")),
        outcomes=outcomes,
    )


def _stated_count(draw: st.DrawFn) -> StatedCount:
    by_state = {state: draw(st.integers(0, 300)) for state in _some(draw, tuple(ItemState), 3)}
    stated = sum(by_state.values())
    total = draw(st.integers(stated, stated + 60)) if draw(_BOOL) else None
    return StatedCount(_pick(draw, COUNT_SUBJECTS), total, by_state)


def _listed(draw: st.DrawFn, most: int) -> range:
    return range(draw(st.integers(0, most)))


@st.composite
def _cases(
    draw: st.DrawFn,
    feedback_spans: list[Span],
    ledger: st.SearchStrategy[list[Category]] | None,
    sizes: tuple[tuple[int, int], tuple[int, int], int],
    events: tuple[bool, int],
    allow_imported: bool,
) -> Case:
    feedback = _fuzzy(draw, feedback_spans)
    # Later steps are drawn after the feedback's last possible day, each after the one before,
    # so no date comes before the feedback and no period is reversed.
    cursor = feedback.latest
    plan = None
    if draw(_BOOL):
        adopted = _fuzzy_between(draw, cursor, _shift(cursor, 60)) if draw(_BOOL) else None
        plan = Plan(adopted, _text(draw) if draw(_BOOL) else None)
        cursor = cursor if adopted is None else adopted.latest
    centralised = None
    if draw(_BOOL):
        end = _shift(cursor, 180)
        centralised = _period(draw, _spans(cursor, end, _PRECISIONS), end)
        cursor = centralised.start.latest
    report = _fuzzy_between(draw, cursor, _shift(cursor, 120)) if draw(_BOOL) else None
    cursor = cursor if report is None else report.latest
    states = tuple(ItemState) if allow_imported else (ItemState.OPEN,)
    if ledger is None:
        categories_, problems_, most = sizes
        how = _Items(0, most, _KINDS, feedback.latest, _shift(feedback.latest, 400), states)
        ledger_drawn = _ledger(draw, categories_, problems_, how)
    else:
        ledger_drawn = draw(ledger)
    item_ids = [
        i for c in ledger_drawn for p in c.problems for i in (p.id, *(m.id for m in p.measures))
    ]
    case_state = _pick(draw, tuple(CaseState)) if allow_imported else CaseState.FEEDBACK_RECEIVED
    head = _maybe(draw, _NAMES)
    case = Case(
        id=f"case-{draw(st.integers(1, 999))}",
        inspected_body=_pick(draw, _BODIES),
        inspection=_inspection(draw, feedback),
        feedback_on=feedback,
        plan=plan,
        leading_group=LeadingGroup(_maybe(draw, ("整改工作领导小组",)), head)
        if draw(_BOOL)
        else None,
        centralised=centralised,
        report_on=report,
        milestones=[
            Milestone(
                _pick(draw, _MILESTONES),
                _fuzzy_between(draw, feedback.latest, _shift(cursor, 90)),
            )
            for _ in _listed(draw, 2)
        ],
        disclosures=[_disclosure(draw, cursor, _shift(cursor, 120)) for _ in _listed(draw, 2)],
        reviews=[_review(draw, cursor, _shift(cursor, 720), item_ids) for _ in _listed(draw, 2)],
        stated_counts=[_stated_count(draw) for _ in _listed(draw, 3)],
        categories=ledger_drawn,
        state=case_state,
        initial_state=case_state,
    )
    with_events, max_events = events
    if with_events:
        for trigger, item, on in _events(draw, case, 0, max_events, 30):
            actor = _maybe(draw, _NAMES)
            fire(case, trigger, item=item, on=on, actor=actor, note=_maybe(draw, _TITLES))
    return case


def cases(
    *,
    min_value: dt.date = MIN_DATE,
    max_value: dt.date = MAX_DATE,
    ledger: st.SearchStrategy[list[Category]] | None = None,
    max_categories: int = 3,
    min_problems: int = 0,
    max_problems: int = 6,
    max_measures: int = 3,
    with_events: bool = False,
    max_events: int = 12,
    allow_imported: bool = False,
) -> st.SearchStrategy[Case]:
    """Valid cases: an inspection, dates, a plan, disclosures, reviews, counts and a ledger.

    Dates are consistent: the on-site period ends by the feedback date; plan, centralised
    period, report, disclosures, reviews, due dates and events come no earlier than the feedback
    date; no period ends before it starts. Without events every state is its initial state.

    Args:
        min_value: the earliest day the feedback date may mean.
        max_value: the latest day the feedback date may mean (later dates follow it).
        ledger: a strategy for the categories (default: :func:`ledgers` with the sizes below and
            due dates after the feedback date). A ledger of your own must keep ids unique and
            due dates after the feedback date.
        max_categories: the most categories.
        min_problems: the fewest problems in the ledger.
        max_problems: the most problems in the ledger.
        max_measures: the most measures per problem.
        with_events: fire a legal event sequence (:func:`event_sequences`) through
            ``rectflow.fire``, with actors and notes.
        max_events: the most events fired when ``with_events``.
        allow_imported: let the case and its items start elsewhere than their lifecycle's
            initial state, as an imported case does (``initial_state`` set accordingly).
    """
    spans = _check_precisions(min_value, max_value, _PRECISIONS)
    _check(max_events >= 0, f"max_events={max_events} must be at least 0")
    _check_ledger(0, max_categories, min_problems, max_problems)
    _check_size("measures", 0, max_measures)
    sizes = ((0, max_categories), (min_problems, max_problems), max_measures)
    return _cases(spans, ledger, sizes, (with_events, max_events), allow_imported)


# Policies, cases a policy accepts, and the stateful harness build on the strategies above and
# live in their own modules (one concept per module); they are imported last, once everything
# they use from here is defined.
from rectflow._harness import workflow_test  # noqa: E402
from rectflow._strategies_accepted import from_policy  # noqa: E402
from rectflow._strategies_policy import durations, policies  # noqa: E402
