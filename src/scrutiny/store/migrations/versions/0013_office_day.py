"""The office's working day (issue 19): a case's version (a stale save is refused), its
approval apart from publishing, the policing body whose work a case or action is; actions'
RAG status, evidence and closure; dated policing bodies; one-time password links; the
administrators' audit log.

Revision ID: 0013
"""
import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as t:
        t.add_column(sa.Column("version", sa.Integer, nullable=False, server_default="1"))
        t.add_column(sa.Column("approved_by", sa.String(64)))
        t.add_column(sa.Column("approved_at", sa.DateTime(timezone=True)))
        t.add_column(sa.Column("body", sa.String(256), nullable=False, server_default=""))
    with op.batch_alter_table("actions") as t:
        t.add_column(sa.Column("rag", sa.String(8)))
        t.add_column(sa.Column("closed_by", sa.String(64)))
        t.add_column(sa.Column("closed_at", sa.DateTime(timezone=True)))
        t.add_column(sa.Column("body", sa.String(256), nullable=False, server_default=""))
    with op.batch_alter_table("action_updates") as t:
        t.add_column(sa.Column("evidence", sa.Text, nullable=False, server_default=""))
        t.add_column(sa.Column("rag", sa.String(8)))
    op.create_table(
        "policing_bodies",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("force_id", sa.Integer, sa.ForeignKey("forces.id"), nullable=False, index=True),
        sa.Column("name", sa.String(256), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("started", sa.Date),
        sa.Column("ended", sa.Date),
        sa.Column("source", sa.Text, nullable=False),
    )
    op.create_table(
        "password_resets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False, index=True),
        sa.Column("token", sa.String(64), nullable=False, unique=True),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(256), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("audit_events")
    op.drop_table("password_resets")
    op.drop_table("policing_bodies")
    with op.batch_alter_table("action_updates") as t:
        t.drop_column("rag")
        t.drop_column("evidence")
    with op.batch_alter_table("actions") as t:
        t.drop_column("body")
        t.drop_column("closed_at")
        t.drop_column("closed_by")
        t.drop_column("rag")
    with op.batch_alter_table("cases") as t:
        t.drop_column("body")
        t.drop_column("approved_at")
        t.drop_column("approved_by")
        t.drop_column("version")
