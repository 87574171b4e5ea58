"""The ledger store: cases, their event logs and item projections in SQLite or PostgreSQL.

A :class:`Store` holds many cases for many writers. Every change goes through the event API
(``rectflow.fire``, ``rectflow.assign`` …) on a case loaded from the store, and is written back
in one transaction: the new events, the case's document at its new version and its item
projections. Two writers of one case cannot lose each other's events: the second is refused
with the same :class:`~rectflow.errors.ConflictError` a case file gives.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Literal, TypeVar

import attrs
import sqlalchemy as sa
from sqlalchemy import exc
from sqlalchemy.engine import URL, Engine

from rectflow._casefile.files import dumps_case, load_case, write_output
from rectflow._core import lifecycle, supervision
from rectflow._core.kinds import ItemState
from rectflow._core.lifecycle import Guard
from rectflow._core.model import (
    Accountability,
    Case,
    CaseState,
    Evaluation,
    Event,
    Evidence,
    InspectionKind,
    Measure,
    Problem,
    Responsibility,
)
from rectflow._i18n import N_, Msg
from rectflow._store import schema
from rectflow._store.engine import DEFAULT_URL, create_engine, describe, unavailable
from rectflow._store.tables import cases, events, item_spans, items, round_cases
from rectflow._store.verified import VerifiedCases
from rectflow._store.writing import (
    case_row,
    check_new_events,
    document_of,
    event_rows,
    insert,
    last_event_on,
    read_case,
    read_version,
    save_changes,
    snapshot_due,
    write_projection,
)
from rectflow.errors import (
    CaseExistsError,
    StoreConflictError,
    StoreError,
    UnknownCaseError,
)

__all__ = ["CaseSummary", "DueItem", "Grouping", "Store", "open_store"]

T = TypeVar("T")

KEPT_CASES: Final = 32
"""How many cases a store keeps loaded between changes (:meth:`Store.apply`): the most recently
changed ones. A case kept is used again only while the database still holds its version."""

Grouping = Literal["department", "leader", "person", "body", "case"]
"""What the cross-case counts group by: the item's responsible department, leader or person (as
it stood on the day), the inspected body, or the case."""

# The states in which an item's deadline no longer runs (``rectflow.overdue``).
_NOT_DUE: Final = tuple(
    s.value
    for s in (ItemState.COMPLETED, ItemState.SUBMITTED, ItemState.CLOSED, ItemState.LONG_TERM)
)


@attrs.frozen
class CaseSummary:
    """A case as :meth:`Store.cases` lists it (its document is not read).

    Attributes:
        case_id: the case's id.
        inspected_body: the body inspected.
        inspection_kind: ``xunshi`` or ``xuncha`` …
        inspection_round: the round, when the case states one.
        state: where the case is in its lifecycle.
        version: the store's version of the case (each save adds one).
        events: how many events its log holds.
        feedback_on: the earliest day the feedback date may mean.
        last_event_on: the date of its latest event.
    """

    case_id: str
    inspected_body: str
    inspection_kind: InspectionKind
    inspection_round: str | None
    state: CaseState
    version: int
    events: int
    feedback_on: dt.date | None
    last_event_on: dt.date | None


@attrs.frozen
class DueItem:
    """An item with a deadline, as it stood on ``as_of`` (:meth:`Store.overdue`,
    :meth:`Store.due_within`).

    Attributes:
        case_id: its case.
        item_id: the problem's or measure's id.
        kind: ``problem`` or ``measure``.
        state: its state on ``as_of``.
        due_on: its approved deadline on ``as_of`` (after extensions approved by then).
        as_of: the day it was judged on.
        department: the responsible department on ``as_of``.
        leader: the responsible leader on ``as_of``.
        person: the responsible person on ``as_of``.
        inspected_body: the case's inspected body.
    """

    case_id: str
    item_id: str
    kind: str
    state: ItemState
    due_on: dt.date
    as_of: dt.date
    department: str | None
    leader: str | None
    person: str | None
    inspected_body: str

    @property
    def days_late(self) -> int:
        """Days past the deadline on ``as_of`` (negative: days left)."""
        return (self.as_of - self.due_on).days


def open_store(url_or_engine: str | URL | Engine | None = None) -> Store:
    """Open the store at a database URL, or on a host's own SQLAlchemy ``Engine``.

    Nothing is read or created until the store is used; a new database needs
    :meth:`Store.init` once (``rectflow store init``).

    Args:
        url_or_engine: ``sqlite:///PATH`` (the default is ``sqlite:///ledger.db``),
            ``postgresql://USER@HOST:PORT/DATABASE`` (psycopg 3; ``postgresql+psycopg://`` too),
            or an ``Engine`` the host made (rectflow leaves its settings alone).

    Raises:
        MissingExtraError: psycopg is not installed for a PostgreSQL URL.
        StoreUnavailableError: the URL cannot be used.
    """
    if isinstance(url_or_engine, Engine):
        return Store(url_or_engine, owned=False)
    return Store(create_engine(url_or_engine if url_or_engine is not None else DEFAULT_URL))


class Store:
    """Cases, their event logs and item projections in one database (:func:`rectflow.store.open`).

    Each method runs in its own transaction and can be called from many threads or processes at
    once. Changes go through the event API on a freshly loaded case (:meth:`apply`, or the
    shortcuts :meth:`fire`, :meth:`assign` … that name the public function they call) and are
    written back in one transaction, version-checked: a writer that loaded an older version is
    refused with :class:`~rectflow.errors.StoreConflictError` (a ``ConflictError``).
    """

    def __init__(self, engine: Engine, *, owned: bool = True) -> None:
        """Use ``engine``; ``owned``: :meth:`close` disposes of it (rectflow made it)."""
        self._engine = engine
        self._owned = owned
        self._where = describe(engine)
        self._checked = False
        # Cases this store saved last, by id, at the version it saved: apply() changes one of
        # them again without loading it, when the database still holds that version. Each is
        # taken out while a change works on it, so no two threads share one.
        # Each with its row as that save left it (the next save need not read it again).
        self._kept: OrderedDict[str, tuple[Case, _Row]] = OrderedDict()
        self._kept_lock = threading.Lock()
        # Cases this store loaded and verified last, with what the database held for them:
        # get() returns one again, unpickled, while the database holds exactly that.
        self._verified = VerifiedCases()

    # -- the database ---------------------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine the store uses."""
        return self._engine

    @property
    def url(self) -> str:
        """The database's URL, without its password."""
        return self._where

    def __repr__(self) -> str:
        return f"<rectflow Store {self._where}>"

    def close(self) -> None:
        """Close the store's connections (a host's own engine is left open)."""
        if self._owned:
            self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def init(self) -> None:
        """Create the store's tables in an empty database, or bring an existing store's up to
        date; a store already at the newest revision is left as it is.

        Raises:
            StoreSchemaError: the database is at a revision newer than this rectflow knows.
            StoreUnavailableError: the database cannot be reached or written.
        """
        self.upgrade()

    def upgrade(self, revision: str = "head") -> None:
        """Run the schema migrations up to ``revision`` (the newest by default), in one
        transaction: an interrupted upgrade leaves the database as it was.

        Raises:
            StoreSchemaError: the database is at a revision newer than this rectflow knows.
            StoreUnavailableError: the database cannot be reached or written.
        """
        with unavailable(self._where), self._engine.begin() as connection:
            schema.upgrade(connection, self._where, revision)
        self._checked = False

    def revision(self) -> str | None:
        """The schema revision the database is at (``None``: rectflow's migrations never ran)."""
        with unavailable(self._where), self._engine.connect() as connection:
            return schema.current_revision(connection)

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sa.Connection]:
        with unavailable(self._where), self._engine.connect() as connection:
            self._check(connection)
            yield connection

    @contextlib.contextmanager
    def _writing(self) -> Iterator[sa.Connection]:
        with unavailable(self._where), self._engine.begin() as connection:
            self._check(connection)
            yield connection

    def reading(self) -> contextlib.AbstractContextManager[sa.Connection]:
        """A connection to read in, the schema revision checked first (for the rooms built on
        the store, such as its rounds: ``rectflow._rounds.stored``)."""
        return self._reading()

    def writing(self) -> contextlib.AbstractContextManager[sa.Connection]:
        """A transaction to write in (committed when the block ends, rolled back when it
        raises), the schema revision checked first."""
        return self._writing()

    def insert_case(self, connection: sa.Connection, case: Case) -> None:
        """Store a new case inside the transaction ``connection`` (:meth:`writing`), as
        :meth:`add` does.

        Raises:
            CaseExistsError: the store already holds a case with its id.
            StoreError: the case holds a value that could not be loaded back.
        """
        self._insert(connection, case)

    def _check(self, connection: sa.Connection) -> None:
        if not self._checked:
            schema.check_revision(connection, self._where)
            self._checked = True

    # -- cases ----------------------------------------------------------------------------------

    def add(self, case: Case) -> None:
        """Store a new case, with its event log, at its ``version`` (``export`` gives it back).

        Raises:
            CaseExistsError: the store already holds a case with its id; nothing was written.
            StoreError: the case holds a value that could not be loaded back.
        """
        self.add_many([case])

    def add_many(self, new: Iterable[Case]) -> int:
        """Store new cases in one transaction (all or none); returns how many.

        Raises:
            CaseExistsError: the store already holds one of the ids (or ``new`` repeats one);
                nothing was written.
            StoreError: a case holds a value that could not be loaded back.
        """
        count = 0
        with self._writing() as connection:
            for case in new:
                self._insert(connection, case)
                count += 1
        return count

    def import_files(self, paths: Iterable[Path | str]) -> list[str]:
        """Store the cases of case files in one transaction (all or none); returns their ids.

        Raises:
            CaseFileError: a file is not a valid case (it names the file, key path and line);
                nothing was written.
            CaseExistsError: the store already holds one of the ids; nothing was written.
        """
        ids: list[str] = []
        with self._writing() as connection:
            for path in paths:
                case = load_case(path)
                # Just structured by the case-file loader and verified by replay: its document
                # is not loaded back a second time (its fields and text are still checked).
                self._insert(connection, case, loaded=True)
                ids.append(case.id)
        return ids

    def _insert(self, connection: sa.Connection, case: Case, *, loaded: bool = False) -> None:
        where = _at(case.id)
        document = document_of(case, where, load_back=not loaded)
        try:
            with (
                connection.begin_nested()
                if connection.dialect.name == "postgresql"
                else (contextlib.nullcontext())
            ):
                connection.execute(cases.insert(), [case_row(case, document)])
        except exc.IntegrityError:
            raise CaseExistsError(where, case.id) from None
        insert(connection, events, event_rows(case, 0))
        write_projection(connection, case, fresh=True)

    def has(self, case_id: str) -> bool:
        """Whether the store holds a case with this id."""
        with self._reading() as connection:
            query = sa.select(cases.c.case_id).where(cases.c.case_id == case_id)
            return connection.execute(query).first() is not None

    def get(self, case_id: str) -> Case:
        """The case, loaded as a case file is (structured strictly, its log replayed and every
        stored state checked against it), with the store's ``version``; the events saved after
        its document was written are replayed onto it, checked as a file's events are.

        The store keeps the 32 cases it verified so most recently (``KEPT_VERIFIED``) beside
        everything it read for each (row, document text, later events): a get that reads
        exactly those again returns that case (a copy of its own) without verifying the same
        inputs a second time; anything changed in the database is loaded and verified in full.

        Raises:
            UnknownCaseError: no such case.
            CaseFileError: the stored document is not a valid case (its ``path`` is
                ``store:<case id>``).
        """
        return self._load(case_id, keep=True)

    def _load(self, case_id: str, *, keep: bool) -> Case:
        """The case as :meth:`get` gives it; ``keep``: keep it as verified (a case loaded to
        be changed is not: its save moves its version on)."""
        with self._reading() as connection:
            case = read_case(connection, case_id, _at(case_id), self._verified, keep=keep)
        if case is None:
            raise UnknownCaseError(self._where, case_id)
        return case

    def save(self, case: Case) -> None:
        """Write back a case loaded with :meth:`get` and changed through the event API: its
        new events, its row and the projections of the items they concern, in one transaction
        (its document too when an event added an item, or when the events after the document
        outgrow a quarter of the log); then ``case.version`` goes up by one (as
        ``rectflow.save_case`` does for a file).

        Raises:
            StoreConflictError: another writer saved the case since it was loaded (a
                ``ConflictError``); nothing was written.
            UnknownCaseError: the store holds no such case (:meth:`add` stores a new one).
            StoreError: the case holds a value that could not be loaded back.
        """
        self._save(case, None)

    def _save(self, case: Case, known: _Row | None) -> _Row:
        """:meth:`save`; ``known``: the case's row as this store's last save of it left it
        (version, events, document events, latest event's date), not read again: the row's
        update, made only where the database still holds that version, checks it. Returns
        the row as this save leaves it."""
        try:
            return self._write(case, known)
        except _Stale:  # rolled back: the database no longer holds the case at its version
            pass
        with self._reading() as connection:
            now = self._version_now(connection, case.id)
        if now < 0:
            raise UnknownCaseError(self._where, case.id)
        raise StoreConflictError(_at(case.id), case.id, case.version, now)

    def _write(self, case: Case, known: _Row | None) -> _Row:
        where = _at(case.id)
        new_version = case.version + 1
        with self._writing() as connection:
            if known is not None and known[0] == case.version:
                found: _Row | None = known
            else:
                found = read_version(connection, case.id)
            if found is None:
                raise UnknownCaseError(self._where, case.id)
            version, stored, document_events, last_stored = found
            if version != case.version:
                raise StoreConflictError(where, case.id, case.version, version)
            if len(case.events) < stored:
                raise StoreError(
                    where,
                    Msg(
                        "the case's log holds {count} events, fewer than the {stored} stored",
                        count=len(case.events),
                        stored=stored,
                    ),
                    N_("change a case loaded from the store, through the event API"),
                )
            held = stored if document_events is None else document_events
            latest = last_event_on(case, stored, last_stored)
            row = case_row(case, None, last_event_on=latest)
            row["version"] = new_version
            if snapshot_due(case, held, stored):
                # Loaded from the store and changed through the event API: checked as it
                # changed, so what is left to check is what JSON and a database can hold.
                document = document_of(case, where, load_back=False)
                document["version"] = new_version
                row.update(document=document, document_events=len(case.events))
            else:
                check_new_events(case, stored, where)
                row["document_events"] = held
            if not save_changes(connection, case, row, case.version, stored):
                raise _Stale
        case.version = new_version
        return (new_version, len(case.events), row["document_events"], latest)

    def _version_now(self, connection: sa.Connection, case_id: str) -> int:
        query = sa.select(cases.c.version).where(cases.c.case_id == case_id)
        found = connection.execute(query).scalar()
        return int(found) if found is not None else -1

    def apply(self, case_id: str, change: Callable[[Case], T], *, retries: int = 0) -> T:
        """Load the case, apply ``change`` to it and save it; returns what ``change`` returned.

        ``change`` is a pure change: it changes the case only through the event API (it may be
        called again, on a fresh load) and keeps no reference to the case, which the store
        keeps, to change it again without a load while the database holds its version. When
        another writer saved the case meanwhile, the change is re-applied to a fresh load up
        to ``retries`` times before the conflict is raised; a change the case no longer allows
        then raises its own error.

        Raises:
            StoreConflictError: still conflicting after ``retries`` retries; nothing was written.
            RectflowError: whatever ``change`` raised (a refused transition …); nothing was
                written.
        """
        attempt = 0
        kept, known = self._take(case_id) or (None, None)
        while True:
            case = kept if kept is not None else self._load(case_id, keep=False)
            try:
                result = change(case)
                saved = self._save(case, known)
            except StoreConflictError:
                if kept is None:
                    if attempt >= retries:
                        raise
                    attempt += 1
            except Exception:
                if kept is None:
                    raise
            else:
                self._keep(case, saved)
                return result
            # A case kept from this store's last save is out of date when its save conflicts
            # (another writer saved since), and may be when the change refuses it: that is not
            # this change's answer, so load the case and apply the change again.
            kept = known = None

    def _take(self, case_id: str) -> tuple[Case, _Row] | None:
        """The case as this store saved it last, taken out (a change that fails leaves nothing
        half-changed behind); its save checks that the database still holds its version."""
        with self._kept_lock:
            return self._kept.pop(case_id, None)

    def _keep(self, case: Case, row: _Row) -> None:
        with self._kept_lock:
            self._kept[case.id] = (case, row)
            while len(self._kept) > KEPT_CASES:
                self._kept.popitem(last=False)

    def export(self, case_id: str, path: Path | str, *, force: bool = False) -> int:
        """Write the case to a case file (TOML), atomically, at the store's version; an existing
        file is replaced only with ``force``. Returns the version written.

        Raises:
            UnknownCaseError: no such case.
            CaseFileError: the path is refused (it exists, is not a regular file …).
        """
        case = self.get(case_id)
        write_output(path, dumps_case(case).encode("utf-8"), force=force)
        return case.version

    def dumps(self, case_id: str) -> str:
        """The case as case-file text (what :meth:`export` writes)."""
        return dumps_case(self.get(case_id))

    # -- the event API through the store -----------------------------------------------------------

    def fire(
        self,
        case_id: str,
        trigger: str,
        *,
        item: str | None = None,
        on: dt.date,
        actor: str | None = None,
        note: str | None = None,
        guards: Sequence[Guard] = (),
        recorded_on: dt.date | None = None,
        retries: int = 0,
    ) -> Event:
        """:func:`rectflow.fire` on the stored case, saved in one transaction (:meth:`apply`)."""
        return self.apply(
            case_id,
            lambda case: lifecycle.fire(
                case,
                trigger,
                item=item,
                on=on,
                actor=actor,
                note=note,
                guards=guards,
                recorded_on=recorded_on,
            ),
            retries=retries,
        )

    def add_measure(
        self,
        case_id: str,
        problem: str,
        measure: Measure,
        *,
        on: dt.date,
        actor: str | None = None,
        note: str | None = None,
        recorded_on: dt.date | None = None,
        retries: int = 0,
    ) -> Event:
        """:func:`rectflow.add_measure` on the stored case (see :meth:`apply`)."""
        return self.apply(
            case_id,
            lambda case: lifecycle.add_measure(
                case, problem, measure, on=on, actor=actor, note=note, recorded_on=recorded_on
            ),
            retries=retries,
        )

    def assign(
        self,
        case_id: str,
        item: str,
        responsibility: Responsibility | None,
        *,
        on: dt.date,
        actor: str | None = None,
        note: str | None = None,
        recorded_on: dt.date | None = None,
        guards: Sequence[Guard] = (),
        retries: int = 0,
    ) -> Event:
        """:func:`rectflow.assign` on the stored case (see :meth:`apply`)."""
        return self.apply(
            case_id,
            lambda case: supervision.assign(
                case,
                item,
                responsibility,
                on=on,
                actor=actor,
                note=note,
                recorded_on=recorded_on,
                guards=guards,
            ),
            retries=retries,
        )

    def set_due(
        self,
        case_id: str,
        item: str,
        due_on: dt.date,
        *,
        on: dt.date,
        actor: str | None = None,
        note: str | None = None,
        recorded_on: dt.date | None = None,
        guards: Sequence[Guard] = (),
        retries: int = 0,
    ) -> Event:
        """:func:`rectflow.set_due` on the stored case (see :meth:`apply`)."""
        return self.apply(
            case_id,
            lambda case: supervision.set_due(
                case,
                item,
                due_on,
                on=on,
                actor=actor,
                note=note,
                recorded_on=recorded_on,
                guards=guards,
            ),
            retries=retries,
        )

    def extend(
        self,
        case_id: str,
        item: str,
        due_on: dt.date,
        *,
        approver: str,
        reason: str,
        on: dt.date,
        role: str | None = None,
        actor: str | None = None,
        note: str | None = None,
        recorded_on: dt.date | None = None,
        guards: Sequence[Guard] = (),
        retries: int = 0,
    ) -> Event:
        """:func:`rectflow.extend` on the stored case (see :meth:`apply`)."""
        return self.apply(
            case_id,
            lambda case: supervision.extend(
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
                guards=guards,
            ),
            retries=retries,
        )

    def edit_text(
        self,
        case_id: str,
        item: str,
        text: str,
        *,
        on: dt.date,
        actor: str | None = None,
        note: str | None = None,
        recorded_on: dt.date | None = None,
        guards: Sequence[Guard] = (),
        retries: int = 0,
    ) -> Event:
        """:func:`rectflow.edit_text` on the stored case (see :meth:`apply`)."""
        return self.apply(
            case_id,
            lambda case: supervision.edit_text(
                case,
                item,
                text,
                on=on,
                actor=actor,
                note=note,
                recorded_on=recorded_on,
                guards=guards,
            ),
            retries=retries,
        )

    def add_evidence(
        self,
        case_id: str,
        item: str,
        evidence: Evidence,
        *,
        on: dt.date,
        actor: str | None = None,
        note: str | None = None,
        recorded_on: dt.date | None = None,
        guards: Sequence[Guard] = (),
        retries: int = 0,
    ) -> Event:
        """:func:`rectflow.add_evidence` on the stored case (see :meth:`apply`)."""
        return self.apply(
            case_id,
            lambda case: supervision.add_evidence(
                case,
                item,
                evidence,
                on=on,
                actor=actor,
                note=note,
                recorded_on=recorded_on,
                guards=guards,
            ),
            retries=retries,
        )

    def add_problem(
        self,
        case_id: str,
        category: str,
        problem: Problem,
        *,
        on: dt.date,
        category_title: str | None = None,
        actor: str | None = None,
        note: str | None = None,
        recorded_on: dt.date | None = None,
        retries: int = 0,
    ) -> Event:
        """:func:`rectflow.add_problem` on the stored case (see :meth:`apply`)."""
        return self.apply(
            case_id,
            lambda case: supervision.add_problem(
                case,
                category,
                problem,
                on=on,
                category_title=category_title,
                actor=actor,
                note=note,
                recorded_on=recorded_on,
            ),
            retries=retries,
        )

    def record_accountability(
        self,
        case_id: str,
        record: Accountability,
        *,
        actor: str | None = None,
        recorded_on: dt.date | None = None,
        retries: int = 0,
    ) -> Event:
        """:func:`rectflow.record_accountability` on the stored case (see :meth:`apply`)."""
        return self.apply(
            case_id,
            lambda case: supervision.record_accountability(
                case, record, actor=actor, recorded_on=recorded_on
            ),
            retries=retries,
        )

    def evaluate(
        self,
        case_id: str,
        evaluation: Evaluation,
        *,
        actor: str | None = None,
        recorded_on: dt.date | None = None,
        retries: int = 0,
    ) -> Event:
        """:func:`rectflow.evaluate` on the stored case (see :meth:`apply`)."""
        return self.apply(
            case_id,
            lambda case: supervision.evaluate(
                case, evaluation, actor=actor, recorded_on=recorded_on
            ),
            retries=retries,
        )

    # -- questions across cases -------------------------------------------------------------------

    def cases(
        self,
        *,
        state: CaseState | str | None = None,
        kind: InspectionKind | str | None = None,
        body: str | None = None,
        round: str | None = None,
        in_round: str | None = None,
    ) -> list[CaseSummary]:
        """The stored cases, by id, those given narrowing the list (each must equal).

        ``round`` is the round the case itself states (:attr:`CaseSummary.inspection_round`,
        its ``inspection.round`` text); ``in_round`` the id of a round stored in the store
        (``rectflow._rounds.stored``) whose cases are wanted.
        """
        query = sa.select(
            cases.c.case_id,
            cases.c.inspected_body,
            cases.c.inspection_kind,
            cases.c.inspection_round,
            cases.c.state,
            cases.c.version,
            cases.c.events,
            cases.c.feedback_on,
            cases.c.last_event_on,
        ).order_by(cases.c.case_id)
        if state is not None:
            query = query.where(cases.c.state == CaseState(state).value)
        if kind is not None:
            query = query.where(cases.c.inspection_kind == InspectionKind(kind).value)
        if body is not None:
            query = query.where(cases.c.inspected_body == body)
        if round is not None:
            query = query.where(cases.c.inspection_round == round)
        if in_round is not None:
            members = sa.select(round_cases.c.case_id).where(round_cases.c.round_id == in_round)
            query = query.where(cases.c.case_id.in_(members))
        with self._reading() as connection:
            rows = connection.execute(query).all()
        return [
            CaseSummary(
                r.case_id,
                r.inspected_body,
                InspectionKind(r.inspection_kind),
                r.inspection_round,
                CaseState(r.state),
                r.version,
                r.events,
                r.feedback_on,
                r.last_event_on,
            )
            for r in rows
        ]

    def overdue(
        self,
        as_of: dt.date,
        *,
        case_id: str | None = None,
        department: str | None = None,
        leader: str | None = None,
        body: str | None = None,
    ) -> list[DueItem]:
        """Every item late on ``as_of``, across cases, judged as it stood that day: what
        ``rectflow.overdue(case, as_of)`` gives for each case. By case, deadline and item.

        Those given narrow the list to a case, a responsible department or leader (as they
        stood that day), or an inspected body.
        """
        day = _day(as_of)
        query = self._due(day, (_spans.c.due_on < day,), case_id, department, leader, body)
        return self._items(query, day)

    def due_within(
        self,
        as_of: dt.date,
        days: int,
        *,
        case_id: str | None = None,
        department: str | None = None,
        leader: str | None = None,
        body: str | None = None,
    ) -> list[DueItem]:
        """Every item not yet done whose deadline falls within ``days`` days from ``as_of``
        (``as_of`` itself included), judged as it stood on ``as_of``; filters as
        :meth:`overdue`."""
        day = _day(as_of)
        until = day + dt.timedelta(days=_days(days))
        window = (_spans.c.due_on >= day, _spans.c.due_on <= until)
        return self._items(self._due(day, window, case_id, department, leader, body), day)

    def overdue_by(self, as_of: dt.date, by: Grouping) -> dict[str | None, int]:
        """How many items were late on ``as_of``, by department, leader, person, inspected body
        or case (``None``: items with no one named); one SQL query."""
        day = _day(as_of)
        return self._grouped(day, (_spans.c.due_on < day,), by)

    def due_within_by(self, as_of: dt.date, days: int, by: Grouping) -> dict[str | None, int]:
        """How many items fell due within ``days`` days from ``as_of``, grouped as
        :meth:`overdue_by`."""
        day = _day(as_of)
        until = day + dt.timedelta(days=_days(days))
        window = (_spans.c.due_on >= day, _spans.c.due_on <= until)
        return self._grouped(day, window, by)

    def counts(self, *, as_of: dt.date | None = None) -> dict[tuple[str, ItemState], int]:
        """How many problems and measures are in each state, across cases: keys are
        (``"problem"`` or ``"measure"``, state). Now, or as things stood on ``as_of``."""
        if as_of is None:
            query = sa.select(items.c.kind, items.c.state, sa.func.count()).group_by(
                items.c.kind, items.c.state
            )
        else:
            day = _day(as_of)
            query = (
                sa.select(_spans.c.kind, _spans.c.state, sa.func.count())
                .where(_spans.c.valid_from <= day, _spans.c.valid_to > day)
                .group_by(_spans.c.kind, _spans.c.state)
            )
        with self._reading() as connection:
            rows = connection.execute(query).all()
        return {(kind, ItemState(state)): count for kind, state, count in rows}

    def _due(
        self,
        day: dt.date,
        window: tuple[sa.ColumnElement[bool], ...],
        case_id: str | None = None,
        department: str | None = None,
        leader: str | None = None,
        body: str | None = None,
    ) -> sa.Select[Any]:
        query = (
            sa.select(
                _spans.c.case_id,
                _spans.c.item_id,
                _spans.c.kind,
                _spans.c.state,
                _spans.c.due_on,
                _spans.c.department,
                _spans.c.leader,
                _spans.c.person,
                cases.c.inspected_body,
            )
            .join(cases, cases.c.case_id == _spans.c.case_id)
            .where(*_due_on(day, window))
        )
        for column, value in (
            (_spans.c.case_id, case_id),
            (_spans.c.department, department),
            (_spans.c.leader, leader),
            (cases.c.inspected_body, body),
        ):
            if value is not None:
                query = query.where(column == value)
        return query

    def _items(self, query: sa.Select[Any], day: dt.date) -> list[DueItem]:
        query = query.order_by(_spans.c.case_id, _spans.c.due_on, _spans.c.item_id)
        with self._reading() as connection:
            rows = connection.execute(query).all()
        return [
            DueItem(
                r.case_id,
                r.item_id,
                r.kind,
                ItemState(r.state),
                r.due_on,
                day,
                r.department,
                r.leader,
                r.person,
                r.inspected_body,
            )
            for r in rows
        ]

    def _grouped(
        self, day: dt.date, window: tuple[sa.ColumnElement[bool], ...], by: Grouping
    ) -> dict[str | None, int]:
        columns = {
            "department": _spans.c.department,
            "leader": _spans.c.leader,
            "person": _spans.c.person,
            "body": cases.c.inspected_body,
            "case": _spans.c.case_id,
        }
        if by not in columns:
            raise StoreError(
                self._where,
                Msg("cannot group by {by}", by=repr(by)),
                Msg("group by one of {known}", known=", ".join(columns)),
            )
        column = columns[by]
        grouped = sa.select(column, sa.func.count()).where(*_due_on(day, window)).group_by(column)
        if by == "body":  # only then the cases' table: the spans answer the rest alone
            grouped = grouped.select_from(_spans.join(cases, cases.c.case_id == _spans.c.case_id))
        with self._reading() as connection:
            rows = connection.execute(grouped).all()
        return {key: int(count) for key, count in rows}


_spans = item_spans


class _Stale(Exception):  # noqa: N818 - not an error the caller sees
    """A save found the case no longer at its version (its transaction is rolled back)."""


_Row = tuple[int, int, int | None, dt.date | None]
"""A case's row as a save reads it: version, events, document events, latest event's date."""


def _due_on(
    day: dt.date, window: tuple[sa.ColumnElement[bool], ...]
) -> tuple[sa.ColumnElement[bool], ...]:
    """The spans holding on ``day`` of the items whose deadline counts and runs, in
    ``window``."""
    return (
        _spans.c.valid_to > day,
        _spans.c.valid_from <= day,
        _spans.c.own_deadline == sa.true(),
        _spans.c.state_known == sa.true(),
        _spans.c.state.not_in(_NOT_DUE),
        *window,
    )


def _at(case_id: str) -> str:
    return f"store:{case_id}"


def _day(value: object) -> dt.date:
    if type(value) is not dt.date:
        from rectflow.errors import InvalidDateError  # noqa: PLC0415

        raise InvalidDateError(value, "an as-of day must be a datetime.date (a day, no time)")
    return value


def _days(value: object) -> int:
    if type(value) is not int or value < 0:
        raise StoreError(
            "days",
            Msg("{value} is not a number of days", value=repr(value)),
            N_("give a whole number of days, 0 or more"),
        )
    return value
