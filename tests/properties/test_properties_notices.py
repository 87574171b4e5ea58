"""Render/parse round trip over cases that a policy accepts (disclosures with contacts, public
periods, counts): reading a rendered notice gives back the case's public projection."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rectflow
import rectflow.strategies as rs
from rectflow import Case, Policy, parse_notice, public_projection, render_notice


@pytest.mark.parametrize("preset", ["xunshi", "xuncha"])
@given(data=st.data())
def test_a_notice_rendered_from_an_accepted_case_reads_back_as_its_projection(
    preset: str, data: st.DataObject
) -> None:
    """parse_notice(render_notice(case)) is the public projection, nothing unread or doubted."""
    case = data.draw(rs.from_policy(preset))
    result = parse_notice(render_notice(case))
    assert (result.case, result.unread, result.warnings) == (public_projection(case), [], [])


@given(data=st.data(), policy=rs.policies())
def test_the_round_trip_holds_whatever_the_policy_asked_of_the_case(
    data: st.DataObject, policy: Policy
) -> None:
    """Public periods, contact channels and counts a policy requires all survive the trip."""
    case = data.draw(rs.from_policy(policy))
    assert parse_notice(render_notice(case)).case == public_projection(case)


@given(rs.from_policy("xuncha", max_problems=3))
def test_every_format_renders_an_accepted_case_and_the_text_reads_back_the_same(
    case: Case,
) -> None:
    """Text, Markdown and HTML render; re-rendering the read-back projection gives the same text."""
    text = render_notice(case)
    for kind in ("markdown", "html"):
        assert render_notice(case, kind)
    assert render_notice(parse_notice(text).case) == text
    assert rectflow.replay(public_projection(case)) == public_projection(case)
