"""A check's calendar: chosen by the policy, its caveats carried into violations and reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs
import pytest

import rectflow
from rectflow import Duration, Level, Violation
from rectflow.errors import PolicyError, UnknownYearError

FIFTEEN = Duration.parse("15 working days")


@attrs.frozen
class Only2024:
    """Knows 2024 (no holidays at all), nothing else."""

    name: str = "only2024"

    def caveat(self, first: dt.date, last: dt.date) -> str | None:
        return None

    def is_working_day(self, day: dt.date) -> bool:
        if day.year != 2024:
            raise UnknownYearError(self.name, day.year, (2024, 2024))
        return True


@attrs.frozen
class WorkingDaysOptions:
    """Options of the test rule.

    Attributes:
        within: the deadline after 2024-12-20.
    """

    within: Duration = attrs.field(default=FIFTEEN)


class Deadline:
    """One working-day deadline from 2024-12-20, reported as an error when past."""

    @rectflow.hookimpl
    def rectflow_rules(self) -> Iterable[rectflow.Rule]:
        return (rectflow.Rule("test.deadline", Level.ERROR, WorkingDaysOptions, "deadline"),)

    @rectflow.hookimpl
    def rectflow_calendar(self, name: str) -> rectflow.Calendar | None:
        return Only2024() if name == "only2024" else None

    @rectflow.hookimpl
    def rectflow_calendar_names(self) -> Iterable[str]:
        return ("only2024",)

    @rectflow.hookimpl
    def rectflow_check_case(
        self, case: rectflow.Case, context: rectflow.CheckContext
    ) -> Iterable[Violation]:
        options = context.options("test.deadline", WorkingDaysOptions)
        due = context.due(dt.date(2024, 12, 20), options.within)
        return [
            context.violation(
                "test.deadline",
                where="case",
                message=f"due {due.on}",
                message_zh=f"期限 {due.on}",
                hint="-",
                due=due.on,
            )
        ]


@pytest.fixture(scope="module")
def plugins() -> rectflow.Plugins:
    """The core and the test plugin only."""
    manager = rectflow.plugin_manager(builtins=lambda: (), load_entry_points=False)
    manager.register(Deadline(), name="deadline")
    return manager


def _check(plugins: rectflow.Plugins, calendar: rectflow.CalendarSettings) -> rectflow.Report:
    policy = rectflow.Policy("p", calendar=calendar)
    return rectflow.check(
        rectflow.Case(id="c"), policy=policy, as_of=dt.date(2025, 3, 1), plugins=plugins
    )


def test_without_a_calendar_plugin_the_report_says_holidays_were_not_considered(
    plugins: rectflow.Plugins,
) -> None:
    """The core's weekdays: the violation and the report both carry the caveat."""
    report = _check(plugins, rectflow.CalendarSettings())
    caveat = "working days counted Monday-Friday; public holidays were not considered"
    assert report.caveats == (caveat,)
    (violation,) = report.violations
    assert violation.message == f"due 2025-01-10 (note: {caveat})"
    assert violation.message_zh == "期限 2025-01-10（注：工作日按周一至周五计算，未考虑法定节假日）"


def test_a_calendar_outside_its_years_is_an_error_by_default(plugins: rectflow.Plugins) -> None:
    """unknown_years = "error": the check stops with the calendar's UnknownYearError."""
    with pytest.raises(UnknownYearError, match="no holiday schedule for 2025"):
        _check(plugins, rectflow.CalendarSettings("only2024"))


def test_the_weekday_fallback_counts_on_and_names_the_unknown_year(
    plugins: rectflow.Plugins,
) -> None:
    """unknown_years = "weekdays": every working day of 2024, Monday-Friday in 2025, said so."""
    report = _check(plugins, rectflow.CalendarSettings("only2024", "weekdays"))
    # 11 days left in 2024 (21-31 Dec, all working in this calendar), then 4 weekdays of 2025.
    (violation,) = report.violations
    assert violation.due == dt.date(2025, 1, 6)
    (caveat,) = report.caveats
    assert "'only2024' has no holiday schedule for 2025" in caveat
    assert caveat in violation.message


def test_a_policy_naming_an_unknown_calendar_lists_the_known_ones(
    plugins: rectflow.Plugins,
) -> None:
    """A PolicyError at [calendar] name, before any case is read."""
    with pytest.raises(PolicyError) as raised:
        _check(plugins, rectflow.CalendarSettings("mars"))
    assert raised.value.key_path == "calendar.name"
    assert "use one of: only2024, weekdays" in raised.value.fix


def test_weekday_fallback_keeps_the_inner_answer_and_caveat_in_known_years() -> None:
    """Within the inner calendar's years nothing changes."""
    fallback = rectflow.WeekdayFallback(Only2024())
    assert fallback.name == "only2024"
    assert fallback.is_working_day(dt.date(2024, 12, 28))  # a Saturday, working in Only2024
    assert not fallback.is_working_day(dt.date(2025, 1, 4))  # a Saturday of an unknown year
    assert fallback.caveat(dt.date(2024, 1, 1), dt.date(2024, 12, 31)) is None


def test_a_due_date_without_a_caveat_leaves_the_message_alone(plugins: rectflow.Plugins) -> None:
    """Months and calendar days need no calendar: no note, no caveat."""
    policy = rectflow.Policy(
        "p",
        rules={
            "test.deadline": rectflow.RuleSettings(
                options={"within": rectflow.OptionSetting("1 month")}
            )
        },
    )
    report = rectflow.check(
        rectflow.Case(id="c"), policy=policy, as_of=dt.date(2025, 3, 1), plugins=plugins
    )
    assert report.caveats == ()
    assert report.violations[0].message == "due 2025-01-20"
