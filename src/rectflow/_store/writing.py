"""A case's rows: its document as JSON, its events, its projections.

Nothing unreadable is written (DESIGN.md, invariant 5), and checking that costs no more than
writing:

* a case new to the store (:func:`document_of` with ``load_back=True``) has its document
  structured back by the case-file loader, once, and compared with the case;
* a case saved again has only changed through the event API since it was loaded and checked:
  each new event was checked by the function that appended it (its lifecycle, the order of
  history) and applied to the case, so the case replays. What remains to check is what turns the
  case into JSON: every field valid (``find_invalid``) and every text one a database can hold.

Saving writes what changed (``_write_changes``): the new events, the case's row, and the
projections of the groups (a problem and its measures) the new events concern. The document is
a snapshot (``document_events``): a save leaves it as it is unless an event adds an item (the
document must hold the item) or the events after it outgrow :func:`snapshot_due`, and
:func:`read_case` loads it as a case file is loaded, then replays the events after it onto it,
checked as a case file's events are (numbered in order, on items of the ledger, dated as history
runs, each following from the ones before it).
"""

from __future__ import annotations

import datetime as dt
import json
import operator
from collections.abc import Collection, Sequence
from types import EllipsisType
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc

from rectflow._casefile.document import structure_located, unstructure_case
from rectflow._casefile.locate import format_key_path
from rectflow._core.edits import ADD_PROBLEM, DATE_KEYS, EDIT_TRIGGERS, data_problem
from rectflow._core.events import Event, EventData
from rectflow._core.fields import find_invalid
from rectflow._core.history import ADD_MEASURE, CASE_TARGET, check_log
from rectflow._core.lifecycle import replay_in_place
from rectflow._core.model import Case
from rectflow._i18n import N_, Msg
from rectflow._store.projection import group_ids, group_of, item_rows, span_rows
from rectflow._store.tables import cases, events, item_spans, items
from rectflow._store.verified import Inputs, VerifiedCases, later_rows
from rectflow.errors import CaseFileError, RectflowError, StoreError

__all__ = [
    "backfill_spans",
    "case_from_document",
    "case_row",
    "changed_groups",
    "document_of",
    "event_rows",
    "fold_documents",
    "insert",
    "last_event_on",
    "read_case",
    "read_version",
    "save_changes",
    "snapshot_due",
    "write_projection",
]

# Rows per INSERT: large enough to amortise a round trip, small enough for SQLite's variable limit.
_BATCH = 500


def document_of(case: Case, where: str, *, load_back: bool = True) -> dict[str, Any]:
    """The case's document as JSON values (days as ISO text), refused if it would not load.

    Args:
        case: the case.
        where: how errors name it.
        load_back: structure the document back with the case-file loader and compare it with
            the case (a case new to the store); without, the fields are checked and the text
            encoded, which is what can go wrong for a case changed through the event API.

    Raises:
        StoreError: the case holds a value the loader would refuse or could not give back
            (``key path`` named); nothing was written.
    """
    found = find_invalid(case)
    if found is not None:
        key_path, error = found
        raise _unstorable(where, format_key_path(key_path), str(error))
    try:
        document: dict[str, Any] = _json_values(unstructure_case(case))
    except _NotTextError as failure:
        raise _unstorable(where, format_key_path(failure.path), _LONE_SURROGATE) from None
    if not load_back:
        return document
    try:
        back = structure_located(document, where, None)
    except CaseFileError as refused:
        raise _unstorable(where, refused.key_path, refused.reason) from None
    back.version = case.version
    if back != case:
        raise _unstorable(where, "", N_("its document as JSON does not load back to an equal case"))
    return document


_LONE_SURROGATE = N_(
    "this string holds a lone surrogate (text decoded from bytes that were not UTF-8), which no "
    "database text can hold"
)


def _unstorable(where: str, key_path: str, reason: str) -> StoreError:
    at = f" at {key_path}" if key_path else ""
    return StoreError(
        where,
        Msg("the case cannot be stored as it is{at}: {reason}", at=at, reason=reason),
        N_("correct the value; nothing was written"),
    )


def _json_values(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` as the database gives it back: days as ISO text, through the C encoder.

    Raises:
        _NotTextError: a string UTF-8 cannot encode (its key path found by :func:`_jsonable`).
    """
    text = json.dumps(document, ensure_ascii=False, default=_iso)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        _jsonable(document, ())  # raises, naming the key path
        raise AssertionError("a string UTF-8 cannot encode was not found") from None
    values: dict[str, Any] = json.loads(text)
    return values


def _iso(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _jsonable(value: Any, path: tuple[str | int, ...]) -> Any:
    """``value`` with every day as ISO text; text that UTF-8 cannot hold is refused."""
    if isinstance(value, dict):
        return {key: _jsonable(item, (*path, key)) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item, (*path, index)) for index, item in enumerate(value)]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise _NotTextError(path) from None
    return value


class _NotTextError(Exception):
    def __init__(self, path: tuple[str | int, ...]) -> None:
        self.path = path
        super().__init__(format_key_path(path))


def case_from_document(document: dict[str, Any], version: int, where: str) -> Case:
    """The case a stored document holds, structured and replayed as a case file is.

    Raises:
        CaseFileError: the document is not a valid case (``path`` is ``where``).
    """
    case = structure_located(document, where, None)
    case.version = version
    return case


def case_row(
    case: Case,
    document: dict[str, Any] | None,
    *,
    last_event_on: dt.date | EllipsisType | None = ...,
) -> dict[str, Any]:
    """The ``rectflow_cases`` row of ``case`` (its ``version`` is what the row records); with
    ``document``, as a snapshot holding every event of the log, without it the other columns.
    ``last_event_on``: the latest event's date when the caller knows it (a save: the stored
    one and its new events'), rather than read off the whole log."""
    feedback = case.feedback_on
    row = {
        "case_id": case.id,
        "version": case.version,
        "events": len(case.events),
        "inspected_body": case.inspected_body,
        "inspection_kind": case.inspection.kind.value,
        "inspection_round": case.inspection.round,
        "state": case.state.value,
        "feedback_on": feedback.earliest if feedback is not None else None,
        "last_event_on": case.last_event_on if last_event_on is ... else last_event_on,
    }
    if document is not None:
        row["document"] = document
        row["document_events"] = len(case.events)
    return row


_BEHIND = N_("the store was changed behind rectflow's back: restore it from a backup")

SNAPSHOT_AFTER = 64
"""The fewest events after the document that make a save rewrite it (a quarter of the log, when
that is more)."""


def snapshot_due(case: Case, held: int, start: int) -> bool:
    """Whether a save of ``case`` rewrites its document, which holds ``held`` events, the log
    having held ``start`` before the save: an event since adds an item, or the events after the
    document are more than :data:`SNAPSHOT_AFTER` and a quarter of the log."""
    rows = case.events._raw()
    if any(row[1] == ADD_MEASURE or row[1] == ADD_PROBLEM for row in rows[start:]):
        return True
    later = len(rows) - held
    return later > SNAPSHOT_AFTER and later * 4 > len(rows)


def check_new_events(case: Case, start: int, where: str) -> None:
    """The events from index ``start`` on hold only text a database can hold (the event API
    checked the rest as it appended them).

    Raises:
        StoreError: a string UTF-8 cannot encode (its event and key named).
    """
    for row in case.events._raw()[start:]:
        for index, value in enumerate((row[4], row[5], *(v for _, v in row[7]))):
            if isinstance(value, str):
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError:
                    key = ("actor", "note", *(k for k, _ in row[7]))[index]
                    raise _unstorable(
                        where, format_key_path(("events", row[0] - 1, key)), _LONE_SURROGATE
                    ) from None


def read_case(
    connection: sa.Connection,
    case_id: str,
    where: str,
    verified: VerifiedCases | None = None,
    *,
    keep: bool = True,
) -> Case | None:
    """The stored case, loaded as a case file is and its later events replayed onto it (one
    consistent reading: the events it reads are those the case's row counts); ``None`` when
    there is no such case.

    Args:
        connection: to read in.
        case_id: the case's id.
        where: how errors name it.
        verified: the cases already verified (:class:`VerifiedCases`): when everything read
            for the case equals what one of them was verified from, that case is returned
            (unpickled: a case of its own) instead of verifying the same inputs again.
        keep: keep the case verified now in ``verified``.

    Raises:
        CaseFileError: the document is not a valid case (``path`` is ``where``).
        StoreError: the log does not continue the document (the store was changed behind
            rectflow's back).
    """
    query = sa.select(
        cases.c.version,
        cases.c.events,
        cases.c.document_events,
        sa.cast(cases.c.document, sa.Text),
    ).where(cases.c.case_id == case_id)
    row = connection.execute(query).first()
    if row is None:
        return None
    version, count, document_events, text = row
    held = count if document_events is None else document_events
    later: list[Any] = []
    if held < count:
        later = list(
            connection.execute(
                sa.select(
                    events.c.seq,
                    events.c.trigger,
                    events.c.target,
                    events.c["on"],
                    events.c.actor,
                    events.c.note,
                    events.c.recorded_on,
                    events.c.data,
                )
                .where(events.c.case_id == case_id, events.c.seq > held, events.c.seq <= count)
                .order_by(events.c.seq)
            )
        )
    inputs: Inputs = (version, count, document_events, text, later_rows(later))
    if verified is not None:
        found = verified.get(case_id, inputs)
        if found is not None:
            return found
    case = case_from_document(json.loads(text), version, where)
    if len(case.events) != held:
        raise _behind_our_back(where, len(case.events), held)
    if later:
        _replay_later(case, later, where)
    if len(case.events) != count:
        raise _behind_our_back(where, len(case.events), count)
    if verified is not None and keep:
        verified.keep(case_id, inputs, case)
    return case


def _behind_our_back(where: str, found: int, count: int) -> StoreError:
    return StoreError(
        where,
        Msg(
            "the stored document holds {found} events, the store's log {count}",
            found=found,
            count=count,
        ),
        _BEHIND,
    )


def _replay_later(case: Case, rows: Sequence[Any], where: str) -> None:
    """Append the log's events after the document to ``case`` and replay the whole log, as a
    case file's events are checked."""
    log = case.events
    try:
        for seq, trigger, target, on, actor, note, recorded_on, data in rows:
            if seq != len(log) + 1:
                raise StoreError(
                    where,
                    Msg("event {n} of the store's log has seq = {seq}", n=len(log) + 1, seq=seq),
                    _BEHIND,
                )
            values = EventData(
                {
                    key: dt.date.fromisoformat(value)
                    if key in DATE_KEYS and isinstance(value, str)
                    else value
                    for key, value in (data or {}).items()
                }
            )
            if target != CASE_TARGET:
                case.item(target)  # an unknown item is refused here
            if trigger in EDIT_TRIGGERS:
                wrong = data_problem(trigger, values)
                if wrong is not None:
                    raise StoreError(
                        where,
                        Msg("event #{seq}: {reason}", seq=seq, reason=Msg.of(wrong[1])),
                        _BEHIND,
                    )
            log._append(
                Event(
                    seq=seq,
                    trigger=trigger,
                    target=target,
                    on=on,
                    actor=actor,
                    note=note,
                    recorded_on=recorded_on,
                    data=values,
                )
            )
        check_log(case)
        replay_in_place(case)
    except StoreError:
        raise
    except (RectflowError, ValueError, TypeError) as refused:
        raise StoreError(
            where,
            Msg("the store's log does not replay onto its document: {reason}", reason=str(refused)),
            _BEHIND,
        ) from None


def fold_documents(connection: sa.Connection) -> None:
    """Rewrite every stored document to hold its whole log (revision 0003's downgrade)."""
    ids = connection.execute(sa.select(cases.c.case_id)).scalars().all()
    for case_id in ids:
        case = read_case(connection, case_id, f"store:{case_id}")
        if case is None:  # deleted meanwhile
            continue
        document = document_of(case, f"store:{case_id}", load_back=False)
        document["version"] = case.version
        connection.execute(
            cases.update()
            .where(cases.c.case_id == case_id)
            .values(document=document, document_events=None)
        )


def event_rows(case: Case, start: int) -> list[dict[str, Any]]:
    """The ``rectflow_events`` rows of the case's events from index ``start`` on (each keeps
    the ``seq`` the log gives it)."""
    rows = case.events._raw()
    return [
        {
            "case_id": case.id,
            "seq": row[0],
            "trigger": row[1],
            "target": row[2],
            "on": row[3],
            "actor": row[4],
            "note": row[5],
            "recorded_on": row[6],
            "data": {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in row[7]}
            if row[7]
            else None,
        }
        for row in rows[start:]
    ]


# Rows from which PostgreSQL gets them by COPY rather than INSERT (a case's events and spans).
_COPY_FROM = 200


def insert(connection: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (all with the same keys) into ``table`` (nothing for none).

    The rows go to the driver as they are, without SQLAlchemy's per-row compilation: one
    ``executemany`` of tuples (SQLite, and a few rows on PostgreSQL) or one ``COPY``
    (PostgreSQL, many rows); JSON values are encoded here, days given as days (ISO text to
    SQLite, as SQLAlchemy stores them there).
    """
    if not rows:
        return
    names = list(rows[0])
    values = _driver_values(connection, table, names, rows)
    quoted = ", ".join(f'"{n}"' for n in names)
    if connection.dialect.name != "sqlite" and len(rows) >= _COPY_FROM:
        _copy(connection, f"COPY {table.name} ({quoted}) FROM STDIN", values)
        return
    marker = _marker(connection)
    sql = f"INSERT INTO {table.name} ({quoted}) VALUES ({', '.join([marker] * len(names))})"
    connection.exec_driver_sql(sql, values)


def _driver_values(
    connection: sa.Connection, table: sa.Table, names: Sequence[str], rows: Sequence[Any]
) -> list[tuple[Any, ...]]:
    """The ``names`` values of each row as the driver takes them: JSON encoded, and days as
    ISO text on SQLite (as SQLAlchemy stores them there)."""
    sqlite = connection.dialect.name == "sqlite"
    converted = [
        (index, _to_json if isinstance(column.type, sa.JSON) else dt.date.isoformat)
        for index, column in enumerate(table.c[n] for n in names)
        if isinstance(column.type, sa.JSON) or (sqlite and isinstance(column.type, sa.Date))
    ]
    getter = operator.itemgetter(*names)
    values: list[tuple[Any, ...]] = []
    for row in rows:
        value = list(getter(row)) if len(names) > 1 else [getter(row)]
        for index, convert in converted:
            if value[index] is not None:
                value[index] = convert(value[index])
        values.append(tuple(value))
    return values


def _marker(connection: sa.Connection) -> str:
    return "?" if connection.dialect.paramstyle == "qmark" else "%s"


def read_version(
    connection: sa.Connection, case_id: str
) -> tuple[int, int, int | None, dt.date | None] | None:
    """The stored case's version, events, document events and latest event's date (``None``:
    no such case), read with one statement the driver takes as it is (a save's first)."""
    sql = (
        "SELECT version, events, document_events, last_event_on FROM rectflow_cases "
        f"WHERE case_id = {_marker(connection)}"
    )
    row = connection.exec_driver_sql(sql, (case_id,)).first()
    if row is None:
        return None
    last = row[3]
    if isinstance(last, str):  # SQLite gives days as ISO text
        last = dt.date.fromisoformat(last)
    return (row[0], row[1], row[2], last)


def last_event_on(case: Case, start: int, stored: dt.date | None) -> dt.date | None:
    """The case's latest event's date: ``stored`` (that of its first ``start`` events) or a
    later event's."""
    days = [row[3] for row in case.events._raw()[start:]]
    if stored is not None:
        days.append(stored)
    return max(days, default=None)


def _update_case(connection: sa.Connection, row: dict[str, Any], version: int) -> bool:
    """Set the case's row to ``row`` where the store holds it at ``version``; whether it did
    (one statement, as the driver takes it)."""
    names = [n for n in row if n != "case_id"]
    marker = _marker(connection)
    (values,) = _driver_values(connection, cases, names, [row])
    sets = ", ".join(f'"{n}" = {marker}' for n in names)
    sql = f"UPDATE rectflow_cases SET {sets} WHERE case_id = {marker} AND version = {marker}"
    updated = connection.exec_driver_sql(sql, (*values, row["case_id"], version))
    return bool(updated.rowcount == 1)


def _delete_items(
    connection: sa.Connection,
    case_id: str,
    chosen: Sequence[str],
    tables: Sequence[sa.Table] = (items, item_spans),
) -> None:
    """Delete the rows of the items ``chosen`` names from ``tables``."""
    marker = _marker(connection)
    among = ", ".join([marker] * len(chosen))
    for table in tables:
        connection.exec_driver_sql(
            f"DELETE FROM {table.name} WHERE case_id = {marker} AND item_id IN ({among})",
            (case_id, *chosen),
        )


def _to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _copy(connection: sa.Connection, sql: str, values: list[Any]) -> None:
    """``COPY … FROM STDIN`` through psycopg, in the connection's transaction; its errors as
    SQLAlchemy's (so a dropped connection reads as one)."""
    import psycopg  # noqa: PLC0415 - PostgreSQL only

    driver = connection.connection.driver_connection
    try:
        with driver.cursor() as cursor, cursor.copy(sql) as copy:  # type: ignore[union-attr]
            for row in values:
                copy.write_row(row)
    except psycopg.Error as error:
        kind = (
            exc.OperationalError if isinstance(error, psycopg.OperationalError) else exc.DBAPIError
        )
        raise kind(sql, None, error) from error


def write_projection(connection: sa.Connection, case: Case, *, fresh: bool = False) -> None:
    """Replace the case's rows in ``rectflow_items`` and ``rectflow_item_spans``.

    Args:
        connection: in the transaction that writes the case.
        case: the case as it is now.
        fresh: the case is new to the store (nothing to delete first).
    """
    if not fresh:
        connection.execute(items.delete().where(items.c.case_id == case.id))
        connection.execute(item_spans.delete().where(item_spans.c.case_id == case.id))
    insert(connection, items, item_rows(case))
    insert(connection, item_spans, span_rows(case))


def changed_groups(case: Case, start: int) -> set[str]:
    """The groups (problem ids) the events from index ``start`` on concern."""
    rows = case.events._raw()[start:]
    if len(rows) == 1:
        group = group_of(case, rows[0][2])
        return set() if group is None else {group}
    parents = {m.id: p.id for p in case.problems() for m in p.measures}
    return {parents.get(row[2], row[2]) for row in rows if row[2] != CASE_TARGET}


def _write_changes(connection: sa.Connection, case: Case, groups: Collection[str]) -> None:
    """Rewrite the projections of the groups ``groups`` names (a problem and its measures, read
    off the whole log: a late recording may change how they stood on earlier days), and no
    other item's rows.

    The items' rows are replaced; of the spans, only those that differ from the stored ones are
    (a fire closes an item's open span and opens one: a few rows, not every span of the group).
    """
    if not groups:
        return
    ids = group_ids(case, groups)
    names = [column.name for column in item_spans.c]
    stored: dict[tuple[Any, Any], tuple[Any, ...]] = {}
    for begin in range(0, len(ids), _BATCH):
        chosen = ids[begin : begin + _BATCH]
        _delete_items(connection, case.id, chosen, (items,))
        stored.update(_stored_spans(connection, case.id, chosen, names))
    added = _changed_spans(connection, case, groups, names, stored)
    marker = _marker(connection)
    if stored:  # stored spans that are no more, or are now otherwise
        connection.exec_driver_sql(
            f"DELETE FROM rectflow_item_spans WHERE case_id = {marker} AND item_id = {marker} "
            f"AND valid_from = {marker}",
            [(case.id, *key) for key in stored],
        )
    insert(connection, items, item_rows(case, groups))
    insert(connection, item_spans, added)


def save_changes(
    connection: sa.Connection, case: Case, row: dict[str, Any], version: int, start: int
) -> bool:
    """Write a save: the case's ``row`` where the store holds it at ``version``, its events
    from index ``start`` on, and the projections of the groups they concern
    (``_write_changes``). ``False``: the database does not hold the case at ``version``
    (another writer saved it, or it is gone), and the caller must roll back.

    On PostgreSQL the statements go in two pipelines (psycopg's pipeline mode): the row, the
    events, the group's items deleted and its stored spans read in one round trip, the changed
    spans and the items written in another, where one statement at a time is seven.
    """
    groups = changed_groups(case, start)
    new_events = event_rows(case, start)
    if connection.dialect.name == "postgresql":
        return _save_pipelined(connection, case, row, version, new_events, groups)
    if not _update_case(connection, row, version):
        return False
    try:
        insert(connection, events, new_events)
    except exc.IntegrityError:  # another writer appended these seqs
        return False
    _write_changes(connection, case, groups)
    return True


def _save_pipelined(
    connection: sa.Connection,
    case: Case,
    row: dict[str, Any],
    version: int,
    new_events: Sequence[dict[str, Any]],
    groups: Collection[str],
) -> bool:
    """:func:`save_changes` on PostgreSQL, in two round trips (and the commit)."""
    import psycopg  # noqa: PLC0415 - PostgreSQL only

    names = [n for n in row if n != "case_id"]
    (values,) = _driver_values(connection, cases, names, [row])
    sets = ", ".join(f'"{n}" = %s' for n in names)
    span_names = [column.name for column in item_spans.c]
    ids = group_ids(case, groups) if groups else []
    driver: Any = connection.connection.driver_connection
    sql = ""
    try:
        with (
            driver.pipeline() as pipeline,
            driver.cursor() as updated,
            driver.cursor() as update,
            driver.cursor() as read,
        ):
            sql = f"UPDATE rectflow_cases SET {sets} WHERE case_id = %s AND version = %s"
            updated.execute(sql, (*values, case.id, version))
            if new_events:
                sql, event_values = _insert_sql(connection, events, new_events)
                update.executemany(sql, event_values)
            if ids:
                sql = "DELETE FROM rectflow_items WHERE case_id = %s AND item_id = ANY(%s)"
                update.execute(sql, (case.id, ids))
                columns = ", ".join(f'"{n}"' for n in span_names)
                sql = (
                    f"SELECT {columns} FROM rectflow_item_spans WHERE case_id = %s "
                    "AND item_id = ANY(%s)"
                )
                read.execute(sql, (case.id, ids))
            pipeline.sync()
            if updated.rowcount != 1:
                return False
            if not ids:
                return True
            stored = {(r[1], r[3]): tuple(r) for r in read.fetchall()}
            added = _changed_spans(connection, case, groups, span_names, stored)
            if stored:  # stored spans that are no more, or are now otherwise
                sql = (
                    "DELETE FROM rectflow_item_spans WHERE case_id = %s AND item_id = %s "
                    "AND valid_from = %s"
                )
                update.executemany(sql, [(case.id, *key) for key in stored])
            for table, rows in ((items, item_rows(case, groups)), (item_spans, added)):
                if rows:
                    sql, table_values = _insert_sql(connection, table, rows)
                    update.executemany(sql, table_values)
    except psycopg.IntegrityError:  # another writer appended these seqs, or the case is gone
        return False
    except psycopg.Error as error:
        kind = (
            exc.OperationalError if isinstance(error, psycopg.OperationalError) else exc.DBAPIError
        )
        raise kind(sql, None, error) from error
    return True


def _insert_sql(
    connection: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]]
) -> tuple[str, list[tuple[Any, ...]]]:
    """The INSERT of ``rows`` into ``table`` and their values, as the driver takes them."""
    names = list(rows[0])
    quoted = ", ".join(f'"{n}"' for n in names)
    marker = _marker(connection)
    sql = f"INSERT INTO {table.name} ({quoted}) VALUES ({', '.join([marker] * len(names))})"
    return sql, _driver_values(connection, table, names, rows)


def _changed_spans(
    connection: sa.Connection,
    case: Case,
    groups: Collection[str],
    names: Sequence[str],
    stored: dict[tuple[Any, Any], tuple[Any, ...]],
) -> list[dict[str, Any]]:
    """The spans of ``groups`` that are not stored as they are; those stored as they are
    are taken out of ``stored``, which is left with the stored spans that are no more."""
    new = span_rows(case, groups)
    added: list[dict[str, Any]] = []
    for row, values in zip(new, _driver_values(connection, item_spans, names, new), strict=True):
        key = (values[1], values[3])
        if stored.get(key) == values:
            del stored[key]  # as it is stored
        else:
            added.append(row)
    return added


def _stored_spans(
    connection: sa.Connection, case_id: str, chosen: Sequence[str], names: Sequence[str]
) -> dict[tuple[Any, Any], tuple[Any, ...]]:
    """The stored spans of the items ``chosen`` names, by (item id, valid from), as the
    driver gives them (the columns ``names``)."""
    marker = _marker(connection)
    among = ", ".join([marker] * len(chosen))
    columns = ", ".join(f'"{n}"' for n in names)
    rows = connection.exec_driver_sql(
        f"SELECT {columns} FROM rectflow_item_spans WHERE case_id = {marker} "
        f"AND item_id IN ({among})",
        (case_id, *chosen),
    )
    return {(row[1], row[3]): tuple(row) for row in rows}


def backfill_spans(connection: sa.Connection) -> None:
    """Write the spans of every stored case (the migration that adds the spans' table)."""
    query = sa.select(cases.c.case_id, cases.c.version, cases.c.document)
    for case_id, version, document in connection.execute(query).all():
        case = case_from_document(document, version, f"store:{case_id}")
        insert(connection, item_spans, span_rows(case))
