# carepact: the two commands are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= $(shell scripts/find-python)
VENV := .venv
BIN := $(VENV)/bin
ORACLE := .venv-oracle
PIP_QUIET := --quiet --disable-pip-version-check
# The suite runs in parallel on every core (pytest-xdist); TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
export CAREPACT_DATA_DIR ?= $(CURDIR)/var

.PHONY: demo test install install-dev oracle lint test-sqlite test-postgres bench clean help

help:
	@echo "make demo    install, migrate, load the demo and serve on http://127.0.0.1:8000"
	@echo "make test    install the dev extras and run lint and the whole suite"
	@echo "make install create .venv and install carepact (quick when nothing changed)"
	@echo "make lint    ruff and the import-layer contracts"
	@echo "make bench   run the benchmarks in bench/ and print their figures"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install $(PIP_QUIET) --upgrade pip

# The stamps make `make install` a no-op when pyproject.toml has not changed.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install $(PIP_QUIET) -e '.[postgres]'
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install $(PIP_QUIET) -e '.[dev]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# pycanon and anjana pin exact numpy/pandas/scipy releases, so they live in their own
# environment and the tests and benchmarks call them as independent oracles.
$(ORACLE)/.installed: scripts/oracle-requirements.txt
	$(PYTHON) -m venv $(ORACLE)
	$(ORACLE)/bin/pip install $(PIP_QUIET) -r scripts/oracle-requirements.txt
	@touch $@

oracle: $(ORACLE)/.installed

demo: install
	CAREPACT_DEBUG=$${CAREPACT_DEBUG:-1} $(BIN)/carepact demo

lint: install-dev
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/lint-imports --config pyproject.toml

test-sqlite: install-dev oracle
	env -u CAREPACT_DATABASE_URL $(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

test-postgres: install-dev oracle
	CAREPACT_DATABASE_URL=$(CAREPACT_TEST_DATABASE_URL) $(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# With CAREPACT_TEST_DATABASE_URL set, the suite runs against PostgreSQL as well.
test: lint test-sqlite
	@if [ -n "$(CAREPACT_TEST_DATABASE_URL)" ]; then $(MAKE) --no-print-directory test-postgres; \
	else echo "CAREPACT_TEST_DATABASE_URL is not set: skipped the PostgreSQL run."; fi

bench: install oracle
	@for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) $(ORACLE) var .pytest_cache .ruff_cache
