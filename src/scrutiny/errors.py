"""The one family of domain errors. Each says what went wrong in one line a user can act on;
the CLI prints it and exits non-zero, the web app maps `status` to its one error shape."""
from __future__ import annotations

import logging

log = logging.getLogger("scrutiny")


class ScrutinyError(Exception):
    """Base of every error Scrutiny raises on purpose; `status` is the HTTP status it maps to."""

    status = 500


class InputError(ScrutinyError):
    """A file that cannot be read or is not a response; names the file and the problem."""

    status = 422

    def __init__(self, path: str, problem: str):
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class NotAResponse(InputError):
    """The file reads, but it is not a response to an inspection report (the extractor refuses it)."""


class NotFound(ScrutinyError):
    """No such thing in the store: a document, a report, a force, a response."""

    status = 404


class InvalidValue(ScrutinyError):
    """A value a user gave that cannot be accepted (a correction, a filter, a choice)."""

    status = 422


class StoreError(ScrutinyError):
    """The database cannot be opened or used (unreachable server, unknown URL scheme)."""

    status = 503


class NotSignedIn(ScrutinyError):
    """No valid session (none, expired, or its user disabled), or a wrong password."""

    status = 401


class Forbidden(ScrutinyError):
    """Signed in, but the user's role or force does not allow this."""

    status = 403


class Conflict(ScrutinyError):
    """The thing is not in a state that allows this (a published case edited, a case opened twice)."""

    status = 409


class Busy(ScrutinyError):
    """The server is doing as much of this kind of work as it takes at once; try again in
    `retry_after` seconds (sent as Retry-After)."""

    status = 503

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class ClientGone(ScrutinyError):
    """The client went away before its answer was ready, and the work for it was stopped: an
    answer no one reads (499, as nginx logs a client that closed its request)."""

    status = 499


class TooManyAttempts(ScrutinyError):
    """Too many failed sign-ins; try again later."""

    status = 429
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
