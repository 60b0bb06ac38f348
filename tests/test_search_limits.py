"""Search is bounded by the page it shows and by a time limit, on both engines: ten very large
valid letters (1.4 MB each, a common word thousands of times in each) cannot make it a denial
of service (issue 20)."""
from __future__ import annotations

import socket
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import httpx
import pytest
from browser import serving
from conftest import corpus_files
from fastapi.testclient import TestClient
from large_letters import COMMON_WORD, large_letter, rare_word
from sqlalchemy import event

from scrutiny.errors import ClientGone, InvalidValue
from scrutiny.oversight.ingest import ingest_bytes, ingest_paths
from scrutiny.record.vocabulary import Stance
from scrutiny.settings import Settings
from scrutiny.store import search as searching
from scrutiny.store.engine import STOP, Stop
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
    assert searching.search(store, COMMON_WORD, per_page=5) == first.hits  # (without facets: the same)
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
    assert store.engine.pool.checkedout() == 0  # the page's connection and the facets' are both back
    with pytest.raises(InvalidValue, match=f"^{TOO_BROAD}$"):
        searching.search(store, COMMON_WORD, time_limit_ms=1)
    assert store.engine.pool.checkedout() == 0
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


def _ids(client, **params) -> list[int]:
    return [hit["letter_id"] for hit in client.get("/api/search", params={**params, "per_page": 500}).json()["items"]]


def test_facets_over_very_many_matches_count_a_sample_and_say_so(store, monkeypatch):
    list(ingest_paths(store, corpus_files()))
    client = TestClient(create_app(store, Settings(secret_key=SECRET)), raise_server_exceptions=False)
    exact = client.get("/api/search", params={"q": "police"}).json()
    assert exact["facets_capped"] is None and exact["total"] > 3
    assert all(facet["sample"] is None for facet in exact["facets"])
    monkeypatch.setattr(searching, "FACET_SAMPLE", 3)
    sampled = client.get("/api/search", params={"q": "police"}).json()
    step = -(-exact["total"] // 3)  # every step-th match by document id is counted
    ids = _ids(client, q="police")
    assert len(ids) == exact["total"]
    assert sampled["facets_capped"] == len([i for i in ids if i % step == 0]) > 0
    assert sampled["total"] == exact["total"]  # the total is still exact
    assert sum(v["count"] for v in sampled["facets"][2]["values"]) == sampled["facets_capped"]  # by kind
    assert all(facet["sample"] == step for facet in sampled["facets"])
    page = client.get("/search", params={"q": "police"}).text
    assert f"of a sample: {sampled['facets_capped']} of the {exact['total']} matches" in page
    assert f"Counted in a sample: one match in every {step}." in page
    assert client.get("/api/search", params={"year": 2020}).json()["facets_capped"] is None  # no words: all counted


def test_a_chosen_facet_counts_a_sample_the_others_all_the_matches_it_leaves(store, monkeypatch):
    """Over many matches, once a facet's value is chosen: the total is exact; the other facets
    count every match left (when those are few), exactly as without a sample; the chosen facet,
    whose other values are the matches it leaves out, counts a sample of the words' matches."""
    list(ingest_paths(store, corpus_files()))
    client = TestClient(create_app(store, Settings(secret_key=SECRET)), raise_server_exceptions=False)
    exact = client.get("/api/search", params={"q": "police"}).json()
    whole = [f for f in exact["facets"] if sum(v["count"] for v in f["values"]) == exact["total"]]  # (no match without)
    name, value, few = min(((f["name"], v["value"], v["count"]) for f in whole for v in f["values"]), key=lambda f: f[2])
    assert few < exact["total"]
    exact_choice = client.get("/api/search", params={"q": "police", name: value}).json()
    monkeypatch.setattr(searching, "FACET_SAMPLE", few)  # fewer than the words' matches, as many as the choice's
    chosen = client.get("/api/search", params={"q": "police", name: value}).json()
    assert chosen["total"] == few and chosen["facets_capped"] is None
    step = -(-exact["total"] // few)
    for facet, exact_facet in zip(chosen["facets"], exact_choice["facets"]):
        if facet["name"] == name:
            assert facet["sample"] == step
            assert sum(v["count"] for v in facet["values"]) == len([i for i in _ids(client, q="police") if i % step == 0])
        else:
            assert facet == exact_facet  # every match of the choice counted
    assert "Counted in a sample" in client.get("/search", params={"q": "police", name: value}).text
    empty = "report" if name != "report" else "force"  # an empty value, as a form sends for "any": not a choice
    assert client.get("/api/search", params={"q": "police", name: value, empty: ""}).json()["facets"] == chosen["facets"]


def test_the_sample_is_of_the_matches_the_other_filters_leave(store, monkeypatch):
    """A filter that is not a facet (here a stance) narrows what is sampled: the step is worked
    out from the matches it leaves, not from the words' alone."""
    list(ingest_paths(store, corpus_files()))
    client = TestClient(create_app(store, Settings(secret_key=SECRET)), raise_server_exceptions=False)
    stance, left = next((stance, found["total"]) for stance in Stance
                        if (found := client.get("/api/search", params={"q": "police", "stance": stance}).json())["total"]
                        > 2)
    monkeypatch.setattr(searching, "FACET_SAMPLE", left - 1)
    sampled = client.get("/api/search", params={"q": "police", "stance": stance}).json()
    assert sampled["total"] == left
    assert sampled["facets_capped"] == len([i for i in _ids(client, q="police", stance=stance) if i % 2 == 0])


def test_a_search_of_very_many_words_is_refused_in_one_line(store):
    with pytest.raises(InvalidValue, match=f"^q: at most {searching.MAX_WORDS} words$"):
        search_with_facets(store, "the " * (searching.MAX_WORDS + 1))
    assert search_with_facets(store, "the " * searching.MAX_WORDS).hits.total == 0


def test_eight_broad_searches_at_once_beyond_the_slots_are_told_busy(store):
    """Two slots, no wait: of eight searches at once those without a slot answer 503 with
    Retry-After, the others answer (or are too broad); none is a 500, and the overview answers."""
    _store_large_letters(store)
    settings = Settings(secret_key=SECRET, search_slots=2, search_wait_ms=0, search_ms=1000)
    client = TestClient(create_app(store, settings), raise_server_exceptions=False)
    broad = "the custody officers " * (searching.MAX_WORDS // 3)

    def search(_n: int):
        return client.get("/api/search", params={"q": broad})

    with ThreadPoolExecutor(8) as pool:
        searches = [pool.submit(search, n) for n in range(8)]
        started = time.monotonic()
        overview = client.get("/")
        assert overview.status_code == 200 and time.monotonic() - started < 3
        answers = [s.result() for s in searches]
    statuses = sorted(a.status_code for a in answers)
    assert set(statuses) <= {200, 422, 503} and statuses.count(503) >= 1, statuses
    busy = next(a for a in answers if a.status_code == 503)
    assert busy.headers["Retry-After"] == "2" and busy.json()["error"].startswith("busy:")
    assert client.get("/api/search", params={"q": COMMON_WORD}).status_code == 200  # the slots are free again


def _until(condition, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            return False
        time.sleep(0.02)
    return True


def test_a_search_whose_client_has_gone_stops_and_gives_back_its_connection(store, monkeypatch):
    """A search that works for seconds (more words than a search may have, each in every letter
    thousands of times), its client gone a fifth of the way in: the server stops it, and its
    connections (its page's and its facets') are back in the pool well before the search would
    have ended."""
    _store_large_letters(store)
    monkeypatch.setattr(searching, "MAX_WORDS", 3 * searching.MAX_WORDS)
    slow = "the " * 40 if store.dialect == "sqlite" else '"custody officers" ' * 30  # (PostgreSQL skips "the")
    started = time.monotonic()
    search_with_facets(store, slow, time_limit_ms=600_000)
    whole = time.monotonic() - started  # how long it works when its client waits for it
    app = create_app(store, Settings(secret_key=SECRET, search_ms=600_000))
    with serving(app, timeout_graceful_shutdown=2) as base:
        host, port = base.removeprefix("http://").split(":")
        client = socket.create_connection((host, int(port)))
        client.sendall(f"GET /api/search?{urlencode({'q': slow})} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        assert _until(lambda: store.engine.pool.checkedout() >= 1, 10)  # the search is at work
        time.sleep(whole / 5)
        assert store.engine.pool.checkedout() >= 1  # and goes on
        client.close()
        gone = time.monotonic()
        assert _until(lambda: store.engine.pool.checkedout() == 0, whole)
        assert time.monotonic() - gone < whole / 2, (time.monotonic() - gone, whole)
        answer = httpx.get(base + "/api/search", params={"q": COMMON_WORD, "per_page": 5}, timeout=10)
        assert answer.status_code == 200 and answer.json()["total"] == 10


@pytest.mark.parametrize("facets", [True, False])
def test_a_search_works_on_two_connections_and_its_request_stops_both(store, facets):
    """The page is ranked on one connection while the facets are counted on another (without
    facets, on PostgreSQL, the total): both are watched by the request's Stop (so a client's
    going stops both), and both go back. Without facets on SQLite, one connection does it all."""
    watched = []
    stop = Stop()
    searched = search_with_facets if facets else searching.search
    connections = 2 if facets or store.dialect != "sqlite" else 1

    def taken(_dbapi, record, _proxy) -> None:
        watched.append(record.info.get("stop"))

    event.listen(store.engine, "checkout", taken)
    token = STOP.set(stop)
    try:
        searched(store, "police", per_page=2)
        assert watched == [stop] * connections and store.engine.pool.checkedout() == 0
        stop.request()
        with pytest.raises(ClientGone):
            searched(store, "police", per_page=2)
        assert store.engine.pool.checkedout() == 0
    finally:
        STOP.reset(token)
        event.remove(store.engine, "checkout", taken)
