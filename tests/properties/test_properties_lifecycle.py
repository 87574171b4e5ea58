"""Lifecycle properties over random cases and event sequences, with the presets' guards.

No case reaches a disclosed state without a report; closing needs evidence wherever a policy
keeps ``evidence.close`` at error level; a review can reopen an item and it goes back to work.
The harness-driven versions of these are in ``test_properties_workflow.py``.
"""

from __future__ import annotations

import copy
import datetime as dt

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import rectflow
import rectflow.strategies as rs
from rectflow import (
    Case,
    CaseState,
    ItemState,
    Level,
    Measure,
    Policy,
    Problem,
    allowed_triggers,
    fire,
    guards,
)
from rectflow._core.fields import force
from rectflow.errors import TransitionNotAllowed

BUILTINS = rectflow.plugin_manager(load_entry_points=False)
PRESET_GUARDS = {name: guards(BUILTINS, name) for name in ("xunshi", "xuncha")}
AFTER_REPORT = {CaseState.DISCLOSED, CaseState.PUBLIC_PERIOD_CLOSED}
BEFORE_REPORT = (CaseState.FEEDBACK_RECEIVED, CaseState.PLAN_ADOPTED, CaseState.CENTRALISED)
SETTLED = (
    ItemState.BASICALLY_COMPLETED,
    ItemState.LONG_TERM,
    ItemState.COMPLETED,
    ItemState.CLOSED,
)
PRESETS = pytest.mark.parametrize("preset", sorted(PRESET_GUARDS))
DAY = dt.date(2036, 1, 1)  # after every date the strategies draw


def fire_sequence(case: Case, data: st.DataObject, preset: str, size: int = 20) -> int:
    """Fire a drawn legal sequence on ``case`` with the preset's guards, skipping what they
    block; the number of triggers that landed."""
    landed = 0
    guarded = False  # a guard refused a step: the case left the drawn sequence's path
    # Triggers only: a step is legal after the ones before it, and a guard may refuse one.
    for step in data.draw(rs.event_sequences(case, max_size=size, edits=False)):
        try:
            step.apply(case, guards=PRESET_GUARDS[preset])
        except TransitionNotAllowed as refused:
            # The sequence is legal as drawn: only a guard may refuse a step, until one has
            # (an acceptance refused leaves the item submitted, where a later reopen is not).
            if not refused.violations and not guarded:
                raise
            guarded = guarded or bool(refused.violations)
            continue
        landed += 1
    return landed


def reported_before_disclosing(case: Case) -> bool:
    """Every ``disclose`` in the log comes after a ``submit_report``, or the case was imported
    past its report."""
    reported = case.initial_state not in BEFORE_REPORT
    for event in case.events:
        if event.target != "case":
            continue
        if event.trigger == "submit_report":
            reported = True
        if event.trigger == "disclose" and not reported:
            return False
    return True


@PRESETS
@given(data=st.data(), case=rs.cases())
def test_no_case_reaches_a_disclosed_state_without_a_report(
    preset: str, data: st.DataObject, case: Case
) -> None:
    """From feedback, any legal sequence under the preset's guards discloses only after the
    report, and a disclosed case always has a report date."""
    fire_sequence(case, data, preset, size=25)
    assert reported_before_disclosing(case)
    if case.state in AFTER_REPORT:
        assert case.reported_on is not None


@given(case=rs.cases(), state=st.sampled_from(BEFORE_REPORT))
def test_disclose_is_refused_in_every_state_before_the_report(case: Case, state: CaseState) -> None:
    """Wherever the case stands before its report, disclose is not allowed and changes nothing."""
    # A hand-made case imported in that state (the state is the events' own: ``force``).
    force(case, "state", state)
    case.initial_state = state
    before = copy.deepcopy(case)
    with pytest.raises(TransitionNotAllowed):
        fire(case, "disclose", on=dt.date(2030, 1, 1))
    assert case == before


# Cases whose ledger has at least one measure, items starting in any state.
WITH_MEASURES = rs.cases(
    allow_imported=True,
    ledger=rs.ledgers(min_problems=1, min_measures=1, initial_states=tuple(ItemState)),
)


def completed_without_evidence(case: Case, data: st.DataObject) -> Measure:
    """One of the case's measures, made completed (as imported) and without evidence: a
    hand-made case, so the fields the events own are set with ``force``."""
    measure = data.draw(st.sampled_from(list(case.measures())), label="measure")
    force(measure, "state", ItemState.COMPLETED)
    measure.initial_state = ItemState.COMPLETED
    force(measure, "evidence", ())
    return measure


@PRESETS
@given(data=st.data(), case=WITH_MEASURES)
def test_closing_a_measure_without_evidence_is_blocked_and_changes_nothing(
    preset: str, data: st.DataObject, case: Case
) -> None:
    """Under either preset, close on a completed measure with no evidence raises, names
    evidence.close, and leaves the case as it was."""
    measure = completed_without_evidence(case, data)
    before = copy.deepcopy(case)
    with pytest.raises(TransitionNotAllowed) as refused:
        fire(case, "close", item=measure.id, on=DAY, guards=PRESET_GUARDS[preset])
    assert "evidence.close" in {v.code for v in refused.value.violations}
    assert case == before


@PRESETS
@given(data=st.data(), case=rs.cases(allow_imported=True, min_problems=1))
def test_every_measure_closed_under_the_guards_lists_evidence(
    preset: str, data: st.DataObject, case: Case
) -> None:
    """After any legal sequence under the preset's guards, each measure a close or an accept
    (销号 after acceptance) closed lists evidence."""
    fire_sequence(case, data, preset)
    closed = {e.target for e in case.events if e.trigger in ("close", "accept")}
    for measure in case.measures():
        if measure.id in closed:
            assert measure.evidence


@given(
    data=st.data(),
    case=WITH_MEASURES,
    policy=rs.policies(rules=[BUILTINS.rules["evidence.close"]], min_rules=1),
)
def test_closing_without_evidence_is_blocked_exactly_when_the_policy_keeps_the_rule_an_error(
    data: st.DataObject, case: Case, policy: Policy
) -> None:
    """A policy that disables evidence.close, or lowers it below error, lets the close through."""
    measure = completed_without_evidence(case, data)
    settings_ = policy.rules["evidence.close"]
    blocks = settings_.enabled and settings_.level in (None, Level.ERROR)
    try:
        fire(case, "close", item=measure.id, on=DAY, guards=guards(BUILTINS, policy))
    except TransitionNotAllowed:
        assert blocks
    else:
        assert not blocks
        assert measure.state is ItemState.CLOSED


@given(data=st.data(), case=rs.cases(allow_imported=True, min_problems=1))
def test_a_review_reopens_a_settled_item_and_it_goes_back_to_work(
    data: st.DataObject, case: Case
) -> None:
    """Any settled measure (or problem without measures) can be reopened; it is then reopened,
    and ``start`` puts it back in progress, under the presets' guards."""
    for step in data.draw(rs.event_sequences(case, max_size=10)):
        step.apply(case)
    items: list[Problem | Measure] = [
        *(m for m in case.measures()),
        *(p for p in case.problems() if not p.measures),
    ]
    settled = [i for i in items if i.state in SETTLED]
    assume(settled)
    target = data.draw(st.sampled_from(settled))
    day = max([e.on for e in case.events] + [case.feedback_on.latest])  # type: ignore[union-attr]
    preset = data.draw(st.sampled_from(sorted(PRESET_GUARDS)))
    assert "reopen" in allowed_triggers(case, target.id)
    fire(case, "reopen", item=target.id, on=day, guards=PRESET_GUARDS[preset])
    assert target.state is ItemState.REOPENED
    fire(case, "start", item=target.id, on=day, guards=PRESET_GUARDS[preset])
    assert target.state is ItemState.IN_PROGRESS
    assert rectflow.replay(case) == case


@given(data=st.data(), case=WITH_MEASURES)
def test_reopening_a_problem_reopens_its_settled_measures_which_go_back_to_work(
    data: st.DataObject, case: Case
) -> None:
    """A problem reopened by a review reopens every measure that can be; starting them makes
    the problem in progress again."""
    problems = [
        p for p in case.problems() if p.measures and "reopen" in allowed_triggers(case, p.id)
    ]
    assume(problems)
    problem = data.draw(st.sampled_from(problems))
    settled = [m for m in problem.measures if m.state in SETTLED]
    others = {m.id: m.state for m in problem.measures if m.state not in SETTLED}
    day = case.feedback_on.latest  # type: ignore[union-attr]
    fire(case, "reopen", item=problem.id, on=day)
    assert {m.state for m in settled} == {ItemState.REOPENED}
    assert {m.id: m.state for m in problem.measures if m.id in others} == others
    for measure in settled:
        fire(case, "start", item=measure.id, on=day)
    assert {m.state for m in settled} == {ItemState.IN_PROGRESS}
    assert problem.state not in (ItemState.COMPLETED, ItemState.CLOSED)  # back at work
    if ItemState.REOPENED not in others.values():
        assert problem.state is ItemState.IN_PROGRESS


@given(case=rs.cases(allow_imported=True), data=st.data())
def test_a_reviewed_or_closed_case_can_be_reopened_and_reviewed_again(
    case: Case, data: st.DataObject
) -> None:
    """reopen_case takes a reviewed or closed case back to continuing rectification, from
    which it can be reviewed again."""
    state = data.draw(st.sampled_from([CaseState.REVIEWED, CaseState.CLOSED]))
    case = attrs.evolve(case, state=state, initial_state=state)
    day = case.feedback_on.latest  # type: ignore[union-attr]
    fire(case, "reopen_case", on=day)
    assert case.state is CaseState.CONTINUING
    fire(case, "review", on=day)
    assert case.state is CaseState.REVIEWED
    assert rectflow.replay(case) == case
