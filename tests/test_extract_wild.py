"""Texts found in the wild: who speaks, whether the text is a response at all, which report
it answers (and when not to say), dates and recommendation numbers.

The texts in tests/wild/ are written for these tests in the genres collected pages fall into
(responses from PCC, PFCC and Mayor's offices as letters, pages and press statements; and
the look-alikes that are not responses), each labelled in tests/wild/labels.jsonl.
"""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from scrutiny.extract import NotALetter, extract
from scrutiny.extract.linking import LINK_SAFE
from scrutiny.oversight.evaluate import evaluate
from scrutiny.read import read_bytes, read_path

WILD = Path(__file__).parent / "wild"
LABELS = [json.loads(line) for line in (WILD / "labels.jsonl").read_text().splitlines() if line.strip()]
SCHEMA = Path(__file__).resolve().parents[1] / "docs" / "contract" / "extraction.schema.json"


def record_of(text: str, name: str = "statement.txt") -> dict:
    return extract(read_bytes(text.encode(), name)).to_dict()


def wild(name: str) -> dict:
    return extract(read_path(WILD / name)).to_dict()


# --- is it a response? ----------------------------------------------------------------------

@pytest.mark.parametrize("label", LABELS, ids=[label["file"] for label in LABELS])
def test_each_wild_text_is_judged_as_labelled(label):
    record = wild(label["file"])
    assert record["response"]["value"] is label["response"], record["response"]
    assert record["policing_body"]["role"] == label["sender_role"]
    if label["signatory"]:
        assert record["signatory"]["name"] == label["signatory"]
    for span in record["response"]["evidence"]:
        assert 0 <= span["start"] < span["end"] <= len(record["text"])


def test_the_verdict_gives_its_reason():
    assert wild("n01-home-secretary.txt")["response"]["reason"] == "a Home Office minister's letter"
    assert wild("n02-election-candidate.txt")["response"]["reason"] == "an election candidate's release"
    assert "minutes of a meeting" in wild("n03-panel-minutes.txt")["response"]["reason"]
    assert wild("n04-fire-service.txt")["response"]["reason"] == "a fire and rescue service's page"
    assert wild("n05-mp-column.txt")["response"]["reason"] == "an MP's column or statement"
    assert wild("n06-victims-commissioner.txt")["response"]["reason"] == "the Victims' Commissioner's statement"
    assert wild("n07-chief-constable.txt")["response"]["reason"] == "a chief constable's statement"
    assert wild("n09-pcc-budget.txt")["response"]["reason"] == "not about an inspection report"


def test_a_commissioners_text_on_something_else_is_kept_as_no_response():
    # It names a force and a commissioner: kept for review with its reason, not refused.
    record = record_of("Commissioner opens new custody suite\n\n3 March 2023\n\nDorset Police and Crime "
                       "Commissioner David Sidwick said: \"This building will serve Dorset for decades.\"\n")
    assert record["response"] == {"value": False, "reason": "not about an inspection report",
                                  "evidence": record["policing_body"]["evidence"]}


def test_a_text_about_nothing_of_ours_is_still_refused():
    with pytest.raises(NotALetter):
        record_of("Village fete\n\nThe fete opens at noon on Saturday with a dog show.\n")


def test_a_commissioners_page_quoting_the_chief_constable_is_the_commissioners_response():
    record = record_of("Office of the Police and Crime Commissioner for Dyfed-Powys\n\nCommissioner's response to "
                       "HMICFRS PEEL report\n\nChief Constable Claire Parmenter said: \"We accept the findings.\"\n")
    assert record["response"]["value"] is True and record["policing_body"]["role"] == "PCC"


def test_a_chief_constable_quoted_after_the_commissioner_is_not_the_sender():
    record = record_of("PCC welcomes inspection\n\nPolice and Crime Commissioner Jane Mudd said: \"I welcome the "
                       "HMICFRS report on Gwent Police.\"\n\nChief Constable Mark Hobrough said: \"We will act.\"\n")
    assert record["policing_body"]["role"] == "PCC" and record["signatory"]["name"] == "Jane Mudd"
    assert record["response"]["value"] is True


# --- who speaks -----------------------------------------------------------------------------

def test_i_and_the_chief_constable_is_the_commissioner_speaking():
    record = wild("r01-first-person-web.txt")
    assert record["policing_body"]["role"] == "PCC"  # Cumbria's body in 2015, by the reference


def test_an_archive_banner_naming_the_mayor_is_not_the_sender():
    record = wild("r02-archive-banner.txt")
    assert record["policing_body"]["role"] == "PCC" and record["signatory"]["name"] == "Mark Burns-Williamson"


def test_the_speaker_wins_over_a_headline_and_a_letterhead():
    record = wild("r03-deputy-mayor-statement.txt")
    assert record["policing_body"]["role"] == "Deputy Mayor" and record["signatory"]["name"] == "Sophie Linden"


def test_crime_commissioner_is_the_newspapers_pcc():
    assert wild("r04-crime-commissioner-release.txt")["policing_body"]["role"] == "PCC"


def test_a_deputy_chief_constable_speaks_for_the_force():
    record = wild("n08-deputy-chief-constable.txt")
    assert record["policing_body"] == {"role": "Chief Constable", "office": "Deputy Chief Constable",
                                       "evidence": record["policing_body"]["evidence"]}
    assert record["signatory"]["name"] == "Paul Brandon"


def test_a_deputy_commissioner_is_a_deputy_pcc():
    record = record_of("Deputy PCC responds to inspection\n\n4 May 2022\n\nDeputy Police and Crime Commissioner "
                       "Emma Barnett said: \"The HMICFRS report shows real progress in Staffordshire.\"\n")
    assert record["policing_body"]["role"] == "Deputy PCC" and record["response"]["value"] is True


def test_a_peer_is_named_by_her_style():
    record = wild("n06-victims-commissioner.txt")
    assert record["signatory"]["name"] == "Baroness Newlove"
    assert record["policing_body"]["office"] == "Victims' Commissioner"


def test_a_letterhead_with_honours_names_the_sender():
    record = wild("r05-letterhead-dame.txt")
    assert record["signatory"]["name"] == "Vera Baird" and record["policing_body"]["role"] == "PCC"


def test_a_home_secretary_signs_as_other():
    record = wild("n01-home-secretary.txt")
    assert record["policing_body"]["role"] == "Other" and record["policing_body"]["office"] == "Home Secretary"
    assert record["signatory"]["name"] == "Priti Patel"


# --- which report, and how sure ---------------------------------------------------------------

def test_a_short_title_used_as_words_is_not_a_link():
    record = wild("r08-weak-overlap.txt")  # 'essentially its core business'
    assert record["report"] is None
    assert [c["id"] for c in record["report_candidates"]] == ["core-business-2014"]
    assert record["report_candidates"][0]["confidence"] < LINK_SAFE
    assert any("candidate for review" in w for w in record["warnings"])


def test_a_link_carries_its_confidence():
    record = wild("r09-force-peel-effectiveness.txt")
    assert record["report"]["id"] == "peel-effectiveness-2017-west-mercia"  # the force's own, not the overview
    assert record["report"]["confidence"] >= LINK_SAFE


def test_the_national_overview_named_is_the_national_overview():
    assert wild("r10-national-overview.txt")["report"]["id"] == "peel-legitimacy-2017"


def test_a_described_report_on_the_speakers_force_is_the_force_report():
    record = wild("r13-force-report-described.txt")
    assert record["report"]["id"] == "peel-legitimacy-2017-warwickshire"


def test_the_annual_report_of_the_texts_year_and_yesterday():
    record = wild("r06-state-of-policing.txt")
    assert record["report"]["id"] == "sop-2023" and record["report"]["published"] == "2024-07-19"


def test_a_report_ruled_out_by_the_texts_date_is_not_linked():
    # One title word, no date but the page's: the old integrity report is years too early.
    record = record_of("Response to HMIC report on corruption\n\nLast Updated: 17/11/2022\n\nSouth Wales Police and "
                       "Crime Commissioner Alun Michael said: \"The inspection of how we tackle corruption found the "
                       "force good.\"\n")
    assert record["report"] is None or record["report"]["id"] != "integrity-matters-2015"


def test_a_pages_published_stamp_is_not_the_reports_date():
    record = wild("r12-pfcc-statutory-page.txt")  # 'Published 2 July 2025' ... 'published on 14 May 2025'
    assert record["report"]["id"] == "peel-2023-25-essex" and record["report"]["published"] == "2025-05-14"


# --- dates ----------------------------------------------------------------------------------

def test_a_spaced_ordinal_is_a_date_and_today_is_the_pages_day():
    record = wild("r07-spaced-ordinal-today.txt")  # 'Posted on 15 th September 2015', 'HMIC today published'
    assert record["letter_date"]["date"] == "2015-09-15"
    assert record["report"]["published"] == "2015-09-15"


def test_a_meetings_date_is_the_minutes_date():
    assert wild("n03-panel-minutes.txt")["letter_date"]["date"] == "2024-02-02"


# --- recommendations ------------------------------------------------------------------------

def test_a_sub_number_is_kept_as_a_label_and_a_quotation_is_not_an_answer():
    record = wild("r11-recommendations-3a.txt")
    answered = [(a["number"], a["label"]) for a in record["recommendations"] if a["addressed"]]
    assert answered == [(1, None), (2, "2a")]  # 2b is quoted, not answered
    unanswered = [a for a in record["recommendations"] if not a["addressed"]]
    assert [a["label"] for a in unanswered] == ["2b"] and unanswered[0]["evidence"] == []


def test_a_quoted_recommendation_needs_an_answer_after_it():
    letter = ("Dear Home Secretary\n\nAn inspection of how well the police tackle serious youth violence\n\n"
              "Recommendation 1: By 31 March 2024, chief constables should make sure their officers are trained in "
              "the use of outcome 22.\n\nThe force accepts this recommendation and training has been completed.\n\n"
              "Recommendation 2: By 31 March 2024, chief constables should make sure their forces, through data "
              "collection and analysis, understand the levels of racial disproportionality in serious youth "
              "violence in their force areas.\n\nYours sincerely\n\nDavid Sidwick\n"
              "Dorset Police and Crime Commissioner\n")
    record = record_of(letter, "letter.txt")
    assert record["report"]["id"] == "serious-youth-violence-2023"
    assert [a["number"] for a in record["recommendations"] if a["addressed"]] == [1]


# --- the contract and the evaluation ------------------------------------------------------------

def test_wild_records_satisfy_the_extended_contract():
    schema = json.loads(SCHEMA.read_text())
    for label in LABELS:
        jsonschema.validate(wild(label["file"]), schema)


def test_eval_scores_the_verdict_and_each_role():
    scores = evaluate(WILD / "labels.jsonl", WILD)
    counts = scores.response_counts
    assert counts["tp"] + counts["fn"] == sum(label["response"] for label in LABELS)
    assert counts["fp"] + counts["tn"] == sum(not label["response"] for label in LABELS)
    assert scores.response_precision >= 0.9 and scores.response_recall >= 0.9
    assert {"PCC", "Other", "Chief Constable"} <= set(scores.by_role)
    assert scores.accuracy("role") >= 0.9 and scores.overall >= 0.95


def test_a_fire_services_inspection_is_no_police_response():
    record = record_of("Fire service inspection published\n\n15 June 2022\n\nHMICFRS has published its inspection of "
                       "Cheshire Fire and Rescue Service. The Service was rated good at preventing fires.\n\nThe "
                       "Police, Fire and Crime Commissioner will scrutinise the improvement plan.\n")
    assert record["response"]["value"] is False
    assert record["response"]["reason"] == "about a fire and rescue service, not a police force"


def test_a_report_described_by_its_subject_and_yesterday():
    record = record_of("PCC responds to mental health report\n\n28 November 2018\n\nGwent Police and Crime Commissioner "
                       "Jeff Cuthbert has responded to the HMICFRS report into mental health and policing, published "
                       "yesterday.\n\nJeff Cuthbert said: \"Officers too often pick up the pieces.\"\n")
    assert record["report"]["id"] == "policing-mental-health-2018" and record["report"]["published"] == "2018-11-27"


def test_a_copy_to_the_chief_constable_does_not_sign_the_letter():
    record = record_of("Dear Home Secretary\n\nHMICFRS inspection of Cleveland Police\n\nI welcome the report and "
                       "accept its findings.\n\nYours sincerely\n\nSteve Turner\n\ncc: Chief Constable Mark Webster\n",
                       "letter.txt")
    assert record["response"]["value"] is True and record["policing_body"]["role"] != "Chief Constable"


def test_a_deputy_commissioner_signs_as_deputy_pcc():
    record = record_of("Dear Home Secretary\n\nHMICFRS inspection of Staffordshire Police\n\nI welcome the report.\n\n"
                       "Yours sincerely\n\nEmma Barnett\nDeputy Police and Crime Commissioner for Staffordshire\n",
                       "letter.txt")
    assert record["policing_body"]["role"] == "Deputy PCC" and record["signatory"]["name"] == "Emma Barnett"


def test_a_column_signed_off_by_its_authors_note_is_an_mps():
    record = record_of("Why our police deserve better\n\nI read the latest HMICFRS report on Lincolnshire Police with "
                       "concern. I have written to the Police and Crime Commissioner to ask what he will do.\n\n"
                       "Sir Edward Leigh is the MP for Gainsborough.\n")
    assert record["response"]["value"] is False and record["policing_body"]["office"] == "MP"


def test_minutes_under_a_heading_of_their_own():
    record = record_of("Police and Crime Panel\n\nMINUTES\n\nPresent: Councillor A Smith (Chair)\n\nThe Commissioner "
                       "presented his response to the HMICFRS PEEL inspection of Wiltshire Police.\n")
    assert record["response"]["value"] is False and "minutes" in record["response"]["reason"]


def test_a_party_candidate_is_not_the_commissioner():
    record = record_of("Conservative PCC candidate Jane Doe said: \"Today's HMICFRS report shows Essex Police is "
                       "failing.\"\n")
    assert record["response"]["reason"] == "an election candidate's release"


def test_a_letter_signed_jointly_is_the_commissioners():
    record = record_of("Dear Home Secretary\n\nHMICFRS inspection of Dorset Police\n\nWe accept the findings.\n\n"
                       "Yours sincerely\n\nScott Chilton, Chief Constable\nDavid Sidwick, Police and Crime "
                       "Commissioner for Dorset\n", "letter.txt")
    assert record["response"]["value"] is True and record["policing_body"]["role"] == "PCC"


def test_a_text_of_endless_speakers_is_read_in_bounded_time():
    import time

    start = time.process_time()
    record_of("Police and Crime Commissioner " * 30000 + "said", "endless.txt")
    record_of("Jane Doe said: the inspection.\n" * 30000, "repeated.txt")
    assert time.process_time() - start < 10  # a 'said' reads its clause, not the text before it
