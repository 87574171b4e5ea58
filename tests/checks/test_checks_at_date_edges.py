"""Every built-in check at the edges of the date range: violations, never a crash.

Cases whose feedback falls in year 1 or in 9999, checked on 0001-01-01 or 9999-12-31, under the
xuncha preset with its periods replaced by extreme ones ("99999 months", "0 days"): no built-in
check may crash (``plugin.crashed``), and a deadline past the last day is stated as that day
with a caveat saying so.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import typing
from collections.abc import Mapping

import attrs
from hypothesis import given
from hypothesis import strategies as st

import rectflow
import rectflow.strategies as rs
from rectflow import Duration, Unit
from rectflow._rules.plugins import plugin_manager
from rectflow._rules.policy_file import load_named_policy
from rectflow._rules.rules import OptionSetting, RuleSettings

PLUGINS = plugin_manager(load_entry_points=False)
XUNCHA = load_named_policy("xuncha", PLUGINS)
EXTREME_AMOUNTS = (0, 1, 31, 366, 99999)


def _period_options() -> dict[str, list[str]]:
    """Every option of a built-in rule that holds a period, by rule code."""
    found: dict[str, list[str]] = {}
    for code, rule in PLUGINS.rules.items():
        for field in attrs.fields(attrs.resolve_types(rule.options)):
            if field.type is Duration or Duration in typing.get_args(field.type):
                found.setdefault(code, []).append(field.name)
    return found


PERIODS = _period_options()


def test_the_property_below_reaches_every_period_option_of_the_deadline_checks() -> None:
    """The extreme policies replace periods in the deadline, disclosure and evidence checks."""
    families = {code.split(".")[0] for code in PERIODS}
    assert {"deadline", "disclosure", "evidence"} <= families
    assert "deadline.report" in PERIODS


@st.composite
def extreme_policies(draw: st.DrawFn) -> rectflow.Policy:
    """xuncha with some of its periods replaced by 0, 1, 31, 366 or 99999 days, months or
    working days."""
    rules: dict[str, RuleSettings] = dict(XUNCHA.rules)
    periods = st.builds(Duration, st.sampled_from(EXTREME_AMOUNTS), st.sampled_from(list(Unit)))
    for code, names in PERIODS.items():
        settings = rules.get(code, RuleSettings())
        options: dict[str, OptionSetting] = dict(settings.options)
        for name in names:
            if draw(st.booleans()):
                options[name] = OptionSetting(str(draw(periods)))
        rules[code] = attrs.evolve(settings, options=options)
    return attrs.evolve(XUNCHA, rules=typing.cast("Mapping[str, RuleSettings]", rules))


EDGE_CASES = st.one_of(
    rs.cases(min_value=dt.date(1, 1, 1), max_value=dt.date(1, 3, 1), allow_imported=True),
    rs.cases(min_value=dt.date(9999, 6, 1), max_value=dt.date(9999, 12, 31), allow_imported=True),
)
EDGE_DAYS = st.sampled_from([dt.date.min, dt.date(1, 6, 1), dt.date(9999, 12, 30), dt.date.max])


@given(EDGE_CASES, extreme_policies(), EDGE_DAYS)
def test_no_builtin_check_crashes_at_the_edges_of_the_date_range(
    case: rectflow.Case, policy: rectflow.Policy, as_of: dt.date
) -> None:
    """rectflow.check gives a report with no plugin.crashed, and renders it."""
    report = rectflow.check(case, policy=policy, as_of=as_of, plugins=PLUGINS)
    crashed = [v.message for v in report.violations if v.code == "plugin.crashed"]
    assert crashed == []
    for violation in report.violations:
        if violation.due == dt.date.max:
            assert "9999-12-31" in violation.message


def test_a_plan_due_99999_months_after_feedback_is_never_missed_and_says_why() -> None:
    """The deadline lies past 9999-12-31: nothing is late by it, and the caveat is reported."""
    case = rectflow.Case(id="c", feedback_on=rectflow.FuzzyDate.parse("9999-12-01"))
    settings = attrs.evolve(
        XUNCHA.rules["deadline.plan"], options={"within": OptionSetting("99999 months")}
    )
    policy = attrs.evolve(XUNCHA, rules={**XUNCHA.rules, "deadline.plan": settings})
    report = rectflow.check(case, policy=policy, as_of=dt.date.max, plugins=PLUGINS)
    assert not [v for v in report.violations if v.code in {"deadline.plan", "plugin.crashed"}]
    assert any("the deadline falls after 9999-12-31" in c for c in report.caveats)


def test_a_case_on_the_last_day_with_an_overdue_window_past_it_is_judged() -> None:
    """Feedback 9999-12-31, checked that day: the plan is not yet late, nothing crashes."""
    case = rectflow.Case(id="c", feedback_on=rectflow.FuzzyDate.parse("9999-12-31"))
    report = rectflow.check(case, policy="xuncha", as_of=dt.date.max, plugins=PLUGINS)
    codes = {v.code for v in report.violations}
    assert "plugin.crashed" not in codes
    assert "deadline.plan" not in codes


def _legal_moves(case: rectflow.Case) -> list[tuple[str, str | None]]:
    """Every trigger the lifecycles allow now, on the case and on each item."""
    moves: list[tuple[str, str | None]] = [(t, None) for t in rectflow.allowed_triggers(case)]
    for problem in case.problems():
        for item in (problem, *problem.measures):
            moves += [(t, item.id) for t in rectflow.allowed_triggers(case, item.id)]
    return moves


@given(EDGE_CASES, extreme_policies(), st.data())
def test_no_builtin_guard_crashes_at_the_edges_of_the_date_range(
    case: rectflow.Case, policy: rectflow.Policy, data: st.DataObject
) -> None:
    """Firing any allowed trigger on the last (or a year-1) day under extreme periods: the
    guards judge it (allowed or refused with their reasons), none crashes."""
    moves = _legal_moves(case)
    if not moves:
        return
    trigger, item = data.draw(st.sampled_from(moves))
    latest = max(case.feedback_on.latest if case.feedback_on else dt.date.min, dt.date(1, 6, 1))
    on = data.draw(st.sampled_from([latest, dt.date.max]))
    checker = rectflow.Checker(PLUGINS, policy)
    verdicts: list[rectflow.Violation] = []

    def recording(case: rectflow.Case, transition: rectflow.Transition) -> list[rectflow.Violation]:
        verdicts.extend(checker.guard(case, transition))
        return verdicts

    # fire may refuse (a guard's error, an event before an earlier one): the verdict is what
    # this property is about, and no built-in guard may have crashed giving it.
    with contextlib.suppress(rectflow.errors.RectflowError):
        rectflow.fire(case, trigger, item=item, on=on, guards=[recording])
    assert [v.message for v in verdicts if v.code == "plugin.crashed"] == []
