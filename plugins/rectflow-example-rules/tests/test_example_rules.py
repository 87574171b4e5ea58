"""The hospital's procurement rule, driven the way a user runs it: through rectflow."""

from __future__ import annotations

import datetime as dt

import pytest
import rectflow_example_rules as hospital

import rectflow
from rectflow import ItemState, Measure, Responsibility
from rectflow.errors import TransitionNotAllowed

AS_OF = dt.date(2024, 6, 1)
CODE = "hospital.procurement-discipline"


def _case(*measures: Measure) -> rectflow.Case:
    problem = rectflow.Problem(id="2.1", title="采购管理", measures=list(measures))
    return rectflow.Case(id="h", categories=[rectflow.Category(id="2", problems=[problem])])


def _measure(mid: str, department: str | None, tags: tuple[str, ...] = ("procurement",)) -> Measure:
    return Measure(
        id=mid,
        tags=tags,
        responsibility=Responsibility(department=department) if department else None,
        state=ItemState.COMPLETED,
        initial_state=ItemState.COMPLETED,
        evidence=(rectflow.Evidence("minutes 12", rectflow.EvidenceKind.MINUTES),),
    )


@pytest.fixture(scope="module")
def plugins() -> rectflow.Plugins:
    """Only this plugin, registered as its entry point registers it."""
    manager = rectflow.plugin_manager(builtins=lambda: (), load_entry_points=False)
    manager.register(hospital, name="example-rules")
    return manager


def _found(plugins: rectflow.Plugins, case: rectflow.Case, policy: rectflow.Policy) -> list[str]:
    report = rectflow.check(case, policy=policy, as_of=AS_OF, plugins=plugins)
    return [v.where for v in report.violations if v.code == CODE]


def test_a_procurement_measure_without_the_discipline_committee_fails(
    plugins: rectflow.Plugins,
) -> None:
    """Only the tagged measure lacking 纪委 is reported, by place, citing the local rule."""
    case = _case(
        _measure("2.1.1", "院纪委、采购中心"),
        _measure("2.1.2", "采购中心"),
        _measure("2.1.3", None),
        _measure("2.1.4", "采购中心", tags=("training",)),
    )
    report = rectflow.check(case, policy=rectflow.Policy("p"), as_of=AS_OF, plugins=plugins)
    assert [v.where for v in report.violations] == [
        "problems[2.1].measures[2.1.2]",
        "problems[2.1].measures[2.1.3]",
    ]
    first = report.violations[0]
    assert (first.level, first.plugin) == (rectflow.Level.ERROR, "example-rules")
    assert hospital.RULE.basis == first.basis
    assert "纪委" in first.message_zh


def test_the_policy_sets_the_tag_the_departments_and_the_level(plugins: rectflow.Plugins) -> None:
    """Options come from the policy file like any built-in rule's."""
    policy = rectflow.loads_policy(
        """
schema = 1
name = "hospital"

[rules."hospital.procurement-discipline"]
level = "warning"

[rules."hospital.procurement-discipline".options]
tag = "tender"
departments = ["纪委", "纪检监察室"]
""",
        plugins=plugins,
    )
    case = _case(
        _measure("2.1.1", "纪检监察室", tags=("tender",)),
        _measure("2.1.2", "采购中心", tags=("tender",)),
        _measure("2.1.3", "采购中心"),
    )
    report = rectflow.check(case, policy=policy, as_of=AS_OF, plugins=plugins)
    assert [(v.where, v.level) for v in report.violations] == [
        ("problems[2.1].measures[2.1.2]", rectflow.Level.WARNING)
    ]


def test_a_policy_can_switch_the_rule_off(plugins: rectflow.Plugins) -> None:
    """enabled = false: nothing reported."""
    policy = rectflow.Policy("off", rules={CODE: rectflow.RuleSettings(enabled=False)})
    assert _found(plugins, _case(_measure("2.1.1", "采购中心")), policy) == []


def test_closing_a_procurement_measure_without_the_committee_is_blocked(
    plugins: rectflow.Plugins,
) -> None:
    """The guard refuses 销号; the measure stays completed and no event is logged."""
    measure = _measure("2.1.1", "采购中心")
    case = _case(measure)
    guards = rectflow.guards(plugins, rectflow.Policy("p"))
    with pytest.raises(TransitionNotAllowed) as raised:
        rectflow.fire(case, "close", item="2.1.1", on=AS_OF, guards=guards)
    assert [v.code for v in raised.value.violations] == [CODE]
    assert case.item("2.1.1").state == ItemState.COMPLETED
    assert len(case.events) == 0
    rectflow.assign(case, "2.1.1", Responsibility(department="院纪委"), on=AS_OF)
    rectflow.fire(case, "close", item="2.1.1", on=AS_OF, guards=guards)
    assert case.item("2.1.1").state == ItemState.CLOSED


def test_installed_it_loads_by_entry_point_and_can_be_disabled_by_name() -> None:
    """`pip install` is all it takes; `--disable example-rules` takes it out again."""
    assert CODE in rectflow.plugin_manager().rules
    assert CODE not in rectflow.plugin_manager(disable=["example-rules"]).rules


def test_accepting_a_submitted_procurement_measure_without_the_committee_is_blocked(
    plugins: rectflow.Plugins,
) -> None:
    """验收 closes an item as 销号 does: the guard refuses ``accept`` too."""
    case = _case(_measure("2.1.1", "采购中心"))
    guards = rectflow.guards(plugins, rectflow.Policy("p"))
    rectflow.fire(case, "submit", item="2.1.1", on=AS_OF)
    with pytest.raises(TransitionNotAllowed) as raised:
        rectflow.fire(case, "accept", item="2.1.1", on=AS_OF, actor="巡察办", guards=guards)
    assert [v.code for v in raised.value.violations] == [CODE]
    assert case.item("2.1.1").state == ItemState.SUBMITTED
