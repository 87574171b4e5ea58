"""The supervision loop (督办) from the shell: one command per kind of change, and the log.

``assign``, ``set-due``, ``extend``, ``edit-text``, ``evidence add``, ``measure add``,
``problem add``, ``accountability add`` and ``evaluate`` each load the case file, record one event
through the public API (:mod:`rectflow._core.supervision`, :func:`rectflow.add_measure`), save
the file (atomically, only if no one else saved it meanwhile) and print the event as ``rectflow
log`` does. The acceptance triggers (submit, accept, reject) are ``rectflow fire``'s. ``rectflow
log`` prints the history of a case or an item, in words or as JSON.

Every day is given: ``--on YYYY-MM-DD``, or ``--on today`` to say so explicitly (the only read of
the clock, :func:`rectflow._cli._dates.today`). A refusal is a
:class:`~rectflow.errors.RectflowError`, which ``_cli.main`` prints as one line with exit 2; the
file is then untouched, since nothing is saved before the event is recorded.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from rectflow._casefile.files import load_case, save_case
from rectflow._cli._dates import DAY_OR_TODAY, LANGS, default_lang
from rectflow._cli._words import LOG_FORMAT, LOG_VERSION, WORDS, event_json, event_line
from rectflow._cli.case import DAY
from rectflow._core.kinds import (
    AccountabilityForm,
    EvidenceKind,
    Grade,
    InspectionKind,
    ProblemKind,
)
from rectflow._core.labels import ACCOUNTABILITY_WORDS, EVIDENCE_KIND_ZH, GRADE_ZH, PROBLEM_KIND_ZH
from rectflow._core.lifecycle import Guard, add_measure
from rectflow._core.model import (
    Accountability,
    Case,
    Evaluation,
    Event,
    Evidence,
    Measure,
    Problem,
    Responsibility,
)
from rectflow._core.supervision import (
    add_evidence,
    add_problem,
    assign,
    edit_text,
    evaluate,
    extend,
    record_accountability,
    set_due,
)
from rectflow._rules.check import guards
from rectflow.errors import RectflowError

__all__ = ["COMMANDS"]

_CASE_PATH = click.Path(dir_okay=False, path_type=Path)
_WHO = ("leader", "department", "person")
E = TypeVar("E", bound=enum.Enum)

# An edit: given the loaded case and the guards, record one event and return it.
_Change = Callable[[Case, Sequence[Guard]], Event]


# -- options shared by every command that records an event -------------------------------------


def _lang_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--lang",
        type=click.Choice(LANGS),
        default=default_lang,
        show_default="zh when the locale is zh_CN, else en",
        help="The language of what is printed.",
    )(f)


def _event_options(*, guarded: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--on``, ``--recorded-on``, ``--actor``, ``--note``, ``--lang`` and, where the API
    consults guards, ``--policy`` and ``--no-guards``."""

    def decorate(f: Callable[..., Any]) -> Callable[..., Any]:
        if guarded:
            f = click.option(
                "--no-guards",
                is_flag=True,
                help="Record it without consulting the rules (history as it happened).",
            )(f)
            f = click.option(
                "--policy",
                "policy_name",
                default=None,
                metavar="NAME|FILE",
                help="The policy whose rules guard the change (a preset or a policy file). "
                "Default: xunshi for a 巡视 case, xuncha otherwise.",
            )(f)
        f = _lang_option(f)
        f = click.option("--note", default=None, help="A note kept with the event.")(f)
        f = click.option(
            "--actor", default=None, help="Who records it (a person or a department)."
        )(f)
        f = click.option(
            "--recorded-on",
            type=DAY_OR_TODAY,
            default=None,
            help="For a late recording: the day it is entered (--on stays the day it "
            "happened). Needed when --on is before an event already in the log.",
        )(f)
        return click.option(
            "--on",
            "on",
            type=DAY_OR_TODAY,
            required=True,
            help="The day it happened: YYYY-MM-DD, or today (said explicitly; never a default).",
        )(f)

    return decorate


def _record(
    path: Path,
    change: _Change,
    lang: str,
    *,
    policy_name: str | None = None,
    no_guards: bool = True,
) -> None:
    """Load the case, record the change, save it and print the event: nothing is written when
    the change is refused."""
    case = load_case(path)
    rules: Sequence[Guard] = ()
    if not no_guards:
        # The same default as `rectflow fire` and `rectflow check`: the kind's preset.
        default = "xunshi" if case.inspection.kind is InspectionKind.XUNSHI else "xuncha"
        rules = guards(None, policy_name or default)
    event = change(case, rules)
    save_case(case, path)
    click.echo(event_line(event, lang))
    click.echo(WORDS[lang]["saved"].format(path=path))


def _text(value: str | None, option: str) -> str | None:
    """An option's text, stripped; a blank one is refused (say it or leave it out)."""
    if value is None:
        return None
    if not value.strip():
        raise RectflowError(f"{option} is blank: give it a value, or leave the option out")
    return value.strip()


def _required(value: str, option: str) -> str:
    return _text(value, option) or ""  # a required option is never None


def _member(value: str, kind: type[E], words: Mapping[E, str | tuple[str, ...]], option: str) -> E:
    """The member named by its value or by one of its Chinese words."""
    text = value.strip()
    for member in kind:
        said = words[member]
        names = (str(member.value), *((said,) if isinstance(said, str) else said))
        if text in names or text.lower() == str(member.value):
            return member
    known = ", ".join(f"{m.value} ({w if isinstance(w, str) else w[0]})" for m, w in words.items())
    raise RectflowError(f"{option} {value!r} is not known: give one of {known}")


def _responsibility(
    leader: str | None, department: str | None, person: str | None
) -> Responsibility | None:
    values = {
        name: _text(value, f"--{name}")
        for name, value in zip(_WHO, (leader, department, person), strict=True)
    }
    found = Responsibility(**values)
    return None if found.is_empty() else found


# -- assign ------------------------------------------------------------------------------------


@click.command("assign")
@click.argument("case_path", type=_CASE_PATH, metavar="CASE")
@click.argument("item")
@click.option("--leader", default=None, help="The leader in charge (分管领导).")
@click.option("--department", default=None, help="The department responsible (责任部门).")
@click.option("--person", default=None, help="The person responsible (责任人).")
@click.option("--clear", is_flag=True, help="Remove the item's responsibility.")
@_event_options(guarded=True)
def assign_command(
    case_path: Path,
    item: str,
    leader: str | None,
    department: str | None,
    person: str | None,
    clear: bool,
    on: dt.date,
    recorded_on: dt.date | None,
    actor: str | None,
    note: str | None,
    lang: str,
    policy_name: str | None,
    no_guards: bool,
) -> None:
    """Say who answers for ITEM (明确责任): an ``assign`` event.

    The options given replace those parts of the item's responsibility and the others are kept
    (``--person 王五`` changes the person only); ``--clear`` removes it all.
    """
    given = (leader, department, person)
    if clear and any(v is not None for v in given):
        raise RectflowError(
            "--clear removes the whole responsibility: leave out --leader, --department and "
            "--person, or drop --clear"
        )
    if not clear and all(v is None for v in given):
        raise RectflowError(
            "say who answers for the item: give --leader, --department or --person (or "
            "--clear to remove the responsibility)"
        )

    def change(case: Case, rules: Sequence[Guard]) -> Event:
        new: Responsibility | None = None
        if not clear:
            current = case.item(item).responsibility or Responsibility()
            kept = [getattr(current, name) for name in _WHO]
            merged = [v if v is not None else k for v, k in zip(given, kept, strict=True)]
            new = _responsibility(*merged)
        return assign(
            case,
            item,
            new,
            on=on,
            actor=actor,
            note=note,
            recorded_on=recorded_on,
            guards=rules,
        )

    _record(case_path, change, lang, policy_name=policy_name, no_guards=no_guards)


# -- set-due, extend, edit-text ----------------------------------------------------------------


@click.command("set-due")
@click.argument("case_path", type=_CASE_PATH, metavar="CASE")
@click.argument("item")
@click.argument("due_on", type=DAY, metavar="DATE")
@_event_options(guarded=True)
def set_due_command(
    case_path: Path,
    item: str,
    due_on: dt.date,
    on: dt.date,
    recorded_on: dt.date | None,
    actor: str | None,
    note: str | None,
    lang: str,
    policy_name: str | None,
    no_guards: bool,
) -> None:
    """Set the deadline (整改时限) of an ITEM that has none to DATE: a ``set_due`` event.

    A deadline once set moves only by an approved extension: ``rectflow extend``.
    """

    def change(case: Case, rules: Sequence[Guard]) -> Event:
        return set_due(
            case,
            item,
            due_on,
            on=on,
            actor=actor,
            note=note,
            recorded_on=recorded_on,
            guards=rules,
        )

    _record(case_path, change, lang, policy_name=policy_name, no_guards=no_guards)


@click.command("extend")
@click.argument("case_path", type=_CASE_PATH, metavar="CASE")
@click.argument("item")
@click.argument("due_on", type=DAY, metavar="NEW_DATE")
@click.option("--approver", required=True, help="Who approved it (a person or a body).")
@click.option("--reason", required=True, help="Why the deadline moves.")
@click.option("--role", default=None, help="The approver's role (领导小组, 巡察办 …).")
@_event_options(guarded=True)
def extend_command(
    case_path: Path,
    item: str,
    due_on: dt.date,
    approver: str,
    reason: str,
    role: str | None,
    on: dt.date,
    recorded_on: dt.date | None,
    actor: str | None,
    note: str | None,
    lang: str,
    policy_name: str | None,
    no_guards: bool,
) -> None:
    """Record an approved extension (延期) of ITEM's deadline to NEW_DATE: an ``extend`` event.

    The original deadline and every extension stay on record (``rectflow log``); the checks
    judge against the approved day. --on is the day it was approved.
    """
    role = _text(role, "--role")

    def change(case: Case, rules: Sequence[Guard]) -> Event:
        return extend(
            case,
            item,
            due_on,
            approver=approver,
            reason=reason,
            on=on,
            role=role,
            actor=actor,
            note=note,
            recorded_on=recorded_on,
            guards=rules,
        )

    _record(case_path, change, lang, policy_name=policy_name, no_guards=no_guards)


@click.command("edit-text")
@click.argument("case_path", type=_CASE_PATH, metavar="CASE")
@click.argument("item")
@click.argument("text", metavar="NEW_TEXT")
@_event_options(guarded=True)
def edit_text_command(
    case_path: Path,
    item: str,
    text: str,
    on: dt.date,
    recorded_on: dt.date | None,
    actor: str | None,
    note: str | None,
    lang: str,
    policy_name: str | None,
    no_guards: bool,
) -> None:
    """Change a measure's text or a problem's title to NEW_TEXT: an ``edit_text`` event that
    keeps both."""
    new = _required(text, "NEW_TEXT")

    def change(case: Case, rules: Sequence[Guard]) -> Event:
        return edit_text(
            case, item, new, on=on, actor=actor, note=note, recorded_on=recorded_on, guards=rules
        )

    _record(case_path, change, lang, policy_name=policy_name, no_guards=no_guards)


# -- evidence add ------------------------------------------------------------------------------


@click.group("evidence")
def evidence_group() -> None:
    """Evidence (佐证材料) on file for an item."""


@evidence_group.command("add")
@click.argument("case_path", type=_CASE_PATH, metavar="CASE")
@click.argument("item")
@click.option("--title", required=True, help="What it is, e.g. 院党委会会议纪要（2025年第8次）.")
@click.option(
    "--kind",
    default=EvidenceKind.DOCUMENT.value,
    show_default=True,
    metavar="KIND",
    help="document, minutes, photo, system_record, ledger or other (or 文件, 会议纪要, 照片, "
    "系统记录, 台账, 其他材料).",
)
@click.option("--dated", type=DAY, default=None, help="The day of the document itself.")
@click.option("--reference", default=None, help="Where to find it: a path, a URL, an archive no.")
@click.option("--public", is_flag=True, help="It may be published (evidence is internal).")
@_event_options(guarded=True)
def evidence_add_command(
    case_path: Path,
    item: str,
    title: str,
    kind: str,
    dated: dt.date | None,
    reference: str | None,
    public: bool,
    on: dt.date,
    recorded_on: dt.date | None,
    actor: str | None,
    note: str | None,
    lang: str,
    policy_name: str | None,
    no_guards: bool,
) -> None:
    """Put evidence on file for ITEM: an ``add_evidence`` event (--actor is who added it)."""
    evidence = Evidence(
        _required(title, "--title"),
        _member(kind, EvidenceKind, EVIDENCE_KIND_ZH, "--kind"),
        dated,
        _text(reference, "--reference"),
        None,
        public,
    )

    def change(case: Case, rules: Sequence[Guard]) -> Event:
        return add_evidence(
            case,
            item,
            evidence,
            on=on,
            actor=actor,
            note=note,
            recorded_on=recorded_on,
            guards=rules,
        )

    _record(case_path, change, lang, policy_name=policy_name, no_guards=no_guards)


# -- measure add, problem add ------------------------------------------------------------------


@click.group("measure")
def measure_group() -> None:
    """Measures (整改措施) of a problem."""


@measure_group.command("add")
@click.argument("case_path", type=_CASE_PATH, metavar="CASE")
@click.argument("problem")
@click.argument("measure_id")
@click.option("--text", required=True, help="What is to be done.")
@click.option("--due", "due_on", type=DAY, default=None, help="Its deadline (整改时限).")
@click.option("--leader", default=None, help="The leader in charge (分管领导).")
@click.option("--department", default=None, help="The department responsible (责任部门).")
@click.option("--person", default=None, help="The person responsible (责任人).")
@_event_options(guarded=False)
def measure_add_command(
    case_path: Path,
    problem: str,
    measure_id: str,
    text: str,
    due_on: dt.date | None,
    leader: str | None,
    department: str | None,
    person: str | None,
    on: dt.date,
    recorded_on: dt.date | None,
    actor: str | None,
    note: str | None,
    lang: str,
) -> None:
    """Add the measure MEASURE_ID to PROBLEM (新增整改措施): an ``add_measure`` event."""
    measure = Measure(
        _required(measure_id, "MEASURE_ID"),
        _required(text, "--text"),
        _responsibility(leader, department, person),
        due_on,
    )

    def change(case: Case, _rules: Sequence[Guard]) -> Event:
        return add_measure(
            case, problem, measure, on=on, actor=actor, note=note, recorded_on=recorded_on
        )

    _record(case_path, change, lang)


@click.group("problem")
def problem_group() -> None:
    """Problems (问题) in the ledger."""


@problem_group.command("add")
@click.argument("case_path", type=_CASE_PATH, metavar="CASE")
@click.argument("category")
@click.argument("problem_id")
@click.option("--title", required=True, help="The problem as the feedback states it.")
@click.option(
    "--category-title",
    default=None,
    help="Make CATEGORY a new category with this title (leave out for an existing one).",
)
@click.option(
    "--kind",
    default=ProblemKind.SPECIFIC.value,
    show_default=True,
    metavar="KIND",
    help="key, specific, recommendation, extended, reform or clue (or 重点问题, 具体问题, "
    "整改意见, 举一反三整改事项, 推动改革促进发展整改事项, 问题线索).",
)
@click.option("--due", "due_on", type=DAY, default=None, help="Its deadline (整改时限).")
@_event_options(guarded=False)
def problem_add_command(
    case_path: Path,
    category: str,
    problem_id: str,
    title: str,
    category_title: str | None,
    kind: str,
    due_on: dt.date | None,
    on: dt.date,
    recorded_on: dt.date | None,
    actor: str | None,
    note: str | None,
    lang: str,
) -> None:
    """Add the problem PROBLEM_ID to CATEGORY (新增问题, e.g. a review's finding): an
    ``add_problem`` event. Give it measures with ``rectflow measure add``."""
    problem = Problem(
        _required(problem_id, "PROBLEM_ID"),
        _required(title, "--title"),
        _member(kind, ProblemKind, PROBLEM_KIND_ZH, "--kind"),
        due_on=due_on,
    )
    heading = _text(category_title, "--category-title")

    def change(case: Case, _rules: Sequence[Guard]) -> Event:
        return add_problem(
            case,
            category,
            problem,
            on=on,
            category_title=heading,
            actor=actor,
            note=note,
            recorded_on=recorded_on,
        )

    _record(case_path, change, lang)


# -- accountability add, evaluate --------------------------------------------------------------


@click.group("accountability")
def accountability_group() -> None:
    """Accountability (问责): internal; published only as counts by form."""


@accountability_group.command("add")
@click.argument("case_path", type=_CASE_PATH, metavar="CASE")
@click.option(
    "--form",
    required=True,
    metavar="FORM",
    help="reminder_talk, criticism, ordered_examination, admonishing_talk, organisational, "
    "party_sanction, administrative_sanction or other (or 提醒谈话, 批评教育, 责令检查, "
    "诫勉谈话, 组织处理, 党纪处分, 政务处分 …).",
)
@click.option("--people", type=click.IntRange(min=1), required=True, help="How many people.")
@click.option("--problem", default=None, help="The problem it answers, when one.")
@_event_options(guarded=False)
def accountability_add_command(
    case_path: Path,
    form: str,
    people: int,
    problem: str | None,
    on: dt.date,
    recorded_on: dt.date | None,
    actor: str | None,
    note: str | None,
    lang: str,
) -> None:
    """Record accountability: PEOPLE held to account in FORM, decided --on: an
    ``accountability`` event on the case, or on --problem."""
    record = Accountability(
        _member(form, AccountabilityForm, ACCOUNTABILITY_WORDS, "--form"),
        people,
        on=on,
        problem=_text(problem, "--problem"),
        note=note,
    )

    def change(case: Case, _rules: Sequence[Guard]) -> Event:
        return record_accountability(case, record, actor=actor, recorded_on=recorded_on)

    _record(case_path, change, lang)


@click.command("evaluate")
@click.argument("case_path", type=_CASE_PATH, metavar="CASE")
@click.option(
    "--grade",
    required=True,
    metavar="GRADE",
    help="good, fairly_good, fair or poor (or 好, 较好, 一般, 差).",
)
@click.option(
    "--score",
    type=click.FloatRange(0, 100),
    default=None,
    help="The score out of 100, when given.",
)
@click.option("--by", "by", default=None, help="Who evaluated (e.g. 市纪委监委、市委巡察办).")
@_event_options(guarded=False)
def evaluate_command(
    case_path: Path,
    grade: str,
    score: float | None,
    by: str | None,
    on: dt.date,
    recorded_on: dt.date | None,
    actor: str | None,
    note: str | None,
    lang: str,
) -> None:
    """Record a graded evaluation of the case's rectification (整改评估), dated --on: an
    ``evaluate`` event. Under the presets a grade of 一般 or 差 calls for a second
    rectification (``rectflow fire CASE start_second_rectification``)."""
    evaluation = Evaluation(
        on,
        _member(grade, Grade, GRADE_ZH, "--grade"),
        score,
        _text(by, "--by"),
        note,
    )

    def change(case: Case, _rules: Sequence[Guard]) -> Event:
        return evaluate(case, evaluation, actor=actor, recorded_on=recorded_on)

    _record(case_path, change, lang)


# -- log ---------------------------------------------------------------------------------------


def _concerning(case: Case, item: str | None) -> list[Event]:
    """The case's events, or the item's: for a problem, its measures' too."""
    if item is None:
        return list(case.events)
    found = case.item(item)
    targets = {item}
    if isinstance(found, Problem):
        targets.update(m.id for m in found.measures)
    return [e for e in case.events if e.target in targets]


@click.command("log")
@click.argument("case_path", type=_CASE_PATH, metavar="CASE")
@click.option(
    "--item", default=None, metavar="ID", help="Only this item (a problem: and its measures)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people (one line per event), json for programs (format rectflow.log).",
)
@_lang_option
def log_command(case_path: Path, item: str | None, fmt: str, lang: str) -> None:
    """Print the history of the CASE file, or of one item: one line per event with its number,
    day (and the day it was recorded, when late), what happened, who, what an edit changed
    (``due 2025-06-15 → 2025-08-31, approved by …``) and the note."""
    case = load_case(case_path)
    events = _concerning(case, item)
    if fmt == "json":
        data = {
            "format": LOG_FORMAT,
            "version": LOG_VERSION,
            "file": str(case_path),
            "case": case.id,
            "item": item,
            "events": [event_json(e) for e in events],
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if not events:
        click.echo(WORDS[lang]["no events"])
    for event in events:
        click.echo(event_line(event, lang))


COMMANDS: list[click.Command] = [
    assign_command,
    set_due_command,
    extend_command,
    edit_text_command,
    evidence_group,
    measure_group,
    problem_group,
    accountability_group,
    evaluate_command,
    log_command,
]
