"""Deadlines: plan, report, centralised period, measures and their extensions, clues and the
assessment.

Every deadline counts from a date the case records (the feedback, the end of the centralised
period, a clue's transfer) by a period in calendar days, working days or months; the due date is
the last on-time day (docs/policies.md). Dates a notice gives fuzzily ("2021-06", "2020-08-early")
are judged by the earliest and latest day they may mean: a date that meets the deadline on every
reading passes, one that misses it on every reading fails, and otherwise the rule reports a
warning whose message names the days the date may mean. A date the policy needs but the case
does not record is a violation once its deadline has passed as of the check's date.

A deadline, once set, is moved only by an approved extension (延期: an ``extend`` event,
:func:`rectflow.extend`, which keeps the deadline before it): the measures' rules judge against
the approved date and report the lateness against the original; ``deadline.extensions`` judges
the extensions themselves.

Whether every measure *has* a due date is ``responsibility.due-date`` (the responsibility list
names the deadline with the person); this module judges the dates that are there.

Each rule below gives its options (with units and defaults), its level and basis, and a PASS
and a FAIL example: complete case files (docs/case-file.md), checked as of the date given, with
the options given (tests/checks/test_check_docs.py checks every example).

Rules
=====

deadline.plan
    The rectification plan (整改方案) is adopted within ``within`` after feedback
    (``plan.adopted_on``, else the ``adopt_plan`` event). No plan recorded once that has
    passed is a violation too, unless the case's state shows the plan was adopted: then an
    info says its date is needed to judge the deadline.

    * ``within``: a period (days, working days or months); default ``"1 month"``.
    * Level: warning. Basis: practice (a city's "反馈后1个月内"; RULES.md #18).

    PASS (as of 2024-06-01)::

        schema = 1
        id = "plan-in-time"
        feedback_on = 2024-03-28

        [plan]
        adopted_on = 2024-04-20

    FAIL (as of 2024-06-01; due by 2024-04-28)::

        schema = 1
        id = "plan-late"
        feedback_on = 2024-03-28

        [plan]
        adopted_on = 2024-05-06

deadline.report
    The rectification report (整改情况报告) is submitted within ``within`` after feedback
    (``report_on``, else the ``submit_report`` event); no report once that has passed is a
    violation, unless the case's state shows the report was submitted (``reported`` or later):
    then an info says its date is needed to judge the deadline. A case without a feedback date
    is reported here, at warning level, because no deadline can be counted without it.

    * ``within``: a period; default ``"2 months"``.
    * Level: error. Basis: 《中国共产党巡视工作条例》(2015) 第二十七条.

    PASS (as of 2024-07-01)::

        schema = 1
        id = "report-in-time"
        feedback_on = 2024-03-28
        report_on = 2024-05-28

    FAIL (as of 2024-07-01; no report, due by 2024-05-28)::

        schema = 1
        id = "report-missing"
        feedback_on = 2024-03-28

deadline.centralised
    The centralised rectification period (集中整改期) lasts no longer than ``longest``. The
    period includes its first day: 3 months beginning 2020-12-03 run through 2021-03-02. A
    period without an end is a violation once that day has passed.

    * ``longest``: a period; default ``"3 months"``.
    * Level: warning. Basis: practice (1, 2, 3 and 6 months are attested; RULES.md #16, #22,
      #23).

    PASS (as of 2021-06-01)::

        schema = 1
        id = "centralised-three-months"
        feedback_on = "2020-12-03?"

        [centralised]
        start = 2020-12-03
        end = 2021-02-28

    FAIL (with ``longest = "2 months"``; as of 2021-06-01; ends by 2021-02-02)::

        schema = 1
        id = "centralised-too-long"
        feedback_on = "2020-12-03?"

        [centralised]
        start = 2020-12-03
        end = 2021-02-28

deadline.overdue
    No measure is past its due date (``due_on``) as of the check's date unless it is done:
    completed, submitted for acceptance (报请销号) or closed. Open, in-progress, basically
    completed and reopened measures can be overdue, and so can a measure whose submission was
    rejected (驳回: it is back in progress); long-term measures (长期坚持) are not, unless
    ``include_long_term``; nor is a measure whose state no one has stated (``state_known =
    false``): it may well be done.

    The due date judged is the approved one: after an extension (延期, an ``extend`` event) it
    is the measure's ``due_on``. The message about an extended measure also gives its original
    deadline, the lateness against it and the number of extensions. A measure completed (its
    latest ``complete`` event) by its approved deadline but after its original one is not
    overdue: it gets an info-level note saying so, so the lateness against the original
    deadline stays visible.

    When the policy declares an escalation ladder (``[escalation]``, docs/agenda.md), each
    overdue message ends with the level the measure stands on, e.g. ``[escalation level red
    (红色预警): tell department, unit_head]`` (``【红色预警】`` in Chinese), and
    :func:`escalation_level` gives that level from the violation.

    * ``include_long_term``: a boolean; default ``false``.
    * Level: error (the note on an extended measure: info). Basis: the task list's deadlines
      (整改时限; RULES.md #14, #30).

    PASS (as of 2024-07-01)::

        schema = 1
        id = "measure-done"
        feedback_on = 2024-03-28

        [[categories]]
        id = "1"

        [[categories.problems]]
        id = "1.1"
        state = "completed"

        [[categories.problems.measures]]
        id = "1.1.1"
        due_on = 2024-06-30
        initial_state = "completed"
        state = "completed"

    FAIL (as of 2024-07-01; a day late, and 31 days against the original deadline)::

        schema = 2
        id = "measure-overdue"
        feedback_on = 2024-03-28

        [[categories]]
        id = "1"

        [[categories.problems]]
        id = "1.1"
        state = "in_progress"

        [[categories.problems.measures]]
        id = "1.1.1"
        due_on = 2024-06-30
        initial_state = "in_progress"
        state = "in_progress"

        [[events]]
        seq = 1
        trigger = "extend"
        target = "1.1.1"
        on = 2024-05-20

        [events.data]
        due_on = 2024-06-30
        previous_due_on = 2024-05-31
        approver = "县委巡察办"
        role = "巡察办"
        reason = "设备招标延期"

deadline.due-soon
    A reminder for each measure not yet done (completed, submitted or closed) whose due date
    falls within ``within`` from the check's date (the due date itself included), as the 提醒书
    practice reminds before a deadline. Long-term measures are left out. The due date is the
    approved one; for an extended measure the reminder also gives the original deadline, the
    lateness against it and the number of extensions. Under a policy with an escalation ladder
    the reminder ends with the measure's level, as for ``deadline.overdue`` (the reminders'
    horizon is still ``within``; ``rectflow agenda`` follows the ladder's own).

    * ``within``: a period; default ``"7 days"``.
    * Level: warning. Basis: practice (提醒书 before the deadline; RULES.md #30).

    PASS (as of 2024-06-01)::

        schema = 1
        id = "measure-not-due-yet"
        feedback_on = 2024-03-28

        [[categories]]
        id = "1"

        [[categories.problems]]
        id = "1.1"
        measures = [{ id = "1.1.1", due_on = 2024-06-30 }]

    FAIL (as of 2024-06-25; due in 5 days)::

        schema = 1
        id = "measure-due-soon"
        feedback_on = 2024-03-28

        [[categories]]
        id = "1"

        [[categories.problems]]
        id = "1.1"
        measures = [{ id = "1.1.1", due_on = 2024-06-30 }]

deadline.extensions
    A deadline is moved only by an approved extension (延期: an ``extend`` event, recorded with
    :func:`rectflow.extend`), and no more often than the policy allows. An item (problem or
    measure) with more than ``max_extensions`` extensions is reported once, at the first
    extension past the limit. Where ``approver_roles`` names roles, each extension whose
    ``role`` is not one of them, or that records no role, is reported. The rule also guards the
    ``extend`` edit (``rectflow.extend(..., guards=…)``): an extension past the limit or by
    another role is refused when the rule's level is error, and nothing changes; at the default
    level (warning) it is recorded, and the check reports it.

    * ``max_extensions``: an integer (0 or more), or unset (the default: no limit).
    * ``approver_roles``: a list of role names (e.g. ``["领导小组", "巡察办"]``); default empty:
      any role, or none, may approve.
    * Level: warning. Basis: practice: after a missed deadline a 告诫书 fixes a new, final
      deadline (再次明确最后整改期限; RULES.md #30); extensions are approved, with the approver
      kept (issue 10).

    PASS (with ``max_extensions = 1``; as of 2024-07-01)::

        schema = 2
        id = "extended-once"
        feedback_on = 2024-03-28

        [[categories]]
        id = "1"

        [[categories.problems]]
        id = "1.1"
        measures = [{ id = "1.1.1", due_on = 2024-06-30 }]

        [[events]]
        seq = 1
        trigger = "extend"
        target = "1.1.1"
        on = 2024-05-20

        [events.data]
        due_on = 2024-06-30
        previous_due_on = 2024-05-31
        approver = "县委巡察办"
        role = "巡察办"
        reason = "设备招标延期"

    FAIL (with ``max_extensions = 1``; as of 2024-07-01; extended twice)::

        schema = 2
        id = "extended-twice"
        feedback_on = 2024-03-28

        [[categories]]
        id = "1"

        [[categories.problems]]
        id = "1.1"
        measures = [{ id = "1.1.1", due_on = 2024-07-31 }]

        [[events]]
        seq = 1
        trigger = "extend"
        target = "1.1.1"
        on = 2024-05-20

        [events.data]
        due_on = 2024-06-30
        previous_due_on = 2024-05-31
        approver = "县委巡察办"
        role = "巡察办"
        reason = "设备招标延期"

        [[events]]
        seq = 2
        trigger = "extend"
        target = "1.1.1"
        on = 2024-06-25

        [events.data]
        due_on = 2024-07-31
        previous_due_on = 2024-06-30
        approver = "县委巡察办"
        role = "巡察办"
        reason = "供货延迟"

deadline.clue
    A transferred problem clue (问题线索, kind ``clue``) is handled — completed or closed —
    within ``normal`` after its transfer (a warning past it), and never later than ``longest``
    (the rule's level past it). The transfer date is ``transferred_on``, else the feedback date
    (the message says so). The handling date is the first ``complete`` or ``close`` event of the
    clue (for a clue with measures, the last of its measures' dates); a clue still open is
    judged as of the check's date. A clue handled without an event to date it is not judged.

    * ``normal``: a period; default ``"6 months"`` (a warning past it).
    * ``longest``: a period; default ``"12 months"``.
    * Level: error. Basis: practice ("一般半年内办结，原则上不超过一年"; RULES.md #24).

    PASS (as of 2024-09-01)::

        schema = 1
        id = "clue-in-hand"
        feedback_on = 2024-03-28

        [[categories]]
        id = "9"

        [[categories.problems]]
        id = "9.1"
        kind = "clue"
        classification = "confidential"
        transferred_on = 2024-04-01

    FAIL (as of 2025-05-01; open 13 months after transfer)::

        schema = 1
        id = "clue-open-too-long"
        feedback_on = 2024-03-28

        [[categories]]
        id = "9"

        [[categories.problems]]
        id = "9.1"
        kind = "clue"
        classification = "confidential"
        transferred_on = 2024-04-01

deadline.evaluation
    Where the policy asks for one (``within`` set), an assessment (整改评估: a review of kind
    ``assessment``, or a graded evaluation in ``evaluations``) takes place within ``within``
    after the centralised period ends; the earliest of them is judged. When the
    case records no end, the end is taken as the last day a period of
    ``deadline.centralised.longest`` beginning at the recorded start (or else at feedback) may
    last, and the message says so.

    * ``within``: a period, or unset (the default: no assessment required).
    * Level: warning. Basis: practice (an assessment within 1 month after the centralised period;
      RULES.md #33, #37).

    PASS (with ``within = "1 month"``; as of 2021-06-01)::

        schema = 2
        id = "assessed-in-time"
        feedback_on = "2020-12-03?"
        evaluations = [{ on = 2021-03-20, grade = "fairly_good", score = 86 }]

        [centralised]
        start = 2020-12-03
        end = 2021-02-28

    FAIL (with ``within = "1 month"``; as of 2021-06-01; none by 2021-03-28)::

        schema = 1
        id = "not-assessed"
        feedback_on = "2020-12-03?"

        [centralised]
        start = 2020-12-03
        end = 2021-02-28
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import attrs

from rectflow._core.dates import FuzzyDate
from rectflow._core.edits import EXTEND
from rectflow._core.lifecycle import Transition
from rectflow._core.model import Case, CaseState, ReviewKind
from rectflow._core.report import Level, Violation
from rectflow._i18n import N_, Msg
from rectflow._rules.calendar import Duration, Unit
from rectflow._rules.context import CheckContext
from rectflow._rules.hookspecs import hookimpl
from rectflow._rules.ladder import EscalationLevel
from rectflow._rules.policy import Policy
from rectflow._rules.rules import Rule, guards_only, guards_when
from rectflow.checks._emit import Emitter
from rectflow.checks._extensions import check_extensions, guard_extension, valid_roles
from rectflow.checks._item_deadlines import clue_deadlines, measure_deadlines
from rectflow.checks._timing import (
    Anchor,
    describe_zh,
    duration_zh,
    judge_step,
    spanning,
    uncertain_level,
    within,
)

__all__ = [
    "RULES",
    "CentralisedOptions",
    "ClueOptions",
    "DueSoonOptions",
    "EvaluationOptions",
    "ExtensionsOptions",
    "OverdueOptions",
    "PlanOptions",
    "ReportOptions",
    "centralised_end",
    "escalation_level",
    "rectflow_check_case",
    "rectflow_guard_transition",
    "rectflow_rules",
]


@attrs.frozen
class PlanOptions:
    """Options of ``deadline.plan``.

    Attributes:
        within: the plan is adopted within this period after feedback.
    """

    within: Duration = attrs.field(default=Duration(1, Unit.MONTHS))


@attrs.frozen
class ReportOptions:
    """Options of ``deadline.report``.

    Attributes:
        within: the report is submitted within this period after feedback.
    """

    within: Duration = attrs.field(default=Duration(2, Unit.MONTHS))


@attrs.frozen
class CentralisedOptions:
    """Options of ``deadline.centralised``.

    Attributes:
        longest: the longest the centralised period may last, its first day included.
    """

    longest: Duration = attrs.field(default=Duration(3, Unit.MONTHS))


@attrs.frozen
class OverdueOptions:
    """Options of ``deadline.overdue``.

    Attributes:
        include_long_term: also report long-term (长期坚持) measures past their due date.
    """

    include_long_term: bool = False


@attrs.frozen
class DueSoonOptions:
    """Options of ``deadline.due-soon``.

    Attributes:
        within: warn when the due date falls within this period from the as-of date.
    """

    within: Duration = attrs.field(default=Duration(7, Unit.DAYS))


@attrs.frozen
class ExtensionsOptions:
    """Options of ``deadline.extensions``.

    Attributes:
        max_extensions: the most extensions an item may have; ``None`` (the default): no limit.
        approver_roles: the roles that may approve an extension; empty (the default): any role,
            or none.
    """

    max_extensions: int | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.ge(0))
    )
    approver_roles: tuple[str, ...] = attrs.field(
        default=(), converter=tuple, validator=valid_roles
    )


@attrs.frozen
class ClueOptions:
    """Options of ``deadline.clue``.

    Attributes:
        normal: clues are normally handled within this period after transfer (a warning past it).
        longest: clues are handled within this period at most (the rule's level past it).
    """

    normal: Duration = attrs.field(default=Duration(6, Unit.MONTHS))
    longest: Duration = attrs.field(default=Duration(12, Unit.MONTHS))


@attrs.frozen
class EvaluationOptions:
    """Options of ``deadline.evaluation``.

    Attributes:
        within: an assessment takes place within this period after the centralised period
            ends; ``None`` (the default) requires none.
    """

    within: Duration | None = None


_PRACTICE_CENTRALISED = "practice: 1, 2, 3 or 6 months of centralised rectification (RULES.md)"
PLAN = Rule(
    "deadline.plan",
    Level.WARNING,
    PlanOptions,
    N_("The rectification plan is adopted within the policy's window after feedback."),
    basis="practice: plan within 1 month of feedback (a city's rule; RULES.md #18)",
)
REPORT = Rule(
    "deadline.report",
    Level.ERROR,
    ReportOptions,
    N_("The rectification report is submitted within the policy's period after feedback."),
    basis="《中国共产党巡视工作条例》(2015) 第二十七条: report within 2 months of feedback",
)
CENTRALISED = Rule(
    "deadline.centralised",
    Level.WARNING,
    CentralisedOptions,
    N_("The centralised rectification period is no longer than the policy allows."),
    basis=_PRACTICE_CENTRALISED,
)
OVERDUE = Rule(
    "deadline.overdue",
    Level.ERROR,
    OverdueOptions,
    N_("No measure is past its approved due date unless it is done."),
    basis="the task list's deadlines (整改时限, 三清单)",
)
DUE_SOON = Rule(
    "deadline.due-soon",
    Level.WARNING,
    DueSoonOptions,
    N_("A reminder for measures whose due date is near."),
    basis="practice: a reminder before the deadline (提醒书; RULES.md #30)",
)
EXTENSIONS = Rule(
    "deadline.extensions",
    Level.WARNING,
    ExtensionsOptions,
    N_("Deadlines are extended no more often, and by no other roles, than the policy allows."),
    basis="practice: after a missed deadline a 告诫书 fixes a new, final deadline (RULES.md #30)",
    blocking_triggers=(EXTEND,),
)
CLUE = Rule(
    "deadline.clue",
    Level.ERROR,
    ClueOptions,
    N_("Transferred clues are handled within the normal period, and never later than the longest."),
    basis="practice: clues 一般半年内办结，原则上不超过一年 (RULES.md #24)",
)
EVALUATION = Rule(
    "deadline.evaluation",
    Level.WARNING,
    EvaluationOptions,
    N_("Where the policy asks for one, an assessment follows the centralised period in time."),
    basis="practice: assessment within 1 month after the centralised period (RULES.md #33)",
)

RULES: tuple[Rule, ...] = (
    PLAN,
    REPORT,
    CENTRALISED,
    OVERDUE,
    DUE_SOON,
    EXTENSIONS,
    CLUE,
    EVALUATION,
)


@hookimpl
def rectflow_rules() -> Iterable[Rule]:
    """The deadline rules."""
    return RULES


@hookimpl
def rectflow_check_case(case: Case, context: CheckContext) -> Iterable[Violation]:
    """Check every enabled deadline rule."""
    found: list[Violation] = []
    if context.enabled(PLAN.code):
        found.extend(_check_plan(case, context))
    if context.enabled(REPORT.code):
        found.extend(_check_report(case, context))
    if context.enabled(CENTRALISED.code):
        found.extend(_check_centralised(case, context))
    overdue, soon = context.enabled(OVERDUE.code), context.enabled(DUE_SOON.code)
    if overdue or soon:
        found.extend(_check_measures(case, context, overdue=overdue, soon=soon))
    if context.enabled(EXTENSIONS.code):
        options = context.options(EXTENSIONS.code, ExtensionsOptions)
        found.extend(check_extensions(case, context, EXTENSIONS.code, options))
    if context.enabled(CLUE.code):
        found.extend(_check_clues(case, context))
    if context.enabled(EVALUATION.code):
        found.extend(_check_evaluation(case, context))
    return found


def _feedback(case: Case) -> Anchor | None:
    if case.feedback_on is None:
        return None
    return Anchor(case.feedback_on, "feedback", "反馈")


# The case states that only follow the plan's adoption, and the report's submission.
_PLAN_ADOPTED = frozenset(CaseState) - {CaseState.FEEDBACK_RECEIVED}
_REPORTED = _PLAN_ADOPTED - {CaseState.PLAN_ADOPTED, CaseState.CENTRALISED}


def _shown_by_state(case: Case, after: frozenset[CaseState]) -> str | None:
    """``the case is disclosed`` when the case's state shows the step was taken."""
    return f"the case is {case.state.value}" if case.state in after else None


def _check_plan(case: Case, context: CheckContext) -> Iterator[Violation]:
    anchor = _feedback(case)
    if anchor is None:
        return
    options = context.options(PLAN.code, PlanOptions)
    found = judge_step(
        context,
        PLAN.code,
        where="plan",
        subject=("rectification plan", "整改方案"),
        anchor=anchor,
        window=within(context, anchor.on, options.within),
        actual=case.plan_adopted_on,
        hint=N_("adopt the plan in time and record plan.adopted_on (or fire adopt_plan)"),
        option="within",
        done_by=_shown_by_state(case, _PLAN_ADOPTED),
    )
    if found is not None:
        yield found


def _check_report(case: Case, context: CheckContext) -> Iterator[Violation]:
    anchor = _feedback(case)
    if anchor is None:
        yield context.violation(
            REPORT.code,
            where="feedback_on",
            message="the case has no feedback date: no deadline counted from feedback can be "
            "judged",
            message_zh="未记录反馈日期，无法判断自反馈起算的各项期限",
            hint=N_("record feedback_on (the day the inspection team gave its feedback)"),
            level=uncertain_level(context, REPORT.code),
        )
        return
    options = context.options(REPORT.code, ReportOptions)
    found = judge_step(
        context,
        REPORT.code,
        where="report_on",
        subject=("rectification report", "整改情况报告"),
        anchor=anchor,
        window=within(context, anchor.on, options.within),
        actual=case.reported_on,
        hint=N_("submit the report in time and record report_on (or fire submit_report)"),
        option="within",
        done_by=_shown_by_state(case, _REPORTED),
    )
    if found is not None:
        yield found


def centralised_end(case: Case, context: CheckContext) -> Anchor | None:
    """The end of the centralised period: recorded, or estimated from ``deadline.centralised``.

    Without a recorded end, the end is the last day a period of the policy's
    ``deadline.centralised.longest`` may last, beginning at the recorded start or else at
    feedback; the anchor's note says so. ``None`` when neither start nor feedback is known.
    """
    period = case.centralised
    if period is not None and period.end is not None:
        return Anchor(period.end, "the end of the centralised period", "集中整改期结束")
    start = period.start if period is not None else case.feedback_on
    if start is None:
        return None
    longest = context.options(CENTRALISED.code, CentralisedOptions).longest
    last = spanning(context, start, longest).last
    began = "began" if period is not None else "feedback"
    return Anchor(
        FuzzyDate.of(last),
        "the end of the centralised period",
        "集中整改期结束（估算）",
        note=(
            f"no end of the centralised period recorded: taken as {last}, {longest} from "
            f"{began} {start.describe()} (deadline.centralised.longest)"
        ),
    )


def _check_centralised(case: Case, context: CheckContext) -> Iterator[Violation]:
    period = case.centralised
    if period is None:
        return
    options = context.options(CENTRALISED.code, CentralisedOptions)
    window = spanning(context, period.start, options.longest)
    end = period.end
    judgement = window.judge(end) if end is not None else window.judge_missing(context.as_of)
    if judgement == "meets":
        return
    longest, longest_zh = options.longest, duration_zh(options.longest)
    start = period.start
    if end is None:
        message = (
            f"the centralised period that began {start.describe()} has no end as of "
            f"{context.as_of}; a period of {longest} ends by {window.text}"
        )
        message_zh = (
            f"集中整改期自{describe_zh(start)}开始，截至{context.as_of}未记录结束日期；"
            f"{longest_zh}的集中整改期最迟应于{window.text_zh}结束"
        )
        actual = context.as_of
    else:
        verb = "is longer" if judgement == "misses" else "may be longer"
        message = (
            f"the centralised period {start.describe()} – {end.describe()} {verb} than "
            f"{longest}: a period of {longest} beginning {start.describe()} ends by {window.text}"
        )
        verb_zh = "超过" if judgement == "misses" else "可能超过"
        message_zh = (
            f"集中整改期{describe_zh(start)}至{describe_zh(end)}{verb_zh}{longest_zh}："
            f"自{describe_zh(start)}起{longest_zh}应最迟于{window.text_zh}结束"
        )
        actual = end.earliest if judgement == "misses" else end.latest
    yield context.violation(
        CENTRALISED.code,
        where="centralised",
        message=message,
        message_zh=message_zh,
        hint=Msg(
            "end the centralised period by {day} and record centralised.end",
            day=window.text,
            zh={"day": window.text_zh},
        ),
        due=window.last,
        actual=actual,
        option="longest",
        level=uncertain_level(context, CENTRALISED.code) if judgement == "uncertain" else None,
    )


def _check_measures(
    case: Case, context: CheckContext, *, overdue: bool, soon: bool
) -> Iterator[Violation]:
    as_of = context.as_of
    horizon, caveat = as_of, None
    if soon:
        window = context.due(as_of, context.options(DUE_SOON.code, DueSoonOptions).within)
        horizon, caveat = window.on, window.caveat
    return measure_deadlines(
        case,
        as_of,
        overdue=Emitter(context, OVERDUE.code) if overdue else None,
        soon=Emitter(context, DUE_SOON.code, "within") if soon else None,
        note=Emitter(context, OVERDUE.code, level=Level.INFO) if overdue else None,
        horizon=horizon,
        caveat=caveat,
        include_long_term=overdue
        and context.options(OVERDUE.code, OverdueOptions).include_long_term,
        ladder=context.policy.escalation,
    )


def escalation_level(violation: Violation, policy: Policy) -> EscalationLevel | None:
    """The escalation level a ``deadline.overdue`` or ``deadline.due-soon`` violation carries.

    The level the policy's ladder puts the measure on, from the violation's ``due`` (the
    approved deadline) and ``actual`` (the check's date): the one its message names. ``None``
    for other violations, the info-level notes on measures done by an extended deadline, a
    policy without a ladder, or a day before the ladder's first level.
    """
    ladder = policy.escalation
    if (
        ladder is None
        or violation.code not in (OVERDUE.code, DUE_SOON.code)
        or violation.level is Level.INFO
        or violation.due is None
        or violation.actual is None
    ):
        return None
    return ladder.level_at((violation.actual - violation.due).days)


def _check_clues(case: Case, context: CheckContext) -> Iterator[Violation]:
    options = context.options(CLUE.code, ClueOptions)
    return clue_deadlines(case, context, CLUE.code, normal=options.normal, longest=options.longest)


def _check_evaluation(case: Case, context: CheckContext) -> Iterator[Violation]:
    options = context.options(EVALUATION.code, EvaluationOptions)
    if options.within is None:
        return
    anchor = centralised_end(case, context)
    if anchor is None:
        return
    # An assessment is a review of kind assessment or a graded evaluation: the earliest counts.
    held = [
        (review.on, f"reviews[{index}]")
        for index, review in enumerate(case.reviews)
        if review.kind is ReviewKind.ASSESSMENT
    ]
    held += [(evaluation.on, f"evaluations[{i}]") for i, evaluation in enumerate(case.evaluations)]
    first = min(held) if held else None
    found = judge_step(
        context,
        EVALUATION.code,
        where=first[1] if first is not None else "reviews",
        subject=("assessment (整改评估)", "整改评估"),
        anchor=anchor,
        window=within(context, anchor.on, options.within),
        actual=FuzzyDate.of(first[0]) if first is not None else None,
        hint=N_(
            "hold the assessment in time and record it (rectflow.evaluate, or a review of kind "
            "assessment)"
        ),
        option="within",
    )
    if found is not None:
        yield found


def _guard_speaks(context: CheckContext) -> bool:
    """Whether the guard can refuse an extension under the policy: the rule on, with a limit
    or approver roles (``guard_extension`` refuses nothing without either)."""
    if not context.enabled(EXTENSIONS.code):
        return False
    options = context.options(EXTENSIONS.code, ExtensionsOptions)
    return options.max_extensions is not None or bool(options.approver_roles)


@hookimpl
@guards_only(EXTEND)
@guards_when(_guard_speaks)
def rectflow_guard_transition(
    case: Case, transition: Transition, context: CheckContext
) -> Iterable[Violation]:
    """Refuse an extension past the policy's limit, or approved by a role it does not name."""
    if transition.trigger != EXTEND or not context.enabled(EXTENSIONS.code):
        return []
    options = context.options(EXTENSIONS.code, ExtensionsOptions)
    return guard_extension(case, transition, context, EXTENSIONS.code, options)
