# Two entry points: `make run` (venv, install, load the sample letters, serve) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DB ?= sqlite:///scrutiny.db

.PHONY: run test lint install install-dev bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e .

install-dev: $(BIN)/python
	$(BIN)/pip install -q -e ".[dev]"

run: install
	$(BIN)/scrutiny ingest --samples --db $(DB)
	$(BIN)/scrutiny users init --db $(DB)
	$(BIN)/scrutiny serve --db $(DB)

# The suite runs on every core (pytest-xdist), a test module (or class) to a worker: its fixtures are made once.
test: lint
	$(BIN)/python -m pytest -q -n auto --dist loadscope

# Ruff (its rules are in pyproject.toml), mypy and import-linter (the layers, also in pyproject.toml),
# as CI runs them before the tests.
lint: install-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy src/scrutiny --ignore-missing-imports
	$(BIN)/lint-imports

bench: install-dev
	$(BIN)/python benchmarks/bench_extract.py
	$(BIN)/python benchmarks/bench_catalogue.py
	$(BIN)/python benchmarks/bench_pages.py
	$(BIN)/python benchmarks/bench_national.py $(if $(SCRUTINY_TEST_PG_URL),--pg $(SCRUTINY_TEST_PG_URL))
	$(BIN)/python benchmarks/bench_fuzz.py
	$(BIN)/python benchmarks/bench_ingest.py
	$(BIN)/python benchmarks/bench_startup.py

clean:
	rm -rf $(VENV) scrutiny.db
