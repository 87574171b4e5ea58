"""A round's summary: the figures a round's progress notice states (本轮巡察整改进展情况通报).

:func:`round_summary` counts them from the **public** projection of each case as it stood on the
day (:func:`rectflow.public_projection` of :func:`rectflow.case_as_of`): clues, internal and
confidential items are neither shown nor counted, a submission for acceptance counts as
completed (已完成), an item whose state no one stated is counted as unknown (整改情况未说明),
never as unfinished, and accountability is counted by form only for what may be published
(DESIGN invariant 4). :func:`rectflow._rounds.notice.parse_round_notice` reads the same summary
back from a notice's text, and what it cannot read goes to :attr:`RoundSummary.unread`.

Every figure is optional: ``None`` means the summary says nothing about it (a notice that does
not state it, or a count of nothing: no rate out of zero, no "未说明 0").
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from rectflow._core.asof import case_as_of
from rectflow._core.dates import FuzzyDate, Period
from rectflow._core.kinds import AccountabilityForm, ItemState, ProblemKind
from rectflow._core.model import Case
from rectflow._core.public import public_accountability_counts, public_state
from rectflow._notices.public import public_projection
from rectflow._notices.text import Unread
from rectflow._rounds.model import Round
from rectflow._rounds.rollup import COMPLETED_STATES, UNFINISHED_STATES, Rate, round_cases

__all__ = ["BodyFigures", "RoundFigures", "RoundSummary", "round_summary"]


@attrs.frozen
class RoundFigures:
    """The figures stated for a set of problems or measures (each ``None`` when not stated).

    Attributes:
        total: how many (反馈问题X个 / 制定整改措施X条).
        completed: completed (已完成).
        basically_completed: basically completed (基本完成).
        long_term: long-term (需长期坚持).
        unfinished: not completed, as stated (尚未完成).
        unknown: whose state is not stated (整改情况未说明).
        rate_percent: the completion rate as written, e.g. ``"93.33"``.
        rate_numerator: the completion rate's numerator, when written (（112/120）).
        rate_denominator: its denominator, when written.
    """

    total: int | None = None
    completed: int | None = None
    basically_completed: int | None = None
    long_term: int | None = None
    unfinished: int | None = None
    unknown: int | None = None
    rate_percent: str | None = None
    rate_numerator: int | None = None
    rate_denominator: int | None = None

    @classmethod
    def of(cls, states: Iterable[ItemState | None]) -> RoundFigures:
        """The figures of items in these states (``None``: not stated), as roll-ups count them:
        the rate is completed / (completed + basically completed + unfinished), left out when
        that is 0; the unknown count only when there are some, and then no count of zero (beside
        items whose state is not stated, "已完成0个" would claim more than is known)."""
        counts: Counter[ItemState | None] = Counter(
            public_state(s) if s is not None else None for s in states
        )
        completed = sum(counts[s] for s in COMPLETED_STATES)
        unfinished = sum(counts[s] for s in UNFINISHED_STATES)
        basic = counts[ItemState.BASICALLY_COMPLETED]
        rate = Rate(completed, completed + basic + unfinished)
        rated = rate.denominator > 0
        # Beside items whose state is not stated, a zero says only "none known": not written.
        unknown = counts[None]

        def known(n: int) -> int | None:
            return (n or None) if unknown else n

        return cls(
            total=counts.total(),
            completed=known(completed),
            basically_completed=known(basic),
            long_term=known(counts[ItemState.LONG_TERM]),
            unfinished=known(unfinished),
            unknown=unknown or None,
            rate_percent=rate.percent if rated else None,
            rate_numerator=rate.numerator if rated else None,
            rate_denominator=rate.denominator if rated else None,
        )

    def is_empty(self) -> bool:
        """True when nothing is stated."""
        return all(value is None for value in attrs.astuple(self))

    def to_dict(self) -> dict[str, Any]:
        """The figures as JSON-ready data (``None`` for what is not stated)."""
        return attrs.asdict(self)


@attrs.frozen
class BodyFigures:
    """One inspected body's line of a round notice.

    Attributes:
        body: the inspected body, as written.
        problems: its problems' figures.
    """

    body: str
    problems: RoundFigures


@attrs.frozen
class RoundSummary:
    """What a round's progress notice states (docs/rounds.md, "Round notices").

    Attributes:
        round_name: the round, e.g. ``十届市委第三轮巡察``.
        inspecting_body: who inspected (根据…统一部署).
        onsite: the on-site period.
        teams: how many inspection teams.
        bodies_count: how many bodies were inspected.
        as_of: the day the figures stand at (截至…).
        problems: the problems' figures for the round.
        measures: the measures' figures for the round.
        kinds: the problems by kind (重点问题X个、具体问题Y个…), clues never.
        accountability: people held to account, by form.
        bodies: each body's figures, in the notice's order.
        unread: what an imported notice said that was not read (empty for a computed summary).
    """

    round_name: str | None = None
    inspecting_body: str | None = None
    onsite: Period | None = None
    teams: int | None = None
    bodies_count: int | None = None
    as_of: dt.date | None = None
    problems: RoundFigures = RoundFigures()
    measures: RoundFigures = RoundFigures()
    kinds: Mapping[ProblemKind, int] = attrs.field(factory=dict)
    accountability: Mapping[AccountabilityForm, int] = attrs.field(factory=dict)
    bodies: tuple[BodyFigures, ...] = ()
    unread: tuple[Unread, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The summary as JSON-ready data (``format`` ``rectflow.round-summary``, version 1)."""
        onsite = self.onsite
        return {
            "format": "rectflow.round-summary",
            "version": 1,
            "round_name": self.round_name,
            "inspecting_body": self.inspecting_body,
            "onsite": None
            if onsite is None
            else {
                "start": str(onsite.start),
                "end": None if onsite.end is None else str(onsite.end),
            },
            "teams": self.teams,
            "bodies_count": self.bodies_count,
            "as_of": None if self.as_of is None else self.as_of.isoformat(),
            "problems": self.problems.to_dict(),
            "measures": self.measures.to_dict(),
            "kinds": {k.value: n for k, n in self.kinds.items()},
            "accountability": {f.value: n for f, n in self.accountability.items()},
            "bodies": [{"body": b.body, "problems": b.problems.to_dict()} for b in self.bodies],
            "unread": [{"line": u.line, "text": u.text, "reason": u.reason} for u in self.unread],
        }


def _plain(date: FuzzyDate) -> FuzzyDate:
    """A date as a notice can state it: an inferred year is written as any other."""
    return attrs.evolve(date, inferred=False) if date.inferred else date


def round_summary(source: Round | Case | Iterable[Case], *, as_of: dt.date) -> RoundSummary:
    """The figures a public progress notice of the round states as of a day.

    Only each case's public projection as it stood on ``as_of`` is counted (see the module
    docstring); the summary's ``as_of`` is the day.

    Args:
        source: a :class:`~rectflow.Round` with its cases loaded, a case, or cases.
        as_of: the day.

    Raises:
        TypeError: ``as_of`` is not a date, or something other than a case among the cases.
        ValueError: a round lists case files but holds none (loaded with ``cases=False``).
    """
    if type(as_of) is not dt.date:
        raise TypeError(f"as_of must be a datetime.date, not {type(as_of).__name__}: {as_of!r}")
    cases, round_ = round_cases(source, counter="round_summary")
    problem_states: list[ItemState | None] = []
    measure_states: list[ItemState | None] = []
    kinds: Counter[ProblemKind] = Counter()
    accountability: Counter[AccountabilityForm] = Counter()
    bodies = []
    for case in cases:
        view = case_as_of(case, as_of)
        public = public_projection(view)
        own = [p.state if p.state_known else None for p in public.problems()]
        problem_states.extend(own)
        measure_states.extend(m.state if m.state_known else None for m in public.measures())
        kinds.update(p.kind for p in public.problems())
        accountability.update(public_accountability_counts(view))
        bodies.append(BodyFigures(case.inspected_body or case.id, RoundFigures.of(own)))
    onsite = None
    if round_ is not None and round_.onsite is not None:
        period = round_.onsite
        end = None if period.end is None else _plain(period.end)
        onsite = Period(_plain(period.start), end)
    return RoundSummary(
        round_name=None if round_ is None else round_.name,
        inspecting_body=None if round_ is None else round_.inspecting_body,
        onsite=onsite,
        teams=len(round_.teams) if round_ is not None and round_.teams else None,
        bodies_count=len(cases),
        as_of=as_of,
        problems=RoundFigures.of(problem_states),
        measures=RoundFigures.of(measure_states) if measure_states else RoundFigures(),
        kinds={k: kinds[k] for k in ProblemKind if kinds[k] and k is not ProblemKind.CLUE},
        accountability={f: accountability[f] for f in AccountabilityForm if accountability[f]},
        bodies=tuple(bodies),
    )
