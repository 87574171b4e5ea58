"""The deadline checks with supervision: approved extensions, submissions and rejections, the
``deadline.extensions`` rule and guard, and evaluations as assessments."""

from __future__ import annotations

import copy
import datetime as dt
import random
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
    Evaluation,
    FuzzyDate,
    Grade,
    ItemState,
    Level,
    Measure,
    OptionSetting,
    Period,
    Policy,
    Problem,
    RuleSettings,
    Violation,
)
from rectflow._core.fields import force
from rectflow.checks import deadline
from rectflow.errors import PolicyError, TransitionNotAllowed

D = dt.date
F = FuzzyDate.parse
S = ItemState
ORIGINAL = D(2024, 5, 31)
APPROVED = D(2024, 6, 30)
PLUGINS = rectflow.plugin_manager(load_entry_points=False)


def settings(level: Level | None = None, **options: Any) -> RuleSettings:
    """Rule settings with this level and these option values."""
    return RuleSettings(
        level=level, options={name: OptionSetting(value) for name, value in options.items()}
    )


def run(case: Case, as_of: dt.date, **rules: RuleSettings) -> list[Violation]:
    """The deadline module's violations, sorted, under a policy with ``rules``."""
    context = CheckContext(
        as_of=as_of,
        policy=Policy("test", rules=rules),
        rules={rule.code: rule for rule in deadline.RULES},
    )
    return sorted(deadline.rectflow_check_case(case=case, context=context), key=Violation.sort_key)


def of(code: str, violations: list[Violation]) -> list[Violation]:
    """The violations of one rule."""
    return [v for v in violations if v.code == code]


def measures_only(violations: list[Violation]) -> list[Violation]:
    """The violations of the rules about measures (overdue and due-soon)."""
    return [v for v in violations if v.code in ("deadline.overdue", "deadline.due-soon")]


def measure_case(*measures: Measure) -> Case:
    """Feedback 2024-03-28; problem 1.1 with ``measures``."""
    return Case(
        "c",
        feedback_on=F("2024-03-28"),
        categories=[Category("1", problems=[Problem("1.1", measures=list(measures))])],
    )


def extended_case(state: ItemState = S.IN_PROGRESS, *, times: int = 1) -> Case:
    """Measure 1.1.1, imported ``state``, due 2024-05-31, extended ``times`` (first to 06-30,
    then a month at a time), approved by 巡察办."""
    case = measure_case(Measure("1.1.1", due_on=ORIGINAL, state=state, initial_state=state))
    due, on = APPROVED, D(2024, 5, 20)
    for _ in range(times):
        rectflow.extend(
            case, "1.1.1", due, approver="县委巡察办", reason="招标延期", role="巡察办", on=on
        )
        due, on = due + dt.timedelta(days=31), due - dt.timedelta(days=5)
    return case


# -- deadline.overdue and deadline.due-soon against the approved date -------------------------


def test_an_extended_measure_is_judged_against_its_approved_deadline() -> None:
    """Past the original 05-31 but before the approved 06-30: not overdue."""
    case = extended_case()
    assert of("deadline.overdue", run(case, D(2024, 6, 15))) == []
    [found] = of("deadline.overdue", run(case, D(2024, 7, 1)))
    assert (found.due, found.actual, found.level) == (APPROVED, D(2024, 7, 1), Level.ERROR)


def test_the_overdue_message_gives_the_original_deadline_its_lateness_and_the_extensions() -> None:
    """1 day late against the approved date, 31 against the original, one extension."""
    [found] = of("deadline.overdue", run(extended_case(), D(2024, 7, 1)))
    assert found.message == (
        "measure 1.1.1 is overdue: due 2024-06-30, still in_progress as of 2024-07-01 (1 day "
        "late); the deadline was extended once from the original 2024-05-31 (31 days late "
        "against it)"
    )
    assert "经1次延期，原定2024-05-31（按原定时限逾期31天）" in found.message_zh
    twice = of("deadline.overdue", run(extended_case(times=2), D(2024, 8, 1)))
    assert "extended 2 times from the original 2024-05-31 (62 days late" in twice[0].message


def test_an_unextended_overdue_measure_says_nothing_of_extensions() -> None:
    """The 0.1 message, with the fix to record an approved extension."""
    case = measure_case(Measure("1.1.1", due_on=ORIGINAL, state=S.OPEN))
    [found] = of("deadline.overdue", run(case, D(2024, 6, 2)))
    assert "extended" not in found.message
    assert "rectflow.extend" in found.hint


def test_a_reminder_for_an_extended_measure_names_the_original_deadline() -> None:
    """Due in 5 days by the approved date, already 25 days past the original."""
    [found] = of("deadline.due-soon", run(extended_case(), D(2024, 6, 25)))
    assert found.message == (
        "measure 1.1.1 is due in 5 days (2024-06-30) and still in_progress; the deadline was "
        "extended once from 2024-05-31 (25 days late against the original)"
    )


def test_a_submitted_measure_is_done_for_lateness() -> None:
    """报请销号 waits for the acceptance, not for the worker: neither overdue nor reminded."""
    case = measure_case(Measure("1.1.1", due_on=ORIGINAL, state=S.IN_PROGRESS))
    rectflow.fire(case, "complete", item="1.1.1", on=D(2024, 5, 20))
    rectflow.fire(case, "submit", item="1.1.1", on=D(2024, 5, 21))
    assert measures_only(run(case, D(2024, 5, 25))) == []
    assert measures_only(run(case, D(2024, 7, 1))) == []


def test_a_rejected_measure_is_back_in_progress_and_late_again_past_its_due_date() -> None:
    """驳回: the measure is in progress, and overdue once its due date has passed."""
    case = measure_case(
        Measure("1.1.1", due_on=ORIGINAL, state=S.COMPLETED, initial_state=S.COMPLETED)
    )
    rectflow.fire(case, "submit", item="1.1.1", on=D(2024, 5, 21))
    rectflow.fire(case, "reject", item="1.1.1", on=D(2024, 6, 3), note="台账不全")
    [found] = of("deadline.overdue", run(case, D(2024, 6, 3)))
    assert "still in_progress as of 2024-06-03 (3 days late)" in found.message


def test_completed_by_the_approved_date_but_after_the_original_is_an_info_note() -> None:
    """Completed 06-20: on time by the extension, 20 days late against the original."""
    case = extended_case()
    rectflow.fire(case, "complete", item="1.1.1", on=D(2024, 6, 20))
    [note] = measures_only(run(case, D(2024, 7, 1)))
    assert (note.code, note.level, note.due, note.actual) == (
        "deadline.overdue",
        Level.INFO,
        ORIGINAL,
        D(2024, 6, 20),
    )
    assert note.message == (
        "measure 1.1.1 was completed on 2024-06-20, by its approved deadline 2024-06-30 "
        "(extended once) but 20 days after its original deadline 2024-05-31"
    )
    assert not note.blocking


def test_no_note_for_a_measure_completed_by_its_original_deadline_or_never_extended() -> None:
    """Completed 05-30, before the original; or late with no extension to note."""
    early = extended_case()
    rectflow.fire(early, "complete", item="1.1.1", on=D(2024, 5, 30))
    assert measures_only(run(early, D(2024, 7, 1))) == []
    plain = measure_case(Measure("1.1.1", due_on=ORIGINAL, state=S.IN_PROGRESS))
    rectflow.fire(plain, "complete", item="1.1.1", on=D(2024, 6, 20))
    assert measures_only(run(plain, D(2024, 7, 1))) == []


def test_the_note_follows_the_latest_completion_after_a_rejection() -> None:
    """Completed 05-30 (on time), rejected, completed again 06-10: late against the original."""
    case = extended_case()
    for trigger, on, note in (
        ("complete", D(2024, 5, 30), None),
        ("submit", D(2024, 5, 30), None),
        ("reject", D(2024, 6, 1), "佐证材料不足"),
        ("complete", D(2024, 6, 10), None),
    ):
        rectflow.fire(case, trigger, item="1.1.1", on=on, note=note)
    [note_found] = measures_only(run(case, D(2024, 7, 1)))
    assert note_found.actual == D(2024, 6, 10)


def test_the_note_goes_with_deadline_overdue_when_it_is_disabled() -> None:
    """No overdue rule, no note."""
    case = extended_case()
    rectflow.fire(case, "complete", item="1.1.1", on=D(2024, 6, 20))
    off = {"deadline.overdue": RuleSettings(enabled=False)}
    assert measures_only(run(case, D(2024, 7, 1), **off)) == []


def test_the_log_is_read_once_per_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """item_facts is one pass over the log, called once however many measures are late."""
    calls: list[str] = []
    real = rectflow.item_facts

    def counting(case: Case) -> Any:
        calls.append(case.id)
        return real(case)

    monkeypatch.setattr("rectflow.checks._item_deadlines.item_facts", counting)
    measures = [Measure(f"1.1.{i}", due_on=ORIGINAL, state=S.OPEN) for i in range(1, 30)]
    case = measure_case(*measures)
    for measure in measures[:10]:
        rectflow.extend(
            case, measure.id, APPROVED, approver="领导小组", reason="r", on=D(2024, 5, 1)
        )
    found = of("deadline.overdue", run(case, D(2024, 7, 2)))
    assert len(found) == 29
    assert calls == ["c"]


# -- deadline.extensions --------------------------------------------------------------------


def extensions(case: Case, **options: Any) -> list[Violation]:
    """The ``deadline.extensions`` violations under ``options``, as of 2024-08-01."""
    rules = {"deadline.extensions": settings(**options)}
    return of("deadline.extensions", run(case, D(2024, 8, 1), **rules))


def test_without_a_limit_or_roles_the_rule_has_nothing_to_judge() -> None:
    """The defaults: any number of extensions, by anyone."""
    assert extensions(extended_case(times=3)) == []


def test_more_extensions_than_allowed_are_reported_once_at_the_first_past_the_limit() -> None:
    """``max_extensions = 1``: the second extension (approved 06-25) is past it."""
    assert extensions(extended_case(), max_extensions=1) == []
    [found] = extensions(extended_case(times=3), max_extensions=1)
    assert (found.where, found.level, found.actual) == (
        "problems[1.1].measures[1.1.1]",
        Level.WARNING,
        D(2024, 6, 25),
    )
    assert found.message == (
        "measure 1.1.1 has 3 approved extensions, more than the 1 the policy allows: extension "
        "2, approved 2024-06-25 by 县委巡察办, moved the deadline from 2024-06-30 to 2024-07-31"
    )


def test_a_limit_of_zero_forbids_every_extension() -> None:
    """``max_extensions = 0``."""
    [found] = extensions(extended_case(), max_extensions=0)
    assert "extension 1, approved 2024-05-20" in found.message


def test_extensions_of_a_problem_without_measures_are_judged_too() -> None:
    """A problem tracked on its own has its own deadline."""
    case = Case(
        "c",
        feedback_on=F("2024-03-28"),
        categories=[Category("1", problems=[Problem("1.1", due_on=ORIGINAL)])],
    )
    rectflow.extend(case, "1.1", APPROVED, approver="某某", reason="r", on=D(2024, 5, 1))
    [found] = extensions(case, approver_roles=["领导小组"])
    assert found.where == "problems[1.1]"
    assert "the extension of problem 1.1 approved 2024-05-01 by 某某 (no role recorded)" in (
        found.message
    )


def test_an_extension_by_a_role_the_policy_does_not_name_is_reported() -> None:
    """``approver_roles``: 巡察办 is not 领导小组; each such extension is its own violation."""
    assert extensions(extended_case(times=2), approver_roles=["巡察办", "领导小组"]) == []
    found = extensions(extended_case(times=2), approver_roles=["领导小组"])
    assert [v.actual for v in found] == [D(2024, 5, 20), D(2024, 6, 25)]
    assert found[0].message == (
        "the extension of measure 1.1.1 approved 2024-05-20 by 县委巡察办 (role 巡察办) is not "
        "approved by a role the policy names (领导小组)"
    )


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"max_extensions": -1}, r"max_extensions"),
        ({"max_extensions": True}, r"max_extensions.*True is not an integer"),
        ({"approver_roles": ["领导小组", " "]}, r"approver_roles"),
        ({"approver_roles": [1]}, r"approver_roles"),
        ({"max_extension": 1}, r"unknown option 'max_extension'.*max_extensions"),
    ],
)
def test_bad_options_are_refused_naming_the_option(options: dict[str, Any], words: str) -> None:
    """Strict options: a negative limit, a flag for a number, a blank or non-text role."""
    with pytest.raises(PolicyError, match=words):
        extensions(extended_case(), **options)


def guarded_policy(level: Level = Level.ERROR, **options: Any) -> Policy:
    """The xuncha preset with ``deadline.extensions`` at ``level`` with ``options``."""
    preset = rectflow.policy("xuncha", PLUGINS)
    rules = dict(preset.rules)
    rules["deadline.extensions"] = settings(level, **options)
    return Policy("guarded", rules=rules)


def test_the_guard_refuses_an_extension_past_the_limit_and_changes_nothing() -> None:
    """At level error, the second extension is refused; due date and log unchanged."""
    case = extended_case()
    before = copy.deepcopy(case)
    guards = rectflow.guards(PLUGINS, guarded_policy(max_extensions=1))
    with pytest.raises(TransitionNotAllowed) as refused:
        rectflow.extend(
            case,
            "1.1.1",
            D(2024, 7, 31),
            approver="巡察办",
            reason="r",
            on=D(2024, 6, 25),
            guards=guards,
        )
    [violation] = refused.value.violations
    assert violation.code == "deadline.extensions"
    assert violation.message == (
        "measure 1.1.1 can't be extended again: this would be its extension 2, and the policy "
        "allows 1"
    )
    assert before == case
    assert case.item("1.1.1").due_on == APPROVED


def test_the_guard_refuses_an_extension_by_another_role() -> None:
    """``approver_roles = ["领导小组"]``: 巡察办's approval is refused, the group's goes through."""
    case = measure_case(Measure("1.1.1", due_on=ORIGINAL))
    guards = rectflow.guards(PLUGINS, guarded_policy(approver_roles=["领导小组"]))
    with pytest.raises(
        TransitionNotAllowed, match=r"can't be approved by 县委巡察办 \(role 巡察办\)"
    ):
        rectflow.extend(
            case,
            "1.1.1",
            APPROVED,
            approver="县委巡察办",
            role="巡察办",
            reason="r",
            on=D(2024, 5, 20),
            guards=guards,
        )
    with pytest.raises(TransitionNotAllowed, match=r"no role recorded"):
        rectflow.extend(
            case,
            "1.1.1",
            APPROVED,
            approver="县委巡察办",
            reason="r",
            on=D(2024, 5, 20),
            guards=guards,
        )
    assert case.events == rectflow.EventLog()
    rectflow.extend(
        case,
        "1.1.1",
        APPROVED,
        approver="县委",
        role="领导小组",
        reason="r",
        on=D(2024, 5, 20),
        guards=guards,
    )
    assert case.item("1.1.1").due_on == APPROVED


def test_at_the_default_level_the_guard_lets_the_extension_through_and_the_check_reports_it() -> (
    None
):
    """A warning never blocks: the extension is recorded, and reported."""
    case = extended_case()
    policy = guarded_policy(Level.WARNING, max_extensions=1)
    rectflow.extend(
        case,
        "1.1.1",
        D(2024, 7, 31),
        approver="巡察办",
        reason="r",
        on=D(2024, 6, 25),
        guards=rectflow.guards(PLUGINS, policy),
    )
    report = rectflow.check(case, policy=policy, as_of=D(2024, 7, 1), plugins=PLUGINS)
    assert [v.level for v in report.violations if v.code == "deadline.extensions"] == [
        Level.WARNING
    ]


def test_the_xuncha_preset_allows_one_extension_and_warns_at_the_second() -> None:
    """One new, final deadline (告诫书); a second extension is a warning."""
    once = rectflow.check(extended_case(), policy="xuncha", as_of=D(2024, 7, 1), plugins=PLUGINS)
    assert not [v for v in once.violations if v.code == "deadline.extensions"]
    twice = rectflow.check(
        extended_case(times=2), policy="xuncha", as_of=D(2024, 7, 1), plugins=PLUGINS
    )
    assert [v.level for v in twice.violations if v.code == "deadline.extensions"] == [Level.WARNING]


def test_checked_as_of_a_day_before_an_extension_the_original_deadline_applies() -> None:
    """As it stood on 2024-06-10 (the second extension came 06-25), the first one holds."""
    case = extended_case(times=2)
    report = rectflow.check(case, policy="xuncha", as_of=D(2024, 6, 10), plugins=PLUGINS)
    assert not [v for v in report.violations if v.code == "deadline.extensions"]


# -- deadline.evaluation accepts an evaluation --------------------------------------------


def centralised_case() -> Case:
    """Centralised 2020-12-03 .. 2021-02-28: an assessment is due by 2021-03-28."""
    return Case(
        "c",
        feedback_on=F("2020-12-03"),
        centralised=Period(F("2020-12-03"), F("2021-02-28")),
    )


def test_a_graded_evaluation_in_time_is_the_assessment() -> None:
    """An ``Evaluation`` counts as 整改评估 like a review of kind assessment."""
    policy = {"deadline.evaluation": settings(within="1 month")}
    late = centralised_case()
    assert len(of("deadline.evaluation", run(late, D(2021, 6, 1), **policy))) == 1
    case = centralised_case()
    rectflow.evaluate(case, Evaluation(D(2021, 3, 20), Grade.GOOD, 92))
    assert of("deadline.evaluation", run(case, D(2021, 6, 1), **policy)) == []


def test_a_late_evaluation_is_reported_at_its_path() -> None:
    """Evaluated 2021-04-15: late, at ``evaluations[0]``."""
    case = centralised_case()
    rectflow.evaluate(case, Evaluation(D(2021, 4, 15), Grade.FAIR))
    policy = {"deadline.evaluation": settings(within="1 month")}
    [found] = of("deadline.evaluation", run(case, D(2021, 6, 1), **policy))
    assert (found.where, found.actual, found.due) == (
        "evaluations[0]",
        D(2021, 4, 15),
        D(2021, 3, 28),
    )


def test_the_earliest_of_reviews_and_evaluations_is_judged() -> None:
    """A review of kind assessment on 03-20 answers for a later evaluation."""
    case = centralised_case()
    case.reviews.append(rectflow.Review(D(2021, 3, 20), kind=rectflow.ReviewKind.ASSESSMENT))
    rectflow.evaluate(case, Evaluation(D(2021, 5, 1), Grade.FAIR))
    policy = {"deadline.evaluation": settings(within="1 month")}
    assert of("deadline.evaluation", run(case, D(2021, 6, 1), **policy)) == []


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


POLICY = {
    "deadline.extensions": settings(max_extensions=1, approver_roles=["领导小组"]),
    "deadline.due-soon": settings(within="30 days"),
}


@given(
    case=rs.cases(with_events=True, allow_imported=True, max_events=30),
    as_of=st.dates(D(2019, 1, 1), D(2027, 12, 31)),
    rnd=st.randoms(use_true_random=False),
)
def test_the_supervision_verdicts_do_not_depend_on_the_order_of_the_ledger(
    case: Case, as_of: dt.date, rnd: random.Random
) -> None:
    """With extensions, submissions and rejections in the log: the same sorted violations."""
    assert run(case, as_of, **POLICY) == run(shuffled(case, rnd), as_of, **POLICY)


@given(
    case=rs.cases(with_events=True, max_events=30), as_of=st.dates(D(2019, 1, 1), D(2027, 12, 31))
)
def test_no_done_measure_is_ever_overdue(case: Case, as_of: dt.date) -> None:
    """Completed, submitted and closed measures draw at most an info note from the rule."""
    done = {m.id for m in case.measures() if m.state in (S.COMPLETED, S.SUBMITTED, S.CLOSED)}
    for violation in of("deadline.overdue", run(case, as_of)):
        if violation.where.rsplit("[", 1)[1].rstrip("]") in done:
            assert violation.level is Level.INFO
