"""Scrutiny's words, each defined once with its one meaning.

Every list of allowed values (a filter's choices, a correction's check, a page's menu, a
column's contents) is one of these enums. They are `StrEnum`s, so a member is its text: it
compares equal to the stored string, prints and serialises as it, and `Kind("letter")` turns a
stored string back into a member (a ValueError for anything else).
"""
from __future__ import annotations

from enum import EnumType, StrEnum


class _Words(EnumType):
    """`"letter" in Kind` is True, as Python 3.12 has it (3.11 raises TypeError for a plain string)."""

    def __contains__(cls, value: object) -> bool:
        return isinstance(value, cls) or isinstance(value, str) and value in cls._value2member_map_


class Words(StrEnum, metaclass=_Words):
    """A vocabulary: its members are its words."""


class Kind(Words):
    """What a stored document is. Only a letter or a statutory web page can be a response's
    statutory document; a press statement is kept but is not the response."""

    LETTER = "letter"
    WEB_PAGE = "web page"
    STATEMENT = "statement"
    OTHER = "other"


STATUTORY_KINDS = (Kind.LETTER, Kind.WEB_PAGE)


class Stance(Words):
    """How a response answers one recommendation. Extracted records may say NOT_STATED; an
    office's draft must choose one of the other three (`Stance.drafted()`)."""

    ACCEPTED = "accepted"
    PARTIALLY_ACCEPTED = "partially accepted"
    NOT_ACCEPTED = "not accepted"
    NOT_STATED = "not stated"

    @classmethod
    def drafted(cls) -> tuple[Stance, ...]:
        return cls.ACCEPTED, cls.PARTIALLY_ACCEPTED, cls.NOT_ACCEPTED


class Implementation(Words):
    """Where a response says the work on a recommendation stands."""

    IMPLEMENTED = "implemented"
    IN_PROGRESS = "in progress"
    PLANNED = "planned"
    NOT_STATED = "not stated"


class ResponseStatus(Words):
    """A response (force x report) as of a given day: what Scrutiny knows, never more.

    A response with a statutory document is on time or late by its date; one whose date is not
    known is "not collected" once its deadline has passed (until then it cannot be late), since
    what is missing to judge it is a fact to collect (the date), as with a response never seen.
    "Overdue" is a finding, not an absence: the body's publications were checked after the
    deadline and no response was found (the check log, `store.checks`)."""

    ON_TIME = "on time"
    LATE = "late"
    NOT_YET_DUE = "not yet due"
    STATEMENT_ONLY = "statement only"  # documents found, none of them the statutory response
    NO_DEADLINE = "no deadline"  # the report came before the 56-day period (record.compliance.RULE_START)
    OVERDUE = "overdue"  # checked after the deadline, no response found
    NOT_COLLECTED = "not collected"  # nothing known


class Coverage(Words):
    """What is known of a force and report that the force must answer: a statutory response
    found, only statements, the body's publications checked since the report and nothing
    found, or nothing known."""

    FOUND = "found"
    STATEMENT_ONLY = "statement only"
    CHECKED = "checked, not found"
    NOT_COLLECTED = "not collected"


class Scope(Words):
    """Whom a report's section 55 duty falls on: every force's body, the bodies of the forces it
    names, or none (a report on the NCA, the PSNI, HMICFRS's own work; an annex of another)."""

    ALL_FORCES = "all-forces"
    NAMED_FORCES = "named-forces"
    NONE = "none"


class Confidence(Words):
    """How sure a fact of the reference data is, as its source says."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class SenderRole(Words):
    """Who a document speaks for (the record's `policing_body.role`)."""

    PCC = "PCC"
    PFCC = "PFCC"
    DEPUTY_PCC = "Deputy PCC"
    MAYOR = "Mayor"
    DEPUTY_MAYOR = "Deputy Mayor"
    POLICE_AUTHORITY = "Police Authority"
    CHIEF_CONSTABLE = "Chief Constable"
    OTHER = "Other"


class UserRole(Words):
    """What a user of the app may do (`office.permissions` says which role may do what)."""

    VIEWER = "viewer"
    ANALYST = "analyst"
    STAFF = "staff"
    APPROVER = "approver"
    ADMINISTRATOR = "administrator"


class CaseState(Words):
    """Where an office's case stands (`office.cases` holds the transitions between them)."""

    DRAFT = "draft"
    AWAITING_APPROVAL = "awaiting approval"
    APPROVED = "approved"  # by an approver who did not write it; publishing is a step of its own
    PUBLISHED = "published"


class ActionStatus(Words):
    """Where a promised step stands once its response is published."""

    OPEN = "open"
    IN_PROGRESS = "in progress"
    DONE = "done"
    DROPPED = "dropped"

    @classmethod
    def still_open(cls) -> tuple[ActionStatus, ...]:
        return cls.OPEN, cls.IN_PROGRESS


class Rag(Words):
    """The office's own judgement of an action's progress: on track, at risk, off track."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"


class RegisterStatus(Words):
    """HMICFRS's status of a recommendation for one force, in its recommendation register."""

    AWAITING_REVIEW = "awaiting review"
    BEING_PROGRESSED = "being progressed"
    COMPLETE = "complete"
    NO_FURTHER_ACTION = "no further action needed"

