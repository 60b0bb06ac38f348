"""Interactive API documentation (`/docs`): Swagger UI on /openapi.json, every file of it
served from `static/swagger-ui` (see the README there), nothing from a CDN."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..deps import templates

router = APIRouter()


@router.get("/docs", response_class=HTMLResponse, include_in_schema=False)
def docs_page(request: Request):
    return templates.TemplateResponse(request, "docs.html", {})
