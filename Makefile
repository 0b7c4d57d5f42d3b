# Waakvlam: `make run` serves the demo, `make test` runs the whole suite. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
PIP := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: run test lint bench fuzz install install-test clean

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

# bench/ is linted once it exists.
LINT_PATHS := waakvlam tests $(wildcard bench)

# lint-imports: layers only look down and no circles between apps (.importlinter; docs/architecture.md,
# "Layers"); test_import_structure: no imports of waakvlam inside functions beyond the few that say why.
lint: $(TEST_STAMP)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/pytest -q -p no:cacheprovider tests/core/test_import_structure.py

# The whole suite on SQLite; again on PostgreSQL when it is reachable (WAAKVLAM_TEST_POSTGRES=1 or a
# postgres:// DATABASE_URL), as .ci/run arranges. A postgres DATABASE_URL is used as given; otherwise the
# role and database that .ci/run creates.
PG_TEST_URL := postgres://waakvlam:waakvlam@127.0.0.1:5432/waakvlam

test: lint
	@echo "== the suite on SQLite =="
	DATABASE_URL=sqlite:///var/test.sqlite3 $(BIN)/pytest
	@case "$$DATABASE_URL" in postgres*) url="$$DATABASE_URL" ;; *) url="$(PG_TEST_URL)" ;; esac; \
	if [ -n "$$WAAKVLAM_TEST_POSTGRES" ] && [ "$$WAAKVLAM_TEST_POSTGRES" != 0 ] || [ "$$url" = "$$DATABASE_URL" ]; then \
		echo "== again on PostgreSQL =="; \
		start=$$(date +%s); \
		DATABASE_URL="$$url" $(BIN)/pytest || exit $$?; \
		echo "== PostgreSQL run took $$(( $$(date +%s) - start )) s =="; \
	fi

# The big schemathesis run over every API operation, as a partner key and a session of each role: over
# 10,000 generated cases, about half an hour on 2 cores (docs/api-fuzzing.md). Not part of `make test`.
fuzz: $(TEST_STAMP)
	WAAKVLAM_FUZZ_EXAMPLES=$${WAAKVLAM_FUZZ_EXAMPLES:-2} DATABASE_URL=sqlite:///var/fuzz.sqlite3 $(BIN)/pytest tests/api/test_schemathesis_all_roles.py -p no:randomly
	@cat var/fuzz-count.json; echo

bench: $(TEST_STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var/test.sqlite3
