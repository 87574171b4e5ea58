"""The tables: cases (each case's document at its version), events (the append-only log,
primary key case + seq) and items (every problem and measure as it stands now).

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(JSONB(), "postgresql")


def _case_id() -> sa.Column[str]:
    return sa.Column(
        "case_id",
        sa.String(200),
        sa.ForeignKey(
            "rectflow_cases.case_id",
            ondelete="CASCADE",
        ),
        primary_key=True,
    )


def upgrade() -> None:
    op.create_table(
        "rectflow_cases",
        sa.Column("case_id", sa.String(200), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("events", sa.Integer, nullable=False),
        sa.Column("inspected_body", sa.Text, nullable=False),
        sa.Column("inspection_kind", sa.String(40), nullable=False),
        sa.Column("inspection_round", sa.Text, nullable=True),
        sa.Column("state", sa.String(40), nullable=False),
        sa.Column("feedback_on", sa.Date, nullable=True),
        sa.Column("last_event_on", sa.Date, nullable=True),
        sa.Column("document", _JSON, nullable=False),
        sa.PrimaryKeyConstraint("case_id", name="pk_rectflow_cases"),
    )
    op.create_index("ix_rectflow_cases_state", "rectflow_cases", ["state"])
    op.create_table(
        "rectflow_events",
        _case_id(),
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("trigger", sa.String(60), nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("on", sa.Date, nullable=False),
        sa.Column("actor", sa.Text, nullable=True),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("recorded_on", sa.Date, nullable=True),
        sa.Column("data", _JSON, nullable=True),
        sa.PrimaryKeyConstraint("case_id", "seq", name="pk_rectflow_events"),
    )
    op.create_table(
        "rectflow_items",
        _case_id(),
        sa.Column("item_id", sa.String(200), primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("problem_id", sa.String(200), nullable=True),
        sa.Column("category_id", sa.String(200), nullable=False),
        sa.Column("problem_kind", sa.String(40), nullable=True),
        sa.Column("classification", sa.String(40), nullable=True),
        sa.Column("state", sa.String(40), nullable=False),
        sa.Column("state_known", sa.Boolean, nullable=False),
        sa.Column("due_on", sa.Date, nullable=True),
        sa.Column("department", sa.Text, nullable=True),
        sa.Column("leader", sa.Text, nullable=True),
        sa.Column("person", sa.Text, nullable=True),
        sa.Column("tags", _JSON, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("case_id", "item_id", name="pk_rectflow_items"),
    )
    op.create_index("ix_rectflow_items_due_on", "rectflow_items", ["due_on"])


def downgrade() -> None:
    op.drop_table("rectflow_items")
    op.drop_table("rectflow_events")
    op.drop_index("ix_rectflow_cases_state", "rectflow_cases")
    op.drop_table("rectflow_cases")
