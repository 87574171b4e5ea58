"""The model strategies behind :mod:`rectflow.strategies`: dates, ledgers, events and cases.

See the public module for the guarantees (every case valid, small readable shrinks).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from rectflow._core.dates import FuzzyDate, Period, Precision
from rectflow._core.fields import force
from rectflow._core.model import (
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
    Review,
    ReviewKind,
    ReviewOutcome,
    StatedCount,
)

__all__ = [
    "Step",
    "cases",
    "categories",
    "event_sequences",
    "fuzzy_dates",
    "ledgers",
    "measures",
    "periods",
    "problems",
]

from rectflow._testing.drawing import (
    _BODIES,
    _BOOL,
    _CHANNELS,
    _CONTACTS,
    _IDS,
    _KINDS,
    _LONG_TEXT,
    _MILESTONES,
    _NAMES,
    _PRECISIONS,
    _TAGS,
    _TITLES,
    MAX_DATE,
    MIN_DATE,
    Span,
    _check,
    _check_dates,
    _check_precisions,
    _check_size,
    _day,
    _evidence_list,
    _fuzzy,
    _fuzzy_between,
    _maybe,
    _optional_day,
    _pick,
    _responsibility,
    _shift,
    _some,
    _spans,
    _text,
)
from rectflow._testing.steps import Step, draw_steps


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
    return Measure(
        id=measure_id,
        text=draw(_LONG_TEXT),
        responsibility=_responsibility(draw),
        # Due dates lean on the earliest one allowed (the feedback date, in a case): an item due
        # right after the feedback is where deadline rules are tight.
        due_on=_optional_day(draw, how.min_due, how.max_due, (how.min_due,)),
        state=state,
        evidence=_evidence_list(draw, how.min_due, how.max_due, 2),
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
        # Only a problem tracked without measures has a deadline, a responsibility and evidence
        # of its own.
        due_on=None if items else _optional_day(draw, how.min_due, how.max_due, (how.min_due,)),
        initial_state=state,
        responsibility=None if items else _responsibility(draw),
        evidence=() if items else _evidence_list(draw, how.min_due, how.max_due, 2),
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
    titles = [_text(draw) for _ in range(count)]
    # Each problem goes to a category no earlier than the one before it: ledger order. The
    # lists are filled first: a category owns its problems once it is built.
    problems: list[list[Problem]] = [[] for _ in range(count)]
    where = 0
    for _ in range(total):
        where = draw(st.integers(where, count - 1))
        siblings = problems[where]
        problem = _problem(draw, f"{where + 1}.{len(siblings) + 1}", how)
        problem.parent = _maybe(draw, [p.id for p in siblings])
        siblings.append(problem)
    return [Category(str(n + 1), titles[n], problems[n]) for n in range(count)]


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
    # Renumber under the drawn id: "1.2.3" becomes "<id>.2.3". Ids are owned by the events
    # once the objects are built; the kit renumbers what it has just drawn (``force``).
    category_id = draw(ids)
    force(category, "id", category_id)
    for problem in category.problems:
        items: list[Problem | Measure] = [problem, *problem.measures]
        for item in items:
            force(item, "id", category_id + item.id[1:])
        if problem.parent is not None:
            problem.parent = category_id + problem.parent[1:]
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


_OPEN = (ItemState.OPEN,)

# -- events -----------------------------------------------------------------------------------


def _new_problem(draw: st.DrawFn, problem_id: str, on: dt.date) -> Problem:
    """A problem found later, to join the ledger on ``on``: open, due from that day on, its
    measures added with it (``add_problem`` dates them)."""
    problem = _problem(draw, problem_id, _Items(0, 2, _KINDS, on, _shift(on, 400), _OPEN))
    for measure in problem.measures:
        force(measure, "added_on", None)
    return problem


def _events(
    draw: st.DrawFn, case: Case, sizes: tuple[int, int], max_gap_days: int, edits: bool
) -> list[Step]:
    # Drawn on a copy, so the lifecycle and the event API themselves (a problem's reopen
    # spreading to its measures, its derived state, an extension needing a deadline) decide
    # what is legal next; the caller's case is left alone.
    return draw_steps(draw, case, sizes, max_gap_days, edits, _new_problem)


@st.composite
def _event_sequences(
    draw: st.DrawFn, case: Case, sizes: tuple[int, int], max_gap_days: int, edits: bool
) -> list[Step]:
    return _events(draw, case, sizes, max_gap_days, edits)


def event_sequences(
    case: Case,
    *,
    min_size: int = 0,
    max_size: int = 12,
    max_gap_days: int = 30,
    edits: bool = True,
) -> st.SearchStrategy[list[Step]]:
    """Lists of :class:`Step` that are legal when applied in order to ``case``.

    Apply them with ``step.apply(case)``: each is one call of rectflow's public API, a trigger
    fired (``rectflow.fire``; a rejection with its reason as the note) or, when ``edits``, an
    edit recorded (``rectflow.assign``, ``set_due``, ``extend``, ``edit_text``,
    ``add_evidence``, ``add_measure``, ``add_problem``, ``record_accountability``,
    ``evaluate``). Every step is allowed where the case and its items then stand (a problem
    with measures only takes ``reopen``; an extension moves a deadline that is set, later), and
    days never go back, starting no earlier than the feedback date (its latest reading) and the
    day the case's log last recorded. ``step.trigger``, ``step.item`` and ``step.on`` tell what
    it does; its repr is the call. ``case`` itself is not changed.

    Args:
        case: the case the steps are for.
        min_size: the fewest steps.
        max_size: the most steps.
        max_gap_days: the most days between one step and the next.
        edits: draw edits too (about half the steps); ``False`` fires triggers only.
    """
    _check(isinstance(case, Case), f"case={case!r} must be a rectflow.Case")
    _check_size("size", min_size, max_size)
    _check(max_gap_days >= 0, f"max_gap_days={max_gap_days} must be at least 0")
    return _event_sequences(case, (min_size, max_size), max_gap_days, bool(edits))


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
    events: tuple[bool, int, bool],
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
    with_events, max_events, edits = events
    if with_events:
        draw_steps(draw, case, (0, max_events), 30, edits, _new_problem, apply_to=case)
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
    edits: bool = True,
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
        with_events: apply a legal sequence of steps (:func:`event_sequences`) through the
            public API, with actors and notes: triggers fired and, with ``edits``, edits
            recorded (responsibility, deadlines set and extended, texts, evidence, problems and
            measures added, accountability, evaluations).
        max_events: the most events when ``with_events``.
        edits: with ``with_events``, record edits too (about half the events); ``False``
            fires triggers only.
        allow_imported: let the case and its items start elsewhere than their lifecycle's
            initial state, as an imported case does (``initial_state`` set accordingly).
    """
    spans = _check_precisions(min_value, max_value, _PRECISIONS)
    _check(max_events >= 0, f"max_events={max_events} must be at least 0")
    _check_ledger(0, max_categories, min_problems, max_problems)
    _check_size("measures", 0, max_measures)
    sizes = ((0, max_categories), (min_problems, max_problems), max_measures)
    return _cases(spans, ledger, sizes, (with_events, max_events, bool(edits)), allow_imported)
