"""Round trip: reading a rendered notice gives back the case's public projection."""

from __future__ import annotations

import pytest
from hypothesis import given

import rectflow
import rectflow.strategies as rs


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
        rectflow.Category(str(n), f"第{n}方面", [rectflow.Problem(f"{n}.1", f"问题{n}")])
        for n in range(1, 106)
    ]
    categories[0].problems[0].measures = measures
    case = rectflow.Case("big", "中共某某委员会", categories=categories)
    text = rectflow.render_notice(case)
    result = rectflow.parse_notice(text)
    assert ("（一百零五）第105方面" in text, "一百零一是措施101（未完成）" in text) == (True, True)
    assert (result.case, result.unread) == (rectflow.public_projection(case), [])
