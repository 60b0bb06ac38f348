"""The `scrutiny` command: thin shells over the library (read, extract, ingest, store, summary)."""
from __future__ import annotations

import json
import logging
import sys
from datetime import datetime
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
from .store import Store, StoredDocument, default_url, reports
from .store.query import MAX_PER_PAGE

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
def check(
    db: Optional[str] = DbOption,
    today: Optional[datetime] = typer.Option(None, "--today", formats=["%Y-%m-%d"],
                                             help="Judge deadlines as of this day (default: today)."),
) -> None:
    """Compliance per response (force x report): dates, deadline, days taken, recommendations answered."""
    store = _store(db)
    day = today.date() if today else None
    rows = reports.responses(store, today=day)
    table = Table(title="Section 55 responses")
    for col in ("report", "force", "status", "date", "deadline", "days", "on time", "addressed", "missing",
                "documents"):
        table.add_column(col)
    for r in rows:
        table.add_row(r.report_id, r.force, r.status, _show(r.responded), _show(r.deadline), _show(r.days_taken),
                      _show(r.on_time), f"{_show(r.addressed)} / {_show(r.expected)}",
                      ", ".join(map(str, r.missing)) or "-", str(r.documents))
    out.print(table)
    answered = sorted({r.report_id for r in rows})
    missing = reports.forces_without_response(store, answered)
    for report in reports.reports_index(store, today=day, responded=True, sort="title",
                                         per_page=MAX_PER_PAGE).reports.items:
        f = report.figures
        out.print(f"[bold]{report.title}[/bold]: {f.responded} of {f.expected} forces responded "
                  f"({f.on_time} on time, {f.late} late); {f.overdue} overdue, {f.not_yet_due} not yet due; "
                  f"no response stored from {len(missing[report.id])} forces: {', '.join(missing[report.id]) or 'none'}",
                  highlight=False)


def _show(value) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    return str(value)


def _find(store: Store, key: str) -> StoredDocument:
    document = store.document(int(key)) if key.isdigit() else store.document_by_source(str(Path(key).resolve()))
    if document is None:
        err.print(f"{key}: no such document in {store.url}", markup=False)
        raise typer.Exit(1)
    return document


@app.command()
def show(key: str = typer.Argument(..., help="Document id or the path it was ingested from."),
         db: Optional[str] = DbOption) -> None:
    """One stored record: every value with the quoted evidence it came from."""
    letter = _find(_store(db), key)
    _print_record(letter.record, title=f"document {letter.id} v{letter.version} ({letter.kind}): {letter.source_key}",
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
    """Everything stored: JSON is one array of records in the contract's shape; CSV one row per document."""
    if format not in ("csv", "json"):
        raise typer.BadParameter("--format must be csv or json")
    store = _store(db)
    body = records_json(store.documents()) if format == "json" else records_csv(store)
    if output:
        output.write_text(body, encoding="utf-8")
        err.print(f"wrote {format.upper()} of every stored document to {output}")
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

    application = _run(lambda: create_app(_store(db)))  # e.g. a session key file it cannot make
    out.print(f"Scrutiny is running at http://{host}:{port}/  (Ctrl+C to stop)", highlight=False)
    # On Ctrl+C or SIGTERM, requests in progress get 5 seconds to finish, then are cut off: an
    # upload still being read is abandoned, and stores nothing.
    uvicorn.run(application, host=host, port=port, log_level="warning", timeout_graceful_shutdown=5)


# --- the responding office ------------------------------------------------------------------------

users_app = typer.Typer(help="Accounts for the web app: who may read, correct, draft, publish.", no_args_is_help=True)
app.add_typer(users_app, name="users")
FormatOption = typer.Option("table", "--format", help="table, csv or json")


def _emit(title: str, header: list[str], rows: list[list], format: str) -> None:
    """Rows as a table on the console, or CSV or JSON on stdout."""
    if format == "json":
        sys.stdout.write(json.dumps([dict(zip(header, row)) for row in rows], default=str, indent=2) + "\n")
    elif format == "csv":
        import csv
        writer = csv.writer(sys.stdout)
        writer.writerow(header)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
    elif format == "table":
        table = Table(title=title)
        for col in header:
            table.add_column(col)
        for row in rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        out.print(table)
    else:
        raise typer.BadParameter("--format must be table, csv or json")


def _run(action):
    """Run a store action; a domain error is one line on stderr and exit status 1."""
    from .errors import ScrutinyError
    try:
        return action()
    except ScrutinyError as exc:
        err.print(str(exc), markup=False, highlight=False)
        raise typer.Exit(1)


@users_app.command("add")
def users_add(
    username: str = typer.Argument(..., help="The name they sign in with."),
    role: str = typer.Option(..., "--role", help="viewer, analyst, staff, approver or administrator."),
    force: Optional[str] = typer.Option(None, "--force", help="The force they work for (required for staff)."),
    name: Optional[str] = typer.Option(None, "--name", help="Their full name, as pages and histories show it."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from standard input "
                                        "(else one is generated and printed)."),
    db: Optional[str] = DbOption,
) -> None:
    """Add a user; prints the generated password once (it is stored only as a hash)."""
    from .accounts import generate_password
    from .store import accounts
    password = sys.stdin.readline().rstrip("\n") if password_stdin else generate_password()
    account = _run(lambda: accounts.add_user(_store(db), username, name or username, role, password, force))
    out.print(f"added {account.username} ({account.role_label}{', ' + account.force if account.force else ''})",
              highlight=False)
    if not password_stdin:
        out.print(f"password: {password}", highlight=False, markup=False)


@users_app.command("list")
def users_list(db: Optional[str] = DbOption, format: str = FormatOption) -> None:
    """Every user: name, role, force, whether they may sign in."""
    from .store import accounts
    rows = [[a.username, a.name, a.role, a.force, "yes" if a.active else "no"] for a in accounts.users(_store(db))]
    _emit("Users", ["username", "name", "role", "force", "active"], rows, format)


@users_app.command("set-role")
def users_set_role(
    username: str = typer.Argument(...),
    role: str = typer.Argument(..., help="viewer, analyst, staff, approver or administrator."),
    force: Optional[str] = typer.Option(None, "--force", help="The force they work for (staff; an approver may)."),
    db: Optional[str] = DbOption,
) -> None:
    """Change a user's role (and force); their sessions end."""
    from .store import accounts
    account = _run(lambda: accounts.set_role(_store(db), username, role, force))
    out.print(f"{account.username} is now {account.role_label}{' for ' + account.force if account.force else ''}",
              highlight=False)


@users_app.command("disable")
def users_disable(username: str = typer.Argument(...), db: Optional[str] = DbOption,
                  enable: bool = typer.Option(False, "--enable", help="Let them sign in again.")) -> None:
    """Stop a user signing in (their sessions end at once); they stay in every history."""
    from .store import accounts
    _run(lambda: accounts.set_active(_store(db), username, enable))
    out.print(f"{username} {'may sign in again' if enable else 'is disabled'}", highlight=False)


@users_app.command("init")
def users_init(db: Optional[str] = DbOption, host: str = typer.Option("127.0.0.1", "--host"),
               port: int = typer.Option(8055, "--port")) -> None:
    """Make a first administrator if there is none (password from $SCRUTINY_ADMIN_PASSWORD, else
    generated and printed), and say how to sign in."""
    import os

    from .accounts import generate_password
    from .store import accounts
    store = _store(db)
    if accounts.has_administrator(store):
        out.print(f"Sign in at http://{host}:{port}/login as an administrator (`scrutiny users list` names them).",
                  highlight=False)
        return
    given = os.environ.get("SCRUTINY_ADMIN_PASSWORD")
    password = given or generate_password()
    _run(lambda: accounts.add_user(store, "admin", "Administrator", "administrator", password))
    out.print(f"Made the first administrator. Sign in at http://{host}:{port}/login as [bold]admin[/bold] with "
              f"password {'from $SCRUTINY_ADMIN_PASSWORD' if given else password}", highlight=False)
    out.print("Add people with `scrutiny users add NAME --role staff --force 'Force Name'`.", highlight=False)


@app.command()
def due(
    days: int = typer.Option(30, "--days", help="Look this many days ahead."),
    force: Optional[str] = typer.Option(None, "--force", help="Only this force's cases and actions."),
    today: Optional[datetime] = typer.Option(None, "--today", formats=["%Y-%m-%d"],
                                             help="Judge as of this day (default: today)."),
    format: str = FormatOption,
    db: Optional[str] = DbOption,
) -> None:
    """Cases (responses due) and actions (promised steps) due in the next N days, and every overdue one."""
    from .store import actions
    items = _run(lambda: actions.due(_store(db), None, days, today.date() if today else None, force))
    rows = [[i.due.isoformat(), i.days_left, i.kind, i.force, i.title, i.state] for i in items]
    _emit(f"Due in the next {days} days, and overdue", ["due", "days left", "kind", "force", "what", "state"], rows,
          format)
