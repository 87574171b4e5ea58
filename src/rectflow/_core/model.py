"""The domain model: a case, its inspection, its ledger (categories, problems, measures), its
disclosures and reviews, and its append-only event log.

These are plain attrs classes: data and derived properties, no I/O and no state machines. The
lifecycles live in ``lifecycle`` and fire on these objects without binding anything to them.

Every field holds what its annotation says, checked where the object is built and where a field
is assigned (``fields``): a wrong value raises :class:`~rectflow.errors.InvalidFieldError`
naming the class, the field, the value, what was expected and the fix, at the line that caused
it. The rule is one for all fields: **check, never convert**. ``Inspection(kind="xuncha")``
raises (pass ``InspectionKind.XUNCHA``), ``actor=5`` raises, and a ``datetime.date`` where a
:class:`FuzzyDate` is expected raises (pass ``FuzzyDate.of(day)``), so the value a program holds
is the value rectflow compares and saves, and the annotations stay the exact runtime types.
``datetime.datetime`` is not a day; ``bool`` is not an ``int``; tuples of strings are tuples
(``tags=("a",)``), lists of items are lists, and a string is a plain ``str`` (a ``StrEnum``
member where text belongs is refused: it would be written as text and read back as a ``str``).
What a list holds is checked when the object is built; changing the list in place
afterwards is checked when the case is saved (``save_case`` refuses what ``load_case`` would).
The model owns its lists and tables: a list given to a constructor is copied into a sealable one
(``fields.SealableList``), which reads and compares as a list and refuses changes while guards
run.
rectflow's own firing and replay set states directly, with values already known good.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any, SupportsIndex

import attrs

from rectflow._core.dates import FuzzyDate, Period
from rectflow._core.events import Event, EventData, EventLog, EventRow, _to_log
from rectflow._core.fields import (
    BOOL,
    CHANGED,
    DAY,
    FUZZY,
    GROWN,
    INT,
    NATURAL,
    PERIOD,
    POSITIVE,
    STRINGS,
    STRUCTURE,
    TEXT,
    Spec,
    checked,
    counts,
    fast_init,
    instance,
    list_of,
    member,
    on_set,
    one_of,
    optional,
    owned,
    owned_list,
    sealable_dict,
    sealable_list,
    tuple_of,
)
from rectflow._core.kinds import (
    AccountabilityForm,
    CaseState,
    Classification,
    ContactKind,
    DisclosureScope,
    EvidenceKind,
    Grade,
    InspectionKind,
    ItemState,
    ProblemKind,
    ReviewKind,
)
from rectflow.errors import UnknownItemError

__all__ = [
    "Accountability",
    "AccountabilityForm",
    "Case",
    "CaseState",
    "Category",
    "Classification",
    "Contact",
    "ContactKind",
    "Disclosure",
    "DisclosureScope",
    "Evaluation",
    "Event",
    "EventData",
    "EventLog",
    "EventRow",
    "Evidence",
    "EvidenceKind",
    "Grade",
    "Inspection",
    "InspectionKind",
    "ItemState",
    "LeadingGroup",
    "Measure",
    "Milestone",
    "Plan",
    "Problem",
    "ProblemKind",
    "Responsibility",
    "Review",
    "ReviewKind",
    "ReviewOutcome",
    "StatedCount",
]


def _measure_list(value: list[Measure]) -> list[Measure]:
    return owned_list(value)


def _problem_list(value: list[Problem]) -> list[Problem]:
    return owned_list(value)


def _category_list(value: list[Category]) -> list[Category]:
    return owned_list(value)


def _accountability_list(value: list[Accountability]) -> list[Accountability]:
    return owned_list(value)


def _evaluation_list(value: list[Evaluation]) -> list[Evaluation]:
    return owned_list(value)


def _contact_list(value: list[Contact]) -> list[Contact]:
    return sealable_list(value)


def _reviewoutcome_list(value: list[ReviewOutcome]) -> list[ReviewOutcome]:
    return sealable_list(value)


def _review_list(value: list[Review]) -> list[Review]:
    return sealable_list(value)


def _milestone_list(value: list[Milestone]) -> list[Milestone]:
    return sealable_list(value)


def _disclosure_list(value: list[Disclosure]) -> list[Disclosure]:
    return sealable_list(value)


def _statedcount_list(value: list[StatedCount]) -> list[StatedCount]:
    return sealable_list(value)


def _counts_table(value: dict[ItemState, int]) -> dict[ItemState, int]:
    return sealable_dict(value)


# What each field holds (``fields``): checked when an object is built and when a field is set.
_OPT_TEXT = optional(TEXT)
_OPT_DAY = optional(DAY)
_ITEM_STATE = member(ItemState)


@attrs.define(slots=True, on_setattr=on_set)
@checked(
    kind=member(InspectionKind),
    body=_OPT_TEXT,
    team=_OPT_TEXT,
    round=_OPT_TEXT,
    onsite=optional(PERIOD),
)
class Inspection:
    """The inspection that produced the feedback.

    Attributes:
        kind: 巡视, 巡察 or other.
        body: the inspecting body, e.g. ``市委``.
        team: the inspection team, e.g. ``市委第二巡察组``.
        round: the round or batch, e.g. ``八届市委第四轮``.
        onsite: the on-site period (进驻), often fuzzy.
    """

    kind: InspectionKind = InspectionKind.XUNCHA
    body: str | None = None
    team: str | None = None
    round: str | None = None
    onsite: Period | None = None


@attrs.define(slots=True, on_setattr=on_set)
@checked(adopted_on=optional(FUZZY), title=_OPT_TEXT)
class Plan:
    """The rectification plan (整改方案)."""

    adopted_on: FuzzyDate | None = None
    title: str | None = None


@attrs.define(slots=True, on_setattr=on_set)
@checked(name=_OPT_TEXT, head=_OPT_TEXT)
class LeadingGroup:
    """The rectification leading group (整改工作领导小组)."""

    name: str | None = None
    head: str | None = None


@attrs.define(slots=True, on_setattr=on_set)
@checked(name=TEXT, on=FUZZY)
class Milestone:
    """Another dated step a notice mentions, e.g. the 专题民主生活会."""

    name: str
    on: FuzzyDate


@fast_init
@attrs.frozen(slots=True)
@checked(leader=_OPT_TEXT, department=_OPT_TEXT, person=_OPT_TEXT)
class Responsibility:
    """Who answers for an item: a leader, a department and a person (any may be absent).

    Immutable: a change of responsibility is an ``assign`` event (:func:`rectflow.assign`).
    """

    leader: str | None = None
    department: str | None = None
    person: str | None = None

    def is_empty(self) -> bool:
        """True when no one is named."""
        return self.leader is None and self.department is None and self.person is None


@attrs.frozen(slots=True)
@checked(
    title=TEXT,
    kind=member(EvidenceKind),
    on=_OPT_DAY,
    reference=_OPT_TEXT,
    added_by=_OPT_TEXT,
    public=BOOL,
)
class Evidence:
    """A piece of evidence (佐证材料) that an item was done.

    Immutable; added to an item by an ``add_evidence`` event (:func:`rectflow.add_evidence`).

    Attributes:
        title: what it is, e.g. ``院党委会会议纪要（2024年第12次）``.
        kind: document, minutes, photo, system record, ledger or other.
        on: the day of the document itself (a meeting's day, a rule's issue date), when known;
            evidence dated before the work on its item started is suspicious.
        reference: where to find it: a path, a URL or an archive number.
        added_by: who put it on file.
        public: ``True`` when it may be published; evidence is internal by default.
    """

    title: str
    kind: EvidenceKind = EvidenceKind.DOCUMENT
    on: dt.date | None = None
    reference: str | None = None
    added_by: str | None = None
    public: bool = False


_EVIDENCE = tuple_of(Evidence)
_RESPONSIBILITY = optional(instance(Responsibility))

_ITEM_API = {
    "id": "an item's id is its identity; add a new item (rectflow.add_measure, add_problem)",
    "text": "rectflow.edit_text(case, item, text, on=…)",
    "title": "rectflow.edit_text(case, item, title, on=…)",
    "responsibility": "rectflow.assign(case, item, Responsibility(…), on=…)",
    "due_on": "rectflow.set_due(case, item, day, on=…) or, once set, rectflow.extend(…)",
    "evidence": "rectflow.add_evidence(case, item, Evidence(…), on=…)",
    "added_on": "rectflow.add_measure(case, problem, measure, on=…) sets it",
    "state": "rectflow.fire(case, trigger, item=…, on=…)",
    "state_known": "rectflow.fire(case, trigger, item=…, on=…) makes a state known",
}


@fast_init
@attrs.define(slots=True, on_setattr=on_set)
@owned(**_ITEM_API)
@checked(
    id=TEXT,
    text=TEXT,
    responsibility=_RESPONSIBILITY,
    due_on=_OPT_DAY,
    state=_ITEM_STATE,
    evidence=_EVIDENCE,
    tags=STRINGS,
    added_on=_OPT_DAY,
    initial_state=_ITEM_STATE,
    state_known=BOOL,
)
class Measure:
    """A rectification measure (整改措施): one line of work on a problem.

    The fields that record progress (``text``, ``responsibility``, ``due_on``, ``state``,
    ``state_known``, ``evidence``, ``added_on``) are given when the measure is built and then
    changed only by events (:class:`~rectflow.errors.OwnedFieldError` otherwise): the log is
    the whole history (docs/supervision.md).

    Attributes:
        id: unique within the case (problems and measures share one namespace).
        text: what is to be done.
        responsibility: who answers for it.
        due_on: the deadline (整改时限) as it stands: the approved one after an extension
            (``rectflow.extensions`` lists them, the original included).
        state: where it is in the item lifecycle.
        evidence: the evidence (佐证材料) that it was done.
        tags: free labels, e.g. ``procurement``, ``institution-building``.
        added_on: when it was added to the ledger (a reopened item needs a later one).
        initial_state: the state its event log starts from (``open`` unless it was imported).
        state_known: ``False`` when no one has said where the measure stands: a notice that
            lists it without a state word gives one. Its ``state`` is then only the lifecycle's
            starting point (``open``), not a fact: it is counted apart and never published as
            未完成. Any event fired on the measure makes its state known.
    """

    id: str
    text: str = ""
    responsibility: Responsibility | None = None
    due_on: dt.date | None = None
    state: ItemState = ItemState.OPEN
    evidence: tuple[Evidence, ...] = ()
    tags: tuple[str, ...] = ()
    added_on: dt.date | None = None
    initial_state: ItemState = ItemState.OPEN
    state_known: bool = True


# The order in which a problem's measures' states summarise into the problem's state.
_DONE = frozenset({ItemState.COMPLETED, ItemState.SUBMITTED, ItemState.CLOSED})
_AWAITING = frozenset({ItemState.SUBMITTED, ItemState.CLOSED})
_SETTLED = frozenset(
    {
        ItemState.COMPLETED,
        ItemState.SUBMITTED,
        ItemState.CLOSED,
        ItemState.LONG_TERM,
        ItemState.BASICALLY_COMPLETED,
    }
)


def derive_problem_state(states: Sequence[ItemState]) -> ItemState:
    """Summarise the states of a problem's measures into the problem's state.

    All closed → closed; all submitted for acceptance or closed → submitted; all completed,
    submitted or closed → completed; otherwise all settled (those and long-term, basically
    completed) → long-term if any is long-term and none is only basically completed, else
    basically completed; any reopened → reopened; all open → open; anything else → in progress.
    """
    unique = set(states)
    if unique == {ItemState.CLOSED}:
        return ItemState.CLOSED
    if unique <= _AWAITING:
        return ItemState.SUBMITTED
    if unique <= _DONE:
        return ItemState.COMPLETED
    if unique <= _SETTLED:
        if ItemState.BASICALLY_COMPLETED in unique:
            return ItemState.BASICALLY_COMPLETED
        return ItemState.LONG_TERM
    if ItemState.REOPENED in unique:
        return ItemState.REOPENED
    if unique == {ItemState.OPEN}:
        return ItemState.OPEN
    return ItemState.IN_PROGRESS


def derive_problem_state_known(measures: Sequence[Measure]) -> bool:
    """Whether a problem's measures tell its state: all of them are known, or one of the known
    ones is reopened (反弹回潮 makes the problem reopened whatever the others are)."""
    known = True
    for measure in measures:
        if not measure.state_known:
            known = False
        elif measure.state is ItemState.REOPENED:
            return True
    return known


@fast_init
@attrs.define(slots=True, on_setattr=on_set)
@owned(
    **{k: v for k, v in _ITEM_API.items() if k not in ("text", "added_on", "state", "state_known")},
    _state=_ITEM_API["state"],
    _state_known=_ITEM_API["state_known"],
    measures=_ITEM_API["added_on"],
)
@checked(
    id=TEXT,
    title=TEXT,
    kind=member(ProblemKind),
    classification=member(Classification),
    _state=_ITEM_STATE,
    parent=_OPT_TEXT,
    measures=list_of(Measure, owned=True),
    tags=STRINGS,
    transferred_on=_OPT_DAY,
    due_on=_OPT_DAY,
    initial_state=_ITEM_STATE,
    _state_known=BOOL,
    responsibility=_RESPONSIBILITY,
    evidence=_EVIDENCE,
)
class Problem:
    """A problem in the ledger: a finding of the feedback, or one the body found itself.

    A problem with measures takes its state from them (:func:`derive_problem_state`); one
    without measures has a state of its own, fired directly.

    Attributes:
        id: unique within the case, e.g. ``2.1``.
        title: a short title.
        kind: key, specific, recommendation, extended, reform or clue.
        classification: public, internal or confidential; clues are confidential.
        parent: the id of the problem it belongs under (a specific problem under a key one).
        measures: its measures.
        tags: free labels; a problem tagged with another kind's value (e.g. ``reform``) also
            counts as that kind, as notices flag "此问题属于“推动改革促进发展”整改事项".
        transferred_on: for a clue, when it was transferred for handling.
        due_on: the deadline of a problem tracked without measures (measures carry their own).
        initial_state: the state its event log starts from (problems without measures).
        responsibility: who answers for a problem tracked without measures.
        evidence: the evidence for a problem tracked without measures.
        state_known: ``False`` when no one has said where the problem stands (see
            :attr:`Measure.state_known`). A problem with measures takes it from them
            (:func:`derive_problem_state_known`): its state is unknown when one of its measures'
            is, unless a known measure is reopened; the stored value is then unused.
    """

    id: str
    title: str = ""
    kind: ProblemKind = ProblemKind.SPECIFIC
    classification: Classification = Classification.PUBLIC
    _state: ItemState = attrs.field(default=ItemState.OPEN, alias="state")
    parent: str | None = None
    measures: list[Measure] = attrs.field(factory=list, converter=_measure_list)
    tags: tuple[str, ...] = ()
    transferred_on: dt.date | None = None
    due_on: dt.date | None = None
    initial_state: ItemState = ItemState.OPEN
    _state_known: bool = attrs.field(default=True, alias="state_known")
    responsibility: Responsibility | None = None
    evidence: tuple[Evidence, ...] = ()

    @property
    def state(self) -> ItemState:
        """The problem's state: derived from its measures when it has any."""
        if self.measures:
            return derive_problem_state([m.state for m in self.measures])
        return self._state

    @state.setter
    def state(self, value: ItemState) -> None:
        self._state = value  # refused: the events own it (``fields.owned``)

    @property
    def own_state(self) -> ItemState:
        """The state stored on the problem itself (used when it has no measures)."""
        return self._state

    @property
    def state_known(self) -> bool:
        """Whether the problem's state is a fact: derived from its measures when it has any."""
        if self.measures:
            return derive_problem_state_known(self.measures)
        return self._state_known

    @state_known.setter
    def state_known(self, value: bool) -> None:
        self._state_known = value

    @property
    def own_state_known(self) -> bool:
        """The ``state_known`` stored on the problem itself (used when it has no measures)."""
        return self._state_known

    def counts_as(self, kind: ProblemKind) -> bool:
        """True when the problem is of ``kind`` or flagged as one."""
        return self.kind is kind or kind.value in self.tags


@attrs.define(slots=True, on_setattr=on_set)
@owned(
    id="a category's id is its identity",
    problems="rectflow.add_problem(case, category, problem, on=…)",
)
@checked(id=TEXT, title=TEXT, problems=list_of(Problem, owned=True))
class Category:
    """An area of findings (方面): the top level of the ledger."""

    id: str
    title: str = ""
    problems: list[Problem] = attrs.field(factory=list, converter=_problem_list)


@attrs.define(slots=True, on_setattr=on_set)
@checked(kind=member(ContactKind), value=TEXT)
class Contact:
    """One channel for the public: a phone number, an e-mail, a postal address, a PO box."""

    kind: ContactKind
    value: str


@attrs.define(slots=True, on_setattr=on_set)
@checked(
    published_on=optional(FUZZY),
    scope=member(DisclosureScope),
    channel=_OPT_TEXT,
    public_period=optional(PERIOD),
    contacts=list_of(Contact),
    title=_OPT_TEXT,
    signed_by=_OPT_TEXT,
    text=_OPT_TEXT,
)
class Disclosure:
    """A publication of the rectification progress (整改进展情况通报).

    Attributes:
        published_on: the publication (or signature) date; may be fuzzy.
        scope: inside the party, to society, or both.
        channel: where it was published, e.g. ``official website``.
        public_period: the 公开期限, when one is given.
        contacts: the channels offered for supervision.
        title: the notice's title.
        signed_by: the body that signed it.
        text: the published text, when kept (the confidentiality check reads it).
    """

    published_on: FuzzyDate | None = None
    scope: DisclosureScope = DisclosureScope.PUBLIC
    channel: str | None = None
    public_period: Period | None = None
    contacts: list[Contact] = attrs.field(factory=list, converter=_contact_list)
    title: str | None = None
    signed_by: str | None = None
    text: str | None = None


REVIEW_OUTCOMES = ("confirmed", "reopened")
"""What a review may find for an item."""


@attrs.define(slots=True, on_setattr=on_set)
@checked(item=TEXT, outcome=one_of(REVIEW_OUTCOMES, "outcome"), note=_OPT_TEXT)
class ReviewOutcome:
    """What a review found for one item: ``confirmed`` or ``reopened`` (反弹回潮)."""

    item: str
    outcome: str = "confirmed"
    note: str | None = None


@attrs.define(slots=True, on_setattr=on_set)
@checked(
    on=DAY, kind=member(ReviewKind), by=_OPT_TEXT, grade=_OPT_TEXT, outcomes=list_of(ReviewOutcome)
)
class Review:
    """A follow-up review (回头看) or an assessment (整改评估)."""

    on: dt.date
    kind: ReviewKind = ReviewKind.FOLLOW_UP
    by: str | None = None
    grade: str | None = None
    outcomes: list[ReviewOutcome] = attrs.field(factory=list, converter=_reviewoutcome_list)


@attrs.frozen(slots=True)
@checked(
    form=member(AccountabilityForm),
    people=POSITIVE,
    on=DAY,
    problem=_OPT_TEXT,
    note=_OPT_TEXT,
)
class Accountability:
    """A record of accountability (问责): how many people were held to account, in which form.

    Internal: never published one by one; a public notice states only the counts by form
    (``rectflow.accountability_counts``). Recorded by an ``accountability`` event
    (:func:`rectflow.record_accountability`).

    Attributes:
        form: 提醒谈话, 批评教育, 责令检查, 诫勉谈话, 组织处理, 党纪处分, 政务处分 or other.
        people: how many people.
        on: the day it was decided.
        problem: the id of the problem it answers, when one.
        note: a free note (internal).
    """

    form: AccountabilityForm
    people: int = 1
    on: dt.date = attrs.field(kw_only=True)
    problem: str | None = None
    note: str | None = None


def _score_ok(value: object) -> bool:
    return value is None or (type(value) in (int, float) and 0 <= value <= 100)  # type: ignore[operator]


_SCORE = Spec(
    "_score_ok({v})",
    _score_ok,
    "a number from 0 to 100, or None",
    lambda _v: "pass the score out of 100 as an int or a float (e.g. 78.5), or leave it out",
    {"_score_ok": _score_ok},
)


@attrs.frozen(slots=True)
@checked(on=DAY, grade=member(Grade), score=_SCORE, by=_OPT_TEXT, note=_OPT_TEXT)
class Evaluation:
    """A graded evaluation of a case's rectification (整改评估).

    Recorded by an ``evaluate`` event (:func:`rectflow.evaluate`). Under the
    ``evaluation.second-rectification`` rule a grade of 一般 or 差 requires a second
    rectification (二次整改): the case's ``start_second_rectification`` trigger.

    Attributes:
        on: the day of the evaluation.
        grade: 好, 较好, 一般 or 差.
        score: the score out of 100 (deduction-based), when given.
        by: who evaluated, e.g. ``县纪委监委、县委组织部、县委巡察办``.
        note: a free note.
    """

    on: dt.date
    grade: Grade
    score: float | None = None
    by: str | None = None
    note: str | None = None


COUNT_SUBJECTS = (*(k.value for k in ProblemKind), "problems", "measures")


@attrs.define(slots=True, on_setattr=on_set)
@checked(subject=one_of(COUNT_SUBJECTS, "subject"), total=optional(INT), by_state=counts(ItemState))
class StatedCount:
    """A summary count as a notice states it, kept apart from what the ledger enumerates.

    ``StatedCount("specific", 45, {COMPLETED: 34, BASICALLY_COMPLETED: 11})`` is "45 specific
    problems: 34 completed, 11 basically completed". ``subject`` is a problem kind's value,
    ``problems`` or ``measures``.
    """

    subject: str
    total: int | None = None
    by_state: dict[ItemState, int] = attrs.field(factory=dict, converter=_counts_table)


class ItemIndex(dict[str, "Problem | Measure"]):
    """A case's id index (id -> problem or measure), which also keeps, once asked, the problem of
    every measure (:meth:`Case.problem_of`). A cache, not data: rebuilt from the ledger at will.

    It remembers the ledger's counts of additions and changes it was built at
    (``rectflow._core.fields.GROWN`` and ``CHANGED``): a hit is trusted while no change was
    counted since, a miss while nothing was, so it never answers other than a scan of the
    ledger would.
    """

    __slots__ = ("changed", "grown", "parents")

    def __init__(self, items: dict[str, Problem | Measure] | None = None) -> None:
        # The counts first: anything counted while the index is being filled makes it stale.
        self.grown = GROWN[0]
        self.changed = CHANGED[0]
        super().__init__(items or {})
        self.parents: dict[str, Problem] | None = None

    def added(self, problem: Problem, measures: Sequence[Measure], current: bool) -> None:
        """Keep the index current when the event API has added ``measures`` to ``problem`` (or
        ``problem`` with them) and counted the addition: no rebuild per addition. ``current``
        says whether the index was current just before, so that it is again now."""
        self[problem.id] = problem
        parents = self.parents
        for measure in measures:
            self[measure.id] = measure
            if parents is not None:
                parents[measure.id] = problem
        if current:
            self.grown = GROWN[0]

    def is_current(self) -> bool:
        """Whether a miss is final: nothing was added to or changed in any ledger since."""
        return self.grown == GROWN[0] and self.changed == CHANGED[0]

    def __reduce_ex__(self, protocol: SupportsIndex) -> Any:
        # Another process's counts mean nothing here: a pickled index comes back empty and
        # stale, rebuilt on first use.
        return (_stale_index, ())

    def __deepcopy__(self, memo: dict[int, Any]) -> ItemIndex:
        # A copy of a case whose index is current has an index that is current for the copy.
        copied = ItemIndex({key: copy.deepcopy(item, memo) for key, item in self.items()})
        copied.grown, copied.changed = self.grown, self.changed
        if self.parents is not None:
            copied.parents = {key: copy.deepcopy(p, memo) for key, p in self.parents.items()}
        return copied


def _stale_index() -> ItemIndex:
    index = ItemIndex()
    index.grown = index.changed = -1
    return index


@fast_init
@attrs.define(slots=True, on_setattr=on_set)
@owned(
    id="a case's id is its identity",
    state="rectflow.fire(case, trigger, on=…)",
    categories="rectflow.add_problem(case, category, problem, category_title=…, on=…)",
    accountability="rectflow.record_accountability(case, Accountability(…))",
    evaluations="rectflow.evaluate(case, Evaluation(…))",
    events="the log is appended to by the event API only",
)
@checked(
    id=TEXT,
    inspected_body=TEXT,
    inspection=instance(Inspection),
    feedback_on=optional(FUZZY),
    plan=optional(instance(Plan)),
    leading_group=optional(instance(LeadingGroup)),
    centralised=optional(PERIOD),
    report_on=optional(FUZZY),
    milestones=list_of(Milestone),
    disclosures=list_of(Disclosure),
    reviews=list_of(Review),
    stated_counts=list_of(StatedCount),
    categories=list_of(Category, owned=True),
    accountability=list_of(Accountability, owned=True),
    evaluations=list_of(Evaluation, owned=True),
    state=member(CaseState),
    initial_state=member(CaseState),
    events=instance(EventLog),
    version=NATURAL,
)
class Case:
    """One inspected body's rectification after one inspection.

    Attributes:
        id: a stable identifier of the case.
        inspected_body: the body inspected, e.g. ``中共清远市人民医院委员会``.
        inspection: who inspected, when.
        feedback_on: when the feedback was given; every deadline clock starts here.
        plan: the rectification plan.
        leading_group: the rectification leading group.
        centralised: the centralised rectification period.
        report_on: when the rectification report was submitted.
        milestones: other dated steps.
        disclosures: publications of the progress.
        reviews: follow-up reviews and assessments.
        stated_counts: summary counts as stated (kept apart from the ledger).
        categories: the ledger.
        accountability: accountability records (问责), internal.
        evaluations: graded evaluations (整改评估), in the order recorded.
        state: where the case is in the case lifecycle.
        initial_state: the state its event log starts from.
        events: the append-only event log.
        version: incremented by every save; a save checks it to catch a concurrent writer.
    """

    id: str
    inspected_body: str = ""
    inspection: Inspection = attrs.Factory(Inspection)
    feedback_on: FuzzyDate | None = None
    plan: Plan | None = None
    leading_group: LeadingGroup | None = None
    centralised: Period | None = None
    report_on: FuzzyDate | None = None
    milestones: list[Milestone] = attrs.field(factory=list, converter=_milestone_list)
    disclosures: list[Disclosure] = attrs.field(factory=list, converter=_disclosure_list)
    reviews: list[Review] = attrs.field(factory=list, converter=_review_list)
    stated_counts: list[StatedCount] = attrs.field(factory=list, converter=_statedcount_list)
    categories: list[Category] = attrs.field(factory=list, converter=_category_list)
    accountability: list[Accountability] = attrs.field(factory=list, converter=_accountability_list)
    evaluations: list[Evaluation] = attrs.field(factory=list, converter=_evaluation_list)
    state: CaseState = CaseState.FEEDBACK_RECEIVED
    initial_state: CaseState = CaseState.FEEDBACK_RECEIVED
    events: EventLog = attrs.field(factory=EventLog, converter=_to_log)
    version: int = 0
    # A cache, not data: set freely (``item`` rebuilds it even while guards run).
    _index: dict[str, Problem | Measure] | None = attrs.field(
        default=None, init=False, eq=False, repr=False, on_setattr=attrs.setters.NO_OP
    )

    # -- the ledger ---------------------------------------------------------------------------

    def problems(self) -> Iterator[Problem]:
        """Every problem, category by category, in ledger order."""
        for category in self.categories:
            yield from category.problems

    def measures(self) -> Iterator[Measure]:
        """Every measure, in ledger order."""
        for category in self.categories:
            for problem in category.problems:
                yield from problem.measures

    def item(self, item_id: str) -> Problem | Measure:
        """The problem or measure with this id; raises :class:`UnknownItemError`.

        One look-up in an id index built on first use and kept beside the ledger: every change
        to the ledger's lists or ids is counted (``rectflow._core.fields``), and the index is
        rebuilt only when one was counted since it was built, so it answers as a scan of the
        ledger would, and an unknown id costs no rebuild.
        """
        index = self._index
        if type(index) is ItemIndex:
            found = index.get(item_id)
            if found is not None:
                if index.changed == CHANGED[0]:
                    return found
            elif index.is_current():
                raise UnknownItemError(item_id, self.id)
        found = self.reindex().get(item_id)
        if found is None:
            raise UnknownItemError(item_id, self.id)
        return found

    def reindex(self) -> ItemIndex:
        """Rebuild the id index (rectflow does it when the ledger changed; a host need not)."""
        index = ItemIndex()
        for problem in self.problems():
            index[problem.id] = problem
            for measure in problem.measures:
                index[measure.id] = measure
        self._index = index
        return index

    def _current_index(self) -> ItemIndex:
        """The id index, rebuilt first unless a miss in it is final (:meth:`item`)."""
        index = self._index
        if type(index) is ItemIndex and index.is_current():
            return index
        return self.reindex()

    def category_of(self, problem_id: str) -> Category:
        """The category a problem belongs to."""
        for category in self.categories:
            for problem in category.problems:
                if problem.id == problem_id:
                    return category
        raise UnknownItemError(problem_id, self.id)

    def problem_of(self, measure_id: str) -> Problem:
        """The problem a measure belongs to.

        One look-up in a table kept beside the id index (built on first use; a guard asks on
        every fire, and a scan of the ledger each time made a guarded walk quadratic), trusted
        as the index is (:meth:`item`): rebuilt when the ledger changed since.
        """
        index = self._index
        if type(index) is ItemIndex and index.parents is not None:
            found = index.parents.get(measure_id)
            if found is not None:
                if index.changed == CHANGED[0]:
                    return found
            elif index.is_current():
                raise UnknownItemError(measure_id, self.id)
        index = self._current_index()
        parents = index.parents
        if parents is None:
            parents = index.parents = {m.id: p for p in self.problems() for m in p.measures}
        found = parents.get(measure_id)
        if found is None:
            raise UnknownItemError(measure_id, self.id)
        return found

    # -- dates --------------------------------------------------------------------------------

    @property
    def last_event_on(self) -> dt.date | None:
        """The date of the latest event, or ``None`` for an empty log."""
        rows = self.events._raw()
        if not rows:
            return None
        return max(row[3] for row in rows)

    def first_fired_on(self, trigger: str, target: str = "case") -> dt.date | None:
        """The date ``trigger`` was first fired on ``target``, or ``None``."""
        for _, fired, on_target, on, *_ in self.events._raw():
            if fired == trigger and on_target == target:
                return on
        return None

    @property
    def reported_on(self) -> FuzzyDate | None:
        """When the report was submitted: ``report_on``, else the ``submit_report`` event."""
        if self.report_on is not None:
            return self.report_on
        fired = self.first_fired_on("submit_report")
        return FuzzyDate.of(fired) if fired is not None else None

    @property
    def plan_adopted_on(self) -> FuzzyDate | None:
        """When the plan was adopted: ``plan.adopted_on``, else the ``adopt_plan`` event."""
        if self.plan is not None and self.plan.adopted_on is not None:
            return self.plan.adopted_on
        fired = self.first_fired_on("adopt_plan")
        return FuzzyDate.of(fired) if fired is not None else None


# The fields an id index depends on: ``fields.force`` counts a change to one of them.
STRUCTURE.update(
    {
        Case: frozenset({"categories"}),
        Category: frozenset({"problems"}),
        Problem: frozenset({"id", "measures"}),
        Measure: frozenset({"id"}),
    }
)
