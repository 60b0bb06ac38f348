"""A document of a very large text (a valid 1.4 MB letter) is shown, and sent as JSON, a part at
a time, with links to its other parts and to the original file (issue 20)."""
from __future__ import annotations

import re

from conftest import corpus_files
from fastapi.testclient import TestClient
from large_letters import large_letter

from scrutiny.oversight.ingest import ingest_bytes
from scrutiny.settings import Settings
from scrutiny.web import create_app
from scrutiny.web.routes.documents import TEXT_PART_CHARS, part_of, text_part

SECRET = "k" * 40


def _large_letter(store) -> tuple[TestClient, int, str]:
    outcome = ingest_bytes(store, large_letter(3), "large-3.txt", "upload:large-3.txt")
    document = store.document(outcome.document_id)
    return TestClient(create_app(store, Settings(secret_key=SECRET))), document.id, document.record["text"]


def test_the_json_of_a_very_large_text_comes_a_part_at_a_time_and_the_parts_make_the_whole(store):
    client, document_id, whole = _large_letter(store)
    first = client.get(f"/api/documents/{document_id}").json()
    parts = first["text_part"]["parts"]
    assert first["text_part"] == {"number": 1, "parts": parts, "start": 0, "end": len(first["record"]["text"]),
                                  "length": len(whole)}
    assert parts == -(-len(whole) // TEXT_PART_CHARS) > 10 and len(first["record"]["text"]) <= TEXT_PART_CHARS
    answers = [first] + [client.get(f"/api/documents/{document_id}", params={"part": n}).json()
                         for n in range(2, parts + 1)]
    assert "".join(a["record"]["text"] for a in answers) == whole
    assert [a["text_part"]["start"] for a in answers[1:]] == [a["text_part"]["end"] for a in answers[:-1]]
    assert all(a["record"]["text"].endswith((" ", "\n")) for a in answers[:-1])  # no word cut in two
    force = first["record"]["force"]["evidence"][0]  # evidence counts from the start of the whole text
    assert whole[force["start"]:force["end"]] == first["record"]["text"][force["start"]:force["end"]]
    past = client.get(f"/api/documents/{document_id}", params={"part": parts + 1})
    assert past.status_code == 404 and past.json()["error"] == f"part {parts + 1}: this document's text has {parts} parts"


def test_the_page_of_a_very_large_text_shows_a_part_with_its_highlights_and_links_to_the_rest(store):
    client, document_id, whole = _large_letter(store)
    parts = text_part(whole, 1).parts
    page = client.get(f"/documents/{document_id}")
    assert page.status_code == 200 and len(page.text) < 2 * TEXT_PART_CHARS  # not the 1.4 MB
    assert "The full text is 1.4 MB" in page.text and f"this is part 1 of {parts}" in page.text
    assert f'href="/documents/{document_id}/original">Download the original</a> for all of it' in page.text
    assert f'href="/documents/{document_id}?part=2"' in page.text and f'?part={parts}"' in page.text
    assert re.search(r'<mark class="ev" data-keys="[^"]*\bforce\b', page.text)  # the force's words, in part 1
    assert 'class="elsewhere"' not in page.text
    later = client.get(f"/documents/{document_id}", params={"part": 5})
    assert later.status_code == 200 and "this is part 5 of" in later.text and 'rel="prev"' in later.text
    assert 'data-keys="force' not in later.text  # none of the values' words are in part 5: each links to its part
    assert f'href="/documents/{document_id}?part=1#force">its words: part 1</a>' in later.text
    assert client.get(f"/documents/{document_id}", params={"part": parts + 1}).status_code == 404


def test_a_text_of_ordinary_size_is_one_part_shown_whole(store):
    letter = corpus_files()[0]
    outcome = ingest_bytes(store, letter.read_bytes(), letter.name, f"upload:{letter.name}")
    client = TestClient(create_app(store, Settings(secret_key=SECRET)))
    answer = client.get(f"/api/documents/{outcome.document_id}").json()
    assert answer["text_part"]["parts"] == 1 and answer["record"]["text"] == store.document(
        outcome.document_id).record["text"]
    assert "Parts of the text" not in client.get(f"/documents/{outcome.document_id}").text


def test_each_position_is_in_the_part_that_holds_it():
    text = ("word " * (TEXT_PART_CHARS // 2))[:-1]  # 2.5 parts of five-character words
    parts = [text_part(text, n) for n in range(1, text_part(text, 1).parts + 1)]
    assert len(parts) == 3 and parts[1].start % 5 == 0  # a part starts at a word
    for position in (0, parts[1].start - 1, parts[1].start, TEXT_PART_CHARS, parts[2].start, len(text) - 1):
        assert parts[part_of(text, position) - 1].holds(position)
