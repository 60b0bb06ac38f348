"""The JSON API on both engines: every endpoint, its errors, uploads, corrections and search."""
from __future__ import annotations

import io
import json

import pytest
from conftest import corpus_files
from fastapi.testclient import TestClient
from signin import sign_in, user

from scrutiny.extract import extract
from scrutiny.ingest import ingest_paths
from scrutiny.read import read_path
from scrutiny.settings import Settings
from scrutiny.web import create_app

SECRET = "k" * 40  # a test's own key: nothing secret is kept in the repository


@pytest.fixture
def client(store):
    """The API on the sample letters, signed in as an analyst (who may upload and correct)."""
    list(ingest_paths(store, corpus_files()))
    client = TestClient(create_app(store, Settings(max_upload_bytes=64 * 1024, secret_key=SECRET)),
                        raise_server_exceptions=False)
    user(store, "alex", "analyst")
    sign_in(client, "alex")
    return client


def _error(response, status: int) -> str:
    assert response.status_code == status
    body = response.json()
    assert body["ok"] is False and body["status"] == status and "Traceback" not in response.text
    return body["error"]


def test_reports_overview(client):
    body = client.get("/api/reports").json()
    ncpi = next(r for r in body["reports"] if r["id"] == "ncpi-2019-thematic")
    assert ncpi["responses"] == 4 and ncpi["on_time_rate"] == 0.5 and ncpi["complete_rate"] == 1.0
    assert ncpi["median_days"] == 53.5 and len(ncpi["missing_forces"]) == 39
    assert sorted(r["days_taken"] for r in body["responses"]) == [18, 29, 49, 78, 131]


def test_report_matrix_sorts_and_filters(client):
    body = client.get("/api/reports/ncpi-2019-thematic", params={"sort": "days"}).json()
    assert [r["force"] for r in body["rows"]] == ["Dorset Police", "Warwickshire Police", "West Yorkshire Police",
                                                  "West Mercia Police"]
    assert [c["state"] for c in body["rows"][0]["cells"]] == ["accepted"] * 3
    late = client.get("/api/reports/ncpi-2019-thematic", params={"on_time": "false"}).json()
    assert {r["force"] for r in late["rows"]} == {"West Yorkshire Police", "West Mercia Police"}
    region = client.get("/api/reports/ncpi-2019-thematic", params={"region": "South West"}).json()
    assert [r["force"] for r in region["rows"]] == ["Dorset Police"]
    assert "sort" in _error(client.get("/api/reports/ncpi-2019-thematic", params={"sort": "colour"}), 422)
    assert "nope" in _error(client.get("/api/reports/nope"), 404)


def test_letter_and_history(client):
    body = client.get("/api/letters/2").json()
    assert body["record"]["signatory"]["name"] == "Philip Seccombe" and body["corrections"] == []
    assert client.get("/api/letters/2/history").json() == []
    _error(client.get("/api/letters/999"), 404)
    _error(client.get("/api/letters/abc"), 422)


def test_corrections_are_kept_and_survive_reextraction(client, store, tmp_path):
    response = client.post("/api/letters/1/corrections",
                           json={"field": "letter_date", "value": "2020-04-01"})
    body = response.json()
    assert body["record"]["compliance"]["days_taken"] == 34 and body["record"]["compliance"]["on_time"] is True
    assert body["verified"] == ["letter_date"]
    [entry] = client.get("/api/letters/1/history").json()
    assert entry["previous"] == "2020-07-07" and entry["value"] == "2020-04-01" and entry["author"] == "alex"
    # The same letter changed on disk is re-extracted: the human value stands.
    path = tmp_path / "changed.txt"
    original = corpus_files()[0]
    letter = store.document(1)
    path.write_text(original.read_text() + "\n")
    store.save(letter.source_key, "changed.txt", path.read_bytes(), extract(read_path(path)).to_dict())
    after = client.get("/api/letters/1").json()
    assert after["version"] == 2 and after["record"]["letter_date"]["date"] == "2020-04-01"
    overview = client.get("/api/reports").json()
    assert sorted(r["days_taken"] for r in overview["responses"]) == [18, 29, 34, 49, 78]


@pytest.mark.parametrize("payload,status,message", [
    ({"field": "colour", "value": "red"}, 422, "cannot be corrected"),
    ({"field": "letter_date", "value": "31/02/2020"}, 422, "not a date"),
    ({"field": "force", "value": "Gotham Police"}, 422, "43 forces"),
    ({"field": "recommendation.2.stance", "value": "loved it"}, 422, "one of"),
    ({"field": "letter_date"}, 422, "value"),
])
def test_bad_corrections(client, payload, status, message):
    assert message in _error(client.post("/api/letters/1/corrections", json=payload), status)


def test_search_across_forces(client):
    hits = client.get("/api/search", params={"q": "deferred prosecution"}).json()
    assert [h["force"] for h in hits] == ["West Yorkshire Police"]
    assert "<mark>" in hits[0]["snippet"].lower()
    outcome = client.get("/api/search", params={"q": "outcome 22"}).json()
    assert [h["report_id"] for h in outcome] == ["serious-youth-violence-2023"]
    children = client.get("/api/search", params={"q": "criminalisation of children"}).json()
    assert len(children) >= 3
    filtered = client.get("/api/search", params={"q": "criminalisation of children", "stance": "accepted",
                                                 "recommendation": 1, "year": 2020}).json()
    assert {h["force"] for h in filtered} == {"Warwickshire Police", "Dorset Police"}
    assert client.get("/api/search", params={"q": "nothing-like-this-anywhere"}).json() == []
    _error(client.get("/api/search"), 422)
    _error(client.get("/api/search", params={"q": "x", "stance": "furious"}), 422)
    _error(client.get("/api/search", params={"q": "x", "year": "1066"}), 422)


def test_upload(client):
    letter = corpus_files()[1].read_bytes().replace(b"27th March 2020", b"30th March 2020")
    response = client.post("/api/letters", files=[("files", ("warwickshire-v2.txt", letter, "text/plain"))])
    [outcome] = response.json()
    assert outcome["status"] == "stored" and outcome["letter_id"] == 6
    again = client.post("/api/letters", files=[("files", ("again.txt", letter, "text/plain"))]).json()
    assert again[0]["status"] == "unchanged"
    bad = client.post("/api/letters", files=[("files", ("empty.txt", b" ", "text/plain"))]).json()
    assert bad[0]["status"] == "failed" and "empty file" in bad[0]["message"]
    assert "unsupported" in _error(client.post("/api/letters", files=[("files", ("x.exe", b"MZ", "application/x"))]),
                                   415)
    big = io.BytesIO(b"a" * (65 * 1024))
    assert "too large" in _error(client.post("/api/letters", files=[("files", ("big.txt", big, "text/plain"))]), 413)
    _error(client.post("/api/letters"), 422)


def test_exports(client):
    records = json.loads(client.get("/api/export.json").text)
    assert len(records) == 5 and records[0]["document_id"] == 1
    assert client.get("/api/export.csv").text.startswith("document_id,file,kind,response_id,statutory,force")
    matrix = client.get("/api/reports/serious-youth-violence-2023/matrix.csv").text.splitlines()
    assert matrix[1].split(",")[-2:] == ["accepted", "accepted"]
    briefing = client.get("/reports/ncpi-2019-thematic/briefing").text
    assert "Chance to Change" in briefing or "Reducing the unnecessary criminalisation" in briefing


def test_openapi_describes_the_api(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/reports", "/api/reports/{report_id}", "/api/letters/{letter_id}", "/api/search",
                 "/api/letters", "/api/letters/{letter_id}/corrections"):
        assert path in spec["paths"]


def test_pages_render_and_unknown_pages_are_404(client):
    for url in ("/", "/reports/serious-youth-violence-2023", "/letters/3", "/search?q=Legitimacy", "/upload", "/static/style.css",
                "/static/app.js"):
        assert client.get(url).status_code == 200, url
    page = client.get("/letters/999")
    assert page.status_code == 404 and "no letter with id 999" in page.text
    assert client.get("/letters/1/original").content == corpus_files()[0].read_bytes()


def test_pages_use_no_outside_assets(client):
    for url in ("/", "/reports/ncpi-2019-thematic", "/letters/2", "/search?q=board", "/upload",
                "/reports/ncpi-2019-thematic/briefing"):
        page = client.get(url).text
        assert "http://" not in page.replace("http://127.0.0.1", "") and "https://" not in page.split("<article")[0], url
    assert client.get("/docs").status_code == 404


def test_correcting_the_report_reads_the_recommendations_again(client):
    # Letter 4 answers the serious youth violence report; an analyst says it answers the
    # child protection report instead: its three recommendations are read from the text.
    body = client.post("/api/letters/4/corrections",
                       json={"field": "report", "value": "ncpi-2019-thematic"}).json()
    record = body["record"]
    assert record["report"]["id"] == "ncpi-2019-thematic" and record["report"]["verified"] is True
    assert [a["number"] for a in record["recommendations"]] == [1, 2, 3]
    assert record["compliance"]["deadline"] == "2020-04-22"
    assert "not a report id" in _error(client.post("/api/letters/4/corrections", json={
        "field": "report", "value": "no-such-report"}), 422)
