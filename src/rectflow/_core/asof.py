"""The case as it stood on a day: one definition, used by status, overdue and the checks.

:func:`case_as_of` replays the event log up to the day and leaves out what the case records as
having happened later; ``rectflow.status``, ``rectflow.overdue`` and ``rectflow.check`` judge a
case as of a day through it (DESIGN.md, invariant 3). docs/lifecycle.md ("As of a day") lists what
is left out.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping, Sequence

import attrs

from rectflow._core.dates import FuzzyDate
from rectflow._core.fields import force
from rectflow._core.lifecycle import replay_in_place
from rectflow._core.model import Case, EventLog
from rectflow.errors import InvalidDateError

__all__ = ["MovedIndexes", "as_of_view", "case_as_of"]

MovedIndexes = Mapping[str, Sequence[int]]
"""For each list a view shortened (``disclosures``, ``reviews``, ``milestones``): the original
index of each entry the view kept, so a path into the view can be turned into one into the case."""


def _after(date: FuzzyDate | None, day: dt.date) -> bool:
    """True when ``date`` is certainly after ``day`` (even its earliest reading is)."""
    return date is not None and date.earliest > day


def _late_measures(case: Case, day: dt.date) -> set[str]:
    """Measures that joined the ledger after ``day``: ``added_on`` later and no event by then."""
    later = {m.id for m in case.measures() if m.added_on is not None and m.added_on > day}
    if not later:
        return later
    return later - {row[2] for row in case.events._raw() if row[3] <= day}


def _facts_after(case: Case, day: dt.date) -> bool:
    plan = case.plan
    centralised = case.centralised
    return (
        any(_after(d.published_on, day) for d in case.disclosures)
        or any(r.on > day for r in case.reviews)
        or any(_after(m.on, day) for m in case.milestones)
        or _after(case.report_on, day)
        or (plan is not None and _after(plan.adopted_on, day))
        or (
            centralised is not None
            and (_after(centralised.start, day) or _after(centralised.end, day))
        )
    )


def _drop_facts(view: Case, day: dt.date) -> dict[str, list[int]]:
    moved: dict[str, list[int]] = {}

    def kept(name: str, keep: list[bool]) -> list[int]:
        indexes = [i for i, k in enumerate(keep) if k]
        if len(indexes) < len(keep):
            moved[name] = indexes
        return indexes

    keep = kept("disclosures", [not _after(d.published_on, day) for d in view.disclosures])
    view.disclosures = [view.disclosures[i] for i in keep]
    keep = kept("reviews", [r.on <= day for r in view.reviews])
    view.reviews = [view.reviews[i] for i in keep]
    keep = kept("milestones", [not _after(m.on, day) for m in view.milestones])
    view.milestones = [view.milestones[i] for i in keep]
    if _after(view.report_on, day):
        view.report_on = None
    if view.plan is not None and _after(view.plan.adopted_on, day):
        view.plan = attrs.evolve(view.plan, adopted_on=None)
    period = view.centralised
    if period is not None:
        if _after(period.start, day):
            view.centralised = None
        elif _after(period.end, day):
            view.centralised = attrs.evolve(period, end=None)
    return moved


def as_of_view(case: Case, day: dt.date, *, whole: bool = False) -> tuple[Case, MovedIndexes]:
    """The case as it stood on ``day``, for reading: ``case`` itself when nothing differs.

    What :func:`case_as_of` returns, except that a case with nothing after ``day`` is returned
    as it is (no copy, no replay: the checks' hot path), and one with only dated facts after it
    is a shallow copy sharing the ledger (``whole=True`` copies it all). Also returned: the
    indexes of the entries kept in the lists it shortened.
    """
    if type(day) is not dt.date:
        raise InvalidDateError(day, "an as-of day must be a datetime.date (a day, no time)")
    rows = case.events._raw()
    events_after = any(row[3] > day for row in rows)
    late = _late_measures(case, day)
    ledger_changes = events_after or bool(late)
    if not ledger_changes and not _facts_after(case, day):
        return case, {}
    # Only attributes of the view are replaced below, so a shallow copy suffices unless the
    # ledger's states or measures change (a deep copy per checked case would cost more than
    # the checks themselves).
    view = copy.deepcopy(case) if ledger_changes or whole else copy.copy(case)
    if events_after:
        # The whole log, applied up to the day: a measure whose addition comes later stays out.
        replay_in_place(view, until=day)
        force(view, "events", EventLog(e for e in case.events if e.on <= day))
    if late:
        for problem in view.problems():
            if any(m.id in late for m in problem.measures):
                force(problem, "measures", [m for m in problem.measures if m.id not in late])
    view.reindex()
    return view, _drop_facts(view, day)


def case_as_of(case: Case, day: dt.date) -> Case:
    """A copy of ``case`` as it stood on ``day``; ``case`` is not changed.

    * **States** are replayed from the initial states through the events dated on or before
      ``day``; later events are left out of the copy's log (the events kept keep their ``seq``).
      An event is counted from the day it happened (``on``), also when it was recorded later.
    * **Measures** that joined the ledger later are left out: those added by an
      ``add_measure`` event dated after ``day``, and those whose ``added_on`` is after ``day``
      and that have no event by then.
    * **Dated facts** that lie after ``day`` are left out: disclosures published after it,
      reviews and milestones after it, the report and the plan's adoption after it (their dates
      become absent), and the centralised period that starts after it (or its end, when only
      the end is later). A fuzzy date counts as after ``day`` only when even its earliest
      reading is: what may already have happened is kept, and the checks judge its uncertainty
      as they always do.
    * Everything else (the ledger's texts, due dates, evidence, stated counts, the feedback, a
      clue's transfer date, from which its deadline counts) is kept as it is.

    ``rectflow.status(case, as_of=day)``, ``rectflow.overdue(case, day)`` and
    ``rectflow.check(case, as_of=day, ...)`` judge this copy. Its log may skip sequence numbers
    (a late recording kept among later events), so it is for reading and judging, not for saving.

    Args:
        case: the case (replaying it must give it back: change it only through ``fire``).
        day: the day to stand on.

    Raises:
        InvalidDateError: ``day`` is not a ``datetime.date``.
        TransitionNotAllowed: the log does not replay (a case whose events were not fired).
    """
    view, _ = as_of_view(case, day, whole=True)
    return copy.deepcopy(view) if view is case else view
