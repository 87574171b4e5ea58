"""Opening a store's database: URLs, the engine's settings, and database errors in plain words."""

from __future__ import annotations

import contextlib
import importlib.util
import os
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, exc
from sqlalchemy.engine import URL, Engine, make_url

from rectflow._i18n import N_, Msg
from rectflow.errors import MissingExtraError, StoreUnavailableError

__all__ = ["DEFAULT_URL", "SQLITE_BUSY_SECONDS", "create_engine", "describe", "unavailable"]

DEFAULT_URL = "sqlite:///ledger.db"
"""The store :func:`rectflow.store.open` opens when given none: ``ledger.db`` in the working
folder."""

SQLITE_CACHE_KB = 65536
"""SQLite's page cache per connection, in KB."""

SQLITE_BUSY_SECONDS = 10.0
"""How long a SQLite writer waits for another's write lock before giving up with a clear error."""


def create_engine(url: str | URL) -> Engine:
    """An engine for ``url``, set up for a ledger store.

    ``postgresql://`` is PostgreSQL through psycopg 3 (``postgresql+psycopg://``). SQLite gets
    write-ahead logging (readers never wait for a writer), a busy timeout of
    :data:`SQLITE_BUSY_SECONDS`, foreign keys on and a page cache of :data:`SQLITE_CACHE_KB`,
    on every connection.

    Raises:
        MissingExtraError: psycopg is not installed for a PostgreSQL URL.
        StoreUnavailableError: the URL cannot be read, or names no database rectflow supports.
    """
    try:
        parsed = make_url(url)
    except exc.ArgumentError as error:
        raise StoreUnavailableError(
            _hide_password(str(url)),
            Msg("not a database URL: {error}", error=str(error)),
            N_("give sqlite:///PATH or postgresql://USER@HOST:PORT/DATABASE"),
        ) from None
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        if parsed.drivername in ("postgresql", "postgresql+psycopg2", "postgres"):
            parsed = parsed.set(drivername="postgresql+psycopg")
        if importlib.util.find_spec("psycopg") is None:
            raise MissingExtraError("postgresql", "psycopg")
        return sa.create_engine(parsed, pool_pre_ping=True)
    if backend == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            folder = os.path.dirname(os.path.abspath(database))  # noqa: PTH100, PTH120
            if not os.path.isdir(folder):  # noqa: PTH112
                raise StoreUnavailableError(
                    describe(parsed),
                    Msg("the folder {folder} does not exist", folder=folder),
                    N_("create the folder, or give the path of a database in an existing one"),
                )
        engine = sa.create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_SECONDS})
        event.listen(engine, "connect", _sqlite_settings)
        return engine
    raise StoreUnavailableError(
        describe(parsed),
        Msg("rectflow stores cases in SQLite or PostgreSQL, not {backend}", backend=backend),
        N_("give sqlite:///PATH or postgresql://USER@HOST:PORT/DATABASE"),
    )


def _sqlite_settings(dbapi_connection: Any, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    try:
        # WAL: readers see the last commit while a writer writes; NORMAL sync is durable in WAL
        # except for the last commits on a power loss (never a corrupt database).
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_SECONDS * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # 64 MB of page cache per connection (SQLite's default is 2 MB): a store of a few
        # thousand cases has indexes of hundreds of MB, and a save or an import that misses the
        # cache reads pages back from the file for every index entry it writes.
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KB}")
    finally:
        cursor.close()


def describe(url: URL | Engine) -> str:
    """The database's URL as errors name it, without the password."""
    if isinstance(url, Engine):
        url = url.url
    return url.render_as_string(hide_password=True)


def _hide_password(text: str) -> str:
    with contextlib.suppress(exc.ArgumentError):
        return make_url(text).render_as_string(hide_password=True)
    return text


@contextlib.contextmanager
def unavailable(where: str) -> Iterator[None]:
    """Turn a database that cannot be reached, or is locked, into a :class:`StoreUnavailableError`.

    Errors that are rectflow's own (a conflict, a refused change) pass through unchanged.
    """
    try:
        yield
    except exc.DBAPIError as error:
        raise _unavailable(where, error) from None


def _unavailable(where: str, error: exc.DBAPIError) -> StoreUnavailableError:
    detail = str(error.orig).strip().splitlines()[0] if error.orig is not None else str(error)
    lowered = detail.lower()
    if "locked" in lowered or "busy" in lowered:
        return StoreUnavailableError(
            where,
            Msg(
                "the database is locked by another writer ({detail}), longer than the "
                "{seconds:g} s a writer waits",
                detail=detail,
                seconds=SQLITE_BUSY_SECONDS,
            ),
            N_(
                "retry when the other program has finished writing; nothing was changed "
                "(many writers at once want PostgreSQL: docs/store.md)"
            ),
        )
    if error.connection_invalidated or isinstance(error, exc.OperationalError | exc.InterfaceError):
        return StoreUnavailableError(
            where,
            Msg("the database connection failed: {detail}", detail=detail),
            N_(
                "check that the database server is running and reachable, then retry; "
                "an interrupted change was rolled back, nothing was changed"
            ),
        )
    return StoreUnavailableError(
        where,
        Msg("the database refused the operation: {detail}", detail=detail),
        N_(
            "check the database and the store's revision (`rectflow store upgrade`); "
            "nothing was changed"
        ),
    )
