"""Hostile input: every file gets a one-line outcome, every batch ends with its summary, and
no file gets past the budgets on time and memory.

Two corpora: `../shared/fuzz` (1,206 real malformed files from other projects' test suites
and the cases that once broke Scrutiny; skipped without it) and a few hundred files
generated here (fuzz_cases.py). Both go through the real command line, in a subprocess, as
one batch each.
"""
from __future__ import annotations

import json
import logging
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SHARED, corpus_files
from fuzz_cases import Case, cases, html_page, letter

from scrutiny.errors import InputError, InvalidValue
from scrutiny.isolate import Job, Pool
from scrutiny.limits import Limits
from scrutiny.oversight.ingest import ingest_bytes, ingest_paths
from scrutiny.read import expand, read_bytes
from scrutiny.settings import Settings

FUZZ = SHARED / "fuzz"
SECONDS = 20  # the time budget per file in these tests; the slowest case takes ~3 s
ENV_SECONDS = {"SCRUTINY_LIMIT_SECONDS": str(SECONDS)}


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, list[Case]]:
    folder = tmp_path_factory.mktemp("fuzz")
    made = cases()
    for case in made:
        (folder / case.name).write_bytes(case.data)
    return folder, made


def scrutiny(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """The command line, as a user runs it (in its own process)."""
    return subprocess.run([sys.executable, "-c", "from scrutiny.cli import app; app()", *args], check=False,
                          capture_output=True, text=True, timeout=timeout, env={**os.environ, **ENV_SECONDS})


def outcome_lines(output: str, files: list[Path]) -> dict[str, str]:
    """Each file's one line of outcome, checking there is exactly one per file."""
    names = {str(f) for f in files}
    found: dict[str, str] = {}
    for line in output.splitlines():
        name = line.split(": ", 1)[0]
        if name in names:
            assert name not in found, f"two outcomes for {name}"
            found[name] = line
    assert set(found) == names, f"no outcome for {sorted(names - set(found))[:5]}"
    return found


def check_batch(ingest: subprocess.CompletedProcess, extract: subprocess.CompletedProcess | None,
                files: list[Path], over_memory: frozenset[str] = frozenset()) -> dict[str, str]:
    """What every batch must show: one outcome per file, its summary, no traceback, no file
    over its time budget, none over the memory cap but `over_memory`, and the exit code the
    README gives."""
    output = ingest.stdout + ingest.stderr
    assert "Traceback" not in output and "took too long" not in output
    lines = outcome_lines(output, files)
    assert {name for name, line in lines.items() if "memory" in line} == over_memory
    summary = ingest.stdout.strip().splitlines()[-1]
    counts = {status: int(n) for n, status in re.findall(r"(\d+) (stored|new version|unchanged|failed)", summary)}
    assert sum(counts.values()) == len(files), summary
    assert ingest.returncode == (0 if len(files) > counts.get("failed", 0) else 1)
    if extract is not None:
        assert "Traceback" not in extract.stderr and "took too long" not in extract.stderr
        ok, failed = map(int, re.fullmatch(r"(\d+) extracted, (\d+) failed", extract.stderr.strip().splitlines()[-1]).groups())
        assert ok + failed == len(files) and len(extract.stdout.splitlines()) == ok
        assert len([line for line in extract.stderr.splitlines() if ": " in line]) == failed
        assert extract.returncode == (0 if ok else 1)
    return lines


@pytest.mark.skipif(not FUZZ.is_dir(), reason="needs ../shared/fuzz")
def test_the_shared_fuzz_corpus_goes_through_ingest_and_extract_as_one_batch_each(tmp_path):
    files = expand([FUZZ])
    assert len(files) > 1200
    start = time.monotonic()
    ingest = scrutiny("ingest", str(FUZZ), "--db", f"sqlite:///{tmp_path / 'fuzz.db'}")
    extract = scrutiny("extract", str(FUZZ), "--json")
    assert time.monotonic() - start < 300
    lines = check_batch(ingest, extract, files)
    # the files that once aborted a whole batch, each now a line of its own
    for crasher in ("pdfjs/test_pdfs_Pages-tree-refs.pdf", "pdfjs/test_pdfs_poppler-937-0-fuzzed.pdf",
                    "qpdf/qpdf_qtest_qpdf_bad34.pdf", "qpdf/qpdf_qtest_qpdf_deep-pages.pdf"):
        assert str(FUZZ / "peer" / crasher) in lines
    assert "nested too deeply" in lines[str(FUZZ / "cases" / "deep.html")]
    assert "not a valid DOCX" in lines[str(FUZZ / "cases" / "cut.docx")]


DAMAGED_DOCX = sorted((FUZZ / "cases").glob("docx-damaged-*.docx"))
MISSHAPEN_DOCX = ("override-without-partname.docx", "types-in-another-namespace.docx",
                  "relationship-without-target.docx")


@pytest.mark.parametrize("path", DAMAGED_DOCX or [pytest.param(None, marks=pytest.mark.skip("needs ../shared/fuzz"))],
                         ids=lambda p: p.name if p else "none")
def test_a_docx_python_docx_stumbles_on_is_one_plain_line(path):
    """Bit-flipped XML re-zipped, which python-docx follows into None: 'cannot read', not 'internal error'."""
    with Pool(limits=Limits(seconds=SECONDS)) as pool:
        [(_, result)] = pool.map([Job(str(path))])
    assert isinstance(result, InputError) and "internal error" not in result.problem
    assert str(result) == f"{path}: not a valid DOCX (a part of its package is damaged)"


@pytest.mark.parametrize("name", MISSHAPEN_DOCX)
def test_a_generated_docx_python_docx_stumbles_on_is_one_plain_line(generated, name):
    folder, _ = generated
    with pytest.raises(InputError) as refused:
        read_bytes((folder / name).read_bytes(), name)
    assert str(refused.value) == f"{name}: not a valid DOCX (a part of its package is damaged)"


def test_generated_cases_go_through_ingest_as_one_batch(generated, tmp_path):
    folder, made = generated
    ingest = scrutiny("ingest", str(folder), "--db", f"sqlite:///{tmp_path / 'gen.db'}")
    lines = check_batch(ingest, None, expand([folder]),
                        over_memory=frozenset(str(folder / case.name) for case in made if case.expect == "memory"))
    assert "stored" in lines[str(folder / "valid.pdf")] and "stored" in lines[str(folder / "valid.docx")]
    for case in made:
        if case.expect:
            assert case.expect in lines[str(folder / case.name)]


def test_every_generated_case_keeps_within_its_budgets(generated):
    """Each case, read and extracted in the worker: the outcome it should have, within the
    time budget; the worker's memory is capped by its limit, and this process barely grows."""
    folder, made = generated
    limits = Limits(seconds=SECONDS)
    grown_from = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    worst = 0.0
    with Pool(limits=limits) as pool:
        last = time.monotonic()
        for case, (job, result) in zip(made, pool.map(Job(str(folder / case.name)) for case in made)):
            worst = max(worst, time.monotonic() - last)
            last = time.monotonic()
            assert job.name.endswith(case.name)
            if isinstance(result, InputError):
                assert "\n" not in str(result) and str(result).startswith(job.name + ": ")
                assert "took too long" not in result.problem and "internal error" not in result.problem, result
                if "memory" in result.problem:
                    assert case.expect == "memory", result
            if case.expect:
                assert isinstance(result, InputError) and case.expect in result.problem, (case.name, result)
            elif case.name.split(".")[0] == "valid":
                assert isinstance(result, dict), result
    assert worst < SECONDS
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - grown_from < 200 * 1024  # KB: under 200 MB


def test_a_file_over_the_time_limit_is_killed_and_the_batch_goes_on(tmp_path):
    hang = tmp_path / "divs.html"
    hang.write_text("<html><body>" + "<div>" * 1_000_000)  # the HTML parser's minutes, without the depth budget
    good = corpus_files()[1]
    limits = Limits(seconds=1.0, html_depth=10**7)
    start = time.monotonic()
    with Pool(limits=limits) as pool:
        [(_, stopped), (_, record)] = pool.map([Job(str(hang)), Job(str(good))])
    assert isinstance(stopped, InputError)
    assert stopped.problem == "took too long; the limit is 1.0 s (SCRUTINY_LIMIT_SECONDS)"
    assert isinstance(record, dict) and record["force"]["name"] == "Warwickshire Police"
    assert time.monotonic() - start < 30


def test_a_worker_over_its_memory_limit_is_one_files_error(generated):
    folder, _ = generated
    bomb = folder / "bomb-1gb-stream.pdf"  # past the inflation budget, pdfium would inflate a gigabyte
    limits = Limits(inflated_mb=10**6, memory_mb=400)
    with Pool(limits=limits) as pool:
        [(_, failed), (_, record)] = pool.map([Job(str(bomb)), Job(str(folder / "valid.docx"))])
    assert isinstance(failed, InputError) and "memory" in failed.problem
    assert "the limit is 400 MB (SCRUTINY_LIMIT_MEMORY_MB)" in failed.problem
    assert isinstance(record, dict)


def test_extract_keeps_the_budgets_in_the_workers_it_forks(generated, tmp_path):
    """`scrutiny extract` forks its workers from itself: the time and memory caps hold as
    in a fresh interpreter, each file over one is a line, and the batch goes on. (One run per
    cap: with both tight, a slow machine could reach the time cap while filling the memory.)"""
    folder, _ = generated
    hang = tmp_path / "divs.html"
    hang.write_text("<html><body>" + "<div>" * 1_000_000)
    bomb, good = folder / "bomb-1gb-stream.pdf", corpus_files()[1]
    unbounded = {"SCRUTINY_LIMIT_HTML_DEPTH": str(10**7), "SCRUTINY_LIMIT_INFLATED_MB": str(10**6)}
    for bad, limits, said in (
            (hang, {"SCRUTINY_LIMIT_SECONDS": "1"}, "took too long; the limit is 1.0 s (SCRUTINY_LIMIT_SECONDS)"),
            (bomb, {"SCRUTINY_LIMIT_SECONDS": "60", "SCRUTINY_LIMIT_MEMORY_MB": "400"},
             "the limit is 400 MB (SCRUTINY_LIMIT_MEMORY_MB)")):
        result = subprocess.run([sys.executable, "-c", "from scrutiny.cli import app; app()", "extract", "--json",
                                 str(bad), str(good)], check=False, capture_output=True, text=True, timeout=120,
                                env={**os.environ, **unbounded, **limits})
        line = outcome_lines(result.stderr, [bad])[str(bad)]
        assert said in line, line
        assert json.loads(result.stdout)["force"]["name"] == "Warwickshire Police"
        assert result.stderr.splitlines()[-1] == "1 extracted, 1 failed" and result.returncode == 0


def test_an_unexpected_error_is_one_line_to_users_and_a_traceback_in_the_log(caplog):
    with Pool() as pool:  # reports that are not reports: extraction fails as a bug would
        [(_, failed), (_, record)] = pool.map([Job(str(corpus_files()[0])), Job(str(corpus_files()[1]))],
                                              reports=("not a report",))
    assert isinstance(failed, InputError) and failed.problem.startswith("internal error (AttributeError: ")
    assert "\n" not in str(failed)
    assert "Traceback (most recent call last)" in caplog.text and "AttributeError" in caplog.text
    assert isinstance(record, InputError)  # the next file is tried too
    assert caplog.records[0].levelno == logging.ERROR and caplog.records[0].name == "scrutiny"


def test_a_batch_stopped_early_leaves_the_pool_ready_for_the_next(tmp_path):
    files = corpus_files()
    with Pool() as pool:
        for _ in pool.map(Job(str(f)) for f in files):
            break  # the worker still holds files sent ahead: they must not answer the next batch
        answers = list(pool.map(Job(str(f)) for f in reversed(files)))
    assert [job.name for job, _ in answers] == [str(f) for f in reversed(files)]
    assert [r["source"]["path"] for _, r in answers] == [str(f) for f in reversed(files)]


def test_an_upload_of_hostile_bytes_fails_alone(store):
    text = letter()
    brackets = ingest_bytes(store, b"[" * 200_000, "brackets.md", "upload:brackets.md")
    deep = ingest_bytes(store, ("<html><body>" + "<div>" * 1_000_000).encode(), "deep.html", "upload:deep.html")
    page = ingest_bytes(store, html_page(text, '<meta name="date" content="2023-02-30">').encode(), "page.html",
                        "upload:page.html")
    assert brackets.status == "failed" and "no response letter found" in brackets.message
    assert deep.status == "failed" and "nested too deeply" in deep.message
    assert page.status == "stored"


def test_ingest_of_a_good_and_a_bad_file_exits_zero(tmp_path):
    deep = tmp_path / "deep.html"
    deep.write_text("<html><body>" + "<div>" * 1000 + "Dear Home Secretary")
    result = scrutiny("ingest", str(corpus_files()[0]), str(deep), "--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert result.returncode == 0, result.stderr
    assert "1 stored, 1 failed" in result.stdout and "deep.html: elements nested too deeply" in result.stderr
    strict = scrutiny("ingest", str(deep), "--strict", "--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert strict.returncode == 1


def test_limits_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("SCRUTINY_LIMIT_PAGES", "10")
    monkeypatch.setenv("SCRUTINY_LIMIT_SECONDS", "2.5")
    monkeypatch.setenv("SCRUTINY_LIMIT_FILE_MB", "")  # empty: the default
    limits = Settings.from_env().limits
    assert (limits.pages, limits.seconds, limits.file_mb, limits.memory_mb) == (10, 2.5, 32, Limits().memory_mb)
    for bad in ("ten", "0", "-3"):
        monkeypatch.setenv("SCRUTINY_LIMIT_PAGES", bad)
        with pytest.raises(InvalidValue) as raised:
            Settings.from_env()
        assert str(raised.value) == f"SCRUTINY_LIMIT_PAGES: must be a number above 0, not {bad!r}"
    monkeypatch.setenv("SCRUTINY_LIMIT_PAGES", "10")
    monkeypatch.setenv("SCRUTINY_LIMIT_MEMORY_MB", "64")  # too little for the worker to start
    with pytest.raises(InvalidValue, match=r"^SCRUTINY_LIMIT_MEMORY_MB: must be a number above 256, not '64'$"):
        Settings.from_env()


def test_a_mistyped_limit_stops_a_command_not_an_import():
    """Importing never reads the settings (a library user, a worker); the command that needs
    them says what is wrong, in one line, and exits 1."""
    env = {**os.environ, "SCRUTINY_LIMIT_PAGES": "ten"}
    imported = subprocess.run([sys.executable, "-c", "import scrutiny.limits, scrutiny.settings, scrutiny.isolate, "
                               "scrutiny.read, scrutiny.cli"], check=False, capture_output=True, text=True, env=env)
    assert imported.returncode == 0 and imported.stderr == ""
    result = subprocess.run([sys.executable, "-c", "from scrutiny.cli import app; app()", "extract",
                             str(corpus_files()[0])], check=False, capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == "error: SCRUTINY_LIMIT_PAGES: must be a number above 0, not 'ten'\n"


def test_a_pool_of_two_answers_in_order_and_replaces_only_the_stuck_worker(tmp_path):
    hang = tmp_path / "divs.html"
    hang.write_text("<html><body>" + "<div>" * 1_000_000)
    files = [hang, *corpus_files()[:3]]
    with Pool(workers=2, limits=Limits(seconds=1.0, html_depth=10**7)) as pool:
        answers = list(pool.map(Job(str(f)) for f in files))
    assert [job.name for job, _ in answers] == [str(f) for f in files]
    assert isinstance(answers[0][1], InputError) and "took too long" in answers[0][1].problem
    assert [r["source"]["path"] for _, r in answers[1:]] == [str(f) for f in files[1:]]


def test_the_same_bytes_twice_in_one_ingest_are_stored_once(store, tmp_path):
    # the worker reads ahead of what is stored, so the second copy is checked again before saving
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_bytes(corpus_files()[0].read_bytes())
    second.write_bytes(corpus_files()[0].read_bytes())
    outcomes = list(ingest_paths(store, [first, second]))
    assert [o.status for o in outcomes] == ["stored", "unchanged"]
    assert len(store.documents()) == 1
