"""What the commands share: their common options, the store they open, and how rows are
written (a table, CSV or JSON, to stdout or a file)."""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..errors import InputError, InvalidValue, summarise

if TYPE_CHECKING:
    from rich.console import Console

    from ..settings import Settings
    from ..store import Store


# --- options more than one command takes --------------------------------------------------------

FORMATS = ("table", "csv", "json", "xlsx")

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


def console(stderr: bool = False) -> Console:
    """rich, for the commands that draw tables or a progress bar. Into a pipe or a file, a
    table is as wide as its values need (a terminal's width, or $COLUMNS, bounds it otherwise)."""
    from rich.console import Console

    console = Console(stderr=stderr, soft_wrap=True)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = 100_000
    return console


def say(line: str, err: bool = False) -> None:
    click.echo(line, err=err)


def settings() -> Settings:
    """The settings, read once, when a command that needs them starts: a value that cannot be
    used is one line naming its variable. (Not at import: `scrutiny --help` needs none.)"""
    from ..settings import get_settings

    return get_settings()


def open_store(db: str | None, create: bool = False) -> Store:
    """The store at `db`; reading commands (the default) refuse a SQLite file that is not there."""
    from .. import oversight

    return oversight.open_store(db, create=create)


def exit_code(ok: int, failed: int, strict: bool) -> int:
    """Non-zero only where nothing in the batch succeeded, or anything failed under --strict."""
    return 1 if failed and (strict or not ok) else 0


def show_tracebacks(verbose: bool) -> None:
    if verbose:
        logging.basicConfig(stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")


def the_day(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value else None


def cell(value: Any) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value)) or "-"
    return str(value)


def plain(value: Any) -> Any:
    """A value as JSON and CSV write it: dates as ISO days, tuples as lists."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def write(body: str | bytes | Iterable[str], output: Path | None, what: str) -> None:
    """Write the body (or its pieces, as they come) to `output`, or to standard output. A file
    is written beside `output` and renamed over it once complete: an export that fails part
    way leaves the previous file as it was, not a half of the new one."""
    if isinstance(body, bytes) and output is None:
        sys.stdout.buffer.write(body)
        return
    pieces = [body] if isinstance(body, (str, bytes)) else body
    if output:
        partial = output.with_name(f".{output.name}.partial")
        try:
            with partial.open("wb") if isinstance(body, bytes) else partial.open("w", encoding="utf-8") as file:
                file.writelines(pieces)  # type: ignore[arg-type]  # bytes to a binary file, text to a text one
            partial.replace(output)
        except OSError as exc:  # named as the user named it, not by the partial file
            raise InputError(str(output), exc.strerror or summarise(exc)) from None
        finally:
            partial.unlink(missing_ok=True)
        say(f"wrote {what} to {output}", err=True)
    else:
        sys.stdout.writelines(pieces)  # type: ignore[arg-type]  # text: bytes went to the buffer above


def emit(rows: Sequence[dict[str, Any]], columns: Sequence[str], format_: str, output: Path | None,
          what: str, title: str | None = None) -> None:
    """Rows as a table, CSV (a header, then a row each; UTF-8 with a byte-order mark, which Excel
    needs), JSON (an array of objects) or an Excel workbook."""
    from ..oversight.exports import table_csv, table_xlsx

    body: str | bytes
    if format_ == "json":
        body = json.dumps([{c: plain(r[c]) for c in columns} for r in rows], ensure_ascii=False, indent=1) + "\n"
    elif format_ == "csv":
        body = table_csv(columns, ([" ".join(map(str, r[c])) if isinstance(r[c], tuple) else r[c] for c in columns]
                                   for r in rows))
    elif format_ == "xlsx":
        body = table_xlsx(columns, ([r[c] for c in columns] for r in rows), title=title or what)
    else:
        from rich.table import Table

        table = Table(title=title)
        for column in columns:
            table.add_column(column.replace("_", " "))
        for r in rows:
            table.add_row(*(cell(r[c]) for c in columns))
        shown = console()
        if output is None:
            shown.print(table)
            return
        with shown.capture() as captured:
            shown.print(table)
        body = captured.get()
    write(body, output, what)


def invoked_as() -> str:
    """How to run `scrutiny` again from here: its name where the PATH finds this very program,
    else its path (`.venv/bin/scrutiny` after `make run`, whose venv is not activated)."""
    program = Path(sys.argv[0])
    if program.name != "scrutiny":  # run some other way (python -m, a test): the name is all we know
        return "scrutiny"
    found = shutil.which("scrutiny")
    if found and Path(found).resolve() == program.resolve():
        return "scrutiny"
    try:
        return str(program.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(program)


def samples_dir() -> Path:
    from importlib import resources

    return Path(str(resources.files("scrutiny").joinpath("samples")))


def known_force(name: str | None) -> str | None:
    """A force's name as stored, from its name or an alias in any case."""
    if name is None:
        return None
    from .. import catalogue

    known = {alias.lower(): canonical for alias, canonical in catalogue.force_names().items()}
    if name.lower() not in known:
        raise InvalidValue(f"--force: {name!r} is not one of the 43 forces of England and Wales")
    return known[name.lower()]

