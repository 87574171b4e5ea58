"""The item projections a store writes beside the log: the items as they stand now, and their
spans through time.

A span says how an item stood, as :func:`rectflow.case_as_of` judges it, from ``valid_from``
(inclusive) until ``valid_to`` (exclusive). The case as of a day changes only on the days
something happens to it: an event's date, or a measure's ``added_on`` (a measure joins the
ledger then). Between two such days every item stands still, so the spans are read off the case
as of each of those days, and a span holding day D gives the item as it stood on D.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from rectflow._core.asof import as_of_view
from rectflow._core.model import Case, Measure, Problem
from rectflow._store.tables import BEGINNING, STILL

__all__ = ["item_rows", "span_rows"]

# How an item stands on one day: own_deadline, state, state_known, due_on, department, leader,
# person; None when it is not in the ledger that day.
_Stand = tuple[bool, str, bool, dt.date | None, str | None, str | None, str | None]


def item_rows(case: Case) -> list[dict[str, Any]]:
    """One row of ``rectflow_items`` per problem and measure of ``case``, as it stands now."""
    rows: list[dict[str, Any]] = []
    for category in case.categories:
        for problem in category.problems:
            rows.append(_item_row(case.id, category.id, problem, None))
            rows.extend(
                _item_row(case.id, category.id, measure, problem) for measure in problem.measures
            )
    return rows


def _item_row(
    case_id: str, category_id: str, item: Problem | Measure, problem: Problem | None
) -> dict[str, Any]:
    who = item.responsibility
    is_problem = isinstance(item, Problem)
    return {
        "case_id": case_id,
        "item_id": item.id,
        "kind": "problem" if is_problem else "measure",
        "problem_id": problem.id if problem is not None else None,
        "category_id": category_id,
        "problem_kind": item.kind.value if isinstance(item, Problem) else None,
        "classification": item.classification.value if isinstance(item, Problem) else None,
        "state": item.state.value,
        "state_known": item.state_known,
        "due_on": item.due_on,
        "department": who.department if who is not None else None,
        "leader": who.leader if who is not None else None,
        "person": who.person if who is not None else None,
        "tags": list(item.tags),
        "text": item.title if isinstance(item, Problem) else item.text,
    }


def span_rows(case: Case) -> list[dict[str, Any]]:
    """The rows of ``rectflow_item_spans`` for ``case``: each item's spans through time."""
    days = _change_days(case)
    # Each span starts on a day something happens (or at the beginning), and the case as of
    # its first day says how every item stands through it.
    starts: list[tuple[dt.date, dt.date]] = []
    if not days:
        starts.append((BEGINNING, STILL))
    elif days[0] > BEGINNING:
        starts.append((BEGINNING, days[0] - dt.timedelta(days=1)))
    starts.extend((day, day) for day in days)
    rows: list[dict[str, Any]] = []
    open_spans: dict[str, tuple[dt.date, str, _Stand]] = {}

    def close(item_id: str, until: dt.date) -> None:
        since, kind, stand = open_spans.pop(item_id)
        rows.append(_span_row(case.id, item_id, kind, since, until, stand))

    for start, judge in starts:
        view = dict(_stands(as_of_view(case, judge)[0]))
        for item_id in [i for i in open_spans if i not in view]:
            close(item_id, start)
        for item_id, (kind, stand) in view.items():
            current = open_spans.get(item_id)
            if current is not None:
                if current[2] == stand:
                    continue
                close(item_id, start)
            open_spans[item_id] = (start, kind, stand)
    for item_id in list(open_spans):
        close(item_id, STILL)
    return rows


def _change_days(case: Case) -> list[dt.date]:
    """The days on which the case as of a day may change: events' dates and measures' additions."""
    days = {row[3] for row in case.events._raw()}
    days.update(m.added_on for m in case.measures() if m.added_on is not None)
    return sorted(days)


def _stands(view: Case) -> Iterator[tuple[str, tuple[str, _Stand]]]:
    for problem in view.problems():
        alone = not problem.measures
        state = problem.own_state if alone else problem.state
        known = problem.own_state_known if alone else problem.state_known
        yield problem.id, ("problem", _stand(problem, alone, state.value, known))
        for measure in problem.measures:
            yield (
                measure.id,
                ("measure", _stand(measure, True, measure.state.value, measure.state_known)),
            )


def _stand(item: Problem | Measure, own: bool, state: str, known: bool) -> _Stand:
    who = item.responsibility
    if who is None:
        return (own, state, known, item.due_on, None, None, None)
    return (own, state, known, item.due_on, who.department, who.leader, who.person)


def _span_row(
    case_id: str, item_id: str, kind: str, since: dt.date, until: dt.date, stand: _Stand
) -> dict[str, Any]:
    own, state, known, due_on, department, leader, person = stand
    return {
        "case_id": case_id,
        "item_id": item_id,
        "kind": kind,
        "valid_from": since,
        "valid_to": until,
        "own_deadline": own,
        "state": state,
        "state_known": known,
        "due_on": due_on,
        "department": department,
        "leader": leader,
        "person": person,
    }
