"""What a policy's guard keeps from one fire to the next gives the answers asking afresh gives.

``Checker.guard`` leaves out the built-in guards that declared (``rules.guards_when``) they say
nothing under its policy, and tells ``fire`` the triggers no guard can speak of
(``Checker.silent_for``), so that ``fire`` builds no transition for them; ``history.after-plan``
keeps the plan's adoption day between calls. Each is held here to the uncached answer: every
guard of the trigger called in a fresh context, and ``case.plan_adopted_on`` read afresh.
"""

from __future__ import annotations

import copy
import datetime as dt

import attrs
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import rectflow
import rectflow.strategies as rs
from rectflow import (
    CASE_LIFECYCLE,
    ITEM_LIFECYCLE,
    Case,
    CaseState,
    Category,
    FuzzyDate,
    Measure,
    OptionSetting,
    Policy,
    Problem,
    ProblemKind,
    RuleSettings,
    Transition,
    fire,
)
from rectflow._rules.check import Checker
from rectflow._rules.plugins import speaking
from rectflow.checks import acceptance, deadline, evidence, history
from rectflow.errors import RectflowError, TransitionNotAllowed

PLUGINS = rectflow.plugin_manager(load_entry_points=False)
DAY = dt.date(2024, 3, 15)
ITEM_TRIGGERS = sorted({*ITEM_LIFECYCLE.triggers, "extend", "assign", "set_due"})
CASE_TRIGGERS = sorted(CASE_LIFECYCLE.triggers)


@st.composite
def policies(draw: st.DrawFn) -> Policy:
    """A preset with the guarding rules switched on or off and their options drawn."""
    preset = rectflow.policy(draw(st.sampled_from(["xuncha", "xunshi"])), PLUGINS)
    rules = dict(preset.rules)
    kinds = draw(st.lists(st.sampled_from([k.value for k in ProblemKind]), unique=True))
    rules[history.AFTER_PLAN.code] = RuleSettings(
        enabled=draw(st.booleans()), options={"kinds": OptionSetting(kinds)}
    )
    limits: dict[str, OptionSetting] = {}
    most = draw(st.none() | st.integers(0, 2))
    if most is not None:
        limits["max_extensions"] = OptionSetting(most)
    if draw(st.booleans()):
        limits["approver_roles"] = OptionSetting(["领导小组"])
    rules[deadline.EXTENSIONS.code] = RuleSettings(enabled=draw(st.booleans()), options=limits)
    for rule in (evidence.CLOSE, acceptance.REQUIRED, acceptance.INDEPENDENT):
        rules[rule.code] = RuleSettings(enabled=draw(st.booleans()))
    return Policy("drawn", rules=rules)


@st.composite
def fresh_cases(draw: st.DrawFn) -> Case:
    """A case just after the feedback (no plan adopted, nothing fired), its problems of drawn
    kinds: what ``history.after-plan`` judges."""
    problems = [
        Problem(
            f"1.{p}",
            kind=draw(st.sampled_from(list(ProblemKind))),
            measures=[Measure(f"1.{p}.{m}") for m in range(1, draw(st.integers(0, 2)) + 1)],
        )
        for p in range(1, draw(st.integers(1, 3)) + 1)
    ]
    return Case(
        "fresh", feedback_on=FuzzyDate.of(DAY), categories=[Category("1", problems=problems)]
    )


def uncached(checker: Checker, case: Case, transition: Transition) -> list[rectflow.Violation]:
    """Every guard of the trigger, called in a context of the transition's own."""
    return PLUGINS.guard_transition(case, transition, checker.context(transition.on))


@given(
    case=fresh_cases() | rs.supervised_cases(max_problems=2, max_measures=2, max_rejections=1),
    policy=policies(),
    data=st.data(),
)
@settings(max_examples=60, deadline=None)
def test_the_cached_guard_answers_as_every_guard_asked_afresh(
    case: Case, policy: Policy, data: st.DataObject
) -> None:
    """Over random cases, policies and transitions (the log growing between them, and a second
    case interleaved), the policy's guard returns what every guard asked afresh returns; a
    trigger it calls silent gets nothing from any guard; the adoption day kept between calls is
    the one the case reads."""
    checker = Checker(PLUGINS, policy)
    guard = rectflow.guards(PLUGINS, policy)[0]
    other = copy.deepcopy(case)
    items: list[Problem | Measure] = [*case.problems(), *case.measures()]
    first = case.feedback_on.earliest if case.feedback_on is not None else DAY
    last = max(first, case.events[-1].on) if len(case.events) else first
    spoke = 0
    for _ in range(data.draw(st.integers(1, 12), label="steps")):
        target = data.draw(st.sampled_from([case, other]), label="case")
        picked = data.draw(st.none() | st.sampled_from(items or [None]), label="item")
        item = None if picked is None else target.item(picked.id)
        trigger = data.draw(st.sampled_from(CASE_TRIGGERS if item is None else ITEM_TRIGGERS))
        on = data.draw(st.dates(first - dt.timedelta(days=3), last + dt.timedelta(days=30)))
        source = target.state if item is None else item.state
        pending = Transition(
            trigger, "case" if item is None else item.id, source, source, on, "某人", None, item
        )
        expected = uncached(checker, target, pending)
        spoke += bool(expected)
        assert list(checker.guard(target, pending)) == expected
        assert list(guard(target, pending)) == expected
        if guard.silent_for(trigger):  # type: ignore[attr-defined]
            assert expected == []
        assert history._adopted_day(target) == history._adopted(target)
        if data.draw(st.booleans(), label="fire"):
            try:
                fire(target, trigger, item=None if item is None else item.id, on=on, actor="某人")
            except RectflowError:
                pass
            else:
                last = max(last, on)
        assert history._adopted_day(target) == history._adopted(target)
    event(f"a guard spoke: {spoke > 0}")


def _ledger() -> Case:
    return Case(
        "guard-cache",
        feedback_on=FuzzyDate.of(DAY),
        categories=[Category("1", problems=[Problem("1.1", measures=[Measure("1.1.1")])])],
    )


def test_a_guard_registered_later_is_asked_for_a_trigger_once_silent() -> None:
    """Silence is kept only while the plugins stay the same: a third-party guard registered
    after the guards were made is called from its registration on."""
    asked: list[str] = []

    class Late:
        @rectflow.hookimpl
        def rectflow_guard_transition(self, transition: Transition) -> list[object]:
            asked.append(transition.trigger)
            return []

    plugins = rectflow.plugin_manager(load_entry_points=False)
    guards = rectflow.guards(plugins, "xuncha")
    case = _ledger()
    fire(case, "start", item="1.1.1", on=DAY, guards=guards)
    assert guards[0].silent_for("start")  # type: ignore[attr-defined]
    plugins.register(Late(), name="late")
    assert not guards[0].silent_for("mark_basically_completed")  # type: ignore[attr-defined]
    fire(case, "mark_basically_completed", item="1.1.1", on=DAY, guards=guards)
    assert asked == ["mark_basically_completed"]


def test_a_silent_guard_is_not_called_and_a_speaking_one_is() -> None:
    """Under xuncha (no kinds), history.after-plan is never asked; naming a kind asks it."""
    calls: list[str] = []
    real = history.rectflow_guard_transition

    def spy(case: Case, transition: Transition, context: object) -> object:
        calls.append(transition.trigger)
        return real(case, transition, context)  # type: ignore[arg-type]

    plugins = rectflow.plugin_manager(load_entry_points=False)
    impl = next(
        i
        for i in plugins.manager.hook.rectflow_guard_transition.get_hookimpls()
        if i.plugin_name == "rectflow.checks.history"
    )
    spy.rectflow_guard_speaks = history._guard_speaks  # type: ignore[attr-defined]
    impl.function = spy
    case = _ledger()
    fire(case, "start", item="1.1.1", on=DAY, guards=rectflow.guards(plugins, "xuncha"))
    assert calls == []
    preset = rectflow.policy("xuncha", plugins)
    rules = dict(preset.rules)
    rules[history.AFTER_PLAN.code] = RuleSettings(options={"kinds": OptionSetting(["specific"])})
    named = rectflow.guards(plugins, Policy("named", rules=rules))
    with pytest.raises(TransitionNotAllowed, match=r"history\.after-plan"):
        fire(case, "complete", item="1.1.1", on=DAY, guards=named)
    assert calls == ["complete"]


def test_a_declaration_that_raises_keeps_the_guard() -> None:
    """A built-in guard whose declaration fails is still called: its own call says what is
    wrong, where it did before."""

    def broken(_context: object) -> bool:
        raise ValueError("no")

    def guard(case: Case) -> list[object]:
        return []

    guard.rectflow_guard_speaks = broken  # type: ignore[attr-defined]
    calls = [(guard, "rectflow.checks.history", None), (guard, "third-party", None)]
    checker = Checker(PLUGINS, rectflow.policy("xuncha", PLUGINS))
    assert speaking(calls, checker.context(DAY)) == calls
    guard.rectflow_guard_speaks = lambda _context: False  # type: ignore[attr-defined]
    assert speaking(calls, checker.context(DAY)) == [calls[1]]


def test_the_adoption_kept_is_dropped_when_the_rows_searched_were_undone() -> None:
    """A row a guard appended is removed again by ``fire``; a row appended after it in its
    place is searched anew (the last row searched is not the same)."""
    case = _ledger()
    fire(case, "start", item="1.1.1", on=DAY)
    rows = case.events._raw()
    assert history._first_adoption(rows) is None
    rows.append((2, "adopt_plan", "case", DAY, None, None, None, ()))
    assert history._first_adoption(rows) == DAY
    del rows[1:]  # what fire does to a row a guard appended
    fire(case, "mark_basically_completed", item="1.1.1", on=DAY)
    assert history._first_adoption(rows) is None
    assert history._adopted_day(case) is None


def _doers_afresh(rows: list[object]) -> dict[str, dict[str, str]]:
    """Who completed or submitted each item, searched from the first row (what the accept
    guard searched on every call before it kept its answer)."""
    found: dict[str, dict[str, str]] = {}
    for row in rows:
        assert isinstance(row, tuple)
        if row[1] in ("complete", "submit") and row[4] is not None:
            found.setdefault(row[2], {}).setdefault(row[4], row[1])
    return found


@settings(max_examples=40, deadline=None)
@given(cases=st.lists(rs.supervised_cases(), min_size=1, max_size=2), data=st.data())
def test_the_accept_guard_keeps_who_did_the_work_as_a_search_afresh_finds(
    cases: list[Case], data: st.DataObject
) -> None:
    """``acceptance._doers`` on logs growing row by row, two logs interleaved, and rows undone
    and replaced, answers exactly what a search from the first row answers."""
    sources = [case.events._raw() for case in cases]
    growing: list[list[object]] = [[] for _ in sources]
    for _ in range(sum(len(rows) for rows in sources) + 3):
        which = data.draw(st.integers(0, len(sources) - 1), label="log")
        rows, log = sources[which], growing[which]
        if log and data.draw(st.integers(0, 5), label="undo") == 0:
            log.pop()  # a refused change's row taken back
            if data.draw(st.booleans(), label="replace"):
                log.append((0, "submit", "x", None, f"other-{len(log)}", None, None, ()))
        elif len(log) < len(rows):
            log.append(rows[len(log)])
        elif log:  # another row in the last place: a completion by someone new
            last = log[-1]
            assert isinstance(last, tuple)
            log[-1] = (last[0], "complete", last[2], last[3], f"new-{len(log)}", *last[5:])
        assert acceptance._doers(log) == _doers_afresh(log)  # type: ignore[arg-type]


def test_the_after_plan_guard_does_not_search_the_log_again_when_no_adoption_is_known(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A case past the feedback whose log holds no ``adopt_plan``: the guard lets every item
    trigger through (as ``_waits`` decides) without reading ``plan_adopted_on``, which searched
    the whole log on every fire."""
    case = attrs.evolve(_ledger(), state=CaseState.CENTRALISED)
    rules = dict(rectflow.policy("xuncha", PLUGINS).rules)
    rules[history.AFTER_PLAN.code] = RuleSettings(options={"kinds": OptionSetting(["specific"])})
    guards = rectflow.guards(PLUGINS, Policy("named", rules=rules))
    searched: list[str] = []
    first_fired_on = Case.first_fired_on

    def spy(self: Case, trigger: str, target: str = "case") -> dt.date | None:
        searched.append(trigger)
        return first_fired_on(self, trigger, target)

    monkeypatch.setattr(Case, "first_fired_on", spy)
    assert not history._waits(case)
    searched.clear()
    for trigger in ("start", "mark_basically_completed", "complete"):
        fire(case, trigger, item="1.1.1", on=DAY, guards=guards)
    assert len(case.events) == 3
    assert "adopt_plan" not in searched
