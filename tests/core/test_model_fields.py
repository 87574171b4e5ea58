"""The model checks its fields where an object is built and where a field is set: the line that
caused a wrong value raises InvalidFieldError naming the class, the field, the value and the fix."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rectflow
from rectflow import (
    Accountability,
    AccountabilityForm,
    Case,
    Category,
    Contact,
    Disclosure,
    Evaluation,
    Event,
    EventLog,
    Evidence,
    FuzzyDate,
    Grade,
    Inspection,
    InspectionKind,
    ItemState,
    Measure,
    Milestone,
    Period,
    Problem,
    Review,
    ReviewOutcome,
    StatedCount,
    fire,
)
from rectflow._core import fields
from rectflow.errors import InvalidFieldError, OwnedFieldError, RectflowError

DAY = dt.date(2024, 5, 1)
MODEL = (
    Case,
    Category,
    Contact,
    Disclosure,
    Event,
    Inspection,
    Measure,
    Milestone,
    Problem,
    Review,
    ReviewOutcome,
    StatedCount,
    rectflow.Plan,
    rectflow.LeadingGroup,
    rectflow.Responsibility,
)


@pytest.mark.parametrize(
    ("build", "owner", "field", "fix"),
    [
        (lambda: Inspection(kind="xuncha"), "Inspection", "kind", "InspectionKind.XUNCHA"),
        (lambda: Event(1, "start", "1.1", DAY, actor=5), "Event", "actor", "pass a str"),
        (lambda: Event(1, "start", "1.1", dt.datetime(2024, 5, 1, 9)), "Event", "on", ".date()"),
        (lambda: Event(0, "start", "1.1", DAY), "Event", "seq", "1 or more"),
        (lambda: Case("c", feedback_on=DAY), "Case", "feedback_on", "FuzzyDate.of("),
        (lambda: Case("c", report_on="2024-05"), "Case", "report_on", "FuzzyDate.parse("),
        (lambda: Case("c", version=-1), "Case", "version", "0 or more"),
        (lambda: Case("c", version=True), "Case", "version", "0 or more"),
        (lambda: Case(5), "Case", "id", "pass a str"),
        (lambda: Measure("1", state="open"), "Measure", "state", "ItemState.OPEN"),
        (lambda: Measure("1", tags=["a"]), "Measure", "tags", "tuple(values)"),
        (lambda: Measure("1", evidence="纪要"), "Measure", "evidence", "tuple of Evidence"),
        (lambda: Measure("1", evidence=("纪要",)), "Measure", "evidence", "Evidence('the title')"),
        (lambda: Evidence("纪要", kind="minutes"), "Evidence", "kind", "EvidenceKind.MINUTES"),
        (
            lambda: Accountability("criticism", on=DAY),
            "Accountability",
            "form",
            "AccountabilityForm",
        ),
        (
            lambda: Accountability(AccountabilityForm.CRITICISM, 0, on=DAY),
            "Accountability",
            "people",
            "1 or more",
        ),
        (lambda: Evaluation(DAY, Grade.FAIR, score=120), "Evaluation", "score", "out of 100"),
        (lambda: Evaluation(DAY, "fair"), "Evaluation", "grade", "Grade.FAIR"),
        (lambda: Measure("1", tags=("a", 1)), "Measure", "tags", "tuple of strings"),
        (lambda: Measure("1", due_on="2024-05-01"), "Measure", "due_on", "fromisoformat"),
        (lambda: Problem("1", state="closed"), "Problem", "state", "ItemState.CLOSED"),
        (lambda: Problem("1", measures=["1.1"]), "Problem", "measures", "list of Measure"),
        (lambda: Problem("1", measures=(Measure("1.1"),)), "Problem", "measures", "list"),
        (lambda: Category("1", problems=[Measure("1")]), "Category", "problems", "Problem"),
        (lambda: ReviewOutcome("1", outcome="fine"), "ReviewOutcome", "outcome", "reopened"),
        (lambda: Review(on=FuzzyDate.of(DAY)), "Review", "on", "earliest"),
        (lambda: StatedCount("widgets"), "StatedCount", "subject", "measures"),
        (lambda: StatedCount("measures", by_state={"open": 1}), "StatedCount", "by_state", ""),
        (lambda: Contact("phone", "123"), "Contact", "kind", "ContactKind.PHONE"),
        (lambda: Milestone("会", DAY), "Milestone", "on", "FuzzyDate.of("),
        (lambda: Disclosure(public_period=(DAY, DAY)), "Disclosure", "public_period", "Period"),
    ],
)
def test_a_wrong_value_raises_where_the_object_is_built(
    build: Any, owner: str, field: str, fix: str
) -> None:
    """The error names the class, the field, the value, what was expected and the fix."""
    with pytest.raises(InvalidFieldError) as raised:
        build()
    error = raised.value
    assert (error.owner, error.field) == (owner, field)
    assert fix in error.fix
    assert f"{owner}.{field}: expected" in str(error)
    assert isinstance(error, RectflowError)
    assert isinstance(error, TypeError)


@pytest.mark.parametrize(
    ("obj", "field", "value"),
    [
        (Case("c"), "feedback_on", DAY),
        (Inspection(), "kind", "xunshi"),
        (Problem("1"), "kind", "key"),
        (Measure("1"), "tags", ["a"]),
    ],
)
def test_a_wrong_value_raises_where_a_field_is_assigned(obj: Any, field: str, value: Any) -> None:
    """Assignment is checked as construction is, and the object keeps its old value."""
    before = copy.deepcopy(obj)
    with pytest.raises(InvalidFieldError):
        setattr(obj, field, value)
    assert obj == before


@pytest.mark.parametrize(
    ("obj", "field", "value", "api"),
    [
        (Measure("1"), "state", ItemState.COMPLETED, "rectflow.fire"),
        (Measure("1"), "state_known", False, "rectflow.fire"),
        (Measure("1"), "due_on", DAY, "rectflow.set_due"),
        (Measure("1"), "text", "改", "rectflow.edit_text"),
        (Measure("1"), "responsibility", None, "rectflow.assign"),
        (Measure("1"), "evidence", (), "rectflow.add_evidence"),
        (Measure("1"), "added_on", DAY, "rectflow.add_measure"),
        (Measure("1"), "id", "2", "identity"),
        (Problem("1"), "state", ItemState.OPEN, "rectflow.fire"),
        (Problem("1"), "title", "t", "rectflow.edit_text"),
        (Problem("1"), "measures", [], "rectflow.add_measure"),
        (Problem("1"), "due_on", DAY, "rectflow.set_due"),
        (Category("1"), "problems", [], "rectflow.add_problem"),
        (Case("c"), "categories", [], "rectflow.add_problem"),
        (Case("c"), "state", rectflow.CaseState.CLOSED, "rectflow.fire"),
        (Case("c"), "accountability", [], "rectflow.record_accountability"),
        (Case("c"), "evaluations", [], "rectflow.evaluate"),
        (Case("c"), "events", rectflow.EventLog(), "event API"),
    ],
)
def test_a_field_the_events_own_refuses_assignment(
    obj: Any, field: str, value: Any, api: str
) -> None:
    """Even a right value is refused, naming the event API that makes the change, and the object
    keeps its old value (DESIGN.md invariant 1: every change is an event)."""
    before = copy.deepcopy(obj)
    with pytest.raises(OwnedFieldError) as raised:
        setattr(obj, field, value)
    assert api in str(raised.value)
    assert obj == before


def test_records_are_immutable() -> None:
    """Responsibility, evidence, accountability and evaluations are values: changing one is a
    new event, never an edit in place."""
    records: list[Any] = [
        rectflow.Responsibility(leader="王"),
        Evidence("纪要"),
        Accountability(AccountabilityForm.CRITICISM, on=DAY),
        Evaluation(DAY, Grade.GOOD),
    ]
    for record in records:
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            record.note = "x"


def test_frozen_model_objects_refuse_assignment_altogether() -> None:
    """An event, once recorded, is immutable."""
    event = Event(1, "start", "1.1", DAY)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        event.actor = "王"  # type: ignore[misc]


def test_right_values_pass_and_text_is_a_plain_str() -> None:
    """What the annotations allow is accepted unchanged; nothing is converted; a str subclass
    (it would be read back as a plain str) is refused with str(value) as the fix."""
    measure = Measure("1.1", tags=("a",), due_on=DAY, state=ItemState.COMPLETED)
    assert measure.tags == ("a",)
    with pytest.raises(InvalidFieldError) as raised:
        Measure(ItemState.COMPLETED)  # type: ignore[arg-type]
    assert raised.value.fix == "pass a plain str: str(<ItemState.COMPLETED: 'completed'>)"
    case = Case("c", feedback_on=FuzzyDate.of(DAY), centralised=Period(FuzzyDate(2024, 5)))
    assert case.feedback_on == FuzzyDate(2024, 5, 1)


def test_an_event_log_refuses_what_is_not_an_event() -> None:
    """Case(events=...) takes events, not their rows."""
    with pytest.raises(InvalidFieldError) as raised:
        Case("c", events=[(1, "start", "1", DAY, None, None)])  # type: ignore[list-item]
    assert (raised.value.owner, raised.value.field) == ("Case", "events")


def test_fire_with_a_wrong_actor_raises_and_changes_nothing() -> None:
    """fire(actor=5) is refused before the state moves, so the case is never half-fired."""
    case = Case("c", categories=[Category("1", problems=[Problem("1.1")])])
    before = copy.deepcopy(case)
    with pytest.raises(InvalidFieldError):
        fire(case, "start", item="1.1", on=DAY, actor=5)  # type: ignore[arg-type]
    assert case == before
    assert case.item("1.1").state is ItemState.OPEN


def test_the_log_reads_back_the_events_it_was_given() -> None:
    """Events read from the log (built without re-checking) equal the ones appended."""
    events = [Event(1, "adopt_plan", "case", DAY, actor="党委"), Event(2, "start", "1", DAY)]
    log = EventLog(events)
    assert list(log) == events
    assert log[1] == events[1]
    assert log[0:2] == tuple(events)


# -- the quick test is only ever a shortcut of the exact one -----------------------------------

ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.text(max_size=3),
    st.sampled_from(
        [
            DAY,
            dt.datetime(2024, 5, 1, 9),
            FuzzyDate(2024),
            Period(FuzzyDate(2024)),
            ItemState.OPEN,
            InspectionKind.XUNCHA,
            "confirmed",
            "measures",
            (),
            ("a",),
            ("a", 1),
            [],
            [Measure("1")],
            [Problem("1")],
            {ItemState.OPEN: 1},
            {"open": 1},
            Measure("1"),
            rectflow.Responsibility(),
            Inspection(),
            EventLog(),
        ]
    ),
)


@given(value=ANY_VALUE, cls=st.sampled_from(MODEL), data=st.data())
def test_the_quick_test_never_accepts_what_the_exact_test_refuses(
    value: Any, cls: type, data: st.DataObject
) -> None:
    """Each field's compiled fast path implies its exact test, for values of every kind."""
    specs: dict[str, fields.Spec] = fields._specs(cls)
    name = data.draw(st.sampled_from(sorted(specs)))
    spec = specs[name]
    quick = eval(f"lambda v: {spec.quick.format(v='v')}", dict(spec.names))  # noqa: S307
    if quick(value):
        assert spec.accepts(value)


def test_every_field_of_every_model_class_has_a_check() -> None:
    """No field is left unchecked (the event log's id index is a cache, not data)."""
    for cls in MODEL:
        names = {a.name for a in attrs.fields(cls) if a.name != "_index"}
        assert names == set(fields._specs(cls)), cls.__name__


@pytest.mark.parametrize(
    ("build", "owner", "field"),
    [
        (lambda: FuzzyDate("2024"), "FuzzyDate", "year"),  # type: ignore[arg-type]
        (lambda: FuzzyDate(True), "FuzzyDate", "year"),
        (lambda: FuzzyDate(2024, "5"), "FuzzyDate", "month"),  # type: ignore[arg-type]
        (lambda: FuzzyDate(2024, 5, dekad="early"), "FuzzyDate", "dekad"),  # type: ignore[arg-type]
        (lambda: FuzzyDate(2024, inferred=1), "FuzzyDate", "inferred"),  # type: ignore[arg-type]
        (lambda: Period(DAY), "Period", "start"),  # type: ignore[arg-type]
        (lambda: Period(FuzzyDate(2024), "2025"), "Period", "end"),  # type: ignore[arg-type]
    ],
)
def test_dates_check_their_fields_too(build: Any, owner: str, field: str) -> None:
    """A FuzzyDate or Period built from the wrong types raises InvalidFieldError, not a
    TypeError from deep inside a comparison."""
    with pytest.raises(InvalidFieldError) as raised:
        build()
    assert (raised.value.owner, raised.value.field) == (owner, field)
