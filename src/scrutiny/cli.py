"""The `scrutiny` command: thin shells over the library (read, extract, ingest, store, summary).

Each command imports what it needs when it runs: the store (SQLAlchemy, Alembic), the web
stack, the extractor and rich's tables cost up to a second to import, and `scrutiny --help`
or `scrutiny extract` need none of them. Errors are mapped once (`_Commands.invoke`): a
domain error is one line on stderr and exit code 1, never a traceback.
"""
from __future__ import annotations

import csv
import datetime as dt
import errno
import io
import json
import logging
import os
import socket
import sys
import traceback
from collections.abc import Callable, Collection, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .errors import InputError, InvalidValue, NotFound, ScrutinyError, log, summarise

if TYPE_CHECKING:
    from rich.console import Console

    from .store import Store, StoredDocument


class _Failure(click.ClickException):
    """A domain error as the user sees it: `error: <one line>` on stderr, exit code 1."""

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.message}", err=True)


class _Commands(click.Group):
    """The one place errors become what a user sees."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # click's own: usage errors, exits
        except ScrutinyError as exc:
            raise _Failure(str(exc)) from None
        except BrokenPipeError:  # stdout closed early (`scrutiny export | head`): nothing more to say
            sys.stderr.close()
            ctx.exit(1)
        except OSError as exc:  # a file named on the command line that cannot be read or written
            raise _Failure(f"{exc.filename}: {exc.strerror}" if exc.filename else summarise(exc)) from None
        except Exception as exc:  # noqa: BLE001 - a bug: one line for the user, the traceback in the log
            log.error("internal error\n%s", traceback.format_exc())
            raise _Failure(f"internal error ({summarise(exc)}); "
                           "--verbose, where a command has it, prints the traceback") from None


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="scrutiny", message="scrutiny %(version)s")
def app() -> None:
    """Read, check and compare section 55 responses to HMICFRS inspection reports."""


@app.group()
def reports() -> None:
    """The inspection-report catalogue."""


# --- options more than one command takes --------------------------------------------------------

FORMATS = ("table", "csv", "json")

db_option = click.option("--db", metavar="URL", help="Database URL (default: $SCRUTINY_DB, else sqlite:///scrutiny.db).")
verbose_option = click.option("--verbose", is_flag=True,
                              help="Also print the traceback of any internal error (for developers).")
strict_option = click.option("--strict", is_flag=True, help="Exit non-zero if any file fails.")
today_option = click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
                            help="Judge deadlines as of this day (default: today).")
report_option = click.option("--report", metavar="ID", help="Only this report (its catalogue id).")


def output_options(default: str) -> Callable[[Callable], Callable]:
    """The output options, the same wherever rows are listed (check, reports list, export)."""
    def decorate(command: Callable) -> Callable:
        command = click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                               help="File to write (default: stdout).")(command)
        return click.option("-f", "--format", "format_", type=click.Choice(FORMATS, case_sensitive=False),
                            default=default, show_default=True, help="Output format.")(command)
    return decorate


def _console(stderr: bool = False) -> Console:
    """rich, for the commands that draw tables or a progress bar. Into a pipe or a file, a
    table is as wide as its values need (a terminal's width, or $COLUMNS, bounds it otherwise)."""
    from rich.console import Console

    console = Console(stderr=stderr, soft_wrap=True)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = 100_000
    return console


def _say(line: str, err: bool = False) -> None:
    click.echo(line, err=err)


def _store(db: str | None, create: bool = False) -> Store:
    """The store at `db`; reading commands (the default) refuse a SQLite file that is not there."""
    from .store import Store

    return Store(db, create=create)


def _exit_code(ok: int, failed: int, strict: bool) -> int:
    """Non-zero only where nothing in the batch succeeded, or anything failed under --strict."""
    return 1 if failed and (strict or not ok) else 0


def _show_tracebacks(verbose: bool) -> None:
    if verbose:
        logging.basicConfig(stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")


def _day(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value else None


def _cell(value: Any) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value)) or "-"
    return str(value)


def _plain(value: Any) -> Any:
    """A value as JSON and CSV write it: dates as ISO days, tuples as lists."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def _write(body: str | Iterable[str], output: Path | None, what: str) -> None:
    """Write the body (or its pieces, as they come) to `output`, or to standard output. A file
    is written beside `output` and renamed over it once complete: an export that fails part
    way leaves the previous file as it was, not a half of the new one."""
    pieces = [body] if isinstance(body, str) else body
    if output:
        partial = output.with_name(f".{output.name}.partial")
        try:
            with partial.open("w", encoding="utf-8") as file:
                file.writelines(pieces)
            partial.replace(output)
        except OSError as exc:  # named as the user named it, not by the partial file
            raise InputError(str(output), exc.strerror or summarise(exc)) from None
        finally:
            partial.unlink(missing_ok=True)
        _say(f"wrote {what} to {output}", err=True)
    else:
        sys.stdout.writelines(pieces)


def _emit(rows: Sequence[dict[str, Any]], columns: Sequence[str], format_: str, output: Path | None,
          what: str, title: str | None = None) -> None:
    """Rows as a table, CSV (a header, then a row each) or JSON (an array of objects)."""
    if format_ == "json":
        body = json.dumps([{c: _plain(r[c]) for c in columns} for r in rows], ensure_ascii=False, indent=1) + "\n"
    elif format_ == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        writer.writerows([" ".join(map(str, r[c])) if isinstance(r[c], tuple) else _plain(r[c]) for c in columns]
                         for r in rows)
        body = buffer.getvalue()
    else:
        from rich.table import Table

        table = Table(title=title)
        for column in columns:
            table.add_column(column.replace("_", " "))
        for r in rows:
            table.add_row(*(_cell(r[c]) for c in columns))
        console = _console()
        if output is None:
            console.print(table)
            return
        with console.capture() as captured:
            console.print(table)
        body = captured.get()
    _write(body, output, what)


def samples_dir() -> Path:
    from importlib import resources

    return Path(str(resources.files("scrutiny").joinpath("samples")))


def _known_force(name: str | None) -> str | None:
    """A force's name as stored, from its name or an alias in any case."""
    if name is None:
        return None
    from . import catalogue

    known = {alias.lower(): canonical for alias, canonical in catalogue.force_names().items()}
    if name.lower() not in known:
        raise InvalidValue(f"--force: {name!r} is not one of the 43 forces of England and Wales")
    return known[name.lower()]


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

    from .ingest import ingest_paths
    from .isolate import Pool
    from .read import expand, unsupported

    targets = list(paths) + ([samples_dir()] if samples else [])
    if not targets:
        raise click.UsageError("name at least one file or folder, or --samples")
    _show_tracebacks(verbose)
    store = _store(db, create=True)
    files, skipped = expand(targets), unsupported(targets)
    counts: dict[str, int] = {}
    # The bar and the lines share one console, on stderr, so that neither writes over the other;
    # stdout has the summary.
    console = _console(stderr=True)
    with Pool(workers=workers) as pool, Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                                  console=console, transient=True,
                                                  disable=not console.is_terminal) as progress:
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
    _say(summary)
    failed = counts.get("failed", 0)
    sys.exit(_exit_code(len(files) - failed, failed, strict))


@app.command("extract")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line (the contract).")
@strict_option
@verbose_option
def extract_command(files: tuple[Path, ...], as_json: bool, strict: bool, verbose: bool) -> None:
    """Extract records from FILES (or the folders named) and print them; reads files only, never
    a database. A line per failure and a summary go to stderr, so that stdout holds only the records."""
    from .isolate import Job, Pool
    from .read import expand

    _show_tracebacks(verbose)
    ok = failed = 0
    with Pool(fork=True) as pool:  # (this process has no other thread: the worker starts sooner forked)
        for job, result in pool.map(Job(str(path)) for path in expand(files)):
            if isinstance(result, InputError):
                _say(str(result), err=True)
                failed += 1
                continue
            ok += 1
            if as_json:
                sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
            else:
                _print_record(result, title=job.name)
    _say(f"{ok} extracted, {failed} failed", err=True)
    sys.exit(_exit_code(ok, failed, strict))


CHECK_COLUMNS = ("report_id", "force", "status", "responded", "deadline", "days_taken", "on_time", "addressed",
                 "expected", "missing", "documents")


@app.command()
@db_option
@today_option
@report_option
@click.option("--force", metavar="NAME", help="Only this force (its name or an alias).")
@click.option("--late", is_flag=True, help="Only responses judged late.")
@output_options("table")
def check(db: str | None, today: dt.datetime | None, report: str | None, force: str | None, late: bool,
          format_: str, output: Path | None) -> None:
    """Compliance per response (force x report): dates, deadline, days taken, recommendations
    answered. As a table, each report's figures follow: forces on time, late, overdue, not yet due."""
    from .store import reports as queries
    from .store.query import MAX_PER_PAGE

    store = _store(db)
    day = _day(today)
    if report is not None:
        queries.report_summary(store, report, day)  # NotFound for an unknown id
    rows = queries.responses(store, today=day, report_id=report, force=_known_force(force),
                             status_is="late" if late else None)
    _emit([vars(r) for r in rows], CHECK_COLUMNS, format_, output, "the responses", title="Section 55 responses")
    if format_ != "table" or output is not None:
        return
    missing = queries.forces_without_response(store, sorted({r.report_id for r in rows}))
    console = _console()
    for summary in queries.reports_index(store, today=day, responded=True, sort="title",
                                         per_page=MAX_PER_PAGE).reports.items:
        if summary.id not in missing:
            continue
        f = summary.figures
        console.print(f"[bold]{summary.title}[/bold]: {f.responded} of {f.expected} forces responded "
                      f"({f.on_time} on time, {f.late} late); {f.overdue} overdue, {f.not_yet_due} not yet due; "
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
    from . import summary

    letter = _find(_store(db), key)
    _print_record(letter.record, title=f"document {letter.id} v{letter.version} ({letter.kind}): {letter.source_key}",
                  verified=summary.verified_keys(letter.verified))


def _quote(text: str, spans: list[dict]) -> str:
    return " | ".join(" ".join(text[s["start"]:s["end"]].split())[:160] for s in spans[:3])


def _print_record(record: dict, title: str, verified: Collection[str] = ()) -> None:
    from rich.table import Table

    from . import summary

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
    _console().print(table)


EXPORT_TABLE_COLUMNS = ("document_id", "file", "kind", "force", "report_id", "date_judged", "days_taken", "on_time",
                        "complete", "warnings")


@app.command()
@output_options("json")
@db_option
def export(format_: str, output: Path | None, db: str | None) -> None:
    """Everything stored: JSON is one array of records in the contract's shape; CSV one row per
    document with its response; a table the main columns of the CSV."""
    from .exports import document_rows, records_csv, records_json

    store = _store(db)
    if format_ == "json":
        _write(records_json(store), output,
               "JSON of every stored document")
    elif format_ == "csv":
        _write(records_csv(store), output, "CSV of every stored document")
    else:
        _emit(list(document_rows(store)), EXPORT_TABLE_COLUMNS, format_, output, "every stored document",
              title="Stored documents")


REPORT_COLUMNS = ("id", "title", "published", "deadline", "days_left", "recommendations", "expected", "responded",
                  "on_time", "late", "overdue", "not_yet_due")


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
    from .store import reports as queries
    from .store.query import MAX_PER_PAGE

    store = _store(db)
    day = _day(today)
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
        expected = {s.report_id for s in queries.compliance_now(store, today=day, force=_known_force(force),
                                                                per_page=MAX_PER_PAGE).standings.items}
        found = [r for r in found if r.id in expected]
    if late:
        found = [r for r in found if r.figures.late or r.figures.overdue]
    rows = [{"id": r.id, "title": r.title, "published": r.published, "deadline": r.deadline, "days_left": r.days_left,
             "recommendations": r.recommendations, **{k: getattr(r.figures, k) for k in REPORT_COLUMNS[6:]}}
            for r in found]
    _emit(rows, REPORT_COLUMNS, format_, output, "the reports", title="Inspection reports")


@reports.command("add")
@click.argument("file", type=click.Path(path_type=Path))
@db_option
def reports_add(file: Path, db: str | None) -> None:
    """Validate FILE, a report described in YAML, and add it to the catalogue (replacing one of
    the same id)."""
    from . import catalogue

    try:
        report = catalogue.load_report_yaml(source := file.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(str(file), f"not UTF-8 text ({exc.reason})") from None
    except catalogue.CatalogueError as exc:
        raise InputError(str(file), str(exc)) from None
    replaced = _store(db, create=True).add_report(report, source)
    _say(f"{'replaced' if replaced else 'added'} {report.id}: {report.title} "
         f"({len(report.force_recommendations)} recommendations to forces)")


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

    from .evaluate import evaluate

    if not docs.is_dir():
        raise InputError(str(docs), "no such folder")
    scores = evaluate(gold, docs, _store(db).reports() if db else None)
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
    _console().print(table)
    for line in scores.errors:
        _say(line, err=True)
    if misses:
        for miss in scores.misses:
            _say(str(miss))


def _listen(host: str, port: int) -> socket.socket:
    """A socket bound to host:port, or one line saying why it cannot be."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise InvalidValue(f"--host {host}: {exc.strerror}") from None
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: a restart need not wait
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise InvalidValue(f"{host}:{port} is already in use (is Scrutiny running there already?); "
                               "choose another --port") from None
        raise InvalidValue(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    return sock


@app.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (this machine only).")
@click.option("--port", type=click.IntRange(1, 65535), default=8055, show_default=True, help="Port to listen on.")
def serve(db: str | None, host: str, port: int) -> None:
    """Start the web app and JSON API."""
    import uvicorn

    from .web import create_app

    sock = _listen(host, port)  # first: a port in use is said at once, before the store is opened
    application = create_app(_store(db, create=True))  # makes the session key file on first use
    url = f"http://{f'[{host}]' if ':' in host else host}:{port}/"

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if self.started:  # said only now that requests are answered
                _say(f"Scrutiny is running at {url}  (Ctrl+C to stop)")

    # On Ctrl+C or SIGTERM, requests in progress get 5 seconds to finish, then are cut off: an
    # upload still being read is abandoned, and stores nothing.
    Server(uvicorn.Config(application, log_level="warning", timeout_graceful_shutdown=5)).run(sockets=[sock])


# --- the responding office ------------------------------------------------------------------------

@app.group()
def users() -> None:
    """Accounts for the web app: who may read, correct, draft, publish."""


ROLE_HELP = "viewer, analyst, staff, approver or administrator."
USER_COLUMNS = ("username", "name", "role", "force", "active")


@users.command("add")
@click.argument("username")
@click.option("--role", required=True, help=ROLE_HELP)
@click.option("--force", metavar="NAME", help="The force they work for (required for staff; an approver may have one).")
@click.option("--name", help="Their full name, as pages and histories show it.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (else one is "
                                                     "generated and printed).")
@db_option
def users_add(username: str, role: str, force: str | None, name: str | None, password_stdin: bool,
              db: str | None) -> None:
    """Add a user; a generated password is printed once (only its hash is kept)."""
    from .accounts import generate_password
    from .store import accounts

    password = sys.stdin.readline().rstrip("\n") if password_stdin else generate_password()
    account = accounts.add_user(_store(db, create=True), username, name or username, role, password,
                                _known_force(force))
    _say(f"added {account.username} ({account.role_label}{', ' + account.force if account.force else ''})")
    if not password_stdin:
        _say(f"password: {password}")


@users.command("list")
@db_option
@output_options("table")
def users_list(db: str | None, format_: str, output: Path | None) -> None:
    """Every user: name, role, force, whether they may sign in."""
    from .store import accounts

    rows = [{"username": a.username, "name": a.name, "role": a.role, "force": a.force or "",
             "active": "yes" if a.active else "no"} for a in accounts.users(_store(db))]
    _emit(rows, USER_COLUMNS, format_, output, "the users", title="Users")


@users.command("set-role")
@click.argument("username")
@click.argument("role")
@click.option("--force", metavar="NAME", help="The force they work for (staff; an approver may have one).")
@db_option
def users_set_role(username: str, role: str, force: str | None, db: str | None) -> None:
    """Give USERNAME the ROLE (viewer, analyst, staff, approver, administrator); their sessions end."""
    from .store import accounts

    account = accounts.set_role(_store(db), username, role, _known_force(force))
    _say(f"{account.username} is now {account.role_label}{' for ' + account.force if account.force else ''}")


@users.command("disable")
@click.argument("username")
@click.option("--enable", is_flag=True, help="Let them sign in again.")
@db_option
def users_disable(username: str, enable: bool, db: str | None) -> None:
    """Stop a user signing in (their sessions end at once); they stay in every history."""
    from .store import accounts

    accounts.set_active(_store(db), username, enable)
    _say(f"{username} {'may sign in again' if enable else 'is disabled'}")


@users.command("init")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Where the web app will listen (to say so).")
@click.option("--port", type=click.IntRange(1, 65535), default=8055, show_default=True)
def users_init(db: str | None, host: str, port: int) -> None:
    """Make a first administrator if there is none (password from $SCRUTINY_ADMIN_PASSWORD, else
    generated and printed), and say how to sign in."""
    from .accounts import generate_password
    from .store import accounts

    store = _store(db, create=True)
    if accounts.has_administrator(store):
        _say(f"Sign in at http://{host}:{port}/login as an administrator (`scrutiny users list` names them).")
        return
    given = os.environ.get("SCRUTINY_ADMIN_PASSWORD")
    password = given or generate_password()
    accounts.add_user(store, "admin", "Administrator", "administrator", password)
    _say(f"Made the first administrator. Sign in at http://{host}:{port}/login as admin with password "
         f"{'from $SCRUTINY_ADMIN_PASSWORD' if given else password}")
    _say("Add people with `scrutiny users add NAME --role staff --force 'Force Name'`.")


DUE_COLUMNS = ("due", "days_left", "kind", "force", "title", "state")


@app.command()
@click.option("--days", type=click.IntRange(0, 3650), default=30, show_default=True, help="Look this many days ahead.")
@click.option("--force", metavar="NAME", help="Only this force's cases and actions (its name or an alias).")
@today_option
@db_option
@output_options("table")
def due(days: int, force: str | None, today: dt.datetime | None, db: str | None, format_: str,
        output: Path | None) -> None:
    """Cases (responses due) and actions (promised steps) due in the next DAYS days, and every overdue one."""
    from .store import actions

    items = actions.due(_store(db), None, days, _day(today), _known_force(force))
    _emit([vars(i) for i in items], DUE_COLUMNS, format_, output, "what falls due",
          title=f"Due in the next {days} days, and overdue")
