"""History runs forward in time: the date rules every event of a log obeys.

Three rules, checked by :func:`rectflow.fire` and :func:`rectflow.add_measure` before an event is
appended, and by loading a case file for every event of its log (docs/lifecycle.md):

1. **Not before the feedback.** An event is never dated before the case's feedback. A fuzzy
   feedback date refuses only what is certainly earlier: a day before its earliest reading.
2. **Not before an earlier event of its target.** An event on an item is dated no earlier than
   the earlier events that changed the same state: the item's own events, and the events that
   reach it through its problem. An event on a problem concerns the problem and each of its
   measures (reopening a problem reopens them); an event on a measure concerns the measure; a
   measure's addition (``add_measure``) concerns the measure and its problem; a problem's
   addition (``add_problem``) concerns the problem, its measures and its category. Case events
   concern the case. An edit (``rectflow._core.edits``) concerns the one field it changes
   (an item's due date, its responsibility …; the case's accountability or evaluations) and
   is dated no earlier than the addition of its item, when that was an event.
3. **The log is written forward.** Each event's *recorded day* (its ``recorded_on``, else its
   ``on``) is no earlier than the recorded day of the event before it, and ``recorded_on`` is
   never before ``on``. So an event dated before one already in the log is a late recording
   and says so: ``recorded_on`` keeps the day it was entered, ``on`` the day it happened.

Rule 2 makes "the case as of a day" well defined: the events dated up to that day are, for every
state, a prefix of the events that changed it (``rectflow.case_as_of``).

Checking a new event is cheap: only the events recorded after its date can conflict with it, and
the log is ordered by recorded day, so the check walks back from the end only that far (nothing
at all for an event dated on or after the last recorded day).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from rectflow._core.edits import ACCOUNTABILITY, ADD_PROBLEM, EDIT_FIELDS
from rectflow._core.model import Case, EventRow, Problem
from rectflow.errors import EventOrderError

__all__ = [
    "ADD_MEASURE",
    "CASE_TARGET",
    "check_log",
    "check_new_event",
    "footprint",
    "requires",
]

CASE_TARGET = "case"
"""The target of a case event."""

ADD_MEASURE = "add_measure"
"""The event recorded when a measure joins the ledger after the event log began."""


def _parents(case: Case) -> dict[str, str]:
    """Measure id -> the id of its problem, for every measure in the ledger."""
    return {m.id: p.id for p in case.problems() for m in p.measures}


def footprint(
    case: Case,
    target: str,
    trigger: str,
    parents: Mapping[str, str],
    data: tuple[tuple[str, object], ...] = (),
) -> tuple[str, ...]:
    """The ids of the states an event concerns (rule 2 in the module docstring).

    Args:
        case: the case (its ledger decides which measures a problem has).
        target: the event's target: an item id or ``"case"``.
        trigger: the event's trigger.
        parents: measure id -> problem id (read for ``add_measure`` events only).
        data: the event's data pairs (an ``add_problem`` names its category there, so the
            ledger need not be searched for it).
    """
    field = EDIT_FIELDS.get(trigger)
    if field is not None:
        owner = CASE_TARGET if trigger == ACCOUNTABILITY else target
        return (f"{owner}:{field}",)
    if target == CASE_TARGET:
        return (CASE_TARGET,)
    if trigger == ADD_MEASURE:
        return (target, parents.get(target, target), f"+{target}")
    if trigger == ADD_PROBLEM:
        category = next((v for k, v in data if k == "category"), None)
        if not isinstance(category, str):
            category = case.category_of(target).id
        return added_problem_keys(category, case.item(target))
    item = case.item(target)
    if isinstance(item, Problem) and item.measures:
        return (target, *(m.id for m in item.measures))
    return (target,)


def added_problem_keys(category: str, problem: Problem | object) -> tuple[str, ...]:
    """The footprint of a problem's addition: the problem, its measures, their additions, and
    the category it joins."""
    measures = [m.id for m in problem.measures] if isinstance(problem, Problem) else []
    pid = problem.id if isinstance(problem, Problem) else ""
    return (pid, *measures, f"+{pid}", *(f"+{m}" for m in measures), f"category:{category}")


def requires(target: str, trigger: str) -> tuple[str, ...]:
    """The keys an event must not predate beyond its footprint: an edit of an item is dated no
    earlier than the item's addition (``+id``), when an event added it."""
    if trigger in EDIT_FIELDS and target != CASE_TARGET:
        return (f"+{target}",)
    return ()


def _what(target: str) -> str:
    return "the case" if target == CASE_TARGET else target


def _event_text(row: EventRow) -> str:
    seq, trigger, target, on, *_ = row
    return f"event #{seq} {trigger!r} on {_what(target)} ({on})"


def _recorded(row: EventRow) -> dt.date:
    recorded = row[6]
    return row[3] if recorded is None else recorded


def _relation(target: str, other: str, keys: tuple[str, ...]) -> str:
    if other == target:
        return "the same case" if target == CASE_TARGET else "the same item"
    if other in keys:
        return f"{other}, which it concerns"
    return f"{other}, whose event concerns {target}"


def _check_dates(
    case: Case, target: str, trigger: str, on: dt.date, recorded_on: dt.date | None, seq: int | None
) -> None:
    """Rules 1 and the ``recorded_on`` half of rule 3, which need no other event."""
    if recorded_on is not None and recorded_on < on:
        raise EventOrderError(
            target,
            trigger,
            on,
            on,
            "recorded",
            f"its recorded_on {recorded_on} is before the day it happened",
            "recorded_on is the day the event was entered in the log, on or after its date; "
            "leave it out for an event recorded as it happened",
            seq,
        )
    feedback = case.feedback_on
    if feedback is not None and on < feedback.earliest:
        reading = (
            "" if feedback.earliest == feedback.latest else f", at the earliest {feedback.earliest}"
        )
        raise EventOrderError(
            target,
            trigger,
            on,
            feedback.earliest,
            "feedback",
            f"it is before the case's feedback ({feedback}{reading})",
            "history starts at the feedback: correct the event's date, or the case's feedback_on",
            seq,
        )


def _target_refusal(
    target: str,
    trigger: str,
    on: dt.date,
    earlier: EventRow,
    keys: tuple[str, ...],
    seq: int | None,
) -> EventOrderError:
    return EventOrderError(
        target,
        trigger,
        on,
        earlier[3],
        "target",
        f"it is before {_event_text(earlier)}, an earlier event of "
        f"{_relation(target, earlier[2], keys)}",
        f"date it {earlier[3]} or later: the log is append-only, so what happened to "
        f"{_what(target)} before event #{earlier[0]} can no longer be added after it",
        seq,
    )


def _log_refusal(
    target: str,
    trigger: str,
    on: dt.date,
    recorded_on: dt.date | None,
    last: EventRow,
    seq: int | None,
) -> EventOrderError:
    bound = _recorded(last)
    late = "" if last[6] is None else f", recorded {bound}"
    if recorded_on is None:
        reason = f"it is before {_event_text(last)}{late}, which is already in the log"
        fix = (
            f"if it happened on {on} and is being recorded late, say so: give recorded_on "
            f"(the day it is entered, {bound} or later; `--recorded-on` on the command line)"
        )
    else:
        reason = f"its recorded_on {recorded_on} is before {_event_text(last)}{late}"
        fix = f"the log is written forward: recorded_on is the day it is entered, {bound} or later"
    return EventOrderError(target, trigger, on, bound, "log", reason, fix, seq)


def check_new_event(
    case: Case,
    target: str,
    trigger: str,
    on: dt.date,
    recorded_on: dt.date | None,
    keys: tuple[str, ...],
) -> None:
    """Refuse an event about to be appended to ``case.events`` that would break the rules.

    Args:
        case: the case, before the event.
        target: the event's target.
        trigger: its trigger.
        on: the day it happened.
        recorded_on: the day it is recorded, when given.
        keys: its :func:`footprint`.

    Raises:
        EventOrderError: which rule it breaks, the dates, and how to fix it; nothing changed.
    """
    _check_dates(case, target, trigger, on, recorded_on, None)
    rows = case.events._raw()
    if not rows:
        return
    # Rows recorded on or before ``on`` are dated on or before it, and the log is ordered by
    # recorded day: only the tail recorded after ``on`` can hold a later event of the target.
    wanted = {*keys, *requires(target, trigger)}
    parents: dict[str, str] | None = None
    for row in reversed(rows):
        if _recorded(row) <= on:
            break
        if row[3] <= on:
            continue
        if row[1] == ADD_MEASURE and parents is None:
            parents = _parents(case)
        touched: Iterable[str] = footprint(case, row[2], row[1], parents or {}, row[7])
        if not wanted.isdisjoint(touched):
            raise _target_refusal(target, trigger, on, row, keys, None)
    last = rows[-1]
    recorded = on if recorded_on is None else recorded_on
    if recorded < _recorded(last):
        raise _log_refusal(target, trigger, on, recorded_on, last, None)


def check_log(case: Case) -> None:
    """Check every event of ``case.events`` against the rules, first to last.

    One pass, linear in the log (a problem's reopening costs one step per measure).

    Raises:
        EventOrderError: for the first event that breaks a rule, with its ``seq``.
    """
    rows = case.events._raw()
    if not rows:
        return
    parents = _parents(case)
    # State id -> the last event that changed it.
    last_of: dict[str, EventRow] = {}
    previous: EventRow | None = None
    for row in rows:
        seq, trigger, target, on, _, _, recorded_on, _ = row
        _check_dates(case, target, trigger, on, recorded_on, seq)
        keys = footprint(case, target, trigger, parents, row[7])
        for key in (*keys, *requires(target, trigger)):
            earlier = last_of.get(key)
            if earlier is not None and on < earlier[3]:
                raise _target_refusal(target, trigger, on, earlier, keys, seq)
        if previous is not None and _recorded(row) < _recorded(previous):
            raise _log_refusal(target, trigger, on, recorded_on, previous, seq)
        for key in keys:
            last_of[key] = row
        previous = row
