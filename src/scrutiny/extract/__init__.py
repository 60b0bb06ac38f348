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
from typing import Iterable, Iterator

from .. import catalogue
from ..catalogue import Report
from ..compliance import assess
from ..errors import InputError, summarise, unexpected
from ..read import read_path
from ..record import Document, ReportMatch, ResponseRecord, Span
from .answers import answer_recommendations
from .dates import FoundDate, find_dates, letter_date, salutation_at, stated_publication
from .initiatives import find_initiatives
from .parties import check_signatory, find_addressees, find_force, find_role, find_signatory
from .report import match_catalogue, stated_title

__all__ = ["extract", "extract_paths", "NotALetter"]


class NotALetter(InputError):
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

    report = _report(text, reports, salutation, dates, warnings)
    if report is None and (force is None and role is None or not _INSPECTION.search(text)):
        raise NotALetter(document.path, "no response letter found: it speaks of no inspection, "
                                        "or names no force or policing body")

    answers = []
    matched = next((r for r in reports if report and r.id == report.id), None)
    if matched:
        answers = answer_recommendations(text, matched)

    written = letter_date(text, dates, salutation)
    if written is None:
        warnings.append("letter date not found" + ("" if document.published else ": timeliness cannot be judged"))
    responded: dt.date | None = None
    if document.published:
        responded, basis = dt.date.fromisoformat(document.published), "publication date"
    else:
        responded, basis = (dt.date.fromisoformat(written.date) if written else None), "letter date"
    if signatory is not None:
        warnings += check_signatory(signatory, role, force.name if force else None, responded)
    published = dt.date.fromisoformat(report.published) if report and report.published else None
    if report and not published:
        warnings.append("report publication date unknown: the deadline cannot be computed")
    compliance = assess(
        published,
        responded,
        [a.number for a in answers if a.addressed],
        len(matched.force_recommendations) if matched else None,
        basis,
    )
    if compliance.days_taken is not None and compliance.days_taken < 0:
        warnings.append("the response is dated before the report's publication: check both dates")
    if matched and not any(a.addressed for a in answers):
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
    )


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


def _report(text: str, reports: tuple[Report, ...], salutation: int | None, dates: list[FoundDate],
            warnings: list[str]) -> ReportMatch | None:
    """The report answered: the catalogue's best match, else the title the letter states.

    The catalogue's publication date is authoritative; a different date stated in the
    letter is kept as a warning. For an uncatalogued report the stated date is all we have.
    """
    stated = stated_publication(text, dates)
    match = match_catalogue(text, reports)
    if match is not None and match.report is not None:
        evidence = [match.span]
        published = match.report.published
        if stated is not None:
            if stated.date == published:
                evidence.append(Span(stated.start, stated.end))
            elif published is not None:
                warnings.append(f"letter gives the report's publication as {stated.date}, the catalogue {published}")
            else:
                published = stated.date
        return ReportMatch(match.report.id, match.report.title, published.isoformat() if published else None,
                           match.score, evidence,
                           published_stated=stated is not None and stated.date == published)
    title = stated_title(text, salutation)
    if title is None:
        return None
    evidence = [title.span]
    if stated is not None:
        evidence.append(Span(stated.start, stated.end))
    warnings.append("report not in the catalogue: recommendations cannot be checked")
    return ReportMatch(None, title.title, stated.date.isoformat() if stated else None, 0.0, evidence,
                       published_stated=stated is not None)
