"""The command line, used as a user would: ingest, check, show, export, reports, eval, extract."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import CORPUS, GOLD, ROOT, corpus_files

from scrutiny.cli import app
from scrutiny.errors import ScrutinyError

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


def _csv(text: str) -> list[dict]:
    """CSV as Scrutiny writes it: a byte-order mark first (Excel needs it to read UTF-8), then the rows."""
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_export_csv(db):
    rows = _csv(runner.invoke(app, ["export", "--format", "csv", "--db", db]).stdout)
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


@pytest.mark.parametrize("args", [
    ["check", "--db", "foo://nowhere"],  # an unknown URL scheme
    ["check", "--db", "mysql://someone@localhost/db"],  # a dialect without its driver
    ["check", "--db", "postgresql://nobody@127.0.0.1:1/scrutiny"],  # no server there
    ["eval", "--gold", "missing.jsonl", "--docs", "."],
    ["ingest", "--samples", "--db", "sqlite:////no/such/folder/x.db"],
])
def test_errors_are_one_line_and_exit_1(args):
    """As a user runs it, in its own process: one line on stderr, no traceback, exit code 1."""
    result = subprocess.run([sys.executable, "-m", "scrutiny", *args], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(("variable", "value", "said"), [
    ("SCRUTINY_LIMIT_PAGES", "x", "SCRUTINY_LIMIT_PAGES: must be a number above 0, not 'x'"),
    ("SCRUTINY_LIMIT_MEMORY_MB", "64", "SCRUTINY_LIMIT_MEMORY_MB: must be a number above 256, not '64'"),
    ("SCRUTINY_SESSION_HOURS", "eight", "SCRUTINY_SESSION_HOURS: must be a number above 0, not 'eight'"),
])
def test_a_mistyped_setting_stops_ingest_before_anything_is_stored(tmp_path, variable, value, said):
    result = subprocess.run([sys.executable, "-m", "scrutiny", "ingest", str(CORPUS), "--db", f"sqlite:///{tmp_path / 'x.db'}"],
                            capture_output=True, text=True, timeout=120, env={**os.environ, variable: value})
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == f"error: {said}\n"
    assert not (tmp_path / "x.db").exists()


def test_domain_errors_name_the_problem(db, tmp_path):
    bad_gold = tmp_path / "gold.jsonl"
    bad_gold.write_text('{"file": "a.txt"}\n{"file": \n')
    for args, said in [
        (["show", "99", "--db", db], "99: no such document"),
        (["check", "--report", "no-such-report", "--db", db], "no report with id 'no-such-report'"),
        (["check", "--force", "Atlantis Police", "--db", db], "--force: 'Atlantis Police' is not one of the 43 forces"),
        (["export", "-o", str(tmp_path / "no" / "such" / "x.json"), "--db", db], "No such file or directory"),
        (["eval", "--gold", str(bad_gold), "--docs", str(CORPUS)], f"{bad_gold}:2: not JSON"),
        (["eval", "--gold", str(GOLD), "--docs", str(tmp_path / "nowhere")], "no such folder"),
    ]:
        result = runner.invoke(app, args)
        assert result.exit_code == 1, (args, result.output)
        assert result.output.startswith("error: ") and said in result.output, (args, result.output)
        assert len(result.output.strip().splitlines()) == 1, result.output


@pytest.mark.parametrize("command", [["check"], ["show", "1"], ["export"], ["reports", "list"]])
def test_read_commands_do_not_create_a_database(command, tmp_path):
    typo = tmp_path / "typo.db"
    result = runner.invoke(app, [*command, "--db", f"sqlite:///{typo}"])
    assert result.exit_code == 1 and "no such database file" in result.output, result.output
    assert not typo.exists()


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and re.fullmatch(r"scrutiny \d+\.\d+\.\d+\S*\n", result.output)


def test_check_writes_table_csv_and_json_with_filters(db, tmp_path):
    every = _csv(runner.invoke(app, ["check", "--db", db, "--format", "csv"]).stdout)
    rows = [r for r in every if r["responded"]]
    assert len(rows) == 5 and {r["status"] for r in rows} == {"on time", "late"}
    assert {r["days_taken"] for r in rows} == {"131", "29", "18", "49", "78"}
    assert {r["day"] for r in rows} == {"132", "30", "19", "50", "79"}  # the legal count: publication day is day 1
    # Every force in every report's scope, responders or not; nothing was checked, so nothing is overdue.
    assert len(every) > 4000 and {"not collected", "no deadline"} <= {r["status"] for r in every}
    assert "overdue" not in {r["status"] for r in every}
    late = json.loads(runner.invoke(app, ["check", "--db", db, "-f", "json", "--late"]).stdout)
    assert {(r["force"], r["days_taken"]) for r in late} == {(r["force"], int(r["days_taken"])) for r in rows
                                                             if r["status"] == "late"}
    assert all(r["on_time"] is False for r in late) and late
    one = json.loads(runner.invoke(app, ["check", "--db", db, "-f", "json", "--force", "west mercia police",
                                         "--report", "ncpi-2019-thematic"]).stdout)
    assert [(r["force"], r["days_taken"], r["deadline"]) for r in one] == [("West Mercia Police", 131, "2020-04-22")]
    written = tmp_path / "check.csv"
    assert runner.invoke(app, ["check", "--db", db, "-f", "csv", "-o", str(written)]).exit_code == 0
    assert list(csv.DictReader(written.open(encoding="utf-8-sig"))) == every
    sheet = tmp_path / "check.xlsx"
    assert runner.invoke(app, ["check", "--db", db, "-f", "xlsx", "--report", "ncpi-2019-thematic",
                               "-o", str(sheet)]).exit_code == 0
    from openpyxl import load_workbook

    cells = list(load_workbook(sheet).active.iter_rows(values_only=True))
    assert cells[0][:3] == ("report_id", "force", "status") and len(cells) == 1 + 43
    assert ("Dorset Police", "on time", 19) in {(c[1], c[2], c[4]) for c in cells}
    table = runner.invoke(app, ["check", "--db", db, "--late"]).stdout
    assert "131" in table and " 18 " not in table  # the on-time responses are left out


def test_reports_list_takes_the_same_output_options(db):
    rows = _csv(runner.invoke(app, ["reports", "list", "--db", db, "-f", "csv"]).stdout)
    assert len(rows) >= 198 and "serious-youth-violence-2023" in {r["id"] for r in rows}
    late = json.loads(runner.invoke(app, ["reports", "list", "--db", db, "-f", "json", "--late",
                                          "--today", "2020-06-01"]).stdout)
    assert "ncpi-2019-thematic" in {r["id"] for r in late}
    assert all(r["late"] or r["overdue"] for r in late) and len(late) < len(rows)
    [ncpi] = json.loads(runner.invoke(app, ["reports", "list", "--db", db, "-f", "json", "--report", "ncpi-2019-thematic",
                                            "--today", "2020-06-01"]).stdout)
    assert (ncpi["responded"], ncpi["on_time"], ncpi["late"], ncpi["expected"]) == (4, 2, 2, 43)
    dorset = json.loads(runner.invoke(app, ["reports", "list", "--db", db, "-f", "json", "--force", "Dorset"]).stdout)
    assert "ncpi-2019-thematic" in {r["id"] for r in dorset} and len(dorset) < len(rows)


def test_export_takes_the_table_format_too(db):
    result = runner.invoke(app, ["export", "--db", db, "--format", "table"])
    assert result.exit_code == 0 and "West Yorkshire Police" in result.stdout and "ncpi-2019-thematic" in result.stdout


def test_ingest_names_the_files_it_skips(tmp_path):
    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / "letter.txt").write_bytes(corpus_files()[0].read_bytes())
    (folder / "minutes.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (folder / "reply.rtf").write_text("{\\rtf1 Dear Sir}")
    result = runner.invoke(app, ["ingest", str(folder), "--db", f"sqlite:///{tmp_path / 'x.db'}"])
    assert result.exit_code == 0, result.output
    summary = result.stdout.strip().splitlines()[-1]
    assert summary == f"1 stored; 2 skipped, of no supported format: {folder / 'minutes.doc'}, {folder / 'reply.rtf'}"


def test_ingest_with_two_workers_stores_each_file_once_in_order(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    files = corpus_files()
    result = runner.invoke(app, ["ingest", *map(str, files), str(files[0]), "--workers", "2", "--db", url])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if ": " in line]
    assert [line.split(": ")[0] for line in lines] == [*map(str, files), str(files[0])]
    assert result.stdout.strip().splitlines()[-1] == f"{len(files)} stored, 1 unchanged"


def test_a_path_is_a_sqlite_store(tmp_path, monkeypatch):
    """`--db scrutiny.db`, as sqlite-utils and datasette take a file: the same store as its URL."""
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["ingest", "--samples", "--db", "mine.db"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "mine.db").is_file()
    by_path = runner.invoke(app, ["check", "--format", "json", "--db", "mine.db"])
    by_url = runner.invoke(app, ["check", "--format", "json", "--db", f"sqlite:///{tmp_path / 'mine.db'}"])
    assert by_path.exit_code == 0 and by_path.output == by_url.output and len(json.loads(by_path.output)) > 0
    missing = runner.invoke(app, ["check", "--db", "other.db"])
    assert missing.exit_code == 1 and "no such database file" in missing.output
    mistyped = runner.invoke(app, ["ingest", "--samples", "--db", "postgres:mine"])  # a URL, not a path
    assert mistyped.exit_code == 1 and "not a database URL" in mistyped.output and not (tmp_path / "postgres:mine").exists()


def test_an_output_file_is_replaced_only_once_complete(tmp_path):
    """An export that fails part way leaves the previous file as it was, and no partial file."""
    from scrutiny.cli.output import write

    output = tmp_path / "export.json"
    output.write_text("the previous export\n")

    def failing():
        yield "[{\"half\": "
        raise OSError(5, "Input/output error")

    with pytest.raises(ScrutinyError, match=r"export\.json: Input/output error"):
        write(failing(), output, "JSON")
    assert output.read_text() == "the previous export\n" and sorted(tmp_path.iterdir()) == [output]
    write(iter(["[]\n"]), output, "JSON")
    assert output.read_text() == "[]\n" and sorted(tmp_path.iterdir()) == [output]


def test_the_hints_name_the_command_as_it_can_be_run(tmp_path):
    """After `make run` the venv is not activated: a hint saying `scrutiny users add` would meet
    'command not found', so it names `.venv/bin/scrutiny`, as the user can type it."""
    program = ROOT / ".venv" / "bin" / "scrutiny"
    if not program.exists():
        pytest.skip("no .venv here (make test makes one)")
    result = subprocess.run([".venv/bin/scrutiny", "users", "init", "--db", str(tmp_path / "s.db")], cwd=ROOT,
                            capture_output=True, text=True, check=True, env={**os.environ, "PATH": "/usr/bin:/bin"})
    assert "Add people with `.venv/bin/scrutiny users add NAME" in result.stdout
