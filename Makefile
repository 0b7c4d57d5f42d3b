# Waakvlam: `make run` serves the demo, `make test` runs the whole suite. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
PIP := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: run test lint bench install install-test clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Waakvlam needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(PIP) install -c constraints.txt -e .
	touch $@

$(TEST_STAMP): $(STAMP)
	$(PIP) install -c constraints.txt -e '.[test]'
	touch $@

install: $(STAMP)
install-test: $(TEST_STAMP)

run: $(STAMP)
	$(BIN)/waakvlam demo --port 8000

lint: $(TEST_STAMP)
	$(BIN)/ruff check waakvlam tests bench
	$(BIN)/ruff format --check waakvlam tests bench
	$(BIN)/mypy

# The whole suite on SQLite; again on PostgreSQL when it is reachable (WAAKVLAM_TEST_POSTGRES=1 or a
# postgres:// DATABASE_URL), as .ci/run arranges.
test: lint
	DATABASE_URL=sqlite:///var/test.sqlite3 $(BIN)/pytest
	@if [ -n "$$WAAKVLAM_TEST_POSTGRES" ] || echo "$$DATABASE_URL" | grep -q '^postgres'; then \
		echo "== again on PostgreSQL =="; \
		DATABASE_URL="$${DATABASE_URL:-postgres://waakvlam:waakvlam@127.0.0.1:5432/waakvlam}" $(BIN)/pytest; \
	fi

bench: $(TEST_STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var/test.sqlite3
