"""The escalation ladder: levels in policy files, strictly read, round-tripping, and the level a
deadline violation carries."""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rectflow
from rectflow import Policy, Source
from rectflow._casefile.files import load_case
from rectflow._rules.ladder import ROLES, EscalationLevel, Ladder, LadderError
from rectflow._rules.policy_file import dumps_policy, init_policy_text, load_policy, loads_policy
from rectflow.checks.deadline import escalation_level
from rectflow.errors import PolicyError

ROOT = Path(__file__).resolve().parents[2]
JIANGJIN = ROOT / "examples" / "policies" / "jiangjin-three-colour.toml"
LINYING = ROOT / "examples" / "policies" / "linying-notices.toml"
HONGQIAO = ROOT / "examples" / "cases" / "synthetic-hongqiao-first-people-hospital.toml"

THREE = """\
schema = 1
name = "three"

[escalation]
office = "区委巡察办"

[[escalation.levels]]
name = "green"
label = "绿色预警"
starts = -20
recipients = ["person"]

[[escalation.levels]]
name = "yellow"
label = "黄色预警"
starts = -10
recipients = ["person", "leader"]

[[escalation.levels]]
name = "red"
label = "红色预警"
starts = 1
recipients = ["department", "unit_head"]
"""


def _error(text: str) -> PolicyError:
    with pytest.raises(PolicyError) as raised:
        loads_policy(text, source="three.toml", rules={})
    return raised.value


def test_the_jiangjin_example_is_the_three_colour_practice_it_cites() -> None:
    """RULES.md #43: green 20 days before to the person, yellow 10 before adding the leader,
    red once overdue to the unit and its head; cited as practice."""
    policy = load_policy(JIANGJIN, rules={})
    expected = (
        EscalationLevel("green", "绿色预警", -20, ("person",)),
        EscalationLevel("yellow", "黄色预警", -10, ("person", "leader")),
        EscalationLevel("red", "红色预警", 1, ("department", "unit_head")),
    )
    assert policy.escalation is not None
    assert policy.escalation.levels == expected
    assert policy.escalation.source is Source.PRACTICE
    assert "RULES.md #43" in (policy.escalation.basis or "")


def test_the_linying_example_escalates_reminder_warning_accountability() -> None:
    """RULES.md #30: 提醒书 before the deadline, 告诫书 once late, then 问责书."""
    policy = load_policy(LINYING, rules={})
    assert policy.escalation is not None
    labels = [level.label for level in policy.escalation.levels]
    assert labels == ["整改情况提醒书", "整改情况告诫书", "问责书"]
    assert "RULES.md #30" in (policy.escalation.basis or "")


@pytest.mark.parametrize(
    ("days", "level"),
    [
        (-21, None),
        (-20, "green"),
        (-11, "green"),
        (-10, "yellow"),
        (0, "yellow"),
        (1, "red"),
        (400, "red"),
    ],
)
def test_an_item_stands_on_the_last_level_whose_start_it_reached(
    days: int, level: str | None
) -> None:
    """level_at at each boundary day: the due day itself is still yellow, the next is red."""
    ladder = loads_policy(THREE, rules={}).escalation
    assert ladder is not None
    found = ladder.level_at(days)
    assert (found.name if found is not None else None) == level


@pytest.mark.parametrize("path", [JIANGJIN, LINYING])
def test_the_example_policies_round_trip(path: Path) -> None:
    """loads_policy(dumps_policy(p)) == p for the shipped examples."""
    policy = load_policy(path, rules={})
    assert loads_policy(dumps_policy(policy), rules={}) == policy


_names = st.text(alphabet="abcdefgh-", min_size=1, max_size=8).filter(lambda s: s.strip())
_labels = st.text(alphabet="提醒告诫问责书 红黄绿色预警\"'\\", min_size=1, max_size=10)


@st.composite
def ladders(draw: st.DrawFn) -> Ladder:
    """Valid ladders: unique names, increasing starts, known roles, optional fields."""
    names = draw(st.lists(_names, min_size=1, max_size=5, unique=True))
    starts = sorted(
        draw(
            st.lists(st.integers(-400, 400), min_size=len(names), max_size=len(names), unique=True)
        )
    )
    levels = tuple(
        EscalationLevel(
            name,
            draw(_labels),
            start,
            tuple(draw(st.lists(st.sampled_from(ROLES), min_size=1, max_size=5, unique=True))),
        )
        for name, start in zip(names, starts, strict=True)
    )
    optional = st.none() | _labels
    return Ladder(
        levels,
        unit_head=draw(optional),
        office=draw(optional),
        basis=draw(optional),
        source=draw(st.none() | st.sampled_from(Source)),
    )


@given(ladders())
def test_any_ladder_round_trips_through_toml(ladder: Ladder) -> None:
    """Whatever ladder a policy holds, writing and reading it gives it back."""
    policy = Policy("drawn", escalation=ladder)
    assert loads_policy(dumps_policy(policy), rules={}) == policy


@pytest.mark.parametrize(
    ("edit", "key_path", "line", "reason"),
    [
        (
            ("starts = -10", "starts = -25"),
            "escalation.levels[1].starts",
            16,
            "does not come after",
        ),
        (('name = "yellow"', 'name = "green"'), "escalation.levels[1].name", 14, "used twice"),
        (('["person", "leader"]', '["person", "boss"]'), "escalation.levels[1].recipients", 17, ""),
        (("starts = 1", 'starts = "1"'), "escalation.levels[2].starts", 22, "not an integer"),
        (
            ('label = "红色预警"', 'lable = "红色预警"'),
            "escalation.levels[2].lable",
            21,
            "unknown key",
        ),
        (('office = "区委巡察办"', 'ofice = "区委巡察办"'), "escalation.ofice", 5, "unknown key"),
        (('recipients = ["person"]', "recipients = []"), "escalation.levels[0].recipients", 11, ""),
    ],
)
def test_a_broken_ladder_is_refused_with_its_key_path_and_line(
    edit: tuple[str, str], key_path: str, line: int, reason: str
) -> None:
    """Offsets must increase, names be unique, roles known, keys known: each error names the
    file, the key path inside [escalation] and the line."""
    old, new = edit
    assert old in THREE
    error = _error(THREE.replace(old, new, 1))
    assert (error.source, error.key_path, error.line) == ("three.toml", key_path, line)
    assert reason in error.reason


def test_an_unknown_role_lists_the_known_ones() -> None:
    """The fix of an unknown recipient names every role."""
    error = _error(THREE.replace('["person", "leader"]', '["person", "boss"]'))
    assert "'boss'" in error.reason
    assert error.fix == "use some of: person, leader, department, unit_head, office"


def test_a_ladder_without_levels_is_refused() -> None:
    """[escalation] alone says nothing: the error shows what a level looks like."""
    error = _error('schema = 1\nname = "x"\n\n[escalation]\noffice = "巡察办"\n')
    assert error.key_path == "escalation.levels"
    assert "[[escalation.levels]]" in error.fix


def test_a_ladder_built_in_code_is_validated_too() -> None:
    """Ladder() refuses what the file reader refuses, with the key path in LadderError."""
    green = EscalationLevel("green", "绿", -20, ("person",))
    with pytest.raises(LadderError) as raised:
        Ladder((green, EscalationLevel("late", "红", -20, ("office",))))
    assert raised.value.key == "levels[1].starts"
    with pytest.raises(LadderError):
        Ladder(())


def test_deadline_violations_carry_their_level_in_message_and_from_the_violation() -> None:
    """Under the 江津区 ladder, as of 2025-06-08 measure 3.3.3 (due 05-31) is red and 2.1.5
    (due 06-15, 7 days left) is yellow: the messages say so, escalation_level() finds it."""
    case = load_case(HONGQIAO)
    policy = load_policy(JIANGJIN)
    report = rectflow.check(case, policy=policy, as_of=dt.date(2025, 6, 8))
    found = {
        v.where.rsplit("[", 1)[-1].rstrip("]"): v
        for v in report.violations
        if v.code in ("deadline.overdue", "deadline.due-soon")
        and v.level is not rectflow.Level.INFO
    }
    red, yellow = found["3.3.3"], found["2.1.5"]
    assert red.message.endswith("[escalation level red (红色预警): tell department, unit_head]")
    assert red.message_zh.endswith("【红色预警】")
    assert yellow.message.endswith("[escalation level yellow (黄色预警): tell person, leader]")
    assert [escalation_level(v, policy) for v in (red, yellow)] == [
        policy.escalation.level("red") if policy.escalation else None,
        policy.escalation.level("yellow") if policy.escalation else None,
    ]


def test_without_a_ladder_deadline_violations_carry_no_level() -> None:
    """The xuncha preset has no [escalation]: messages are as before and no level is found."""
    case = load_case(HONGQIAO)
    policy = rectflow.policy("xuncha")
    report = rectflow.check(case, policy=policy, as_of=dt.date(2025, 6, 8))
    overdue = [v for v in report.violations if v.code == "deadline.overdue"]
    assert overdue
    assert all("escalation level" not in v.message for v in overdue)
    assert {escalation_level(v, policy) for v in overdue} == {None}


def test_policy_init_from_a_policy_with_a_ladder_keeps_the_ladder() -> None:
    """`rectflow policy init --from jiangjin-three-colour.toml` writes the ladder back."""
    plugins = rectflow.plugin_manager(load_entry_points=False)
    base = load_policy(JIANGJIN, plugins=plugins)
    text = init_policy_text(base, plugins.known_rules, name="mine")
    assert loads_policy(text, plugins=plugins).escalation == base.escalation


def test_a_ladder_error_survives_pickling_with_its_data() -> None:
    """LadderError is a RectflowError: it crosses process boundaries with key, reason and fix."""
    error = LadderError("levels[1].name", "the name 'x' is used twice", "give every level its own")
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own data, just pickled
    assert (copy.key, copy.reason, copy.fix, str(copy)) == (
        error.key,
        error.reason,
        error.fix,
        str(error),
    )
    assert isinstance(copy, rectflow.errors.RectflowError)
