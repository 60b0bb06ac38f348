"""The collector against mirror sites on 127.0.0.1 (tests/mirror.py), as a real `scrutiny collect`
process: the responses stored with where they came from, nothing else taken for one, robots.txt
obeyed, the delay kept per host, the User-Agent in every request; a second run downloads no
unchanged document and stores nothing new; kill -9 part way, and a rerun completes. Then the
sources (commands, the administrator's page) and the check log on the force page, on both engines."""
from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import time

import pytest
from fastapi.testclient import TestClient
from mirror import build
from signin import sign_in, user
from sqlalchemy import text

from scrutiny.collect import discover
from scrutiny.record.vocabulary import ResponseStatus
from scrutiny.store import Store
from scrutiny.store.checks import record_check
from scrutiny.store.schema import Force
from scrutiny.web import create_app

DELAY = 0.2
CONTACT = "collector-tests@example.org"
ENV = {"SCRUTINY_COLLECT_CONTACT": CONTACT, "SCRUTINY_COLLECT_TIMEOUT": "1", "SCRUTINY_COLLECT_MAX_MB": "1"}


@pytest.fixture
def mirror():
    sites = build()
    yield sites
    sites.stop()


def _sources(mirror, tmp_path):
    path = tmp_path / "sources.csv"
    path.write_text("force,url\n" + "".join(f"{force},{url}\n" for force, url in mirror.sources), encoding="utf-8")
    return path


def _collect(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "scrutiny", "collect", *args], env={**os.environ, **ENV},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _run(*args: str) -> tuple[str, str]:
    process = _collect(*args)
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    return stdout, stderr


def _summary(stdout: str) -> dict[str, int]:
    return {word: int(n) for n, word in re.findall(r"(\d+) (fetched|unchanged|new|skipped|failed)", stdout)}


def _stored(url: str) -> dict[str, dict]:
    """Each stored document's record by the address it came from."""
    store = Store(url)
    records = {d.record["source"].get("url"): d.record for d in store.documents()}
    store.engine.dispose()
    return records


def test_collect_stores_the_responses_politely_and_a_second_run_downloads_nothing(mirror, tmp_path, empty_url):
    sources = _sources(mirror, tmp_path)
    stdout, stderr = _run("--sources", str(sources), "--delay", str(DELAY), "--db", empty_url)

    stored = _stored(empty_url)
    found = [url for url in mirror.responses if url in stored]
    assert len(found) >= 0.95 * len(mirror.responses), sorted(set(mirror.responses) - set(found))
    assert not [url for url in mirror.others if url in stored]  # no statement by a chief constable, no news
    assert all(r["response"]["value"] for r in stored.values())
    first = _summary(stdout)
    assert first["new"] == len(stored) and first["skipped"] >= 3 and first["failed"] == 4, stdout

    # One line per failure, naming the address and the problem; the other sites went on.
    failures = [line for line in stderr.splitlines() if line.startswith("failed: ")]
    assert any("/media/removed.pdf: HTTP 404" in line for line in failures)
    assert any("/statutory-response/loop/: a redirect loop" in line for line in failures)
    assert any("/statutory-response/slow/: no answer in time" in line for line in failures)
    assert any("/media/huge-response.pdf: too large" in line for line in failures)
    assert "Traceback" not in stderr

    # Provenance: the address (after a redirect, the one it moved to), first seen, Last-Modified;
    # an undated text is dated by when it was first seen online, and says so.
    some = next(iter(stored.values()))
    assert some["source"]["last_modified"] == "Mon, 02 Mar 2020 09:00:00 GMT"
    assert dt.datetime.fromisoformat(some["source"]["first_seen"]).date() == dt.datetime.now(dt.UTC).date()
    assert any(r["compliance"]["date_basis"] == "first seen online" for r in stored.values())
    assert not any("old-address" in url for url in stored)

    # Politeness, at the servers: robots.txt obeyed, one request at a time per host, the delay
    # between them (the longer Crawl-delay where a site asks for one), the User-Agent in every one.
    for site in mirror.sites:
        assert site.requests and all(r.user_agent.startswith("Scrutiny/") and CONTACT in r.user_agent
                                     for r in site.requests)
        assert not [r.path for r in site.requests if any(r.path.startswith(p) for p in mirror.disallowed.get(site.name, ()))]
        delay = 1.0 if site.name == "years" else DELAY
        gaps = [b.at - a.at for a, b in zip(site.requests, site.requests[1:])]
        assert min(gaps) >= delay - 0.01, (site.name, min(gaps))

    # A second run: every document is asked for conditionally and none is downloaded again.
    before = {site.name: len(site.requests) for site in mirror.sites}
    stdout, _ = _run("--sources", str(sources), "--delay", str(DELAY), "--db", empty_url)
    again = _summary(stdout)
    assert again["new"] == 0 and again["fetched"] == 0, stdout
    for site in mirror.sites:
        documents = [r for r in site.requests[before[site.name]:] if r.path in {u.split(site.base, 1)[-1]
                                                                                for u in mirror.responses}]
        assert documents and all(r.status == 304 for r in documents), site.name
    assert _stored(empty_url).keys() == stored.keys()

    # The check log: each source, each run, what it found.
    store = Store(empty_url)
    with store.engine.connect() as c:
        log = c.execute(text("SELECT url, ok, found, skipped, failed FROM source_checks ORDER BY id")).all()
    store.engine.dispose()
    assert len(log) == 2 * len(mirror.sources) and all(ok for _, ok, *_ in log)
    assert sum(found for _, _, found, _, _ in log[:4]) == sum(found for _, _, found, _, _ in log[4:]) >= len(found)


def test_kill_9_during_a_collection_then_a_rerun_completes(mirror, tmp_path, empty_url):
    sources = _sources(mirror, tmp_path)
    process = _collect("--sources", str(sources), "--delay", str(DELAY), "--db", empty_url)
    deadline = time.monotonic() + 120
    while sum(len(site.requests) for site in mirror.sites) < 30 and time.monotonic() < deadline:
        time.sleep(0.01)  # part way: some documents stored, most not
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    partial = _stored(empty_url)
    assert 0 < len(partial) < len(mirror.responses)

    stdout, _ = _run("--sources", str(sources), "--delay", str(DELAY), "--db", empty_url)
    stored = _stored(empty_url)
    assert len([u for u in mirror.responses if u in stored]) >= 0.95 * len(mirror.responses)
    store = Store(empty_url)
    with store.engine.connect() as c:
        versions = c.execute(text("SELECT count(*), count(DISTINCT sha256) FROM versions")).one()
        documents = c.execute(text("SELECT count(*), count(DISTINCT source_key) FROM documents")).one()
    store.engine.dispose()
    assert versions[0] == versions[1] and documents[0] == documents[1] == len(stored)
    assert _summary(stdout)["new"] == len(stored) - len(partial)


def test_discovery_tells_candidates_listings_and_paging_apart():
    page = b"""<html><head><title>News</title><link rel="next" href="/news/page/2/"></head><body>
      <nav><a href="/hmicfrs-inspection-in-the-menu/">HMICFRS menu link</a></nav>
      <article><h2><a href="/news/pcc-responds-to-hmicfrs-peel-report/">PCC responds to PEEL report</a></h2></article>
      <article><h2><a href="/news/community-fund/">Community fund opens</a></h2></article>
      <ul><li><a href="/hmic-reports-2019/">HMICFRS reports 2019</a></li></ul>
      <table><tr><td>Crime data integrity</td><td><a href="/media/letter.pdf">Download</a></td></tr></table>
      <p><a href="/news/?page=3">3</a> <a href="/news/older/">Older posts</a> <a href="/logo.png">HMICFRS logo</a>
      <a href="mailto:office@example.org">Write to the inspection team</a></p></body></html>"""
    links, prose = discover.links(page, "http://127.0.0.1:1/news/")
    assert not prose  # a list, not a text to read
    found = {f.url.removeprefix("http://127.0.0.1:1"): f.role for f in links}
    assert found == {"/news/page/2/": discover.PAGING, "/news/pcc-responds-to-hmicfrs-peel-report/": discover.CANDIDATE,
                     "/hmic-reports-2019/": discover.LISTING, "/media/letter.pdf": discover.CANDIDATE,
                     "/news/?page=3": discover.PAGING, "/news/older/": discover.PAGING}


def test_collect_without_a_contact_is_one_line(tmp_path):
    process = subprocess.run([sys.executable, "-m", "scrutiny", "collect", "--db", f"sqlite:///{tmp_path / 'x.db'}"],
                             env={k: v for k, v in os.environ.items() if k != "SCRUTINY_COLLECT_CONTACT"},
                             capture_output=True, text=True, timeout=60)
    assert process.returncode == 1
    assert process.stderr.strip().splitlines() == [
        "error: SCRUTINY_COLLECT_CONTACT: set it to an e-mail or web address where a site's owner can reach you; "
        "the collector names it in every request"]


def test_sources_commands_list_the_bundled_ones_and_keep_users(tmp_path):
    db = f"sqlite:///{tmp_path / 'sources.db'}"

    def scrutiny(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "scrutiny", "sources", *args, "--db", db], capture_output=True,
                              text=True, timeout=60)

    listed = scrutiny("list", "--format", "csv")
    assert listed.returncode == 0 and listed.stdout.count(",bundled,") == 42  # a body with no known site has none
    added = scrutiny("add", "Cheshire", "https://www.cheshire-pcc.gov.uk/news/", "--note", "its news")
    assert added.returncode == 0 and "Cheshire Constabulary https://www.cheshire-pcc.gov.uk/news/" in added.stdout
    source_id = re.search(r"source (\d+)", added.stdout).group(1)
    assert ",user," in scrutiny("list", "--force", "Cheshire", "--format", "csv").stdout
    refused = scrutiny("add", "Cheshire", "https://user:secret@example.org/")
    assert refused.returncode == 1 and refused.stderr.strip() == (
        "error: url: an address with a user name or password in it is not collected")
    assert scrutiny("remove", source_id).returncode == 0
    assert ",user," not in scrutiny("list", "--format", "csv").stdout


def _force_id(store: Store, name: str) -> int:
    with store.session() as s:
        return s.query(Force.id).filter(Force.name == name).scalar()


def test_the_force_page_shows_its_check_log(store):
    kent = _force_id(store, "Kent Police")
    with store.transaction() as s:
        for day in (1, 15, 28):
            at = dt.datetime(2026, 3, day, 9, tzinfo=dt.UTC)
            record_check(s, kent, "https://www.kent-pcc.gov.uk/hmicfrs/", at, at + dt.timedelta(minutes=2), True, 0,
                         2, 0, "")
        record_check(s, kent, "https://www.kent-pcc.gov.uk/hmicfrs/", at, at, False, 0, 0, 1, "HTTP 503")
    client = TestClient(create_app(store))
    log = client.get("/api/forces/Kent Police").json()["check_log"]
    assert log["summary"] == "checked 3 times between 1 March 2026 and 28 March 2026, nothing found"
    assert (log["checks"], log["failed_checks"], len(log["recent"])) == (3, 1, 4)
    page = client.get("/forces/Kent Police").text
    assert "checked 3 times between 1 March 2026 and 28 March 2026, nothing found" in page and "HTTP 503" in page
    assert client.get("/api/forces/Essex Police").json()["check_log"]["summary"] == "never checked"


def test_sources_page_is_an_administrators_and_needs_the_csrf_token(store):
    user(store, "ada", "administrator")
    user(store, "ann", "analyst")
    client = TestClient(create_app(store))
    assert client.get("/api/sources").status_code == 401
    sign_in(client, "ann")
    assert client.get("/api/sources").status_code == 403
    sign_in(client, "ada")
    assert len(client.get("/api/sources").json()) == 42
    token = client.headers.pop("X-CSRF-Token")
    refused = client.post("/api/sources", json={"force": "Kent", "url": "https://www.kent-pcc.gov.uk/news/"})
    assert refused.status_code == 403 and "CSRF" in refused.json()["error"]
    client.headers["X-CSRF-Token"] = token
    added = client.post("/api/sources", json={"force": "Kent", "url": "https://www.kent-pcc.gov.uk/news/",
                                              "note": "<b>news</b>"})
    assert added.status_code == 201 and added.json()["force"] == "Kent Police" and added.json()["origin"] == "user"
    page = client.get("/sources").text
    assert "https://www.kent-pcc.gov.uk/news/" in page and "&lt;b&gt;news&lt;/b&gt;" in page
    assert client.post("/api/sources", json={"force": "Kent", "url": "ftp://x"}).status_code == 422
    assert client.delete(f"/api/sources/{added.json()['id']}").status_code == 200
    assert client.delete(f"/api/sources/{added.json()['id']}").status_code == 404


def test_the_check_log_drives_overdue_and_not_collected(store):
    from scrutiny.store.national import pairs

    checked = _force_id(store, "Kent Police")
    with store.transaction() as s:
        at = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
        record_check(s, checked, "https://www.kent-pcc.gov.uk/hmicfrs/", at, at, True, 0, 0, 0, "")
    rows = {r.force: r.status for r in pairs(store, report_id="ncpi-2019-thematic", today=dt.date(2026, 7, 1))}
    assert rows["Kent Police"] == ResponseStatus.OVERDUE
    assert rows["Essex Police"] == ResponseStatus.NOT_COLLECTED


def test_what_the_bundled_sources_find_on_a_mirror_of_the_bodies_sites(tmp_path, capsys):
    from mirror import bundled

    from scrutiny.catalogue import policing
    from scrutiny.collect import collect_sources, stored_sources
    from scrutiny.settings import Settings

    sites = bundled(policing.body_sites())
    transport = sites.transport()
    store = Store(f"sqlite:///{tmp_path / 'bundled.db'}")
    try:
        report = collect_sources(store, stored_sources(store), Settings(collect_contact=CONTACT, collect_timeout=5),
                                 delay=0.05, transport=transport)  # type: ignore[arg-type]
        stored = {d.record["source"]["url"] for d in store.documents()}
        with store.session() as s:
            outcomes = dict(s.execute(text("SELECT url, outcome || ': ' || note FROM fetched")).tuples().all())
    finally:
        sites.stop()
        store.engine.dispose()
    found = [url for url in sites.reachable if url in stored]
    with capsys.disabled():
        print(f"\nthe bundled sources on the mirror: {len(found)} of {len(sites.reachable)} responses on their body's "
              f"source site stored; {len(sites.elsewhere)} published on another host not reached; {report.total}")
    assert len(found) >= 0.95 * len(sites.reachable), {u: outcomes.get(u) for u in sites.reachable if u not in stored}
    assert not stored & set(sites.others) and not stored & set(sites.elsewhere)
    assert stored <= set(sites.reachable), stored - set(sites.reachable)  # no list page taken for a response
