"""The escalation ladder: levels that start some days before or after a due date, and who is told.

A policy's ``[escalation]`` table (docs/agenda.md) declares a :class:`Ladder`: ordered
:class:`EscalationLevel` values, each starting on a day counted from an item's approved due date
(``-20`` is twenty days before it, ``0`` the day itself, ``1`` the first day late) and naming the
roles told at that level (:data:`ROLES`). An item stands on the last level whose start it has
reached; before the first level it is on none.

What the ladder gives for one item on one day is an :class:`EscalationNotice` addressed to
:class:`Recipient` values; :func:`rectflow._rules.agenda.agenda` builds them for a set of cases,
and hosts receive them through the ``rectflow_escalation_notices`` hook. rectflow never sends
anything itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from rectflow._i18n import N_, Msg
from rectflow._rules.rules import Source
from rectflow.errors import RectflowError

__all__ = [
    "DEFAULT_LADDER",
    "ROLES",
    "ROLE_LABELS",
    "EscalationLevel",
    "EscalationNotice",
    "Ladder",
    "LadderError",
    "Recipient",
]

ROLES = ("person", "leader", "department", "unit_head", "office")
"""Who a level may tell: ``person`` (主办人, the item's responsible person), ``leader`` (分管领导,
the leader in charge), ``department`` (主办单位, the responsible unit), ``unit_head`` (主要负责人
of the inspected body) and ``office`` (the inspecting office, e.g. 巡察办)."""


ROLE_LABELS = {
    "person": ("person in charge", "主办人"),
    "leader": ("leader in charge", "分管领导"),
    "department": ("responsible unit", "主办单位"),
    "unit_head": ("head of the inspected body", "主要负责人"),
    "office": ("inspecting office", "巡察办"),
}
"""Each role's name for people, in English and Chinese."""


class LadderError(RectflowError, ValueError):
    """A ladder that cannot be: offsets not increasing, a name twice, an unknown role.

    Raised where a :class:`Ladder` is built in code; a policy file's ladder is refused with a
    :class:`~rectflow.errors.PolicyError` naming the file and the line instead.

    Attributes:
        key: the key path inside ``[escalation]`` at fault, e.g. ``levels[1].starts``.
        reason: what is wrong.
        fix: how to put it right.
    """

    def __init__(self, key: str, reason: str, fix: str) -> None:
        self.key = key
        self.reason = reason
        self.fix = fix
        super().__init__(
            Msg(
                "escalation.{key}: {reason}; {fix}", key=key, reason=Msg.of(reason), fix=Msg.of(fix)
            )
        )


def _roles(value: Any) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen
class EscalationLevel:
    """One rung of the ladder.

    Attributes:
        name: a short stable name (``green``, ``reminder``), unique in the ladder.
        label: what staff read (``绿色预警``, ``提醒书``).
        starts: the day the level starts, counted from the approved due date: negative before
            it, ``0`` on it, positive once late (``1`` is the first day late).
        recipients: the roles told at this level, among :data:`ROLES`, in the order given.
    """

    name: str
    label: str
    starts: int
    recipients: tuple[str, ...] = attrs.field(converter=_roles)

    def to_dict(self) -> dict[str, Any]:
        """The level as JSON-ready data."""
        return {
            "name": self.name,
            "label": self.label,
            "starts": self.starts,
            "recipients": list(self.recipients),
        }


def _levels(value: Any) -> tuple[EscalationLevel, ...]:
    return tuple(value)


def _check_levels(_: Any, __: Any, levels: tuple[EscalationLevel, ...]) -> None:
    if not levels:
        raise LadderError(
            "levels", N_("the ladder has no level"), N_("add at least one [[escalation.levels]]")
        )
    seen: set[str] = set()
    for index, level in enumerate(levels):
        if not level.name.strip():
            raise LadderError(
                f"levels[{index}].name", N_("the name is empty"), N_("give the level a name")
            )
        if level.name in seen:
            raise LadderError(
                f"levels[{index}].name",
                Msg("the name {name!r} is used twice", name=level.name),
                N_("give every level its own name"),
            )
        seen.add(level.name)
        if not level.recipients:
            raise LadderError(
                f"levels[{index}].recipients",
                N_("nobody is told at this level"),
                Msg("name at least one of: {roles}", roles=", ".join(ROLES)),
            )
        for role in level.recipients:
            if role not in ROLES:
                raise LadderError(
                    f"levels[{index}].recipients",
                    Msg("unknown role {role!r}", role=role),
                    Msg("use some of: {roles}", roles=", ".join(ROLES)),
                )
        previous = levels[index - 1].starts if index else None
        if previous is not None and level.starts <= previous:
            raise LadderError(
                f"levels[{index}].starts",
                Msg(
                    "{starts} does not come after the previous level's {previous}",
                    starts=level.starts,
                    previous=previous,
                ),
                N_("list the levels in the order they start, each on a later day"),
            )


@attrs.frozen
class Ladder:
    """A policy's escalation ladder.

    Attributes:
        levels: the levels in the order they start (validated: starts strictly increasing,
            names unique, known roles, someone told at each).
        unit_head: the inspected body's 主要负责人, for the ``unit_head`` role (when ``None``, the
            case's leading group's head is used).
        office: the inspecting office (e.g. ``区委巡察办``), for the ``office`` role.
        basis: where the practice comes from (a document, RULES.md row).
        source: whether it is a written ``rule`` or ``practice``.
    """

    levels: tuple[EscalationLevel, ...] = attrs.field(converter=_levels, validator=_check_levels)
    unit_head: str | None = None
    office: str | None = None
    basis: str | None = None
    source: Source | None = None

    def level_at(self, days: int) -> EscalationLevel | None:
        """The level an item stands on ``days`` after its due date (negative: before it).

        ``None`` before the first level starts.
        """
        found = None
        for level in self.levels:
            if level.starts > days:
                break
            found = level
        return found

    def level(self, name: str) -> EscalationLevel:
        """The level called ``name``; raises ``KeyError``."""
        for level in self.levels:
            if level.name == name:
                return level
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        """The ladder as JSON-ready data."""
        return {
            "levels": [level.to_dict() for level in self.levels],
            "unit_head": self.unit_head,
            "office": self.office,
            "basis": self.basis,
            "source": None if self.source is None else self.source.value,
        }


DEFAULT_LADDER = Ladder(
    (
        EscalationLevel("due-soon", "临期提醒", -14, ("person",)),
        EscalationLevel("overdue", "逾期督办", 1, ("person", "leader")),
    )
)
"""The ladder of a policy without ``[escalation]``: two weeks before the due date the responsible
person is reminded; once late, the person and their leader."""


@attrs.frozen
class Recipient:
    """Someone told of a notice, by role.

    Attributes:
        role: one of :data:`ROLES`.
        name: the resolved name, or ``None`` when the case names nobody for the role.
    """

    role: str
    name: str | None

    def to_dict(self) -> dict[str, Any]:
        """The recipient as JSON-ready data."""
        return {"role": self.role, "name": self.name}


@attrs.frozen
class EscalationNotice:
    """What the ladder says about one item on one day.

    Attributes:
        case_id: the case's id.
        inspected_body: the inspected body's name.
        item: the item's id.
        text: the measure's text or the problem's title.
        level: the level's name, e.g. ``yellow``.
        label: its label, e.g. ``黄色预警``.
        as_of: the day the agenda was computed for.
        due_on: the approved deadline as it stood that day.
        original_due_on: the deadline before extensions (``None`` when never extended).
        days: ``(as_of - due_on).days``: negative before the deadline, positive when late.
        recipients: who is told, in the level's order.
    """

    case_id: str
    inspected_body: str
    item: str
    text: str
    level: str
    label: str
    as_of: dt.date
    due_on: dt.date
    original_due_on: dt.date | None
    days: int
    recipients: tuple[Recipient, ...]

    def to_dict(self) -> dict[str, Any]:
        """The notice as JSON-ready data (dates in ISO form)."""
        return {
            "case_id": self.case_id,
            "inspected_body": self.inspected_body,
            "item": self.item,
            "text": self.text,
            "level": self.level,
            "label": self.label,
            "as_of": self.as_of.isoformat(),
            "due_on": self.due_on.isoformat(),
            "original_due_on": None
            if self.original_due_on is None
            else self.original_due_on.isoformat(),
            "days": self.days,
            "recipients": [recipient.to_dict() for recipient in self.recipients],
        }
