"""The store's tables, as SQLAlchemy Core: one :data:`metadata` a host can include in its own
migrations (``target_metadata = [host_metadata, rectflow.store.metadata]``).

Every name starts with ``rectflow_`` so the tables sit beside a host's own without a clash:

* ``rectflow_cases``: one row per case, its **document** (the case file's content as JSON; JSONB
  on PostgreSQL) and a few columns to filter on. The document holds the case as it stood after
  its first ``document_events`` events (revision 0003; all of them when absent): a save appends
  its events to the log without rewriting the document, and a load replays the events after
  it onto it. The document is rewritten when an event adds an item (the document must hold it)
  or when the events after it grow past a quarter of the log.
* ``rectflow_events``: the append-only log, primary key (``case_id``, ``seq``). ``seq`` is the
  event's index in the case's log, so two writers that loaded the same version cannot both
  append event N: the database's unique key refuses the second (optimistic concurrency without
  a lock file).
* ``rectflow_items``: every problem and measure as it stands now (state, due date, who answers
  for it, tags), for filters and counts.
* ``rectflow_item_spans`` (revision 0002): the same facts through time. Each row says how an
  item stood from ``valid_from`` (inclusive; :data:`BEGINNING` when since the beginning) until
  ``valid_to`` (exclusive; :data:`STILL` when it still stands so), as ``rectflow.case_as_of``
  judges it, so "overdue as of a day" is one query over the rows whose span holds the day
  (DESIGN.md, invariant 3).

All four are written in the transaction that appends the events.

* ``rectflow_rounds`` (revision 0004): one row per round of inspection, its round file's
  description as JSON (``document``: name, inspecting body, kind, number, on-site period and
  teams) and a few columns to list by.
* ``rectflow_round_cases`` (revision 0004): which stored cases each round holds, in order
  (``position``). A case belongs to any number of rounds; a round's cases must be in the store.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

__all__ = [
    "BEGINNING",
    "STILL",
    "VERSION_TABLE",
    "cases",
    "events",
    "item_spans",
    "items",
    "metadata",
    "round_cases",
    "rounds",
]

BEGINNING = dt.date.min
"""``valid_from`` of a span that holds since before the first event."""

STILL = dt.date.max
"""``valid_to`` of a span that still holds."""

VERSION_TABLE = "rectflow_alembic_version"
"""Alembic's revision table for rectflow's own migrations (not a host's ``alembic_version``)."""

# A case document and an event's data: JSON, and JSONB on PostgreSQL (indexable, compact).
_JSON = sa.JSON().with_variant(JSONB(), "postgresql")

# Names for constraints and indexes, so migrations and hosts' autogenerate agree on them.
metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)
"""rectflow's tables, for ``metadata.create_all`` in tests or a host's Alembic autogenerate."""

cases = sa.Table(
    "rectflow_cases",
    metadata,
    sa.Column("case_id", sa.String(200), primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    # How many events the log holds: the next event's seq.
    sa.Column("events", sa.Integer, nullable=False),
    sa.Column("inspected_body", sa.Text, nullable=False),
    sa.Column("inspection_kind", sa.String(40), nullable=False),
    sa.Column("inspection_round", sa.Text, nullable=True),
    sa.Column("state", sa.String(40), nullable=False),
    # The earliest day the feedback date may mean (a fuzzy "2021-06" is 2021-06-01).
    sa.Column("feedback_on", sa.Date, nullable=True),
    sa.Column("last_event_on", sa.Date, nullable=True),
    sa.Column("document", _JSON, nullable=False),
    # How many events of the log the document holds (revision 0003); NULL: all of them.
    sa.Column("document_events", sa.Integer, nullable=True),
)

events = sa.Table(
    "rectflow_events",
    metadata,
    sa.Column(
        "case_id",
        sa.String(200),
        sa.ForeignKey("rectflow_cases.case_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("trigger", sa.String(60), nullable=False),
    sa.Column("target", sa.String(200), nullable=False),
    sa.Column("on", sa.Date, nullable=False),
    sa.Column("actor", sa.Text, nullable=True),
    sa.Column("note", sa.Text, nullable=True),
    sa.Column("recorded_on", sa.Date, nullable=True),
    sa.Column("data", _JSON, nullable=True),
)

items = sa.Table(
    "rectflow_items",
    metadata,
    sa.Column(
        "case_id",
        sa.String(200),
        sa.ForeignKey("rectflow_cases.case_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("item_id", sa.String(200), primary_key=True),
    # "problem" or "measure"
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("problem_id", sa.String(200), nullable=True),
    sa.Column("category_id", sa.String(200), nullable=False),
    sa.Column("problem_kind", sa.String(40), nullable=True),
    sa.Column("classification", sa.String(40), nullable=True),
    sa.Column("state", sa.String(40), nullable=False),
    sa.Column("state_known", sa.Boolean, nullable=False),
    # The approved deadline, after extensions.
    sa.Column("due_on", sa.Date, nullable=True),
    sa.Column("department", sa.Text, nullable=True),
    sa.Column("leader", sa.Text, nullable=True),
    sa.Column("person", sa.Text, nullable=True),
    sa.Column("tags", _JSON, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
)

item_spans = sa.Table(
    "rectflow_item_spans",
    metadata,
    sa.Column(
        "case_id",
        sa.String(200),
        sa.ForeignKey("rectflow_cases.case_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("item_id", sa.String(200), primary_key=True),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("valid_from", sa.Date, primary_key=True),
    sa.Column("valid_to", sa.Date, nullable=False),
    # True for a measure, and for a problem that has no measures in the ledger then: the items
    # whose own deadline counts (``rectflow.overdue``).
    sa.Column("own_deadline", sa.Boolean, nullable=False),
    sa.Column("state", sa.String(40), nullable=False),
    sa.Column("state_known", sa.Boolean, nullable=False),
    sa.Column("due_on", sa.Date, nullable=True),
    sa.Column("department", sa.Text, nullable=True),
    sa.Column("leader", sa.Text, nullable=True),
    sa.Column("person", sa.Text, nullable=True),
)
rounds = sa.Table(
    "rectflow_rounds",
    metadata,
    sa.Column("round_id", sa.String(200), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("inspecting_body", sa.Text, nullable=False),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("number", sa.Integer, nullable=True),
    # The round file's content but its cases: name, body, kind, number, onsite, teams (JSON).
    sa.Column("document", _JSON, nullable=False),
)

round_cases = sa.Table(
    "rectflow_round_cases",
    metadata,
    sa.Column(
        "round_id",
        sa.String(200),
        sa.ForeignKey("rectflow_rounds.round_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column(
        "case_id",
        sa.String(200),
        sa.ForeignKey("rectflow_cases.case_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    # The case's place in the round's list (0, 1 …).
    sa.Column("position", sa.Integer, nullable=False),
)

sa.Index("ix_rectflow_cases_state", cases.c.state)
# Revision 0004: the rounds a case is in.
sa.Index("ix_rectflow_round_cases_case_id", round_cases.c.case_id)
sa.Index("ix_rectflow_items_due_on", items.c.due_on)
# The as-of queries read the spans by deadline: "overdue as of D" is due_on < D.
sa.Index("ix_rectflow_item_spans_due_on", item_spans.c.due_on)
# Revision 0003: "overdue as of D" reads the spans holding on D (valid_to > D leads: for a recent
# D only the spans still open and a few more), and everything the grouped counts need is in the
# index itself, so the table is not read.
sa.Index(
    "ix_rectflow_item_spans_as_of",
    item_spans.c.valid_to,
    item_spans.c.due_on,
    item_spans.c.valid_from,
    item_spans.c.state,
    item_spans.c.own_deadline,
    item_spans.c.state_known,
    item_spans.c.department,
)
