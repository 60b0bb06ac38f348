"""The web application: server-rendered pages, each with its JSON twin under /api.

`create_app(store)` builds the FastAPI app from one router per resource (overview, reports,
forces, documents, responses, review, search, uploads, docs, and the office's); each serves a
page and its JSON from one call, and none imports another. Every asset is served from `static/`, nothing comes from a
CDN. Errors are mapped once, here: on /api to one JSON shape, {"ok": false, "status": ...,
"error": ...}; on pages to a page saying the same in words.
"""
from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import ScrutinyError
from ..settings import Settings, get_settings
from ..store import Store
from . import auth
from .deps import templates
from .forms import EmptyFieldsMeanAny
from .headers import SecurityHeaders, secure
from .limits import RequestSizeLimit
from .routes import (
    accessibility,
    actions,
    admin,
    cases,
    docs,
    documents,
    due,
    forces,
    login,
    overview,
    recommendations,
    reports,
    responses,
    review,
    search,
    sources,
    uploads,
)

HERE = Path(__file__).parent


def create_app(store: Store, settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    # FastAPI's own /docs and /redoc load their scripts from a CDN; ours (web/docs.py) serves
    # Swagger UI from static/. The OpenAPI document is at /openapi.json.
    app = FastAPI(title="Scrutiny", version="0.1.0", docs_url=None, redoc_url=None,
                  description="Section 55 responses to HMICFRS inspection reports: compliance, evidence, search.")
    app.state.store = store
    app.state.max_upload_bytes = settings.max_upload_bytes
    app.add_middleware(RequestSizeLimit, limit=settings.max_request_bytes)
    app.add_middleware(EmptyFieldsMeanAny)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.state.settings = settings
    csrf = [Depends(auth.csrf_protect)]  # every write, on every router
    for module in (overview, reports, recommendations, responses, forces, documents, review, search, uploads, docs, login,
                   cases, actions, due, sources, accessibility, admin):
        app.include_router(module.router, dependencies=csrf)
    app.include_router(documents.moved)
    auth.install(app, settings)
    app.add_middleware(SecurityHeaders)  # added last, so outermost: the sign-in redirects and refusals get them too

    def error(request: Request, status: int, message: str):
        if status == 401 and request.method == "GET" and not request.url.path.startswith("/api/"):
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"ok": False, "status": status, "error": message}, status_code=status)
        return templates.TemplateResponse(request, "error.html", {"status": status, "message": message},
                                          status_code=status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return error(request, exc.status_code, str(exc.detail))

    @app.exception_handler(ScrutinyError)
    async def domain_error(request: Request, exc: ScrutinyError):
        return error(request, exc.status, str(exc))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:]) or e['loc'][0]}: {e['msg']}" for e in exc.errors())
        return error(request, 422, problems)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):  # never a stack trace to the client
        response = error(request, 500, "internal error")
        secure(response.headers)
        return response

    return app
