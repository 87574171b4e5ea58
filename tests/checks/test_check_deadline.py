"""The deadline checks: plan, report, centralised period, measures, clues and the assessment."""

from __future__ import annotations

import copy
import datetime as dt
import random
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import rectflow
import rectflow.strategies as rs
from rectflow import (
    Case,
    Category,
    CheckContext,
    FuzzyDate,
    ItemState,
    Level,
    Measure,
    OptionSetting,
    Period,
    Plan,
    Policy,
    Problem,
    ProblemKind,
    Review,
    ReviewKind,
    RuleSettings,
    Violation,
)
from rectflow._core.fields import force
from rectflow.checks import deadline

D = dt.date
F = FuzzyDate.parse


def settings(**options: Any) -> RuleSettings:
    """Rule settings with these option values."""
    return RuleSettings(options={name: OptionSetting(value) for name, value in options.items()})


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


def clues(violations: list[Violation]) -> list[Violation]:
    """The violations of ``deadline.clue``."""
    return of("deadline.clue", violations)


def ledger(*measures: Measure, problem: str = "1.1") -> list[Category]:
    """One category holding one problem with ``measures``."""
    return [Category("1", problems=[Problem(problem, measures=list(measures))])]


def seed_003_like() -> Case:
    """Seed 003's dates: on-site early Aug - early Oct, feedback 12-03 (year inferred)."""
    return Case(
        "seed-003-like",
        inspection=rectflow.Inspection(onsite=Period(F("2020-08-early"), F("2020-10-early"))),
        feedback_on=F("2020-12-03?"),
        centralised=Period(F("2020-12-03"), F("2021-02-28")),
        disclosures=[rectflow.Disclosure(published_on=F("2021-06"))],
    )


# -- deadline.plan --------------------------------------------------------------------------


def test_a_plan_adopted_within_a_month_of_feedback_passes() -> None:
    """The default window is one month: 2024-03-28 + 1 month = 2024-04-28 is still on time."""
    case = Case("c", feedback_on=F("2024-03-28"), plan=Plan(adopted_on=F("2024-04-28")))
    assert of("deadline.plan", run(case, D(2024, 6, 1))) == []


def test_a_plan_adopted_after_the_window_is_a_warning_naming_the_due_date() -> None:
    """One day past the window is late; the violation says when it was due and cites the basis."""
    case = Case("c", feedback_on=F("2024-03-28"), plan=Plan(adopted_on=F("2024-04-29")))
    [found] = of("deadline.plan", run(case, D(2024, 6, 1)))
    assert (Level.WARNING, "plan", D(2024, 4, 28), D(2024, 4, 29)) == (
        found.level,
        found.where,
        found.due,
        found.actual,
    )
    assert "due by 2024-04-28" in found.message
    assert deadline.PLAN.basis == found.basis


def test_no_plan_once_the_window_has_passed_is_a_violation_as_of_the_date() -> None:
    """A missing plan is late only after its due date; the actual date is the as-of date."""
    case = Case("c", feedback_on=F("2024-03-28"))
    assert of("deadline.plan", run(case, D(2024, 4, 28))) == []
    [found] = of("deadline.plan", run(case, D(2024, 4, 29)))
    assert D(2024, 4, 29) == found.actual
    assert "no rectification plan as of 2024-04-29" in found.message


def test_the_adopt_plan_event_dates_a_plan_without_an_adoption_date() -> None:
    """Firing adopt_plan records when the plan was adopted."""
    case = Case("c", feedback_on=F("2024-03-28"))
    rectflow.fire(case, "adopt_plan", on=D(2024, 5, 2))
    [found] = of("deadline.plan", run(case, D(2024, 6, 1)))
    assert D(2024, 5, 2) == found.actual


# -- deadline.report ------------------------------------------------------------------------


def test_a_report_two_months_after_feedback_is_on_time_and_a_day_later_is_an_error() -> None:
    """条例 (2015) art. 27: within 2 months; 2024-05-28 is the last on-time day."""
    on_time = Case("c", feedback_on=F("2024-03-28"), report_on=F("2024-05-28"))
    late = Case("c", feedback_on=F("2024-03-28"), report_on=F("2024-05-29"))
    assert of("deadline.report", run(on_time, D(2024, 7, 1))) == []
    [found] = of("deadline.report", run(late, D(2024, 7, 1)))
    assert (Level.ERROR, "report_on", D(2024, 5, 28)) == (found.level, found.where, found.due)


def test_no_report_three_months_after_feedback_is_an_error() -> None:
    """A report the policy needs and the case lacks is a violation once it is overdue."""
    case = Case("c", feedback_on=F("2024-03-28"))
    [found] = of("deadline.report", run(case, D(2024, 6, 28)))
    assert (Level.ERROR, D(2024, 5, 28), D(2024, 6, 28)) == (found.level, found.due, found.actual)
    assert "报告" in found.message_zh


def test_a_policy_period_and_its_basis_replace_the_defaults() -> None:
    """With 3 months (a county's rule) the same report is on time, and a late one cites it."""
    within = RuleSettings(options={"within": OptionSetting("3 months", basis="定远县巡察工作制度")})
    case = Case("c", feedback_on=F("2024-03-28"), report_on=F("2024-06-28"))
    assert of("deadline.report", run(case, D(2024, 8, 1), **{"deadline.report": within})) == []
    late = Case("c", feedback_on=F("2024-03-28"), report_on=F("2024-06-29"))
    [found] = of("deadline.report", run(late, D(2024, 8, 1), **{"deadline.report": within}))
    assert found.basis == "定远县巡察工作制度"


def test_a_report_dated_only_to_a_month_that_straddles_the_due_date_is_uncertain() -> None:
    """Seed-003-like: due 2021-02-03; "2021-02" may mean 02-01..02-28, so a warning says so."""
    case = seed_003_like()
    case.report_on = F("2021-02")
    [found] = of("deadline.report", run(case, D(2021, 7, 1)))
    assert (Level.WARNING, D(2021, 2, 3)) == (found.level, found.due)
    assert "2021-02 (month: 2021-02-01..2021-02-28)" in found.message
    assert "may be late" in found.message


def test_a_fuzzy_report_is_judged_by_its_earliest_and_latest_days() -> None:
    """Wholly before the due date meets it; wholly after misses it, at the rule's level."""
    early, late = seed_003_like(), seed_003_like()
    early.report_on, late.report_on = F("2021-01"), F("2021-03-early")
    assert of("deadline.report", run(early, D(2021, 7, 1))) == []
    [found] = of("deadline.report", run(late, D(2021, 7, 1)))
    assert (Level.ERROR, D(2021, 3, 1)) == (found.level, found.actual)


def test_a_fuzzy_feedback_date_gives_a_range_of_due_dates() -> None:
    """Feedback "2024-03" makes the report due 2024-05-01..2024-05-31; 05-15 is uncertain."""
    case = Case("c", feedback_on=F("2024-03"), report_on=F("2024-05-15"))
    [found] = of("deadline.report", run(case, D(2024, 7, 1)))
    assert found.level == Level.WARNING
    assert "due by 2024-05-01..2024-05-31" in found.message


def test_a_case_without_a_feedback_date_gets_one_warning_from_the_report_rule() -> None:
    """Without feedback no deadline can be counted: one warning, no other deadline finding."""
    found = run(Case("c", report_on=F("2024-05-01")), D(2024, 7, 1))
    assert [(v.code, v.where, v.level) for v in found] == [
        ("deadline.report", "feedback_on", Level.WARNING)
    ]


def test_an_undated_report_the_case_state_shows_is_an_info_not_a_missing_report() -> None:
    """A notice's case is disclosed, so its report was submitted: only its date is missing."""
    case = Case("c", feedback_on=F("2024-03-28"), state=rectflow.CaseState.DISCLOSED)
    found = [v for v in run(case, D(2025, 6, 1)) if v.code in ("deadline.plan", "deadline.report")]
    assert [(v.level, v.where) for v in found] == [(Level.INFO, "plan"), (Level.INFO, "report_on")]
    assert "cannot be judged" in found[1].message


def test_a_case_past_its_plan_but_not_yet_reported_still_misses_its_report() -> None:
    """In centralised rectification the plan is adopted, the report is not yet submitted."""
    case = Case("c", feedback_on=F("2024-03-28"), state=rectflow.CaseState.CENTRALISED)
    found = run(case, D(2024, 7, 1))
    assert sorted((v.code, v.level) for v in found) == [
        ("deadline.plan", Level.INFO),
        ("deadline.report", Level.ERROR),
    ]


# -- deadline.centralised -------------------------------------------------------------------


def test_seed_003s_centralised_period_fits_three_months_but_not_two() -> None:
    """2020-12-03 - 2021-02-28: 3 months run through 2021-03-02, 2 months through 2021-02-02."""
    case = seed_003_like()
    assert of("deadline.centralised", run(case, D(2021, 7, 1))) == []
    two = {"deadline.centralised": settings(longest="2 months")}
    [found] = of("deadline.centralised", run(case, D(2021, 7, 1), **two))
    assert (D(2021, 2, 2), D(2021, 2, 28)) == (found.due, found.actual)
    assert "longer than 2 months" in found.message
    assert "2020-12-03 – 2021-02-28" in found.message


def test_a_centralised_period_without_an_end_is_reported_once_it_should_have_ended() -> None:
    """An open-ended period is fine until its longest end has passed as of the date."""
    case = Case("c", centralised=Period(F("2020-12-03")))
    assert of("deadline.centralised", run(case, D(2021, 3, 2))) == []
    [found] = of("deadline.centralised", run(case, D(2021, 3, 3)))
    assert "has no end" in found.message


def test_a_fuzzy_centralised_end_that_may_overrun_is_a_warning() -> None:
    """Ending "2021-03" (03-01..03-31) against a 2021-03-02 limit is uncertain."""
    case = Case("c", centralised=Period(F("2020-12-03"), F("2021-03")))
    [found] = of("deadline.centralised", run(case, D(2021, 7, 1)))
    assert found.level == Level.WARNING
    assert "may be longer" in found.message


# -- deadline.overdue and deadline.due-soon -------------------------------------------------


def _measure(mid: str, due: dt.date | None, state: ItemState) -> Measure:
    return Measure(mid, due_on=due, state=state, initial_state=state)


def test_an_unfinished_measure_past_its_due_date_is_overdue() -> None:
    """In progress, basically completed, open and reopened measures can all be overdue."""
    states = [ItemState.IN_PROGRESS, ItemState.BASICALLY_COMPLETED, ItemState.OPEN]
    case = Case(
        "c",
        categories=ledger(*(_measure(f"1.1.{i}", D(2024, 6, 30), s) for i, s in enumerate(states))),
    )
    found = of("deadline.overdue", run(case, D(2024, 7, 2)))
    assert [v.where.split("measures[")[1][:-1] for v in found] == ["1.1.0", "1.1.1", "1.1.2"]
    assert found[0].where == "problems[1.1].measures[1.1.0]"
    assert "2 days late" in found[0].message


def test_completed_and_closed_measures_are_never_overdue() -> None:
    """Done is done, whatever the due date."""
    case = Case(
        "c",
        categories=ledger(
            _measure("1.1.1", D(2024, 6, 30), ItemState.COMPLETED),
            _measure("1.1.2", D(2024, 6, 30), ItemState.CLOSED),
        ),
    )
    assert [v for v in run(case, D(2025, 1, 1)) if v.code != "deadline.report"] == []


def test_a_measure_due_today_is_due_soon_not_overdue() -> None:
    """The due date is the last on-time day."""
    case = Case("c", categories=ledger(_measure("1.1.1", D(2024, 6, 30), ItemState.IN_PROGRESS)))
    found = measures_only(run(case, D(2024, 6, 30)))
    assert [(v.code, v.message.split("is ")[1].split(" and")[0]) for v in found] == [
        ("deadline.due-soon", "due today (2024-06-30)")
    ]


def test_long_term_measures_are_left_out_unless_the_policy_includes_them() -> None:
    """长期坚持 items have no real deadline by default; ``include_long_term`` reports them."""
    case = Case("c", categories=ledger(_measure("1.1.1", D(2024, 6, 30), ItemState.LONG_TERM)))
    assert measures_only(run(case, D(2024, 8, 1))) == []
    include = {"deadline.overdue": settings(include_long_term=True)}
    found = measures_only(run(case, D(2024, 8, 1), **include))
    assert [v.code for v in found] == ["deadline.overdue"]


def test_due_soon_warns_within_seven_days_by_default() -> None:
    """Due 2024-06-30: a warning from 06-23 on, none on 06-22."""
    case = Case("c", categories=ledger(_measure("1.1.1", D(2024, 6, 30), ItemState.OPEN)))
    assert measures_only(run(case, D(2024, 6, 22))) == []
    [found] = measures_only(run(case, D(2024, 6, 23)))
    assert (Level.WARNING, D(2024, 6, 30), D(2024, 6, 23)) == (found.level, found.due, found.actual)


def test_due_soon_counts_working_days_when_the_policy_says_so() -> None:
    """From Friday 2024-06-28, 2 working days reach Tuesday 07-02 (Monday-Friday calendar)."""
    two = {"deadline.due-soon": settings(within="2 working days")}
    tuesday = Case("c", categories=ledger(_measure("1.1.1", D(2024, 7, 2), ItemState.OPEN)))
    wednesday = Case("c", categories=ledger(_measure("1.1.1", D(2024, 7, 3), ItemState.OPEN)))
    assert [v.code for v in measures_only(run(tuesday, D(2024, 6, 28), **two))] == [
        "deadline.due-soon"
    ]
    assert measures_only(run(wednesday, D(2024, 6, 28), **two)) == []


def test_disabled_rules_report_nothing() -> None:
    """A policy that disables overdue and due-soon silences them."""
    off = {code: RuleSettings(enabled=False) for code in ("deadline.overdue", "deadline.due-soon")}
    case = Case("c", categories=ledger(_measure("1.1.1", D(2024, 6, 30), ItemState.OPEN)))
    assert measures_only(run(case, D(2024, 7, 1), **off)) == []


# -- deadline.clue --------------------------------------------------------------------------


TRANSFERRED = D(2024, 4, 1)


def _clue_case(transferred: dt.date | None = TRANSFERRED) -> Case:
    clue = Problem(
        "9.1",
        kind=ProblemKind.CLUE,
        classification=rectflow.Classification.CONFIDENTIAL,
        transferred_on=transferred,
    )
    return Case("c", feedback_on=F("2024-03-28"), categories=[Category("9", problems=[clue])])


def test_an_open_clue_is_fine_for_six_months_then_a_warning_then_an_error_after_a_year() -> None:
    """Normally six months (warning past it), at most a year (error past it)."""
    case = _clue_case()
    assert clues(run(case, D(2024, 10, 1))) == []
    [warning] = clues(run(case, D(2024, 10, 2)))
    assert (Level.WARNING, "problems[9.1]", D(2024, 10, 1)) == (
        warning.level,
        warning.where,
        warning.due,
    )
    assert [v.level for v in clues(run(case, D(2025, 4, 1)))] == [Level.WARNING]
    [error] = clues(run(case, D(2025, 4, 2)))
    assert (Level.ERROR, D(2025, 4, 1)) == (error.level, error.due)


def test_a_clue_is_judged_by_the_day_it_was_first_completed() -> None:
    """Completed after 7 months: a warning dated by the ``complete`` event, whatever as-of."""
    case = _clue_case()
    rectflow.fire(case, "start", item="9.1", on=D(2024, 4, 2))
    rectflow.fire(case, "complete", item="9.1", on=D(2024, 11, 1))
    [found] = clues(run(case, D(2026, 1, 1)))
    assert (Level.WARNING, D(2024, 11, 1)) == (found.level, found.actual)
    assert "handled on 2024-11-01" in found.message


def test_a_clue_handled_in_time_passes() -> None:
    """Closed five months after transfer."""
    case = _clue_case()
    rectflow.fire(case, "start", item="9.1", on=D(2024, 4, 2))
    rectflow.fire(case, "complete", item="9.1", on=D(2024, 8, 20))
    assert clues(run(case, D(2026, 1, 1))) == []


def test_a_clue_without_a_transfer_date_counts_from_feedback_and_says_so() -> None:
    """Feedback 2024-03-28 + 6 months = 2024-09-28."""
    [found] = clues(run(_clue_case(transferred=None), D(2024, 10, 1)))
    assert D(2024, 9, 28) == found.due
    assert "feedback (the clue has no transfer date)" in found.message


def test_a_problem_flagged_as_a_clue_by_its_tag_is_a_clue() -> None:
    """``counts_as``: a tag with a kind's value makes the problem count as that kind."""
    tagged = Problem("9.1", tags=("clue",), transferred_on=D(2024, 4, 1))
    case = Case("c", feedback_on=F("2024-03-28"), categories=[Category("9", problems=[tagged])])
    assert [v.where for v in clues(run(case, D(2024, 10, 2)))] == ["problems[9.1]"]


# -- deadline.evaluation --------------------------------------------------------------------


def test_no_assessment_is_required_unless_the_policy_sets_a_window() -> None:
    """``within`` is unset by default."""
    assert of("deadline.evaluation", run(seed_003_like(), D(2022, 1, 1))) == []


def test_an_assessment_within_a_month_of_the_centralised_end_passes() -> None:
    """Centralised end 2021-02-28 + 1 month = 2021-03-28; a follow-up review does not count."""
    policy = {"deadline.evaluation": settings(within="1 month")}
    case = seed_003_like()
    case.reviews = [
        Review(D(2021, 3, 10), kind=ReviewKind.FOLLOW_UP),
        Review(D(2021, 3, 28), kind=ReviewKind.ASSESSMENT),
    ]
    assert of("deadline.evaluation", run(case, D(2021, 7, 1), **policy)) == []
    case.reviews = case.reviews[:1]
    [found] = of("deadline.evaluation", run(case, D(2021, 7, 1), **policy))
    assert ("reviews", D(2021, 3, 28)) == (found.where, found.due)


def test_a_late_assessment_names_the_review() -> None:
    """The first assessment is judged, at its place in ``reviews``."""
    policy = {"deadline.evaluation": settings(within="1 month")}
    case = seed_003_like()
    case.reviews = [Review(D(2021, 5, 1), kind=ReviewKind.ASSESSMENT)]
    [found] = of("deadline.evaluation", run(case, D(2021, 7, 1), **policy))
    assert ("reviews[0]", D(2021, 5, 1)) == (found.where, found.actual)


def test_without_a_centralised_end_the_assessment_counts_from_an_estimated_end() -> None:
    """No centralised period: the end is feedback + ``deadline.centralised.longest``, said so."""
    policy = {"deadline.evaluation": settings(within="1 month")}
    case = Case("c", feedback_on=F("2024-03-28"))
    [found] = of("deadline.evaluation", run(case, D(2025, 1, 1), **policy))
    assert D(2024, 7, 27) == found.due
    assert "taken as 2024-06-27" in found.message


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
    "deadline.evaluation": settings(within="1 month"),
    "deadline.due-soon": settings(within="30 days"),
}


@given(
    case=rs.cases(with_events=True, allow_imported=True),
    as_of=st.dates(D(2019, 1, 1), D(2027, 12, 31)),
    rnd=st.randoms(use_true_random=False),
)
def test_the_violations_do_not_depend_on_the_order_of_the_ledger(
    case: Case, as_of: dt.date, rnd: random.Random
) -> None:
    """Shuffling categories, problems and measures gives the same sorted violations."""
    assert run(case, as_of, **POLICY) == run(shuffled(case, rnd), as_of, **POLICY)


def test_rectflow_check_reports_the_deadline_rules_under_the_plugin_name() -> None:
    """Through the plugin manager, a late report is ``deadline.report`` by its module's plugin."""
    case = Case("c", feedback_on=F("2024-03-28"))
    report = rectflow.check(case, policy=Policy("test"), as_of=D(2024, 7, 1))
    found = [v for v in report.violations if v.code == "deadline.report"]
    assert [("rectflow.checks.deadline", D(2024, 5, 28))] == [(v.plugin, v.due) for v in found]
