"""Reading and extracting untrusted files in worker processes, under time and memory limits.

A parser bug, a hang or a memory bomb in one file must not take down a batch or the web
server. So each file is read and extracted by a worker process whose address space is
capped (`resource.setrlimit`), and whose time on each file is watched from here: a worker
that runs over time is killed, one that dies is noticed, and either way that file gets a
one-line error and a fresh worker takes the files after it.

Workers live as long as their pool, so a batch pays for starting a process once, and each
worker is sent the next few files before it has finished the current one, so it never
waits for this side. `Pool(workers=N)` spreads a batch over N workers; the answers still
come back in the order of the files.
"""
from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any, Self

from ..errors import InputError, NotAResponse, unexpected
from ..limits import Limits

if TYPE_CHECKING:
    from ..catalogue import Report

Result = dict | InputError  # the record (the contract's JSON object), or why the file has none

# A worker is a fresh interpreter, not a fork of this one (a forked web server would copy its
# threads' locks and open connections), started as a plain subprocess rather than through
# multiprocessing, which would import the caller's main script again inside it. Starting
# one takes ~0.15 s, paid once per pool and again only after a worker is killed. A caller
# with no other thread (the CLI's `extract`) may ask for workers forked from it instead
# (`Pool(fork=True)`): they skip the interpreter's start and the imports both share, which
# is half the wait for a single file's record.
_WORKER = "from scrutiny.isolate.worker import serve; serve()"
_START_SECONDS = 60
_AHEAD = 4  # files sent to a worker before its answer to the first is awaited
_UNSENT: Any = object()  # reports not yet sent to a (new) worker


@dataclass(frozen=True)
class Job:
    """One file: `name` names it in errors and its extension gives the format. Without
    `content`, the worker loads the file at path `name` itself. `task`: what to make of it,
    a response's record ("record") or, from one of HMICFRS's pages, its recommendations
    ("recommendations")."""

    name: str
    content: bytes | None = None
    task: str = "record"


class _Forked:
    """A worker forked from this process, with the part of Popen's interface the pool uses."""

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def kill(self) -> None:
        if self.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)

    def wait(self, timeout: float | None = None) -> int:
        """Its exit code (minus the signal that ended it), as Popen.wait gives it."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.returncode is None:
            pid, status = os.waitpid(self.pid, 0 if deadline is None else os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
            elif deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"reader process {self.pid}", timeout or 0)
            else:
                time.sleep(0.01)
        return self.returncode


def _fork(ours: Connection, theirs: Connection) -> _Forked:
    """A worker forked from this process, serving on `theirs`."""
    pid = os.fork()
    if pid:
        return _Forked(pid)
    code = 1
    try:  # the worker: as a subprocess would be, in its own session and its output dropped; and
        # without this side's end of the pipe, so that it sees this side close it
        os.setsid()
        ours.close()
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        from .worker import serve
        serve(theirs)
        code = 0
    finally:
        os._exit(code)  # never this process's exit handlers: they belong to the parent


class _Worker:
    """One worker process and the files sent to it that it has not yet answered."""

    def __init__(self, limits: Limits, fork: bool = False):
        self.limits = limits
        self.fork = fork
        self.process: subprocess.Popen | _Forked | None = None
        self.conn: Connection | None = None
        self.reports: Any = _UNSENT
        self.waiting: deque[tuple[Job, tuple[Report, ...] | None, float]] = deque()  # (job, reports, sent at)
        self.free_at = 0.0  # when it finished its last file (a monotonic clock, shared with the worker)

    def start(self) -> None:
        conn, theirs = multiprocessing.Pipe()
        if self.fork and threading.active_count() == 1:
            self.process = _fork(conn, theirs)
        else:
            # Its own session, so Ctrl+C stops this side, which decides; its output is dropped,
            # so that nothing a crashing parser prints reaches a user.
            self.process = subprocess.Popen([sys.executable, "-c", _WORKER, str(theirs.fileno())],
                                            pass_fds=[theirs.fileno()], start_new_session=True,
                                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL)
        theirs.close()
        conn.send(self.limits)
        if not conn.poll(_START_SECONDS):
            raise RuntimeError(f"the reader process did not start within {_START_SECONDS} s")
        _, self.free_at = conn.recv()
        self.conn, self.reports = conn, _UNSENT

    def stop(self) -> None:
        """End the process (the work it holds is dropped)."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
        if self.conn is not None:
            self.conn.close()
        self.process = self.conn = None
        self.waiting.clear()

    def send(self, job: Job, reports: tuple[Report, ...] | None) -> None:
        if self.conn is None:
            self.start()
        assert self.conn is not None
        try:
            if self.reports is not reports:
                self.conn.send(("reports", reports))
                self.reports = reports
            self.conn.send(("job", job.name, job.content, job.task))
        except OSError:  # it died while idle: send to a new one
            self.restart()
            return self.send(job, reports)
        self.waiting.append((job, reports, time.monotonic()))

    def restart(self) -> None:
        """A new process, sent again whatever the old one had not answered."""
        resend = list(self.waiting)
        self.stop()
        self.start()
        for job, reports, _ in resend:
            self.send(job, reports)

    def answer(self) -> tuple[Job, Result]:
        """The answer for the oldest file sent, waiting at most its time budget for it."""
        assert self.conn is not None and self.process is not None
        job, _, sent = self.waiting.popleft()
        deadline = max(sent, self.free_at) + self.limits.seconds
        try:
            if not self.conn.poll(max(0.0, deadline - time.monotonic())):
                self.restart()
                return job, InputError(job.name, f"took too long; {self.limits.beyond('seconds', ' s')}")
            status, payload, details, self.free_at = self.conn.recv()
        except (EOFError, OSError):  # it died: a parser crashed, or broke the memory cap
            try:
                code = self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                code = 0
            how = signal.Signals(-code).name if code < 0 else f"exit code {code}"
            self.restart()
            return job, InputError(job.name, f"the reader crashed ({how}), perhaps for want of memory; "
                                             f"{self.limits.beyond('memory_mb', ' MB')}")
        if status == "ok":
            return job, payload
        if status == "memory":
            self.restart()
        if status == "bug":
            return job, unexpected(job.name, payload, details)
        if status == "refused":  # read, and not a response: the collector skips it rather than fail it
            return job, NotAResponse(job.name, payload)
        return job, InputError(job.name, payload)


class Pool:
    """Worker processes that read and extract files; one batch at a time (a lock keeps
    threads that share the pool in turn). Workers start on first use: forked from this
    process with `fork=True`, when it has no other thread, else fresh interpreters."""

    def __init__(self, workers: int = 1, limits: Limits | None = None, fork: bool = False):
        """`limits`: the budgets each file is read within; by default, the settings'."""
        if limits is None:  # (imported here: a worker imports this package, and never needs the settings)
            from ..settings import get_settings

            limits = get_settings().limits
        self.limits = limits
        self._workers = [_Worker(self.limits, fork) for _ in range(workers)]
        self._lock = threading.Lock()

    def map(self, jobs: Iterable[Job], reports: tuple[Report, ...] | None = None,
            ) -> Iterator[tuple[Job, Result]]:
        """Each job with its record or its error, in the order given, matching `reports`
        (default: the bundled catalogue)."""
        with self._lock:
            sent: deque[_Worker] = deque()  # the worker of every job not yet answered, oldest first
            try:
                for number, job in enumerate(jobs):
                    worker = self._workers[number % len(self._workers)]
                    # A file's bytes go only to an idle worker: the pipe holds 64 KB, and a
                    # worker stuck on a hang would leave this side stuck sending.
                    while worker.waiting and (len(worker.waiting) >= _AHEAD or job.content is not None):
                        yield sent.popleft().answer()
                    worker.send(job, reports)
                    sent.append(worker)
                while sent:
                    yield sent.popleft().answer()
            finally:
                for worker in self._workers:
                    if worker.waiting:  # the caller stopped early: drop what is still being worked on
                        worker.stop()

    def read(self, name: str, content: bytes | None = None, reports: tuple[Report, ...] | None = None,
             task: str = "record") -> Result:
        """One file's record (or what `task` asks for) or error."""
        [(_, result)] = self.map([Job(name, content, task)], reports)
        return result

    def close(self) -> None:
        with self._lock:
            for worker in self._workers:
                worker.stop()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_shared: Pool | None = None
_shared_lock = threading.Lock()


def shared_pool() -> Pool:
    """The process's own pool of one worker, started on first use (the CLI and the web app)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Pool()
            atexit.register(_shared.close)
        return _shared
