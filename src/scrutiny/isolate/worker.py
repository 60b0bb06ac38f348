"""A worker process's side of isolate.py: read and extract each file the parent sends.

Its own module, so the parent (the CLI, the web app) never imports the readers or the
extractor: it starts faster, and no parser runs in it.
"""
from __future__ import annotations

import resource
import sys
import time
import traceback
from multiprocessing.connection import Connection
from typing import Any

from .. import catalogue
from ..catalogue import Report
from ..errors import InputError, NotAResponse, summarise
from ..extract import extract, hmicfrs
from ..limits import Limits
from ..read import read_bytes, read_path


def serve(conn: Connection | None = None) -> None:
    """A worker's life: read and extract each file sent, answer, until the pipe closes.

    It talks over `conn`, or else the socket whose descriptor is its one argument; its first
    message is the limits to keep.
    """
    conn = conn or Connection(int(sys.argv[1]))
    limits: Limits = conn.recv()
    cap = limits.memory_mb << 20
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a parser that aborts leaves no core file
    catalogue.reports()  # loaded before the first file's time starts
    conn.send(("ready", time.monotonic()))
    reports: tuple[Report, ...] | None = None
    while True:
        try:
            kind, *message = conn.recv()
        except EOFError:
            return
        if kind == "reports":
            reports = message[0]
            continue
        name, content, task = message
        # The parent kills a file that runs over time; should the parent be gone, the kernel
        # stops a file that runs on past twice that in CPU time.
        used = resource.getrusage(resource.RUSAGE_SELF)
        stop_at = int(used.ru_utime + used.ru_stime + 2 * limits.seconds) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (stop_at, resource.RLIM_INFINITY))
        answer = _attempt(name, content, reports, limits, task)
        conn.send((*answer, time.monotonic()))
        if answer[0] == "memory":
            return  # a MemoryError can leave any library half-way: start afresh


def _attempt(name: str, content: bytes | None, reports: tuple[Report, ...] | None,
             limits: Limits, task: str = "record") -> tuple[str, Any, str]:
    """(status, record or problem, traceback) for one file."""
    try:
        document = read_path(name, limits) if content is None else read_bytes(content, name, limits)
        if task == "recommendations":
            return "ok", hmicfrs.parse(document).to_dict(), ""
        return "ok", extract(document, reports).to_dict(), ""
    except NotAResponse as exc:
        return "refused", exc.problem, ""
    except InputError as exc:
        return "failed", exc.problem, ""
    except MemoryError:
        return "memory", f"needs more memory than allowed; {limits.beyond('memory_mb', ' MB')}", ""
    except Exception as exc:  # noqa: BLE001 - a bug, ours or a parser's: this file's error, and the batch goes on
        return "bug", summarise(exc), traceback.format_exc()
