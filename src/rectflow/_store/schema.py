"""The store's schema revisions: Alembic run in code, and the check every store makes first."""

from __future__ import annotations

from importlib import resources

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError

from rectflow._i18n import Msg
from rectflow._store.tables import VERSION_TABLE, cases
from rectflow.errors import StoreError, StoreNotInitialisedError, StoreSchemaError

__all__ = ["HEAD", "alembic_config", "check_revision", "current_revision", "upgrade"]

HEAD = "0004"
"""The newest schema revision this rectflow writes (a test keeps it equal to the scripts' head)."""


def alembic_config(connection: sa.Connection | None = None) -> Config:
    """An Alembic ``Config`` for rectflow's migrations, built in code (no ``alembic.ini``).

    A host that runs rectflow's migrations from its own tooling passes it to
    ``alembic.command`` functions; ``connection`` is the one they run on.
    """
    config = Config()
    location = resources.files("rectflow._store") / "migrations"
    config.set_main_option("script_location", str(location))
    config.attributes["connection"] = connection
    return config


def known_revisions() -> set[str]:
    """Every revision rectflow's scripts define."""
    scripts = ScriptDirectory.from_config(alembic_config())
    return {script.revision for script in scripts.walk_revisions()}


def current_revision(connection: sa.Connection) -> str | None:
    """The revision the database is at; ``None`` when rectflow's migrations never ran on it."""
    context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
    return context.get_current_revision()


def upgrade(connection: sa.Connection, where: str, revision: str = "head") -> None:
    """Upgrade the database to ``revision`` (the newest by default), in one transaction.

    Raises:
        StoreSchemaError: the database is at a revision newer than this rectflow knows.
        StoreError: ``revision`` is not one of rectflow's, or is before the database's.
    """
    found = current_revision(connection)
    known = known_revisions()
    if found is not None and found not in known:
        raise StoreSchemaError(where, found, HEAD, newer=True)
    if revision not in known and revision != "head":
        raise StoreError(
            where,
            Msg("there is no schema revision {revision}", revision=repr(revision)),
            Msg(
                "give one of {known}, or head; nothing was changed", known=", ".join(sorted(known))
            ),
        )
    try:
        command.upgrade(alembic_config(connection), revision)
    except CommandError as refused:  # e.g. an upgrade "to" an older revision
        raise StoreError(
            where,
            Msg("cannot upgrade to {revision}: {reason}", revision=revision, reason=str(refused)),
            Msg("give a revision after the store's {found}, or head", found=found or "none"),
        ) from None


def check_revision(connection: sa.Connection, where: str) -> None:
    """Refuse a database rectflow cannot work in as it is.

    A database whose tables a host created itself (rectflow's ``metadata`` in the host's own
    migrations, so no ``rectflow_alembic_version``) is taken as it is.

    Raises:
        StoreNotInitialisedError: there are no rectflow tables.
        StoreSchemaError: the database is at an older or a newer revision than ``HEAD``.
    """
    found = current_revision(connection)
    if found == HEAD:
        return
    if found is None:
        if sa.inspect(connection).has_table(cases.name):
            return
        raise StoreNotInitialisedError(where)
    newer = found not in known_revisions()
    raise StoreSchemaError(where, found, HEAD, newer=newer)
