"""What the dashboard shows, taken from the roll-up and the agenda: nothing is counted twice.

Every figure on the page is a field of a :class:`~rectflow._rounds.rollup.Rollup` (the totals, the
groups of the completion chart, the levels of the ladder, the overdue items) or of an
:class:`~rectflow._rules.agenda.Agenda` (the warnings before a deadline, with who is told). The
month-by-month chart is the roll-up again, as of the end of each month: the same definitions and
the same time travel as ``rectflow stats --as-of``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

from rectflow._core.asof import case_as_of
from rectflow._core.model import Case, Measure, Problem, Responsibility
from rectflow._rounds.model import Round
from rectflow._rounds.rollup import GROUPINGS, Grouping, Rollup, Tally, rollup
from rectflow._rules.agenda import Agenda, EscalationNotice, agenda
from rectflow._rules.ladder import DEFAULT_LADDER, Ladder
from rectflow._rules.policy import Policy

__all__ = ["MAX_MONTHS", "Figures", "OverdueRow", "gather", "month_ends"]

MAX_MONTHS = 18
"""The month-by-month chart shows at most this many month ends (the latest ones)."""


@attrs.frozen
class OverdueRow:
    """One overdue item with what the table prints of it (its text as it stood on the day).

    Attributes:
        inspected_body: its case's inspected body.
        item: its id.
        text: the measure's text, or the problem's title.
        responsibility: who answers for it (its own, else its problem's).
        due_on: its approved deadline on the day.
        original_due_on: the deadline before extensions (``None`` when never extended).
        days_late: days past the deadline.
        extensions: approved extensions by the day.
        level: the ladder's level it stands on (``None``: on none).
    """

    inspected_body: str
    item: str
    text: str
    responsibility: Responsibility | None
    due_on: dt.date
    original_due_on: dt.date | None
    days_late: int
    extensions: int
    level: str | None


@attrs.frozen
class Figures:
    """Everything the page draws.

    Attributes:
        title_kind: ``round`` or ``case``.
        name: the round's name, or the case's inspected body.
        inspecting_body: the round's inspecting body (``None`` for a case).
        as_of: the day.
        policy: the policy's name (its ladder gives the levels).
        ladder: the escalation ladder.
        totals: the roll-up, grouped ``by`` (its ``problems``, ``items`` and ``overdue``, and its
            ``groups`` for the completion chart).
        by: the grouping of the completion chart.
        months: the roll-up as of each month end, oldest first, the last as of the day.
        overdue: the overdue items, by case, then in ledger order.
        warned: the agenda's notices on an item not yet late (days ≤ 0), most urgent first.
    """

    title_kind: str
    name: str
    inspecting_body: str | None
    as_of: dt.date
    policy: str
    ladder: Ladder
    totals: Rollup
    by: Grouping
    months: tuple[tuple[dt.date, Tally], ...]
    overdue: tuple[OverdueRow, ...]
    warned: tuple[EscalationNotice, ...]


def month_ends(first: dt.date, last: dt.date, *, limit: int = MAX_MONTHS) -> list[dt.date]:
    """The last day of each month from ``first``'s month up to ``last`` (excluded when it is
    not before ``last``), then ``last`` itself; only the latest ``limit`` of them."""
    days: list[dt.date] = []
    year, month = first.year, first.month
    while True:
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        end = following - dt.timedelta(days=1)
        if end >= last:
            break
        days.append(end)
        year, month = following.year, following.month
    days.append(last)
    return days[-limit:]


def _start(cases: Sequence[Case], as_of: dt.date) -> dt.date:
    """Where the month-by-month chart starts: the earliest feedback, else the earliest event."""
    starts = [c.feedback_on.earliest for c in cases if c.feedback_on is not None]
    starts.extend(min(e.on for e in c.events) for c in cases if c.events)
    return min((day for day in starts if day <= as_of), default=as_of)


def _who(item: Problem | Measure, problem: Problem) -> Responsibility | None:
    own = item.responsibility
    if own is not None and not own.is_empty():
        return own
    return problem.responsibility


def _overdue_rows(cases: Sequence[Case], totals: Rollup) -> tuple[OverdueRow, ...]:
    if not totals.overdue:
        return ()
    by_id = {case.id: case for case in cases}
    views: dict[str, Case] = {}
    rows = []
    for record in totals.overdue:
        view = views.get(record.case_id)
        if view is None:
            view = views[record.case_id] = case_as_of(by_id[record.case_id], totals.as_of)
        item = view.item(record.item.id)
        problem = item if isinstance(item, Problem) else view.problem_of(item.id)
        found = totals.ladder.level_at(record.item.days_late)
        rows.append(
            OverdueRow(
                inspected_body=record.inspected_body or record.case_id,
                item=record.item.id,
                text=item.text if isinstance(item, Measure) else item.title,
                responsibility=_who(item, problem),
                due_on=record.item.due_on,
                original_due_on=None
                if record.item.extensions == 0
                else record.item.original_due_on,
                days_late=record.item.days_late,
                extensions=record.item.extensions,
                level=None if found is None else found.name,
            )
        )
    return tuple(rows)


def gather(
    subject: Case | Round,
    *,
    as_of: dt.date,
    policy: Policy | None = None,
    by: Grouping | None = None,
) -> Figures:
    """The figures of a case's or a round's dashboard as of a day.

    Args:
        subject: a case, or a round with its cases loaded.
        as_of: the day; every case is judged as it stood then.
        policy: the policy whose escalation ladder gives the warning levels (the default ladder
            without one).
        by: the completion chart's grouping: ``body`` for a round and ``department`` for a case
            when ``None``.

    Raises:
        TypeError: ``as_of`` is not a date, or the subject is neither a case nor a round.
        ValueError: ``by`` is not a grouping.
    """
    if type(as_of) is not dt.date:
        raise TypeError(f"as_of must be a datetime.date, not {type(as_of).__name__}: {as_of!r}")
    if isinstance(subject, Round):
        cases = list(subject.cases)
        kind, name, inspecting = "round", subject.name, subject.inspecting_body
    elif isinstance(subject, Case):
        cases = [subject]
        kind, name, inspecting = "case", subject.inspected_body or subject.id, None
    else:
        raise TypeError(f"a dashboard is of a Case or a Round, not {type(subject).__name__}")
    if by is None:
        by = "body" if kind == "round" else "department"
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {', '.join(GROUPINGS)}, not {by!r}")
    policy = policy if policy is not None else Policy(name="default")
    ladder = policy.escalation if policy.escalation is not None else DEFAULT_LADDER
    # A grouped roll-up carries the totals too: one pass gives both.
    totals = rollup(cases, as_of=as_of, by=by, ladder=ladder)
    months = tuple(
        (day, totals.items if day == as_of else rollup(cases, as_of=day, ladder=ladder).items)
        for day in month_ends(_start(cases, as_of), as_of)
    )
    warnings: Agenda = agenda(cases, as_of=as_of, policy=policy)
    return Figures(
        title_kind=kind,
        name=name,
        inspecting_body=inspecting,
        as_of=as_of,
        policy=policy.name,
        ladder=ladder,
        totals=totals,
        by=by,
        months=months,
        overdue=_overdue_rows(cases, totals),
        warned=tuple(n for n in warnings.notices if n.days <= 0),
    )
