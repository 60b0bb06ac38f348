"""Who may do what: roles, their permissions, force scope (`authorize`, the one check every
office step makes), and password hashing.

Roles (issue 11): a viewer reads; an analyst also uploads and corrects (the oversight side);
office staff draft their own force's cases; an approver (the commissioner or a delegate)
also approves and publishes; an administrator may do everything and manages users. Staff
always have a force; an approver may have one (a commissioner's office) or none (any force).

Passwords are hashed with scrypt (hashlib, no extra dependency), each with its own salt.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from functools import cache

from ..errors import Forbidden, InvalidValue, NotSignedIn
from ..record.vocabulary import UserRole

ROLE_LABELS = {UserRole.VIEWER: "viewer", UserRole.ANALYST: "analyst", UserRole.STAFF: "office staff",
               UserRole.APPROVER: "approver", UserRole.ADMINISTRATOR: "administrator"}

# What each permission lets a user do, and the roles that have it.
PERMISSIONS: dict[str, frozenset[UserRole]] = {
    "read": frozenset(UserRole),  # oversight pages, published letters
    # upload documents, correct values, choose the statutory one
    "correct": frozenset({UserRole.ANALYST, UserRole.ADMINISTRATOR}),
    "draft": frozenset({UserRole.STAFF, UserRole.APPROVER, UserRole.ADMINISTRATOR}),  # open and edit cases, track actions
    "publish": frozenset({UserRole.APPROVER, UserRole.ADMINISTRATOR}),  # approve and publish a case, return it to draft
    "manage": frozenset({UserRole.ADMINISTRATOR}),  # users
}
FORCE_SCOPED = frozenset({UserRole.STAFF, UserRole.APPROVER})  # confined to their force where they have one

MIN_PASSWORD = 10
# scrypt's cost: 16 MB and ~50 ms a hash on this machine's cores; the parameters are stored
# with each hash, so raising them later leaves older hashes checkable.
_N, _R, _P = 2**14, 8, 1


@dataclass(frozen=True)
class Account:
    """A signed-in user as the rest of the code sees them (no password)."""

    id: int
    username: str
    name: str
    role: UserRole
    force: str | None  # the force they work for, if any
    active: bool = True

    def can(self, permission: str) -> bool:
        """Whether the role has `permission` (what pages ask to show a button; `authorize` refuses)."""
        return self.active and self.role in PERMISSIONS[permission]

    @property
    def confined_to(self) -> str | None:
        """The one force whose cases and actions the user may touch; None: every force's."""
        return self.force if self.role in FORCE_SCOPED else None

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]


def authorize(account: Account | None, permission: str, force: str | None = None) -> Account:
    """The account, if it is signed in, its role has `permission` and (`force` given) its force
    scope covers that force's cases; else NotSignedIn or Forbidden, saying which."""
    if account is None:
        raise NotSignedIn("sign in first")
    if not account.can(permission):
        raise Forbidden(f"a {account.role_label} may not do this")
    if force is not None and account.confined_to not in (None, force):
        raise Forbidden(f"{account.username} works for {account.force}, not {force}")
    return account


def role_of(role: str, force: str | None) -> UserRole:
    """`role` as a UserRole, if it names one and `force` suits it."""
    try:
        checked = UserRole(role)
    except ValueError:
        raise InvalidValue(f"role: one of {', '.join(UserRole)}, not {role!r}") from None
    if checked is UserRole.STAFF and not force:
        raise InvalidValue("force: office staff work for one force; name it")
    return checked


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidValue(f"password: at least {MIN_PASSWORD} characters")


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, maxmem=64 * 2**20)
    return "$".join(("scrypt", str(_N), str(_R), str(_P), _b64(salt), _b64(digest)))


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        got = hashlib.scrypt(password.encode(), salt=_unb64(salt), n=int(n), r=int(r), p=int(p),
                             maxmem=64 * 2**20)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, _unb64(digest))


@cache
def decoy_hash() -> str:
    """Checked against when the user name is unknown: an unknown name takes as long as a wrong password."""
    return hash_password(secrets.token_urlsafe(16))


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
