"""The `scrutiny` command: thin shells over the library (read, extract, ingest, store, summary)."""
from __future__ import annotations

import json
import logging
import sys
from importlib import resources
from pathlib import Path
from typing import Collection, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from . import catalogue, summary
from .compliance import deadline
from .errors import InputError
from .evaluate import evaluate
from .exports import records_csv, records_json
from .ingest import expand, ingest_paths
from .isolate import Job, shared_pool
from .store import Store, StoredLetter, default_url

app = typer.Typer(help="Read, check and compare section 55 responses to HMICFRS inspection reports.",
                  no_args_is_help=True, add_completion=False)
reports_app = typer.Typer(help="The inspection-report catalogue.", no_args_is_help=True)
app.add_typer(reports_app, name="reports")
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DbOption = typer.Option(None, "--db", help="Database URL (default: $SCRUTINY_DB, else sqlite:///scrutiny.db).")


def _store(db: str | None) -> Store:
    return Store(db or default_url())


def _exit_code(ok: int, failed: int, strict: bool) -> int:
    """Non-zero only where nothing in the batch succeeded, or anything failed under --strict."""
    return 1 if failed and (strict or not ok) else 0


VerboseOption = typer.Option(False, "--verbose", help="Also print the traceback of any internal error (for developers).")


def _show_tracebacks(verbose: bool) -> None:
    if verbose:
        logging.basicConfig(stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")


def samples_dir() -> Path:
    return Path(str(resources.files("scrutiny").joinpath("samples")))


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(None, help="Files or folders of letters."),
    db: Optional[str] = DbOption,
    samples: bool = typer.Option(False, "--samples", help="Also ingest the bundled sample letters."),
    strict: bool = typer.Option(False, "--strict", help="Exit non-zero if any file fails."),
    verbose: bool = VerboseOption,
) -> None:
    """Read, extract and store letters; idempotent (the same file twice is stored once)."""
    targets = list(paths or []) + ([samples_dir()] if samples else [])
    if not targets:
        raise typer.BadParameter("name at least one file or folder, or --samples")
    _show_tracebacks(verbose)
    store = _store(db)
    files = expand(targets)
    counts: dict[str, int] = {}
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err,
                  transient=True) as progress:
        task = progress.add_task("ingesting", total=len(files))
        for outcome in ingest_paths(store, files):
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
            line = outcome.message if outcome.status == "failed" else f"{outcome.path}: {outcome.status} ({outcome.message})"
            (err if outcome.status == "failed" else out).print(line, markup=False, highlight=False)
            progress.advance(task)
    failed = counts.get("failed", 0)
    out.print(", ".join(f"{n} {status}" for status, n in counts.items()) or "no files", highlight=False)
    raise typer.Exit(_exit_code(len(files) - failed, failed, strict))


@app.command("extract")
def extract_command(
    files: list[Path] = typer.Argument(..., help="Letters to read."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line (the contract)."),
    strict: bool = typer.Option(False, "--strict", help="Exit non-zero if any file fails."),
    verbose: bool = VerboseOption,
) -> None:
    """Extract records from files and print them; reads files only, never a database.

    A summary line goes to stderr, so that stdout holds only the records."""
    _show_tracebacks(verbose)
    ok = failed = 0
    for job, result in shared_pool().map(Job(str(path)) for path in expand(files)):
        if isinstance(result, InputError):
            err.print(str(result), markup=False, highlight=False)
            failed += 1
            continue
        ok += 1
        if as_json:
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        else:
            _print_record(result, title=job.name)
    err.print(f"{ok} extracted, {failed} failed", highlight=False)
    raise typer.Exit(_exit_code(ok, failed, strict))


@app.command()
def check(db: Optional[str] = DbOption) -> None:
    """Compliance per report and force: dates, deadline, days taken, recommendations answered."""
    store = _store(db)
    rows = summary.rows(store)
    table = Table(title="Section 55 responses")
    for col in ("id", "report", "force", "letter date", "deadline", "days", "on time", "addressed", "missing"):
        table.add_column(col)
    for r in rows:
        table.add_row(str(r.letter_id), r.report_id or r.report_title, r.force or "?", r.letter_date or "unknown",
                      r.deadline or "unknown", _show(r.days_taken), _show(r.on_time),
                      f"{_show(r.addressed)} / {_show(r.expected)}", ", ".join(map(str, r.missing)) or "-")
    out.print(table)
    for fig in summary.by_report(rows, store.reports()):
        if fig.responses:
            out.print(f"[bold]{fig.title}[/bold]: {fig.responses} responses; no response stored from "
                      f"{len(fig.missing_forces)} forces: {', '.join(fig.missing_forces) or 'none'}", highlight=False)
        else:
            out.print(f"[bold]{fig.title}[/bold]: no responses stored", highlight=False)


def _show(value) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    return str(value)


def _find(store: Store, key: str) -> StoredLetter:
    letter = store.letter(int(key)) if key.isdigit() else store.letter_by_source(str(Path(key).resolve()))
    if letter is None:
        err.print(f"{key}: no such letter in {store.url}", markup=False)
        raise typer.Exit(1)
    return letter


@app.command()
def show(key: str = typer.Argument(..., help="Letter id or the path it was ingested from."),
         db: Optional[str] = DbOption) -> None:
    """One stored record: every value with the quoted evidence it came from."""
    letter = _find(_store(db), key)
    _print_record(letter.record, title=f"letter {letter.id} v{letter.version}: {letter.source_key}",
                  verified=summary.verified_keys(letter.verified))


def _quote(text: str, spans: list[dict]) -> str:
    return " | ".join(" ".join(text[s["start"]:s["end"]].split())[:160] for s in spans[:3])


def _print_record(record: dict, title: str, verified: Collection[str] = ()) -> None:
    text = record["text"]
    table = Table(title=title, show_lines=True)
    table.add_column("field")
    table.add_column("value")
    table.add_column("evidence")

    for item in summary.values(record):
        mark = " (verified)" if item["key"] in verified else ""
        value = item["value"] if item["value"] is not None else "not found"
        table.add_row(item["label"], f"{value}{mark}", _quote(text, item["spans"]))
    if record["report"]:
        r = record["report"]
        table.add_row("Report match", f"{r['id'] or 'not in the catalogue'}; score {r['score']}; "
                                      f"published {r['published'] or 'unknown'}", "")
    c = record["compliance"]
    table.add_row("compliance", f"deadline {c['deadline']}; days taken {c['days_taken']}; on time {c['on_time']}; "
                                f"addressed {c['recommendations_addressed']}/{c['recommendations_expected']}; "
                                f"complete {c['complete']}; missing {c['missing'] or '-'}; judged on {c['date_basis']}", "")
    for w in record["warnings"]:
        table.add_row("warning", w, "")
    out.print(table)


@app.command()
def export(
    format: str = typer.Option("json", "--format", help="csv or json"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="File to write (default: stdout)."),
    db: Optional[str] = DbOption,
) -> None:
    """Everything stored: JSON is one array of records in the contract's shape; CSV one row per letter."""
    if format not in ("csv", "json"):
        raise typer.BadParameter("--format must be csv or json")
    letters = _store(db).letters()
    body = records_json(letters) if format == "json" else records_csv(letters)
    if output:
        output.write_text(body, encoding="utf-8")
        err.print(f"wrote {len(letters)} records to {output}")
    else:
        sys.stdout.write(body)


@reports_app.command("list")
def reports_list(db: Optional[str] = DbOption) -> None:
    """Reports in the catalogue with their recommendations to forces."""
    table = Table()
    for col in ("id", "title", "published", "deadline", "recommendations", "to forces"):
        table.add_column(col)
    for r in _store(db).reports():
        table.add_row(r.id, r.title, r.published.isoformat() if r.published else "unknown",
                      deadline(r.published).isoformat() if r.published else "",
                      str(len(r.recommendations)), str(len(r.force_recommendations)))
    out.print(table)


@reports_app.command("add")
def reports_add(file: Path = typer.Argument(..., help="A report described in YAML."), db: Optional[str] = DbOption) -> None:
    """Validate a report file and add it to the catalogue (replacing one of the same id)."""
    try:
        source = file.read_text(encoding="utf-8")
        report = catalogue.load_report_yaml(source)
    except (OSError, UnicodeDecodeError) as exc:
        err.print(f"{file}: cannot read: {exc}", markup=False)
        raise typer.Exit(1)
    except catalogue.CatalogueError as exc:
        err.print(f"{file}: {exc}", markup=False)
        raise typer.Exit(1)
    replaced = _store(db).add_report(report, source)
    out.print(f"{'replaced' if replaced else 'added'} {report.id}: {report.title} "
              f"({len(report.force_recommendations)} recommendations to forces)", highlight=False)


@app.command("eval")
def eval_command(
    gold: Path = typer.Option(..., "--gold", help="Gold labels, one JSON object per line (seeds.jsonl or real.jsonl shape)."),
    docs: Path = typer.Option(..., "--docs", help="Folder holding the files the gold names."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores and every miss as one JSON object."),
    misses: bool = typer.Option(False, "--misses", help="Also print each miss: file, field, wanted, got."),
    db: Optional[str] = typer.Option(None, "--db", help="Also match reports users added to this store."),
) -> None:
    """Score the extractor against hand labels: per-field accuracy and an overall figure."""
    try:
        scores = evaluate(gold, docs, Store(db).reports() if db else None)
    except (OSError, UnicodeDecodeError, ValueError, KeyError) as exc:
        err.print(f"{gold}: cannot score: {exc!r}", markup=False)
        raise typer.Exit(1)
    if as_json:
        sys.stdout.write(json.dumps(scores.to_dict(), indent=2) + "\n")
        return
    table = Table(title=f"Extraction accuracy on {scores.documents} documents")
    table.add_column("field")
    table.add_column("right", justify="right")
    table.add_column("accuracy", justify="right")
    for name in scores.fields:
        table.add_row(name, f"{scores.correct.get(name, 0)}/{scores.scored[name]}", f"{scores.accuracy(name):.1%}")
    if scores.initiative_documents:
        table.add_row("initiatives (recall)", f"{scores.initiatives_found}/{scores.initiatives_gold}",
                      f"{scores.initiative_recall:.1%}")
        table.add_row("initiatives (precision)", f"{scores.initiatives_right}/{scores.initiatives_extracted}",
                      f"{scores.initiative_precision:.1%}")
    table.add_row("[bold]overall[/bold]", "", f"[bold]{scores.overall:.1%}[/bold]")
    out.print(table)
    for line in scores.errors:
        err.print(line, markup=False, highlight=False)
    if misses:
        for miss in scores.misses:
            out.print(str(miss), markup=False, highlight=False)


@app.command()
def serve(
    db: Optional[str] = DbOption,
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8055, "--port"),
) -> None:
    """Start the web app and JSON API."""
    import uvicorn  # imported here: the other commands need not pay for the web stack

    from .web import create_app

    application = create_app(_store(db))
    out.print(f"Scrutiny is running at http://{host}:{port}/  (Ctrl+C to stop)", highlight=False)
    # On Ctrl+C or SIGTERM, requests in progress get 5 seconds to finish, then are cut off: an
    # upload still being read is abandoned, and stores nothing.
    uvicorn.run(application, host=host, port=port, log_level="warning", timeout_graceful_shutdown=5)
