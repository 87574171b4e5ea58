"""Supervision (督办) as events: one public function per kind of change, and what the log tells.

Every change to what the events own is recorded through one of these (or :func:`rectflow.fire`
and :func:`rectflow.add_measure`): each checks its input, checks that history runs forward
(``rectflow._core.history``), consults the guards when given, changes the case and appends one
event with the date, the actor, the note and (in its data) the value before and after. Replaying
the log gives the case back; the fields they change refuse assignment
(:class:`~rectflow.errors.OwnedFieldError`).

The readers (:func:`extensions`, :func:`rejections`, :func:`state_history`, :func:`last_reached`,
:func:`due_on_as_of`, :func:`item_facts`) answer from the log alone.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence

import attrs

from rectflow._core.edits import (
    ACCOUNTABILITY,
    ADD_EVIDENCE,
    ADD_PROBLEM,
    ASSIGN,
    EDIT_TEXT,
    EVALUATE,
    EXTEND,
    SET_DUE,
    accountability_data,
    evaluation_data,
    evidence_data,
    responsibility_data,
)
from rectflow._core.events import DataValue, EventData
from rectflow._core.fields import force, ledger_append
from rectflow._core.history import (
    ADD_MEASURE,
    CASE_TARGET,
    added_problem_keys,
    check_new_event,
    footprint,
)
from rectflow._core.kinds import AccountabilityForm, ItemState
from rectflow._core.labels import ITEM_STATE_ZH
from rectflow._core.lifecycle import (
    ITEM_LIFECYCLE,
    Guard,
    Transition,
    _check_date,
    _check_recorded_on,
    _consult,
    is_taken,
)
from rectflow._core.model import (
    Accountability,
    Case,
    Category,
    Evaluation,
    Event,
    Evidence,
    ItemIndex,
    Measure,
    Problem,
    Responsibility,
    derive_problem_state,
)
from rectflow._i18n import N_, Msg
from rectflow.errors import (
    InvalidFieldError,
    MissingReasonError,
    RectflowError,
    TransitionNotAllowed,
    UnknownItemError,
)

__all__ = [
    "Extension",
    "ItemFacts",
    "accountability_counts",
    "add_evidence",
    "add_problem",
    "assign",
    "due_on_as_of",
    "edit_text",
    "evaluate",
    "extend",
    "extensions",
    "item_facts",
    "last_reached",
    "record_accountability",
    "rejections",
    "set_due",
    "state_history",
]


_OF_THE_ITEM = Msg.of(N_("of the item"))


def _item(case: Case, item: str, what: str) -> Problem | Measure:
    if type(item) is not str:
        raise InvalidFieldError(
            "Event", "target", item, N_("an item id (a str)"), Msg("pass the id {what}", what=what)
        )
    return case.item(item)


def _text(value: object, name: str, *, required: bool = False) -> str | None:
    if value is None and not required:
        return None
    if type(value) is not str or (required and not value.strip()):
        raise InvalidFieldError(
            "Event",
            name,
            value,
            N_("a non-empty str") if required else N_("a str or None"),
            Msg("pass {name}=…", name=name),
        )
    return value


def _record(
    case: Case,
    trigger: str,
    target: str,
    data: Mapping[str, DataValue | None],
    *,
    on: dt.date,
    actor: str | None,
    note: str | None,
    recorded_on: dt.date | None,
    guards: Sequence[Guard],
    keys: tuple[str, ...] | None = None,
    item: Problem | Measure | None = None,
) -> Event:
    """Check and build the event of an edit; consult the guards. The caller then changes the
    case and appends the event (with :func:`_append`), nothing in between able to fail."""
    on = _check_date(on)
    recorded_on = _check_recorded_on(recorded_on)
    if keys is None:
        keys = footprint(case, target, trigger, {})
    check_new_event(case, target, trigger, on, recorded_on, keys)
    event = Event(
        len(case.events) + 1, trigger, target, on, actor, note, recorded_on, EventData(data)
    )
    if guards:
        state = item.state if item is not None else case.state
        pending = Transition(trigger, target, state, state, on, actor, note, item, event.data)
        blocking = _consult(guards, case, pending)
        if blocking:
            raise TransitionNotAllowed(
                target, state.value, trigger, (), violations=blocking, reason=None
            )
    return event


def _append(case: Case, event: Event) -> Event:
    case.events._append(event)  # the event API is the log's only writer
    return event


def assign(
    case: Case,
    item: str,
    responsibility: Responsibility | None,
    *,
    on: dt.date,
    actor: str | None = None,
    note: str | None = None,
    recorded_on: dt.date | None = None,
    guards: Sequence[Guard] = (),
) -> Event:
    """Assign (or change, or clear with ``None``) who answers for an item: an ``assign`` event.

    Raises:
        UnknownItemError: no such item.
        InvalidFieldError: ``responsibility`` is not a :class:`Responsibility` or ``None``.
        RectflowError: it is the responsibility the item already has.
        EventOrderError: the date breaks the order of history; nothing changed.
        TransitionNotAllowed: a guard forbids it; nothing changed.
    """
    target = _item(case, item, Msg.of(N_("of the item to assign")))
    if responsibility is not None and not isinstance(responsibility, Responsibility):
        raise InvalidFieldError(
            "assign",
            "responsibility",
            responsibility,
            N_("a Responsibility or None"),
            N_("pass Responsibility(leader=…, department=…, person=…)"),
        )
    if responsibility is not None and responsibility.is_empty():
        responsibility = None
    if responsibility == target.responsibility:
        raise RectflowError(
            Msg("item {item!r} already has this responsibility; nothing to record", item=item)
        )
    event = _record(
        case,
        ASSIGN,
        item,
        responsibility_data(responsibility, target.responsibility),
        on=on,
        actor=actor,
        note=note,
        recorded_on=recorded_on,
        guards=guards,
        item=target,
    )
    force(target, "responsibility", responsibility)
    return _append(case, event)


def set_due(
    case: Case,
    item: str,
    due_on: dt.date,
    *,
    on: dt.date,
    actor: str | None = None,
    note: str | None = None,
    recorded_on: dt.date | None = None,
    guards: Sequence[Guard] = (),
) -> Event:
    """Set the deadline (整改时限) of an item that has none: a ``set_due`` event.

    A deadline once set is moved only by an approved extension (:func:`extend`), so that the
    lateness against the original stays on record.

    Raises:
        RectflowError: the item already has a due date (use :func:`extend`).
        InvalidDateError: ``due_on`` is not a day.
    """
    target = _item(case, item, _OF_THE_ITEM)
    due_on = _check_date(due_on, "due_on")
    if target.due_on is not None:
        raise RectflowError(
            Msg(
                "item {item!r} is already due on {due}: a deadline is moved only by an approved "
                "extension: rectflow.extend(case, item, new_day, approver=…, reason=…, on=…)",
                item=item,
                due=target.due_on,
            )
        )
    event = _record(
        case,
        SET_DUE,
        item,
        {"due_on": due_on},
        on=on,
        actor=actor,
        note=note,
        recorded_on=recorded_on,
        guards=guards,
        item=target,
    )
    force(target, "due_on", due_on)
    return _append(case, event)


def extend(
    case: Case,
    item: str,
    due_on: dt.date,
    *,
    approver: str,
    reason: str,
    on: dt.date,
    role: str | None = None,
    actor: str | None = None,
    note: str | None = None,
    recorded_on: dt.date | None = None,
    guards: Sequence[Guard] = (),
) -> Event:
    """Record an approved extension (延期) of an item's deadline: an ``extend`` event.

    The item's ``due_on`` becomes the approved day; the event keeps the day before
    (``previous_due_on``), the approver, their role and the reason, so the original deadline
    and every extension stay on record (:func:`extensions`). The deadline checks judge against
    the approved day and report the lateness against the original.

    Args:
        case: the case.
        item: the item's id.
        due_on: the new, approved deadline: later than the current one.
        approver: who approved it (a person or a body, e.g. ``县委巡察工作领导小组``).
        reason: why.
        on: the day it was approved.
        role: the approver's role (``领导小组``, ``巡察办`` …), when a policy names the roles
            that may approve (the ``deadline.extensions`` rule).
        actor: who recorded it.
        note: a free note.
        recorded_on: for a late recording, the day it is recorded.
        guards: callables consulted before the change.

    Raises:
        RectflowError: the item has no deadline (use :func:`set_due`), or the new one is not
            later.
        MissingReasonError: no reason or no approver.
    """
    target = _item(case, item, _OF_THE_ITEM)
    due_on = _check_date(due_on, "due_on")
    if not (isinstance(reason, str) and reason.strip()):
        raise MissingReasonError("an extension", "give reason=… (why the deadline moves)")
    if not (isinstance(approver, str) and approver.strip()):
        raise MissingReasonError("an extension", "give approver=… (who approved it)")
    _text(role, "role")
    previous = target.due_on
    if previous is None:
        raise RectflowError(
            Msg("item {item!r} has no deadline to extend: set one with rectflow.set_due", item=item)
        )
    if due_on <= previous:
        raise RectflowError(
            Msg(
                "an extension moves the deadline of {item!r} later than {previous}, not to {due}",
                item=item,
                previous=previous,
                due=due_on,
            )
        )
    data: dict[str, DataValue | None] = {
        "due_on": due_on,
        "previous_due_on": previous,
        "approver": approver,
        "role": role,
        "reason": reason,
    }
    event = _record(
        case,
        EXTEND,
        item,
        data,
        on=on,
        actor=actor,
        note=note,
        recorded_on=recorded_on,
        guards=guards,
        item=target,
    )
    force(target, "due_on", due_on)
    return _append(case, event)


def edit_text(
    case: Case,
    item: str,
    text: str,
    *,
    on: dt.date,
    actor: str | None = None,
    note: str | None = None,
    recorded_on: dt.date | None = None,
    guards: Sequence[Guard] = (),
) -> Event:
    """Edit a measure's text or a problem's title: an ``edit_text`` event keeping both."""
    target = _item(case, item, _OF_THE_ITEM)
    text = _text(text, "text") or ""
    previous = target.title if isinstance(target, Problem) else target.text
    if text == previous:
        raise RectflowError(Msg("item {item!r} already reads so; nothing to record", item=item))
    event = _record(
        case,
        EDIT_TEXT,
        item,
        {"text": text, "previous_text": previous},
        on=on,
        actor=actor,
        note=note,
        recorded_on=recorded_on,
        guards=guards,
        item=target,
    )
    force(target, "title" if isinstance(target, Problem) else "text", text)
    return _append(case, event)


def add_evidence(
    case: Case,
    item: str,
    evidence: Evidence,
    *,
    on: dt.date,
    actor: str | None = None,
    note: str | None = None,
    recorded_on: dt.date | None = None,
    guards: Sequence[Guard] = (),
) -> Event:
    """Put evidence (佐证材料) on file for an item: an ``add_evidence`` event.

    ``evidence.added_by`` is the event's ``actor`` when left empty.

    Raises:
        InvalidFieldError: ``evidence`` is not an :class:`Evidence`.
        RectflowError: the item already lists this very evidence.
    """
    target = _item(case, item, _OF_THE_ITEM)
    if not isinstance(evidence, Evidence):
        raise InvalidFieldError(
            "add_evidence",
            "evidence",
            evidence,
            N_("an Evidence"),
            N_("pass Evidence(title, kind=EvidenceKind.DOCUMENT, on=…, reference=…)"),
        )
    if evidence.added_by is None and actor is not None:
        evidence = attrs.evolve(evidence, added_by=actor)
    if evidence in target.evidence:
        raise RectflowError(
            Msg(
                "item {item!r} already lists this evidence ({title})",
                item=item,
                title=evidence.title,
            )
        )
    event = _record(
        case,
        ADD_EVIDENCE,
        item,
        evidence_data(evidence),
        on=on,
        actor=actor,
        note=note,
        recorded_on=recorded_on,
        guards=guards,
        item=target,
    )
    force(target, "evidence", (*target.evidence, evidence))
    return _append(case, event)


def _fresh(problem: Problem) -> None:
    """Refuse a problem that is not new: an id taken, or progress already recorded on it."""
    items: list[Problem | Measure] = [problem, *problem.measures]
    for item in items:
        if item.state is not item.initial_state and not (
            isinstance(item, Problem) and item.measures
        ):
            raise RectflowError(
                Msg(
                    "{item!r} is {state}, not its initial state {initial}; add it first, then fire "
                    "its triggers",
                    item=item.id,
                    state=item.state,
                    initial=item.initial_state,
                    zh={
                        "state": ITEM_STATE_ZH[item.state],
                        "initial": ITEM_STATE_ZH[item.initial_state],
                    },
                )
            )


def add_problem(
    case: Case,
    category: str,
    problem: Problem,
    *,
    on: dt.date,
    category_title: str | None = None,
    actor: str | None = None,
    note: str | None = None,
    recorded_on: dt.date | None = None,
) -> Event:
    """Add a problem (with its measures) to the ledger: an ``add_problem`` event.

    A problem found later (a review's finding, one the body found itself) joins the ledger
    with this event; before it, replay and the case as of a day leave it out. ``category`` is
    an existing category's id, or a new one when ``category_title`` is given (the event makes
    the category, and the category is then left out before it too). Its measures'
    ``added_on`` is set to ``on`` where empty.

    Raises:
        UnknownItemError: no such category and no ``category_title`` to make one.
        RectflowError: an id is taken, or the problem or a measure is not in its initial state.
    """
    if not isinstance(problem, Problem):
        raise InvalidFieldError(
            "add_problem", "problem", problem, N_("a Problem"), N_("pass Problem(id, title, …)")
        )
    ids = [problem.id, *(m.id for m in problem.measures)]
    taken = [i for i in ids if is_taken(case, i)]
    if taken:
        raise RectflowError(
            Msg(
                "case {case!r} already has an item {item!r}; give the new item a new id",
                case=case.id,
                item=taken[0],
            )
        )
    _fresh(problem)
    _text(category_title, "category_title")
    existing = next((c for c in case.categories if c.id == category), None)
    if existing is None and category_title is None:
        raise UnknownItemError(category, case.id)
    if existing is not None and category_title is not None and category_title != existing.title:
        raise RectflowError(
            Msg(
                "category {category!r} exists (titled {title!r}); leave category_title out",
                category=category,
                title=existing.title,
            )
        )
    new = existing is None
    data: dict[str, DataValue | None] = {
        "category": category,
        "category_title": category_title if new else None,
        "new_category": True if new else None,
    }
    event = _record(
        case,
        ADD_PROBLEM,
        problem.id,
        data,
        on=on,
        actor=actor,
        note=note,
        recorded_on=recorded_on,
        guards=(),
        keys=added_problem_keys(category, problem),
    )
    for measure in problem.measures:
        if measure.added_on is None:
            force(measure, "added_on", on)
    index = case._index
    current = type(index) is ItemIndex and index.is_current()
    if existing is None:
        existing = Category(category, category_title or "")
        ledger_append(case.categories, existing)
    ledger_append(existing.problems, problem)
    if type(index) is ItemIndex:  # kept current, as add_measure does: no rebuild per addition
        index.added(problem, problem.measures, current)
    return _append(case, event)


def record_accountability(
    case: Case,
    record: Accountability,
    *,
    actor: str | None = None,
    recorded_on: dt.date | None = None,
) -> Event:
    """Record accountability (问责): an ``accountability`` event on the case or on the problem
    the record names, dated the record's ``on``, its note the record's note.

    Accountability is internal: public output states only counts by form
    (:func:`accountability_counts`).
    """
    if not isinstance(record, Accountability):
        raise InvalidFieldError(
            "record_accountability",
            "record",
            record,
            N_("an Accountability"),
            N_("pass Accountability(AccountabilityForm.…, people, on=…, problem=…)"),
        )
    target = CASE_TARGET
    if record.problem is not None:
        found = case.item(record.problem)
        if not isinstance(found, Problem):
            raise RectflowError(
                Msg(
                    "{item!r} is a measure; accountability names the problem it answers",
                    item=record.problem,
                )
            )
        target = record.problem
    event = _record(
        case,
        ACCOUNTABILITY,
        target,
        accountability_data(record),
        on=record.on,
        actor=actor,
        note=record.note,
        recorded_on=recorded_on,
        guards=(),
    )
    list.append(case.accountability, record)
    return _append(case, event)


def evaluate(
    case: Case,
    evaluation: Evaluation,
    *,
    actor: str | None = None,
    recorded_on: dt.date | None = None,
) -> Event:
    """Record a graded evaluation (整改评估) of the case: an ``evaluate`` event dated the
    evaluation's ``on``. Under the ``evaluation.second-rectification`` rule a grade of 一般 or
    差 then requires ``start_second_rectification``."""
    if not isinstance(evaluation, Evaluation):
        raise InvalidFieldError(
            "evaluate",
            "evaluation",
            evaluation,
            N_("an Evaluation"),
            N_("pass Evaluation(on, Grade.…, score=…, by=…)"),
        )
    event = _record(
        case,
        EVALUATE,
        CASE_TARGET,
        evaluation_data(evaluation),
        on=evaluation.on,
        actor=actor,
        note=evaluation.note,
        recorded_on=recorded_on,
        guards=(),
    )
    list.append(case.evaluations, evaluation)
    return _append(case, event)


# -- reading the log ---------------------------------------------------------------------------


@attrs.frozen
class Extension:
    """One approved extension of an item's deadline, as the log records it.

    Attributes:
        item: the item's id.
        on: the day it was approved.
        previous_due_on: the deadline before it.
        due_on: the approved deadline.
        approver: who approved it.
        role: the approver's role, when recorded.
        reason: why.
        seq: the event's number in the log.
    """

    item: str
    on: dt.date
    previous_due_on: dt.date
    due_on: dt.date
    approver: str
    role: str | None
    reason: str
    seq: int


@attrs.frozen
class ItemFacts:
    """What the log tells about one item's supervision.

    Attributes:
        extensions: its approved extensions, in order.
        rejections: how many times a submission for acceptance was rejected (驳回): rounds of
            acceptance, not reopenings (反弹回潮).
        submissions: how many times it was submitted for acceptance.
        original_due_on: the deadline before the first extension or, with none, the first
            deadline set by an event (``None`` when the events never set one: the item's own
            ``due_on`` is then the original).
    """

    extensions: tuple[Extension, ...] = ()
    rejections: int = 0
    submissions: int = 0
    original_due_on: dt.date | None = None


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def item_facts(case: Case) -> dict[str, ItemFacts]:
    """Each item's extensions, rejections and submissions, read in one pass over the log
    (items with none are absent)."""
    extended: dict[str, list[Extension]] = {}
    rejected: Counter[str] = Counter()
    submitted: Counter[str] = Counter()
    first_due: dict[str, dt.date] = {}
    for row in case.events._raw():
        trigger = row[1]
        if trigger == "reject":
            rejected[row[2]] += 1
        elif trigger == "submit":
            submitted[row[2]] += 1
        elif trigger in (EXTEND, SET_DUE):
            data = EventData._of_pairs(row[7])
            due = data.get("due_on")
            previous = data.get("previous_due_on")
            if trigger == SET_DUE and isinstance(due, dt.date):
                first_due.setdefault(row[2], due)
                continue
            if not isinstance(due, dt.date) or not isinstance(previous, dt.date):
                continue
            first_due.setdefault(row[2], previous)
            role = data.get("role")
            extended.setdefault(row[2], []).append(
                Extension(
                    row[2],
                    row[3],
                    previous,
                    due,
                    _str(data.get("approver")),
                    role if isinstance(role, str) else None,
                    _str(data.get("reason")),
                    row[0],
                )
            )
    facts: dict[str, ItemFacts] = {}
    for item_id in {*extended, *rejected, *submitted, *first_due}:
        facts[item_id] = ItemFacts(
            tuple(extended.get(item_id, ())),
            rejected[item_id],
            submitted[item_id],
            first_due.get(item_id),
        )
    return facts


def extensions(case: Case, item: str) -> tuple[Extension, ...]:
    """The approved extensions of an item's deadline, in order (empty when none)."""
    return item_facts_for(case, item).extensions


def item_facts_for(case: Case, item: str) -> ItemFacts:
    """:func:`item_facts` for one item (an empty :class:`ItemFacts` when the log says nothing)."""
    case.item(item)
    return item_facts(case).get(item, ItemFacts())


def rejections(case: Case, item: str) -> int:
    """How many times the item's submission for acceptance was rejected."""
    return item_facts_for(case, item).rejections


def due_on_as_of(case: Case, item: str, day: dt.date) -> dt.date | None:
    """The item's deadline as it stood on ``day``: before an extension approved later, the
    deadline it extended; ``None`` before a deadline was set."""
    day = _check_date(day, "day")
    target = case.item(item)
    due = target.due_on
    # Walk back from the end: undo every due-date edit dated after the day.
    for row in reversed(case.events._raw()):
        if row[2] != item or (row[1] != EXTEND and row[1] != SET_DUE):
            continue
        if row[3] <= day:
            break
        previous = EventData._of_pairs(row[7]).get("previous_due_on")
        due = previous if isinstance(previous, dt.date) else None
    return due


def state_history(case: Case, item: str) -> list[tuple[Event, ItemState]]:
    """Every event that changed the item's state, with the state it left the item in, in the
    order of the log. For a problem with measures, its derived state after each event of its
    measures (and their additions) or of the problem itself."""
    target = case.item(item)
    table = ITEM_LIFECYCLE.table
    if isinstance(target, Problem) and target.measures:
        measures = {m.id: m.initial_state for m in target.measures}
        added = {
            row[2] for row in case.events._raw() if row[1] == ADD_MEASURE and row[2] in measures
        }
        present = [m for m in measures if m not in added]
    else:
        measures = {}
        present = []
    state = target.initial_state
    history: list[tuple[Event, ItemState]] = []
    for event in case.events:
        if event.target == item and event.trigger in ITEM_LIFECYCLE.triggers:
            if measures:  # a problem's reopen reaches its measures
                for mid in present:
                    dest = table.get((measures[mid], event.trigger))
                    if dest is not None:
                        measures[mid] = dest
                state = derive_problem_state([measures[m] for m in present])
            else:
                state = table.get((state, event.trigger), state)
            history.append((event, state))
        elif event.target in measures:
            if event.trigger == ADD_MEASURE:
                present.append(event.target)
                present.sort(key=list(measures).index)
            elif event.trigger in ITEM_LIFECYCLE.triggers:
                measures[event.target] = table.get(
                    (measures[event.target], event.trigger), measures[event.target]
                )
            else:
                continue
            new = derive_problem_state([measures[m] for m in present])
            if new is not state:
                state = new
                history.append((event, state))
    return history


def last_reached(case: Case, item: str, state: ItemState) -> dt.date | None:
    """The day the item last came into ``state`` (by an event), or ``None``."""
    reached: dt.date | None = None
    before = case.item(item).initial_state
    for event, after in state_history(case, item):
        if after is state and before is not state:
            reached = event.on
        before = after
    return reached


def accountability_counts(case: Case) -> dict[AccountabilityForm, int]:
    """How many people were held to account, by form: the only form in which accountability is
    ever published (real notices state "诫勉谈话3人、批评教育5人" and no names)."""
    counts: Counter[AccountabilityForm] = Counter()
    for record in case.accountability:
        counts[record.form] += record.people
    return {form: counts[form] for form in AccountabilityForm if counts[form]}
