"""The text of a notice as the importer sees it: numbered lines, headings, state words, notes.

A notice arrives as plain text copied from a web page or exported from Word: full-width or ASCII
punctuation, paragraphs with or without line breaks, "[bookmark: _GoBack]" debris in front of a
heading. This module turns it into numbered :class:`Line` objects and recognises the pieces every
part of the importer needs: the heading markers (一、 （一） 1. （1）), the state words of
:data:`~rectflow._core.labels.NOTICE_STATE_WORDS`, and the notes the importer hands back
(:class:`Unread`, :class:`ParseWarning`).

Every pattern is anchored or bounded, so each costs time linear in the line it reads.
"""

from __future__ import annotations

import enum
import re

import attrs

from rectflow._core.labels import NOTICE_STATE_WORDS
from rectflow._core.model import ItemState

__all__ = [
    "Heading",
    "Line",
    "Mark",
    "Notes",
    "ParseWarning",
    "Unread",
    "clean_text",
    "closing_state",
    "cn_number",
    "cn_numeral",
    "heading_of",
    "sentences",
    "split_lines",
    "state_of_word",
    "state_word_pattern",
    "trailing_state",
]


@attrs.frozen(slots=True)
class Unread:
    """A piece of the notice the importer could not read, and why.

    Attributes:
        line: the 1-based line of the notice it is on.
        text: the text (a heading, a sentence, a date as written).
        reason: why it was not read, and how to write it so it can be.
    """

    line: int
    text: str
    reason: str


@attrs.frozen(slots=True)
class ParseWarning:
    """Something the importer read but wants a person to look at: an inferred year, a gap.

    Attributes:
        line: the 1-based line it is about, or ``None`` for the notice as a whole.
        message: what was read and how.
    """

    line: int | None
    message: str


@attrs.define(slots=True)
class Notes:
    """The unread pieces and warnings collected while reading one notice."""

    unread: list[Unread] = attrs.Factory(list)
    warnings: list[ParseWarning] = attrs.Factory(list)

    def skip(self, line: int, text: str, reason: str) -> None:
        """Record a piece that was not read."""
        self.unread.append(Unread(line, _excerpt(text), reason))

    def warn(self, line: int | None, message: str) -> None:
        """Record a warning."""
        self.warnings.append(ParseWarning(line, message))


def _excerpt(text: str, limit: int = 200) -> str:
    """The text, shortened so one unread piece of a huge line does not copy the whole line."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


@attrs.frozen(slots=True)
class Line:
    """One line of the notice, cleaned of debris and surrounding white space.

    Attributes:
        number: its 1-based line number in the text given.
        text: its text.
    """

    number: int
    text: str
    heading: Heading | None = attrs.field(
        default=attrs.Factory(lambda self: heading_of(self.text), takes_self=True), eq=False
    )


# Characters that are never content: C0 controls but tab and newline, DEL, zero-width marks.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200d\u2060\ufeff]")
# Word export debris: "[bookmark: _GoBack]", "[footnoteRef:1]".
_DEBRIS = re.compile(r"\[(?:bookmark|footnoteRef|endnoteRef|commentRef)\s*:[^\]\n]{0,120}\]")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_SPACE = " \t\u3000\u00a0"


# A top-level heading (一、) inside a line, right after a sentence's end or a space. No optional
# run before the marker: tried from every position of a long space run, one would be quadratic.
_INLINE_SECTION = re.compile(r"[。；;！？!?\s][一二三四五六七八九十]{1,3}、")
# Where a flattened line breaks into paragraphs: before a heading (一、 （一） 1. （1）) or the
# invitation (欢迎…) right after a sentence's end or a space (each piece is stripped after).
_INLINE_BREAK = re.compile(
    r"(?<=[。；;！？!?\s])(?=[一二三四五六七八九十]{1,3}、"
    r"|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,3}[.．](?!\d)|[（(]\d{1,3}[）)]|欢迎)"
)


def _paragraphs(raw: str) -> list[str]:
    """A line as paragraphs: a whole notice copied without line breaks (two or more 一、 headings
    inside one line) is broken before each heading and the invitation; any other line is one
    paragraph."""
    inline = _INLINE_SECTION.finditer(raw)
    if next(inline, None) is None or next(inline, None) is None:
        return [raw]
    return _INLINE_BREAK.split(raw)


def split_lines(text: str) -> list[Line]:
    """The text's lines, numbered from 1, without debris and without surrounding spaces.

    A line that holds a whole notice (its paragraphs run together, as some web pages copy) is
    broken into its paragraphs, each numbered as the line they come from.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text).translate(_FULLWIDTH_DIGITS)
    text = _DEBRIS.sub("", text)
    return [
        Line(n, part.strip(_SPACE))
        for n, raw in enumerate(text.split("\n"), 1)
        for part in _paragraphs(raw)
    ]


_WHITESPACE = re.compile(r"\s+")
_EDGE = " \t\n\r\f\v\u3000\u00a0，,。.；;：:、"


def clean_text(text: str) -> str:
    """Text as the importer keeps it: runs of white space become one space; white space and the
    punctuation ，,。.；;：:、 are dropped from both ends."""
    return _WHITESPACE.sub(" ", text).strip(_EDGE)


# -- headings ---------------------------------------------------------------------------------


class Mark(enum.IntEnum):
    """A heading marker, outermost first: 一、 （一） 1. （1）."""

    SECTION = 1  # 一、
    GROUP = 2  # （一） / (一)
    NUMBER = 3  # 1. / 1． / 1、
    PAREN = 4  # （1） / (1)


@attrs.frozen(slots=True)
class Heading:
    """A heading recognised at the start of a line.

    Attributes:
        mark: which marker.
        number: the number it carries (一 is 1).
        rest: the text after the marker.
    """

    mark: Mark
    number: int
    rest: str


_CN = "〇一二三四五六七八九"
_CN_NUMERAL = frozenset("〇零一二三四五六七八九十百千万")
_HEADING_STARTS = frozenset("一二三四五六七八九十（(0123456789")
_HEADINGS = (
    (Mark.SECTION, re.compile(r"([〇零一二三四五六七八九十百千万]{1,12})\s*[、.．]\s*")),
    (Mark.GROUP, re.compile(r"[（(]\s*([〇零一二三四五六七八九十百千万]{1,12})\s*[）)]\s*")),
    (Mark.NUMBER, re.compile(r"(\d{1,3})\s*[.．、]\s*")),
    (Mark.PAREN, re.compile(r"[（(]\s*(\d{1,3})\s*[）)]\s*")),
)


_UNITS = {"十": 10, "百": 100, "千": 1000}


def cn_number(text: str) -> int | None:
    """A Chinese numeral (一, 十二, 一百零五, 一千二百, 三万零一) as an int; ``None`` if not one."""
    if not text or any(c not in _CN_NUMERAL for c in text):
        return None
    total = section = current = 0
    for char in text:
        if char in _UNITS:
            section += (current or 1) * _UNITS[char]
            current = 0
        elif char == "万":
            total += (section + current) * 10_000
            section = current = 0
        else:
            current = _CN.index(char) if char != "零" else 0
    return total + section + current


def _cn_small(number: int, *, leading: bool) -> str:
    """1-9999 in Chinese; ``leading`` when nothing comes before it (十二, not 一十二)."""
    digits: list[str] = []
    zero = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, number = divmod(number, unit)
        if digit == 0:
            zero = bool(digits)
            continue
        if zero:
            digits.append("零")
            zero = False
        if not (unit == 10 and digit == 1 and leading and not digits):
            digits.append(_CN[digit])
        digits.append(name)
    return "".join(digits)


def cn_numeral(number: int) -> str:
    """A positive int as a Chinese numeral, as headings number: 一, 十二, 一百零五, 一万零一."""
    if number <= 0:
        return "〇"
    high, low = divmod(number, 10_000)
    if not high:
        return _cn_small(low, leading=True)
    text = (cn_numeral(high) if high >= 10_000 else _cn_small(high, leading=True)) + "万"
    if low:
        text += ("零" if low < 1000 else "") + _cn_small(low, leading=False)
    return text


def heading_of(text: str) -> Heading | None:
    """The heading the line starts with, if any.

    "1.5倍" is a decimal, not a heading: a number marker ``.`` followed by a digit counts only on
    a line that ends with a state word in brackets, as the renderer writes its headings; after
    ``1、`` a digit is always a heading's text.
    """
    if not text or text[0] not in _HEADING_STARTS:
        return None
    for mark, pattern in _HEADINGS:
        match = pattern.match(text)
        if match is None:
            continue
        rest = text[match.end() :]
        if (
            mark is Mark.NUMBER
            and rest[:1].isdigit()
            and "、" not in match.group(0)
            and trailing_state(rest)[1] is None
        ):
            return None  # "1.5倍": a decimal ("1、5…" is never one)
        number = int(match[1]) if match[1].isdigit() else cn_number(match[1])
        if number is None:
            return None
        return Heading(mark, number, rest)
    return None


# -- sentences and state words ----------------------------------------------------------------

_SENTENCE_END = re.compile(r"[^。！？!?]*[。！？!?]?")


def sentences(text: str) -> list[tuple[int, str]]:
    """The sentences of a paragraph with their offsets, each with its closing 。 if any."""
    found = []
    for match in _SENTENCE_END.finditer(text):
        if match.group(0):
            found.append((match.start(), match.group(0)))
    return found


_STATE_BY_WORD = {word: state for state, words in NOTICE_STATE_WORDS.items() for word in words}


def state_word_pattern() -> str:
    """A regex alternation of every state word, longest first (so 已完成整改 beats 已完成)."""
    return "|".join(re.escape(w) for w in sorted(_STATE_BY_WORD, key=len, reverse=True))


_STATE_WORD = re.compile(state_word_pattern())
_TRAILING_STATE = re.compile(r"[（(]\s*(" + state_word_pattern() + r")\s*[）)]\s*$")
# "现已全部完成整改", "目前均已整改完成": a closing clause that says where the item stands.
_STATE_CLAUSE_START = ("目前", "现已", "现", "均已", "已全部", "全部", "截至目前")
_CLAUSE_BREAK = re.compile(r"[，,。；;]")


def state_of_word(word: str) -> ItemState:
    """The state a notice word stands for."""
    return _STATE_BY_WORD[word]


def trailing_state(text: str) -> tuple[str, ItemState | None]:
    """Split "标题（已完成）" into the text and the state its closing bracket names."""
    match = _TRAILING_STATE.search(text, max(0, len(text) - 24))
    if match is None:
        return text, None
    return text[: match.start()], _STATE_BY_WORD[match[1]]


def closing_state(text: str) -> ItemState | None:
    """The state a short closing clause states ("…，现已全部完成整改。"), if it does."""
    body = text.rstrip(_EDGE)
    cut = -1
    for match in _CLAUSE_BREAK.finditer(body, max(0, len(body) - 40)):
        cut = match.end()
    clause = body[cut:] if cut >= 0 else body
    if len(clause) > 20 or not clause.startswith(_STATE_CLAUSE_START):
        return None
    word = _STATE_WORD.search(clause)
    return _STATE_BY_WORD[word.group(0)] if word else None
