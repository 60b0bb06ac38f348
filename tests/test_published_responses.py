"""Published responses of every kind: the accuracy floors on ../shared/corpus/real, the eval
command on both gold shapes, and the behaviours behind the floors on texts written for
these tests (statements, pages, letters the sample letters do not cover)."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import CORPUS, GOLD, SHARED

from scrutiny.cli import app
from scrutiny.extract import NotALetter, extract
from scrutiny.oversight.evaluate import PUBLISHED_FIELDS, evaluate
from scrutiny.read import read_bytes

REAL = SHARED / "corpus" / "real"
REAL_GOLD = SHARED / "gold" / "real.jsonl"
needs_real = pytest.mark.skipif(not REAL_GOLD.is_file(), reason="../shared/gold/real.jsonl is not beside the repository")
runner = CliRunner()


def record_of(text: str, name: str = "statement.txt") -> dict:
    return extract(read_bytes(text.encode(), name)).to_dict()


@needs_real
def test_published_texts_meet_the_floors():
    scores = evaluate(REAL_GOLD, REAL)
    misses = [str(m) for m in scores.misses]
    assert scores.documents == 36 and not scores.errors, scores.errors
    assert scores.overall >= 0.95, misses
    for name in PUBLISHED_FIELDS:
        assert scores.scored[name] and scores.accuracy(name) >= 0.90, (name, misses)
    # A null report id (the catalogue has not the report) is scored too: a link made is a miss.
    assert scores.scored["report_id"] == scores.documents


@needs_real
def test_eval_prints_each_miss_and_json(tmp_path):
    rows = [json.loads(line) for line in REAL_GOLD.read_text(encoding="utf-8").splitlines()[:2]]
    rows[0]["signatory"] = "Nobody Atall"  # a label the text does not support: one miss
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")

    shown = runner.invoke(app, ["eval", "--gold", str(gold), "--docs", str(REAL), "--misses"])
    assert shown.exit_code == 0, shown.output
    assert f"{rows[0]['file']}: signatory: wanted 'Nobody Atall', got " in shown.output
    assert "report_id" in shown.output and "overall" in shown.output

    quiet = runner.invoke(app, ["eval", "--gold", str(gold), "--docs", str(REAL)])
    assert "Nobody Atall" not in quiet.output

    scores = json.loads(runner.invoke(app, ["eval", "--gold", str(gold), "--docs", str(REAL), "--json"]).stdout)
    assert scores["scored"]["signatory"] == 2 and scores["correct"]["signatory"] == 1
    assert {"file": rows[0]["file"], "field": "signatory", "wanted": "Nobody Atall"}.items() <= scores["misses"][0].items()


@pytest.mark.skipif(not GOLD.is_file(), reason="../shared/gold/seeds.jsonl is not beside the repository")
def test_eval_scores_the_letters_shape():
    scores = json.loads(runner.invoke(app, ["eval", "--gold", str(GOLD), "--docs", str(CORPUS), "--json"]).stdout)
    assert "stance" in scores["fields"] and "report_id" not in scores["fields"]


def test_eval_names_a_gold_file_it_cannot_read(tmp_path):
    result = runner.invoke(app, ["eval", "--gold", str(tmp_path / "missing.jsonl"), "--docs", str(tmp_path)])
    assert result.exit_code == 1 and "missing.jsonl" in result.output and "Traceback" not in result.output


# --- speakers, office-holders and roles -------------------------------------------------------

STATEMENT = """Victims must come first

{date}

Commenting on the HMIC report, Surrey's Police and Crime Commissioner Kevin Hurley said: "I welcome
this inspection of how the police respond to domestic abuse."

Chief Constable Lynne Owens said: "We accept the findings."
"""


def test_the_speaker_is_the_signatory_and_the_reference_confirms_the_office():
    record = record_of(STATEMENT.format(date="27 March 2014"))
    assert record["signatory"]["name"] == "Kevin Hurley"
    assert record["signatory"]["reference"].startswith("http")  # Surrey's PCC in 2014, by the reference
    assert record["policing_body"]["role"] == "PCC"  # the chief constable quoted does not make the sender one
    assert record["force"]["name"] == "Surrey Police"
    assert record["kind"]["name"] == "statement"
    assert not [w for w in record["warnings"] if "Kevin Hurley" in w]


def test_a_mismatch_with_the_reference_is_a_warning_not_a_change():
    record = record_of(STATEMENT.format(date="27 March 2019"))  # his term ended in 2016
    assert record["signatory"]["name"] == "Kevin Hurley" and record["signatory"]["reference"] is None
    assert any("Kevin Hurley did not hold this office on 2019-03-27" in w for w in record["warnings"])


def test_a_name_the_reference_lacks_is_still_found():
    record = record_of("Newly elected Police and Crime Commissioner Priya Okonkwo-Hale said: \"I welcome the "
                       "HMICFRS inspection of Surrey Police.\"\n")
    assert record["signatory"]["name"] == "Priya Okonkwo-Hale" and record["signatory"]["reference"] is None
    assert record["policing_body"]["role"] == "PCC"


def test_a_forces_own_release_is_sent_by_its_chief_constable():
    record = record_of("Inspection finds Gwent Police improving\n\nThe HMICFRS report published today rates the "
                       "force good at recording crime.\n\nChief Constable Jane Doe-Smith said: \"We welcome it.\"\n")
    assert record["policing_body"]["role"] == "Chief Constable"
    assert record["signatory"]["name"] == "Jane Doe-Smith"


def test_name_then_role_and_honorifics():
    record = record_of("Sir Arthur Penhallow, the Police, Fire and Crime Commissioner for Essex, has welcomed the "
                       "HMICFRS report.\n")
    assert record["signatory"]["name"] == "Arthur Penhallow" and record["policing_body"]["role"] == "PFCC"


# --- dates ---------------------------------------------------------------------------------------

def test_a_date_without_a_year_is_resolved_from_weekday_and_term_of_office():
    record = record_of("Ben Adams\n\nStaffordshire Police, Fire & Rescue and Crime Commissioner response\n\n"
                       "HMICFRS has today (Thursday 22 September) published its inspection of Staffordshire "
                       "Police.\n\nPolice, Fire and Crime Commissioner Ben Adams said: \"We will improve.\"\n")
    # Thursday 22 September fell in 2011, 2016 and 2022; Ben Adams took office in 2021.
    assert record["letter_date"]["date"] == "2022-09-22"
    assert any("without a year" in w for w in record["warnings"])


def test_a_page_stamp_dates_a_statement():
    record = record_of("Commissioner comments on HMICFRS report\n\nThe Commissioner welcomed the inspection of "
                       "Kent Police published on 2 May 2019.\n\nPosted on Thursday 9th May 2019\n")
    assert record["letter_date"]["date"] == "2019-05-09"


def test_a_date_published_stamp_dates_a_page():
    record = record_of("PCC response to HMICFRS inspection\n\nDate published: 4 May 2021\n\nThe Police and Crime "
                       "Commissioner for Kent has responded to the inspection published on 20 April 2021.\n")
    assert record["letter_date"]["date"] == "2021-05-04"


def test_a_publication_month_without_a_day_is_said_to_be_one():
    record = record_of("Dear Home Secretary,\n\nRe: An inspection of neighbourhood foot patrols\n\nThe report, "
                       "published in March 2023, found Kent Police good.\n\nYours sincerely,\n\nMatthew Scott\n"
                       "Kent Police and Crime Commissioner\n")
    assert record["report"]["id"] is None and record["report"]["published"] is None
    assert any("03/2023 without a day" in w for w in record["warnings"])


# --- which report -----------------------------------------------------------------------------

def test_a_report_identified_by_its_subject_and_the_day_it_came_out():
    record = record_of("Commissioner comments on HMICFRS Efficiency Report\n\nHumberside Police and Crime "
                       "Commissioner Keith Hunter has commented on the Efficiency Report which was published by "
                       "HMICFRS today (9th November 2017).\n")
    assert record["report"]["id"] == "peel-efficiency-2017"
    assert record["report"]["basis"] == "clues" and record["report"]["reasons"]
    assert record["report"]["published"] == "2017-11-09"


@pytest.mark.parametrize("sentence, linked", [
    ("The force's senior leadership team will act on HMIC's report.", False),  # the word in passing
    ("The force will act on HMIC's Leadership report.", True),  # capitalised within the sentence
    ("The force will act on HMIC's report on leadership.", True),  # what it names
    ("The force will act on HMIC's 'leadership' report.", True),  # quoted
    ("Leadership matters, and the force will act on HMIC's report.", False),  # a sentence's first word
    ("The officers’ leadership's approach will change after HMIC's report.", False),  # apostrophes, not quotes
])
def test_one_title_word_names_a_report_only_where_the_text_writes_it_as_a_name(sentence, linked):
    """A text naming no report, no date and one word of a report's title: that word links the
    report only where it is written as the report's name ('PEEL: Police leadership 2016')."""
    record = record_of("Wiltshire's Police and Crime Commissioner Angus Macpherson said: \"I have read it. "
                       f"{sentence} I will hold the Chief Constable to account.\"\n")
    assert ((record["report"] or {}).get("id") == "peel-leadership-2016") is linked, record["report"]


def test_published_yesterday_is_the_day_before_the_text():
    record = record_of("Commissioner responds to undercover policing report\n\n14 October 2014\n\nThe Police and "
                       "Crime Commissioner for Essex has responded to the HMIC inspection into undercover policing, "
                       "published yesterday.\n")
    assert record["report"]["id"] == "undercover-policing-2014"
    assert record["report"]["published"] == "2014-10-13" and record["report"]["published_stated"]


def test_reports_of_unknown_date_are_placed_by_their_titles_years():
    # The State of Policing report for 2017 has no publication date in the catalogue (2016's came
    # out in April 2017, 2018's in July 2019): a statement of July 2018 answers the one that can
    # have come out in 2018.
    record = record_of("PCC comments on inspection report\n\n19 July 2018\n\nKent Police and Crime Commissioner "
                       "Matthew Scott has responded to HM Chief Inspector of Constabulary's annual report on the "
                       "state of policing, published yesterday.\n")
    assert record["report"]["id"] == "sop-2017"


def test_the_inspectorates_old_name_dates_an_undated_statement():
    # 'Her Majesty's Inspectorate of Constabulary', without '... and Fire & Rescue Services':
    # before the rename of July 2017, so not the efficiency round of November 2017. Since the
    # catalogue audit dated the 2015 round (20 October 2015), the old name alone leaves 2015 and
    # 2016, and the extractor links neither rather than guess.
    record = record_of("Commissioner welcomes efficiency rating\n\nNorth Wales Police and Crime Commissioner Arfon "
                       "Jones has welcomed Her Majesty's Inspectorate of Constabulary's latest report, which rated "
                       "North Wales Police good at using its resources efficiently.\n\nArfon Jones said: \"The "
                       "efficiency inspection shows the force is well placed for the future.\"\n")
    assert record["report"] is None


def test_a_report_on_another_force_is_not_matched_by_its_title():
    record = record_of("Dear Home Secretary\n\nRe: PEEL 2021/22 - An inspection of Durham Constabulary\n\n"
                       "The report was published on 3 October 2022.\n\nYours sincerely\n\nJoy Allen\n"
                       "Durham Police and Crime Commissioner\n")
    assert record["report"]["id"] is None  # 'PEEL 2021/22 – An inspection of Cleveland Police' is another force's
    assert record["report"]["title"] == "PEEL 2021/22 - An inspection of Durham Constabulary"


def test_recommendations_answered_by_number_when_the_catalogue_lacks_their_wording():
    record = record_of("Dear Home Secretary,\n\nI am writing in response to the HMICFRS inspection into activism "
                       "and impartiality in policing, published on the 10th of September 2024.\n\nIn response to "
                       "recommendation 10 and 22, the force is reviewing its uniform policy.\n\nYours sincerely,\n\n"
                       "John Campion\nWest Mercia Police and Crime Commissioner\n")
    assert record["report"]["id"] == "activism-impartiality-2024"
    assert [(a["number"], a["addressed"]) for a in record["recommendations"]] == [(10, True), (22, True)]
    assert any("numbered as the text numbers them" in w for w in record["warnings"])


def test_recommendations_by_number_where_the_catalogue_knows_only_some_wording():
    record = record_of("Dear Home Secretary,\n\nI write in response to the HMICFRS report Finding time for crime, "
                       "published on 11 August 2022.\n\nRecommendation 1 is being addressed through a new crime "
                       "scene policy. Recommendation 2 is accepted and supervision has been strengthened.\n\n"
                       "Yours sincerely,\n\nLisa Townsend\nSurrey Police and Crime Commissioner\n")
    assert record["report"]["id"] == "finding-time-for-crime-2022"  # two to forces, one worded in the catalogue
    assert [a["number"] for a in record["recommendations"] if a["addressed"]] == [1, 2]


def test_a_statement_that_names_no_report_is_kept():
    record = record_of("Norfolk PCC welcomes inspection\n\nPolice and Crime Commissioner Giles Orpen-Smellie "
                       "said: \"The inspectors found much to praise.\"\n")
    assert record["report"] is None and record["force"]["name"] == "Norfolk Constabulary"


def test_a_timetable_is_refused():
    with pytest.raises(NotALetter, match="no response letter found"):
        record_of("Bus timetable\n\nMonday to Friday: 07:15, 07:45, 08:15 from the Town Hall.\n", "bus.txt")
