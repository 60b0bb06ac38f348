"""Shared fixtures: the corpus, the gold file, and stores on both real database engines."""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).parent))
os.environ.setdefault("COLUMNS", "250")  # rich tables in CLI output: wide enough not to wrap values
# The session key file made on first use goes to a folder of this run's, not the user's home.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="scrutiny-tests-")

from scrutiny.oversight import open_store

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "letters" if (SHARED / "corpus" / "letters").is_dir() else ROOT / "src/scrutiny/samples"
GOLD = SHARED / "gold" / "seeds.jsonl"
SCHEMA = SHARED / "contract" / "extraction.schema.json"
PG_URL = os.environ.get("SCRUTINY_TEST_PG_URL")


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.txt"))


def _postgres_database(template: str | None = None) -> str:
    """The URL of a fresh database of its own on the test server: empty, or a copy of the
    database `template` (a URL)."""
    name = f"scrutiny_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f"CREATE DATABASE {name}" + (f" TEMPLATE {template.rsplit('/', 1)[1]}" if template else "")))
    admin.dispose()
    return PG_URL.rsplit("/", 1)[0] + "/" + name


def _drop_postgres_database(url: str) -> None:
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)"))
    admin.dispose()


def _need_postgres() -> None:
    if not PG_URL:
        if os.environ.get("CI"):
            pytest.fail("SCRUTINY_TEST_PG_URL is not set in CI")
        pytest.skip("no PostgreSQL server (set SCRUTINY_TEST_PG_URL)")


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path):
    """The URL of an empty database (no tables yet) on SQLite, and on PostgreSQL as `store` says."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    _need_postgres()
    url = _postgres_database()
    yield url
    _drop_postgres_database(url)


@pytest.fixture(scope="session")
def new_sqlite_store(tmp_path_factory) -> Path:
    """A new SQLite store, opened once per run (and per test worker): each test's store is a
    copy of it, since opening a store from nothing (its migrations, the catalogue) takes a
    second or two, and a copy a few milliseconds."""
    path = tmp_path_factory.mktemp("new-store") / "store.db"
    open_store(f"sqlite:///{path}").engine.dispose()
    assert not path.with_name(path.name + "-wal").exists()  # (all of it in the one file copied)
    return path


@pytest.fixture(scope="session")
def new_postgres_store() -> Iterator[str]:
    """`new_sqlite_store` on PostgreSQL: the URL of a database each test's copies."""
    _need_postgres()
    url = _postgres_database()
    open_store(url).engine.dispose()  # (no connection left open: a template is copied alone)
    yield url
    _drop_postgres_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """The URL of a new store of its own (a copy of a new store's), on each engine as `store` says."""
    if request.param == "sqlite":
        shutil.copy(request.getfixturevalue("new_sqlite_store"), tmp_path / "test.db")
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    _need_postgres()
    url = _postgres_database(template=request.getfixturevalue("new_postgres_store"))
    yield url
    _drop_postgres_database(url)


@pytest.fixture
def store(store_url):
    """A fresh store on SQLite, and on PostgreSQL where SCRUTINY_TEST_PG_URL points at a server.

    In CI (CI=1) a missing PostgreSQL is a failure, not a skip: both engines must be tested.
    """
    s = open_store(store_url)
    yield s
    s.engine.dispose()
