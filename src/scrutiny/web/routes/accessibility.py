"""The accessibility statement (`/accessibility`, JSON at /api/accessibility). The Public Sector
Bodies Accessibility Regulations 2018 ask a public body to publish one for its website: the
standard it keeps to, how that was tested, and what is known not to meet it. The rules pages
are written to, and the tests that hold them, are in docs/accessibility.md; the statement
says the same to the people who use the pages."""
from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from ..deps import templates
from ..schemas import AccessibilityOut

router = APIRouter()

STATEMENT = {
    "standard": "Web Content Accessibility Guidelines (WCAG) 2.2, level AA",
    "status": "partially compliant",
    "prepared": dt.date(2026, 12, 7),
    "tested": [
        "the overview, the reports, a report's responses (its matrix) and its printable briefing",
        "the forces and a force's page",
        "the documents, a document with its evidence, and the search, with words and without",
        "the review queue, the upload page before and after an upload, sign-in, your account page and "
        "this statement",
        "the API documentation, with an operation tried",
        "the office's pages: cases, a case in each state, a draft and a published letter, actions, an action, "
        "what is due, and the holding-to-account pack",
        "each as the public and each role sees it: viewer, analyst, staff and approver",
    ],
    "methods": [
        "axe-core 4.14.1 in Chromium on every page above, with the rules for WCAG 2.0, 2.1 and 2.2 A and AA "
        "and axe's best practices; the tests fail on any serious or critical violation",
        "every page above at 320 CSS pixels wide: none scrolls sideways (a wide table scrolls in its own "
        "box, which a keyboard can reach)",
        "every PDF the app serves (a published letter, a draft letter, the holding-to-account pack): tagged "
        "(PDF/UA structure, checked with poppler's pdfinfo) with its language, title and author",
        "keyboard walks of a document, a report's matrix and the case page: every control reached by Tab, in the "
        "order of the page, each with a visible focus ring",
        "by hand: the focus ring (at least 3:1 against what surrounds it), the evidence underline on a "
        "document, targets of at least 24 by 24 pixels, and cues that do not rely on colour alone",
    ],
    "exceptions": [
        {"title": "The API documentation",
         "what": "The API documentation uses Swagger UI, made by others; its colours, its landmarks and its "
                 "headings are adjusted here to meet the standard, but its own markup is not changed and some "
                 "of its structure may still be hard to follow.",
         "criteria": "1.3.1",
         "plan": "Every operation is also described in the OpenAPI document at /openapi.json."},
    ],
    "feedback": "If you cannot use part of this site, or find a problem not listed here, tell the office that runs "
                "it. If you are not happy with how it responds, contact the Equality Advisory and Support "
                "Service (EASS); the Equality and Human Rights Commission enforces the regulations in England, "
                "Scotland and Wales.",
}


def statement() -> dict:
    return STATEMENT


@router.get("/accessibility", response_class=HTMLResponse, include_in_schema=False)
def statement_page(request: Request, data: dict = Depends(statement)):
    return templates.TemplateResponse(request, "accessibility.html", {"statement": data})


@router.get("/api/accessibility", response_model=AccessibilityOut, tags=["overview"])
def statement_json(data: dict = Depends(statement)) -> dict:
    """The accessibility statement: the standard, what was tested and how, and the known
    exceptions, each with the WCAG criteria it fails and what is being done (the statement page)."""
    return data
