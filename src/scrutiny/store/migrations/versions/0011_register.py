"""HMICFRS's recommendation register as Scrutiny keeps it (issue 16): the status of each
recommendation per force, with its dated history; and the log of changes users make to the
catalogue's reports (who, when, the report before and after). New tables only.

Revision ID: 0011
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "register_statuses",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.String(128), sa.ForeignKey("reports.id"), nullable=False, index=True),
        sa.Column("force_id", sa.Integer, sa.ForeignKey("forces.id"), nullable=False, index=True),
        sa.Column("wording_key", sa.String(64), nullable=False),
        sa.Column("wording", sa.Text, nullable=False),
        sa.Column("record", sa.String(32)),
        sa.Column("status", sa.String(32)),
        sa.Column("status_on", sa.Date),
        sa.Column("history", sa.JSON, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("kept_by", sa.String(128), nullable=False),
        sa.Column("kept_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("report_id", "force_id", "wording_key"),
    )
    op.create_table(
        "report_changes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.String(128), nullable=False, index=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(128), nullable=False),
        sa.Column("change", sa.Text, nullable=False),
        sa.Column("before", sa.Text),
        sa.Column("after", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("report_changes")
    op.drop_table("register_statuses")
