"""The evidence checks: closing needs evidence (also as a guard); reopening needs a new measure."""

from __future__ import annotations

import copy
import datetime as dt
import random
from collections.abc import Iterable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rectflow
import rectflow.strategies as rs
from rectflow import (
    Case,
    Category,
    CheckContext,
    Evidence,
    ItemState,
    Level,
    Measure,
    OptionSetting,
    Policy,
    Problem,
    RuleSettings,
    Transition,
    Violation,
)
from rectflow._core.fields import force
from rectflow.checks import evidence
from rectflow.errors import TransitionNotAllowed

D = dt.date
S = ItemState


def settings(**options: Any) -> RuleSettings:
    """Rule settings with these option values."""
    return RuleSettings(options={name: OptionSetting(value) for name, value in options.items()})


def context(as_of: dt.date, **rules: RuleSettings) -> CheckContext:
    """A context for the evidence module under a policy with ``rules``."""
    return CheckContext(
        as_of=as_of,
        policy=Policy("test", rules=rules),
        rules={rule.code: rule for rule in evidence.RULES},
    )


def run(case: Case, as_of: dt.date, **rules: RuleSettings) -> list[Violation]:
    """The evidence module's violations, sorted."""
    found = evidence.rectflow_check_case(case=case, context=context(as_of, **rules))
    return sorted(found, key=Violation.sort_key)


def measure(mid: str, state: ItemState = S.OPEN, **fields: Any) -> Measure:
    """A measure imported in ``state``."""
    return Measure(mid, state=state, initial_state=state, **fields)


def case_of(*measures: Measure) -> Case:
    """A case whose one problem ``2.1`` has ``measures``."""
    return Case("c", categories=[Category("2", problems=[Problem("2.1", measures=list(measures))])])


# -- evidence.close -------------------------------------------------------------------------


def test_a_closed_measure_with_evidence_passes_and_one_without_is_an_error() -> None:
    """销号 needs the documents that prove the work done."""
    proven = measure("2.1.1", S.CLOSED, evidence=(Evidence("院党委会纪要〔2024〕5号"),))
    unproven = measure("2.1.2", S.CLOSED)
    [found] = run(case_of(proven, unproven), D(2024, 7, 1))
    assert (
        found.code,
        found.level,
        found.where,
    ) == ("evidence.close", Level.ERROR, "problems[2.1].measures[2.1.2]")
    assert "closed but lists no evidence" in found.message


def test_a_completed_measure_needs_no_evidence_until_it_is_closed() -> None:
    """Only closing is verified."""
    assert run(case_of(measure("2.1.1", S.COMPLETED)), D(2024, 7, 1)) == []


def guard(ctx: CheckContext) -> rectflow.Guard:
    """The module's guard hook as a guard for ``fire``."""

    def judge(case: Case, transition: Transition) -> Iterable[Violation]:
        return evidence.rectflow_guard_transition(case=case, transition=transition, context=ctx)

    return judge


def test_closing_a_measure_without_evidence_is_refused_and_changes_nothing() -> None:
    """The guard blocks ``close``: the state and the event log stay as they were."""
    case = case_of(measure("2.1.1", S.COMPLETED))
    before = copy.deepcopy(case)
    with pytest.raises(TransitionNotAllowed) as refused:
        rectflow.fire(
            case, "close", item="2.1.1", on=D(2024, 7, 1), guards=[guard(context(D(2024, 7, 1)))]
        )
    assert [v.code for v in refused.value.violations] == ["evidence.close"]
    assert "can't be closed" in refused.value.violations[0].message
    assert before == case


def test_closing_a_measure_with_evidence_goes_through() -> None:
    """Evidence listed: the guard has nothing to say."""
    case = case_of(measure("2.1.1", S.COMPLETED, evidence=(Evidence("验收报告"),)))
    rectflow.fire(
        case, "close", item="2.1.1", on=D(2024, 7, 1), guards=[guard(context(D(2024, 7, 1)))]
    )
    assert case.item("2.1.1").state == S.CLOSED


def test_a_policy_that_lowers_the_level_or_disables_the_rule_does_not_block() -> None:
    """A warning never blocks; a disabled rule says nothing."""
    for rules in (
        {"evidence.close": RuleSettings(level=Level.WARNING)},
        {"evidence.close": RuleSettings(enabled=False)},
    ):
        case = case_of(measure("2.1.1", S.COMPLETED))
        rectflow.fire(
            case,
            "close",
            item="2.1.1",
            on=D(2024, 7, 1),
            guards=[guard(context(D(2024, 7, 1), **rules))],
        )
        assert case.item("2.1.1").state == S.CLOSED


def test_other_triggers_are_not_guarded() -> None:
    """Completing needs no evidence."""
    case = case_of(measure("2.1.1", S.IN_PROGRESS))
    rectflow.fire(
        case, "complete", item="2.1.1", on=D(2024, 7, 1), guards=[guard(context(D(2024, 7, 1)))]
    )
    assert case.item("2.1.1").state == S.COMPLETED


def test_rectflow_guards_refuse_closing_without_evidence() -> None:
    """Through the plugin manager's guards."""
    case = case_of(measure("2.1.1", S.COMPLETED))
    with pytest.raises(TransitionNotAllowed) as refused:
        rectflow.fire(
            case,
            "close",
            item="2.1.1",
            on=D(2024, 7, 1),
            guards=rectflow.guards(None, Policy("test")),
        )
    assert [(v.code, v.plugin) for v in refused.value.violations] == [
        ("evidence.close", "rectflow.checks.evidence")
    ]


def test_accepting_a_measure_without_evidence_is_refused_and_changes_nothing() -> None:
    """验收 closes the item too: the guard blocks ``accept`` as it blocks ``close``."""
    case = case_of(measure("2.1.1", S.SUBMITTED))
    before = copy.deepcopy(case)
    with pytest.raises(TransitionNotAllowed) as refused:
        rectflow.fire(
            case,
            "accept",
            item="2.1.1",
            on=D(2024, 7, 1),
            actor="巡察办",
            guards=[guard(context(D(2024, 7, 1)))],
        )
    [violation] = refused.value.violations
    assert violation.message == "measure 2.1.1 can't be accepted: it lists no evidence"
    assert before == case


def test_evidence_added_before_the_acceptance_lets_it_through() -> None:
    """add_evidence, then accept: the item is closed with its evidence."""
    case = case_of(measure("2.1.1", S.SUBMITTED))
    rectflow.add_evidence(case, "2.1.1", Evidence("验收报告"), on=D(2024, 6, 30))
    rectflow.fire(
        case, "accept", item="2.1.1", on=D(2024, 7, 1), guards=[guard(context(D(2024, 7, 1)))]
    )
    assert case.item("2.1.1").state is S.CLOSED
    assert run(case, D(2024, 7, 2)) == []


def problem_case(state: ItemState, *evidence: Evidence) -> Case:
    """Problem 2.1, tracked without measures, imported ``state``, with ``evidence``."""
    problem = Problem("2.1", state=state, initial_state=state, evidence=evidence)
    return Case("c", categories=[Category("2", problems=[problem])])


def test_a_closed_problem_without_measures_needs_evidence_of_its_own() -> None:
    """Problems tracked on their own carry evidence now: they are judged like measures."""
    [found] = run(problem_case(S.CLOSED), D(2024, 7, 1))
    assert (found.code, found.where, found.message) == (
        "evidence.close",
        "problems[2.1]",
        "problem 2.1 is closed but lists no evidence",
    )
    assert run(problem_case(S.CLOSED, Evidence("专题会议纪要")), D(2024, 7, 1)) == []


def test_closing_a_problem_without_measures_and_without_evidence_is_refused() -> None:
    """The guard judges the problem itself."""
    case = problem_case(S.COMPLETED)
    with pytest.raises(TransitionNotAllowed, match=r"problem 2\.1 can't be closed"):
        rectflow.fire(
            case, "close", item="2.1", on=D(2024, 7, 1), guards=[guard(context(D(2024, 7, 1)))]
        )
    assert case.item("2.1").state is S.COMPLETED


def test_a_problem_with_measures_is_judged_through_its_measures() -> None:
    """Its own (empty) evidence does not matter: its closed measures have theirs."""
    case = case_of(measure("2.1.1", S.CLOSED, evidence=(Evidence("纪要"),)))
    assert case.item("2.1").state is S.CLOSED
    assert run(case, D(2024, 7, 1)) == []


# -- evidence.reopened-measure --------------------------------------------------------------


REOPENED_ON = D(2024, 9, 1)


def reopened_case(*added: Measure, target: str = "2.1") -> Case:
    """Problem 2.1 with a completed measure reopened on 2024-09-01, and ``added`` measures: in
    the ledger from the start when added before the reopening, else added on their day."""
    earlier = [m for m in added if m.added_on is not None and m.added_on < REOPENED_ON]
    case = case_of(measure("2.1.1", S.COMPLETED), *earlier)
    rectflow.fire(case, "reopen", item=target, on=REOPENED_ON)
    for later in added:
        if later.added_on is not None and later.added_on >= REOPENED_ON:
            rectflow.add_measure(case, "2.1", later, on=later.added_on)
    return case


def test_a_reopened_problem_without_a_new_measure_is_an_error_the_day_after() -> None:
    """Due the day it is reopened by default (``within = "0 days"``)."""
    case = reopened_case()
    assert run(case, D(2024, 9, 1)) == []
    [found] = run(case, D(2024, 9, 2))
    assert ("evidence.reopened-measure", "problems[2.1]", D(2024, 9, 1), D(2024, 9, 2)) == (
        found.code,
        found.where,
        found.due,
        found.actual,
    )


def test_a_measure_added_on_or_after_the_reopening_satisfies_it() -> None:
    """``added_on`` on the reopening day counts; a measure added before it does not."""
    assert run(reopened_case(measure("2.1.2", added_on=D(2024, 9, 1))), D(2024, 10, 1)) == []
    old = reopened_case(measure("2.1.2", S.COMPLETED, added_on=D(2024, 5, 1)))
    assert [v.code for v in run(old, D(2024, 10, 1))] == ["evidence.reopened-measure"]


def test_a_reopened_measure_needs_a_new_measure_on_its_problem() -> None:
    """The violation names the reopened measure and its problem."""
    case = reopened_case(target="2.1.1")
    [found] = run(case, D(2024, 10, 1))
    assert found.where == "problems[2.1].measures[2.1.1]"
    assert "measure 2.1.1 (problem 2.1) was reopened on 2024-09-01" in found.message
    rectflow.add_measure(case, "2.1", measure("2.1.9"), on=D(2024, 9, 20))
    assert run(case, D(2024, 10, 1)) == []


def test_a_grace_period_gives_time_to_add_the_measure() -> None:
    """``within = "1 month"``: due 2024-10-01."""
    policy = {"evidence.reopened-measure": settings(within="1 month")}
    assert run(reopened_case(), D(2024, 10, 1), **policy) == []
    [found] = run(reopened_case(), D(2024, 10, 2), **policy)
    assert D(2024, 10, 1) == found.due


def test_the_latest_reopening_is_the_one_that_needs_a_new_measure() -> None:
    """A measure added after the first rebound does not answer the second one."""
    case = reopened_case(measure("2.1.2", added_on=D(2024, 9, 5)))
    for item, trigger, on in (
        ("2.1.1", "start", D(2024, 9, 6)),
        ("2.1.2", "start", D(2024, 9, 6)),
        ("2.1.1", "complete", D(2024, 9, 7)),
        ("2.1.2", "complete", D(2024, 9, 8)),
        ("2.1", "reopen", D(2025, 3, 1)),
    ):
        rectflow.fire(case, trigger, item=item, on=on)
    [found] = run(case, D(2025, 3, 2))
    assert "reopened on 2025-03-01" in found.message


def test_a_rejection_is_not_a_reopening_and_asks_for_no_new_measure() -> None:
    """驳回 is a round of acceptance: the rejected measure is back in progress, no rebound."""
    case = case_of(measure("2.1.1", S.SUBMITTED))
    rectflow.fire(case, "reject", item="2.1.1", on=D(2024, 9, 1), note="佐证材料不足")
    assert case.item("2.1.1").state is S.IN_PROGRESS
    assert [v.code for v in run(case, D(2025, 1, 1))] == []


# -- evidence.dated -------------------------------------------------------------------------


def worked(*evidence: Evidence, close: bool = True) -> Case:
    """Measure 2.1.1 with ``evidence``: started 2024-04-01, completed 06-28, closed 07-01
    (unless ``close`` is false)."""
    case = case_of(measure("2.1.1", evidence=evidence))
    rectflow.fire(case, "start", item="2.1.1", on=D(2024, 4, 1))
    rectflow.fire(case, "complete", item="2.1.1", on=D(2024, 6, 28))
    if close:
        rectflow.fire(case, "close", item="2.1.1", on=D(2024, 7, 1))
    return case


def dated(case: Case, **rules: RuleSettings) -> list[Violation]:
    """The ``evidence.dated`` violations as of 2024-08-01."""
    return [v for v in run(case, D(2024, 8, 1), **rules) if v.code == "evidence.dated"]


def test_evidence_dated_within_the_work_passes() -> None:
    """From the start to the closing day, both included; undated evidence is not judged."""
    case = worked(
        Evidence("启动会纪要", on=D(2024, 4, 1)),
        Evidence("验收报告", on=D(2024, 7, 1)),
        Evidence("照片"),
    )
    assert dated(case) == []


def test_evidence_dated_before_the_work_started_is_a_warning() -> None:
    """A document of another purpose, or a wrong date: at the evidence's path."""
    [found] = dated(worked(Evidence("照片"), Evidence("门诊预约制度", on=D(2024, 3, 1))))
    assert (found.level, found.where, found.due, found.actual) == (
        Level.WARNING,
        "problems[2.1].measures[2.1.1].evidence[1]",
        D(2024, 4, 1),
        D(2024, 3, 1),
    )
    assert found.message.startswith(
        "evidence #2 of measure 2.1.1 ('门诊预约制度') is dated 2024-03-01, before the work on it "
        "started on 2024-04-01"
    )


def test_evidence_dated_after_the_item_was_closed_is_a_warning() -> None:
    """Written after the fact: dated after the closing day."""
    [found] = dated(worked(Evidence("整改报告", on=D(2024, 7, 15))))
    assert (found.due, found.actual) == (D(2024, 7, 1), D(2024, 7, 15))
    assert "after the item was closed on 2024-07-01" in found.message


def test_an_item_not_closed_has_no_closing_day_to_judge_against() -> None:
    """Completed, not closed: later evidence is the work going on."""
    assert dated(worked(Evidence("整改报告", on=D(2024, 7, 15)), close=False)) == []


def test_the_closing_day_of_an_acceptance_counts_and_a_reopened_item_is_open_again() -> None:
    """Accepted 07-20: evidence of 07-25 is late; once reopened, it is not."""
    case = case_of(measure("2.1.1", evidence=(Evidence("整改报告", on=D(2024, 7, 25)),)))
    for trigger, on in (
        ("start", D(2024, 4, 1)),
        ("complete", D(2024, 6, 28)),
        ("submit", D(2024, 7, 1)),
    ):
        rectflow.fire(case, trigger, item="2.1.1", on=on)
    rectflow.fire(case, "accept", item="2.1.1", on=D(2024, 7, 20), actor="巡察办")
    assert [v.due for v in dated(case)] == [D(2024, 7, 20)]
    rectflow.fire(case, "reopen", item="2.1.1", on=D(2024, 9, 1))
    assert dated(case) == []


def test_a_margin_lets_near_dates_pass() -> None:
    """``margin = "1 month"``: 03-05 is within a month of the start, 02-15 is not."""
    policy = {"evidence.dated": settings(margin="1 month")}
    assert dated(worked(Evidence("制度", on=D(2024, 3, 5))), **policy) == []
    [found] = dated(worked(Evidence("制度", on=D(2024, 2, 15))), **policy)
    assert "(with a margin of 1 month)" in found.message


def test_an_item_without_a_start_event_is_judged_only_against_its_closing() -> None:
    """Imported in progress: no start in the log, so no lower bound."""
    case = case_of(
        measure("2.1.1", S.IN_PROGRESS, evidence=(Evidence("旧制度", on=D(2020, 1, 1)),))
    )
    rectflow.fire(case, "complete", item="2.1.1", on=D(2024, 6, 28))
    rectflow.fire(case, "close", item="2.1.1", on=D(2024, 7, 1))
    assert dated(case) == []


def test_a_problems_own_evidence_is_judged_by_its_measures_work() -> None:
    """Problem 2.1's evidence against the first start and the last closing of its measures."""
    early = Evidence("总结", on=D(2024, 3, 1))
    problem = Problem(
        "2.1",
        measures=[measure("2.1.1"), measure("2.1.2")],
        evidence=(early, Evidence("总结报告", on=D(2024, 7, 5))),
    )
    case = Case("c", categories=[Category("2", problems=[problem])])
    for item, trigger, on in (
        ("2.1.1", "start", D(2024, 4, 1)),
        ("2.1.2", "start", D(2024, 4, 10)),
        ("2.1.1", "complete", D(2024, 6, 1)),
        ("2.1.2", "complete", D(2024, 6, 2)),
        ("2.1.1", "close", D(2024, 6, 3)),
        ("2.1.2", "close", D(2024, 7, 10)),
    ):
        rectflow.fire(case, item=item, trigger=trigger, on=on)
    [found] = dated(case)
    assert (found.where, found.due) == ("problems[2.1].evidence[0]", D(2024, 4, 1))


def test_the_rule_can_be_disabled() -> None:
    """``enabled = false``."""
    off = {"evidence.dated": RuleSettings(enabled=False)}
    assert dated(worked(Evidence("制度", on=D(2024, 3, 1))), **off) == []


# -- the whole module -----------------------------------------------------------------------


def shuffled(case: Case, rnd: random.Random) -> Case:
    """A deep copy with categories, problems and measures in another order."""
    copied = copy.deepcopy(case)
    # The ledger's lists are owned by the events: a reordered copy is what an import of the
    # same ledger in another order would build, so the test sets them with ``force``.
    force(copied, "categories", rnd.sample(copied.categories, len(copied.categories)))
    for category in copied.categories:
        force(category, "problems", rnd.sample(category.problems, len(category.problems)))
        for problem in category.problems:
            force(problem, "measures", rnd.sample(problem.measures, len(problem.measures)))
    copied.reindex()
    return copied


@given(
    case=rs.cases(with_events=True, allow_imported=True, max_events=30),
    as_of=st.dates(D(2019, 1, 1), D(2027, 12, 31)),
    rnd=st.randoms(use_true_random=False),
)
def test_the_violations_do_not_depend_on_the_order_of_the_ledger(
    case: Case, as_of: dt.date, rnd: random.Random
) -> None:
    """Shuffling categories, problems and measures gives the same sorted violations."""
    assert run(case, as_of) == run(shuffled(case, rnd), as_of)


def test_rectflow_check_reports_evidence_under_the_plugin_name() -> None:
    """Through the plugin manager."""
    report = rectflow.check(
        case_of(measure("2.1.1", S.CLOSED)), policy=Policy("test"), as_of=D(2024, 7, 1)
    )
    found = [v for v in report.violations if v.code.startswith("evidence.")]
    assert [(v.code, v.plugin) for v in found] == [("evidence.close", "rectflow.checks.evidence")]
