"""Rounds of inspection in the store: rectflow_rounds (a round file's description as JSON) and
rectflow_round_cases (which stored cases each round holds, in order).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "rectflow_rounds",
        sa.Column("round_id", sa.String(200), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("inspecting_body", sa.Text, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("number", sa.Integer, nullable=True),
        sa.Column("document", _JSON, nullable=False),
        sa.PrimaryKeyConstraint("round_id", name="pk_rectflow_rounds"),
    )
    op.create_table(
        "rectflow_round_cases",
        sa.Column("round_id", sa.String(200), nullable=False),
        sa.Column("case_id", sa.String(200), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("round_id", "case_id", name="pk_rectflow_round_cases"),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rectflow_rounds.round_id"],
            name="fk_rectflow_round_cases_round_id_rectflow_rounds",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["rectflow_cases.case_id"],
            name="fk_rectflow_round_cases_case_id_rectflow_cases",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_rectflow_round_cases_case_id", "rectflow_round_cases", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_rectflow_round_cases_case_id", "rectflow_round_cases")
    op.drop_table("rectflow_round_cases")
    op.drop_table("rectflow_rounds")
