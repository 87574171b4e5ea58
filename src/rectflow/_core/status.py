"""Where a case stands as of a day: its state, item counts by state, what is overdue and by how
many days, what waits for acceptance, and the supervision's tallies.

The command line (``rectflow status``), ``make demo`` and host systems share these functions. The
day is always given or taken from the case itself (:func:`default_as_of`), never from the clock.
:meth:`CaseStatus.to_dict` is the versioned JSON form (``docs/status-json.md``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any, Final, Literal

import attrs

from rectflow._core.asof import as_of_view
from rectflow._core.dates import FuzzyDate, Period
from rectflow._core.kinds import AccountabilityForm
from rectflow._core.model import (
    Case,
    CaseState,
    Evaluation,
    ItemState,
    Measure,
    Problem,
    Responsibility,
)
from rectflow._core.supervision import ItemFacts, accountability_counts, item_facts
from rectflow.errors import MissingDateError

__all__ = [
    "STATUS_FORMAT",
    "STATUS_VERSION",
    "CaseStatus",
    "OverdueItem",
    "default_as_of",
    "overdue",
    "status",
]

STATUS_FORMAT: Final = "rectflow.status"
"""The ``format`` of :meth:`CaseStatus.to_dict`'s JSON form (``docs/status-json.md``)."""

STATUS_VERSION: Final = 1
"""The ``version`` of that form: raised when a key is removed or renamed or a value changes
meaning; adding a key does not raise it (readers ignore keys they do not know)."""

# States in which an item's deadline no longer runs: done, or accepted as long-term work.
_NOT_DUE = frozenset(
    {ItemState.COMPLETED, ItemState.SUBMITTED, ItemState.CLOSED, ItemState.LONG_TERM}
)


def overdue(case: Case, as_of: dt.date) -> list[Problem | Measure]:
    """The items whose deadline passed before ``as_of`` without being completed or closed.

    Measures count, and so do problems tracked without measures (a problem with measures is
    late through them). An item is overdue when it has a ``due_on`` (the approved one, after an
    extension) earlier than ``as_of`` and is not completed, submitted for acceptance (the work
    is claimed done: the acceptor's answer is not the body's lateness), closed or long-term
    (长期坚持 has no end date to miss). An item whose state
    no one has stated (``state_known`` off, as an imported notice leaves it) is never called late:
    it may well be done. Items come in ledger
    order. The case is judged as it stood on ``as_of`` (:func:`rectflow.case_as_of`): an item
    completed after that day was still late then, one completed before it was not.

    Args:
        case: the case.
        as_of: the day to judge at; the due day itself is not late yet.
    """
    view, _ = as_of_view(case, as_of)
    return _overdue(view, as_of)


def _overdue(case: Case, as_of: dt.date) -> list[Problem | Measure]:
    late: list[Problem | Measure] = []
    for problem in case.problems():
        if problem.measures:
            late.extend(
                m
                for m in problem.measures
                if m.due_on is not None
                and m.due_on < as_of
                and m.state not in _NOT_DUE
                and m.state_known
            )
        elif (
            problem.due_on is not None
            and problem.due_on < as_of
            and problem.own_state not in _NOT_DUE
            and problem.own_state_known
        ):
            late.append(problem)
    return late


def _stated_dates(case: Case) -> Iterator[tuple[str, FuzzyDate]]:
    """Every date the case states as a fact (not deadlines), with its key path."""

    def period(path: str, span: Period | None) -> Iterator[tuple[str, FuzzyDate]]:
        if span is not None:
            yield f"{path}.start", span.start
            if span.end is not None:
                yield f"{path}.end", span.end

    yield from period("inspection.onsite", case.inspection.onsite)
    if case.feedback_on is not None:
        yield "feedback_on", case.feedback_on
    if case.plan is not None and case.plan.adopted_on is not None:
        yield "plan.adopted_on", case.plan.adopted_on
    yield from period("centralised", case.centralised)
    if case.report_on is not None:
        yield "report_on", case.report_on
    for i, milestone in enumerate(case.milestones):
        yield f"milestones[{i}].on", milestone.on
    for i, disclosure in enumerate(case.disclosures):
        if disclosure.published_on is not None:
            yield f"disclosures[{i}].published_on", disclosure.published_on
        yield from period(f"disclosures[{i}].public_period", disclosure.public_period)
    for i, review in enumerate(case.reviews):
        yield f"reviews[{i}].on", FuzzyDate.of(review.on)


def default_as_of(case: Case) -> tuple[dt.date, str]:
    """The day to report a case's status at when none is given, and why that day.

    The date of the case's last event; for a case without events, the latest date the case
    states (feedback, plan, centralised period, report, milestones, disclosures and their public
    periods, reviews), a fuzzy one taken at its first day so nothing is called late that may not
    have been yet. The clock is never read.

    Returns:
        The day and a sentence saying where it comes from.

    Raises:
        MissingDateError: the case has no events and states no date.
    """
    if case.events:
        last = max(case.events, key=lambda e: (e.on, e.seq))
        on = "the case" if last.target == "case" else last.target
        return last.on, f"the case's last event: #{last.seq} {last.trigger} on {on}"
    stated = list(_stated_dates(case))
    if not stated:
        raise MissingDateError(
            "as-of date", case.id, "give one (`--as-of YYYY-MM-DD`, or `as_of=` in Python)"
        )
    # The latest by first day; among equals, the later-listed (later in the lifecycle).
    path, date = max(reversed(stated), key=lambda pd: pd[1].earliest)
    day = date.earliest
    reason = f"no events; the latest date the case states: {path} = {date}"
    if date.earliest != date.latest:
        reason += f" (taken as its first day, {day})"
    return day, reason


ItemKind = Literal["problem", "measure"]
"""What an overdue item is: a measure, or a problem tracked without measures."""


@attrs.frozen
class OverdueItem:
    """One overdue item as of a day, and how late it is.

    Attributes:
        id: the item's id.
        kind: ``measure``, or ``problem`` for a problem tracked without measures.
        state: its state on the day.
        due_on: its deadline as it stood on the day: the approved one after an extension.
        days_late: days from ``due_on`` to the day (the day after the due day is 1 day late).
        original_due_on: its deadline before any extension (``due_on`` when never extended).
        extensions: how many approved extensions (延期) it had by the day.
        responsibility: who answers for it, when recorded.
    """

    id: str
    kind: ItemKind
    state: ItemState
    due_on: dt.date
    days_late: int
    original_due_on: dt.date
    extensions: int = 0
    responsibility: Responsibility | None = None

    @property
    def days_late_originally(self) -> int:
        """Days from the original deadline to the day: the lateness an extension does not erase."""
        return self.days_late + (self.due_on - self.original_due_on).days

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of the record (an entry of ``overdue`` in ``docs/status-json.md``)."""
        r = self.responsibility
        return {
            "id": self.id,
            "kind": self.kind,
            "state": self.state.value,
            "due_on": self.due_on.isoformat(),
            "days_late": self.days_late,
            "original_due_on": self.original_due_on.isoformat(),
            "extensions": self.extensions,
            "responsibility": None
            if r is None
            else {"leader": r.leader, "department": r.department, "person": r.person},
        }


def _overdue_item(item: Problem | Measure, as_of: dt.date, facts: ItemFacts) -> OverdueItem:
    due = item.due_on
    assert due is not None  # noqa: S101 - only dated items are overdue
    return OverdueItem(
        id=item.id,
        kind="problem" if isinstance(item, Problem) else "measure",
        state=item.own_state if isinstance(item, Problem) else item.state,
        due_on=due,
        days_late=(as_of - due).days,
        original_due_on=facts.original_due_on or due,
        extensions=len(facts.extensions),
        responsibility=item.responsibility,
    )


def _awaiting(case: Case) -> int:
    """Measures, and problems tracked without measures, submitted for acceptance (报请销号)."""
    waiting = 0
    for problem in case.problems():
        if problem.measures:
            waiting += sum(
                m.state is ItemState.SUBMITTED and m.state_known for m in problem.measures
            )
        elif problem.own_state is ItemState.SUBMITTED and problem.own_state_known:
            waiting += 1
    return waiting


def _latest(evaluations: list[Evaluation]) -> Evaluation | None:
    """The evaluation of the latest day; of several that day, the last recorded."""
    return max(reversed(evaluations), key=lambda e: e.on, default=None)


@attrs.frozen
class CaseStatus:
    """A case's standing as of a day (what ``rectflow status`` prints).

    Attributes:
        case_id: the case's id.
        inspected_body: the body inspected.
        state: the case's state.
        as_of: the day it is judged at.
        as_of_reason: where that day comes from (``given``, or :func:`default_as_of`'s reason).
        problems: how many problems are in each state (states in lifecycle order, zeros left
            out), counting only those whose state is known.
        measures: how many measures are in each state (same).
        overdue: the overdue items (:func:`overdue`), in ledger order.
        problems_unknown: how many problems have a state no one has stated (``state_known``
            off): counted apart, never as open or unfinished.
        measures_unknown: how many measures have a state no one has stated.
        late: the overdue items as :class:`OverdueItem` records with their days late, original
            deadline and extensions, in the order of ``overdue``.
        awaiting_acceptance: how many measures (and problems tracked without measures) are
            submitted for acceptance (报请销号) and not yet accepted or rejected.
        rejections: how many submissions were rejected (驳回) by the day, over all items.
        extensions: how many approved extensions (延期) were recorded by the day, over all items.
        accountability: how many people were held to account (问责) by the day, by form (forms
            in :class:`~rectflow.AccountabilityForm` order, zeros left out).
        evaluation: the latest evaluation (整改评估) by the day, or ``None``.
    """

    case_id: str
    inspected_body: str
    state: CaseState
    as_of: dt.date
    as_of_reason: str
    problems: Mapping[ItemState, int]
    measures: Mapping[ItemState, int]
    overdue: tuple[Problem | Measure, ...]
    problems_unknown: int = 0
    measures_unknown: int = 0
    late: tuple[OverdueItem, ...] = ()
    awaiting_acceptance: int = 0
    rejections: int = 0
    extensions: int = 0
    accountability: Mapping[AccountabilityForm, int] = attrs.field(factory=dict)
    evaluation: Evaluation | None = None

    def to_dict(self) -> dict[str, Any]:
        """The status as plain JSON-ready data: ``format`` ``rectflow.status``, ``version`` 1.

        States, forms and grades are written by value, days as ISO dates (``2021-07-01``), and
        every count table lists every state (or form) in lifecycle order, zeros included, so
        that a reader finds each key in every document. ``docs/status-json.md`` documents each
        key, with an example.
        """
        evaluation = self.evaluation
        return {
            "format": STATUS_FORMAT,
            "version": STATUS_VERSION,
            "case": self.case_id,
            "inspected_body": self.inspected_body,
            "state": self.state.value,
            "as_of": self.as_of.isoformat(),
            "as_of_reason": self.as_of_reason,
            "problems": {s.value: self.problems.get(s, 0) for s in ItemState},
            "measures": {s.value: self.measures.get(s, 0) for s in ItemState},
            "problems_state_unknown": self.problems_unknown,
            "measures_state_unknown": self.measures_unknown,
            "overdue": [item.to_dict() for item in self.late],
            "awaiting_acceptance": self.awaiting_acceptance,
            "rejections": self.rejections,
            "extensions": self.extensions,
            "accountability": {f.value: self.accountability.get(f, 0) for f in AccountabilityForm},
            "evaluation": None
            if evaluation is None
            else {
                "on": evaluation.on.isoformat(),
                "grade": evaluation.grade.value,
                "score": evaluation.score,
                "by": evaluation.by,
                "note": evaluation.note,
            },
        }


def _by_state(states: Counter[ItemState]) -> dict[ItemState, int]:
    return {s: states[s] for s in ItemState if states[s]}


def status(case: Case, as_of: dt.date | None = None) -> CaseStatus:
    """The case's state, its items counted by state, what is overdue (and by how many days),
    what waits for acceptance, and the supervision's tallies as of a day.

    Args:
        case: the case.
        as_of: the day to judge at: the case is judged as it stood then
            (:func:`rectflow.case_as_of`: events after it are not replayed, measures added
            later are left out). ``None`` takes :func:`default_as_of` and judges the case as
            it stands.

    Raises:
        MissingDateError: no ``as_of`` was given and the case has no date to take.
    """
    if as_of is None:
        as_of, reason = default_as_of(case)
    else:
        case, _ = as_of_view(case, as_of)
        reason = "given"
    late = _overdue(case, as_of)
    facts = item_facts(case)
    empty = ItemFacts()
    return CaseStatus(
        case_id=case.id,
        inspected_body=case.inspected_body,
        state=case.state,
        as_of=as_of,
        as_of_reason=reason,
        problems=_by_state(Counter(p.state for p in case.problems() if p.state_known)),
        measures=_by_state(Counter(m.state for m in case.measures() if m.state_known)),
        problems_unknown=sum(not p.state_known for p in case.problems()),
        measures_unknown=sum(not m.state_known for m in case.measures()),
        overdue=tuple(late),
        late=tuple(_overdue_item(i, as_of, facts.get(i.id, empty)) for i in late),
        awaiting_acceptance=_awaiting(case),
        rejections=sum(f.rejections for f in facts.values()),
        extensions=sum(len(f.extensions) for f in facts.values()),
        accountability=accountability_counts(case),
        evaluation=_latest(case.evaluations),
    )
