"""Extraction: a read Document -> a ResponseRecord in which every value carries evidence.

`extract(document)` runs the field extractors over the normalised text, matches the
report against the catalogue, answers each of its recommendations to forces and judges
section 55 compliance. It never touches a database or the network.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import traceback
from collections.abc import Iterable, Iterator

from .. import catalogue
from ..catalogue import Report
from ..errors import InputError, NotAResponse, summarise, unexpected
from ..read import read_path
from ..record import Document, LetterDate, PolicingBody, ReportCandidate, ResponseRecord, Signatory, Span
from ..record.compliance import assess
from .answers import answer_cited, answer_recommendations
from .dates import (
    Yearless,
    era,
    find_dates,
    find_yearless,
    letter_date,
    resolve_year,
    salutation_at,
    yearless_publication,
    yearless_text_date,
)
from .initiatives import find_initiatives
from .kind import document_kind
from .linking import CALIBRATED_SAFE, LINK_SAFE, link_confidence
from .parties import (
    check_signatory,
    find_addressees,
    find_force,
    find_role,
    find_signatory,
    holders_named,
)
from .report import identify_report
from .sender import find_sender, first_person_commissioner, judge_response, policing_body_speaks, without_style
from .tables import catalogued
from .text import spans_of

__all__ = ["NotALetter", "extract", "extract_paths"]


class NotALetter(NotAResponse):
    """The file reads, but it is not a response to an inspection report."""


# A text that names no catalogued report is still a response if it speaks of an inspection.
_INSPECTION = re.compile(r"HMIC|[Ii]nspect|PEEL|Inspectorate of Constabulary")


def extract(document: Document, reports: tuple[Report, ...] | None = None) -> ResponseRecord:
    """Extract the contract's record from `document`, matching `reports` (default: the catalogue)."""
    text = document.text
    reports = catalogue.reports() if reports is None else reports
    dates = find_dates(text)
    salutation = salutation_at(text)
    force = find_force(text)
    signatory, signer_role = find_signatory(text, force.name if force else None)
    role = find_role(text, signer_role)
    warnings: list[str] = []
    # Who speaks decides the sender: a role mentioned in passing is not the sender.
    sender = find_sender(text)
    speaking = None  # the sender, where it is someone other than a policing body
    if sender is not None and sender.role in ("Other", "Chief Constable") and (
            sender.how != "attribution" or not policing_body_speaks(text)):
        speaking = sender
        role = PolicingBody(sender.role, [sender.office_span], office=sender.office or None)
        if sender.name is None:
            signatory = None  # a name given with another office is not this text's sender
        else:
            name = without_style(sender.name)
            signatory = Signatory(name, [s for s in spans_of(text, name)] or [sender.name_span])  # type: ignore[list-item]
    elif sender is not None and sender.role and sender.reason is None and (
            role is None or role.role == "Chief Constable" or sender.role == "Deputy PCC" and sender.how == "sign-off"):
        role = PolicingBody(sender.role, [sender.office_span], office=sender.office or None)
    elif role is None or role.role == "Chief Constable":
        dated = find_dates(text[:400])  # the text's own date, if it leads: which body the force had then
        role = (first_person_commissioner(text, force.name if force else None, dated[0].date if dated else None)
                or _held_by_signer(signatory, force.name if force else None, dated[0].date if dated else None) or role)

    force_name = force.name if force else None
    terms = tuple(h.term for h in holders_named(signatory.name, force_name)) if signatory else ()
    written = letter_date(text, dates, salutation)

    def resolve(found: Yearless) -> dt.date | None:
        return resolve_year(found, era(text)[0], terms, {d.date.year for d in dates})

    if written is None and (today := yearless_text_date(text, find_yearless(text), resolve)) is not None:
        written = LetterDate(today[0].isoformat(), [Span(today[1].start, today[1].end)])
        warnings.append(f"the text's date is written without a year: {today[0].year} is inferred from its weekday, "
                        "its wording and the speaker's term of office")
    responded: dt.date | None = None
    if document.published:
        responded, basis = dt.date.fromisoformat(document.published), "publication date"
    else:
        responded, basis = (dt.date.fromisoformat(written.date) if written else None), "letter date"

    def yearless() -> tuple[dt.date, Span] | None:
        hint = yearless_publication(text, find_yearless(text), resolve)
        return (hint[0], Span(hint[1].start, hint[1].end)) if hint else None

    report = identify_report(text, reports, salutation, dates, written, responded, force_name, terms, warnings,
                             yearless)
    candidates: list[ReportCandidate] = []
    if report is not None and report.id is not None:
        linked = catalogued(reports, report.id)
        if linked is not None:
            confidence = report.confidence = link_confidence(report, linked, text, responded, dates)
            if confidence < LINK_SAFE:  # a weak guess: to review with the candidate, not linked
                candidates.append(ReportCandidate(report.id, report.title, confidence, report.evidence))
                warnings.append(f"report not identified with confidence: {report.title} ({confidence:.2f}) "
                                "is a candidate for review")
                report = None
            elif confidence < CALIBRATED_SAFE:
                warnings.append(f"report linked with confidence {confidence:.2f}, below the calibrated safe "
                                f"level ({CALIBRATED_SAFE}): check it")
    if report is None and force is None and role is None and not _INSPECTION.search(text):
        raise NotALetter(document.path, "no response letter found: it speaks of no inspection, "
                                        "and names no force or policing body")
    verdict = judge_response(text, speaking, role, report is not None, force)
    if not verdict.value:
        warnings.append(f"not a response: {verdict.reason}")
    if written is None:
        warnings.append("letter date not found" + ("" if document.published else ": timeliness cannot be judged"))
    if signatory is not None:
        warnings += check_signatory(signatory, role, force_name, responded)

    answers = []
    matched = catalogued(reports, report.id) if report else None
    # Where the catalogue lacks the wording of some recommendations to forces, a text that
    # answers them by number is read by number.
    known = len(matched.force_recommendations) if matched else 0
    partly = matched is not None and (matched.recommendations_to_chief_constables or 0) > known
    cited = answer_cited(text, report.id) if report is not None and (partly or not known) else []
    if cited:
        answers = cited
        warnings.append("recommendations are numbered as the text numbers them: the catalogue lacks their wording")
    elif matched and known:
        answers = answer_recommendations(text, matched)
    published = dt.date.fromisoformat(report.published) if report and report.published else None
    if report and not published:
        warnings.append("report publication date unknown: the deadline cannot be computed")
    compliance = assess(
        published,
        responded,
        [a.number for a in answers if a.addressed],
        known if known and not cited else None,
        basis,
    )
    if compliance.days_taken is not None and compliance.days_taken < 0:
        warnings.append("the response is dated before the report's publication: check both dates")
    if known and not cited and not any(a.addressed for a in answers):
        warnings.append("no recommendation is answered individually")
    return ResponseRecord(
        source={"path": document.path, "sha256": document.sha256, "media_type": document.media_type,
                "pages": document.pages},
        text=text,
        force=force,
        policing_body=role,
        signatory=signatory,
        letter_date=written,
        addressees=find_addressees(text, salutation),
        report=report,
        recommendations=answers,
        initiatives=find_initiatives(text),
        compliance=compliance,
        warnings=warnings,
        kind=document_kind(text, document.media_type, salutation),
        response=verdict,
        report_candidates=candidates,
    )


_BODY_OFFICES = {"PCC": "PCC", "Acting PCC": "PCC", "PFCC": "PFCC", "Mayor": "Mayor", "Deputy Mayor": "Deputy Mayor",
                 "Police Authority Chair": "Police Authority"}


def _held_by_signer(signatory: Signatory | None, force: str | None, when: dt.date | None) -> PolicingBody | None:
    """The policing body's office the reference says the signer held for the force (on the
    text's date, where it leads the text): a letter signed with a name alone, whose only
    office named is the chief constable it mentions or copies. The evidence is the name,
    whose office the reference gives."""
    if signatory is None or force is None:
        return None
    held = [h for h in holders_named(signatory.name, force) if h.role in _BODY_OFFICES
            and (when is None or h.held_on(when))]
    if not held:
        return None
    return PolicingBody(_BODY_OFFICES[held[0].role], list(signatory.evidence), office=f"{held[0].role} (by the reference)")


# Files are read a batch at a time and then extracted one after another (extract_paths):
# reading a PDF evicts the extractor's code and data from the CPU caches, so a letter
# extracted straight after its own PDF costs ~15% more than one extracted after another
# letter. A batch holds at most this many files, and stops early once its text is long.
BATCH_FILES = 16
BATCH_CHARS = 2_000_000


def extract_paths(paths: Iterable[str | os.PathLike], reports: tuple[Report, ...] | None = None,
                  ) -> Iterator[tuple[str, ResponseRecord | InputError]]:
    """Each file's record, or the error that stopped it, in the order given, read in this
    process (`scrutiny.isolate` reads untrusted files in a worker process instead)."""
    batch: list[tuple[str, Document | InputError]] = []
    chars = 0
    for path in paths:
        try:
            document = read_path(path)
        except InputError as exc:
            batch.append((str(path), exc))
        except Exception as exc:  # noqa: BLE001 - a bug, ours or a parser's: this file's error; the batch goes on
            batch.append((str(path), unexpected(str(path), summarise(exc), traceback.format_exc())))
        else:
            batch.append((str(path), document))
            chars += len(document.text)
        if len(batch) == BATCH_FILES or chars >= BATCH_CHARS:
            yield from _extract_batch(batch, reports)
            batch, chars = [], 0
    yield from _extract_batch(batch, reports)


def _extract_batch(batch: list[tuple[str, Document | InputError]], reports: tuple[Report, ...] | None,
                   ) -> Iterator[tuple[str, ResponseRecord | InputError]]:
    for path, document in batch:
        if isinstance(document, InputError):  # the file could not be read
            yield path, document
            continue
        try:
            record = extract(document, reports)
        except InputError as exc:
            yield path, exc
        except Exception as exc:  # noqa: BLE001 - likewise
            yield path, unexpected(path, summarise(exc), traceback.format_exc())
        else:
            yield path, record
