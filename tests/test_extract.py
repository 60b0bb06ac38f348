"""The extractor on the sample letters: accuracy against the gold labels, the contract,
grounding of every value, and the formats giving the same record."""
from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from conftest import CORPUS, GOLD, SCHEMA, SHARED, corpus_files
from documents import make_docx, make_pdf

import scrutiny.extract
from scrutiny.errors import InputError
from scrutiny.extract import NotALetter, extract, extract_paths
from scrutiny.oversight.evaluate import LETTER_FIELDS, evaluate, same_initiative
from scrutiny.read import read_bytes, read_path

# Letters written for these tests in shapes the sample letters lack: a PFCC answering by
# recommendation number with partial acceptance, and a Deputy Mayor who rejects one.
LETTERS = Path(__file__).parent / "letters"
REAL = SHARED / "corpus" / "real"  # published responses of every kind, where ../shared is beside the repository

ACCEPTANCE_FIELDS = ["force", "role", "signatory", "letter_date", "report", "recommendations_addressed",
                     "deadline", "days_taken", "on_time", "complete"]


@pytest.fixture(scope="module")
def records():
    paths = corpus_files() + sorted(LETTERS.iterdir()) + sorted(REAL.glob("*.txt"))
    return [extract(read_path(p)).to_dict() for p in paths]


@pytest.mark.skipif(not GOLD.is_file(), reason="../shared/gold/seeds.jsonl is not beside the repository")
def test_gold_scores():
    scores = evaluate(GOLD, CORPUS)
    assert scores.documents == 5 and not scores.errors
    for name in ACCEPTANCE_FIELDS:
        assert scores.accuracy(name) == 1.0, (name, [str(m) for m in scores.misses])
    assert scores.initiative_recall >= 0.9


def test_every_field_is_scored():
    assert set(ACCEPTANCE_FIELDS) <= set(LETTER_FIELDS)


@pytest.mark.skipif(not SCHEMA.is_file(), reason="../shared/contract is not beside the repository")
def test_records_follow_the_contract(records):
    schema = json.loads(SCHEMA.read_text())
    for record in records:
        jsonschema.validate(json.loads(json.dumps(record)), schema)


def _quoted(text: str, span: dict) -> str:
    assert 0 <= span["start"] < span["end"] <= len(text)
    return " ".join(text[span["start"]:span["end"]].replace("'", "").replace('"', "").split())


def _words(s: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", s.lower()))


def test_every_value_is_grounded(records):
    """Each evidence span lies inside the text and contains the value it supports, on the
    sample letters, the tests' letters and the published responses."""
    from scrutiny import catalogue

    aliases = {f.name: {f.name, *f.aliases} for f in catalogue.forces()}
    reports = {r.id: r for r in catalogue.reports()}
    role_words = {"PCC": ("Crime Commissioner", "PCC", "Police Commissioner", "crime commissioner"),
                  "PFCC": ("Fire", "PFCC"), "Mayor": ("Mayor", "MOPAC"), "Deputy Mayor": ("Deputy Mayor",),
                  "Chief Constable": ("Constable",), "Police Authority": ("Authority", "Committee")}
    for record in records:
        text = record["text"]
        if record["force"]:
            assert record["force"]["evidence"]
            for s in record["force"]["evidence"]:
                assert _quoted(text, s) in aliases[record["force"]["name"]]
        if record["signatory"]:
            assert record["signatory"]["evidence"]
            for s in record["signatory"]["evidence"]:
                assert record["signatory"]["name"] == _quoted(text, s)
        if record["policing_body"]:
            assert record["policing_body"]["evidence"]
            for s in record["policing_body"]["evidence"]:
                assert any(w in _quoted(text, s) for w in role_words[record["policing_body"]["role"]])
        if record["letter_date"]:
            date = record["letter_date"]
            day = str(int(date["date"][8:]))
            yearless = any("without a year" in w for w in record["warnings"])
            assert [s for s in date["evidence"]
                    if day in _quoted(text, s) and (yearless or date["date"][:4] in _quoted(text, s))]
        for a in record["addressees"]:
            assert a["evidence"]
        if record["report"]:
            report = record["report"]
            assert report["evidence"]
            for s in report["evidence"]:
                _quoted(text, s)
            if report["basis"] == "title":
                # The report's span is the title as the letter writes it: most of the words of
                # the title or of one of its variants.
                entry = reports[report["id"]]
                quoted = _words(_quoted(text, report["evidence"][0]))
                assert any(len((_words(t) - {"s"}) & quoted) >= 0.6 * len(_words(t) - {"s"})
                           for t in (entry.title, *entry.title_variants))
            elif report["basis"] == "clues":
                assert report["reasons"]  # what in the text decided it
            if report["published_stated"]:
                day = str(int(report["published"][8:]))
                assert [s for s in report["evidence"] if day in _quoted(text, s)]
        for answer in record["recommendations"]:
            assert bool(answer["evidence"]) == (answer["addressed"] or answer["stance"] != "not stated")
            for s in answer["evidence"]:
                assert "recommend" in _quoted(text, s).lower() or len(_quoted(text, s)) > 20
        for initiative in record["initiatives"]:
            assert initiative["evidence"]
            for s in initiative["evidence"]:
                assert _quoted(text, s).lower() == initiative["name"].replace("'", "").lower()
        assert record["kind"]["name"] in ("letter", "web page", "statement", "other")
        assert record["kind"]["evidence"] or record["kind"]["name"] in ("other", "web page")


def _values(record: dict) -> dict:
    """A record without its offsets: what must not depend on the file format."""
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("evidence", "source", "text")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value
    return strip(record)


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_pdf_and_docx_give_the_same_record(path, fmt):
    plain = extract(read_path(path))
    data = make_pdf(plain.text) if fmt == "pdf" else make_docx(plain.text)
    converted = extract(read_bytes(data, f"{path.stem}.{fmt}"))
    assert _values(converted.to_dict()) == _values(plain.to_dict())
    assert (converted.source["pages"] or 0) >= (1 if fmt == "pdf" else 0)


def test_report_not_in_catalogue_keeps_the_letters_title_and_stated_date():
    letter = (CORPUS / "003_d2d915d68258f36b.txt").read_text()
    record = extract(read_bytes(letter.encode(), "syv.md"), reports=()).to_dict()
    assert record["report"]["id"] is None
    assert record["report"]["title"] == "An inspection of how well the police tackle serious youth violence"
    assert record["report"]["published"] == "2023-03-08"
    assert record["compliance"]["deadline"] == "2023-05-02"
    assert record["compliance"]["on_time"] is True
    assert record["compliance"]["complete"] is None  # the recommendations are unknown


def test_press_statement_answers_nothing():
    statement = (
        "West Mercia Police and Crime Commissioner welcomes HMICFRS report\n\n"
        "12 March 2020\n\n"
        "The Police and Crime Commissioner for West Mercia, John Campion, has welcomed the HMICFRS "
        "National Child Protection Inspections 2019 thematic report. He said: 'We accept all of the "
        "recommendations and will work with the Chief Constable to deliver them.'"
    )
    record = extract(read_bytes(statement.encode(), "press.html")).to_dict()
    assert record["report"]["id"] == "ncpi-2019-thematic"
    assert not any(a["addressed"] for a in record["recommendations"])
    assert {a["stance"] for a in record["recommendations"]} == {"accepted"}  # the blanket stance still applies
    assert record["compliance"]["recommendations_addressed"] == 0
    assert record["compliance"]["complete"] is False
    assert record["compliance"]["missing"] == [1, 2, 3]


def test_unknown_letter_date_is_said_not_guessed():
    letter = (CORPUS / "002_0d90f760a3947a6d.txt").read_text().replace("16 March 2020", "")
    record = extract(read_bytes(letter.encode(), "undated.txt")).to_dict()
    assert record["letter_date"] is None
    assert record["compliance"]["on_time"] is None and record["compliance"]["days_taken"] is None
    assert any("letter date" in w for w in record["warnings"])


def test_html_page_date_wins_over_the_letter_date():
    letter = (CORPUS / "002_0d90f760a3947a6d.txt").read_text()
    page = ("<html><head><meta property='article:published_time' content='2020-05-01T09:00:00Z'></head><body>"
            "<nav>Home | News</nav><main>" + "".join(f"<p>{p}</p>" for p in letter.split("\n\n")) +
            "</main><footer>Cookies</footer></body></html>")
    record = extract(read_bytes(page.encode(), "page.html")).to_dict()
    assert record["letter_date"]["date"] == "2020-03-16"
    assert record["compliance"]["date_basis"] == "publication date"
    assert record["compliance"]["days_taken"] == 64 and record["compliance"]["on_time"] is False
    assert "Cookies" not in record["text"] and "News" not in record["text"]


def test_a_recipe_is_not_a_letter():
    recipe = b"Victoria sponge\n\nIngredients: 200g butter, 200g sugar, 4 eggs.\n\nMethod: cream the butter."
    with pytest.raises(NotALetter, match=r"recipe\.txt: no response letter found"):
        extract(read_bytes(recipe, "recipe.txt"))


def test_initiative_matching_ignores_case_and_punctuation():
    assert same_initiative("Chance to Change (C2C)", "chance to change")
    assert not same_initiative("Legitimacy Board", "Strategic Safeguarding Board")


def test_spans_of_finds_whole_phrases_across_line_breaks():
    from scrutiny.extract.text import spans_of

    text = "Philip Seccombe TD; Philip\nSeccombe; Philip Seccombes; XPhilip Seccombe"
    assert [text[s.start:s.end] for s in spans_of(text, "Philip Seccombe")] == ["Philip Seccombe", "Philip\nSeccombe"]



def test_pfcc_letter_answering_by_number():
    record = extract(read_path(LETTERS / "pfcc-numbered.md")).to_dict()
    assert record["force"]["name"] == "Staffordshire Police"
    assert record["policing_body"]["role"] == "PFCC"
    assert record["signatory"]["name"] == "Ben Adams"
    assert record["letter_date"]["date"] == "2023-05-02"
    assert [(a["number"], a["stance"]) for a in record["recommendations"]] == [(1, "accepted"), (2, "partially accepted")]
    assert record["recommendations"][1]["status"] == "in progress"
    assert record["compliance"]["days_taken"] == 55 and record["compliance"]["on_time"] is True


def test_deputy_mayor_letter_rejecting_a_recommendation():
    record = extract(read_path(LETTERS / "deputy-mayor.txt")).to_dict()
    assert record["force"]["name"] == "Metropolitan Police Service"
    assert record["policing_body"]["role"] == "Deputy Mayor"
    assert record["signatory"]["name"] == "Sophie Linden"
    assert [a["stance"] for a in record["recommendations"]] == ["not accepted", "accepted", "not stated"]
    assert "Metropolitan Police Service" not in [i["name"] for i in record["initiatives"]]
    assert "Youth Diversion Scheme" in [i["name"] for i in record["initiatives"]]


def test_uncatalogued_report_named_in_the_subject_line():
    record = extract(read_path(LETTERS / "uncatalogued-peel.txt")).to_dict()
    assert record["force"]["name"] == "Kent Police" and record["letter_date"]["date"] == "2022-10-14"
    assert record["report"]["id"] is None
    assert record["report"]["title"] == "PEEL 2021/22 - An inspection of Kent Police"
    assert record["report"]["published"] == "2022-09-30" and record["compliance"]["days_taken"] == 14


def test_press_page_on_a_website():
    record = extract(read_path(LETTERS / "press-page.html")).to_dict()
    assert record["force"]["name"] == "Devon and Cornwall Police"
    assert record["signatory"]["name"] == "Alison Hernandez"
    assert record["addressees"] == []  # a web page is addressed to no one
    assert record["compliance"]["date_basis"] == "publication date" and record["compliance"]["days_taken"] == 63
    assert record["compliance"]["complete"] is False


def test_extract_paths_keeps_order_and_errors_across_batches(tmp_path):
    """Files are read a batch at a time, then extracted; each gets its record or its error,
    in the order given, whatever batch it falls in."""
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "recipe.txt").write_text("Pancakes\n\nMix flour, eggs and milk. Fry in butter.\n")
    letters = corpus_files()
    paths = [*letters, tmp_path / "empty.txt", *letters, *letters, tmp_path / "recipe.txt", *letters]
    assert len(paths) > scrutiny.extract.BATCH_FILES

    results = list(extract_paths(paths))

    assert [path for path, _ in results] == list(map(str, paths))
    for path, result in results:
        if Path(path).parent == tmp_path:
            assert isinstance(result, InputError) and result.path == path
        else:
            assert result.to_dict() == extract(read_path(path)).to_dict()


def test_extract_paths_reads_a_batch_ahead_bounded_by_text_length(monkeypatch):
    pulled = []

    def paths():
        for path in corpus_files() * 4:
            pulled.append(path)
            yield path

    next(extract_paths(paths()))
    assert len(pulled) == scrutiny.extract.BATCH_FILES  # a batch is read before the first letter is extracted
    pulled.clear()
    monkeypatch.setattr(scrutiny.extract, "BATCH_CHARS", 1)  # every letter is longer: one file a batch
    next(extract_paths(paths()))
    assert len(pulled) == 1
