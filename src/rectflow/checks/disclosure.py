"""Disclosure: that the progress is published, when, for how long, and how to reach the body.

A disclosure (整改进展情况通报) is one entry of ``disclosures``; the rules address it by its
position (``disclosures[0]``). Timing counts from the feedback, the report or the end of the
centralised period, as the policy says (``after``); when the case records no end of the
centralised period, the end is estimated from ``deadline.centralised.longest`` and the message
says so. Dates are judged as in :mod:`rectflow.checks.deadline` (fuzzy dates by their earliest
and latest day).

Each rule below gives its options (with units and defaults), its level and basis, and a PASS
and a FAIL example: complete case files (docs/case-file.md), checked as of the date given, with
the options given (tests/checks/test_check_docs.py checks every example).

Rules
=====

disclosure.required
    Once the policy requires a disclosure — ``within`` after ``after`` has passed as of the
    check's date — the case has at least one (in ``disclosures``, or shown by a ``disclose``
    event or the case's state). A case whose ``after`` date is unknown is not judged
    (``deadline.report`` reports a missing report).

    * ``after``: ``"feedback"``, ``"report"`` or ``"centralised_end"``; default ``"feedback"``.
    * ``within``: a period (days, working days or months); default ``"8 months"``.
    * Level: warning. Basis: 《中国共产党巡视工作条例》(2015) 第三十二条 (整改情况
      "以适当方式公开"); the period is central practice (RULES.md #11, #12).

    PASS (as of 2025-01-01)::

        schema = 1
        id = "disclosed"
        feedback_on = 2024-03-28

        [[disclosures]]
        published_on = 2024-10-15

    FAIL (as of 2025-01-01; none by 2024-11-28)::

        schema = 1
        id = "never-disclosed"
        feedback_on = 2024-03-28

disclosure.timing
    The first disclosure is published within ``within`` after ``after``. Publication is a
    matter of practice, not a written deadline: a warning by default.

    * ``after``: ``"feedback"``, ``"report"`` or ``"centralised_end"``; default ``"feedback"``.
    * ``within``: a period; default ``"8 months"``.
    * Level: warning. Basis: central practice, about 7–8 months after feedback (RULES.md #11,
      #12).

    PASS (as of 2025-06-01)::

        schema = 1
        id = "disclosed-in-time"
        feedback_on = 2024-03-28

        [[disclosures]]
        published_on = 2024-11-20

    FAIL (as of 2025-06-01; due by 2024-11-28)::

        schema = 1
        id = "disclosed-late"
        feedback_on = 2024-03-28

        [[disclosures]]
        published_on = 2025-04-07

disclosure.public-period
    Where the policy asks for one (``at_least`` set), every disclosure to the public (scope
    ``public`` or ``dual``) states a public period (公开期限) lasting at least ``at_least``, its
    first day included: 30 days beginning 2025-04-07 run through 2025-05-06.

    * ``at_least``: a period, or unset (the default: no public period required).
    * Level: error. Basis: the policy's own (no public source fixes a length; RULES.md, known
      gaps).

    PASS (with ``at_least = "30 days"``; as of 2025-06-01)::

        schema = 1
        id = "thirty-days"
        feedback_on = 2024-03-28

        [[disclosures]]
        published_on = 2025-04-07
        public_period = { start = 2025-04-07, end = 2025-05-06 }

    FAIL (with ``at_least = "30 days"``; as of 2025-06-01; through 2025-05-06 at least)::

        schema = 1
        id = "too-short"
        feedback_on = 2024-03-28

        [[disclosures]]
        published_on = 2025-04-07
        public_period = { start = 2025-04-07, end = 2025-04-30 }

disclosure.contacts
    Every disclosure to the public (scope ``public`` or ``dual``) offers each contact channel
    kind the policy requires (``phone``, ``email``, ``postal_address``, ``po_box``), so that
    the public can supervise the rectification.

    * ``required``: a list of channel kinds; default ``["phone", "email"]``.
    * Level: warning. Basis: 条例 (2015) 第三十二条 (接受党员、干部和人民群众监督); practice:
      every seed notice gives a phone number and an e-mail address.

    PASS (as of 2025-06-01)::

        schema = 1
        id = "reachable"
        feedback_on = 2024-03-28

        [[disclosures]]
        published_on = 2025-04-07
        contacts = [
            { kind = "phone", value = "0763-0000000" },
            { kind = "email", value = "office@example.org" },
        ]

    FAIL (as of 2025-06-01; no e-mail)::

        schema = 1
        id = "phone-only"
        feedback_on = 2024-03-28

        [[disclosures]]
        published_on = 2025-04-07
        contacts = [{ kind = "phone", value = "0763-0000000" }]

disclosure.published-on
    Every disclosure has a publication date (``published_on``, the notice's signature date; a
    month or a dekad will do): without it nothing about its timing can be judged.

    * No options.
    * Level: error. Basis: a notice is dated (every dated seed notice is).

    PASS (as of 2021-12-01)::

        schema = 1
        id = "dated"
        feedback_on = "2020-12-03?"

        [[disclosures]]
        published_on = "2021-06"

    FAIL (as of 2021-12-01)::

        schema = 1
        id = "undated"
        feedback_on = "2020-12-03?"

        [[disclosures]]
        title = "关于巡察整改进展情况的通报"
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal

import attrs

from rectflow._core.labels import CONTACT_ZH
from rectflow._core.model import Case, CaseState, ContactKind, Disclosure, DisclosureScope
from rectflow._core.report import Level, Violation
from rectflow._i18n import N_, Msg
from rectflow._rules.calendar import Duration, Unit
from rectflow._rules.context import CheckContext
from rectflow._rules.hookspecs import hookimpl
from rectflow._rules.rules import Rule
from rectflow.checks._timing import (
    Anchor,
    describe_zh,
    duration_zh,
    judge_step,
    spanning,
    uncertain_level,
    within,
)
from rectflow.checks.deadline import centralised_end

__all__ = [
    "RULES",
    "After",
    "ContactsOptions",
    "PublicPeriodOptions",
    "PublishedOnOptions",
    "RequiredOptions",
    "TimingOptions",
    "rectflow_check_case",
    "rectflow_rules",
]

After = Literal["feedback", "report", "centralised_end"]
_AFTER = ("feedback", "report", "centralised_end")


@attrs.frozen
class RequiredOptions:
    """Options of ``disclosure.required``.

    Attributes:
        after: the date the window counts from: ``feedback``, ``report`` or ``centralised_end``.
        within: a disclosure exists once this period after ``after`` has passed.
    """

    after: After = attrs.field(default="feedback", validator=attrs.validators.in_(_AFTER))
    within: Duration = attrs.field(default=Duration(8, Unit.MONTHS))


@attrs.frozen
class TimingOptions:
    """Options of ``disclosure.timing``.

    Attributes:
        after: the date the window counts from: ``feedback``, ``report`` or ``centralised_end``.
        within: the first disclosure is published within this period after ``after``.
    """

    after: After = attrs.field(default="feedback", validator=attrs.validators.in_(_AFTER))
    within: Duration = attrs.field(default=Duration(8, Unit.MONTHS))


@attrs.frozen
class PublicPeriodOptions:
    """Options of ``disclosure.public-period``.

    Attributes:
        at_least: the shortest public period (its first day included); ``None`` (the default)
            requires none.
    """

    at_least: Duration | None = None


def _contact_kinds(kinds: Iterable[str]) -> tuple[ContactKind, ...]:
    return tuple(ContactKind(kind) for kind in kinds)


@attrs.frozen
class ContactsOptions:
    """Options of ``disclosure.contacts``.

    Attributes:
        required: the contact channel kinds every disclosure to the public offers.
    """

    required: tuple[ContactKind, ...] = attrs.field(
        default=(ContactKind.PHONE, ContactKind.EMAIL), converter=_contact_kinds
    )


@attrs.frozen
class PublishedOnOptions:
    """Options of ``disclosure.published-on``: none."""


REQUIRED = Rule(
    "disclosure.required",
    Level.WARNING,
    RequiredOptions,
    N_("A disclosure exists once the policy's window has passed."),
    basis="《中国共产党巡视工作条例》(2015) 第三十二条: 整改情况 以适当方式公开",
)
TIMING = Rule(
    "disclosure.timing",
    Level.WARNING,
    TimingOptions,
    N_("The first disclosure is published within the policy's window."),
    basis="practice: central disclosures come about 7-8 months after feedback (RULES.md #11)",
)
PUBLIC_PERIOD = Rule(
    "disclosure.public-period",
    Level.ERROR,
    PublicPeriodOptions,
    N_("Where the policy asks for one, a disclosure's public period lasts at least N."),
    basis="the policy's own: no public source fixes the length of a public period",
)
CONTACTS = Rule(
    "disclosure.contacts",
    Level.WARNING,
    ContactsOptions,
    N_("A disclosure to the public offers the contact channels the policy requires."),
    basis="《中国共产党巡视工作条例》(2015) 第三十二条: 接受党员、干部和人民群众监督",
)
PUBLISHED_ON = Rule(
    "disclosure.published-on",
    Level.ERROR,
    PublishedOnOptions,
    N_("Every disclosure has a publication date."),
)

RULES: tuple[Rule, ...] = (REQUIRED, TIMING, PUBLIC_PERIOD, CONTACTS, PUBLISHED_ON)

_TO_PUBLIC = (DisclosureScope.PUBLIC, DisclosureScope.DUAL)


@hookimpl
def rectflow_rules() -> Iterable[Rule]:
    """The disclosure rules."""
    return RULES


@hookimpl
def rectflow_check_case(case: Case, context: CheckContext) -> Iterable[Violation]:
    """Check every enabled disclosure rule."""
    found: list[Violation] = []
    if context.enabled(REQUIRED.code):
        found.extend(_check_required(case, context))
    if context.enabled(TIMING.code):
        found.extend(_check_timing(case, context))
    if context.enabled(PUBLIC_PERIOD.code):
        found.extend(_check_public_period(case, context))
    if context.enabled(CONTACTS.code):
        found.extend(_check_contacts(case, context))
    if context.enabled(PUBLISHED_ON.code):
        found.extend(_check_published_on(case, context))
    return found


def _anchor(case: Case, context: CheckContext, after: str) -> Anchor | None:
    if after == "feedback":
        return Anchor(case.feedback_on, "feedback", "反馈") if case.feedback_on else None
    if after == "report":
        reported = case.reported_on
        return Anchor(reported, "the report", "报送整改报告") if reported else None
    return centralised_end(case, context)


# The case states that only follow a disclosure.
_DISCLOSED = (CaseState.DISCLOSED, CaseState.PUBLIC_PERIOD_CLOSED)


def _check_required(case: Case, context: CheckContext) -> Iterator[Violation]:
    if case.disclosures or case.state in _DISCLOSED or case.first_fired_on("disclose") is not None:
        return
    options = context.options(REQUIRED.code, RequiredOptions)
    anchor = _anchor(case, context, options.after)
    if anchor is None:
        return
    found = judge_step(
        context,
        REQUIRED.code,
        where="disclosures",
        subject=("disclosure of the rectification progress", "整改进展情况公开"),
        anchor=anchor,
        window=within(context, anchor.on, options.within),
        actual=None,
        hint=N_("publish the rectification progress and record it in disclosures"),
        option="within",
    )
    if found is not None:
        yield found


def _check_timing(case: Case, context: CheckContext) -> Iterator[Violation]:
    dated = [
        (d.published_on.earliest, d.published_on.latest, index)
        for index, d in enumerate(case.disclosures)
        if d.published_on is not None
    ]
    if not dated:
        return
    options = context.options(TIMING.code, TimingOptions)
    anchor = _anchor(case, context, options.after)
    if anchor is None:
        return
    index = min(dated)[2]
    found = judge_step(
        context,
        TIMING.code,
        where=f"disclosures[{index}]",
        subject=("first disclosure", "首次公开"),
        anchor=anchor,
        window=within(context, anchor.on, options.within),
        actual=case.disclosures[index].published_on,
        hint=Msg(
            "publish within {within} after {anchor}",
            within=options.within,
            anchor=anchor.en,
            zh={"within": duration_zh(options.within), "anchor": anchor.zh},
        ),
        option="within",
    )
    if found is not None:
        yield found


def _names(index: int, disclosure: Disclosure) -> tuple[str, str]:
    """How messages name a disclosure: by its date when it has one, else by its position."""
    if disclosure.published_on is not None:
        return (
            f"the disclosure of {disclosure.published_on}",
            f"{disclosure.published_on}发布的公开",
        )
    return f"disclosure #{index + 1}", f"第{index + 1}项公开记录"


def _check_public_period(case: Case, context: CheckContext) -> Iterator[Violation]:
    at_least = context.options(PUBLIC_PERIOD.code, PublicPeriodOptions).at_least
    if at_least is None:
        return
    at_least_zh = duration_zh(at_least)
    hint = Msg(
        "state a public period (公开期限) of at least {at_least}",
        at_least=at_least,
        zh={"at_least": at_least_zh},
    )
    for index, disclosure in enumerate(case.disclosures):
        if disclosure.scope not in _TO_PUBLIC:
            continue
        where = f"disclosures[{index}]"
        name, name_zh = _names(index, disclosure)
        period = disclosure.public_period
        if period is None:
            yield context.violation(
                PUBLIC_PERIOD.code,
                where=where,
                message=f"{name} states no public period; the policy asks for at least {at_least}",
                message_zh=f"{name_zh}未载明公开期限；要求不少于{at_least_zh}",
                hint=hint,
                option="at_least",
            )
            continue
        window = spanning(context, period.start, at_least)
        end = period.end
        if end is None:
            yield context.violation(
                PUBLIC_PERIOD.code,
                where=where,
                message=f"the public period of {name} from {period.start.describe()} "
                f"has no end; it must last at least {at_least}, through {window.text}",
                message_zh=f"{name_zh}的公开期限自{describe_zh(period.start)}起，"
                f"未载明截止日期；应不少于{at_least_zh}，至少到{window.text_zh}",
                hint=hint,
                due=window.last,
                option="at_least",
                level=uncertain_level(context, PUBLIC_PERIOD.code),
            )
            continue
        judgement = window.judge_reaches(end)
        if judgement == "meets":
            continue
        maybe, maybe_zh = ("", "") if judgement == "misses" else ("may be ", "可能")
        yield context.violation(
            PUBLIC_PERIOD.code,
            where=where,
            message=(
                f"the public period of {name}, {period.start.describe()} – "
                f"{end.describe()} {maybe}shorter than {at_least}: it must last through "
                f"{window.text}"
            ),
            message_zh=f"{name_zh}的公开期限{describe_zh(period.start)}至"
            f"{describe_zh(end)}{maybe_zh}少于{at_least_zh}：应至少到{window.text_zh}",
            hint=hint,
            due=window.last,
            actual=end.latest if judgement == "misses" else end.earliest,
            option="at_least",
            level=uncertain_level(context, PUBLIC_PERIOD.code) if judgement != "misses" else None,
        )


def _check_contacts(case: Case, context: CheckContext) -> Iterator[Violation]:
    required = context.options(CONTACTS.code, ContactsOptions).required
    if not required:
        return
    for index, disclosure in enumerate(case.disclosures):
        if disclosure.scope not in _TO_PUBLIC:
            continue
        offered = {contact.kind for contact in disclosure.contacts}
        missing = [kind for kind in ContactKind if kind in required and kind not in offered]
        if not missing:
            continue
        names = ", ".join(kind.value for kind in missing)
        name, name_zh = _names(index, disclosure)
        yield context.violation(
            CONTACTS.code,
            where=f"disclosures[{index}].contacts",
            message=f"{name} offers no {names} for the public to reach the body",
            message_zh=f"{name_zh}未提供{'、'.join(CONTACT_ZH[k] for k in missing)}",
            hint=Msg(
                "add contacts of kind {names}",
                names=names,
                zh={"names": "、".join(CONTACT_ZH[k] for k in missing)},
            ),
            option="required",
        )


def _check_published_on(case: Case, context: CheckContext) -> Iterator[Violation]:
    for index, disclosure in enumerate(case.disclosures):
        if disclosure.published_on is None:
            yield context.violation(
                PUBLISHED_ON.code,
                where=f"disclosures[{index}]",
                message=f"disclosure #{index + 1} has no publication date",
                message_zh=f"第{index + 1}项公开记录未记录发布日期",
                hint=N_(
                    "record published_on (the notice's signature date; a month or a dekad "
                    "will do when the day is not known)"
                ),
            )
