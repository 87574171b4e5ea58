"""The ledger store: many cases, many writers, in SQLite (the default) or PostgreSQL.

Install it with ``pip install "rectflow[store]"`` (and ``"rectflow[postgresql]"`` for
PostgreSQL)::

    import datetime as dt
    import rectflow
    import rectflow.store

    store = rectflow.store.open("sqlite:///ledger.db")   # or postgresql://user@host/db
    store.init()                                           # once: creates the tables
    store.add(rectflow.load_case("case.toml"))
    store.fire("case-1", "start", item="1.1.1", on=dt.date(2024, 7, 1))
    case = store.get("case-1")                             # loaded and replayed, as a file is
    late = store.overdue(dt.date(2024, 9, 1))              # as things stood that day
    store.overdue_by(dt.date(2024, 9, 1), "department")    # {"办公室": 3, ...}

Every change is an event of the public event API, written with the case's new document and its
item projections in one transaction; a second writer of the same version gets the
:class:`~rectflow.errors.ConflictError` a case file gives (``retries=`` re-applies the change
on a fresh load). Rounds of inspection are kept beside the cases: :class:`Rounds`
(``Rounds(store)``) adds, lists, loads and exports them. The tables are in :data:`metadata` for
a host's own migrations, and rectflow's Alembic migrations ship in the package
(:meth:`Store.upgrade`). ``docs/store.md`` is the guide.
"""

from __future__ import annotations

import importlib.util

from rectflow.errors import MissingExtraError

for _module in ("sqlalchemy", "alembic"):
    if importlib.util.find_spec(_module) is None:
        raise MissingExtraError("store", _module)

from rectflow._rounds.stored import Rounds, UnknownRoundError  # noqa: E402
from rectflow._store.api import CaseSummary, DueItem, Grouping, Store  # noqa: E402
from rectflow._store.api import open_store as open  # noqa: E402
from rectflow._store.engine import DEFAULT_URL  # noqa: E402
from rectflow._store.schema import HEAD, alembic_config  # noqa: E402
from rectflow._store.tables import metadata  # noqa: E402

__all__ = [
    "DEFAULT_URL",
    "HEAD",
    "CaseSummary",
    "DueItem",
    "Grouping",
    "Rounds",
    "Store",
    "UnknownRoundError",
    "alembic_config",
    "metadata",
    "open",
]
