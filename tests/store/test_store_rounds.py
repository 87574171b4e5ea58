"""Rounds in the store (revision 0004), on SQLite and on a real PostgreSQL server: a round is
added with the cases it holds in one transaction (or refused whole), read back with its cases
loaded, listed, changed, removed (its cases stay), exported to a folder that loads back as it was
stored, and a database at 0003 holding cases upgrades to it."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st
from store_cases import ledger

import rectflow as rf
import rectflow.store
from rectflow import strategies as rs
from rectflow._rounds.files import load_round
from rectflow._store.tables import metadata, round_cases
from rectflow.errors import CaseExistsError, CaseFileError, StoreError
from rectflow.store import Rounds, UnknownRoundError

ROOT = Path(__file__).resolve().parents[2]
ROUND_FILE = ROOT / "examples" / "rounds" / "demo-round.toml"


def a_round(round_id: str = "r1", store_cases: tuple[str, ...] = ()) -> rf.Round:
    """A round of three small cases (``a``, ``b``, ``c``), loaded, with two teams."""
    return rf.Round(
        round_id,
        name="十届县委第一轮巡察",
        inspecting_body="中共某县委",
        number=1,
        store_cases=store_cases,
        onsite=rf.Period(rf.FuzzyDate.parse("2023-11"), rf.FuzzyDate.of(dt.date(2024, 1, 5))),
        teams=(
            rf.Team("第一巡察组", "张某", ("中共甲局委员会",)),
            rf.Team("第二巡察组", None, ("中共乙局委员会", "中共丙局委员会")),
        ),
    ).with_cases(
        [
            ledger("a", body="中共甲局委员会"),
            ledger("b", body="中共乙局委员会"),
            ledger("c", body="中共丙局委员会"),
        ]
    )


def _count(store: rectflow.store.Store) -> tuple[int, int]:
    return len(store.cases()), len(Rounds(store).all())


def test_a_round_is_added_with_its_cases_and_read_back_with_them_loaded(
    store: rectflow.store.Store,
) -> None:
    """add() stores the round and its loaded cases in one go; get() gives the same description,
    the case ids in order as store_cases, and each case equal to the one added."""
    made = a_round()
    stored = Rounds(store).add(made)
    assert stored.store_cases == ("a", "b", "c")
    found = Rounds(store).get("r1")
    assert found == attrs.evolve(made, store_cases=("a", "b", "c"))
    assert [case.id for case in found.cases] == ["a", "b", "c"]
    assert list(found.cases) == list(made.cases)
    assert Rounds(store).get("r1", cases=False).cases == ()
    assert [r.id for r in Rounds(store).all()] == ["r1"]
    assert [c.case_id for c in store.cases(in_round="r1")] == ["a", "b", "c"]
    assert Rounds(store).has("r1")
    assert not Rounds(store).has("r2")


def test_a_round_may_name_cases_already_stored_and_cases_may_be_in_two_rounds(
    store: rectflow.store.Store,
) -> None:
    """store_cases name cases already in the store; a case belongs to any number of rounds."""
    Rounds(store).add(a_round())
    second = rf.Round("r2", name="第二轮", inspecting_body="中共某县委", store_cases=("c", "a"))
    assert Rounds(store).add(second).store_cases == ("c", "a")
    assert [case.id for case in Rounds(store).get("r2").cases] == ["c", "a"]
    assert [c.case_id for c in store.cases(in_round="r2")] == ["a", "c"]


def test_a_refused_round_leaves_the_store_as_it_was(store: rectflow.store.Store) -> None:
    """A round id already stored, a store_cases id that is not in the store, or a loaded case
    already stored: refused, and neither the round nor any of its cases was written."""
    Rounds(store).add(a_round())
    before = _count(store)
    with pytest.raises(StoreError, match="already holds a round 'r1'"):
        Rounds(store).add(a_round("r1").with_cases([ledger("d")]))
    missing = a_round("r2", store_cases=("nowhere",)).with_cases([ledger("d")])
    with pytest.raises(StoreError, match=r"store_cases\[1\]: no case nowhere in the store"):
        Rounds(store).add(missing)
    with pytest.raises(CaseExistsError, match="'a'"):
        Rounds(store).add(a_round("r3"))
    assert _count(store) == before
    assert not store.has("d")


def test_a_round_is_saved_with_a_new_list_and_removed_without_its_cases(
    store: rectflow.store.Store,
) -> None:
    """save() rewrites the description and the list (every case must be stored); remove() drops
    the round, and its cases stay."""
    Rounds(store).add(a_round())
    changed = rf.Round("r1", name="改名", inspecting_body="中共某县委", store_cases=("b",))
    assert Rounds(store).save(changed) == changed
    assert Rounds(store).get("r1") == changed
    with pytest.raises(StoreError, match="no case x in the store"):
        Rounds(store).save(attrs.evolve(changed, store_cases=("b", "x")))
    assert Rounds(store).get("r1", cases=False).store_cases == ("b",)
    with pytest.raises(UnknownRoundError, match="no round 'r9'"):
        Rounds(store).save(attrs.evolve(changed, id="r9"))
    Rounds(store).remove("r1")
    assert _count(store) == (3, 0)
    with pytest.raises(UnknownRoundError):
        Rounds(store).remove("r1")
    with pytest.raises(UnknownRoundError, match=r"rectflow store import ROUND\.toml"):
        Rounds(store).get("r1")


def test_the_example_round_file_is_imported_and_exported_back_as_it_was(
    store: rectflow.store.Store, tmp_path: Path
) -> None:
    """import_file stores the round file and its six case files in one transaction; export
    writes a round file and six case files that load equal to the stored round; exporting
    again is refused (the files exist) unless forced."""
    original = load_round(ROUND_FILE)
    stored = Rounds(store).import_file(ROUND_FILE)
    assert stored.store_cases == tuple(case.id for case in original.cases)
    written = Rounds(store).export("demo-round", tmp_path / "out")
    assert written[0] == tmp_path / "out" / "demo-round.toml"
    back = load_round(written[0])
    assert back.case_files == tuple(f"{case.id}.toml" for case in original.cases)
    assert attrs.evolve(back, case_files=original.case_files) == original
    assert list(back.cases) == list(Rounds(store).get("demo-round").cases)
    with pytest.raises(CaseFileError, match="exists"):
        Rounds(store).export("demo-round", tmp_path / "out")
    assert len(Rounds(store).export("demo-round", tmp_path / "out", force=True)) == 7


def test_case_and_round_files_are_imported_in_one_transaction(
    store: rectflow.store.Store, tmp_path: Path
) -> None:
    """import_files takes case files and round files together, all or none: a round file's
    store_cases may name a case an earlier file holds, and one bad file writes nothing."""
    case_file = tmp_path / "lone.toml"
    rf.save_case(ledger("lone"), case_file)
    round_file = tmp_path / "round.toml"
    rf.save_round(
        rf.Round("solo", name="一轮", inspecting_body="某县委", store_cases=("lone",)), round_file
    )
    broken = tmp_path / "broken.toml"
    broken.write_text('schema = 1\nid = "x"\ninspecting_body = 3\n', encoding="utf-8")
    with pytest.raises(CaseFileError, match=r"broken\.toml"):
        Rounds(store).import_files([case_file, round_file, broken])
    assert _count(store) == (0, 0)
    ids, rounds = Rounds(store).import_files([case_file, round_file])
    assert (ids, [r.store_cases for r in rounds]) == (["lone"], [("lone",)])


def test_a_store_at_0003_holding_cases_upgrades_to_rounds(store_url: str) -> None:
    """A database at 0003 holding a case upgrades to HEAD (0004) with it, takes a round over
    it, and downgrades to 0003 again without the rounds' tables, the case kept."""
    store = rectflow.store.open(store_url)
    store.upgrade("0003")
    with store.engine.connect() as connection:
        assert not sa.inspect(connection).has_table(round_cases.name)
    # What rectflow wrote at 0003 (the same code path: the tables of 0004 are not touched).
    from rectflow._store.projection import item_rows, span_rows
    from rectflow._store.tables import cases, events, item_spans, items
    from rectflow._store.writing import case_row, document_of, event_rows, insert

    case = ledger()
    with store.engine.begin() as connection:
        connection.execute(cases.insert(), [case_row(case, document_of(case, "x"))])
        insert(connection, events, event_rows(case, 0))
        insert(connection, items, item_rows(case))
        insert(connection, item_spans, span_rows(case))
    store.upgrade()
    assert store.revision() == rectflow.store.HEAD == "0004"
    assert store.get("case-1") == case
    round_ = rf.Round("r", name="一轮", inspecting_body="某县委", store_cases=("case-1",))
    Rounds(store).add(round_)
    assert list(Rounds(store).get("r").cases) == [case]
    store.close()


def test_a_downgrade_to_0003_drops_the_rounds_and_keeps_the_cases(store_url: str) -> None:
    """Alembic's downgrade from 0004 to 0003 removes the rounds' tables; the cases stay."""
    from alembic import command

    store = rectflow.store.open(store_url)
    store.init()
    Rounds(store).add(a_round())
    with store.engine.begin() as connection:
        command.downgrade(rectflow.store.alembic_config(connection), "0003")
    with store.engine.connect() as connection:
        assert not sa.inspect(connection).has_table(round_cases.name)
    assert store.revision() == "0003"
    store.upgrade()
    assert [c.case_id for c in store.cases()] == ["a", "b", "c"]
    assert Rounds(store).all() == []
    store.close()


# -- the round trip, over random rounds ---------------------------------------------------------

_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12
).filter(lambda s: s.strip() != "")
_IDS = ("a", "b", "c")

random_rounds = st.builds(
    rf.Round,
    id=_TEXT,
    name=_TEXT,
    inspecting_body=_TEXT,
    kind=st.sampled_from(rf.InspectionKind),
    number=st.none() | st.integers(1, 99),
    onsite=st.none() | rs.periods(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31)),
    teams=st.lists(
        st.builds(
            rf.Team,
            name=_TEXT,
            leader=st.none() | _TEXT,
            bodies=st.lists(_TEXT, max_size=3, unique=True).map(tuple),
        ),
        max_size=3,
        unique_by=lambda t: t.name,
    ).map(tuple),
    store_cases=st.permutations(_IDS).flatmap(
        lambda ids: st.integers(0, len(ids)).map(lambda n: tuple(ids[:n]))
    ),
)


@pytest.fixture(scope="module")
def sqlite_store() -> Iterator[rectflow.store.Store]:
    """One SQLite store for the module's examples, holding cases a, b and c."""
    with tempfile.TemporaryDirectory() as folder:
        store = rectflow.store.open(f"sqlite:///{Path(folder) / 'ledger.db'}")
        store.init()
        store.add_many(ledger(case_id) for case_id in _IDS)
        yield store
        store.close()
        with store.engine.begin() as connection:
            metadata.drop_all(connection)


@settings(deadline=None)
@given(random_rounds)
def test_any_round_stored_reads_back_equal(
    sqlite_store: rectflow.store.Store, round_: rf.Round
) -> None:
    """Rounds(store).get(r.id) == r for every round over stored cases (its description in JSON,
    its cases in order), and all() lists it alike; save() of the same round changes nothing."""
    rounds = Rounds(sqlite_store)
    rounds.add(round_)
    try:
        assert rounds.get(round_.id, cases=False) == round_
        assert rounds.all() == [round_]
        assert [case.id for case in rounds.get(round_.id).cases] == list(round_.store_cases)
        assert rounds.save(round_) == round_
        assert rounds.get(round_.id, cases=False) == round_
    finally:
        rounds.remove(round_.id)


def test_the_store_s_overdue_counts_agree_with_the_round_s_roll_up(
    store: rectflow.store.Store,
) -> None:
    """On every day the example round's events fall on (and the day after), the store's one
    SQL query ``overdue_by`` counts, by department and by body, what ``rollup`` counts as
    overdue items: the cross-case query and the roll-up are one definition."""
    from rectflow._rounds.rollup import rollup

    round_ = Rounds(store).import_file(ROUND_FILE)
    found = Rounds(store).get(round_.id)
    days = sorted({event.on for case in found.cases for event in case.events})
    days = sorted({*days, *(day + dt.timedelta(days=1) for day in days), dt.date(2025, 6, 8)})
    for day in days[:: max(1, len(days) // 15)]:
        for by in ("department", "body"):
            rolled = rollup(found, as_of=day, by=by)
            expected = {g.key: g.items.overdue for g in rolled.groups if g.items.overdue}
            assert store.overdue_by(day, by) == expected, (day, by)
