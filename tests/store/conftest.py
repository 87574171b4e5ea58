"""The store's contract suite runs every test on SQLite and on a real PostgreSQL server.

The PostgreSQL half connects to ``RECTFLOW_TEST_PG_URL`` (default
``postgresql://postgres@127.0.0.1:5432/postgres``), creates a database of its own for the test
run (one per pytest-xdist worker) and drops it at the end. When no server answers, those tests
skip with a one-line reason, unless ``RECTFLOW_REQUIRE_POSTGRES=1`` (set by ``.ci/run``) makes
them fail.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

import rectflow.store
from rectflow._store.tables import VERSION_TABLE, metadata

PG_URL = os.environ.get("RECTFLOW_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
ENGINES = ("sqlite", "postgresql")


def _admin_engine() -> sa.Engine:
    url = sa.make_url(PG_URL).set(drivername="postgresql+psycopg")
    return sa.create_engine(url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A PostgreSQL database for this test run (this xdist worker), dropped after it."""
    admin = _admin_engine()
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql("select 1")
    except sa.exc.OperationalError as error:
        admin.dispose()
        reason = f"no PostgreSQL at {PG_URL} ({str(error.orig).strip().splitlines()[0]})"
        if os.environ.get("RECTFLOW_REQUIRE_POSTGRES") == "1":
            pytest.fail(reason + "; RECTFLOW_REQUIRE_POSTGRES=1 requires it")
        pytest.skip(reason)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"rectflow_test_{worker}_{os.getpid()}_{secrets.token_hex(3)}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield sa.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(params=ENGINES)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database's URL, on each engine in turn."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.db'}"
        return
    url = request.getfixturevalue("pg_database")
    _empty(url)
    yield url


def _empty(url: str) -> None:
    """Drop rectflow's tables (and its revision table) left by the test before."""
    engine = rectflow.store.open(url).engine
    try:
        with engine.begin() as connection:
            metadata.drop_all(connection)
            connection.exec_driver_sql(f"DROP TABLE IF EXISTS {VERSION_TABLE}")
    finally:
        engine.dispose()


@pytest.fixture
def store(store_url: str) -> Iterator[rectflow.store.Store]:
    """An initialised, empty store on each engine in turn."""
    opened = rectflow.store.open(store_url)
    opened.init()
    yield opened
    opened.close()
