"""The collector's sources (where each policing body publishes) and its memory of each address
it fetched. Sources are bundled (the reference's body sites, refreshed with the catalogue) or
added by a user; a removed source's check log stays, since a figure may rest on it."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import catalogue
from ..errors import InvalidValue, NotFound
from . import Store
from .schema import Fetched, Force, Source, now

MAX_URL = 2048


@dataclass(frozen=True)
class SourceRow:
    id: int
    force_id: int
    force: str
    url: str
    origin: str  # bundled, user
    note: str
    added_by: str
    added_at: dt.datetime


def check_url(url: str) -> str:
    """`url` if the collector may start from it: http or https, a host, no user name or password."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidValue(f"url: an http or https address, not {url!r}")
    if parts.username or parts.password:
        raise InvalidValue("url: an address with a user name or password in it is not collected")
    if len(url) > MAX_URL:
        raise InvalidValue(f"url: at most {MAX_URL} characters")
    return url


def _force_id(s: Session, force: str) -> tuple[int, str]:
    known = catalogue.force_names().get(force) or catalogue.force_names().get(force.strip())
    row = s.execute(select(Force.id, Force.name).where(Force.name == (known or force))).first()
    if row is None:
        raise InvalidValue(f"force: no force named {force!r}")
    return row[0], row[1]


def _row(source: Source, force: str) -> SourceRow:
    return SourceRow(source.id, source.force_id, force, source.url, source.origin, source.note, source.added_by, source.added_at)


def sources(store: Store, force: str | None = None) -> list[SourceRow]:
    """Every source (or one force's), by force and address."""
    with store.session() as s:
        query = select(Source, Force.name).join(Force, Force.id == Source.force_id).order_by(Force.name, Source.url)
        if force:
            query = query.where(Source.force_id == _force_id(s, force)[0])
        return [_row(source, name) for source, name in s.execute(query).tuples()]


def add_source(store: Store, force: str, url: str, note: str, author: str) -> SourceRow:
    """A user's source; the same address for the same force again is refused."""
    url = check_url(url)
    with store.transaction() as s:
        force_id, name = _force_id(s, force)
        if s.scalar(select(Source.id).where(Source.force_id == force_id, Source.url == url)) is not None:
            raise InvalidValue(f"url: {url} is already a source for {name}")
        source = Source(force_id=force_id, url=url, origin="user", note=note.strip(), added_by=author, added_at=now())
        s.add(source)
        s.flush()
        return _row(source, name)


def remove_source(store: Store, source_id: int) -> SourceRow:
    """Remove a source (its check log stays). A bundled one comes back when the reference changes."""
    with store.transaction() as s:
        found = s.execute(select(Source, Force.name).join(Force, Force.id == Source.force_id)
                          .where(Source.id == source_id)).tuples().first()
        if found is None:
            raise NotFound(f"no source with id {source_id}")
        s.delete(found[0])
        return _row(*found)


def force_ids(store: Store, names: Iterable[str]) -> dict[str, tuple[int, str]]:
    """Each name (a force or an alias) as (force id, force name); a name that is none is an error."""
    with store.session() as s:
        return {name: _force_id(s, name) for name in set(names)}


def fetched(store: Store, urls: Iterable[str]) -> dict[str, Fetched]:
    """What is known of these addresses from earlier fetches."""
    wanted = set(urls)
    if not wanted:
        return {}
    with store.session() as s:
        return {f.url: f for f in s.scalars(select(Fetched).where(Fetched.url.in_(wanted)))}


def remember(s: Session, url: str, **values: object) -> None:
    """Keep what a fetch of `url` found, within the caller's transaction; the first time it is
    seen is kept from its first row."""
    row = s.get(Fetched, url)
    if row is None:
        row = Fetched(url=url, first_seen=values.get("last_seen") or now(), note="")
        s.add(row)
    for name, value in values.items():
        setattr(row, name, value)
