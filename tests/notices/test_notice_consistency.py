"""The consistency check on imported notices: stated counts against the enumerated ledger."""

from __future__ import annotations

import datetime as dt

import rectflow


def count_violations(case: rectflow.Case) -> list[str]:
    """Where ``consistency.count`` reports a difference, sorted."""
    report = rectflow.check(case, policy="xunshi", as_of=dt.date(2024, 9, 4))
    return sorted(v.where for v in report.violations if v.code == "consistency.count")


def test_seed_002_s_differing_totals_are_reported_and_agreeing_ones_are_not(
    seed_text: dict[str, str],
) -> None:
    """Stated 8 reform items (7 flagged), 263 measures (277 listed), 4 recommendations (none
    listed) are reported; 14 key, 45 specific and 58 extended items agree and are not."""
    case = rectflow.parse_notice(seed_text["002"]).case
    totals = [where for where in count_violations(case) if ".by_state" not in where]
    assert totals == [
        "stated_counts[measures]",
        "stated_counts[recommendation]",
        "stated_counts[reform]",
    ]


def test_seed_002_s_per_state_counts_are_not_contradicted_by_items_of_unstated_state(
    seed_text: dict[str, str],
) -> None:
    """The notice says 7 key problems are completed and its items state no state: unstated
    states may make up any such number, so none is reported — except the 4 completed
    recommendations, of which the ledger holds none at all."""
    case = rectflow.parse_notice(seed_text["002"]).case
    by_state = [where for where in count_violations(case) if ".by_state[" in where]
    assert by_state == ["stated_counts[recommendation].by_state[completed]"]


def test_counts_that_agree_with_the_ledger_give_no_consistency_violation(
    seed_text: dict[str, str],
) -> None:
    """Counted from the ledger (no stated counts to keep), a projection agrees with itself."""
    case = rectflow.parse_notice(seed_text["002"]).case
    case.stated_counts = []
    public = rectflow.public_projection(case)
    assert (count_violations(public), len(public.stated_counts)) == ([], 5)


def test_the_public_projection_keeps_the_counts_a_notice_states(
    seed_text: dict[str, str],
) -> None:
    """Seed 002 states 234 of 263 measures completed: the projection says so, not 0 of 277."""
    case = rectflow.parse_notice(seed_text["002"]).case
    public = rectflow.public_projection(case)
    assert public.stated_counts == case.stated_counts
