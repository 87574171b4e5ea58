"""The agenda: what is due or overdue on a day, at which level, for whom, as the case stood then."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

import rectflow
from rectflow._casefile.files import load_case
from rectflow._rules.agenda import Agenda, EscalationNotice, Recipient, agenda, departments
from rectflow._rules.ladder import DEFAULT_LADDER, EscalationLevel, Ladder
from rectflow._rules.plugins import plugin_manager
from rectflow._rules.policy_file import load_policy

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "examples" / "cases"
HONGQIAO = CASES / "synthetic-hongqiao-first-people-hospital.toml"
SEED = CASES / "seed-000-tianjin-fourth-central-hospital.toml"
JIANGJIN = ROOT / "examples" / "policies" / "jiangjin-three-colour.toml"
LINYING = ROOT / "examples" / "policies" / "linying-notices.toml"
# The example's log ends on 2025-06-30: what a test records before that is a late recording.
ENTERED = dt.date(2025, 7, 1)


def _jiangjin() -> rectflow.Policy:
    return load_policy(JIANGJIN, rules={})


def _levels(result: Agenda) -> dict[str, str]:
    return {notice.item: notice.level for notice in result.notices}


def _on(
    day: str,
    policy: rectflow.Policy | None = None,
    *,
    within: int | None = None,
    plugins: rectflow.Plugins | None = None,
    notify: bool = False,
) -> Agenda:
    """The agenda of the synthetic example on ``day`` (the 江津区 ladder unless told)."""
    return agenda(
        [load_case(HONGQIAO)],
        as_of=dt.date.fromisoformat(day),
        policy=policy if policy is not None else _jiangjin(),
        within=within,
        plugins=plugins,
        notify=notify,
    )


@pytest.mark.parametrize(
    ("day", "level"),
    [
        ("2025-05-25", None),  # 21 days before: not on the ladder yet
        ("2025-05-26", "green"),  # 20 days before
        ("2025-06-04", "green"),  # 11 days before
        ("2025-06-05", "yellow"),  # 10 days before
        ("2025-06-15", "yellow"),  # the due day itself is still on time
        ("2025-06-16", "red"),  # the first day late
    ],
)
def test_a_measure_climbs_the_ladder_on_its_exact_boundary_days(
    day: str, level: str | None
) -> None:
    """Measure 2.1.5 (due 2025-06-15, in progress) under the 江津区 ladder, day by day."""
    assert _levels(_on(day)).get("2.1.5") == level


def test_an_extension_moves_an_item_down_the_ladder_from_the_day_it_is_approved() -> None:
    """Extended on 06-12 to 06-30: red on 06-16 becomes green (14 days left), with the original
    deadline; as of 06-11 it stood yellow against 06-15, not yet extended."""
    case = load_case(HONGQIAO)
    rectflow.extend(
        case,
        "2.1.5",
        dt.date(2025, 6, 30),
        approver="孙立(纪委书记)",
        reason="需调取近三年全部采购凭证",
        on=dt.date(2025, 6, 12),
        recorded_on=ENTERED,
    )
    policy = _jiangjin()
    after = agenda([case], as_of=dt.date(2025, 6, 16), policy=policy)
    before = agenda([case], as_of=dt.date(2025, 6, 11), policy=policy)
    [late] = [n for n in after.notices if n.item == "2.1.5"]
    [then] = [n for n in before.notices if n.item == "2.1.5"]
    assert (late.level, late.due_on, late.original_due_on, late.days) == (
        "green",
        dt.date(2025, 6, 30),
        dt.date(2025, 6, 15),
        -14,
    )
    assert (then.level, then.due_on, then.original_due_on, then.days) == (
        "yellow",
        dt.date(2025, 6, 15),
        None,
        -4,
    )


def test_an_item_is_judged_as_it_stood_on_the_day() -> None:
    """2.1.2 (reopened, completed 2025-06-10) is red on 06-08 and off the agenda on 06-10."""
    assert _levels(_on("2025-06-08")).get("2.1.2") == "red"
    assert "2.1.2" not in _levels(_on("2025-06-10"))


def test_submitted_and_completed_items_are_done() -> None:
    """3.3.3 is red on 06-01; completed on 06-02 and submitted on 06-03, it is off the agenda."""
    case = load_case(HONGQIAO)
    policy = _jiangjin()
    assert _levels(agenda([case], as_of=dt.date(2025, 6, 1), policy=policy))["3.3.3"] == "red"
    rectflow.fire(case, "complete", item="3.3.3", on=dt.date(2025, 6, 2), recorded_on=ENTERED)
    assert "3.3.3" not in _levels(agenda([case], as_of=dt.date(2025, 6, 2), policy=policy))
    rectflow.fire(case, "submit", item="3.3.3", on=dt.date(2025, 6, 3), recorded_on=ENTERED)
    assert "3.3.3" not in _levels(agenda([case], as_of=dt.date(2025, 6, 5), policy=policy))


def test_an_item_whose_state_nobody_stated_is_never_due() -> None:
    """A problem of an imported notice (state_known false) given a deadline stays off."""
    case = load_case(SEED)
    rectflow.set_due(case, "1.1", dt.date(2025, 5, 1), on=dt.date(2025, 3, 1))
    assert agenda([case], as_of=dt.date(2025, 6, 1), policy=_jiangjin()).notices == ()


def test_long_term_measures_are_not_on_the_agenda() -> None:
    """1.2.2 and 4.3.2 are long-term (due 2025-12-31): no notice even 20 days before."""
    assert not {"1.2.2", "4.3.2"} & set(_levels(_on("2025-12-15")))


def test_recipients_are_resolved_from_the_item_the_ladder_and_the_leading_group() -> None:
    """Red for 3.3.3 tells 组织人事部 and the leading group's head; yellow for 2.1.5 tells its
    person and leader, in the level's order."""
    notices = {n.item: n for n in _on("2025-06-08").notices}
    assert notices["3.3.3"].recipients == (
        Recipient("department", "组织人事部"),
        Recipient("unit_head", "周文清(党委书记)"),
    )
    assert notices["2.1.5"].recipients == (
        Recipient("person", "黄悦"),
        Recipient("leader", "孙立(纪委书记)"),
    )


def test_departments_named_together_are_each_told() -> None:
    """2.1.2 belongs to 招标采购办公室、纪委办公室: each unit is a recipient of its own and is
    grouped apart (one address each for a delivery plugin), not one recipient of that name."""
    result = _on("2025-06-08")
    notices = {n.item: n for n in result.notices}
    assert notices["2.1.2"].recipients == (
        Recipient("department", "招标采购办公室"),
        Recipient("department", "纪委办公室"),
        Recipient("unit_head", "周文清(党委书记)"),
    )
    groups = {group.recipient: [n.item for n in group.notices] for group in result.groups}
    assert groups[Recipient("department", "纪委办公室")] == ["2.1.2"]
    assert Recipient("department", "招标采购办公室、纪委办公室") not in groups


@pytest.mark.parametrize(
    ("cell", "units"),
    [
        ("组织人事部", ("组织人事部",)),
        ("招标采购办公室、纪委办公室", ("招标采购办公室", "纪委办公室")),
        ("财务科, 审计科；财务科", ("财务科", "审计科")),
        ("医务部;护理部，", ("医务部", "护理部")),
        ("、", ("、",)),
    ],
)
def test_a_department_cell_names_its_units_once_each_in_order(
    cell: str, units: tuple[str, ...]
) -> None:
    assert departments(cell) == units


def test_a_role_nobody_holds_is_listed_without_a_name() -> None:
    """Reassigned without a person, 2.1.5's person is None; a ladder without an office names
    no office; a ladder's unit_head wins over the leading group's head."""
    case = load_case(HONGQIAO)
    rectflow.assign(
        case,
        "2.1.5",
        rectflow.Responsibility(department="纪委办公室"),
        on=dt.date(2025, 6, 1),
        recorded_on=ENTERED,
    )
    ladder = Ladder(
        (EscalationLevel("due", "提醒", -30, ("person", "department", "office", "unit_head")),),
        unit_head="院党委书记",
    )
    result = agenda(
        [case], as_of=dt.date(2025, 6, 8), policy=rectflow.Policy("x", escalation=ladder)
    )
    [notice] = [n for n in result.notices if n.item == "2.1.5"]
    assert notice.recipients == (
        Recipient("person", None),
        Recipient("department", "纪委办公室"),
        Recipient("office", None),
        Recipient("unit_head", "院党委书记"),
    )


def test_notices_are_sorted_by_urgency_and_grouped_by_recipient() -> None:
    """Latest first; groups in role order then name, each group most urgent first."""
    result = _on("2025-06-08")
    assert [(n.item, n.days) for n in result.notices] == [
        ("2.1.2", 394),
        ("3.3.2", 343),
        ("3.3.3", 8),
        ("2.1.5", -7),
    ]
    groups = [
        (g.recipient.role, g.recipient.name, [n.item for n in g.notices]) for g in result.groups
    ]
    assert groups == [
        ("person", "黄悦", ["2.1.5"]),
        ("leader", "孙立(纪委书记)", ["2.1.5"]),
        ("department", "招标采购办公室", ["2.1.2"]),
        ("department", "纪委办公室", ["2.1.2"]),
        ("department", "组织人事部", ["3.3.2", "3.3.3"]),
        ("unit_head", "周文清(党委书记)", ["2.1.2", "3.3.2", "3.3.3"]),
    ]


def test_within_keeps_only_items_due_that_soon_and_late_ones() -> None:
    """As of 2025-05-28 (2.1.5 due in 18 days, green): within 14 days leaves it out."""
    assert "2.1.5" in _levels(_on("2025-05-28"))
    assert set(_levels(_on("2025-05-28", within=14))) == {"2.1.2", "3.3.2", "3.3.3"}
    assert "2.1.5" in _levels(_on("2025-05-28", within=18))


def test_without_a_ladder_the_default_one_is_used() -> None:
    """The xuncha preset has no [escalation]: due-soon 14 days before, overdue once late."""
    result = _on("2025-06-01", rectflow.Policy("plain"))
    assert result.ladder == DEFAULT_LADDER
    assert _levels(result) == {
        "2.1.2": "overdue",
        "3.3.2": "overdue",
        "3.3.3": "overdue",
        "2.1.5": "due-soon",
    }


def test_the_linying_ladder_reaches_accountability_after_a_month() -> None:
    """3.3.3 (due 05-31): 告诫书 on 06-01, 问责书 from 07-01 (31 days late) to the office too."""
    policy = load_policy(LINYING, rules={})
    assert _levels(_on("2025-06-01", policy))["3.3.3"] == "warning"
    [notice] = [n for n in _on("2025-07-01", policy).notices if n.item == "3.3.3"]
    assert (notice.label, notice.recipients[-1]) == ("问责书", Recipient("office", "县委巡察办"))


def test_several_cases_in_one_agenda() -> None:
    """Every bundled example at once: the seeds state no deadlines, so the synthetic case's
    notices are the agenda."""
    cases = [load_case(path) for path in sorted(CASES.glob("*.toml"))]
    day = dt.date(2025, 6, 8)
    together = agenda(cases, as_of=day, policy=_jiangjin())
    alone = agenda([load_case(HONGQIAO)], as_of=day, policy=_jiangjin())
    assert together.notices == alone.notices


def test_the_json_form_is_the_documented_example() -> None:
    """docs/agenda.md's JSON example is what to_dict() gives for the command it names."""
    text = (ROOT / "docs" / "agenda.md").read_text(encoding="utf-8")
    match = re.search(r"```json\n(.*?)\n```", text, re.DOTALL)
    assert match is not None
    assert json.loads(match[1]) == _on("2025-06-08", within=14).to_dict()


class Deliverer:
    """Keeps what it is handed."""

    def __init__(self) -> None:
        self.calls: list[tuple[tuple[EscalationNotice, ...], dt.date]] = []

    @rectflow.hookimpl
    def rectflow_escalation_notices(
        self, notices: tuple[EscalationNotice, ...], as_of: dt.date
    ) -> None:
        self.calls.append((notices, as_of))


class Broken:
    """Fails to deliver."""

    @rectflow.hookimpl
    def rectflow_escalation_notices(self) -> None:
        raise ConnectionRefusedError("smtp.example.org:25")


def _plugins(*plugins: tuple[str, object]) -> rectflow.Plugins:
    manager = plugin_manager(builtins=lambda: (), load_entry_points=False)
    for name, plugin in plugins:
        manager.register(plugin, name=name)
    return manager


def test_notify_hands_the_notices_to_the_hook_once_and_never_without_it() -> None:
    """notify=True: one call with every notice and the day; notify=False: no call at all."""
    deliverer = Deliverer()
    plugins = _plugins(("deliver", deliverer))
    quiet = _on("2025-06-08", plugins=plugins)
    assert (deliverer.calls, quiet.notified) == ([], False)
    told = _on("2025-06-08", plugins=plugins, notify=True)
    assert deliverer.calls == [(told.notices, dt.date(2025, 6, 8))]
    assert (told.notified, told.problems) == (True, ())


def test_a_crashing_delivery_is_a_problem_of_the_agenda_not_an_exception() -> None:
    """The broken plugin's crash is in problems (and in the JSON); the other still delivers."""
    deliverer = Deliverer()
    plugins = _plugins(("broken", Broken()), ("deliver", deliverer))
    result = _on("2025-06-08", plugins=plugins, notify=True)
    assert [(p.code, p.plugin) for p in result.problems] == [("plugin.crashed", "broken")]
    assert result.to_dict()["problems"][0]["plugin"] == "broken"
    assert len(deliverer.calls) == 1


def test_the_day_must_be_a_date() -> None:
    """A datetime (or anything else) is refused: the agenda is for a day, never the clock's."""
    with pytest.raises(TypeError, match=r"datetime\.date"):
        agenda([], as_of=dt.datetime(2025, 6, 8, 9, 0), policy=_jiangjin())
    with pytest.raises(ValueError, match="within"):
        agenda([], as_of=dt.date(2025, 6, 8), policy=_jiangjin(), within=-1)
