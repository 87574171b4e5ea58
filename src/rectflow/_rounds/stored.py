"""Rounds in the store: a round's description and its list of stored cases (revision 0004).

The store keeps a round as its round file says it, but for its cases: the description (name,
inspecting body, kind, number, on-site period, teams) in ``rectflow_rounds`` and the ids of its
cases, in order, in ``rectflow_round_cases``. A round's cases must be in the store: adding a
round adds the cases it holds loaded (a round file's case files) in the same transaction, and
its ``store_cases`` must name cases already there. A case stays when its round is removed.

The rounds live here, above the store (the store's room may not know rounds: rooms point down),
as :class:`Rounds`, the rounds of one :class:`~rectflow.store.Store`::

    rounds = Rounds(store)
    rounds.import_file("round.toml")       # the round and its case files, one transaction
    found = rounds.get("hongqiao-10-3")    # its cases loaded, as store.get loads each
    rounds.export("hongqiao-10-3", "out/") # out/hongqiao-10-3.toml and a case file per case
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy import exc

from rectflow._casefile.files import check_output, dumps_case, load_case, write_output
from rectflow._i18n import N_, Msg
from rectflow._rounds.files import (
    dumps_round,
    is_round_file,
    load_round,
    round_from_document,
    round_json,
)
from rectflow._rounds.model import Round
from rectflow._store.api import Store
from rectflow._store.tables import cases, round_cases, rounds
from rectflow._store.writing import read_case
from rectflow.errors import StoreError

__all__ = ["Rounds", "UnknownRoundError"]

# A case id that is a file name as it is (export writes ID.toml).
_FILE_NAME = re.compile(r"[\w][\w.\-]*")


class UnknownRoundError(StoreError, KeyError):
    """A round id the store does not hold.

    Attributes:
        round_id: the id asked for.
    """

    def __init__(self, where: str, round_id: str) -> None:
        self.round_id = round_id
        super().__init__(
            where,
            Msg("no round {round_id} in the store", round_id=repr(round_id)),
            N_(
                "`rectflow store rounds` lists the rounds; "
                "`rectflow store import ROUND.toml` adds one"
            ),
        )

    def __str__(self) -> str:
        return str(self.args[0])


@attrs.frozen
class Rounds:
    """The rounds of inspection kept in one store.

    Attributes:
        store: the store (:func:`rectflow.store.open`).
    """

    store: Store

    def _at(self, round_id: str) -> str:
        return f"store:round:{round_id}"

    def has(self, round_id: str) -> bool:
        """Whether the store holds a round with this id."""
        with self.store.reading() as connection:
            return _exists(connection, round_id)

    def add(self, round_: Round) -> Round:
        """Store a new round, in one transaction: the cases it holds loaded
        (:attr:`Round.cases`, e.g. a round file's case files) are added with it; those its
        ``store_cases`` name (and are not loaded) must be in the store already. Returns the
        round as stored: its ``store_cases`` every case id, in order, and no ``case_files``.

        Raises:
            StoreError: the store already holds a round of that id, or a ``store_cases`` id is
                not in the store; nothing was written.
            CaseExistsError: a loaded case's id is already in the store (list it in
                ``store_cases`` instead); nothing was written.
        """
        with self.store.writing() as connection:
            return self._add(connection, round_)

    def _add(self, connection: sa.Connection, round_: Round) -> Round:
        if _exists(connection, round_.id):
            raise StoreError(
                self._at(round_.id),
                Msg("the store already holds a round {id}", id=repr(round_.id)),
                N_(
                    "give the new round another id, or remove the stored one first "
                    "(`rectflow store remove-round ID`)"
                ),
            )
        for case in round_.cases:
            self.store.insert_case(connection, case)
        members = _members(round_)
        connection.execute(rounds.insert(), [_row(round_)])
        self._write_members(connection, round_.id, members)
        return _as_stored(round_, members)

    def import_files(self, paths: Sequence[Path | str]) -> tuple[list[str], list[Round]]:
        """Store case files and round files (with their case files) in one transaction, all
        or none, in order: a round file's ``store_cases`` may name a case an earlier file
        holds. Returns the ids of the cases stored and the rounds as stored.

        Raises:
            RoundFileError, CaseFileError: a file is not a valid round or case; nothing was
                written.
            CaseExistsError: a case is already in the store; nothing was written.
            StoreError: see :meth:`add`.
        """
        ids: list[str] = []
        added: list[Round] = []
        with self.store.writing() as connection:
            for path in paths:
                if is_round_file(path):
                    found = self._add(connection, load_round(path))
                    ids.extend(case.id for case in found.cases)
                    added.append(found)
                else:
                    case = load_case(path)
                    self.store.insert_case(connection, case)
                    ids.append(case.id)
        return ids, added

    def save(self, round_: Round) -> Round:
        """Write back a stored round's description and its list of cases (``store_cases``,
        then the ids of loaded cases it does not list), every one of which must be in the store.
        Returns the round as stored.

        Raises:
            UnknownRoundError: the store holds no round of that id (:meth:`add` adds one).
            StoreError: a case it lists is not in the store; nothing was written.
        """
        members = _members(round_)
        with self.store.writing() as connection:
            if not _exists(connection, round_.id):
                raise UnknownRoundError(self.store.url, round_.id)
            row = _row(round_)
            del row["round_id"]
            connection.execute(rounds.update().where(rounds.c.round_id == round_.id).values(row))
            connection.execute(round_cases.delete().where(round_cases.c.round_id == round_.id))
            self._write_members(connection, round_.id, members)
        return _as_stored(round_, members)

    def remove(self, round_id: str) -> None:
        """Remove the round and its list of cases; the cases stay in the store.

        Raises:
            UnknownRoundError: the store holds no round of that id.
        """
        with self.store.writing() as connection:
            connection.execute(round_cases.delete().where(round_cases.c.round_id == round_id))
            gone = connection.execute(rounds.delete().where(rounds.c.round_id == round_id))
            if gone.rowcount != 1:
                raise UnknownRoundError(self.store.url, round_id)

    def get(self, round_id: str, *, cases: bool = True) -> Round:
        """The stored round, its cases loaded (as :meth:`Store.get` loads each: replayed and
        verified) in one consistent reading; ``cases=False``: the description and ids only.

        Raises:
            UnknownRoundError: no such round.
            CaseFileError: a stored case is not a valid case.
        """
        with self.store.reading() as connection:
            row = connection.execute(
                sa.select(rounds.c.document).where(rounds.c.round_id == round_id)
            ).first()
            if row is None:
                raise UnknownRoundError(self.store.url, round_id)
            ids = _member_ids(connection, round_id)
            found = round_from_document(
                {"id": round_id, **row.document}, ids, source=self._at(round_id)
            )
            if not cases:
                return found
            loaded = []
            for case_id in ids:
                case = read_case(connection, case_id, f"store:{case_id}")
                if case is None:  # pragma: no cover - the foreign key keeps members stored
                    raise StoreError(
                        self._at(round_id),
                        Msg("its case {case_id} is not in the store", case_id=repr(case_id)),
                        N_("save the round again with the cases it holds"),
                    )
                loaded.append(case)
        return found.with_cases(loaded)

    def all(self) -> list[Round]:
        """Every stored round, by id, its cases not loaded (``store_cases`` holds their ids)."""
        with self.store.reading() as connection:
            rows = connection.execute(
                sa.select(rounds.c.round_id, rounds.c.document).order_by(rounds.c.round_id)
            ).all()
            members: dict[str, list[str]] = {}
            for round_id, case_id in connection.execute(
                sa.select(round_cases.c.round_id, round_cases.c.case_id).order_by(
                    round_cases.c.round_id, round_cases.c.position
                )
            ):
                members.setdefault(round_id, []).append(case_id)
        return [
            round_from_document(
                {"id": r.round_id, **r.document},
                members.get(r.round_id, []),
                source=self._at(r.round_id),
            )
            for r in rows
        ]

    def import_file(self, path: Path | str) -> Round:
        """Store the round of a round file with its case files, in one transaction (all or
        none; see :meth:`add`). Returns the round as stored.

        Raises:
            RoundFileError: the round file is not a valid round, or a case file it lists is
                missing; nothing was written.
            CaseFileError: a case file is not a valid case; nothing was written.
            CaseExistsError: a case file's case is already in the store; nothing was written.
            StoreError: see :meth:`add`.
        """
        return self.add(load_round(path))

    def export(self, round_id: str, folder: Path | str, *, force: bool = False) -> list[Path]:
        """Write the stored round to ``folder``: its round file ``ID.toml`` listing its case
        files ``CASE-ID.toml`` beside it (the folder is made when missing), each at the store's
        version. Every file is checked before any is written; an existing file is replaced
        only with ``force``. Returns the files written, the round file first.
        ``load_round`` reads them back as stored.

        Raises:
            UnknownRoundError: no such round.
            StoreError: a case id is not a file name as it is.
            CaseFileError: a path is refused (it exists, is not a regular file …).
        """
        found = self.get(round_id)
        folder = Path(folder)
        names = []
        for case in found.cases:
            if not _FILE_NAME.fullmatch(case.id):
                raise StoreError(
                    f"store:{case.id}",
                    Msg("the case id {id} is not a file name", id=repr(case.id)),
                    N_("export the case alone with `rectflow store export ID -o FILE`"),
                )
            names.append(f"{case.id}.toml")
        listed = attrs.evolve(found, case_files=tuple(names), store_cases=())
        files = [
            (folder / f"{round_id}.toml", dumps_round(listed)),
            *(
                (folder / name, dumps_case(case))
                for name, case in zip(names, found.cases, strict=True)
            ),
        ]
        for path, _ in files:  # refused before any is written
            check_output(path, force=force)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(
                str(folder),
                Msg("cannot make the folder: {error}", error=error.strerror or str(error)),
                N_("give a folder that can be written"),
            ) from None
        for path, text in files:
            write_output(path, text.encode("utf-8"), force=force)
        return [path for path, _ in files]

    def _write_members(
        self, connection: sa.Connection, round_id: str, members: Sequence[str]
    ) -> None:
        stored = set(
            connection.execute(
                sa.select(cases.c.case_id).where(cases.c.case_id.in_(list(members)))
            ).scalars()
        )
        for i, case_id in enumerate(members):
            if case_id not in stored:
                raise StoreError(
                    self._at(round_id),
                    Msg("store_cases[{i}]: no case {case_id} in the store", i=i, case_id=case_id),
                    N_(
                        "import the case first (`rectflow store import CASE.toml`), list its "
                        "case file in the round file's cases, or remove the entry"
                    ),
                )
        if members:
            try:
                connection.execute(
                    round_cases.insert(),
                    [
                        {"round_id": round_id, "case_id": case_id, "position": i}
                        for i, case_id in enumerate(members)
                    ],
                )
            except exc.IntegrityError:  # pragma: no cover - checked just above
                raise StoreError(
                    self._at(round_id),
                    N_("a case of the round is not in the store"),
                    N_("import the round's cases first"),
                ) from None


def _exists(connection: sa.Connection, round_id: str) -> bool:
    query = sa.select(rounds.c.round_id).where(rounds.c.round_id == round_id)
    return connection.execute(query).first() is not None


def _member_ids(connection: sa.Connection, round_id: str) -> list[str]:
    query = (
        sa.select(round_cases.c.case_id)
        .where(round_cases.c.round_id == round_id)
        .order_by(round_cases.c.position)
    )
    return list(connection.execute(query).scalars())


def _members(round_: Round) -> list[str]:
    """The round's case ids in order: its loaded cases, then the stored ones it lists only."""
    ids = [case.id for case in round_.cases]
    seen = set(ids)
    for case_id in round_.store_cases:
        if case_id not in seen:
            ids.append(case_id)
            seen.add(case_id)
    if round_.store_cases and set(round_.store_cases) >= seen:
        return list(round_.store_cases)  # a round read from a store keeps its order
    return ids


def _row(round_: Round) -> dict[str, Any]:
    return {
        "round_id": round_.id,
        "name": round_.name,
        "inspecting_body": round_.inspecting_body,
        "kind": round_.kind.value,
        "number": round_.number,
        "document": {key: value for key, value in round_json(round_).items() if key != "id"},
    }


def _as_stored(round_: Round, members: Sequence[str]) -> Round:
    return attrs.evolve(round_, case_files=(), store_cases=tuple(members))
