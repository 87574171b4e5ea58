"""Where the case a command reads or changes lives: a case file, or a case in a store.

Every command that takes a CASE takes ``--store URL`` too (or reads the ``RECTFLOW_STORE``
environment variable). Without a store, CASE is the path of a case file, as it always was. With
one, CASE is the id of a case in that store: it is read with :meth:`Store.get` (loaded and
verified by replay, as a file is) and written back with :meth:`Store.save`, version-checked, so
a second writer gets the same :class:`~rectflow.errors.ConflictError` a file gives.

A CASE that could be both is settled one way: with a store, it is the case id. When the store
holds no case of that id but a file of that name exists, the refusal says so (and how to read
the file: leave out ``--store``, or ``--store ""`` over a ``RECTFLOW_STORE`` that is set); when
both exist, the stored case is read and a warning says the file was not.

The commands that judge several cases (``status``, ``check``, ``agenda``) read every case in
the store when no CASE is given. The store is opened once per command and closed after it.

The commands that take a CASE or a ROUND (``round status|check|agenda``, ``stats``, ``report``,
``ledger export``) find it with :meth:`Cases.subject`: with a store, a round stored under that
id, else a case of that id, else a round file whose ``store_cases`` are read from the store
(its case files from beside it); without one, a round file or a case file, as before.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import click

from rectflow._casefile.files import load_case, save_case
from rectflow._core.model import Case
from rectflow._i18n import N_, Msg, Words
from rectflow.errors import MissingExtraError, RectflowError, StoreError, UnknownCaseError

if TYPE_CHECKING:
    from rectflow._rounds.model import Round
    from rectflow._store.api import Store

# The rounds (rectflow._rounds) are imported by the methods that read one: a command on case
# files (status, check) does not load them.

__all__ = [
    "STORE_ENV",
    "WORDS",
    "Cases",
    "Subject",
    "Where",
    "cases_from",
    "open_store",
    "store_option",
]

STORE_ENV = "RECTFLOW_STORE"

# What the commands say about where a case is; the Chinese is in the catalogue.
WORDS = Words(
    {
        "saved": N_("saved {path}"),
        "saved_store": N_("saved {case} in the store {store} (version {version})"),
        "both": N_(
            "{case} is read from the store {store}, not from the file of that name "
            '(--store "" reads the file)'
        ),
        "store": N_("store"),
        "store_only": N_(
            "round {id}: {n} case(s) are listed by store id (store_cases) and no store is given, "
            "so they are left out (--store URL reads them)"
        ),
    }
)


def store_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--store URL``: CASE is a case id in that store (default: ``$RECTFLOW_STORE``)."""
    return click.option(
        "--store",
        "store_url",
        envvar=STORE_ENV,
        default=None,
        metavar="URL",
        # A constant, not an f-string: the help text is a msgid (rectflow._babel_help), said
        # in Chinese under the zh_CN locale. $RECTFLOW_STORE is STORE_ENV.
        help="Read and save the case in this store, CASE being its id: sqlite:///ledger.db or "
        "postgresql://USER@HOST/DB. Default: $RECTFLOW_STORE; without either (or with --store "
        '""), CASE is a case file.',
    )(f)


def open_store(url: str, *, create: bool = False) -> Store:
    """The store at ``url``, opened lazily (nothing is read before it is used).

    ``create``: a SQLite file that does not exist yet may be created (``rectflow store init``);
    otherwise its absence is refused, rather than leaving an empty database behind a typo.

    Raises:
        MissingExtraError: ``rectflow[store]`` (or ``rectflow[postgresql]``) is not installed.
        StoreUnavailableError: the URL cannot be used.
        StoreError: a SQLite file that does not exist, unless ``create``.
    """
    # rectflow.store is the public entrance and the CLI may not import it (import-linter);
    # it checks the extra the same way.
    for module in ("sqlalchemy", "alembic"):
        if importlib.util.find_spec(module) is None:
            raise MissingExtraError("store", module)
    from rectflow._store.api import open_store as opened  # noqa: PLC0415 - the extra is optional

    store = opened(url)
    database = store.engine.url.database or ""
    if (
        not create
        and store.engine.url.get_backend_name() == "sqlite"
        and database not in ("", ":memory:")
        and not database.startswith("file:")
        and not Path(database).exists()
    ):
        store.close()
        raise StoreError(
            store.url,
            Msg("there is no database file {path}", path=database),
            N_("check the URL; `rectflow store init --store URL` creates a new store"),
        )
    return store


@attrs.frozen
class Where:
    """Where a loaded case came from and is saved back to: a file, or an id in a store.

    Attributes:
        given: the CASE argument as given.
        path: the case file, when it is one.
        store: the store's URL (without a password), when the case is in a store.
    """

    given: str
    path: Path | None = None
    store: str | None = None

    def __str__(self) -> str:
        """The file's path, or the store's URL and the case id."""
        return str(self.path) if self.path is not None else f"{self.store} {self.given}"


@attrs.frozen
class Subject:
    """What a CASE|ROUND argument named, loaded.

    Attributes:
        value: the case, or the round with its cases loaded.
        files: the files it was read from (an output may never replace one of them).
    """

    value: Case | Round
    files: tuple[Path, ...] = ()

    @property
    def cases(self) -> tuple[Case, ...]:
        """Its cases: the round's, or the one case."""
        return (self.value,) if isinstance(self.value, Case) else self.value.cases


class Cases:
    """The cases a command addresses: files, or ids in the store given with ``--store``."""

    def __init__(self, store_url: str | None, *, lang: str = "en") -> None:
        """``store_url``: the ``--store`` option (``None`` or ``""``: CASE is a file)."""
        self._url = store_url or None
        self._lang = lang
        self._store: Store | None = None

    @property
    def store(self) -> Store | None:
        """The store, opened on first use; ``None`` when CASE is a file."""
        if self._url is not None and self._store is None:
            self._store = open_store(self._url)
        return self._store

    def close(self) -> None:
        """Close the store's connections, if one was opened."""
        if self._store is not None:
            self._store.close()
            self._store = None

    def load(self, given: str) -> tuple[Case, Where]:
        """The case CASE names, and where it is.

        Raises:
            CaseFileError: the file is not a valid case (or the stored document is not).
            UnknownCaseError: the store holds no such case (saying so when a file of that name
                exists).
            StoreError: the store cannot be read.
        """
        store = self.store
        if store is None:
            path = Path(given)
            return load_case(path), Where(given, path=path)
        try:
            case = store.get(given)
        except UnknownCaseError:
            if Path(given).is_file():
                raise _file_not_store(store.url, given) from None
            raise
        if Path(given).is_file():
            warning = WORDS[self._lang]["both"].format(case=given, store=store.url)
            click.echo(f"rectflow: warning: {warning}", err=True)
        return case, Where(given, store=store.url)

    def names(self, given: Sequence[str]) -> list[str]:
        """The CASEs given; with a store and none given, the id of every case in it.

        Raises:
            RectflowError: no CASE was given and there is no store to read them all from.
        """
        if given:
            return list(given)
        store = self.store
        if store is None:
            raise RectflowError(
                N_(
                    "give at least one CASE: a case file, or a case id with --store URL "
                    "(with a store and no CASE, every case in it)"
                )
            )
        return [summary.case_id for summary in store.cases()]

    def load_all(self, given: Sequence[str]) -> list[tuple[Case, Where]]:
        """The cases named, in order; with a store and no CASE, every case in it (by id).

        Raises:
            RectflowError: no CASE was given and there is no store to read them all from.
        """
        return [self.load(name) for name in self.names(given)]

    def subject(self, given: str) -> Subject:
        """The case or the round (its cases loaded) that CASE|ROUND names.

        With a store: the round stored under that id, else the case of that id, else the round
        file at that path, its ``store_cases`` read from the store; else the refusal of
        :meth:`load`. Without one: a round file (its ``store_cases`` left out, with a warning)
        or a case file.

        Raises:
            RoundFileError: a round file that is not a valid round.
            CaseFileError: a case file (or stored case) that is not a valid case.
            UnknownCaseError: the store holds no such round or case, or not a case a round file
                lists in ``store_cases``.
        """
        from rectflow._rounds.files import is_round_file  # noqa: PLC0415

        store = self.store
        if store is not None:
            from rectflow._rounds.stored import Rounds  # noqa: PLC0415 - the extra is optional

            rounds = Rounds(store)
            if rounds.has(given):
                return Subject(rounds.get(given))
            if not store.has(given) and Path(given).is_file() and is_round_file(given):
                return self._round_file(Path(given))
            return Subject(self.load(given)[0])
        path = Path(given)
        if is_round_file(path):
            return self._round_file(path)
        return Subject(load_case(path), (path,))

    def _round_file(self, path: Path) -> Subject:
        from rectflow._rounds.files import case_file_path, load_round  # noqa: PLC0415

        found = load_round(path)
        files = (path, *(case_file_path(path, name) for name in found.case_files))
        if not found.store_cases:
            return Subject(found, files)
        store = self.store
        if store is None:
            message = WORDS[self._lang]["store_only"].format(id=found.id, n=len(found.store_cases))
            click.echo(f"rectflow: warning: {message}", err=True)
            return Subject(found, files)
        stored = []
        for i, case_id in enumerate(found.store_cases):
            try:
                stored.append(store.get(case_id))
            except UnknownCaseError as error:
                raise StoreError(
                    store.url,
                    Msg(
                        "{path}: store_cases[{i}]: no case {case_id} in the store",
                        path=str(path),
                        i=i,
                        case_id=repr(case_id),
                    ),
                    error.fix,
                ) from None
        return Subject(found.with_cases([*found.cases, *stored]), files)

    def round_cases(self, given: str, *, load: bool = False) -> tuple[Round, list[str], bool]:
        """The round ROUND names and how a case command addresses its cases: their ids in the
        store (``True``) or the paths of their case files (``False``). ``load``: load its cases
        into the round too (otherwise the case command loads them).

        Raises:
            RectflowError: with a store, ROUND is a case, or a round file listing both case
                files and store cases (a case command reads either files or ids).
            UnknownRoundError: with a store, no round and no file of that name.
            RoundFileError: a round file that is not a valid round, or lists a missing file.
        """
        from rectflow._rounds.files import load_round, round_case_paths  # noqa: PLC0415

        store = self.store
        if store is not None:
            from rectflow._rounds.stored import Rounds, UnknownRoundError  # noqa: PLC0415

            rounds = Rounds(store)
            if rounds.has(given):
                found = rounds.get(given, cases=load)
                return found, list(found.store_cases), True
            if not Path(given).is_file():
                if store.has(given):
                    raise RectflowError(
                        Msg(
                            "{given} is a case, not a round; `rectflow status|check|agenda "
                            "{given}` reads a case",
                            given=given,
                        )
                    )
                raise UnknownRoundError(store.url, given)
        found, paths = round_case_paths(given)
        if store is not None and found.store_cases:
            if found.case_files:
                raise RectflowError(
                    Msg(
                        "round {id} lists both case files and store cases: import it into the "
                        "store (`rectflow store import {given}`) and give its id",
                        id=found.id,
                        given=given,
                    )
                )
            loaded = self._round_file(Path(given)).value if load else found
            return _round(loaded), list(found.store_cases), True
        if found.store_cases:  # no store: said, and left out
            message = WORDS[self._lang]["store_only"].format(id=found.id, n=len(found.store_cases))
            click.echo(f"rectflow: warning: {message}", err=True)
        return (load_round(given) if load else found), [str(p) for p in paths], False

    def save(self, case: Case, where: Where) -> None:
        """Write the case back where it was loaded from, version-checked: a writer who saved it
        meanwhile makes this a :class:`~rectflow.errors.ConflictError`; nothing is written."""
        if where.path is not None:
            save_case(case, where.path)
            return
        store = self.store
        if store is None:  # pragma: no cover - a Where from a store comes with one
            raise AssertionError(where)
        store.save(case)

    def saved(self, case: Case, where: Where) -> str:
        """The line that says the case was saved, in the command's language."""
        w = WORDS[self._lang]
        if where.path is not None:
            return w["saved"].format(path=where.path)
        return w["saved_store"].format(case=case.id, store=where.store, version=case.version)


def _round(found: Case | Round) -> Round:
    from rectflow._rounds.model import Round  # noqa: PLC0415

    if not isinstance(found, Round):  # pragma: no cover - a round file gives a round
        raise TypeError(found)
    return found


def _file_not_store(url: str, given: str) -> StoreError:
    return StoreError(
        url,
        Msg(
            "no case {case_id} in the store, but {case_id} is a case file",
            case_id=repr(given),
        ),
        Msg(
            'with a store CASE is a case id: to read the file, leave out --store (--store "" '
            "when {env} is set); to put it in the store, `rectflow store import {path}`",
            env=STORE_ENV,
            path=given,
        ),
    )


@contextmanager
def cases_from(store_url: str | None, lang: str = "en") -> Iterator[Cases]:
    """The command's :class:`Cases`, its store closed when the command ends."""
    cases = Cases(store_url, lang=lang)
    try:
        yield cases
    finally:
        cases.close()
