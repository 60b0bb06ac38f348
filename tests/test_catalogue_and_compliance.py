"""The reference catalogue and the section 55 deadline arithmetic."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import SHARED

from scrutiny import catalogue
from scrutiny.record.compliance import assess, deadline


@pytest.fixture
def shared():
    if not (SHARED / "reference").is_dir():
        pytest.skip("../shared/reference is not beside the repository")
    return SHARED


def test_43_forces_with_regions():
    forces = catalogue.forces()
    assert len(forces) == 43 and all(f.region for f in forces)
    assert catalogue.force_named("Dyfed-Powys Police").region == "Wales"


def test_bundled_reports():
    ncpi, syv = (next(r for r in catalogue.reports() if r.id == i)
                 for i in ("ncpi-2019-thematic", "serious-youth-violence-2023"))
    assert ncpi.published == dt.date(2020, 2, 27) and len(ncpi.force_recommendations) == 3
    assert len(syv.recommendations) == 4 and len(syv.force_recommendations) == 2
    assert {r.due for r in syv.force_recommendations} == {dt.date(2024, 3, 31)}
    assert ncpi.kind == "thematic" and ncpi.sources and ncpi.note


def test_the_reference_catalogue_ships_whole():
    reports = {r.id: r for r in catalogue.reports()}
    assert len(reports) >= 198
    assert all(r.sources for r in reports.values())
    undated = [r for r in reports.values() if r.published is None]
    assert undated and all(r.note for r in undated)  # the note says why the day is unknown
    targeting = reports["targeting-the-risk-2015"]  # numbered 1, 4, 8, 9 in the report: positions 1-4
    assert [r.number for r in targeting.force_recommendations] == [1, 4, 8, 9]
    assert targeting.recommendation_id(3) == "targeting-the-risk-2015#8"
    assert targeting.force_recommendations[0].due is None
    assert targeting.force_recommendations[0].due_note == "within three months"
    # A recommendation to one named force applies to that force's chief constable.
    assert len(reports["gmp-victim-service-2020"].force_recommendations) == 5
    assert reports["peel-2023-25-surrey"].forces == ("Surrey Police",)


def test_the_catalogue_matches_the_shared_reference(shared):
    """Every report of ../shared/reference/hmicfrs-reports.jsonl, with its facts and sources."""
    import json

    reports = {r.id: r for r in catalogue.reports()}
    audited = {row["id"]: row for row in map(json.loads, (shared / "reference" / "catalogue-audit.jsonl").open())}
    lines = (shared / "reference" / "hmicfrs-reports.jsonl").read_text(encoding="utf-8").splitlines()
    for row in map(json.loads, lines):
        report = reports[row["id"]]
        assert report.title == " ".join(row["title"].split())
        # (a day the catalogue audit found where this reference had none)
        assert (report.published.isoformat() if report.published else None) == (
            row["published"] or audited[row["id"]]["published"])
        assert report.kind == row["kind"] and list(report.sources) == row["sources"]
        assert set(report.title_variants) >= {" ".join(v.split()) for v in row["title_variants"]}
        assert report.recommendations_to_chief_constables == row["recommendations_to_chief_constables"]


def test_the_catalogue_carries_the_audits_scope_and_wording(shared):
    """Every report's section 55 scope, its sources and confidence, and every recommendation whose
    wording the catalogue audit (../shared/reference/catalogue-audit.jsonl) saw, verbatim."""
    import json

    reports = {r.id: r for r in catalogue.reports()}
    rows = [json.loads(line) for line in (shared / "reference" / "catalogue-audit.jsonl").open(encoding="utf-8")]
    assert len(rows) == len(reports) == 198
    for row in rows:
        report = reports[row["id"]]
        scope = catalogue.scope_of(report)
        assert (scope.applies, scope.duplicate_of, scope.confidence) == (
            row["s55_scope"], row["duplicate_of"], row["confidence"]), row["id"]
        assert list(scope.sources) == row["sources"] and scope.note == " ".join(row["notes"].split())
        assert sorted(report.forces) == (sorted(row["forces"]) if row["s55_scope"] == "named-forces" else [])
        assert report.published == (dt.date.fromisoformat(row["published"]) if row["published"] else None)
        worded = {r.wording for r in report.recommendations}
        assert {" ".join(r["wording"].split()) for r in row["recommendations"]} <= worded, row["id"]
    assert sum(1 for r in reports.values() if any(rec.wording for rec in r.recommendations)) == 33


def test_a_scope_must_say_whose_body_answers():
    base = {"id": "x", "title": "X", "published": "2020-01-01"}
    assert catalogue.scope_of(catalogue.parse_report(base)).applies == "all-forces"
    assert catalogue.scope_of(catalogue.parse_report({**base, "forces": ["Kent"]})).applies == "named-forces"
    for scope, forces, problem in [({"applies": "some"}, [], "scope.applies: one of"),
                                   ({"applies": "named-forces"}, [], "named-forces exactly when"),
                                   ({"applies": "all-forces"}, ["Kent"], "named-forces exactly when"),
                                   ({"applies": "all-forces", "duplicate_of": "y"}, [], "none for a duplicate"),
                                   ({"applies": "none", "confidence": "sure"}, [], "scope.confidence")]:
        with pytest.raises(catalogue.CatalogueError, match=problem):
            catalogue.parse_report({**base, "forces": forces, "scope": scope})


def test_office_holders_from_both_files():
    holders = catalogue.office_holders()
    roles = {h.role for h in holders}
    assert {"PCC", "PFCC", "Mayor", "Chief Constable", "Acting Chief Constable"} <= roles
    force_names = {f.name for f in catalogue.forces()}
    assert all(h.force in force_names and h.source.startswith("http") for h in holders)
    surrey = [h for h in holders if h.force == "Surrey Police" and h.role == "PCC"]
    assert any(h.held_on(dt.date(2014, 6, 1)) for h in surrey)


def test_a_year_only_term_covers_its_whole_year():
    holder = catalogue.OfficeHolder("Kent Police", "PCC", "A. Person", "2016", "2021-05-12", "https://example.org")
    assert holder.held_on(dt.date(2016, 1, 1)) and holder.held_on(dt.date(2021, 5, 12))
    assert not holder.held_on(dt.date(2015, 12, 31)) and not holder.held_on(dt.date(2021, 5, 13))


@pytest.mark.parametrize("published,last", [("2020-02-27", "2020-04-22"), ("2023-03-08", "2023-05-02"),
                                            ("2024-01-01", "2024-02-25")])
def test_deadline_is_day_56_counting_publication_day_as_day_1(published, last):
    assert deadline(dt.date.fromisoformat(published)).isoformat() == last


def test_assess_on_the_last_day_and_the_day_after():
    published = dt.date(2020, 2, 27)
    assert assess(published, dt.date(2020, 4, 22), [1, 2], 2).on_time is True
    late = assess(published, dt.date(2020, 4, 23), [1], 3)
    assert late.on_time is False and late.days_taken == 56 and late.missing == [2, 3] and late.complete is False


@pytest.mark.parametrize("text,field", [
    ("- a list", "mapping"),
    ("title: x\npublished: 2020-01-01\nrecommendations: []", "id"),
    ("id: x\npublished: 2020-01-01\nrecommendations: []", "title"),
    ("id: x\ntitle: t\nrecommendations: []", "published"),
    ("id: x\ntitle: t\npublished: 2020-01-01\nrecommendations: {}", "recommendations"),
    ("id: x\ntitle: t\npublished: 2020-01-01\nkind: weekly", "kind"),
    ("id: x\ntitle: t\npublished: 2020-01-01\nrecommendations:\n  - addressees: [chief constables]\n", "wording"),
    ("id: x\ntitle: t\npublished: 2020-01-01\nrecommendations:\n  - number: one\n", "recommendations[1].number"),
    ("id: x\ntitle: t\npublished: 2020-01-01\ncolour: red\nrecommendations: []", "colour"),
    ("id: [x", "YAML"),
])
def test_bad_report_files_name_the_field(text, field):
    with pytest.raises(catalogue.CatalogueError, match=field.replace("[", r"\[").replace("]", r"\]")):
        catalogue.load_report_yaml(text)


def test_the_bundled_reports_are_parsed_once_into_the_cache_and_never_read_stale(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    texts = ["id: a\ntitle: A\npublished: 2020-01-02\n", "id: b\ntitle: B\npublished: null\nforces: [Kent]\n"]
    parsed = [{"id": "a", "title": "A", "published": "2020-01-02"},
              {"id": "b", "title": "B", "published": None, "forces": ["Kent"]}]
    assert catalogue._bundled_data(texts) == parsed
    [cache] = (tmp_path / "scrutiny").iterdir()
    assert json.loads(cache.read_text(encoding="utf-8")) == parsed
    cache.write_text(json.dumps([{"id": "from the cache"}, {}]), encoding="utf-8")  # (so a read of it shows)
    assert catalogue._bundled_data(texts)[0] == {"id": "from the cache"}
    edited = [texts[0].replace("title: A", "title: A2"), texts[1]]  # another release, or an edited file
    assert catalogue._bundled_data(edited)[0]["title"] == "A2"
    [renewed] = (tmp_path / "scrutiny").iterdir()  # the old cache is gone
    assert renewed != cache
    renewed.write_text("[{", encoding="utf-8")  # damaged: parsed afresh
    assert catalogue._bundled_data(edited)[0]["title"] == "A2"
    monkeypatch.setenv("XDG_CACHE_HOME", str(renewed))  # (a file): a cache folder that cannot be made
    assert catalogue._bundled_data(texts) == parsed
    assert catalogue.bundled_reports()[0].id  # the packaged catalogue loads through it


def test_plain_postgresql_urls_use_psycopg_3():
    from scrutiny.store import engine_url

    assert engine_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert engine_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert engine_url("sqlite:///x.db") == "sqlite:///x.db"
