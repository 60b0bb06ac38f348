"""A report published recently (users may add reports to the catalogue), and a case drafted
against it: what the office tests and the browser tests work on."""
from __future__ import annotations

import datetime as dt

from scrutiny import catalogue
from scrutiny.store import Store

REPORT_ID = "custody-safety-test"
TITLE = "An inspection of how well forces keep detainees safe in police custody"
WORDINGS = [
    "By 31 March, chief constables should make sure that every detainee's risk assessment is reviewed at each "
    "change of custody sergeant and recorded in the custody record.",
    "Chief constables should introduce regular dip-sampling of strip searches of children in custody, with the "
    "findings reported to the force's scrutiny panel.",
    "Chief constables should ensure that custody healthcare staff are present in every suite around the clock, "
    "or that a nurse can attend within thirty minutes.",
]


def add_recent_report(store: Store, published: dt.date) -> None:
    recs = "\n".join(f"  - number: {i}\n    addressees: [chief constables]\n    wording: \"{w}\""
                     for i, w in enumerate(WORDINGS, 1))
    source = (f"id: {REPORT_ID}\ntitle: {TITLE}\npublisher: HMICFRS\npublished: {published.isoformat()}\n"
              f"kind: thematic\nrecommendations:\n{recs}\n")
    store.add_report(catalogue.load_report_yaml(source), source)
