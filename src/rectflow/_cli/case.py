"""``rectflow status``, ``rectflow fire`` and ``rectflow diagram``: a case file from the shell
(or, with ``--store``, a case in a store: :mod:`rectflow._cli._source`).

Tables go through rich when standard output is a terminal and are plain text otherwise (pipes,
files, tests), so the output can be read by people and by scripts alike; ``--lang zh`` writes the
status in Chinese; ``--format json`` is for programs (:meth:`rectflow.CaseStatus.to_dict`,
docs/status-json.md). A user's mistake raises a :class:`~rectflow.errors.RectflowError`, which
``_cli.main`` turns into one line and exit code 2.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import click

from rectflow._cli._source import WORDS as SOURCE_WORDS
from rectflow._cli._source import Where, cases_from, store_option
from rectflow._core.asof import as_of_view
from rectflow._core.dates import FuzzyDate
from rectflow._core.labels import (
    ACCOUNTABILITY_FORM_ZH,
    CASE_STATE_ZH,
    GRADE_ZH,
    ITEM_STATE_ZH,
    TRIGGER_ZH,
    display_width,
    text_columns,
)
from rectflow._core.lifecycle import CASE_LIFECYCLE, ITEM_LIFECYCLE, REASON_REQUIRED, fire
from rectflow._core.model import (
    Case,
    InspectionKind,
    ItemState,
    Measure,
    Problem,
    Responsibility,
)
from rectflow._core.status import CaseStatus, OverdueItem, status
from rectflow._i18n import LANGS, N_, NP_, Msg, Words, default_lang, translate
from rectflow.errors import InvalidDateError, MissingReasonError

__all__ = ["COMMANDS"]

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


if TYPE_CHECKING:
    from rectflow._rules.plugins import Plugins

    # click 8.2+ types ParamType as generic; older releases (allowed by the cli extra) do not,
    # so it is subscripted for the type checker only.
    _ParamType = click.ParamType[dt.date, Any]
else:
    _ParamType = click.ParamType


class _Day(_ParamType):
    """A day written ``YYYY-MM-DD``; anything else is the user's mistake (exit 2, one line)."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, dt.date):
            return value
        option = param.opts[0] if param is not None and param.opts else Msg.of(N_("the date"))
        text = str(value).strip()
        if not _ISO_DAY.match(text):
            raise InvalidDateError(
                value, Msg("{option} expects a day written YYYY-MM-DD", option=option)
            )
        year, month, day = (int(part) for part in text.split("-"))
        try:
            # FuzzyDate says why a day does not exist in words of its own (month 13, 2025-02
            # has 28 days), catalogued; Python's ValueError would stay English.
            FuzzyDate(year, month, day)
        except InvalidDateError as impossible:
            raise InvalidDateError(
                value, Msg("{option}: {reason}", option=option, reason=Msg.of(impossible.reason))
            ) from None
        return dt.date(year, month, day)


DAY = _Day()


def _use_rich() -> bool:
    """Rich tables only for a person at a terminal; plain text for pipes and files."""
    return sys.stdout.isatty()


# -- status ------------------------------------------------------------------------------------


def _kind(item: Problem | Measure) -> str:
    return "problem" if isinstance(item, Problem) else "measure"


def _who(responsibility: Responsibility | None) -> str:
    if responsibility is None:
        return ""
    r = responsibility
    return " / ".join(x for x in (r.leader, r.department, r.person) if x)


def _label(item: Problem | Measure) -> str:
    return item.title if isinstance(item, Problem) else item.text


def _item_json(item: Problem | Measure) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": item.id,
        "kind": _kind(item),
        "state": item.state.value,
        "due_on": item.due_on.isoformat() if item.due_on is not None else None,
    }
    if item.responsibility is not None:
        r = item.responsibility
        data["responsibility"] = {
            "leader": r.leader,
            "department": r.department,
            "person": r.person,
        }
    return data


def _status_json(where: Where, case: Case, st: CaseStatus, items: bool) -> dict[str, Any]:
    """``to_dict()`` and the command line's own keys: the file (or the store) and, with --items,
    the items."""
    data = st.to_dict()
    data["file"] = None if where.path is None else str(where.path)
    if where.store is not None:
        data["store"] = where.store
    if items:
        data["items"] = [_item_json(item) for item in _ledger_items(case)]
    return data


def _ledger_items(case: Case) -> list[Problem | Measure]:
    ordered: list[Problem | Measure] = []
    for problem in case.problems():
        ordered.append(problem)
        ordered.extend(problem.measures)
    return ordered


# Every word of `rectflow status` as text, in English; the Chinese is in the catalogue. English
# shows the Chinese labels of states, forms and grades beside the English names; Chinese shows the
# labels alone. A noun's words carry it as msgctxt (个 for problems, 条 for measures).
STATUS_WORDS = Words(
    {
        "none": N_("none"),
        "list_sep": N_(", "),
        "enum_sep": NP_("enumeration", ", "),
        "problems_total": NP_("problems", "{total} ({parts})"),
        "problems_part": NP_("problems", "{state} {state_zh} {n}"),
        "problems_unknown": NP_("problems", "state not stated 未说明 {n}"),
        "measures_total": NP_("measures", "{total} ({parts})"),
        "measures_part": NP_("measures", "{state} {state_zh} {n}"),
        "measures_unknown": NP_("measures", "state not stated 未说明 {n}"),
        "problem": N_("problem"),
        "measure": N_("measure"),
        "state": N_("{state} {state_zh}"),
        "late_due": N_("due {due}, {days} days late{extended}"),
        "extended": N_(" (originally {original}, {days} days; extended {n}x)"),
        "item_due": NP_("status", "due {due}"),
        "awaiting acceptance": N_("awaiting acceptance"),
        "awaiting": N_("{n} item(s) 待验收"),
        "rejections": N_("rejections"),
        "rejected": N_("{n} 驳回"),
        "extensions": N_("extensions"),
        "extended_times": N_("{n} 延期"),
        "accountability": N_("accountability"),
        "people": N_("{people} people ({forms})"),
        "form": N_("{form} {form_zh} {n}"),
        "evaluation": N_("evaluation"),
        "evaluated": N_("{on} {grade} {grade_zh}{tail}"),
        "score": N_("score {score}"),
        "by": NP_("status", "by {by}"),
        "tail": NP_("status", " ({said})"),
        "file": N_("file"),
        "inspected body": N_("inspected body"),
        "not stated": N_("(not stated)"),
        "case": N_("case"),
        "case_state": N_("{id}: {state} {state_zh}"),
        "problems": N_("problems"),
        "measures": N_("measures"),
        "as of": N_("as of"),
        "as_of": N_("{as_of} ({reason})"),
        "overdue": N_("overdue"),
        "late_count": N_("{n} item(s)"),
        "key": N_("{key}:"),
        "items:": N_("items:"),
        "overdue_title": N_("overdue as of {as_of}"),
        "kind": N_("kind"),
        "id": N_("id"),
        "state_column": NP_("column", "state"),
        "due_column": NP_("column", "due"),
        "responsible": N_("responsible"),
        "items": N_("items"),
        "title / text": N_("title / text"),
        # Why the as-of day, said in Chinese (English says the status's own as_of_reason).
        "given": N_("given"),
        "last_event": N_("the case's last event: #{seq} {trigger} on {on}"),
        "no_events": N_("no events; the latest date the case states"),
    }
)


def _counts(counts: Mapping[ItemState, int], unknown: int, noun: str, lang: str) -> str:
    w = STATUS_WORDS[lang]
    if not counts and not unknown:
        return w["none"]
    total = sum(counts.values()) + unknown
    parts = [
        w[f"{noun}_part"].format(state=s.value, state_zh=ITEM_STATE_ZH[s], n=n)
        for s, n in counts.items()
    ]
    if unknown:  # counted apart: an unstated state is not an open one
        parts.append(w[f"{noun}_unknown"].format(n=unknown))
    return w[f"{noun}_total"].format(total=total, parts=w["list_sep"].join(parts))


def _state(state: ItemState, lang: str) -> str:
    return STATUS_WORDS[lang]["state"].format(state=state.value, state_zh=ITEM_STATE_ZH[state])


def _late_line(late: OverdueItem, lang: str) -> list[str]:
    w = STATUS_WORDS[lang]
    extended = ""
    if late.extensions:
        extended = w["extended"].format(
            original=late.original_due_on, days=late.days_late_originally, n=late.extensions
        )
    return [
        w[late.kind],
        late.id,
        _state(late.state, lang),
        w["late_due"].format(due=late.due_on, days=late.days_late, extended=extended),
        _who(late.responsibility),
    ]


def _item_line(item: Problem | Measure, lang: str) -> list[str]:
    w = STATUS_WORDS[lang]
    text = _label(item)
    short = text if len(text) <= 40 else text[:39] + "…"
    return [
        w[_kind(item)],
        item.id,
        _state(item.state, lang),
        w["item_due"].format(due=item.due_on) if item.due_on is not None else "",
        short,
    ]


def _supervision_pairs(st: CaseStatus, lang: str) -> list[tuple[str, str]]:
    """The supervision's lines, each only when it has something to say."""
    w = STATUS_WORDS[lang]
    pairs: list[tuple[str, str]] = []
    if st.awaiting_acceptance:
        pairs.append((w["awaiting acceptance"], w["awaiting"].format(n=st.awaiting_acceptance)))
    if st.rejections:
        pairs.append((w["rejections"], w["rejected"].format(n=st.rejections)))
    if st.extensions:
        pairs.append((w["extensions"], w["extended_times"].format(n=st.extensions)))
    if st.accountability:
        forms = w["enum_sep"].join(
            w["form"].format(form=f.value, form_zh=ACCOUNTABILITY_FORM_ZH[f], n=n)
            for f, n in st.accountability.items()
        )
        people = sum(st.accountability.values())
        pairs.append((w["accountability"], w["people"].format(people=people, forms=forms)))
    if st.evaluation is not None:
        e = st.evaluation
        said = [w["score"].format(score=f"{e.score:g}")] if e.score is not None else []
        said += [w["by"].format(by=e.by)] if e.by else []
        tail = w["tail"].format(said=w["list_sep"].join(said)) if said else ""
        evaluated = w["evaluated"].format(
            on=e.on, grade=e.grade.value, grade_zh=GRADE_ZH[e.grade], tail=tail
        )
        pairs.append((w["evaluation"], evaluated))
    return pairs


def _reason(case: Case, st: CaseStatus, lang: str) -> str:
    """Why the as-of day: the status's own reason in English; in Chinese given, the last event,
    or the latest date stated."""
    return as_of_reason(case, st.as_of_reason, lang)


def as_of_reason(case: Case, reason: str, lang: str) -> str:
    """``reason`` (what ``status`` or :func:`~rectflow._core.status.default_as_of` says of the
    as-of day of ``case``) in ``lang``: as it is in English; in Chinese given, the last event,
    or the latest date stated."""
    if lang == "en":
        return reason
    w = STATUS_WORDS[lang]
    if reason == "given":
        return w["given"]
    if case.events:
        last = max(case.events, key=lambda e: (e.on, e.seq))
        on = w["case"] if last.target == "case" else last.target
        trigger = TRIGGER_ZH.get(last.trigger, last.trigger)
        return w["last_event"].format(seq=last.seq, trigger=trigger, on=on)
    return w["no_events"]


def _summary_pairs(where: Where, case: Case, st: CaseStatus, lang: str) -> list[tuple[str, str]]:
    w = STATUS_WORDS[lang]
    state = w["case_state"].format(
        id=st.case_id, state=st.state.value, state_zh=CASE_STATE_ZH[st.state]
    )
    return [
        (w["file"], str(where.path))
        if where.path is not None
        else (SOURCE_WORDS[lang]["store"], str(where.store)),
        (w["inspected body"], st.inspected_body or w["not stated"]),
        (w["case"], state),
        (w["problems"], _counts(st.problems, st.problems_unknown, "problems", lang)),
        (w["measures"], _counts(st.measures, st.measures_unknown, "measures", lang)),
        (w["as of"], w["as_of"].format(as_of=st.as_of, reason=_reason(case, st, lang))),
        *_supervision_pairs(st, lang),
        (w["overdue"], w["late_count"].format(n=len(st.late)) if st.late else w["none"]),
    ]


def _print_plain(where: Where, case: Case, st: CaseStatus, items: bool, lang: str) -> None:
    w = STATUS_WORDS[lang]
    pairs = [(w["key"].format(key=k), v) for k, v in _summary_pairs(where, case, st, lang)]
    late_rows = [_late_line(late, lang) for late in st.late]
    width = max(display_width(k) for k, _ in pairs) + 1
    lines = [f"{key}{' ' * (width - display_width(key))}{value}" for key, value in pairs]
    if late_rows:
        lines += text_columns(late_rows)
    if items:
        lines.append(w["items:"])
        item_rows = [_item_line(i, lang) for i in _ledger_items(case)]
        if item_rows:
            lines += text_columns(item_rows)
    # One write for the whole status: ten thousand overdue measures are ten thousand lines.
    click.echo("\n".join(lines))


def _print_rich(where: Where, case: Case, st: CaseStatus, items: bool, lang: str) -> None:
    w = STATUS_WORDS[lang]
    from rich.console import Console  # noqa: PLC0415 - only for a person at a terminal
    from rich.table import Table  # noqa: PLC0415

    console = Console()
    summary = Table(show_header=False, box=None, pad_edge=False)
    summary.add_column(style="bold")
    summary.add_column()
    for key, value in _summary_pairs(where, case, st, lang):
        summary.add_row(key, value)
    console.print(summary)
    if st.late:
        late = Table(title=w["overdue_title"].format(as_of=st.as_of), title_justify="left")
        for header in ("kind", "id", "state_column", "due_column", "responsible"):
            late.add_column(w[header])
        for record in st.late:
            late.add_row(*_late_line(record, lang), style="red")
        console.print(late)
    if items:
        table = Table(title=w["items"], title_justify="left")
        for header in ("kind", "id", "state_column", "due_column", "title / text"):
            table.add_column(w[header])
        for item in _ledger_items(case):
            table.add_row(*_item_line(item, lang))
        console.print(table)


@click.command("status")
@click.argument("cases", nargs=-1, metavar="CASE...")
@click.option(
    "--as-of",
    type=DAY,
    default=None,
    help="Judge deadlines at this day. Default: each case's last event date, or for a case "
    "without events the latest date it states. The clock is never read.",
)
@click.option("--items", is_flag=True, help="List every problem and measure with its state.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people (a table at a terminal), json for programs (docs/status-json.md).",
)
@click.option(
    "--lang",
    type=click.Choice(LANGS),
    default=default_lang,
    show_default="zh when the locale is zh_CN, else en",
    help="The language of the text (json is the same in both).",
)
@store_option
def status_command(
    cases: tuple[str, ...],
    as_of: dt.date | None,
    items: bool,
    fmt: str,
    lang: str,
    store_url: str | None,
) -> None:
    """Show where each CASE file (or stored case; with --store and no CASE, every case in the
    store) stands: its state, items by state, what is overdue and by how
    many days, what waits for acceptance, rejections, extensions, accountability by form and the
    latest evaluation.

    An item is overdue when its due date (the approved one, after an extension) is before the
    as-of day and it is not completed, submitted for acceptance, closed or long-term. The output
    says which day was used and why.
    """
    with cases_from(store_url, lang) as source:
        loaded = [(where, case) for case, where in source.load_all(cases)]
    # With --as-of, every figure and the item list show the case as it stood that day.
    shown = [
        (where, case if as_of is None else as_of_view(case, as_of)[0]) for where, case in loaded
    ]
    report = [(where, case, status(case, as_of)) for where, case in shown]
    if fmt == "json":
        click.echo(
            json.dumps(
                [_status_json(where, case, st, items) for where, case, st in report],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    show = _print_rich if _use_rich() else _print_plain
    for n, (where, case, st) in enumerate(report):
        if n:
            click.echo()
        show(where, case, st, items, lang)


# -- fire --------------------------------------------------------------------------------------


# What the reason of a trigger that needs one says (REASON_REQUIRED).
_WHY = {"reject": N_("why the submission is sent back: what is missing or wrong")}

# What `rectflow fire` prints, in English; the Chinese is in the catalogue.
FIRE_WORDS = Words(
    {
        "fired": N_("#{seq} {on}{late} {trigger} {trigger_zh} on {where}{by}{said}: now {now}"),
        "the case": N_("the case"),
        "late": N_(" (recorded {day})"),
        "by": N_(" by {actor}"),
        "said": NP_("fire", " ({note})"),
        "give_note": N_('give it with --note "…" ({why})'),
    }
)


def plugin_manager(**options: Any) -> Plugins:
    """:func:`rectflow.plugin_manager`, imported when ``fire`` first builds one, so that
    ``status`` and ``diagram`` load neither the rules nor pluggy. The name is ``fire``'s seam:
    tests register a plugin of their own by replacing it."""
    from rectflow._rules.plugins import plugin_manager as build  # noqa: PLC0415

    return build(**options)


def _triggers_help() -> str:
    """The epilog of ``fire --help``: the triggers, read off the lifecycles (a :class:`Msg`, so
    the help is said in Chinese through the catalogue)."""
    return Msg(
        "Case triggers: {case}. Item triggers (with --item): {item}.",
        case=", ".join(CASE_LIFECYCLE.triggers),
        item=", ".join(ITEM_LIFECYCLE.triggers),
    )


@click.command("fire", epilog=_triggers_help())
@click.argument("case_arg", metavar="CASE")
@click.argument("trigger")
@click.option(
    "--item", default=None, metavar="ID", help="The problem or measure; omit for the case."
)
@click.option("--on", "on", type=DAY, required=True, help="The day it happened.")
@click.option(
    "--recorded-on",
    type=DAY,
    default=None,
    help="For a late recording: the day it is recorded (--on stays the day it happened). "
    "Needed when --on is before an event already in the log.",
)
@click.option("--actor", default=None, help="Who fired it (a person or department).")
@click.option("--note", default=None, help="A note kept with the event.")
@click.option(
    "--policy",
    "policy_name",
    default=None,
    metavar="NAME|FILE",
    help="The policy whose rules guard the transition (a preset from `rectflow policy list`, "
    "or a policy file). Default: xunshi for a 巡视 case, xuncha otherwise.",
)
@click.option(
    "--no-guards",
    is_flag=True,
    help="Apply the trigger without consulting the rules (e.g. to record history as it was).",
)
@click.option(
    "--lang",
    type=click.Choice(LANGS),
    default=default_lang,
    show_default="zh when the locale is zh_CN, else en",
    help="The language of what is printed.",
)
@store_option
def fire_command(
    case_arg: str,
    trigger: str,
    item: str | None,
    on: dt.date,
    recorded_on: dt.date | None,
    actor: str | None,
    note: str | None,
    policy_name: str | None,
    no_guards: bool,
    lang: str,
    store_url: str | None,
) -> None:
    """Apply TRIGGER to the CASE file or stored case (or one of its items), record the event,
    save the case.

    The validators' rules guard the transition (closing an item needs evidence, for one). The
    file is written atomically and only if no one else saved it in the meantime; when the
    lifecycle or a rule does not allow the trigger, nothing is written and the error says why.

    History runs forward: --on may not be before the case's feedback or an earlier event of
    the same item (or case). An event that happened before one already in the log is a late
    recording: give --recorded-on, the day it is entered.
    """
    if trigger in REASON_REQUIRED and not (note and note.strip()):
        why = _WHY.get(trigger, N_("why"))
        fix = Msg(FIRE_WORDS["en"]["give_note"], why=why, zh={"why": translate("zh", why)})
        raise MissingReasonError(trigger, fix)
    with cases_from(store_url, lang) as source:
        case, stored_at = source.load(case_arg)
        # The same default as `rectflow check`: the preset for the kind of inspection.
        default = "xunshi" if case.inspection.kind is InspectionKind.XUNSHI else "xuncha"
        # The rules only for fire: `rectflow status` does not load them.
        from rectflow._rules.check import guards  # noqa: PLC0415

        plugins = plugin_manager()
        rules = [] if no_guards else guards(plugins, policy_name or default)
        event = fire(
            case,
            trigger,
            item=item,
            on=on,
            actor=actor,
            note=note,
            guards=rules,
            recorded_on=recorded_on,
        )
        source.save(case, stored_at)
    w = FIRE_WORDS[lang]
    state_words = STATUS_WORDS[lang]["state"]
    if item is None:
        where = w["the case"]
        now = state_words.format(state=case.state.value, state_zh=CASE_STATE_ZH[case.state])
    else:
        state = case.item(item).state
        where, now = item, state_words.format(state=state.value, state_zh=ITEM_STATE_ZH[state])
    late = w["late"].format(day=event.recorded_on) if event.recorded_on is not None else ""
    click.echo(
        w["fired"].format(
            seq=event.seq,
            on=event.on,
            late=late,
            trigger=event.trigger,
            trigger_zh=TRIGGER_ZH[event.trigger],
            where=where,
            by=w["by"].format(actor=event.actor) if event.actor else "",
            said=w["said"].format(note=event.note) if event.note else "",
            now=now,
        )
    )
    click.echo(source.saved(case, stored_at))
    # The event is on file: tell the host. A plugin's crash is said on standard error and
    # changes nothing: the event stays recorded, the exit code stays 0.
    for crash in plugins.event_recorded(case, event):
        message = crash.message_zh if lang == "zh" and crash.message_zh else crash.message
        click.echo(f"rectflow: warning: {crash.code}: {message}", err=True)


# -- diagram -----------------------------------------------------------------------------------


@click.command("diagram")
@click.argument("kind", type=click.Choice(["case", "item"]))
def diagram_command(kind: str) -> None:
    """Print the Mermaid state diagram of the case or item lifecycle (Chinese and English)."""
    from rectflow._core.diagram import mermaid  # noqa: PLC0415 - only diagram draws

    click.echo(mermaid(kind), nl=False)


COMMANDS: list[click.Command] = [status_command, fire_command, diagram_command]
