"""Deadlines counted from dates that may be fuzzy, and the words the checks use for them.

A deadline "within N after a date" is the last on-time day (:meth:`CheckContext.due`, which
also remembers a calendar caveat that the violation citing the due date then repeats).
When the start is fuzzy (feedback "2021-06"), the deadline is a range: counted from the earliest
and from the latest day the start may mean. A fuzzy actual date is judged against that range:

* **meets**: even its latest day is on time by the earliest deadline;
* **misses**: even its earliest day is late by the latest deadline;
* **uncertain**: otherwise. The checks report it at warning level (never worse than the rule's
  own level) and say which days the date may mean (:meth:`rectflow.FuzzyDate.describe`).

A period of N that *begins* on a day S (a centralised period, a public period) includes S: it
ends on the deadline counted from the day before S, so 3 months beginning 2020-12-03 run through
2021-03-02, and 30 days beginning 2025-04-07 through 2025-05-06.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import attrs

from rectflow._core.dates import FuzzyDate
from rectflow._core.report import Level, Violation
from rectflow._rules.calendar import Duration, Unit
from rectflow._rules.context import CheckContext

__all__ = [
    "Anchor",
    "Judgement",
    "Window",
    "describe_zh",
    "duration_zh",
    "judge_step",
    "spanning",
    "uncertain_level",
    "within",
]

Judgement = Literal["meets", "misses", "uncertain"]

_UNIT_ZH = {Unit.DAYS: "天", Unit.WORKING_DAYS: "个工作日", Unit.MONTHS: "个月"}


@attrs.frozen(slots=True)
class Anchor:
    """The date a deadline counts from, with its names and, if estimated, how.

    Attributes:
        on: the date (possibly fuzzy).
        en: its English name, e.g. ``feedback``.
        zh: its Chinese name, e.g. ``反馈``.
        note: why the date is an estimate (``None`` when the case records it).
    """

    on: FuzzyDate
    en: str
    zh: str
    note: str | None = None


@attrs.frozen(slots=True)
class Window:
    """The last on-time day of a period: one day, or a range when the start is fuzzy.

    Attributes:
        start: the date counted from.
        duration: the period.
        first: the deadline counted from the start's earliest day.
        last: the deadline counted from the start's latest day.
    """

    start: FuzzyDate
    duration: Duration
    first: dt.date
    last: dt.date

    def judge(self, actual: FuzzyDate) -> Judgement:
        """Is ``actual`` on or before the deadline?"""
        if actual.latest <= self.first:
            return "meets"
        if actual.earliest > self.last:
            return "misses"
        return "uncertain"

    def judge_reaches(self, actual: FuzzyDate) -> Judgement:
        """Is ``actual`` on or after the deadline (a period lasting at least this long)?"""
        if actual.earliest >= self.last:
            return "meets"
        if actual.latest < self.first:
            return "misses"
        return "uncertain"

    def judge_missing(self, as_of: dt.date) -> Judgement:
        """For a date not recorded: ``meets`` while there is still time, else whether it passed."""
        if as_of <= self.first:
            return "meets"
        if as_of > self.last:
            return "misses"
        return "uncertain"

    @property
    def text(self) -> str:
        """``2021-02-03``, or ``2021-02-01..2021-02-28`` for a range."""
        return str(self.first) if self.first == self.last else f"{self.first}..{self.last}"

    @property
    def text_zh(self) -> str:
        """The same in Chinese: ``2021-02-03`` or ``2021-02-01至2021-02-28``."""
        return str(self.first) if self.first == self.last else f"{self.first}至{self.last}"


def within(context: CheckContext, start: FuzzyDate, duration: Duration) -> Window:
    """The deadline of something due within ``duration`` after ``start``."""
    first, last = start.earliest, start.latest
    early = context.due(first, duration)
    late = early if last == first else context.due(last, duration)
    return Window(start, duration, early.on, late.on)


def spanning(context: CheckContext, start: FuzzyDate, duration: Duration) -> Window:
    """The last day of a period of ``duration`` that begins on ``start`` (which it includes)."""
    first, last = start.earliest, start.latest
    early = context.period_end(first, duration)
    late = early if last == first else context.period_end(last, duration)
    return Window(start, duration, early.on, late.on)


def duration_zh(duration: Duration) -> str:
    """``2个月``, ``30天``, ``15个工作日``."""
    return f"{duration.amount}{_UNIT_ZH[duration.unit]}"


def describe_zh(date: FuzzyDate) -> str:
    """A date for a Chinese message: exact days plainly, others with the days they may mean."""
    if date.is_exact:
        return str(date)
    if date.earliest == date.latest:
        return f"{date}（年份系推断）"
    return f"{date}（可能为{date.earliest}至{date.latest}之间的任一天）"


def uncertain_level(context: CheckContext, code: str) -> Level:
    """The level of an uncertain finding: warning, or the rule's level when that is milder."""
    level = context.level(code)
    return level if level.rank >= Level.WARNING.rank else Level.WARNING


def judge_step(
    context: CheckContext,
    code: str,
    *,
    where: str,
    subject: tuple[str, str],
    anchor: Anchor,
    window: Window,
    actual: FuzzyDate | None,
    hint: str,
    option: str,
    done_by: str | None = None,
) -> Violation | None:
    """Judge one dated step (a plan, a report, a disclosure) against its deadline.

    A recorded date is judged by :meth:`Window.judge`; a missing one is a violation once the
    deadline has passed as of ``context.as_of`` (uncertain while the as-of date lies inside a
    range of deadlines). When the case shows the step was taken (``done_by`` says how) but not
    when, the deadline cannot be judged: an info says so instead.

    Args:
        context: the check context.
        code: the rule's code.
        where: the path of the step in the case.
        subject: the step's name in English (without an article) and in Chinese.
        anchor: the date the deadline counts from.
        window: the deadline.
        actual: when the step happened, or ``None``.
        hint: how to make it pass.
        option: the option holding the period (its basis is cited).
        done_by: what shows the undated step was taken (e.g. ``the case is disclosed``), or
            ``None`` when nothing does.

    Returns:
        The violation, or ``None`` when the step is on time or still has time.
    """
    as_of = context.as_of
    judgement = window.judge(actual) if actual is not None else window.judge_missing(as_of)
    if judgement == "meets":
        return None
    en, zh = subject
    rule = f"{window.duration} after {anchor.en} {anchor.on.describe()}"
    rule_zh = (
        f"应在{anchor.zh}（{describe_zh(anchor.on)}）后{duration_zh(window.duration)}内完成，"
        f"最迟{window.text_zh}"
    )
    if anchor.note:
        rule = f"{rule}; {anchor.note}"
    if actual is None and done_by is not None:
        return context.violation(
            code,
            where=where,
            message=f"the case shows a {en} ({done_by}) but not its date, so its deadline "
            f"{window.text} ({rule}) cannot be judged",
            message_zh=f"{zh}已完成但未记录日期，无法判断是否符合期限：{rule_zh}",
            hint=hint,
            due=window.last,
            option=option,
            level=Level.INFO,
        )
    if actual is None:
        if judgement == "misses":
            message = f"no {en} as of {as_of}: due by {window.text} ({rule})"
            message_zh = f"截至{as_of}未见{zh}：{rule_zh}"
        else:
            message = (
                f"no {en} as of {as_of}, which may be past its due date {window.text} ({rule})"
            )
            message_zh = f"截至{as_of}未见{zh}，可能已超过期限：{rule_zh}"
        date = as_of
    elif judgement == "misses":
        message = f"the {en} {actual.describe()} is late: due by {window.text} ({rule})"
        message_zh = f"{zh}（{describe_zh(actual)}）逾期：{rule_zh}"
        date = actual.earliest
    else:
        message = (
            f"the {en} {actual.describe()} may be late: due by {window.text} ({rule}); "
            "give the exact day to settle it"
        )
        message_zh = f"{zh}（{describe_zh(actual)}）可能逾期：{rule_zh}；请补充确切日期"
        date = actual.latest
    return context.violation(
        code,
        where=where,
        message=message,
        message_zh=message_zh,
        hint=hint,
        due=window.last,
        actual=date,
        option=option,
        level=uncertain_level(context, code) if judgement == "uncertain" else None,
    )
