"""New reports from HMICFRS's publication lists, against a mirror of its site on 127.0.0.1 built
from real report pages (tests/mirror.py `hmicfrs`): `scrutiny collect --hmicfrs` offers each
report the catalogue lacks once, politely; a waiting report is in no figure; an analyst confirms
one (with its scope) or rejects it, on the command line, the review page and its JSON twin; a
confirmed one joins the catalogue and the office gets a case for each in-scope force with staff;
a rejected one never comes back. On both engines."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient
from mirror import hmicfrs, hmicfrs_page
from signin import sign_in, user
from sqlalchemy import select

from scrutiny.collect import collect_reports, discover
from scrutiny.office.cases import get_case
from scrutiny.office.opening import SYSTEM
from scrutiny.settings import Settings
from scrutiny.store import Store
from scrutiny.store.schema import Case, Force, ReportChange, Response
from scrutiny.store.scope import expected_forces_of
from scrutiny.web import create_app

DELAY = 0.2
CONTACT = "new-reports-tests@example.org"
ENV = {"SCRUTINY_COLLECT_CONTACT": CONTACT, "SCRUTINY_COLLECT_TIMEOUT": "2"}


@pytest.fixture
def inspectorate():
    site = hmicfrs()
    yield site
    site.site.stop()


def _run(*args: str, ok: bool = True) -> tuple[str, str]:
    done = subprocess.run([sys.executable, "-m", "scrutiny", *args], env={**os.environ, **ENV},
                          capture_output=True, text=True, timeout=300)
    assert (done.returncode == 0) == ok, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout, done.stderr


def _waiting(url: str) -> list[dict]:
    return json.loads(_run("reports", "pending", "--format", "json", "--db", url)[0])


def test_collect_offers_each_new_report_once_and_a_rejected_one_never_comes_back(inspectorate, empty_url):
    stdout, stderr = _run("collect", "--hmicfrs", inspectorate.list_url, "--delay", str(DELAY), "--db", empty_url)
    assert "HMICFRS: 2 list pages" in stdout and "5 new reports for review" in stdout and "1 failed" in stdout
    assert "/publications/removed-report/: HTTP 404" in stderr  # one line naming the address and the problem

    # Each report the catalogue lacks, once (the same report at a second address is the same one);
    # not the one it has, the letter, nor the page robots.txt disallows.
    waiting = _waiting(empty_url)
    assert {r["url"] for r in waiting} == set(inspectorate.new.values())
    assert {r["forces"] for r in waiting} >= {"Nottinghamshire Police", "Greater Manchester Police", ""}
    assert any(r["recommendations"] for r in waiting)

    # Politely: the User-Agent in every request, robots.txt obeyed, the delay kept.
    requests = inspectorate.site.requests
    assert all(r.user_agent.startswith("Scrutiny/") and CONTACT in r.user_agent for r in requests)
    assert not [r for r in requests if r.path.startswith("/publications/embargoed-")]
    assert min(b.at - a.at for a, b in zip(requests, requests[1:])) >= DELAY - 0.01

    # Waiting is not in the catalogue: no figure counts it, no one is expected to answer it.
    store = Store(empty_url)
    assert not {r.title for r in store.reports()} & {r["title"] for r in waiting}
    store.engine.dispose()

    rejected = next(r for r in waiting if r["title"].startswith("Terms of reference"))
    stdout, _ = _run("reports", "reject", str(rejected["id"]), "--reason", "terms of reference, not an inspection",
                     "--db", empty_url)
    assert stdout.startswith(f"rejected new report {rejected['id']}: Terms of reference")
    _, stderr = _run("reports", "reject", str(rejected["id"]), "--db", empty_url, ok=False)
    assert f"new report {rejected['id']} was rejected by" in stderr and len(stderr.strip().splitlines()) == 1

    # A rerun asks for the list conditionally, downloads no report page again, offers nothing new.
    before = len(requests)
    stdout, _ = _run("collect", "--hmicfrs", inspectorate.list_url, "--delay", str(DELAY), "--db", empty_url)
    assert "0 report pages read, 0 new reports for review" in stdout
    again = requests[before:]
    assert [r.status for r in again if r.path.startswith("/publications/page/")] == [304]
    assert {r.path for r in again} <= {"/robots.txt", "/publications/", "/publications/page/2/",
                                       "/publications/removed-report/"}
    assert {r["url"] for r in _waiting(empty_url)} == set(inspectorate.new.values()) - {rejected["url"]}

    # Confirmed on the command line: into the catalogue with its scope; no office here, no case.
    nottinghamshire = next(r for r in waiting if r["url"] == inspectorate.new[hmicfrs_page("017.txt")[0]])
    stdout, _ = _run("reports", "confirm", str(nottinghamshire["id"]), "--scope", "named-forces", "--db", empty_url)
    assert stdout.startswith("confirmed peel-nottinghamshire-police-causes-of-concern-2024; 0 cases opened")
    store = Store(empty_url)
    assert expected_forces_of(store, "peel-nottinghamshire-police-causes-of-concern-2024") == ["Nottinghamshire Police"]
    store.engine.dispose()
    _, stderr = _run("reports", "confirm", "99", "--scope", "none", "--db", empty_url, ok=False)
    assert "no new report with id 99" in stderr


def _settings() -> Settings:
    return Settings(collect_contact=CONTACT, collect_delay=0.05, collect_timeout=2)


def test_an_analyst_confirms_or_rejects_new_reports_on_the_review_page_and_the_office_gets_its_cases(
        inspectorate, store):
    figures = TestClient(create_app(store)).get("/api/reports", params={"per_page": 1}).json()["total"]
    found = collect_reports(store, [inspectorate.list_url], _settings())
    assert (found.new, found.failed) == (5, 1), found
    for name, role, force in (("nina", "staff", "Nottinghamshire Police"), ("gail", "approver", "Greater Manchester Police"),
                              ("kim", "staff", "Kent Police"), ("ann", "analyst", None), ("vic", "viewer", None)):
        user(store, name, role, force)
    client = TestClient(create_app(store))

    queue = client.get("/api/review").json()["reports"]
    assert queue["total"] == 5 and client.get("/api/reports", params={"per_page": 1}).json()["total"] == figures
    by_page = {r["url"]: r for r in queue["items"]}
    by_title = {r["title"]: r for r in queue["items"]}
    assert by_page.keys() == set(inspectorate.new.values())
    page = client.get("/review").text
    assert all(title.replace("'", "&#39;") in page for title in by_title) and "Confirm</button>" not in page

    revisit = by_page[inspectorate.new[hmicfrs_page("016.txt", as_report=True)[0]]]  # on Nottinghamshire, with a recommendation
    sign_in(client, "vic")
    assert client.post(f"/api/review/reports/{revisit['id']}/confirm", json={"scope": "named-forces"}).status_code == 403
    sign_in(client, "ann")
    assert 'action="/review/reports/' in client.get("/review").text
    token = client.headers.pop("X-CSRF-Token")
    assert client.post(f"/api/review/reports/{revisit['id']}/confirm", json={"scope": "named-forces"}).status_code == 403
    client.headers["X-CSRF-Token"] = token

    confirmed = client.post(f"/api/review/reports/{revisit['id']}/confirm", json={"scope": "named-forces"})
    assert confirmed.status_code == 200, confirmed.text
    body = confirmed.json()
    assert (body["state"], body["decided_by"], body["note"]) == ("confirmed", "ann", "named-forces: Nottinghamshire Police")
    report = next(r for r in store.reports() if r.id == body["report_id"])
    assert report.title == revisit["title"] and report.sources == (revisit["url"],) and report.recommendations
    assert expected_forces_of(store, report.id) == ["Nottinghamshire Police"]
    with store.session() as s:
        assert s.scalars(select(ReportChange.author).where(ReportChange.report_id == report.id)).all() == ["ann"]
    [case_id] = body["cases"]  # Nottinghamshire's office works here; no other force is in scope
    nina = user(store, "nina2", "staff", "Nottinghamshire Police")
    case = get_case(store, nina, case_id)
    assert (case.force, case.report_id, case.opened_by, case.state) == ("Nottinghamshire Police", report.id, SYSTEM,
                                                                         "draft")
    assert len(case.answers) == len(report.force_recommendations)
    assert case.history[0].author == SYSTEM and "confirmed by ann" in (case.history[0].after or "")

    # The form: every force in scope, a case for each force whose office works here.
    gmp = by_title[next(t for t in by_title if t.startswith("PEEL: Greater Manchester"))]
    done = client.post(f"/review/reports/{gmp['id']}/confirm", data={"scope": "all-forces", "csrf_token": token},
                       follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/review#reports"
    with store.session() as s:
        opened = set(s.scalars(select(Force.name).join(Response, Response.force_id == Force.id)
                               .join(Case, Case.response_id == Response.id)
                               .where(Response.report_id != report.id)))
    assert opened == {"Nottinghamshire Police", "Greater Manchester Police", "Kent Police"}

    # Rejected, with why; decided once; a scope that cannot be is refused.
    terms = by_title[next(t for t in by_title if t.startswith("Terms of reference"))]
    rejected = client.post(f"/api/review/reports/{terms['id']}/reject", json={"reason": "<b>not an inspection</b>"})
    assert (rejected.status_code, rejected.json()["state"], rejected.json()["decided_by"]) == (200, "rejected", "ann")
    again = client.post(f"/api/review/reports/{terms['id']}/confirm", json={"scope": "none"})
    assert again.status_code == 409 and "rejected by ann" in again.json()["error"]
    national = by_title[next(t for t in by_title if t.startswith("HMIC's approach"))]
    refused = client.post(f"/api/review/reports/{national['id']}/confirm", json={"scope": "named-forces"})
    assert refused.status_code == 422 and "name the forces" in refused.json()["error"]
    assert client.post("/api/review/reports/999999/reject", json={}).status_code == 404

    queue = client.get("/api/review").json()["reports"]
    assert {r["id"] for r in queue["items"]} == {national["id"], by_page[inspectorate.new[hmicfrs_page("017.txt")[0]]]["id"]}
    assert client.get("/api/reports", params={"per_page": 1}).json()["total"] == figures + 2

    # Collected again: nothing comes back, decided or waiting.
    again_found = collect_reports(store, [inspectorate.list_url], _settings())
    assert (again_found.new, again_found.read) == (0, 0)
    assert client.get("/api/review").json()["reports"]["total"] == 2


def test_a_publication_list_gives_its_report_pages_and_its_next_page():
    site = hmicfrs()
    try:
        content = site.site.routes["/publications/"].body
        reports, paging = discover.report_pages(content, site.list_url)
    finally:
        site.site.stop()
    base = site.list_url.removesuffix("/publications/")
    assert paging == [base + "/publications/page/2/"]
    assert [u.removeprefix(base) for u in reports] == [
        "/publications/nottinghamshire-police-causes-of-concern-march-2024/",
        "/publications/police-performance-getting-a-grip/",
        "/publication-html/greater-manchester-police-peel-cause-of-concern-revisit-letter/",
        "/publication-html/nottinghamshire-police-peel-causes-of-concern-revisit-april-2025/",
        "/publications/embargoed-report/"]  # robots.txt is the fetcher's to obey; the PDF and the filters are not pages
