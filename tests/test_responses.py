"""The response is the unit (design.md), on SQLite and PostgreSQL: documents attach to their
response by force and report; the statutory document decides on time; statements are kept
but do not respond; copies do not count twice; every view gives the same figures; a
migrated store keeps its corrections; datasette browses the SQLite store."""
from __future__ import annotations

import asyncio
import datetime as dt
import re

import pytest
from conftest import ROOT, corpus_files
from documents import make_pdf
from fastapi.testclient import TestClient
from legacy import make_0001_store
from click.testing import CliRunner

from scrutiny.cli import app
from scrutiny.errors import InvalidValue, NotFound
from scrutiny.ingest import ingest_bytes, ingest_paths
from scrutiny.read import read_path
from scrutiny.search import Filters, search
from scrutiny.settings import Settings
from scrutiny.store import Store
from scrutiny.store.forces import force_page, forces_index
from scrutiny.store.listing import DocumentFilters, documents_list
from scrutiny.store.reports import (
    compliance_now,
    report_matrix,
    report_summary,
    reports_index,
    responses,
)
from scrutiny.store.review import review_queue
from scrutiny.web import create_app

NCPI = "ncpi-2019-thematic"  # published 2020-02-27; the last day to respond is 2020-04-22
AFTER = dt.date(2020, 6, 1)
WARWICKSHIRE = corpus_files()[1]  # the PCC's letter of 27 March 2020: on time, every recommendation answered


def statement(day: str) -> bytes:
    """A press statement by Warwickshire's commissioner about the child protection report."""
    return (f"Warwickshire Police and Crime Commissioner welcomes HMICFRS report\n\n{day}\n\n"
            "The Police and Crime Commissioner for Warwickshire, Philip Seccombe, has welcomed the HMICFRS "
            "National Child Protection Inspections 2019 thematic report. He said: 'We accept all of the "
            "recommendations and will work with the Chief Constable to deliver them.'").encode()


def _ncpi_figures(store: Store):
    return report_summary(store, NCPI, AFTER).figures


def _only(store: Store, force: str = "Warwickshire Police"):
    [row] = responses(store, today=AFTER, report_id=NCPI, force=force)
    return row


def test_a_late_press_statement_and_an_on_time_letter_is_on_time(store):
    press = ingest_bytes(store, statement("1 June 2020"), "press.txt", "upload:press.txt")
    letter = ingest_bytes(store, WARWICKSHIRE.read_bytes(), WARWICKSHIRE.name, "upload:letter.txt")
    assert store.document(press.letter_id).kind == "statement" and store.document(letter.letter_id).kind == "letter"
    row = _only(store)
    assert row.statutory_document_id == letter.letter_id and row.documents == 2
    assert (row.status, row.on_time, row.days_taken, row.complete) == ("on time", True, 29, True)
    figures = _ncpi_figures(store)
    assert (figures.responded, figures.on_time, figures.late, figures.overdue) == (1, 1, 0, 42)
    # An analyst may judge the response on another document: then it is late.
    store.choose_statutory(row.response_id, press.letter_id, "A. Analyst")
    assert (_only(store).status, _only(store).days_taken) == ("late", 95)
    store.choose_statutory(row.response_id, None, "A. Analyst")
    assert _only(store).statutory_document_id == letter.letter_id
    with pytest.raises(InvalidValue):
        store.choose_statutory(row.response_id, 999, "A. Analyst")
    with pytest.raises(NotFound):
        store.choose_statutory(999, None, "A. Analyst")


def test_a_force_with_only_a_press_statement_has_not_responded(store):
    ingest_bytes(store, statement("12 March 2020"), "press.txt", "upload:press.txt")
    row = _only(store)
    assert row.statutory_document_id is None and row.documents == 1 and row.status == "overdue"
    matrix = report_matrix(store, NCPI, today=AFTER)
    assert matrix.report.figures.responded == 0 and matrix.report.figures.overdue == 43
    assert "Warwickshire Police" in {s.force for s in matrix.not_responded}
    # The statement is kept and reachable from its response's row.
    [matrix_row] = matrix.rows.items
    assert [d.kind for d in matrix_row.attached] == ["statement"] and not matrix_row.attached[0].statutory
    before = compliance_now(store, today=dt.date(2020, 4, 1), report_id=NCPI, force="Warwickshire Police")
    [standing] = before.standings.items
    assert (standing.status, standing.days_left) == ("not yet due", 21)


def test_two_copies_of_one_letter_are_one_response(store):
    content = WARWICKSHIRE.read_bytes()
    first = ingest_bytes(store, content, "letter.txt", "upload:letter.txt")
    again = ingest_bytes(store, content, "copy.txt", "upload:copy.txt")  # the same bytes: one document, one version
    assert again.status == "unchanged" and again.letter_id == first.letter_id
    pdf = ingest_bytes(store, make_pdf(read_path(WARWICKSHIRE).text), "letter.pdf", "upload:letter.pdf")
    assert pdf.status == "stored" and pdf.letter_id != first.letter_id  # another file: kept as its own document
    row = _only(store)
    assert row.documents == 2 and row.statutory_document_id == first.letter_id  # the earlier id of the same day
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
        for key in ("responses", "expected", "on_time", "late", "overdue", "not_yet_due", "on_time_rate",
                    "complete_rate", "median_days", "missing_forces"):
            assert matrix["figures"][key] == report[key], key
        line = re.search(re.escape(report["title"]) + r": (\d+) of (\d+) forces responded \((\d+) on time, (\d+) late\); "
                         r"(\d+) overdue, (\d+) not yet due; no response stored from (\d+) forces", check.output)
        assert line, check.output
        assert [int(n) for n in line.groups()] == [report["responses"], report["expected"], report["on_time"],
                                                   report["late"], report["overdue"], report["not_yet_due"],
                                                   len(report["missing_forces"])]
        assert shown[report["id"]] == report  # the overview shows the same figures
        rows = [r for r in matrix["rows"] if r["letter_id"] is not None]
        assert sum(r["on_time"] is True for r in rows) == report["on_time"]
        assert len(rows) == report["responses"]
        compared += 1
    assert compared == 2
    ncpi = shown[NCPI]
    assert (ncpi["responses"], ncpi["on_time"], ncpi["late"]) == (4, 2, 2)  # the PDF copy and statement add none
    assert ncpi["overdue"] == 39 and overview["overdue_total"] == sum(r["overdue"] for r in index["items"])
    assert overview["counts"]["on time"] == sum(r["on_time"] for r in index["items"])


def test_unattached_documents_and_failures_wait_for_review(store, tmp_path):
    [stored] = ingest_paths(store, [ROOT / "tests/letters/uncatalogued-peel.txt"])
    recipe = tmp_path / "recipe.txt"
    recipe.write_text("Scones\n\nMix flour and butter, add milk, bake for 12 minutes.")
    list(ingest_paths(store, [recipe]))
    queue = review_queue(store)
    [waiting] = queue.unattached.items
    assert waiting.id == stored.letter_id and waiting.response_id is None
    assert waiting.unattached_reason == "the report is not in the catalogue: PEEL 2021/22 - An inspection of Kent Police"
    assert any("not in the catalogue" in w for w in queue.warnings.items[0].warnings)
    assert [f.reason[:18] for f in queue.failed.items] == ["no response letter"]
    # An analyst says which report it answers: it joins Kent's response and leaves the queue.
    store.correct(stored.letter_id, "report", "serious-youth-violence-2023", "A. Analyst")
    assert review_queue(store).unattached.total == 0
    assert [r.force for r in responses(store, report_id="serious-youth-violence-2023")] == ["Kent Police"]


def test_a_corrected_force_moves_the_document_to_that_forces_response(store):
    [letter] = ingest_paths(store, [WARWICKSHIRE])
    store.correct(letter.letter_id, "force", "Dorset Police", "A. Analyst")
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
    # Left out on purpose: Alembic's own table, SQLite's full-text index, PostgreSQL's text-search index.
    ignored = {"alembic_version", "search_index", "search_index_data", "search_index_idx", "search_index_docsize",
               "search_index_config", "search_index_content", "ix_versions_text_fts"}

    def named(diff) -> str:
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
    kinds = {name: store.document(o.letter_id).kind for name, o in pages.items()}
    assert kinds == {"press-page.html": "statement", "pfcc-numbered.md": "letter", "response.html": "web page"}
    facet = next(f for f in documents_list(store).facets if f.name == "kind")
    assert {v.value: v.count for v in facet.values} == {"statement": 1, "letter": 1, "web page": 1}
