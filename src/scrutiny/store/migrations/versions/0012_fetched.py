"""The collector's memory of each address it fetched (issue 18): validators for conditional
requests, first and last seen, the content's hash, the document it became, and its links.

Revision ID: 0012
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fetched",
        sa.Column("url", sa.String(2048), primary_key=True),
        sa.Column("force_id", sa.Integer, sa.ForeignKey("forces.id"), index=True),
        sa.Column("etag", sa.String(512)),
        sa.Column("last_modified", sa.String(64)),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sha256", sa.String(64)),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), index=True),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("links", sa.JSON),
    )


def downgrade() -> None:
    op.drop_table("fetched")
