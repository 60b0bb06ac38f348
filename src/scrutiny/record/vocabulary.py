"""Scrutiny's words, each defined once with its one meaning.

Every list of allowed values (a filter's choices, a correction's check, a page's menu, a
column's contents) is one of these enums. They are `StrEnum`s, so a member is its text: it
compares equal to the stored string, prints and serialises as it, and `Kind("letter")` turns a
stored string back into a member (a ValueError for anything else).
"""
from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    """What a stored document is. Only a letter or a statutory web page can be a response's
    statutory document; a press statement is kept but is not the response."""

    LETTER = "letter"
    WEB_PAGE = "web page"
    STATEMENT = "statement"
    OTHER = "other"


STATUTORY_KINDS = (Kind.LETTER, Kind.WEB_PAGE)


class Stance(StrEnum):
    """How a response answers one recommendation. Extracted records may say NOT_STATED; an
    office's draft must choose one of the other three (`Stance.drafted()`)."""

    ACCEPTED = "accepted"
    PARTIALLY_ACCEPTED = "partially accepted"
    NOT_ACCEPTED = "not accepted"
    NOT_STATED = "not stated"

    @classmethod
    def drafted(cls) -> tuple[Stance, ...]:
        return cls.ACCEPTED, cls.PARTIALLY_ACCEPTED, cls.NOT_ACCEPTED


class Implementation(StrEnum):
    """Where a response says the work on a recommendation stands."""

    IMPLEMENTED = "implemented"
    IN_PROGRESS = "in progress"
    PLANNED = "planned"
    NOT_STATED = "not stated"


class ResponseStatus(StrEnum):
    """A response (force x report) as of a given day."""

    ON_TIME = "on time"
    LATE = "late"
    OVERDUE = "overdue"
    NOT_YET_DUE = "not yet due"
    UNKNOWN = "unknown"


class SenderRole(StrEnum):
    """Who a document speaks for (the record's `policing_body.role`)."""

    PCC = "PCC"
    PFCC = "PFCC"
    MAYOR = "Mayor"
    DEPUTY_MAYOR = "Deputy Mayor"
    POLICE_AUTHORITY = "Police Authority"
    CHIEF_CONSTABLE = "Chief Constable"
    OTHER = "Other"


class UserRole(StrEnum):
    """What a user of the app may do (`office.permissions` says which role may do what)."""

    VIEWER = "viewer"
    ANALYST = "analyst"
    STAFF = "staff"
    APPROVER = "approver"
    ADMINISTRATOR = "administrator"


class CaseState(StrEnum):
    """Where an office's case stands (`office.cases` holds the transitions between them)."""

    DRAFT = "draft"
    AWAITING_APPROVAL = "awaiting approval"
    PUBLISHED = "published"


class ActionStatus(StrEnum):
    """Where a promised step stands once its response is published."""

    OPEN = "open"
    IN_PROGRESS = "in progress"
    DONE = "done"
    DROPPED = "dropped"

    @classmethod
    def still_open(cls) -> tuple[ActionStatus, ...]:
        return cls.OPEN, cls.IN_PROGRESS


def choices(vocabulary: type[StrEnum]) -> str:
    """'a, b or c': how an error message lists the values allowed."""
    words = [str(member) for member in vocabulary]
    return ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else words[0]
