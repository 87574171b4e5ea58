"""``rectflow status``, ``rectflow fire`` and ``rectflow diagram``: a case file from the shell.

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
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.table import Table

from rectflow._casefile.files import load_case, save_case
from rectflow._core.asof import as_of_view
from rectflow._core.diagram import mermaid
from rectflow._core.labels import (
    ACCOUNTABILITY_FORM_ZH,
    CASE_STATE_ZH,
    GRADE_ZH,
    ITEM_STATE_ZH,
    TRIGGER_ZH,
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
from rectflow._i18n import LANGS, default_lang
from rectflow._rules.check import guards
from rectflow._rules.plugins import plugin_manager
from rectflow.errors import InvalidDateError, MissingReasonError

__all__ = ["COMMANDS"]

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


if TYPE_CHECKING:
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
        option = param.opts[0] if param is not None and param.opts else "the date"
        text = str(value).strip()
        if not _ISO_DAY.match(text):
            raise InvalidDateError(value, f"{option} expects a day written YYYY-MM-DD")
        try:
            return dt.date.fromisoformat(text)
        except ValueError as impossible:
            raise InvalidDateError(value, f"{option}: {impossible}") from None


DAY = _Day()
_CASE_PATH = click.Path(dir_okay=False, path_type=Path)


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


def _status_json(path: Path, case: Case, st: CaseStatus, items: bool) -> dict[str, Any]:
    """``to_dict()`` and the command line's own keys: the file and, with --items, the items."""
    data = st.to_dict()
    data["file"] = str(path)
    if items:
        data["items"] = [_item_json(item) for item in _ledger_items(case)]
    return data


def _ledger_items(case: Case) -> list[Problem | Measure]:
    ordered: list[Problem | Measure] = []
    for problem in case.problems():
        ordered.append(problem)
        ordered.extend(problem.measures)
    return ordered


def _counts(counts: Mapping[ItemState, int], unknown: int = 0) -> str:
    if not counts and not unknown:
        return "none"
    total = sum(counts.values()) + unknown
    parts = [f"{s.value} {ITEM_STATE_ZH[s]} {n}" for s, n in counts.items()]
    if unknown:  # counted apart: an unstated state is not an open one
        parts.append(f"state not stated 未说明 {unknown}")
    return f"{total} ({', '.join(parts)})"


def _counts_zh(counts: Mapping[ItemState, int], unknown: int, unit: str) -> str:
    if not counts and not unknown:
        return "无"
    total = sum(counts.values()) + unknown
    parts = [f"{ITEM_STATE_ZH[s]}{n}{unit}" for s, n in counts.items()]
    if unknown:
        parts.append(f"未说明进展{unknown}{unit}")
    return f"{total}{unit}（{'，'.join(parts)}）"


def _late_line(late: OverdueItem) -> list[str]:
    due = f"due {late.due_on}, {late.days_late} days late"
    if late.extensions:
        due += (
            f" (originally {late.original_due_on}, {late.days_late_originally} days; "
            f"extended {late.extensions}x)"
        )
    return [
        late.kind,
        late.id,
        f"{late.state.value} {ITEM_STATE_ZH[late.state]}",
        due,
        _who(late.responsibility),
    ]


def _late_line_zh(late: OverdueItem) -> list[str]:
    due = f"时限{late.due_on}"
    if late.extensions:
        due += f"（原时限{late.original_due_on}，延期{late.extensions}次）"
    return [
        "整改措施" if late.kind == "measure" else "问题",
        late.id,
        ITEM_STATE_ZH[late.state],
        f"{due}，逾期{late.days_late}天",
        _who(late.responsibility),
    ]


def _item_line(item: Problem | Measure) -> list[str]:
    state = item.state
    text = _label(item)
    short = text if len(text) <= 40 else text[:39] + "…"
    return [
        _kind(item),
        item.id,
        f"{state.value} {ITEM_STATE_ZH[state]}",
        f"due {item.due_on}" if item.due_on is not None else "",
        short,
    ]


def _item_line_zh(item: Problem | Measure) -> list[str]:
    text = _label(item)
    short = text if len(text) <= 40 else text[:39] + "…"
    return [
        "整改措施" if isinstance(item, Measure) else "问题",
        item.id,
        ITEM_STATE_ZH[item.state],
        f"时限{item.due_on}" if item.due_on is not None else "",
        short,
    ]


def _width(text: str) -> int:
    """Columns the text takes in a terminal: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _columns(rows: Sequence[Sequence[str]], indent: str = "  ") -> list[str]:
    """Left-aligned columns for plain text (widths as a terminal shows them: CJK is two)."""
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        indent
        + "  ".join(
            cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True)
        ).rstrip()
        for row in rows
    ]


def _supervision_pairs(st: CaseStatus) -> list[tuple[str, str]]:
    """The supervision's lines, each only when it has something to say."""
    pairs: list[tuple[str, str]] = []
    if st.awaiting_acceptance:
        pairs.append(("awaiting acceptance", f"{st.awaiting_acceptance} item(s) 待验收"))
    if st.rejections:
        pairs.append(("rejections", f"{st.rejections} 驳回"))
    if st.extensions:
        pairs.append(("extensions", f"{st.extensions} 延期"))
    if st.accountability:
        shown = [f"{f.value} {ACCOUNTABILITY_FORM_ZH[f]} {n}" for f, n in st.accountability.items()]
        people = sum(st.accountability.values())
        pairs.append(("accountability", f"{people} people ({', '.join(shown)})"))
    if st.evaluation is not None:
        e = st.evaluation
        said = [f"score {e.score:g}"] if e.score is not None else []
        said += [f"by {e.by}"] if e.by else []
        tail = f" ({', '.join(said)})" if said else ""
        pairs.append(("evaluation", f"{e.on} {e.grade.value} {GRADE_ZH[e.grade]}{tail}"))
    return pairs


def _supervision_pairs_zh(st: CaseStatus) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    if st.awaiting_acceptance:
        pairs.append(("待验收", f"{st.awaiting_acceptance}项"))
    if st.rejections:
        pairs.append(("驳回", f"{st.rejections}次"))
    if st.extensions:
        pairs.append(("延期", f"{st.extensions}次"))
    if st.accountability:
        shown = "、".join(f"{ACCOUNTABILITY_FORM_ZH[f]}{n}人" for f, n in st.accountability.items())
        pairs.append(("问责", f"共{sum(st.accountability.values())}人（{shown}）"))
    if st.evaluation is not None:
        e = st.evaluation
        said = [f"{e.score:g}分"] if e.score is not None else []
        said += [e.by] if e.by else []
        tail = f"（{'，'.join(said)}）" if said else ""
        pairs.append(("整改评估", f"{e.on} {GRADE_ZH[e.grade]}{tail}"))
    return pairs


def _summary_pairs(path: Path, st: CaseStatus) -> list[tuple[str, str]]:
    return [
        ("file", str(path)),
        ("inspected body", st.inspected_body or "(not stated)"),
        ("case", f"{st.case_id}: {st.state.value} {CASE_STATE_ZH[st.state]}"),
        ("problems", _counts(st.problems, st.problems_unknown)),
        ("measures", _counts(st.measures, st.measures_unknown)),
        ("as of", f"{st.as_of} ({st.as_of_reason})"),
        *_supervision_pairs(st),
        ("overdue", f"{len(st.late)} item(s)" if st.late else "none"),
    ]


def _reason_zh(case: Case, st: CaseStatus) -> str:
    """Why the as-of day, in Chinese: given, the last event, or the latest date stated."""
    if st.as_of_reason == "given":
        return "指定日期"
    if case.events:
        last = max(case.events, key=lambda e: (e.on, e.seq))
        on = "案件" if last.target == "case" else last.target
        return f"最后一个事件：#{last.seq} {TRIGGER_ZH.get(last.trigger, last.trigger)}（{on}）"
    return "无事件，取案件所述的最晚日期"


def _summary_pairs_zh(path: Path, case: Case, st: CaseStatus) -> list[tuple[str, str]]:
    return [
        ("文件", str(path)),
        ("被巡察单位", st.inspected_body or "（未说明）"),
        ("案件", f"{st.case_id}：{CASE_STATE_ZH[st.state]}"),
        ("问题", _counts_zh(st.problems, st.problems_unknown, "个")),
        ("整改措施", _counts_zh(st.measures, st.measures_unknown, "条")),
        ("截至", f"{st.as_of}（{_reason_zh(case, st)}）"),
        *_supervision_pairs_zh(st),
        ("逾期", f"{len(st.late)}项" if st.late else "无"),
    ]


def _print_plain(path: Path, case: Case, st: CaseStatus, items: bool, lang: str) -> None:
    if lang == "zh":
        pairs = [(f"{k}：", v) for k, v in _summary_pairs_zh(path, case, st)]
        late_rows = [_late_line_zh(late) for late in st.late]
        heading, item_rows = "全部事项：", [_item_line_zh(i) for i in _ledger_items(case)]
    else:
        pairs = [(f"{k}:", v) for k, v in _summary_pairs(path, st)]
        late_rows = [_late_line(late) for late in st.late]
        heading, item_rows = "items:", [_item_line(i) for i in _ledger_items(case)]
    width = max(_width(k) for k, _ in pairs) + 1
    for key, value in pairs:
        click.echo(f"{key}{' ' * (width - _width(key))}{value}")
    if late_rows:
        for line in _columns(late_rows):
            click.echo(line)
    if items:
        click.echo(heading)
        if item_rows:
            for line in _columns(item_rows):
                click.echo(line)


def _print_rich(path: Path, case: Case, st: CaseStatus, items: bool, lang: str) -> None:
    zh = lang == "zh"
    console = Console()
    summary = Table(show_header=False, box=None, pad_edge=False)
    summary.add_column(style="bold")
    summary.add_column()
    pairs = _summary_pairs_zh(path, case, st) if zh else _summary_pairs(path, st)
    for key, value in pairs:
        summary.add_row(key, value)
    console.print(summary)
    if st.late:
        title = f"截至{st.as_of}逾期事项" if zh else f"overdue as of {st.as_of}"
        late = Table(title=title, title_justify="left")
        headers = ("类别", "编号", "进展", "时限", "责任") if zh else (
            "kind", "id", "state", "due", "responsible"
        )  # fmt: skip
        for header in headers:
            late.add_column(header)
        for record in st.late:
            late.add_row(*(_late_line_zh(record) if zh else _late_line(record)), style="red")
        console.print(late)
    if items:
        table = Table(title="全部事项" if zh else "items", title_justify="left")
        headers = ("类别", "编号", "进展", "时限", "内容") if zh else (
            "kind", "id", "state", "due", "title / text"
        )  # fmt: skip
        for header in headers:
            table.add_column(header)
        for item in _ledger_items(case):
            table.add_row(*(_item_line_zh(item) if zh else _item_line(item)))
        console.print(table)


@click.command("status")
@click.argument("cases", nargs=-1, required=True, type=_CASE_PATH, metavar="CASE...")
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
def status_command(
    cases: tuple[Path, ...], as_of: dt.date | None, items: bool, fmt: str, lang: str
) -> None:
    """Show where each CASE file stands: its state, items by state, what is overdue and by how
    many days, what waits for acceptance, rejections, extensions, accountability by form and the
    latest evaluation.

    An item is overdue when its due date (the approved one, after an extension) is before the
    as-of day and it is not completed, submitted for acceptance, closed or long-term. The output
    says which day was used and why.
    """
    loaded = [(path, load_case(path)) for path in cases]
    # With --as-of, every figure and the item list show the case as it stood that day.
    shown = [(path, case if as_of is None else as_of_view(case, as_of)[0]) for path, case in loaded]
    report = [(path, case, status(case, as_of)) for path, case in shown]
    if fmt == "json":
        click.echo(
            json.dumps(
                [_status_json(path, case, st, items) for path, case, st in report],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    show = _print_rich if _use_rich() else _print_plain
    for n, (path, case, st) in enumerate(report):
        if n:
            click.echo()
        show(path, case, st, items, lang)


# -- fire --------------------------------------------------------------------------------------


# What the reason of a trigger that needs one says (REASON_REQUIRED).
_WHY = {"reject": "why the submission is sent back: what is missing or wrong"}


def _triggers_help() -> str:
    case = ", ".join(CASE_LIFECYCLE.triggers)
    item = ", ".join(ITEM_LIFECYCLE.triggers)
    return f"Case triggers: {case}. Item triggers (with --item): {item}."


@click.command("fire", epilog=_triggers_help())
@click.argument("case_path", type=_CASE_PATH, metavar="CASE")
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
def fire_command(
    case_path: Path,
    trigger: str,
    item: str | None,
    on: dt.date,
    recorded_on: dt.date | None,
    actor: str | None,
    note: str | None,
    policy_name: str | None,
    no_guards: bool,
) -> None:
    """Apply TRIGGER to the CASE file (or one of its items), record the event, save the file.

    The validators' rules guard the transition (closing an item needs evidence, for one). The
    file is written atomically and only if no one else saved it in the meantime; when the
    lifecycle or a rule does not allow the trigger, nothing is written and the error says why.

    History runs forward: --on may not be before the case's feedback or an earlier event of
    the same item (or case). An event that happened before one already in the log is a late
    recording: give --recorded-on, the day it is entered.
    """
    if trigger in REASON_REQUIRED and not (note and note.strip()):
        why = _WHY.get(trigger, "why")
        raise MissingReasonError(trigger, f'give it with --note "…" ({why})')
    case = load_case(case_path)
    # The same default as `rectflow check`: the preset for the kind of inspection.
    default = "xunshi" if case.inspection.kind is InspectionKind.XUNSHI else "xuncha"
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
    save_case(case, case_path)
    if item is None:
        where, now = "the case", f"{case.state.value} {CASE_STATE_ZH[case.state]}"
    else:
        state = case.item(item).state
        where, now = item, f"{state.value} {ITEM_STATE_ZH[state]}"
    by = f" by {event.actor}" if event.actor else ""
    said = f" ({event.note})" if event.note else ""
    late = f" (recorded {event.recorded_on})" if event.recorded_on is not None else ""
    click.echo(
        f"#{event.seq} {event.on}{late} {event.trigger} {TRIGGER_ZH[event.trigger]} on "
        f"{where}{by}{said}: now {now}"
    )
    click.echo(f"saved {case_path}")
    # The event is on file: tell the host. A plugin's crash is said on standard error and
    # changes nothing: the event stays recorded, the exit code stays 0.
    for crash in plugins.event_recorded(case, event):
        click.echo(f"rectflow: warning: {crash.code}: {crash.message}", err=True)


# -- diagram -----------------------------------------------------------------------------------


@click.command("diagram")
@click.argument("kind", type=click.Choice(["case", "item"]))
def diagram_command(kind: str) -> None:
    """Print the Mermaid state diagram of the case or item lifecycle (Chinese and English)."""
    click.echo(mermaid(kind), nl=False)


COMMANDS: list[click.Command] = [status_command, fire_command, diagram_command]
