"""The office's working day over HTTP with the session cookie and the CSRF header (issue 19):
each role lands on a page it can use; one draft saved whole, a stale save refused (409);
four eyes (submit, approve by another, publish); actions after publication with evidence and
RAG; a tagged PDF with page numbers and a true creation date; one-time password links; the
handover of a force's open work to its successor body; the administrators' pages."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from signin import sign_in, user
from sqlalchemy import text

from scrutiny.cli import app as cli
from scrutiny.errors import Forbidden, InvalidValue, NotFound
from scrutiny.office import actions, bodies, cases
from scrutiny.office import users as accounts
from scrutiny.settings import Settings
from scrutiny.store import register
from scrutiny.web import create_app

REPORT = "serious-youth-violence-2023"
WEST_MERCIA, WEST_YORKSHIRE = "West Mercia Police", "West Yorkshire Police"
PDFINFO = shutil.which("pdfinfo")


@pytest.fixture
def people(store):
    return {name: user(store, name, role, force) for name, role, force in (
        ("sam", "staff", WEST_MERCIA), ("ann", "approver", WEST_MERCIA), ("ada", "approver", WEST_MERCIA),
        ("vic", "viewer", None), ("alex", "analyst", None), ("root", "administrator", None),
        ("wes", "staff", WEST_YORKSHIRE))}


@pytest.fixture
def client(store, people):
    return TestClient(create_app(store, Settings(secret_key="d" * 40)), raise_server_exceptions=False)


def whole_draft(version: int, body: str = "I welcome this inspection.") -> dict:
    return {"version": version,
            "comments": {"body": body, "chief_constable": "The force accepts both recommendations.",
                         "response_to_chief": "I will hold the Chief Constable to account.",
                         "requested_by": "2023-03-20"},
            "answers": [{"number": 1, "stance": "accepted", "explanation": "",
                         "steps": [{"text": "Train every response officer in outcome 22", "owner": "Head of Learning",
                                    "due": "2024-03-31"}]},
                        {"number": 2, "stance": "partially accepted", "explanation": "Data are shared regionally.",
                         "steps": [{"text": "Publish disproportionality figures", "owner": "Head of Analysis",
                                    "due": "2024-06-30"}]}]}


@pytest.mark.parametrize("name, landing", [("vic", "/"), ("alex", "/review"), ("sam", "/cases"),
                                           ("ann", "/cases"), ("root", "/admin/users")])
def test_each_role_lands_on_a_page_it_can_use(client, name, landing):
    response = client.post("/login", data={"username": name, "password": "correct horse battery",
                                           "csrf_token": re.search(r'name="csrf-token" content="([^"]+)"',
                                                                   client.get("/login").text).group(1)},
                           follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, landing)
    assert client.get(landing).status_code == 200


def test_a_day_at_the_office_over_http(store, people, client):
    sign_in(client, "sam")
    opened = client.post("/api/cases", json={"force": WEST_MERCIA, "report": REPORT})
    assert opened.status_code == 201, opened.text
    case_id, version = opened.json()["id"], opened.json()["version"]
    assert opened.json()["body"] == "Police and Crime Commissioner for West Mercia"

    saved = client.put(f"/api/cases/{case_id}/draft", json=whole_draft(version))  # everything, in one PUT
    assert saved.status_code == 200, saved.text
    assert saved.json()["version"] > version
    stale = client.put(f"/api/cases/{case_id}/draft", json=whole_draft(version, "An older copy"))
    assert stale.status_code == 409 and stale.json()["case"]["version"] == saved.json()["version"]
    back = client.get(f"/api/cases/{case_id}").json()
    assert back["body_comments"] == "I welcome this inspection." and back["comments_requested_by"] == "2023-03-20"
    assert [(a["stance"], [s["description"] for s in a["steps"]]) for a in back["answers"]] == [
        ("accepted", ["Train every response officer in outcome 22"]),
        ("partially accepted", ["Publish disproportionality figures"])]
    bad = dict(whole_draft(saved.json()["version"]), answers=[{"number": 1, "stance": "accepted",
                                                             "steps": [{"text": "No owner", "owner": ""}]}])
    refused = client.put(f"/api/cases/{case_id}/draft", json=bad)
    assert refused.status_code == 422 and set(refused.json()["fields"]) == {"answers.0.steps.0.owner",
                                                                          "answers.0.steps.0.due"}

    assert client.post(f"/api/cases/{case_id}/submit").status_code == 200
    assert client.post(f"/api/cases/{case_id}/approve").status_code == 403  # staff do not approve
    assert client.post(f"/api/cases/{case_id}/publish").status_code == 403
    sign_in(client, "ann")
    assert client.post(f"/api/cases/{case_id}/publish").status_code == 409  # not before approval
    assert client.post(f"/api/cases/{case_id}/approve").json()["state"] == "approved"
    published = client.post(f"/api/cases/{case_id}/publish").json()
    assert published["state"] == "published" and published["approved_by"] == "ann"
    assert [h["after"] for h in published["history"] if h["field"] == "state"] == [
        "draft", "awaiting approval", "approved", "published"]

    sign_in(client, "sam")  # holding to account goes on after the letter
    added = client.post(f"/api/cases/{case_id}/actions", json={"recommendation": 2, "text": "Audit stop and search",
                                                               "owner": "Supt Ellis", "due": "2027-01-31"})
    assert added.status_code == 201, added.text
    tracked = {a["description"]: a for a in client.get("/api/actions").json()}
    assert tracked["Audit stop and search"]["status"] == "open"

    pdf = client.get(f"/cases/{case_id}/letter.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    info = pdf_info(pdf.content)
    assert info["Tagged"] == "yes" and str(dt.date.today().year) in info["CreationDate"]
    assert info["Title"] == "Response to 'An inspection of how well the police tackle serious youth violence'"
    assert "Page 1 of" in pdf_text(pdf.content)


def pdf_info(pdf: bytes) -> dict[str, str]:
    """What poppler's pdfinfo says of a PDF."""
    if PDFINFO is None:
        pytest.fail("pdfinfo (poppler-utils) is not installed: .ci/run installs it")
    run = subprocess.run([PDFINFO, "-"], input=pdf, capture_output=True, check=True)
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in run.stdout.decode().splitlines()
                                              if ":" in line)}


def pdf_text(pdf: bytes) -> str:
    return subprocess.run([shutil.which("pdftotext") or "pdftotext", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()


def test_every_pdf_the_app_serves_is_tagged_with_its_language(store, people, client):
    case_id = drafted_and_published(store, people)
    sign_in(client, "ann")
    other = cases.open_case(store, people["wes"], WEST_YORKSHIRE, REPORT)
    sign_in(client, "root")
    for url in (f"/cases/{case_id}/letter.pdf", f"/cases/{other}/letter.pdf", f"/accountability/{WEST_MERCIA}.pdf"):
        pdf = client.get(url)
        assert pdf.status_code == 200, url
        info = pdf_info(pdf.content)
        assert info["Tagged"] == "yes" and info["Title"] and info["Author"], url
        assert "Page 1 of" in pdf_text(pdf.content), url
        assert b"/Lang (en-GB)" in _catalog(pdf.content), url
    for url in (f"/cases/{other}/letter.pdf", f"/accountability/{WEST_MERCIA}.pdf"):  # made now: created now
        assert str(dt.date.today().year) in pdf_info(client.get(url).content)["CreationDate"], url


def _catalog(pdf: bytes) -> bytes:
    """The PDF's document catalogue, wherever it is stored (an object stream is compressed)."""
    import zlib

    out = pdf
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            out += zlib.decompress(stream)
        except zlib.error:
            continue
    return out


def drafted_and_published(store, people) -> int:
    from scrutiny.office import draft

    case_id = cases.open_case(store, people["sam"], WEST_MERCIA, REPORT)
    d = whole_draft(cases.get_case(store, people["sam"], case_id).version)
    draft.save(store, people["sam"], case_id, draft.Draft(
        d["version"], {k: v for k, v in d["comments"].items() if k != "requested_by"}, dt.date(2023, 3, 20),
        [draft.AnswerIn(a["number"], a["stance"], a["explanation"],
                        [draft.StepIn(s["text"], s["owner"], dt.date.fromisoformat(s["due"])) for s in a["steps"]])
         for a in d["answers"]]))
    cases.submit(store, people["sam"], case_id)
    cases.approve(store, people["ann"], case_id)
    cases.publish(store, people["ann"], case_id, today=dt.date(2023, 4, 26))
    return case_id


def test_an_approver_who_wrote_the_draft_may_not_approve_it(store, people):
    case_id = cases.open_case(store, people["ann"], WEST_MERCIA, REPORT)
    cases.update_case(store, people["ann"], case_id, body_comments="Mine", chief_comments="The chief's")
    for number in (1, 2):
        cases.set_answer(store, people["ann"], case_id, number, "not accepted", "Covered elsewhere.")
    cases.submit(store, people["sam"], case_id)
    with pytest.raises(Forbidden, match="another approver must approve it"):
        cases.approve(store, people["ann"], case_id)
    cases.approve(store, people["ada"], case_id)
    cases.return_to_draft(store, people["ada"], case_id, "One more word")  # returned: the text is kept
    view = cases.get_case(store, people["sam"], case_id)
    assert (view.state, view.body_comments, view.approved_by) == ("draft", "Mine", None)


def test_closing_an_action_needs_evidence_and_says_who(store, people):
    case_id = drafted_and_published(store, people)
    [first, *_] = actions.actions(store, people["sam"], force=WEST_MERCIA)
    with pytest.raises(InvalidValue, match="evidence"):
        actions.update(store, people["sam"], first.id, "done", "Finished")
    with pytest.raises(InvalidValue, match="evidence"):
        actions.update(store, people["sam"], first.id, "in progress", "", evidence="javascript:alert(1)")
    actions.update(store, people["sam"], first.id, "in progress", "Half trained", rag="amber")
    actions.update(store, people["sam"], first.id, "done", "All trained", evidence="https://example.org/report\n/documents/1",
                   rag="green")
    done = actions.action(store, people["sam"], first.id)
    assert (done.status, done.rag, done.closed_by) == ("done", "green", "sam")
    assert done.updates[-1].evidence == ["https://example.org/report", "/documents/1"]
    assert case_id == done.case_id


def test_hmicfrs_register_status_sits_beside_the_actions(store, people, client):
    """The register as the reports import keeps it (against the recommendation's wording),
    shown beside the first recommendation's actions and in the pack; the second has none."""
    case_id = drafted_and_published(store, people)
    first = cases.get_case(store, people["sam"], case_id).answers[0].wording
    store.keep_imported(None, "root", "", [register.Status(REPORT, WEST_MERCIA, first, "being-progressed",
                                                           dt.date(2024, 5, 1))])
    sign_in(client, "sam")
    page = client.get(f"/cases/{case_id}").text
    assert re.search(r"HMICFRS's status for West Mercia Police: <b>being progressed</b> \(as of 2024-05-01\)", page)
    assert "HMICFRS's status for West Mercia Police: not in the register" in page
    pack = client.get(f"/api/accountability/{WEST_MERCIA}").json()
    assert pack["reports"][0]["register_status"] == [{"number": 1, "status": "being progressed",
                                                      "as_of": "2024-05-01"}]


def test_a_password_link_works_once_and_expires(store, people, client):
    token = accounts.reset_link(store, "vic", actor="root")
    assert client.get(f"/reset/{token}").status_code == 200  # no sign-in needed: the link is the key
    page = client.post(f"/reset/{token}", data={"password": "short", "again": "short",
                                                 "csrf_token": _csrf(client)})
    assert page.status_code == 422 and "at least 10 characters" in page.text
    assert client.post(f"/reset/{token}", data={"password": "a new long password", "again": "a new long password",
                                                "csrf_token": _csrf(client)}, follow_redirects=False).status_code == 303
    sign_in(client, "vic", "a new long password")
    with pytest.raises(NotFound):  # used once
        accounts.use_reset(store, token, "another long password")
    late = accounts.reset_link(store, "vic")
    with pytest.raises(NotFound):  # expired
        accounts.use_reset(store, late, "another long password",
                           at=dt.datetime.now(dt.UTC) + accounts.RESET_VALID + dt.timedelta(minutes=1))
    newer = accounts.reset_link(store, "vic")
    with pytest.raises(NotFound):  # replaced by a newer link
        accounts.use_reset(store, late, "another long password")
    accounts.use_reset(store, newer, "yet another long password")
    actions_logged = [e.action for e in __import__("scrutiny.office.audit", fromlist=["events"]).events(store)]
    assert actions_logged.count("password set by link") == 2 and "password link issued" in actions_logged


def _csrf(client) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', client.get("/login").text).group(1)


def test_reset_password_from_the_command_line(empty_url):
    runner = CliRunner()
    runner.invoke(cli, ["users", "add", "kim", "--role", "viewer", "--db", empty_url])
    link = runner.invoke(cli, ["users", "reset-password", "kim", "--url", "https://scrutiny.example", "--db",
                               empty_url])
    assert link.exit_code == 0 and re.fullmatch(r"https://scrutiny\.example/reset/[\w-]+\n", link.output)
    given = runner.invoke(cli, ["users", "reset-password", "kim", "--password-stdin", "--db", empty_url],
                          input="a password from stdin\n")
    assert given.exit_code == 0, given.output
    missing = runner.invoke(cli, ["users", "reset-password", "nobody", "--db", empty_url])
    assert missing.exit_code == 1 and missing.output.startswith("error: no user named 'nobody'")


def test_a_handover_moves_open_work_to_the_successor_keeping_history(store, people, client):
    """West Yorkshire: the PCC's functions passed to the Mayor on 10 May 2021."""
    from scrutiny.store.schema import Case

    wes = people["wes"]
    open_case = cases.open_case(store, wes, WEST_YORKSHIRE, REPORT)
    with store.transaction() as s:  # opened while the PCC was in office (the reference's body of that day)
        s.get(Case, open_case).body = "Police and Crime Commissioner for West Yorkshire"
    moved = bodies.handover(store, WEST_YORKSHIRE, dt.date(2021, 5, 10), actor="root")
    assert (moved.body, moved.cases, moved.actions) == ("Mayor of West Yorkshire", 1, 0)
    view = cases.get_case(store, wes, open_case)
    assert view.body == "Mayor of West Yorkshire"
    assert ("root", "policing body", "Police and Crime Commissioner for West Yorkshire",
            "Mayor of West Yorkshire (from 2021-05-10)") in [(h.author, h.field, h.before, h.after) for h in view.history]
    assert bodies.handover(store, WEST_YORKSHIRE, dt.date(2021, 5, 10)).cases == 0  # nothing more to move
    with pytest.raises(InvalidValue):
        bodies.handover(store, WEST_YORKSHIRE, dt.date(1980, 1, 1))

    published = drafted_and_published(store, people)  # West Mercia: its open actions move, the letter does not
    with store.transaction() as s:
        s.execute(text("UPDATE actions SET body = 'An earlier body' WHERE case_id = :c"), {"c": published})
    sign_in(client, "root")
    page = client.post("/admin/bodies/handover", data={"force": WEST_MERCIA, "day": "2024-06-01",
                                                       "csrf_token": client.headers["X-CSRF-Token"]})
    assert page.status_code == 200 and "Handed 0 open case(s) and 2 open action(s)" in page.text
    tracked = actions.actions(store, people["sam"], force=WEST_MERCIA)
    assert {a.body for a in tracked} == {"Police and Crime Commissioner for West Mercia"}
    assert tracked[0].updates[-1].note.startswith("passed to Police and Crime Commissioner for West Mercia on 2024-06-01")
    assert cases.get_case(store, people["sam"], published).state == "published"
    log = client.get("/admin/audit").text
    assert "handover" in log and WEST_MERCIA in log


def test_letters_are_signed_in_the_name_of_the_body_of_their_date():
    from scrutiny.office import letter

    assert letter.signer(WEST_YORKSHIRE, dt.date(2020, 1, 6), "X").role == "PCC"
    assert letter.signer(WEST_YORKSHIRE, dt.date(2022, 1, 6), "X").role == "Mayor"


def test_administrators_manage_users_on_the_web(store, people, client):
    sign_in(client, "sam")
    assert client.get("/admin/users").status_code == 403
    sign_in(client, "root")
    token = client.headers["X-CSRF-Token"]
    page = client.post("/admin/users", data={"username": "new.person", "name": "New Person", "role": "staff",
                                             "force": "", "csrf_token": token})
    assert page.status_code == 422 and "office staff work for one force" in page.text and "new.person" in page.text
    page = client.post("/admin/users", data={"username": "new.person", "name": "New Person", "role": "staff",
                                             "force": WEST_MERCIA, "csrf_token": token})
    link = re.search(r'id="reset-link">[^<]*/reset/([\w-]+)<', page.text).group(1)
    assert accounts.reset_username(store, link) == "new.person"
    client.post("/admin/users/new.person", data={"role": "approver", "force": WEST_MERCIA, "csrf_token": token})
    client.post("/admin/users/new.person", data={"active": "no", "csrf_token": token})
    [changed] = [u for u in accounts.users(store) if u.username == "new.person"]
    assert (changed.role, changed.active) == ("approver", False)
    assert client.get("/api/admin/users").status_code == 200
    log = client.get("/api/admin/audit").json()
    assert [e["action"] for e in log][:4] == ["disabled", "role set", "password link issued", "user added"]
