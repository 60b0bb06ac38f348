"""The pages and their JSON twins on both engines: each list paged, filtered and faceted in
SQL; a page and its twin made by one call; errors in words on pages, in one shape on /api."""
from __future__ import annotations

import html

import pytest
from conftest import ROOT, corpus_files
from fastapi.testclient import TestClient

from scrutiny.oversight.ingest import ingest_bytes, ingest_paths
from scrutiny.settings import Settings
from scrutiny.web import create_app

NCPI = "ncpi-2019-thematic"
AFTER = "2024-03-01"


@pytest.fixture
def client(store):
    list(ingest_paths(store, corpus_files()))
    ingest_bytes(store, (ROOT / "tests/letters/uncatalogued-peel.txt").read_bytes(), "peel.txt", "upload:peel.txt")
    ingest_bytes(store, b"Scones: mix flour and butter, add milk, bake.", "recipe.txt", "upload:recipe.txt")
    return TestClient(create_app(store, Settings()), raise_server_exceptions=False)


def _facet(body: dict, name: str) -> dict[str, int]:
    return {v["value"]: v["count"] for f in body["facets"] if f["name"] == name for v in f["values"]}


def test_each_page_links_its_json_twin_made_from_the_same_call(client):
    for page, twin in (("/", "/api/overview"), ("/reports?responded=yes", "/api/reports?responded=yes"),
                       (f"/reports/{NCPI}?sort=days", f"/api/reports/{NCPI}?sort=days"), ("/forces", "/api/forces"),
                       ("/forces/1", "/api/forces/1"), ("/documents?kind=letter", "/api/documents?kind=letter"),
                       ("/documents/2", "/api/documents/2"), ("/review", "/api/review"),
                       ("/search?q=children", "/api/search?q=children"), ("/accessibility", "/api/accessibility")):
        html = client.get(page)
        assert html.status_code == 200, page
        assert f'href="{twin}"' in html.text.replace("&amp;", "&"), page
        assert client.get(twin).status_code == 200, twin
    reports = client.get("/api/reports", params={"responded": "yes", "sort": "title"}).json()
    page = client.get("/reports", params={"responded": "yes", "sort": "title"}).text
    assert [r["title"] for r in reports["items"]] == ["An inspection of how well the police tackle serious youth violence",
                                                      "National Child Protection Inspections: 2019 thematic report"]
    assert page.index(reports["items"][0]["title"]) < page.index(reports["items"][1]["title"])


def test_the_reports_index_pages_and_counts(client, store):
    first = client.get("/api/reports", params={"per_page": 20, "today": AFTER}).json()
    second = client.get("/api/reports", params={"per_page": 20, "page": 2, "today": AFTER}).json()
    assert first["total"] == len(store.reports()) and first["pages"] == -(-first["total"] // 20)
    assert {r["id"] for r in first["items"]}.isdisjoint(r["id"] for r in second["items"])
    years = _facet(first, "year")
    in_2020 = client.get("/api/reports", params={"year": 2020, "per_page": 100}).json()
    assert in_2020["total"] == years["2020"] and NCPI in {r["id"] for r in in_2020["items"]}
    titled = client.get("/api/reports", params={"q": "child protection"}).json()
    assert NCPI in {r["id"] for r in titled["items"]}
    assert "Page 2" not in client.get("/reports", params={"per_page": 20}).text  # the pager says "page 1 of 10"
    assert "page 1 of" in client.get("/reports", params={"per_page": 20}).text


def test_the_matrix_has_a_row_per_response_with_its_documents_and_the_forces_without(client):
    body = client.get(f"/api/reports/{NCPI}", params={"today": AFTER}).json()
    assert body["total"] == len(body["rows"]) == 4
    warwickshire = next(r for r in body["rows"] if r["force"] == "Warwickshire Police")
    assert [d["statutory"] for d in warwickshire["documents"]] == [True]
    assert len(body["not_responded"]) == 39 and {s["status"] for s in body["not_responded"]} == {"not collected"}
    assert {r["force"]: r["day"] for r in body["rows"]}["Dorset Police"] == 19
    assert _facet(body, "status") == {"on time": 2, "late": 2}
    late = client.get(f"/api/reports/{NCPI}", params={"today": AFTER, "status": "late"}).json()
    assert {r["status"] for r in late["rows"]} == {"late"} and late["total"] == 2
    page = client.get(f"/reports/{NCPI}", params={"today": AFTER, "status": "late"}).text
    assert page.count('<tr id="response-') == 2 and 'class="late"' in page
    assert "day 132: 76 days late" in page  # West Mercia's letter of 7 July 2020
    assert "status" in client.get(f"/api/reports/{NCPI}", params={"status": "tardy"}).json()["error"]


def test_forces_and_a_force_page(client):
    forces = client.get("/api/forces", params={"today": AFTER}).json()
    assert forces["total"] == 43 and sum(_facet(forces, "region").values()) == 43
    wales = client.get("/api/forces", params={"region": "Wales"}).json()
    assert wales["total"] == _facet(forces, "region")["Wales"] == 4
    dorset = next(f for f in forces["items"] if f["name"] == "Dorset Police")
    by_id = client.get(f"/api/forces/{dorset['id']}", params={"today": AFTER}).json()
    by_name = client.get("/api/forces/Dorset Police", params={"today": AFTER}).json()
    assert by_id == by_name and by_id["force"]["counts"] == dorset["counts"]
    on_time = client.get(f"/api/forces/{dorset['id']}", params={"today": AFTER, "status": "on time"}).json()
    [row] = on_time["responses"]["items"]
    assert (row["report_id"], row["days_taken"], row["complete"], row["letter_id"]) == (NCPI, 18, True, row["letter_id"])
    assert row["letter_id"] is not None and by_id["office_holders"]
    assert "no force named" in client.get("/api/forces/Gotham City Police").json()["error"]
    assert client.get("/forces/Gotham City Police").status_code == 404


def test_the_documents_list_filters_facets_and_pages_in_sql(client):
    everything = client.get("/api/documents").json()
    assert everything["total"] == 6 and _facet(everything, "kind") == {"letter": 6}
    assert sum(_facet(everything, "year").values()) == 6
    late = client.get("/api/documents", params={"on_time": "false"}).json()
    assert late["total"] == _facet(everything, "on_time")["no"] and all(d["on_time"] is False for d in late["items"])
    unattached = client.get("/api/documents", params={"attached": "false"}).json()
    assert [d["filename"] for d in unattached["items"]] == ["peel.txt"]
    paged = [client.get("/api/documents", params={"per_page": 2, "page": n, "sort": "id"}).json() for n in (1, 2, 3)]
    assert [d["id"] for p in paged for d in p["items"]] == sorted(d["id"] for d in everything["items"])
    assert client.get("/api/documents", params={"sort": "colour"}).status_code == 422
    # A form's empty field means "any" on a page; the API takes its parameters as given.
    assert client.get("/documents", params={"year": "", "kind": "", "on_time": ""}).status_code == 200
    assert client.get("/api/documents", params={"year": ""}).status_code == 422


def test_the_review_queue_lists_warnings_unattached_documents_and_failures(client):
    body = client.get("/api/review").json()
    assert [d["filename"] for d in body["unattached"]["items"]] == ["peel.txt"]
    assert body["unattached"]["items"][0]["unattached_reason"].startswith("the report is not in the catalogue")
    assert [f["source_key"] for f in body["failed"]["items"]] == ["upload:recipe.txt"]
    assert body["warnings"]["total"] >= 1 and all(w["messages"] for w in body["warnings"]["items"])
    page = client.get("/review").text
    assert "upload:recipe.txt" in page and "the report is not in the catalogue" in page


def test_search_pages_counts_and_facets_with_and_without_words(client):
    first = client.get("/api/search", params={"q": "children", "per_page": 2}).json()
    second = client.get("/api/search", params={"q": "children", "per_page": 2, "page": 2}).json()
    assert first["total"] == second["total"] >= 3 and first["pages"] >= 2
    assert {h["letter_id"] for h in first["items"]}.isdisjoint(h["letter_id"] for h in second["items"])
    assert sum(_facet(first, "force").values()) == first["total"]
    dorset = client.get("/api/search", params={"q": "children", "force": "Dorset Police"}).json()
    assert dorset["total"] == _facet(first, "force")["Dorset Police"] == 1
    assert _facet(dorset, "force") == _facet(first, "force")  # a facet's counts leave its own filter out
    no_words = client.get("/api/search", params={"year": 2020}).json()
    assert no_words["total"] == 4 and all(h["date"].startswith("2020") for h in no_words["items"])
    assert client.get("/search", params={"year": 2020}).text.count('<p class="snippet">') == 4


@pytest.mark.parametrize("url,title", [("/documents/999", "Not found"), ("/reports/nope", "Not found"),
                                        ("/documents?year=1066", "Something in the request cannot be used"),
                                        ("/forces/99999", "Not found")])
def test_error_pages_say_what_went_wrong_in_words(client, url, title):
    page = client.get(url)
    assert page.status_code in (404, 422) and f"<h1>{title}</h1>" in page.text and "Traceback" not in page.text
    api = client.get("/api" + url).json()
    assert api["ok"] is False and api["status"] == page.status_code and api["error"] in html.unescape(page.text)
