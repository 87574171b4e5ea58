"""Where a case stands as of a day: what is overdue, which day by default, counts by state."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rectflow
import rectflow.strategies as rs
from rectflow import (
    AccountabilityForm,
    Case,
    CaseState,
    Category,
    Disclosure,
    Evaluation,
    FuzzyDate,
    Grade,
    Inspection,
    ItemState,
    Measure,
    Milestone,
    Period,
    Plan,
    Problem,
    Responsibility,
    Review,
    fire,
)
from rectflow._core.status import (  # OverdueItem and STATUS_*: exported by the lead (issue 10)
    STATUS_FORMAT,
    STATUS_VERSION,
    OverdueItem,
    default_as_of,
    overdue,
    status,
)
from rectflow.errors import MissingDateError

DUE = dt.date(2021, 6, 30)


def one_of_each(state: ItemState, due: dt.date | None = DUE) -> Case:
    """A measure and a problem without measures, both in ``state`` and due on ``due``."""
    return Case(
        "c",
        categories=[
            Category(
                "1",
                "",
                [
                    Problem("1.1", measures=[Measure("1.1.1", due_on=due, state=state)]),
                    Problem("1.2", state=state, due_on=due),
                ],
            )
        ],
    )


@pytest.mark.parametrize(
    "state",
    [ItemState.OPEN, ItemState.IN_PROGRESS, ItemState.BASICALLY_COMPLETED, ItemState.REOPENED],
)
def test_an_unfinished_item_past_its_due_day_is_overdue(state: ItemState) -> None:
    """Measures and problems without measures are late the day after their due day."""
    case = one_of_each(state)
    assert [i.id for i in overdue(case, DUE + dt.timedelta(days=1))] == ["1.1.1", "1.2"]


@pytest.mark.parametrize(
    "state", [ItemState.COMPLETED, ItemState.SUBMITTED, ItemState.CLOSED, ItemState.LONG_TERM]
)
def test_done_or_long_term_items_are_never_overdue(state: ItemState) -> None:
    """Completed, submitted for acceptance, closed and long-term (长期坚持) items have no
    deadline left to miss."""
    assert overdue(one_of_each(state), dt.date(2030, 1, 1)) == []


def test_the_due_day_itself_is_not_late() -> None:
    """On the due day the item is still in time."""
    assert overdue(one_of_each(ItemState.IN_PROGRESS), DUE) == []


def test_items_without_a_due_date_are_never_overdue() -> None:
    """No deadline, nothing to miss (the responsibility check reports the missing date)."""
    assert overdue(one_of_each(ItemState.OPEN, due=None), dt.date(2030, 1, 1)) == []


def test_a_problem_with_measures_is_late_through_its_measures_only() -> None:
    """A due date on a problem that has measures does not make the problem itself overdue."""
    case = Case(
        "c",
        categories=[
            Category(
                "1",
                "",
                [
                    Problem(
                        "1.1",
                        due_on=DUE,
                        measures=[Measure("1.1.1", due_on=DUE + dt.timedelta(days=9))],
                    )
                ],
            )
        ],
    )
    assert overdue(case, DUE + dt.timedelta(days=5)) == []
    assert [i.id for i in overdue(case, DUE + dt.timedelta(days=10))] == ["1.1.1"]


@given(
    rs.cases(with_events=True, allow_imported=True),
    st.dates(dt.date(2000, 1, 1), dt.date(2040, 1, 1)),
)
def test_overdue_is_exactly_the_unfinished_items_past_due(case: Case, as_of: dt.date) -> None:
    """Against a direct reading of the rule, on generated cases and days: the case as it stood
    that day (rectflow.case_as_of), its items of known state due before the day and unfinished."""
    finished = {ItemState.COMPLETED, ItemState.SUBMITTED, ItemState.CLOSED, ItemState.LONG_TERM}
    expected = []
    for problem in rectflow.case_as_of(case, as_of).problems():
        tracked = problem.measures or [problem]
        expected += [
            i.id
            for i in tracked
            if i.due_on and i.due_on < as_of and i.state not in finished and i.state_known
        ]
    assert [i.id for i in overdue(case, as_of)] == expected


# -- the default as-of day ---------------------------------------------------------------------


def test_the_default_day_is_the_last_event_date() -> None:
    """With events, the latest event's date, and the sentence names that event."""
    case = one_of_each(ItemState.OPEN)
    fire(case, "adopt_plan", on=dt.date(2021, 2, 1))
    fire(case, "start", item="1.1.1", on=dt.date(2021, 3, 9), actor="办公室")
    assert default_as_of(case) == (
        dt.date(2021, 3, 9),
        "the case's last event: #2 start on 1.1.1",
    )


def test_without_events_the_default_day_is_the_latest_stated_date() -> None:
    """Feedback, plan, periods, report, milestones, disclosures and reviews all count."""
    case = Case(
        "c",
        inspection=Inspection(onsite=Period(FuzzyDate.parse("2020-08-early"))),
        feedback_on=FuzzyDate.parse("2020-11-20"),
        plan=Plan(adopted_on=FuzzyDate.parse("2020-12-03")),
        centralised=Period(FuzzyDate.parse("2020-12-03"), FuzzyDate.parse("2021-02-28")),
        milestones=[Milestone("专题民主生活会", FuzzyDate.parse("2021-01"))],
        disclosures=[Disclosure(published_on=FuzzyDate.parse("2021-03-12"))],
    )
    assert default_as_of(case) == (
        dt.date(2021, 3, 12),
        "no events; the latest date the case states: disclosures[0].published_on = 2021-03-12",
    )
    case.reviews.append(Review(dt.date(2021, 9, 1)))  # reviews are not owned by events
    assert default_as_of(case)[0] == dt.date(2021, 9, 1)


def test_a_fuzzy_latest_date_is_taken_at_its_first_day() -> None:
    """A month-precision publication date counts from its first day, and the reason says so."""
    case = Case(
        "c",
        feedback_on=FuzzyDate.parse("2021-01-05"),
        disclosures=[Disclosure(published_on=FuzzyDate.parse("2021-06"))],
    )
    assert default_as_of(case) == (
        dt.date(2021, 6, 1),
        "no events; the latest date the case states: disclosures[0].published_on = 2021-06 "
        "(taken as its first day, 2021-06-01)",
    )


def test_a_case_without_events_or_dates_needs_an_as_of_day() -> None:
    """Nothing to go by: MissingDateError says how to give the day; the clock is not read."""
    with pytest.raises(MissingDateError, match="--as-of") as caught:
        default_as_of(Case("empty"))
    assert (caught.value.case_id, caught.value.what) == ("empty", "as-of date")


# -- the status summary ------------------------------------------------------------------------


def test_status_counts_items_by_state_in_lifecycle_order() -> None:
    """Zero counts are left out; the overdue list and the as-of reason come along."""
    case = Case(
        "c",
        inspected_body="某单位党委",
        categories=[
            Category(
                "1",
                "",
                [
                    Problem(
                        "1.1",
                        measures=[
                            Measure("1.1.1", state=ItemState.COMPLETED),
                            Measure("1.1.2", state=ItemState.OPEN, due_on=DUE),
                        ],
                    ),
                    Problem("1.2", state=ItemState.CLOSED),
                ],
            )
        ],
    )
    result = status(case, as_of=dt.date(2021, 7, 1))
    assert (
        result.case_id,
        result.inspected_body,
        result.state,
        result.as_of,
        result.as_of_reason,
        dict(result.problems),
        list(result.problems),
        dict(result.measures),
        [i.id for i in result.overdue],
    ) == (
        "c",
        "某单位党委",
        CaseState.FEEDBACK_RECEIVED,
        dt.date(2021, 7, 1),
        "given",
        {ItemState.IN_PROGRESS: 1, ItemState.CLOSED: 1},
        [ItemState.IN_PROGRESS, ItemState.CLOSED],
        {ItemState.OPEN: 1, ItemState.COMPLETED: 1},
        ["1.1.2"],
    )


def test_status_without_a_day_uses_the_default_one() -> None:
    """``status(case)`` judges at :func:`default_as_of` and keeps its reason."""
    case = Case("c", feedback_on=FuzzyDate.parse("2021-01-05"))
    result = status(case)
    assert (result.as_of, result.as_of_reason) == default_as_of(case)


# -- supervision: days late, extensions, acceptance, accountability, evaluation ---------------

DOC = Path(__file__).resolve().parents[2] / "docs" / "status-json.md"


def doc_blocks(language: str) -> list[str]:
    """The fenced blocks of ``language`` in docs/status-json.md."""
    return re.findall(rf"```{language}\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)


def supervised_case() -> Case:
    """The case docs/status-json.md builds (extension, rejection, acceptance, accountability,
    evaluation): its Python block, run."""
    [code] = doc_blocks("python")
    namespace: dict[str, object] = {}
    exec(code, namespace)  # noqa: S102 - the docs' own example, checked against its output
    case = namespace["case"]
    assert isinstance(case, Case)
    return case


def test_the_json_example_in_the_docs_is_what_to_dict_gives() -> None:
    """docs/status-json.md's JSON block is exactly the ``to_dict()`` of its Python block."""
    [code] = doc_blocks("python")
    namespace: dict[str, object] = {}
    exec(code, namespace)  # noqa: S102 - the docs' own example
    [shown] = doc_blocks("json")
    assert json.loads(shown) == namespace["document"]


def test_to_dict_is_json_with_the_format_and_version_first() -> None:
    """The document names its format and version, and survives a JSON round trip unchanged."""
    document = status(supervised_case(), as_of=dt.date(2021, 7, 1)).to_dict()
    assert list(document)[:2] == ["format", "version"]
    assert (document["format"], document["version"]) == (STATUS_FORMAT, STATUS_VERSION)
    assert (STATUS_FORMAT, STATUS_VERSION) == ("rectflow.status", 1)
    assert json.loads(json.dumps(document)) == document


def test_to_dict_lists_every_state_and_form_with_zeros() -> None:
    """Count tables carry every key in lifecycle (or enum) order, zeros included."""
    document = status(Case("empty"), as_of=dt.date(2021, 7, 1)).to_dict()
    assert list(document["problems"]) == [s.value for s in ItemState]
    assert list(document["measures"]) == [s.value for s in ItemState]
    assert document["accountability"] == {f.value: 0 for f in AccountabilityForm}
    assert (document["overdue"], document["evaluation"]) == ([], None)


def test_an_extended_item_is_late_against_the_approved_day_and_keeps_the_original() -> None:
    """1.1.1, due 31 March and extended on 10 April to 31 May, is 31 days late on 1 July,
    92 against the original, with one extension."""
    [late] = status(supervised_case(), as_of=dt.date(2021, 7, 1)).late
    assert late == OverdueItem(
        id="1.1.1",
        kind="measure",
        state=ItemState.IN_PROGRESS,
        due_on=dt.date(2021, 5, 31),
        days_late=31,
        original_due_on=dt.date(2021, 3, 31),
        extensions=1,
        responsibility=Responsibility("院长", "党委办公室", "李娜"),
    )
    assert late.days_late_originally == 92


def test_before_the_extension_was_approved_the_item_was_late_against_the_original() -> None:
    """On 5 April (the extension came on 10 April) 1.1.1 was 5 days late, never extended."""
    result = status(supervised_case(), as_of=dt.date(2021, 4, 5))
    assert [
        (i.id, i.due_on, i.days_late, i.original_due_on, i.extensions) for i in result.late
    ] == [("1.1.1", dt.date(2021, 3, 31), 5, dt.date(2021, 3, 31), 0)]
    assert (result.extensions, result.rejections) == (0, 0)


def test_overdue_and_late_list_the_same_items_in_the_same_order() -> None:
    """``overdue`` (the items, as in 0.1) and ``late`` (the records) go together."""
    case = one_of_each(ItemState.IN_PROGRESS)
    result = status(case, as_of=DUE + dt.timedelta(days=3))
    assert [i.id for i in result.overdue] == [r.id for r in result.late] == ["1.1.1", "1.2"]
    assert [(r.kind, r.days_late) for r in result.late] == [("measure", 3), ("problem", 3)]


def test_status_counts_acceptance_rejections_accountability_and_the_latest_evaluation() -> None:
    """One item waits for acceptance, one rejection, one extension, 问责 by form, 一般."""
    result = status(supervised_case(), as_of=dt.date(2021, 7, 1))
    assert (
        result.awaiting_acceptance,
        result.rejections,
        result.extensions,
        dict(result.accountability),
        result.evaluation,
    ) == (
        1,
        1,
        1,
        {AccountabilityForm.CRITICISM: 5, AccountabilityForm.ADMONISHING_TALK: 2},
        Evaluation(dt.date(2021, 6, 30), Grade.FAIR, score=78.5, by="县委巡察办"),
    )


def test_as_of_a_day_between_the_submissions_the_rejection_is_counted_and_one_waits() -> None:
    """On 26 April 1.1.2 had been rejected once and was back at work; nothing waited, and no
    accountability or evaluation was recorded yet."""
    result = status(supervised_case(), as_of=dt.date(2021, 4, 26))
    assert (
        result.awaiting_acceptance,
        result.rejections,
        dict(result.accountability),
        result.evaluation,
    ) == (0, 1, {}, None)


def test_the_latest_evaluation_is_the_one_of_the_latest_day() -> None:
    """Two evaluations: the later one is the status's."""
    case = supervised_case()
    later = Evaluation(dt.date(2021, 12, 1), Grade.GOOD, score=92)
    rectflow.evaluate(case, later)
    assert status(case, as_of=dt.date(2021, 12, 2)).evaluation == later
