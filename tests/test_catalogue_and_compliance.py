"""The reference catalogue and the section 55 deadline arithmetic."""
from __future__ import annotations

import datetime as dt

import pytest

from scrutiny import catalogue
from scrutiny.compliance import assess, deadline


def test_43_forces_with_regions():
    forces = catalogue.forces()
    assert len(forces) == 43 and all(f.region for f in forces)
    assert catalogue.force_named("Dyfed-Powys Police").region == "Wales"


def test_bundled_reports():
    ncpi, syv = (next(r for r in catalogue.reports() if r.id == i) for i in ("ncpi-2019-thematic", "syv-2023"))
    assert ncpi.published == dt.date(2020, 2, 27) and len(ncpi.force_recommendations) == 3
    assert len(syv.recommendations) == 4 and len(syv.force_recommendations) == 2
    assert {r.due for r in syv.force_recommendations} == {dt.date(2024, 3, 31)}


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
    ("id: x\ntitle: t\npublished: 2020-01-01\nrecommendations: []", "recommendations"),
    ("id: x\ntitle: t\npublished: 2020-01-01\nrecommendations:\n  - number: one\n", "recommendations[1].number"),
    ("id: x\ntitle: t\npublished: 2020-01-01\ncolour: red\nrecommendations: []", "colour"),
    ("id: [x", "YAML"),
])
def test_bad_report_files_name_the_field(text, field):
    with pytest.raises(catalogue.CatalogueError, match=field.replace("[", r"\[").replace("]", r"\]")):
        catalogue.load_report_yaml(text)


def test_plain_postgresql_urls_use_psycopg_3():
    from scrutiny.store import engine_url

    assert engine_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert engine_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert engine_url("sqlite:///x.db") == "sqlite:///x.db"
