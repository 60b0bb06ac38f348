"""The house's rules, as tests: the web process never loads the extractor (it reads untrusted
files only in worker processes), and no module grows past what a newcomer reads in one sitting.
The layers themselves are import-linter's contract in pyproject.toml (`make lint`)."""
from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

MAX_LINES = 500


def _loaded_by(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(m for m in sys.modules if m.startswith('scrutiny')))"
    result = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return set(result.stdout.split())


def test_the_web_app_loads_no_extractor_module():
    loaded = _loaded_by("import scrutiny.web")
    assert "scrutiny.web.routes.uploads" in loaded  # the app itself was imported...
    assert {m for m in loaded if m.startswith("scrutiny.extract")} == set()  # ...and no extractor


def test_the_store_loads_neither_extractor_nor_office_nor_web():
    loaded = _loaded_by("import scrutiny.store")
    assert {m for m in loaded if m.split(".")[1:2] in (["extract"], ["office"], ["oversight"], ["web"], ["cli"])} == set()


def test_no_module_is_longer_than_a_sitting():
    sources = [p for p in (ROOT / "src" / "scrutiny").rglob("*.py") if "migrations" not in p.parts]
    long = {str(p.relative_to(ROOT)): n for p in sources if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert long == {}
