"""The store on SQLite and PostgreSQL: idempotent ingest, versions, failures that change nothing."""
from __future__ import annotations

import pytest
from conftest import corpus_files

from scrutiny.oversight.ingest import ingest_bytes, ingest_paths


def _snapshot(store):
    return [(d.id, d.version, d.sha256, d.record) for d in store.documents()]


def test_ingest_is_idempotent(store, tmp_path):
    first = list(ingest_paths(store, corpus_files()))
    assert [o.status for o in first] == ["stored"] * 5
    again = list(ingest_paths(store, corpus_files()))
    assert [o.status for o in again] == ["unchanged"] * 5
    assert len(store.documents()) == 5


def test_changed_file_is_a_new_version_of_the_same_letter(store, tmp_path):
    path = tmp_path / "letter.txt"
    path.write_text(corpus_files()[2].read_text())
    [first] = ingest_paths(store, [path])
    path.write_text(path.read_text().replace("16 March 2020", "17 March 2020"))
    [second] = ingest_paths(store, [path])
    assert second.status == "new version" and second.document_id == first.document_id
    [letter] = store.documents()
    assert letter.version == 2 and letter.record["letter_date"]["date"] == "2020-03-17"


def test_a_bad_file_is_recorded_and_changes_nothing(store, tmp_path):
    list(ingest_paths(store, corpus_files()))
    before = _snapshot(store)
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7 truncated")
    recipe = tmp_path / "recipe.txt"
    recipe.write_text("Scones\n\nMix flour and butter, add milk, bake for 12 minutes.")
    outcomes = list(ingest_paths(store, [bad, recipe, *corpus_files()]))
    assert [o.status for o in outcomes[:2]] == ["failed", "failed"]
    assert "broken.pdf: not a readable PDF" in outcomes[0].message
    assert "recipe.txt: no response letter found" in outcomes[1].message
    assert _snapshot(store) == before
    list(ingest_paths(store, [bad]))  # the same failure again is updated, not duplicated
    assert sorted(f.reason[:18] for f in store.failures()) == ["no response letter", "not a readable PDF"]


def test_uploads_and_paths_are_separate_sources(store):
    content = corpus_files()[0].read_bytes()
    stored = ingest_bytes(store, content, "letter.txt", "upload:letter.txt")
    assert stored.status == "stored"
    assert ingest_bytes(store, content, "copy.txt", "upload:copy.txt").status == "unchanged"
    assert store.content(stored.document_id) == ("letter.txt", "text/plain", content)


def test_user_reports_are_kept(store):
    from scrutiny.catalogue import load_report_yaml

    source = ("id: peel-2099\ntitle: PEEL 2099 inspection of everything\npublished: 2099-01-05\n"
              "recommendations:\n  - number: 1\n    addressees: [chief constables]\n    wording: Do better.\n")
    assert store.add_report(load_report_yaml(source), source) is False
    assert store.add_report(load_report_yaml(source), source) is True
    assert "peel-2099" in {r.id for r in store.reports()}


def test_upgrading_a_sqlite_store_blanks_snippet_marks_in_its_search_index(tmp_path):
    """A store made before the marks were blanked: its index is mended when it is next opened."""
    from legacy import make_0001_store
    from sqlalchemy import create_engine, text

    from scrutiny.store import Store
    from scrutiny.store.search import search

    url = f"sqlite:///{tmp_path / 'old.db'}"
    letter = tmp_path / "a.txt"
    letter.write_bytes(corpus_files()[0].read_bytes() + b"\nzanzibar")
    make_0001_store(url, [letter], [])
    engine = create_engine(url)
    with engine.begin() as c:  # as revision 0001 left it: the text indexed as it came
        c.execute(text("UPDATE search_index SET text = text || :forged"), {"forged": " \x02forged\x03 zanzibar"})
    engine.dispose()
    [hit] = search(Store(url), "zanzibar").items
    assert hit.document_id == 1 and "<mark>forged</mark>" not in hit.snippet


def test_search_finds_each_document_by_its_current_text_only(store, tmp_path):
    """A document with several versions: its old words no longer find it, its new ones do,
    and the documents after it (whose ids no longer match their versions') are found as
    themselves."""
    from scrutiny.store.search import search

    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_bytes(corpus_files()[0].read_bytes() + b"\nzanzibar")
    list(ingest_paths(store, [first]))
    first.write_bytes(corpus_files()[0].read_bytes() + b"\nquagga")
    second.write_bytes(corpus_files()[1].read_bytes() + b"\nokapi")
    [again, other] = ingest_paths(store, [first, second])
    assert again.status == "new version" and other.status == "stored"
    assert search(store, "zanzibar").total == 0
    assert [h.document_id for h in search(store, "quagga").items] == [again.document_id]
    [hit] = search(store, "okapi").items
    assert hit.document_id == other.document_id and "<mark>okapi</mark>" in hit.snippet


def test_upgrading_a_sqlite_store_keys_its_search_index_by_document(tmp_path):
    """Revision 0007: the index, keyed by version before, is keyed by document after (and back)."""
    from alembic import command
    from alembic.config import Config
    from legacy import MIGRATIONS
    from sqlalchemy import create_engine

    from scrutiny.store import Store
    from scrutiny.store.search import search

    url = f"sqlite:///{tmp_path / 'old.db'}"
    store = Store(url)
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_bytes(corpus_files()[0].read_bytes())
    list(ingest_paths(store, [first]))
    first.write_bytes(corpus_files()[0].read_bytes() + b"\nquagga")
    second.write_bytes(corpus_files()[1].read_bytes() + b"\nokapi")
    [again, other] = ingest_paths(store, [first, second])
    store.engine.dispose()
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    engine = create_engine(url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0006")  # to just before revision 0007
        indexed = connection.exec_driver_sql("SELECT rowid FROM search_index ORDER BY rowid").scalars().all()
    engine.dispose()
    assert indexed == [2, 3]  # the current versions' ids
    store = Store(url)
    assert [h.document_id for h in search(store, "quagga").items] == [again.document_id] == [1]
    assert [h.document_id for h in search(store, "okapi").items] == [other.document_id] == [2]


def test_search_pages_follow_one_order(store):
    """Pages of two, one after another, are the hits of one long page, best first: the same
    order whatever the page (on PostgreSQL too, where a page comes out of a UNION)."""
    from scrutiny.store.search import Filters, search

    list(ingest_paths(store, corpus_files()))
    for words, filters in (("police", Filters()), ("", Filters()), ("recommendation", Filters(kind="letter"))):
        whole = search(store, words, filters, per_page=50)
        pages = search(store, words, filters, per_page=2).pages
        paged = [h for page in range(1, pages + 1) for h in search(store, words, filters, page=page, per_page=2).items]
        assert [h.document_id for h in paged] == [h.document_id for h in whole.items] and whole.total >= 3
        ranks = [h.rank for h in whole.items]
        assert ranks == sorted(ranks)



def test_search_counts_what_it_lists_whichever_facets_are_chosen(store):
    """The total is the number of hits listed, and a facet value's count is the total that
    choosing it gives, with words and without, with other facets chosen or not (the facets'
    statement counts the matches: a search under the cap has no count of its own)."""
    from scrutiny.store.search import Filters, search_with_facets

    list(ingest_paths(store, corpus_files()))
    for words in ("police", "recommendation", ""):
        for filters in (Filters(), Filters(kind="letter"), Filters(year=2020), Filters(kind="letter", year=2020)):
            found = search_with_facets(store, words, filters, per_page=100)
            assert found.hits.total == len(found.hits.items) and found.facets_capped is None
            for facet in found.facets:
                for value in facet.values:
                    chosen = Filters(**{**vars(filters), facet.name: int(value.value) if facet.name == "year"
                                        else value.value})
                    assert search_with_facets(store, words, chosen, per_page=100).hits.total == value.count, \
                        (words, filters, facet.name, value.value)


def test_a_search_without_facets_lists_and_counts_what_the_faceted_one_does(store):
    """`search` (the page and its total alone, as datasette's ranked query and its count) gives
    the hits, snippets and total of `search_with_facets`, with words and without, filtered or
    not; a page past the last lists nothing, and still says how many match."""
    from scrutiny.store.search import Filters, search, search_with_facets

    list(ingest_paths(store, corpus_files()))
    for words in ("police", '"chief constable"', ""):
        for filters in (Filters(), Filters(kind="letter"), Filters(stance="accepted")):
            alone, faceted = search(store, words, filters, per_page=7), search_with_facets(store, words, filters,
                                                                                         per_page=7).hits
            assert alone == faceted and alone.total > 0, (words, filters)
            assert all(h.snippet for h in alone.items)
    past = search(store, "police", page=1000, per_page=7)
    assert past.items == [] and past.total == search(store, "police").total


def test_search_ranks_as_the_index_does(store):
    """SQLite: the page is ranked by bm25() (the limit kept as it goes), the same order and
    scores as FTS5's own `rank`; ties go to the document stored last (the highest id: the
    ranking reads no document, so not by date as a filtered search does)."""
    if store.dialect != "sqlite":
        pytest.skip("FTS5's rank is SQLite's")
    from sqlalchemy import text

    from scrutiny.store.search import search

    list(ingest_paths(store, corpus_files()))
    for words, match in (("police", '"police"'), ('"chief constable"', '"chief constable"'), ("force plan", '"force" "plan"')):
        with store.engine.connect() as c:
            ranks = c.execute(text("SELECT rank FROM search_index WHERE search_index MATCH :m ORDER BY rank"),
                              {"m": match}).scalars().all()
        hits = search(store, words, per_page=500).items
        assert [h.rank for h in hits] == pytest.approx(ranks) and len(hits) > 1
        for before, after in zip(hits, hits[1:]):
            assert before.rank < after.rank or before.document_id > after.document_id


def test_a_correction_is_checked_and_kept_in_one_transaction(store, monkeypatch):
    """A failure while the response follows a correction leaves neither the correction nor a
    changed document: the check, the row and the derived figures are one transaction."""
    from scrutiny.errors import InvalidValue
    from scrutiny.oversight.corrections import correct
    from scrutiny.store import responses

    list(ingest_paths(store, corpus_files()))
    before = _snapshot(store)
    with pytest.raises(InvalidValue, match="letter_date: not a date"):
        correct(store, 1, "letter_date", "1 April", "A. Analyst")

    def broken(*args, **kwargs):
        raise RuntimeError("the disk filled up")

    monkeypatch.setattr(responses, "refresh", broken)
    with pytest.raises(RuntimeError):
        correct(store, 1, "letter_date", "2020-04-01", "A. Analyst")
    monkeypatch.undo()
    assert _snapshot(store) == before
    assert store.document(1).corrections == []
    corrected = correct(store, 1, "letter_date", "2020-04-01", "A. Analyst")
    assert corrected.record["letter_date"]["date"] == "2020-04-01" and corrected.verified == {"letter_date"}
