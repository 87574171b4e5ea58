"""Violations and reports: what a check or a guard found, and how it is shown.

A :class:`Violation` has a stable code, a level and a place in the case; a :class:`Report` holds
one case's violations, worst first. :func:`render_text` shows reports to people: a summary line,
then each case with its own findings first and then its items in ledger order, one short line
per violation. What the grouping already says (the item, the as-of date, a calendar caveat) is
not repeated on the lines; the rules' hints and bases, and the caveats, come once at the end.
:func:`render_rich` draws the same as tables at a terminal; :func:`render_json` is for programs.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import attrs

from rectflow._core.kinds import ProblemKind
from rectflow._core.labels import display_width
from rectflow._core.model import Case
from rectflow._i18n import N_, Words, translate
from rectflow._violation import Level, Violation

if TYPE_CHECKING:
    from rich.console import Console

__all__ = [
    "TITLE_WIDTH",
    "WIDTH",
    "Level",
    "Report",
    "Violation",
    "item_of",
    "render_json",
    "render_rich",
    "render_text",
    "summary_line",
]

WIDTH: Final = 100
"""The columns plain text is wrapped to (a CJK character takes two)."""

TITLE_WIDTH: Final = 40
"""The columns an item's title is clipped to in a heading."""

# Every word and phrase the text and the tables use, in English; the Chinese is in the gettext
# catalogue (rectflow._i18n). Chinese needs no space after a label's full-width colon.
_WORDS: Final = Words(
    {
        "cases_one": N_("{n} case"),
        "cases_many": N_("{n} cases"),
        "error": N_("error"),
        "warning": N_("warning"),
        "info": N_("info"),
        "level_one": N_("{n} {level}"),
        "level_many": N_("{n} {level}s"),
        "tally_join": N_(", "),
        "after_name": N_(": "),
        "detail": N_("as of {as_of}, policy {policy}"),
        "detail_file": N_(", file {file}"),
        "case": N_("whole case"),
        "problem": N_("problem"),
        "clue": N_("clue"),
        "measure": N_("measure"),
        "item": N_("{kind} {id}"),
        "place": N_("{place}: {text}"),
        "none": N_("no violations"),
        "due": N_("due"),
        "actual": N_("actual"),
        "plugin": N_("plugin"),
        "rules": N_("rules:"),
        "fix": N_("fix:"),
        "basis": N_("basis:"),
        "note": N_("note:"),
        "level_column": N_("level"),
        "rule_column": N_("rule"),
        "finding_column": N_("finding"),
        "fix_column": N_("fix"),
        "basis_column": N_("basis"),
        "rules_title": N_("rules"),
    }
)

_LEVEL_STYLE: Final = {Level.ERROR: "bold red", Level.WARNING: "yellow", Level.INFO: "cyan"}

_ITEM_WHERE = re.compile(
    r"^problems\[(?P<problem>[^\]]+)\](?:\.measures\[(?P<measure>[^\]]+)\])?(?:\.(?P<rest>.+))?$"
)
_DIGITS = re.compile(r"(\d+)")
# Punctuation that must not begin a wrapped line.
_NO_LINE_START: Final = frozenset("，。；：、）》」』”’,.;:)!?！？")
# Punctuation that must not end one.
_NO_LINE_END: Final = frozenset("（《「『“‘(")


def _sorted(violations: Iterable[Violation]) -> tuple[Violation, ...]:
    return tuple(sorted(violations, key=Violation.sort_key))


def _strings(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def item_of(where: str) -> str | None:
    """The id of the problem or measure a violation's path is about; ``None`` for the case.

    ``problems[2.1].measures[2.1.3].evidence[0]`` is about measure ``2.1.3``, ``problems[2.3]``
    about problem ``2.3``; ``disclosures[0]`` or ``report_on`` about the case itself.
    """
    match = _ITEM_WHERE.match(where)
    if match is None:
        return None
    return match["measure"] or match["problem"]


@attrs.frozen
class Report:
    """What checking one case found.

    Attributes:
        case: the case's id.
        as_of: the date the case was judged at.
        policy: the policy's name.
        violations: worst first, then by place and code (sorted on construction).
        caveats: what the reader must know about the dates computed (e.g. that working days
            were counted Monday-Friday without public holidays).
        file: the case file, when the case came from one.
    """

    case: str
    as_of: dt.date
    policy: str
    violations: tuple[Violation, ...] = attrs.field(default=(), converter=_sorted)
    caveats: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    file: str | None = None

    @property
    def errors(self) -> tuple[Violation, ...]:
        """The error-level violations."""
        return tuple(v for v in self.violations if v.level is Level.ERROR)

    @property
    def warnings(self) -> tuple[Violation, ...]:
        """The warning-level violations."""
        return tuple(v for v in self.violations if v.level is Level.WARNING)

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings and infos do not fail a check)."""
        return not self.errors

    def counts(self) -> dict[Level, int]:
        """How many violations of each level (every level present, worst first)."""
        counts = dict.fromkeys(Level, 0)
        for violation in self.violations:
            counts[violation.level] += 1
        return counts

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """The JSON form of the report (``rectflow check --format json``, one case).

        ``lang="zh"`` puts the Chinese message in ``message``, and the hint and the caveats in
        Chinese where the catalogue has them. ``counts`` gives the number of
        violations of each level, and each violation's ``item`` the id of the problem or measure
        it is about (``null`` for the case itself), as the text groups them.
        """
        return {
            "case": self.case,
            "file": self.file,
            "as_of": self.as_of.isoformat(),
            "policy": self.policy,
            "counts": {level.value: count for level, count in self.counts().items()},
            "violations": [
                {
                    "code": v.code,
                    "level": v.level.value,
                    "where": v.where,
                    "item": item_of(v.where),
                    "message": v.message_zh if lang == "zh" and v.message_zh else v.message,
                    "hint": translate(lang, v.hint),
                    "due": _iso(v.due),
                    "actual": _iso(v.actual),
                    "basis": v.basis,
                    "plugin": v.plugin,
                }
                for v in self.violations
            ],
            "caveats": [translate(lang, caveat) for caveat in self.caveats],
        }

    def to_text(self, lang: str = "en", case: Case | None = None, width: int = WIDTH) -> str:
        """The report as text (see :func:`render_text`); ``case`` gives item titles and order."""
        return render_text([self], lang, [case], width)


# -- the view: what the text and the tables show ----------------------------------------------


@attrs.frozen
class _Words:
    """The words of one language (``_WORDS``), and whether it is Chinese."""

    words: Mapping[str, str]
    zh: bool

    @classmethod
    def of(cls, lang: str) -> _Words:
        """English, or Chinese for ``zh``."""
        zh = lang == "zh"
        return cls({**_WORDS["zh" if zh else "en"], "after_label": "" if zh else " "}, zh)

    def __getitem__(self, key: str) -> str:
        return self.words[key]

    def count(self, key: str, n: int, **fields: str) -> str:
        """``key_one`` or ``key_many`` filled in with ``n``."""
        return self.words[f"{key}_one" if n == 1 else f"{key}_many"].format(n=n, **fields)

    def level(self, level: Level) -> str:
        """The level's word: ``error``, ``错误``."""
        return self.words[level.value]

    def tally(self, counts: dict[Level, int]) -> str:
        """``3 errors, 1 warning, 0 infos`` or ``错误3项，警告1项，提示0项``."""
        return self["tally_join"].join(
            self.count("level", counts[level], level=self.level(level)) for level in Level
        )


@attrs.frozen
class _Line:
    """One violation as a line shows it: the message without what the grouping says."""

    level: Level
    code: str
    text: str


@attrs.frozen
class _Group:
    """The case's own findings, or one item's: a label, the item's short title, the lines."""

    label: str
    title: str
    lines: tuple[_Line, ...]


@attrs.frozen
class _CaseView:
    """One case: its id, a line with the as-of date, policy and file, counts and groups."""

    name: str
    detail: str
    counts: dict[Level, int]
    groups: tuple[_Group, ...]


@attrs.frozen
class _Rule:
    """A rule met in the reports, with its distinct hints and bases."""

    code: str
    hints: tuple[str, ...]
    bases: tuple[str, ...]


@attrs.frozen
class _View:
    """Everything the text and the tables show, in one language."""

    words: _Words
    summary: str
    cases: tuple[_CaseView, ...]
    rules: tuple[_Rule, ...]
    notes: tuple[str, ...]


def summary_line(reports: Sequence[Report], lang: str = "en") -> str:
    """The first line of a report: how many cases, and violations of each level in all."""
    counts = dict.fromkeys(Level, 0)
    for report in reports:
        for level, count in report.counts().items():
            counts[level] += count
    words = _Words.of(lang)
    return words.count("cases", len(reports)) + words["after_name"] + words.tally(counts)


def _id_key(item_id: str) -> tuple[tuple[int, int, str], ...]:
    """Ids in natural order (``2.9`` before ``2.10``)."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in _DIGITS.split(item_id)
        if part
    )


def _ledger(case: Case | None, wanted: set[str]) -> dict[str, tuple[int, str, str]]:
    """For each wanted id the case holds: its ledger position, kind word key and title."""
    found: dict[str, tuple[int, str, str]] = {}
    if case is None or not wanted:
        return found
    position = 0
    for problem in case.problems():
        if problem.id in wanted and problem.id not in found:
            kind = "clue" if problem.kind is ProblemKind.CLUE else "problem"
            found[problem.id] = (position, kind, problem.title)
        position += 1
        for measure in problem.measures:
            if measure.id in wanted and measure.id not in found:
                found[measure.id] = (position, "measure", measure.text)
            position += 1
    return found


def _clip(text: str, columns: int) -> str:
    """The first line of ``text``, spaces collapsed, cut to ``columns`` with an ellipsis."""
    line = " ".join(text.split())
    if display_width(line) <= columns:
        return line
    kept: list[str] = []
    used = 1
    for char in line:
        used += display_width(char)
        if used > columns:
            break
        kept.append(char)
    return "".join(kept).rstrip() + "…"


# A message that begins by naming its item: "measure 2.1.5 is overdue", "整改措施2.1.5已逾期".
_NAMED = re.compile(
    r"^(?:the\s+)?(?:measure|problem|clue|item)\s+(?P<id>[^\s(:,;]+?)"
    r"(?:\s*\(problem [^)]*\))?(?:\s+is\b)?(?:\s*[:,;]\s*|\s+)"
)
_NAMED_ZH = re.compile(
    r"^(?:整改措施|问题线索|问题|事项)(?P<id>[0-9A-Za-z_.-]*[0-9A-Za-z_-])[，,：:\s]*"
)
_AS_OF = re.compile(r" as of (\d{4}-\d{2}-\d{2})\b|截至\s*(\d{4}-\d{2}-\d{2})")


def _clean(message: str, *, item: str | None, as_of: dt.date, caveats: Iterable[str]) -> str:
    """The message without what the grouping says: the item it names first, the as-of date
    (the case's heading gives it) and the calendar caveats (listed once at the end)."""
    text = message
    for caveat in caveats:
        text = text.replace(f" (note: {caveat})", "").replace(f"(注:{caveat})", "")
    day = as_of.isoformat()
    if day in text:
        text = _AS_OF.sub(lambda m: "" if day in (m[1], m[2]) else m[0], text)
    if item is not None:
        for pattern in (_NAMED, _NAMED_ZH):
            named = pattern.match(text)
            if named is not None and named["id"] == item:
                text = text[named.end() :]
    text = text.strip()
    return text or message


def _line(v: Violation, report: Report, item: str | None, place: str, words: _Words) -> _Line:
    """One violation's line: its place (when the grouping does not say it), the cleaned message,
    and the due and actual dates when the message does not give them."""
    original = v.message_zh if words.zh and v.message_zh else v.message
    text = _clean(original, item=item, as_of=report.as_of, caveats=report.caveats)
    facts = []
    if v.due is not None and v.due.isoformat() not in original:
        facts.append(f"{words['due']} {v.due}")
    if v.actual is not None and v.actual != report.as_of and v.actual.isoformat() not in original:
        facts.append(f"{words['actual']} {v.actual}")
    if v.plugin and not v.plugin.startswith("rectflow."):
        facts.append(f"{words['plugin']} {v.plugin}")
    if place:
        text = words["place"].format(place=place, text=text)
    if facts:
        text += f" [{'; '.join(facts)}]"
    return _Line(v.level, v.code, text)


def _case_view(report: Report, case: Case | None, words: _Words) -> _CaseView:
    """One case's groups: its own findings, then each item's, in ledger order."""
    own: list[_Line] = []
    by_item: dict[str, list[_Line]] = {}
    kinds: dict[str, str] = {}
    for v in report.violations:
        match = _ITEM_WHERE.match(v.where)
        if match is None:
            place = "" if v.where == "case" else v.where
            own.append(_line(v, report, None, place, words))
            continue
        item = match["measure"] or match["problem"]
        kinds.setdefault(item, "measure" if match["measure"] else "problem")
        line = _line(v, report, item, match["rest"] or "", words)
        by_item.setdefault(item, []).append(line)
    ledger = _ledger(case, set(by_item))

    def order(item: str) -> tuple[int, int, tuple[tuple[int, int, str], ...]]:
        """Items the case holds in ledger order, then any other by id."""
        known = ledger.get(item)
        return (0, known[0], ()) if known is not None else (1, 0, _id_key(item))

    groups = [_Group(words["case"], "", tuple(own))] if own else []
    for item in sorted(by_item, key=order):
        known = ledger.get(item)
        kind = known[1] if known is not None else kinds[item]
        title = _clip(known[2], TITLE_WIDTH) if known is not None else ""
        label = words["item"].format(kind=words[kind], id=item)
        groups.append(_Group(label, title, tuple(by_item[item])))
    detail = words["detail"].format(as_of=report.as_of, policy=report.policy)
    if report.file:
        detail += words["detail_file"].format(file=report.file)
    return _CaseView(report.case, detail, report.counts(), tuple(groups))


def _view(reports: Sequence[Report], lang: str, cases: Sequence[Case | None] | None) -> _View:
    """What the text and the tables show: the summary, each case, the rules met, the notes."""
    if cases is not None and len(cases) != len(reports):
        raise ValueError(
            f"{len(reports)} reports but {len(cases)} cases: give one case (or None) per report"
        )
    words = _Words.of(lang)
    found = cases if cases is not None else [None] * len(reports)
    hints: dict[str, dict[str, None]] = {}
    bases: dict[str, dict[str, None]] = {}
    notes: dict[str, None] = {}
    for report in reports:
        for v in report.violations:
            hints.setdefault(v.code, {})
            bases.setdefault(v.code, {})
            if v.hint:
                # In the report's language when the catalogue has it (an unmarked hint, say a
                # plugin's, is shown as it is).
                hints[v.code][translate(lang, v.hint)] = None
            if v.basis:
                bases[v.code][translate(lang, v.basis)] = None
        notes.update(dict.fromkeys(translate(lang, caveat) for caveat in report.caveats))
    rules = tuple(
        _Rule(code, tuple(hints[code]), tuple(bases[code]))
        for code in sorted(hints)
        if hints[code] or bases[code]
    )
    return _View(
        words,
        summary_line(reports, lang),
        tuple(_case_view(r, c, words) for r, c in zip(reports, found, strict=True)),
        rules,
        tuple(notes),
    )


# -- plain text ---------------------------------------------------------------------------------


def _pad(text: str, columns: int) -> str:
    return text + " " * (columns - display_width(text))


_SPLIT = re.compile(r"\s+|\S+")


def _tokens(text: str) -> list[str]:
    """Words, runs of spaces and single wide characters: the places a line may break."""
    tokens: list[str] = []
    for word in _SPLIT.findall(text):
        if word.isascii() or word[0].isspace():
            tokens.append(word)
            continue
        run = ""
        for char in word:
            if display_width(char) == 2:
                if run:
                    tokens.append(run)
                    run = ""
                tokens.append(char)
            else:
                run += char
        if run:
            tokens.append(run)
    return tokens


def _wrap(text: str, columns: int) -> list[str]:
    """``text`` in lines of at most ``columns``: broken between words or wide characters, a
    word longer than a line cut, and no line begun by a closing mark or ended by an opening one
    (the text beside the mark moves down with it)."""
    if display_width(text) <= columns:
        return [text]
    lines: list[str] = []
    line: list[str] = []
    used = 0
    for token in _tokens(text):
        spaces = token.isspace()
        if spaces and not line:
            continue
        if not spaces and line and used + display_width(token) > columns:
            carried = _carried(line, token)
            lines.append("".join(line).rstrip())
            line, used = carried, sum(display_width(t) for t in carried)
        rest = token
        while display_width(rest) > columns:  # a word longer than a line, on lines of its own
            head = _clip_columns(rest, columns)
            lines.append(head)
            rest = rest[len(head) :]
        line.append(rest)
        used += display_width(rest)
    if "".join(line).strip() or not lines:
        lines.append("".join(line).rstrip())
    return lines


def _carried(line: list[str], token: str) -> list[str]:
    """The tokens at the end of a full ``line`` that go down with ``token`` (taken off it)."""
    carried: list[str] = []
    if token[0] in _NO_LINE_START and len(line) > 1 and not line[-1].isspace():
        carried.append(line.pop())
    if len(line) > 1 and line[-1][-1] in _NO_LINE_END:
        carried.insert(0, line.pop())
    return carried


def _clip_columns(text: str, columns: int) -> str:
    """The longest start of ``text`` that fits ``columns`` (at least one character)."""
    kept: list[str] = []
    used = 0
    for char in text:
        used += display_width(char)
        if used > columns and kept:
            break
        kept.append(char)
    return "".join(kept)


def _hanging(head: str, text: str, width: int) -> list[str]:
    """``head`` then ``text`` wrapped, continuation lines indented under the text."""
    indent = display_width(head)
    lines = _wrap(text, max(width - indent, 20))
    return [head + lines[0]] + [" " * indent + line for line in lines[1:]]


def render_text(
    reports: Iterable[Report],
    lang: str = "en",
    cases: Sequence[Case | None] | None = None,
    width: int = WIDTH,
) -> str:
    """Several reports as text for people.

    The summary line first (``3 cases: 12 errors, 40 warnings, 5 infos``); then a block per case:
    a heading with its counts, the as-of date, policy and file; the case's own findings, then its
    items in ledger order, each named once with its id and a short title; one line per
    violation: level, rule code, the message without what the grouping says (the item, the
    as-of date, calendar caveats), with a due or actual date only when the message does not
    give it. At the end, once: each rule's hints and bases, then the calendar caveats. Lines
    are wrapped to ``width`` columns under their message.

    ``cases`` (one per report, or ``None``) gives the items' titles and ledger order; without
    it items are named by id and ordered naturally. ``lang="zh"`` uses the Chinese messages and
    headings.
    """
    given = list(reports)
    view = _view(given, lang, cases)
    words = view.words
    level_width = max(display_width(words.level(level)) for level in Level)
    gap = words["after_label"]
    out = [view.summary]
    for case in view.cases:
        out.extend(("", case.name + words["after_name"] + words.tally(case.counts)))
        out.append(f"  {case.detail}")
        if not case.groups:
            out.append(f"  {words['none']}")
        code_width = max((len(line.code) for g in case.groups for line in g.lines), default=0)
        for group in case.groups:
            out.append(f"  {group.label}  {group.title}" if group.title else f"  {group.label}")
            for line in group.lines:
                level = _pad(words.level(line.level), level_width)
                out.extend(_hanging(f"    {level}  {line.code:<{code_width}}  ", line.text, width))
    if view.rules:
        out.extend(("", words["rules"]))
        for rule in view.rules:
            out.append(f"  {rule.code}")
            for hint in rule.hints:
                out.extend(_hanging(f"    {words['fix']}{gap}", hint, width))
            for basis in rule.bases:
                out.extend(_hanging(f"    {words['basis']}{gap}", basis, width))
    if view.notes:
        out.append("")
        for note in view.notes:
            out.extend(_hanging(f"{words['note']}{gap}", note, width))
    return "\n".join(out)


# -- tables at a terminal -------------------------------------------------------------------------


def render_rich(
    reports: Iterable[Report],
    console: Console,
    lang: str = "en",
    cases: Sequence[Case | None] | None = None,
) -> None:
    """Print the reports to a rich ``console`` as tables, coloured by level.

    The same content as :func:`render_text`: the summary line, then per case a heading and a
    table (level, rule, finding) in sections, one per item, each led by a row with the item's
    label and short title; then a table of the rules' hints and bases, and the calendar
    caveats. Long findings wrap within the console's width; item titles are clipped. Needs
    rich (the ``cli`` extra).
    """
    from rich import box  # noqa: PLC0415 - rich is the cli extra's, for a person at a terminal
    from rich.table import Table  # noqa: PLC0415
    from rich.text import Text  # noqa: PLC0415

    view = _view(list(reports), lang, cases)
    words = view.words
    console.print(Text(view.summary, style="bold"))
    for case in view.cases:
        console.print()
        worst = next((level for level in Level if case.counts[level]), None)
        heading = Text(case.name, style="bold")
        heading.append(words["after_name"])
        style = _LEVEL_STYLE[worst] if worst is not None else "green"
        heading.append(words.tally(case.counts), style=style)
        console.print(heading)
        console.print(Text(case.detail, style="dim"))
        if not case.groups:
            console.print(Text(words["none"], style="green"))
            continue
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, expand=True, header_style="bold")
        table.add_column(words["level_column"], no_wrap=True)
        table.add_column(words["rule_column"])
        table.add_column(words["finding_column"], ratio=1, overflow="fold")
        for group in case.groups:
            # The item's heading row: its label under the rule codes, its title under findings.
            table.add_row("", Text(group.label, style="bold"), Text(group.title, style="dim"))
            last = len(group.lines) - 1
            for n, line in enumerate(group.lines):
                table.add_row(
                    Text(words.level(line.level), style=_LEVEL_STYLE[line.level]),
                    line.code,
                    line.text,
                    end_section=n == last,
                )
        console.print(table)
    if view.rules:
        console.print()
        rules = Table(
            title=words["rules_title"],
            title_justify="left",
            box=box.SIMPLE_HEAD,
            show_edge=False,
            expand=True,
        )
        rules.add_column(words["rule_column"], no_wrap=True)
        rules.add_column(words["fix_column"], ratio=1, overflow="fold")
        rules.add_column(words["basis_column"], ratio=1, overflow="fold")
        for rule in view.rules:
            rules.add_row(rule.code, "\n".join(rule.hints), "\n".join(rule.bases))
        console.print(rules)
    for note in view.notes:
        console.print(Text(f"{words['note']}{words['after_label']}{note}", style="dim"))


# -- JSON -----------------------------------------------------------------------------------------


def render_json(reports: Iterable[Report], lang: str = "en") -> str:
    """Several reports as ``{"summary": {...}, "cases": [...]}`` (see :meth:`Report.to_dict`).

    ``summary`` counts the cases and the violations of each level in all of them.
    """
    given = list(reports)
    summary: dict[str, int] = {"cases": len(given)}
    summary.update(dict.fromkeys((level.value for level in Level), 0))
    for report in given:
        for level, count in report.counts().items():
            summary[level.value] += count
    document = {"summary": summary, "cases": [report.to_dict(lang) for report in given]}
    return json.dumps(document, ensure_ascii=False, indent=2)
