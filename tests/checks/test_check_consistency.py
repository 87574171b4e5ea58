"""The consistency check: stated summary counts against the ledger, per subject and state."""

from __future__ import annotations

import copy
import datetime as dt
import random

from hypothesis import given
from hypothesis import strategies as st

import rectflow
import rectflow.strategies as rs
from rectflow import (
    Case,
    Category,
    CheckContext,
    ItemState,
    Level,
    Measure,
    Policy,
    Problem,
    ProblemKind,
    RuleSettings,
    StatedCount,
    Violation,
)
from rectflow._core.fields import force
from rectflow.checks import consistency

D = dt.date
S = ItemState
AS_OF = D(2024, 7, 1)


def run(case: Case, **rules: RuleSettings) -> list[Violation]:
    """The consistency module's violations, sorted."""
    context = CheckContext(
        as_of=AS_OF,
        policy=Policy("test", rules=rules),
        rules={rule.code: rule for rule in consistency.RULES},
    )
    found = consistency.rectflow_check_case(case=case, context=context)
    return sorted(found, key=Violation.sort_key)


def problem(pid: str, kind: ProblemKind, *states: ItemState, tags: tuple[str, ...] = ()) -> Problem:
    """A problem with one measure per state (or, with one state and no measures, that state)."""
    measures = [Measure(f"{pid}.{i}", state=s, initial_state=s) for i, s in enumerate(states, 1)]
    return Problem(pid, kind=kind, measures=measures, tags=tags)


def seed_002_like(extended: int) -> Case:
    """A ledger with ``extended`` extended items, some flagged as reform items, and a clue."""
    problems = [problem(f"3.{i}", ProblemKind.EXTENDED, S.COMPLETED) for i in range(extended)]
    problems[0].tags = ("reform",)
    problems.append(problem("9.1", ProblemKind.CLUE, S.IN_PROGRESS))
    return Case("c", categories=[Category("3", problems=problems)])


def test_stated_counts_that_match_the_ledger_pass() -> None:
    """Kinds, flags, problems and measures, totals and states all agree."""
    case = seed_002_like(extended=4)
    case.stated_counts = [
        StatedCount("extended", 4, {S.COMPLETED: 4}),
        StatedCount("reform", 1),
        StatedCount("problems", 4),
        StatedCount("measures", 4, {S.COMPLETED: 4}),
        StatedCount("clue", 1, {S.IN_PROGRESS: 1}),
    ]
    assert run(case) == []


def test_a_stated_total_the_ledger_does_not_hold_gives_both_numbers() -> None:
    """Seed 002 states 58 extended items; a ledger of 56 is one violation saying so."""
    case = seed_002_like(extended=56)
    case.stated_counts = [StatedCount("extended", 58)]
    [found] = run(case)
    assert (found.where, found.level) == ("stated_counts[extended]", Level.ERROR)
    assert found.message == "stated 58 extended items, the ledger holds 56"
    assert found.message_zh == "通报称举一反三整改事项58个，台账为56个"


def test_each_mismatching_state_is_its_own_violation() -> None:
    """ "45 specific problems: 34 completed, 11 basically completed" against 33 and 12."""
    problems = [problem(f"1.{i}", ProblemKind.SPECIFIC, S.CLOSED) for i in range(33)]
    problems += [problem(f"2.{i}", ProblemKind.SPECIFIC, S.BASICALLY_COMPLETED) for i in range(12)]
    case = Case(
        "c",
        categories=[Category("1", problems=problems)],
        stated_counts=[
            StatedCount("specific", 45, {S.COMPLETED: 34, S.BASICALLY_COMPLETED: 11}),
        ],
    )
    found = run(case)
    assert [v.where for v in found] == [
        "stated_counts[specific].by_state[basically_completed]",
        "stated_counts[specific].by_state[completed]",
    ]
    expected = (
        "stated 34 completed specific problems, the ledger holds 33 "
        "(counting closed or completed or submitted)"
    )
    assert expected == found[1].message


def test_an_item_submitted_for_acceptance_counts_as_completed_and_as_submitted() -> None:
    """报请销号 follows completion: "2 completed" holds a submitted and a closed problem, and
    "1 submitted" the submitted one alone."""
    problems = [
        problem("1.1", ProblemKind.SPECIFIC, S.SUBMITTED),
        problem("1.2", ProblemKind.SPECIFIC, S.CLOSED),
    ]
    stated = StatedCount("specific", 2, {S.COMPLETED: 2, S.SUBMITTED: 1})
    case = Case("c", categories=[Category("1", problems=problems)], stated_counts=[stated])
    assert run(case) == []
    wrong = StatedCount("specific", 2, {S.SUBMITTED: 2})
    case = Case("c", categories=[Category("1", problems=problems)], stated_counts=[wrong])
    [found] = run(case)
    assert found.where == "stated_counts[specific].by_state[submitted]"


def test_in_progress_counts_open_and_reopened_items_as_not_yet_settled() -> None:
    """ "29 measures in progress" covers in-progress, open and reopened measures."""
    case = Case(
        "c",
        categories=[
            Category("1", problems=[problem("1.1", ProblemKind.SPECIFIC, S.IN_PROGRESS, S.OPEN)]),
            Category("2", problems=[problem("2.1", ProblemKind.SPECIFIC, S.REOPENED)]),
        ],
        stated_counts=[StatedCount("measures", 3, {S.IN_PROGRESS: 3, S.OPEN: 1})],
    )
    assert run(case) == []


def test_a_problem_counts_in_the_state_derived_from_its_measures() -> None:
    """A problem whose measures are all completed is completed; one open measure makes it not."""
    case = Case(
        "c",
        categories=[
            Category(
                "1",
                problems=[
                    problem("1.1", ProblemKind.KEY, S.COMPLETED, S.CLOSED),
                    problem("1.2", ProblemKind.KEY, S.COMPLETED, S.IN_PROGRESS),
                ],
            )
        ],
        stated_counts=[StatedCount("key", 2, {S.COMPLETED: 2})],
    )
    [found] = run(case)
    assert "stated 2 completed key problems, the ledger holds 1" in found.message


def test_clues_are_not_counted_among_problems_or_their_measures() -> None:
    """Clues are never published, so "problems" and "measures" leave them out."""
    case = seed_002_like(extended=2)
    case.stated_counts = [StatedCount("problems", 3), StatedCount("measures", 3)]
    assert [v.message for v in run(case)] == [
        "stated 3 measures, the ledger holds 2",
        "stated 3 problems, the ledger holds 2",
    ]


def test_a_subject_the_ledger_cannot_count_is_reported() -> None:
    """An unknown subject is a mistake in the case, not a silent pass (the model refuses one
    where it is built; this one is put in behind its checks, as a careless host could)."""
    case = seed_002_like(extended=1)
    count = StatedCount("extended", 54)
    object.__setattr__(count, "subject", "rules-revised")
    case.stated_counts = [count]
    [found] = run(case)
    assert found.where == "stated_counts[rules-revised]"


def test_a_disabled_rule_reports_nothing() -> None:
    """``enabled = false`` in the policy."""
    case = seed_002_like(extended=56)
    case.stated_counts = [StatedCount("extended", 58)]
    assert run(case, **{"consistency.count": RuleSettings(enabled=False)}) == []


def shuffled(case: Case, rnd: random.Random) -> Case:
    """A deep copy with categories, problems and measures in another order."""
    copied = copy.deepcopy(case)
    # The ledger's lists are owned by the events: a reordered copy is what an import of the
    # same ledger in another order would build, so the test sets them with ``force``.
    force(copied, "categories", rnd.sample(copied.categories, len(copied.categories)))
    for category in copied.categories:
        force(category, "problems", rnd.sample(category.problems, len(category.problems)))
        for item in category.problems:
            force(item, "measures", rnd.sample(item.measures, len(item.measures)))
    copied.reindex()
    return copied


@given(
    case=rs.cases(with_events=True, allow_imported=True, max_problems=10),
    rnd=st.randoms(use_true_random=False),
)
def test_the_violations_do_not_depend_on_the_order_of_the_ledger(
    case: Case, rnd: random.Random
) -> None:
    """Shuffling categories, problems and measures gives the same sorted violations."""
    assert run(case) == run(shuffled(case, rnd))


@given(case=rs.cases(with_events=True, allow_imported=True, max_problems=10))
def test_counts_stated_from_the_ledger_itself_always_pass(case: Case) -> None:
    """Stating exactly what the ledger holds (by the documented mapping) draws no violation."""
    problems = [p for p in case.problems() if not p.counts_as(ProblemKind.CLUE)]
    measures = [m for p in problems for m in p.measures]
    case.stated_counts = [
        StatedCount(
            "problems",
            len(problems),
            {s: sum(p.state in consistency.COUNTED_STATES[s] for p in problems) for s in S},
        ),
        StatedCount(
            "measures",
            len(measures),
            {s: sum(m.state in consistency.COUNTED_STATES[s] for m in measures) for s in S},
        ),
        *(
            StatedCount(kind.value, sum(p.counts_as(kind) for p in case.problems()))
            for kind in ProblemKind
        ),
    ]
    assert run(case) == []


def test_rectflow_check_reports_a_count_mismatch_under_the_plugin_name() -> None:
    """Through the plugin manager."""
    case = seed_002_like(extended=56)
    case.stated_counts = [StatedCount("extended", 58)]
    report = rectflow.check(case, policy=Policy("test"), as_of=AS_OF)
    found = [v for v in report.violations if v.code == "consistency.count"]
    assert [(v.plugin, v.where) for v in found] == [
        ("rectflow.checks.consistency", "stated_counts[extended]")
    ]


def unknown_measures(known: ItemState, known_count: int, unknown_count: int) -> Case:
    """One problem whose first measures are in ``known`` and the rest of unstated state."""
    measures = [
        Measure(f"1.1.{i}", state=known, initial_state=known) for i in range(1, known_count + 1)
    ] + [
        Measure(f"1.1.{i}", state_known=False)
        for i in range(known_count + 1, known_count + unknown_count + 1)
    ]
    problems = [Problem("1.1", kind=ProblemKind.SPECIFIC, measures=measures)]
    return Case("c", categories=[Category("1", problems=problems)])


def test_a_stated_state_count_that_unstated_items_may_make_up_is_not_contradicted() -> None:
    """2 completed and 3 of unstated state: a stated 2..5 completed cannot be called wrong."""
    for number in (2, 3, 5):
        case = unknown_measures(S.COMPLETED, 2, 3)
        case.stated_counts = [StatedCount("measures", total=5, by_state={S.COMPLETED: number})]
        assert run(case) == []


def test_a_stated_state_count_beyond_what_unstated_items_allow_is_reported() -> None:
    """2 completed and 3 unstated: 6 completed is impossible, 1 too; the message names both."""
    for number in (1, 6):
        case = unknown_measures(S.COMPLETED, 2, 3)
        case.stated_counts = [StatedCount("measures", total=5, by_state={S.COMPLETED: number})]
        found = run(case)
        assert [v.where for v in found] == ["stated_counts[measures].by_state[completed]"]
        assert "the ledger holds 2, besides 3 of unstated state" in found[0].message
        assert "另有3个状态未说明" in found[0].message_zh
