"""Responses, not letters: letters become documents; forces, office holders, the catalogue's
reports and recommendations, responses, answers and initiatives become tables.

Every letter, version, correction, failure and user's report is kept, under the same ids.
The new tables and columns are derived from the stored records and the catalogue; the
store fills them when it next opens (its `meta` table says which derivation it holds).

Revision ID: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def _add_reference(table: str, column: str, target: str) -> None:
    """A nullable integer column with a foreign key, added to an existing table.

    SQLite takes the REFERENCES clause in ADD COLUMN but cannot add a constraint later;
    PostgreSQL adds the column, then the constraint.
    """
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column} {'VARCHAR(128)' if target == 'reports' else 'INTEGER'} "
                   f"REFERENCES {target} (id)")
    else:
        kind = sa.String(128) if target == "reports" else sa.Integer
        op.add_column(table, sa.Column(column, kind, nullable=True))
        op.create_foreign_key(f"fk_{table}_{column}", table, target, [column], ["id"])
    op.create_index(f"ix_{table}_{column}", table, [column])


def _rename_letter_id(table: str) -> None:
    op.drop_index(f"ix_{table}_letter_id", table_name=table)
    op.alter_column(table, "letter_id", new_column_name="document_id")
    op.create_index(f"ix_{table}_document_id", table, ["document_id"])


def upgrade() -> None:
    # Renaming keeps every id; both engines carry the foreign keys of versions and
    # corrections over to the renamed table.
    op.rename_table("letters", "documents")
    _rename_letter_id("versions")
    _rename_letter_id("corrections")
    op.drop_column("versions", "digest")

    op.create_table(
        "meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "forces",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(128), nullable=False, unique=True),
        sa.Column("nation", sa.String(32), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("region", sa.String(64), nullable=False),
        sa.Column("aliases", sa.Text, nullable=False),
    )
    op.create_table(
        "office_holders",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("force_id", sa.Integer, sa.ForeignKey("forces.id"), nullable=False, index=True),
        sa.Column("office", sa.String(64), nullable=False),
        sa.Column("name", sa.String(256), nullable=False),
        sa.Column("started", sa.String(10), nullable=True),
        sa.Column("ended", sa.String(10), nullable=True),
        sa.Column("source", sa.Text, nullable=False),
    )

    # Users' reports stay where they were; the catalogue's join them (origin "catalogue").
    op.add_column("reports", sa.Column("title", sa.Text, nullable=False, server_default=""))
    op.add_column("reports", sa.Column("publisher", sa.String(128), nullable=False, server_default=""))
    op.add_column("reports", sa.Column("published", sa.Date, nullable=True))
    op.add_column("reports", sa.Column("year", sa.Integer, nullable=True))
    op.add_column("reports", sa.Column("deadline", sa.Date, nullable=True))
    op.add_column("reports", sa.Column("kind", sa.String(16), nullable=False, server_default="other"))
    op.add_column("reports", sa.Column("origin", sa.String(16), nullable=False, server_default="user"))
    op.add_column("reports", sa.Column("sources", sa.Text, nullable=False, server_default=""))
    op.create_index("ix_reports_kind", "reports", ["kind"])
    op.create_index("ix_reports_year", "reports", ["year"])
    op.create_index("ix_reports_deadline", "reports", ["deadline"])
    op.create_table(
        "recommendations",
        sa.Column("id", sa.String(160), primary_key=True),
        sa.Column("report_id", sa.String(128), sa.ForeignKey("reports.id"), nullable=False, index=True),
        sa.Column("number", sa.Integer, nullable=True),
        sa.Column("position", sa.Integer, nullable=True),
        sa.Column("wording", sa.Text, nullable=True),
        sa.Column("addressees", sa.Text, nullable=False),
        sa.Column("due", sa.Date, nullable=True),
    )
    op.create_table(
        "report_forces",
        sa.Column("report_id", sa.String(128), sa.ForeignKey("reports.id"), primary_key=True),
        sa.Column("force_id", sa.Integer, sa.ForeignKey("forces.id"), primary_key=True, index=True),
    )
    op.create_table(
        "responses",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("force_id", sa.Integer, sa.ForeignKey("forces.id"), nullable=False, index=True),
        sa.Column("report_id", sa.String(128), sa.ForeignKey("reports.id"), nullable=False, index=True),
        sa.Column("statutory_document_id", sa.Integer, sa.ForeignKey("documents.id"), nullable=True),
        sa.Column("chosen_document_id", sa.Integer, sa.ForeignKey("documents.id"), nullable=True),
        sa.Column("chosen_by", sa.String(128), nullable=True),
        sa.Column("responded", sa.Date, nullable=True),
        sa.Column("date_basis", sa.String(32), nullable=True),
        sa.Column("deadline", sa.Date, nullable=True),
        sa.Column("days_taken", sa.Integer, nullable=True),
        sa.Column("on_time", sa.Boolean, nullable=True, index=True),
        sa.Column("expected", sa.Integer, nullable=True),
        sa.Column("addressed", sa.Integer, nullable=True),
        sa.Column("complete", sa.Boolean, nullable=True),
        sa.Column("documents", sa.Integer, nullable=False),
        sa.UniqueConstraint("force_id", "report_id"),
    )

    _add_reference("documents", "response_id", "responses")
    _add_reference("documents", "force_id", "forces")
    _add_reference("documents", "report_id", "reports")
    for name, kind, default in (("unattached_reason", sa.Text, None), ("kind", sa.String(16), "other"),
                                ("filename", sa.String(512), ""), ("media_type", sa.String(128), ""),
                                ("report_title", sa.Text, None), ("role", sa.String(32), None),
                                ("signatory", sa.String(256), None), ("letter_date", sa.Date, None),
                                ("date", sa.Date, None), ("date_basis", sa.String(32), None),
                                ("year", sa.Integer, None), ("deadline", sa.Date, None),
                                ("days_taken", sa.Integer, None), ("on_time", sa.Boolean, None),
                                ("expected", sa.Integer, None), ("addressed", sa.Integer, None),
                                ("complete", sa.Boolean, None), ("warnings", sa.Integer, "0"),
                                ("verified", sa.Boolean, "0")):
        server_default = sa.false() if name == "verified" else default
        op.add_column("documents", sa.Column(name, kind, nullable=default is None, server_default=server_default))
    op.create_index("ix_documents_kind", "documents", ["kind"])
    op.create_index("ix_documents_year", "documents", ["year"])

    op.create_table(
        "answers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("response_id", sa.Integer, sa.ForeignKey("responses.id"), nullable=False, index=True),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("recommendation_id", sa.String(160), sa.ForeignKey("recommendations.id"), nullable=True,
                  index=True),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), nullable=True, index=True),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("versions.id"), nullable=True),
        sa.Column("addressed", sa.Boolean, nullable=False),
        sa.Column("stance", sa.String(32), nullable=False, index=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("quote", sa.Text, nullable=False),
        sa.Column("evidence", sa.JSON, nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.UniqueConstraint("response_id", "number"),
    )
    op.create_table(
        "initiatives",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), nullable=False, index=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("evidence", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    raise NotImplementedError("0003 is not reversible: restore a backup taken before upgrading")
