"""Import a published rectification notice (整改进展情况通报) into a draft case.

:func:`parse_notice` reads the parts of the genre in order — web-page chrome and the title, the
preamble with its dated steps, the organisational section, the numbered ledger with its summary
counts, the next steps, the invitation to supervise with its contact channels and public period,
and the signature — and returns a :class:`ParseResult`: the draft :class:`~rectflow.Case`, what
could not be read (each piece with its line and the reason) and warnings (inferred years, items
without a stated state, numbering gaps). It never guesses silently.

An imported case has no events: every item and the case start where the notice says they stand
(``initial_state == state``), so :func:`rectflow.replay` gives the case back unchanged.
"""

from __future__ import annotations

import hashlib
import re

import attrs

from rectflow._core.dates import FuzzyDate
from rectflow._core.model import (
    AccountabilityForm,
    Case,
    CaseState,
    Disclosure,
    Inspection,
    InspectionKind,
)
from rectflow._i18n import N_, Msg
from rectflow._notices.accountability import read_accountability
from rectflow._notices.closing import Closing, closing_start, read_closing
from rectflow._notices.front import Front, Steps, read_front, read_steps
from rectflow._notices.ledger import Body, read_body
from rectflow._notices.text import Notes, ParseWarning, Unread, split_lines
from rectflow.errors import NoticeParseError

__all__ = ["ParseResult", "ParseWarning", "Unread", "notice_case_id", "parse_notice"]


@attrs.frozen(slots=True)
class ParseResult:
    """What :func:`parse_notice` read.

    Attributes:
        case: the draft case (no events; every state is its initial state).
        unread: the pieces that could not be read, each with its line and the reason.
        warnings: what was read but wants a look (an inferred year, an unstated state).
        accountability: how many people the notice says were held to account (问责), by form
            ("诫勉谈话2人"); empty when it says nothing. Counts only: a notice names no record,
            so the case gets none (``Case.accountability`` records decisions, with dates).
    """

    case: Case
    unread: list[Unread]
    warnings: list[ParseWarning]
    accountability: dict[AccountabilityForm, int] = attrs.field(factory=dict)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _replace_lone_surrogates(text: str, notes: Notes) -> str:
    """Text with lone surrogates (undecodable bytes kept by ``surrogateescape``) made writable.

    They cannot be written as UTF-8, so each becomes U+FFFD and a warning names the lines.
    """
    first = _LONE_SURROGATE.search(text)
    if first is None:
        return text
    # The first eleven lines with one (ten are shown), newlines counted once as the text is walked:
    # counting from the start of the text at each one was quadratic in a text full of them.
    lines: list[int] = []
    line, counted = 1, 0
    for match in _LONE_SURROGATE.finditer(text, first.start()):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        if not lines or lines[-1] != line:
            lines.append(line)
            if len(lines) > 10:
                break
    shown = ", ".join(map(str, lines[:10])) + (", …" if len(lines) > 10 else "")
    notes.warn(
        lines[0],
        Msg(
            "undecodable characters (lone surrogates) on line(s) {shown} were replaced by "
            "U+FFFD; decode the file with its real encoding for a faithful import",
            shown=shown,
        ),
    )
    return _LONE_SURROGATE.sub("\ufffd", text)


def notice_case_id(inspected_body: str, published_on: FuzzyDate | None) -> str:
    """The id an imported case gets: stable for the same body and publication date.

    A notice does not carry the case's id; this one is ``notice-`` and ten hex digits of a hash of
    the inspected body and the publication date, so importing the same notice twice gives the same
    id and different notices different ones.
    """
    key = f"{inspected_body}|{published_on or ''}".encode()
    return "notice-" + hashlib.sha256(key).hexdigest()[:10]


def _state(steps: Steps, closing: Closing) -> CaseState:
    """Where the case stands: a published notice is a disclosure; otherwise its last step."""
    if steps.disclosed or closing.invited:
        return CaseState.DISCLOSED
    if steps.report_on is not None:
        return CaseState.REPORTED
    if steps.centralised is not None:
        return CaseState.CENTRALISED
    if steps.plan is not None:
        return CaseState.PLAN_ADOPTED
    return CaseState.FEEDBACK_RECEIVED


def _recognised(front: Front, steps: Steps, body: Body, closing: Closing) -> bool:
    return bool(
        front.title
        or steps.onsite
        or steps.feedback_on
        or steps.plan
        or steps.centralised
        or steps.report_on
        or steps.milestones
        or steps.disclosed
        or body.categories
        or body.stated_counts
        or closing.invited
        or closing.contacts
        or closing.published_on
    )


def parse_notice(text: str, *, case_id: str | None = None) -> ParseResult:
    """Read a published rectification notice into a draft case.

    Args:
        text: the notice as plain text (full-width or ASCII punctuation, with or without line
            breaks between paragraphs, web-page chrome and Word debris allowed).
        case_id: the id to give the case; by default :func:`notice_case_id` of the inspected
            body and the publication date.

    Returns:
        The draft case, the pieces that could not be read, the warnings and the accountability
        counts the notice states.

    Raises:
        NoticeParseError: the text is not a notice at all: none of its parts (title, dated
            steps, ledger, counts, contact channels, signature) is there.
    """
    if not isinstance(text, str):
        raise NoticeParseError(
            Msg(
                "expected the notice as text (str), got {type}; decode bytes "
                "first, e.g. data.decode('utf-8')",
                type=type(text).__name__,
            )
        )
    notes = Notes()
    text = _replace_lone_surrogates(text, notes)
    lines = split_lines(text)
    front = read_front(lines, notes)
    rest = lines[front.body_start :]
    last_heading = max((i for i, line in enumerate(rest) if line.heading), default=-1)
    split = closing_start(rest, last_heading + 1)
    body = read_body(rest[:split], notes)
    steps = read_steps(front, [*body.preamble, *body.organisational], notes)
    closing = read_closing(rest[split:], notes)
    if not _recognised(front, steps, body, closing):
        raise NoticeParseError(
            N_(
                "this is not a rectification notice: it has no title (…整改进展情况的通报), no "
                "dated step (进驻, 反馈, 整改方案), no numbered ledger (一、 （一） 1.), "
                "no summary count, no contact channel and no signature date"
            ),
            line=None,
        )
    return ParseResult(
        _assemble(front, steps, body, closing, notes, case_id),
        notes.unread,
        notes.warnings,
        read_accountability([*body.preamble, *body.organisational]),
    )


def _assemble(
    front: Front, steps: Steps, body: Body, closing: Closing, notes: Notes, case_id: str | None
) -> Case:
    inspected = front.body or closing.signed_by
    if inspected is None:
        if front.title is None:
            notes.warn(
                None, N_("no inspected body: the notice has neither a title nor a signature")
            )
        else:
            notes.warn(
                front.title_line,
                N_(
                    "no inspected body: the title names none (nothing before 关于) and the "
                    "notice has no signature"
                ),
            )
    kind = steps.kind
    if kind is None:
        notes.warn(
            None, N_("the notice names neither 巡视 nor 巡察; the inspection kind is 'other'")
        )
        kind = InspectionKind.OTHER
    published = closing.published_on
    if published is None and front.published_hint is not None:
        published = front.published_hint
        notes.warn(
            None,
            Msg(
                "no signature date; the publication date {published} is the web page's 发布时间",
                published=published,
            ),
        )
    disclosures = []
    if front.title or closing.invited or steps.disclosed or closing.contacts or published:
        disclosures.append(
            Disclosure(
                published_on=published,
                public_period=closing.public_period,
                contacts=closing.contacts,
                title=front.title,
                signed_by=closing.signed_by,
            )
        )
    state = _state(steps, closing)
    return Case(
        id=case_id or notice_case_id(inspected or "", published),
        inspected_body=inspected or "",
        inspection=Inspection(kind, steps.body, steps.team, steps.round, steps.onsite),
        feedback_on=steps.feedback_on,
        plan=steps.plan,
        leading_group=steps.leading_group,
        centralised=steps.centralised,
        report_on=steps.report_on,
        milestones=steps.milestones,
        disclosures=disclosures,
        stated_counts=body.stated_counts,
        categories=body.categories,
        state=state,
        initial_state=state,
    )
