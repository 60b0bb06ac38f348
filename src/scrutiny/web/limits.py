"""What keeps one request from holding up the others: a cap on a request's size; blocking
work (reading and extracting an upload) done off the event loop, a few files at a time; work
stopped when its client has gone (`StopWhenGone`); and a cap on how many of one kind of
request work at once (`Slots`: searches), so that they cannot take every database connection."""
from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import Busy, ClientGone
from ..store.engine import STOP, Stop

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


class StopWhenGone:
    """Stops a request's database work when its client disconnects before the answer: each
    request runs with a `Stop` of its own as the store's current one (`STOP`), requested when
    the server reports the client gone. A statement in progress then ends (SQLite's progress
    handler, PostgreSQL's cancel) and the request gives its connection back at once.

    The server reports a disconnect only to a request that is reading what it is sent, and a
    page reads nothing once its body is in: so this reads it (the body's messages are passed
    on to the app, one at a time, as it asks for them), and goes on reading for the
    disconnect while the app works."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        stop = Stop()
        inbox: asyncio.Queue[Message] = asyncio.Queue(maxsize=1)  # the body is not read ahead of the app
        answered = False
        gone = False

        async def watch() -> None:
            message: Message = {}
            while message.get("type") != "http.disconnect":
                message = await receive()
                if message["type"] == "http.disconnect" and not answered:
                    stop.request()  # (after the answer, the server says "disconnect" to end the request)
                await inbox.put(message)

        async def app_receive() -> Message:
            nonlocal gone
            if gone:
                return {"type": "http.disconnect"}
            message = await inbox.get()
            gone = message["type"] == "http.disconnect"
            return message

        async def app_send(message: Message) -> None:
            nonlocal answered
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                answered = True
            await send(message)

        token = STOP.set(stop)
        watcher = asyncio.ensure_future(watch())
        try:
            await self.app(scope, app_receive, app_send)
        except ClientGone:
            if not stop.requested:
                raise
            # (a download cut short: no one is there to be told)
        finally:
            watcher.cancel()
            STOP.reset(token)


class Slots:
    """At most `size` requests of one kind at once (searches): one more waits for a slot up to
    `wait_ms`, then is refused (503, `Busy`: try again after RETRY_AFTER seconds). Held by the
    event loop, not by a thread: a request waiting takes no worker thread and no connection."""

    POLL_SECONDS = 0.02
    RETRY_AFTER = 2

    def __init__(self, size: int, wait_ms: int, busy: str):
        self._free = threading.BoundedSemaphore(size)  # (not asyncio's: the test client runs a loop per request)
        self.wait = wait_ms / 1000
        self.busy = busy

    @asynccontextmanager
    async def taken(self) -> AsyncIterator[None]:
        until = time.monotonic() + self.wait
        while not self._free.acquire(blocking=False):
            if time.monotonic() >= until:
                raise Busy(self.busy, self.RETRY_AFTER)
            await asyncio.sleep(self.POLL_SECONDS)
        try:
            yield
        finally:
            self._free.release()
