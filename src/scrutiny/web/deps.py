"""Dependencies shared by the API and the pages: the store, a document by id, templates, the error shape."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import Request
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel

from ..errors import NotFound
from ..store import Store, StoredDocument

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


class Error(BaseModel):
    """The one error shape of the JSON API."""

    ok: bool = False
    status: int
    error: str


def errors(*statuses: int) -> dict[int | str, dict]:
    """OpenAPI `responses` for these error statuses, each in the one shape."""
    return {status: {"model": Error} for status in statuses}


def get_store(request: Request) -> Store:
    return request.app.state.store


def attachment(filename: str) -> dict[str, str]:
    """Headers offering a download under `filename`, whatever its characters: a header holds
    Latin-1 only, and no quotes or line breaks, so the name goes percent-encoded in filename*
    (RFC 6266), with an ASCII stand-in for clients that know only filename."""
    plain = "".join(c if " " <= c <= "~" and c not in '"\\' else "_" for c in filename)
    return {"Content-Disposition": f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"}


def find_letter(store: Store, letter_id: int) -> StoredDocument:
    letter = store.document(letter_id)
    if letter is None:
        raise NotFound(f"no letter with id {letter_id}")
    return letter
