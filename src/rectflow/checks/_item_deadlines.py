"""Deadlines of ledger items: measures' due dates, and the handling of transferred clues.

The case-level deadlines (plan, report, centralised period, assessment) and the rules'
declarations are in :mod:`rectflow.checks.deadline`, which calls these with its options.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from rectflow._core.dates import FuzzyDate
from rectflow._core.labels import ITEM_STATE_ZH
from rectflow._core.model import Case, ItemState, Problem, ProblemKind
from rectflow._core.report import Level, Violation
from rectflow._rules.calendar import Duration
from rectflow._rules.context import CheckContext
from rectflow.checks._emit import Emitter
from rectflow.checks._timing import duration_zh, uncertain_level, within
from rectflow.checks._where import measure_where, problem_where

__all__ = ["clue_deadlines", "measure_deadlines"]


_DONE = (ItemState.COMPLETED, ItemState.CLOSED)


def measure_deadlines(
    case: Case,
    as_of: dt.date,
    *,
    overdue: Emitter | None,
    soon: Emitter | None,
    horizon: dt.date,
    caveat: str | None,
    include_long_term: bool,
) -> Iterator[Violation]:
    """Measures past their due date (``overdue``) or due by ``horizon`` (``soon``).

    One pass over the ledger for both rules: a few attribute reads per measure; violations are
    only built for measures that fail.

    Args:
        case: the case.
        as_of: the check's date.
        overdue: builds ``deadline.overdue`` violations, or ``None`` when the rule is off.
        soon: builds ``deadline.due-soon`` violations, or ``None`` when the rule is off.
        horizon: the last due date a reminder is given for.
        caveat: the calendar's caveat on ``horizon``, repeated in reminders.
        include_long_term: long-term measures can be overdue too.
    """
    completed, closed, long_term = ItemState.COMPLETED, ItemState.CLOSED, ItemState.LONG_TERM
    for category in case.categories:
        for problem in category.problems:
            for measure in problem.measures:
                due = measure.due_on
                if due is None or due > horizon:
                    continue
                state = measure.state
                if state is completed or state is closed or not measure.state_known:
                    continue  # done, or not known to be otherwise: never called late
                if due < as_of:
                    if overdue is not None and (include_long_term or state is not long_term):
                        yield _overdue(overdue, as_of, problem.id, measure.id, due, state)
                elif soon is not None and state is not long_term:
                    yield _due_soon(soon, as_of, problem.id, measure.id, due, state, caveat)


def _overdue(
    emit: Emitter,
    as_of: dt.date,
    problem_id: str,
    measure_id: str,
    due: dt.date,
    state: ItemState,
) -> Violation:
    late = (as_of - due).days
    return emit(
        measure_where(problem_id, measure_id),
        f"measure {measure_id} is overdue: due {due}, still {state.value} as of {as_of} "
        f"({late} day{'s' if late != 1 else ''} late)",
        f"整改措施{measure_id}已逾期：完成时限{due}，截至{as_of}仍为“{ITEM_STATE_ZH[state]}”"
        f"（逾期{late}天）",
        "complete the measure, or record a revised due date the leading group approved",
        due=due,
        actual=as_of,
    )


def _due_soon(
    emit: Emitter,
    as_of: dt.date,
    problem_id: str,
    measure_id: str,
    due: dt.date,
    state: ItemState,
    caveat: str | None,
) -> Violation:
    left = (due - as_of).days
    when = "today" if left == 0 else f"in {left} day{'s' if left != 1 else ''}"
    message = f"measure {measure_id} is due {when} ({due}) and still {state.value}"
    message_zh = (
        f"整改措施{measure_id}将于{due}到期（剩余{left}天），目前为“{ITEM_STATE_ZH[state]}”"
    )
    if caveat is not None:  # the reminder window was counted in working days
        message, message_zh = f"{message} (note: {caveat})", f"{message_zh}(注:{caveat})"
    return emit(
        measure_where(problem_id, measure_id),
        message,
        message_zh,
        f"complete the measure by {due}",
        due=due,
        actual=as_of,
    )


def _completion_dates(case: Case, wanted: set[str]) -> dict[str, dt.date]:
    """The first day each wanted item was completed or closed, from the event log."""
    first: dict[str, dt.date] = {}
    for event in case.events:
        target = event.target
        if target in wanted and event.trigger in ("complete", "close"):
            known = first.get(target)
            if known is None or event.on < known:
                first[target] = event.on
    return first


def _handled_on(problem: Problem, dates: dict[str, dt.date]) -> dt.date | None:
    if not problem.measures:
        return dates.get(problem.id)
    days = [dates.get(m.id) for m in problem.measures]
    if any(day is None for day in days):
        return dates.get(problem.id)
    return max(day for day in days if day is not None)


def clue_deadlines(
    case: Case, context: CheckContext, code: str, *, normal: Duration, longest: Duration
) -> Iterator[Violation]:
    """Clues not handled within ``normal`` (a warning) or ``longest`` (the rule's level).

    A clue counts from its transfer, else from the feedback; it is handled on its first
    ``complete`` or ``close`` event (a clue with measures: the last of its measures'), or judged
    as of the check's date while open. A clue handled without an event to date it is skipped.
    """
    clues = [p for p in case.problems() if p.counts_as(ProblemKind.CLUE)]
    if not clues:
        return
    handled = [p for p in clues if p.state in _DONE]
    wanted = {p.id for p in handled} | {m.id for p in handled for m in p.measures}
    dates = _completion_dates(case, wanted) if wanted else {}
    for clue in clues:
        if clue.transferred_on is not None:
            start, counted = FuzzyDate.of(clue.transferred_on), ("transfer", "移交")
        elif case.feedback_on is not None:
            start = case.feedback_on
            counted = ("feedback (the clue has no transfer date)", "反馈（未记录移交日期）")
        else:
            continue
        if clue.state in _DONE:
            day = _handled_on(clue, dates)
            if day is None:
                continue
            actual: FuzzyDate | None = FuzzyDate.of(day)
        else:
            actual = None
        found = _judge_clue(context, code, clue, start, counted, actual, (normal, longest))
        if found is not None:
            yield found


def _judge_clue(
    context: CheckContext,
    code: str,
    clue: Problem,
    start: FuzzyDate,
    counted: tuple[str, str],
    actual: FuzzyDate | None,
    periods: tuple[Duration, Duration],
) -> Violation | None:
    as_of = context.as_of
    normal, longest = periods
    # The longest period first: past it the rule's level applies, past the normal one a warning.
    for duration, name in ((longest, "longest"), (normal, "normal")):
        window = within(context, start, duration)
        judgement = window.judge(actual) if actual is not None else window.judge_missing(as_of)
        if judgement != "meets":
            option = name
            break
    else:
        return None
    level: Level | None = None
    if option == "normal" or judgement == "uncertain":
        level = uncertain_level(context, code)
    maybe = "" if judgement == "misses" else "may be "
    maybe_zh = "" if judgement == "misses" else "可能"
    limit = "the normal" if option == "normal" else "the longest"
    limit_zh = "一般" if option == "normal" else "最长"
    if actual is None:
        what = f"clue {clue.id} is still {clue.state.value} as of {as_of}"
        what_zh = f"问题线索{clue.id}截至{as_of}仍为“{ITEM_STATE_ZH[clue.state]}”"
        date = as_of
    else:
        what = f"clue {clue.id} was handled on {actual}"
        what_zh = f"问题线索{clue.id}于{actual}办结"
        date = actual.earliest
    return context.violation(
        code,
        where=problem_where(clue.id),
        message=(
            f"{what}, {maybe}past {limit} {duration} after {counted[0]} {start.describe()} "
            f"(due by {window.text})"
        ),
        message_zh=(
            f"{what_zh}，{maybe_zh}超过{limit_zh}办结期限（{counted[1]}后{duration_zh(duration)}，"
            f"最迟{window.text_zh}）"
        ),
        hint="handle the clue (complete or close it) and record the event with its date",
        due=window.last,
        actual=date,
        option=option,
        level=level,
    )
