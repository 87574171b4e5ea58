"""``rectflow status``, ``rectflow fire`` and ``rectflow diagram``: a case file from the shell.

Tables go through rich when standard output is a terminal and are plain text otherwise (pipes,
files, tests), so the output can be read by people and by scripts alike; ``--format json`` is for
programs. A user's mistake raises a :class:`~rectflow.errors.RectflowError`, which ``_cli.main``
turns into one line and exit code 2.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.table import Table

from rectflow._casefile.files import load_case, save_case
from rectflow._core.asof import as_of_view
from rectflow._core.diagram import mermaid
from rectflow._core.labels import CASE_STATE_ZH, ITEM_STATE_ZH, TRIGGER_ZH
from rectflow._core.lifecycle import CASE_LIFECYCLE, ITEM_LIFECYCLE, fire
from rectflow._core.model import Case, InspectionKind, ItemState, Measure, Problem
from rectflow._core.status import CaseStatus, status
from rectflow._rules.check import guards
from rectflow.errors import InvalidDateError

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


def _responsible(item: Problem | Measure) -> str:
    if isinstance(item, Problem) or item.responsibility is None:
        return ""
    r = item.responsibility
    return " / ".join(x for x in (r.leader, r.department, r.person) if x)


def _label(item: Problem | Measure) -> str:
    return item.title if isinstance(item, Problem) else item.text


def _item_json(item: Problem | Measure, as_of: dt.date | None = None) -> dict[str, Any]:
    state = item.state
    data: dict[str, Any] = {
        "id": item.id,
        "kind": _kind(item),
        "state": state.value,
        "state_zh": ITEM_STATE_ZH[state],
        "due_on": item.due_on.isoformat() if item.due_on is not None else None,
    }
    if as_of is not None and item.due_on is not None:
        data["days_late"] = (as_of - item.due_on).days
    if isinstance(item, Measure) and item.responsibility is not None:
        r = item.responsibility
        data["responsibility"] = {
            "leader": r.leader,
            "department": r.department,
            "person": r.person,
        }
    return data


def _status_json(path: Path, case: Case, st: CaseStatus, items: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "file": str(path),
        "case": st.case_id,
        "inspected_body": st.inspected_body,
        "state": st.state.value,
        "state_zh": CASE_STATE_ZH[st.state],
        "as_of": st.as_of.isoformat(),
        "as_of_reason": st.as_of_reason,
        "problems": {s.value: n for s, n in st.problems.items()},
        "measures": {s.value: n for s, n in st.measures.items()},
        "problems_state_unknown": st.problems_unknown,
        "measures_state_unknown": st.measures_unknown,
        "overdue": [_item_json(item, st.as_of) for item in st.overdue],
    }
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


def _late_line(item: Problem | Measure, as_of: dt.date) -> list[str]:
    state = item.state
    assert item.due_on is not None  # noqa: S101 - overdue() only returns dated items
    return [
        _kind(item),
        item.id,
        f"{state.value} {ITEM_STATE_ZH[state]}",
        f"due {item.due_on}, {(as_of - item.due_on).days} days late",
        _responsible(item),
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


def _columns(rows: Sequence[Sequence[str]], indent: str = "  ") -> list[str]:
    """Left-aligned columns for plain text (widths by character count)."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        indent + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def _summary_pairs(path: Path, st: CaseStatus) -> list[tuple[str, str]]:
    return [
        ("file", str(path)),
        ("inspected body", st.inspected_body or "(not stated)"),
        ("case", f"{st.case_id}: {st.state.value} {CASE_STATE_ZH[st.state]}"),
        ("problems", _counts(st.problems, st.problems_unknown)),
        ("measures", _counts(st.measures, st.measures_unknown)),
        ("as of", f"{st.as_of} ({st.as_of_reason})"),
        ("overdue", f"{len(st.overdue)} item(s)" if st.overdue else "none"),
    ]


def _print_plain(path: Path, case: Case, st: CaseStatus, items: bool) -> None:
    pairs = _summary_pairs(path, st)
    width = max(len(k) for k, _ in pairs) + 1
    for key, value in pairs:
        click.echo(f"{key + ':':<{width}} {value}")
    if st.overdue:
        for line in _columns([_late_line(item, st.as_of) for item in st.overdue]):
            click.echo(line)
    if items:
        click.echo("items:")
        for line in _columns([_item_line(item) for item in _ledger_items(case)]):
            click.echo(line)


def _print_rich(path: Path, case: Case, st: CaseStatus, items: bool) -> None:
    console = Console()
    summary = Table(show_header=False, box=None, pad_edge=False)
    summary.add_column(style="bold")
    summary.add_column()
    for key, value in _summary_pairs(path, st):
        summary.add_row(key, value)
    console.print(summary)
    if st.overdue:
        late = Table(title=f"overdue as of {st.as_of}", title_justify="left")
        for header in ("kind", "id", "state", "due", "responsible"):
            late.add_column(header)
        for item in st.overdue:
            late.add_row(*_late_line(item, st.as_of), style="red")
        console.print(late)
    if items:
        table = Table(title="items", title_justify="left")
        for header in ("kind", "id", "state", "due", "title / text"):
            table.add_column(header)
        for item in _ledger_items(case):
            table.add_row(*_item_line(item))
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
    help="text for people (a table at a terminal), json for programs.",
)
def status_command(cases: tuple[Path, ...], as_of: dt.date | None, items: bool, fmt: str) -> None:
    """Show where each CASE file stands: its state, items by state, and what is overdue.

    An item is overdue when its due date is before the as-of day and it is not completed,
    closed or long-term. The output says which day was used and why.
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
        show(path, case, st, items)


# -- fire --------------------------------------------------------------------------------------


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
    case = load_case(case_path)
    # The same default as `rectflow check`: the preset for the kind of inspection.
    default = "xunshi" if case.inspection.kind is InspectionKind.XUNSHI else "xuncha"
    rules = [] if no_guards else guards(None, policy_name or default)
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


# -- diagram -----------------------------------------------------------------------------------


@click.command("diagram")
@click.argument("kind", type=click.Choice(["case", "item"]))
def diagram_command(kind: str) -> None:
    """Print the Mermaid state diagram of the case or item lifecycle (Chinese and English)."""
    click.echo(mermaid(kind), nl=False)


COMMANDS: list[click.Command] = [status_command, fire_command, diagram_command]
