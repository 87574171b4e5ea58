"""Roll-ups (统计汇总): a case's or a round's items counted by state, completion and on-time rates
with their denominators, overdue items, escalation levels, rejections, extensions and
accountability, in total and by body, department, leader, kind or category.

Every figure is defined in docs/stats.md; in short:

* Two units are counted. **Problems** (问题) are the ledger's problems, each in its state
  (a problem with measures takes it from them). **Items** (事项) are the units of work that carry a
  deadline: measures, and problems tracked without measures (what ``rectflow.overdue`` and the
  agenda judge).
* **Completed** (已完成) = completed + submitted for acceptance + closed (销号): the work is done
  or claimed done. **Basically completed** (基本完成) is its own column. **Long-term** (长期坚持)
  is its own column and outside both rates. **Unfinished** (未完成) = open + in progress +
  reopened: a state someone stated. An item whose state no one stated is **unknown**: counted
  apart, never unfinished, outside every rate (DESIGN invariant 4).
* **Completion rate** = completed / (completed + basically completed + unfinished).
* **On-time rate** (items) = items completed on or before their deadline / (items with a deadline
  completed on a known day + overdue items). The deadline is the approved one as it stood on the
  day (after extensions); an item completed without a dated event is ``on_time_unknown``.
* Each case is judged as it stood on ``as_of`` (:func:`rectflow.case_as_of`), so a roll-up as of
  a past day agrees with ``rectflow.status`` and ``rectflow.overdue`` as of that day.

One pass over each case's ledger and one over its log: linear in the ledger (DESIGN invariant 8).
:meth:`Rollup.to_dict` is the versioned JSON form (``rectflow.stats`` v1, docs/stats.md).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from fractions import Fraction
from typing import Any, Final, Literal, get_args

import attrs

from rectflow._core.asof import as_of_view
from rectflow._core.kinds import AccountabilityForm, ItemState
from rectflow._core.lifecycle import ITEM_LIFECYCLE
from rectflow._core.model import Case, Category, Measure, Problem, Responsibility, StatedCount
from rectflow._core.status import OverdueItem, status
from rectflow._core.supervision import ItemFacts, item_facts
from rectflow._rounds.model import Round
from rectflow._rules.ladder import DEFAULT_LADDER, Ladder

__all__ = [
    "COMPLETED_STATES",
    "GROUPINGS",
    "STATS_FORMAT",
    "STATS_VERSION",
    "UNFINISHED_STATES",
    "Grouping",
    "Rate",
    "RolledOverdue",
    "Rollup",
    "RollupGroup",
    "Tally",
    "rollup",
    "round_cases",
]

STATS_FORMAT: Final = "rectflow.stats"
"""The ``format`` of :meth:`Rollup.to_dict`'s JSON form (docs/stats.md)."""

STATS_VERSION: Final = 1
"""The ``version`` of that form: raised when a key is removed or renamed or changes meaning."""

Grouping = Literal["body", "department", "leader", "kind", "category"]
"""What a roll-up can be broken down by."""

GROUPINGS: Final[tuple[Grouping, ...]] = get_args(Grouping)
"""Every grouping, in the order the command line lists them."""

COMPLETED_STATES: Final = frozenset({ItemState.COMPLETED, ItemState.SUBMITTED, ItemState.CLOSED})
"""The states counted as completed (已完成): done, claimed done (报请销号), or closed (销号)."""

UNFINISHED_STATES: Final = frozenset({ItemState.OPEN, ItemState.IN_PROGRESS, ItemState.REOPENED})
"""The states counted as unfinished (未完成): each a state someone stated, never an unknown one."""

# Groupings that split items only: a problem's measures may answer to several departments.
_ITEMS_ONLY: Final = frozenset({"department", "leader"})

# Items the deadline no longer runs for (as ``status.overdue`` and the agenda judge them).
_NOT_DUE = COMPLETED_STATES | {ItemState.LONG_TERM}


@attrs.frozen
class Rate:
    """An exact rate: the numerator and the denominator kept, the percentage rendered from them.

    Attributes:
        numerator: what is counted in.
        denominator: what it is counted out of (0: there is nothing to rate).
    """

    numerator: int
    denominator: int

    @property
    def fraction(self) -> Fraction | None:
        """The exact value, or ``None`` when the denominator is 0."""
        return None if self.denominator == 0 else Fraction(self.numerator, self.denominator)

    @property
    def percent(self) -> str | None:
        """The percentage to two decimals, rounded half up (``"93.33"``), or ``None``."""
        if self.denominator == 0:
            return None
        hundredths = (self.numerator * 10000 * 2 + self.denominator) // (2 * self.denominator)
        return f"{hundredths // 100}.{hundredths % 100:02d}"

    def __str__(self) -> str:
        percent = self.percent
        shown = "—" if percent is None else f"{percent} %"
        return f"{self.numerator}/{self.denominator} = {shown}"

    def to_dict(self) -> dict[str, Any]:
        """``{"numerator": 112, "denominator": 120, "percent": "93.33"}`` (percent ``None`` for
        0/0)."""
        return {
            "numerator": self.numerator,
            "denominator": self.denominator,
            "percent": self.percent,
        }


@attrs.frozen
class Tally:
    """Counts over a set of problems or items (docs/stats.md defines each).

    Attributes:
        by_state: how many are in each stated state (lifecycle order, zeros left out).
        unknown: how many have a state no one stated: counted apart, never unfinished.
        overdue: how many are overdue (a problem: itself, or one of its measures).
        rejections: submissions rejected (驳回) by the day.
        extensions: approved extensions (延期) by the day.
        on_time: the on-time rate (items only; ``None`` for problems).
        on_time_unknown: completed items with a deadline but no dated completion (items only).
        levels: how many stand on each level of the escalation ladder, in ladder order, zeros
            included (items only; ``None`` for problems).
    """

    by_state: Mapping[ItemState, int]
    unknown: int = 0
    overdue: int = 0
    rejections: int = 0
    extensions: int = 0
    on_time: Rate | None = None
    on_time_unknown: int = 0
    levels: Mapping[str, int] | None = None

    @property
    def total(self) -> int:
        """Every problem or item counted, unknown ones included."""
        return sum(self.by_state.values()) + self.unknown

    def _sum(self, states: Iterable[ItemState]) -> int:
        return sum(self.by_state.get(s, 0) for s in states)

    @property
    def completed(self) -> int:
        """Completed (已完成): completed, submitted for acceptance or closed."""
        return self._sum(COMPLETED_STATES)

    @property
    def basically_completed(self) -> int:
        """Basically completed (基本完成)."""
        return self.by_state.get(ItemState.BASICALLY_COMPLETED, 0)

    @property
    def long_term(self) -> int:
        """Long-term (长期坚持): outside both rates."""
        return self.by_state.get(ItemState.LONG_TERM, 0)

    @property
    def unfinished(self) -> int:
        """Unfinished (未完成): open, in progress or reopened, as stated."""
        return self._sum(UNFINISHED_STATES)

    @property
    def completion(self) -> Rate:
        """Completed out of completed + basically completed + unfinished."""
        rated = self.completed + self.basically_completed + self.unfinished
        return Rate(self.completed, rated)

    def to_dict(self) -> dict[str, Any]:
        """The tally as JSON-ready data (docs/stats.md, "A tally")."""
        return {
            "total": self.total,
            "by_state": {s.value: self.by_state.get(s, 0) for s in ItemState},
            "state_unknown": self.unknown,
            "completed": self.completed,
            "basically_completed": self.basically_completed,
            "long_term": self.long_term,
            "unfinished": self.unfinished,
            "overdue": self.overdue,
            "completion_rate": self.completion.to_dict(),
            "on_time_rate": None if self.on_time is None else self.on_time.to_dict(),
            "on_time_unknown": self.on_time_unknown,
            "rejections": self.rejections,
            "extensions": self.extensions,
            "levels": None if self.levels is None else dict(self.levels),
        }


@attrs.frozen
class RollupGroup:
    """One group of a broken-down roll-up.

    Attributes:
        key: the body, department, leader, kind (its value) or category title; ``None`` for
            the items that do not name one (a measure with no department recorded).
        problems: the problems of the group (``None`` under ``department`` and ``leader``: a
            problem's measures may answer to several, so problems are not split by them).
        items: the items of the group.
        accountability: people held to account by form (``body`` groups only, else ``None``).
        stated: the summary counts the body's own notice states (``Case.stated_counts``), as
            stated and kept apart from the counts above (``body`` groups only).
    """

    key: str | None
    problems: Tally | None
    items: Tally
    accountability: Mapping[AccountabilityForm, int] | None = None
    stated: tuple[StatedCount, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The group as JSON-ready data."""
        accountability = self.accountability
        return {
            "key": self.key,
            "problems": None if self.problems is None else self.problems.to_dict(),
            "items": self.items.to_dict(),
            "accountability": None
            if accountability is None
            else {f.value: accountability.get(f, 0) for f in AccountabilityForm},
            "stated": [
                {
                    "subject": count.subject,
                    "total": count.total,
                    "by_state": {s.value: n for s, n in count.by_state.items()},
                }
                for count in self.stated
            ],
        }


@attrs.frozen
class RolledOverdue:
    """An overdue item of a roll-up, with the case it belongs to.

    Attributes:
        case_id: its case.
        inspected_body: its case's inspected body.
        item: the item as ``rectflow.status`` reports it (days late, original deadline,
            extensions, responsibility).
    """

    case_id: str
    inspected_body: str
    item: OverdueItem

    def to_dict(self) -> dict[str, Any]:
        """The item's status record with ``case`` and ``inspected_body`` in front."""
        return {"case": self.case_id, "inspected_body": self.inspected_body, **self.item.to_dict()}


@attrs.frozen
class Rollup:
    """A roll-up as of a day (what ``rectflow stats`` prints; docs/stats.md).

    Attributes:
        as_of: the day every case is judged at.
        by: the grouping of :attr:`groups`, or ``None`` for the totals only.
        cases: how many cases are counted.
        problems: the problems of all cases.
        items: the items of all cases.
        accountability: people held to account (问责) by the day, by form (zeros left out).
        groups: the groups, in the order first met (cases in order, ledgers in order); the group
            of items naming no key last.
        overdue: every overdue item, by case, then in ledger order.
        ladder: the escalation ladder the levels are counted on.
        round_id: the round's id, for a round's roll-up.
        round_name: the round's name, for a round's roll-up.
    """

    as_of: dt.date
    by: Grouping | None
    cases: int
    problems: Tally
    items: Tally
    accountability: Mapping[AccountabilityForm, int]
    groups: tuple[RollupGroup, ...]
    overdue: tuple[RolledOverdue, ...]
    ladder: Ladder
    round_id: str | None = None
    round_name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The roll-up as JSON-ready data: ``format`` ``rectflow.stats``, ``version`` 1
        (docs/stats.md documents every key)."""
        return {
            "format": STATS_FORMAT,
            "version": STATS_VERSION,
            "as_of": self.as_of.isoformat(),
            "round": None
            if self.round_id is None
            else {"id": self.round_id, "name": self.round_name},
            "cases": self.cases,
            "by": self.by,
            "problems": self.problems.to_dict(),
            "items": self.items.to_dict(),
            "accountability": {f.value: self.accountability.get(f, 0) for f in AccountabilityForm},
            "levels": [
                {"name": level.name, "label": level.label, "starts": level.starts}
                for level in self.ladder.levels
            ],
            "groups": [group.to_dict() for group in self.groups],
            "overdue": [record.to_dict() for record in self.overdue],
        }


# -- counting ----------------------------------------------------------------------------------


@attrs.define
class _Counts:
    """A tally being counted (mutable; frozen into a :class:`Tally`)."""

    states: Counter[ItemState] = attrs.Factory(Counter)
    unknown: int = 0
    overdue: int = 0
    rejections: int = 0
    extensions: int = 0
    on_time: int = 0
    timed: int = 0
    on_time_unknown: int = 0
    levels: Counter[str] | None = None

    def frozen(self, ladder: Ladder) -> Tally:
        levels = self.levels
        return Tally(
            by_state={s: self.states[s] for s in ItemState if self.states[s]},
            unknown=self.unknown,
            overdue=self.overdue,
            rejections=self.rejections,
            extensions=self.extensions,
            on_time=None if levels is None else Rate(self.on_time, self.timed),
            on_time_unknown=self.on_time_unknown,
            levels=None if levels is None else {lv.name: levels[lv.name] for lv in ladder.levels},
        )


@attrs.frozen
class _Judged:
    """What a roll-up needs of one problem or item, as it stood on the day."""

    state: ItemState | None  # None: no one stated it
    overdue: bool
    rejections: int
    extensions: int
    on_time: bool | None = None  # None: outside the on-time rate
    on_time_unknown: bool = False
    level: str | None = None


def _add(counts: _Counts, judged: _Judged) -> None:
    if judged.state is None:
        counts.unknown += 1
    else:
        counts.states[judged.state] += 1
    counts.overdue += judged.overdue
    counts.rejections += judged.rejections
    counts.extensions += judged.extensions
    if counts.levels is not None:
        if judged.on_time is not None:
            counts.timed += 1
            counts.on_time += judged.on_time
        counts.on_time_unknown += judged.on_time_unknown
        if judged.level is not None:
            counts.levels[judged.level] += 1


def _item_counts() -> _Counts:
    return _Counts(levels=Counter())


def _completed_on(case: Case) -> dict[str, dt.date]:
    """The day each item last became completed (completed, submitted or closed from a state that
    was not), for the items that are so at the end of the log: one pass over it."""
    index = case.reindex()
    table = ITEM_LIFECYCLE.table
    triggers = frozenset(ITEM_LIFECYCLE.triggers)
    states: dict[str, ItemState] = {}
    done_on: dict[str, dt.date] = {}

    def move(item: Problem | Measure, trigger: str, on: dt.date) -> None:
        before = states.get(item.id, item.initial_state)
        after = table.get((before, trigger), before)
        states[item.id] = after
        if after in COMPLETED_STATES and before not in COMPLETED_STATES:
            done_on[item.id] = on
        elif after not in COMPLETED_STATES:
            done_on.pop(item.id, None)

    for row in case.events._raw():
        trigger, target, on = row[1], row[2], row[3]
        if trigger not in triggers:
            continue
        item = index.get(target)
        if isinstance(item, Problem) and item.measures:
            for measure in item.measures:  # a problem's reopen reaches its measures
                move(measure, trigger, on)
        elif item is not None:
            move(item, trigger, on)
    # A day is trusted only where the log leads to the state the item has.
    return {i: on for i, on in done_on.items() if states.get(i) is getattr(index[i], "state", None)}


def _units(case: Case) -> Iterator[tuple[Problem | Measure, Problem, Category]]:
    """Measures, and problems tracked without measures, with their problem and category."""
    for category in case.categories:
        for problem in category.problems:
            if problem.measures:
                for measure in problem.measures:
                    yield measure, problem, category
            else:
                yield problem, problem, category


def _unit_state(item: Problem | Measure) -> tuple[ItemState, bool]:
    if isinstance(item, Measure):
        return item.state, item.state_known
    return item.own_state, item.own_state_known


def _responsibility(item: Problem | Measure, problem: Problem) -> Responsibility | None:
    """The item's own responsibility, else its problem's (as the agenda resolves it)."""
    own = item.responsibility
    if own is not None and not own.is_empty():
        return own
    return problem.responsibility


@attrs.frozen
class _CaseJudgement:
    """One case judged on the day: its problems and items with their group keys."""

    problems: list[tuple[dict[Grouping, str | None], _Judged]]
    items: list[tuple[dict[Grouping, str | None], _Judged]]
    overdue: tuple[OverdueItem, ...]
    accountability: Mapping[AccountabilityForm, int]


def _body(case: Case) -> str:
    return case.inspected_body or case.id


def _judge(case: Case, as_of: dt.date, ladder: Ladder) -> _CaseJudgement:
    view, _ = as_of_view(case, as_of)
    st = status(view, as_of)
    late = {record.id for record in st.late}
    facts = item_facts(view)
    empty = ItemFacts()
    done_on = _completed_on(view)
    body = _body(view)
    items: list[tuple[dict[Grouping, str | None], _Judged]] = []
    problems: list[tuple[dict[Grouping, str | None], _Judged]] = []
    problem_late: set[str] = set()
    for item, problem, category in _units(view):
        state, known = _unit_state(item)
        fact = facts.get(item.id, empty)
        due = item.due_on
        on_time: bool | None = None
        unknown_day = False
        level: str | None = None
        if known and due is not None:
            if state in COMPLETED_STATES:
                completed = done_on.get(item.id)
                if completed is None:
                    unknown_day = True
                else:
                    on_time = completed <= due
            elif item.id in late:
                on_time = False
            if state not in _NOT_DUE:
                found = ladder.level_at((as_of - due).days)
                level = None if found is None else found.name
        if item.id in late:
            problem_late.add(problem.id)
        who = _responsibility(item, problem)
        keys: dict[Grouping, str | None] = {
            "body": body,
            "department": None if who is None else who.department,
            "leader": None if who is None else who.leader,
            "kind": problem.kind.value,
            "category": category.title or category.id,
        }
        items.append(
            (
                keys,
                _Judged(
                    state if known else None,
                    item.id in late,
                    fact.rejections,
                    len(fact.extensions),
                    on_time,
                    unknown_day,
                    level,
                ),
            )
        )
    for category in view.categories:
        for problem in category.problems:
            own = [problem.id, *(m.id for m in problem.measures)]
            keys = {
                "body": body,
                "department": None,
                "leader": None,
                "kind": problem.kind.value,
                "category": category.title or category.id,
            }
            problems.append(
                (
                    keys,
                    _Judged(
                        problem.state if problem.state_known else None,
                        problem.id in problem_late,
                        sum(facts.get(i, empty).rejections for i in own),
                        sum(len(facts.get(i, empty).extensions) for i in own),
                    ),
                )
            )
    return _CaseJudgement(problems, items, st.late, st.accountability)


def round_cases(
    cases_or_round: Case | Round | Iterable[Case], *, counter: str = "rollup"
) -> tuple[list[Case], Round | None]:
    """The cases a round's figures count, and the round when one was given.

    Raises:
        ValueError: a round lists case files but holds none (loaded with ``cases=False``).
        TypeError: something other than a case among them (``counter`` names the function).
    """
    if isinstance(cases_or_round, Round):
        if cases_or_round.case_files and not cases_or_round.cases:
            raise ValueError(
                f"round {cases_or_round.id!r} lists case files but holds no cases: load it with "
                "rectflow.load_round(path) (not cases=False), or give them with "
                "round.with_cases(cases)"
            )
        return list(cases_or_round.cases), cases_or_round
    if isinstance(cases_or_round, Case):
        return [cases_or_round], None
    cases = list(cases_or_round)
    for case in cases:
        if not isinstance(case, Case):
            raise TypeError(
                f"{counter} counts Case objects (or a Round), not {type(case).__name__}: {case!r}"
            )
    return cases, None


def rollup(
    cases_or_round: Case | Round | Iterable[Case],
    *,
    as_of: dt.date,
    by: Grouping | None = None,
    ladder: Ladder | None = None,
) -> Rollup:
    """Count the problems and items of a case, a round or some cases as of a day.

    Every case is judged as it stood on ``as_of`` (:func:`rectflow.case_as_of`): its counts by
    state agree with ``rectflow.status(case, as_of)`` and its overdue items with
    ``rectflow.overdue(case, as_of)``. docs/stats.md defines every figure and its denominator.

    Args:
        cases_or_round: a case, a :class:`~rectflow.Round` (its loaded :attr:`Round.cases`),
            or cases (not modified).
        as_of: the day; never read from the clock.
        by: break the counts down by ``body`` (the inspected body), ``department`` or
            ``leader`` (an item's own responsibility, else its problem's), ``kind`` (the
            problem's kind) or ``category`` (the category's title); ``None`` for totals only.
        ladder: the escalation ladder the items' levels are counted on (a policy's
            ``escalation``); :data:`rectflow.DEFAULT_LADDER` when ``None``.

    Raises:
        TypeError: ``as_of`` is not a date, or something other than a case is given.
        ValueError: ``by`` is not one of :data:`GROUPINGS`, or a round lists case files but
            holds none (loaded with ``cases=False``).
    """
    if type(as_of) is not dt.date:
        raise TypeError(f"as_of must be a datetime.date, not {type(as_of).__name__}: {as_of!r}")
    if by is not None and by not in GROUPINGS:
        raise ValueError(f"by must be one of {', '.join(GROUPINGS)} (or None), not {by!r}")
    ladder = ladder if ladder is not None else DEFAULT_LADDER
    cases, round_ = round_cases(cases_or_round)
    problems, items = _Counts(), _item_counts()
    accountability: Counter[AccountabilityForm] = Counter()
    group_problems: dict[str | None, _Counts] = {}
    group_items: dict[str | None, _Counts] = {}
    group_accountability: dict[str | None, Counter[AccountabilityForm]] = {}
    group_stated: dict[str | None, list[StatedCount]] = {}
    overdue: list[RolledOverdue] = []
    for case in cases:
        judged = _judge(case, as_of, ladder)
        accountability.update(judged.accountability)
        overdue.extend(RolledOverdue(case.id, case.inspected_body, r) for r in judged.overdue)
        for keys, problem in judged.problems:
            _add(problems, problem)
            if by is not None and by not in _ITEMS_ONLY:
                _add(group_problems.setdefault(keys[by], _Counts()), problem)
        for keys, item in judged.items:
            _add(items, item)
            if by is not None:
                _add(group_items.setdefault(keys[by], _item_counts()), item)
        if by == "body":
            body = _body(case)
            group_problems.setdefault(body, _Counts())
            group_items.setdefault(body, _item_counts())
            group_accountability.setdefault(body, Counter()).update(judged.accountability)
            group_stated.setdefault(body, []).extend(case.stated_counts)
    order = list({**dict.fromkeys(group_problems), **dict.fromkeys(group_items)})
    order.sort(key=lambda k: k is None)  # stable: first met first, the unnamed last
    groups = tuple(
        RollupGroup(
            key,
            None if by in _ITEMS_ONLY else group_problems.get(key, _Counts()).frozen(ladder),
            group_items.get(key, _item_counts()).frozen(ladder),
            None if by != "body" else _forms(group_accountability.get(key, Counter())),
            tuple(group_stated.get(key, ())),
        )
        for key in order
    )
    return Rollup(
        as_of=as_of,
        by=by,
        cases=len(cases),
        problems=problems.frozen(ladder),
        items=items.frozen(ladder),
        accountability=_forms(accountability),
        groups=groups,
        overdue=tuple(overdue),
        ladder=ladder,
        round_id=None if round_ is None else round_.id,
        round_name=None if round_ is None else round_.name,
    )


def _forms(counts: Counter[AccountabilityForm]) -> dict[AccountabilityForm, int]:
    return {form: counts[form] for form in AccountabilityForm if counts[form]}
