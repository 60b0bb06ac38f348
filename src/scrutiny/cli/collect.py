"""The collector's commands: `collect` (fetch what the sources list, ingest it, log each look)
and `sources` (the start pages: add, list, remove)."""
from __future__ import annotations

from pathlib import Path

import click

from .app import app
from .output import (
    console,
    db_option,
    emit,
    known_force,
    open_store,
    output_options,
    say,
    settings,
)

SOURCE_COLUMNS = ("id", "force", "url", "origin", "note")


@app.command()
@click.option("--sources", "sources_file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="A CSV file with the header force,url: collect from these (default: the store's sources).")
@click.option("--force", metavar="NAME", help="Only this force's sources.")
@click.option("--delay", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
              help="Seconds between two requests to one host (default: $SCRUTINY_COLLECT_DELAY, 1).")
@db_option
def collect(sources_file: Path | None, force: str | None, delay: float | None, db: str | None) -> None:
    """Fetch each source page, follow what it lists, and ingest what it finds as `ingest` does;
    log each look at a source (the check log). Polite: robots.txt, one request at a time per
    host, conditional requests. A rerun after an interruption completes the collection."""
    from rich.progress import BarColumn, Progress, TextColumn

    from ..collect import collect_sources, read_sources, stored_sources, user_agent

    configured = settings()
    user_agent(configured)  # first: no contact is said before anything is opened
    name = known_force(force)
    store = open_store(db, create=True)
    chosen = read_sources(store, sources_file, name) if sources_file else stored_sources(store, name)
    if not chosen:
        raise click.UsageError("no sources to collect from" + (f" for {name}" if name else "")
                               + ": add one with `scrutiny sources add FORCE URL`, or give --sources FILE")
    screen = console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed} requests"),
                  console=screen, transient=True, disable=not screen.is_terminal) as progress:
        tasks: dict[str, object] = {}

        def advance(site: str, done: int, left: int) -> None:
            if site not in tasks:
                tasks[site] = progress.add_task(site, total=None)
            progress.update(tasks[site], completed=done, total=done + left)  # type: ignore[arg-type]

        report = collect_sources(store, chosen, configured, delay=delay, progress=advance,
                                 say=lambda line: progress.console.print(f"failed: {line}", markup=False,
                                                                         highlight=False))
    for site, tally in sorted(report.by_site.items()):
        say(f"{site}: {tally}", err=True)
    say(f"{len(chosen)} source{'s' * (len(chosen) != 1)}: {report.total}")


@app.group()
def sources() -> None:
    """The pages the collector starts from: bundled (the policing bodies' sites) and users'."""


@sources.command("list")
@click.option("--force", metavar="NAME", help="Only this force's sources.")
@db_option
@output_options("table")
def sources_list(force: str | None, db: str | None, format_: str, output: Path | None) -> None:
    """Every source: its id, force, address, whether bundled or a user's, and the evidence."""
    from ..store.sources import sources as listed

    rows = [{"id": s.id, "force": s.force, "url": s.url, "origin": s.origin, "note": s.note}
            for s in listed(open_store(db, create=True), known_force(force))]
    emit(rows, SOURCE_COLUMNS, format_, output, "the sources", title="Sources")


@sources.command("add")
@click.argument("force")
@click.argument("url")
@click.option("--note", default="", help="Why this page: what it lists (kept as the source's evidence).")
@db_option
def sources_add(force: str, url: str, note: str, db: str | None) -> None:
    """Collect from URL for FORCE from now on (a page listing its responses, or its news)."""
    import getpass

    from ..store.sources import add_source

    added = add_source(open_store(db, create=True), known_force(force) or force, url, note,
                       f"cli:{getpass.getuser()}")
    say(f"added source {added.id}: {added.force} {added.url}")


@sources.command("remove")
@click.argument("source_id", type=click.IntRange(1, 2**31 - 1), metavar="ID")
@db_option
def sources_remove(source_id: int, db: str | None) -> None:
    """Stop collecting from source ID (`sources list` gives ids); its check log is kept."""
    from ..store.sources import remove_source

    removed = remove_source(open_store(db, create=True), source_id)
    say(f"removed source {removed.id}: {removed.force} {removed.url}")
