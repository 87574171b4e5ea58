"""Cases that a policy accepts: the strategy behind ``rectflow.strategies.from_policy()``.

:func:`from_policy` builds a case step by step so that every built-in rule passes under the
policy: each dated step falls inside the window the policy gives it (counted with the policy's
calendar, by :meth:`rectflow.CheckContext.due`), measures name whom the policy requires and are
due after the as-of day unless done, closed measures list evidence, open clues are within their
periods, stated counts are counted off the ledger, and public texts hold nothing the ledger keeps
back. Re-exported by :mod:`rectflow.strategies`.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections import Counter
from collections.abc import Sequence

import attrs
from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from rectflow._core.dates import FuzzyDate, Period, Precision
from rectflow._core.fields import force
from rectflow._core.model import (
    COUNT_SUBJECTS,
    Case,
    CaseState,
    Category,
    Contact,
    ContactKind,
    Disclosure,
    DisclosureScope,
    Evidence,
    ItemState,
    Measure,
    Milestone,
    Plan,
    Problem,
    ProblemKind,
    Responsibility,
    Review,
    ReviewKind,
    ReviewOutcome,
    StatedCount,
)
from rectflow._rules.calendar import Duration
from rectflow._rules.check import Checker
from rectflow._rules.context import CheckContext
from rectflow._rules.plugins import Plugins, plugin_manager
from rectflow._rules.policy import Policy
from rectflow._rules.policy_file import load_named_policy
from rectflow._testing.drawing import (
    _BODIES,
    _BOOL,
    _CHANNELS,
    _DEPARTMENTS,
    _EVIDENCE,
    _KINDS,
    _MILESTONES,
    _NAMES,
    MAX_DATE,
    MIN_DATE,
    _a_leap_day,
    _a_month_end,
    _check,
    _check_dates,
    _check_size,
    _day,
    _fuzzy_between,
    _maybe,
    _pick,
    _shift,
    _some,
    _text,
    _unit,
)
from rectflow._testing.strategies import (
    _inspection,
    _Items,
    _ledger,
)
from rectflow.checks import confidentiality, consistency, deadline, disclosure
from rectflow.checks import responsibility as responsibility_check
from rectflow.errors import PolicyError

__all__ = ["from_policy"]

_ONE_DAY = dt.timedelta(days=1)
_CONTACT_VALUES = {
    ContactKind.PHONE: "0763-1234567",
    ContactKind.EMAIL: "jw@example.org",
    ContactKind.POSTAL_ADDRESS: "某市某路1号",
    ContactKind.PO_BOX: "某市1号信箱",
}
# A public text written only with characters that no generated title, name, department or
# evidence reference uses, so it rarely needs the leak filter below.
_PUBLIC_TEXT = st.text("共已完成正在推进情况通报个月日年，。ghjklqsvw", max_size=40)


@attrs.frozen
class _Rules:
    """The options of every built-in rule under one policy, read once per strategy."""

    plan: deadline.PlanOptions
    report: deadline.ReportOptions
    centralised: deadline.CentralisedOptions
    overdue: deadline.OverdueOptions
    due_soon: deadline.DueSoonOptions
    clue: deadline.ClueOptions
    evaluation: deadline.EvaluationOptions
    required: disclosure.RequiredOptions
    timing: disclosure.TimingOptions
    public_period: disclosure.PublicPeriodOptions
    contacts: disclosure.ContactsOptions
    assigned: responsibility_check.AssignedOptions
    due_date: responsibility_check.DueDateOptions
    leak: confidentiality.LeakOptions

    @classmethod
    def of(cls, context: CheckContext) -> _Rules:
        o = context.options
        return cls(
            plan=o("deadline.plan", deadline.PlanOptions),
            report=o("deadline.report", deadline.ReportOptions),
            centralised=o("deadline.centralised", deadline.CentralisedOptions),
            overdue=o("deadline.overdue", deadline.OverdueOptions),
            due_soon=o("deadline.due-soon", deadline.DueSoonOptions),
            clue=o("deadline.clue", deadline.ClueOptions),
            evaluation=o("deadline.evaluation", deadline.EvaluationOptions),
            required=o("disclosure.required", disclosure.RequiredOptions),
            timing=o("disclosure.timing", disclosure.TimingOptions),
            public_period=o("disclosure.public-period", disclosure.PublicPeriodOptions),
            contacts=o("disclosure.contacts", disclosure.ContactsOptions),
            assigned=o("responsibility.assigned", responsibility_check.AssignedOptions),
            due_date=o("responsibility.due-date", responsibility_check.DueDateOptions),
            leak=o("confidentiality.leak", confidentiality.LeakOptions),
        )


@attrs.define
class _Builder:
    """Draws one accepted case: each step inside its window, as of ``as_of``."""

    draw: st.DrawFn
    context: CheckContext
    rules: _Rules
    as_of: dt.date
    feedback: FuzzyDate

    def due(self, start: dt.date, duration: Duration) -> dt.date:
        return self.context.due(start, duration).on

    def step(self, within: Duration, anchor: FuzzyDate | None, low: dt.date) -> FuzzyDate | None:
        """A date no earlier than ``low`` that meets ``within`` after ``anchor``, or None when
        the step may still be missing as of the as-of day (drawn either way when both hold)."""
        draw, as_of = self.draw, self.as_of
        if anchor is None:
            return _fuzzy_between(draw, low, as_of) if draw(_BOOL) else None
        last = self.due(anchor.earliest, within)
        high = min(as_of, last)
        may_miss = as_of <= last
        if low <= high and (not may_miss or draw(_BOOL)):
            return _fuzzy_between(draw, low, high)
        assume(may_miss)  # a window that ends before it can begin: this draw cannot pass
        return None

    # -- the dated steps ------------------------------------------------------------------------

    def plan(self) -> Plan | None:
        adopted = self.step(self.rules.plan.within, self.feedback, self.feedback.latest)
        if adopted is None and not self.draw(_BOOL):
            return None
        return Plan(adopted, _text(self.draw) if self.draw(_BOOL) else None)

    def centralised(self, low: dt.date) -> Period | None:
        draw, as_of = self.draw, self.as_of
        if not draw(_BOOL) or low > as_of:
            return None
        start = _fuzzy_between(draw, low, as_of)
        # The period includes its first day: it lasts through the due date counted from the
        # day before it began.
        last = self.due(start.earliest - _ONE_DAY, self.rules.centralised.longest)
        high = min(as_of, last)
        if start.latest <= high and (as_of > last or draw(_BOOL)):
            return Period(start, _fuzzy_between(draw, start.latest, high))
        return Period(start) if as_of <= last else None

    def disclosures(self, case: Case) -> list[Disclosure]:
        draw, rules = self.draw, self.rules
        required = _anchor(case, self.context, rules.required.after)
        must = required is not None and self.as_of > self.due(
            required.earliest, rules.required.within
        )
        timing = _anchor(case, self.context, rules.timing.after)
        low = self.feedback.latest
        high = self.as_of
        if timing is not None:
            high = min(high, self.due(timing.earliest, rules.timing.within))
        count = draw(st.integers(1 if must else 0, 2))
        if count and low > high:
            assume(not must)
            count = 0
        found: list[Disclosure] = []
        first: FuzzyDate | None = None
        for _ in range(count):
            # The first publication meets the timing window; later ones follow it.
            if first is None:
                first = published = _fuzzy_between(draw, low, high)
            else:
                published = _fuzzy_between(draw, first.earliest, self.as_of)
            found.append(self.disclosure(published))
        return found

    def disclosure(self, published: FuzzyDate) -> Disclosure:
        draw, rules, as_of = self.draw, self.rules, self.as_of
        scope = _pick(draw, tuple(DisclosureScope))
        public_period = None
        at_least = rules.public_period.at_least
        if draw(_BOOL) or (at_least is not None and scope is not DisclosureScope.INNER):
            start = _fuzzy_between(draw, published.earliest, as_of)
            low = start.latest
            if at_least is not None:
                low = max(low, self.due(start.latest - _ONE_DAY, at_least))
            if low <= as_of:
                public_period = Period(start, _fuzzy_between(draw, low, as_of))
            elif at_least is not None:
                # No long enough public period fits before the as-of day: an inner disclosure
                # (inside the party) needs none.
                scope = DisclosureScope.INNER
        wanted = [k for k in ContactKind if k in rules.contacts.required or draw(_BOOL)]
        return Disclosure(
            published_on=published,
            scope=scope,
            channel=_maybe(draw, _CHANNELS),
            public_period=public_period,
            contacts=[Contact(kind, _CONTACT_VALUES[kind]) for kind in wanted],
            title=_text(draw) if draw(_BOOL) else None,
            signed_by=_maybe(draw, _BODIES),
            text=draw(_PUBLIC_TEXT) if draw(_BOOL) else None,
        )

    def reviews(self, case: Case, item_ids: list[str]) -> list[Review]:
        draw, as_of = self.draw, self.as_of
        low = self.feedback.latest
        found = [
            self.review(ReviewKind.FOLLOW_UP, _day(draw, low, as_of), item_ids)
            for _ in range(draw(st.integers(0, 1)))
        ]
        within = self.rules.evaluation.within
        end = deadline.centralised_end(case, self.context)
        if within is None or end is None:
            if draw(_BOOL):
                found.append(self.review(ReviewKind.ASSESSMENT, _day(draw, low, as_of), item_ids))
            return found
        assessed = self.step(within, end.on, max(low, end.on.latest))
        if assessed is not None:
            found.append(self.review(ReviewKind.ASSESSMENT, assessed.earliest, item_ids))
        return found

    def review(self, kind: ReviewKind, on: dt.date, item_ids: list[str]) -> Review:
        draw = self.draw
        return Review(
            on=on,
            kind=kind,
            by=_maybe(draw, ("市委巡察办", "第三方")),
            grade=_maybe(draw, ("好", "较好", "一般")),
            outcomes=[
                ReviewOutcome(item, _pick(draw, ("confirmed", "reopened")))
                for item in _some(draw, item_ids, 2)
            ],
        )

    # -- the ledger -------------------------------------------------------------------------------

    def ledger(self, sizes: tuple[tuple[int, int], tuple[int, int], int]) -> list[Category]:
        categories, problems, most = sizes
        low = self.feedback.latest
        how = _Items(0, most, _KINDS, low, _shift(low, 400), tuple(ItemState))
        ledger = _ledger(self.draw, categories, problems, how)
        for problem in (p for c in ledger for p in c.problems):
            self.undate_later_evidence(problem)
            for measure in problem.measures:
                self.undate_later_evidence(measure)
                self.fix_measure(measure)
                # On the ledger from the feedback on: judged as of any day the case promises,
                # a measure added later would not count yet (rectflow.case_as_of).
                if measure.added_on is not None:
                    force(measure, "added_on", self.feedback.earliest)
            if not problem.measures:
                force(
                    problem, "due_on", self.due_date(problem.own_state, problem.due_on, exempt=True)
                )
                # A problem tracked without measures is closed against its own evidence.
                if problem.own_state is ItemState.CLOSED and not problem.evidence:
                    force(problem, "evidence", (Evidence(_pick(self.draw, _EVIDENCE)),))
            if problem.counts_as(ProblemKind.CLUE):
                problem.transferred_on = self.transfer(problem)
        return ledger

    def undate_later_evidence(self, item: Problem | Measure) -> None:
        """Evidence on file as of the as-of day is dated no later than it (or not at all)."""
        if any(e.on is not None and e.on > self.as_of for e in item.evidence):
            kept = tuple(
                attrs.evolve(e, on=None) if e.on is not None and e.on > self.as_of else e
                for e in item.evidence
            )
            force(item, "evidence", tuple(dict.fromkeys(kept)))

    def due_date(self, state: ItemState, drawn: dt.date | None, *, exempt: bool) -> dt.date | None:
        """A due date that is neither overdue nor due soon as of the as-of day, unless done."""
        draw, as_of = self.draw, self.as_of
        if state in (ItemState.COMPLETED, ItemState.CLOSED):
            if drawn is not None:
                return drawn
            return _day(draw, self.feedback.latest, as_of, (as_of,))
        if state is ItemState.LONG_TERM and exempt and drawn is None:
            return None
        # Not due within the due-soon window: after the horizon it ends on; half the time within
        # a month of it, often on its first day (the earliest an open item may be due, which
        # the harness's days soon pass).
        horizon = max(as_of, self.due(as_of, self.rules.due_soon.within))
        if drawn is not None and drawn > horizon:
            return drawn
        first = _shift(horizon, 1)
        last = _pick(draw, (_shift(first, 30), _shift(first, 364)))
        return _day(draw, first, last, (first,))

    def fix_measure(self, measure: Measure) -> None:
        draw, rules = self.draw, self.rules
        force(
            measure,
            "due_on",
            self.due_date(measure.state, measure.due_on, exempt=rules.due_date.exempt_long_term),
        )
        # Named roles each need a name; without any (["any"], or none listed) one will do.
        require = [r for r in ("leader", "department", "person") if r in rules.assigned.require]
        who = measure.responsibility or Responsibility()
        if not require:
            if who.is_empty():
                who = Responsibility(department=_pick(draw, _DEPARTMENTS))
        else:
            who = Responsibility(
                leader=who.leader or (_pick(draw, _NAMES) if "leader" in require else None),
                department=who.department
                or (_pick(draw, _DEPARTMENTS) if "department" in require else None),
                person=who.person or (_pick(draw, _NAMES) if "person" in require else None),
            )
        force(measure, "responsibility", None if who.is_empty() else who)
        if measure.state is ItemState.CLOSED and not measure.evidence:
            force(measure, "evidence", (Evidence(_pick(draw, _EVIDENCE)),))

    def transfer(self, clue: Problem) -> dt.date | None:
        """A transfer date for a clue: any for a handled clue, else recent enough that neither
        the normal nor the longest period has passed as of the as-of day."""
        draw, as_of, low = self.draw, self.as_of, self.feedback.latest
        if clue.state in (ItemState.COMPLETED, ItemState.CLOSED):
            return _day(draw, low, as_of) if draw(_BOOL) else None
        periods = (self.rules.clue.normal, self.rules.clue.longest)
        if clue.transferred_on is None and all(
            self.due(self.feedback.earliest, p) >= as_of for p in periods
        ):
            return None
        earliest = _earliest_start(
            lambda day: all(self.due(day, p) >= as_of for p in periods), low, as_of
        )
        return _day(draw, earliest, as_of)


def _earliest_start(ok: typing.Callable[[dt.date], bool], low: dt.date, high: dt.date) -> dt.date:
    """The first day in ``[low, high]`` for which ``ok`` holds (it holds at ``high``, and from
    any day on once it holds: due dates only move forward)."""
    while low < high:
        middle = low + (high - low) // 2
        if ok(middle):
            high = middle
        else:
            low = middle + _ONE_DAY
    return low


def _anchor(case: Case, context: CheckContext, after: str) -> FuzzyDate | None:
    """The date a disclosure window counts from (see :mod:`rectflow.checks.disclosure`)."""
    if after == "feedback":
        return case.feedback_on
    if after == "report":
        return case.reported_on
    end = deadline.centralised_end(case, context)
    return None if end is None else end.on


def _tally(problems: Sequence[Problem], subject: str) -> Counter[ItemState]:
    """The ledger's states for a count subject, as consistency.count counts them."""
    not_clues = [p for p in problems if not p.counts_as(ProblemKind.CLUE)]
    if subject == "measures":
        return Counter(m.state for p in not_clues for m in p.measures)
    if subject == "problems":
        return Counter(p.state for p in not_clues)
    return Counter(p.state for p in problems if p.counts_as(ProblemKind(subject)))


def _stated_counts(draw: st.DrawFn, ledger: list[Category]) -> list[StatedCount]:
    problems = [p for c in ledger for p in c.problems]
    counts = []
    for subject in _some(draw, COUNT_SUBJECTS, 3):
        states = _tally(problems, subject)
        # Only the states a notice states a count of (``consistency.COUNTED_STATES``): none
        # says how many items wait for acceptance.
        stated = tuple(s for s in ItemState if s in consistency.COUNTED_STATES)
        by_state = {
            state: sum(states[s] for s in consistency.COUNTED_STATES[state])
            for state in _some(draw, stated, 3)
        }
        total = states.total() if draw(_BOOL) else None
        counts.append(StatedCount(subject, total, by_state))
    return counts


def _secrets(ledger: list[Category]) -> set[str]:
    """Every text a public disclosure may have to keep back: titles, names, evidence."""
    found: set[str] = set()
    for problem in (p for c in ledger for p in c.problems):
        found.add(problem.title.strip())
        for measure in problem.measures:
            who = measure.responsibility
            if who is not None:
                found.update(n.strip() for n in (who.leader, who.person) if n is not None)
            found.update(e.title.strip() for e in measure.evidence)
    return found


def _states(case: Case) -> list[CaseState]:
    """The case states its stated steps bear out, in lifecycle order."""
    reported = case.report_on is not None
    dates = {
        CaseState.FEEDBACK_RECEIVED: True,
        CaseState.PLAN_ADOPTED: case.plan is not None and case.plan.adopted_on is not None,
        CaseState.CENTRALISED: case.centralised is not None,
        CaseState.REPORTED: reported,
        CaseState.DISCLOSED: reported and bool(case.disclosures),
        CaseState.PUBLIC_PERIOD_CLOSED: reported
        and any(
            d.public_period is not None and d.public_period.end is not None
            for d in case.disclosures
        ),
        CaseState.CONTINUING: reported,
        CaseState.REVIEWED: reported and bool(case.reviews),
        CaseState.CLOSED: reported and bool(case.reviews),
    }
    return [state for state, borne in dates.items() if borne]


@st.composite
def _accepted(
    draw: st.DrawFn,
    checker: Checker,
    as_of: dt.date | None,
    bounds: tuple[dt.date, dt.date],
    sizes: tuple[tuple[int, int], tuple[int, int], int],
) -> Case:
    low, high = bounds
    feedback = _feedback_date(draw, low, high)
    # The as-of day: a third of the cases are young (as of the feedback's own last day, or
    # within a month of it: their open items fall due soon after the feedback, their case is
    # early in its lifecycle), the rest as of any day in two years, often a month's end or a
    # 29 February (_day).
    day = as_of
    if day is None:
        young = _shift(feedback.latest, 31)
        span = _pick(draw, ((feedback.latest, young), (feedback.latest, _shift(young, 699))))
        day = _day(draw, *span, (feedback.latest,))
    context = checker.context(day)
    rules = _Rules.of(context)
    # A fuzzy feedback date can leave no room for a step due within a short period of it
    # ("0 days" after "2021-06"): such a policy gets the exact last day the date may mean.
    windows = [rules.plan.within, rules.report.within]
    windows += [r.within for r in (rules.timing, rules.required) if r.after == "feedback"]
    if any(context.due(feedback.earliest, w).on < feedback.latest for w in windows):
        feedback = FuzzyDate.of(feedback.latest)
    build = _Builder(draw, context, rules, day, feedback)
    plan = build.plan()
    cursor = feedback.latest if plan is None or plan.adopted_on is None else plan.adopted_on.latest
    centralised = build.centralised(cursor)
    report = build.step(rules.report.within, feedback, feedback.latest)
    case = Case(
        id=f"case-{draw(st.integers(1, 999))}",
        inspected_body=_pick(draw, _BODIES),
        inspection=_inspection(draw, feedback),
        feedback_on=feedback,
        plan=plan,
        centralised=centralised,
        report_on=report,
    )
    case.milestones = [
        Milestone(_pick(draw, _MILESTONES), _fuzzy_between(draw, feedback.latest, day))
        for _ in range(draw(st.integers(0, 2)))
    ]
    force(case, "categories", build.ledger(sizes))
    item_ids = [i for p in case.problems() for i in (p.id, *(m.id for m in p.measures))]
    case.disclosures = build.disclosures(case)
    case.reviews = build.reviews(case, item_ids)
    case.stated_counts = _stated_counts(draw, case.categories)
    secrets = {s for s in _secrets(case.categories) if len(s) >= rules.leak.min_length}
    for item in case.disclosures:
        if item.text is not None and any(secret in item.text for secret in secrets):
            item.text = None
    state = _pick(draw, _states(case))
    force(case, "state", state)
    case.initial_state = state
    return case


def _feedback_date(draw: st.DrawFn, low: dt.date, high: dt.date) -> FuzzyDate:
    """A feedback date: an exact day, a dekad or a month (a year is too coarse to count from).

    Every date of the case counts from it, so it is often where date arithmetic breaks: a third
    of the time a 29 February, a third a month's last day (as a day, or the dekad or month
    ending on it), else any date (what it shrinks to)."""
    boundary = _pick(draw, (None, _a_leap_day, _a_month_end))
    day = boundary(draw, low, high) if boundary is not None else None
    if day is not None:
        unit = _unit(day, _pick(draw, (Precision.DAY, Precision.MONTH, Precision.DEKAD)))
        return unit if low <= unit.earliest and unit.latest <= high else FuzzyDate.of(day)
    date = _fuzzy_between(draw, low, high)
    if date.precision is Precision.YEAR:
        return FuzzyDate.of(date.latest)
    return date


def from_policy(
    policy: Policy | str,
    *,
    as_of: dt.date | None = None,
    plugins: Plugins | None = None,
    min_value: dt.date = MIN_DATE,
    max_value: dt.date = MAX_DATE,
    max_categories: int = 3,
    min_problems: int = 0,
    max_problems: int = 6,
    max_measures: int = 3,
) -> st.SearchStrategy[Case]:
    """Cases that ``policy`` accepts: checked under it, no built-in rule reports anything.

    Every dated step lies inside the window the policy gives it (or is not due yet), counted
    with the policy's calendar; measures name whom ``responsibility.assigned`` requires and
    have a due date that is neither past nor near unless they are done; closed measures list
    evidence; open clues are within their periods; stated counts are the ledger's; public
    disclosures offer the required contacts and a long enough public period, and their text
    holds nothing the ledger keeps back. Every rule is met, enabled or not, so the cases also
    suit the policy with any rule switched on. The cases have no events: items start in the
    states drawn (``initial_state``), as an imported case does, and the case's state is one its
    dates bear out.

    A case is accepted as of ``as_of`` when it is given (its dates all fall on or before it), and
    otherwise as of :func:`rectflow.default_as_of` of the case (the latest date it states) and
    any later day up to the one it was built for. Rules of third-party plugins are unknown to
    the strategy: filter for them, or start from these cases in
    :func:`~rectflow.strategies.workflow_test`.

    Args:
        policy: a :class:`rectflow.Policy`, or a preset's name or a policy file.
        as_of: the day the cases must be accepted at.
        plugins: where the policy's calendar (and a preset) come from (default: the built-in
            checks without entry points; pass ``rectflow.plugin_manager()`` for the ``cn``
            calendar).
        min_value: the earliest day the feedback date may mean.
        max_value: the latest day the feedback date may mean.
        max_categories: the most categories.
        min_problems: the fewest problems in the ledger.
        max_problems: the most problems in the ledger.
        max_measures: the most measures per problem.

    Raises:
        InvalidArgument: the policy does not load, names a calendar the plugins lack, or the
            dates or sizes are impossible.
    """
    plugins = plugins if plugins is not None else plugin_manager(load_entry_points=False)
    try:
        resolved = policy if isinstance(policy, Policy) else load_named_policy(policy, plugins)
        checker = Checker(plugins, resolved)
    except PolicyError as error:
        raise InvalidArgument(
            f"policy={policy!r} can't be used: {error} (for a plugin's calendar, pass "
            "plugins=rectflow.plugin_manager())"
        ) from None
    _check_dates(min_value, max_value)
    if as_of is not None:
        _check(type(as_of) is dt.date, f"as_of={as_of!r} must be a datetime.date")
        _check(as_of >= min_value, f"as_of={as_of} is before min_value={min_value}")
        max_value = min(max_value, as_of)
    _check_size("categories", 0, max_categories)
    _check_size("problems", min_problems, max_problems)
    _check(
        max_categories > 0 or min_problems == 0,
        f"min_problems={min_problems} needs at least one category (max_categories=0)",
    )
    _check_size("measures", 0, max_measures)
    sizes = ((0, max_categories), (min_problems, max_problems), max_measures)
    return _accepted(checker, as_of, (min_value, max_value), sizes)
