"""Hypothesis strategies for rectflow's model: property-test your own rules and plugins.

Installed with the ``strategies`` extra (``pip install rectflow[strategies]``); this is the only
module that imports hypothesis. The strategies follow hypothesis's own style: plural names,
keyword-only arguments with defaults, ``min_size``/``max_size``, and
:class:`hypothesis.errors.InvalidArgument` for impossible combinations. They shrink to small,
readable examples: ids ``1``, ``1.1``, ``1.1.1``, short Chinese or ASCII titles, dates near the
lower bound.

Every case they build is valid: it loads and saves as a case file, its dates are consistent
(nothing before the feedback date, no period ending before it starts) and its states follow
from its event log. ``st.from_type(rectflow.Case)`` works too, through hypothesis's entry point.

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
    "event_sequences",
    "fuzzy_dates",
    "ledgers",
    "measures",
    "periods",
    "problems",
]

MIN_DATE = dt.date(2015, 1, 1)
"""The default lower bound of generated dates: inspections of the current regime."""
MAX_DATE = dt.date(2035, 12, 31)
"""The default upper bound of generated dates."""

FiredEvent = tuple[str, str | None, dt.date]
"""One step of an event sequence: ``(trigger, item id or None for the case, date)``."""

# Words the notices use, so that a shrunk example still reads like a ledger. The first entry of
# each list is what an example shrinks to.
_TITLES = ("整改", "制度建设", "落实主体责任", "Procurement", "采购管理不规范", "干部队伍建设")
_WORDS = "整改问题措施落实制度建设责任党委巡察反馈abcdefxyz0123456789 -"
_NAMES = ("张三", "李四", "院党委", "纪委", "Office", "王五")
_DEPARTMENTS = ("办公室", "组织部", "财务科", "HR", "纪检监察室")
_BODIES = ("中共某某委员会", "某市人民医院党委", "某大学党委", "Some Body")
_MILESTONES = ("专题民主生活会", "整改动员部署会", "对账销号会")
_TAGS = ("立行立改", "建章立制", "问责", "procurement", "reform")
_CHANNELS = ("官网", "公众号", "official website")


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise InvalidArgument(message)


def _check_size(name: str, min_size: int, max_size: int | None) -> None:
    _check(min_size >= 0, f"min_{name}={min_size} must be at least 0")
    if max_size is not None:
        _check(min_size <= max_size, f"min_{name}={min_size} exceeds max_{name}={max_size}")


def _check_dates(min_value: dt.date, max_value: dt.date) -> None:
    _check(
        type(min_value) is dt.date and type(max_value) is dt.date,
        f"min_value={min_value!r} and max_value={max_value!r} must be datetime.date values",
    )
    _check(min_value <= max_value, f"min_value={min_value} is after max_value={max_value}")


def _shift(day: dt.date, days: int) -> dt.date:
    """``day + days``, held inside the calendar's range."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def _texts(max_size: int = 12) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(_TITLES), st.text(_WORDS, min_size=1, max_size=max_size))


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


def _span(
    min_value: dt.date, max_value: dt.date, precision: Precision
) -> tuple[dt.date, dt.date] | None:
    """The days whose ``precision`` unit lies wholly in the bounds, or None when there are none."""
    try:
        first = _unit(min_value, precision)
        if first.earliest < min_value:
            first = _unit(first.latest + dt.timedelta(days=1), precision)
        last = _unit(max_value, precision)
        if last.latest > max_value:
            last = _unit(last.earliest - dt.timedelta(days=1), precision)
    except (OverflowError, ValueError):  # the unit runs off the calendar
        return None
    if first.earliest > last.latest:
        return None
    return first.earliest, last.latest


@st.composite
def _fuzzy_dates(
    draw: st.DrawFn,
    spans: tuple[tuple[Precision, dt.date, dt.date], ...],
    allow_inferred: bool,
) -> FuzzyDate:
    precision, low, high = draw(st.sampled_from(spans))
    unit = _unit(draw(st.dates(low, high)), precision)
    if allow_inferred and draw(st.booleans()):
        return FuzzyDate(unit.year, unit.month, unit.day, unit.dekad, inferred=True)
    return unit


def fuzzy_dates(
    *,
    min_value: dt.date = MIN_DATE,
    max_value: dt.date = MAX_DATE,
    precisions: Sequence[Precision | str] = tuple(Precision),
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

    Shrinks towards an exact day at ``min_value``.
    """
    _check_dates(min_value, max_value)
    try:
        chosen = tuple(dict.fromkeys(Precision(p) for p in precisions))
    except ValueError:
        raise InvalidArgument(
            f"precisions={precisions!r}: each must be one of "
            f"{', '.join(p.value for p in Precision)}"
        ) from None
    _check(bool(chosen), "precisions must name at least one precision")
    # Exact days first, so that examples shrink to them.
    order = (Precision.DAY, Precision.DEKAD, Precision.MONTH, Precision.YEAR)
    spans = []
    for precision in sorted(chosen, key=order.index):
        span = _span(min_value, max_value, precision)
        if span is not None:
            spans.append((precision, *span))
    _check(
        bool(spans),
        f"no {'/'.join(p.value for p in chosen)} date fits wholly between {min_value} and "
        f"{max_value}; widen the bounds or allow a finer precision",
    )
    return _fuzzy_dates(tuple(spans), allow_inferred)


@st.composite
def _periods(
    draw: st.DrawFn,
    min_value: dt.date,
    max_value: dt.date,
    precisions: tuple[Precision, ...],
    allow_open_end: bool,
) -> Period:
    start = draw(fuzzy_dates(min_value=min_value, max_value=max_value, precisions=precisions))
    if allow_open_end and draw(st.booleans()):
        return Period(start)
    # The end may begin where the start may begin: the period is never reversed.
    end = draw(fuzzy_dates(min_value=start.earliest, max_value=max_value, precisions=precisions))
    return Period(start, end)


def periods(
    *,
    min_value: dt.date = MIN_DATE,
    max_value: dt.date = MAX_DATE,
    precisions: Sequence[Precision | str] = tuple(Precision),
    allow_open_end: bool = True,
) -> st.SearchStrategy[Period]:
    """Periods inside ``[min_value, max_value]`` that never end before they start.

    Args:
        min_value: the earliest day either end may mean.
        max_value: the latest day either end may mean.
        precisions: the precisions of the ends (see :func:`fuzzy_dates`).
        allow_open_end: also draw periods whose end is unknown.
    """
    fuzzy_dates(min_value=min_value, max_value=max_value, precisions=precisions)  # validates
    chosen = tuple(Precision(p) for p in precisions)
    return _periods(min_value, max_value, chosen, allow_open_end)


def _optional_days(low: dt.date, high: dt.date) -> st.SearchStrategy[dt.date | None]:
    return st.none() | st.dates(low, max(low, high))


# -- the ledger -------------------------------------------------------------------------------


def _check_states(initial_states: Sequence[ItemState | str]) -> tuple[ItemState, ...]:
    try:
        states = tuple(dict.fromkeys(ItemState(s) for s in initial_states))
    except ValueError:
        raise InvalidArgument(
            f"initial_states={initial_states!r}: each must be one of "
            f"{', '.join(s.value for s in ItemState)}"
        ) from None
    _check(bool(states), "initial_states must name at least one state")
    return states


@st.composite
def _responsibilities(draw: st.DrawFn) -> Responsibility | None:
    responsibility = Responsibility(
        leader=draw(st.none() | st.sampled_from(_NAMES)),
        department=draw(st.none() | st.sampled_from(_DEPARTMENTS)),
        person=draw(st.none() | st.sampled_from(_NAMES)),
    )
    return None if responsibility.is_empty() else responsibility


@st.composite
def _measures(
    draw: st.DrawFn,
    ids: st.SearchStrategy[str],
    min_due: dt.date,
    max_due: dt.date,
    initial_states: tuple[ItemState, ...],
) -> Measure:
    state = draw(st.sampled_from(initial_states))
    return Measure(
        id=draw(ids),
        text=draw(st.just("") | _texts(20)),
        responsibility=draw(_responsibilities()),
        due_on=draw(_optional_days(min_due, max_due)),
        state=state,
        evidence=tuple(draw(st.lists(st.sampled_from(("文件1", "会议纪要", "doc-2")), max_size=2))),
        tags=tuple(draw(st.lists(st.sampled_from(_TAGS), max_size=2, unique=True))),
        added_on=draw(_optional_days(min_due, max_due)),
        initial_state=state,
    )


_IDS = st.integers(1, 99).map(str)


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
    _check_dates(min_due, max_due)
    return _measures(ids, min_due, max_due, _check_states(initial_states))


@st.composite
def _problems(
    draw: st.DrawFn,
    ids: st.SearchStrategy[str],
    min_measures: int,
    max_measures: int,
    kinds: tuple[ProblemKind, ...],
    min_due: dt.date,
    max_due: dt.date,
    initial_states: tuple[ItemState, ...],
) -> Problem:
    problem_id = draw(ids)
    kind = draw(st.sampled_from(kinds))
    count = draw(st.integers(min_measures, max_measures))
    items = [
        draw(
            measures(
                ids=st.just(f"{problem_id}.{n}"),
                min_due=min_due,
                max_due=max_due,
                initial_states=initial_states,
            )
        )
        for n in range(1, count + 1)
    ]
    state = draw(st.sampled_from(initial_states))
    if kind is ProblemKind.CLUE:
        classification = Classification.CONFIDENTIAL
        transferred_on = draw(_optional_days(min_due, max_due))
    else:
        classification = draw(st.sampled_from(Classification))
        transferred_on = None
    return Problem(
        id=problem_id,
        title=draw(_texts()),
        kind=kind,
        classification=classification,
        state=state,
        measures=items,
        tags=tuple(draw(st.lists(st.sampled_from(_TAGS), max_size=2, unique=True))),
        transferred_on=transferred_on,
        # Only a problem tracked without measures has a deadline of its own.
        due_on=None if items else draw(_optional_days(min_due, max_due)),
        initial_state=state,
    )


def _check_kinds(kinds: Sequence[ProblemKind | str]) -> tuple[ProblemKind, ...]:
    try:
        chosen = tuple(dict.fromkeys(ProblemKind(k) for k in kinds))
    except ValueError:
        raise InvalidArgument(
            f"kinds={kinds!r}: each must be one of {', '.join(k.value for k in ProblemKind)}"
        ) from None
    _check(bool(chosen), "kinds must name at least one problem kind")
    return chosen


# Specific problems first: examples shrink to the most common kind.
_KINDS = (ProblemKind.SPECIFIC, *(k for k in ProblemKind if k is not ProblemKind.SPECIFIC))


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
    them; one without has its own, drawn from ``initial_states``.

    Args:
        ids: where problem ids come from.
        min_measures: the fewest measures per problem.
        max_measures: the most measures per problem.
        kinds: the problem kinds to draw from.
        min_due: the earliest due date of a measure or a problem without measures (and
            transfer date of a clue).
        max_due: the latest such date.
        initial_states: the states items may start in (see :func:`measures`).
    """
    _check_size("measures", min_measures, max_measures)
    _check_dates(min_due, max_due)
    return _problems(
        ids,
        min_measures,
        max_measures,
        _check_kinds(kinds),
        min_due,
        max_due,
        _check_states(initial_states),
    )


@st.composite
def _ledgers(
    draw: st.DrawFn,
    min_categories: int,
    max_categories: int,
    min_problems: int,
    max_problems: int,
    min_measures: int,
    max_measures: int,
    kinds: tuple[ProblemKind, ...],
    min_due: dt.date,
    max_due: dt.date,
    initial_states: tuple[ItemState, ...],
) -> list[Category]:
    total = draw(st.integers(min_problems, max_problems))
    count = draw(st.integers(max(min_categories, 1 if total else 0), max_categories))
    ledger = [Category(str(n), draw(_texts())) for n in range(1, count + 1)]
    # Each problem goes to a category no earlier than the one before it: ledger order.
    where = 0
    for _ in range(total):
        where = draw(st.integers(where, count - 1))
        category = ledger[where]
        problem = draw(
            problems(
                ids=st.just(f"{category.id}.{len(category.problems) + 1}"),
                min_measures=min_measures,
                max_measures=max_measures,
                kinds=kinds,
                min_due=min_due,
                max_due=max_due,
                initial_states=initial_states,
            )
        )
        earlier = [p.id for p in category.problems]
        if earlier:
            problem.parent = draw(st.none() | st.sampled_from(earlier))
        category.problems.append(problem)
    return ledger


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
        min_due: the earliest due date of a measure.
        max_due: the latest due date of a measure.
        initial_states: the states items may start in (see :func:`measures`).
    """
    _check_size("categories", min_categories, max_categories)
    _check_size("problems", min_problems, max_problems)
    _check_size("measures", min_measures, max_measures)
    _check(
        max_categories > 0 or min_problems == 0,
        f"min_problems={min_problems} needs at least one category (max_categories=0)",
    )
    _check_dates(min_due, max_due)
    return _ledgers(
        min_categories,
        max_categories,
        min_problems,
        max_problems,
        min_measures,
        max_measures,
        _check_kinds(kinds),
        min_due,
        max_due,
        _check_states(initial_states),
    )


def categories(
    *,
    ids: st.SearchStrategy[str] = _IDS,
    max_problems: int = 3,
    max_measures: int = 3,
) -> st.SearchStrategy[Category]:
    """Single categories with problems ``<category id>.1``, … (see :func:`ledgers`)."""
    _check_size("problems", 0, max_problems)
    _check_size("measures", 0, max_measures)

    @st.composite
    def build(draw: st.DrawFn) -> Category:
        category_id = draw(ids)
        ledger = draw(ledgers(min_categories=1, max_categories=1, max_problems=max_problems,
                              max_measures=max_measures))  # fmt: skip
        category = ledger[0]
        category.id = category_id
        for n, problem in enumerate(category.problems, 1):
            old = problem.id
            problem.id = f"{category_id}.{n}"
            if problem.parent is not None:
                problem.parent = f"{category_id}.{problem.parent.rsplit('.', 1)[1]}"
            for measure in problem.measures:
                measure.id = problem.id + measure.id[len(old) :]
        return category

    return build()


# -- events -----------------------------------------------------------------------------------


def _start_of_events(case: Case) -> dt.date:
    """The first day events may happen: the feedback date (its latest reading) or the last event."""
    days = [MIN_DATE if case.feedback_on is None else case.feedback_on.latest]
    if case.last_event_on is not None:
        days.append(case.last_event_on)
    return max(days)


def _legal_moves(case: Case) -> list[tuple[str, str | None]]:
    moves: list[tuple[str, str | None]] = [(t, None) for t in CASE_LIFECYCLE.allowed(case.state)]
    for problem in case.problems():
        moves.extend((t, problem.id) for t in allowed_triggers(case, problem.id))
        for measure in problem.measures:
            moves.extend((t, measure.id) for t in allowed_triggers(case, measure.id))
    return moves


@st.composite
def _event_sequences(
    draw: st.DrawFn, case: Case, min_size: int, max_size: int, max_gap_days: int
) -> list[FiredEvent]:
    # Fire on a copy, so the lifecycle itself (a problem's reopen spreading to its measures, its
    # derived state) decides what is legal next; the caller's case is left alone.
    scratch = copy.deepcopy(case)
    on = _start_of_events(scratch)
    steps: list[FiredEvent] = []
    for _ in range(draw(st.integers(min_size, max_size))):
        # The case lifecycle allows a trigger in every state, so there is always a move.
        trigger, item = draw(st.sampled_from(_legal_moves(scratch)))
        on = _shift(on, draw(st.integers(0, max_gap_days)))
        fire(scratch, trigger, item=item, on=on)
        steps.append((trigger, item, on))
    return steps


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


@st.composite
def _inspections(draw: st.DrawFn, feedback: FuzzyDate) -> Inspection:
    onsite = None
    if draw(st.booleans()):
        # On site before the feedback: the period ends no later than the feedback's first day.
        low = _shift(feedback.earliest, -150)
        onsite = draw(periods(min_value=low, max_value=feedback.earliest))
    return Inspection(
        kind=draw(st.sampled_from(InspectionKind)),
        body=draw(st.none() | st.sampled_from(("市委", "省委", "校党委"))),
        team=draw(st.none() | st.sampled_from(("市委第二巡察组", "第一巡视组"))),
        round=draw(st.none() | st.sampled_from(("第四轮", "2021年第一批"))),
        onsite=onsite,
    )


@st.composite
def _disclosures(draw: st.DrawFn, low: dt.date, high: dt.date) -> Disclosure:
    published = draw(st.none() | fuzzy_dates(min_value=low, max_value=high))
    start = low if published is None else published.earliest
    return Disclosure(
        published_on=published,
        scope=draw(st.sampled_from(DisclosureScope)),
        channel=draw(st.none() | st.sampled_from(_CHANNELS)),
        public_period=draw(st.none() | periods(min_value=start, max_value=_shift(start, 60))),
        contacts=draw(
            st.lists(
                st.builds(
                    Contact,
                    kind=st.sampled_from(ContactKind),
                    value=st.sampled_from(("0763-1234567", "jw@example.org", "某市某路1号")),
                ),
                max_size=3,
            )
        ),
        title=draw(st.none() | _texts()),
        signed_by=draw(st.none() | st.sampled_from(_BODIES)),
        text=draw(st.none() | _texts(40)),
    )


@st.composite
def _reviews(draw: st.DrawFn, low: dt.date, high: dt.date, item_ids: list[str]) -> Review:
    outcomes = []
    if item_ids:
        for item in draw(st.lists(st.sampled_from(item_ids), max_size=3, unique=True)):
            outcomes.append(
                ReviewOutcome(
                    item,
                    draw(st.sampled_from(("confirmed", "reopened"))),
                    draw(st.none() | _texts()),
                )
            )
    return Review(
        on=draw(st.dates(low, high)),
        kind=draw(st.sampled_from(ReviewKind)),
        by=draw(st.none() | st.sampled_from(("市委巡察办", "第三方"))),
        grade=draw(st.none() | st.sampled_from(("好", "较好", "一般"))),
        outcomes=outcomes,
    )


@st.composite
def _stated_counts(draw: st.DrawFn) -> StatedCount:
    by_state = draw(st.dictionaries(st.sampled_from(ItemState), st.integers(0, 300), max_size=3))
    total = draw(st.none() | st.integers(sum(by_state.values()), sum(by_state.values()) + 60))
    return StatedCount(draw(st.sampled_from(COUNT_SUBJECTS)), total, by_state)


@st.composite
def _cases(
    draw: st.DrawFn,
    min_value: dt.date,
    max_value: dt.date,
    ledger: st.SearchStrategy[list[Category]] | None,
    sizes: tuple[int, int, int, int],
    with_events: bool,
    max_events: int,
    allow_imported: bool,
) -> Case:
    feedback = draw(fuzzy_dates(min_value=min_value, max_value=max_value))
    # Later steps are drawn after the feedback's last possible day, each after the one before,
    # so no date comes before the feedback and no period is reversed.
    cursor = feedback.latest

    def after(days: int) -> tuple[dt.date, dt.date]:
        return cursor, _shift(cursor, days)

    plan = None
    if draw(st.booleans()):
        adopted = draw(st.none() | fuzzy_dates(min_value=cursor, max_value=_shift(cursor, 60)))
        plan = Plan(adopted, draw(st.none() | _texts()))
        if adopted is not None:
            cursor = adopted.latest
    centralised = None
    if draw(st.booleans()):
        centralised = draw(periods(min_value=cursor, max_value=_shift(cursor, 180)))
        cursor = centralised.start.latest
    report = draw(st.none() | fuzzy_dates(min_value=cursor, max_value=_shift(cursor, 120)))
    if report is not None:
        cursor = report.latest
    states = tuple(ItemState) if allow_imported else (ItemState.OPEN,)
    if ledger is None:
        max_categories, min_problems, max_problems, max_measures = sizes
        ledger = ledgers(
            max_categories=max_categories,
            min_problems=min_problems,
            max_problems=max_problems,
            max_measures=max_measures,
            min_due=feedback.latest,
            max_due=_shift(feedback.latest, 400),
            initial_states=states,
        )
    categories = draw(ledger)
    item_ids = [
        i for c in categories for p in c.problems for i in (p.id, *(m.id for m in p.measures))
    ]
    case_state = draw(st.sampled_from(CaseState)) if allow_imported else CaseState.FEEDBACK_RECEIVED
    case = Case(
        id=draw(st.integers(1, 999).map(lambda n: f"case-{n}")),
        inspected_body=draw(st.sampled_from(_BODIES)),
        inspection=draw(_inspections(feedback)),
        feedback_on=feedback,
        plan=plan,
        leading_group=draw(
            st.none()
            | st.builds(
                LeadingGroup,
                name=st.none() | st.just("整改工作领导小组"),
                head=st.none() | st.sampled_from(_NAMES),
            )
        ),
        centralised=centralised,
        report_on=report,
        milestones=draw(
            st.lists(
                st.builds(
                    Milestone,
                    name=st.sampled_from(_MILESTONES),
                    on=fuzzy_dates(min_value=feedback.latest, max_value=_shift(cursor, 90)),
                ),
                max_size=2,
            )
        ),
        disclosures=draw(st.lists(_disclosures(*after(120)), max_size=2)),
        reviews=draw(st.lists(_reviews(*after(720), item_ids), max_size=2)),
        stated_counts=draw(st.lists(_stated_counts(), max_size=3)),
        categories=categories,
        state=case_state,
        initial_state=case_state,
    )
    if with_events:
        actors = st.none() | st.sampled_from(_NAMES)
        notes = st.none() | _texts()
        for trigger, item, on in draw(event_sequences(case, max_size=max_events)):
            fire(case, trigger, item=item, on=on, actor=draw(actors), note=draw(notes))
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
            due dates after the feedback date). A ledger of your own must keep ids unique.
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
    _check_dates(min_value, max_value)
    _check(max_events >= 0, f"max_events={max_events} must be at least 0")
    sizes = (max_categories, min_problems, max_problems, max_measures)
    if ledger is None:  # validate the sizes now, not at the first draw
        ledgers(
            max_categories=max_categories,
            min_problems=min_problems,
            max_problems=max_problems,
            max_measures=max_measures,
        )
    return _cases(min_value, max_value, ledger, sizes, with_events, max_events, allow_imported)
