"""Fifteen published responses written for these tests, each naming its report loosely (by
its subject, its kind, the day it came out, the force it inspected) and none of them a
paraphrase of ../shared/corpus/real. They were written, with the values below, before the
extractor's rules were reviewed for this: what they score is an estimate of how it does on
texts it was not tuned to (see the README's Accuracy section)."""
from __future__ import annotations

import json
from pathlib import Path

from scrutiny.extract import extract
from scrutiny.oversight.evaluate import evaluate
from scrutiny.read import read_path

LETTERS = Path(__file__).parent / "letters"

# file -> force, sender's role, signatory, the text's date, catalogue report, report published
EXPECTED = {
    "dyfed-powys-effectiveness.txt": ("Dyfed-Powys Police", "PCC", "Dafydd Llywelyn", "2017-04-20",
                                      "peel-effectiveness-2016", "2017-03-02"),  # Dyfed-Powys's own is not catalogued
    "north-yorkshire-vetting.txt": ("North Yorkshire Police", "PFCC", "Zoë Metcalfe", "2022-11-03",
                                    "vetting-misconduct-misogyny-2022", "2022-11-02"),
    "durham-peel-may.txt": ("Durham Constabulary", "PCC", "Ron Hogg", "2019-06-27", "peel-2018-19-group-1",
                            "2019-05-02"),
    "south-yorkshire-annual.txt": ("South Yorkshire Police", "PCC", "Alan Billings", "2023-06-09", "sop-2022",
                                   "2023-06-09"),
    "lancashire-older-victims.txt": ("Lancashire Constabulary", "PCC", "Clive Grunshaw", "2019-09-05",
                                     "poor-relation-older-people-2019", None),  # 'published in July': no day
    "essex-stalking.txt": ("Essex Police", "PFCC", "Roger Hirst", "2024-09-30", "stalking-super-complaint-2024", None),
    "gwent-anti-social.txt": ("Gwent Police", "PCC", "Jane Mudd", "2024-12-02", "asb-spotlight-2024", "2024-10-10"),
    "staffordshire-organised-crime.txt": ("Staffordshire Police", "PFCC", "Ben Adams", "2024-05-15",
                                          "wm-regional-soc-2024", "2024-05-14"),
    "norfolk-custody.txt": ("Norfolk Constabulary", "PCC", "Lorne Green", "2018-10-02", "custody-norfolk-suffolk-2018",
                            "2018-10-02"),
    "thames-valley-forensics.txt": ("Thames Valley Police", "PCC", "Matthew Barber", "2023-01-24",
                                    "digital-forensics-2022", "2022-12-01"),
    "wiltshire-fraud.txt": ("Wiltshire Police", "PCC", "Angus Macpherson", "2019-05-28", "fraud-time-to-choose-2019",
                            None),  # 'published in April 2019': no day
    "sussex-youth-violence.txt": ("Sussex Police", "PCC", "Katy Bourne", "2023-03-08", "serious-youth-violence-2023",
                                  "2023-03-08"),
    "hertfordshire-peel.txt": ("Hertfordshire Constabulary", "PCC", "Jonathan Ash-Edwards", "2024-12-10",
                               "peel-2023-25-hertfordshire", None),  # 'published in October of this year'
    "northumbria-crime-inspection.txt": ("Northumbria Police", "PCC", "Vera Baird", "2014-07-25",
                                         "crime-inspection-2014-northumbria", None),
    "dorset-peel.txt": ("Dorset Police", "PCC", "David Sidwick", "2022-08-18", None, None),  # not in the catalogue
}
# Values the extractor still gets wrong, as (file, field): kept visible rather than dropped.
KNOWN_MISSES = {("northumbria-crime-inspection.txt", "report_id"), ("dorset-peel.txt", "report_id")}


def test_reports_named_loosely(tmp_path):
    gold = tmp_path / "gold.jsonl"
    with gold.open("w", encoding="utf-8") as out:
        for name, (force, role, signatory, date, report_id, published) in EXPECTED.items():
            out.write(json.dumps({"file": name, "force": force, "sender_role": role, "signatory": signatory,
                                  "letter_date": date, "report_id": report_id, "report_published": published}) + "\n")
    scores = evaluate(gold, LETTERS)
    assert scores.documents == len(EXPECTED) and not scores.errors, scores.errors
    misses = {(m.file, m.field): m for m in scores.misses}
    # A report the catalogue lacks is not scored by evaluate (the label states no id): check it here.
    for name, (*_, report_id, _published) in EXPECTED.items():
        if report_id is None:
            got = extract(read_path(LETTERS / name)).report
            if got is not None and got.id is not None:
                misses[(name, "report_id")] = f"{name}: report_id: wanted None, got {got.id!r}"
    unexpected = [str(m) for key, m in misses.items() if key not in KNOWN_MISSES]
    assert not unexpected, unexpected
    assert not KNOWN_MISSES - misses.keys(), f"now right, drop from KNOWN_MISSES: {KNOWN_MISSES - misses.keys()}"

