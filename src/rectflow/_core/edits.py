"""The edit events: what each records, and how replay applies it.

An edit is an event that changes a field the events own without changing a state: a new
responsibility (``assign``), a due date set (``set_due``) or extended (``extend``), a text edited
(``edit_text``), evidence added (``add_evidence``), a problem added (``add_problem``),
accountability recorded (``accountability``) and an evaluation (``evaluate``). Each keeps, in the
event's data, the value after and (where there was one) the value before, so that:

* replay can start each field from the value before its first edit and apply the edits in turn,
  giving the case back (``replay(case) == case``);
* replay can check that each edit starts where the one before it left the field: a log edited
  by hand so that the values do not chain is refused, naming the event.

The public API that records them is ``rectflow._core.supervision``; this module is what replay
and the case-file loader need.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from rectflow._core.events import DataValue, EventData, EventRow
from rectflow._core.fields import force
from rectflow._core.kinds import AccountabilityForm, EvidenceKind, Grade
from rectflow._core.model import (
    Accountability,
    Case,
    Evaluation,
    Evidence,
    Measure,
    Problem,
    Responsibility,
)
from rectflow.errors import TransitionNotAllowed

__all__ = [
    "ACCOUNTABILITY",
    "ADD_EVIDENCE",
    "ADD_PROBLEM",
    "ASSIGN",
    "DATE_KEYS",
    "EDIT_FIELDS",
    "EDIT_TEXT",
    "EDIT_TRIGGERS",
    "EVALUATE",
    "EXTEND",
    "SET_DUE",
    "accountability_data",
    "accountability_of",
    "data_problem",
    "evaluation_data",
    "evaluation_of",
    "evidence_data",
    "evidence_of",
    "responsibility_data",
]

ASSIGN = "assign"
SET_DUE = "set_due"
EXTEND = "extend"
EDIT_TEXT = "edit_text"
ADD_EVIDENCE = "add_evidence"
ADD_PROBLEM = "add_problem"
ACCOUNTABILITY = "accountability"
EVALUATE = "evaluate"

EDIT_FIELDS: Mapping[str, str] = {
    ASSIGN: "responsibility",
    SET_DUE: "due_on",
    EXTEND: "due_on",
    EDIT_TEXT: "text",
    ADD_EVIDENCE: "evidence",
    ACCOUNTABILITY: "accountability",
    EVALUATE: "evaluations",
}
"""The field each edit changes (``text`` is a problem's ``title``)."""

EDIT_TRIGGERS: frozenset[str] = frozenset({*EDIT_FIELDS, ADD_PROBLEM})
"""Every edit's name, as the log records it (``add_measure`` is the lifecycle's own)."""

DATE_KEYS: frozenset[str] = frozenset({"due_on", "previous_due_on", "dated"})
"""The data keys that hold a day (a JSON copy of a case file writes them as ISO text)."""

ITEM_EDITS: frozenset[str] = frozenset({ASSIGN, SET_DUE, EXTEND, EDIT_TEXT, ADD_EVIDENCE})
"""The edits whose target is an item."""

_WHO = ("leader", "department", "person")


def responsibility_data(
    new: Responsibility | None, old: Responsibility | None
) -> dict[str, DataValue | None]:
    """An ``assign`` event's data: the responsibility after and (``previous_*``) before."""
    data: dict[str, DataValue | None] = {}
    for name in _WHO:
        data[name] = getattr(new, name) if new is not None else None
        data[f"previous_{name}"] = getattr(old, name) if old is not None else None
    return data


def _responsibility(data: EventData, prefix: str = "") -> Responsibility | None:
    values = {name: data.get(prefix + name) for name in _WHO}
    if all(v is None for v in values.values()):
        return None
    return Responsibility(**values)  # type: ignore[arg-type]


def evidence_data(evidence: Evidence) -> dict[str, DataValue | None]:
    """An ``add_evidence`` event's data: the evidence's fields (its own day as ``dated``)."""
    return {
        "title": evidence.title,
        "kind": evidence.kind.value,
        "dated": evidence.on,
        "reference": evidence.reference,
        "added_by": evidence.added_by,
        "public": True if evidence.public else None,
    }


def evidence_of(data: EventData) -> Evidence:
    """The evidence an ``add_evidence`` event's data describes."""
    dated = data.get("dated")
    return Evidence(
        str(data["title"]),
        EvidenceKind(str(data.get("kind", EvidenceKind.DOCUMENT.value))),
        dated if isinstance(dated, dt.date) else None,
        _text(data.get("reference")),
        _text(data.get("added_by")),
        data.get("public") is True,
    )


def accountability_data(record: Accountability) -> dict[str, DataValue | None]:
    """An ``accountability`` event's data (its day, problem and note are the event's own)."""
    return {"form": record.form.value, "people": record.people}


def accountability_of(row: EventRow) -> Accountability:
    """The accountability record an ``accountability`` event describes."""
    data = EventData._of_pairs(row[7])
    people = data.get("people", 1)
    return Accountability(
        AccountabilityForm(str(data["form"])),
        people if type(people) is int else 1,
        on=row[3],
        problem=None if row[2] == "case" else row[2],
        note=row[5],
    )


def evaluation_data(record: Evaluation) -> dict[str, DataValue | None]:
    """An ``evaluate`` event's data (its day and note are the event's own)."""
    return {"grade": record.grade.value, "score": record.score, "by": record.by}


def evaluation_of(row: EventRow) -> Evaluation:
    """The evaluation an ``evaluate`` event describes."""
    data = EventData._of_pairs(row[7])
    score = data.get("score")
    return Evaluation(
        row[3],
        Grade(str(data["grade"])),
        score if type(score) in (int, float) else None,  # type: ignore[arg-type]
        _text(data.get("by")),
        row[5],
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


# -- what each edit's data must hold -------------------------------------------------------------

_DAY, _TEXT, _INT, _NUMBER = "a date", "text", "a whole number", "a number"
_REQUIRED: Mapping[str, Mapping[str, str]] = {
    ASSIGN: {},
    SET_DUE: {"due_on": _DAY},
    EXTEND: {"due_on": _DAY, "previous_due_on": _DAY, "approver": _TEXT, "reason": _TEXT},
    EDIT_TEXT: {"text": _TEXT},
    ADD_EVIDENCE: {"title": _TEXT},
    ADD_PROBLEM: {"category": _TEXT},
    ACCOUNTABILITY: {"form": _TEXT},
    EVALUATE: {"grade": _TEXT},
}
_OPTIONAL: Mapping[str, str] = {
    "previous_due_on": _DAY,
    "dated": _DAY,
    "people": _INT,
    "score": _NUMBER,
    "public": "true or false",
    "new_category": "true or false",
}
_CHOICES: Mapping[str, tuple[str, ...]] = {
    "kind": tuple(k.value for k in EvidenceKind),
    "form": tuple(f.value for f in AccountabilityForm),
    "grade": tuple(g.value for g in Grade),
}


def _holds(value: object, what: str) -> bool:
    if what == _DAY:
        return type(value) is dt.date
    if what == _INT:
        return type(value) is int and value >= 1
    if what == _NUMBER:
        return type(value) in (int, float) and 0 <= value <= 100  # type: ignore[operator]
    if what == "true or false":
        return type(value) is bool
    return type(value) is str


def data_problem(trigger: str, data: EventData) -> tuple[str, str] | None:
    """What is wrong with an edit's data, as (key, reason), or ``None`` when it holds what the
    edit needs (a case file's events are checked with it before replay)."""
    if not data:
        return "", f"a {trigger!r} event records what it changed in data, and this one has none"
    for key, what in _REQUIRED[trigger].items():
        if key not in data:
            return key, f"a {trigger!r} event needs {key} ({what}) in its data"
        if not _holds(data[key], what):
            return key, f"{key} is {data[key]!r}, not {what}"
    for key, value in data.items():
        expected = _OPTIONAL.get(key)
        if expected is not None and not _holds(value, expected):
            return key, f"{key} is {value!r}, not {expected}"
        choices = _CHOICES.get(key) if trigger != ADD_PROBLEM else None
        if choices is not None and value not in choices:
            return key, f"{key} is {value!r}, not one of {', '.join(choices)}"
    return None


# -- replay ------------------------------------------------------------------------------------


def _item_value(item: Problem | Measure, field: str) -> Any:
    if field == "text" and isinstance(item, Problem):
        return item.title
    return getattr(item, field)


def _set_item(item: Problem | Measure, field: str, value: Any) -> None:
    force(item, "title" if field == "text" and isinstance(item, Problem) else field, value)


def _before(trigger: str, data: EventData) -> Any:
    """The value of the edited field before the edit, as the event records it."""
    if trigger == ASSIGN:
        return _responsibility(data, "previous_")
    if trigger == SET_DUE:
        return data.get("previous_due_on")
    if trigger == EXTEND:
        return data.get("previous_due_on")
    if trigger == EDIT_TEXT:
        return data.get("previous_text", "")
    raise AssertionError(trigger)


def _after(trigger: str, data: EventData) -> Any:
    if trigger == ASSIGN:
        return _responsibility(data)
    if trigger in (SET_DUE, EXTEND):
        return data.get("due_on")
    if trigger == EDIT_TEXT:
        return data.get("text", "")
    raise AssertionError(trigger)


def _remove_last(values: list[Any], value: Any) -> bool:
    for i in range(len(values) - 1, -1, -1):
        if values[i] == value:
            del values[i]
            return True
    return False


@attrs.define
class EditReplay:
    """The edits of a log, ready for replay: :meth:`reset` puts every edited field back where
    the first edit found it, :meth:`apply` re-applies one edit."""

    item_of: Callable[[str], Problem | Measure]
    case: Case

    def reset(self, rows: Iterable[EventRow]) -> None:
        """Put every field an edit changed back to its value before the first such edit.

        Evidence, accountability and evaluations added by events are taken off their lists
        (the last equal entry for each event), to be appended again as replay reaches them.
        """
        first_seen: set[tuple[str, str]] = set()
        evidence: dict[str, list[Evidence]] = {}
        accountability = list(self.case.accountability)
        evaluations = list(self.case.evaluations)
        for row in rows:
            trigger = row[1]
            if trigger not in EDIT_FIELDS:
                continue
            target = row[2]
            if trigger == ACCOUNTABILITY:
                _remove_last(accountability, accountability_of(row))
                continue
            if trigger == EVALUATE:
                _remove_last(evaluations, evaluation_of(row))
                continue
            item = self.item_of(target)
            data = EventData._of_pairs(row[7])
            if trigger == ADD_EVIDENCE:
                kept = evidence.setdefault(target, list(item.evidence))
                _remove_last(kept, evidence_of(data))
                continue
            field = EDIT_FIELDS[trigger]
            if (target, field) not in first_seen:
                first_seen.add((target, field))
                _set_item(item, field, _before(trigger, data))
        for target, kept in evidence.items():
            force(self.item_of(target), "evidence", tuple(kept))
        if len(accountability) != len(self.case.accountability):
            force(self.case, "accountability", accountability)
        if len(evaluations) != len(self.case.evaluations):
            force(self.case, "evaluations", evaluations)

    def apply(self, row: EventRow) -> None:
        """Re-apply one edit (not ``add_problem``, which replay restores as a withheld item)."""
        trigger = row[1]
        if trigger == ACCOUNTABILITY:
            list.append(self.case.accountability, accountability_of(row))
            return
        if trigger == EVALUATE:
            list.append(self.case.evaluations, evaluation_of(row))
            return
        item = self.item_of(row[2])
        data = EventData._of_pairs(row[7])
        if trigger == ADD_EVIDENCE:
            force(item, "evidence", (*item.evidence, evidence_of(data)))
            return
        field = EDIT_FIELDS[trigger]
        current = _item_value(item, field)
        before = _before(trigger, data)
        if current != before:
            raise TransitionNotAllowed(
                row[2],
                item.state.value,
                trigger,
                (),
                reason=(
                    f"event #{row[0]} ({row[3]}) says {field} was {before!r} before it, but the "
                    f"events before it leave {current!r}"
                ),
                seq=row[0],
            )
        _set_item(item, field, _after(trigger, data))


def category_of_added(data: EventData) -> tuple[str, str | None, bool]:
    """An ``add_problem`` event's category: its id, its title, and whether the event made it."""
    title = data.get("category_title")
    return (
        str(data["category"]),
        title if isinstance(title, str) else None,
        bool(data.get("new_category")),
    )
