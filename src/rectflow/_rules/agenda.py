"""The agenda: what is due or overdue on a day, at which level of the ladder, for whom.

:func:`agenda` judges every item of the cases as it stood on the day
(:func:`rectflow.case_as_of`): measures, and problems tracked without measures, that have an
approved deadline and are not done (completed, submitted for acceptance, closed) nor long-term
(长期坚持 has no end date); an item whose state nobody has stated is never due. Each item
standing on a level of the policy's ladder (:data:`~rectflow._rules.ladder.DEFAULT_LADDER`
without one) gives an :class:`EscalationNotice` addressed to the level's roles, resolved from the
item's responsibility (a measure's own, else its problem's), the ladder (``unit_head``,
``office``) and the case's leading group (its head is the ``unit_head`` when the ladder names
none).

The notices are sorted by urgency (the latest first, then case and ledger order) and grouped by
recipient (:attr:`Agenda.groups`). ``Agenda.to_dict()`` is the documented JSON form
(docs/agenda.md, ``"format": "rectflow.agenda"``, version 1). With ``notify=True`` the notices
are handed, once, to the ``rectflow_escalation_notices`` hook; rectflow never sends anything
itself.

The notice types are defined beside the ladder (``rectflow._rules.ladder``, below the hook
specifications that name them); this module is where users and host plugins take them from.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import attrs

from rectflow._core.asof import case_as_of
from rectflow._core.model import Case, ItemState, Measure, Problem, Responsibility
from rectflow._core.report import Violation
from rectflow._core.supervision import item_facts
from rectflow._rules.ladder import (
    DEFAULT_LADDER,
    ROLES,
    EscalationLevel,
    EscalationNotice,
    Ladder,
    Recipient,
)
from rectflow._rules.plugins import Plugins, plugin_manager
from rectflow._rules.policy import Policy

__all__ = [
    "FORMAT",
    "VERSION",
    "Agenda",
    "EscalationNotice",
    "Recipient",
    "RecipientGroup",
    "agenda",
    "departments",
]

FORMAT = "rectflow.agenda"
VERSION = 1

# Done for the agenda, as for lateness: the work is claimed or found done; long-term has no end.
_NOT_DUE = frozenset(
    {ItemState.COMPLETED, ItemState.SUBMITTED, ItemState.CLOSED, ItemState.LONG_TERM}
)


@attrs.frozen
class RecipientGroup:
    """The notices one recipient is told of, most urgent first.

    Attributes:
        recipient: the role and the resolved name (``None``: the cases name nobody for it).
        notices: the notices addressed to them.
    """

    recipient: Recipient
    notices: tuple[EscalationNotice, ...]


@attrs.frozen
class Agenda:
    """An agenda run: the notices on a day under a ladder.

    Attributes:
        as_of: the day.
        policy: the policy's name.
        ladder: the ladder used (the policy's, or the default).
        within: the horizon in days (only items due within it, or late), or ``None``.
        notices: every notice, most urgent first.
        problems: ``plugin.crashed`` violations from delivering the notices (``notify=True``),
            and from loading the plugins that were to deliver them.
        notified: whether the notices were handed to the ``rectflow_escalation_notices`` hook.
    """

    as_of: dt.date
    policy: str
    ladder: Ladder
    within: int | None
    notices: tuple[EscalationNotice, ...]
    problems: tuple[Violation, ...] = ()
    notified: bool = False

    @property
    def groups(self) -> tuple[RecipientGroup, ...]:
        """The notices grouped by recipient: roles in :data:`~rectflow._rules.ladder.ROLES`
        order, then names (an unnamed recipient of a role last); each group most urgent first."""
        found: dict[Recipient, list[EscalationNotice]] = {}
        for notice in self.notices:
            for recipient in notice.recipients:
                found.setdefault(recipient, []).append(notice)
        order = sorted(found, key=_group_key)
        return tuple(RecipientGroup(recipient, tuple(found[recipient])) for recipient in order)

    def level_of(self, notice: EscalationNotice) -> EscalationLevel:
        """The ladder's level a notice stands on."""
        return self.ladder.level(notice.level)

    def to_dict(self) -> dict[str, Any]:
        """The agenda as JSON-ready data (docs/agenda.md; ``format`` and ``version`` first).

        Groups name their notices by index into ``notices``, so each notice is written once.
        """
        index = {id(notice): number for number, notice in enumerate(self.notices)}
        return {
            "format": FORMAT,
            "version": VERSION,
            "as_of": self.as_of.isoformat(),
            "policy": self.policy,
            "within_days": self.within,
            "ladder": self.ladder.to_dict(),
            "notices": [notice.to_dict() for notice in self.notices],
            "groups": [
                {
                    **group.recipient.to_dict(),
                    "notices": [index[id(notice)] for notice in group.notices],
                }
                for group in self.groups
            ],
            "notified": self.notified,
            "problems": [_problem(v) for v in self.problems],
        }


def _group_key(recipient: Recipient) -> tuple[int, bool, str]:
    return (ROLES.index(recipient.role), recipient.name is None, recipient.name or "")


def _problem(v: Violation) -> dict[str, Any]:
    return {
        "code": v.code,
        "level": v.level.value,
        "plugin": v.plugin,
        "message": v.message,
        "message_zh": v.message_zh,
        "hint": v.hint,
    }


def agenda(
    cases: Iterable[Case],
    *,
    as_of: dt.date,
    policy: Policy,
    within: int | None = None,
    plugins: Plugins | None = None,
    notify: bool = False,
) -> Agenda:
    """What is due or overdue on ``as_of`` in ``cases``, at which level, for whom.

    Args:
        cases: the cases (not modified).
        as_of: the day; each case is judged as it stood then.
        policy: the policy whose ``escalation`` ladder applies (the default ladder without one).
        within: only items due within this many days after ``as_of``, or already late
            (``None``: every item the ladder reaches).
        plugins: the plugin manager to notify through (built when needed and not given).
        notify: hand the notices to the ``rectflow_escalation_notices`` hook, once (an empty
            tuple too). Never done without it.

    Returns:
        The :class:`Agenda`; a delivery plugin's crash is in its ``problems``, never raised.

    Raises:
        TypeError: ``as_of`` is not a date (a ``datetime`` is refused: it is not a day).
        ValueError: ``within`` is negative.
    """
    if type(as_of) is not dt.date:
        raise TypeError(f"as_of must be a datetime.date, not {type(as_of).__name__}: {as_of!r}")
    if within is not None and (isinstance(within, bool) or within < 0):
        raise ValueError(f"within must be a number of days, 0 or more, not {within!r}")
    ladder = policy.escalation if policy.escalation is not None else DEFAULT_LADDER
    found: list[tuple[tuple[int, int, int], EscalationNotice]] = []
    for number, case in enumerate(cases):
        for position, notice in enumerate(_notices(case, as_of, ladder)):
            if within is None or notice.days >= -within:
                found.append(((-notice.days, number, position), notice))
    notices = tuple(notice for _, notice in sorted(found, key=lambda pair: pair[0]))
    problems: list[Violation] = []
    if notify:
        plugins = plugins if plugins is not None else plugin_manager()
        problems.extend(plugins.problems)
        problems.extend(plugins.escalation_notices(notices, as_of))
    return Agenda(as_of, policy.name, ladder, within, notices, tuple(problems), notify)


def _items(case: Case) -> Iterator[tuple[Problem | Measure, Problem]]:
    """Measures, and problems tracked without measures, in ledger order, with their problem."""
    for problem in case.problems():
        if problem.measures:
            yield from ((measure, problem) for measure in problem.measures)
        else:
            yield problem, problem


def _due(item: Problem | Measure) -> bool:
    if isinstance(item, Measure):
        return item.state_known and item.state not in _NOT_DUE
    return item.own_state_known and item.own_state not in _NOT_DUE


def _notices(case: Case, as_of: dt.date, ladder: Ladder) -> Iterator[EscalationNotice]:
    view = case_as_of(case, as_of)
    facts = item_facts(view)
    for item, problem in _items(view):
        due = item.due_on
        if due is None or not _due(item):
            continue
        days = (as_of - due).days
        level = ladder.level_at(days)
        if level is None:
            continue
        extensions = facts[item.id].extensions if item.id in facts else ()
        yield EscalationNotice(
            case_id=view.id,
            inspected_body=view.inspected_body,
            item=item.id,
            text=item.text if isinstance(item, Measure) else item.title,
            level=level.name,
            label=level.label,
            as_of=as_of,
            due_on=due,
            original_due_on=extensions[0].previous_due_on if extensions else None,
            days=days,
            recipients=tuple(
                Recipient(role, name)
                for role in level.recipients
                for name in _names(role, view, item, problem, ladder)
            ),
        )


def _names(
    role: str, case: Case, item: Problem | Measure, problem: Problem, ladder: Ladder
) -> tuple[str | None, ...]:
    """Who holds ``role`` for ``item``: its own responsibility first, then its problem's
    (``(None,)`` when the case names nobody). Departments named together, as ledgers write a
    task several units share (``招标采购办公室、纪委办公室``), are each told."""
    if role == "unit_head":
        if ladder.unit_head is not None:
            return (ladder.unit_head,)
        return (None if case.leading_group is None else case.leading_group.head,)
    if role == "office":
        return (ladder.office,)
    field = {"person": "person", "leader": "leader", "department": "department"}[role]
    for holder in _responsibilities(item, problem):
        value: str | None = getattr(holder, field)
        if value:
            return departments(value) if role == "department" else (value,)
    return (None,)


_BETWEEN_UNITS = re.compile(r"[、，,；;]+")


def departments(named: str) -> tuple[str, ...]:
    """The departments in a ledger's department cell: ``招标采购办公室、纪委办公室`` names two
    (separated by 、 ， , ； or ;), each once, in order; a cell naming one gives it as it is."""
    found = tuple(dict.fromkeys(u for u in (p.strip() for p in _BETWEEN_UNITS.split(named)) if u))
    return found or (named,)


def _responsibilities(item: Problem | Measure, problem: Problem) -> Sequence[Responsibility]:
    return [r for r in (item.responsibility, problem.responsibility) if r is not None]
