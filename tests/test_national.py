"""The national picture (issue 16), on SQLite and PostgreSQL: who must respond (each report's
scope, an analyst's audited change of it), under which rule (no period before 2 May 2017), and
what is known rather than guessed (one status vocabulary over the check log; coverage; the
legal day count); then the issue's own checks on the samples and the real corpus."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from conftest import SHARED, corpus_files
from documents import statement
from fastapi.testclient import TestClient
from signin import sign_in, user

from scrutiny.cli import app
from scrutiny.errors import InvalidValue
from scrutiny.oversight.ingest import ingest_bytes, ingest_paths
from scrutiny.record.compliance import RULE_START, assess, deadline, legal_day
from scrutiny.settings import Settings
from scrutiny.store import Store, reference
from scrutiny.store.checks import record_check
from scrutiny.store.national import national_figures, pairs
from scrutiny.store.reports import report_summary
from scrutiny.store.scope import change_scope, scope_changes
from scrutiny.web import create_app

NCPI = "ncpi-2019-thematic"  # published 2020-02-27: the last day in time is 2020-04-22
AFTER = dt.date(2020, 6, 1)
WEST_MERCIA, WARWICKSHIRE, DORSET, _, WEST_YORKSHIRE = corpus_files()


def _status(store: Store, force: str, report: str = NCPI, today: dt.date = AFTER) -> str:
    [row] = [r for r in pairs(store, today=today, report_id=report) if r.force == force]
    return row.status


def _checked(store: Store, force: str, finished: dt.datetime, ok: bool = True) -> None:
    """A look at the force's body's publications, as the collector logs it."""
    with store.transaction() as s:
        record_check(s, reference.force_ids(s)[force], "https://example.org/responses",
                     finished - dt.timedelta(minutes=5), finished, ok=ok, found=0)


def test_the_rule_starts_on_2_may_2017():
    assert deadline(RULE_START - dt.timedelta(days=1)) is None and deadline(None) is None
    assert deadline(RULE_START) == dt.date(2017, 6, 26)
    before = assess(dt.date(2014, 11, 27), dt.date(2015, 3, 1), [], None)
    assert (before.deadline, before.on_time, before.days_taken) == (None, None, 94)  # days elapse; no period
    assert legal_day(before.days_taken, None) is None
    assert legal_day(18, dt.date(2020, 4, 22)) == 19 and legal_day(55, dt.date(2020, 4, 22)) == 56


def test_each_status_means_one_thing(store):
    list(ingest_paths(store, [WEST_MERCIA, DORSET, WEST_YORKSHIRE]))
    ingest_bytes(store, statement("12 March 2020"), "press.txt", "upload:press.txt")  # Warwickshire's, not its letter
    assert _status(store, "Dorset Police") == "on time"
    assert _status(store, "West Mercia Police") == "late"
    assert _status(store, "Kent Police", today=dt.date(2020, 4, 22)) == "not yet due"  # the last day in time
    assert _status(store, "Warwickshire Police") == "statement only"
    assert _status(store, "Kent Police") == "not collected"  # nobody looked: not overdue
    _checked(store, "Kent Police", dt.datetime(2020, 4, 22, 18))  # on the last day: it could still come
    _checked(store, "Kent Police", dt.datetime(2020, 5, 1, 9), ok=False)  # the page could not be read
    assert _status(store, "Kent Police") == "not collected"
    _checked(store, "Kent Police", dt.datetime(2020, 5, 1, 10))
    assert _status(store, "Kent Police") == "overdue"
    assert _status(store, "Kent Police", today=dt.date(2020, 4, 20)) == "not yet due"
    _checked(store, "Warwickshire Police", dt.datetime(2020, 5, 2, 9))  # checked: its statement is not the response
    assert _status(store, "Warwickshire Police") == "overdue"
    assert {r.status for r in pairs(store, today=AFTER, report_id="peel-2014")} == {"no deadline"}
    # A found response whose date is not known cannot be judged once the period is over.
    ingest_bytes(store, UNDATED, "essex.txt", "upload:essex.txt")
    assert _status(store, "Essex Police") == "not collected"
    assert _status(store, "Essex Police", today=dt.date(2020, 3, 20)) == "not yet due"
    figures = report_summary(store, NCPI, AFTER).figures
    assert (figures.on_time, figures.late, figures.overdue, figures.not_collected) == (1, 2, 2, 38)
    assert figures.coverage == {"found": 4, "statement only": 1, "checked, not found": 1, "not collected": 37}


UNDATED = (b"Dear Home Secretary,\n\nResponse of the Police, Fire and Crime Commissioner for Essex to the HMICFRS "
           b"National Child Protection Inspections: 2019 thematic report.\n\nI welcome the report and its "
           b"recommendations to chief constables, and I will hold the Chief Constable of Essex Police to account for "
           b"them.\n\nYours sincerely,\n\nRoger Hirst\nPolice, Fire and Crime Commissioner for Essex")


def test_the_legal_day_count_on_every_view(store):
    list(ingest_paths(store, [WEST_MERCIA, DORSET]))
    days = {r.force: (r.days_taken, r.day) for r in pairs(store, today=AFTER, report_id=NCPI) if r.responded}
    assert days == {"Dorset Police": (18, 19), "West Mercia Police": (131, 132)}
    client = TestClient(create_app(store, Settings()))
    rows = client.get(f"/api/reports/{NCPI}", params={"today": AFTER.isoformat()}).json()["rows"]
    assert {r["force"]: r["day"] for r in rows} == {"Dorset Police": 19, "West Mercia Police": 132}
    page = client.get(f"/reports/{NCPI}", params={"today": AFTER.isoformat()}).text
    assert "day 19 of 56" in page and "day 132: 76 days late" in page
    # the forces never checked are not collected, and no count of days calls them overdue
    assert " overdue</td>" not in page and " since the deadline</td>" in page
    force = client.get("/api/forces/Dorset Police", params={"today": AFTER.isoformat(), "status": "on time"}).json()
    assert [(s["report_id"], s["day"]) for s in force["responses"]["items"]] == [(NCPI, 19)]
    assert "day 19 of 56" in client.get("/forces/Dorset Police", params={"today": AFTER.isoformat(),
                                                                        "status": "on time"}).text


def test_only_the_forces_in_a_reports_scope_are_expected(store):
    assert pairs(store, report_id="nca-criminal-intelligence-2020") == []
    nca = report_summary(store, "nca-criminal-intelligence-2020")
    assert (nca.scope.applies, nca.figures.expected) == ("none", 0) and nca.scope.sources
    eastern = pairs(store, report_id="eastern-regional-soc-2023")
    assert sorted(r.force for r in eastern) == ["Bedfordshire Police", "Cambridgeshire Constabulary", "Essex Police",
                                                "Hertfordshire Constabulary", "Kent Police", "Norfolk Constabulary",
                                                "Suffolk Constabulary"]
    annex = report_summary(store, "vetting-review-of-progress-annex-2023")
    assert (annex.scope.applies, annex.scope.duplicate_of, annex.figures.expected) == (
        "none", "vetting-review-of-progress-letter-2023", 0)  # one response, to the letter, answers both
    assert len(pairs(store, report_id=NCPI)) == 43
    everything = national_figures(store)
    assert everything.expected == sum(everything.coverage.values()) < 198 * 43
    page = TestClient(create_app(store, Settings())).get("/reports/vetting-review-of-progress-annex-2023").text
    assert "whose response answers it" in page and "confidence" in page


def test_an_analyst_changes_a_scope_and_the_change_is_kept(store):
    client = TestClient(create_app(store, Settings()))
    user(store, "alex", "analyst")
    user(store, "vic", "viewer")
    body = {"scope": "named-forces", "forces": ["Kent", "Essex Police"], "reason": "The report names two forces."}
    url = "/api/reports/eastern-regional-soc-2023/scope"
    sign_in(client, "vic")
    assert client.post(url, json=body).status_code == 403
    sign_in(client, "alex")
    token = client.headers.pop("X-CSRF-Token")
    assert client.post(url, json=body).status_code == 403  # no CSRF token
    client.headers["X-CSRF-Token"] = token
    change = client.post(url, json=body).json()
    assert (change["author"], change["before"]["scope"], len(change["before"]["forces"])) == ("alex", "named-forces", 7)
    assert change["after"] == {"scope": "named-forces", "forces": ["Essex Police", "Kent Police"], "duplicate_of": None}
    assert sorted(r.force for r in pairs(store, report_id="eastern-regional-soc-2023")) == ["Essex Police", "Kent Police"]
    assert client.post(url, json={"scope": "named-forces", "forces": ["Gotham"]}).status_code == 422
    assert client.post(url, json={"scope": "none", "duplicate_of": "eastern-regional-soc-2023"}).status_code == 422
    # The catalogue brought in step again (a new release): the analyst's scope holds.
    with store.transaction() as s:
        reference.sync_catalogue(s, ())
    assert len(pairs(store, report_id="eastern-regional-soc-2023")) == 2
    # The form on the report page does the same, and the page shows who changed what.
    form = {"scope": "all-forces", "reason": "Read the report again", "csrf_token": client.headers["X-CSRF-Token"]}
    done = client.post("/reports/eastern-regional-soc-2023/scope", data=form, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].endswith("#scope")
    assert len(pairs(store, report_id="eastern-regional-soc-2023")) == 43
    assert [c.after["scope"] for c in scope_changes(store, "eastern-regional-soc-2023")] == ["named-forces", "all-forces"]
    page = client.get("/reports/eastern-regional-soc-2023").text
    assert "Set by alex" in page and "Read the report again" in page
    twin = client.get("/api/reports/eastern-regional-soc-2023").json()
    assert [c["author"] for c in twin["scope_changes"]] == ["alex", "alex"] and twin["report"]["scope"]["applies"] == "all-forces"
    with pytest.raises(InvalidValue, match="already has this scope"):
        change_scope(store, "eastern-regional-soc-2023", "all-forces", [], "alex")


REAL = SHARED / "corpus" / "real"


@pytest.mark.skipif(not REAL.is_dir(), reason="needs ../shared/corpus/real")
def test_the_issues_checks_on_the_samples_and_the_real_corpus(tmp_path):
    """Issue 16's "done when", on a store of the samples and the real corpus, nothing collected."""
    db = f"sqlite:///{tmp_path / 'national.db'}"
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", "--samples", str(REAL), "--db", db]).exit_code == 0
    listed = json.loads(runner.invoke(app, ["check", "--report", NCPI, "--format", "json", "--db", db]).stdout)
    assert len(listed) == 43
    assert next(r for r in listed if r["force"] == "Dorset Police")["day"] == 19
    assert {r["status"] for r in listed if not r["documents"]} == {"not collected"}
    assert len([r for r in listed if not r["documents"]]) == 39
    everything = json.loads(runner.invoke(app, ["check", "--format", "json", "--db", db]).stdout)
    assert "overdue" not in {r["status"] for r in everything}
    peel_2014 = [r for r in everything if r["report_id"] == "peel-2014"]
    assert {r["status"] for r in peel_2014} == {"no deadline"} and any(r["documents"] for r in peel_2014)
    assert all(r["deadline"] is None and r["on_time"] is None and r["day"] is None for r in peel_2014)
    client = TestClient(create_app(Store(db), Settings()))
    overview = client.get("/api/overview").json()
    assert overview["counts"]["overdue"] == overview["overdue_total"] == 0 and overview["overdue"] == []
    assert json.loads(runner.invoke(app, ["check", "--report", "nca-criminal-intelligence-2020", "-f", "json",
                                          "--db", db]).stdout) == []
    eastern = json.loads(runner.invoke(app, ["check", "--report", "eastern-regional-soc-2023", "-f", "json",
                                             "--db", db]).stdout)
    assert len(eastern) == 7
    csv = client.get(f"/api/reports/{NCPI}/matrix.csv").text
    assert csv.startswith("\ufeff") and len(csv.strip().splitlines()) == 1 + 43
