"""The acceptance checks: items are closed by an acceptance, given by someone other than those
who did the work (each also as a guard)."""

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
    FuzzyDate,
    ItemState,
    Level,
    Measure,
    Policy,
    Problem,
    Responsibility,
    RuleSettings,
    Transition,
    Violation,
)
from rectflow._core.fields import force
from rectflow.checks import acceptance
from rectflow.errors import TransitionNotAllowed

D = dt.date
S = ItemState
DONE = D(2024, 7, 10)
PLUGINS = rectflow.plugin_manager(load_entry_points=False)
WORKER = "张某"
OFFICE = "县委巡察办 李某"


def context(**rules: RuleSettings) -> CheckContext:
    """A context for the acceptance module, as of 2024-08-01, under a policy with ``rules``."""
    return CheckContext(
        as_of=D(2024, 8, 1),
        policy=Policy("test", rules=rules),
        rules={rule.code: rule for rule in acceptance.RULES},
    )


def run(case: Case, **rules: RuleSettings) -> list[Violation]:
    """The acceptance module's violations, sorted."""
    found = acceptance.rectflow_check_case(case=case, context=context(**rules))
    return sorted(found, key=Violation.sort_key)


def guard(**rules: RuleSettings) -> rectflow.Guard:
    """The module's guard hook as a guard for ``fire``."""
    ctx = context(**rules)

    def judge(case: Case, transition: Transition) -> Iterable[Violation]:
        return acceptance.rectflow_guard_transition(case=case, transition=transition, context=ctx)

    return judge


def completed_case(**fields: Any) -> Case:
    """Measure 1.1.1, in progress, answered for by 张某 (unless ``fields`` say otherwise), with
    evidence; completed by 张某 on 2024-07-10."""
    fields.setdefault("responsibility", Responsibility(department="门诊部", person=WORKER))
    measure = Measure(
        "1.1.1",
        state=S.IN_PROGRESS,
        initial_state=S.IN_PROGRESS,
        evidence=(Evidence("门诊预约制度（修订）"),),
        **fields,
    )
    case = Case(
        "c",
        feedback_on=FuzzyDate.of(D(2024, 3, 28)),
        categories=[Category("1", problems=[Problem("1.1", measures=[measure])])],
    )
    rectflow.fire(case, "complete", item="1.1.1", on=DONE, actor=WORKER)
    return case


def submitted_case(by: str = "王某", **fields: Any) -> Case:
    """:func:`completed_case`, submitted for acceptance by ``by`` the next day."""
    case = completed_case(**fields)
    rectflow.fire(case, "submit", item="1.1.1", on=DONE + dt.timedelta(days=1), actor=by)
    return case


def accept(case: Case, actor: str | None, **kwargs: Any) -> None:
    """Accept 1.1.1 on 2024-07-20."""
    rectflow.fire(case, "accept", item="1.1.1", on=D(2024, 7, 20), actor=actor, **kwargs)


# -- acceptance.required --------------------------------------------------------------------


def test_closing_with_close_is_reported_and_submit_then_accept_is_not() -> None:
    """0.1's ``close`` strikes the item off with no acceptance: a warning by default."""
    closed = completed_case()
    rectflow.fire(closed, "close", item="1.1.1", on=D(2024, 7, 20))
    [found] = of("acceptance.required", run(closed))
    assert (found.level, found.where, found.actual) == (
        Level.WARNING,
        "problems[1.1].measures[1.1.1]",
        D(2024, 7, 20),
    )
    assert found.message == (
        "measure 1.1.1 was closed on 2024-07-20 without an acceptance: closed by close, not "
        "submitted (submit) and accepted (accept)"
    )
    accepted = submitted_case()
    accept(accepted, OFFICE)
    assert run(accepted) == []


def of(code: str, violations: list[Violation]) -> list[Violation]:
    """The violations of one rule."""
    return [v for v in violations if v.code == code]


def test_an_item_closed_twice_is_reported_once_at_its_latest_close() -> None:
    """Closed, reopened by a review, completed and closed again."""
    case = completed_case()
    rectflow.fire(case, "close", item="1.1.1", on=D(2024, 7, 20))
    rectflow.fire(case, "reopen", item="1.1.1", on=D(2024, 9, 1))
    rectflow.fire(case, "start", item="1.1.1", on=D(2024, 9, 2))
    rectflow.fire(case, "complete", item="1.1.1", on=D(2024, 9, 10))
    rectflow.fire(case, "close", item="1.1.1", on=D(2024, 9, 11))
    [found] = of("acceptance.required", run(case))
    assert found.actual == D(2024, 9, 11)


def test_an_item_imported_as_closed_is_not_judged() -> None:
    """No ``close`` event, nothing to say how it was closed."""
    measure = Measure("1.1.1", state=S.CLOSED, initial_state=S.CLOSED)
    case = Case("c", categories=[Category("1", problems=[Problem("1.1", measures=[measure])])])
    assert run(case) == []


def test_a_problem_without_measures_closed_by_close_is_reported_at_its_path() -> None:
    """Problems tracked on their own are closed the same way."""
    problem = Problem("1.1", state=S.COMPLETED, initial_state=S.COMPLETED)
    case = Case("c", categories=[Category("1", problems=[problem])])
    rectflow.fire(case, "close", item="1.1", on=D(2024, 7, 20))
    assert [v.where for v in of("acceptance.required", run(case))] == ["problems[1.1]"]


def test_at_level_error_the_guard_refuses_close_and_changes_nothing() -> None:
    """A policy that requires acceptance: ``close`` is refused, submit and accept go through."""
    required = {"acceptance.required": RuleSettings(level=Level.ERROR)}
    case = completed_case()
    before = copy.deepcopy(case)
    with pytest.raises(TransitionNotAllowed) as refused:
        rectflow.fire(case, "close", item="1.1.1", on=D(2024, 7, 20), guards=[guard(**required)])
    assert [v.code for v in refused.value.violations] == ["acceptance.required"]
    assert "can't be closed without an acceptance" in refused.value.violations[0].message
    assert before == case
    rectflow.fire(case, "submit", item="1.1.1", on=D(2024, 7, 11), guards=[guard(**required)])
    accept(case, OFFICE, guards=[guard(**required)])
    assert case.item("1.1.1").state is S.CLOSED


def test_at_the_default_level_close_goes_through() -> None:
    """Warning: a policy written for 0.1 keeps ``close``."""
    case = completed_case()
    rectflow.fire(case, "close", item="1.1.1", on=D(2024, 7, 20), guards=[guard()])
    assert case.item("1.1.1").state is S.CLOSED


def test_the_presets_leave_acceptance_required_off() -> None:
    """Neither preset refuses ``close``, nor reports it."""
    for name in ("xuncha", "xunshi"):
        case = completed_case()
        rectflow.fire(
            case, "close", item="1.1.1", on=D(2024, 7, 20), guards=rectflow.guards(PLUGINS, name)
        )
        report = rectflow.check(case, policy=name, as_of=D(2024, 8, 1), plugins=PLUGINS)
        assert not [v for v in report.violations if v.code.startswith("acceptance.")]


# -- acceptance.independent -----------------------------------------------------------------


def test_an_acceptance_by_the_office_passes() -> None:
    """Neither the worker, nor the submitter, nor the responsible person."""
    case = submitted_case()
    accept(case, OFFICE)
    assert run(case) == []


@pytest.mark.parametrize(
    ("actor", "reasons"),
    [
        ("王某", "who submitted it"),
        (WORKER, "who completed it and its responsible person"),
    ],
)
def test_an_acceptance_by_someone_who_did_the_work_is_an_error(actor: str, reasons: str) -> None:
    """The submitter, or the worker who is also responsible: every reason is given."""
    case = submitted_case()
    accept(case, actor)
    [found] = run(case)
    assert (found.code, found.level, found.where, found.actual) == (
        "acceptance.independent",
        Level.ERROR,
        "problems[1.1].measures[1.1.1]",
        D(2024, 7, 20),
    )
    assert found.message == (
        f"measure 1.1.1 was accepted on 2024-07-20 by {actor}, {reasons}: the acceptor must be "
        "someone else"
    )


def test_the_responsible_person_alone_may_not_accept_either() -> None:
    """赵某 answers for the measure, though others did and submitted the work."""
    case = submitted_case(responsibility=Responsibility(person="赵某"))
    accept(case, "赵某")
    [found] = run(case)
    assert "by 赵某, its responsible person" in found.message


def test_an_acceptance_with_no_acceptor_named_is_an_error() -> None:
    """Who accepted is part of the record."""
    case = submitted_case()
    accept(case, None)
    [found] = run(case)
    assert found.message == (
        "measure 1.1.1 was accepted on 2024-07-20 with no acceptor named: an acceptance names "
        "who accepted"
    )


def test_the_responsible_person_is_the_one_at_the_acceptance() -> None:
    """Reassigned after the acceptance: the person then is judged, not the one now."""
    case = submitted_case(responsibility=Responsibility(person="赵某"))
    accept(case, "钱某")
    rectflow.assign(case, "1.1.1", Responsibility(person="钱某"), on=D(2024, 8, 1))
    assert run(case) == []
    earlier = submitted_case(responsibility=Responsibility(person="赵某"))
    rectflow.assign(earlier, "1.1.1", Responsibility(person="钱某"), on=D(2024, 7, 15))
    accept(earlier, "赵某")
    assert run(earlier) == []
    accept_by_new = submitted_case(responsibility=Responsibility(person="赵某"))
    rectflow.assign(accept_by_new, "1.1.1", Responsibility(person="钱某"), on=D(2024, 7, 15))
    accept(accept_by_new, "钱某")
    assert [v.code for v in run(accept_by_new)] == ["acceptance.independent"]


def test_a_rejection_and_resubmission_judge_every_submitter() -> None:
    """Rejected after 王某's submission; 孙某 resubmits; 王某 may not accept either."""
    case = submitted_case()
    rectflow.fire(
        case, "reject", item="1.1.1", on=D(2024, 7, 15), note="缺少会议纪要", actor=OFFICE
    )
    rectflow.fire(case, "complete", item="1.1.1", on=D(2024, 7, 16), actor="孙某")
    rectflow.fire(case, "submit", item="1.1.1", on=D(2024, 7, 17), actor="孙某")
    accept(case, "王某")
    [found] = run(case)
    assert "by 王某, who submitted it" in found.message


def test_the_guard_refuses_an_acceptance_by_the_submitter_and_changes_nothing() -> None:
    """Error level: refused, with the reason; the case and its log unchanged."""
    case = submitted_case()
    before = copy.deepcopy(case)
    with pytest.raises(TransitionNotAllowed) as refused:
        accept(case, "王某", guards=[guard()])
    [violation] = refused.value.violations
    assert violation.message == (
        "measure 1.1.1 can't be accepted on 2024-07-20 by 王某, who submitted it: the acceptor "
        "must be someone else"
    )
    assert before == case
    with pytest.raises(TransitionNotAllowed, match="no acceptor named"):
        accept(case, None, guards=[guard()])
    assert before == case
    accept(case, OFFICE, guards=[guard()])
    assert case.item("1.1.1").state is S.CLOSED


def test_the_presets_refuse_an_acceptance_by_the_worker() -> None:
    """acceptance.independent is on, at error, in both presets."""
    for name in ("xuncha", "xunshi"):
        case = submitted_case()
        with pytest.raises(TransitionNotAllowed, match=r"acceptance\.independent"):
            accept(case, WORKER, guards=rectflow.guards(PLUGINS, name))


def test_a_disabled_rule_neither_reports_nor_refuses() -> None:
    """``enabled = false``."""
    off = {"acceptance.independent": RuleSettings(enabled=False)}
    case = submitted_case()
    accept(case, "王某", guards=[guard(**off)])
    assert run(case, **off) == []


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


PEOPLE = st.sampled_from([WORKER, "王某", "赵某", OFFICE, None])


@st.composite
def worked_cases(draw: st.DrawFn) -> Case:
    """A few measures worked through the API: started, completed, submitted, rejected or
    accepted, reassigned and closed, each by one of a few people (or no one named), day by day."""
    count = draw(st.integers(1, 4))
    measures = [
        Measure(f"1.{i}.1", responsibility=Responsibility(person=draw(PEOPLE)))
        for i in range(1, count + 1)
    ]
    problems = [Problem(m.id.rsplit(".", 1)[0], measures=[m]) for m in measures]
    case = Case(
        "worked",
        feedback_on=FuzzyDate.of(D(2024, 3, 28)),
        categories=[Category("1", problems=problems)],
    )
    day = D(2024, 4, 1)
    for _ in range(draw(st.integers(0, 25))):
        measure = draw(st.sampled_from(measures))
        moves = [*rectflow.allowed_triggers(case, measure.id), "assign"]
        move = draw(st.sampled_from(moves))
        day += dt.timedelta(days=draw(st.integers(0, 3)))
        if move == "assign":
            person = draw(st.sampled_from(["赵某", "钱某", WORKER]))
            if measure.responsibility != Responsibility(person=person):
                rectflow.assign(case, measure.id, Responsibility(person=person), on=day)
            continue
        note = "材料不全" if move == "reject" else None
        rectflow.fire(case, move, item=measure.id, on=day, actor=draw(PEOPLE), note=note)
    return case


@given(case=worked_cases(), rnd=st.randoms(use_true_random=False))
def test_worked_cases_give_the_same_violations_in_any_ledger_order(
    case: Case, rnd: random.Random
) -> None:
    """With acceptances, closings and reassignments in the log, the order is irrelevant."""
    assert run(case) == run(shuffled(case, rnd))


@given(
    case=rs.cases(with_events=True, allow_imported=True, max_events=30),
    rnd=st.randoms(use_true_random=False),
)
def test_the_violations_do_not_depend_on_the_order_of_the_ledger(
    case: Case, rnd: random.Random
) -> None:
    """Shuffling categories, problems and measures gives the same sorted violations."""
    assert run(case) == run(shuffled(case, rnd))


@given(case=st.one_of(worked_cases(), rs.cases(with_events=True, max_events=30)), data=st.data())
def test_the_guard_refuses_exactly_what_the_check_would_report(
    case: Case, data: st.DataObject
) -> None:
    """Accepting a submitted measure: refused by the guard if and only if the check, after an
    unguarded acceptance, reports it."""
    submitted = [m.id for m in case.measures() if m.state is S.SUBMITTED]
    if not submitted:
        return
    item = data.draw(st.sampled_from(submitted))
    actors = [e.actor for e in case.events if e.actor is not None] + ["验收组", None]
    actor = data.draw(st.sampled_from(actors))
    # The log is written forward: the acceptance is dated on the last day it records.
    on = max(e.recorded_on or e.on for e in case.events)

    def reported(judged: Case) -> int:
        return sum(
            1
            for v in run(judged)
            if v.code == "acceptance.independent"
            and v.actual == on
            and v.where.endswith(f"[{item}]")
        )

    unguarded = copy.deepcopy(case)
    rectflow.fire(unguarded, "accept", item=item, on=on, actor=actor)
    try:
        rectflow.fire(case, "accept", item=item, on=on, actor=actor, guards=[guard()])
    except TransitionNotAllowed:
        refused = True
    else:
        refused = False
    assert refused == (reported(unguarded) > reported(case))
