"""The fast paths of issue 14 give the answers the slow ones gave: fire's row built directly and
its history check skipped only when an event is plainly forward, the problem of a measure found
through the index, built-in guards skipped only for triggers they never judge."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import cast

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rectflow
import rectflow.strategies as rs
from rectflow import (
    ITEM_LIFECYCLE,
    Case,
    Category,
    FuzzyDate,
    Measure,
    Problem,
    Transition,
    Violation,
    add_measure,
    fire,
    replay,
)
from rectflow._core.fields import force
from rectflow._core.model import ItemIndex
from rectflow._rules.check import Checker
from rectflow._rules.rules import GUARDED_TRIGGERS
from rectflow.errors import EventOrderError, InvalidFieldError, UnknownItemError

DAY = dt.date(2021, 6, 1)


def small_case() -> Case:
    return Case(
        "fast",
        feedback_on=FuzzyDate.of(DAY),
        categories=[
            Category(
                "1",
                "方面",
                [
                    Problem("1.1", "问题", measures=[Measure("1.1.1"), Measure("1.1.2")]),
                    Problem("1.2", "问题", measures=[Measure("1.2.1")]),
                ],
            )
        ],
    )


def test_fire_returns_the_event_the_log_keeps() -> None:
    """The returned Event is the one the log reads back, with every field."""
    case = small_case()
    event = fire(case, "start", item="1.1.1", on=DAY, actor="办公室", note="开始")
    assert event == case.events[-1]
    assert (event.seq, event.trigger, event.target, event.on) == (1, "start", "1.1.1", DAY)
    assert (event.actor, event.note, event.recorded_on, dict(event.data)) == (
        "办公室",
        "开始",
        None,
        {},
    )


@pytest.mark.parametrize(("actor", "note"), [(5, None), (None, b"x"), (["a"], None)])
def test_a_bad_actor_or_note_is_refused_before_anything_changes(
    actor: object, note: object
) -> None:
    """The event's own field checks still speak, and the case is as it was."""
    case = small_case()
    with pytest.raises(InvalidFieldError):
        fire(case, "start", item="1.1.1", on=DAY, actor=actor, note=note)  # type: ignore[arg-type]
    assert len(case.events) == 0
    assert case.item("1.1.1").state is rectflow.ItemState.OPEN


def test_a_feedback_moved_later_still_refuses_an_earlier_event() -> None:
    """The feedback's day is remembered per FuzzyDate object: a new feedback date counts."""
    case = small_case()
    fire(case, "start", item="1.1.1", on=DAY)
    case.feedback_on = FuzzyDate.of(DAY + dt.timedelta(days=10))
    with pytest.raises(EventOrderError):
        fire(case, "start", item="1.1.2", on=DAY + dt.timedelta(days=5))
    assert len(case.events) == 1


def test_an_event_before_the_last_recorded_one_takes_the_full_check() -> None:
    """Not plainly forward: the history rules decide (here: a late recording is asked for)."""
    case = small_case()
    fire(case, "start", item="1.1.1", on=DAY + dt.timedelta(days=3))
    with pytest.raises(EventOrderError):
        fire(case, "start", item="1.1.2", on=DAY + dt.timedelta(days=1))
    late = fire(
        case,
        "start",
        item="1.1.2",
        on=DAY + dt.timedelta(days=1),
        recorded_on=DAY + dt.timedelta(days=3),
    )
    assert late.recorded_on == DAY + dt.timedelta(days=3)


@given(case=rs.cases(max_problems=4, max_measures=3, with_events=True, max_events=10))
@settings(max_examples=60, deadline=None)
def test_fired_cases_still_replay_to_themselves(case: Case) -> None:
    """Whatever was fired through the fast path, replay gives the case back."""
    assert replay(case) == case


def test_problem_of_is_found_through_the_index_and_follows_the_ledger() -> None:
    """The table beside the index answers, and is rebuilt when the ledger moved a measure."""
    case = small_case()
    assert case.problem_of("1.1.2").id == "1.1"
    moved = case.item("1.1.2")
    first, second = case.item("1.1"), case.item("1.2")
    assert isinstance(first, Problem)
    assert isinstance(second, Problem)
    force(first, "measures", [m for m in first.measures if m is not moved])
    force(second, "measures", [*second.measures, moved])
    assert case.problem_of("1.1.2") is second
    with pytest.raises(UnknownItemError):
        case.problem_of("9.9.9")


def test_an_added_measure_joins_the_table_of_problems() -> None:
    """add_measure keeps the table current: the new measure's problem is known at once."""
    case = small_case()
    case.problem_of("1.1.1")  # the table is built
    add_measure(case, "1.2", Measure("1.2.2"), on=DAY)
    index = case._index
    assert isinstance(index, ItemIndex)
    assert index.parents is not None
    assert index.parents["1.2.2"].id == "1.2"
    assert case.problem_of("1.2.2").id == "1.2"


def test_a_case_copied_or_replayed_keeps_a_consistent_table() -> None:
    """A deep copy's table points into the copy, not the original."""
    case = small_case()
    case.problem_of("1.1.1")
    copy = replay(case)
    assert case.problem_of("1.1.1") is not copy.problem_of("1.1.1")
    assert copy.problem_of("1.1.1") is copy.item("1.1")


# -- the guards' declared triggers ---------------------------------------------------------------

PLUGINS = rectflow.plugin_manager(load_entry_points=False)
DECLARED: list[tuple[str, Callable[..., Iterable[Violation]]]] = [
    (impl.plugin_name, cast("Callable[..., Iterable[Violation]]", impl.function))
    for impl in PLUGINS.manager.hook.rectflow_guard_transition.get_hookimpls()
    if getattr(impl.function, GUARDED_TRIGGERS, None) is not None
]
ALL_TRIGGERS = sorted({*ITEM_LIFECYCLE.triggers, "extend", "assign", "set_due", "add_evidence"})


def test_the_built_in_guards_that_declare_triggers_are_known() -> None:
    """evidence, acceptance and deadline judge only some triggers, and say which."""
    assert sorted(name for name, _ in DECLARED) == [
        "rectflow.checks.acceptance",
        "rectflow.checks.deadline",
        "rectflow.checks.evidence",
    ]


@given(
    case=rs.supervised_cases(max_problems=2, max_measures=2, max_rejections=1),
    data=st.data(),
)
@settings(max_examples=60, deadline=None)
def test_a_guard_returns_nothing_for_a_trigger_it_did_not_declare(
    case: Case, data: st.DataObject
) -> None:
    """Skipping a declared guard for other triggers loses nothing: called, it says nothing."""
    items: list[Problem | Measure] = [*case.problems(), *case.measures()]
    if not items:
        return
    item = data.draw(st.sampled_from(items))
    on = data.draw(st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)))
    for policy in ("xuncha", "xunshi"):
        checker = Checker(PLUGINS, rectflow.policy(policy, PLUGINS))
        for _, function in DECLARED:
            declared = getattr(function, GUARDED_TRIGGERS)
            for trigger in ALL_TRIGGERS:
                if trigger in declared:
                    continue
                pending = Transition(
                    trigger, item.id, item.state, item.state, on, "某人", None, item
                )
                assert list(function(case, pending, checker.context(on))) == []


def test_a_third_party_guard_is_called_for_every_trigger() -> None:
    """A declaration on a plugin's own guard is not honoured: it is always asked."""
    asked: list[str] = []

    class Plugin:
        @rectflow.hookimpl
        def rectflow_guard_transition(self, transition: Transition) -> list[object]:
            asked.append(transition.trigger)
            return []

    setattr(Plugin.rectflow_guard_transition, GUARDED_TRIGGERS, frozenset({"close"}))
    plugins = rectflow.plugin_manager(load_entry_points=False)
    plugins.register(Plugin(), name="third-party")
    case = small_case()
    guards = rectflow.guards(plugins, "xuncha")
    fire(case, "adopt_plan", on=DAY, guards=guards)
    fire(case, "start", item="1.1.1", on=DAY, guards=guards)
    assert asked == ["adopt_plan", "start"]


class _Text(str):
    """A str subclass: the model's text fields take plain str only."""


def test_a_str_subclass_for_the_trigger_or_the_item_is_refused_as_before() -> None:
    """The event's TEXT checks still see what fire's fast path is handed."""
    case = small_case()
    with pytest.raises(InvalidFieldError):
        fire(case, _Text("start"), item="1.1.1", on=DAY)
    with pytest.raises(InvalidFieldError):
        fire(case, "start", item=_Text("1.1.1"), on=DAY)
    assert len(case.events) == 0


# -- what a guard is handed ------------------------------------------------------------------------


@given(
    item=st.sampled_from(["1.1.1", "1.2.1", None]),
    actor=st.none() | st.text(max_size=4),
    note=st.none() | st.text(max_size=4),
)
@settings(max_examples=40, deadline=None)
def test_a_guard_is_handed_the_transition_attrs_would_build(
    item: str | None, actor: str | None, note: str | None
) -> None:
    """fire builds the guards' Transition without attrs' __init__: every field is set, to what
    Transition(...) holds for the same fire."""
    case = small_case()
    seen: list[Transition] = []

    def spy(_case: Case, transition: Transition) -> Iterable[Violation]:
        seen.append(transition)
        return []

    trigger = "adopt_plan" if item is None else "start"
    target = case if item is None else case.item(item)
    source = target.state
    fire(case, trigger, item=item, on=DAY, actor=actor, note=note, guards=[spy])
    expected = Transition(
        trigger,
        item or "case",
        source,
        target.state,
        DAY,
        actor,
        note,
        None if item is None else target,  # type: ignore[arg-type]
    )
    assert len(seen) == 1
    assert type(seen[0]) is Transition
    assert attrs.asdict(seen[0], recurse=False) == attrs.asdict(expected, recurse=False)
