"""Deadlines of ledger items: measures' due dates, and the handling of transferred clues.

The case-level deadlines (plan, report, centralised period, assessment) and the rules'
declarations are in :mod:`rectflow.checks.deadline`, which calls these with its options.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import attrs

from rectflow._core.dates import FuzzyDate
from rectflow._core.labels import ITEM_STATE_ZH
from rectflow._core.model import Case, ItemState, Measure, Problem, ProblemKind
from rectflow._core.report import Level, Violation
from rectflow._core.supervision import ItemFacts, item_facts
from rectflow._i18n import N_, Msg, translate
from rectflow._rules.calendar import Duration
from rectflow._rules.context import CheckContext
from rectflow._rules.ladder import Ladder
from rectflow.checks._emit import Emitter
from rectflow.checks._timing import duration_zh, uncertain_level, within
from rectflow.checks._where import measure_where, problem_where

__all__ = ["clue_deadlines", "escalated", "measure_deadlines"]


# Done for lateness: completed, submitted for acceptance (报请销号) or closed. A rejection (驳回)
# puts an item back in progress, so it is late again once past its due date.
_DONE = (ItemState.COMPLETED, ItemState.SUBMITTED, ItemState.CLOSED)


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


@attrs.frozen(slots=True)
class _Extended:
    """What a message says about a measure's extensions: how many, and the original deadline."""

    count: int
    original: dt.date

    @classmethod
    def of(cls, facts: ItemFacts | None) -> _Extended | None:
        if facts is None or not facts.extensions or facts.original_due_on is None:
            return None
        return cls(len(facts.extensions), facts.original_due_on)


def escalated(
    ladder: Ladder | None, due: dt.date, as_of: dt.date, message: str, message_zh: str
) -> tuple[str, str]:
    """The messages with the ladder's level for a deadline ``due`` judged on ``as_of`` added.

    Unchanged without a ladder or before its first level. The level is also found from the
    violation alone: ``ladder.level_at((violation.actual - violation.due).days)`` (the deadline
    violations carry ``due`` and ``actual``), which is what
    :func:`rectflow.checks.deadline.escalation_level` does.
    """
    level = None if ladder is None else ladder.level_at((as_of - due).days)
    if level is None:
        return message, message_zh
    told = ", ".join(level.recipients)
    return (
        f"{message} [escalation level {level.name} ({level.label}): tell {told}]",
        f"{message_zh}【{level.label}】",
    )


def measure_deadlines(
    case: Case,
    as_of: dt.date,
    *,
    overdue: Emitter | None,
    soon: Emitter | None,
    horizon: dt.date,
    caveat: str | None,
    include_long_term: bool,
    note: Emitter | None = None,
    ladder: Ladder | None = None,
) -> Iterator[Violation]:
    """Measures past their due date (``overdue``) or due by ``horizon`` (``soon``).

    One pass over the ledger for both rules, and one over the log for the extensions
    (:func:`rectflow.item_facts`): a few attribute reads per measure; violations are only built
    for measures that fail. Measures are judged against their approved (current) ``due_on``;
    a message about an extended one also gives its original deadline, the lateness against it
    and the number of extensions. Completed, submitted and closed measures are done.

    Args:
        case: the case.
        as_of: the check's date.
        overdue: builds ``deadline.overdue`` violations, or ``None`` when the rule is off.
        soon: builds ``deadline.due-soon`` violations, or ``None`` when the rule is off.
        horizon: the last due date a reminder is given for.
        caveat: the calendar's caveat on ``horizon``, repeated in reminders.
        include_long_term: long-term measures can be overdue too.
        ladder: the policy's escalation ladder: each overdue or due-soon message then ends with
            the level the measure stands on (:func:`escalated`).
        note: builds the info-level ``deadline.overdue`` notes on measures done by their
            approved deadline but after the original one; ``None`` for none.
    """
    facts = item_facts(case)
    noting = note is not None and bool(facts)
    completed, submitted, closed = ItemState.COMPLETED, ItemState.SUBMITTED, ItemState.CLOSED
    long_term = ItemState.LONG_TERM
    done: dict[str, tuple[str, Measure, _Extended]] = {}
    for category in case.categories:
        for problem in category.problems:
            for measure in problem.measures:
                due = measure.due_on
                if due is None:
                    continue
                state = measure.state
                if state is completed or state is submitted or state is closed:
                    if noting:
                        extended = _Extended.of(facts.get(measure.id))
                        if extended is not None and extended.original < due:
                            done[measure.id] = (problem.id, measure, extended)
                    continue
                if due > horizon or not measure.state_known:
                    continue  # not due yet, or not known to be undone: never called late
                extended = _Extended.of(facts.get(measure.id))
                if due < as_of:
                    if overdue is not None and (include_long_term or state is not long_term):
                        yield _overdue(
                            overdue, as_of, problem.id, measure.id, due, state, extended, ladder
                        )
                elif soon is not None and state is not long_term:
                    yield _due_soon(
                        soon, as_of, problem.id, measure.id, due, state, caveat, extended, ladder
                    )
    if note is not None and done:
        yield from _late_against_original(case, note, done)


def _overdue(
    emit: Emitter,
    as_of: dt.date,
    problem_id: str,
    measure_id: str,
    due: dt.date,
    state: ItemState,
    extended: _Extended | None,
    ladder: Ladder | None,
) -> Violation:
    late = (as_of - due).days
    message = (
        f"measure {measure_id} is overdue: due {due}, still {state.value} as of {as_of} "
        f"({_days(late)} late)"
    )
    message_zh = (
        f"整改措施{measure_id}已逾期：完成时限{due}，截至{as_of}仍为“{ITEM_STATE_ZH[state]}”"
        f"（逾期{late}天）"
    )
    hint = N_("complete the measure, or record an approved extension (rectflow.extend)")
    if extended is not None:
        original_late = (as_of - extended.original).days
        message += (
            f"; the deadline was extended {_times(extended.count)} from the original "
            f"{extended.original} ({_days(original_late)} late against it)"
        )
        message_zh += (
            f"；完成时限经{extended.count}次延期，原定{extended.original}"
            f"（按原定时限逾期{original_late}天）"
        )
        hint = N_("complete the measure: its deadline has already been extended")
    message, message_zh = escalated(ladder, due, as_of, message, message_zh)
    return emit(
        measure_where(problem_id, measure_id), message, message_zh, hint, due=due, actual=as_of
    )


def _due_soon(
    emit: Emitter,
    as_of: dt.date,
    problem_id: str,
    measure_id: str,
    due: dt.date,
    state: ItemState,
    caveat: str | None,
    extended: _Extended | None,
    ladder: Ladder | None,
) -> Violation:
    left = (due - as_of).days
    when = "today" if left == 0 else f"in {_days(left)}"
    message = f"measure {measure_id} is due {when} ({due}) and still {state.value}"
    message_zh = (
        f"整改措施{measure_id}将于{due}到期（剩余{left}天），目前为“{ITEM_STATE_ZH[state]}”"
    )
    if extended is not None:
        past = (as_of - extended.original).days
        message += f"; the deadline was extended {_times(extended.count)} from {extended.original}"
        message_zh += f"；完成时限经{extended.count}次延期，原定{extended.original}"
        if past > 0:
            message += f" ({_days(past)} late against the original)"
            message_zh += f"（按原定时限已逾期{past}天）"
    if caveat is not None:  # the reminder window was counted in working days
        message, message_zh = (
            f"{message} (note: {caveat})",
            f"{message_zh}（注：{translate('zh', caveat)}）",
        )
    message, message_zh = escalated(ladder, due, as_of, message, message_zh)
    return emit(
        measure_where(problem_id, measure_id),
        message,
        message_zh,
        Msg("complete the measure by {due}", due=due),
        due=due,
        actual=as_of,
    )


def _late_against_original(
    case: Case, note: Emitter, done: dict[str, tuple[str, Measure, _Extended]]
) -> Iterator[Violation]:
    """An info for each done, extended measure completed after its original deadline but by
    its approved one (the day of its latest ``complete`` event; none without one)."""
    completed: dict[str, dt.date] = {}
    for row in case.events._raw():  # rectflow's own loop: rows, not Event objects
        if row[1] == "complete" and row[2] in done:
            completed[row[2]] = row[3]  # the log is in order: the latest wins
    for measure_id, on in completed.items():
        problem_id, measure, extended = done[measure_id]
        due = measure.due_on
        if due is None or not extended.original < on <= due:
            continue
        late = (on - extended.original).days
        yield note(
            measure_where(problem_id, measure_id),
            f"measure {measure_id} was completed on {on}, by its approved deadline {due} "
            f"(extended {_times(extended.count)}) but {_days(late)} after its original deadline "
            f"{extended.original}",
            f"整改措施{measure_id}于{on}完成，符合经{extended.count}次延期后的完成时限{due}，"
            f"但较原定时限{extended.original}晚{late}天",
            "nothing to do: it is on time by the approved extension; the lateness against the "
            "original deadline stays on record",
            due=extended.original,
            actual=on,
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
        hint=N_("handle the clue (complete or close it) and record the event with its date"),
        due=window.last,
        actual=date,
        option=option,
        level=level,
    )
