"""Faster search and listing at national scale (20,000 documents).

PostgreSQL: each version's text-search vector is stored (a generated column) and indexed, so
ranking a common word's thousands of matches reads their vectors instead of parsing every
matching text again (a word in 16,000 of 20,000 documents: 2.5 s a search before). The vector
is kept in the row (storage MAIN), not in the TOAST table: reading it from there for every
match was half the time left. SQLite's full-text index (FTS5) keeps its own.

Both: an index of the current versions by document, so the documents' current versions are
found from it rather than by reading every version's row (on PostgreSQL a partial index of
current versions only; SQLite plans without it, and it costs little there).

Revision ID: 0004
"""
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE versions ADD COLUMN search_vector tsvector "
                   "GENERATED ALWAYS AS (to_tsvector('english', text)) STORED, "
                   "ALTER COLUMN search_vector SET STORAGE MAIN")
        op.execute("CREATE INDEX ix_versions_search_vector ON versions USING gin (search_vector)")
        op.execute("DROP INDEX ix_versions_text_fts")
        op.execute("CREATE INDEX ix_versions_current ON versions (document_id, id) WHERE is_current")
    else:
        op.create_index("ix_versions_current", "versions", ["document_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_versions_current", "versions")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_versions_text_fts ON versions USING gin (to_tsvector('english', text))")
        op.execute("DROP INDEX ix_versions_search_vector")
        op.execute("ALTER TABLE versions DROP COLUMN search_vector")
