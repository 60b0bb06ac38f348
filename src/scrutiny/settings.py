"""Every option Scrutiny has, in one place: `Settings`, read from the environment. Each field's
variable is SCRUTINY_ and its name in capitals, but for the database (SCRUTINY_DB) and the
reading budgets (SCRUTINY_LIMIT_<NAME>, `limits`); `Settings.variables()` names them all.
docs/settings.md lists the same options, and tests/test_docs.py keeps the two in step.

Read once, when a command starts or the web app is made (`get_settings()`), never at import:
a value that cannot be used is one line naming its variable, never a traceback."""
from __future__ import annotations

import functools
import ipaddress
import os
import secrets
from dataclasses import fields
from pathlib import Path
from typing import Annotated, Any

from annotated_types import Gt
from pydantic import BeforeValidator, Field, ValidationError, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from .errors import InvalidValue
from .limits import Limits

PREFIX = "SCRUTINY_"
LIMIT_PREFIX = "SCRUTINY_LIMIT_"


def default_secret_file() -> str:
    """Outside any checkout, so the key never lands in a repository."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return str(Path(base) / "scrutiny" / "secret-key")


def _flag(value: Any) -> Any:
    """yes or no, as people write it in an environment (an empty value is the default, no)."""
    if not isinstance(value, str):
        return value
    word = value.strip().lower()
    if word in ("", "0", "no", "false", "off"):
        return False
    if word in ("1", "yes", "true", "on"):
        return True
    raise ValueError("must be yes or no")


Flag = Annotated[bool, BeforeValidator(_flag)]


def _networks(value: Any) -> Any:
    """Addresses or networks (10.0.0.0/8), comma-separated as people write them in an environment."""
    items = [item.strip() for item in value.split(",") if item.strip()] if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)):
        return value
    for item in items:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise ValueError("must be IP addresses or networks, separated by commas") from None
    return tuple(items)


Networks = Annotated[tuple[str, ...], BeforeValidator(_networks)]


class _Environment(PydanticBaseSettingsSource):
    """Each field from its variable (`_variable()`), the budgets' from SCRUTINY_LIMIT_<NAME>, the
    names they have always had; an empty variable is the default. Not pydantic-settings' own
    environment source: that also reads the field's name where a field has an alias
    (SCRUTINY_DATABASE_URL beside SCRUTINY_DB) and JSON for the nested budgets (SCRUTINY_LIMITS)."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # every value comes from __call__

    def __call__(self) -> dict[str, Any]:
        def given(loc: tuple[str, ...]) -> str | None:
            raw = os.environ.get(_variable(loc), "")
            return raw if raw.strip() else None

        found: dict[str, Any] = {name: raw for name in Settings.model_fields
                                 if name != "limits" and (raw := given((name,))) is not None}
        budgets = {f.name: raw for f in fields(Limits) if (raw := given(("limits", f.name))) is not None}
        return found | ({"limits": budgets} if budgets else {})


class Settings(BaseSettings):
    model_config = SettingsConfigDict(populate_by_name=True, frozen=True)

    database_url: str = Field(default="sqlite:///scrutiny.db", validation_alias="SCRUTINY_DB", description=(
        "the store's database URL, or a SQLite file's path (`--db` overrides it)"))
    max_upload_mb: float = Field(default=20, gt=0, description=(
        "the largest file the web app accepts in an upload, in MB"))
    max_request_mb: float = Field(default=64, gt=0, description=(
        "the largest request the web app reads, all its files together, in MB"))
    secret_key: str | None = Field(default=None, description=(
        "the key session cookies are signed with (32 characters or more)"))
    secret_file: str = Field(default_factory=default_secret_file, description=(
        "where the key is kept when `SCRUTINY_SECRET_KEY` is unset; made on first use, mode 0600"))
    session_hours: float = Field(default=8.0, gt=0, description="how long a sign-in lasts")
    read_requires_login: Flag = Field(default=False, description=(
        "`yes`: every page and the API need a signed-in user (an internal deployment)"))
    secure_cookies: Flag = Field(default=False, description=(
        "`yes`: the session cookie is marked `Secure` (set it when served over HTTPS)"))
    trusted_proxies: Networks = Field(default=(), description=(
        "the reverse proxies (IP addresses or networks, comma-separated) whose `X-Forwarded-For` and "
        "`X-Forwarded-Proto` `scrutiny serve` believes; the client's address counts, not a header, from "
        "anywhere else"))
    search_ms: int = Field(default=3000, gt=0, description=(
        "the longest one search may work, in milliseconds; past it, it answers that the search is too broad"))
    search_slots: int = Field(default=4, ge=1, le=6, description=(
        "how many searches the web app works on at once (at most 6: each takes two of the store's 15 "
        "connections, its page's and its facets', and pages and writes keep the rest)"))
    search_wait_ms: int = Field(default=2000, ge=0, description=(
        "how long a search waits for one of those to be free, in milliseconds; then it answers 503, "
        "busy, with Retry-After"))
    collect_contact: str = Field(default="", description=(
        "an e-mail or web address the collector gives in its User-Agent, so that a site's owner can reach "
        "whoever runs it (`scrutiny collect` refuses to run without one)"))
    collect_delay: float = Field(default=1.0, gt=0, description=(
        "seconds between two requests to one host (`--delay` overrides it; a site's longer `Crawl-delay` wins)"))
    collect_timeout: float = Field(default=30.0, gt=0, description="seconds the collector waits for an answer")
    collect_max_mb: float = Field(default=20, gt=0, description=(
        "the largest page or document the collector downloads, in MB"))
    collect_max_pages: int = Field(default=300, gt=0, description=(
        "requests to one site in one collection at most (pages, documents, redirects and all)"))
    collect_max_depth: int = Field(default=3, gt=0, description=(
        "links followed away from a source page at most (a year's page, a response's page, its PDF: 3)"))
    collect_sites: int = Field(default=8, gt=0, description="sites collected at once (each one request at a time)")
    collect_workers: int = Field(default=2, gt=0, description=(
        "worker processes reading and extracting what the collector fetches"))
    collect_every_hours: float = Field(default=0, ge=0, description=(
        "`scrutiny serve` collects from every source this often, in hours; 0 (the default): never"))
    collect_hmicfrs: str = Field(default="", description=(
        "HMICFRS's publication list pages (addresses, separated by spaces) read for new reports by every "
        "collection (`--hmicfrs` overrides it); empty (the default): none"))
    limits: Limits = Field(default_factory=Limits, description="the budgets for reading one file")

    @field_validator("secret_key")
    @classmethod
    def _long_enough(cls, key: str | None) -> str | None:
        if key is not None and len(key) < 32:
            raise ValueError("must be at least 32 characters")
        return key

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource,
                                   dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource,
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, _Environment(settings_cls)  # (no .env file, no secrets folder: as ever)

    @classmethod
    def from_env(cls) -> Settings:
        """The settings in the environment now; a value that cannot be used raises InvalidValue,
        one line naming each such variable."""
        try:
            return cls()
        except ValidationError as exc:
            raise InvalidValue("; ".join(_problem(error) for error in exc.errors())) from None

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 2**20)

    @property
    def max_request_bytes(self) -> int:
        return int(self.max_request_mb * 2**20)

    @classmethod
    def variables(cls) -> dict[str, str]:
        """Each environment variable that is a setting, and what it means."""
        named = {_variable((name,)): field.description or "" for name, field in cls.model_fields.items()
                 if name != "limits"}
        return named | {_variable(("limits", f.name)): f.metadata["description"] for f in fields(Limits)}

    def session_key(self) -> bytes:
        """The key sessions are signed with: the setting, else the key file (made if missing)."""
        if self.secret_key:
            return self.secret_key.encode()
        path = Path(self.secret_file)
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


def _variable(loc: tuple[int | str, ...]) -> str:
    """The environment variable of the field at `loc` (a pydantic error's location)."""
    if loc[0] == "limits" and len(loc) > 1:
        return f"{LIMIT_PREFIX}{str(loc[1]).upper()}"
    alias = Settings.model_fields[str(loc[0])].validation_alias
    return alias if isinstance(alias, str) else f"{PREFIX}{str(loc[0]).upper()}"


def _least(loc: tuple[int | str, ...]) -> object:
    """The number the field at `loc` must be above."""
    if loc[0] == "limits":
        return next(f.metadata["gt"] for f in fields(Limits) if f.name == loc[1])
    return next(m.gt for m in Settings.model_fields[str(loc[0])].metadata if isinstance(m, Gt))


_NUMBER_ERRORS = {"int_parsing", "int_from_float", "int_type", "float_parsing", "float_type", "greater_than",
                  "finite_number"}


def _is_number(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _problem(error: Any) -> str:
    """One error of a ValidationError as a user reads it: the variable, what it must be, what it was."""
    loc, given = error["loc"], error["input"]
    if error["type"] in _NUMBER_ERRORS:
        whole = error["type"].startswith("int") and _is_number(given)
        said = f"must be a {'whole ' if whole else ''}number above {_least(loc)}"
    elif error["type"] == "value_error":
        said = str(error["ctx"]["error"])
    else:
        said = error["msg"]
    if loc == ("secret_key",):  # a secret is not repeated on a screen or in a log
        return f"{_variable(loc)}: {said}"
    return f"{_variable(loc)}: {said}, not {given!r}"


@functools.cache
def get_settings() -> Settings:
    """The settings, read from the environment on first use, then kept for the process."""
    return Settings.from_env()
