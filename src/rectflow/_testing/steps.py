"""Drawn changes to a case: :class:`Step` (one call of the public event API) and the drawing of
legal sequences of them, behind ``rectflow.strategies.event_sequences``.

A step is a trigger fired (:func:`rectflow.fire`, a reason given where the trigger needs one) or
an edit recorded (:func:`rectflow.assign`, ``set_due``, ``extend``, ``edit_text``,
``add_evidence``, ``add_problem``, ``add_measure``, ``record_accountability``, ``evaluate``).
Sequences are drawn by applying each step to a scratch copy of the case, so the lifecycle and
the event API themselves decide what is legal next; their days never go back.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import attrs
from hypothesis import strategies as st

from rectflow._core.edits import (
    ACCOUNTABILITY,
    ADD_EVIDENCE,
    ADD_PROBLEM,
    ASSIGN,
    EDIT_TEXT,
    EVALUATE,
    EXTEND,
    SET_DUE,
)
from rectflow._core.events import Event
from rectflow._core.history import ADD_MEASURE
from rectflow._core.lifecycle import (
    CASE_LIFECYCLE,
    REASON_REQUIRED,
    Guard,
    add_measure,
    allowed_triggers,
    fire,
)
from rectflow._core.model import (
    Accountability,
    Case,
    Evaluation,
    Grade,
    Measure,
    Problem,
)
from rectflow._core.supervision import (
    add_evidence,
    add_problem,
    assign,
    edit_text,
    evaluate,
    extend,
    record_accountability,
    set_due,
)
from rectflow._testing.drawing import (
    _APPROVERS,
    _BOOL,
    _FORMS,
    _LONG_TEXT,
    _NAMES,
    _REASONS,
    _ROLES,
    _TEXT,
    _TITLES,
    MIN_DATE,
    _evidence,
    _maybe,
    _pick,
    _responsibility,
    _shift,
)

__all__ = ["EDITS", "Step", "draw_steps", "legal_moves", "start_day"]

Move = tuple[str, str | None]

EDITS: tuple[str, ...] = (
    ASSIGN,
    SET_DUE,
    EXTEND,
    EDIT_TEXT,
    ADD_EVIDENCE,
    ADD_MEASURE,
    ADD_PROBLEM,
    ACCOUNTABILITY,
    EVALUATE,
)
"""The edits a sequence may draw, by the name of the event each records."""

# The call each event name is recorded by: the edit's own function, fire for a trigger.
_CALLS = {
    ASSIGN: "assign",
    SET_DUE: "set_due",
    EXTEND: "extend",
    EDIT_TEXT: "edit_text",
    ADD_EVIDENCE: "add_evidence",
    ADD_MEASURE: "add_measure",
    ADD_PROBLEM: "add_problem",
    ACCOUNTABILITY: "record_accountability",
    EVALUATE: "evaluate",
}


@attrs.frozen(eq=True)
class Step:
    """One drawn change, made through rectflow's public API by :meth:`apply`.

    Reads like the event it records: ``step.trigger``, ``step.item``, ``step.on``; its repr is
    the call itself, ``rectflow.extend(case, '1.1.1', datetime.date(2024, 9, 30), approver=…,
    reason=…, on=datetime.date(2024, 6, 1))``, so a shrunk failure reads as code.

    Attributes:
        trigger: the event it records: a trigger (``start``, ``submit``, ``reject`` …) or an
            edit (``assign``, ``set_due``, ``extend``, ``edit_text``, ``add_evidence``,
            ``add_measure``, ``add_problem``, ``accountability``, ``evaluate``).
        item: the id the call names: the item fired on or edited, the problem a measure joins,
            the category a problem joins; ``None`` for the case (a case trigger, accountability,
            an evaluation).
        on: the day it happens (for accountability and evaluations, the record's own day).
        value: what an edit records: a ``Responsibility`` (or ``None``), a due day, a text, an
            ``Evidence``, a new ``Measure`` or ``Problem``, an ``Accountability``, an
            ``Evaluation``; ``None`` for a trigger.
        note: the event's note (a rejection's reason).
        actor: who makes the change.
        options: the call's other keyword arguments, as ``(name, value)`` pairs (an
            extension's ``approver``, ``reason`` and ``role``; a new category's title).
    """

    trigger: str
    item: str | None
    on: dt.date
    value: Any = None
    note: str | None = None
    actor: str | None = None
    options: tuple[tuple[str, Any], ...] = ()

    @property
    def call(self) -> str:
        """The name of the public function :meth:`apply` calls (``fire`` for a trigger)."""
        return _CALLS.get(self.trigger, "fire")

    @property
    def is_edit(self) -> bool:
        """True for an edit, False for a trigger fired."""
        return self.trigger in _CALLS

    def apply(
        self,
        case: Case,
        *,
        guards: Sequence[Guard] = (),
        recorded_on: dt.date | None = None,
    ) -> Event:
        """Make the change on ``case`` through the public API; returns the event recorded.

        The step's objects are copied first: the same steps can be applied to several cases
        (a case and its copy, or a case rebuilt from a prefix of the steps) without sharing a
        measure or a problem between them.

        Args:
            case: the case to change.
            guards: consulted where the API takes guards (``fire`` and the item edits).
            recorded_on: to record the step late (see :func:`rectflow.fire`).

        Raises:
            RectflowError: what the API raises when the change does not fit ``case``.
        """
        value = copy.deepcopy(self.value)
        trigger, item, on, note, actor = self.trigger, self.item, self.on, self.note, self.actor
        late = {"recorded_on": recorded_on}
        if trigger == ACCOUNTABILITY:
            return record_accountability(case, value, actor=actor, **late)
        if trigger == EVALUATE:
            return evaluate(case, value, actor=actor, **late)
        edit: Callable[..., Event] | None = _EDIT_FUNCTIONS.get(trigger)
        if edit is None or item is None:
            return fire(
                case, trigger, item=item, on=on, note=note, actor=actor, guards=guards, **late
            )
        options: dict[str, Any] = dict(self.options)
        if trigger not in (ADD_MEASURE, ADD_PROBLEM):
            options["guards"] = guards
        return edit(case, item, value, on=on, note=note, actor=actor, **late, **options)

    def __repr__(self) -> str:
        args = ["case"]
        if not self.is_edit:
            args.append(repr(self.trigger))
            if self.item is not None:
                args.append(f"item={self.item!r}")
        else:
            if self.item is not None:
                args.append(repr(self.item))
            args.append(_show(self.value))
        args += [f"{name}={value!r}" for name, value in self.options]
        if self.trigger not in (ACCOUNTABILITY, EVALUATE):
            args.append(f"on={self.on!r}")
            if self.note is not None:
                args.append(f"note={self.note!r}")
        if self.actor is not None:
            args.append(f"actor={self.actor!r}")
        return f"rectflow.{self.call}({', '.join(args)})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        # hypothesis prints an attrs instance field by field unless it finds this method.
        printer.text(repr(self))


_EDIT_FUNCTIONS: dict[str, Callable[..., Event]] = {
    ASSIGN: assign,
    SET_DUE: set_due,
    EXTEND: extend,
    EDIT_TEXT: edit_text,
    ADD_EVIDENCE: add_evidence,
    ADD_MEASURE: add_measure,
    ADD_PROBLEM: add_problem,
}


def _show(value: object) -> str:
    """A new problem or measure by its id (its repr is the whole ledger entry)."""
    if isinstance(value, Problem | Measure):
        return f"<{type(value).__name__} {value.id}>"
    return repr(value)


# -- what is legal next ------------------------------------------------------------------------


def legal_moves(case: Case) -> list[Move]:
    """Every ``(trigger, item or None)`` the lifecycle allows now on the case and its items."""
    moves: list[Move] = [(t, None) for t in CASE_LIFECYCLE.allowed(case.state)]
    for problem in case.problems():
        moves.extend((t, problem.id) for t in allowed_triggers(case, problem.id))
        for measure in problem.measures:
            moves.extend((t, measure.id) for t in allowed_triggers(case, measure.id))
    return moves


def start_day(case: Case, default: dt.date = MIN_DATE) -> dt.date:
    """The first day a new event may take without being a late recording: the feedback's last
    possible day, or the last day the log recorded, whichever is later."""
    days = [default if case.feedback_on is None else case.feedback_on.latest]
    days += [row[3] if row[6] is None else row[6] for row in case.events._raw()]
    return max(days)


def _free_id(case: Case, stem: str, taken: set[str]) -> str:
    """``<stem>.<n>`` for the smallest ``n`` from 1 that no item of ``case`` uses."""
    n = 1
    while f"{stem}.{n}" in taken:
        n += 1
    return f"{stem}.{n}"


def _ids(case: Case) -> set[str]:
    return {i for p in case.problems() for i in (p.id, *(m.id for m in p.measures))}


def _items(case: Case) -> list[Problem | Measure]:
    """Every problem and measure, in ledger order."""
    found: list[Problem | Measure] = []
    for problem in case.problems():
        found.append(problem)
        found.extend(problem.measures)
    return found


def _trackable(case: Case) -> list[Problem | Measure]:
    """The items that carry their own deadline and evidence: measures, and problems without."""
    found: list[Problem | Measure] = []
    for problem in case.problems():
        if problem.measures:
            found.extend(problem.measures)
        else:
            found.append(problem)
    return found


def _fired(draw: st.DrawFn, moves: Sequence[Move], on: dt.date) -> Step:
    trigger, item = _pick(draw, moves)
    # A rejection says why (MissingReasonError otherwise); other notes come and go.
    reason = trigger in REASON_REQUIRED
    note = _pick(draw, _REASONS) if reason else _maybe(draw, _TITLES)
    return Step(trigger, item, on, note=note, actor=_maybe(draw, _NAMES))


def _edit(
    draw: st.DrawFn,
    case: Case,
    on: dt.date,
    make_problem: _ProblemMaker,
    actor: str | None = None,
) -> Step | None:
    """A legal edit of ``case`` on ``on``, or None when the kind drawn has nothing to edit;
    made by ``actor``, or by someone drawn when it is None."""
    kind = _pick(draw, EDITS)
    actor = actor if actor is not None else _maybe(draw, _NAMES)
    items = _items(case)
    low = MIN_DATE if case.feedback_on is None else case.feedback_on.earliest
    if kind == ACCOUNTABILITY:
        record = Accountability(
            _pick(draw, _FORMS),
            draw(st.integers(1, 5)),
            on=on,
            problem=_maybe(draw, [p.id for p in case.problems()]),
            note=_maybe(draw, _TITLES),
        )
        return Step(kind, None, on, record, actor=actor)
    if kind == EVALUATE:
        score = draw(st.one_of(st.none(), st.integers(0, 100), st.floats(0, 100, width=32)))
        evaluation = Evaluation(
            on,
            _pick(draw, tuple(Grade)),
            score,
            _maybe(draw, _APPROVERS),
            _maybe(draw, _TITLES),
        )
        return Step(kind, None, on, evaluation, actor=actor)
    if kind == ADD_PROBLEM:
        categories = [c.id for c in case.categories]
        where = _pick(draw, [*categories, ""]) if categories else ""
        options: tuple[tuple[str, Any], ...] = ()
        if not where:
            n = len(categories) + 1
            while str(n) in categories:
                n += 1
            where = str(n)
            options = (("category_title", draw(_TEXT)),)
        found = make_problem(draw, _free_id(case, where, _ids(case)), on)
        return Step(kind, where, on, found, actor=actor, options=options)
    if kind == ADD_MEASURE:
        problems = list(case.problems())
        if not problems:
            return None
        parent = _pick(draw, problems)
        measure_id = _free_id(case, parent.id, _ids(case))
        measure = Measure(measure_id, draw(_LONG_TEXT), _responsibility(draw))
        return Step(kind, parent.id, on, measure, actor=actor)
    if not items:
        return None
    if kind == ASSIGN:
        target: Problem | Measure = _pick(draw, items)
        who = _responsibility(draw)
        if who == target.responsibility:
            return None
        return Step(kind, target.id, on, who, actor=actor, note=_maybe(draw, _TITLES))
    if kind == EDIT_TEXT:
        target = _pick(draw, items)
        text = draw(_LONG_TEXT)
        current = target.title if isinstance(target, Problem) else target.text
        if text == current:
            return None
        return Step(kind, target.id, on, text, actor=actor)
    trackable = _trackable(case)
    if kind == ADD_EVIDENCE:
        target = _pick(draw, trackable)
        evidence = _evidence(draw, low, on)
        # add_evidence names the actor as who added it when the evidence names no one.
        filed = (
            evidence
            if evidence.added_by or actor is None
            else attrs.evolve(evidence, added_by=actor)
        )
        if filed in target.evidence:
            return None
        return Step(kind, target.id, on, evidence, actor=actor)
    if kind == SET_DUE:
        free = [i for i in trackable if i.due_on is None]
        if not free:
            return None
        target = _pick(draw, free)
        due = _shift(on, draw(st.integers(0, 180)))
        return Step(kind, target.id, on, due, actor=actor)
    due_set = [i for i in trackable if i.due_on is not None]
    if not due_set:
        return None
    target = _pick(draw, due_set)
    assert target.due_on is not None  # noqa: S101 - filtered just above
    later = _shift(target.due_on, draw(st.integers(1, 180)))
    options = (
        ("approver", _pick(draw, _APPROVERS)),
        ("reason", _pick(draw, _REASONS)),
        ("role", _maybe(draw, _ROLES)),
    )
    return Step(EXTEND, target.id, on, later, actor=actor, options=options)


_ProblemMaker = Callable[[st.DrawFn, str, dt.date], Problem]
"""Draws a new problem with the given id, its dates from the given day on."""


def draw_steps(
    draw: st.DrawFn,
    case: Case,
    sizes: tuple[int, int],
    max_gap_days: int,
    edits: bool,
    make_problem: _ProblemMaker,
    apply_to: Case | None = None,
) -> list[Step]:
    """A legal sequence of steps for ``case``: each applied to a scratch copy as it is drawn
    (or to ``apply_to``, changed in place), so what comes next is legal where it then stands.

    Half the steps are edits when ``edits``; an edit of a kind that has nothing to work on (no
    due date to extend …) gives way to a trigger. The case lifecycle allows a trigger in every
    state, so there is always a move.
    """
    scratch = copy.deepcopy(case) if apply_to is None else apply_to
    on = start_day(case)
    steps: list[Step] = []
    for _ in range(draw(st.integers(*sizes))):
        on = _shift(on, draw(st.integers(0, max_gap_days)))
        step = _edit(draw, scratch, on, make_problem) if edits and draw(_BOOL) else None
        if step is None:
            step = _fired(draw, legal_moves(scratch), on)
        step.apply(scratch)
        steps.append(step)
    return steps
