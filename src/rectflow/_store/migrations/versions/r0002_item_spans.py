"""The items through time: rectflow_item_spans, so "overdue as of a day" is one query that
judges each item as it stood that day, and the spans of the cases already stored.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rectflow_item_spans",
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
        sa.Column("own_deadline", sa.Boolean, nullable=False),
        sa.Column("state", sa.String(40), nullable=False),
        sa.Column("state_known", sa.Boolean, nullable=False),
        sa.Column("due_on", sa.Date, nullable=True),
        sa.Column("department", sa.Text, nullable=True),
        sa.Column("leader", sa.Text, nullable=True),
        sa.Column("person", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("case_id", "item_id", "valid_from", name="pk_rectflow_item_spans"),
    )
    op.create_index("ix_rectflow_item_spans_due_on", "rectflow_item_spans", ["due_on"])
    _backfill()


def _backfill() -> None:
    """The spans of every case already stored, read off its document."""
    # The code of this rectflow computes them; the document is what revision 0001 stored.
    from rectflow._store.writing import backfill_spans  # noqa: PLC0415 - only when migrating

    backfill_spans(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_rectflow_item_spans_due_on", "rectflow_item_spans")
    op.drop_table("rectflow_item_spans")
