# Two entry points: `make run` (venv, install, load the sample letters, serve) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DB ?= sqlite:///scrutiny.db

.PHONY: run test install install-dev typecheck bench clean

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

test: install-dev
	$(BIN)/python -m pytest -q

typecheck: install-dev
	$(BIN)/pip install -q "mypy>=1.10"
	$(BIN)/mypy src/scrutiny --ignore-missing-imports

bench: install-dev
	$(BIN)/python benchmarks/bench_extract.py
	$(BIN)/python benchmarks/bench_catalogue.py
	$(BIN)/python benchmarks/bench_pages.py
	$(BIN)/python benchmarks/bench_national.py $(if $(SCRUTINY_TEST_PG_URL),--pg $(SCRUTINY_TEST_PG_URL))
	$(BIN)/python benchmarks/bench_fuzz.py

clean:
	rm -rf $(VENV) scrutiny.db
