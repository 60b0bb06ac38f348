"""The migration chain: one head, linear, numbered in order, each file named by its revision.
Parallel branches once added two 0002s and two 0004s; Alembic would then refuse to upgrade
to "head" (or silently keep one of two revisions of one number). And on both engines, a store
new or upgraded from 0001 or 0005 names nothing after the letters table of old (0006)."""
from __future__ import annotations

import re
import shutil
import warnings
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from conftest import corpus_files
from legacy import MIGRATIONS, make_0001_store, migrate
from sqlalchemy import create_engine, text

from scrutiny.oversight.ingest import ingest_bytes
from scrutiny.store import Store, engine_url


def chain_problems(location: Path) -> list[str]:
    """What is wrong with the migrations at `location`: more than one head, a branch or merge,
    a gap or repeat in the numbering, a file not named by its revision."""
    problems = []
    files = sorted(p.name for p in (location / "versions").glob("*.py"))
    revisions: dict[str | None, str] = {}
    for path in files:
        found = re.search(r'^revision = "([^"]+)"', (location / "versions" / path).read_text(), re.MULTILINE)
        number = found.group(1) if found else None
        if number in revisions:
            problems.append(f"revision {number} in both {revisions[number]} and {path}")
        revisions[number] = path
        if not path.startswith(f"{number}_"):
            problems.append(f"{path} holds revision {number}")
    expected = [f"{n:04d}" for n in range(1, len(revisions) + 1)]
    if sorted(map(str, revisions)) != expected:
        problems.append(f"revisions {sorted(map(str, revisions))} are not numbered {expected[0]} to {expected[-1]}")
    config = Config()
    config.set_main_option("script_location", str(location))
    script = ScriptDirectory.from_config(config)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a repeated number, reported above
            heads = script.get_heads()
            chain = list(script.walk_revisions())
    except CommandError as exc:
        return [*problems, f"Alembic cannot order the revisions: {exc}"]
    if len(heads) != 1:
        problems.append(f"{len(heads)} heads: {', '.join(sorted(heads))} (renumber one of them after the other)")
    for revision in chain:
        number = revision.revision
        previous = f"{int(number) - 1:04d}" if number.isdigit() and number != "0001" else None
        if revision.down_revision != previous:
            problems.append(f"{number} follows {revision.down_revision!r}, not {previous!r}")
    return problems


def test_the_migration_chain_has_one_head_and_is_linear():
    assert chain_problems(MIGRATIONS) == []


def _copy(tmp_path: Path) -> Path:
    copy = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_two_heads_are_found(tmp_path):
    """Two branches each adding the next number: the check names both."""
    copy = _copy(tmp_path)
    last = sorted((copy / "versions").glob("*.py"))[-1]
    number = re.search(r'^revision = "(\d+)"', last.read_text(), re.MULTILINE).group(1)
    twin = f"{int(number):04d}_twin"
    (copy / "versions" / f"{number}_twin.py").write_text(
        last.read_text().replace(f'revision = "{number}"', f'revision = "{twin}"'))
    problems = chain_problems(copy)
    assert any(p.startswith("2 heads") and twin in p and number in p for p in problems), problems


def test_a_gap_or_a_misnamed_file_is_found(tmp_path):
    copy = _copy(tmp_path)
    [first] = (copy / "versions").glob("0001_*.py")
    first.rename(first.with_name("0009_initial.py"))
    problems = chain_problems(copy)
    assert "0009_initial.py holds revision 0001" in problems, problems


def test_one_number_twice_is_found(tmp_path):
    """Two branches each numbering their migration 0002: Alembic keeps one, so the other is lost."""
    copy = _copy(tmp_path)
    [second] = (copy / "versions").glob("0002_*.py")
    (copy / "versions" / "0002_another.py").write_text(second.read_text())
    problems = chain_problems(copy)
    assert f"revision 0002 in both 0002_another.py and {second.name}" in problems, problems


def leftovers(url: str) -> list[str]:
    """Tables, sequences, indexes and constraints still named after letters (columns such as
    letter_date are about letters, and stay)."""
    engine = create_engine(engine_url(url))
    with engine.connect() as c:
        if engine.dialect.name == "sqlite":
            names = c.execute(text("SELECT name FROM sqlite_master WHERE name LIKE '%letter%'")).scalars().all()
        else:
            names = c.execute(text(
                "SELECT relname FROM pg_class JOIN pg_namespace n ON n.oid = relnamespace "
                "WHERE nspname = 'public' AND relname LIKE '%letter%' "
                "UNION ALL SELECT conname FROM pg_constraint WHERE conname LIKE '%letter%'")).scalars().all()
    engine.dispose()
    return sorted(names)


def _serial_sequence(url: str) -> str | None:
    engine = create_engine(engine_url(url))
    with engine.connect() as c:
        found = (c.execute(text("SELECT pg_get_serial_sequence('documents', 'id')")).scalar()
                 if engine.dialect.name == "postgresql" else None)
    engine.dispose()
    return found


def _old_store(url: str) -> None:
    """A 0001 store of the five sample letters, its id sequences where that release left them."""
    make_0001_store(url, corpus_files(), [(1, "letter_date", "2020-07-07", "2020-04-01")])
    engine = create_engine(engine_url(url))
    if engine.dialect.name == "postgresql":  # the fixture inserts its ids; that release drew them from sequences
        with engine.begin() as c:
            for table in ("letters", "versions", "corrections"):
                c.execute(text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))"))
    engine.dispose()


def _stores_a_new_document(url: str) -> None:
    store = Store(url)
    try:
        added = ingest_bytes(store, corpus_files()[1].read_bytes() + b"\nA later copy.\n", "new.txt", "upload:new.txt")
        assert added.status == "stored" and added.document_id == 6
        assert store.document(1).record["letter_date"]["date"] == "2020-04-01"  # the correction is kept
    finally:
        store.engine.dispose()


def test_a_new_store_names_nothing_after_letters(empty_url):
    Store(empty_url).engine.dispose()
    assert leftovers(empty_url) == []
    assert _serial_sequence(empty_url) in (None, "public.documents_id_seq")


def test_a_store_from_0001_names_nothing_after_letters(empty_url):
    _old_store(empty_url)
    Store(empty_url).engine.dispose()
    assert leftovers(empty_url) == []
    assert _serial_sequence(empty_url) in (None, "public.documents_id_seq")
    _stores_a_new_document(empty_url)


def test_a_store_at_0005_is_renamed_and_renamed_back(empty_url):
    _old_store(empty_url)
    migrate(empty_url, "0005")
    postgres = empty_url.startswith("postgres")
    before = ["corrections_letter_id_fkey", "letters_id_seq", "letters_pkey", "letters_pkey", "letters_source_key_key",
              "letters_source_key_key", "versions_letter_id_fkey"]  # an index and its constraint share a name
    assert leftovers(empty_url) == (before if postgres else [])
    Store(empty_url).engine.dispose()  # upgrades 0005 to the head
    assert leftovers(empty_url) == []
    _stores_a_new_document(empty_url)
    migrate(empty_url, "0005")
    assert leftovers(empty_url) == (before if postgres else [])
    migrate(empty_url, "0006")
    assert leftovers(empty_url) == []
