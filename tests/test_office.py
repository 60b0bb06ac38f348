"""The responding office on both engines: accounts and sessions, CSRF, roles and force scope,
drafting a case, the refusal naming what is unanswered, publishing as a document of the same
response, the PDF read back (and run through the extractor), each step all or nothing,
tracking, deadlines, the CLI."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import stat
import threading

import jsonschema
import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from conftest import SCHEMA
from fastapi.testclient import TestClient
from office import REPORT_ID, add_recent_report
from pydantic import ValidationError
from signin import PASSWORD, csrf, sign_in, user
from sqlalchemy import inspect

from scrutiny.cli import app as cli
from scrutiny.errors import Conflict, Forbidden, InvalidValue, NotSignedIn, TooManyAttempts
from scrutiny.extract import extract
from scrutiny.office import actions, cases
from scrutiny.office import users as accounts
from scrutiny.office.permissions import Account, authorize
from scrutiny.office.users import MAX_FAILURES
from scrutiny.oversight import exports
from scrutiny.read import read_bytes
from scrutiny.record.vocabulary import UserRole
from scrutiny.settings import Settings
from scrutiny.store import AlreadyStored, reports
from scrutiny.web import auth as sessions
from scrutiny.web import create_app

SECRET = "s" * 40
WARWICKSHIRE, DORSET = "Warwickshire Police", "Dorset Police"
NCPI = "ncpi-2019-thematic"  # published 2020-02-27: the last day is 2020-04-22
NASTY = "<script>alert('x')</script> Robert'); DROP TABLE cases; -- & <b>bold</b>"


@pytest.fixture
def people(store):
    return {name: user(store, name, role, force) for name, role, force in (
        ("sam", "staff", WARWICKSHIRE), ("dee", "staff", DORSET), ("ann", "approver", WARWICKSHIRE),
        ("vic", "viewer", None), ("alex", "analyst", None))}


@pytest.fixture
def web(store, people):
    return create_app(store, Settings(secret_key=SECRET))


def client_of(app) -> TestClient:
    return TestClient(app, raise_server_exceptions=False)


def drafted(store, people, report=NCPI, answered=(1, 2, 3)) -> int:
    """A Warwickshire case with comments and the recommendations in `answered` answered."""
    sam = people["sam"]
    case_id = cases.open_case(store, sam, WARWICKSHIRE, report)
    cases.update_case(store, sam, case_id, body_comments="I welcome the inspection.\n\nI will scrutinise progress.",
                      chief_comments="The force is committed to protecting children.",
                      body_on_chief="I am assured by the Chief Constable's response.",
                      comments_requested_by=dt.date(2020, 3, 13))
    plan = {1: ("accepted", "", [("Review every open child protection case", "Det Supt Khan", dt.date(2020, 9, 30))]),
            2: ("partially accepted", "Quality assurance already covers most of this.",
                [("Add decision-making to the audit", "Ch Insp Reid", dt.date(2020, 6, 30))]),
            3: ("not accepted", "The force was inspected by the JTAI in 2019 and has taken that learning.", [])}
    for number in answered:
        stance, explanation, steps = plan[number]
        cases.set_answer(store, sam, case_id, number, stance, explanation)
        for description, owner, due in steps:
            cases.add_step(store, sam, case_id, number, description, owner, due)
    return case_id


# --- accounts and sessions ---------------------------------------------------------------------------

def test_wrong_password_is_refused_and_guessing_is_slowed(store, people, web):
    client = client_of(web)
    response = client.post("/login", data={"username": "sam", "password": "wrong password!", "csrf_token": csrf(client)})
    assert response.status_code == 401 and "wrong user name or password" in response.text
    assert client.get("/api/cases").status_code == 401
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(NotSignedIn):
            accounts.sign_in(store, "sam", "still wrong!!", "10.0.0.9")
    with pytest.raises(TooManyAttempts):  # even the right password, until the window passes
        accounts.sign_in(store, "sam", PASSWORD, "10.0.0.9")
    with pytest.raises(NotSignedIn):  # an unknown name fails like a wrong password
        accounts.sign_in(store, "nobody", PASSWORD, "10.0.0.8")
    assert accounts.sign_in(store, "ann", PASSWORD, "10.0.0.7").role == "approver"


def test_an_expired_or_disabled_session_is_signed_out(store, people, web):
    client = client_of(web)
    sign_in(client, "sam")
    assert client.get("/api/cases").status_code == 200
    hours = Settings().session_hours
    stale = sessions.Session(people["sam"].id, dt.datetime.now().timestamp() - hours * 3600 - 5, "t" * 32, "i" * 32)
    client.cookies.set(sessions.COOKIE, sessions.encode(stale, SECRET.encode()))
    assert client.get("/api/cases").status_code == 401
    page = client.get("/cases", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=/cases"
    forged = sessions.encode(sessions.Session(people["ann"].id, dt.datetime.now().timestamp(), "t" * 32, "i" * 32), b"x" * 40)
    client.cookies.set(sessions.COOKIE, forged)  # signed with another key
    assert client.get("/api/cases").status_code == 401
    client = client_of(web)
    sign_in(client, "sam")
    accounts.set_active(store, "sam", False)
    assert client.get("/api/cases").status_code == 401


# What ends a session at once: a copy of its cookie kept from before is then refused.
ENDINGS = {
    "signing out": lambda store, client: client.post("/logout", data={"csrf_token": client.headers["X-CSRF-Token"]}),
    "disabling": lambda store, client: accounts.set_active(store, "sam", False),
    "a new role": lambda store, client: accounts.set_role(store, "sam", "staff", DORSET),
    "a new password": lambda store, client: accounts.set_password(store, "sam", "another long password"),
}


@pytest.mark.parametrize("ending", ENDINGS)
def test_a_cookie_kept_from_before_the_session_ends_is_refused(store, people, web, ending):
    client = client_of(web)
    sign_in(client, "sam")
    kept = client_of(web)  # someone holding a copy of the cookie and the page's token
    kept.cookies.set(sessions.COOKIE, client.cookies[sessions.COOKIE])
    kept.headers["X-CSRF-Token"] = client.headers["X-CSRF-Token"]
    assert kept.post("/api/cases", json={"force": WARWICKSHIRE, "report": NCPI}).status_code == 201
    ENDINGS[ending](store, client)
    again = kept.post("/api/cases", json={"force": WARWICKSHIRE, "report": NCPI})
    assert again.status_code == 401 and again.json()["error"] == "sign in first"  # not 409: it was never tried
    assert kept.get("/api/cases").status_code == 401
    overview = kept.get("/")  # reading goes on, signed out
    assert overview.status_code == 200 and "Sign out" not in overview.text and '<a href="/login">Sign in</a>' in overview.text


def test_signing_out_ends_that_session_only(store, people, web):
    here, elsewhere = client_of(web), client_of(web)
    sign_in(here, "sam")
    sign_in(elsewhere, "sam")
    assert here.post("/logout", data={"csrf_token": here.headers["X-CSRF-Token"]}, follow_redirects=False).status_code == 303
    assert here.get("/api/cases").status_code == 401
    assert elsewhere.get("/api/cases").status_code == 200


def test_disabling_a_user_revokes_their_calendar_feed(store, people, web):
    feed = f"/calendar/{accounts.new_calendar_token(store, people['sam'].id)}.ics"
    assert client_of(web).get(feed).status_code == 200
    accounts.set_active(store, "sam", False)
    accounts.set_active(store, "sam", True)
    assert client_of(web).get(feed).status_code == 404  # re-enabling does not bring the old address back
    assert not accounts.has_calendar(store, people["sam"].id)


def test_the_session_cookie_flags(store, people):
    response = client_of(create_app(store, Settings(secret_key=SECRET))).get("/login")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(sessions.COOKIE + "=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Path=/" in cookie and f"Max-Age={8 * 3600}" in cookie and "Secure" not in cookie
    secure = client_of(create_app(store, Settings(secret_key=SECRET, secure_cookies=True, session_hours=1)))
    cookie = secure.get("/login").headers["set-cookie"]
    assert "Secure" in cookie and "Max-Age=3600" in cookie


def test_every_write_needs_the_csrf_token(store, people, web):
    client = client_of(web)
    sign_in(client, "sam")
    token = client.headers.pop("X-CSRF-Token")
    form = {"force": WARWICKSHIRE, "report": NCPI}
    assert client.post("/cases", data=form).status_code == 403
    assert client.post("/cases", data={**form, "csrf_token": "forged"}).status_code == 403
    assert client.post("/api/cases", json={"force": WARWICKSHIRE, "report": NCPI}).status_code == 403
    assert client.post("/logout").status_code == 403
    assert client.post("/login", data={"username": "sam", "password": PASSWORD}).status_code == 403
    assert cases.cases(store, people["sam"]) == []  # nothing was written
    made = client.post("/api/cases", json={"force": WARWICKSHIRE, "report": NCPI}, headers={"X-CSRF-Token": token})
    assert made.status_code == 201 and made.json()["state"] == "draft"


def test_staff_of_one_force_cannot_touch_another_forces_case(store, people, web):
    case_id = drafted(store, people)
    client = client_of(web)
    sign_in(client, "dee")
    assert client.get(f"/cases/{case_id}").status_code == 403
    assert client.get(f"/api/cases/{case_id}").status_code == 403
    assert client.get(f"/cases/{case_id}/letter").status_code == 403  # a draft letter is the office's
    token = client.headers["X-CSRF-Token"]
    assert client.post(f"/cases/{case_id}/draft", data={"version": "1", "comments.body": "mine now",
                                                         "csrf_token": token}).status_code == 403
    assert client.put(f"/api/cases/{case_id}/draft", json={"version": 1, "comments": {"body": "mine"}}).status_code == 403
    assert client.put(f"/api/cases/{case_id}/answers/1", json={"stance": "not accepted"}).status_code == 403
    assert client.post("/cases", data={"force": WARWICKSHIRE, "report": NCPI, "csrf_token": token}).status_code == 403
    assert client.get("/api/cases").json() == []
    assert client.get(f"/accountability/{WARWICKSHIRE}").status_code == 403
    with pytest.raises(Forbidden):
        cases.set_answer(store, people["dee"], case_id, 1, "not accepted", "")
    assert cases.get_case(store, people["sam"], case_id).body_comments.startswith("I welcome")


def test_a_viewer_cannot_publish_upload_or_correct(store, people, web):
    case_id = drafted(store, people)
    cases.submit(store, people["sam"], case_id)
    client = client_of(web)
    client.post("/api/documents", files=[("files", ("x.txt", b"text", "text/plain"))])  # anonymous: refused too
    sign_in(client, "vic")
    token = client.headers["X-CSRF-Token"]
    assert client.post(f"/cases/{case_id}/publish", data={"csrf_token": token}).status_code == 403
    assert client.post(f"/api/cases/{case_id}/publish").status_code == 403
    assert client.post("/api/documents", files=[("files", ("x.txt", b"A letter", "text/plain"))]).status_code == 403
    assert client.post("/upload", data={"csrf_token": token},
                       files=[("files", ("x.txt", b"A letter", "text/plain"))]).status_code == 403
    assert client.post("/api/documents/1/corrections", json={"field": "letter_date", "value": "2020-04-01"}
                       ).status_code == 403
    assert client.post("/documents/1/corrections", data={"field": "letter_date", "value": "2020-04-01",
                                                       "csrf_token": token}).status_code == 403
    assert client.get(f"/api/cases/{case_id}").status_code == 403  # drafts are the office's
    assert cases.get_case(store, people["ann"], case_id).state == "awaiting approval"
    anonymous = client_of(web)
    assert anonymous.post("/api/documents", files=[("files", ("x.txt", b"A", "text/plain"))],
                          headers={"X-CSRF-Token": csrf(anonymous)}).status_code == 401


def test_reading_may_need_a_sign_in(store, people):
    client = client_of(create_app(store, Settings(secret_key=SECRET, read_requires_login=True)))
    page = client.get("/", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=/"
    assert client.get("/api/reports").status_code == 401 and client.get("/static/style.css").status_code == 200
    sign_in(client, "vic")
    assert client.get("/api/reports").status_code == 200


# --- cases ----------------------------------------------------------------------------------------------

def test_a_case_is_refused_for_approval_naming_the_unanswered_recommendation(store, people):
    case_id = drafted(store, people, answered=(1, 3))
    view = cases.get_case(store, people["sam"], case_id, today=dt.date(2020, 3, 20))
    assert (view.deadline, view.days_left, view.comments_requested_by) == (dt.date(2020, 4, 22), 33,
                                                                           dt.date(2020, 3, 13))
    with pytest.raises(cases.NotReady) as refused:
        cases.submit(store, people["sam"], case_id)
    assert refused.value.problems == ["Recommendation 2 has no stance"]
    cases.set_answer(store, people["sam"], case_id, 2, "partially accepted", "")
    with pytest.raises(cases.NotReady) as refused:
        cases.submit(store, people["sam"], case_id)
    assert refused.value.problems == ["Recommendation 2 has neither steps to be taken nor an explanation"]
    cases.set_answer(store, people["sam"], case_id, 2, "partially accepted", "Only the audit part.")
    with pytest.raises(Forbidden):  # staff send; an approver publishes
        cases.publish(store, people["sam"], case_id)
    cases.submit(store, people["sam"], case_id)
    with pytest.raises(Conflict):  # awaiting approval: no more edits until it is returned
        cases.set_answer(store, people["sam"], case_id, 1, "not accepted", "")
    cases.return_to_draft(store, people["ann"], case_id, "Say more on 2")
    history = cases.get_case(store, people["sam"], case_id).history
    assert [(h.author, h.field, h.after) for h in history if h.field == "state"] == [
        ("sam", "state", "draft"), ("sam", "state", "awaiting approval"), ("ann", "state", "draft: Say more on 2")]
    assert ("sam", "recommendation 2 stance", None, "partially accepted") in [
        (h.author, h.field, h.before, h.after) for h in history]
    with pytest.raises(Conflict):  # one case per force per report
        cases.open_case(store, people["ann"], WARWICKSHIRE, NCPI)
    with pytest.raises(InvalidValue):  # a force inspection of another force does not expect Warwickshire
        cases.open_case(store, people["sam"], WARWICKSHIRE, "peel-2023-25-dorset")


def test_publishing_stores_the_letter_as_a_document_of_the_same_response(store, people):
    case_id = drafted(store, people)
    cases.submit(store, people["sam"], case_id)
    cases.approve(store, people["ann"], case_id)
    document_id = cases.publish(store, people["ann"], case_id, today=dt.date(2020, 3, 27))
    view = cases.get_case(store, people["vic"], case_id)  # published: anyone who reads may see it
    assert view.state == "published" and view.on_time is True and view.document_id == document_id
    document = store.document(document_id)
    assert document.kind == "letter" and document.media_type == "application/pdf"
    assert document.response_id == view.response_id
    matrix = reports.report_matrix(store, NCPI, today=dt.date(2020, 5, 1))
    [row] = matrix.rows.items
    assert (row.force, row.status, row.days_taken, row.statutory_document_id) == (WARWICKSHIRE, "on time", 29,
                                                                                 document_id)
    assert [(c.state, c.origin) for c in row.cells] == [("accepted", "drafted"), ("partially accepted", "drafted"),
                                                        ("not accepted", "drafted")]
    # Every value the office's record gives points at words that are in the letter.
    record = document.record
    for value, spans in ((record["force"]["name"], record["force"]["evidence"]),
                         (record["signatory"]["name"], record["signatory"]["evidence"]),
                         (record["report"]["title"], record["report"]["evidence"]),
                         ("27 March 2020", record["letter_date"]["evidence"])):
        assert spans and all(value in record["text"][s["start"]:s["end"]] for s in spans), value
    assert record["signatory"]["name"] == "Philip Seccombe"  # the reference's commissioner that day
    if SCHEMA.is_file():  # the office's record is in the contract's shape, like the extractor's
        exported = json.loads("".join(exports.records_json(store)))
        [mine] = [r for r in exported if r["document_id"] == document_id]
        jsonschema.validate(mine, json.loads(SCHEMA.read_text()))


def test_a_late_publication_is_late(store, people):
    case_id = drafted(store, people)
    cases.submit(store, people["sam"], case_id)
    cases.approve(store, people["ann"], case_id)
    cases.publish(store, people["ann"], case_id, today=dt.date(2020, 5, 1))
    [row] = reports.report_matrix(store, NCPI, today=dt.date(2020, 6, 1)).rows.items
    assert (row.status, row.days_taken) == ("late", 64)
    assert cases.get_case(store, people["sam"], case_id).on_time is False


def test_the_published_pdf_reads_back_with_every_recommendation_and_answer(store, people):
    case_id = drafted(store, people)
    cases.submit(store, people["sam"], case_id)
    cases.approve(store, people["ann"], case_id)
    document_id = cases.publish(store, people["ann"], case_id, today=dt.date(2020, 3, 27))
    filename, _, pdf = store.content(document_id)
    text = " ".join(read_bytes(pdf, filename).text.split())
    view = cases.get_case(store, people["sam"], case_id)
    for a in view.answers:
        assert " ".join(a.wording.split()) in text
        assert f"Recommendation {a.label}: {a.stance.capitalize()}" in text
        for step in a.steps:
            assert step.description in text and step.owner in text
        assert " ".join(a.explanation.split()) in text
    assert "Her Majesty's Chief Inspector of Constabulary" in text  # in 2020; His Majesty's from September 2022
    for part in ("1. Comments of the Commissioner", "2. Comments from the Chief Constable",
                 "3. Comments of the Commissioner on the Chief Constable's comments", "27 March 2020",
                 "Home Secretary", "HMICFRS", "Yours faithfully"):
        assert part in text
    assert text.index("1. Comments") < text.index("2. Comments") < text.index("Recommendation 1") < \
        text.index("3. Comments") < text.index("Yours faithfully")
    # Round trip: the project's own reader and extractor find what the office entered.
    record = extract(read_bytes(pdf, filename), store.reports()).to_dict()
    assert record["force"]["name"] == WARWICKSHIRE and record["letter_date"]["date"] == "2020-03-27"
    assert record["report"]["id"] == NCPI
    assert [(r["number"], r["addressed"], r["stance"]) for r in record["recommendations"]] == [
        (a.number, True, a.stance) for a in view.answers]


def test_every_text_field_is_stored_and_shown_inert(store, people, web):
    add_recent_report(store, dt.date.today() - dt.timedelta(days=10))
    client = client_of(web)
    sign_in(client, "sam")
    token = client.headers["X-CSRF-Token"]
    case_url = client.post("/cases", data={"force": WARWICKSHIRE, "report": REPORT_ID, "csrf_token": token},
                           follow_redirects=False).headers["location"]
    form = {"version": "1", "requested_by": "", "comments.body": NASTY, "comments.chief_constable": NASTY,
            "comments.response_to_chief": NASTY, "csrf_token": token}
    for i, number in enumerate((1, 2, 3)):
        form |= {f"answers.{i}.number": str(number), f"answers.{i}.stance": "accepted",
                 f"answers.{i}.explanation": NASTY, f"answers.{i}.steps.0.text": NASTY,
                 f"answers.{i}.steps.0.owner": NASTY, f"answers.{i}.steps.0.due": "2030-01-31"}
    assert client.post(f"{case_url}/draft", data=form, follow_redirects=False).status_code == 303
    assert client.post(f"{case_url}/submit", data={"csrf_token": token, "confirm": "yes"},
                       follow_redirects=False).status_code == 303
    sign_in(client, "ann")
    for step in ("approve", "publish"):
        assert client.post(f"{case_url}/{step}", data={"csrf_token": client.headers["X-CSRF-Token"], "confirm": "yes"},
                           follow_redirects=False).status_code == 303
    case_id = int(case_url.rsplit("/", 1)[1])
    view = cases.get_case(store, people["ann"], case_id)
    assert view.body_comments == view.chief_comments == view.answers[0].explanation == NASTY  # stored as typed
    assert view.answers[0].steps[0].description == " ".join(NASTY.split())
    action_id = view.answers[0].steps[0].id
    client.post(f"/actions/{action_id}/updates", data={"status": "in progress", "note": NASTY, "reason": "",
                                                       "csrf_token": client.headers["X-CSRF-Token"]})
    escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
    for url in (case_url, f"{case_url}/letter", f"/actions/{action_id}", f"/accountability/{WARWICKSHIRE}",
                "/actions", f"/documents/{view.document_id}"):
        page = client.get(url).text
        assert "<script>alert" not in page and "<b>bold</b>" not in page, url
        assert escaped in page or "&lt;script&gt;alert(&#x27;x&#x27;)" in page, url
    pdf = pdfium.PdfDocument(client.get(f"{case_url}/letter.pdf").content)
    layer = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "<script>alert('x')</script>" in layer and "<b>bold</b>" in layer  # printed, not read as markup
    assert {"cases", "users", "actions"} <= set(inspect(store.engine).get_table_names())


# --- who may do what, and each step all or nothing -----------------------------------------------------

# Which roles have each permission: what authorize() lets through.
ALLOWED = {"read": {"viewer", "analyst", "staff", "approver", "administrator"},
           "correct": {"analyst", "administrator"},
           "draft": {"staff", "approver", "administrator"},
           "publish": {"approver", "administrator"},
           "manage": {"administrator"}}


def test_authorize_refuses_the_signed_out_the_wrong_role_and_another_forces_work():
    with pytest.raises(NotSignedIn, match="sign in first"):
        authorize(None, "read")
    for role in UserRole:
        someone = Account(1, "kim", "Kim", role, None)
        for permission, roles in ALLOWED.items():
            if role in roles:
                assert authorize(someone, permission) is someone
            else:
                with pytest.raises(Forbidden, match=f"a {someone.role_label} may not do this"):
                    authorize(someone, permission)
    sam = Account(2, "sam", "Sam", UserRole.STAFF, WARWICKSHIRE)
    assert authorize(sam, "draft", WARWICKSHIRE) is sam
    with pytest.raises(Forbidden, match=f"sam works for {WARWICKSHIRE}, not {DORSET}"):
        authorize(sam, "draft", DORSET)
    ann = Account(3, "ann", "Ann", UserRole.APPROVER, WARWICKSHIRE)  # a commissioner's office: one force
    with pytest.raises(Forbidden, match=f"ann works for {WARWICKSHIRE}, not {DORSET}"):
        authorize(ann, "publish", DORSET)
    for anywhere in (Account(4, "pat", "Pat", UserRole.APPROVER, None),  # an approver with no force: any
                     Account(5, "ada", "Ada", UserRole.ADMINISTRATOR, WARWICKSHIRE)):  # never confined
        assert authorize(anywhere, "publish", DORSET) is anywhere
    with pytest.raises(Forbidden):  # disabled: nothing, whatever the role
        authorize(Account(6, "old", "Old", UserRole.ADMINISTRATOR, None, active=False), "read")


def test_a_case_moves_only_along_the_transitions(store, people):
    sam, ann = people["sam"], people["ann"]
    case_id = drafted(store, people)
    with pytest.raises(Conflict, match="only a case awaiting approval or an approved case can be returned"):
        cases.return_to_draft(store, ann, case_id, "")
    with pytest.raises(Conflict, match="only an approved case can be published"):
        cases.publish(store, ann, case_id)
    cases.submit(store, sam, case_id)
    with pytest.raises(Conflict, match="only an approved case can be published"):  # four eyes: approve first
        cases.publish(store, ann, case_id)
    with pytest.raises(Conflict, match="only a draft can be sent for approval"):
        cases.submit(store, sam, case_id)
    with pytest.raises(Conflict, match="only a draft can be changed"):
        cases.update_case(store, sam, case_id, chief_comments="More")
    with pytest.raises(Forbidden, match="a office staff may not do this"):  # the right state, the wrong role
        cases.return_to_draft(store, sam, case_id, "")
    cases.approve(store, ann, case_id)
    cases.publish(store, ann, case_id, today=dt.date(2020, 3, 27))
    assert [(h.before, h.after) for h in cases.get_case(store, sam, case_id).history if h.field == "state"] == [
        (None, "draft"), ("draft", "awaiting approval"), ("awaiting approval", "approved"), ("approved", "published")]
    with pytest.raises(Conflict, match="only a case awaiting approval or an approved case can be returned"):
        cases.return_to_draft(store, ann, case_id, "")


def _unchanged(store, people, case_id, before) -> None:
    """The case is as it was `before`, and no document was stored."""
    after = cases.get_case(store, people["ann"], case_id)
    assert (after.state, after.submitted_by, after.published_by, after.document_id, after.letter) == (
        before.state, before.submitted_by, before.published_by, before.document_id, before.letter)
    assert after.history == before.history
    assert store.document_by_source(f"office:case/{case_id}") is None


def test_a_failure_part_way_through_submit_leaves_the_draft_as_it_was(store, people, monkeypatch):
    case_id = drafted(store, people)
    before = cases.get_case(store, people["ann"], case_id)

    def broken_clock():
        raise RuntimeError("the clock stopped")
    monkeypatch.setattr(cases, "now", broken_clock)  # read after the state has moved and the move is logged
    with pytest.raises(RuntimeError):
        cases.submit(store, people["sam"], case_id)
    _unchanged(store, people, case_id, before)
    monkeypatch.undo()
    cases.submit(store, people["sam"], case_id)
    assert cases.get_case(store, people["sam"], case_id).state == "awaiting approval"


def test_submit_checks_and_writes_in_one_transaction(store, people, monkeypatch):
    """An edit racing a submission waits for it: it cannot empty an answer between the check
    that every recommendation is answered and the move to awaiting approval."""
    case_id = drafted(store, people)
    raced: list[Exception | None] = []
    racers: list[threading.Thread] = []

    def unanswer() -> None:
        try:
            cases.set_answer(store, people["sam"], case_id, 2, None, "")
            raced.append(None)
        except Conflict as exc:
            raced.append(exc)
    checked = cases.view_of  # what submit reads to find what is missing

    def check_then_race(*args):
        view = checked(*args)
        racers.append(threading.Thread(target=unanswer))
        racers[0].start()
        racers[0].join(0.5)  # still waiting for the write lock the submission holds
        return view
    monkeypatch.setattr(cases, "view_of", check_then_race)
    cases.submit(store, people["sam"], case_id)
    monkeypatch.undo()
    racers[0].join(30)
    assert isinstance(raced[0], Conflict)  # refused once it had the lock: the case was no longer a draft
    view = cases.get_case(store, people["sam"], case_id)
    assert view.state == "awaiting approval" and view.problems == []


def test_a_failure_part_way_through_publish_leaves_nothing_published(store, people, monkeypatch):
    case_id = drafted(store, people)
    cases.submit(store, people["sam"], case_id)
    cases.approve(store, people["ann"], case_id)
    before = cases.get_case(store, people["ann"], case_id)

    def broken_renderer(*_):
        raise RuntimeError("the renderer crashed")
    monkeypatch.setattr(cases, "render", broken_renderer)  # called after the case has moved
    with pytest.raises(RuntimeError):
        cases.publish(store, people["ann"], case_id, today=dt.date(2020, 3, 27))
    _unchanged(store, people, case_id, before)
    monkeypatch.undo()
    save = store.save

    def save_then_fail(*args, **kwargs):
        save(*args, **kwargs)
        raise RuntimeError("the disk filled")
    monkeypatch.setattr(store, "save", save_then_fail)  # the letter is stored, then the step fails
    with pytest.raises(RuntimeError):
        cases.publish(store, people["ann"], case_id, today=dt.date(2020, 3, 27))
    _unchanged(store, people, case_id, before)
    assert store.documents() == []  # the letter went with the rest
    monkeypatch.undo()  # a retry publishes once
    document_id = cases.publish(store, people["ann"], case_id, today=dt.date(2020, 3, 27))
    view = cases.get_case(store, people["ann"], case_id)
    assert view.document_id == document_id and [h.after for h in view.history].count("published") == 1


def test_a_letter_whose_bytes_are_stored_already_publishes_nothing(store, people):
    case_id = drafted(store, people)
    cases.submit(store, people["sam"], case_id)
    cases.approve(store, people["ann"], case_id)
    before = cases.get_case(store, people["ann"], case_id)
    day = dt.date(2020, 3, 27)
    letter = cases.render(before, day, people["ann"].name)  # the very bytes publishing will make
    copy_id, _ = store.save("uploads/copy-of-the-letter.pdf", letter.filename, letter.pdf, letter.record)
    with pytest.raises(AlreadyStored):  # found when the letter is stored, after the case has moved
        cases.publish(store, people["ann"], case_id, today=day)
    _unchanged(store, people, case_id, before)
    assert [d.id for d in store.documents()] == [copy_id]


def test_an_action_closed_is_not_closed_again_without_a_note(store, people):
    case_id = drafted(store, people)
    cases.submit(store, people["sam"], case_id)
    cases.approve(store, people["ann"], case_id)
    cases.publish(store, people["ann"], case_id, today=dt.date(2020, 3, 27))
    action_id = actions.actions(store, people["sam"])[0].id
    actions.update(store, people["sam"], action_id, "done", "All reviewed", evidence="https://example.org/audit")
    with pytest.raises(Conflict, match="is already done"):
        actions.update(store, people["sam"], action_id, "done", "", evidence="https://example.org/audit")
    actions.update(store, people["sam"], action_id, "dropped", "", reason="Superseded by the 2021 plan")
    view = actions.action(store, people["sam"], action_id)
    assert (view.status, view.reason, view.updates[-1].note) == ("dropped", "Superseded by the 2021 plan",
                                                                  "Superseded by the 2021 plan")
    with pytest.raises(InvalidValue, match="status: one of open, in progress, done, dropped"):
        actions.update(store, people["sam"], action_id, "finished", "")


# --- tracking and deadlines -----------------------------------------------------------------------------

def test_actions_are_tracked_and_the_pack_says_what_was_promised_done_and_late(store, people, web):
    case_id = drafted(store, people)
    cases.submit(store, people["sam"], case_id)
    cases.approve(store, people["ann"], case_id)
    cases.publish(store, people["ann"], case_id, today=dt.date(2020, 3, 27))
    today = dt.date(2020, 8, 1)
    tracked = actions.actions(store, people["sam"], today=today)
    assert [(a.label, a.owner, a.status, a.overdue) for a in tracked] == [
        ("2", "Ch Insp Reid", "open", True), ("1", "Det Supt Khan", "open", False)]
    with pytest.raises(InvalidValue):
        actions.update(store, people["sam"], tracked[0].id, "dropped", "No longer needed", reason="")
    actions.update(store, people["sam"], tracked[0].id, "in progress", "Audit form drafted")
    actions.update(store, people["sam"], tracked[1].id, "done", "All cases reviewed", evidence="/documents/1")
    with pytest.raises(Forbidden):
        actions.update(store, people["dee"], tracked[0].id, "done", "", evidence="/documents/1")
    pack = actions.pack(store, people["ann"], WARWICKSHIRE, today=today)
    assert (pack.open, pack.overdue) == (1, 1)
    [report] = pack.reports  # promised, done and late, by report
    assert (report.id, report.promised, report.done, report.late) == (NCPI, 2, 1, 2)  # one overdue, one done late
    assert [a.updates[-1].note for a in report.actions] == ["Audit form drafted", "All cases reviewed"]
    client = client_of(web)
    sign_in(client, "ann")
    pdf = client.get(f"/accountability/{WARWICKSHIRE}.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = " ".join(read_bytes(pdf.content, "pack.pdf").text.split())
    assert "Add decision-making to the audit" in text and "Audit form drafted" in text
    assert "Review every open child protection case" in text and "Promised 2; done 1; late 2." in text
    assert "not in the register" in text  # HMICFRS's view, where its register has one
    assert client.get(f"/api/accountability/{WARWICKSHIRE}").json()["open"] == 1


def test_due_lists_cases_and_actions_and_the_calendar_feed_can_be_revoked(store, people, web):
    published = drafted(store, people)
    cases.submit(store, people["sam"], published)
    cases.approve(store, people["ann"], published)
    cases.publish(store, people["ann"], published, today=dt.date(2020, 3, 27))
    add_recent_report(store, dt.date(2020, 6, 1))  # its deadline: 2020-07-26
    open_id = cases.open_case(store, people["sam"], WARWICKSHIRE, REPORT_ID)
    cases.open_case(store, people["dee"], DORSET, REPORT_ID)
    due = actions.due(store, people["sam"], 60, today=dt.date(2020, 6, 10))
    assert [(i.kind, i.due.isoformat(), i.days_left) for i in due] == [("action", "2020-06-30", 20),
                                                                        ("case", "2020-07-26", 46)]
    assert due[1].url == f"/cases/{open_id}"
    everyone = actions.due(store, None, 200, today=dt.date(2020, 6, 10))
    assert sorted({i.force for i in everyone}) == [DORSET, WARWICKSHIRE] and len(everyone) == 4
    client = client_of(web)
    sign_in(client, "sam")
    assert client.get("/due", params={"days": 3650}).status_code == 200
    page = client.post("/account/calendar", data={"csrf_token": client.headers["X-CSRF-Token"]})
    feed = re.search(r'value="(http://testserver/calendar/[^"]+\.ics)"', page.text).group(1)
    ics = client_of(web).get(feed.replace("http://testserver", ""))  # no session: the token is enough
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    body = ics.text
    # Warwickshire's case and its two (overdue) actions; Dorset's case is not Sam's to see.
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.count("BEGIN:VEVENT") == 3 and DORSET not in body
    assert f"UID:case-{open_id}@scrutiny" in body and all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    client.post("/account/calendar", data={"revoke": "true", "csrf_token": client.headers["X-CSRF-Token"]})
    assert client_of(web).get(feed.replace("http://testserver", "")).status_code == 404


# --- odd input: 422 naming the field, nothing stored --------------------------------------------------------

def _refused(response, field: str) -> None:
    assert response.status_code == 422 and field in response.text and "Traceback" not in response.text, response.text[:400]


def _raw_json(client, method: str, url: str, body: bytes):
    """`body` as sent: JSON text with escapes a client library would not write (a lone surrogate)."""
    return client.request(method, url, content=body, headers={"Content-Type": "application/json"})


def test_odd_input_to_a_draft_is_refused_naming_the_field_and_nothing_is_stored(store, people, web):
    case_id = cases.open_case(store, people["sam"], WARWICKSHIRE, NCPI)
    before = cases.get_case(store, people["sam"], case_id)
    client = client_of(web)
    sign_in(client, "sam")
    token = client.headers["X-CSRF-Token"]
    url = f"/cases/{case_id}"
    base = {"version": str(before.version), "answers.0.number": "1", "csrf_token": token}
    for field, value in (("comments.body", "I welcome\x00 it"), ("comments.chief_constable", "\x1b[31mred"),
                         ("comments.response_to_chief", "\x7f"), ("requested_by", "0001-01-01"),
                         ("requested_by", "9999-12-31"), ("requested_by", "1989-12-31")):
        page = client.post(f"{url}/draft", data={**base, field: value})
        _refused(page, field)
        assert 'aria-invalid="true"' in page.text and "Error:" in page.text  # beside the field
    for field, value in (("text", "Review\x00 cases"), ("owner", "Det\x08 Supt"), ("due", "0001-01-01"),
                         ("due", "9999-12-31"), ("due", f"{dt.date.today().year + 11}-01-01")):
        step = {"text": "Review cases", "owner": "Det Supt Khan", "due": "2030-01-31", field: value}
        _refused(client.post(f"{url}/draft", data={**base, **{f"answers.0.steps.0.{k}": v for k, v in step.items()}}),
                 f"answers.0.steps.0.{field}")
    _refused(client.post(f"{url}/draft", data={**base, "answers.0.explanation": "\x00"}), "answers.0.explanation")
    typed = client.post(f"{url}/draft", data={**base, "comments.body": "Kept as typed", "answers.0.steps.0.text":
                                              "A step with no owner", "answers.0.steps.0.owner": "",
                                              "answers.0.steps.0.due": ""})
    _refused(typed, "answers.0.steps.0.owner")
    assert "Kept as typed" in typed.text and "A step with no owner" in typed.text  # nothing typed is lost
    for body, field in ((rb'{"stance": "accepted", "explanation": "\ud800"}', "explanation"),
                        (rb'{"stance": "accepted", "explanation": "a\u0000b"}', "explanation"),
                        (rb'{"stance": "\udfff", "explanation": ""}', "stance")):
        _refused(_raw_json(client, "PUT", f"/api{url}/answers/1", body), field)
    for big in (2**31, 2**63, 2**64, 10**30):
        _refused(client.put(f"/api/cases/{big}/answers/1", json={"stance": "accepted"}), "case_id")
        _refused(client.put(f"/api{url}/answers/{big}", json={"stance": "accepted"}), "number")
        _refused(client.get(f"/api/cases/{big}"), "case_id")
        _refused(client.put(f"/api/cases/{big}/draft", json={"version": 1}), "case_id")
    assert cases.get_case(store, people["sam"], case_id) == before
    assert client.get(f"/api{url}").status_code == 200  # the app and the session go on


def test_odd_input_to_an_action_update_is_refused_naming_the_field(store, people, web):
    published = drafted(store, people)
    cases.submit(store, people["sam"], published)
    cases.approve(store, people["ann"], published)
    cases.publish(store, people["ann"], published, today=dt.date(2020, 3, 27))
    action_id = cases.get_case(store, people["sam"], published).answers[0].steps[0].id
    client = client_of(web)
    sign_in(client, "sam")
    for body, field in ((rb'{"status": "in progress", "note": "\ud800"}', "note"),
                        (rb'{"status": "dropped", "reason": "\ud83d"}', "reason"),
                        (rb'{"status": "in\u0000progress"}', "status"),
                        (rb'{"status": "in progress", "note": "\u0007"}', "note")):
        _refused(_raw_json(client, "POST", f"/api/actions/{action_id}/updates", body), field)
    for big in (2**63, 2**64):
        _refused(client.post(f"/api/actions/{big}/updates", json={"status": "in progress"}), "action_id")
        _refused(client.get(f"/actions/{big}"), "action_id")
    assert actions.action(store, people["sam"], action_id).updates == []


def test_the_office_itself_refuses_dates_out_of_range_and_control_characters(store, people):
    """The same rules for any caller (the CLI, a script), not only the web forms."""
    sam = people["sam"]
    case_id = cases.open_case(store, sam, WARWICKSHIRE, NCPI)
    before = cases.get_case(store, sam, case_id)
    refusals = [
        (lambda: cases.update_case(store, sam, case_id, comments_requested_by=dt.date(1, 1, 1)), "comments requested by"),
        (lambda: cases.update_case(store, sam, case_id, body_comments="a\x00b"), "the body's comments"),
        (lambda: cases.set_answer(store, sam, case_id, 1, "accepted", "\ud800"), "explanation"),
        (lambda: cases.add_step(store, sam, case_id, 1, "Review", "Khan", dt.date(9999, 12, 31)), "due"),
        (lambda: cases.add_step(store, sam, case_id, 1, "Review", "Kh\x00an", dt.date(2030, 1, 1)), "owner"),
        (lambda: cases.add_step(store, sam, case_id, 1, "Re\x00view", "Khan", dt.date(2030, 1, 1)), "step"),
    ]
    for call, name in refusals:
        with pytest.raises(InvalidValue, match=f"^{name}"):
            call()
    assert cases.get_case(store, sam, case_id) == before


def test_the_calendar_feed_holds_only_valid_dates():
    """A date stored before dates were bounded is left out; every date written has eight digits."""
    from scrutiny.office.render.ics import calendar

    def item(number: int, due: dt.date) -> actions.DueItem:
        return actions.DueItem("action", number, WARWICKSHIRE, "Review", due, -1, "open", f"/actions/{number}")

    feed = calendar([item(1, dt.date(1, 1, 1)), item(2, dt.date(2020, 6, 30)), item(3, dt.date(9999, 12, 31))],
                    "http://testserver", "Due")
    dates = re.findall(r"^DT(?:START|END);VALUE=DATE:(.*)\r$", feed, re.MULTILINE)
    assert dates == ["20200630", "20200701"] and "UID:action-2@scrutiny" in feed


# --- settings and the command line ------------------------------------------------------------------------

def test_the_session_key_comes_from_the_environment_or_a_file_made_on_first_use(tmp_path):
    path = tmp_path / "conf" / "secret-key"
    settings = Settings(secret_file=str(path))
    key = settings.session_key()
    assert path.exists() and stat.S_IMODE(os.stat(path).st_mode) == 0o600 and len(key) >= 32
    assert Settings(secret_file=str(path)).session_key() == key  # kept: sessions survive a restart
    assert Settings(secret_key="e" * 40, secret_file=str(path)).session_key() == b"e" * 40
    with pytest.raises(ValidationError, match="must be at least 32 characters"):
        Settings(secret_key="short")


runner = CliRunner()


def test_users_and_due_from_the_command_line(empty_url):
    database_url = empty_url
    made = runner.invoke(cli, ["users", "add", "kim", "--role", "staff", "--force", WARWICKSHIRE, "--name",
                               "Kim Lee", "--db", database_url])
    assert made.exit_code == 0, made.output
    password = re.search(r"password: (\S+)", made.output).group(1)
    assert runner.invoke(cli, ["users", "add", "pat", "--role", "staff", "--db", database_url]).exit_code == 1
    assert runner.invoke(cli, ["users", "add", "pat", "--role", "boss", "--db", database_url]).exit_code == 1
    given = runner.invoke(cli, ["users", "add", "pat", "--role", "approver", "--password-stdin", "--db", database_url],
                          input="a long enough password\n")
    assert given.exit_code == 0 and "password:" not in given.output
    listed = json.loads(runner.invoke(cli, ["users", "list", "--format", "json", "--db", database_url]).stdout)
    assert [(u["username"], u["name"], u["role"], u["force"]) for u in listed] == [
        ("kim", "Kim Lee", "staff", WARWICKSHIRE), ("pat", "pat", "approver", "")]
    assert runner.invoke(cli, ["users", "set-role", "kim", "approver", "--db", database_url]).exit_code == 0
    assert runner.invoke(cli, ["users", "disable", "kim", "--db", database_url]).exit_code == 0
    listed_csv = runner.invoke(cli, ["users", "list", "--format", "csv", "--db", database_url]).stdout
    rows = list(csv.DictReader(io.StringIO(listed_csv.removeprefix("\ufeff"))))  # a BOM first, for spreadsheets
    assert rows[0] == {"username": "kim", "name": "Kim Lee", "role": "approver", "force": "", "active": "no"}
    assert "nobody" in runner.invoke(cli, ["users", "disable", "nobody", "--db", database_url]).output
    from scrutiny.store import Store
    store = Store(database_url)
    with pytest.raises(NotSignedIn):
        accounts.sign_in(store, "kim", password, "127.0.0.1")  # disabled
    staff = user(store, "sam", "staff", WARWICKSHIRE)
    add_recent_report(store, dt.date(2020, 6, 1))
    cases.open_case(store, staff, WARWICKSHIRE, REPORT_ID)
    store.engine.dispose()
    due = runner.invoke(cli, ["due", "--days", "60", "--today", "2020-06-10", "--format", "json", "--db", database_url])
    assert due.exit_code == 0, due.output
    assert [(i["kind"], i["due"], i["days_left"], i["force"]) for i in json.loads(due.stdout)] == [
        ("case", "2020-07-26", 46, WARWICKSHIRE)]
    assert "custody" in runner.invoke(cli, ["due", "--today", "2020-06-10", "--days", "60", "--db", database_url]).stdout
    assert json.loads(runner.invoke(cli, ["due", "--today", "2020-06-10", "--days", "10", "--format", "json", "--db",
                                          database_url]).stdout) == []
    first = runner.invoke(cli, ["users", "init", "--db", database_url])
    assert first.exit_code == 0 and "as admin with password" in first.output
    assert "as an administrator" in runner.invoke(cli, ["users", "init", "--db", database_url]).output
