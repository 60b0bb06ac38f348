"""The command line, used as a user would: ingest, check, show, export, reports, eval, extract."""
from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import CORPUS, GOLD, corpus_files
from typer.testing import CliRunner

from scrutiny.cli import app

runner = CliRunner()


@pytest.fixture
def db(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = runner.invoke(app, ["ingest", str(CORPUS), "--db", url])
    assert result.exit_code == 0, result.output
    assert "5 stored" in result.output
    return url


def test_check_lists_compliance_and_missing_forces(db):
    result = runner.invoke(app, ["check", "--db", db])
    assert result.exit_code == 0
    assert "131" in result.output and "NO" in result.output
    assert "no response stored from 39 forces" in result.output


def test_show_quotes_the_evidence(db):
    result = runner.invoke(app, ["show", "2", "--db", db])
    assert result.exit_code == 0
    assert "Philip Seccombe" in result.output and "27th March 2020" in result.output
    assert runner.invoke(app, ["show", "99", "--db", db]).exit_code == 1


def test_export_json_is_an_array_of_contract_records(db):
    result = runner.invoke(app, ["export", "--format", "json", "--db", db])
    records = json.loads(result.stdout)
    assert len(records) == 5 and {"text", "force", "compliance"} <= set(records[0])


def test_export_csv(db):
    rows = list(csv.DictReader(io.StringIO(runner.invoke(app, ["export", "--format", "csv", "--db", db]).stdout)))
    assert {r["force"] for r in rows} == {"West Mercia Police", "Warwickshire Police", "Dorset Police",
                                          "West Yorkshire Police"}
    assert {r["days_taken"] for r in rows} == {"131", "29", "18", "49", "78"}


def test_batch_goes_on_and_exit_code_follows_the_rules(tmp_path):
    url = f"sqlite:///{tmp_path / 'b.db'}"
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "data.bin.pdf").write_bytes(b"\x00" * 100)
    mixed = runner.invoke(app, ["ingest", str(tmp_path / "empty.txt"), str(tmp_path / "data.bin.pdf"),
                                str(corpus_files()[0]), "--db", url])
    assert mixed.exit_code == 0 and "1 stored" in mixed.output
    assert "empty.txt: empty file" in mixed.output
    strict = runner.invoke(app, ["ingest", str(tmp_path / "empty.txt"), "--strict", "--db", url])
    assert strict.exit_code == 1
    only_bad = runner.invoke(app, ["extract", str(tmp_path / "empty.txt")])
    assert only_bad.exit_code == 1


def test_extract_prints_one_json_object_per_file():
    result = runner.invoke(app, ["extract", *map(str, corpus_files()[:2]), "--json"])
    lines = result.stdout.strip().splitlines()
    assert result.exit_code == 0 and len(lines) == 2
    assert json.loads(lines[1])["signatory"]["name"] == "Philip Seccombe"


def test_reports_add_validates_and_lists(tmp_path, db):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: A report\npublished: 2024-13-01\nrecommendations: []\n")
    result = runner.invoke(app, ["reports", "add", str(bad), "--db", db])
    assert result.exit_code == 1 and "published" in result.output
    bad.write_text("id: x\ntitle: A report\npublished: 2024-01-01\nrecommendations:\n"
                   "  - number: 1\n    addressees: [chief constables]\n")
    result = runner.invoke(app, ["reports", "add", str(bad), "--db", db])
    assert result.exit_code == 1 and "recommendations[1].wording" in result.output
    good = tmp_path / "good.yaml"
    good.write_text("id: vetting-2099\ntitle: An inspection of vetting\npublished: 2099-02-01\nrecommendations:\n"
                    "  - number: 1\n    addressees: [chief constables]\n    wording: Vet everyone again.\n")
    assert runner.invoke(app, ["reports", "add", str(good), "--db", db]).exit_code == 0
    listing = runner.invoke(app, ["reports", "list", "--db", db])
    assert "vetting-2099" in listing.output and "2099-03-28" in listing.output


@pytest.mark.skipif(not GOLD.is_file(), reason="../shared/gold/seeds.jsonl is not beside the repository")
def test_eval_json():
    result = runner.invoke(app, ["eval", "--gold", str(GOLD), "--docs", str(CORPUS), "--json"])
    scores = json.loads(result.stdout)
    assert scores["fields"]["force"] == 1.0 and scores["initiatives"]["recall"] >= 0.8
