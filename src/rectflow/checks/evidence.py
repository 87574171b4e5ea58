"""Evidence: closing an item (销号) needs evidence, dated within the work; a reopened item needs a
new measure.

Closing (对账销号) is the verified end of a ledger item: the ledger must show what proves it
done (佐证材料: :class:`rectflow.Evidence` records, with a title, a kind, the document's own date,
a reference and who put it on file). An item is closed by an acceptance (``accept``) or, 0.1's
path, by ``close``. A follow-up review (回头看) that finds a problem rebounding (反弹回潮) reopens
it, and the body must then add a measure rather than repeat the old ones. A rejected submission
(驳回, ``reject``) is a round of acceptance, not a rebound: it asks for no new measure.

Measures carry evidence, and so do problems tracked without measures; a problem with measures
is closed through them, and its own evidence (if any) is judged by ``evidence.dated`` only.

Each rule below gives its options (with units and defaults), its level and basis, and a PASS
and a FAIL example: complete case files (docs/case-file.md), checked as of the date given, with
the options given (tests/checks/test_check_docs.py checks every example).

Rules
=====

evidence.close
    Every closed measure, and every closed problem without measures, lists evidence. The rule
    also guards the ``close`` and ``accept`` triggers: closing or accepting such an item while
    it lists no evidence is refused (at the rule's level; an error blocks) and nothing changes.

    * No options.
    * Level: error (blocks ``close`` and ``accept``). Basis: practice: 对账销号, "建账-更新-销号"
      (RULES.md #25, #26).

    PASS (as of 2024-07-01)::

        schema = 2
        id = "closed-with-evidence"
        feedback_on = 2024-03-28

        [[categories]]
        id = "1"

        [[categories.problems]]
        id = "1.1"
        state = "closed"

        [[categories.problems.measures]]
        id = "1.1.1"
        initial_state = "closed"
        state = "closed"
        evidence = [
            { title = "院党委会纪要〔2024〕5号", kind = "minutes", on = 2024-05-10 },
        ]

    FAIL (as of 2024-07-01)::

        schema = 2
        id = "closed-without-evidence"
        feedback_on = 2024-03-28

        [[categories]]
        id = "1"

        [[categories.problems]]
        id = "1.1"
        initial_state = "closed"
        state = "closed"

evidence.dated
    Evidence is dated within the work it proves: evidence whose own date (``on``) is before
    the work on its item started (the item's first ``start`` event; for a problem with
    measures, the earliest of its measures'), or after the day it was closed (the latest
    ``close`` or ``accept`` event of an item that is closed; for a problem with measures, the
    last of its measures'), is suspicious: a document written for another purpose, or after
    the fact. One violation per piece of evidence; evidence without a date, and the bounds the
    log does not record, are not judged.

    * ``margin``: a period (days, working days or months); default ``"0 days"``: evidence
      dated up to this long before the start or after the closing passes.
    * Level: warning. Basis: practice: 对账销号 against the evidence (RULES.md #25, #26);
      evidence dated before the measure started is suspicious (issue 10).

    PASS (as of 2024-08-01)::

        schema = 2
        id = "evidence-within-the-work"
        feedback_on = 2024-03-28

        [[categories]]
        id = "1"

        [[categories.problems]]
        id = "1.1"
        state = "closed"

        [[categories.problems.measures]]
        id = "1.1.1"
        state = "closed"
        evidence = [{ title = "门诊预约制度（修订）", on = 2024-06-20 }]

        [[events]]
        seq = 1
        trigger = "start"
        target = "1.1.1"
        on = 2024-04-01

        [[events]]
        seq = 2
        trigger = "complete"
        target = "1.1.1"
        on = 2024-06-28

        [[events]]
        seq = 3
        trigger = "close"
        target = "1.1.1"
        on = 2024-07-01

    FAIL (as of 2024-08-01; the evidence predates the work by a month)::

        schema = 2
        id = "evidence-before-the-work"
        feedback_on = 2024-03-28

        [[categories]]
        id = "1"

        [[categories.problems]]
        id = "1.1"
        state = "closed"

        [[categories.problems.measures]]
        id = "1.1.1"
        state = "closed"
        evidence = [{ title = "门诊预约制度", on = 2024-03-01 }]

        [[events]]
        seq = 1
        trigger = "start"
        target = "1.1.1"
        on = 2024-04-01

        [[events]]
        seq = 2
        trigger = "complete"
        target = "1.1.1"
        on = 2024-06-28

        [[events]]
        seq = 3
        trigger = "close"
        target = "1.1.1"
        on = 2024-07-01

evidence.reopened-measure
    An item reopened by a ``reopen`` event gets a new measure (``added_on`` on or after its
    latest reopening) within ``within``: for a reopened problem, one of its own; for a reopened
    measure, one of its problem's. Until ``within`` has passed as of the check's date there is
    still time. A rejection (``reject``) is not a reopening.

    * ``within``: a period (days, working days or months); default ``"0 days"`` (the new
      measure is due the day the item is reopened).
    * Level: error. Basis: practice: a rebound (反弹回潮) found by a review is rectified again
      (RULES.md #27, #38).

    PASS (as of 2024-10-01)::

        schema = 1
        id = "reopened-with-new-measure"
        feedback_on = 2024-03-28

        [[categories]]
        id = "2"

        [[categories.problems]]
        id = "2.1"
        state = "reopened"
        measures = [
            { id = "2.1.1", initial_state = "completed", state = "reopened" },
            { id = "2.1.2", added_on = 2024-09-05 },
        ]

        [[events]]
        seq = 1
        trigger = "reopen"
        target = "2.1.1"
        on = 2024-09-01

    FAIL (as of 2024-10-01; no measure added to 2.1 since 2024-09-01)::

        schema = 1
        id = "reopened-without-new-measure"
        feedback_on = 2024-03-28

        [[categories]]
        id = "2"

        [[categories.problems]]
        id = "2.1"
        state = "reopened"
        measures = [{ id = "2.1.1", initial_state = "completed", state = "reopened" }]

        [[events]]
        seq = 1
        trigger = "reopen"
        target = "2.1.1"
        on = 2024-09-01
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

import attrs

from rectflow._core.lifecycle import Transition
from rectflow._core.model import Case, Evidence, ItemState, Measure, Problem
from rectflow._core.report import Level, Violation
from rectflow._i18n import N_, Msg
from rectflow._rules.calendar import Duration, Unit
from rectflow._rules.context import CheckContext
from rectflow._rules.hookspecs import hookimpl
from rectflow._rules.rules import Rule, guards_only, guards_when
from rectflow.checks._emit import Emitter
from rectflow.checks._timing import duration_zh
from rectflow.checks._where import item_words, measure_where, problem_where

__all__ = [
    "RULES",
    "CloseOptions",
    "DatedOptions",
    "ReopenedMeasureOptions",
    "rectflow_check_case",
    "rectflow_guard_transition",
    "rectflow_rules",
]


@attrs.frozen
class CloseOptions:
    """Options of ``evidence.close``: none."""


@attrs.frozen
class DatedOptions:
    """Options of ``evidence.dated``.

    Attributes:
        margin: evidence dated up to this long before the work started, or after the item was
            closed, passes.
    """

    margin: Duration = attrs.field(default=Duration(0, Unit.DAYS))


@attrs.frozen
class ReopenedMeasureOptions:
    """Options of ``evidence.reopened-measure``.

    Attributes:
        within: the new measure is added within this period after the reopening.
    """

    within: Duration = attrs.field(default=Duration(0, Unit.DAYS))


# The triggers that close an item: an acceptance (验收), or 0.1's close without one.
_CLOSING = ("close", "accept")

CLOSE = Rule(
    "evidence.close",
    Level.ERROR,
    CloseOptions,
    N_("Closing an item (销号) needs evidence."),
    basis="practice: 对账销号 — an item is closed against the ledger's evidence (RULES.md #25)",
    blocking_triggers=_CLOSING,
)
DATED = Rule(
    "evidence.dated",
    Level.WARNING,
    DatedOptions,
    N_("Evidence is dated between the start of the work and the item's closing."),
    basis="practice: 对账销号 against the evidence (RULES.md #25, #26); evidence dated before the "
    "work started is suspicious",
)
REOPENED_MEASURE = Rule(
    "evidence.reopened-measure",
    Level.ERROR,
    ReopenedMeasureOptions,
    N_("A reopened item gets a new measure."),
    basis="practice: a rebound (反弹回潮) found by a review is rectified again (RULES.md #27)",
)

RULES: tuple[Rule, ...] = (CLOSE, DATED, REOPENED_MEASURE)


@hookimpl
def rectflow_rules() -> Iterable[Rule]:
    """The evidence rules."""
    return RULES


@hookimpl
def rectflow_check_case(case: Case, context: CheckContext) -> Iterable[Violation]:
    """Check closed items for evidence, evidence for its dates, and reopened items for a new
    measure."""
    found: list[Violation] = []
    if context.enabled(CLOSE.code):
        found.extend(_check_closed(case, context))
    if context.enabled(DATED.code):
        found.extend(_check_dated(case, context))
    if context.enabled(REOPENED_MEASURE.code):
        found.extend(_check_reopened(case, context))
    return found


@hookimpl
@guards_only(*_CLOSING)
@guards_when(lambda context: context.enabled(CLOSE.code))
def rectflow_guard_transition(
    case: Case, transition: Transition, context: CheckContext
) -> Iterable[Violation]:
    """Refuse to close or accept an item that lists no evidence."""
    item = transition.item
    if (
        transition.trigger not in _CLOSING
        or item is None
        or item.evidence
        or not context.enabled(CLOSE.code)
    ):
        return []
    if isinstance(item, Problem):
        where = problem_where(item.id)
    else:
        where = measure_where(case.problem_of(item.id).id, item.id)
    what, what_zh = item_words(item)
    verb, verb_zh = (
        ("accepted", "验收销号") if transition.trigger == "accept" else ("closed", "对账销号")
    )
    return [
        context.violation(
            CLOSE.code,
            where=where,
            message=f"{what} can't be {verb}: it lists no evidence",
            message_zh=f"{what_zh}未提供佐证材料，不能{verb_zh}",
            hint=_PROVE,
        )
    ]


_PROVE = N_(
    "put the documents that prove it done on file first (rectflow.add_evidence(case, item, "
    "Evidence(title, kind=…, on=…, reference=…), on=…))"
)


def _check_closed(case: Case, context: CheckContext) -> Iterator[Violation]:
    emit = Emitter(context, CLOSE.code)
    closed = ItemState.CLOSED
    for category in case.categories:
        for problem in category.problems:
            if not problem.measures:
                if problem.state is closed and not problem.evidence:
                    yield emit(
                        problem_where(problem.id),
                        f"problem {problem.id} is closed but lists no evidence",
                        f"问题{problem.id}已销号，但未提供佐证材料",
                        _PROVE,
                    )
                continue
            for measure in problem.measures:
                if measure.state is closed and not measure.evidence:
                    yield emit(
                        measure_where(problem.id, measure.id),
                        f"measure {measure.id} is closed but lists no evidence",
                        f"整改措施{measure.id}已销号，但未提供佐证材料",
                        _PROVE,
                    )


def _bounds(case: Case) -> tuple[dict[str, dt.date], dict[str, dt.date]]:
    """Each item's first ``start`` and latest ``close`` or ``accept`` day, from the log."""
    started: dict[str, dt.date] = {}
    closed: dict[str, dt.date] = {}
    for row in case.events._raw():  # rectflow's own hot loop: rows, not Event objects
        trigger = row[1]
        if trigger == "start":
            started.setdefault(row[2], row[3])
        elif trigger in _CLOSING:
            closed[row[2]] = row[3]  # the log is in order: the latest wins
    return started, closed


def _check_dated(case: Case, context: CheckContext) -> Iterator[Violation]:
    if not case.events:
        return  # no start and no closing recorded: nothing to judge against
    dated: list[tuple[Problem, Problem | Measure]] = []
    for category in case.categories:
        for problem in category.problems:
            if problem.evidence and _has_date(problem.evidence):
                dated.append((problem, problem))
            for measure in problem.measures:
                # A few attribute reads per measure: most evidence of a ledger is undated.
                records = measure.evidence
                if records and _has_date(records):
                    dated.append((problem, measure))
    if not dated:
        return
    started, closed = _bounds(case)
    margin = context.options(DATED.code, DatedOptions).margin
    emit = Emitter(context, DATED.code, "margin")
    for problem, item in dated:
        if item is problem and problem.measures:
            starts = [started.get(m.id) for m in problem.measures]
            start = min((d for d in starts if d is not None), default=None)
            ends = [closed.get(m.id) for m in problem.measures]
            end = None if None in ends else max(d for d in ends if d is not None)
        else:
            start, end = started.get(item.id), closed.get(item.id)
        if item.state is not ItemState.CLOSED:
            end = None  # reopened, or not closed yet: its work goes on
        if start is None and end is None:
            continue
        if isinstance(item, Problem):
            where = problem_where(item.id)
        else:
            where = measure_where(problem.id, item.id)
        for index, evidence in enumerate(item.evidence):
            found = _judge_date(context, emit, item, where, index, evidence, (start, end), margin)
            if found is not None:
                yield found


def _has_date(evidence: tuple[Evidence, ...]) -> bool:
    return any(record.on is not None for record in evidence)


def _judge_date(
    context: CheckContext,
    emit: Emitter,
    item: Problem | Measure,
    where: str,
    index: int,
    evidence: Evidence,
    bounds: tuple[dt.date | None, dt.date | None],
    margin: Duration,
) -> Violation | None:
    on = evidence.on
    if on is None:
        return None
    start, end = bounds
    what, what_zh = item_words(item)
    title = evidence.title if len(evidence.title) <= 30 else f"{evidence.title[:30]}…"
    shown = f"evidence #{index + 1} of {what} ({title!r})"
    shown_zh = f"{what_zh}的第{index + 1}项佐证材料（“{title}”）"
    grace = f" (with a margin of {margin})" if margin.amount else ""
    grace_zh = f"（允许误差{duration_zh(margin)}）" if margin.amount else ""
    if start is not None and context.due(on, margin).on < start:
        return emit(
            f"{where}.evidence[{index}]",
            f"{shown} is dated {on}, before the work on it started on {start}{grace}: a "
            "document of another purpose, or a wrong date?",
            f"{shown_zh}日期为{on}，早于整改开始日期{start}{grace_zh}",
            "check the evidence and its date: evidence proves the work done after it started",
            due=start,
            actual=on,
        )
    if end is not None and context.due(end, margin).on < on:
        return emit(
            f"{where}.evidence[{index}]",
            f"{shown} is dated {on}, after the item was closed on {end}{grace}: written after "
            "the fact, or a wrong date?",
            f"{shown_zh}日期为{on}，晚于销号日期{end}{grace_zh}",
            "check the evidence and its date: an item is closed on the evidence it already has",
            due=end,
            actual=on,
        )
    return None


def _check_reopened(case: Case, context: CheckContext) -> Iterator[Violation]:
    reopened: dict[str, dt.date] = {}
    for event in case.events:
        if event.trigger == "reopen" and event.target != "case":
            known = reopened.get(event.target)
            if known is None or event.on > known:
                reopened[event.target] = event.on
    if not reopened:
        return
    within = context.options(REOPENED_MEASURE.code, ReopenedMeasureOptions).within
    for problem, item in _reopened_items(case, reopened):
        on = reopened[item.id]
        if any(m.added_on is not None and m.added_on >= on for m in problem.measures):
            continue
        due = context.due(on, within)
        if context.as_of <= due.on:
            continue
        yield _no_new_measure(context, problem, item, on, due.on, within)


def _reopened_items(
    case: Case, reopened: dict[str, dt.date]
) -> Iterator[tuple[Problem, Problem | Measure]]:
    """Each reopened item in the ledger with its problem (items no longer there are skipped)."""
    for problem in case.problems():
        if problem.id in reopened:
            yield problem, problem
        for measure in problem.measures:
            if measure.id in reopened:
                yield problem, measure


def _no_new_measure(
    context: CheckContext,
    problem: Problem,
    item: Problem | Measure,
    on: dt.date,
    due: dt.date,
    within: Duration,
) -> Violation:
    as_of = context.as_of
    if isinstance(item, Problem):
        where = problem_where(problem.id)
        what, what_zh = f"problem {problem.id}", f"问题{problem.id}"
    else:
        where = measure_where(problem.id, item.id)
        what, what_zh = f"measure {item.id} (problem {problem.id})", f"整改措施{item.id}"
    grace = f" within {within}" if within.amount else ""
    message = (
        f"{what} was reopened on {on} and its problem has no measure added since, as of "
        f"{as_of}: a new measure was due{grace} by {due}"
    )
    return context.violation(
        REOPENED_MEASURE.code,
        where=where,
        message=message,
        message_zh=(
            f"{what_zh}于{on}反弹回潮、重新整改，截至{as_of}所属问题未新增整改措施"
            f"（应在{duration_zh(within)}内、最迟{due}新增）"
        ),
        hint=Msg(
            "add a new measure to problem {problem} with added_on on or after {on}",
            problem=problem.id,
            on=on,
        ),
        due=due,
        actual=as_of,
        option="within",
    )
