"""The public projection of a case: exactly what a published notice of it can say.

:func:`public_projection` is what :func:`rectflow.render_notice` renders, and what
:func:`rectflow.parse_notice` gives back from the rendered text. ``docs/notices.md`` lists, field by
field, what survives; in short: public problems and their measures with their states and kinds,
the dated steps, the contact channels and the signature survive; everything internal or
confidential, every person's name, evidence, deadlines, reviews and events do not. An item
submitted for acceptance is projected as completed (its completion is claimed). Accountability
is not in the projection (a case records it decision by decision, with dates and notes a notice
never gives): a notice states only :func:`rectflow._core.public.public_accountability_counts`,
and :func:`rectflow.parse_notice` reads those back apart from the case.
"""

from __future__ import annotations

from collections.abc import Iterable

from rectflow._core.dates import FuzzyDate, Period
from rectflow._core.labels import INSPECTION_KIND_ZH, KIND_FLAG_ZH
from rectflow._core.model import (
    Case,
    CaseState,
    Category,
    Contact,
    Disclosure,
    Inspection,
    ItemState,
    LeadingGroup,
    Measure,
    Milestone,
    Plan,
    Problem,
    ProblemKind,
    StatedCount,
    derive_problem_state,
)
from rectflow._core.public import (
    is_public_category,
    is_public_measure,
    is_public_problem,
    last_public_disclosure,
    public_state,
)
from rectflow._notices.front import organ_of
from rectflow._notices.parse import notice_case_id
from rectflow._notices.text import clean_text

__all__ = ["COUNTED_KINDS", "count_ledger", "notice_title", "public_projection"]

COUNTED_KINDS = (
    ProblemKind.KEY,
    ProblemKind.SPECIFIC,
    ProblemKind.RECOMMENDATION,
    ProblemKind.EXTENDED,
    ProblemKind.REFORM,
)
"""The problem kinds a notice's summary counts, in the order it states them."""

_LEADING_GROUP_ENDS = ("领导小组", "领导组")


def _plain(date: FuzzyDate | None) -> FuzzyDate | None:
    """The date as a notice writes it: with its year, so no longer inferred."""
    if date is None or not date.inferred:
        return date
    return FuzzyDate(date.year, date.month, date.day, date.dekad)


def _plain_period(period: Period | None) -> Period | None:
    if period is None:
        return None
    start = _plain(period.start)
    assert start is not None  # noqa: S101 - a period always has a start
    return Period(start, _plain(period.end))


def _text(value: str | None) -> str | None:
    cleaned = clean_text(value or "")
    return cleaned or None


def _topmost_public_ancestor(problem: Problem, by_id: dict[str, Problem]) -> Problem | None:
    """The outermost public problem above ``problem`` in its category, following ``parent``."""
    found = None
    seen = {problem.id}
    parent = problem.parent
    while parent is not None and parent not in seen and parent in by_id:
        seen.add(parent)
        above = by_id[parent]
        if is_public_problem(above):
            found = above
        parent = above.parent
    return found


def _public_problems(category: Category, number: str) -> list[Problem]:
    """The category's public problems, each root followed by what hangs under it."""
    by_id = {p.id: p for p in category.problems}
    public = [p for p in category.problems if is_public_problem(p)]
    roots: dict[int, list[Problem]] = {}
    order: list[Problem] = []
    for problem in public:
        root = _topmost_public_ancestor(problem, by_id)
        if root is None:
            order.append(problem)
            roots.setdefault(id(problem), [])
        else:
            roots.setdefault(id(root), []).append(problem)
    projected: list[Problem] = []
    for root in order:
        root_id = f"{number}.{len(projected) + 1}"
        projected.append(_public_problem(root, root_id, None))
        for child in roots[id(root)]:
            projected.append(_public_problem(child, f"{number}.{len(projected) + 1}", root_id))
    return projected


def _shown(state: ItemState, known: bool) -> ItemState:
    """The state a notice states (submitted as completed); an unstated state is carried as
    unstated, from where the importer starts it (open)."""
    return public_state(state) if known else ItemState.OPEN


def _public_problem(problem: Problem, new_id: str, parent: str | None) -> Problem:
    measures = [
        Measure(
            f"{new_id}.{n}",
            clean_text(m.text),
            state=_shown(m.state, m.state_known),
            initial_state=_shown(m.state, m.state_known),
            state_known=m.state_known,
        )
        for n, m in enumerate((m for m in problem.measures if is_public_measure(m, problem)), 1)
    ]
    flags = tuple(
        k.value for k in KIND_FLAG_ZH if k.value in problem.tags and k is not problem.kind
    )
    if measures:  # a problem with measures stores theirs as its own
        state, known = derive_problem_state([m.state for m in measures]), True
    else:
        known = problem.state_known
        state = _shown(problem.state, known)
    return Problem(
        new_id,
        clean_text(problem.title),
        problem.kind,
        state=state,
        parent=parent,
        measures=measures,
        tags=flags,
        initial_state=state,
        state_known=known,
    )


def count_ledger(categories: Iterable[Category]) -> list[StatedCount]:
    """The summary counts a ledger gives: each counted kind (flags included), then measures.

    A subject with nothing in it is left out; ``total`` counts every item of the subject,
    ``by_state`` only the items whose state is known, with the states that occur in the item
    lifecycle's order (an item whose state was never stated is in no state's count).
    """
    problems = [p for c in categories for p in c.problems]
    counts = []
    for kind in COUNTED_KINDS:
        items = [p for p in problems if p.counts_as(kind)]
        if items:
            known = [p.state for p in items if p.state_known]
            counts.append(StatedCount(kind.value, len(items), _by_state(known)))
    measures = [m for p in problems for m in p.measures]
    if measures:
        known = [m.state for m in measures if m.state_known]
        counts.append(StatedCount("measures", len(measures), _by_state(known)))
    return counts


def _stated(counts: Iterable[StatedCount]) -> list[StatedCount]:
    """The case's stated counts as a notice states them: those with a total, the first of each
    subject (a notice states a subject once; the importer keeps the first), and none whose
    states add up to more than its total (a contradiction, which the importer refuses)."""
    stated: dict[str, StatedCount] = {}
    for count in counts:
        if count.total is None or count.subject in stated:
            continue
        if sum(count.by_state.values()) <= count.total:
            stated[count.subject] = StatedCount(
                count.subject, count.total, _public_by_state(count.by_state)
            )
    return list(stated.values())


def _public_by_state(by_state: dict[ItemState, int]) -> dict[ItemState, int]:
    """Counts by state as a notice states them: submitted ones among the completed (a notice
    states one number per word, and both read 已完成), in the order stated."""
    merged: dict[ItemState, int] = {}
    for state, n in by_state.items():
        shown = public_state(state)
        merged[shown] = merged.get(shown, 0) + n
    return merged


def _by_state(states: list[ItemState]) -> dict[ItemState, int]:
    return {s: states.count(s) for s in ItemState if s in states}


def notice_title(inspected_body: str, inspection: Inspection) -> str:
    """The title a rendered notice carries: "…关于八届市委第四轮巡察整改进展情况的通报".

    Without an inspected body the title is "巡察整改进展情况的通报" (never one that starts with
    关于); the round is named only after the body.
    """
    kind = INSPECTION_KIND_ZH[inspection.kind]
    if not inspected_body:
        return f"{kind}整改进展情况的通报"
    return f"{inspected_body}关于{inspection.round or ''}{kind}整改进展情况的通报"


def public_projection(case: Case) -> Case:
    """The part of a case that a published notice of it carries, as the importer reads it back.

    ``parse_notice(render_notice(case)).case == public_projection(case)``, and the projection of
    a projection is itself. What survives, field by field, is listed in ``docs/notices.md``:

    * the ledger's public problems and measures (:mod:`rectflow._core.public` decides: not
      internal or confidential, not a clue, by kind, tag or classification) with their states
      (an unstated state stays unstated: ``state_known`` is kept), kinds and kind flags,
      renumbered ``1.1``, ``1.1.1`` as the importer numbers them; a problem under another hangs
      under its outermost public ancestor; a category without a public problem is left out;
    * the summary counts: the case's ``stated_counts`` as stated (those with a total whose
      states do not add up to more than it), or, when it states none such, counts of the
      projected ledger in which an item of unknown state is in no state's count;
    * the inspection, the feedback date, the plan, the leading group's name, the centralised
      period, the report date and the meetings, with every year written (none inferred); the
      team and the round only with an inspected body (the sentences that name them name it);
    * one disclosure: the last one to the public's (scope ``public`` or ``dual``, never an
      inner one) publication date, public period and contact channels, the notice's title and
      its signing body;
    * an item submitted for acceptance (报请销号) is completed in the projection, and so are
      the submitted ones in stated counts (:func:`rectflow._core.public.public_state`);
    * no accountability records (the notice states only their counts by form:
      :func:`rectflow._core.public.public_accountability_counts`);
    * the case is ``disclosed`` and has no events.

    Text is kept as the importer keeps it: white space runs become one space, and white space and
    ，,。.；;：:、 at either end are dropped.
    """
    body = clean_text(case.inspected_body)
    last = last_public_disclosure(case.disclosures) or Disclosure()
    signed_by = _text(last.signed_by) or body or None
    body = body or signed_by or ""
    team = _text(case.inspection.team)
    if case.inspection.onsite is None and case.feedback_on is None:
        team = None  # a team is named in the on-site or the feedback sentence only
    round_ = _text(case.inspection.round)
    organ = _text(case.inspection.body)
    if organ is None:
        organ = next((o for s in (round_, team) if s and (o := organ_of(s))), None)
    if not body:
        team = round_ = None  # named only beside the body ("…组对…开展了", "…关于…巡察")
    inspection = Inspection(case.inspection.kind, organ, team, round_,
                            _plain_period(case.inspection.onsite))  # fmt: skip
    plan = None
    if case.plan is not None and (case.plan.adopted_on or _text(case.plan.title)):
        plan = Plan(_plain(case.plan.adopted_on), _text(case.plan.title))
    leading_group = None
    name = _text(case.leading_group.name) if case.leading_group else None
    if name is not None and name.endswith(_LEADING_GROUP_ENDS):
        leading_group = LeadingGroup(name)
    categories = [
        Category(str(n), clean_text(c.title), _public_problems(c, str(n)))
        for n, c in enumerate(filter(is_public_category, case.categories), 1)
    ]
    published = _plain(last.published_on)
    disclosure = Disclosure(
        published_on=published,
        public_period=_plain_period(last.public_period),
        contacts=[Contact(c.kind, v) for c in last.contacts if (v := clean_text(c.value))],
        title=notice_title(body, inspection),
        signed_by=signed_by,
    )
    milestones = [
        Milestone(n, on)
        for m in case.milestones
        if (n := clean_text(m.name)) and (on := _plain(m.on)) is not None
    ]
    return Case(
        id=notice_case_id(body, published),
        inspected_body=body,
        inspection=inspection,
        feedback_on=_plain(case.feedback_on),
        plan=plan,
        leading_group=leading_group,
        centralised=_plain_period(case.centralised),
        report_on=_plain(case.report_on),
        milestones=milestones,
        disclosures=[disclosure],
        stated_counts=_stated(case.stated_counts) or count_ledger(categories),
        categories=categories,
        state=CaseState.DISCLOSED,
        initial_state=CaseState.DISCLOSED,
    )
