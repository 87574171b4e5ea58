"""rectflow's own workflows under the stateful harness, with the presets' guards and checks.

Each test below is a :func:`rectflow.strategies.workflow_test`: random legal, illegal and unknown
triggers on random items of a case, with the harness's own properties (refusals change nothing,
the log replays, checking crashes nothing) and these invariants after every step.
"""

from __future__ import annotations

from hypothesis import settings

import rectflow
import rectflow.strategies as rs
from rectflow import Case, CaseState, ItemState, Report, allowed_triggers

# The profile's number of examples; shorter runs than hypothesis's 50 steps keep the suite fast.
STEPS = settings(stateful_step_count=15, deadline=None)


def disclosed_only_with_a_report(case: Case, report: Report) -> None:
    """A case disclosed (or past its public period) has a report."""
    if case.state in (CaseState.DISCLOSED, CaseState.PUBLIC_PERIOD_CLOSED):
        assert case.reported_on is not None, f"{case.state.value} without a report"


def closed_by_an_event_only_with_evidence(case: Case, report: Report) -> None:
    """Every measure the harness closed (under the guards) lists evidence.

    A case's history from the strategies was fired without guards, so only the harness's own
    events (actor ``harness``) are the guards' responsibility.
    """
    closed = {e.target for e in case.events if e.trigger == "close" and e.actor == "harness"}
    for measure in case.measures():
        if measure.id in closed:
            assert measure.evidence, f"measure {measure.id} was closed without evidence"


def reopened_items_can_go_back_to_work(case: Case, report: Report) -> None:
    """A reopened measure, or problem without measures, can be started again."""
    for problem in case.problems():
        items = problem.measures or [problem]
        for item in items:
            if item.state is ItemState.REOPENED:
                assert "start" in allowed_triggers(case, item.id), f"{item.id} can't restart"


def overdue_measures_are_reported(case: Case, report: Report) -> None:
    """Every measure rectflow.overdue() lists as of the check's day has its violation."""
    reported = {v.where for v in report.violations if v.code == "deadline.overdue"}
    for item in rectflow.overdue(case, report.as_of):
        if isinstance(item, rectflow.Measure):
            where = f"problems[{case.problem_of(item.id).id}].measures[{item.id}]"
            assert where in reported, f"measure {item.id} is overdue but not reported"


EVERY_CASE = [
    closed_by_an_event_only_with_evidence,
    reopened_items_can_go_back_to_work,
    overdue_measures_are_reported,
]

# Cases the preset accepts, worked from there (items start where the strategy put them).
TestXunshiWorkflow = rs.workflow_test(
    policy="xunshi", invariants=[disclosed_only_with_a_report, *EVERY_CASE], settings=STEPS
)
TestXunchaWorkflow = rs.workflow_test(
    policy="xuncha", invariants=[disclosed_only_with_a_report, *EVERY_CASE], settings=STEPS
)

# Cases from feedback, with a history of legal events already fired: every disclosure they
# reach goes through the lifecycle.
TestXunchaFromFeedback = rs.workflow_test(
    policy="xuncha",
    invariants=[disclosed_only_with_a_report, *EVERY_CASE],
    cases=rs.cases(with_events=True, max_problems=4),
    settings=STEPS,
)

# Imported cases may start anywhere (even disclosed without a report date); the other
# invariants hold for them all the same.
TestXunshiImported = rs.workflow_test(
    policy="xunshi",
    invariants=EVERY_CASE,
    cases=rs.cases(allow_imported=True, with_events=True, max_problems=4),
    settings=STEPS,
)
