"""Screenshots of every page for docs/ (run by hand): `python benchmarks/screenshots.py [--office] [folder]`
(--office: only the responding office's pages, on a smaller store).

Serves the app on a store of the sample letters plus varied copies of them (so the pages look
as they do with many forces), a press statement, a document whose report is not catalogued
and a file that fails, with a check log that has a third of the bodies' publications read on
1 February 2024 (so that some responses are overdue: checked, not found; the rest are not
collected), and photographs each page in Debian's chromium. Then the responding
office: a case, its refusal to go for approval, a published letter and a holding-to-account
pack. The published letter answers the real 2019 child protection report (published through
the store as on 27 March 2020); the draft case answers a custody report added for the picture,
published twenty days before the day the script runs, so that its deadline is still ahead.
"""
from __future__ import annotations

import datetime as dt
import secrets
import sys
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).parent))
from corpus import letters

from scrutiny import catalogue
from scrutiny.office import actions, cases
from scrutiny.office import users as accounts
from scrutiny.oversight.ingest import ingest_bytes
from scrutiny.settings import Settings
from scrutiny.store import Store, reference
from scrutiny.store.checks import record_check
from scrutiny.web import create_app

ROOT = Path(__file__).parents[1]
BASE = "http://127.0.0.1:8765"
PASSWORD = secrets.token_urlsafe(12)
FORCE = "Warwickshire Police"
TODAY = "2024-03-01"  # a fixed day, so the statuses in the pictures do not change as time passes
PAGES = {  # file name -> (path, full page?)
    "overview": (f"/?today={TODAY}", True),
    "reports": (f"/reports?today={TODAY}&responded=yes&sort=responses", False),
    "report-matrix": (f"/reports/ncpi-2019-thematic?today={TODAY}&sort=days", False),
    "forces": (f"/forces?today={TODAY}", False),
    "force": (f"/forces/{{force}}?today={TODAY}", False),
    "documents": ("/documents", False),
    "letter": ("/documents/2#rec-1", False),
    "review": ("/review", False),
    "search": ("/search?q=%22criminalisation+of+children%22&per_page=5", False),
    "upload": ("/upload", False),
    "api-docs": ("/docs", False),
    "error": ("/documents/99999", False),
}


def _mixed_batch(folder: Path) -> list[str]:
    """A letter, a program, a damaged PDF and a document about an uncatalogued report."""
    files = {"response-letter.txt": letters(1, seed=9)[0][1].encode(), "program.exe": b"MZ\x90\x00",
             "scan.pdf": b"%PDF-1.7 and then nothing",
             "deputy-mayor.txt": (ROOT / "tests/letters/deputy-mayor.txt").read_bytes()}
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return [str(folder / name) for name in files]


CUSTODY = f"""id: custody-safety-demo
title: An inspection of how well forces keep detainees safe in police custody
publisher: HMICFRS
published: {dt.date.today() - dt.timedelta(days=20)}
kind: thematic
recommendations:
  - number: 1
    addressees: [chief constables]
    wording: "Chief constables should make sure that every detainee's risk assessment is reviewed at each change of custody sergeant and recorded in the custody record."
  - number: 2
    addressees: [chief constables]
    wording: "Chief constables should introduce regular dip-sampling of strip searches of children in custody, with the findings reported to the force's scrutiny panel."
  - number: 3
    addressees: [chief constables]
    wording: "Chief constables should ensure that custody healthcare staff are present in every suite around the clock, or that a nurse can attend within thirty minutes."
"""


def _office(store: Store) -> tuple[int, int]:
    """A published response to the child protection report (with its actions under way), and a
    draft answering the custody report with its third recommendation still unanswered."""
    sam = accounts.add_user(store, "sam.hughes", "Sam Hughes", "staff", PASSWORD, FORCE)
    ann = accounts.add_user(store, "ann.ross", "Ann Ross", "approver", PASSWORD, FORCE)
    published = cases.open_case(store, sam, FORCE, "ncpi-2019-thematic")
    cases.update_case(
        store, sam, published, comments_requested_by=dt.date(2020, 3, 13),
        body_comments="I welcome the Inspectorate's examination of this critical area and note its finding that "
        "there is now an unambiguous commitment from police leaders, officers and staff to protecting children.\n\n"
        "The report is clear that the best outcomes for children depend on leaders in every agency forming shared "
        "local strategies. I asked the Chief Constable for his comments on the recommendations to forces.",
        chief_comments="Warwickshire Police is committed to protecting people from harm and welcomes the findings "
        "of the report. Our Child Abuse, Trafficking and Exploitation team already reviews its own decisions, and "
        "the work below will be led by the force's Vulnerability Superintendent and tracked by the Vulnerability "
        "and Safeguarding Board.",
        body_on_chief="I am assured by the Chief Constable's response. I will scrutinise the force's progress on "
        "each step below at my quarterly accountability meetings, and my office will take part in the multi-agency "
        "work the report calls for.")
    plan = [("accepted", "", [("Adopt the national outcome 22 diversion scheme for children who offend",
                               "Supt Vulnerability", dt.date(2020, 9, 30)),
                              ("Train custody and response officers on considering a child's circumstances",
                               "Head of Learning", dt.date(2020, 12, 31))]),
            ("partially accepted", "Compliance audits continue; the new reviews add the quality of decisions.",
             [("Add decision-making quality to the monthly child protection audit", "DCI Public Protection",
               dt.date(2020, 6, 30))]),
            ("not accepted", "Warwickshire was inspected under the JTAI programme in 2019 and has already "
             "taken its learning into the force's safeguarding plan.", [])]
    for number, (stance, explanation, steps) in enumerate(plan, 1):
        cases.set_answer(store, sam, published, number, stance, explanation)
        for description, owner, due in steps:
            cases.add_step(store, sam, published, number, description, owner, due)
    cases.submit(store, sam, published)
    cases.approve(store, ann, published)
    cases.publish(store, ann, published, today=dt.date(2020, 3, 27))
    tracked = actions.actions(store, ann, force=FORCE)
    actions.update(store, sam, tracked[0].id, "in progress", "Audit form revised; first monthly audit in June.",
                   rag="amber")
    actions.update(store, sam, tracked[1].id, "done", "Scheme agreed with the Crown Prosecution Service; in use.",
                   evidence="https://www.warwickshire-pcc.gov.uk/outcome-22-scheme\n/documents/1", rag="green")
    actions.update(store, sam, tracked[2].id, "in progress", "Two of five training days held.", rag="red")
    actions.add_action(store, sam, published, 3, "Report JTAI learning to the safeguarding board each quarter",
                       "Head of Public Protection", dt.date.today() + dt.timedelta(days=90))

    report = catalogue.load_report_yaml(CUSTODY)
    store.add_report(report, CUSTODY)
    draft = cases.open_case(store, sam, FORCE, report.id)
    cases.update_case(
        store, sam, draft, comments_requested_by=dt.date.today() + dt.timedelta(days=10),
        body_comments="I welcome this inspection. People detained in police custody are among the most vulnerable "
        "the police deal with, and their safety is a priority of my Police and Crime Plan.",
        chief_comments="The force accepts the Inspectorate's findings. Custody is already reviewing its handover "
        "procedure, and the healthcare contract is due for renewal this year.",
        body_on_chief="")
    cases.set_answer(store, sam, draft, 1, "accepted", "")
    cases.add_step(store, sam, draft, 1, "Add a risk review to every custody shift handover", "Ch Insp Custody",
                   dt.date.today() + dt.timedelta(days=120))
    cases.set_answer(store, sam, draft, 2, "not accepted", "Children are not strip-searched in Warwickshire's "
                     "custody suites: the force's policy forbids it, and the scrutiny panel checks the records.")
    # A third case, sent for approval: what the approver sees.
    waiting = cases.open_case(store, sam, FORCE, "serious-youth-violence-2023")
    cases.update_case(store, sam, waiting, body_comments="I welcome this inspection of how serious youth violence "
                      "is tackled.", chief_comments="The force accepts both recommendations.",
                      body_on_chief="I will scrutinise the training figures each quarter.")
    for number in (1, 2):
        cases.set_answer(store, sam, waiting, number, "accepted", "")
        cases.add_step(store, sam, waiting, number, ["Train response officers in outcome 22",
                                                     "Publish disproportionality figures"][number - 1],
                       "Supt Youth Justice", dt.date.today() + dt.timedelta(days=200))
    cases.submit(store, sam, waiting)
    return published, draft, waiting


def _sign_in(page, username: str) -> None:
    page.goto(BASE + "/login")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _office_pages(page, folder: Path, published: int, draft: int, waiting: int) -> None:
    """Every page of the responding office, as its users see them."""
    _sign_in(page, "sam.hughes")
    page.goto(f"{BASE}/cases")
    page.screenshot(path=folder / "cases.png")
    page.goto(f"{BASE}/cases/{draft}")
    page.screenshot(path=folder / "case.png", full_page=True)
    page.get_by_label("I have checked the draft: send it for approval").check()
    page.get_by_role("button", name="Send for approval").click()
    page.screenshot(path=folder / "case-refused.png")
    page.goto(f"{BASE}/cases/{draft}")
    page.get_by_label("Step 1 for recommendation 3", exact=True).fill("Review the nurse rota")
    page.get_by_role("button", name="Save the draft").click()
    page.wait_for_selector('[aria-invalid="true"]')
    page.locator("#rec-3").screenshot(path=folder / "case-error.png")
    page.goto(f"{BASE}/actions")
    page.screenshot(path=folder / "actions.png")
    page.goto(f"{BASE}/actions")
    page.locator("#actions tbody a").nth(1).click()
    page.screenshot(path=folder / "action.png", full_page=True)
    page.goto(f"{BASE}/due?days=365")
    page.screenshot(path=folder / "due.png")
    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, "ann.ross")
    page.goto(f"{BASE}/cases/{waiting}")
    page.locator("#steps").screenshot(path=folder / "case-approval.png")
    page.goto(f"{BASE}/cases/{published}")
    page.locator("#rec-1").screenshot(path=folder / "case-tracking.png")
    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, "admin")
    page.goto(f"{BASE}/admin/users")
    page.get_by_role("button", name="Password link for sam.hughes").click()
    page.screenshot(path=folder / "admin-users.png", full_page=True)
    page.goto(f"{BASE}/admin/audit")
    page.screenshot(path=folder / "admin-audit.png")
    page.goto(f"{BASE}/admin/bodies")
    page.screenshot(path=folder / "admin-bodies.png")
    page.set_viewport_size({"width": 1000, "height": 900})
    page.goto(f"{BASE}/cases/{published}/letter")
    page.screenshot(path=folder / "published-letter.png", full_page=True)
    page.goto(f"{BASE}/accountability/{FORCE}")
    page.screenshot(path=folder / "accountability-pack.png", full_page=True)
    page.set_viewport_size({"width": 320, "height": 700})  # reflows at 320px wide
    page.goto(f"{BASE}/cases/{waiting}")
    page.screenshot(path=folder / "case-narrow.png")


def main(folder: Path, office_only: bool = False) -> None:
    work = Path(tempfile.mkdtemp())
    store = Store(f"sqlite:///{work / 'shots.db'}")
    if not office_only:
        for name, text in letters(120, seed=3):
            ingest_bytes(store, text.encode(), name, f"bench:{name}")
    else:
        for name, text in letters(5, seed=3):
            ingest_bytes(store, text.encode(), name, f"bench:{name}")
    for name in ("press-page.html", "uncatalogued-peel.txt"):
        ingest_bytes(store, (ROOT / "tests/letters" / name).read_bytes(), name, f"upload:{name}")
    ingest_bytes(store, b"Scones: mix flour and butter, add milk, bake.", "recipe.txt", "upload:recipe.txt")
    with store.transaction() as s:  # what the collector would log: a third of the bodies looked at
        ids = reference.force_ids(s)
        for name in sorted(ids)[::3]:
            record_check(s, ids[name], "https://www.example.org/hmicfrs-responses", dt.datetime(2024, 2, 1, 9),
                         dt.datetime(2024, 2, 1, 9, 2), ok=True, found=0)
    accounts.add_user(store, "alex.hart", "Alex Hart", "analyst", PASSWORD)  # uploads
    accounts.add_user(store, "admin", "Administrator", "administrator", PASSWORD)
    published, draft, waiting = _office(store)
    app = create_app(store, Settings(secret_key=secrets.token_urlsafe(40)))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=8765, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                          "--disable-background-networking", "--disable-component-update"])
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        if not office_only:
            _sign_in(page, "alex.hart")
            page.goto(f"http://127.0.0.1:8765/reports/ncpi-2019-thematic?today={TODAY}&sort=days")
            force = page.locator("#matrix tbody th a").first.inner_text()
            page.goto("http://127.0.0.1:8765/forces")
            force_id = page.get_by_role("link", name=force, exact=True).get_attribute("href").rsplit("/", 1)[1]
            for name, (path, full) in PAGES.items():
                page.goto("http://127.0.0.1:8765" + path.format(force=force_id))
                page.wait_for_load_state("networkidle")
                if name == "report-matrix":
                    page.locator("#matrix td.docs details").first.evaluate("d => d.open = true")
                if name == "upload":  # a mixed batch: each file its outcome
                    page.set_input_files("input[name=files]", _mixed_batch(work))
                    page.get_by_role("button", name="Upload").click()
                page.wait_for_timeout(300)
                page.screenshot(path=folder / f"{name}.png", full_page=full)
            page.get_by_role("button", name="Sign out").click()
        _office_pages(page, folder, published, draft, waiting)
        browser.close()
    server.should_exit = True


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if a != "--office"]  # --office: only the office's pages
    main(Path(arguments[0]) if arguments else ROOT / "docs", office_only="--office" in sys.argv)
