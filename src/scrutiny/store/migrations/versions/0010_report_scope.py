"""Each report's section 55 scope with its source and confidence, and the analysts' changes
of it (issue 16). The catalogue fills the new columns when the store is next brought in step.

Revision ID: 0010
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("scope", sa.String(16), nullable=False, server_default="all-forces"))
        batch.add_column(sa.Column("scope_confidence", sa.String(16), nullable=True))
        batch.add_column(sa.Column("scope_sources", sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("scope_note", sa.Text, nullable=True))
        batch.add_column(sa.Column("duplicate_of", sa.String(128), nullable=True))
    op.create_table(
        "scope_changes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.String(128), sa.ForeignKey("reports.id"), nullable=False, index=True),
        sa.Column("before", sa.JSON, nullable=False),
        sa.Column("after", sa.JSON, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("author", sa.String(128), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    # The catalogue's fingerprint is dropped so that opening the store writes every report's scope.
    op.execute("DELETE FROM meta WHERE key = 'catalogue'")


def downgrade() -> None:
    op.drop_table("scope_changes")
    with op.batch_alter_table("reports") as batch:
        for column in ("duplicate_of", "scope_note", "scope_sources", "scope_confidence", "scope"):
            batch.drop_column(column)
