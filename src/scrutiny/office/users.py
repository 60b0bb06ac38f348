"""Users: adding and changing them, signing in (with failed attempts rate-limited) and out,
one-time links to set a new password, and the token behind each user's calendar feed. The
rules (roles, hashing) are `office.permissions`. Managing users is an administrator's
business: the web pages check the role before calling these, the CLI is the server's
operator; each change names its `actor` in the audit log (office.audit)."""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.orm import Session

from ..errors import InvalidValue, NotFound, NotSignedIn, TooManyAttempts
from ..record.vocabulary import UserRole
from ..store import Store
from ..store.schema import EndedSession, Force, LoginFailure, User, now
from ..store.schema_admin import PasswordReset
from . import audit
from .audit import COMMAND_LINE
from .permissions import (
    Account,
    check_password,
    decoy_hash,
    hash_password,
    role_of,
    verify_password,
)

MAX_FAILURES = 5  # failed sign-ins per user name, or per address, within the window
FAILURE_WINDOW = dt.timedelta(minutes=15)
RESET_VALID = dt.timedelta(hours=24)  # a password link works once, within this time


def _account(user: User, force: str | None) -> Account:
    return Account(user.id, user.username, user.name, UserRole(user.role), force, user.active)


def _force_id(s: Session, force: str | None) -> int | None:
    if not force:
        return None
    found = s.scalar(select(Force.id).where(Force.name == force))
    if found is None:
        raise InvalidValue(f"force: no force named {force!r}")
    return found


def _user(s: Session, username: str) -> User:
    user = s.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"no user named {username!r}")
    return user


def add_user(store: Store, username: str, name: str, role: str, password: str, force: str | None = None,
             actor: str = COMMAND_LINE) -> Account:
    username = username.strip()
    if not username or len(username) > 64 or not username.replace(".", "").replace("-", "").replace("_", "").isalnum():
        raise InvalidValue("username: letters, digits, '.', '-' or '_', at most 64 characters")
    checked = role_of(role, force)
    check_password(password)
    with store.transaction() as s:
        if s.scalar(select(User.id).where(User.username == username)) is not None:
            raise InvalidValue(f"username: {username!r} is taken")
        user = User(username=username, name=(name or username).strip()[:128], role=checked,
                    force_id=_force_id(s, force), password=hash_password(password), active=True,
                    sessions_from=_moment())
        s.add(user)
        s.flush()
        audit.record(s, actor, "user added", username, f"{checked}{', ' + force if force else ''}")
        return _account(user, force or None)


def users(store: Store) -> list[Account]:
    with store.session() as s:
        rows = s.execute(select(User, Force.name).outerjoin(Force, Force.id == User.force_id).order_by(User.username))
        return [_account(user, force) for user, force in rows]


def account(store: Store, user_id: int, issued: dt.datetime, session_id: str) -> Account | None:
    """The active user a session was issued to, if the session is still good for them: not
    signed out, and issued since their last change of password, role or standing."""
    with store.session() as s:
        row = s.execute(select(User, Force.name).outerjoin(Force, Force.id == User.force_id)
                        .where(User.id == user_id, ~exists().where(EndedSession.id == session_id))).first()
    if row is None or not row[0].active or issued < _aware(row[0].sessions_from):
        return None
    return _account(row[0], row[1])


def end_session(store: Store, session_id: str, until: dt.datetime) -> None:
    """Sign one session out: its cookie is refused until `until` (when it would have expired
    anyway), after which the record is forgotten."""
    with store.transaction() as s:
        s.execute(delete(EndedSession).where(EndedSession.until < now()))
        s.merge(EndedSession(id=session_id, until=until))  # merge: the same cookie may sign out twice at once


def _moment() -> dt.datetime:
    """Now, to the microsecond: a session issued a moment before a change must end with it."""
    return dt.datetime.now(dt.UTC)


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; every moment stored is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def set_role(store: Store, username: str, role: str, force: str | None = None, actor: str = COMMAND_LINE) -> Account:
    checked = role_of(role, force)
    with store.transaction() as s:
        user = _user(s, username)
        user.role, user.force_id, user.sessions_from = checked, _force_id(s, force), _moment()
        audit.record(s, actor, "role set", username, f"{checked}{', ' + force if force else ''}")
        return _account(user, force or None)


def set_active(store: Store, username: str, active: bool, actor: str = COMMAND_LINE) -> None:
    """Disable or re-enable a user. Disabling ends their sessions and their calendar feed's
    address, so re-enabling them brings neither back."""
    with store.transaction() as s:
        user = _user(s, username)
        user.active, user.sessions_from = active, _moment()
        audit.record(s, actor, "enabled" if active else "disabled", username)
        if not active:
            user.calendar_token = None


def set_password(store: Store, username: str, password: str, actor: str = COMMAND_LINE) -> None:
    check_password(password)
    with store.transaction() as s:
        user = _user(s, username)
        user.password, user.sessions_from = hash_password(password), _moment()
        audit.record(s, actor, "password set", username)


def reset_link(store: Store, username: str, actor: str = COMMAND_LINE) -> str:
    """A one-time secret for a link to set USERNAME's password, good for RESET_VALID; only its
    hash is kept. Earlier links of theirs stop working."""
    token = secrets.token_urlsafe(24)
    with store.transaction() as s:
        user = _user(s, username)
        s.execute(update(PasswordReset).where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
                  .values(used_at=_moment()))
        s.add(PasswordReset(user_id=user.id, token=_digest(token), created_by=actor,
                            expires_at=_moment() + RESET_VALID))
        audit.record(s, actor, "password link issued", username, f"valid for {RESET_VALID.seconds // 3600} hours")
    return token


def _reset(s: Session, token: str, at: dt.datetime) -> tuple[PasswordReset, User]:
    row = s.execute(select(PasswordReset, User).join(User, User.id == PasswordReset.user_id)
                    .where(PasswordReset.token == _digest(token))).first()
    if row is None or row[0].used_at is not None or _aware(row[0].expires_at) <= at or not row[1].active:
        raise NotFound("this password link is not valid: it has been used, has expired or was replaced; "
                       "ask an administrator for a new one")
    return row[0], row[1]


def reset_username(store: Store, token: str, at: dt.datetime | None = None) -> str:
    """Whose password the link sets, if it is still good."""
    with store.session() as s:
        return _reset(s, token, at or _moment())[1].username


def use_reset(store: Store, token: str, password: str, at: dt.datetime | None = None) -> str:
    """Set the password through a one-time link (once; before it expires); their sessions end."""
    check_password(password)
    with store.transaction() as s:
        reset, user = _reset(s, token, at or _moment())
        reset.used_at = at or _moment()
        user.password, user.sessions_from = hash_password(password), _moment()
        audit.record(s, user.username, "password set by link", user.username)
        return user.username


def change_password(store: Store, user_id: int, current: str, new: str) -> None:
    """A user's own change: the current password must be given."""
    check_password(new)
    with store.transaction() as s:
        user = s.get(User, user_id)
        if user is None or not verify_password(current, user.password):
            raise InvalidValue("current password: wrong")
        user.password, user.sessions_from = hash_password(new), _moment()


def has_administrator(store: Store) -> bool:
    with store.session() as s:
        return s.scalar(select(User.id).where(User.role == UserRole.ADMINISTRATOR, User.active).limit(1)) is not None


def sign_in(store: Store, username: str, password: str, address: str) -> Account:
    """The account, if the password is right. Past MAX_FAILURES failures in FAILURE_WINDOW for
    the name (or four times that for the address) it is refused before checking. Only a
    failure writes (it is counted), so signing in works while another process holds the
    store's write lock (a long ingest)."""
    username, address = username.strip()[:64], address[:64]
    since = now() - FAILURE_WINDOW
    with store.session() as s:
        def failures(column, value) -> int:
            return s.scalar(select(func.count()).select_from(LoginFailure).where(
                LoginFailure.at >= since, column == value)) or 0
        # An office shares one address: it may fail more often than one name may.
        if failures(LoginFailure.username, username) >= MAX_FAILURES or \
                failures(LoginFailure.address, address) >= MAX_FAILURES * 4:
            raise TooManyAttempts(f"too many failed sign-ins: try again in {FAILURE_WINDOW.seconds // 60} minutes")
        row = s.execute(select(User, Force.name).outerjoin(Force, Force.id == User.force_id)
                        .where(User.username == username)).first()
    good = verify_password(password, row[0].password if row else decoy_hash())
    if row and good and row[0].active:
        return _account(row[0], row[1])
    with store.transaction() as s:
        s.execute(delete(LoginFailure).where(LoginFailure.at < since))  # forgotten once the window has passed
        s.add(LoginFailure(username=username, address=address))
    raise NotSignedIn("wrong user name or password")


def new_calendar_token(store: Store, user_id: int) -> str:
    """A new secret for the user's calendar feed; the old one stops working. Only its hash is kept."""
    token = secrets.token_urlsafe(24)
    with store.transaction() as s:
        user = s.get(User, user_id)
        if user is None:
            raise NotFound(f"no user with id {user_id}")
        user.calendar_token = _digest(token)
    return token


def revoke_calendar_token(store: Store, user_id: int) -> None:
    with store.transaction() as s:
        user = s.get(User, user_id)
        if user is not None:
            user.calendar_token = None


def has_calendar(store: Store, user_id: int) -> bool:
    with store.session() as s:
        return s.scalar(select(User.calendar_token).where(User.id == user_id)) is not None


def calendar_account(store: Store, token: str) -> Account | None:
    with store.session() as s:
        row = s.execute(select(User, Force.name).outerjoin(Force, Force.id == User.force_id)
                        .where(User.calendar_token == _digest(token), User.active)).first()
    return _account(row[0], row[1]) if row else None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
