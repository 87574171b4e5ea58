"""The supervision loop (督办) from the shell: one command per kind of change, and the log.

``assign``, ``set-due``, ``extend``, ``edit-text``, ``evidence add``, ``measure add``,
``problem add``, ``accountability add`` and ``evaluate`` each load the case file (or, with
``--store``, the stored case of that id), record one event through the public API
(:mod:`rectflow._core.supervision`, :func:`rectflow.add_measure`), save it back (atomically, only
if no one else saved it meanwhile) and print the event as ``rectflow log`` does. The acceptance
triggers (submit, accept, reject) are ``rectflow fire``'s. ``rectflow log`` prints the history
of a case or an item, in words or as JSON.

Every day is given: ``--on YYYY-MM-DD``, or ``--on today`` to say so explicitly (the only read of
the clock, :func:`rectflow._cli._dates.today`). A refusal is a
:class:`~rectflow.errors.RectflowError`, which ``_cli.main`` prints as one line with exit 2; the
file is then untouched, since nothing is saved before the event is recorded.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

import click

from rectflow._cli._dates import DAY_ARGUMENT
from rectflow._cli._editing import (
    CASE_ARG,
    WHO,
    apply_change,
    day_given,
    event_options,
    lang_option,
    optional,
    parse_member,
    parse_people,
    parse_responsibility,
    parse_score,
    required,
)
from rectflow._cli._source import cases_from, store_option
from rectflow._cli._words import LOG_FORMAT, LOG_VERSION, WORDS, event_json, event_line
from rectflow._cli.case import DAY
from rectflow._core.kinds import AccountabilityForm, EvidenceKind, Grade, ProblemKind
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
from rectflow._i18n import N_, Msg
from rectflow.errors import RectflowError

__all__ = ["COMMANDS"]


# -- assign ------------------------------------------------------------------------------------


@click.command("assign")
@click.argument("case_arg", type=CASE_ARG, metavar="CASE")
@click.argument("item")
@click.option("--leader", default=None, help="The leader in charge (分管领导).")
@click.option("--department", default=None, help="The department responsible (责任部门).")
@click.option("--person", default=None, help="The person responsible (责任人).")
@click.option("--clear", is_flag=True, help="Remove the item's responsibility.")
@event_options(guarded=True)
def assign_command(
    case_arg: str,
    item: str,
    leader: str | None,
    department: str | None,
    person: str | None,
    clear: bool,
    on: dt.date | None,
    recorded_on: dt.date | None,
    actor: str | None,
    note: str | None,
    lang: str,
    store_url: str | None,
    policy_name: str | None,
    no_guards: bool,
) -> None:
    """Say who answers for ITEM (明确责任): an assign event.

    The options given replace those parts of the item's responsibility and the others are kept
    (--person 王五 changes the person only); --clear removes it all.
    """
    day = day_given(on)
    given = (leader, department, person)
    if clear and any(v is not None for v in given):
        raise RectflowError(
            N_(
                "--clear removes the whole responsibility: leave out --leader, --department and "
                "--person, or drop --clear"
            )
        )
    if not clear and all(v is None for v in given):
        raise RectflowError(
            N_(
                "say who answers for the item: give --leader, --department or --person (or "
                "--clear to remove the responsibility)"
            )
        )

    def change(case: Case, rules: Sequence[Guard]) -> Event:
        new: Responsibility | None = None
        if not clear:
            current = case.item(item).responsibility or Responsibility()
            kept = [getattr(current, name) for name in WHO]
            merged = [v if v is not None else k for v, k in zip(given, kept, strict=True)]
            new = parse_responsibility(*merged)
        return assign(
            case,
            item,
            new,
            on=day,
            actor=actor,
            note=note,
            recorded_on=recorded_on,
            guards=rules,
        )

    apply_change(case_arg, change, lang, store_url, policy_name=policy_name, no_guards=no_guards)


# -- set-due, extend, edit-text ----------------------------------------------------------------


@click.command("set-due")
@click.argument("case_arg", type=CASE_ARG, metavar="CASE")
@click.argument("item")
@click.argument("due_on", type=DAY_ARGUMENT, metavar="DATE")
@event_options(guarded=True)
def set_due_command(
    case_arg: str,
    item: str,
    due_on: dt.date,
    on: dt.date | None,
    recorded_on: dt.date | None,
    actor: str | None,
    note: str | None,
    lang: str,
    store_url: str | None,
    policy_name: str | None,
    no_guards: bool,
) -> None:
    """Set the deadline (整改时限) of an ITEM that has none to DATE: a set_due event.

    A deadline once set moves only by an approved extension: rectflow extend.
    """
    day = day_given(on)

    def change(case: Case, rules: Sequence[Guard]) -> Event:
        current = case.item(item).due_on
        if current is not None:
            raise RectflowError(
                Msg(
                    "item {item!r} is already due on {current}: a deadline moves only by an "
                    'approved extension: rectflow extend CASE {item} NEW_DATE --approver "…" '
                    '--reason "…" --on DATE',
                    item=item,
                    current=current,
                )
            )
        return set_due(
            case,
            item,
            due_on,
            on=day,
            actor=actor,
            note=note,
            recorded_on=recorded_on,
            guards=rules,
        )

    apply_change(case_arg, change, lang, store_url, policy_name=policy_name, no_guards=no_guards)


@click.command("extend")
@click.argument("case_arg", type=CASE_ARG, metavar="CASE")
@click.argument("item")
@click.argument("due_on", type=DAY_ARGUMENT, metavar="NEW_DATE")
@click.option("--approver", default=None, help="Required. Who approved it (a person or a body).")
@click.option("--reason", default=None, help="Required. Why the deadline moves.")
@click.option("--role", default=None, help="The approver's role (领导小组, 巡察办 …).")
@event_options(guarded=True)
def extend_command(
    case_arg: str,
    item: str,
    due_on: dt.date,
    approver: str | None,
    reason: str | None,
    role: str | None,
    on: dt.date | None,
    recorded_on: dt.date | None,
    actor: str | None,
    note: str | None,
    lang: str,
    store_url: str | None,
    policy_name: str | None,
    no_guards: bool,
) -> None:
    """Record an approved extension (延期) of ITEM's deadline to NEW_DATE: an extend event.

    The original deadline and every extension stay on record (rectflow log); the checks
    judge against the approved day. --on is the day it was approved.
    """
    day = day_given(on)
    who, why = required(approver, "--approver"), required(reason, "--reason")
    role = optional(role, "--role")

    def change(case: Case, rules: Sequence[Guard]) -> Event:
        if case.item(item).due_on is None:
            raise RectflowError(
                Msg(
                    "item {item!r} has no deadline to extend: set one with rectflow set-due CASE "
                    "{item} DATE --on DATE",
                    item=item,
                )
            )
        return extend(
            case,
            item,
            due_on,
            approver=who,
            reason=why,
            on=day,
            role=role,
            actor=actor,
            note=note,
            recorded_on=recorded_on,
            guards=rules,
        )

    apply_change(case_arg, change, lang, store_url, policy_name=policy_name, no_guards=no_guards)


@click.command("edit-text")
@click.argument("case_arg", type=CASE_ARG, metavar="CASE")
@click.argument("item")
@click.argument("text", metavar="NEW_TEXT")
@event_options(guarded=True)
def edit_text_command(
    case_arg: str,
    item: str,
    text: str,
    on: dt.date | None,
    recorded_on: dt.date | None,
    actor: str | None,
    note: str | None,
    lang: str,
    store_url: str | None,
    policy_name: str | None,
    no_guards: bool,
) -> None:
    """Change a measure's text or a problem's title to NEW_TEXT: an edit_text event that
    keeps both."""
    day = day_given(on)
    new = required(text, "NEW_TEXT")

    def change(case: Case, rules: Sequence[Guard]) -> Event:
        return edit_text(
            case, item, new, on=day, actor=actor, note=note, recorded_on=recorded_on, guards=rules
        )

    apply_change(case_arg, change, lang, store_url, policy_name=policy_name, no_guards=no_guards)


# -- evidence add ------------------------------------------------------------------------------


@click.group("evidence")
def evidence_group() -> None:
    """Evidence (佐证材料) on file for an item."""


@evidence_group.command("add")
@click.argument("case_arg", type=CASE_ARG, metavar="CASE")
@click.argument("item")
@click.option(
    "--title", default=None, help="Required. What it is, e.g. 院党委会会议纪要（2025年第8次）."
)
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
@event_options(guarded=True)
def evidence_add_command(
    case_arg: str,
    item: str,
    title: str | None,
    kind: str,
    dated: dt.date | None,
    reference: str | None,
    public: bool,
    on: dt.date | None,
    recorded_on: dt.date | None,
    actor: str | None,
    note: str | None,
    lang: str,
    store_url: str | None,
    policy_name: str | None,
    no_guards: bool,
) -> None:
    """Put evidence on file for ITEM: an add_evidence event (--actor is who added it)."""
    day = day_given(on)
    evidence = Evidence(
        required(title, "--title"),
        parse_member(kind, EvidenceKind, EVIDENCE_KIND_ZH, "--kind"),
        dated,
        optional(reference, "--reference"),
        None,
        public,
    )

    def change(case: Case, rules: Sequence[Guard]) -> Event:
        return add_evidence(
            case,
            item,
            evidence,
            on=day,
            actor=actor,
            note=note,
            recorded_on=recorded_on,
            guards=rules,
        )

    apply_change(case_arg, change, lang, store_url, policy_name=policy_name, no_guards=no_guards)


# -- measure add, problem add ------------------------------------------------------------------


@click.group("measure")
def measure_group() -> None:
    """Measures (整改措施) of a problem."""


@measure_group.command("add")
@click.argument("case_arg", type=CASE_ARG, metavar="CASE")
@click.argument("problem")
@click.argument("measure_id")
@click.option("--text", default=None, help="Required. What is to be done.")
@click.option("--due", "due_on", type=DAY, default=None, help="Its deadline (整改时限).")
@click.option("--leader", default=None, help="The leader in charge (分管领导).")
@click.option("--department", default=None, help="The department responsible (责任部门).")
@click.option("--person", default=None, help="The person responsible (责任人).")
@event_options(guarded=False)
def measure_add_command(
    case_arg: str,
    problem: str,
    measure_id: str,
    text: str | None,
    due_on: dt.date | None,
    leader: str | None,
    department: str | None,
    person: str | None,
    on: dt.date | None,
    recorded_on: dt.date | None,
    actor: str | None,
    note: str | None,
    lang: str,
    store_url: str | None,
) -> None:
    """Add the measure MEASURE_ID to PROBLEM (新增整改措施): an add_measure event."""
    day = day_given(on)
    measure = Measure(
        required(measure_id, "MEASURE_ID"),
        required(text, "--text"),
        parse_responsibility(leader, department, person),
        due_on,
    )

    def change(case: Case, _rules: Sequence[Guard]) -> Event:
        return add_measure(
            case, problem, measure, on=day, actor=actor, note=note, recorded_on=recorded_on
        )

    apply_change(case_arg, change, lang, store_url)


@click.group("problem")
def problem_group() -> None:
    """Problems (问题) in the ledger."""


@problem_group.command("add")
@click.argument("case_arg", type=CASE_ARG, metavar="CASE")
@click.argument("category")
@click.argument("problem_id")
@click.option("--title", default=None, help="Required. The problem as the feedback states it.")
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
@event_options(guarded=False)
def problem_add_command(
    case_arg: str,
    category: str,
    problem_id: str,
    title: str | None,
    category_title: str | None,
    kind: str,
    due_on: dt.date | None,
    on: dt.date | None,
    recorded_on: dt.date | None,
    actor: str | None,
    note: str | None,
    lang: str,
    store_url: str | None,
) -> None:
    """Add the problem PROBLEM_ID to CATEGORY (新增问题, e.g. a review's finding): an
    add_problem event. Give it measures with rectflow measure add."""
    day = day_given(on)
    problem = Problem(
        required(problem_id, "PROBLEM_ID"),
        required(title, "--title"),
        parse_member(kind, ProblemKind, PROBLEM_KIND_ZH, "--kind"),
        due_on=due_on,
    )
    heading = optional(category_title, "--category-title")

    def change(case: Case, _rules: Sequence[Guard]) -> Event:
        return add_problem(
            case,
            category,
            problem,
            on=day,
            category_title=heading,
            actor=actor,
            note=note,
            recorded_on=recorded_on,
        )

    apply_change(case_arg, change, lang, store_url)


# -- accountability add, evaluate --------------------------------------------------------------


@click.group("accountability")
def accountability_group() -> None:
    """Accountability (问责): internal; published only as counts by form."""


@accountability_group.command("add")
@click.argument("case_arg", type=CASE_ARG, metavar="CASE")
@click.option(
    "--form",
    default=None,
    metavar="FORM",
    help="Required. reminder_talk, criticism, ordered_examination, admonishing_talk, "
    "organisational, party_sanction, administrative_sanction or other (or 提醒谈话, "
    "批评教育, 责令检查, 诫勉谈话, 组织处理, 党纪处分, 政务处分 …).",
)
@click.option("--people", default=None, metavar="N", help="Required. How many people.")
@click.option("--problem", default=None, help="The problem it answers, when one.")
@event_options(guarded=False)
def accountability_add_command(
    case_arg: str,
    form: str | None,
    people: str | None,
    problem: str | None,
    on: dt.date | None,
    recorded_on: dt.date | None,
    actor: str | None,
    note: str | None,
    lang: str,
    store_url: str | None,
) -> None:
    """Record accountability: PEOPLE held to account in FORM, decided --on: an
    accountability event on the case, or on --problem."""
    day = day_given(on)
    record = Accountability(
        parse_member(required(form, "--form"), AccountabilityForm, ACCOUNTABILITY_WORDS, "--form"),
        parse_people(people),
        on=day,
        problem=optional(problem, "--problem"),
        note=note,
    )

    def change(case: Case, _rules: Sequence[Guard]) -> Event:
        return record_accountability(case, record, actor=actor, recorded_on=recorded_on)

    apply_change(case_arg, change, lang, store_url)


@click.command("evaluate")
@click.argument("case_arg", type=CASE_ARG, metavar="CASE")
@click.option(
    "--grade",
    default=None,
    metavar="GRADE",
    help="Required. good, fairly_good, fair or poor (or 好, 较好, 一般, 差).",
)
@click.option(
    "--score",
    default=None,
    metavar="S",
    help="The score out of 100, when given (e.g. 74.5).",
)
@click.option("--by", "by", default=None, help="Who evaluated (e.g. 市纪委监委、市委巡察办).")
@event_options(guarded=False)
def evaluate_command(
    case_arg: str,
    grade: str | None,
    score: str | None,
    by: str | None,
    on: dt.date | None,
    recorded_on: dt.date | None,
    actor: str | None,
    note: str | None,
    lang: str,
    store_url: str | None,
) -> None:
    """Record a graded evaluation of the case's rectification (整改评估), dated --on: an
    evaluate event. Under the presets a grade of 一般 or 差 calls for a second
    rectification (rectflow fire CASE start_second_rectification)."""
    day = day_given(on)
    evaluation = Evaluation(
        day,
        parse_member(required(grade, "--grade"), Grade, GRADE_ZH, "--grade"),
        parse_score(score),
        optional(by, "--by"),
        note,
    )

    def change(case: Case, _rules: Sequence[Guard]) -> Event:
        return evaluate(case, evaluation, actor=actor, recorded_on=recorded_on)

    apply_change(case_arg, change, lang, store_url)


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
@click.argument("case_arg", type=CASE_ARG, metavar="CASE")
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
@lang_option
@store_option
def log_command(
    case_arg: str, item: str | None, fmt: str, lang: str, store_url: str | None
) -> None:
    """Print the history of the CASE file (or stored case), or of one item: one line per event
    with its number, day (and the day it was recorded, when late), what happened, who, what an
    edit changed (due 2025-06-15 → 2025-08-31, approved by …) and the note."""
    with cases_from(store_url, lang) as source:
        case, where = source.load(case_arg)
    events = _concerning(case, item)
    if fmt == "json":
        data = {
            "format": LOG_FORMAT,
            "version": LOG_VERSION,
            "file": None if where.path is None else str(where.path),
            **({} if where.store is None else {"store": where.store}),
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
