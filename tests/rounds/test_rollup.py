"""Roll-ups: counts by state, rates with their denominators, overdue, levels and the time-travel
agreement with ``status`` (docs/stats.md)."""

from __future__ import annotations

import copy
import datetime as dt
from collections import Counter
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rectflow
import rectflow.strategies as rs
from rectflow import Case, ItemState, Rate, rollup
from rectflow._rounds.rollup import GROUPINGS

EXAMPLES = Path(__file__).parents[2] / "examples"
SYNTHETIC = EXAMPLES / "cases" / "synthetic-hongqiao-first-people-hospital.toml"
DAY = dt.timedelta(days=1)
POLICY = rectflow.policy("xuncha", rectflow.plugin_manager(load_entry_points=False))


@pytest.fixture(scope="module")
def synthetic() -> Case:
    """The synthetic example case (events, extensions, long-term items, overdue ones)."""
    return rectflow.load_case(SYNTHETIC)


@pytest.mark.parametrize(
    ("numerator", "denominator", "percent"),
    [
        (112, 120, "93.33"),
        (2, 3, "66.67"),
        (1, 8, "12.50"),
        (1, 800, "0.13"),  # 0.125 % rounds half up, not to the even 0.12
        (0, 5, "0.00"),
        (7, 7, "100.00"),
    ],
)
def test_a_rate_renders_its_exact_fraction_as_a_percentage_to_two_decimals(
    numerator: int, denominator: int, percent: str
) -> None:
    """112/120 is 93.33 %: two decimals, rounded half up, numerator and denominator kept."""
    rate = Rate(numerator, denominator)
    assert (rate.percent, rate.fraction) == (percent, Fraction(numerator, denominator))
    assert rate.to_dict() == {
        "numerator": numerator,
        "denominator": denominator,
        "percent": percent,
    }


def test_a_rate_out_of_nothing_has_no_percentage() -> None:
    """0/0 is not 0 % nor 100 %: there is nothing to rate, and the percentage is None."""
    assert (Rate(0, 0).percent, Rate(0, 0).fraction, str(Rate(0, 0))) == (None, None, "0/0 = —")


def test_the_synthetic_case_rolls_up_to_the_figures_its_ledger_gives(synthetic: Case) -> None:
    """On 2025-06-30 the synthetic case has 13 problems (9 of 11 rated completed, 2 long-term)
    and 28 items (23 of 26 completed, 3 overdue), as its ledger and log say."""
    result = rollup(synthetic, as_of=dt.date(2025, 6, 30))
    assert (result.problems.total, str(result.problems.completion)) == (13, "9/11 = 81.82 %")
    assert (result.items.total, str(result.items.completion)) == (28, "23/26 = 88.46 %")
    assert (result.items.long_term, result.items.overdue, len(result.overdue)) == (2, 3, 3)
    assert result.items.levels == {"due-soon": 0, "overdue": 3}


def test_counts_by_state_agree_with_status(synthetic: Case) -> None:
    """The problems' and items' counts by state, unknown ones, overdue, rejections, extensions and
    accountability are status's, day by day over the case's history."""
    for day in (
        dt.date(2024, 4, 1),
        dt.date(2024, 6, 30),
        dt.date(2025, 1, 1),
        dt.date(2025, 6, 30),
    ):
        result = rollup(synthetic, as_of=day)
        st_ = rectflow.status(synthetic, day)
        assert dict(result.problems.by_state) == dict(st_.problems)
        assert result.problems.unknown == st_.problems_unknown
        assert result.items.overdue == len(st_.late)
        assert [r.item for r in result.overdue] == list(st_.late)
        assert result.problems.rejections == st_.rejections
        assert result.problems.extensions == st_.extensions
        assert dict(result.accountability) == dict(st_.accountability)


def test_unknown_states_are_counted_apart_and_never_unfinished() -> None:
    """A seed-based case whose notice states no item's state has every problem unknown: none
    is unfinished and the completion rate is 0/0, not 0 %."""
    case = rectflow.load_case(EXAMPLES / "cases" / "seed-000-tianjin-fourth-central-hospital.toml")
    result = rollup(case, as_of=dt.date(2024, 6, 1))
    assert (result.problems.unknown, result.problems.unfinished) == (result.problems.total, 0)
    assert result.problems.completion == Rate(0, 0)


def test_groups_partition_the_totals(synthetic: Case) -> None:
    """Under every grouping the groups' items add up to the totals, and so do the problems where
    they are split (not under department or leader)."""
    for by in GROUPINGS:
        result = rollup(synthetic, as_of=dt.date(2025, 6, 30), by=by)
        assert sum(g.items.total for g in result.groups) == result.items.total
        assert sum(g.items.overdue for g in result.groups) == result.items.overdue
        if by in ("department", "leader"):
            assert all(g.problems is None for g in result.groups)
        else:
            assert sum(g.problems.total for g in result.groups if g.problems) == 13


def test_the_unnamed_group_comes_last(synthetic: Case) -> None:
    """Items with no department recorded form the group ``None``, after the named ones."""
    keys = [g.key for g in rollup(synthetic, as_of=dt.date(2025, 6, 30), by="department").groups]
    assert keys[-1] is None
    assert None not in keys[:-1]


def test_a_bad_grouping_or_day_is_refused(synthetic: Case) -> None:
    """``by`` must be a known grouping and ``as_of`` a day (the clock is never read)."""
    with pytest.raises(ValueError, match="by must be one of body, department"):
        rollup(synthetic, as_of=dt.date(2025, 6, 30), by="person")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"as_of must be a datetime\.date"):
        rollup(synthetic, as_of=dt.datetime(2025, 6, 30))
    with pytest.raises(TypeError, match="rollup counts Case objects"):
        rollup(["a case"], as_of=dt.date(2025, 6, 30))  # type: ignore[list-item]


def test_the_json_form_names_its_format_and_lists_every_state(synthetic: Case) -> None:
    """``to_dict`` starts with ``rectflow.stats`` v1 and lists every state, zeros included."""
    data = rollup(synthetic, as_of=dt.date(2025, 6, 30), by="body").to_dict()
    assert (data["format"], data["version"], data["by"]) == ("rectflow.stats", 1, "body")
    assert list(data["items"]["by_state"]) == [s.value for s in ItemState]
    assert data["groups"][0]["accountability"] is not None


# -- properties ---------------------------------------------------------------------------------


def _days(case: Case) -> list[dt.date]:
    days = sorted({e.on for e in case.events})
    if not days:
        return [dt.date(2024, 1, 1)]
    return [days[0] - DAY, *days, days[-1] + 400 * DAY, *(d + DAY for d in days[:3])]


@given(rs.supervised_cases(max_problems=3), st.data())
def test_a_rollup_as_of_a_day_equals_the_rollup_of_the_case_as_it_stood(
    case: Case, data: st.DataObject
) -> None:
    """rollup(case, D) == rollup(case_as_of(case, D), D): a roll-up judges the case as it stood
    (DESIGN invariant 3), and its counts agree with status and overdue as of D."""
    day = data.draw(st.sampled_from(_days(case)), label="day")
    by = data.draw(st.sampled_from([None, *GROUPINGS]), label="by")
    result = rollup(case, as_of=day, by=by)
    assert result == rollup(rectflow.case_as_of(case, day), as_of=day, by=by)
    status = rectflow.status(case, day)
    assert dict(result.problems.by_state) == dict(status.problems)
    measures_counted = Counter(
        m.state for m in rectflow.case_as_of(case, day).measures() if m.state_known
    )
    assert {s: n for s, n in measures_counted.items() if n} == dict(status.measures)
    assert result.items.overdue == len(rectflow.overdue(case, day))
    assert (result.problems.rejections, result.problems.extensions) == (
        status.rejections,
        status.extensions,
    )


@given(rs.cases(allow_imported=True, max_problems=4), st.data())
def test_levels_agree_with_the_agenda(case: Case, data: st.DataObject) -> None:
    """The items counted on each ladder level are the agenda's notices on that level."""
    steps = data.draw(rs.event_sequences(case, max_size=8), label="steps")
    built = copy.deepcopy(case)
    for step in steps:
        step.apply(built)
    day = data.draw(st.sampled_from(_days(built)), label="day")
    notices = rectflow.agenda([built], as_of=day, policy=POLICY).notices
    levels = rollup(built, as_of=day).items.levels
    assert levels is not None
    assert {k: v for k, v in levels.items() if v} == dict(Counter(n.level for n in notices))


@given(rs.supervised_cases(max_problems=3))
def test_completion_and_on_time_rates_stay_inside_their_denominators(case: Case) -> None:
    """Every rate's numerator lies between 0 and its denominator, and the on-time rate's
    denominator never exceeds the items with a deadline."""
    day = max((e.on for e in case.events), default=dt.date(2024, 1, 1))
    result = rollup(case, as_of=day)
    for rate in (result.problems.completion, result.items.completion, result.items.on_time):
        assert rate is not None
        assert 0 <= rate.numerator <= rate.denominator
    dated = sum(1 for item in _units(case) if item.due_on is not None)
    assert result.items.on_time is not None
    assert result.items.on_time.denominator + result.items.on_time_unknown <= dated


def _units(case: Case) -> list[rectflow.Problem | rectflow.Measure]:
    units: list[rectflow.Problem | rectflow.Measure] = []
    for problem in case.problems():
        units.extend(problem.measures or [problem])
    return units


def test_a_bodys_own_stated_counts_are_kept_apart_in_its_group() -> None:
    """Seed 002's notice states 263 measures (234 completed); its ledger states no item's state:
    the body's group keeps the stated counts as stated, and its tallies count only the ledger."""
    round_ = rectflow.load_round(EXAMPLES / "rounds" / "demo-round.toml")
    result = rollup(round_, as_of=dt.date(2025, 6, 30), by="body")
    group = next(g for g in result.groups if g.key == "中共天津市卫生健康委员会委员会")
    measures = next(c for c in group.stated if c.subject == "measures")
    assert (measures.total, measures.by_state[ItemState.COMPLETED]) == (263, 234)
    assert group.problems is not None
    assert group.problems.completed == 0
    assert group.to_dict()["stated"][-1] == {
        "subject": "measures",
        "total": 263,
        "by_state": {"completed": 234, "in_progress": 29},
    }
    assert all(g.stated == () for g in rollup(round_, as_of=dt.date(2025, 6, 30), by="kind").groups)


def test_a_round_whose_cases_are_not_loaded_is_refused() -> None:
    """A round loaded with cases=False lists files but holds no case: counting it would say
    zero where the files say more, so rollup and round_summary refuse it."""
    round_ = rectflow.load_round(EXAMPLES / "rounds" / "demo-round.toml", cases=False)
    with pytest.raises(ValueError, match="holds no cases"):
        rollup(round_, as_of=dt.date(2025, 6, 30))
    with pytest.raises(ValueError, match="holds no cases"):
        rectflow.round_summary(round_, as_of=dt.date(2025, 6, 30))
