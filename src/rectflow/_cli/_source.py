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
    from rectflow._store.api import Store

__all__ = [
    "STORE_ENV",
    "WORDS",
    "Cases",
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
