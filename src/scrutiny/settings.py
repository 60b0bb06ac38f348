"""Every option Scrutiny has, in one place. Each is read from the environment (the name is
given beside it) and may be overridden where a command takes it as an option (`--db`).
The README's "Settings" table lists the same options; keep the two in step."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from .errors import InvalidValue

DEFAULT_DATABASE_URL = "sqlite:///scrutiny.db"
DEFAULT_MAX_UPLOAD_MB = 20
DEFAULT_SESSION_HOURS = 8.0
DEFAULT_MAX_REQUEST_MB = 64


def _positive(name: str, default: float, unit: str) -> float:
    """A positive number of `unit` from the environment variable `name`, else `default`."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        raise InvalidValue(f"{name}: a number of {unit}, not {raw!r}") from None
    if value <= 0:
        raise InvalidValue(f"{name}: must be more than 0 {unit}")
    return value


def _megabytes(name: str, default: int) -> int:
    return int(_positive(name, default, "MB") * 2**20)


def _flag(name: str) -> bool:
    raw = (os.environ.get(name) or "").strip().lower()
    if raw in ("", "0", "no", "false", "off"):
        return False
    if raw in ("1", "yes", "true", "on"):
        return True
    raise InvalidValue(f"{name}: yes or no, not {raw!r}")


def default_secret_file() -> str:
    """Outside any checkout, so the key never lands in a repository."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return str(Path(base) / "scrutiny" / "secret-key")


def cache_folder() -> Path:
    """Where Scrutiny keeps what it can remake (the parsed catalogue): any of it may be deleted."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "scrutiny"


@dataclass(frozen=True)
class Settings:
    # SCRUTINY_DB: where the store lives: sqlite:///path.db, or postgresql://user@host/db.
    database_url: str = DEFAULT_DATABASE_URL
    # SCRUTINY_MAX_UPLOAD_MB: the largest file the web app accepts in an upload.
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_MB * 2**20
    # SCRUTINY_SECRET_KEY: signs session cookies. Unset: the key in `secret_file`, made on first use.
    secret_key: str | None = None
    # SCRUTINY_SECRET_FILE: where the generated key is kept (mode 0600).
    secret_file: str = ""
    # SCRUTINY_SESSION_HOURS: a sign-in lasts this long, then the user signs in again.
    session_hours: float = DEFAULT_SESSION_HOURS
    # SCRUTINY_READ_REQUIRES_LOGIN: an internal deployment; unset, published material is public.
    read_requires_login: bool = False
    # SCRUTINY_SECURE_COOKIES: mark the session cookie Secure (set it when served over HTTPS).
    secure_cookies: bool = False
    # SCRUTINY_MAX_REQUEST_MB: the largest request the web app reads, all its files together.
    max_request_bytes: int = DEFAULT_MAX_REQUEST_MB * 2**20

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=os.environ.get("SCRUTINY_DB") or DEFAULT_DATABASE_URL,
            max_upload_bytes=_megabytes("SCRUTINY_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB),
            secret_key=os.environ.get("SCRUTINY_SECRET_KEY") or None,
            secret_file=os.environ.get("SCRUTINY_SECRET_FILE") or default_secret_file(),
            session_hours=_positive("SCRUTINY_SESSION_HOURS", DEFAULT_SESSION_HOURS, "hours"),
            read_requires_login=_flag("SCRUTINY_READ_REQUIRES_LOGIN"),
            secure_cookies=_flag("SCRUTINY_SECURE_COOKIES"),
            max_request_bytes=_megabytes("SCRUTINY_MAX_REQUEST_MB", DEFAULT_MAX_REQUEST_MB),
        )

    def session_key(self) -> bytes:
        """The key sessions are signed with: the setting, else the key file (made if missing)."""
        if self.secret_key:
            if len(self.secret_key) < 32:
                raise InvalidValue("SCRUTINY_SECRET_KEY: at least 32 characters")
            return self.secret_key.encode()
        path = Path(self.secret_file or default_secret_file())
        try:
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                # O_EXCL: two servers starting at once do not overwrite each other's key.
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "w") as f:
                    f.write(secrets.token_urlsafe(48))
            key = path.read_text().strip()
        except FileExistsError:
            key = path.read_text().strip()
        except OSError as exc:
            raise InvalidValue(f"{path}: cannot keep the session key there: {exc.strerror}") from None
        if len(key) < 32:
            raise InvalidValue(f"{path}: the session key in it is too short (at least 32 characters)")
        return key.encode()
