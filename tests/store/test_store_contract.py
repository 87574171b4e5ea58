"""The store's contract, on SQLite and on PostgreSQL: cases in and out, changes through the
event API in one transaction, conflicts, the cross-case questions, import and export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from store_cases import ledger

import rectflow as rf
import rectflow.store
from rectflow._store.tables import VERSION_TABLE, events, item_spans
from rectflow.errors import (
    CaseExistsError,
    CaseFileError,
    ConflictError,
    StoreConflictError,
    StoreError,
    StoreNotInitialisedError,
    StoreSchemaError,
    TransitionNotAllowed,
    UnknownCaseError,
)

D = dt.date
ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "cases").glob("*.toml"))


def _log(store: rectflow.store.Store, case_id: str) -> list[tuple[int, str, str]]:
    query = (
        sa.select(events.c.seq, events.c.trigger, events.c.target)
        .where(events.c.case_id == case_id)
        .order_by(events.c.seq)
    )
    with store.engine.connect() as connection:
        return [(row[0], row[1], row[2]) for row in connection.execute(query).all()]


def test_init_creates_the_tables_at_the_newest_revision(store_url: str) -> None:
    """A new database has no revision; init brings it to HEAD, and a second init changes nothing."""
    store = rectflow.store.open(store_url)
    assert store.revision() is None
    store.init()
    assert store.revision() == rectflow.store.HEAD
    store.init()
    assert (store.revision(), store.cases()) == (rectflow.store.HEAD, [])
    store.close()


def test_an_uninitialised_store_says_to_run_store_init(store_url: str) -> None:
    """Using a database without rectflow's tables names `rectflow store init`."""
    store = rectflow.store.open(store_url)
    with pytest.raises(StoreNotInitialisedError, match="rectflow store init"):
        store.cases()
    store.close()


def test_a_case_added_is_got_back_equal(store: rectflow.store.Store) -> None:
    """get() gives back the case add() stored, log and version included."""
    case = ledger()
    store.add(case)
    assert store.get("case-1") == case
    assert _log(store, "case-1") == [(e.seq, e.trigger, e.target) for e in case.events]


def test_adding_an_existing_id_is_refused_and_changes_nothing(
    store: rectflow.store.Store,
) -> None:
    """A second case under the same id is a CaseExistsError; the first stays as it was."""
    store.add(ledger())
    with pytest.raises(CaseExistsError, match="already holds a case 'case-1'"):
        store.add(ledger(measures=1))
    assert len(list(store.get("case-1").measures())) == 4


def test_an_unknown_case_is_a_clear_error(store: rectflow.store.Store) -> None:
    """get() of an id the store does not hold names it and how to list the ids."""
    with pytest.raises(UnknownCaseError, match=r"no case 'nope' in the store.*store list"):
        store.get("nope")


def test_fire_appends_one_event_and_bumps_the_version(store: rectflow.store.Store) -> None:
    """A fire through the store is one new event, version + 1, and the projection follows."""
    store.add(ledger())
    before = len(store.get("case-1").events)
    event = store.fire("case-1", "start", item="m1", on=D(2024, 4, 1))
    case = store.get("case-1")
    assert (case.version, len(case.events)) == (1, before + 1)
    assert _log(store, "case-1")[-1] == (event.seq, "start", "m1")
    assert store.counts()[("measure", rf.ItemState.IN_PROGRESS)] == 1


def test_a_fire_on_a_case_the_store_saved_last_issues_seven_statements(
    store: rectflow.store.Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fire on the case this store saved last reads its group's spans (not the case's row:
    its update, where the database still holds the version saved, checks it), and writes the
    row, the event, the group's items and only the spans that changed. (On PostgreSQL they go
    to the driver in two pipelines, so they are counted there.)"""
    store.add(ledger(measures=6))
    store.fire("case-1", "start", item="m1", on=D(2024, 4, 1))  # loads it once, keeps it
    issued: list[str] = []

    def note(statement: object) -> None:
        if "rectflow_" in str(statement):
            issued.append(str(statement).split()[0])

    if store.engine.dialect.name == "postgresql":
        import psycopg

        for name in ("execute", "executemany"):
            real = getattr(psycopg.Cursor, name)

            def recording(self: object, query: object, *args: object, _real=real) -> object:  # type: ignore[no-untyped-def]
                note(query)
                return _real(self, query, *args)

            monkeypatch.setattr(psycopg.Cursor, name, recording)
        store.fire("case-1", "start", item="m2", on=D(2024, 4, 1))
        monkeypatch.undo()
    else:

        def listener(*args: object) -> None:
            note(args[2])

        sa.event.listen(store.engine, "before_cursor_execute", listener)
        try:
            store.fire("case-1", "start", item="m2", on=D(2024, 4, 1))
        finally:
            sa.event.remove(store.engine, "before_cursor_execute", listener)
    assert issued == [
        "UPDATE",  # the case's row, where it is at the version saved
        "INSERT",  # the event
        "DELETE",  # the group's items
        "SELECT",  # the group's stored spans
        "DELETE",  # those that changed
        "INSERT",  # the group's items
        "INSERT",  # the spans that are new or changed
    ]
    assert store.get("case-1").item("m2").state is rf.ItemState.IN_PROGRESS
    # The row's latest event date, from the stored one and the new event's, is the log's.
    (summary,) = store.cases()
    assert summary.last_event_on == store.get("case-1").last_event_on == D(2024, 4, 1)


def test_a_refused_transition_writes_nothing(store: rectflow.store.Store) -> None:
    """A trigger the lifecycle does not allow raises its error; the store is unchanged."""
    store.add(ledger())
    with pytest.raises(TransitionNotAllowed):
        store.fire("case-1", "accept", item="m1", on=D(2024, 4, 1))
    assert store.get("case-1").version == 0


def test_a_guard_that_blocks_writes_nothing(store: rectflow.store.Store) -> None:
    """The policy's guards run inside the change: a blocking rule leaves the store unchanged."""
    store.add(ledger())
    guards = rf.guards(None, "xuncha")
    with pytest.raises(TransitionNotAllowed, match="blocking rule"):
        # Acceptance by the responsible department itself breaks acceptance.independent.
        store.apply(
            "case-1",
            lambda case: (
                [
                    rf.fire(case, t, item="m1", on=D(2024, 4, 1), guards=guards)
                    for t in ("start", "complete", "submit")
                ]
                and rf.fire(
                    case, "accept", item="m1", on=D(2024, 4, 2), actor="办公室", guards=guards
                )
            ),
        )
    assert len(store.get("case-1").events) == len(ledger().events)


def test_a_case_with_fewer_events_than_the_store_is_refused(store: rectflow.store.Store) -> None:
    """Saving a case whose log is shorter than the stored one is refused; nothing is written."""
    store.add(ledger())
    shorter = ledger()
    rf.fire(shorter, "start", item="m1", on=D(2024, 4, 1))
    store.save(shorter)  # version 0 -> 1, one event more than a fresh ledger()
    stale = ledger()
    stale.version = 1
    with pytest.raises(StoreError, match="fewer than the"):
        store.save(stale)
    assert (store.get("case-1").version, len(store.get("case-1").events)) == (
        1,
        len(shorter.events),
    )


def test_a_second_writer_of_the_same_version_gets_a_conflict(
    store: rectflow.store.Store,
) -> None:
    """Two loads of version 0 both change the case: the second save is a ConflictError, as
    with files, and its event is not in the log."""
    store.add(ledger())
    first, second = store.get("case-1"), store.get("case-1")
    rf.fire(first, "start", item="m1", on=D(2024, 4, 1))
    rf.fire(second, "start", item="m2", on=D(2024, 4, 1))
    store.save(first)
    with pytest.raises(ConflictError) as refused:
        store.save(second)
    assert isinstance(refused.value, StoreConflictError)
    assert (refused.value.expected_version, refused.value.found_version) == (0, 1)
    assert "store:case-1" in str(refused.value)
    assert [t for _, t, target in _log(store, "case-1") if t == "start"] == ["start"]
    assert second.version == 0


def test_apply_with_retries_reapplies_the_change_on_a_fresh_load(
    store: rectflow.store.Store,
) -> None:
    """After a conflict, apply(retries=…) loads again and re-applies the pure change."""
    store.add(ledger())
    calls: list[int] = []

    def change(case: rf.Case) -> rf.Event:
        calls.append(case.version)
        if len(calls) == 1:  # another writer slips in between this load and its save
            store.fire("case-1", "start", item="m2", on=D(2024, 4, 1))
        return rf.fire(case, "start", item="m1", on=D(2024, 4, 1))

    store.apply("case-1", change, retries=1)
    assert calls == [0, 1]
    case = store.get("case-1")
    assert (case.version, case.item("m1").state) == (2, rf.ItemState.IN_PROGRESS)


def test_apply_without_retries_raises_the_conflict(store: rectflow.store.Store) -> None:
    """retries=0 (the default) gives the conflict to the caller."""
    store.add(ledger())

    def change(case: rf.Case) -> None:
        store.fire("case-1", "start", item="m2", on=D(2024, 4, 1))
        rf.fire(case, "start", item="m1", on=D(2024, 4, 1))

    with pytest.raises(StoreConflictError):
        store.apply("case-1", change)


def test_every_supervision_event_kind_goes_through_the_store(
    store: rectflow.store.Store,
) -> None:
    """Each shortcut records its event kind, and the case reloads equal to one changed in memory."""
    mine = ledger()
    store.add(ledger())
    steps: list[tuple[str, tuple[object, ...], dict[str, object]]] = [
        ("assign", ("m1", rf.Responsibility(department="党办")), {"on": D(2024, 4, 1)}),
        (
            "extend",
            ("m1", D(2024, 7, 1)),
            {"approver": "领导小组", "reason": "待审批", "on": D(2024, 4, 2)},
        ),
        ("edit_text", ("m1", "新措施"), {"on": D(2024, 4, 3)}),
        ("add_evidence", ("m1", rf.Evidence("通知")), {"on": D(2024, 4, 4)}),
        ("add_measure", ("p1", rf.Measure("m9", text="补充")), {"on": D(2024, 4, 5)}),
        (
            "record_accountability",
            (rf.Accountability(rf.AccountabilityForm.ADMONISHING_TALK, on=D(2024, 4, 6)),),
            {},
        ),
        ("evaluate", (rf.Evaluation(D(2024, 4, 7), rf.Grade.GOOD),), {}),
    ]
    for name, args, kwargs in steps:
        getattr(store, name)("case-1", *args, **kwargs)
        getattr(rf, name)(mine, *args, **kwargs)
    mine.version = len(steps)
    assert store.get("case-1") == mine


def test_cases_lists_and_filters(store: rectflow.store.Store) -> None:
    """cases() lists by id and narrows by state and inspected body."""
    store.add(ledger("b", body="乙"))
    store.add(ledger("a", body="甲"))
    assert [c.case_id for c in store.cases()] == ["a", "b"]
    assert [c.case_id for c in store.cases(body="乙")] == ["b"]
    assert store.cases(state=rf.CaseState.CLOSED) == []
    summary = store.cases(state="plan_adopted")[0]
    assert (summary.inspected_body, summary.events, summary.version) == ("甲", 9, 0)


def test_overdue_is_judged_as_things_stood_that_day(store: rectflow.store.Store) -> None:
    """An item completed after the day was still late on it; an extension approved after the
    day did not move that day's deadline; grouping by department counts each."""
    store.add(ledger())
    store.fire("case-1", "start", item="m1", on=D(2024, 5, 1))
    store.fire("case-1", "complete", item="m1", on=D(2024, 7, 1))
    # Recorded late: the log is then not in date order.
    store.extend(
        "case-1",
        "m2",
        D(2024, 9, 1),
        approver="组",
        reason="因",
        on=D(2024, 6, 20),
        recorded_on=D(2024, 7, 2),
    )
    day = D(2024, 6, 10)
    late = store.overdue(day)
    case = store.get("case-1")
    assert [i.item_id for i in late] == sorted(i.id for i in rf.overdue(case, day))
    assert [i.item_id for i in late] == ["m1", "m2", "m3", "m4"]
    assert late[0].days_late == 9
    assert store.overdue_by(day, "department") == {"办公室": 2, "财务科": 2}
    assert store.overdue_by(D(2024, 7, 10), "department") == {"办公室": 1, "财务科": 1}
    assert store.overdue_by(day, "body") == {"中共某县委": 4}
    assert [i.item_id for i in store.overdue(day, department="财务科")] == ["m2", "m4"]


def test_due_within_counts_the_days_ahead(store: rectflow.store.Store) -> None:
    """Items due from the day to N days after it, not yet done, grouped as asked."""
    store.add(ledger())
    assert [i.item_id for i in store.due_within(D(2024, 6, 2), 1)] == ["m2", "m3"]
    assert store.due_within_by(D(2024, 5, 31), 2, "department") == {"办公室": 1, "财务科": 1}


def test_counts_as_of_a_day_are_the_states_then(store: rectflow.store.Store) -> None:
    """counts(as_of=D) counts the states as rectflow.case_as_of gives them."""
    store.add(ledger())
    store.fire("case-1", "start", item="m1", on=D(2024, 5, 1))
    assert store.counts(as_of=D(2024, 4, 1))[("measure", rf.ItemState.OPEN)] == 4
    assert store.counts(as_of=D(2024, 5, 1))[("measure", rf.ItemState.OPEN)] == 3
    assert store.counts()[("problem", rf.ItemState.IN_PROGRESS)] == 1


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_an_example_imports_and_exports_to_an_equal_case(
    store: rectflow.store.Store, path: Path, tmp_path: Path
) -> None:
    """import_files then export gives a case file that loads equal to the original."""
    (case_id,) = store.import_files([path])
    store.export(case_id, tmp_path / "out.toml")
    assert rf.load_case(tmp_path / "out.toml") == rf.load_case(path)


def test_a_bad_file_in_an_import_writes_nothing(
    store: rectflow.store.Store, tmp_path: Path
) -> None:
    """One invalid file among several: its error names it, and no case is stored."""
    bad = tmp_path / "bad.toml"
    bad.write_text('schema = 2\nid = "x"\nstate = "nowhere"\n', encoding="utf-8")
    with pytest.raises(CaseFileError, match=r"bad\.toml"):
        store.import_files([EXAMPLES[0], bad])
    assert store.cases() == []


def test_export_refuses_to_replace_a_file_without_force(
    store: rectflow.store.Store, tmp_path: Path
) -> None:
    """An existing file is replaced only with force=True; export returns the version written."""
    store.add(ledger())
    store.fire("case-1", "start", item="m1", on=D(2024, 4, 1))
    target = tmp_path / "case.toml"
    target.write_text("keep", encoding="utf-8")
    with pytest.raises(CaseFileError, match="--force"):
        store.export("case-1", target)
    assert target.read_text(encoding="utf-8") == "keep"
    assert store.export("case-1", target, force=True) == 1
    assert rf.load_case(target) == store.get("case-1")
    assert rf.load_case(target).version == 1


def test_a_newer_schema_revision_is_refused(store_url: str) -> None:
    """A database a newer rectflow upgraded is refused, on use and on upgrade, with a clear
    message; nothing is changed."""
    store = rectflow.store.open(store_url)
    store.init()
    with store.engine.begin() as connection:
        connection.execute(sa.text(f"UPDATE {VERSION_TABLE} SET version_num = '0099'"))
    fresh = rectflow.store.open(store_url)
    with pytest.raises(StoreSchemaError, match=r"0099, newer than this rectflow") as refused:
        fresh.cases()
    assert refused.value.newer
    with pytest.raises(StoreSchemaError, match="newer"):
        fresh.upgrade()
    assert fresh.revision() == "0099"
    store.close()
    fresh.close()


def test_an_older_revision_asks_for_an_upgrade(store_url: str) -> None:
    """A store at 0001 is refused until upgraded, naming `rectflow store upgrade`."""
    store = rectflow.store.open(store_url)
    store.upgrade("0001")
    with pytest.raises(StoreSchemaError, match="rectflow store upgrade"):
        store.cases()
    store.close()


def test_a_store_at_the_previous_revision_upgrades_with_its_data(store_url: str) -> None:
    """A database at 0001 holding a case upgrades to HEAD: the spans are written for the case
    already there, so the as-of questions answer for it at once."""
    store = rectflow.store.open(store_url)
    store.upgrade("0001")
    case = ledger()
    rf.fire(case, "start", item="m1", on=D(2024, 5, 1))
    rf.fire(case, "complete", item="m1", on=D(2024, 7, 1))
    # What rectflow wrote at revision 0001: the case, its events and its items.
    from rectflow._store.projection import item_rows
    from rectflow._store.tables import cases, items
    from rectflow._store.writing import case_row, document_of, event_rows, insert

    row = case_row(case, document_of(case, "x"))
    del row["document_events"]  # revision 0003's column
    with store.engine.begin() as connection:
        connection.execute(cases.insert(), [row])
        insert(connection, events, event_rows(case, 0))
        insert(connection, items, item_rows(case))
    store.upgrade()
    assert store.revision() == rectflow.store.HEAD
    assert store.get("case-1") == case
    assert [i.item_id for i in store.overdue(D(2024, 6, 10))] == ["m1", "m2", "m3", "m4"]
    with store.engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(item_spans)).scalar()
    store.close()


def test_a_store_at_0002_upgrades_and_downgrades_with_its_data(store_url: str) -> None:
    """A database at 0002 holding a case (whole document, no document_events) upgrades to HEAD
    and is changed there; downgraded to 0002 again, its documents hold every event and load
    as 0002 read them."""
    store = rectflow.store.open(store_url)
    store.upgrade("0002")
    case = ledger()
    from rectflow._store.projection import item_rows, span_rows
    from rectflow._store.tables import cases, items
    from rectflow._store.writing import case_row, document_of, event_rows, insert

    row = case_row(case, document_of(case, "x"))
    del row["document_events"]
    with store.engine.begin() as connection:
        connection.execute(cases.insert(), [row])
        insert(connection, events, event_rows(case, 0))
        insert(connection, items, item_rows(case))
        insert(connection, item_spans, span_rows(case))
    store.upgrade()
    assert store.revision() == rectflow.store.HEAD
    assert store.get("case-1") == case
    store.fire("case-1", "start", item="m1", on=D(2024, 5, 1))
    rf.fire(case, "start", item="m1", on=D(2024, 5, 1))
    case.version = 1
    assert store.get("case-1") == case
    from alembic import command

    with store.engine.begin() as connection:
        command.downgrade(rectflow.store.alembic_config(connection), "0002")
    with store.engine.connect() as connection:
        document, version = connection.execute(sa.select(cases.c.document, cases.c.version)).one()
    assert len(document["events"]) == len(case.events)
    from rectflow._store.writing import case_from_document

    assert case_from_document(document, version, "x") == case
    store.close()


def test_a_save_appends_its_events_and_rewrites_the_document_only_now_and_then(
    store: rectflow.store.Store,
) -> None:
    """A fire writes its event and the case's row, not the document; the document is rewritten
    when an event adds an item or the events after it outgrow a quarter of the log, and the
    case loads equal to one changed in memory all along."""
    from rectflow._store.tables import cases
    from rectflow._store.writing import SNAPSHOT_AFTER

    case = ledger(measures=4 * SNAPSHOT_AFTER)
    store.add(case)

    def held() -> int:
        with store.engine.connect() as connection:
            return int(connection.execute(sa.select(cases.c.document_events)).scalar_one())

    first = held()
    for i in range(1, SNAPSHOT_AFTER + 2):
        store.fire("case-1", "start", item=f"m{i}", on=D(2024, 4, 1))
        rf.fire(case, "start", item=f"m{i}", on=D(2024, 4, 1))
    assert held() == first  # SNAPSHOT_AFTER + 1 later events: fewer than a quarter of the log
    case.version = SNAPSHOT_AFTER + 1
    assert store.get("case-1") == case
    store.add_measure("case-1", "p1", rf.Measure("new", text="新措施"), on=D(2024, 4, 2))
    rf.add_measure(case, "p1", rf.Measure("new", text="新措施"), on=D(2024, 4, 2))
    case.version += 1
    assert held() == len(case.events)
    assert store.get("case-1") == case


def test_a_log_changed_behind_the_stores_back_is_refused(store: rectflow.store.Store) -> None:
    """An event after the document deleted (or one that no longer follows) makes get a clear
    StoreError naming the case, not a wrong case."""
    store.add(ledger())
    store.fire("case-1", "start", item="m1", on=D(2024, 4, 1))
    store.fire("case-1", "complete", item="m1", on=D(2024, 4, 2))
    count = len(store.get("case-1").events)
    with store.engine.begin() as connection:
        connection.execute(
            events.update()
            .where(events.c.case_id == "case-1", events.c.seq == count - 1)
            .values(trigger="close")
        )
    with pytest.raises(StoreError, match=r"store:case-1.*behind rectflow's back"):
        store.get("case-1")


def test_a_host_engine_is_used_and_left_open(store_url: str) -> None:
    """open(engine) uses the host's engine; close() leaves it to the host."""
    engine = rectflow.store.open(store_url).engine
    store = rectflow.store.open(engine)
    store.init()
    store.close()
    with engine.connect() as connection:
        assert connection.exec_driver_sql("select 1").scalar() == 1
    engine.dispose()


def test_a_case_kept_from_the_last_save_yields_to_another_writers_change(
    store: rectflow.store.Store,
) -> None:
    """A store changes the case it saved last without reloading it, but not once another
    writer saved since: its next change is applied to a fresh load (no conflict, no refusal
    the fresh case would not give), and no event is lost."""
    store.add(ledger())
    other = rectflow.store.open(store.engine)
    store.fire("case-1", "start", item="m1", on=D(2024, 4, 1))  # kept by store
    other.fire("case-1", "start", item="m2", on=D(2024, 4, 2))
    store.fire("case-1", "complete", item="m2", on=D(2024, 4, 3))  # m2 started by other
    other.fire("case-1", "complete", item="m1", on=D(2024, 4, 4))
    store.fire("case-1", "close", item="m1", on=D(2024, 4, 5))
    case = store.get("case-1")
    assert case.version == 5
    assert [e.trigger for e in case.events][-5:] == [
        "start",
        "start",
        "complete",
        "complete",
        "close",
    ]
    assert (case.item("m1").state, case.item("m2").state) == (
        rf.ItemState.CLOSED,
        rf.ItemState.COMPLETED,
    )


def test_an_upgrade_to_an_unknown_revision_is_refused_and_changes_nothing(store_url: str) -> None:
    """upgrade("0099") (a revision rectflow does not have) is a StoreError naming the revisions
    there are, not alembic's CommandError; the store stays at its revision."""
    store = rectflow.store.open(store_url)
    store.upgrade("0002")
    with pytest.raises(StoreError, match=r"no schema revision '0099'; give one of 0001, 0002"):
        store.upgrade("0099")
    assert store.revision() == "0002"
    store.close()


def _count_structuring(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The case ids the store structures a stored document of, from now on."""
    from rectflow._store import writing

    structured: list[str] = []
    real = writing.structure_located

    def counting(document: dict[str, object], where: str, path: object) -> rf.Case:
        structured.append(where)
        return real(document, where, path)  # type: ignore[arg-type]

    monkeypatch.setattr(writing, "structure_located", counting)
    return structured


def test_a_get_of_an_unchanged_case_is_a_copy_of_the_case_verified_before(
    store: rectflow.store.Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second get of a case the database holds unchanged is not structured again; it is a
    case of its own (changing it changes neither the store nor the next get), equal to a load
    by a store that never saw the case."""
    store.add(ledger())
    store.fire("case-1", "start", item="m1", on=D(2024, 4, 1))  # an event after the document
    structured = _count_structuring(monkeypatch)
    first = store.get("case-1")
    second = store.get("case-1")
    assert structured == ["store:case-1"]
    assert first == second
    assert first is not second
    rf.fire(second, "start", item="m2", on=D(2024, 4, 2))
    third = store.get("case-1")
    assert third == first != second
    assert structured == ["store:case-1"]
    other = rectflow.store.open(store.engine)
    assert other.get("case-1") == third
    # A change saved (here by another store) is a new version: loaded and verified in full.
    other.fire("case-1", "start", item="m2", on=D(2024, 4, 2))
    second.version += 1
    assert store.get("case-1") == second
    assert len(structured) == 3


@pytest.mark.parametrize("part", ["document", "later event"])
def test_a_case_changed_behind_the_stores_back_after_a_get_is_still_refused(
    store: rectflow.store.Store, part: str
) -> None:
    """A get that verified the case once does not vouch for it after the database changed: a
    document or a later event changed behind rectflow's back is refused on the next get."""
    from rectflow._store.tables import cases

    store.add(ledger())
    store.fire("case-1", "start", item="m1", on=D(2024, 4, 1))
    store.fire("case-1", "complete", item="m1", on=D(2024, 4, 2))
    count = len(store.get("case-1").events)
    store.get("case-1")  # verified and kept
    with store.engine.begin() as connection:
        if part == "document":
            document = connection.execute(sa.select(cases.c.document)).scalar_one()
            document["categories"][0]["problems"][0]["measures"][1]["state"] = "closed"
            connection.execute(cases.update().values(document=document))
        else:
            connection.execute(
                events.update()
                .where(events.c.case_id == "case-1", events.c.seq == count - 1)
                .values(trigger="close")
            )
    with pytest.raises((StoreError, CaseFileError), match=r"store:case-1"):
        store.get("case-1")


def test_a_case_kept_from_the_last_save_of_a_case_deleted_since_is_unknown(
    store: rectflow.store.Store,
) -> None:
    """The save of a kept case whose row is gone (deleted behind rectflow's back) is the
    unknown case it is, not a conflict, and writes nothing."""
    from rectflow._store.tables import cases

    store.add(ledger())
    store.fire("case-1", "start", item="m1", on=D(2024, 4, 1))  # kept, with its row
    with store.engine.begin() as connection:
        connection.execute(events.delete())
        connection.execute(item_spans.delete())
        connection.execute(sa.text("DELETE FROM rectflow_items"))
        connection.execute(cases.delete())
    with pytest.raises(UnknownCaseError):
        store.fire("case-1", "start", item="m2", on=D(2024, 4, 1))
    assert not store.has("case-1")
