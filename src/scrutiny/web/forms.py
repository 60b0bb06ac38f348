"""A page's filter form sends every field, the empty ones too: an empty field means "any".

Page requests (not /api, whose parameters are typed and checked as given) drop empty query
values before a route reads them, so a page and its JSON twin take the same parameters.
"""
from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send


class EmptyFieldsMeanAny:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        query = scope.get("query_string", b"")
        if scope["type"] == "http" and query and not scope["path"].startswith("/api/"):
            kept = b"&".join(pair for pair in query.split(b"&") if pair.partition(b"=")[2])
            scope = {**scope, "query_string": kept}
        await self.app(scope, receive, send)
