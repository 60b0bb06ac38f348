"""Screenshots of every page for docs/ (run by hand): `python benchmarks/screenshots.py [folder]`.

Serves the app on a store of the sample letters plus varied copies of them (so the pages look
as they do with many forces), a press statement, a document whose report is not catalogued
and a file that fails, and photographs each page in Debian's chromium.
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
from corpus import letters

from scrutiny.ingest import ingest_bytes
from scrutiny.store import Store
from scrutiny.web import create_app

ROOT = Path(__file__).parents[1]
TODAY = "2024-03-01"  # a fixed day, so the statuses in the pictures do not change as time passes
PAGES = {  # file name -> (path, full page?)
    "overview": (f"/?today={TODAY}", True),
    "reports": (f"/reports?today={TODAY}&responded=yes&sort=responses", False),
    "report-matrix": (f"/reports/ncpi-2019-thematic?today={TODAY}&sort=days", False),
    "forces": (f"/forces?today={TODAY}", False),
    "force": (f"/forces/{{force}}?today={TODAY}", False),
    "documents": ("/letters", False),
    "letter": ("/letters/2#rec-1", False),
    "review": ("/review", False),
    "search": ("/search?q=%22criminalisation+of+children%22&per_page=5", False),
    "upload": ("/upload", False),
    "api-docs": ("/docs", False),
    "error": ("/letters/99999", False),
}


def _mixed_batch(folder: Path) -> list[str]:
    """A letter, a program, a damaged PDF and a document about an uncatalogued report."""
    files = {"response-letter.txt": letters(1, seed=9)[0][1].encode(), "program.exe": b"MZ\x90\x00",
             "scan.pdf": b"%PDF-1.7 and then nothing",
             "deputy-mayor.txt": (ROOT / "tests/letters/deputy-mayor.txt").read_bytes()}
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return [str(folder / name) for name in files]


def main(folder: Path) -> None:
    work = Path(tempfile.mkdtemp())
    store = Store(f"sqlite:///{work / 'shots.db'}")
    for name, text in letters(120, seed=3):
        ingest_bytes(store, text.encode(), name, f"bench:{name}")
    for name in ("press-page.html", "uncatalogued-peel.txt"):
        ingest_bytes(store, (ROOT / "tests/letters" / name).read_bytes(), name, f"upload:{name}")
    ingest_bytes(store, b"Scones: mix flour and butter, add milk, bake.", "recipe.txt", "upload:recipe.txt")
    server = uvicorn.Server(uvicorn.Config(create_app(store), host="127.0.0.1", port=8765, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                          "--disable-background-networking", "--disable-component-update"])
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(f"http://127.0.0.1:8765/reports/ncpi-2019-thematic?today={TODAY}&sort=days")
        force = page.locator("#matrix tbody th a").first.inner_text()
        page.goto("http://127.0.0.1:8765/forces")
        force_id = page.get_by_role("link", name=force, exact=True).get_attribute("href").rsplit("/", 1)[1]
        for name, (path, full) in PAGES.items():
            page.goto("http://127.0.0.1:8765" + path.format(force=force_id))
            page.wait_for_load_state("networkidle")
            if name == "report-matrix":
                page.locator("#matrix td.docs details").first.evaluate("d => d.open = true")
            if name == "upload":  # a mixed batch: each file its outcome
                page.set_input_files("input[name=files]", _mixed_batch(work))
                page.get_by_role("button", name="Upload").click()
            page.wait_for_timeout(300)
            page.screenshot(path=folder / f"{name}.png", full_page=full)
        browser.close()
    server.should_exit = True


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs")
