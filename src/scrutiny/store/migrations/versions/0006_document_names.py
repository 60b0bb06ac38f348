"""PostgreSQL names after documents: 0003 renamed the table letters to documents, and its
columns letter_id to document_id, but PostgreSQL keeps the names it gave their sequence and
constraints (letters_id_seq, letters_pkey, versions_letter_id_fkey, ...). They are renamed to
those a new table would get. SQLite names none of them; nothing changes there.

Revision ID: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SEQUENCES = [("letters_id_seq", "documents_id_seq")]
# (table, the name 0003 left, the name PostgreSQL gives a table made as documents)
CONSTRAINTS = [
    ("documents", "letters_pkey", "documents_pkey"),
    ("documents", "letters_source_key_key", "documents_source_key_key"),
    ("versions", "versions_letter_id_fkey", "versions_document_id_fkey"),
    ("corrections", "corrections_letter_id_fkey", "corrections_document_id_fkey"),
]


def _rename(sequences: list[tuple[str, str]], constraints: list[tuple[str, str, str]]) -> None:
    """Rename those that have the old name (a store made otherwise may not)."""
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return
    for old, new in sequences:
        if connection.scalar(sa.text("SELECT to_regclass(:name)"), {"name": old}) is not None:
            op.execute(f'ALTER SEQUENCE "{old}" RENAME TO "{new}"')
    for table, old, new in constraints:
        found = connection.scalar(sa.text(
            "SELECT 1 FROM pg_constraint WHERE conname = :name AND conrelid = to_regclass(:table)"),
            {"name": old, "table": table})
        if found:
            op.execute(f'ALTER TABLE "{table}" RENAME CONSTRAINT "{old}" TO "{new}"')


def upgrade() -> None:
    _rename(SEQUENCES, CONSTRAINTS)


def downgrade() -> None:
    _rename([(new, old) for old, new in SEQUENCES], [(table, new, old) for table, old, new in CONSTRAINTS])
