"""A round of inspection (巡察轮次) as a model object: who inspected, when, with which teams, and
the cases of the bodies it inspected.

A round is data, like a case: attrs classes checked where they are built (``_core.fields``: a
wrong value raises :class:`~rectflow.errors.InvalidFieldError` naming the class, the field and
the fix). What a round file says (``_rounds.files``) is all of it but :attr:`Round.cases`, the
loaded cases, which the file lists by path (``cases``) or, once rounds live in a store, by case
id (``store_cases``).
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from rectflow._core.dates import Period
from rectflow._core.fields import (
    PERIOD,
    POSITIVE,
    STRINGS,
    TEXT,
    checked,
    member,
    optional,
    tuple_of,
)
from rectflow._core.kinds import InspectionKind
from rectflow._core.model import Case

__all__ = ["Round", "Team"]


@attrs.frozen(slots=True)
@checked(name=TEXT, leader=optional(TEXT), bodies=STRINGS)
class Team:
    """An inspection team (巡察组) of a round.

    Attributes:
        name: the team, e.g. ``市委第五巡察组``.
        leader: its leader (组长), when recorded.
        bodies: the inspected bodies it covered, as their cases name them
            (:attr:`rectflow.Case.inspected_body`).
    """

    name: str
    leader: str | None = None
    bodies: tuple[str, ...] = ()


@attrs.frozen(slots=True)
@checked(
    id=TEXT,
    name=TEXT,
    inspecting_body=TEXT,
    kind=member(InspectionKind),
    number=optional(POSITIVE),
    onsite=optional(PERIOD),
    teams=tuple_of(Team),
    case_files=STRINGS,
    store_cases=STRINGS,
    cases=tuple_of(Case),
)
class Round:
    """One round of inspection: one inspecting body, several teams, many inspected bodies.

    Attributes:
        id: a stable identifier, e.g. ``hongqiao-10-3``.
        name: the round as documents name it, e.g. ``十届市委第三轮巡察``.
        inspecting_body: who inspected, e.g. ``中共虹桥市委``.
        kind: 巡视, 巡察 or other.
        number: the round's number (第N轮), when it has one.
        onsite: the on-site period (进驻), often fuzzy.
        teams: the inspection teams and the bodies each covered.
        case_files: the case files of its inspected bodies, as the round file lists them
            (relative to the round file).
        store_cases: the ids of its cases in a store, for a round whose cases live there.
        cases: the loaded cases (:func:`rectflow.load_round` fills it; not written to the
            round file and not compared: two rounds are equal when their files say the same).
    """

    id: str
    name: str
    inspecting_body: str
    kind: InspectionKind = InspectionKind.XUNCHA
    number: int | None = None
    onsite: Period | None = None
    teams: tuple[Team, ...] = ()
    case_files: tuple[str, ...] = ()
    store_cases: tuple[str, ...] = ()
    cases: tuple[Case, ...] = attrs.field(default=(), eq=False, repr=False)

    def with_cases(self, cases: Iterable[Case]) -> Round:
        """The same round holding ``cases`` (for a round built in Python, or from a store)."""
        return attrs.evolve(self, cases=tuple(cases))

    def team_of(self, inspected_body: str) -> Team | None:
        """The team that covered ``inspected_body``, or ``None`` when no team lists it."""
        return next((team for team in self.teams if inspected_body in team.bodies), None)
