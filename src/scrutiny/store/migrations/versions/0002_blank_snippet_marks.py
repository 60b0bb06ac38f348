"""Blank the snippet marks (\\x02, \\x03) in the SQLite search index's copy of letters' text:
search snippets mark matches with them, so a letter holding them showed false marks.

Revision ID: 0002
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":  # PostgreSQL searches versions.text, blanked in the query
        op.execute("UPDATE search_index SET text = replace(replace(text, char(2), ' '), char(3), ' ') "
                   "WHERE instr(text, char(2)) OR instr(text, char(3))")


def downgrade() -> None:
    """Nothing to undo: the marks were never meant to be in the index."""
