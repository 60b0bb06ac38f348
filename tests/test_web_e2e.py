"""End to end in a real browser (Debian's chromium driven by Playwright) on the sample letters."""
from __future__ import annotations

import os
import shutil
import socket
import threading
import time

import pytest
import uvicorn
from conftest import corpus_files
from documents import make_pdf

from scrutiny.ingest import ingest_paths
from scrutiny.read import read_path
from scrutiny.store import Store
from scrutiny.web import create_app

CHROMIUM = os.environ.get("SCRUTINY_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]

if not os.path.exists(CHROMIUM):
    if os.environ.get("CI"):
        raise RuntimeError(f"chromium not found at {CHROMIUM}: CI must install it")
    pytest.skip("chromium is not installed", allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on a store holding four of the five sample letters (the fifth is uploaded)."""
    folder = tmp_path_factory.mktemp("web")
    store = Store(f"sqlite:///{folder / 'web.db'}")
    list(ingest_paths(store, corpus_files()[:4]))
    port = _free_port()
    config = uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    while not srv.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", folder
    srv.should_exit = True
    thread.join(5)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 820})
    yield context.new_page()
    context.close()


def test_overview_report_and_evidence(server, page):
    base, _ = server
    page.goto(base + "/")
    expect(page.locator("#reports")).to_contain_text("National Child Protection Inspections: 2019 thematic report")
    page.get_by_role("link", name="National Child Protection Inspections: 2019 thematic report").click()
    expect(page.locator("#matrix")).to_contain_text("Warwickshire Police")
    cell = page.get_by_role("link", name="Warwickshire Police, recommendation 2: accepted")
    cell.click()
    expect(page).to_have_url(f"{base}/letters/2#rec-2")
    active = page.locator("mark.ev.active")
    expect(active.first).to_be_visible()
    expect(active.first).to_contain_text("We recommend that chief constables should review performance management")
    page.get_by_role("button", name="Signatory Philip Seccombe").click()
    expect(page.locator("mark.ev.active").first).to_have_text("Philip Seccombe")


def test_search_finds_practice_elsewhere(server, page):
    base, folder = server
    pdf = folder / "west-yorkshire.pdf"
    pdf.write_bytes(make_pdf(read_path(corpus_files()[4]).text))
    page.goto(base + "/upload")
    page.set_input_files("input[name=files]", str(pdf))
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#outcomes")).to_contain_text("stored")
    page.goto(base + "/reports/ncpi-2019-thematic")
    expect(page.locator("#matrix")).to_contain_text("West Yorkshire Police")
    page.goto(base + "/search")
    page.get_by_label("Words").fill("Chance to Change")
    page.get_by_label("Words").press("Enter")
    hits = page.locator("#hits li")
    expect(hits).to_have_count(1)
    expect(hits.first).to_contain_text("West Yorkshire Police")
    expect(hits.first.locator("mark").first).to_have_text("Chance")


def test_correcting_a_date_changes_compliance(server, page):
    base, _ = server
    page.goto(base + "/letters/1")
    expect(page.locator("#c-days")).to_have_text("131")
    expect(page.locator("#c-ontime")).to_have_text("no")
    page.select_option("#correct-field", "letter_date")
    page.fill("#correct-value", "2020-04-01")
    page.fill("#correct-author", "A. Analyst")
    page.get_by_role("button", name="Save correction").click()
    expect(page.locator("#c-days")).to_have_text("34")
    expect(page.locator("#c-ontime")).to_have_text("yes")
    expect(page.locator(".history")).to_contain_text("A. Analyst set letter_date from 2020-07-07 to 2020-04-01")
    expect(page.locator("#v-letter_date")).to_contain_text("human-verified")
    page.goto(base + "/reports/ncpi-2019-thematic?on_time=no")
    expect(page.locator("#matrix")).not_to_contain_text("West Mercia Police")


def test_pages_are_keyboard_navigable(server, page):
    base, _ = server
    page.goto(base + "/reports/ncpi-2019-thematic")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to content")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('#matrix td.cell') !== null"):
            break
    else:
        pytest.fail("no matrix cell reachable by keyboard")
    page.keyboard.press("Enter")
    expect(page.locator("mark.ev.active").first).to_be_visible()
