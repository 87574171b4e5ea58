"""Cases worked through the supervision loop: the strategy behind
``rectflow.strategies.supervised_cases()``.

Random legal sequences (:func:`rectflow.strategies.event_sequences`) reach an acceptance only now
and then: an item must be started, completed and submitted first. :func:`supervised_cases` walks
each item along the loop on purpose, so that most cases hold what a supervision rule or plugin
is about: responsibilities assigned, deadlines set and extended with an approver and a reason,
evidence put on file, submissions rejected with a reason and submitted again, acceptances by
someone other than those who did the work, accountability and a graded evaluation, and a second
rectification after a poor grade. Every change is made through the public API (each a
:class:`~rectflow._testing.steps.Step`), so every case replays to itself and loads back from its
case file.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
from hypothesis import strategies as st

from rectflow._core.model import (
    Accountability,
    Case,
    Evaluation,
    Grade,
    Measure,
    Problem,
)
from rectflow._testing.drawing import (
    _ACCEPTORS,
    _APPROVERS,
    _BOOL,
    _FORMS,
    _NAMES,
    _REASONS,
    _ROLES,
    _TITLES,
    MAX_DATE,
    MIN_DATE,
    _check,
    _evidence,
    _maybe,
    _pick,
    _responsibility,
    _shift,
)
from rectflow._testing.steps import Step, _trackable, start_day
from rectflow._testing.strategies import cases

__all__ = ["supervised_cases"]

# How far an item got along the loop, the furthest first: examples shrink to accepted items.
_OUTCOMES = ("accepted", "submitted", "completed", "in_progress", "untouched")
_SECOND_RECTIFICATION = frozenset({Grade.FAIR, Grade.POOR})


class _Walk:
    """Applies steps to one case, each a few days after the one before."""

    def __init__(self, draw: st.DrawFn, case: Case, max_gap_days: int) -> None:
        self.draw = draw
        self.case = case
        self.on = start_day(case)
        self.gap = st.integers(0, max_gap_days)

    def later(self) -> dt.date:
        self.on = _shift(self.on, self.draw(self.gap))
        return self.on

    def do(
        self,
        trigger: str,
        item: str | None,
        value: Any = None,
        *,
        actor: str | None = None,
        note: str | None = None,
        options: tuple[tuple[str, Any], ...] = (),
    ) -> None:
        on = self.later()
        if isinstance(value, Accountability | Evaluation):
            value = _dated(value, on)
        Step(trigger, item, on, value, note=note, actor=actor, options=options).apply(self.case)

    def evidence(self, item: Problem | Measure, doer: str, since: dt.date) -> None:
        """Put a piece of evidence on file, dated within the work (or not dated)."""
        evidence = _evidence(self.draw, since, self.on)
        # add_evidence files it as added by its actor when it names no one.
        filed = attrs.evolve(evidence, added_by=doer) if evidence.added_by is None else evidence
        if filed not in item.evidence:
            self.do("add_evidence", item.id, evidence, actor=doer)

    def item(self, item: Problem | Measure, max_rejections: int) -> None:
        """Walk one item along the loop, as far as drawn."""
        draw = self.draw
        outcome = _pick(draw, _OUTCOMES)
        if item.responsibility is None and draw(_BOOL):
            who = _responsibility(draw)
            if who is not None:
                self.do("assign", item.id, who, actor=_pick(draw, _APPROVERS))
        if item.due_on is None and draw(_BOOL):
            self.do("set_due", item.id, _shift(self.on, draw(st.integers(0, 120))))
        if outcome == "untouched":
            return
        who = item.responsibility
        doer = (who.person if who is not None else None) or _pick(draw, _NAMES)
        self.do("start", item.id, actor=doer)
        started = self.on
        if item.due_on is not None and draw(_BOOL):
            options = (
                ("approver", _pick(draw, _APPROVERS)),
                ("reason", _pick(draw, _REASONS)),
                ("role", _maybe(draw, _ROLES)),
            )
            later = _shift(item.due_on, draw(st.integers(1, 180)))
            self.do("extend", item.id, later, options=options)
        acceptor = _pick(draw, _ACCEPTORS)
        rounds = draw(st.integers(0, max_rejections)) if outcome != "in_progress" else 0
        for _ in range(rounds):
            self.evidence(item, doer, started)
            self.do("complete", item.id, actor=doer)
            self.do("submit", item.id, actor=doer)
            self.do("reject", item.id, actor=acceptor, note=_pick(draw, _REASONS))
        if outcome == "in_progress":
            return
        self.evidence(item, doer, started)
        self.do("complete", item.id, actor=doer)
        if outcome == "completed":
            return
        self.do("submit", item.id, actor=doer)
        if outcome == "accepted":
            self.do("accept", item.id, actor=acceptor)


def _dated(record: Accountability | Evaluation, on: dt.date) -> Accountability | Evaluation:
    """The record on the step's day (a record carries its own day)."""
    return attrs.evolve(record, on=on)


@st.composite
def _supervised(
    draw: st.DrawFn,
    base: st.SearchStrategy[Case],
    max_rejections: int,
    max_gap_days: int,
) -> Case:
    case = draw(base)
    walk = _Walk(draw, case, max_gap_days)
    office = _pick(draw, _ACCEPTORS)
    walk.do("adopt_plan", None, actor=office)
    walk.do("start_centralised", None, actor=office)
    for item in _trackable(case):
        walk.item(item, max_rejections)
    if not draw(_BOOL):
        return case  # still in the centralised rectification
    walk.do("submit_report", None, actor=office)
    for _ in range(draw(st.integers(0, 2))):
        problem = _maybe(draw, [p.id for p in case.problems()])
        record = Accountability(
            _pick(draw, _FORMS),
            draw(st.integers(1, 5)),
            on=walk.on,
            problem=problem,
            note=_maybe(draw, _TITLES),
        )
        walk.do("accountability", None, record, actor=office)
    if draw(_BOOL):
        grade = _pick(draw, tuple(Grade))
        score = draw(st.one_of(st.none(), st.integers(0, 100)))
        walk.do("evaluate", None, Evaluation(walk.on, grade, score, office), actor=office)
        # 一般 or 差: the evaluation.second-rectification rule requires a second rectification.
        if grade in _SECOND_RECTIFICATION:
            walk.do("start_second_rectification", None, actor=office)
    return case


def supervised_cases(
    *,
    min_value: dt.date = MIN_DATE,
    max_value: dt.date = MAX_DATE,
    max_problems: int = 3,
    max_measures: int = 2,
    max_rejections: int = 2,
    max_gap_days: int = 20,
) -> st.SearchStrategy[Case]:
    """Cases worked through the supervision loop (督办), every change an event of the public API.

    Each case is drawn as :func:`cases` draws one (at least one problem; items start open), and
    then: the plan is adopted and the centralised rectification begins; each measure (and each
    problem without measures) may get a responsibility (``assign``) and a deadline
    (``set_due``), and goes as far as drawn along the loop: started, its deadline perhaps
    extended (approver, reason, maybe the approver's role), evidence put on file (dated within
    the work, or not dated), completed, submitted for acceptance (报请销号), rejected with a
    reason up to ``max_rejections`` times (驳回, back to work, evidence, completed, submitted
    again) and accepted (验收, 销号); then, perhaps, the report, accountability records (问责)
    and a graded evaluation (评估), a grade of 一般 or 差 followed by the second rectification
    (二次整改). Days never go back.

    Who does what is kept apart: the work (``start``, ``complete``, ``submit``) is done by the
    item's responsible person, or by someone named; acceptances and rejections are given by a
    supervising office that is neither, as the ``acceptance.independent`` rule requires.

    Args:
        min_value: the earliest day the feedback date may mean.
        max_value: the latest day the feedback date may mean.
        max_problems: the most problems in the ledger (at least one is drawn).
        max_measures: the most measures per problem.
        max_rejections: the most rejections of one item before its last submission.
        max_gap_days: the most days between one change and the next.
    """
    _check(max_problems >= 1, f"max_problems={max_problems} must be at least 1")
    _check(max_measures >= 0, f"max_measures={max_measures} must be at least 0")
    _check(max_rejections >= 0, f"max_rejections={max_rejections} must be at least 0")
    _check(max_gap_days >= 0, f"max_gap_days={max_gap_days} must be at least 0")
    base = cases(
        min_value=min_value,
        max_value=max_value,
        min_problems=1,
        max_problems=max_problems,
        max_measures=max_measures,
    )
    return _supervised(base, max_rejections, max_gap_days)
