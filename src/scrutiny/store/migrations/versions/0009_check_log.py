"""The collector's sources and its check log (issues 16 and 18): where each policing body
publishes, and each time Scrutiny looked there. "Overdue" rests on the log; new tables only.

Revision ID: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("force_id", sa.Integer, sa.ForeignKey("forces.id"), nullable=False, index=True),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("added_by", sa.String(128), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("force_id", "url"),
    )
    op.create_table(
        "source_checks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id", ondelete="SET NULL"), index=True),
        sa.Column("force_id", sa.Integer, sa.ForeignKey("forces.id"), nullable=False, index=True),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), index=True),
        sa.Column("ok", sa.Boolean, nullable=False),
        sa.Column("found", sa.Integer, nullable=False),
        sa.Column("skipped", sa.Integer, nullable=False),
        sa.Column("failed", sa.Integer, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("source_checks")
    op.drop_table("sources")
