"""Every option Scrutiny has, in one place. Each is read from the environment (the name is
given beside it) and may be overridden where a command takes it as an option (`--db`).
The README's "Settings" table lists the same options; keep the two in step."""
from __future__ import annotations

import os
from dataclasses import dataclass

from .errors import InvalidValue

DEFAULT_DATABASE_URL = "sqlite:///scrutiny.db"
DEFAULT_MAX_UPLOAD_MB = 20
DEFAULT_MAX_REQUEST_MB = 64


def _megabytes(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default * 2**20
    try:
        value = float(raw)
    except ValueError:
        raise InvalidValue(f"{name}: a number of megabytes, not {raw!r}") from None
    if value <= 0:
        raise InvalidValue(f"{name}: must be more than 0 MB")
    return int(value * 2**20)


@dataclass(frozen=True)
class Settings:
    # SCRUTINY_DB: where the store lives: sqlite:///path.db, or postgresql://user@host/db.
    database_url: str = DEFAULT_DATABASE_URL
    # SCRUTINY_MAX_UPLOAD_MB: the largest file the web app accepts in an upload.
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_MB * 2**20
    # SCRUTINY_MAX_REQUEST_MB: the largest request the web app reads, all its files together.
    max_request_bytes: int = DEFAULT_MAX_REQUEST_MB * 2**20

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=os.environ.get("SCRUTINY_DB") or DEFAULT_DATABASE_URL,
            max_upload_bytes=_megabytes("SCRUTINY_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB),
            max_request_bytes=_megabytes("SCRUTINY_MAX_REQUEST_MB", DEFAULT_MAX_REQUEST_MB),
        )
