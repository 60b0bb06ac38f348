"""The collector's commands: `collect` (fetch what the sources list, ingest it, log each look)
and `sources` (the start pages: add, list, remove)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from .app import app, reports
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

if TYPE_CHECKING:
    from ..collect import Source
    from ..settings import Settings
    from ..store import Store

SOURCE_COLUMNS = ("id", "force", "url", "origin", "note")
PENDING_COLUMNS = ("id", "title", "published", "forces", "recommendations", "url", "found_at")


@app.command()
@click.option("--sources", "sources_file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="A CSV file with the header force,url: collect from these (default: the store's sources).")
@click.option("--force", metavar="NAME", help="Only this force's sources.")
@click.option("--hmicfrs", "lists", multiple=True, metavar="URL",
              help="An HMICFRS publication list to read for new reports (repeatable; default: "
                   "$SCRUTINY_COLLECT_HMICFRS). With it, the bodies' sites only with --sources.")
@click.option("--delay", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
              help="Seconds between two requests to one host (default: $SCRUTINY_COLLECT_DELAY, 1).")
@db_option
def collect(sources_file: Path | None, force: str | None, lists: tuple[str, ...], delay: float | None,
            db: str | None) -> None:
    """Fetch each source page, follow what it lists, and ingest what it finds as `ingest` does;
    log each look at a source (the check log). Read HMICFRS's publication lists for new reports,
    which wait in the review queue for an analyst. Polite: robots.txt, one request at a time per
    host, conditional requests. A rerun after an interruption completes the collection."""
    from ..collect import collect_reports, list_pages, read_sources, stored_sources, user_agent

    configured = settings()
    user_agent(configured)  # first: no contact is said before anything is opened
    name = known_force(force)
    hmicfrs = list_pages(" ".join(lists), "--hmicfrs") if lists else list_pages(configured.collect_hmicfrs)
    store = open_store(db, create=True)
    chosen = read_sources(store, sources_file, name) if sources_file else [] if lists else stored_sources(store, name)
    if not chosen and not hmicfrs:
        raise click.UsageError("no sources to collect from" + (f" for {name}" if name else "")
                               + ": add one with `scrutiny sources add FORCE URL`, or give --sources FILE")
    if chosen:
        _collect_sources(store, chosen, configured, delay)
    if hmicfrs:
        found = collect_reports(store, hmicfrs, configured, delay=delay,
                                say=lambda line: say(f"failed: {line}", err=True))
        say(f"HMICFRS: {found}")


def _collect_sources(store: Store, chosen: list[Source], configured: Settings, delay: float | None) -> None:
    from rich.progress import BarColumn, Progress, TextColumn

    from ..collect import collect_sources

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


@reports.command("pending")
@db_option
@output_options("table")
def reports_pending(db: str | None, format_: str, output: Path | None) -> None:
    """New reports found on HMICFRS's publication lists, waiting for an analyst (`reports
    confirm` or `reports reject`); none of them counts in any figure yet."""
    from ..store.pending import waiting
    from ..store.query import MAX_PER_PAGE

    store, rows, page = open_store(db, create=True), [], 1
    while True:
        listed = waiting(store, page=page, per_page=MAX_PER_PAGE)
        rows += [{"id": r.id, "title": r.title, "published": r.published, "forces": "; ".join(r.forces),
                  "recommendations": r.recommendations, "url": r.url, "found_at": r.found_at} for r in listed.items]
        if page >= listed.pages:
            break
        page += 1
    emit(rows, PENDING_COLUMNS, format_, output, "the new reports", title="New reports waiting for review")


@reports.command("confirm")
@click.argument("pending_id", type=click.IntRange(1, 2**31 - 1), metavar="ID")
@click.option("--scope", "applies", type=click.Choice(["all-forces", "named-forces", "none"]), required=True,
              help="Whose body must answer it.")
@click.option("--force", "forces", multiple=True, metavar="NAME",
              help="For named-forces: a force (repeatable; default: those its page names).")
@db_option
def reports_confirm(pending_id: int, applies: str, forces: tuple[str, ...], db: str | None) -> None:
    """Confirm new report ID (`reports pending` gives ids) into the catalogue with its scope; the
    office gets a case for each in-scope force whose staff work here."""
    from ..collect.hmicfrs import confirm
    from .oversight import _cli_author

    done = confirm(open_store(db, create=True), pending_id, applies, [known_force(f) or f for f in forces],
                   _cli_author())
    say(f"confirmed {done.report_id}; {len(done.cases)} case{'s' * (len(done.cases) != 1)} opened"
        + (f" ({', '.join(map(str, done.cases))})" if done.cases else ""))


@reports.command("reject")
@click.argument("pending_id", type=click.IntRange(1, 2**31 - 1), metavar="ID")
@click.option("--reason", default="", help="Why (kept with the decision).")
@db_option
def reports_reject(pending_id: int, reason: str, db: str | None) -> None:
    """Reject new report ID: it stays out of the catalogue, and later collections do not offer it again."""
    from ..store.pending import reject
    from .oversight import _cli_author

    done = reject(open_store(db, create=True), pending_id, _cli_author(), reason)
    say(f"rejected new report {done.id}: {done.title}")
