"""Alembic's environment for rectflow's migrations: run on the connection rectflow hands over.

rectflow runs these itself (``Store.upgrade()``, ``rectflow store upgrade``) with a ``Config``
built in code, so users need no ``alembic.ini``; the revision is kept in
``rectflow_alembic_version``, apart from a host's own ``alembic_version``.
"""

from __future__ import annotations

from alembic import context

from rectflow._store.tables import VERSION_TABLE, metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table=VERSION_TABLE,
    # SQLite alters a table by copying it: batch mode does that.
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
