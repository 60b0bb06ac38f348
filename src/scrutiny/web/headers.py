"""The headers every response carries (pages, API, static files, errors, redirects): a
Content-Security-Policy that lets a page load only this site's own scripts, styles and
images (no inline script or style, no framing by any site), and the older headers that say
the same to browsers that predate it.

Pages keep to the policy: every script and style is a file under `static/`, and no template
has a `<script>` body, a `<style>` block or a `style="..."` attribute.
"""
from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

POLICY = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
          "frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
HEADERS = {
    "Content-Security-Policy": POLICY,
    "X-Frame-Options": "DENY",  # frame-ancestors, for browsers without CSP level 2
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def secure(headers: MutableHeaders) -> None:
    """Set the headers on a response's, replacing any it had."""
    for name, value in HEADERS.items():
        headers[name] = value


class SecurityHeaders:
    """Adds HEADERS to every HTTP response that passes through it.

    A response made for an unexpected error does not pass through any middleware (Starlette
    answers it outside them all), so the app's handler for it calls `secure` itself."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                secure(MutableHeaders(scope=message))
            await send(message)

        await self.app(scope, receive, send_secured)
