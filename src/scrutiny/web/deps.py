"""Dependencies shared by the API and the pages: the store, a document by id, templates."""
from __future__ import annotations

from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates

from ..errors import NotFound
from ..store import Store, StoredDocument

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


def get_store(request: Request) -> Store:
    return request.app.state.store


def find_letter(store: Store, letter_id: int) -> StoredDocument:
    letter = store.document(letter_id)
    if letter is None:
        raise NotFound(f"no letter with id {letter_id}")
    return letter
