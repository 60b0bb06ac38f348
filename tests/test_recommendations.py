"""Recommendations from HMICFRS's own text: its pages read (real ones from ../shared, and
layouts the corpus lacks), scored against the hand labels; `scrutiny reports import`; the
register's statuses kept per force; the report page's paste-correct-confirm form and its JSON
twins, on both engines."""
from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from conftest import SHARED
from fastapi.testclient import TestClient
from signin import sign_in, user
from sqlalchemy import func, select

from scrutiny.cli import app
from scrutiny.extract.hmicfrs import parse
from scrutiny.oversight.recommendations import import_files
from scrutiny.read import read_bytes, read_path
from scrutiny.settings import Settings
from scrutiny.store.register import register_status
from scrutiny.store.schema import RegisterStatus, ReportChange
from scrutiny.web import create_app

PAGES = SHARED / "corpus" / "hmicfrs"
GOLD = SHARED / "gold" / "hmicfrs.jsonl"
needs_pages = pytest.mark.skipif(not PAGES.is_dir(), reason="no ../shared/corpus/hmicfrs")
runner = CliRunner()


def page(name: str) -> dict:
    return parse(read_path(PAGES / name)).to_dict()


def text_page(text: str, name: str = "page.txt") -> dict:
    return parse(read_bytes(text.encode(), name)).to_dict()


# --- reading HMICFRS's pages -----------------------------------------------------------------------

@needs_pages
def test_a_register_record_gives_its_recommendation_status_and_dated_history():
    record = page("008.txt")  # a theme listing: '<report> (<record>)', the wording, the register's markup
    assert (record["kind"], record["title"], record["record"]) == (
        "recommendation", "Merseyside Police: Crime Data Integrity inspection 2016", "7319")
    [rec] = record["recommendations"]
    assert rec["wording"].startswith("Within six months, the force should review the extent")
    assert (rec["due"], rec["addressees"], rec["force"]) == ("Within six months", ["the force"], "Merseyside Police")
    assert rec["status"] == "complete"
    assert [(e["on"], e["status"]) for e in rec["status_history"] if "status" in e] == [
        ("2017-02-09", "awaiting-review"), ("2017-12-28", "being-progressed"), ("2017-12-28", "awaiting-review"),
        ("2018-05-17", "complete")]


@needs_pages
def test_a_force_page_of_the_register_in_plain_lines_and_one_without_any_dates():
    plain = page("055.txt")  # '3rd March 2017 awaiting-review' lines, no markup
    [rec] = plain["recommendations"]
    assert (rec["number"], rec["force"], rec["status"], rec["due"]) == (5, "Dyfed-Powys Police", "complete", "Immediately")
    assert plain["causes_of_concern"][0].startswith("HMIC found that the current approach to mapping")
    bare = page("076.txt")  # the wording, then a comment, no dates at all
    [rec] = bare["recommendations"]
    assert rec["status"] is None and rec["wording"].endswith("free of any form of discrimination.")
    assert rec["addressees"] == ["all chief constables"] and rec["due_date"] == "2015-08-31"


@needs_pages
def test_a_record_with_parts_gives_each_part_by_its_lead_in_or_number():
    lincolnshire = page("011.txt")
    assert [r["due"] for r in lincolnshire["recommendations"]] == ["immediately", "Within three months",
                                                                   "Within six months"]
    stop_search = page("059.txt")
    assert [r["number"] for r in stop_search["recommendations"]] == [1, 2, 3, 4]
    assert stop_search["recommendations"][1]["addressees"] == ["forces"]  # 'Where forces ..., they should'


@needs_pages
def test_a_letter_and_report_pages():
    letter = page("028.txt")
    assert letter["kind"] == "letter" and letter["forces"] == ["Greater Manchester Police"]
    assert [r["due"] for r in letter["recommendations"]] == ["immediately", "Within three months", "Within three months"]
    report = page("023.txt")
    assert (report["kind"], report["published"], report["recommendations"]) == ("report", "2015-01-30", [])
    assert page("020.txt")["forces"] == ["Devon and Cornwall Police"]
    assert page("062.txt")["recommendations"] == []  # 'Recommendations are not orders.'


@needs_pages
def test_the_labelled_wording_and_statuses_are_recovered():
    from scrutiny.oversight.evaluate_hmicfrs import evaluate

    scores = evaluate(GOLD, PAGES)
    print(json.dumps(scores.to_dict(), indent=1))  # the figures, for the note (-s shows them)
    assert scores.files == 51
    assert scores.share("wording_recall") >= 0.9 and scores.share("wording_precision") >= 0.9
    assert scores.share("status") >= 0.85 and scores.share("history_recall") >= 0.9
    assert scores.share("kind") >= 0.9 and scores.share("addressees") >= 0.8


def test_areas_for_improvement_are_kept_apart_and_national_bodies_addressed():
    report = text_page("""PEEL 2023-2025: An inspection of Avon and Somerset Police

Published on: 15 March 2024

Cause of concern

The force isn't doing enough to make sure that children are safeguarded.

Recommendations

Within three months, the force should make sure that:
• officers understand how to identify vulnerability;
• supervisors review every referral.

Area for improvement 1

The force should improve how it records the ethnicity of people it stops.

Recommendations to national bodies

By 31 March 2025, the College of Policing should update its guidance on stop and search.
We recommend that, by 30 September 2024, the Home Office and the National Police Chiefs' Council should review it.
""")
    assert (report["kind"], report["published"], report["forces"]) == ("report", "2024-03-15", ["Avon and Somerset Police"])
    recs = report["recommendations"]
    assert [r["addressees"] for r in recs] == [["the force"], ["the College of Policing"],
                                               ["the Home Office", "the National Police Chiefs' Council"]]
    assert recs[0]["wording"].endswith("supervisors review every referral.") and recs[0]["cause_of_concern"] == 0
    assert [r["due_date"] for r in recs] == [None, "2025-03-31", "2024-09-30"]
    assert report["areas_for_improvement"] == ["The force should improve how it records the ethnicity of people it stops"]


def test_a_register_listing_of_several_records_gives_each_its_own_status():
    listing = text_page("""URL: https://www.justiceinspectorates.gov.uk/hmicfrs/?recommendation-theme=custody

Kent Police: Crime Data Integrity inspection 2016 (7001)

Within three months, the force should review its custody records.

[on]9th February 2017 [status]awaiting-review[/status][/on][on]3rd May 2018 [status]complete[/status][/on]

Building the picture: an inspection of police information management (830)

By 30 November 2015, chief constables should audit their records.

[on]1st July 2015 [status]awaiting-review[/status][/on][on]13th September 2016 [comment]Reviewed.[/comment][/on]
""")
    assert [(r["report"], r["record"], r["force"], r["status"]) for r in listing["recommendations"]] == [
        ("Kent Police: Crime Data Integrity inspection 2016", "7001", "Kent Police", "complete"),
        ("Building the picture: an inspection of police information management", "830", None, "awaiting-review")]
    assert listing["recommendations"][1]["status_history"][-1] == {"on": "2016-09-13", "comment": "Reviewed."}


# --- the command ------------------------------------------------------------------------------------

@needs_pages
def test_import_dry_run_prints_each_file_and_stores_nothing(tmp_path):
    db = tmp_path / "none.db"
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"not a pdf")
    result = runner.invoke(app, ["reports", "import", str(PAGES / "008.txt"), str(bad), str(PAGES / "059.txt"),
                                 "--dry-run", "--json", "--db", f"sqlite:///{db}"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["report_id"] for line in lines] == ["cdi-2016-merseyside", "peel-legitimacy-2017"]
    [rec] = lines[0]["recommendations"]
    assert {"number", "addressees", "due", "wording", "status", "status_history"} <= set(rec)
    assert f"{bad}: not a PDF" in result.stderr and "2 read, 1 failed" in result.stderr
    assert not db.exists()


@needs_pages
def test_import_completes_reports_keeps_statuses_and_twice_changes_nothing(store):
    files = [PAGES / name for name in ("008.txt", "011.txt", "059.txt", "023.txt")]
    first = list(import_files(store, files, author="ana"))
    assert [o.status for o in first] == ["statuses kept", "completed", "completed", "unchanged"]
    with store.session() as s:
        [merseyside] = register_status(s, "cdi-2016-merseyside")
        changes = s.scalar(select(func.count()).select_from(ReportChange))
        statuses = s.scalar(select(func.count()).select_from(RegisterStatus))
    assert (merseyside.force, merseyside.status, str(merseyside.status_on)) == ("Merseyside Police", "complete",
                                                                                "2018-05-17")
    assert merseyside.number == 1 and merseyside.record == "7319"
    lincolnshire = next(r for r in store.reports() if r.id == "cdi-2018-lincolnshire")
    assert len(lincolnshire.force_recommendations) == 3
    again = list(import_files(store, files, author="ana"))
    assert [o.status for o in again] == ["unchanged"] * 4
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(ReportChange)) == changes == 2
        assert s.scalar(select(func.count()).select_from(RegisterStatus)) == statuses
        [change] = [c for c in s.scalars(select(ReportChange)) if c.report_id == "cdi-2018-lincolnshire"]
    assert change.author == "ana" and change.before and "Within six months" in change.after


@needs_pages
def test_a_register_page_naming_no_report_needs_report_and_then_keeps_its_force(tmp_path):
    url = f"sqlite:///{tmp_path / 'r.db'}"
    failed = runner.invoke(app, ["reports", "import", str(PAGES / "001.txt"), "--db", url])
    assert failed.exit_code == 1 and "001.txt: the page does not name its report; give --report ID" in failed.stderr
    result = runner.invoke(app, ["reports", "import", str(PAGES / "001.txt"), str(PAGES / "055.txt"),
                                 "--report", "peel-effectiveness-2016", "--db", url])
    assert result.exit_code == 0, result.output
    # the catalogue has the recommendation's wording already (from the audit): only the statuses are new
    assert "1 register status(es) kept for peel-effectiveness-2016" in result.stdout
    client = TestClient(create_app(open_store_at(url), Settings()), raise_server_exceptions=False)
    report = client.get("/api/reports/peel-effectiveness-2016").json()
    assert {(t["force"], t["status"], t["number"]) for t in report["register_statuses"]} == {
        ("Metropolitan Police Service", "being-progressed", 1), ("Dyfed-Powys Police", "complete", 1)}  # among those to forces
    html = client.get("/reports/peel-effectiveness-2016").text
    assert "HMICFRS's register, Dyfed-Powys Police: <strong>complete</strong> (2018-08-28)" in html


def open_store_at(url: str):
    from scrutiny.oversight import open_store

    return open_store(url)


# --- the report page's form and its JSON twins --------------------------------------------------------

PASTED = """Recommendations

By 31 March 2026, chief constables should publish their vetting decisions.
Within three months, the force should review every open case.

Areas for improvement

The force should improve its use of data.
"""


@pytest.fixture
def analyst(store):
    client = TestClient(create_app(store, Settings(secret_key="k" * 40)), raise_server_exceptions=False)
    user(store, "ana", "analyst")
    user(store, "vic", "viewer")
    sign_in(client, "ana")
    return client


def test_an_analyst_pastes_reads_corrects_and_confirms(analyst, store):
    parsed = analyst.post("/api/reports/peel-2014/recommendations/parse", json={"text": PASTED})
    assert parsed.status_code == 200, parsed.text
    body = parsed.json()
    assert [r["due"] for r in body["recommendations"]] == ["By 31 March 2026", "Within three months"]
    assert body["areas_for_improvement"] == ["The force should improve its use of data"]
    assert all(r.id != "peel-2014" or not r.recommendations for r in store.reports())  # nothing stored
    corrected = [{"number": None, "addressees": r["addressees"], "due": r["due_date"] or r["due"],
                  "wording": r["wording"]} for r in body["recommendations"]]
    corrected[1]["wording"] = ""  # not a recommendation of this report: left out
    kept = analyst.post("/api/reports/peel-2014/recommendations", json={"recommendations": corrected})
    assert kept.status_code == 200, kept.text
    assert kept.json()["status"] == "completed"
    assert [r["due"] for r in kept.json()["recommendations"]][-1] == "2026-03-31"
    again = analyst.post("/api/reports/peel-2014/recommendations", json={"recommendations": corrected})
    assert again.json()["status"] == "unchanged"
    with store.session() as s:
        [change] = s.scalars(select(ReportChange).where(ReportChange.report_id == "peel-2014"))
    assert change.author == "ana"


def test_the_form_reads_the_pasted_text_and_confirms_it(analyst):
    token = re.search(r'name="csrf_token" value="([^"]+)"', analyst.get("/reports/peel-2014").text).group(1)
    read = analyst.post("/reports/peel-2014/recommendations/parse", data={"text": PASTED, "csrf_token": token})
    assert read.status_code == 200 and "By 31 March 2026, chief constables should" in read.text
    assert 'id="improvements"' in read.text
    form = {"csrf_token": token, "number": ["", ""], "addressees": ["chief constables", "the force"],
            "due": ["2026-03-31", "Within three months"],
            "wording": ["By 31 March 2026, chief constables should publish their vetting decisions.",
                        "<script>alert(1)</script> Within three months, the force should review every open case."]}
    done = analyst.post("/reports/peel-2014/recommendations", data=form, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/reports/peel-2014#recommendations"
    page = analyst.get("/reports/peel-2014").text
    assert "chief constables should publish their vetting decisions" in page and "<script>alert" not in page


def test_only_an_analyst_with_the_token_may_read_or_confirm(analyst, store):
    analyst.headers.pop("X-CSRF-Token")
    assert analyst.post("/api/reports/peel-2014/recommendations/parse", json={"text": PASTED}).status_code == 403
    sign_in(analyst, "vic")
    assert analyst.post("/api/reports/peel-2014/recommendations/parse", json={"text": PASTED}).status_code == 403
    sign_in(analyst, "ana")
    bad = analyst.post("/api/reports/no-such-report/recommendations/parse", json={"text": PASTED})
    assert bad.status_code == 404 and "no-such-report" in bad.json()["error"]
    empty = analyst.post("/api/reports/peel-2014/recommendations", json={"recommendations": [{"wording": " "}]})
    assert empty.status_code == 422 and "recommendations" in empty.json()["error"]
    control = analyst.post("/api/reports/peel-2014/recommendations", json={"recommendations": [{"wording": "a\u0000"}]})
    assert control.status_code == 422 and "Traceback" not in control.text
