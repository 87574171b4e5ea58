"""Round trip: reading a rendered notice gives back the case's public projection."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rectflow
import rectflow.strategies as rs
from rectflow import ItemState
from rectflow._core.fields import force
from rectflow._core.public import public_accountability_counts


@given(rs.cases(allow_imported=True))
def test_parsing_a_rendered_case_gives_back_its_public_projection(case: rectflow.Case) -> None:
    """parse_notice(render_notice(case)) is public_projection(case), read without a doubt."""
    result = rectflow.parse_notice(rectflow.render_notice(case))
    assert (result.case, result.unread, result.warnings) == (
        rectflow.public_projection(case),
        [],
        [],
    )


@given(rs.cases(with_events=True, max_events=6))
def test_the_round_trip_holds_for_cases_with_events(case: rectflow.Case) -> None:
    """Events change states; the notice carries the states, never the events."""
    result = rectflow.parse_notice(rectflow.render_notice(case))
    assert result.case == rectflow.public_projection(case)


@given(rs.cases(allow_imported=True), st.data())
def test_the_round_trip_carries_submissions_as_completed_and_accountability_as_counts(
    case: rectflow.Case, data: st.DataObject
) -> None:
    """Submitted items read back completed; accountability reads back as the public counts,
    apart from the case, and the projection has no records."""
    for measure in list(case.measures()):
        if measure.state is ItemState.COMPLETED and data.draw(st.booleans(), label=measure.id):
            # Submitted as an import would leave it: the projection is under test, not history.
            force(measure, "state", ItemState.SUBMITTED)
            measure.initial_state = ItemState.SUBMITTED
    problems = [None, *(p.id for p in case.problems())]
    records = [
        rectflow.Accountability(
            data.draw(st.sampled_from(rectflow.AccountabilityForm), label="form"),
            data.draw(st.integers(1, 999), label="people"),
            on=dt.date(2024, 6, 1),
            problem=data.draw(st.sampled_from(problems), label="answers"),
        )
        for _ in range(data.draw(st.integers(0, 5), label="records"))
    ]
    force(case, "accountability", records)  # recorded as imported, without events
    result = rectflow.parse_notice(rectflow.render_notice(case))
    public = rectflow.public_projection(case)
    assert (result.case, result.unread, result.accountability) == (
        public,
        [],
        public_accountability_counts(case),
    )
    assert (public.accountability, ItemState.SUBMITTED in {m.state for m in public.measures()}) == (
        [],
        False,
    )


@given(rs.cases(allow_imported=True))
def test_the_public_projection_of_a_projection_is_itself(case: rectflow.Case) -> None:
    """Projecting twice changes nothing: the projection is all a notice can say."""
    public = rectflow.public_projection(case)
    assert rectflow.public_projection(public) == public


@given(rs.cases(allow_imported=True))
def test_a_projection_replays_to_itself(case: rectflow.Case) -> None:
    """A projection has no events and every item starts where it stands."""
    public = rectflow.public_projection(case)
    assert rectflow.replay(public) == public


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_a_rendered_seed_reads_back_as_the_seed_s_public_projection(
    seed_text: dict[str, str], seed: str
) -> None:
    """Import a seed, render it, import the rendering: the public projection comes back."""
    case = rectflow.parse_notice(seed_text[seed]).case
    result = rectflow.parse_notice(rectflow.render_notice(case))
    assert (result.case, result.unread) == (rectflow.public_projection(case), [])


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_an_imported_seed_loses_nothing_public_when_projected(
    seed_text: dict[str, str], seed: str
) -> None:
    """An import is already public: projecting it keeps its ledger, dates and channels."""
    case = rectflow.parse_notice(seed_text[seed]).case
    public = rectflow.public_projection(case)
    assert (
        [(p.title, p.kind, p.state, len(p.measures)) for p in public.problems()],
        public.feedback_on,
        public.inspection,
        public.disclosures[0].contacts,
    ) == (
        [(p.title, p.kind, p.state, len(p.measures)) for p in case.problems()],
        case.feedback_on and rectflow.FuzzyDate.parse(str(case.feedback_on).rstrip("?")),
        case.inspection,
        case.disclosures[0].contacts,
    )


def test_a_ledger_past_a_hundred_categories_and_measures_round_trips() -> None:
    """Numbering runs on past 九十九: （一百零五） categories and 一百零一是 measures."""
    measures = [rectflow.Measure(f"1.1.{n}", f"措施{n}") for n in range(1, 102)]
    categories = [
        rectflow.Category(
            str(n),
            f"第{n}方面",
            [rectflow.Problem(f"{n}.1", f"问题{n}", measures=measures if n == 1 else [])],
        )
        for n in range(1, 106)
    ]
    case = rectflow.Case("big", "中共某某委员会", categories=categories)
    text = rectflow.render_notice(case)
    result = rectflow.parse_notice(text)
    assert ("（一百零五）第105方面" in text, "一百零一是措施101（未完成）" in text) == (True, True)
    assert (result.case, result.unread) == (rectflow.public_projection(case), [])
