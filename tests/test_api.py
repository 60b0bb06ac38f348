"""The JSON API on both engines: every endpoint, its errors, uploads, corrections and search."""
from __future__ import annotations

import json
import re

import pytest
from conftest import corpus_files
from fastapi.testclient import TestClient
from signin import sign_in, user
from sqlalchemy import select, text

from scrutiny.extract import extract
from scrutiny.oversight.corrections import correct
from scrutiny.oversight.ingest import ingest_paths
from scrutiny.read import read_path
from scrutiny.settings import Settings
from scrutiny.store.schema import Version
from scrutiny.web import create_app

SECRET = "k" * 40  # a test's own key: nothing secret is kept in the repository


@pytest.fixture
def client(store):
    """The API on the sample letters, signed in as an analyst (who may upload and correct)."""
    list(ingest_paths(store, corpus_files()))
    client = TestClient(create_app(store, Settings(max_upload_mb=64 / 1024, secret_key=SECRET)),
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
    body = client.get("/api/overview").json()
    ncpi = next(r for r in body["reports"] if r["id"] == "ncpi-2019-thematic")
    assert ncpi["responses"] == 4 and ncpi["on_time_rate"] == 0.5 and ncpi["complete_rate"] == 1.0
    assert ncpi["median_days"] == 53.5 and len(ncpi["missing_forces"]) == 39
    assert sorted(r["days_taken"] for r in body["responses"]) == [18, 29, 49, 78, 131]


def test_the_old_letters_addresses_redirect_to_documents(client):
    for old, new in (("/letters/1", "/documents/1"), ("/api/letters?force=x", "/api/documents?force=x"),
                     ("/letters?kind=letter&page=2", "/documents?kind=letter&page=2"), ("/letters", "/documents"),
                     ("/letters/1/original", "/documents/1/original"), ("/api/letters/1/history", "/api/documents/1/history")):
        moved = client.get(old, follow_redirects=False)
        assert (moved.status_code, moved.headers["location"]) == (308, new)
    assert client.get("/api/letters/2").json() == client.get("/api/documents/2").json()
    # A write follows too: 308 sends it again, body and all, to the new address (which checks its CSRF token).
    corrected = client.post("/api/letters/1/corrections", json={"field": "letter_date", "value": "2020-04-01"})
    assert corrected.url.path == "/api/documents/1/corrections"
    assert corrected.json()["verified"] == ["letter_date"]


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
    body = client.get("/api/documents/2").json()
    assert body["record"]["signatory"]["name"] == "Philip Seccombe" and body["corrections"] == []
    assert client.get("/api/documents/2/history").json() == []
    _error(client.get("/api/documents/999"), 404)
    _error(client.get("/api/documents/abc"), 422)


def test_corrections_are_kept_and_survive_reextraction(client, store, tmp_path):
    response = client.post("/api/documents/1/corrections",
                           json={"field": "letter_date", "value": "2020-04-01"})
    body = response.json()
    assert body["record"]["compliance"]["days_taken"] == 34 and body["record"]["compliance"]["on_time"] is True
    assert body["verified"] == ["letter_date"]
    [entry] = client.get("/api/documents/1/history").json()
    assert entry["previous"] == "2020-07-07" and entry["value"] == "2020-04-01" and entry["author"] == "alex"
    # The same letter changed on disk is re-extracted: the human value stands.
    path = tmp_path / "changed.txt"
    original = corpus_files()[0]
    letter = store.document(1)
    path.write_text(original.read_text() + "\n")
    store.save(letter.source_key, "changed.txt", path.read_bytes(), extract(read_path(path)).to_dict())
    after = client.get("/api/documents/1").json()
    assert after["version"] == 2 and after["record"]["letter_date"]["date"] == "2020-04-01"
    overview = client.get("/api/overview").json()
    assert sorted(r["days_taken"] for r in overview["responses"]) == [18, 29, 34, 49, 78]


@pytest.mark.parametrize("payload,message", [
    ({"field": "colour", "value": "red"}, "cannot be corrected"),
    ({"field": "x" * 100_000, "value": "red"}, "field: String should have at most 64 characters"),
    ({"field": "letter_date", "value": "31/02/2020"}, "not a date"),
    ({"field": "letter_date", "value": "2020-02-30"}, "not a date"),
    ({"field": "report_published", "value": "9999-12-31"}, "a date from 1990-01-01 to"),
    ({"field": "letter_date", "value": "1066-10-14"}, "a date from 1990-01-01 to"),
    ({"field": "letter_date", "value": 20200401}, "value.str: Input should be a valid string"),
    ({"field": "force", "value": "Gotham Police"}, "43 forces"),
    ({"field": "force", "value": ["Dorset Police"]}, "value.str: Input should be a valid string"),
    ({"field": "signatory", "value": "A" * 5_000_000}, "at most 128 characters"),
    ({"field": "signatory", "value": "A.\x00Person"}, "signatory: must not hold control characters"),
    ({"field": "signatory", "value": {"name": "A. Person"}}, "value.str: Input should be a valid"),
    ({"field": "signatory", "value": None}, "value.str: Input should be a valid string"),
    ({"field": "signatory", "value": True}, "signatory: must be text"),
    ({"field": "signatory", "value": "  "}, "a name is required"),
    ({"field": "recommendation.2.stance", "value": "loved it"}, "one of"),
    ({"field": "recommendation.1.addressed", "value": "maybe"}, "yes or no"),
    ({"field": "recommendation.1.addressed", "value": 1}, "value.bool: Input should be a valid"),
    ({"field": "recommendation.99.stance", "value": "accepted"}, "cannot be corrected"),
    ({"field": "recommendation.².stance", "value": "accepted"}, "cannot be corrected"),
    ({"field": "letter_date"}, "value"),
])
def test_bad_corrections_are_refused_and_not_stored(client, payload, message):
    assert message in _error(client.post("/api/documents/1/corrections", json=payload), 422)
    assert client.get("/api/documents/1/history").json() == []


def test_a_letter_takes_a_bounded_number_of_corrections(client, store):
    from scrutiny.record.fields import MAX_CORRECTIONS

    correct(store, 1, "letter_date", "2020-04-01", "A. Analyst")
    with store.engine.begin() as c:
        c.execute(text("INSERT INTO corrections (document_id, field, previous, value, author, at) "
                       "VALUES (1, 'letter_date', NULL, :v, 'A. Analyst', CURRENT_TIMESTAMP)"),
                  [{"v": json.dumps(f"2020-04-{1 + i % 28:02d}")} for i in range(MAX_CORRECTIONS - 1)])
    refused = client.post("/api/documents/1/corrections",
                          json={"field": "letter_date", "value": "2020-05-01"})
    assert f"has {MAX_CORRECTIONS} corrections" in _error(refused, 422)
    assert len(client.get("/api/documents/1/history").json()) == MAX_CORRECTIONS


def test_no_stored_correction_however_odd_breaks_a_letter_or_an_export(client, store):
    """Rows put straight into the database, as an old version or a hand edit might leave them."""
    odd = [(1, "report_published", "9999-12-31"), (1, "letter_date", "not a date"), (1, "colour", "red"),
           (1, "signatory", {"name": ["nested"]}), (1, "force", 12345), (1, "recommendation.99.stance", "accepted"),
           (1, "recommendation.1.addressed", "maybe"), (1, "policing_body", None), (2, "report", "no-such-report"),
           (2, "recommendation.x.stance", "accepted"), (2, "letter_date", "0001-01-01"),
           (2, "report_published", "9999-12-31")]
    with store.engine.begin() as c:
        for letter_id, field, value in odd:
            c.execute(text("INSERT INTO corrections (document_id, field, previous, value, author, at) "
                           "VALUES (:l, :f, NULL, :v, 'someone', CURRENT_TIMESTAMP)"),
                      {"l": letter_id, "f": field, "v": json.dumps(value)})
    with store.session.begin() as s:  # and odd values in what was extracted, for a letter with corrections
        version = s.scalar(select(Version).where(Version.document_id == 2))
        version.record = {**version.record, "letter_date": {"date": "2023-02-30", "evidence": []},
                          "report": {**version.record["report"], "published": "9999-12-31"}}
    before = client.get("/api/documents/3").json()
    for url in ("/documents/1", "/api/documents/1", "/api/documents/1/history", "/documents/2", "/api/documents/2",
                "/api/documents/2/history", "/api/export.json", "/api/export.csv", "/", "/api/reports",
                "/reports/ncpi-2019-thematic", "/api/reports/ncpi-2019-thematic/matrix.csv",
                "/reports/ncpi-2019-thematic/briefing", "/search?q=board", "/documents/1/original"):
        assert client.get(url).status_code == 200, url
    letter = client.get("/api/documents/1").json()
    assert letter["record"]["letter_date"]["date"] == "2020-07-07"  # the extracted values stand
    assert letter["record"]["compliance"]["days_taken"] == 131 and letter["verified"] == []
    assert len([w for w in letter["record"]["warnings"] if "left out" in w]) == 8
    assert all(c["not_applied"] for c in letter["corrections"])
    assert "(left out: letter_date: not a date" in client.get("/documents/1").text
    # A good correction on top of them is stored and applied.
    fixed = client.post("/api/documents/2/corrections",
                        json={"field": "letter_date", "value": "2020-04-01"}).json()
    assert fixed["record"]["letter_date"]["date"] == "2020-04-01" and fixed["verified"] == ["letter_date"]
    assert client.get("/api/documents/3").json() == before


def _hits(client, **params) -> list[dict]:
    return client.get("/api/search", params=params).json()["items"]


def test_search_across_forces(client):
    hits = _hits(client, q="deferred prosecution")
    assert [h["force"] for h in hits] == ["West Yorkshire Police"]
    assert "<mark>" in hits[0]["snippet"].lower()
    outcome = _hits(client, q="outcome 22")
    assert [h["report_id"] for h in outcome] == ["serious-youth-violence-2023"]
    children = _hits(client, q="criminalisation of children")
    assert len(children) >= 3
    filtered = _hits(client, q="criminalisation of children", stance="accepted", recommendation=1, year=2020)
    assert {h["force"] for h in filtered} == {"Warwickshire Police", "Dorset Police"}
    assert _hits(client, q="nothing-like-this-anywhere") == []
    # A script paging through every hit can ask for them without the facets' counts.
    full, alone = (client.get("/api/search", params={"q": "police", "facets": facets}).json() for facets in ("true", "false"))
    assert alone["facets"] == [] and full["facets"] and alone["facets_capped"] is None
    assert alone["items"] == full["items"] and alone["total"] == full["total"] > 0
    _error(client.get("/api/search", params={"q": "x", "stance": "furious"}), 422)
    _error(client.get("/api/search", params={"q": "x", "year": "1066"}), 422)


def test_upload(client):
    letter = corpus_files()[1].read_bytes().replace(b"27th March 2020", b"30th March 2020")
    response = client.post("/api/documents", files=[("files", ("warwickshire-v2.txt", letter, "text/plain"))])
    [outcome] = response.json()
    assert outcome["status"] == "stored" and outcome["letter_id"] == 6
    again = client.post("/api/documents", files=[("files", ("again.txt", letter, "text/plain"))]).json()
    assert again[0]["status"] == "unchanged"
    bad = client.post("/api/documents", files=[("files", ("empty.txt", b" ", "text/plain"))]).json()
    assert bad[0]["status"] == "failed" and "empty file" in bad[0]["message"]
    _error(client.post("/api/documents"), 422)


def test_a_mixed_upload_gets_an_outcome_per_file_and_stores_the_good_ones(client, store):
    good = corpus_files()[1].read_bytes().replace(b"27th March 2020", b"31st March 2020")
    files = [("files", ("program.exe", b"MZ\x90\x00", "application/octet-stream")),
             ("files", ("letter.txt", good, "text/plain")),
             ("files", ("big.txt", b"a" * (65 * 1024), "text/plain")),
             ("files", ("broken.pdf", b"%PDF-1.7 and then nothing", "application/pdf")),
             ("files", ("escape\x1b.txt", good + b"\n", "text/plain")),
             ("files", ("x" * 300 + ".txt", good + b"\n", "text/plain"))]
    outcomes = client.post("/api/documents", files=files).json()
    assert [(o["file"], o["status"]) for o in outcomes] == [
        ("program.exe", "failed"), ("letter.txt", "stored"), ("big.txt", "failed"), ("broken.pdf", "failed"), ("escape\x1b.txt", "failed"), ("x" * 300 + ".txt", "failed")]
    assert outcomes[4]["message"].endswith("a file name must be at most 255 characters, without control characters")
    assert outcomes[0]["message"].startswith("program.exe: unsupported format (.exe)")
    assert outcomes[2]["message"] == "big.txt: file too large (the limit for an uploaded file is 0.0625 MB)"
    assert outcomes[3]["message"].startswith("broken.pdf: not a readable PDF")
    assert store.document(outcomes[1]["letter_id"]).record["letter_date"]["date"] == "2020-03-31"
    page = client.post("/upload", files=files)
    assert page.status_code == 200
    assert page.text.count('<tr class="no">') == 5 and "unsupported format (.exe)" in page.text


def test_an_unexpected_error_storing_one_file_is_that_files_outcome(client, store, caplog):
    # The database refuses one file (a trigger stands in for a disk or server fault there).
    with store.engine.begin() as c:
        if store.dialect == "sqlite":
            c.exec_driver_sql("CREATE TRIGGER refuse BEFORE INSERT ON versions WHEN NEW.filename = 'doomed.txt' "
                              "BEGIN SELECT RAISE(ABORT, 'the disk is on fire'); END")
        else:
            c.exec_driver_sql("CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN IF NEW.filename = 'doomed.txt' "
                              "THEN RAISE 'the disk is on fire'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql")
            c.exec_driver_sql("CREATE TRIGGER refuse BEFORE INSERT ON versions FOR EACH ROW EXECUTE FUNCTION refuse()")
    letter = corpus_files()[2].read_bytes()
    files = [("files", ("doomed.txt", letter + b"\n", "text/plain")), ("files", ("fine.txt", letter + b"\n\n", "text/plain"))]
    response = client.post("/api/documents", files=files)
    assert response.status_code == 200
    doomed, fine = response.json()
    assert doomed["status"] == "failed" and doomed["message"].startswith("doomed.txt: internal error")
    assert fine["status"] == "stored"
    assert "the disk is on fire" in caplog.text and "Traceback" in caplog.text  # for developers
    assert "Traceback" not in response.text and len(store.documents()) == 6


def test_a_request_over_the_total_limit_is_refused_before_anything_is_stored(store):
    client = TestClient(create_app(store, Settings(max_upload_mb=64 / 1024, max_request_mb=100 / 1024,
                                                   secret_key=SECRET)), raise_server_exceptions=False)
    user(store, "alex", "analyst")
    sign_in(client, "alex")
    letters = [corpus_files()[i].read_bytes() for i in range(2)]
    files = [("files", (f"letter-{i}.txt", letters[i % 2] + b" " * (30 * 1024 + i), "text/plain"))
             for i in range(4)]
    assert "request too large" in _error(client.post("/api/documents", files=files), 413)
    # Without a Content-Length (a chunked body), the bytes are counted as they arrive.
    body = b"".join([b"--x\r\nContent-Disposition: form-data; name=files; filename=a.txt\r\n\r\n",
                     b"a" * (120 * 1024), b"\r\n--x--\r\n"])
    chunked = client.post("/api/documents", content=iter([body[i:i + 4096] for i in range(0, len(body), 4096)]),
                          headers={"Content-Type": "multipart/form-data; boundary=x"})
    assert "request too large" in _error(chunked, 413)
    page = client.post("/upload", files=files)
    assert page.status_code == 413 and "request too large" in page.text
    assert store.documents() == []
    [stored] = client.post("/api/documents", files=files[:1]).json()
    assert stored["status"] == "stored"


def test_exports(client):
    records = json.loads(client.get("/api/export.json").text)
    assert len(records) == 5 and records[0]["document_id"] == 1
    assert client.get("/api/export.csv").text.startswith("\ufeffdocument_id,file,kind,response_id,statutory,force")
    matrix = client.get("/api/reports/serious-youth-violence-2023/matrix.csv").text.splitlines()
    assert len(matrix) == 1 + 43  # every force in its scope, responders or not
    west_mercia = next(line for line in matrix if ",West Mercia Police," in line)
    assert west_mercia.split(",")[-2:] == ["accepted", "accepted"]
    briefing = client.get("/reports/ncpi-2019-thematic/briefing").text
    assert "Chance to Change" in briefing or "Reducing the unnecessary criminalisation" in briefing


def test_exports_come_in_pieces_with_every_document_once(client, store, monkeypatch):
    """Read a batch at a time and sent as made: the pieces make the whole, every document once,
    each as the document's own page shows it (a correction applied)."""
    import csv
    import io

    from scrutiny.oversight import exports
    from scrutiny.store.listing import each_document_in_full

    client.post("/api/documents/1/corrections", json={"field": "letter_date", "value": "2020-04-01"})
    assert [[json.loads(r)["document_id"] for r in batch] for batch in store.each_record(batch=2)] == [[1, 2], [3, 4], [5]]
    assert [[d.row.id for d in batch] for batch in each_document_in_full(store, batch=2)] == [[1, 2], [3, 4], [5]]
    monkeypatch.setattr(exports, "CHUNK_CHARS", 2000)
    with client.stream("GET", "/api/export.json") as response:
        pieces = list(response.iter_text())
    assert response.headers["content-type"] == "application/json" and len(pieces) > 5
    records = json.loads("".join(pieces))
    assert records == [{"document_id": d.id, **d.record} for d in store.documents()]
    assert records[0]["letter_date"]["date"] == "2020-04-01"
    monkeypatch.setattr(exports, "CHUNK_CHARS", 300)  # a few rows
    with client.stream("GET", "/api/export.csv") as response:
        pieces = list(response.iter_text())
    assert response.headers["content-type"].startswith("text/csv") and len(pieces) > 1
    rows = list(csv.DictReader(io.StringIO("".join(pieces).removeprefix("\ufeff"))))
    assert [int(r["document_id"]) for r in rows] == [1, 2, 3, 4, 5]
    assert (rows[0]["letter_date"], rows[0]["days_taken"], rows[0]["verified"]) == ("2020-04-01", "34", "letter_date")


def test_openapi_describes_the_api(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/reports", "/api/reports/{report_id}", "/api/documents/{document_id}", "/api/search",
                 "/api/documents", "/api/documents/{document_id}/corrections"):
        assert path in spec["paths"]


def test_pages_render_and_unknown_pages_are_404(client):
    for url in ("/", "/reports/serious-youth-violence-2023", "/documents/3", "/search?q=Legitimacy", "/upload", "/static/style.css",
                "/static/app.js"):
        assert client.get(url).status_code == 200, url
    page = client.get("/documents/999")
    assert page.status_code == 404 and "no document with id 999" in page.text
    assert client.get("/documents/1/original").content == corpus_files()[0].read_bytes()


def test_pages_use_no_outside_assets(client):
    # Links out (a report's scope cites its sources) are not assets: nothing the page loads is.
    loaded = re.compile(r"""(?:\bsrc=|<link\b[^>]*\bhref=|url\()\s*["']?(https?:)?//""", re.IGNORECASE)
    for url in ("/", "/reports/ncpi-2019-thematic", "/documents/2", "/search?q=board", "/upload",
                "/reports/ncpi-2019-thematic/briefing"):
        page = client.get(url).text
        assert "<link" in page or "<script" in page, url
        assert loaded.search(page) is None, url
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/static/swagger-ui/swagger-ui-bundle.js" in docs.text
    assert "https://" not in docs.text and "validatorUrl: null" in client.get("/static/docs.js").text
    assert client.get("/static/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_correcting_the_report_reads_the_recommendations_again(client):
    # Letter 4 answers the serious youth violence report; an analyst says it answers the
    # child protection report instead: its three recommendations are read from the text.
    body = client.post("/api/documents/4/corrections",
                       json={"field": "report", "value": "ncpi-2019-thematic"}).json()
    record = body["record"]
    assert record["report"]["id"] == "ncpi-2019-thematic" and record["report"]["verified"] is True
    assert [a["number"] for a in record["recommendations"]] == [1, 2, 3]
    assert record["compliance"]["deadline"] == "2020-04-22"
    assert "not a report id" in _error(client.post("/api/documents/4/corrections", json={
        "field": "report", "value": "no-such-report"}), 422)


@pytest.mark.parametrize("letter_id", [2**31 - 1, 2**30])
def test_letter_ids_in_range_but_unused_are_not_found(client, letter_id):
    for url in (f"/api/documents/{letter_id}", f"/api/documents/{letter_id}/history"):
        assert f"no document with id {letter_id}" in _error(client.get(url), 404)
    correction = {"field": "signatory", "value": "A. Person"}
    _error(client.post(f"/api/documents/{letter_id}/corrections", json=correction), 404)
    for page in (client.get(f"/documents/{letter_id}"), client.get(f"/documents/{letter_id}/original"),
                 client.post(f"/documents/{letter_id}/corrections", data=correction)):
        assert page.status_code == 404 and "Traceback" not in page.text


@pytest.mark.parametrize("letter_id", [0, -1, 2**31, 2**63 - 1, 2**63, 2**64, 10**30, -(2**63) - 1])
def test_letter_ids_no_document_can_have_are_refused_naming_the_id(client, letter_id):
    """An id the store's 32-bit columns cannot hold is bad input (422), not a driver's overflow."""
    for url in (f"/api/documents/{letter_id}", f"/api/documents/{letter_id}/history"):
        assert "document_id" in _error(client.get(url), 422)
    correction = {"field": "signatory", "value": "A. Person"}
    assert "document_id" in _error(client.post(f"/api/documents/{letter_id}/corrections", json=correction), 422)
    for page in (client.get(f"/documents/{letter_id}"), client.get(f"/documents/{letter_id}/original"),
                 client.post(f"/documents/{letter_id}/corrections", data=correction)):
        assert page.status_code == 422 and "document_id" in page.text and "Traceback" not in page.text
    assert client.get("/api/documents/1/history").json() == []


def _raw_json(client, url: str, body: bytes, method: str = "POST"):
    """`body` sent as it is: JSON text a client library would not write (a lone surrogate's escape)."""
    return client.request(method, url, content=body, headers={"Content-Type": "application/json"})


@pytest.mark.parametrize("body, field", [
    (rb'{"field": "signatory", "value": "\ud800"}', "signatory"),
    (rb'{"field": "signatory", "value": "A. \udfff Person"}', "signatory"),
    (rb'{"field": "force", "value": "Dorset \ud83d Police"}', "force"),
    (rb'{"field": "recommendation.1.stance", "value": "\ud800"}', "recommendation.1.stance"),
    (rb'{"field": "sign\ud800atory", "value": "A. Person"}', "field"),
    (rb'{"field": "signatory\u0000", "value": "A. Person"}', "field"),
])
def test_a_lone_surrogate_in_a_correction_is_refused_naming_the_field(client, body, field):
    assert _error(_raw_json(client, "/api/documents/1/corrections", body), 422).startswith(field)
    assert client.get("/api/documents/1/history").json() == []
    assert client.get("/api/documents/1").status_code == 200  # the connection and the app go on


@pytest.mark.parametrize("body", [b'{"field": "signatory", "value": "\xff\xfe"}',
                                  b'{"field": "signatory", "value": "\xed\xa0\x80"}'])  # a surrogate in UTF-8's form
def test_a_json_body_that_is_not_utf8_is_refused_not_an_error(client, body):
    response = _raw_json(client, "/api/documents/1/corrections", body)
    assert response.status_code in (400, 422) and response.json()["ok"] is False
    assert client.get("/api/documents/1/history").json() == []


@pytest.mark.parametrize("response_id, document_id, field", [
    (2**63, 1, "response_id"), (10**30, None, "response_id"), (0, 1, "response_id"),
    (1, 2**63, "document_id"), (1, -(2**64), "document_id"), (1, 0, "document_id")])
def test_response_and_document_ids_outside_the_store_are_refused_naming_them(client, response_id, document_id, field):
    url = f"/api/responses/{response_id}/statutory"
    assert field in _error(client.post(url, json={"document_id": document_id}), 422)
    page = client.post(f"/responses/{response_id}/statutory", data={"document_id": "" if document_id is None else document_id})
    assert page.status_code == 422 and field in page.text


def test_an_original_downloads_under_any_file_name(client):
    from urllib.parse import unquote

    for name in ("PCC’s response — Ŵales ✓.txt", 'a "quoted" name; filename=evil.txt'):
        content = corpus_files()[3].read_bytes() + name.encode()
        [stored] = client.post("/api/documents", files=[("files", (name, content, "text/plain"))]).json()
        download = client.get(f"/documents/{stored['letter_id']}/original")
        assert download.status_code == 200 and download.content == content
        disposition = download.headers["content-disposition"]
        assert disposition.startswith('attachment; filename="') and disposition.count('"') == 2
        stored_name = client.get(f"/api/documents/{stored['letter_id']}").json()["file"]
        assert unquote(disposition.split("filename*=UTF-8''")[1]) == stored_name
    assert stored_name != name  # the client sent the quotes as %22: the name arrives as sent
    assert client.get("/api/documents/6").json()["file"] == "PCC’s response — Ŵales ✓.txt"


@pytest.mark.parametrize("query", ["year=²", "recommendation=²", "year=٢٠٢٠", "year=" + "9" * 5000,
                                   "recommendation=-1"])
def test_search_filters_that_are_not_whole_numbers_are_refused(client, query):
    assert client.get(f"/search?q=board&{query}").status_code == 422
    _error(client.get(f"/api/search?q=board&{query}"), 422)


def test_control_characters_in_a_letter_cannot_forge_a_search_mark(client):
    forged = "\n\x02forged\x03 R&D \x02\x03 a unique zanzibar word\n"
    content = corpus_files()[3].read_bytes() + forged.encode()
    [stored] = client.post("/api/documents", files=[("files", ("marks.txt", content, "text/plain"))]).json()
    assert stored["status"] == "stored"
    [hit] = _hits(client, q="zanzibar")
    assert hit["snippet"].count("<mark>") == 1 and "<mark>zanzibar</mark>" in hit["snippet"]
    assert "forged R&amp;D a unique" in hit["snippet"] and "\x02" not in hit["snippet"]
    page = client.get("/search", params={"q": "forged"}).text
    assert page.count("<mark>") == 1 and "<mark>forged</mark>" in page


def test_script_sql_and_paths_in_requests_stay_inert(client, store):
    script = "<script>alert(1)</script>"
    client.post("/api/documents/2/corrections", json={"field": "signatory", "value": script})
    upload = client.post("/upload", files=[("files", (script + ".txt", b"not a letter at all", "text/plain"))]).text
    for page in (client.get("/documents/2").text, upload, client.get("/search", params={"q": script}).text):
        assert script not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    for q in ("'; DROP TABLE letters; --", '" OR 1=1 --', "board') OR ('1'='1", "NEAR(a b) OR *", "\x00", "a\x00b"):
        assert client.get("/api/search", params={"q": q}).status_code == 200
        assert client.get("/search", params={"q": q}).status_code == 200
    assert len(store.documents()) == 5
    for path in ("/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd", "/static/..%2fweb/api.py"):
        response = client.get(path)
        assert response.status_code == 404 and "root:" not in response.text


def test_a_stored_report_that_fails_todays_checks_is_left_out_not_fatal(client, store):
    """A report stored with a date the catalogue now refuses (it once took any date)."""
    from scrutiny.catalogue import CatalogueError, load_report_yaml

    source = ("id: peel-9999\ntitle: PEEL 9999 inspection of everything\npublished: 9999-12-31\n"
              "recommendations:\n  - number: 1\n    addressees: [chief constables]\n    wording: Do better.\n")
    with pytest.raises(CatalogueError, match="published: a date from 1990 to 2999"):
        load_report_yaml(source)
    with store.engine.begin() as c:
        c.execute(text("INSERT INTO reports (id, source, added_at) VALUES ('peel-9999', :s, CURRENT_TIMESTAMP)"),
                  {"s": source})
    for url in ("/", "/api/reports", "/documents/1", "/api/export.json", "/reports/serious-youth-violence-2023"):
        assert client.get(url).status_code == 200, url
    assert "peel-9999" in _error(client.get("/api/reports/peel-9999"), 404)
