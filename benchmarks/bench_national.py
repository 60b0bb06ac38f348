"""Every page and API endpoint at national scale, on SQLite and on PostgreSQL.

    python benchmarks/bench_national.py [--documents 20000] [--runs 20] [--pg postgresql://server/db]
        [--only sqlite|postgresql] [--pages REGEX] [--versus [--before OLD/src] [--search-only]]

The store holds 43 forces answering 200 reports (the catalogue's and two of a user's), each
report expecting the forces in its scope: 20,000 documents (letters mostly; web pages and press
statements, each of its own kind in its record; a few whose force or report is not known), each
of five passages, so 100,000 passages are indexed for search; and a check log with each body's
publications read twice (the collector's), so that the statuses include overdue. Documents are
written straight into the documents and versions tables with records in the contract's
shape, made from the sample letters' records (extracting 20,000 letters would take most of
the run and measure the extractor); then the store derives everything else itself, as it
does after an upgrade (documents, responses, answers), so the pages read what ingest would
have stored.

Each URL is requested `runs` times in-process, its parameters varied between runs (another
report, force, document, search, page); p50 and p95 in ms, and p95 as a ratio to a static
file's (the baseline, timed in the same process). `--pages` measures only the URLs whose label
matches (e.g. `overview`). Targets: every page and endpoint
p95 < 300 ms, search p95 < 100 ms. The two exports (every record at once) are reported apart,
being downloads of the whole store, not pages: the time to their first bytes and to all of
them, then their peak memory (Python's allocations, traced in a second, untimed download).
With `--versus`, search is first timed beside datasette's ranked query with a total on the
same SQLite file, and beside an earlier version (`--before`): search_versus.py.
"""
from __future__ import annotations

import argparse
import copy
import datetime as dt
import hashlib
import random
import re
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, delete, insert, select, text

sys.path.insert(0, str(Path(__file__).parent))
from corpus import samples
from search_versus import compare

from scrutiny import catalogue
from scrutiny.extract import extract
from scrutiny.read import read_bytes
from scrutiny.record.compliance import assess
from scrutiny.store import Store, engine_url, reference
from scrutiny.store.checks import record_check
from scrutiny.store.schema import (
    Document,
    Force,
    Meta,
    Report,
    ReportForce,
    Response,
    Version,
)
from scrutiny.web import create_app

PASSAGES = 5  # per document
BATCH = 1000
STANCES = ["accepted"] * 14 + ["partially accepted"] * 3 + ["not accepted", "not stated", "not stated"]
USER_REPORTS = [
    f"id: user-thematic-{n}\ntitle: A user's thematic inspection number {n}\npublished: 2024-0{n}-10\n"
    f"recommendations:\n" + "".join(f"  - number: {k}\n    addressees: [chief constables]\n    wording: Do {k} better.\n"
                                     for k in range(1, 4))
    for n in (1, 2)
]
# Words an analyst searches for: some in most documents, some rare, a phrase.
SEARCHES = ["children", "deferred prosecution", "outcome 22", "performance management", "\"chance to change\"",
            "custody", "vulnerable", "stop and search", "training", "scrutiny board"]


def _passages() -> list[str]:
    """The sample letters' paragraphs, the pool every document's text is drawn from."""
    pool = []
    for raw in samples():
        pool += [" ".join(p.split()) for p in raw.split("\n\n") if len(p.split()) > 12]
    return pool


def _base_records() -> list[dict]:
    return [extract(read_bytes(raw.encode(), f"sample{i}.txt")).to_dict() for i, raw in enumerate(samples())]


def _document(i: int, rng: random.Random, report, force: str | None, pool: list[str], base: dict) -> tuple[str, dict]:
    """One document's text and record: a letter mostly; some web pages and press statements."""
    roll = rng.random()
    kind = "letter" if roll < 0.8 else "web page" if roll < 0.9 else "statement"
    published = report.published if report else None
    responded = (published or dt.date(2021, 1, 1)) + dt.timedelta(days=rng.randint(5, 120))
    name = force or "the force"
    opening = {"letter": f"Dear Sir or Madam,\n\n{name} welcomes the report.",
               "web page": f"We welcome the inspectorate's report. {name} has considered it.",
               "statement": f"The Commissioner said today that {name} would study the report."}[kind]
    title = report.title if report else "an inspection of something else"
    body = [f"{opening} Response to {title}, dated {responded:%d %B %Y}."]
    body += [p.replace("Warwickshire", name) for p in rng.sample(pool, PASSAGES - 1)]
    if i % 50 == 0:
        body[-1] += " The deferred prosecution scheme, Chance to Change, diverts people from court."
    if i % 1000 == 0:  # a word in few documents (search_versus's rare word)
        body[-1] += " The ombudsman's review of complaints is due next year."
    text = "\n\n".join(body)
    record = copy.deepcopy(base)
    record.update(text=text, warnings=["the signatory is not in the reference"] if i % 40 == 0 else [],
                  addressees=[] if kind != "letter" else base["addressees"], initiatives=[])
    record["source"] = {**base["source"], "sha256": hashlib.sha256(f"doc{i}".encode()).hexdigest(),
                        "media_type": "text/html" if kind == "web page" else "text/plain"}
    evidence = [{"start": 0, "end": len(body[0])}]
    record["force"] = {"name": force, "evidence": evidence} if force else None
    record["kind"] = {"name": kind, "evidence": evidence}  # what the store derives the document's kind from
    record["letter_date"] = {"date": responded.isoformat(), "evidence": evidence}
    positions = len(report.force_recommendations) if report else 0
    answers = [{"number": n, "addressed": rng.random() < 0.9, "stance": rng.choice(STANCES), "status": "not stated",
                "evidence": evidence, "quote": None} for n in range(1, positions + 1)]
    record["recommendations"] = answers
    if report:
        record["report"] = {**(base["report"] or {}), "id": report.id, "title": report.title,
                            "published": published.isoformat() if published else None, "evidence": evidence}
    else:
        record["report"] = {**(base["report"] or {}), "id": None, "title": title, "published": None,
                            "evidence": evidence}
    c = assess(published, responded, [a["number"] for a in answers if a["addressed"]], positions or None)
    record["compliance"] = {**c.__dict__, "date_basis": "letter date", "responded": responded.isoformat()}
    return text, record


def build(url: str, documents: int, seed: int = 10) -> Store:
    store = Store(url)
    for source in USER_REPORTS:
        store.add_report(catalogue.load_report_yaml(source), source)
    reports = {r.id: r for r in store.reports()}
    with store.session() as s:
        expected: dict[str, list[str]] = {}
        for report_id, name in s.execute(select(ReportForce.report_id, Force.name).join(Force)):
            expected.setdefault(report_id, []).append(name)
    rng = random.Random(seed)
    pool, bases = _passages(), _base_records()
    report_ids = sorted(expected)
    everyone = [f.name for f in catalogue.forces()]
    weights = [1 + 4 * (i % 7 == 0) for i in range(len(report_ids))]  # some reports with more documents
    start = time.perf_counter()
    with store.engine.begin() as c:
        for first in range(0, documents, BATCH):
            docs, versions, indexed = [], [], []
            for i in range(first + 1, min(documents, first + BATCH) + 1):
                unknown = rng.random()
                report = reports[rng.choices(report_ids, weights)[0]] if unknown > 0.01 else None
                force = rng.choice(expected[report.id] if report else everyone)
                text_, record = _document(i, rng, report, None if unknown > 0.995 else force, pool, bases[i % len(bases)])
                body = {k: v for k, v in record.items() if k != "text"}
                docs.append({"id": i, "source_key": f"bench:{i:06d}.txt"})
                versions.append({"id": i, "document_id": i, "number": 1, "sha256": record["source"]["sha256"],
                                 "filename": f"{i:06d}.txt", "media_type": record["source"]["media_type"],
                                 "content": text_.encode(), "text": text_, "record": body, "is_current": True})
                indexed.append({"id": i, "text": text_})
            c.execute(insert(Document), docs)
            c.execute(insert(Version), versions)
            if store.dialect == "sqlite":
                c.execute(text("INSERT INTO search_index(rowid, text) VALUES (:id, :text)"), indexed)
        if store.dialect == "postgresql":
            c.execute(text("SELECT setval(pg_get_serial_sequence('documents', 'id'), :n)"), {"n": documents})
            c.execute(text("SELECT setval(pg_get_serial_sequence('versions', 'id'), :n)"), {"n": documents})
        c.execute(delete(Meta).where(Meta.key == "derivation"))  # the store derives the rest when it opens
    with store.transaction() as s:  # the collector's log: every body looked at twice, a few looks failed
        ids = reference.force_ids(s)
        for n, force_id in enumerate(sorted(ids.values())):
            for when in (dt.datetime(2023, 6, 1, 9), dt.datetime(2025, 6, 1, 9)):
                record_check(s, force_id, f"https://example.org/{n}", when, when + dt.timedelta(minutes=2),
                             ok=(n + when.year) % 5 != 0)
    print(f"  wrote {documents:,} documents and versions in {time.perf_counter() - start:.1f} s")
    store.engine.dispose()
    start = time.perf_counter()
    store = Store(url)
    print(f"  the store derived documents, responses and answers in {time.perf_counter() - start:.1f} s")
    if store.dialect == "postgresql":
        with store.engine.begin() as c:
            c.exec_driver_sql("ANALYZE")
    return store


def urls(store: Store, documents: int, rng: random.Random) -> dict[str, Callable[[int], str]]:
    """Each page and endpoint, as a URL for the n-th run (its parameters varied run to run)."""
    with store.session() as s:
        busy = [r for r, in s.execute(select(Response.report_id).group_by(Response.report_id)
                                      .order_by(text("count(*) DESC")).limit(20))]
        forces = [f for f, in s.execute(select(Force.id).order_by(Force.id))]
        names = [n for n, in s.execute(select(Force.name).order_by(Force.name))]
        years = [y for y, in s.execute(select(Report.year).where(Report.year.is_not(None)).distinct())]
    ids = rng.sample(range(1, documents + 1), 100)
    pick = lambda seq: (lambda n: seq[n % len(seq)])  # noqa: E731 - a URL's n-th parameter
    report, force, name, doc, words, year = (pick(busy), pick(forces), pick(names), pick(ids), pick(SEARCHES),
                                             pick(sorted(years)))
    return {
        "/": lambda n: "/",
        "/api/overview": lambda n: "/api/overview",
        "/reports": lambda n: f"/reports?page={1 + n % 4}",
        "/reports?sort=overdue&responded": lambda n: "/reports?sort=overdue&responded=yes",
        "/api/reports?year": lambda n: f"/api/reports?year={year(n)}",
        "/reports/{id}": lambda n: f"/reports/{report(n)}",
        "/reports/{id}?sort&status": lambda n: f"/reports/{report(n)}?sort=days&status=late",
        "/api/reports/{id}": lambda n: f"/api/reports/{report(n)}",
        "/api/reports/{id}/matrix.csv": lambda n: f"/api/reports/{report(n)}/matrix.csv",
        "/reports/{id}/briefing": lambda n: f"/reports/{report(n)}/briefing",
        "/forces": lambda n: "/forces",
        "/api/forces": lambda n: "/api/forces",
        "/forces/{id}": lambda n: f"/forces/{force(n)}",
        "/api/forces/{id}?status": lambda n: f"/api/forces/{force(n)}?status=on+time",
        "/documents (pages 1 to 400)": lambda n: f"/documents?page={1 + n * 37 % 400}",
        "/documents?force&kind": lambda n: f"/documents?force={name(n)}&kind=letter",
        "/api/documents?on_time&year": lambda n: f"/api/documents?on_time=no&year={year(n)}&sort=force",
        "/documents/{id}": lambda n: f"/documents/{doc(n)}",
        "/api/documents/{id}": lambda n: f"/api/documents/{doc(n)}",
        "/api/documents/{id}/history": lambda n: f"/api/documents/{doc(n)}/history",
        "/review": lambda n: f"/review?page={1 + n % 3}",
        "/api/review": lambda n: "/api/review",
        "/upload": lambda n: "/upload",
        "/docs": lambda n: "/docs",
        "search: /search?q": lambda n: f"/search?q={words(n)}",
        "search: /api/search?q": lambda n: f"/api/search?q={words(n)}&page={1 + n % 2}",
        "search: /search?q&force": lambda n: f"/search?q={words(n)}&force={name(n)}",
        "search: /api/search (no words)": lambda n: f"/api/search?year={year(n)}&kind=letter",
    }


def measure(client: TestClient, url_for: Callable[[int], str], runs: int) -> list[float]:
    out = []
    client.get(url_for(runs))  # once unmeasured: the first request of a URL shape pays for imports
    for n in range(runs):
        url = url_for(n)
        start = time.perf_counter()
        response = client.get(url)
        out.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code, response.text[:300])
    return sorted(out)


def _download(client: TestClient, url: str) -> tuple[float, float, int]:
    """(seconds to the first bytes of the body, seconds to all of it, its size)."""
    start = time.perf_counter()
    first, size = None, 0
    with client.stream("GET", url) as response:
        for chunk in response.iter_bytes():
            first = time.perf_counter() - start if first is None else first
            size += len(chunk)
    return first or 0.0, time.perf_counter() - start, size


BASELINE = "/static/style.css"


def run(url: str, documents: int, runs: int, only: str | None = None,
        versus: tuple[str, str | None] | None = None, pages: bool = True) -> None:
    """Build the store at `url` and time its pages (`only` those whose label matches); with
    `versus` (the SQLite file of the same documents, and an earlier version's src folder or
    None), its search beside datasette's."""
    print(f"{url.split(':')[0]}: building a store of {documents:,} documents")
    store = build(url, documents)
    if versus:
        compare(url, versus[0], runs, versus[1])
    if not pages:
        store.engine.dispose()
        return
    with store.session() as s:
        counts = {name: s.scalar(select(text("count(*)")).select_from(table)) for name, table in
                  (("documents", Document), ("responses", Response), ("reports", Report), ("forces", Force))}
    print("  " + ", ".join(f"{n:,} {name}" for name, n in counts.items()) + f", {documents * PASSAGES:,} passages")
    with store.session() as s:
        kinds = dict(s.execute(select(Document.kind, text("count(*)")).group_by(Document.kind)).all())
    print("  documents by kind: " + ", ".join(f"{n:,} {kind}" for kind, n in sorted(kinds.items())))
    client = TestClient(create_app(store))
    base = measure(client, lambda n: BASELINE, runs)
    base_p95 = base[int(0.95 * (len(base) - 1))]
    print(f"  baseline {BASELINE}: p50 {statistics.median(base):.1f} ms, p95 {base_p95:.1f} ms")
    overview = client.get("/api/overview").json()
    print(f"  the overview: {overview['in_scope']:,} in scope; coverage {overview['coverage']}; "
          f"statuses {overview['counts']}")
    worst, worst_search = 0.0, 0.0
    print(f"  {'page or endpoint':42s} {'p50 ms':>8s} {'p95 ms':>8s} {'p95 / baseline':>15s}")
    for label, url_for in urls(store, documents, random.Random(5)).items():
        if only and not re.search(only, label):
            continue
        t = measure(client, url_for, runs)
        p50, p95 = statistics.median(t), t[int(0.95 * (len(t) - 1))]
        if label.startswith("search"):
            worst_search = max(worst_search, p95)
        else:
            worst = max(worst, p95)
        print(f"  {label:42s} {p50:8.1f} {p95:8.1f} {p95 / base_p95:14.0f}x")
    print(f"  worst p95: pages and endpoints {worst:.1f} ms (target < 300), search {worst_search:.1f} ms (target < 100)")
    for export in ("/api/export.csv", "/api/export.json") if not only else ():
        first, total, size = _download(client, export)
        tracemalloc.start()
        _download(client, export)  # again, its memory traced (which slows it: not timed)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"  {export}: first bytes after {first:.2f} s, all {size / 2**20:.0f} MB after {total:.1f} s; "
              f"peak memory {peak / 2**20:.0f} MB (every record)")
    store.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--pg", help="a PostgreSQL server's URL: the benchmark makes (and drops) a database there")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--pages", metavar="REGEX", help="only the pages and endpoints whose label matches")
    parser.add_argument("--versus", action="store_true",
                        help="search beside datasette's ranked query with a total on the same SQLite file")
    parser.add_argument("--before", help="with --versus, also the code in this src folder (an earlier checkout's)")
    parser.add_argument("--search-only", action="store_true", help="with --versus, no pages or exports")
    args = parser.parse_args()
    sqlite_file = Path(tempfile.mkdtemp()) / "national.db"
    versus = (str(sqlite_file), args.before) if args.versus else None
    pages = not (args.versus and args.search_only)
    if args.only != "postgresql" or versus:  # (PostgreSQL's search is compared with datasette on SQLite)
        run(f"sqlite:///{sqlite_file}", args.documents, args.runs, args.pages,
            versus if args.only != "postgresql" else None, pages and args.only != "postgresql")
    if args.pg and args.only != "sqlite":
        name = f"scrutiny_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(engine_url(args.pg), isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.exec_driver_sql(f"CREATE DATABASE {name}")
        try:
            run(args.pg.rsplit("/", 1)[0] + "/" + name, args.documents, args.runs, args.pages, versus, pages)
        finally:
            with admin.connect() as c:
                c.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            admin.dispose()


if __name__ == "__main__":
    main()
