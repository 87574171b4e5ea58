"""The body of a notice: its sections, the numbered ledger, and the stated summary counts.

Top-level sections (一、) are the organisational part (主体责任, 第一责任人), the ledger, or the
next steps (下一步打算). The ledger comes in every style the published notices use:

* categories as （一） under a ledger section, problems as 1. and sub-problems as （1） (seed 002:
  key problems 1.–14., specific problems (1)–(45));
* categories as 一、 with problems numbered across them (seed 003);
* problem groups （一） that carry measures themselves or hold numbered sub-problems (seed 004);
* extended items "针对“举一反三”整改事项N…", also several in one sentence ("…24…,25…") or in the
  middle of a paragraph;
* measures as 一是…二是…, inline or one paragraph each, after "整改措施及进展：" or
  "整改落实情况："; states in the notice's words ("（已完成）", "现已全部完成整改").

Summary counts ("重点问题14个,目前已完成整改7个") become :class:`~rectflow.StatedCount` values,
kept apart from what the ledger enumerates.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence

import attrs

from rectflow._core.fields import force, ledger_append
from rectflow._core.labels import (
    COUNT_SUBJECT_WORDS,
    KIND_FLAG_ZH,
    MEASURE_LEADS,
    NOTICE_SECTION_WORDS,
    PROBLEM_KIND_ZH,
)
from rectflow._core.model import Category, ItemState, Measure, Problem, ProblemKind, StatedCount
from rectflow._i18n import N_, Msg
from rectflow._notices.text import (
    Heading,
    Line,
    Mark,
    Notes,
    clean_text,
    closing_state,
    cn_number,
    state_of_word,
    state_word_pattern,
    trailing_state,
)

__all__ = ["Body", "read_body", "read_counts"]


class Part(enum.Enum):
    """What a top-level section is."""

    ORGANISATIONAL = "organisational"
    LEDGER = "ledger"
    CATEGORY = "category"
    NEXT_STEPS = "next_steps"
    UNKNOWN = "unknown"


@attrs.define(slots=True)
class Section:
    """A top-level section: its heading line (``None`` for an implicit one) and its lines."""

    heading: Line | None
    title: str
    lines: list[Line]
    part: Part = Part.UNKNOWN


@attrs.define(slots=True)
class Body:
    """What the body holds.

    Attributes:
        preamble: the lines before the first section.
        organisational: the lines of the organisational sections.
        categories: the ledger.
        stated_counts: the summary counts.
        explicit_kinds: some heading names its kind ("重点问题：…").
    """

    preamble: list[Line] = attrs.Factory(list)
    organisational: list[Line] = attrs.Factory(list)
    categories: list[Category] = attrs.Factory(list)
    stated_counts: list[StatedCount] = attrs.Factory(list)
    explicit_kinds: bool = False


def _words(part: str) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in NOTICE_SECTION_WORDS[part]))


_NEXT_STEPS = _words("next_steps")
_ORGANISATIONAL = _words("organisational")
_LEDGER = _words("ledger")


def _split_sections(lines: Sequence[Line]) -> tuple[list[Line], list[Section]]:
    headings = [line.heading for line in lines]
    tops = [i for i, h in enumerate(headings) if h is not None and h.mark is Mark.SECTION]
    if not tops:
        first = next((i for i, h in enumerate(headings) if h is not None), None)
        if first is None:
            return list(lines), []
        return list(lines[:first]), [Section(None, "", list(lines[first:]))]
    sections = []
    for n, start in enumerate(tops):
        end = tops[n + 1] if n + 1 < len(tops) else len(lines)
        heading = headings[start]
        assert heading is not None  # noqa: S101 - tops holds heading indexes only
        sections.append(Section(lines[start], heading.rest, list(lines[start + 1 : end])))
    return list(lines[: tops[0]]), sections


def _has_measures(section: Section) -> bool:
    """True when the section carries ledger work: a measures lead ("整改措施：") or an item with
    its state in brackets."""
    for line in section.lines:
        heading = line.heading
        text = heading.rest if heading is not None else line.text
        if _LEAD.match(text) or _LEAD_COLON.search(text) or trailing_state(text)[1] is not None:
            return True
    return False


def _classify(section: Section) -> Part:
    """What a top-level section is.

    An organisational section ("履行巡察整改主体责任情况", or one whose sub-headings （一）强化组织
    领导… carry neither numbered problems nor measures) is never a ledger: its sub-headings are
    not categories, even when they number their points (1. 成立领导小组…) but state no measure.
    """
    marks = {h.mark for line in section.lines if (h := line.heading) is not None}
    numbered = bool(marks & {Mark.NUMBER, Mark.PAREN}) or any(
        _EXTENDED.search(line.text) for line in section.lines
    )
    title = section.title
    if section.heading is not None and _NEXT_STEPS.search(title):
        return Part.NEXT_STEPS
    if (
        section.heading is not None
        and _ORGANISATIONAL.search(title)
        and not (numbered and _has_measures(section))
    ):
        return Part.ORGANISATIONAL
    if Mark.GROUP in marks:
        if (
            section.heading is not None
            and not numbered
            and not _LEDGER.search(title)
            and not _group_mode(section)
        ):
            return Part.ORGANISATIONAL  # "（一）强化组织领导。…（二）压实整改责任。…"
        return Part.LEDGER
    if numbered:
        return Part.CATEGORY
    if section.heading is None or _LEDGER.search(title):
        return Part.LEDGER
    return Part.UNKNOWN


# -- counts -----------------------------------------------------------------------------------

_SUBJECT_BY_WORD = {w: s for s, words in COUNT_SUBJECT_WORDS.items() for w in words}
_SUBJECT_WORDS = "|".join(re.escape(w) for w in sorted(_SUBJECT_BY_WORD, key=len, reverse=True))
# "重点问题14个" (the subject, then its total) or "反馈的120个问题" (the total, then the subject).
_SUBJECT = re.compile(
    "(?:(?P<word>" + _SUBJECT_WORDS + r")(?P<total>\d{1,7})[个条项件]"
    r"|(?P<total2>\d{1,7})[个条项件]的?(?P<word2>" + _SUBJECT_WORDS + "))"
)
_STATE_WORD = re.compile(state_word_pattern())
_NUMBER = re.compile(r"(\d{1,7})[个条项件]")
# A clause of a count sentence: "已完成整改112个", "基本完成并持续整改问题5个".
_COUNT_CLAUSE = re.compile(r"[^，,；;。、！？!?]+")
_QUOTES = str.maketrans("", "", "“”\"'‘’「」")


@attrs.define(slots=True)
class _Reading:
    """A stated count being read: its subject's word, total and per-state numbers."""

    word: str
    count: StatedCount
    text: list[str]


def _state_numbers(clause: str, start: int) -> list[tuple[ItemState, int]]:
    """Each state word in the clause from ``start`` with the number that follows it (before the
    next state word): "基本完成并持续整改问题5个" is 5 basically completed."""
    words = list(_STATE_WORD.finditer(clause, start))
    found = []
    for index, word in enumerate(words):
        stop = words[index + 1].start() if index + 1 < len(words) else len(clause)
        number = _NUMBER.search(clause, word.end(), stop)
        if number is not None:
            found.append((state_of_word(word.group(0)), int(number[1])))
    return found


def read_counts(lines: Sequence[Line], notes: Notes) -> list[StatedCount]:
    """The summary counts the lines state, in the order stated; a repeated subject is warned.

    A sentence is read clause by clause (split at ，；。、): a clause that names a subject with a
    number before any state word starts a count ("重点问题14个", "反馈的120个问题"); a clause with a
    state word and a number adds to the count before it ("已完成整改112个", "基本完成并持续整改
    问题5个", "未完成3个"), even when a subject word stands between the two. A count whose states
    add up to more than its total is not kept: it is left unread with a warning, as a misreading.
    """
    counts: list[StatedCount] = []
    seen: set[str] = set()
    for line in lines:
        text = line.text.translate(_QUOTES)
        reading: _Reading | None = None
        for clause_match in _COUNT_CLAUSE.finditer(text):
            clause = clause_match.group(0)
            subject = _SUBJECT.search(clause)
            state = _STATE_WORD.search(clause)
            if subject is not None and (state is None or subject.start() < state.start()):
                _keep(reading, counts, line, notes)
                reading = None
                word = subject["word"] or subject["word2"]
                key = _SUBJECT_BY_WORD[word]
                if key in seen:
                    notes.warn(
                        line.number,
                        Msg("the count of {word} is stated twice; kept the first", word=word),
                    )
                    continue
                seen.add(key)
                total = int(subject["total"] or subject["total2"])
                reading = _Reading(word, StatedCount(key, total, {}), [clause])
                numbers = _state_numbers(clause, subject.end())
            elif state is not None and reading is not None:
                reading.text.append(clause)
                numbers = _state_numbers(clause, state.start())
            else:
                continue
            for item_state, number in numbers:
                by_state = reading.count.by_state
                by_state[item_state] = by_state.get(item_state, 0) + number
        _keep(reading, counts, line, notes)
    return counts


def _keep(reading: _Reading | None, counts: list[StatedCount], line: Line, notes: Notes) -> None:
    """Keep a count that is read; one whose states exceed its total is a misreading: unread."""
    if reading is None:
        return
    count = reading.count
    stated = sum(count.by_state.values())
    if count.total is not None and stated > count.total:
        text = "，".join(reading.text)
        reason = Msg(
            "the states of {word} add up to {stated}, more than the total "
            "{total}: not read, so as not to store a wrong count",
            word=reading.word,
            stated=stated,
            total=count.total,
        )
        notes.skip(line.number, text, reason)
        notes.warn(
            line.number,
            Msg("a count of {word} was not read: {reason}", word=reading.word, reason=reason),
        )
        return
    counts.append(count)


# -- the ledger -------------------------------------------------------------------------------

_EXTENDED = re.compile(r"针对[“\"]?举一反三[”\"]?整改事项(\d{1,3})")
_FLAG = re.compile(
    r"[（(]\s*此问题属于[“\"]?("
    + "|".join(re.escape(w) for w in KIND_FLAG_ZH.values())
    + r")[”\"]?整改事项\s*[）)]"
)
_KIND_BY_FLAG = {word: kind for kind, word in KIND_FLAG_ZH.items()}
_KIND_LEAD = re.compile(
    "^(" + "|".join(re.escape(w) for w in PROBLEM_KIND_ZH.values()) + r")\s*[：:]\s*"
)
_KIND_BY_LABEL = {label: kind for kind, label in PROBLEM_KIND_ZH.items()}
_LEAD = re.compile(
    r"^(?:"
    + "|".join(re.escape(w) for w in MEASURE_LEADS)
    + r")\s*[：:]\s*|^(?:进行了?以下整改|进行了整改)\s*[。：:，,]\s*"
)
# The comma and spaces before "进行了以下整改" are matched only from where they start: written
# "[，,]?\s*进行…", a search retried the pattern at every position of a long run of spaces, each
# try scanning to the run's end (quadratic: a heading followed by 40,000 spaces took 20 s). The
# lookbehind refuses a start inside such a run, so the leftmost match is the same and the search
# linear. Search from 0 or from after a character that is neither white space nor a comma.
_BEFORE_LEAD = r"(?:[，,]|(?<![\s，,]))\s*"
_DONE_LEAD = re.compile(_BEFORE_LEAD + r"进行了?(?:以下)?整改$")
_ORDINAL = re.compile(r"(?<![^。；;：:，,\s])([〇零一二三四五六七八九十百千万]{1,12})是")
_INLINE_NEXT = re.compile(r"[，,、]\s*(\d{1,3})(?=[^\d个条项件号%])")
_LEAD_COLON = re.compile(_BEFORE_LEAD + r"进行了?(?:以下)?整改\s*[：:]")


def _flag(problem: Problem, text: str) -> None:
    """Tag the problem with the kinds its text flags it as ("此问题属于“…”整改事项")."""
    flags = [_KIND_BY_FLAG[m[1]].value for m in _FLAG.finditer(text)]
    problem.tags = tuple(dict.fromkeys(f for f in flags if f != problem.kind.value))


def _unquote(text: str) -> str:
    """A title wholly in quotes ("“对…合力”") without them; other quotes stay."""
    if len(text) >= 2 and text[0] in '“"' and text[-1] in '”"' and "“" not in text[1:-1]:
        return text[1:-1]
    return text


@attrs.define(slots=True)
class _Open:
    """A problem being read, and where its measures stand."""

    problem: Problem
    mark: Mark | None
    measure: Measure | None = None


class _LedgerReader:
    """Reads the problems and measures of the ledger, category by category."""

    def __init__(self, notes: Notes) -> None:
        self.notes = notes
        self.categories: list[Category] = []
        self.marks: dict[str, Mark | None] = {}
        self.explicit_kinds = False
        self._stack: list[_Open] = []
        self._current: _Open | None = None
        self._last: dict[Mark, int] = {}
        self._extended_next = 1
        # A measure's text as pieces (paragraphs it runs over), joined at the end: appending
        # to a growing string would cost quadratic time on a huge notice.
        self._pieces: dict[str, list[str]] = {}
        self._stated: set[str] = set()
        self._heading_states: dict[str, tuple[ItemState, int]] = {}

    # -- structure ----------------------------------------------------------------------------

    def category(self, title: str) -> None:
        """Start a category."""
        self.categories.append(Category(str(len(self.categories) + 1), clean_text(title)))
        self._stack = []
        self._current = None

    def _add(self, problem: Problem, mark: Mark | None) -> _Open:
        if not self.categories:
            self.category("")
        category = self.categories[-1]
        force(problem, "id", f"{category.id}.{len(category.problems) + 1}")
        ledger_append(category.problems, problem)
        self.marks[problem.id] = mark
        opened = _Open(problem, mark)
        self._current = opened
        return opened

    def _check_number(self, heading: Heading, line: Line) -> None:
        last = self._last.get(heading.mark, 0)
        if heading.number not in (1, last + 1):
            self.notes.warn(
                line.number,
                Msg(
                    "heading number {number} follows {last} at the same level: "
                    "a number is missing or out of order",
                    number=heading.number,
                    last=last or Msg.of(N_("none")),
                ),
            )
        self._last[heading.mark] = heading.number

    def problem(self, heading: Heading, line: Line) -> None:
        """Start a problem at a numbered heading: 1., （1）, or a group's （一）."""
        if heading.mark is Mark.GROUP:
            self._stack = []
        else:
            self._check_number(heading, line)
        while self._stack and (self._stack[-1].mark or 0) >= heading.mark:
            self._stack.pop()
        parent = self._stack[-1].problem.id if self._stack else None
        title, state, body, lead = self._title(heading.rest)
        problem = Problem("", title, parent=parent)
        kind = _KIND_LEAD.match(trailing_state(heading.rest)[0])
        if kind is not None:
            problem.kind = _KIND_BY_LABEL[kind[1]]
            self.explicit_kinds = True
        _flag(problem, heading.rest)
        opened = self._add(problem, heading.mark)
        if state is not None:
            self._state_heading(problem, state, line)
        self._stack.append(opened)
        if body or lead:
            self.text(body, line, lead=lead)

    def _state_heading(self, problem: Problem, state: ItemState, line: Line) -> None:
        force(problem, "_state", state)
        self._stated.add(problem.id)
        self._heading_states[problem.id] = (state, line.number)

    def _title(self, rest: str) -> tuple[str, ItemState | None, str, bool]:
        """Split a heading's text into title, state, inline body, and whether a lead ended it."""
        text, state = trailing_state(rest)
        body = ""
        lead = False
        if state is None:
            cut = text.find("。")
            colon = _LEAD_COLON.search(text, 0, len(text) if cut < 0 else cut)
            if colon is not None:
                text, body, lead = text[: colon.start()], text[colon.end() :], True
            elif cut >= 0:
                text, body = text[:cut], text[cut + 1 :]
        text = _FLAG.sub("", text)
        kind = _KIND_LEAD.match(text)
        if kind is not None:
            text = text[kind.end() :]
        elif state is None:
            # The seeds' "针对…问题，进行了以下整改。": the title is what lies between.
            done = _DONE_LEAD.search(text)
            if done is not None:
                text, lead = text[: done.start()], True
            text = text.removeprefix("针对")
        return _unquote(clean_text(text)), state, body, lead

    def _extended(self, number: int, head: str, line: Line) -> bool:
        """Start the extended item(s) a "针对“举一反三”整改事项N…" title names; True if it ends
        with a lead ("进行了以下整改")."""
        if number != self._extended_next:
            self.notes.warn(
                line.number,
                Msg(
                    "extended item {number} follows {last}: a number is missing or out of order",
                    number=number,
                    last=self._extended_next - 1,
                ),
            )
        titles: list[tuple[int, str]] = []
        cursor, current = 0, number
        for match in _INLINE_NEXT.finditer(head):
            if int(match[1]) == current + 1:
                titles.append((current, head[cursor : match.start()]))
                cursor, current = match.end(), current + 1
        titles.append((current, head[cursor:]))
        parent = self._stack[-1].problem.id if self._stack else None
        first: _Open | None = None
        lead = False
        for item_number, raw in titles:
            title, state, _, ends_with_lead = self._title(raw)
            lead = lead or ends_with_lead
            problem = Problem("", title, kind=ProblemKind.EXTENDED, parent=parent)
            _flag(problem, raw)
            opened = self._add(problem, None)
            if state is not None:
                self._state_heading(problem, state, line)
            first = first or opened
            self._extended_next = item_number + 1
        if len(titles) > 1 and first is not None:
            numbers = ", ".join(str(n) for n, _ in titles)
            self.notes.warn(
                line.number,
                Msg(
                    "extended items {numbers} are written together; their measures are listed "
                    "under the first ({first})",
                    numbers=numbers,
                    first=titles[0][0],
                ),
            )
            self._current = first
        return lead

    # -- content ------------------------------------------------------------------------------

    def _next_marker(self, text: str, pos: int) -> re.Match[str] | None:
        for match in _EXTENDED.finditer(text, pos):
            if match.start() == 0 or text[match.start() - 1] in "。；;：: ":
                return match
        return None

    def text(self, text: str, line: Line, *, lead: bool = False) -> None:
        """Text that is not a heading: measures, prose, and extended items starting inside it."""
        pos = 0
        cut: int | None = None
        while True:
            marker = self._next_marker(text, pos)
            end = len(text) if marker is None else marker.start()
            if end > pos or (lead and marker is None):
                self._measures(text[pos:end], line, lead=lead)
            if marker is None:
                return
            # The 。 that ends the marker's sentence, looked for again only once passed: a line of
            # many "整改事项N…进行整改：" and no 。 was scanned to its end at every marker.
            if cut is None or 0 <= cut < marker.end():
                cut = text.find("。", marker.end())
            stop = len(text) if cut < 0 else cut
            # "…，进行了以下整改：一是…" ends the title before the sentence does.
            colon = _LEAD_COLON.search(text, marker.end(), stop)
            head = text[marker.end() : stop if colon is None else colon.start()]
            lead = self._extended(int(marker[1]), head, line) or colon is not None
            if colon is not None:
                pos = colon.end()
                continue
            if cut < 0:
                if lead:
                    self._measures("", line, lead=True)
                return
            pos = cut + 1

    def _measures(self, text: str, line: Line, *, lead: bool) -> None:
        """Measures (or prose) of the current item."""
        opened = self._current
        if opened is None:
            return  # prose before the first problem of a category
        led = _LEAD.match(text)
        if led is not None:
            text, lead = text[led.end() :], True
        if lead:
            opened.measure = None  # a lead starts the item's measures afresh
        if not text.strip(" 。；;，,：:"):
            return
        body, state = trailing_state(text)
        first = _ORDINAL.match(text)
        if state is not None and first is not None:
            # The renderer's "一是…（已完成）": one measure per line, whatever its text holds.
            self._measure(opened, body[first.end() :], state)
            return
        cuts: list[re.Match[str]] = []
        expected = len(opened.problem.measures) + 1  # 一是 first; 二是 goes on from 一是
        for match in _ORDINAL.finditer(text):
            if cn_number(match[1]) == expected + len(cuts):
                cuts.append(match)
        prefix = text[: cuts[0].start()] if cuts else text
        if prefix.strip(" 。；;，,：:"):
            if opened.measure is not None:
                self._pieces[opened.measure.id].append(clean_text(prefix))
            elif lead and not cuts:
                self._measure(opened, prefix, None)
        for index, match in enumerate(cuts):
            end = cuts[index + 1].start() if index + 1 < len(cuts) else len(text)
            self._measure(opened, text[match.end() : end], None)

    def _measure(self, opened: _Open, text: str, state: ItemState | None) -> None:
        problem = opened.problem
        measure = Measure(f"{problem.id}.{len(problem.measures) + 1}")
        if state is None:
            # Inline measures: "一是修订学习制度（已完成）；二是…" states each one's state too.
            text, state = trailing_state(clean_text(text))
        if state is not None:
            force(measure, "state", state)
            measure.initial_state = state
            self._stated.add(measure.id)
        ledger_append(problem.measures, measure)
        self._pieces[measure.id] = [clean_text(text)]
        opened.measure = measure

    def read_lines(self, lines: Sequence[Line]) -> None:
        """Read a category's (or a group's) lines."""
        for line in lines:
            if not line.text:
                continue
            heading = line.heading
            if heading is not None and heading.mark in (Mark.NUMBER, Mark.PAREN):
                self.problem(heading, line)
            else:
                self.text(line.text, line)

    def finish(self) -> int:
        """Join measure texts, settle states; return how many items no words gave a state.

        Such an item keeps ``open`` as its lifecycle's starting point, with ``state_known`` off:
        the notice does not say where it stands, so nothing may claim it unfinished.
        """
        unstated = 0
        for category in self.categories:
            for problem in category.problems:
                for measure in problem.measures:
                    pieces = self._pieces.pop(measure.id, [measure.text])
                    force(measure, "text", "\n".join(p for p in pieces if p))
                    if measure.id not in self._stated:
                        state = closing_state(pieces[-1]) if pieces else None
                        if state is None:
                            force(measure, "state_known", False)
                            unstated += 1
                        else:
                            force(measure, "state", state)
                            measure.initial_state = state
                if problem.measures:
                    derived = problem.state
                    said = self._heading_states.get(problem.id)
                    if said is not None and said[0] is not derived:
                        self.notes.warn(
                            said[1],
                            Msg(
                                "problem {id} is said to be {said}, but its measures make it "
                                "{derived}; the measures' state is kept",
                                id=problem.id,
                                said=said[0].value,
                                derived=derived.value,
                            ),
                        )
                    force(
                        problem, "_state", derived
                    )  # a problem with measures keeps theirs as its own
                elif problem.id not in self._stated:
                    force(problem, "_state_known", False)
                    unstated += 1
                problem.initial_state = problem.own_state
        return unstated


def _group_mode(section: Section) -> bool:
    """True when a ledger section's （一） headings are problems: one carries measures itself."""
    in_group = False
    for line in section.lines:
        heading = line.heading
        if heading is not None:
            in_group = heading.mark is Mark.GROUP
            if in_group and _LEAD.match(heading.rest):
                return True
            continue
        if in_group and _LEAD.match(line.text):
            return True
    return False


def read_body(lines: Sequence[Line], notes: Notes) -> Body:
    """Read the sections, the ledger and the stated counts of the body's lines."""
    preamble, sections = _split_sections(lines)
    body = Body(preamble=preamble)
    reader = _LedgerReader(notes)
    count_lines: list[Line] = list(preamble)
    for section in sections:
        section.part = _classify(section)
        if section.part is Part.NEXT_STEPS:
            continue
        if section.part is Part.ORGANISATIONAL:
            body.organisational.extend(section.lines)
            count_lines.extend(section.lines)
        elif section.part is Part.CATEGORY:
            reader.category(section.title)
            reader.read_lines(section.lines)
        elif section.part is Part.LEDGER:
            _read_ledger_section(reader, section, count_lines, notes)
        else:
            assert section.heading is not None  # noqa: S101 - implicit sections are classified
            notes.skip(
                section.heading.number,
                section.heading.text,
                N_(
                    "a section the importer does not recognise: not the organisational part "
                    "(主体责任, 总体情况), the ledger (落实情况, numbered problems) nor the next "
                    "steps (下一步打算)"
                ),
            )
    body.stated_counts = read_counts(count_lines, notes)
    unstated = reader.finish()
    if unstated:
        notes.warn(
            None,
            Msg(
                "{n} ledger item(s) have no state in the notice's words; their state is "
                "recorded as not stated (state_known = false), not as unfinished",
                n=unstated,
            ),
        )
    body.explicit_kinds = reader.explicit_kinds
    _infer_key_problems(reader, body)
    force(body, "categories", reader.categories)
    return body


def _holds_problems(lines: Sequence[Line]) -> bool:
    """True when a group's lines number problems (1. （1）) or name extended items."""
    return any(
        (line.heading is not None and line.heading.mark in (Mark.NUMBER, Mark.PAREN))
        or _EXTENDED.search(line.text)
        for line in lines
    )


def _read_ledger_section(
    reader: _LedgerReader, section: Section, count_lines: list[Line], notes: Notes
) -> None:
    groups = _group_mode(section)
    if groups:
        reader.category(section.title)
    if section.heading is not None:
        count_lines.append(section.heading)  # a flattened copy states its counts in the heading
    # Each （一） group with the lines under it.
    chunks: list[tuple[Line, list[Line]]] = []
    for line in section.lines:
        heading = line.heading
        if heading is not None and heading.mark is Mark.GROUP:
            chunks.append((line, []))
        elif chunks:
            chunks[-1][1].append(line)
        else:
            count_lines.append(line)
    for line, chunk in chunks:
        heading = line.heading
        assert heading is not None  # noqa: S101 - chunks start at group headings
        if groups:
            reader.problem(heading, line)
        elif _holds_problems(chunk):
            reader.category(heading.rest.split("。", 1)[0])
        else:
            notes.skip(
                line.number,
                line.text,
                N_(
                    "a group heading under the ledger with no numbered problem (1. （1）) under "
                    "it: not read as a ledger category"
                ),
            )
            count_lines.extend(chunk)
            continue
        reader.read_lines(chunk)


def _infer_key_problems(reader: _LedgerReader, body: Body) -> None:
    """In a ledger that states N key problems and nests （1） under N problems numbered 1., the
    1. are the key problems.

    Only when no heading names its kind (the renderer's "重点问题：…" does) and the numbers agree:
    a stated count is not read into problems it does not describe.
    """
    key = ProblemKind.KEY.value
    stated = next((c.total for c in body.stated_counts if c.subject == key), None)
    if body.explicit_kinds or stated is None:
        return
    if not any(mark is Mark.PAREN for mark in reader.marks.values()):
        return
    numbered = [
        problem
        for category in reader.categories
        for problem in category.problems
        if reader.marks.get(problem.id) is Mark.NUMBER
    ]
    if len(numbered) == stated:
        for problem in numbered:
            problem.kind = ProblemKind.KEY
