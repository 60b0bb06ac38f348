"""Errors about a user's input; each names the file and the problem in one line."""
from __future__ import annotations

import logging

log = logging.getLogger("scrutiny")


class InputError(Exception):
    def __init__(self, path: str, problem: str):
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


def summarise(exc: BaseException) -> str:
    """An exception as a short line: its type and the start of its message."""
    message = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {message[:200]}" if message else type(exc).__name__


def unexpected(path: str, summary: str, details: str) -> InputError:
    """An exception nobody planned for while handling one file, as that file's one-line error.

    Developers get the traceback (`details`) in the log; users get one line, and the batch
    goes on with the next file.
    """
    log.error("%s: unexpected %s\n%s", path, summary, details)
    return InputError(path, f"internal error ({summary}); the traceback is logged")
