"""The database engine: which URL means which database, the settings each connection needs,
the one write lock that makes writers take turns across processes, and how work is stopped.

SQLite is opened in WAL mode (reads never wait for a write) and every write transaction
begins IMMEDIATE; PostgreSQL writes take one advisory lock. Either way a write waits up to
WRITE_WAIT_SECONDS for the one before it.

Work is stopped two ways: by a `Deadline` (a search's time limit), and by a `Stop` (the web
app's, for a request whose client has gone): every connection taken while a Stop is current
(`STOP`) stops its statement when the Stop is requested, and runs no other.
"""
from __future__ import annotations

import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session

from ..errors import ClientGone, InvalidValue, NotFound, StoreError
from ..settings import get_settings

WRITE_WAIT_SECONDS = 60  # how long a write waits for another process's write to end, then fails
WRITE_LOCK = 5_500_055  # PostgreSQL advisory lock taken by every write (any fixed number)


def default_url() -> str:
    return get_settings().database_url


def engine_url(url: str) -> str:
    """A plain postgresql:// URL means psycopg 3 (the driver installed), not psycopg2; a path
    with no scheme (`scrutiny.db`), a SQLite file, as sqlite-utils and datasette take it."""
    if "://" not in url and not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", url):  # 'postgres:db' is a mistyped URL
        return "sqlite:///" + url
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def open_engine(url: str, create: bool) -> Engine:
    """The engine for `url`, its connections set up. With `create=False`, a SQLite file that
    is not there is an error rather than a new, empty database."""
    try:
        engine = create_engine(engine_url(url))
    except (ArgumentError, NoSuchModuleError):
        raise StoreError(f"{url}: not a database URL (sqlite:///file.db or postgresql://...)") from None
    except ImportError as exc:  # a dialect SQLAlchemy knows, without its driver (mysql://)
        raise StoreError(f"{url}: no driver for this database ({exc.name}); "
                         "Scrutiny works with sqlite:/// and postgresql:// URLs") from None
    database = engine.url.database
    if not create and engine.dialect.name == "sqlite" and database and not Path(database).is_file():
        raise NotFound(f"{url}: no such database file (ingest letters into it first, or check --db)")
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        event.listen(engine, "before_cursor_execute", _without_nul, retval=True)
    event.listen(engine, "checkout", _taken)
    event.listen(engine, "reset", _reset)
    event.listen(engine, "checkin", _given_back)
    event.listen(engine, "before_cursor_execute", _unless_stopped)
    event.listen(engine, "handle_error", _stopped_error)
    return engine


def lock_for_writing(connection: Connection) -> None:
    """Wait (up to WRITE_WAIT_SECONDS) for, then hold until the transaction ends, the store's one
    write lock: SQLite's own (BEGIN IMMEDIATE), or a PostgreSQL advisory lock."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{WRITE_WAIT_SECONDS}s'")
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})


PROGRESS_STEPS = 1_000  # SQLite's virtual machine instructions between two looks at the clock (~0.1 ms)
QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement stopped by statement_timeout


GONE = "the client went away: its request was stopped"


class Stop:
    """A request's work to be stopped, once `request()` is called (from any thread: the web
    app calls it when the request's client has gone).

    Every connection taken from the pool while this Stop is `STOP`'s value is watched until it
    goes back: on SQLite by the progress handler (the statement stops within PROGRESS_STEPS
    steps of its virtual machine), on PostgreSQL by a cancel request sent to its server. Once
    requested, no statement starts (`ClientGone`)."""

    def __init__(self) -> None:
        self.requested = False
        self._lock = threading.Lock()  # a connection is not given back while its statement is being cancelled
        self._postgresql: set[Any] = set()

    def request(self) -> None:
        """Stop the work; returns at once (a PostgreSQL cancel is sent from a thread of its own)."""
        self.requested = True
        if self._postgresql:
            threading.Thread(target=self._cancel, name="scrutiny cancel", daemon=True).start()

    def _cancel(self) -> None:
        with self._lock:
            for connection in list(self._postgresql):
                try:
                    connection.cancel_safe(timeout=5)
                except Exception:  # noqa: BLE001 - a server that cannot be told: the statement ends by itself
                    pass

    def watch(self, connection: Any) -> None:
        if isinstance(connection, sqlite3.Connection):
            connection.set_progress_handler(lambda: 1 if self.requested else 0, PROGRESS_STEPS)
            return
        with self._lock:
            self._postgresql.add(connection)

    def release(self, connection: Any) -> None:
        if isinstance(connection, sqlite3.Connection):
            connection.set_progress_handler(None, 0)
            return
        with self._lock:
            self._postgresql.discard(connection)


# The Stop of the work in hand (the web app sets it for each request; none elsewhere). A
# context variable, so it follows the request into the worker threads that run its routes.
STOP: ContextVar[Stop | None] = ContextVar("scrutiny_stop", default=None)


def _taken(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    stop = STOP.get()
    if stop is not None:
        record.info["stop"] = stop
        stop.watch(dbapi_connection)


def _given_back(dbapi_connection: Any, record: Any) -> None:
    stop = record.info.pop("stop", None)
    if stop is not None and dbapi_connection is not None:
        stop.release(dbapi_connection)


def _reset(dbapi_connection: Any, record: Any, _state: Any) -> None:
    """Before the rollback that readies a connection for its next user: let go of it, so that
    neither the rollback nor that next user is stopped."""
    _given_back(dbapi_connection, record)


def _unless_stopped(*_: Any) -> None:
    stop = STOP.get()
    if stop is not None and stop.requested:
        raise ClientGone(GONE)


def _stopped_error(context: Any) -> None:
    """A statement stopped by the current Stop raises ClientGone, not the driver's error."""
    stop = STOP.get()
    if stop is not None and stop.requested:
        raise ClientGone(GONE) from None


class Deadline:
    """The moment a piece of work must stop by, `ms` milliseconds from its start; past it,
    the work raises InvalidValue(`too_long`) (a 422: the request asks too much, the server is
    fine). The current Stop, requested, stops it too (ClientGone)."""

    def __init__(self, ms: int, too_long: str):
        self.ms = ms
        self.end = time.monotonic() + ms / 1000
        self.too_long = too_long
        self.stop = STOP.get()

    def passed(self) -> bool:
        return time.monotonic() > self.end or (self.stop is not None and self.stop.requested)

    def error(self) -> Exception:
        """What the work raises when it is stopped."""
        return ClientGone(GONE) if self.stop is not None and self.stop.requested else InvalidValue(self.too_long)

    def check(self) -> None:
        """Between two statements: stop here if the time is up."""
        if self.passed():
            raise self.error()

    def watch(self, connection: sqlite3.Connection) -> None:
        """Stop this SQLite connection's statement once the deadline has passed (it raises
        OperationalError 'interrupted'): datasette's sql_time_limit_ms, through the progress
        handler. (It runs between the virtual machine's steps: one call of an FTS5 function
        is one step, however long, which is why what a search asks of FTS5 is kept small.)"""
        connection.set_progress_handler(lambda: 1 if self.passed() else 0, PROGRESS_STEPS)

    def interrupted(self, exc: Exception) -> bool:
        """Whether `exc` (raised by a statement) is this time limit stopping it."""
        orig = getattr(exc, "orig", exc)
        return "interrupted" in str(orig) or getattr(orig, "sqlstate", None) == QUERY_CANCELED


@contextmanager
def time_limit(s: Session, deadline: Deadline) -> Iterator[None]:
    """Every statement `s` runs in the block stops once `deadline` has passed, and the block
    raises InvalidValue(`deadline.too_long`).

    SQLite's deadline is the block's as a whole; PostgreSQL's `statement_timeout` is set once
    for the rest of the transaction, so there a statement may take the whole limit (the block
    calls `deadline.check()` between statements, so the whole takes at most twice the limit)."""
    connection = s.connection()
    raw = connection.connection.driver_connection
    if isinstance(raw, sqlite3.Connection):
        deadline.watch(raw)
    else:
        connection.exec_driver_sql(f"SET LOCAL statement_timeout = {max(1, deadline.ms)}")
    try:
        yield
    except OperationalError as exc:
        if deadline.interrupted(exc):
            raise deadline.error() from None
        raise
    finally:
        if isinstance(raw, sqlite3.Connection):  # back to the request's own watch, if any
            if deadline.stop is not None:
                deadline.stop.watch(raw)
            else:
                raw.set_progress_handler(None, 0)


def _without_nul(_connection, _cursor, statement, parameters, _context, _executemany):
    """PostgreSQL text cannot hold NUL, and a NUL in a filter or a name means nothing: it is
    dropped from every text parameter rather than failing the query."""
    def clean(params):
        if isinstance(params, dict):
            return {k: v.replace("\x00", "") if isinstance(v, str) else v for k, v in params.items()}
        return params
    if isinstance(parameters, (list, tuple)) and parameters and isinstance(parameters[0], dict):
        return statement, [clean(p) for p in parameters]
    return statement, clean(parameters)


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={WRITE_WAIT_SECONDS * 1000}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def write_ahead_log(engine: Engine) -> None:
    """Put a SQLite file in WAL mode (so reads never wait for a write), once: the mode is kept
    in the file. Turning a new file to WAL needs it to oneself, and SQLite refuses at once,
    without waiting, when another process is making the same file (two opening a new store
    together): so the refusal is retried, up to WRITE_WAIT_SECONDS. A file in WAL already
    answers at once."""
    deadline = time.monotonic() + WRITE_WAIT_SECONDS
    pause = 0.005
    while True:
        try:
            with engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")
            return
        except OperationalError as exc:
            if "locked" not in str(exc.orig) or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.25)
