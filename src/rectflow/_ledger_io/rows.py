"""A case as the rows of its ledger: one row per measure (a problem without measures is one row),
as of a day, with the ladder's level of each row.

The workbook and the CSV are written from these rows, so both say the same. The case is judged
as it stood on the day (:func:`rectflow.case_as_of`); the level is the escalation ladder's as the
agenda computes it on that day (:func:`rectflow.agenda`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import attrs

from rectflow._core.asof import as_of_view
from rectflow._core.labels import ITEM_STATE_ZH, PROBLEM_KIND_ZH, TRIGGER_ZH
from rectflow._core.model import (
    Case,
    Category,
    Event,
    Evidence,
    ItemState,
    Measure,
    Problem,
    Responsibility,
)
from rectflow._core.public import (
    is_public_evidence,
    is_public_measure,
    is_public_problem,
    public_state,
)
from rectflow._ledger_io.columns import CLASSIFICATION_ZH, Column
from rectflow._ledger_io.deadlines import IMMEDIATE, LONG_TERM
from rectflow._rules.agenda import agenda
from rectflow._rules.ladder import EscalationLevel, Ladder
from rectflow._rules.policy import Policy

__all__ = ["Colour", "LedgerRow", "ledger_rows", "level_colour", "sign_off_word"]

Colour = str
"""``red``, ``yellow`` or ``green``."""

_COLOUR_WORDS = (("red", "红"), ("yellow", "黄"), ("green", "绿"))


def level_colour(level: EscalationLevel, ladder: Ladder) -> Colour:
    """The colour a level is filled with: the one its name or label says (``red``, 红色预警), else
    red for the ladder's last level and yellow for the ones before it."""
    for colour, word in _COLOUR_WORDS:
        if colour in level.name.lower() or word in level.label:
            return colour
    return "red" if level == ladder.levels[-1] else "yellow"


def sign_off_word(state: ItemState, known: bool) -> str:
    """What the 销号情况 column says: 已销号, 待验收, 未销号, or nothing for an unknown state."""
    if not known:
        return ""
    if state is ItemState.CLOSED:
        return "已销号"
    if state is ItemState.SUBMITTED:
        return "待验收"
    return "未销号"


@attrs.frozen
class LedgerRow:
    """One row of the ledger.

    Attributes:
        body: the inspected body (a round's ledger names it on each row).
        category: the category.
        problem: the problem.
        number: the problem's running number (序号) in the ledger.
        measure: the measure, or ``None`` for a problem tracked without measures.
        values: each column's value: text, a day (完成时限) or the running number.
        colour: the level's colour, when the item stands on a level of the ladder.
    """

    body: str
    category: Category
    problem: Problem
    number: int
    measure: Measure | None
    values: dict[Column, object]
    colour: Colour | None


def _progress(event: Event | None) -> str:
    """The latest recorded step: ``2024-06-20 完成整改：<note>``."""
    if event is None:
        return ""
    step = TRIGGER_ZH.get(event.trigger, event.trigger)
    note = f"：{event.note}" if event.note else ""
    return f"{event.on.isoformat()} {step}{note}"


def _due(day: dt.date | None, tags: tuple[str, ...]) -> object:
    if day is not None:
        return day
    for word in (LONG_TERM, IMMEDIATE):
        if word in tags:
            return word
    return ""


def ledger_rows(
    case: Case,
    *,
    as_of: dt.date,
    policy: Policy | None = None,
    public: bool = False,
    start: int = 1,
) -> Iterator[LedgerRow]:
    """The rows of ``case``'s ledger as it stood on ``as_of``.

    Args:
        case: the case (not changed).
        as_of: the day the ledger stands on (states replayed to it, levels judged on it).
        policy: the policy whose escalation ladder gives the levels (the default ladder
            without one).
        public: only what may be published (:mod:`rectflow._core.public`): public problems and
            measures, states as a public text states them, public evidence, no one's name (the
            responsible department is kept), no progress from the internal work trail.
        start: the running number of the first problem.
    """
    # Read only: the view may be the case itself when nothing lies after the day (no copy).
    view, _ = as_of_view(case, as_of, whole=True)
    chosen = policy if policy is not None else Policy(name="default")
    run = agenda([case], as_of=as_of, policy=chosen)
    colours = {n.item: level_colour(run.level_of(n), run.ladder) for n in run.notices}
    labels = {n.item: n.label for n in run.notices}
    latest: dict[str, Event] = {}
    if not public:
        for event in view.events:
            latest[event.target] = event
    number = start - 1
    for category in view.categories:
        for problem in category.problems:
            if public and not is_public_problem(problem):
                continue
            number += 1
            measures: list[Measure | None] = [
                m for m in problem.measures if not public or is_public_measure(m, problem)
            ]
            if not measures:  # no measures, or none that may be published: the problem's row
                measures = [None]
            for measure in measures:
                values = _values(category, problem, measure, number, public)
                item = problem.id if measure is None else measure.id
                values[Column.PROGRESS] = _progress(latest.get(item))
                values[Column.LEVEL] = labels.get(item, "")
                values[Column.CASE_ID] = view.id
                yield LedgerRow(
                    view.inspected_body,
                    category,
                    problem,
                    number,
                    measure,
                    values,
                    colours.get(item),
                )


def _values(
    category: Category,
    problem: Problem,
    measure: Measure | None,
    number: int,
    public: bool,
) -> dict[Column, object]:
    who: Responsibility | None
    evidence: tuple[Evidence, ...]
    if measure is None:
        who, due, tags = problem.responsibility, problem.due_on, problem.tags
        state, known, evidence = problem.state, problem.state_known, problem.evidence
    else:
        who = measure.responsibility or problem.responsibility
        due, tags, evidence = measure.due_on, measure.tags, measure.evidence
        state, known = measure.state, measure.state_known
    if public:
        state = public_state(state)
        evidence = tuple(e for e in evidence if is_public_evidence(e, problem, measure))
        who = None if who is None else Responsibility(department=who.department)
    who = who or Responsibility()
    values: dict[Column, object] = {
        Column.NUMBER: number,
        Column.CATEGORY: category.title,
        Column.PROBLEM: problem.title,
        Column.MEASURE: "" if measure is None else measure.text,
        Column.LEADER: who.leader or "",
        Column.DEPARTMENT: who.department or "",
        Column.PERSON: who.person or "",
        Column.DUE: _due(due, tags),
        Column.STATE: ITEM_STATE_ZH[state] if known else "",
        Column.EVIDENCE: "\n".join(e.title for e in evidence),
        Column.SIGN_OFF: sign_off_word(state, known),
        Column.CATEGORY_ID: category.id,
        Column.PROBLEM_ID: problem.id,
        Column.MEASURE_ID: "" if measure is None else measure.id,
        Column.KIND: PROBLEM_KIND_ZH[problem.kind],
        Column.CLASSIFICATION: CLASSIFICATION_ZH[problem.classification],
    }
    return values
