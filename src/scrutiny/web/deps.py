"""What every router shares: the store, templates, a document by id, the day statuses are
judged on, paging, and the shape of a listed page in JSON (its items, counts and facets)."""
from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Optional
from urllib.parse import quote, urlencode

from annotated_types import Interval
from fastapi import Depends, Form, Query, Request
from fastapi.responses import PlainTextResponse, Response, StreamingResponse
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader
from pydantic import AfterValidator, BeforeValidator

from ..errors import NotFound
from ..office import inputs
from ..office.permissions import Account
from ..record.fields import text_problem
from ..record.vocabulary import ResponseStatus
from ..store import MAX_ID, Store, StoredDocument
from ..store.query import MAX_PER_PAGE, Facet, Page
from .auth import requires
from .schemas import Error

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
# The office's documents (the letter's blocks) have one template for their page and their PDF.
templates.env.loader = ChoiceLoader([FileSystemLoader(Path(__file__).parent / "templates"),
                                     PackageLoader("scrutiny.office.render", "templates")])


ERRORS: dict[int | str, dict[str, Any]] = {404: {"model": Error}, 422: {"model": Error}}
BODY_ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": Error, "description": "A body that cannot be parsed"},
                                                413: {"model": Error, "description": "A request over the size limit"}}
# The same for a route whose own answer is not JSON: its errors still are.
CSV_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"description": "Error", "content": {"application/json": {"schema": Error.model_json_schema()}}}
    for status in (404, 422)}


class CSVResponse(PlainTextResponse):
    media_type = "text/csv"


class XLSXResponse(Response):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {**ERRORS, **BODY_ERRORS, 401: {"model": Error}, 403: {"model": Error}}


def errors(*statuses: int) -> dict[int | str, dict]:
    """OpenAPI `responses` for these error statuses, each in the one shape."""
    return {status: {"model": Error} for status in statuses}


def streamed(chunks: Iterator[str], media_type: str, headers: dict[str, str] | None = None) -> StreamingResponse:
    """A download sent as it is made. Its first piece is made before the answer starts, so a
    store that cannot be read gets the one error shape, not a download cut short."""
    first = next(chunks, "")
    return StreamingResponse(itertools.chain([first], chunks), media_type=media_type, headers=headers)


async def get_store(request: Request) -> Store:
    # async: FastAPI runs a plain function dependency in a worker thread, a hop per request
    # for a lookup
    return request.app.state.store


StoreDep = Annotated[Store, Depends(get_store)]
# The signed-in account, by what it may do (401 if signed out, 403 if its role may not):
Reader = Annotated[Account, Depends(requires("read"))]  # any role
Analyst = Annotated[Account, Depends(requires("correct"))]  # uploads, corrections, the statutory choice
Staff = Annotated[Account, Depends(requires("draft"))]  # cases and actions
Approver = Annotated[Account, Depends(requires("publish"))]  # approving and publishing a case
Administrator = Annotated[Account, Depends(requires("manage"))]  # users, the audit log, handovers, the sources


def attachment(filename: str) -> dict[str, str]:
    """Headers offering a download under `filename`, whatever its characters: a header holds
    Latin-1 only, and no quotes or line breaks, so the name goes percent-encoded in filename*
    (RFC 6266), with an ASCII stand-in for clients that know only filename."""
    plain = "".join(c if " " <= c <= "~" and c not in '"\\' else "_" for c in filename)
    return {"Content-Disposition": f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"}


def find_document(store: Store, document_id: int) -> StoredDocument:
    document = store.document(document_id)
    if document is None:
        raise NotFound(f"no document with id {document_id}")
    return document


def _iso_day(value: object) -> object:
    """Only YYYY-MM-DD is a day here: pydantic would also take a number as a timestamp."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    raise ValueError("a date as YYYY-MM-DD")


def _bounded_day(value: dt.date) -> dt.date:
    problem = inputs.day_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _text(value: str) -> str:
    problem = text_problem(value)
    if problem:
        raise ValueError(problem)
    return value


Day = Annotated[dt.date, BeforeValidator(_iso_day)]
# A date someone gives the office (a due date, a deadline): one from 1990 to ten years ahead.
BoundedDay = Annotated[Day, AfterValidator(_bounded_day)]
# Free text someone gives (a note, an explanation, a draft's comments): no control
# characters but tab and line breaks, no lone surrogates (JSON's "\ud800" decodes to one).
Text = Annotated[str, AfterValidator(_text)]
# The same from a form. (As `Text = Form("")` FastAPI drops the check: it goes in Annotated.)
FormText = Annotated[Text, Form()]
# Every id in a path, form or body: a number the store's 32-bit columns can hold, so one over
# 2^63 is a 422 naming it, not a driver's overflow.
Id = Annotated[int, Interval(ge=1, le=MAX_ID)]
Today = Annotated[Optional[Day], Query(description="Judge deadlines as of this day (default: today)")]
PageNumber = Annotated[int, Query(ge=1, le=100_000, description="Which page of results, from 1")]
PerPage = Annotated[int, Query(ge=1, le=MAX_PER_PAGE, description="Results per page")]
Year = Annotated[Optional[int], Query(ge=1990, le=2100)]
Status = Annotated[Optional[str], Query(json_schema_extra={"enum": list(ResponseStatus)},
                                        description="As of `today`: " + ", ".join(ResponseStatus))]


def listed(page: Page, facets: list[Facet], filters: dict[str, Any]) -> dict[str, Any]:
    return {"items": page.items, "total": page.total, "page": page.page, "per_page": page.per_page,
            "pages": page.pages, "facets": facets, "filters": filters}


def url_with(request: Request, **changes: Any) -> str:
    """This page's URL with some query values changed (None removes one). Any change but
    the page's own number starts again at page 1."""
    query = dict(request.query_params)
    if "page" not in changes:
        query.pop("page", None)
    for name, value in changes.items():
        if value is None or value == "":
            query.pop(name, None)
        else:
            query[name] = "yes" if value is True else "no" if value is False else str(value)
    return request.url.path + ("?" + urlencode(query) if query else "")


def twin(request: Request) -> str:
    """The JSON twin of a page: the same path and query under /api (the overview's is /api/overview)."""
    path = "/api/overview" if request.url.path == "/" else "/api" + request.url.path
    return path + ("?" + request.url.query if request.url.query else "")


templates.env.globals.update(url_with=url_with, twin=twin)
