"""The item spans read the slow, obvious way, as the oracle for the store's one-pass reading.

The case as of a day changes only on the days something happens to it (an event's date, a
measure's ``added_on``); between two such days every item stands still. So this reads the spans
off ``as_of_view`` (what ``rectflow.case_as_of`` gives) on each of those days: a full copy and
replay of the case per day, too slow for a store (its cost grows with days x events) but plainly
right. ``rectflow._store.projection.span_rows`` must give the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from rectflow._core.asof import as_of_view
from rectflow._core.model import Case, Measure, Problem
from rectflow._store.tables import BEGINNING, STILL

_Stand = tuple[bool, str, bool, dt.date | None, str | None, str | None, str | None]


def reference_span_rows(case: Case) -> list[dict[str, Any]]:
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
