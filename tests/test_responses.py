"""The response is the unit (design.md), on SQLite and PostgreSQL: documents attach to their
response by force and report; the statutory document decides on time; statements are kept
but do not respond; copies do not count twice; every view gives the same figures; a
migrated store keeps its corrections; datasette browses the SQLite store."""
from __future__ import annotations

import asyncio
import datetime as dt
import re

import pytest
from click.testing import CliRunner
from conftest import ROOT, corpus_files
from documents import make_pdf, statement
from fastapi.testclient import TestClient
from legacy import make_0001_store
from signin import csrf, sign_in, user
from sqlalchemy import text

from scrutiny.cli import app
from scrutiny.errors import InvalidValue, NotFound
from scrutiny.oversight.corrections import correct
from scrutiny.oversight.ingest import ingest_bytes, ingest_paths
from scrutiny.read import read_path
from scrutiny.settings import Settings
from scrutiny.store import Store
from scrutiny.store.checks import record_check
from scrutiny.store.forces import force_page, forces_index
from scrutiny.store.listing import DocumentFilters, documents_list
from scrutiny.store.national import compliance_now
from scrutiny.store.reference import force_ids
from scrutiny.store.reports import (
    report_matrix,
    report_summary,
    reports_index,
    responses,
)
from scrutiny.store.review import review_queue
from scrutiny.store.search import Filters, search
from scrutiny.web import create_app

NCPI = "ncpi-2019-thematic"  # published 2020-02-27; the last day to respond is 2020-04-22
AFTER = dt.date(2020, 6, 1)
WARWICKSHIRE = corpus_files()[1]  # the PCC's letter of 27 March 2020: on time, every recommendation answered


def _ncpi_figures(store: Store):
    return report_summary(store, NCPI, AFTER).figures


def _only(store: Store, force: str = "Warwickshire Police"):
    [row] = responses(store, today=AFTER, report_id=NCPI, force=force)
    return row


def test_a_late_press_statement_and_an_on_time_letter_is_on_time(store):
    press = ingest_bytes(store, statement("1 June 2020"), "press.txt", "upload:press.txt")
    letter = ingest_bytes(store, WARWICKSHIRE.read_bytes(), WARWICKSHIRE.name, "upload:letter.txt")
    assert store.document(press.document_id).kind == "statement" and store.document(letter.document_id).kind == "letter"
    row = _only(store)
    assert row.statutory_document_id == letter.document_id and row.documents == 2
    assert (row.status, row.on_time, row.days_taken, row.complete) == ("on time", True, 29, True)
    figures = _ncpi_figures(store)
    assert (figures.responded, figures.on_time, figures.late, figures.overdue, figures.not_collected) == (1, 1, 0, 0, 42)
    # An analyst may judge the response on another document: then it is late.
    store.choose_statutory(row.response_id, press.document_id, "A. Analyst")
    assert (_only(store).status, _only(store).days_taken) == ("late", 95)
    store.choose_statutory(row.response_id, None, "A. Analyst")
    assert _only(store).statutory_document_id == letter.document_id
    with pytest.raises(InvalidValue):
        store.choose_statutory(row.response_id, 999, "A. Analyst")
    with pytest.raises(NotFound):
        store.choose_statutory(999, None, "A. Analyst")


def _statutory_client(store: Store) -> TestClient:
    client = TestClient(create_app(store, Settings(secret_key="k" * 40)), raise_server_exceptions=False)
    user(store, "alex", "analyst")
    user(store, "vic", "viewer")
    return client


def test_an_analyst_chooses_the_statutory_document_in_the_app(store):
    press = ingest_bytes(store, statement("1 June 2020"), "press.txt", "upload:press.txt")
    letter = ingest_bytes(store, WARWICKSHIRE.read_bytes(), WARWICKSHIRE.name, "upload:letter.txt")
    mercia = ingest_bytes(store, corpus_files()[0].read_bytes(), "other.txt", "upload:other.txt")  # late
    response_id = _only(store).response_id
    client = _statutory_client(store)
    url = f"/api/responses/{response_id}/statutory"
    today = {"today": AFTER.isoformat()}
    client.headers["X-CSRF-Token"] = csrf(client)
    assert client.post(url, json={"document_id": press.document_id}).status_code == 401  # signed out
    sign_in(client, "vic")
    assert client.post(url, json={"document_id": press.document_id}).status_code == 403  # a viewer
    sign_in(client, "alex")
    token = client.headers.pop("X-CSRF-Token")
    assert "CSRF" in client.post(url, json={"document_id": press.document_id}).json()["error"]
    client.headers["X-CSRF-Token"] = token
    chosen = client.post(url, params=today, json={"document_id": press.document_id})
    assert chosen.status_code == 200, chosen.text
    body = chosen.json()
    assert (body["statutory_document_id"], body["status"], body["days_taken"], body["on_time"], body["chosen_by"]) == (
        press.document_id, "late", 95, False, "alex")
    assert body["responded"] == "2020-06-01" and body["report_id"] == NCPI
    # The matrix, the figures and `check` follow the choice.
    matrix = client.get(f"/api/reports/{NCPI}", params=today).json()
    [row] = [r for r in matrix["rows"] if r["response_id"] == response_id]
    assert (row["letter_id"], row["status"], row["chosen_by"]) == (press.document_id, "late", "alex")
    assert [d["statutory"] for d in row["documents"]] == [False, True]  # the letter of March, the statement of June
    assert (matrix["figures"]["on_time"], matrix["figures"]["late"]) == (0, 2)  # Warwickshire's and West Mercia's
    check = CliRunner().invoke(app, ["check", "--db", store.url, "--today", AFTER.isoformat(), "--late",
                                     "--format", "csv"])
    assert check.exit_code == 0 and "Warwickshire Police,late" in check.output, check.output
    # Unknown ids and documents of another response are refused, and change nothing.
    assert "no response with id 999" in client.post("/api/responses/999/statutory", json={"document_id": None}).json()["error"]
    # An id no row can have (ids are 32-bit) is refused as a value, naming the field.
    beyond = client.post(f"/api/responses/{2**40}/statutory", json={"document_id": None})
    assert beyond.status_code == 422 and "response_id" in beyond.json()["error"]
    for other in (mercia.document_id, 999):
        refused = client.post(url, json={"document_id": other})
        assert refused.status_code == 422
        assert refused.json()["error"] == f"document {other} is not one of response {response_id}'s documents"
    beyond = client.post(url, json={"document_id": 2**40})
    assert beyond.status_code == 422 and "document_id" in beyond.json()["error"]
    assert client.post(url, json={"document_id": "the letter"}).status_code == 422
    assert _only(store).statutory_document_id == press.document_id
    # The choice holds through a new version of the chosen document and a re-extraction of every document.
    ingest_bytes(store, statement("1 June 2020") + b"\nEnds.", "press.txt", "upload:press.txt")
    assert store.document(press.document_id).version == 2
    with store.engine.begin() as c:
        c.execute(text("UPDATE meta SET value = 'an older derivation' WHERE key = 'derivation'"))
    reopened = Store(store.url)
    try:
        row = responses(reopened, today=AFTER, report_id=NCPI, force="Warwickshire Police")[0]
        assert (row.statutory_document_id, row.status, row.chosen_by) == (press.document_id, "late", "alex")
    finally:
        reopened.engine.dispose()
    # Back to the default: the earliest letter.
    back = client.post(url, params=today, json={"document_id": None}).json()
    assert (back["statutory_document_id"], back["status"], back["chosen_by"]) == (letter.document_id, "on time", None)


def test_the_report_page_offers_the_choice_to_analysts_only(store):
    press = ingest_bytes(store, statement("1 June 2020"), "press.txt", "upload:press.txt")
    ingest_bytes(store, WARWICKSHIRE.read_bytes(), WARWICKSHIRE.name, "upload:letter.txt")
    response_id = _only(store).response_id
    client = _statutory_client(store)
    page = f"/reports/{NCPI}?today={AFTER.isoformat()}"
    assert "use as the statutory document" not in client.get(page).text
    sign_in(client, "vic")
    assert "use as the statutory document" not in client.get(page).text
    refused = client.post(f"/responses/{response_id}/statutory",
                          data={"document_id": press.document_id, "csrf_token": client.headers["X-CSRF-Token"]})
    assert refused.status_code == 403 and "may not do this" in refused.text
    sign_in(client, "alex")
    assert "use as the statutory document" in client.get(page).text
    form = {"document_id": press.document_id, "csrf_token": client.headers.pop("X-CSRF-Token")}
    assert client.post(f"/responses/{response_id}/statutory", data={"document_id": press.document_id}).status_code == 403
    done = client.post(f"/responses/{response_id}/statutory", data=form, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/reports/{NCPI}#response-{response_id}"
    shown = client.get(page).text
    assert "chosen by alex" in shown and "back to the default" in shown
    assert _only(store).status == "late"
    client.post(f"/responses/{response_id}/statutory", data={"csrf_token": form["csrf_token"]})
    assert _only(store).status == "on time" and "back to the default" not in client.get(page).text
    assert client.post("/responses/999/statutory", data={"csrf_token": form["csrf_token"]}).status_code == 404


def test_a_force_with_only_a_press_statement_has_not_responded(store):
    ingest_bytes(store, statement("12 March 2020"), "press.txt", "upload:press.txt")
    row = _only(store)
    assert row.statutory_document_id is None and row.documents == 1 and row.status == "statement only"
    matrix = report_matrix(store, NCPI, today=AFTER)
    figures = matrix.report.figures
    assert (figures.responded, figures.statement_only, figures.not_collected, figures.overdue) == (0, 1, 42, 0)
    assert "Warwickshire Police" in {s.force for s in matrix.not_responded}
    # The statement is kept and reachable from its response's row.
    [matrix_row] = matrix.rows.items
    assert [d.kind for d in matrix_row.attached] == ["statement"] and not matrix_row.attached[0].statutory
    before = compliance_now(store, today=dt.date(2020, 4, 1), report_id=NCPI, force="Warwickshire Police")
    [standing] = before.standings.items
    assert (standing.status, standing.days_left) == ("not yet due", 21)
    # Its body's publications read after the deadline, and still no letter: now it is overdue.
    with store.transaction() as s:
        record_check(s, force_ids(s)["Warwickshire Police"], "https://www.warwickshire-pcc.gov.uk/",
                     dt.datetime(2020, 5, 1, 9), dt.datetime(2020, 5, 1, 9, 5), ok=True)
    assert _only(store).status == "overdue"


def test_two_copies_of_one_letter_are_one_response(store):
    content = WARWICKSHIRE.read_bytes()
    first = ingest_bytes(store, content, "letter.txt", "upload:letter.txt")
    again = ingest_bytes(store, content, "copy.txt", "upload:copy.txt")  # the same bytes: one document, one version
    assert again.status == "unchanged" and again.document_id == first.document_id
    pdf = ingest_bytes(store, make_pdf(read_path(WARWICKSHIRE).text), "letter.pdf", "upload:letter.pdf")
    assert pdf.status == "stored" and pdf.document_id != first.document_id  # another file: kept as its own document
    row = _only(store)
    assert row.documents == 2 and row.statutory_document_id == first.document_id  # the earlier id of the same day
    assert len(responses(store, today=AFTER)) == 1
    assert _ncpi_figures(store).responded == 1
    listed = documents_list(store, DocumentFilters(force="Warwickshire Police"))
    assert listed.documents.total == 2 and [d.statutory for d in listed.documents.items].count(True) == 1


def test_the_matrix_the_overview_and_check_agree(store):
    list(ingest_paths(store, corpus_files()))
    ingest_bytes(store, statement("1 June 2020"), "press.txt", "upload:press.txt")
    ingest_bytes(store, make_pdf(read_path(corpus_files()[4]).text), "wy.pdf", "upload:wy.pdf")
    client = TestClient(create_app(store, Settings()))
    overview = client.get("/api/overview", params={"today": AFTER.isoformat()}).json()
    index = client.get("/api/reports", params={"today": AFTER.isoformat(), "per_page": 500}).json()
    check = CliRunner().invoke(app, ["check", "--db", store.url, "--today", AFTER.isoformat()])
    assert check.exit_code == 0, check.output
    compared = 0
    assert index["total"] == len(index["items"]) == len(store.reports())
    shown = {r["id"]: r for r in overview["reports"]}
    for report in index["items"]:
        if not report["responses"]:
            continue
        matrix = client.get(f"/api/reports/{report['id']}", params={"today": AFTER.isoformat()}).json()
        for key in ("responses", "expected", "on_time", "late", "overdue", "not_yet_due", "statement_only",
                    "no_deadline", "not_collected", "coverage", "on_time_rate", "complete_rate", "median_days",
                    "missing_forces"):
            assert matrix["figures"][key] == report[key], key
        line = re.search(re.escape(report["title"]) + r": (\d+) of (\d+) forces responded \((\d+) on time, (\d+) late\); "
                         r"(\d+) overdue, (\d+) not yet due, (\d+) statement only, (\d+) no deadline, (\d+) not collected; "
                         r"no response stored from (\d+) forces", check.output)
        assert line, check.output
        assert [int(n) for n in line.groups()] == [report["responses"], report["expected"], report["on_time"],
                                                   report["late"], report["overdue"], report["not_yet_due"],
                                                   report["statement_only"], report["no_deadline"],
                                                   report["not_collected"], len(report["missing_forces"])]
        assert shown[report["id"]] == report  # the overview shows the same figures
        rows = [r for r in matrix["rows"] if r["letter_id"] is not None]
        assert sum(r["on_time"] is True for r in rows) == report["on_time"]
        assert len(rows) == report["responses"]
        compared += 1
    assert compared == 2
    ncpi = shown[NCPI]
    assert (ncpi["responses"], ncpi["on_time"], ncpi["late"]) == (4, 2, 2)  # the PDF copy and statement add none
    assert (ncpi["overdue"], ncpi["not_collected"]) == (0, 39)  # nothing was checked: not collected, not overdue
    assert overview["overdue_total"] == sum(r["overdue"] for r in index["items"]) == 0
    assert overview["counts"]["on time"] == sum(r["on_time"] for r in index["items"])
    assert overview["in_scope"] == sum(r["expected"] for r in index["items"]) == sum(overview["coverage"].values())
    assert overview["coverage"]["found"] == sum(r["responses"] for r in index["items"])


def test_unattached_documents_and_failures_wait_for_review(store, tmp_path):
    [stored] = ingest_paths(store, [ROOT / "tests/letters/uncatalogued-peel.txt"])
    recipe = tmp_path / "recipe.txt"
    recipe.write_text("Scones\n\nMix flour and butter, add milk, bake for 12 minutes.")
    list(ingest_paths(store, [recipe]))
    queue = review_queue(store)
    [waiting] = queue.unattached.items
    assert waiting.id == stored.document_id and waiting.response_id is None
    assert waiting.unattached_reason == "the report is not in the catalogue: PEEL 2021/22 - An inspection of Kent Police"
    assert any("not in the catalogue" in w for w in queue.warnings.items[0].warnings)
    assert [f.reason[:18] for f in queue.failed.items] == ["no response letter"]
    # An analyst says which report it answers: it joins Kent's response and leaves the queue.
    correct(store, stored.document_id, "report", "serious-youth-violence-2023", "A. Analyst")
    assert review_queue(store).unattached.total == 0
    assert [r.force for r in responses(store, report_id="serious-youth-violence-2023")] == ["Kent Police"]


def test_a_corrected_force_moves_the_document_to_that_forces_response(store):
    [letter] = ingest_paths(store, [WARWICKSHIRE])
    correct(store, letter.document_id, "force", "Dorset Police", "A. Analyst")
    assert [r.force for r in responses(store)] == ["Dorset Police"]  # Warwickshire's is gone with its only document
    page = force_page(store, "Dorset Police", today=AFTER, status_is="on time")
    assert [(s.report_id, s.status, s.days_taken) for s in page.standings.items] == [(NCPI, "on time", 29)]
    assert page.force.counts["on time"] == 1 and page.median_days == 29
    holders = [(h.office, h.name) for h in force_page(store, "Warwickshire Police").office_holders]
    assert ("PCC", "Philip Seccombe") in holders  # the reference's office holders, in order of their terms


def test_the_reports_index_pages_filters_and_facets_in_sql(store):
    list(ingest_paths(store, corpus_files()))
    answered = reports_index(store, today=AFTER, responded=True, sort="title")
    assert [r.id for r in answered.reports.items] == ["serious-youth-violence-2023", NCPI]  # "An inspection ...", "National ..."
    everything = reports_index(store, today=AFTER, per_page=10)
    assert everything.reports.total == len(store.reports()) and everything.reports.pages > 1
    years = {v.value: v.count for v in next(f for f in everything.facets if f.name == "year").values}
    assert years["2020"] >= 1 and sum(years.values()) <= everything.reports.total
    in_2020 = reports_index(store, today=AFTER, year=2020, per_page=100)
    assert in_2020.reports.total == years["2020"] and NCPI in {r.id for r in in_2020.reports.items}
    forces = {f.name: f.counts for f in forces_index(store, today=AFTER)}
    assert len(forces) == 43 and forces["Dorset Police"]["on time"] == 1 and forces["West Mercia Police"]["late"] == 1


def test_search_pages_counts_and_filters_without_words(store):
    list(ingest_paths(store, corpus_files()))
    first = search(store, "criminalisation of children", per_page=2)
    second = search(store, "criminalisation of children", page=2, per_page=2)
    assert first.total == second.total == 4 and first.pages == 2
    assert {h.document_id for h in first.items}.isdisjoint(h.document_id for h in second.items)
    without_words = search(store, "", Filters(year=2020))
    assert without_words.total == 4 and all(h.date.year == 2020 for h in without_words.items)
    answered = search(store, "", Filters(recommendation=1, stance="accepted", report=NCPI))
    assert {h.force for h in answered.items} == {"Warwickshire Police", "Dorset Police"}


def test_a_migrated_store_keeps_its_letters_and_corrections(empty_url):
    user_report = ("id: peel-2099\ntitle: PEEL 2099 inspection of everything\npublished: 2099-01-05\n"
                   "recommendations:\n  - number: 1\n    addressees: [chief constables]\n    wording: Do better.\n")
    make_0001_store(empty_url, corpus_files(), [(1, "letter_date", "2020-07-07", "2020-04-01"),
                                                   (3, "recommendation.2.stance", "accepted", "not accepted")],
                    user_report)
    store = Store(empty_url)
    try:
        assert [d.id for d in store.documents()] == [1, 2, 3, 4, 5]
        west_mercia = store.document(1)
        assert [c["author"] for c in west_mercia.corrections] == ["A. Analyst"]
        assert west_mercia.record["compliance"]["days_taken"] == 34  # the corrected date, as before
        row = _only(store, "West Mercia Police")
        assert (row.statutory_document_id, row.on_time, row.days_taken) == (1, True, 34)
        dorset = report_matrix(store, NCPI, force="Dorset").rows.items[0]
        assert [c.state for c in dorset.cells] == ["accepted", "not accepted", "accepted"]
        assert dorset.cells[1].origin == "corrected"
        assert "peel-2099" in {r.id for r in store.reports()}
        assert [r.id for r in reports_index(store, origin="user").reports.items] == ["peel-2099"]
        assert search(store, "deferred prosecution").total == 1
        # Opening again changes nothing, and a re-extraction does not overwrite the correction.
        Store(empty_url).engine.dispose()
        assert store.document(1).record["letter_date"]["date"] == "2020-04-01"
    finally:
        store.engine.dispose()


def test_datasette_opens_the_sqlite_store_and_lists_its_tables(tmp_path):
    datasette_app = pytest.importorskip("datasette.app")
    path = tmp_path / "scrutiny.db"
    store = Store(f"sqlite:///{path}")
    list(ingest_paths(store, corpus_files()))
    store.engine.dispose()

    async def browse() -> tuple[dict, dict, dict]:
        ds = datasette_app.Datasette([str(path)])
        tables = (await ds.client.get("/scrutiny.json")).json()
        facets = (await ds.client.get("/scrutiny/documents.json?_facet=kind&_facet=force_id")).json()
        labelled = (await ds.client.get("/scrutiny/responses.json?_labels=on&_shape=objects")).json()
        return tables, facets, labelled

    tables, facets, labelled = asyncio.run(browse())
    names = {t["name"] for t in tables["tables"]}
    assert {"forces", "office_holders", "reports", "recommendations", "responses", "documents", "versions",
            "answers", "initiatives", "corrections", "failures"} <= names
    assert facets["facet_results"]["kind"]["results"][0] == {**facets["facet_results"]["kind"]["results"][0],
                                                              "value": "letter", "count": 5}
    forces = {row["force_id"]["label"] for row in labelled["rows"]}  # foreign keys are followed to the name
    assert "Warwickshire Police" in forces


def test_the_migrations_build_the_tables_the_code_declares(store):
    """schema.py and the Alembic migrations describe the same tables, columns and indexes."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from scrutiny.store.schema import Base

    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    # Left out on purpose: Alembic's own table, SQLite's full-text index, PostgreSQL's text-search
    # vector and its index.
    ignored = {"alembic_version", "search_index", "search_index_data", "search_index_idx", "search_index_docsize",
               "search_index_config", "search_index_content", "search_vector", "ix_versions_search_vector"}

    def named(diff) -> str:
        if isinstance(diff, tuple) and diff[0] == "remove_column":
            return diff[3].name
        item = diff[1] if isinstance(diff, tuple) else diff[0][1]
        return getattr(item, "name", "")
    assert [d for d in differences if named(d) not in ignored] == []


def test_each_document_says_what_it_is(store):
    pages = {name: ingest_bytes(store, (ROOT / "tests/letters" / name).read_bytes(), name, f"upload:{name}")
             for name in ("press-page.html", "pfcc-numbered.md")}
    page = (b"<html><body><h1>Commissioner's response to the HMICFRS National Child Protection Inspections 2019 "
            b"thematic report</h1><p>I welcome the report. The Police and Crime Commissioner for Dorset has asked "
            b"the Chief Constable to act on each recommendation.</p></body></html>")
    pages["response.html"] = ingest_bytes(store, page, "response.html", "upload:response.html")
    kinds = {name: store.document(o.document_id).kind for name, o in pages.items()}
    assert kinds == {"press-page.html": "statement", "pfcc-numbered.md": "letter", "response.html": "web page"}
    facet = next(f for f in documents_list(store).facets if f.name == "kind")
    assert {v.value: v.count for v in facet.values} == {"statement": 1, "letter": 1, "web page": 1}


def test_a_text_that_is_not_a_response_waits_in_review_and_counts_nowhere(store):
    """A chief constable's own statement on an inspection names a force and a report, but is not
    the policing body's response: it is kept, waits in the review queue with the extractor's
    reason, and no response is made or counted for it."""
    from scrutiny.store.review import review_queue

    [outcome] = ingest_paths(store, [ROOT / "tests" / "wild" / "n07-chief-constable.txt"])
    assert outcome.status == "stored"
    document = store.document(outcome.document_id)
    assert document.record["response"]["value"] is False
    assert document.response_id is None
    [waiting] = review_queue(store).unattached.items
    assert waiting.id == outcome.document_id
    assert waiting.unattached_reason == "not a response: " + document.record["response"]["reason"]
    assert responses(store, today=AFTER) == []
    # An analyst who judges otherwise says so, and the document then joins its response.
    corrected = correct(store, outcome.document_id, "response", "yes", "A. Analyst")
    assert corrected.response_id is not None and corrected.verified == {"response"}
    assert review_queue(store).unattached.items == []
