"""Search is bounded by the page it shows and by a time limit, on both engines: ten very large
valid letters (1.4 MB each, a common word thousands of times in each) cannot make it a denial
of service (issue 20)."""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import corpus_files
from fastapi.testclient import TestClient
from large_letters import COMMON_WORD, large_letter, rare_word

from scrutiny.errors import InvalidValue
from scrutiny.oversight.ingest import ingest_bytes, ingest_paths
from scrutiny.settings import Settings
from scrutiny.store import search as searching
from scrutiny.store.search import TOO_BROAD, search_with_facets
from scrutiny.web import create_app

SECRET = "k" * 40


def _store_large_letters(store) -> list[int]:
    """Ten large letters stored through the ordinary ingest; their document ids."""
    outcomes = [ingest_bytes(store, large_letter(n), f"large-{n}.txt", f"upload:large-{n}.txt") for n in range(10)]
    assert [o.status for o in outcomes] == ["stored"] * 10
    return [o.document_id for o in outcomes]


def test_a_common_word_in_ten_large_letters_is_found_in_seconds_a_page_at_a_time(store):
    ids = _store_large_letters(store)
    started = time.monotonic()
    first = search_with_facets(store, COMMON_WORD, per_page=5)
    assert time.monotonic() - started < 3
    second = search_with_facets(store, COMMON_WORD, page=2, per_page=5)
    shown = [h.document_id for h in first.hits.items + second.hits.items]
    assert first.hits.total == 10 and sorted(shown) == sorted(ids)
    assert all(f"{COMMON_WORD}</mark>" in h.snippet.lower() for h in first.hits.items + second.hits.items)
    assert first.facets_capped is None and sum(v.count for v in first.facets[2].values) == 10  # by kind
    started = time.monotonic()
    phrase = search_with_facets(store, f'"{COMMON_WORD} officers"', per_page=5)
    [rare] = search_with_facets(store, rare_word(3)).hits.items
    assert time.monotonic() - started < 3
    assert phrase.hits.total == 10 and "officers</mark>" in phrase.hits.items[0].snippet
    assert rare.document_id == ids[3]  # (its word is 1.4 MB in: the snippet, from the text's first
    # 340,000 characters, is the letter's opening)
    assert rare.snippet.startswith("Letter 3 of a series.")


def test_a_search_past_its_time_limit_is_refused_in_one_line(store):
    _store_large_letters(store)
    with pytest.raises(InvalidValue, match=f"^{TOO_BROAD}$"):
        search_with_facets(store, COMMON_WORD, time_limit_ms=1)
    client = TestClient(create_app(store, Settings(search_ms=1, secret_key=SECRET)), raise_server_exceptions=False)
    answer = client.get("/api/search", params={"q": COMMON_WORD})
    assert answer.status_code == 422 and answer.json() == {"ok": False, "status": 422, "error": TOO_BROAD}
    page = client.get("/search", params={"q": COMMON_WORD})
    assert page.status_code == 422 and TOO_BROAD in page.text and "Traceback" not in page.text
    assert search_with_facets(store, COMMON_WORD).hits.total == 10  # the store is as it was


def test_eight_searches_at_once_leave_the_overview_answering(store):
    _store_large_letters(store)
    client = TestClient(create_app(store, Settings(secret_key=SECRET)), raise_server_exceptions=False)

    def search(n: int) -> int:
        return client.get("/api/search", params={"q": COMMON_WORD, "page": 1 + n % 2, "per_page": 5}).status_code

    with ThreadPoolExecutor(8) as pool:
        searches = [pool.submit(search, n) for n in range(8)]
        started = time.monotonic()
        overview = client.get("/")
        assert overview.status_code == 200 and time.monotonic() - started < 3
        assert [s.result() for s in searches] == [200] * 8


def test_facets_over_very_many_matches_count_a_sample_and_say_so(store, monkeypatch):
    list(ingest_paths(store, corpus_files()))
    client = TestClient(create_app(store, Settings(secret_key=SECRET)), raise_server_exceptions=False)
    exact = client.get("/api/search", params={"q": "police"}).json()
    assert exact["facets_capped"] is None and exact["total"] > 3
    monkeypatch.setattr(searching, "FACET_CAP", 3)
    capped = client.get("/api/search", params={"q": "police"}).json()
    assert capped["facets_capped"] == 3 and capped["total"] == exact["total"]  # the total is still exact
    assert sum(v["count"] for v in capped["facets"][2]["values"]) == 3  # by kind: three matches counted
    assert "among the first 3 matches" in client.get("/search", params={"q": "police"}).text
    assert client.get("/api/search", params={"year": 2020}).json()["facets_capped"] is None  # no words: all counted
