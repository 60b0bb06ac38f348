"""The shapes of the JSON API's answers, as OpenAPI publishes them: every JSON route names one
of these as its `response_model`. A response model also filters what a route returns to its
fields, so each is complete, its fields in the order the route makes them (the JSON stays the same)."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Generic, Optional, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema

from ..store.query import Facet

T = TypeVar("T")

# As Python writes it ("+00:00"), which is what these answers said before they had a model
# (pydantic's own would write "Z"). Not "format: date-time": SQLite keeps no offset, and a time
# without one is not RFC 3339's.
Timestamp = Annotated[dt.datetime, PlainSerializer(lambda at: at.isoformat(), return_type=str),
                      WithJsonSchema({"type": "string", "description": "ISO 8601 date and time"})]


class Error(BaseModel):
    """Every error, from every route: `create_app` maps them all to this one shape."""

    ok: bool = False
    status: int
    error: str


class Listed(BaseModel, Generic[T]):
    """One page of a list: its items, how many there are in all, and the facets' counts
    (each value's count applies every other filter: how many choosing it would show)."""

    items: list[T]
    total: int
    page: int
    per_page: int
    pages: int
    facets: list[Facet]
    filters: dict[str, Any]


# --- The oversight side ---------------------------------------------------------------------------

class ScopeOut(BaseModel):
    """Whose policing body must answer a report (all-forces, named-forces, none), on what
    authority: the catalogue's sources and confidence, or an analyst's change."""

    applies: str
    confidence: Optional[str]
    sources: list[str]
    note: Optional[str]
    duplicate_of: Optional[str]


class ScopeChangeOut(BaseModel):
    """An analyst's change of a report's scope: who, when, why, before and after."""

    id: int
    report_id: str
    before: dict[str, Any]
    after: dict[str, Any]
    reason: str
    author: str
    at: Timestamp


class ReportOut(BaseModel):
    """A report with its figures, as of the day asked about."""

    id: str
    title: str
    publisher: str
    published: Optional[str]
    deadline: Optional[str]
    days_left: Optional[int]
    origin: str
    recommendations_to_forces: int
    scope: ScopeOut
    recommendations: list[dict[str, Any]]
    responses: int
    expected: int
    on_time: int
    late: int
    overdue: int
    not_yet_due: int
    statement_only: int
    no_deadline: int
    not_collected: int
    coverage: dict[str, int]
    on_time_rate: Optional[float]
    complete_rate: Optional[float]
    median_days: Optional[float]
    missing_forces: list[str]


class Overview(BaseModel):
    today: str
    in_scope: int  # pairs of report and force expected to answer it
    coverage: dict[str, int]  # found, statement only, checked, not found, not collected: their sum is in_scope
    counts: dict[str, int]
    overdue: list[dict[str, Any]]
    overdue_total: int
    overdue_reports: int
    reports: list[ReportOut]
    reports_total: int
    responses: list[dict[str, Any]]
    unattached: int
    failed: int


class MatrixOut(BaseModel):
    report: dict[str, Any]
    figures: dict[str, Any]
    rows: list[dict[str, Any]]
    total: int
    page: int
    per_page: int
    pages: int
    not_responded: list[dict[str, Any]]
    scope_changes: list[ScopeChangeOut]
    facets: list[Facet]
    filters: dict[str, Any]
    regions: list[str]
    forces: list[str]  # every force (the scope form's choices)
    named_forces: list[str]  # the forces a named-forces report expects to answer
    register_statuses: list[dict[str, Any]]  # HMICFRS's register: per force, a recommendation's status (`number` its number)


class ForceOut(BaseModel):
    id: int
    name: str
    region: str
    nation: str
    body: str
    counts: dict[str, int]


class SourceOut(BaseModel):
    """A page the collector starts from."""

    id: int
    force_id: int
    force: str
    url: str
    origin: str = Field(description="bundled (from the reference) or user")
    note: str = Field(description="the evidence that this page lists the body's responses")
    added_by: str
    added_at: dt.datetime


class CheckOut(BaseModel):
    """One look at one source by the collector."""

    url: str
    started_at: dt.datetime
    finished_at: Optional[dt.datetime]
    ok: bool = Field(description="whether the source page itself was read")
    found: int = Field(description="responses stored, or found stored already")
    skipped: int = Field(description="fetched, and not a response")
    failed: int
    note: str


class CheckLogOut(BaseModel):
    """The force's check log: how often its sources were read, when, and what was found."""

    summary: str = Field(description="'checked 3 times between 1 March 2026 and 7 December 2026, nothing found', "
                                     "or 'never checked'")
    checks: int
    failed_checks: int
    first: Optional[dt.datetime]
    last: Optional[dt.datetime]
    found: int
    recent: list[CheckOut]


class ForcePageOut(BaseModel):
    force: ForceOut
    office_holders: list[dict[str, Any]]
    median_days: Optional[float]
    complete: int
    incomplete: int
    responses: Listed[dict[str, Any]]
    check_log: CheckLogOut


def _not_applied(schema: dict[str, Any]) -> None:
    schema["properties"]["not_applied"] = {"type": "string", "description": "Present only on a correction left "
                                           "out because it no longer passes its field's check: why"}


class CorrectionOut(BaseModel):
    """An analyst's correction of one value, with who made it, when, and the value before."""

    # `not_applied` is there only when it applies: kept as given, not written as null on every correction.
    model_config = ConfigDict(extra="allow", json_schema_extra=_not_applied)

    id: int
    field: str
    previous: Any
    value: Any
    author: str
    at: Optional[str]


class TextPartOut(BaseModel):
    """Which characters of the document's text `record.text` holds: `start` to `end` (the evidence
    spans count from the start of the whole text) of `length`; part `number` of `parts` (the
    others: the same address with ?part=N)."""

    number: int
    parts: int
    start: int
    end: int
    length: int


class DocumentOut(BaseModel):
    """A stored document: its record (the contract's shape, its text a part of the whole where
    the whole is long: `text_part`), what a person verified, and the corrections."""

    id: int
    version: int
    kind: str
    response_id: Optional[int]
    unattached_reason: Optional[str]
    file: str
    media_type: str
    sha256: str
    ingested_at: str
    verified: list[str]
    record: dict[str, Any]
    text_part: TextPartOut
    corrections: list[CorrectionOut]


class PageOut(BaseModel):
    items: list[dict[str, Any]]
    total: int
    page: int
    per_page: int
    pages: int


class ReviewOut(BaseModel):
    warnings: PageOut
    unattached: PageOut
    failed: PageOut
    reports: PageOut  # new reports from HMICFRS's publication lists, waiting for an analyst


class SearchHit(BaseModel):
    letter_id: int
    force: Optional[str]
    report_id: Optional[str]
    report_title: Optional[str]
    kind: str
    date: Optional[dt.date]
    snippet: str  # HTML: the text escaped, the matched words in <mark>


class Searched(Listed[SearchHit]):
    """A page of search hits. Over very many matches a facet may count an even sample of them:
    its `sample` says so (one in every so many)."""

    facets_capped: Optional[int] = Field(None, description="how many matches the unchosen facets counted, if a sample")


class UploadOutcome(BaseModel):
    file: str
    status: str  # stored, unchanged, failed
    letter_id: Optional[int]
    message: str


class ResponseOut(BaseModel):
    """A response as it is judged: on its statutory document, chosen by an analyst (`chosen_by`) or the default."""

    response_id: int
    report_id: str
    report_title: str
    force: str
    region: str
    status: str
    statutory_document_id: Optional[int]
    responded: Optional[str]
    date_basis: Optional[str]
    deadline: Optional[str]
    days_taken: Optional[int]
    on_time: Optional[bool]
    addressed: Optional[int]
    expected: Optional[int]
    complete: Optional[bool]
    documents: int
    chosen_by: Optional[str]
    missing: list[int]  # recommendations to forces that none of its documents answers


class RecordOut(BaseModel):
    """A record in the contract's shape (shared/contract/extraction.schema.json): every
    extracted value with its `evidence`, spans into `text`."""

    source: dict[str, Any]
    text: str
    force: Optional[dict[str, Any]]
    policing_body: Optional[dict[str, Any]]
    signatory: Optional[dict[str, Any]]
    letter_date: Optional[dict[str, Any]]
    addressees: list[dict[str, Any]]
    report: Optional[dict[str, Any]]
    recommendations: list[dict[str, Any]]
    initiatives: list[dict[str, Any]]
    compliance: dict[str, Any]
    warnings: list[str]
    kind: Optional[dict[str, Any]]


# --- The office's ---------------------------------------------------------------------------------

class StepOut(BaseModel):
    """A step promised in answer to a recommendation (an action, once published)."""

    id: int
    number: int
    description: str
    owner: str
    due: Optional[dt.date]
    status: str


class AnswerOut(BaseModel):
    number: int  # the contract's number
    label: str  # the report's own number for it
    recommendation_id: str
    wording: str
    stance: Optional[str]
    explanation: str
    steps: list[StepOut]


class ChangeOut(BaseModel):
    at: Timestamp
    author: str
    field: str
    before: Optional[str]
    after: Optional[str]


class CaseSummaryOut(BaseModel):
    id: int
    force: str
    report_id: str
    report_title: str
    deadline: Optional[dt.date]
    days_left: Optional[int]
    state: str
    published_on: Optional[dt.date]
    on_time: Optional[bool]
    document_id: Optional[int]


class CaseOut(BaseModel):
    """A case with its answers, steps and history, and what stops it going for approval (`problems`)."""

    id: int
    response_id: int
    force: str
    report_id: str
    report_title: str
    report_published: Optional[dt.date]
    deadline: Optional[dt.date]  # the last day of the 56-day period
    days_left: Optional[int]
    state: str
    comments_requested_by: Optional[dt.date]
    body_comments: str
    chief_comments: str
    body_on_chief: str
    opened_by: str
    opened_at: Timestamp
    submitted_by: Optional[str]
    submitted_at: Optional[Timestamp]
    published_by: Optional[str]
    published_on: Optional[dt.date]
    document_id: Optional[int]
    on_time: Optional[bool]  # once published
    answers: list[AnswerOut]
    history: list[ChangeOut]
    letter: Optional[list[dict[str, Any]]]  # the published letter's blocks
    version: int  # what a save of the whole draft names (PUT /api/cases/{id}/draft)
    approved_by: Optional[str]
    approved_at: Optional[Timestamp]
    body: str  # the policing body whose work it is
    problems: list[str]


class UpdateOut(BaseModel):
    at: Timestamp
    author: str
    status: str
    note: str
    evidence: list[str]
    rag: Optional[str]


class ActionOut(BaseModel):
    """A promised step, tracked after publication."""

    id: int
    case_id: int
    force: str
    report_id: str
    report_title: str
    number: int  # the recommendation it answers (contract numbering)
    label: str  # as the report numbers it
    description: str
    owner: str
    due: Optional[dt.date]
    status: str
    reason: str
    days_left: Optional[int]
    updates: list[UpdateOut]
    rag: Optional[str]  # red, amber, green
    closed_by: Optional[str]
    closed_at: Optional[Timestamp]
    body: str  # the policing body answerable for it
    overdue: bool
    late: bool


class RegisterOut(BaseModel):
    number: int
    status: str
    as_of: Optional[dt.date]


class PackReport(BaseModel):
    id: str
    title: str
    promised: int
    done: int
    late: int
    register_status: list[RegisterOut]  # HMICFRS's status of each recommendation for the force
    actions: list[ActionOut]


class PackOut(BaseModel):
    """The holding-to-account pack: a force's open actions by report."""

    force: str
    today: dt.date
    open: int
    overdue: int
    reports: list[PackReport]


class DueOut(BaseModel):
    kind: str  # "case" (a response due) or "action"
    id: int
    force: str
    title: str
    due: dt.date
    days_left: int
    state: str
    url: str


# --- Recommendations from HMICFRS's text --------------------------------------------------------

class ParsedRecommendations(BaseModel):
    """What was read from pasted text; nothing is stored."""

    report: dict[str, Any]
    recommendations: list[dict[str, Any]]
    causes_of_concern: list[str]
    areas_for_improvement: list[str]


class RecommendationsKept(BaseModel):
    report_id: str
    status: str  # completed, unchanged
    message: str
    recommendations: list[dict[str, Any]]


class KnownException(BaseModel):
    title: str
    what: str
    criteria: str  # the WCAG success criteria it fails, by number
    plan: str


class AccessibilityOut(BaseModel):
    standard: str
    status: str  # "fully compliant", "partially compliant" or "not compliant", as the regulations' model statement says
    prepared: dt.date
    tested: list[str]
    methods: list[str]
    exceptions: list[KnownException]
    feedback: str
