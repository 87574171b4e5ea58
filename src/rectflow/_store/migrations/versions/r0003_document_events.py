"""The document as a snapshot, and an index for the as-of queries: rectflow_cases.document_events
says how many events of the log the document holds (NULL, as for every case stored before: all
of them), so a save appends its events without rewriting the document; the spans get an index
led by valid_to that holds every column "overdue as of D, by department" reads.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rectflow_cases") as batch:
        batch.add_column(sa.Column("document_events", sa.Integer, nullable=True))
    # Every document stored so far holds its whole log.
    op.execute("UPDATE rectflow_cases SET document_events = events")
    op.create_index(
        "ix_rectflow_item_spans_as_of",
        "rectflow_item_spans",
        [
            "valid_to",
            "due_on",
            "valid_from",
            "state",
            "own_deadline",
            "state_known",
            "department",
        ],
    )


def downgrade() -> None:
    # Fold the events after each snapshot back into a whole document first: the code of this
    # rectflow loads them (0002's readers expect every event in the document).
    from rectflow._store.writing import fold_documents  # noqa: PLC0415 - only when migrating

    fold_documents(op.get_bind())
    op.drop_index("ix_rectflow_item_spans_as_of", "rectflow_item_spans")
    with op.batch_alter_table("rectflow_cases") as batch:
        batch.drop_column("document_events")
