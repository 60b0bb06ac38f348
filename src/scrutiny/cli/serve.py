"""`scrutiny serve`: the web app, on a socket bound before anything else is opened."""
from __future__ import annotations

import errno
import socket
import threading

import click

from ..errors import InvalidValue
from .app import app
from .output import (
    db_option,
    open_store,
    say,
    settings,
)


def _listen(host: str, port: int) -> socket.socket:
    """A socket bound to host:port, or one line saying why it cannot be."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise InvalidValue(f"--host {host}: {exc.strerror}") from None
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: a restart need not wait
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise InvalidValue(f"{host}:{port} is already in use (is Scrutiny running there already?); "
                               "choose another --port") from None
        raise InvalidValue(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    return sock


@app.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (this machine only).")
@click.option("--port", type=click.IntRange(1, 65535), default=8055, show_default=True, help="Port to listen on.")
def serve(db: str | None, host: str, port: int) -> None:
    """Start the web app and JSON API."""
    import uvicorn

    from ..web import create_app

    configured = settings()
    sock = _listen(host, port)  # first: a port in use is said at once, before the store is opened
    application = create_app(open_store(db, create=True), configured)  # makes the session key file on first use
    url = f"http://{f'[{host}]' if ':' in host else host}:{port}/"

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if self.started:  # said only now that requests are answered
                say(f"Scrutiny is running at {url}  (Ctrl+C to stop)")

    # On Ctrl+C or SIGTERM, requests in progress get 5 seconds to finish, then are cut off: an
    # upload still being read is abandoned, and stores nothing. X-Forwarded-For is believed only
    # from the proxies named (uvicorn's own default believes any process on this machine), so a
    # client cannot pass itself off as many addresses to get past the sign-in limit per address.
    trusted = list(configured.trusted_proxies)
    stop = threading.Event()
    if configured.collect_every_hours:  # collection on a schedule, in a thread of this process
        from ..collect import every, user_agent

        user_agent(configured)  # no contact is said now, not hours later in a log
        every(application.state.store, configured, stop)
        say(f"collecting from every source each {configured.collect_every_hours:g} hours (SCRUTINY_COLLECT_EVERY_HOURS)")
    try:
        Server(uvicorn.Config(application, log_level="warning", timeout_graceful_shutdown=5,
                              proxy_headers=bool(trusted), forwarded_allow_ips=trusted)).run(sockets=[sock])
    finally:
        stop.set()

