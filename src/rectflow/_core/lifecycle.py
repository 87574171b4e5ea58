"""The two lifecycles (case; problem and measure), declared as data, and firing triggers.

Each lifecycle is one :class:`transitions.Machine`, built on first use and shared by every case
and item: nothing is bound onto the items (STYLE.md). Firing looks the transition up in a table
derived from that machine — the machine stays the single definition, and a test checks that the
table agrees with it on every (state, trigger) pair — consults the guards, sets the state and
appends an :class:`Event`.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Generic, NoReturn, TypeVar

import attrs
from transitions import Machine

from rectflow._core.dates import FuzzyDate
from rectflow._core.edits import ADD_PROBLEM, EditReplay, category_of_added
from rectflow._core.events import (
    NO_DATA,
    EventData,
    EventRow,
    _event_of_row,
    _PendingEvent,
    _set_row,
)
from rectflow._core.fields import CHANGED as _CHANGED
from rectflow._core.fields import force, ledger_append, seal, slot_setters, unseal
from rectflow._core.history import ADD_MEASURE, CASE_TARGET, check_new_event, footprint
from rectflow._core.labels import ITEM_STATE_ZH
from rectflow._core.model import (
    Case,
    CaseState,
    Category,
    Event,
    ItemIndex,
    ItemState,
    Measure,
    Problem,
)
from rectflow._core.report import Violation
from rectflow._i18n import Msg
from rectflow.errors import (
    InvalidDateError,
    MissingReasonError,
    RectflowError,
    TransitionNotAllowed,
    UnknownItemError,
    UnknownTriggerError,
)

__all__ = [
    "ADD_MEASURE",
    "CASE_LIFECYCLE",
    "ITEM_LIFECYCLE",
    "Guard",
    "Lifecycle",
    "Transition",
    "add_measure",
    "allowed_triggers",
    "fire",
    "replay",
]

S = TypeVar("S", CaseState, ItemState)


@attrs.frozen
class Lifecycle(Generic[S]):
    """A lifecycle declared as data: states, the initial one, the ends, and named transitions.

    Attributes:
        name: ``case`` or ``item``.
        states: every state, in display order.
        initial: where new cases or items start.
        ends: the states where the work is done. None of them is final: a review can reopen a
            closed case or item.
        transitions: ``(trigger, sources, dest)`` triples.
    """

    name: str
    states: tuple[S, ...]
    initial: S
    ends: frozenset[S]
    transitions: tuple[tuple[str, tuple[S, ...], S], ...]

    @functools.cached_property
    def machine(self) -> Machine:
        """The transitions ``Machine`` declaring this lifecycle (built on first use, no model)."""
        return Machine(
            model=None,
            states=[s.value for s in self.states],
            transitions=[
                {"trigger": t, "source": [s.value for s in srcs], "dest": d.value}
                for t, srcs, d in self.transitions
            ],
            initial=self.initial.value,
            auto_transitions=False,
            ignore_invalid_triggers=False,
        )

    @functools.cached_property
    def table(self) -> Mapping[tuple[S, str], S]:
        """``(state, trigger) -> dest``, read off :attr:`machine`."""
        by_value = {s.value: s for s in self.states}
        table: dict[tuple[S, str], S] = {}
        for trigger, event in self.machine.events.items():
            for source, candidates in event.transitions.items():
                dest = candidates[0].dest
                if dest is None:  # an internal transition; none is declared
                    continue
                table[(by_value[source], trigger)] = by_value[dest]
        return table

    @functools.cached_property
    def triggers(self) -> tuple[str, ...]:
        """Every trigger, in declaration order."""
        return tuple(dict.fromkeys(t for t, _, _ in self.transitions))

    @functools.cached_property
    def _allowed(self) -> Mapping[S, tuple[str, ...]]:
        allowed: dict[S, list[str]] = {s: [] for s in self.states}
        for state, trigger in self.table:
            allowed[state].append(trigger)
        order = {t: i for i, t in enumerate(self.triggers)}
        return {s: tuple(sorted(ts, key=order.__getitem__)) for s, ts in allowed.items()}

    def allowed(self, state: S) -> tuple[str, ...]:
        """The triggers allowed in ``state``."""
        return self._allowed[state]


_I = ItemState
ITEM_LIFECYCLE: Lifecycle[ItemState] = Lifecycle(
    name="item",
    states=tuple(ItemState),
    initial=_I.OPEN,
    ends=frozenset({_I.CLOSED}),
    transitions=(
        ("start", (_I.OPEN, _I.REOPENED), _I.IN_PROGRESS),
        ("mark_basically_completed", (_I.IN_PROGRESS,), _I.BASICALLY_COMPLETED),
        ("mark_long_term", (_I.IN_PROGRESS, _I.BASICALLY_COMPLETED), _I.LONG_TERM),
        ("complete", (_I.IN_PROGRESS, _I.BASICALLY_COMPLETED, _I.LONG_TERM), _I.COMPLETED),
        ("submit", (_I.COMPLETED,), _I.SUBMITTED),
        ("accept", (_I.SUBMITTED,), _I.CLOSED),
        ("reject", (_I.SUBMITTED,), _I.IN_PROGRESS),
        ("close", (_I.COMPLETED,), _I.CLOSED),
        ("reopen", (_I.BASICALLY_COMPLETED, _I.LONG_TERM, _I.COMPLETED, _I.CLOSED), _I.REOPENED),
    ),
)
"""The lifecycle of problems and measures: open → in progress → … → completed → submitted for
acceptance (报请销号) → accepted, closed (销号), or rejected (驳回, back in progress); ``close``
strikes a completed item off without a recorded acceptance (0.1's path, refused under the
``acceptance.required`` rule); ``reopen`` is a rebound (反弹回潮) found by a review."""

_C = CaseState
CASE_LIFECYCLE: Lifecycle[CaseState] = Lifecycle(
    name="case",
    states=tuple(CaseState),
    initial=_C.FEEDBACK_RECEIVED,
    ends=frozenset({_C.CLOSED}),
    transitions=(
        ("adopt_plan", (_C.FEEDBACK_RECEIVED,), _C.PLAN_ADOPTED),
        ("start_centralised", (_C.PLAN_ADOPTED,), _C.CENTRALISED),
        ("submit_report", (_C.CENTRALISED,), _C.REPORTED),
        ("disclose", (_C.REPORTED, _C.CONTINUING, _C.REVIEWED), _C.DISCLOSED),
        ("close_public_period", (_C.DISCLOSED,), _C.PUBLIC_PERIOD_CLOSED),
        ("continue_rectification", (_C.REPORTED, _C.PUBLIC_PERIOD_CLOSED), _C.CONTINUING),
        ("review", (_C.REPORTED, _C.PUBLIC_PERIOD_CLOSED, _C.CONTINUING), _C.REVIEWED),
        ("close_case", (_C.REVIEWED,), _C.CLOSED),
        ("reopen_case", (_C.REVIEWED, _C.CLOSED), _C.CONTINUING),
        (
            "start_second_rectification",
            (
                _C.REPORTED,
                _C.DISCLOSED,
                _C.PUBLIC_PERIOD_CLOSED,
                _C.CONTINUING,
                _C.REVIEWED,
                _C.CLOSED,
            ),
            _C.CENTRALISED,
        ),
    ),
)
"""The case lifecycle: feedback → plan → centralised → report → disclosed → reviewed → closed;
``start_second_rectification`` (二次整改, after a poor evaluation) goes back to centralised."""

REASON_REQUIRED: frozenset[str] = frozenset({"reject"})
"""Triggers that need a reason in their ``note``: a rejection (驳回) says why."""


@attrs.frozen(slots=True)
class Transition:
    """A transition about to happen, as guards see it.

    Attributes:
        trigger: the trigger fired.
        target: the item id, or ``"case"``.
        source: the state before.
        dest: the state after.
        on: the day it is fired.
        actor: who fires it.
        note: the note given.
        item: the problem or measure, or ``None`` for the case.
        data: for an edit (``extend``, ``assign`` …), what it records; empty for a trigger.
    """

    trigger: str
    target: str
    source: CaseState | ItemState
    dest: CaseState | ItemState
    on: dt.date
    actor: str | None = None
    note: str | None = None
    item: Problem | Measure | None = None
    data: EventData = NO_DATA


Guard = Callable[[Case, Transition], Iterable[Violation]]
"""A callable consulted before a transition; an error-level violation it returns blocks it.

A guard may also have a ``silent_for(trigger) -> bool`` method, true when it returns nothing for
any transition by ``trigger`` whatever the case (:func:`rectflow.guards`' guards have it): when
every guard of a ``fire`` is silent for its trigger, none is asked and no transition is built.
"""


def allowed_triggers(case: Case, item: str | None = None) -> tuple[str, ...]:
    """The triggers that the lifecycle allows now on the case or one of its items."""
    if item is None:
        return CASE_LIFECYCLE.allowed(case.state)
    target = case.item(item)
    if isinstance(target, Problem):
        return allowed_triggers_for_problem(target)
    return ITEM_LIFECYCLE.allowed(target.state)


def _derived_problem_refusal(problem: Problem, trigger: str) -> TransitionNotAllowed:
    return TransitionNotAllowed(
        problem.id,
        problem.state.value,
        trigger,
        allowed_triggers_for_problem(problem),
        reason=(
            "a problem with measures takes its state from them; fire the trigger on its "
            f"measures ({', '.join(m.id for m in problem.measures)})"
        ),
    )


def allowed_triggers_for_problem(problem: Problem) -> tuple[str, ...]:
    """The triggers allowed on a problem (only ``reopen`` when it has measures)."""
    allowed = ITEM_LIFECYCLE.allowed(problem.state)
    if problem.measures:
        return ("reopen",) if "reopen" in allowed else ()
    return allowed


# Firing and replay set states read off the lifecycle's own table: known good, so they skip the
# model's field checks (``fields.on_set``), which would cost more than the transition itself.
_set = object.__setattr__
# The hottest stores (every replayed item event) go straight to the slots' descriptors, which
# costs less than object.__setattr__'s lookup by name.
_set_measure_state = Measure.__dict__["state"].__set__
_set_measure_known = Measure.__dict__["state_known"].__set__
_set_problem_state = Problem.__dict__["_state"].__set__


def _apply_item(target: Problem | Measure, trigger: str, dest: ItemState) -> None:
    # A fired event says where the item stands: an unstated state becomes a known one.
    if isinstance(target, Problem) and target.measures:
        # Reopening a problem reopens every measure that can be reopened.
        for measure in target.measures:
            if (measure.state, trigger) in ITEM_LIFECYCLE.table:
                _set_measure_state(measure, dest)
                _set_measure_known(measure, True)
    elif type(target) is Measure:
        _set_measure_state(target, dest)
        _set_measure_known(target, True)
    else:  # a problem keeps its own state in ``_state`` (``state`` derives it)
        _set(target, "_state", dest)
        _set(target, "_state_known", True)


def _check_date(on: object, what: str = "an event's date") -> dt.date:
    if type(on) is not dt.date:
        raise InvalidDateError(on, f"{what} must be a datetime.date (a day, no time)")
    return on


def _check_recorded_on(recorded_on: object) -> dt.date | None:
    if recorded_on is None:
        return None
    return _check_date(recorded_on, "recorded_on")


def fire(
    case: Case,
    trigger: str,
    *,
    item: str | None = None,
    on: dt.date,
    actor: str | None = None,
    note: str | None = None,
    guards: Sequence[Guard] = (),
    recorded_on: dt.date | None = None,
) -> Event:
    """Fire ``trigger`` on the case (``item=None``) or on one of its problems or measures.

    The lifecycle must allow the trigger in the target's current state, history must run
    forward (``rectflow._core.history``: not before the feedback, not before an earlier event
    of the target, and a date before an event already in the log only as a late recording with
    ``recorded_on``), and no guard may return an error-level violation. Then the state changes
    and an :class:`Event` is appended to ``case.events``; it is returned.

    Args:
        case: the case.
        trigger: the trigger's name (``rectflow diagram`` lists them).
        item: the problem or measure id; ``None`` fires a case trigger.
        on: the day it happened (never read from the clock).
        actor: who fired it.
        note: a free note kept in the event.
        guards: callables consulted before the change (see :data:`Guard`).
        recorded_on: for a late recording, the day it is recorded (``on`` stays the day it
            happened); leave it out for an event recorded as it happens.

    Raises:
        MissingReasonError: ``reject`` without a reason in ``note``.
        UnknownTriggerError: the lifecycle has no such trigger.
        UnknownItemError: the case has no such item.
        TransitionNotAllowed: the lifecycle or a guard forbids it; nothing changed.
        EventOrderError: the date breaks the order of history; nothing changed.
    """
    if type(on) is not _date:
        _check_date(on)
    if recorded_on is not None:
        _check_date(recorded_on, "recorded_on")
    if trigger in REASON_REQUIRED and not (note and note.strip()):
        raise MissingReasonError(
            trigger,
            Msg("give the reason as note=… (`rectflow fire {trigger} --note …`)", trigger=trigger),
        )
    target_obj: Case | Problem | Measure
    dest: CaseState | ItemState | None
    if item is None:
        target_obj = case
        target_id = CASE_TARGET
        dest = _CASE_TABLE.get((case.state, trigger))
        if dest is None:
            _refuse(case, target_id, CASE_LIFECYCLE, trigger)
    else:
        index = case._index
        found = (
            index.get(item) if type(index) is ItemIndex and index.changed == _CHANGED[0] else None
        )
        target_obj = found if found is not None else case.item(item)
        target_id = item
        dest = _ITEM_TABLE.get((target_obj.state, trigger))
        # A problem with measures takes its state from them: only ``reopen`` fires on it.
        if dest is None or (
            type(target_obj) is Problem and target_obj.measures and trigger != "reopen"
        ):
            _refuse(target_obj, target_id, ITEM_LIFECYCLE, trigger)
    rows = case.events._rows
    # Plainly forward (the common case): recorded as it happens, on or after the last recorded
    # day and the feedback. Then no rule of ``rectflow._core.history`` can refuse the event and
    # its full check is skipped; otherwise ``check_new_event`` decides.
    forward = False
    if recorded_on is None and rows:
        last = rows[-1]
        if (last[3] if last[6] is None else last[6]) <= on:
            feedback = case.feedback_on
            if feedback is None:
                forward = True
            else:
                seen = _feedback_seen
                if seen[0] is not feedback:
                    seen = _remember_feedback(feedback)
                forward = on >= seen[1]  # type: ignore[operator]
    if not forward:
        check_new_event(
            case, target_id, trigger, on, recorded_on, footprint(case, target_id, trigger, {})
        )
    if (
        (actor is not None and type(actor) is not str)
        or (note is not None and type(note) is not str)
        or type(trigger) is not str
        or type(target_id) is not str
    ):
        # The event's own checks say what is wrong (``actor=5``, a str subclass for an id),
        # before anything changes.
        Event(len(rows) + 1, trigger, target_id, on, actor, note, recorded_on)
    row: EventRow = (len(rows) + 1, trigger, target_id, on, actor, note, recorded_on, ())
    if guards:
        _guarded(guards, case, target_obj, row, dest)
    if type(target_obj) is Measure:
        _set_measure_state(target_obj, dest)
        if not target_obj.state_known:
            _set_measure_known(target_obj, True)
    elif target_obj is case:
        _set(target_obj, "state", dest)
    else:
        _apply_item(target_obj, trigger, dest)  # type: ignore[arg-type]
    rows.append(row)  # the event API is the log's only writer
    event: Event = _PendingEvent()  # read from the row when first read (events.py)
    _set_row(event, row)
    return event


_date = dt.date
_CASE_TABLE = CASE_LIFECYCLE.table
_ITEM_TABLE = ITEM_LIFECYCLE.table


def _refuse(
    target: Case | Problem | Measure, target_id: str, lifecycle: Lifecycle[Any], trigger: str
) -> NoReturn:
    """Raise why ``trigger`` cannot fire on ``target`` (``fire`` found no transition, or a problem
    whose state derives from its measures)."""
    source = target.state
    if trigger not in lifecycle.triggers:
        raise UnknownTriggerError(trigger, lifecycle.name, lifecycle.triggers)
    if type(target) is Problem and target.measures:
        if trigger != "reopen":
            raise _derived_problem_refusal(target, trigger)
        allowed = allowed_triggers_for_problem(target)
    else:
        allowed = lifecycle.allowed(source)
    raise TransitionNotAllowed(target_id, source.value, trigger, allowed)


_new_transition = object.__new__
# Transition's slots' own setters (a test holds ``_guarded``'s Transition to the attrs one).
(
    _set_t_trigger,
    _set_t_target,
    _set_t_source,
    _set_t_dest,
    _set_t_on,
    _set_t_actor,
    _set_t_note,
    _set_t_item,
    _set_t_data,
) = slot_setters(
    Transition, "trigger", "target", "source", "dest", "on", "actor", "note", "item", "data"
)


def _guarded(
    guards: Sequence[Guard],
    case: Case,
    target: Case | Problem | Measure,
    row: EventRow,
    dest: CaseState | ItemState,
) -> None:
    """Consult the guards on the transition ``row`` records; raise if one blocks it."""
    _, trigger, target_id, on, actor, note, _, _ = row
    for guard in guards:
        silent = getattr(guard, "silent_for", None)
        if silent is None or not silent(trigger):
            break
    else:
        return  # every guard has said it has nothing to say of this trigger (``Guard``)
    source = target.state
    # Every value was checked by ``fire`` (or read off the lifecycle): attrs' generic
    # ``__init__`` would cost as much as the rest of the transition.
    pending: Transition = _new_transition(Transition)
    _set_t_trigger(pending, trigger)
    _set_t_target(pending, target_id)
    _set_t_source(pending, source)
    _set_t_dest(pending, dest)
    _set_t_on(pending, on)
    _set_t_actor(pending, actor)
    _set_t_note(pending, note)
    _set_t_item(pending, None if target is case else target)
    _set_t_data(pending, NO_DATA)
    blocking = _consult(guards, case, pending)
    if blocking:
        lifecycle = CASE_LIFECYCLE if target is case else ITEM_LIFECYCLE
        raise TransitionNotAllowed(
            target_id,
            source.value,
            trigger,
            lifecycle.allowed(source),  # type: ignore[arg-type]
            violations=blocking,
        )


# The feedback's earliest day, for the last feedback date seen (``fire``'s plainly forward test):
# a ``FuzzyDate`` is immutable, so the same object always gives the same day (``earliest``
# builds a date at every call). One tuple, replaced whole, so that threads never see a feedback
# with another's day.
_feedback_seen: tuple[object, dt.date | None] = (None, None)


def _remember_feedback(feedback: FuzzyDate) -> tuple[object, dt.date | None]:
    global _feedback_seen  # noqa: PLW0603 - a one-entry cache of an immutable value
    seen = _feedback_seen = (feedback, feedback.earliest)
    return seen


def _consult(guards: Sequence[Guard], case: Case, pending: Transition) -> list[Violation]:
    """The blocking violations the guards return; the case as it was, whatever they do.

    Guards run sealed (``fields.seal``): assigning a field of any model object, or changing one
    of the model's lists or tables of counts in place, raises
    :class:`~rectflow.errors.SealedCaseError` inside the guard — at no cost per item, so a guarded
    ``fire`` costs the same on a case of ten items or ten thousand. An event appended behind
    ``fire`` (through the log's private writer) is removed again, and the fire refused.
    """
    rows = case.events._raw()
    logged = len(rows)
    token = seal()
    try:
        blocking = [v for g in guards for v in g(case, pending) if v.blocking]
    finally:
        unseal(token)
        appended = len(rows) != logged
        if appended:
            del rows[logged:]
    if appended:
        raise TransitionNotAllowed(
            pending.target,
            pending.source.value,
            pending.trigger,
            (),
            reason=(
                "a guard appended to the case's event log; it was undone and nothing was "
                "fired: guards read the case and return violations, they never change it"
            ),
        )
    return blocking


def add_measure(
    case: Case,
    problem: str,
    measure: Measure,
    *,
    on: dt.date,
    actor: str | None = None,
    note: str | None = None,
    recorded_on: dt.date | None = None,
) -> Event:
    """Add ``measure`` to a problem and record it as an ``add_measure`` event.

    A review that reopens a problem is answered with a new measure; recording its addition in
    the log keeps replay exact: before this event the measure does not count towards the
    problem's state. ``measure.added_on`` is set to ``on`` when it is empty. The date obeys the
    same rules as :func:`fire`'s (``recorded_on`` too); the addition concerns the problem.

    Raises:
        UnknownItemError: no such problem.
        RectflowError: the id is taken, or the measure is not in its initial state.
        EventOrderError: the date breaks the order of history; nothing changed.
    """
    on = _check_date(on)
    recorded_on = _check_recorded_on(recorded_on)
    target = case.item(problem)
    if not isinstance(target, Problem):
        raise TransitionNotAllowed(
            problem, target.state.value, ADD_MEASURE, (), reason="measures belong to problems"
        )
    if is_taken(case, measure.id):
        raise RectflowError(
            Msg(
                "case {case!r} already has an item {item!r}; give the new measure a new id",
                case=case.id,
                item=measure.id,
            )
        )
    if measure.state is not measure.initial_state:
        raise RectflowError(
            Msg(
                "measure {item!r} is {state}, not its initial state {initial}; add it first, then "
                "fire its triggers",
                item=measure.id,
                state=measure.state,
                initial=measure.initial_state,
                zh={
                    "state": ITEM_STATE_ZH[measure.state],
                    "initial": ITEM_STATE_ZH[measure.initial_state],
                },
            )
        )
    check_new_event(case, measure.id, ADD_MEASURE, on, recorded_on, (measure.id, problem))
    event = Event(len(case.events) + 1, ADD_MEASURE, measure.id, on, actor, note, recorded_on)
    if measure.added_on is None:
        force(measure, "added_on", on)
    index = case._index
    current = type(index) is ItemIndex and index.is_current()
    ledger_append(target.measures, measure)  # the list refuses changes from anyone else
    if type(index) is ItemIndex:
        index.added(target, (measure,), current)
    case.events._append(event)  # the event API is the log's only writer
    return event


def is_taken(case: Case, item_id: str) -> bool:
    """Whether the case has an item with this id: one look-up in the id index (rebuilt only when
    the ledger changed since it was built; the event API keeps it current as it adds items)."""
    return item_id in case._current_index()


def reset_states(case: Case) -> None:
    """Put the case and every item back in its initial state (the start of replay)."""
    _set(case, "state", case.initial_state)
    for problem in case.problems():
        _set_problem_state(problem, problem.initial_state)
        for measure in problem.measures:
            _set_measure_state(measure, measure.initial_state)


def replay_in_place(case: Case, until: dt.date | None = None) -> None:
    """Reset every state and every edited field and re-apply the event log, without guards.

    Items recorded with an ``add_measure`` or ``add_problem`` event are left out of the ledger
    until that event, so a problem's derived state is what it was when each event happened;
    each field an edit changed starts from the value the first such edit found
    (``rectflow._core.edits``).

    Args:
        case: the case, changed in place.
        until: apply only the events dated on or before this day (the others are skipped, and
            an item whose addition is skipped stays out of the ledger); ``None`` applies them
            all. History runs forward for every state and field (``rectflow._core.history``),
            so what is applied is, for each, a prefix of the events that changed it.
            ``rectflow.case_as_of`` is the public way to use it.

    Raises:
        TransitionNotAllowed: an event the lifecycle does not allow where it stands, or an edit
            that does not start where the events before it left its field; its ``reason``
            names the event's sequence number.
    """
    rows = case.events._raw()
    reset_states(case)
    edits = EditReplay(case.item, case)
    # Every edit (and every problem's addition) carries data; a trigger or add_measure none.
    for row in rows:
        if row[7]:
            edits.reset(rows)
            break
    pending = _withhold_added(case)
    item_of = case.item if pending.every is None else _finder(pending.every, case.id)
    edits.item_of = item_of
    case_table = CASE_LIFECYCLE.table
    item_table = ITEM_LIFECYCLE.table
    withheld = pending.withheld
    # The log's raw rows, not Event objects: building one per event would cost more than
    # applying it (replay runs on every load).
    for row in rows:
        if until is not None and row[3] > until:
            continue
        trigger = row[1]
        target_id = row[2]
        if row[7]:  # an edit, or a problem's addition
            if trigger == ADD_PROBLEM:
                _restore_added(_event_of_row(*row), pending, case)
            elif target_id in withheld:
                raise _absent_refusal(_event_of_row(*row))
            else:
                edits.apply(row)
            continue
        if target_id == CASE_TARGET:
            dest = case_table.get((case.state, trigger))
            if dest is None:
                raise _replay_refusal(_event_of_row(*row), case.state.value, CASE_LIFECYCLE)
            _set(case, "state", dest)
            continue
        if trigger == ADD_MEASURE:
            _restore_added(_event_of_row(*row), pending, case)
            continue
        target = item_of(target_id)
        state = target.state
        dest_item = item_table.get((state, trigger))
        if (
            dest_item is None
            or (trigger != "reopen" and isinstance(target, Problem) and target.measures)
            or target_id in withheld
        ):
            raise _replay_refusal(_event_of_row(*row), state.value, ITEM_LIFECYCLE)
        if type(target) is Measure:
            _set_measure_state(target, dest_item)
            _set_measure_known(target, True)
        else:
            _apply_item(target, trigger, dest_item)
    if pending.problem_of or pending.category_of:
        _settle(case, pending)
        case.reindex()


@attrs.define
class _Withheld:
    """Items whose addition has not been replayed yet, and where they belong."""

    withheld: set[str]  # ids of the items left out (an added problem's measures too)
    measures: dict[str, list[Measure]]  # problem id -> every measure, in ledger order
    problems: dict[str, list[Problem]]  # category id -> every problem, in ledger order
    categories: list[Category] | None  # every category, when one was made by an addition
    new_categories: set[str]  # ids of the categories left out
    problem_of: dict[str, Problem]  # added measure id -> its problem
    category_of: dict[str, Category]  # added problem id -> its category
    added_measures: dict[str, Measure] = attrs.Factory(dict)  # added measure id -> it
    added_problems: dict[str, Problem] = attrs.Factory(dict)  # added problem id -> it
    owners: dict[str, Problem | Category] = attrs.Factory(dict)  # list owner's id -> owner
    # Every item, the withheld ones too, by id: what replay looks items up in while the
    # ledger's lists leave the withheld ones out (None when nothing is withheld).
    every: dict[str, Problem | Measure] | None = None


def _finder(
    every: dict[str, Problem | Measure], case_id: str
) -> Callable[[str], Problem | Measure]:
    def find(item_id: str) -> Problem | Measure:
        found = every.get(item_id)
        if found is None:
            raise UnknownItemError(item_id, case_id)
        return found

    return find


def _withhold_added(case: Case) -> _Withheld:
    added_measures: set[str] = set()
    added_problems: set[str] = set()
    made: set[str] = set()
    for row in case.events._raw():
        if row[1] == ADD_MEASURE:
            added_measures.add(row[2])
        elif row[1] == ADD_PROBLEM:
            added_problems.add(row[2])
            category_id, _, new = category_of_added(EventData._of_pairs(row[7]))
            if new:
                made.add(category_id)
    pending = _Withheld(set(), {}, {}, None, set(), {}, {})
    if not added_measures and not added_problems:
        return pending
    # Items are found through this table while their lists are settled only at the end.
    pending.every = dict(case.reindex())
    for category in case.categories:
        every_problem = list(category.problems)
        if added_problems and any(p.id in added_problems for p in category.problems):
            pending.problems[category.id] = list(category.problems)
            pending.owners[category.id] = category
            for problem in category.problems:
                if problem.id in added_problems:
                    pending.withheld.add(problem.id)
                    pending.withheld.update(m.id for m in problem.measures)
                    pending.category_of[problem.id] = category
                    pending.added_problems[problem.id] = problem
            force(
                category, "problems", [p for p in category.problems if p.id not in added_problems]
            )
        # Every problem, the added ones too: a measure added to an added problem waits for
        # its own event after the problem's.
        for problem in every_problem:
            if added_measures and any(m.id in added_measures for m in problem.measures):
                pending.measures[problem.id] = list(problem.measures)
                pending.owners[problem.id] = problem
                for measure in problem.measures:
                    if measure.id in added_measures:
                        pending.withheld.add(measure.id)
                        pending.problem_of[measure.id] = problem
                        pending.added_measures[measure.id] = measure
                force(
                    problem, "measures", [m for m in problem.measures if m.id not in added_measures]
                )
    if made:
        pending.categories = list(case.categories)
        pending.new_categories = {c.id for c in case.categories if c.id in made}
        force(case, "categories", [c for c in case.categories if c.id not in made])
    return pending


def _absent_refusal(event: Event) -> TransitionNotAllowed:
    return TransitionNotAllowed(
        event.target,
        "absent",
        event.trigger,
        (),
        reason=f"event #{event.seq} concerns an item that is not in the ledger yet",
        seq=event.seq,
    )


def _restore_added(event: Event, pending: _Withheld, case: Case) -> None:
    target = event.target
    if target not in pending.withheld or (
        target not in pending.problem_of and target not in pending.category_of
    ):
        raise TransitionNotAllowed(
            target,
            "absent",
            event.trigger,
            (),
            reason=f"event #{event.seq} adds an item that is not in the ledger or was added",
            seq=event.seq,
        )
    withheld = pending.withheld
    withheld.discard(target)
    if event.trigger == ADD_MEASURE:
        # In at once, at the end of its list: a problem's derived state does not depend on the
        # order of its measures, and _settle puts every list back in ledger order (rebuilding
        # the list here, once per addition, made a problem of many additions quadratic).
        ledger_append(pending.problem_of[target].measures, pending.added_measures[target])
        return
    withheld.difference_update(m.id for m in pending.added_problems[target].measures)
    pending.new_categories.discard(pending.category_of[target].id)


def _settle(case: Case, pending: _Withheld) -> None:
    """The lists of the ledger in ledger order, without what is still withheld (all of it is
    back after a full replay; a replay up to a day leaves out what was added later)."""
    withheld = pending.withheld
    owners = pending.owners
    for problem_id, measures in pending.measures.items():
        force(owners[problem_id], "measures", [m for m in measures if m.id not in withheld])
    for category_id, problems in pending.problems.items():
        force(owners[category_id], "problems", [p for p in problems if p.id not in withheld])
    if pending.categories is not None:
        left_out = pending.new_categories  # made by an addition not replayed yet
        force(case, "categories", [c for c in pending.categories if c.id not in left_out])


def _replay_refusal(event: Event, state: str, lifecycle: Lifecycle[Any]) -> TransitionNotAllowed:
    allowed = lifecycle.allowed(lifecycle.states[[s.value for s in lifecycle.states].index(state)])
    return TransitionNotAllowed(
        event.target,
        state,
        event.trigger,
        allowed,
        reason=f"event #{event.seq} ({event.on}) does not follow from the events before it",
        seq=event.seq,
    )


def replay(case: Case) -> Case:
    """A copy of ``case`` rebuilt from its initial states by re-applying its event log.

    For a case changed only through :func:`fire`, ``replay(case) == case``.
    """
    rebuilt = copy.deepcopy(case)
    replay_in_place(rebuilt)
    return rebuilt
