"""The store under stress, on SQLite and PostgreSQL: eight processes writing at once lose no
event, a writer killed mid-transaction leaves the store consistent, and a dropped connection or
a locked database is a clear error."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from store_cases import ledger

import rectflow as rf
import rectflow.store
from rectflow._store import engine, writing
from rectflow._store.tables import events
from rectflow.errors import ConflictError, StoreUnavailableError

D = dt.date
WRITERS = 8
PER_WRITER = 3


def _writer(url: str, case_ids: list[str], first: int, queue: Any) -> None:
    """Start measures first … first + PER_WRITER - 1 (one fire each); report what happened."""
    store = rectflow.store.open(url)
    outcome: list[tuple[str, str, str]] = []
    for index, case_id in enumerate(case_ids):
        item = f"m{first + index}"
        try:
            store.fire(case_id, "start", item=item, on=D(2024, 4, 1))
        except ConflictError:
            outcome.append(("refused", case_id, item))
        else:
            outcome.append(("accepted", case_id, item))
    store.close()
    queue.put(outcome)


def _run_writers(url: str, plans: list[tuple[list[str], int]]) -> list[tuple[str, str, str]]:
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    processes = [
        context.Process(target=_writer, args=(url, ids, first, queue)) for ids, first in plans
    ]
    for process in processes:
        process.start()
    results = [row for _ in processes for row in queue.get(timeout=60)]
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    return results


def _starts(store: rectflow.store.Store, case_id: str) -> list[str]:
    query = sa.select(events.c.target).where(
        events.c.case_id == case_id, events.c.trigger == "start"
    )
    with store.engine.connect() as connection:
        return list(connection.execute(query).scalars())


def test_eight_writers_on_one_case_lose_no_event(store: rectflow.store.Store) -> None:
    """Eight processes fire on one case at once: each accepted event is in the log exactly
    once, each refused one raised ConflictError and is not there, and the case loads."""
    store.add(ledger(measures=WRITERS * PER_WRITER))
    plans = [(["case-1"] * PER_WRITER, 1 + w * PER_WRITER) for w in range(WRITERS)]
    results = _run_writers(_url(store), plans)
    accepted = sorted(item for kind, _, item in results if kind == "accepted")
    assert len(results) == WRITERS * PER_WRITER
    assert accepted
    assert sorted(_starts(store, "case-1")) == accepted
    case = store.get("case-1")
    assert case.version == len(accepted)
    assert sorted(m.id for m in case.measures() if m.state is rf.ItemState.IN_PROGRESS) == accepted


def test_eight_writers_on_different_cases_all_succeed(store: rectflow.store.Store) -> None:
    """Eight processes, each on its own cases: every event is accepted and in the log."""
    store.add_many(ledger(f"case-{w}", measures=PER_WRITER) for w in range(WRITERS))
    plans = [([f"case-{w}"] * PER_WRITER, 1) for w in range(WRITERS)]
    results = _run_writers(_url(store), plans)
    assert {kind for kind, _, _ in results} == {"accepted"}
    for w in range(WRITERS):
        assert sorted(_starts(store, f"case-{w}")) == ["m1", "m2", "m3"]


def _url(store: rectflow.store.Store) -> str:
    return store.engine.url.render_as_string(hide_password=False)


def _killed_writer(url: str) -> None:
    # Die with SIGKILL after the events and the case row are written, before the commit.
    def die(*_args: object, **_kwargs: object) -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    # (the spans compared: on both engines after the row, the event and the group's items)
    setattr(writing, "_changed_spans", die)  # noqa: B010 - a patch mypy would refuse
    rectflow.store.open(url).fire("case-1", "start", item="m1", on=D(2024, 4, 1))


def test_a_writer_killed_mid_transaction_leaves_the_store_consistent(
    store: rectflow.store.Store,
) -> None:
    """SIGKILL in the middle of a save: nothing of it is stored, the case loads, and the next
    writer saves normally."""
    store.add(ledger())
    process = multiprocessing.get_context("fork").Process(
        target=_killed_writer, args=(_url(store),)
    )
    process.start()
    process.join(timeout=60)
    assert process.exitcode == -signal.SIGKILL
    case = store.get("case-1")
    assert (case.version, _starts(store, "case-1")) == (0, [])
    store.fire("case-1", "start", item="m1", on=D(2024, 4, 2))
    assert store.get("case-1").version == 1


def test_a_dropped_connection_is_a_clear_error_and_the_store_recovers(
    store: rectflow.store.Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server ends the connection mid-save (PostgreSQL) or the file goes read-only under it
    (SQLite): a StoreUnavailableError saying what and what to do; nothing was written, and the
    store works again once the database does."""
    store.add(ledger())

    def drop(connection: sa.Connection, case: rf.Case, *_: object) -> list[object]:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("select pg_terminate_backend(pg_backend_pid())")
        else:
            connection.exec_driver_sql("PRAGMA query_only = ON")
            connection.exec_driver_sql("DELETE FROM rectflow_items")
        return []

    monkeypatch.setattr(writing, "_changed_spans", drop)
    with pytest.raises(StoreUnavailableError, match="nothing was changed") as refused:
        store.fire("case-1", "start", item="m1", on=D(2024, 4, 1))
    assert refused.value.where == store.url
    monkeypatch.undo()
    store.engine.dispose()  # SQLite: the connection that was made read-only
    assert store.get("case-1").version == 0
    store.fire("case-1", "start", item="m1", on=D(2024, 4, 1))
    assert store.get("case-1").version == 1


def test_a_locked_sqlite_database_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program holds SQLite's write lock past the busy timeout: a StoreUnavailableError
    naming the lock, not a traceback from the driver."""
    monkeypatch.setattr(engine, "SQLITE_BUSY_SECONDS", 0.2)
    path = tmp_path / "ledger.db"
    store = rectflow.store.open(f"sqlite:///{path}")
    store.init()
    store.add(ledger())
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreUnavailableError, match="locked by another writer"):
            store.fire("case-1", "start", item="m1", on=D(2024, 4, 1))
    finally:
        other.execute("ROLLBACK")
        other.close()
    store.fire("case-1", "start", item="m1", on=D(2024, 4, 1))
    store.close()
