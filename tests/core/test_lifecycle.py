"""The two lifecycles: their structure, the table read off the machine, firing, and guards."""

from __future__ import annotations

import copy
import datetime as dt
import types
from collections import deque
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from transitions import MachineError

import rectflow.strategies as rs
from rectflow import (
    CASE_LIFECYCLE,
    ITEM_LIFECYCLE,
    Case,
    CaseState,
    Category,
    ItemState,
    Level,
    Lifecycle,
    Measure,
    Problem,
    Transition,
    Violation,
    allowed_triggers,
    fire,
    mermaid,
)
from rectflow._core.labels import TRIGGER_ZH
from rectflow.errors import (
    InvalidDateError,
    MissingReasonError,
    TransitionNotAllowed,
    UnknownItemError,
    UnknownTriggerError,
)

LIFECYCLES = pytest.mark.parametrize(
    "lifecycle", [CASE_LIFECYCLE, ITEM_LIFECYCLE], ids=["case", "item"]
)
DAY = dt.date(2021, 3, 1)


def small_case() -> Case:
    """A case with a problem of three measures, a problem without measures, in two categories."""
    return Case(
        "c1",
        inspected_body="测试单位党委",
        categories=[
            Category(
                "1",
                "党的领导",
                [Problem("1.1", "学习不深入", measures=[Measure(f"1.1.{i}") for i in (1, 2, 3)])],
            ),
            Category("2", "作风", [Problem("2.1", "形式主义")]),
        ],
    )


def successors(lifecycle: Lifecycle[Any], state: Any) -> set[Any]:
    """The states one trigger away from ``state``."""
    return {dest for (source, _), dest in lifecycle.table.items() if source is state}


def reachable(lifecycle: Lifecycle[Any], start: Any) -> set[Any]:
    """Every state some sequence of triggers leads to from ``start`` (itself included)."""
    seen = {start}
    todo = deque([start])
    while todo:
        for nxt in successors(lifecycle, todo.popleft()) - seen:
            seen.add(nxt)
            todo.append(nxt)
    return seen


# -- structure ---------------------------------------------------------------------------------


@LIFECYCLES
def test_a_lifecycle_has_one_initial_state_among_its_states(lifecycle: Lifecycle[Any]) -> None:
    """The machine starts where the lifecycle says, and declares exactly its states."""
    assert lifecycle.initial in lifecycle.states
    assert lifecycle.initial.value == lifecycle.machine.initial
    assert [s.value for s in lifecycle.states] == list(lifecycle.machine.states)
    assert len(set(lifecycle.states)) == len(lifecycle.states)


@LIFECYCLES
def test_every_state_is_reachable_from_the_initial_one(lifecycle: Lifecycle[Any]) -> None:
    """No state is dead code: some trigger sequence leads there from the start."""
    assert set(lifecycle.states) == reachable(lifecycle, lifecycle.initial)


@LIFECYCLES
def test_every_state_can_reach_an_end(lifecycle: Lifecycle[Any]) -> None:
    """From anywhere, some trigger sequence finishes the work."""
    stuck = [s for s in lifecycle.states if not reachable(lifecycle, s) & lifecycle.ends]
    assert stuck == []


@LIFECYCLES
def test_the_reopenable_end_is_not_final(lifecycle: Lifecycle[Any]) -> None:
    """``closed`` is an end, yet a review can reopen it: it has outgoing transitions."""
    closed = lifecycle.states[[s.value for s in lifecycle.states].index("closed")]
    assert closed in lifecycle.ends
    assert successors(lifecycle, closed)
    assert lifecycle.allowed(closed)


@LIFECYCLES
def test_every_declared_trigger_is_allowed_somewhere(lifecycle: Lifecycle[Any]) -> None:
    """A trigger that no state allows would be unreachable."""
    allowed_somewhere = {t for s in lifecycle.states for t in lifecycle.allowed(s)}
    assert set(lifecycle.triggers) == allowed_somewhere


def test_the_case_and_item_lifecycles_share_no_trigger() -> None:
    """A trigger name says by itself whether it fires on the case or on an item."""
    assert set() == set(CASE_LIFECYCLE.triggers) & set(ITEM_LIFECYCLE.triggers)


# -- the table agrees with the machine ---------------------------------------------------------


@LIFECYCLES
def test_the_table_agrees_with_the_machine_on_every_state_and_trigger(
    lifecycle: Lifecycle[Any],
) -> None:
    """Driving the real transitions machine gives the table's dest, or MachineError where the
    table has none, for every (state, trigger) pair."""
    machine = lifecycle.machine
    models_before = list(machine.models)
    for state in lifecycle.states:
        for trigger in lifecycle.triggers:
            model = types.SimpleNamespace(state=state.value)
            try:
                machine.events[trigger].trigger(model)
            except MachineError:
                machine_dest = None
            else:
                machine_dest = model.state
            table_dest = lifecycle.table.get((state, trigger))
            assert (state, trigger, machine_dest) == (
                state,
                trigger,
                None if table_dest is None else table_dest.value,
            )
    assert models_before == list(machine.models)  # driving it bound nothing


@LIFECYCLES
def test_the_table_lists_exactly_the_declared_transitions(lifecycle: Lifecycle[Any]) -> None:
    """Every declared (source, trigger) pair is in the table with its dest, and nothing else."""
    declared = {(s, t): d for t, sources, d in lifecycle.transitions for s in sources}
    assert declared == dict(lifecycle.table)


@LIFECYCLES
def test_allowed_lists_triggers_in_declaration_order(lifecycle: Lifecycle[Any]) -> None:
    """``allowed(state)`` is the table's triggers for that state, ordered as declared."""
    for state in lifecycle.states:
        expected = [t for t in lifecycle.triggers if (state, t) in lifecycle.table]
        assert (state, expected) == (state, list(lifecycle.allowed(state)))


def test_one_machine_serves_every_case_and_item() -> None:
    """Firing on many items binds nothing: the machine has no models and items no methods."""
    case = small_case()
    for measure in case.measures():
        fire(case, "start", item=measure.id, on=DAY)
    assert list(ITEM_LIFECYCLE.machine.models) == []
    assert ITEM_LIFECYCLE.machine is ITEM_LIFECYCLE.machine
    assert not hasattr(case.item("1.1.1"), "start")
    assert not hasattr(case, "adopt_plan")


# -- firing ------------------------------------------------------------------------------------


def test_fire_changes_the_state_and_appends_an_event() -> None:
    """A legal trigger moves the item and records trigger, target, date, actor and note."""
    case = small_case()
    event = fire(case, "start", item="1.1.2", on=DAY, actor="办公室", note="已部署")
    assert (
        case.item("1.1.2").state,
        event.seq,
        event.trigger,
        event.target,
        event.on,
        event.actor,
        event.note,
    ) == (ItemState.IN_PROGRESS, 1, "start", "1.1.2", DAY, "办公室", "已部署")
    assert [event] == list(case.events)


def test_fire_on_the_case_moves_the_case() -> None:
    """Without an item, case triggers fire on the case itself; its target is ``case``."""
    case = small_case()
    fire(case, "adopt_plan", on=DAY)
    event = fire(case, "start_centralised", on=DAY)
    assert (case.state, event.target, event.seq) == (CaseState.CENTRALISED, "case", 2)


def test_an_illegal_trigger_names_item_state_trigger_and_allowed_and_changes_nothing() -> None:
    """Closing an open measure raises TransitionNotAllowed with its data; the case is intact."""
    case = small_case()
    fire(case, "start", item="1.1.1", on=DAY)
    before = copy.deepcopy(case)
    with pytest.raises(TransitionNotAllowed) as caught:
        fire(case, "close", item="1.1.1", on=DAY)
    error = caught.value
    assert (error.target, error.state, error.trigger) == ("1.1.1", "in_progress", "close")
    assert error.allowed == ("mark_basically_completed", "mark_long_term", "complete")
    for part in ("1.1.1", "in_progress", "close", "mark_basically_completed, mark_long_term"):
        assert part in str(error)
    assert before == case
    assert list(before.events) == list(case.events)


def test_an_illegal_case_trigger_names_the_case() -> None:
    """Closing a case that was never reviewed is refused, naming the case and its state."""
    case = small_case()
    before = copy.deepcopy(case)
    with pytest.raises(TransitionNotAllowed, match="can't close_case the case") as caught:
        fire(case, "close_case", on=DAY)
    assert (
        caught.value.target,
        caught.value.state,
        caught.value.allowed,
    ) == ("case", "feedback_received", ("adopt_plan",))
    assert before == case


@pytest.mark.parametrize(
    ("trigger", "item", "lifecycle"),
    [("fly", "1.1.1", "item"), ("adopt_plan", "1.1.1", "item"), ("start", None, "case")],
)
def test_an_unknown_trigger_lists_the_known_ones_and_changes_nothing(
    trigger: str, item: str | None, lifecycle: str
) -> None:
    """A trigger the target's lifecycle lacks raises UnknownTriggerError with the known ones."""
    case = small_case()
    before = copy.deepcopy(case)
    with pytest.raises(UnknownTriggerError) as caught:
        fire(case, trigger, item=item, on=DAY)
    known = (CASE_LIFECYCLE if lifecycle == "case" else ITEM_LIFECYCLE).triggers
    assert (trigger, lifecycle, known) == (
        caught.value.trigger,
        caught.value.lifecycle,
        caught.value.known,
    )
    assert before == case


def test_an_unknown_item_names_the_item_and_the_case() -> None:
    """Firing on an id that is not in the ledger raises UnknownItemError; nothing changes."""
    case = small_case()
    before = copy.deepcopy(case)
    with pytest.raises(UnknownItemError) as caught:
        fire(case, "start", item="9.9", on=DAY)
    assert (caught.value.item_id, caught.value.case_id) == ("9.9", "c1")
    assert "'9.9'" in str(caught.value)
    assert before == case


@pytest.mark.parametrize("on", [dt.datetime(2021, 3, 1, 9, 30), "2021-03-01", None])
def test_an_event_date_must_be_a_day(on: object) -> None:
    """A datetime, a string or nothing is refused as an event's date; nothing changes."""
    case = small_case()
    before = copy.deepcopy(case)
    with pytest.raises(InvalidDateError) as caught:
        fire(case, "start", item="1.1.1", on=on)  # type: ignore[arg-type]
    assert on == caught.value.value
    assert before == case


def test_a_problem_with_measures_refuses_its_own_triggers() -> None:
    """Its state derives from its measures, so ``start`` on it is refused, naming them."""
    case = small_case()
    before = copy.deepcopy(case)
    with pytest.raises(TransitionNotAllowed, match=r"1\.1\.1, 1\.1\.2, 1\.1\.3") as caught:
        fire(case, "start", item="1.1", on=DAY)
    assert (caught.value.target, caught.value.state, caught.value.allowed) == ("1.1", "open", ())
    assert before == case


def test_a_problem_without_measures_fires_like_a_measure() -> None:
    """A problem that has no measures keeps a state of its own."""
    case = small_case()
    for trigger in ("start", "complete", "close"):
        fire(case, trigger, item="2.1", on=DAY)
    problem = case.item("2.1")
    assert (problem.state, problem.own_state) == (ItemState.CLOSED, ItemState.CLOSED)  # type: ignore[union-attr]


def test_reopening_a_problem_reopens_its_measures() -> None:
    """A review's ``reopen`` on a problem puts every measure back to reopened, in one event."""
    case = small_case()
    walks = {
        "1.1.1": ("start", "complete", "close"),
        "1.1.2": ("start", "mark_long_term"),
        "1.1.3": ("start", "mark_basically_completed"),
    }
    for measure_id, triggers in walks.items():
        for trigger in triggers:
            fire(case, trigger, item=measure_id, on=DAY)
    assert case.item("1.1").state == ItemState.BASICALLY_COMPLETED
    event = fire(case, "reopen", item="1.1", on=DAY, note="回头看发现反弹")
    assert [m.state for m in case.measures()] == [ItemState.REOPENED] * 3
    assert (case.item("1.1").state, event.target) == (ItemState.REOPENED, "1.1")
    fire(case, "start", item="1.1.2", on=DAY)
    assert case.item("1.1").state == ItemState.REOPENED  # while any measure is still reopened
    for measure_id in ("1.1.1", "1.1.3"):
        fire(case, "start", item=measure_id, on=DAY)
    assert case.item("1.1").state == ItemState.IN_PROGRESS


def test_a_problem_whose_measures_are_still_open_cannot_be_reopened() -> None:
    """``reopen`` on a problem in progress is refused; the allowed list is the problem's own."""
    case = small_case()
    fire(case, "start", item="1.1.1", on=DAY)
    before = copy.deepcopy(case)
    with pytest.raises(TransitionNotAllowed) as caught:
        fire(case, "reopen", item="1.1", on=DAY)
    assert (caught.value.state, caught.value.allowed) == ("in_progress", ())
    assert before == case


def test_allowed_triggers_follow_the_target() -> None:
    """Case, measure, problem with measures and problem without: each gets its own list."""
    case = small_case()
    assert allowed_triggers(case) == ("adopt_plan",)
    assert allowed_triggers(case, "1.1.1") == ("start",)
    assert allowed_triggers(case, "1.1") == ()
    assert allowed_triggers(case, "2.1") == ("start",)
    for measure in case.measures():
        for trigger in ("start", "complete"):
            fire(case, trigger, item=measure.id, on=DAY)
    assert allowed_triggers(case, "1.1") == ("reopen",)


def test_every_allowed_trigger_fires_and_every_other_is_refused() -> None:
    """What allowed_triggers lists is exactly what fire accepts, on every kind of target."""
    case = small_case()
    for target in (None, "1.1.1", "1.1", "2.1"):
        lifecycle = CASE_LIFECYCLE if target is None else ITEM_LIFECYCLE
        allowed = allowed_triggers(case, target)
        for trigger in lifecycle.triggers:
            trial = copy.deepcopy(case)
            # Every trigger gets a note: a rejection (驳回) is refused without its reason.
            if trigger in allowed:
                fire(trial, trigger, item=target, on=DAY, note="理由")
            else:
                with pytest.raises(TransitionNotAllowed):
                    fire(trial, trigger, item=target, on=DAY, note="理由")


# -- guards ------------------------------------------------------------------------------------


def _violation(level: Level) -> Violation:
    return Violation(
        "evidence.closure",
        level,
        "measures[1.1.1]",
        "closing needs evidence",
        hint="attach evidence",
    )


def test_a_guard_with_an_error_blocks_and_changes_nothing() -> None:
    """An error-level violation stops the transition; the error carries it."""
    case = small_case()
    for trigger in ("start", "complete"):
        fire(case, trigger, item="1.1.1", on=DAY)
    before = copy.deepcopy(case)
    error = _violation(Level.ERROR)
    with pytest.raises(TransitionNotAllowed, match=r"evidence\.closure") as caught:
        fire(case, "close", item="1.1.1", on=DAY, guards=[lambda _c, _t: [error]])
    assert ((error,), "completed") == (caught.value.violations, caught.value.state)
    assert "attach evidence" in str(caught.value)
    assert before == case


@pytest.mark.parametrize("level", [Level.WARNING, Level.INFO])
def test_a_guard_with_only_warnings_does_not_block(level: Level) -> None:
    """Warnings and infos are reported by checks, but never stop a transition."""
    case = small_case()
    fire(case, "start", item="1.1.1", on=DAY, guards=[lambda _c, _t: [_violation(level)]])
    assert case.item("1.1.1").state == ItemState.IN_PROGRESS


def test_every_guard_is_consulted_and_any_error_blocks() -> None:
    """A passing guard before a blocking one does not let the transition through."""
    case = small_case()
    seen: list[str] = []

    def passing(_case: Case, pending: Transition) -> list[Violation]:
        seen.append("passing")
        return []

    def blocking(_case: Case, pending: Transition) -> list[Violation]:
        seen.append("blocking")
        return [_violation(Level.ERROR)]

    with pytest.raises(TransitionNotAllowed):
        fire(case, "start", item="1.1.1", on=DAY, guards=[passing, blocking])
    assert (
        seen,
        case.item("1.1.1").state,
        len(case.events),
    ) == (["passing", "blocking"], ItemState.OPEN, 0)


def test_guards_see_the_pending_transition() -> None:
    """A guard receives the case and a Transition with trigger, target, states, date, item."""
    case = small_case()
    fire(case, "start", item="1.1.3", on=DAY)
    seen: list[tuple[Case, Transition]] = []

    def spy(c: Case, pending: Transition) -> list[Violation]:
        seen.append((c, pending))
        return []

    later = dt.date(2021, 4, 2)
    fire(case, "complete", item="1.1.3", on=later, actor="纪委", note="ok", guards=[spy])
    [(seen_case, pending)] = seen
    assert seen_case is case
    assert (
        Transition(
            "complete",
            "1.1.3",
            ItemState.IN_PROGRESS,
            ItemState.COMPLETED,
            later,
            "纪委",
            "ok",
            case.item("1.1.3"),
        )
        == pending
    )
    assert pending.item is case.item("1.1.3")


def test_guards_on_a_case_trigger_see_no_item() -> None:
    """For a case trigger the Transition's target is ``case`` and its item is None."""
    case = small_case()
    seen: list[Transition] = []
    fire(case, "adopt_plan", on=DAY, guards=[lambda _c, t: seen.append(t) or []])
    assert [(t.target, t.item, t.source, t.dest) for t in seen] == [
        ("case", None, CaseState.FEEDBACK_RECEIVED, CaseState.PLAN_ADOPTED)
    ]


def test_guards_are_not_consulted_for_a_transition_the_lifecycle_refuses() -> None:
    """The lifecycle decides first: a guard never sees an impossible transition."""
    case = small_case()
    seen: list[Transition] = []
    with pytest.raises(TransitionNotAllowed):
        fire(case, "close", item="1.1.1", on=DAY, guards=[lambda _c, t: seen.append(t) or []])
    assert seen == []


# -- invariants under random triggers ----------------------------------------------------------

TARGETS = (None, "1.1", "1.1.1", "1.1.2", "1.1.3", "2.1", "missing")
ALL_TRIGGERS = (*CASE_LIFECYCLE.triggers, *ITEM_LIFECYCLE.triggers, "fly")


NOTES = st.sampled_from([None, "", "材料不全"])


@given(
    st.lists(st.tuples(st.sampled_from(ALL_TRIGGERS), st.sampled_from(TARGETS), NOTES), max_size=40)
)
def test_any_trigger_either_applies_or_changes_nothing(
    steps: list[tuple[str, str | None, str | None]],
) -> None:
    """Random triggers on random targets, with or without a note: each one applies (one event
    more) or raises a RectflowError leaving the case equal to before (a rejection without its
    reason too); states stay in their lifecycle."""
    case = small_case()
    for trigger, target, note in steps:
        before = copy.deepcopy(case)
        try:
            fire(case, trigger, item=target, on=DAY, note=note)
        except (TransitionNotAllowed, UnknownTriggerError, UnknownItemError, MissingReasonError):
            assert before == case
        else:
            assert len(before.events) + 1 == len(case.events)
        assert case.state in CASE_LIFECYCLE.states
        assert all(p.state in ITEM_LIFECYCLE.states for p in case.problems())
        assert all(m.state in ITEM_LIFECYCLE.states for m in case.measures())


@given(st.data())
def test_random_triggers_on_generated_cases_apply_or_change_nothing(data: st.DataObject) -> None:
    """On cases from rectflow.strategies, random (often illegal) triggers on random items, the
    case or unknown ids either apply or raise leaving the case equal to before."""
    case = data.draw(rs.cases(with_events=True, allow_imported=True), label="case")
    ids = [None, "no-such-item"] + [p.id for p in case.problems()]
    ids += [m.id for m in case.measures()]
    # A day history allows for every target: not before the feedback, nor the last event.
    day = case.last_event_on or (case.feedback_on.latest if case.feedback_on else DAY)
    for _ in range(data.draw(st.integers(0, 25), label="steps")):
        trigger = data.draw(st.sampled_from(ALL_TRIGGERS), label="trigger")
        target = data.draw(st.sampled_from(ids), label="target")
        note = data.draw(NOTES, label="note")
        before = copy.deepcopy(case)
        try:
            fire(case, trigger, item=target, on=day, note=note)
        except (TransitionNotAllowed, UnknownTriggerError, UnknownItemError, MissingReasonError):
            assert before == case
        else:
            assert list(before.events) == list(case.events)[:-1]
        assert case.state in CASE_LIFECYCLE.states
        assert all(m.state in ITEM_LIFECYCLE.states for m in case.measures())
        assert all(p.state in ITEM_LIFECYCLE.states for p in case.problems())


# -- the documentation shows the lifecycles as they are ----------------------------------------

DOCS = Path(__file__).resolve().parents[2] / "docs" / "lifecycle.md"


@pytest.mark.parametrize("kind", ["case", "item"])
def test_the_lifecycle_page_shows_the_current_diagrams(kind: str) -> None:
    """docs/lifecycle.md holds exactly what ``rectflow diagram KIND`` prints."""
    assert f"```mermaid\n{mermaid(kind)}```" in DOCS.read_text(encoding="utf-8")


@LIFECYCLES
def test_the_lifecycle_page_tables_every_transition(lifecycle: Lifecycle[Any]) -> None:
    """Each trigger has a row with its Chinese label, its sources and its dest."""
    page = DOCS.read_text(encoding="utf-8")
    for trigger, sources, dest in lifecycle.transitions:
        froms = ", ".join(f"`{s.value}`" for s in sources)
        row = f"| `{trigger}` | {TRIGGER_ZH[trigger]} | {froms} | `{dest.value}` |"
        assert row in page


# -- acceptance (报请销号 → 验收 / 驳回) -----------------------------------------------------------


def submitted_case() -> Case:
    """The small case with measure 1.1.1 completed and submitted for acceptance."""
    case = small_case()
    for trigger in ("start", "complete", "submit"):
        fire(case, trigger, item="1.1.1", on=DAY)
    return case


@pytest.mark.parametrize("note", [None, "", "   "])
def test_a_rejection_without_a_reason_is_refused_and_changes_nothing(note: str | None) -> None:
    """``reject`` needs its reason in the note: none, empty or blank raises MissingReasonError."""
    case = submitted_case()
    before = copy.deepcopy(case)
    with pytest.raises(MissingReasonError, match="reject needs a reason"):
        fire(case, "reject", item="1.1.1", on=DAY, note=note)
    assert before == case


def test_a_rejected_submission_goes_back_to_work_and_a_second_one_is_accepted() -> None:
    """Submitted → rejected (in progress, the reason in the event) → completed → submitted →
    accepted (closed); the problem follows its measures through ``submitted``."""
    case = submitted_case()
    for measure in ("1.1.2", "1.1.3"):
        for trigger in ("start", "complete", "submit"):
            fire(case, trigger, item=measure, on=DAY)
    assert case.item("1.1").state is ItemState.SUBMITTED
    event = fire(case, "reject", item="1.1.1", on=DAY, note="佐证材料不全")
    assert (case.item("1.1.1").state, event.note) == (ItemState.IN_PROGRESS, "佐证材料不全")
    assert case.item("1.1").state is ItemState.IN_PROGRESS
    for trigger in ("complete", "submit", "accept"):
        fire(case, trigger, item="1.1.1", on=DAY)
    assert [m.state for m in case.measures()] == [
        ItemState.CLOSED,
        ItemState.SUBMITTED,
        ItemState.SUBMITTED,
    ]
    assert allowed_triggers(case, "1.1.2") == ("accept", "reject")


@pytest.mark.parametrize("state", list(CaseState)[3:])
def test_a_second_rectification_goes_back_to_centralised_from_every_state_after_the_report(
    state: CaseState,
) -> None:
    """``start_second_rectification`` (二次整改) is allowed from the report on, and only there."""
    case = Case("c", initial_state=state, state=state)
    fire(case, "start_second_rectification", on=DAY)
    assert case.state is CaseState.CENTRALISED
    for earlier in list(CaseState)[:3]:
        with pytest.raises(TransitionNotAllowed):
            fire(
                Case("c", initial_state=earlier, state=earlier),
                "start_second_rectification",
                on=DAY,
            )
