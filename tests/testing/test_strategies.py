"""The hypothesis strategies build valid model objects, legal event sequences, and refuse
impossible arguments."""

from __future__ import annotations

import copy
import datetime as dt
import importlib.metadata

import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import rectflow
import rectflow.strategies as rs
from rectflow import (
    Case,
    CaseState,
    Category,
    FuzzyDate,
    ItemState,
    Measure,
    Period,
    Precision,
    Problem,
    ProblemKind,
    replay,
)


def item_ids(case: Case) -> list[str]:
    """Every problem and measure id of the case, in ledger order."""
    return [i for p in case.problems() for i in (p.id, *(m.id for m in p.measures))]


def dates_of(case: Case) -> list[dt.date]:
    """Every day a dated field of the case may mean, apart from the on-site period."""
    fuzzy: list[FuzzyDate | None] = [case.report_on]
    if case.plan is not None:
        fuzzy.append(case.plan.adopted_on)
    if case.centralised is not None:
        fuzzy += [case.centralised.start, case.centralised.end]
    fuzzy += [m.on for m in case.milestones]
    for disclosure in case.disclosures:
        fuzzy.append(disclosure.published_on)
        if disclosure.public_period is not None:
            fuzzy += [disclosure.public_period.start, disclosure.public_period.end]
    days = [d.earliest for d in fuzzy if d is not None]
    days += [r.on for r in case.reviews]
    days += [m.due_on for m in case.measures() if m.due_on is not None]
    days += [p.due_on for p in case.problems() if p.due_on is not None]
    days += [e.on for e in case.events]
    return days


@given(rs.fuzzy_dates(min_value=dt.date(2020, 3, 5), max_value=dt.date(2021, 2, 3)))
def test_fuzzy_dates_stay_wholly_inside_their_bounds(date: FuzzyDate) -> None:
    """Every day a drawn fuzzy date may mean lies between min_value and max_value."""
    assert dt.date(2020, 3, 5) <= date.earliest <= date.latest <= dt.date(2021, 2, 3)
    assert date.precision is not Precision.YEAR  # no whole year fits between those bounds


@given(rs.fuzzy_dates(precisions=["dekad"], allow_inferred=False))
def test_fuzzy_dates_keep_to_the_precisions_asked_for(date: FuzzyDate) -> None:
    """Asking for dekads gives only dekads, never inferred when that is turned off."""
    assert (date.precision, date.inferred) == (Precision.DEKAD, False)


@given(rs.periods())
def test_periods_never_end_before_they_start(period: Period) -> None:
    """A drawn period's end may not lie wholly before its start."""
    assert period.end is None or period.end.latest >= period.start.earliest


@given(rs.measures(initial_states=["completed"]))
def test_measures_start_in_the_initial_state_asked_for(measure: Measure) -> None:
    """A drawn measure's state is its initial state, drawn from the ones given."""
    assert (measure.state, measure.initial_state) == (ItemState.COMPLETED, ItemState.COMPLETED)


@given(rs.problems(kinds=[ProblemKind.CLUE], min_measures=1))
def test_problems_name_their_measures_after_themselves_and_clues_are_confidential(
    problem: Problem,
) -> None:
    """Measures are numbered under their problem; a clue is always confidential."""
    expected = [f"{problem.id}.{n}" for n in range(1, len(problem.measures) + 1)]
    assert expected == [m.id for m in problem.measures]
    assert problem.classification is rectflow.Classification.CONFIDENTIAL


@given(rs.ledgers(min_problems=2, max_problems=8))
def test_ledgers_have_unique_ids_across_problems_and_measures(ledger: list[Category]) -> None:
    """Problem and measure ids never repeat, and parents name earlier problems."""
    case = Case("c", categories=ledger)
    ids = item_ids(case)
    assert len(ids) == len(set(ids))
    assert 2 <= len(list(case.problems())) <= 8
    for problem in case.problems():
        assert problem.parent is None or problem.parent in ids


@given(rs.categories(ids=st.just("7")))
def test_categories_number_their_items_under_their_own_id(category: Category) -> None:
    """A single category's problems and measures carry its id as their prefix."""
    assert all(p.id.startswith("7.") for p in category.problems)
    assert all(m.id.startswith("7.") for p in category.problems for m in p.measures)


@given(rs.cases())
def test_cases_have_consistent_dates_and_initial_states(case: Case) -> None:
    """Nothing is dated before the feedback date; without events every state is initial."""
    assert case.feedback_on is not None
    assert all(day >= case.feedback_on.latest for day in dates_of(case))
    if case.inspection.onsite is not None and case.inspection.onsite.end is not None:
        assert case.inspection.onsite.end.latest <= case.feedback_on.earliest
    assert len(case.events) == 0
    assert case.state is CaseState.FEEDBACK_RECEIVED
    assert {ItemState.OPEN} >= {p.state for p in case.problems()} | {
        m.state for m in case.measures()
    }
    assert len(item_ids(case)) == len(set(item_ids(case)))
    assert all(o.item in item_ids(case) for r in case.reviews for o in r.outcomes)


@given(st.data(), rs.cases(allow_imported=True))
def test_event_sequences_fire_without_error_and_move_forward(
    data: st.DataObject, case: Case
) -> None:
    """Every drawn sequence applies through the public API; dates never go back."""
    before = copy.deepcopy(case)
    steps = data.draw(rs.event_sequences(case, min_size=1, max_size=15))
    assert before == case  # drawing the sequence leaves the case alone
    for step in steps:
        event = step.apply(case)
        assert (event.on, event.trigger) == (step.on, step.trigger)
    days = [e.on for e in case.events]
    assert days == sorted(days)
    assert case.feedback_on is not None
    assert days[0] >= case.feedback_on.latest
    assert 1 <= len(case.events) <= 15


@given(rs.cases(with_events=True, allow_imported=True))
def test_cases_with_events_replay_to_themselves(case: Case) -> None:
    """A case built by firing its events equals its replay."""
    assert replay(case) == case


@given(st.data(), rs.cases(with_events=True))
def test_event_sequences_continue_after_the_last_event(data: st.DataObject, case: Case) -> None:
    """A sequence drawn for a case that has events starts no earlier than its last event."""
    steps = data.draw(rs.event_sequences(case, min_size=1, max_size=3))
    if case.last_event_on is not None:
        assert steps[0].on >= case.last_event_on


def test_strategies_shrink_to_short_readable_examples() -> None:
    """A minimal ledger with two measures uses the ids 1, 1.1, 1.1.1 and 1.1.2."""
    ledger = find(
        rs.ledgers(),
        lambda lg: bool(lg) and sum(len(p.measures) for p in lg[0].problems) >= 2,
        settings=settings(database=None, derandomize=True),  # a fixed search: no luck involved
    )
    assert [p.id for p in ledger[0].problems] == ["1.1"]
    assert [m.id for m in ledger[0].problems[0].measures] == ["1.1.1", "1.1.2"]


@pytest.mark.parametrize("kind", [Case, Category, Problem, Measure, FuzzyDate, Period])
@settings(max_examples=5)
@given(data=st.data())
def test_from_type_finds_rectflow_strategies_through_the_entry_point(
    kind: type, data: st.DataObject
) -> None:
    """st.from_type works for the model types after install."""
    assert isinstance(data.draw(st.from_type(kind)), kind)


@given(st.from_type(Case))
def test_from_type_uses_the_registered_strategy_not_the_attrs_fields(case: Case) -> None:
    """Cases by type come from rs.cases(): they always have a feedback date and short ids."""
    assert case.feedback_on is not None
    assert case.id.startswith("case-")


def test_the_hypothesis_entry_point_names_the_setup_hook() -> None:
    """The installed package declares the hook hypothesis loads."""
    found = {ep.value for ep in importlib.metadata.entry_points(group="hypothesis")} & {
        "rectflow._testing.hypothesis_hook:_hypothesis_setup_hook"
    }
    assert found == {"rectflow._testing.hypothesis_hook:_hypothesis_setup_hook"}


@pytest.mark.parametrize(
    "make",
    [
        lambda: rs.fuzzy_dates(min_value=dt.date(2021, 1, 2), max_value=dt.date(2021, 1, 1)),
        lambda: rs.fuzzy_dates(
            min_value=dt.date(2021, 3, 1), max_value=dt.date(2021, 5, 1), precisions=["year"]
        ),
        lambda: rs.fuzzy_dates(precisions=[]),
        lambda: rs.fuzzy_dates(precisions=["week"]),
        lambda: rs.periods(precisions=["fortnight"]),
        lambda: rs.measures(initial_states=["done"]),
        lambda: rs.measures(min_due=dt.date(2022, 1, 1), max_due=dt.date(2021, 1, 1)),
        lambda: rs.problems(min_measures=3, max_measures=2),
        lambda: rs.problems(kinds=["theory"]),
        lambda: rs.ledgers(min_problems=-1),
        lambda: rs.ledgers(min_problems=1, max_categories=0),
        lambda: rs.ledgers(min_categories=4, max_categories=3),
        lambda: rs.cases(max_problems=1, min_problems=2),
        lambda: rs.cases(max_events=-1),
        lambda: rs.event_sequences(Case("c"), min_size=5, max_size=4),
        lambda: rs.event_sequences(Case("c"), max_gap_days=-1),
    ],
)
def test_impossible_arguments_raise_invalid_argument(make: object) -> None:
    """Impossible combinations are refused when the strategy is made, as hypothesis does."""
    with pytest.raises(InvalidArgument):
        make()  # type: ignore[operator]


# -- supervision: structured evidence, steps through the public API ---------------------------


@given(rs.problems(max_measures=2, min_due=dt.date(2024, 1, 1), max_due=dt.date(2024, 12, 31)))
def test_items_carry_structured_evidence_and_problems_without_measures_their_own(
    problem: Problem,
) -> None:
    """Evidence is Evidence records (no two equal on one item, days within the due range); only
    a problem without measures has a responsibility and evidence of its own."""
    items: list[Problem | Measure] = [problem, *problem.measures]
    for item in items:
        assert all(type(e) is rectflow.Evidence for e in item.evidence)
        assert len(set(item.evidence)) == len(item.evidence)
        days = [e.on for e in item.evidence if e.on is not None]
        assert all(dt.date(2024, 1, 1) <= day <= dt.date(2024, 12, 31) for day in days)
    if problem.measures:
        assert (problem.responsibility, problem.evidence) == (None, ())


@given(st.data(), rs.cases(max_problems=3))
def test_triggers_only_when_edits_are_turned_off(data: st.DataObject, case: Case) -> None:
    """``edits=False`` draws fired triggers only, and every rejection carries its reason."""
    steps = data.draw(rs.event_sequences(case, max_size=20, edits=False))
    assert not [s for s in steps if s.is_edit]
    assert all(s.note for s in steps if s.trigger == "reject")
    for step in steps:
        step.apply(case)
    assert replay(case) == case


def test_a_step_reads_as_the_call_it_makes_and_applies_copies() -> None:
    """A step's repr is the public call; applying it twice to two cases shares no object."""
    day = dt.date(2024, 4, 2)
    problem = Problem("1.2", "新问题", measures=[Measure("1.2.1", "建立制度")])
    step = rs.Step("add_problem", "1", day, problem, options=(("category_title", "作风"),))
    assert repr(step) == (
        "rectflow.add_problem(case, '1', <Problem 1.2>, category_title='作风', "
        "on=datetime.date(2024, 4, 2))"
    )
    extend = rs.Step(
        "extend",
        "1.2.1",
        day,
        dt.date(2024, 9, 30),
        actor="办公室",
        options=(("approver", "领导小组"), ("reason", "需跨年度推进")),
    )
    assert repr(extend) == (
        "rectflow.extend(case, '1.2.1', datetime.date(2024, 9, 30), approver='领导小组', "
        "reason='需跨年度推进', on=datetime.date(2024, 4, 2), actor='办公室')"
    )
    reject = rs.Step("reject", "1.2.1", day, note="材料不全")
    assert repr(reject) == (
        "rectflow.fire(case, 'reject', item='1.2.1', on=datetime.date(2024, 4, 2), note='材料不全')"
    )
    one, two = Case("a"), Case("b")
    for case in (one, two):
        step.apply(case)
    assert one.item("1.2") == two.item("1.2")
    assert one.item("1.2") is not two.item("1.2")
    # The step's own problem is untouched: add_problem dated the copies' measures.
    assert (problem.measures[0].added_on, one.item("1.2.1").added_on) == (None, day)


BUILTINS = rectflow.plugin_manager(load_entry_points=False)
SUPERVISION_CODES = ("acceptance.", "evidence.close")


@given(rs.supervised_cases())
def test_supervised_cases_replay_load_back_and_keep_acceptors_apart(case: Case) -> None:
    """A supervised case replays to itself and loads back from its case file; every acceptance
    and rejection is given by someone who neither did the work nor answers for it, every
    rejection says why, and the presets' acceptance and closing-evidence rules pass."""
    assert replay(case) == case
    assert rectflow.loads_case(rectflow.dumps_case(case)) == case
    doers = {e.actor for e in case.events if e.trigger in ("start", "complete", "submit")}
    for event in case.events:
        if event.trigger in ("accept", "reject"):
            assert event.actor not in doers
            person = case.item(event.target).responsibility
            assert person is None or event.actor != person.person
        if event.trigger == "reject":
            assert event.note
    as_of = case.last_event_on or dt.date(2036, 1, 1)
    report = rectflow.check(case, policy="xuncha", as_of=as_of, plugins=BUILTINS)
    assert [v.code for v in report.violations if v.code.startswith(SUPERVISION_CODES)] == []


def test_supervised_cases_reach_every_step_of_the_loop() -> None:
    """Over a hundred cases the loop is walked through: extensions, rejections, acceptances,
    accountability, evaluations and second rectifications all occur."""
    seen: set[str] = set()

    @settings(max_examples=100, database=None, derandomize=True)
    @given(rs.supervised_cases())
    def collect(case: Case) -> None:
        seen.update(e.trigger for e in case.events)

    collect()
    wanted = {"assign", "set_due", "extend", "add_evidence", "submit", "reject", "accept"}
    wanted |= {"accountability", "evaluate", "start_second_rectification"}
    assert wanted - seen == set()


@pytest.mark.parametrize(
    "arguments", [{"max_problems": 0}, {"max_rejections": -1}, {"max_gap_days": -2}]
)
def test_supervised_cases_refuse_impossible_arguments(arguments: dict[str, int]) -> None:
    """A supervised case needs a problem; counts and gaps are not negative."""
    with pytest.raises(InvalidArgument):
        rs.supervised_cases(**arguments)  # type: ignore[arg-type]
