# Lang Portal: `make run` serves the portal, `make test` runs every test.
# Both set up what they need first (a virtualenv in .venv with pinned packages).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
# What ruff format keeps formatted (and `make lint` checks)
FORMATTED := webapp tests scripts

.PHONY: run serve setup test lint format browser-deps screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $(VENV)/.runtime $@

## setup: create the database (default: instance/lang_portal.db), migrate and seed it
## (migrate creates the database when it does not exist yet)
setup: $(VENV)/.runtime
	$(BIN)/python -m webapp migrate
	$(BIN)/python -m webapp seed

## run: set everything up and serve the portal on http://$(HOST):$(PORT)
run: setup serve

# Local mode: the portal serves the person at this computer (never set by the Procfile).
serve: export LOCAL_MODE := 1
serve: $(VENV)/.runtime
	@echo "Lang Portal on http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	$(BIN)/uvicorn --factory webapp:create_app --host $(HOST) --port $(PORT) --no-access-log

## browser-deps: Debian's Chromium for the browser tests (installed when missing and root)
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else echo "Chromium is missing: run 'sudo apt-get install -y chromium'"; exit 1; fi; }

## test: every check of `make lint`, then every test (API, CLI and data on SQLite and
## PostgreSQL; browser tests)
test: lint browser-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## lint: ruff's rules, ruff's formatting and mypy's types (settings in pyproject.toml)
lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check $(FORMATTED)
	$(BIN)/mypy

format: $(VENV)/.dev
	$(BIN)/ruff format $(FORMATTED)
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache

.PHONY: bench bench-quick bench-deps

## bench-deps: Debian's wrk, the load generator (installed when missing and root)
bench-deps:
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk; \
	  else echo "wrk is missing: run 'sudo apt-get install -y wrk'"; exit 1; fi; }

## bench: the targets table: the project against the prototype at 1x and 5x (SQLite),
## then on PostgreSQL at 1x and two instances on one database (< 35 min)
bench: $(VENV)/.runtime bench-deps
	$(BIN)/python bench/run.py $(BENCH_ARGS)

## bench-quick: the same at 1x only, with shorter runs (< 8 min);
## BENCH_ARGS='--versus main' measures against a previous build instead of the prototype
bench-quick: $(VENV)/.runtime bench-deps
	$(BIN)/python bench/run.py --quick $(BENCH_ARGS)

## screenshots: docs/screenshots/*.png of the seeded portal (Debian's Chromium, no download)
screenshots: $(VENV)/.dev browser-deps
	$(BIN)/python scripts/screenshots.py

.PHONY: bench-import
## bench-import: time a generated 5,000-row CSV import, preview + commit (DATABASE_URL or a temp SQLite file)
bench-import: $(VENV)/.runtime
	$(BIN)/python bench/import_timing.py $(BENCH_ARGS)
