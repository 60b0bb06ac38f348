"""Screenshots of the overview, a report matrix and a letter page for docs/ (run by hand).

Serves the app on a store of the sample letters plus varied copies of them, so the pages
look as they do with many forces, and photographs them in Debian's chromium.
"""
from __future__ import annotations

import sys
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).parent))
from corpus import letters  # noqa: E402

from scrutiny.ingest import ingest_bytes  # noqa: E402
from scrutiny.store import Store  # noqa: E402
from scrutiny.web import create_app  # noqa: E402

DOCS = Path(__file__).parents[1] / "docs"


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    store = Store(f"sqlite:///{folder / 'shots.db'}")
    for name, text in letters(60, seed=3):
        ingest_bytes(store, text.encode(), name, f"bench:{name}")
    server = uvicorn.Server(uvicorn.Config(create_app(store), host="127.0.0.1", port=8765, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                          "--disable-background-networking", "--disable-component-update"])
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto("http://127.0.0.1:8765/")
        page.screenshot(path=DOCS / "overview.png", full_page=True)
        page.goto("http://127.0.0.1:8765/reports/ncpi-2019-thematic?sort=days")
        page.screenshot(path=DOCS / "report-matrix.png")
        page.goto("http://127.0.0.1:8765/letters/2#rec-1")
        page.wait_for_timeout(300)
        page.screenshot(path=DOCS / "letter.png")
        browser.close()
    server.should_exit = True


if __name__ == "__main__":
    main()
