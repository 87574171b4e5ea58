"""The item projections a store writes beside the log: the items as they stand now, and their
spans through time.

A span says how an item stood, as :func:`rectflow.case_as_of` judges it, from ``valid_from``
(inclusive) until ``valid_to`` (exclusive). The case as of a day changes only on the days
something happens to it: an event's date, or a measure's ``added_on`` (a measure joins the
ledger then).

:func:`span_rows` reads the spans off the log in one pass. History runs forward for every state
and field (``rectflow._core.history``, rule 2), so the events dated up to a day are, for each
state and field, a prefix of those that changed it: applying the log in date order (the log's
order among events of one day) and noting, at the end of each day, how the items that day's
events touched now stand gives what ``case_as_of`` gives on every day, at the cost of one walk
over the log and the ledger (not one replay of the whole case per day).

An item's stand depends only on the events of its **group**: a problem and its measures (a
problem's state is derived from its measures, an event on a problem reaches its measures). A
store that appends events rewrites the spans of the groups those events concern, and no others
(:func:`group_of`, ``groups=``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from rectflow._core.edits import ADD_PROBLEM, ASSIGN, EDIT_TRIGGERS, EXTEND, SET_DUE
from rectflow._core.edits import _after as edit_after
from rectflow._core.edits import _before as edit_before
from rectflow._core.events import EventData, EventRow
from rectflow._core.history import ADD_MEASURE, CASE_TARGET
from rectflow._core.kinds import ItemState
from rectflow._core.lifecycle import ITEM_LIFECYCLE
from rectflow._core.model import (
    Case,
    Measure,
    Problem,
    Responsibility,
    derive_problem_state,
)
from rectflow._store.tables import BEGINNING, STILL

__all__ = ["group_ids", "group_of", "item_rows", "span_rows"]

# How an item stands on one day: own_deadline, state, state_known, due_on, department, leader,
# person.
_Stand = tuple[bool, str, bool, dt.date | None, str | None, str | None, str | None]

# The edits that change what a span records: the due date and the responsibility.
_DUE = frozenset({SET_DUE, EXTEND})


def item_rows(case: Case, groups: Collection[str] | None = None) -> list[dict[str, Any]]:
    """One row of ``rectflow_items`` per problem and measure of ``case``, as it stands now
    (only those of the problems ``groups`` names, when given)."""
    rows: list[dict[str, Any]] = []
    for category in case.categories:
        for problem in category.problems:
            if groups is not None and problem.id not in groups:
                continue
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


def group_of(case: Case, target: str) -> str | None:
    """The group (its problem's id) an event on ``target`` concerns; ``None`` for the case."""
    if target == CASE_TARGET:
        return None
    item = case.item(target)
    if isinstance(item, Problem):
        return item.id
    return case.problem_of(target).id


def group_ids(case: Case, groups: Collection[str]) -> list[str]:
    """The ids of the items in the groups named: each problem and its measures."""
    ids: list[str] = []
    for problem in case.problems():
        if problem.id in groups:
            ids.append(problem.id)
            ids.extend(m.id for m in problem.measures)
    return ids


class _Item:
    """One item's facts while the log is walked."""

    __slots__ = (
        "added_on",
        "counted",
        "due_on",
        "evented",
        "group",
        "id",
        "in_ledger",
        "known",
        "measure",
        "state",
        "who",
    )

    def __init__(self, item: Problem | Measure, group: str) -> None:
        self.id = item.id
        self.group = group  # its problem's id (a problem's own)
        self.measure = isinstance(item, Measure)
        self.state: ItemState = item.initial_state
        # Replay never sets state_known back, so as of any day it is what it is now.
        self.known = item.own_state_known if isinstance(item, Problem) else item.state_known
        self.due_on: dt.date | None = item.due_on
        self.who: Responsibility | None = item.responsibility
        self.added_on = item.added_on if isinstance(item, Measure) else None
        self.in_ledger = True  # False while the event that adds it is still to come
        self.evented = False  # an event on it happened: a later added_on no longer keeps it out
        self.counted: ItemState | None = None  # the state its problem counts it in, if any

    def present(self, day: dt.date) -> bool:
        """In the ledger as of ``day``: added, and not joining later (``added_on``)."""
        return self.in_ledger and (self.added_on is None or self.added_on <= day or self.evented)


class _Group:
    """A problem's measures: those in its list, and those counted in its derived state."""

    __slots__ = ("listed", "measures", "present", "reopened_known", "states", "unknown")

    def __init__(self) -> None:
        self.measures: list[_Item] = []
        self.listed = 0  # in the ledger: an event on the problem reaches them
        self.present = 0  # counted: in the ledger, and not joining later
        self.states: Counter[ItemState] = Counter()
        self.unknown = 0
        self.reopened_known = 0

    def recount(self, measure: _Item, day: dt.date) -> None:
        """Count ``measure`` as it stands on ``day`` (and no longer as it stood before)."""
        now = measure.state if measure.present(day) else None
        if now is measure.counted:
            return
        if measure.counted is not None:
            self._count(measure, measure.counted, -1)
        if now is not None:
            self._count(measure, now, 1)
        measure.counted = now

    def _count(self, measure: _Item, state: ItemState, sign: int) -> None:
        self.present += sign
        self.states[state] += sign
        if not measure.known:
            self.unknown += sign
        elif state is ItemState.REOPENED:
            self.reopened_known += sign


def span_rows(case: Case, groups: Collection[str] | None = None) -> list[dict[str, Any]]:
    """The rows of ``rectflow_item_spans`` for ``case``: each item's spans through time (only
    those of the problems ``groups`` names, and their measures, when given).

    One walk over the log in date order: linear in the events and the items.
    """
    items: dict[str, _Item] = {}
    kinds: dict[str, str] = {}
    problems: dict[str, _Group] = {}
    for problem in case.problems():
        if groups is not None and problem.id not in groups:
            continue
        items[problem.id] = _Item(problem, problem.id)
        kinds[problem.id] = "problem"
        group = problems[problem.id] = _Group()
        for measure in problem.measures:
            fact = items[measure.id] = _Item(measure, problem.id)
            kinds[measure.id] = "measure"
            group.measures.append(fact)
    rows = [row for row in case.events._raw() if row[2] in items]
    _first_edits(rows, items)
    # What an addition event withholds from the ledger until it comes, as replay does.
    added_measures = {row[2] for row in rows if row[1] == ADD_MEASURE}
    for row in rows:
        if row[1] == ADD_PROBLEM:
            items[row[2]].in_ledger = False
            for fact in problems[row[2]].measures:
                fact.in_ledger = False
    for measure_id in added_measures:
        items[measure_id].in_ledger = False
    joins: dict[dt.date, list[str]] = {}
    for item_id, fact in items.items():
        if fact.added_on is not None:
            joins.setdefault(fact.added_on, []).append(item_id)
    by_day: dict[dt.date, list[EventRow]] = {}
    for row in sorted(rows, key=_on):  # stable: the log's order among one day's events
        by_day.setdefault(row[3], []).append(row)
    days = sorted(by_day.keys() | joins.keys())
    # The first span: as things stood the day before the first change (when nothing ever
    # changes, as they stand now).
    first = days[0] - dt.timedelta(days=1) if days and days[0] > BEGINNING else STILL
    spans = _Spans(case.id)
    for group in problems.values():
        for fact in group.measures:
            group.listed += fact.in_ledger
            group.recount(fact, first)
    for item_id, fact in items.items():
        spans.update(item_id, kinds[item_id], BEGINNING, _stand(fact, problems, first))
    table = ITEM_LIFECYCLE.table
    for day in days:
        touched: set[str] = set()
        for row in by_day.get(day, ()):
            _apply(row, items, problems, added_measures, table, touched)
        for item_id in joins.get(day, ()):
            touched.add(item_id)
            touched.add(items[item_id].group)
        for item_id in touched:
            fact = items[item_id]
            if fact.measure:
                problems[fact.group].recount(fact, day)
        for item_id in touched:
            spans.update(item_id, kinds[item_id], day, _stand(items[item_id], problems, day))
    return spans.finish()


def _on(row: EventRow) -> dt.date:
    return row[3]


def _first_edits(rows: Iterable[EventRow], items: dict[str, _Item]) -> None:
    """Start each edited due date and responsibility where its first edit found it."""
    seen: set[tuple[str, bool]] = set()
    for row in rows:
        trigger = row[1]
        due = trigger in _DUE
        if not due and trigger != ASSIGN:
            continue
        key = (row[2], due)
        if key in seen:
            continue
        seen.add(key)
        before = edit_before(trigger, EventData._of_pairs(row[7]))
        if due:
            items[row[2]].due_on = before
        else:
            items[row[2]].who = before


def _apply(
    row: EventRow,
    items: dict[str, _Item],
    problems: dict[str, _Group],
    added_measures: Collection[str],
    table: Mapping[tuple[ItemState, str], ItemState],
    touched: set[str],
) -> None:
    """Apply one event to the facts, as replay does, noting the items it may have moved."""
    trigger, target = row[1], row[2]
    fact = items[target]
    fact.evented = True
    touched.add(target)
    touched.add(fact.group)
    if trigger in _DUE:
        fact.due_on = edit_after(trigger, EventData._of_pairs(row[7]))
    elif trigger == ASSIGN:
        fact.who = edit_after(trigger, EventData._of_pairs(row[7]))
    elif trigger == ADD_MEASURE:
        fact.in_ledger = True
        problems[fact.group].listed += 1
    elif trigger == ADD_PROBLEM:
        fact.in_ledger = True
        group = problems[target]
        for measure in group.measures:
            if measure.id not in added_measures:
                measure.in_ledger = True
                group.listed += 1
        touched.update(m.id for m in group.measures)
    elif trigger in EDIT_TRIGGERS:
        pass  # a text, evidence, accountability: nothing a span records
    elif fact.measure:
        fact.state = table[(fact.state, trigger)]
    else:
        group = problems[target]
        if not group.listed:
            fact.state = table[(fact.state, trigger)]
            return
        # An event on a problem with measures (reopening) reaches each measure it can.
        for measure in group.measures:
            if measure.in_ledger and (measure.state, trigger) in table:
                measure.state = table[(measure.state, trigger)]
        touched.update(m.id for m in group.measures)


def _stand(fact: _Item, problems: dict[str, _Group], day: dt.date) -> _Stand | None:
    """How the item stands on ``day`` (its facts are those of that day); ``None``: not in the
    ledger then."""
    if fact.measure:
        if fact.counted is None:
            return None
        own, state, known = True, fact.state, fact.known
    else:
        if not fact.in_ledger:
            return None
        group = problems[fact.id]
        own = group.present == 0
        if own:
            state, known = fact.state, fact.known
        else:
            state = derive_problem_state([s for s, n in group.states.items() if n])
            known = group.reopened_known > 0 or group.unknown == 0
    who = fact.who
    if who is None:
        return (own, state.value, known, fact.due_on, None, None, None)
    return (own, state.value, known, fact.due_on, who.department, who.leader, who.person)


class _Spans:
    """The spans read so far: each item's open one, and the rows of those closed."""

    def __init__(self, case_id: str) -> None:
        self.case_id = case_id
        self.opened: dict[str, tuple[dt.date, str, _Stand]] = {}
        self.rows: list[dict[str, Any]] = []

    def update(self, item_id: str, kind: str, day: dt.date, stand: _Stand | None) -> None:
        """The item stands so from ``day`` on (``None``: out of the ledger)."""
        current = self.opened.get(item_id)
        if current is not None:
            if current[2] == stand:
                return
            if current[0] == day:  # opened this very day (the first day is the first change)
                del self.opened[item_id]
            else:
                self._close(item_id, day)
        if stand is not None:
            self.opened[item_id] = (day, kind, stand)

    def _close(self, item_id: str, until: dt.date) -> None:
        since, kind, stand = self.opened.pop(item_id)
        self.rows.append(_span_row(self.case_id, item_id, kind, since, until, stand))

    def finish(self) -> list[dict[str, Any]]:
        """Every span, those still open closed at :data:`STILL`."""
        for item_id in list(self.opened):
            self._close(item_id, STILL)
        return self.rows


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
