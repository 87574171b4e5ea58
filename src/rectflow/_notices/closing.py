"""The end of a notice: the invitation to supervise, its contact channels, the signature.

"欢迎广大干部群众对巡察整改落实情况进行监督。…公开期限：2025年4月7日至5月6日。联系方式：电话
0763-3113806；邮政地址：…；电子邮箱qsrydwbgs@163.com。" then the signing body and the date, whose
day may be missing ("2021年6月").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from rectflow._core.dates import FuzzyDate, Period
from rectflow._core.labels import CONTACT_WORDS
from rectflow._core.model import Contact, ContactKind
from rectflow._i18n import N_, Msg
from rectflow._notices.dates import YearContext, read_dates
from rectflow._notices.front import is_chrome
from rectflow._notices.text import Line, Notes, clean_text, heading_of, sentences

__all__ = ["Closing", "closing_start", "read_closing", "signature_date"]

_KIND_BY_WORD = {word: kind for kind, words in CONTACT_WORDS.items() for word in words}
# A channel's word at the start of the text or after a separator, then an optional colon.
_CONTACT = re.compile(
    r"(?<![^；;，,。：:\s、（(])("
    + "|".join(re.escape(w) for w in sorted(_KIND_BY_WORD, key=len, reverse=True))
    + r")\s*[：:]?\s*"
)
_PUBLIC_PERIOD = re.compile(r"(?:公开期限|公示期限|公示期|公开期|公开时间|公示时间)\s*[：:为]?\s*")
_VALUE_EDGE = " \t\u3000；;，,。：:、"


def is_invitation(text: str) -> bool:
    """True for the invitation to supervise, or a line that starts with a contact channel."""
    if "欢迎" in text and "监督" in text:
        return True
    if text.startswith("联系方式"):
        return True
    match = _CONTACT.match(text)
    return match is not None and match.end() < len(text)


def signature_date(text: str) -> FuzzyDate | None:
    """The date when the whole line is one (the signature's date line), else None."""
    if not text or len(text) > 24:
        return None
    readings = read_dates(text, YearContext())
    if len(readings) != 1 or readings[0].start != 0 or readings[0].end != len(text):
        return None
    value = readings[0].value
    return value if isinstance(value, FuzzyDate) else None


def _is_signer(text: str) -> bool:
    return 0 < len(text) <= 60 and "。" not in text and heading_of(text) is None


def closing_start(lines: Sequence[Line], after: int) -> int:
    """Where the closing part starts: the first invitation line at or after index ``after``,
    else the signature lines at the very end, else ``len(lines)``."""
    for index in range(after, len(lines)):
        if is_invitation(lines[index].text):
            return index
    filled = [i for i in range(max(after, 0), len(lines)) if lines[i].text]
    filled = [i for i in filled if not is_chrome(lines[i].text)] or filled
    if filled and signature_date(lines[filled[-1]].text) is not None:
        if len(filled) > 1 and _is_signer(lines[filled[-2]].text):
            return filled[-2]
        return filled[-1]
    return len(lines)


@attrs.define(slots=True)
class Closing:
    """What the closing part says.

    Attributes:
        invited: the notice invites the public to supervise (it is a published disclosure).
        contacts: the channels offered.
        public_period: the 公开期限, when given.
        signed_by: the signing body.
        published_on: the signature's date.
    """

    invited: bool = False
    contacts: list[Contact] = attrs.Factory(list)
    public_period: Period | None = None
    signed_by: str | None = None
    published_on: FuzzyDate | None = None


def _read_contacts(closing: Closing, line: Line, sentence: str, notes: Notes) -> None:
    matches = list(_CONTACT.finditer(sentence))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(sentence)
        value = clean_text(sentence[match.end() : end].strip(_VALUE_EDGE))
        kind: ContactKind = _KIND_BY_WORD[match[1]]
        if value:
            closing.contacts.append(Contact(kind, value))
        else:
            notes.skip(
                line.number,
                sentence,
                Msg("the channel {channel} has no value after it", channel=match[1]),
            )


def _read_public_period(closing: Closing, line: Line, sentence: str, notes: Notes) -> bool:
    match = _PUBLIC_PERIOD.search(sentence)
    if match is None:
        return False
    rest = sentence[match.end() :]
    readings = read_dates(rest, YearContext())
    if readings and isinstance(readings[0].value, Period) and readings[0].start == 0:
        closing.public_period = readings[0].value
    else:
        reason = readings[0].reason if readings and readings[0].reason else None
        notes.skip(
            line.number,
            sentence,
            reason
            or N_("the public period (公开期限) is not a period such as 2025年4月7日至5月6日"),
        )
    return True


def read_closing(lines: Sequence[Line], notes: Notes) -> Closing:
    """Read the invitation, the contact channels and the signature."""
    closing = Closing()
    for line in lines:
        text = line.text
        if not text or is_chrome(text):
            continue
        if is_invitation(text) or "。" in text or "；" in text:
            # The invitation, possibly over several lines ("如有意见建议，请…反映。").
            closing.invited = closing.invited or ("欢迎" in text and "监督" in text)
            for _, sentence in sentences(text):
                if not _read_public_period(closing, line, sentence, notes):
                    _read_contacts(closing, line, sentence, notes)
            continue
        if _PUBLIC_PERIOD.match(text):
            _read_public_period(closing, line, text, notes)
            continue
        date = signature_date(text)
        if date is not None and closing.published_on is None:
            closing.published_on = date
        elif closing.signed_by is None and closing.published_on is None and _is_signer(text):
            closing.signed_by = clean_text(text) or None
        else:
            notes.skip(
                line.number,
                text,
                N_(
                    "after the invitation, a line that is neither a contact channel nor the "
                    "signature (signing body, then date)"
                ),
            )
    return closing
