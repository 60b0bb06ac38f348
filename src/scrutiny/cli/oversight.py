"""The oversight side's commands: documents in (ingest, extract), judged (check, reports),
read (show), out (export), and the extractor scored (eval)."""
from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import InputError, NotFound, ScrutinyError
from .app import app, reports
from .output import (
    console,
    db_option,
    emit,
    exit_code,
    known_force,
    open_store,
    output_options,
    report_option,
    samples_dir,
    say,
    settings,
    show_tracebacks,
    strict_option,
    the_day,
    today_option,
    verbose_option,
    write,
)

if TYPE_CHECKING:
    from ..store import Store, StoredDocument


# --- commands -------------------------------------------------------------------------------------

@app.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@db_option
@click.option("--samples", is_flag=True, help="Also ingest the bundled sample letters.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Processes reading and extracting files (one process writes to the store).")
@strict_option
@verbose_option
def ingest(paths: tuple[Path, ...], db: str | None, samples: bool, workers: int, strict: bool, verbose: bool) -> None:
    """Read, extract and store the letters in PATHS (files or folders); idempotent: the same file
    twice is stored once."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from ..isolate import Pool
    from ..oversight.ingest import ingest_paths
    from ..read import expand, unsupported

    targets = list(paths) + ([samples_dir()] if samples else [])
    if not targets:
        raise click.UsageError("name at least one file or folder, or --samples")
    show_tracebacks(verbose)
    limits = settings().limits  # first: a mistyped setting is said before the store is made
    store = open_store(db, create=True)
    files, skipped = expand(targets), unsupported(targets)
    counts: dict[str, int] = {}
    # The bar and the lines share one console, on stderr, so that neither writes over the other;
    # stdout has the summary.
    screen = console(stderr=True)
    with Pool(workers=workers, limits=limits) as pool, Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=screen, transient=True,
            disable=not screen.is_terminal) as progress:
        task = progress.add_task("ingesting", total=len(files))
        for outcome in ingest_paths(store, files, pool=pool):
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
            line = outcome.message if not outcome.ok else f"{outcome.path}: {outcome.status} ({outcome.message})"
            progress.console.print(line, markup=False, highlight=False)
            progress.advance(task)
    summary = ", ".join(f"{n} {status}" for status, n in counts.items()) or "no files"
    if skipped:
        named = ", ".join(map(str, skipped[:10])) + (f" and {len(skipped) - 10} more" if len(skipped) > 10 else "")
        summary += f"; {len(skipped)} skipped, of no supported format: {named}"
    say(summary)
    failed = counts.get("failed", 0)
    sys.exit(exit_code(len(files) - failed, failed, strict))


@app.command("extract")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line (the contract).")
@strict_option
@verbose_option
def extract_command(files: tuple[Path, ...], as_json: bool, strict: bool, verbose: bool) -> None:
    """Extract records from FILES (or the folders named) and print them; reads files only, never
    a database. A line per failure and a summary go to stderr, so that stdout holds only the records."""
    from ..isolate import Job, Pool
    from ..read import expand

    show_tracebacks(verbose)
    ok = failed = 0
    # (this process has no other thread: the worker starts sooner forked)
    with Pool(fork=True, limits=settings().limits) as pool:
        for job, result in pool.map(Job(str(path)) for path in expand(files)):
            if isinstance(result, InputError):
                say(str(result), err=True)
                failed += 1
                continue
            ok += 1
            if as_json:
                sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
            else:
                _print_record(result, title=job.name)
    say(f"{ok} extracted, {failed} failed", err=True)
    sys.exit(exit_code(ok, failed, strict))


CHECK_COLUMNS = ("report_id", "force", "status", "responded", "day", "deadline", "days_taken", "on_time",
                 "addressed", "expected", "missing", "documents", "in_scope")


@app.command()
@db_option
@today_option
@report_option
@click.option("--force", metavar="NAME", help="Only this force (its name or an alias).")
@click.option("--late", is_flag=True, help="Only responses judged late.")
@output_options("table")
def check(db: str | None, today: dt.datetime | None, report: str | None, force: str | None, late: bool,
          format_: str, output: Path | None) -> None:
    """Compliance per force and report: every force a report expects to answer, responders or
    not, with its status, dates, the day of the 56-day period it came on, recommendations
    answered (and any stored response outside a report's scope). As a table, each report's
    figures follow."""
    from ..store import national
    from ..store import reports as queries
    from ..store.query import MAX_PER_PAGE

    store = open_store(db)
    day = the_day(today)
    if report is not None:
        queries.report_summary(store, report, day)  # NotFound for an unknown id
    rows = national.pairs(store, today=day, report_id=report, force=known_force(force),
                         status_is="late" if late else None)
    emit([{**vars(r), "day": r.day} for r in rows], CHECK_COLUMNS, format_, output, "the responses",
         title="Section 55 responses")
    if format_ != "table" or output is not None:
        return
    missing = national.forces_without_response(store, sorted({r.report_id for r in rows}))
    screen = console()
    for summary in queries.reports_index(store, today=day, responded=True, sort="title",
                                         per_page=MAX_PER_PAGE).reports.items:
        if summary.id not in missing:
            continue
        f = summary.figures
        screen.print(f"[bold]{summary.title}[/bold]: {f.responded} of {f.expected} forces responded "
                     f"({f.on_time} on time, {f.late} late); {f.overdue} overdue, {f.not_yet_due} not yet due, "
                     f"{f.statement_only} statement only, {f.no_deadline} no deadline, {f.not_collected} not collected; "
                     f"no response stored from {len(missing[summary.id])} forces: "
                     f"{', '.join(missing[summary.id]) or 'none'}", highlight=False)


def _find(store: Store, key: str) -> StoredDocument:
    document = store.document(int(key)) if key.isdigit() else store.document_by_source(str(Path(key).resolve()))
    if document is None:
        raise NotFound(f"{key}: no such document in {store.url}")
    return document


@app.command()
@click.argument("key")
@db_option
def show(key: str, db: str | None) -> None:
    """One stored record: every value with the quoted evidence it came from. KEY is a document id
    or the path it was ingested from."""
    from ..record import summary

    letter = _find(open_store(db), key)
    _print_record(letter.record, title=f"document {letter.id} v{letter.version} ({letter.kind}): {letter.source_key}",
                  verified=summary.verified_keys(letter.verified))


def _quote(text: str, spans: list[dict]) -> str:
    return " | ".join(" ".join(text[s["start"]:s["end"]].split())[:160] for s in spans[:3])


def _print_record(record: dict, title: str, verified: Collection[str] = ()) -> None:
    from rich.table import Table

    from ..record import summary

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
                                f"complete {c['complete']}; missing {c['missing'] or '-'}; "
                                f"judged on {c['date_basis']}", "")
    for w in record["warnings"]:
        table.add_row("warning", w, "")
    console().print(table)


EXPORT_TABLE_COLUMNS = ("document_id", "file", "kind", "force", "report_id", "date_judged", "days_taken", "on_time",
                        "complete", "warnings")


@app.command()
@output_options("json")
@db_option
def export(format_: str, output: Path | None, db: str | None) -> None:
    """Everything stored: JSON is one array of records in the contract's shape; CSV one row per
    document with its response (xlsx the same as a workbook); a table the main columns of the CSV."""
    from ..oversight.exports import CSV_COLUMNS, document_rows, records_csv, records_json

    store = open_store(db)
    if format_ == "json":
        write(records_json(store), output,
               "JSON of every stored document")
    elif format_ == "csv":
        write(records_csv(store), output, "CSV of every stored document")
    else:
        emit(list(document_rows(store)), CSV_COLUMNS if format_ == "xlsx" else EXPORT_TABLE_COLUMNS, format_, output,
             "every stored document", title="Stored documents")


REPORT_COLUMNS = ("id", "title", "published", "deadline", "days_left", "recommendations", "scope", "expected",
                  "responded", "on_time", "late", "overdue", "not_yet_due", "statement_only", "no_deadline",
                  "not_collected")


@reports.command("list")
@db_option
@today_option
@report_option
@click.option("--force", metavar="NAME", help="Only the reports this force must answer.")
@click.option("--late", is_flag=True, help="Only reports some force answered late, or owes (overdue).")
@output_options("table")
def reports_list(db: str | None, today: dt.datetime | None, report: str | None, force: str | None, late: bool,
                 format_: str, output: Path | None) -> None:
    """Reports in the catalogue: recommendations to forces, and their responses as of today."""
    from ..store import national
    from ..store import reports as queries
    from ..store.query import MAX_PER_PAGE

    store = open_store(db)
    day = the_day(today)
    if report is not None:
        found = [queries.report_summary(store, report, day)]
    else:
        found, page = [], 1
        while True:
            listed = queries.reports_index(store, today=day, page=page, per_page=MAX_PER_PAGE).reports
            found.extend(listed.items)
            if page >= listed.pages:
                break
            page += 1
    if force is not None:
        expected = {s.report_id for s in national.compliance_now(store, today=day, force=known_force(force),
                                                                per_page=MAX_PER_PAGE).standings.items}
        found = [r for r in found if r.id in expected]
    if late:
        found = [r for r in found if r.figures.late or r.figures.overdue]
    rows = [{"id": r.id, "title": r.title, "published": r.published, "deadline": r.deadline, "days_left": r.days_left,
             "recommendations": r.recommendations, "scope": r.scope.applies,
             **{k: getattr(r.figures, k) for k in REPORT_COLUMNS[7:]}}
            for r in found]
    emit(rows, REPORT_COLUMNS, format_, output, "the reports", title="Inspection reports")


@reports.command("add")
@click.argument("file", type=click.Path(path_type=Path))
@db_option
def reports_add(file: Path, db: str | None) -> None:
    """Validate FILE, a report described in YAML, and add it to the catalogue (replacing one of
    the same id)."""
    from .. import catalogue

    try:
        report = catalogue.load_report_yaml(source := file.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(str(file), f"not UTF-8 text ({exc.reason})") from None
    except catalogue.CatalogueError as exc:
        raise InputError(str(file), str(exc)) from None
    replaced = open_store(db, create=True).add_report(report, source)
    say(f"{'replaced' if replaced else 'added'} {report.id}: {report.title} "
         f"({len(report.force_recommendations)} recommendations to forces)")


@reports.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--report", "report_id", metavar="ID", help="The report the pages are about (default: the one each "
                                                          "page names, found by its title, else added).")
@click.option("--dry-run", is_flag=True, help="Read and print only; store nothing.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file: its recommendations and more.")
@db_option
@strict_option
@verbose_option
def reports_import(files: tuple[Path, ...], report_id: str | None, dry_run: bool, as_json: bool, db: str | None,
                   strict: bool, verbose: bool) -> None:
    """Read HMICFRS's pages (a report's page, a report or letter, the recommendation register's
    records; HTML, PDF or text) and add or complete their reports' recommendations in the
    catalogue, keeping the register's status per force. Idempotent; a file that cannot be read
    or placed is one line on stderr, and the rest go on."""
    from ..oversight.recommendations import import_files

    show_tracebacks(verbose)
    try:
        store = open_store(db, create=not dry_run)
    except ScrutinyError:
        if not dry_run:
            raise
        store = None  # a dry run needs no store: the packaged catalogue places the pages
    ok = failed = 0
    for outcome in import_files(store, files, report_id, dry_run, author=_cli_author()):
        if not outcome.ok:
            failed += 1
            say(outcome.message, err=True)
            continue
        ok += 1
        if as_json:
            sys.stdout.write(json.dumps({**(outcome.page or {}), "file": outcome.path, "status": outcome.status,
                                         "report_id": outcome.report_id}, ensure_ascii=False) + "\n")
        else:
            say(outcome.message if not dry_run else f"{outcome.message} for {outcome.report_id or 'a new report'}",
                err=as_json)
    say(f"{ok} read, {failed} failed" if dry_run else f"{ok} imported, {failed} failed", err=True)
    sys.exit(exit_code(ok, failed, strict))


def _cli_author() -> str:
    """Who a command's change is logged as: the account running it."""
    import getpass

    try:
        return f"{getpass.getuser()} (command line)"
    except (KeyError, OSError):  # no name for this account
        return "command line"


@app.command("eval")
@click.option("--gold", required=True, type=click.Path(path_type=Path),
              help="Gold labels, one JSON object per line (seeds.jsonl or real.jsonl shape).")
@click.option("--docs", required=True, type=click.Path(path_type=Path), help="Folder holding the files the gold names.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores and every miss as one JSON object.")
@click.option("--misses", is_flag=True, help="Also print each miss: file, field, wanted, got.")
@click.option("--db", metavar="URL", help="Also match reports users added to this store.")
def eval_command(gold: Path, docs: Path, as_json: bool, misses: bool, db: str | None) -> None:
    """Score the extractor against hand labels: per-field accuracy and an overall figure."""
    from rich.table import Table

    from ..oversight.evaluate import evaluate

    if not docs.is_dir():
        raise InputError(str(docs), "no such folder")
    scores = evaluate(gold, docs, open_store(db).reports() if db else None)
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
    for name, right, share in scores.breakdown():  # the response verdict, and sender role per role
        table.add_row(name, right, f"{share:.1%}")
    console().print(table)
    for line in scores.errors:
        say(line, err=True)
    if misses:
        for miss in scores.misses:
            say(str(miss))

