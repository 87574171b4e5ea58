"""``rectflow store``: a ledger store from the shell (docs/cli-store.md).

``init`` creates the tables (or brings them up to date), ``upgrade`` runs the migrations and
says from which revision to which, ``import`` stores case files and round files in one
transaction (all or none), ``export`` writes a stored case back to a case file and
``export-round`` a stored round to a folder, ``remove-round`` removes one (not its cases),
``list`` lists the stored cases, ``rounds`` the stored rounds and
``overdue`` answers the cross-case questions: what was late (or falls due) on a day, item by
item or counted by department, leader, person, inspected body or case.

The store is ``--store URL`` or the ``RECTFLOW_STORE`` environment variable; one of them is
required (the command line creates no database nobody named). Every other command that takes a
CASE takes ``--store`` too (:mod:`rectflow._cli._source`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from rectflow._cli._dates import DAY_OR_TODAY
from rectflow._cli._editing import lang_option
from rectflow._cli._source import open_store, store_option
from rectflow._core.labels import CASE_STATE_ZH, INSPECTION_KIND_ZH, ITEM_STATE_ZH
from rectflow._core.model import CaseState, InspectionKind
from rectflow._i18n import N_, Words
from rectflow.errors import RectflowError

if TYPE_CHECKING:  # the extra is imported only when a store is opened
    from rectflow._store.api import DueItem, Store

__all__ = [
    "COMMANDS",
    "LIST_FORMAT",
    "LIST_VERSION",
    "OVERDUE_FORMAT",
    "OVERDUE_VERSION",
    "ROUNDS_FORMAT",
    "ROUNDS_VERSION",
]

LIST_FORMAT = "rectflow.store.list"
LIST_VERSION = 1
OVERDUE_FORMAT = "rectflow.store.overdue"
OVERDUE_VERSION = 1
ROUNDS_FORMAT = "rectflow.store.rounds"
ROUNDS_VERSION = 1

GROUPINGS = ("department", "leader", "person", "body", "case")

# Every sentence the store commands say; the Chinese is in the catalogue.
WORDS = Words(
    {
        "initialised": N_("store {store}: schema revision {before} → {after}"),
        "unchanged": N_("store {store}: already at schema revision {after}, nothing to do"),
        "empty": N_("none (an empty database)"),
        "imported": N_("imported {count} cases into {store}: {ids}"),
        "exported": N_("exported {case} (version {version}) from {store} to {path}"),
        "imported_round": N_("imported round {round} ({name}): {count} case(s)"),
        "exported_round": N_(
            "exported round {round} from {store} to {path}, with {count} case file(s) beside it"
        ),
        "no_rounds": N_("no rounds in {store}"),
        "removed_round": N_("removed round {round} from {store} (its cases stay)"),
        "round_line": N_("{round}  {name}  {body}  {count} case(s): {cases}"),
        "no_cases": N_("no cases in {store}"),
        "case_line": N_(
            "{case}  {state}  {kind}  {body}  version {version}, {events} events, last event {last}"
        ),
        "round": N_(" round {round}"),
        "never": N_("none"),
        "state": N_("{state} {state_zh}"),
        "kind": N_("{kind} {kind_zh}"),
        "overdue_head": N_("Overdue as of {as_of} in {store}: {count} item(s)"),
        "within_head": N_(
            "Due within {days} days of {as_of} in {store} (not yet done): {count} item(s)"
        ),
        "by_head": N_("{head}, by {by}"),
        "late": N_("{days} days late"),
        "left": N_("{days} days left"),
        "item_line": N_("  {case}  {kind} {item}  {state}  due {due} ({when})  {who}"),
        "group_line": N_("  {key}: {count}"),
        "nobody": N_("(no one named)"),
        "problem": N_("problem"),
        "measure": N_("measure"),
        "department": N_("department"),
        "leader": N_("leader"),
        "person": N_("person"),
        "body": N_("inspected body"),
        "case": N_("case"),
        "list_sep": N_(", "),
        "no_store": N_(
            "no store given: --store URL (sqlite:///ledger.db, postgresql://USER@HOST/DB), or "
            "set RECTFLOW_STORE"
        ),
    }
)


def _opened(store_url: str | None, *, create: bool = False) -> Store:
    if not store_url:
        raise RectflowError(WORDS["en"]["no_store"])
    return open_store(store_url, create=create)


@click.group("store")
def store_group() -> None:
    """A ledger store of many cases: SQLite or PostgreSQL (docs/cli-store.md).

    Every command that takes a CASE reads and saves it in a store with --store URL (or
    RECTFLOW_STORE), CASE being the case id.
    """


# -- init, upgrade -----------------------------------------------------------------------------


def _migrate(store: Store, revision: str, lang: str) -> None:
    w = WORDS[lang]
    with store:
        before = store.revision()
        store.upgrade(revision)
        after = store.revision()
    if before == after:
        click.echo(w["unchanged"].format(store=store.url, after=after))
    else:
        shown = before if before is not None else w["empty"]
        click.echo(w["initialised"].format(store=store.url, before=shown, after=after))


@store_group.command("init")
@store_option
@lang_option
def init_command(store_url: str | None, lang: str) -> None:
    """Create the store's tables in a new database (a SQLite file is created), or bring an
    existing store's up to date; a store at the newest revision is left as it is."""
    _migrate(_opened(store_url, create=True), "head", lang)


@store_group.command("upgrade")
@click.option(
    "--revision",
    default="head",
    show_default=True,
    help="The schema revision to upgrade to (rectflow's migrations: 0001, 0002 …).",
)
@store_option
@lang_option
def upgrade_command(revision: str, store_url: str | None, lang: str) -> None:
    """Run the schema migrations up to --revision, in one transaction, and say from which
    revision to which. A store newer than this rectflow is refused, unchanged."""
    _migrate(_opened(store_url), revision, lang)


# -- import, export ----------------------------------------------------------------------------


@store_group.command("import")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@store_option
@lang_option
def import_command(files: tuple[str, ...], store_url: str | None, lang: str) -> None:
    """Store case files and round files (a round with its case files), in one transaction:
    all of them, or none when one is not valid or its id is already in the store (the error
    says which). A round file's store_cases must be in the store, or in an earlier FILE."""
    from rectflow._rounds.stored import Rounds  # noqa: PLC0415 - the extra is optional

    with _opened(store_url) as store:
        ids, rounds = Rounds(store).import_files([Path(name) for name in files])
    w = WORDS[lang]
    click.echo(w["imported"].format(count=len(ids), store=store.url, ids=w["list_sep"].join(ids)))
    for found in rounds:
        click.echo(
            w["imported_round"].format(
                round=found.id, name=found.name, count=len(found.store_cases)
            )
        )


@store_group.command("export-round")
@click.argument("round_id", metavar="ID")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="The folder to write the round file ID.toml and its case files to (made if missing).",
)
@click.option("--force", is_flag=True, help="Replace files that exist.")
@store_option
@lang_option
def export_round_command(
    round_id: str, output: Path, force: bool, store_url: str | None, lang: str
) -> None:
    """Write the stored round ID to a folder: its round file ID.toml, listing a case file per
    case beside it (each at the store's version). Every file is checked before any is written;
    `rectflow store import DIR/ID.toml` reads them back."""
    from rectflow._rounds.stored import Rounds  # noqa: PLC0415 - the extra is optional

    with _opened(store_url) as store:
        written = Rounds(store).export(round_id, output, force=force)
    click.echo(
        WORDS[lang]["exported_round"].format(
            round=round_id, store=store.url, path=written[0], count=len(written) - 1
        )
    )


@store_group.command("remove-round")
@click.argument("round_id", metavar="ID")
@store_option
@lang_option
def remove_round_command(round_id: str, store_url: str | None, lang: str) -> None:
    """Remove the stored round ID: the round and its list of cases; its cases stay."""
    from rectflow._rounds.stored import Rounds  # noqa: PLC0415 - the extra is optional

    with _opened(store_url) as store:
        Rounds(store).remove(round_id)
    click.echo(WORDS[lang]["removed_round"].format(round=round_id, store=store.url))


@store_group.command("rounds")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people (one line per round), json for programs (rectflow.store.rounds).",
)
@store_option
@lang_option
def rounds_command(fmt: str, store_url: str | None, lang: str) -> None:
    """List the stored rounds by id: name, inspecting body and the ids of their cases."""
    from rectflow._rounds.files import round_json  # noqa: PLC0415 - the extra is optional
    from rectflow._rounds.stored import Rounds  # noqa: PLC0415

    with _opened(store_url) as store:
        found = Rounds(store).all()
    if fmt == "json":
        data = {
            "format": ROUNDS_FORMAT,
            "version": ROUNDS_VERSION,
            "store": store.url,
            "rounds": [round_json(r) | {"cases": list(r.store_cases)} for r in found],
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    w = WORDS[lang]
    if not found:
        click.echo(w["no_rounds"].format(store=store.url))
    for r in found:
        click.echo(
            w["round_line"].format(
                round=r.id,
                name=r.name,
                body=r.inspecting_body,
                count=len(r.store_cases),
                cases=w["list_sep"].join(r.store_cases),
            )
        )


@store_group.command("export")
@click.argument("case_id", metavar="ID")
@click.option(
    "-o",
    "--output",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The case file to write. Default: print the case file to standard output.",
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@store_option
@lang_option
def export_command(
    case_id: str, output: Path | None, force: bool, store_url: str | None, lang: str
) -> None:
    """Write the stored case ID to a case file (TOML, at the store's version), atomically; an
    existing file is replaced only with --force. `rectflow store import` reads it back."""
    with _opened(store_url) as store:
        if output is None:
            click.echo(store.dumps(case_id), nl=False)
            return
        version = store.export(case_id, output, force=force)
    click.echo(
        WORDS[lang]["exported"].format(case=case_id, version=version, store=store.url, path=output)
    )


# -- list --------------------------------------------------------------------------------------


@store_group.command("list")
@click.option(
    "--state",
    type=click.Choice([s.value for s in CaseState]),
    default=None,
    help="Only cases in this state.",
)
@click.option(
    "--kind",
    type=click.Choice([k.value for k in InspectionKind]),
    default=None,
    help="Only cases of this kind of inspection.",
)
@click.option("--body", default=None, help="Only cases of this inspected body.")
@click.option(
    "--round", "round_", default=None, help="Only cases that state this round (inspection.round)."
)
@click.option(
    "--in-round",
    "in_round",
    default=None,
    metavar="ID",
    help="Only the cases of this round stored in the store (its id).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people (one line per case), json for programs (rectflow.store.list).",
)
@store_option
@lang_option
def list_command(
    state: str | None,
    kind: str | None,
    body: str | None,
    round_: str | None,
    in_round: str | None,
    fmt: str,
    store_url: str | None,
    lang: str,
) -> None:
    """List the stored cases by id: state, kind, inspected body, version, how many events and
    the date of the latest (the documents are not read)."""
    with _opened(store_url) as store:
        found = store.cases(state=state, kind=kind, body=body, round=round_, in_round=in_round)
    if fmt == "json":
        data = {
            "format": LIST_FORMAT,
            "version": LIST_VERSION,
            "store": store.url,
            "cases": [
                {
                    "case": c.case_id,
                    "inspected_body": c.inspected_body,
                    "inspection_kind": c.inspection_kind.value,
                    "inspection_round": c.inspection_round,
                    "state": c.state.value,
                    "version": c.version,
                    "events": c.events,
                    "feedback_on": _iso(c.feedback_on),
                    "last_event_on": _iso(c.last_event_on),
                }
                for c in found
            ],
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    w = WORDS[lang]
    if not found:
        click.echo(w["no_cases"].format(store=store.url))
    for c in found:
        body_round = c.inspected_body + (
            w["round"].format(round=c.inspection_round) if c.inspection_round else ""
        )
        click.echo(
            w["case_line"].format(
                case=c.case_id,
                state=w["state"].format(state=c.state.value, state_zh=CASE_STATE_ZH[c.state]),
                kind=w["kind"].format(
                    kind=c.inspection_kind.value,
                    kind_zh=INSPECTION_KIND_ZH[c.inspection_kind],
                ),
                body=body_round,
                version=c.version,
                events=c.events,
                last=c.last_event_on or w["never"],
            )
        )


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


# -- overdue -----------------------------------------------------------------------------------


@store_group.command("overdue")
@click.option(
    "--as-of",
    "as_of",
    type=DAY_OR_TODAY,
    default=None,
    help="Required. The day: YYYY-MM-DD, or today (said explicitly: nothing defaults to the "
    "clock). Each item is judged as it stood that day.",
)
@click.option(
    "--within",
    type=click.IntRange(min=0),
    default=None,
    metavar="DAYS",
    help="Instead of what is late: what is not yet done and falls due within DAYS days from "
    "--as-of (that day included).",
)
@click.option(
    "--by",
    type=click.Choice(GROUPINGS),
    default=None,
    help="Count the items by responsible department, leader or person (as they stood that "
    "day), inspected body, or case, instead of listing them.",
)
@click.option("--case", "case_id", default=None, metavar="ID", help="Only this case.")
@click.option("--department", default=None, help="Only this responsible department.")
@click.option("--leader", default=None, help="Only this responsible leader.")
@click.option("--body", default=None, help="Only this inspected body.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for programs (rectflow.store.overdue).",
)
@store_option
@lang_option
def overdue_command(
    as_of: dt.date | None,
    within: int | None,
    by: str | None,
    case_id: str | None,
    department: str | None,
    leader: str | None,
    body: str | None,
    fmt: str,
    store_url: str | None,
    lang: str,
) -> None:
    """What was overdue (or, with --within, falls due) across the store's cases on a day:
    item by item, or counted --by department, leader, person, body or case.

    An item is overdue as rectflow.overdue says: its deadline (after extensions approved by
    then) is before --as-of and it was not completed, submitted, closed or long-term that day.
    """
    if as_of is None:
        raise RectflowError(
            N_(
                "--as-of is missing: give the day, --as-of YYYY-MM-DD or --as-of today "
                "(nothing defaults to the clock)"
            )
        )
    narrowed = (case_id, department, leader, body) != (None, None, None, None)
    if by is not None and narrowed:
        raise RectflowError(
            N_(
                "--by counts across the whole store: leave out --case, --department, --leader "
                "and --body, or drop --by to list the items they narrow to"
            )
        )
    with _opened(store_url) as store:
        if by is not None:
            counts = (
                store.overdue_by(as_of, by)  # type: ignore[arg-type]
                if within is None
                else store.due_within_by(as_of, within, by)  # type: ignore[arg-type]
            )
            found: list[DueItem] = []
        else:
            filters: dict[str, Any] = {
                "case_id": case_id,
                "department": department,
                "leader": leader,
                "body": body,
            }
            found = (
                store.overdue(as_of, **filters)
                if within is None
                else store.due_within(as_of, within, **filters)
            )
            counts = {}
    if fmt == "json":
        click.echo(
            json.dumps(
                _overdue_json(store.url, as_of, within, by, found, counts),
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    w = WORDS[lang]
    total = sum(counts.values()) if by is not None else len(found)
    head = (
        w["overdue_head"].format(as_of=as_of, store=store.url, count=total)
        if within is None
        else w["within_head"].format(days=within, as_of=as_of, store=store.url, count=total)
    )
    if by is not None:
        click.echo(w["by_head"].format(head=head, by=w[by]))
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] is None, kv[0] or ""))
        for key, count in ordered:
            click.echo(
                w["group_line"].format(key=key if key is not None else w["nobody"], count=count)
            )
        return
    click.echo(head)
    for item in found:
        click.echo(_item_line(item, lang))


def _item_line(item: DueItem, lang: str) -> str:
    w = WORDS[lang]
    days = item.days_late
    who = " / ".join(x for x in (item.department, item.leader, item.person) if x) or w["nobody"]
    return w["item_line"].format(
        case=item.case_id,
        kind=w[item.kind] if item.kind in ("problem", "measure") else item.kind,
        item=item.item_id,
        state=w["state"].format(state=item.state.value, state_zh=ITEM_STATE_ZH[item.state]),
        due=item.due_on,
        when=w["late"].format(days=days) if days > 0 else w["left"].format(days=-days),
        who=who,
    )


def _overdue_json(
    store: str,
    as_of: dt.date,
    within: int | None,
    by: str | None,
    found: Sequence[DueItem],
    counts: dict[str | None, int],
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": OVERDUE_FORMAT,
        "version": OVERDUE_VERSION,
        "store": store,
        "as_of": as_of.isoformat(),
        "within": within,
        "by": by,
    }
    if by is not None:
        data["counts"] = [
            {"key": key, "count": count}
            for key, count in sorted(counts.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))
        ]
    else:
        data["items"] = [
            {
                "case": i.case_id,
                "item": i.item_id,
                "kind": i.kind,
                "state": i.state.value,
                "due_on": i.due_on.isoformat(),
                "days_late": i.days_late,
                "department": i.department,
                "leader": i.leader,
                "person": i.person,
                "inspected_body": i.inspected_body,
            }
            for i in found
        ]
    return data


COMMANDS: list[click.Command] = [store_group]
