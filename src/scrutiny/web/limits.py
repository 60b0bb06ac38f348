"""What keeps one request from holding up the others: a cap on a request's size, and blocking
work (reading and extracting an upload) done off the event loop, a few files at a time."""
from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

T = TypeVar("T")
UPLOAD_WORKERS = 2  # files read and extracted at once, across all requests

_slots = threading.BoundedSemaphore(UPLOAD_WORKERS)


def megabytes(size: int) -> str:
    return f"{size / 2**20:g} MB"


class RequestSizeLimit:
    """Refuses a request whose body is over `limit` bytes with 413, counting the bytes as they
    arrive: Content-Length may be absent (a chunked body) or wrong.

    The refusal is an HTTPException raised where the app reads the body, so the app's own
    handler gives it the one error shape; nothing of the request has been acted on by then.
    """

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        refused = HTTPException(413, f"request too large: the limit is {megabytes(self.limit)} in all")
        received = 0

        async def counted() -> Message:
            nonlocal received
            if declared.isdigit() and int(declared) > self.limit:  # refused before reading any of it
                raise refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise refused
            return message

        await self.app(scope, counted, send)


async def off_the_loop(function: Callable[..., T], *args: Any) -> T:
    """Call a blocking function on a thread of its own and await the result, so the server
    answers other requests meanwhile; at most UPLOAD_WORKERS such calls run at once.

    A daemon thread: a server told to stop does not wait for a file it is still reading (the
    store writes a file in one transaction, so an abandoned one leaves nothing behind).
    anyio's worker threads are not daemons, and would hold the process until the file is done.
    """
    done: concurrent.futures.Future[T] = concurrent.futures.Future()

    def work() -> None:
        with _slots:
            if not done.set_running_or_notify_cancel():  # the request was given up while waiting
                return
            try:
                done.set_result(function(*args))
            except BaseException as exc:  # noqa: BLE001 - handed to the request that awaits it
                done.set_exception(exc)

    threading.Thread(target=work, name="scrutiny upload", daemon=True).start()
    return await asyncio.wrap_future(done)
