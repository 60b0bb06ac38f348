"""Letters, versions, failures, user reports, corrections, and the full-text index.

Revision ID: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    tz = sa.DateTime(timezone=True)
    op.create_table(
        "letters",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_key", sa.String(1024), nullable=False, unique=True),
        sa.Column("created_at", tz, nullable=False),
    )
    op.create_table(
        "versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("letter_id", sa.Integer, sa.ForeignKey("letters.id"), nullable=False, index=True),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("filename", sa.String(512), nullable=False),
        sa.Column("media_type", sa.String(128), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("record", sa.JSON, nullable=False),
        sa.Column("digest", sa.JSON, nullable=False),
        sa.Column("is_current", sa.Boolean, nullable=False, index=True),
        sa.Column("ingested_at", tz, nullable=False),
    )
    op.create_table(
        "failures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_key", sa.String(1024), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("at", tz, nullable=False),
        sa.UniqueConstraint("source_key", "sha256"),
    )
    op.create_table(
        "reports",
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("added_at", tz, nullable=False),
    )
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("letter_id", sa.Integer, sa.ForeignKey("letters.id"), nullable=False, index=True),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("previous", sa.JSON, nullable=True),
        sa.Column("value", sa.JSON, nullable=True),
        sa.Column("author", sa.String(128), nullable=False),
        sa.Column("at", tz, nullable=False),
    )
    if op.get_bind().dialect.name == "sqlite":
        # rowid = versions.id; only current versions are indexed.
        op.execute("CREATE VIRTUAL TABLE search_index USING fts5(text, tokenize='porter unicode61')")
    else:
        op.execute("CREATE INDEX ix_versions_text_fts ON versions USING gin (to_tsvector('english', text))")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search_index")
    for table in ("corrections", "reports", "failures", "versions", "letters"):
        op.drop_table(table)
