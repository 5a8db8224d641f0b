# One task runner for everything a developer does; CI runs `make test` (.ci/run).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install help test lint typecheck pytest unit demo bench soak lock clean

## install: create .venv and install followup with its pinned dependencies (the default)
install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	$(BIN)/python -m compileall -q src  # an editable install is not compiled ahead
	touch $(STAMP)

## help: list these targets and what each does
help:
	@awk '/^## [a-z]+: / { name = $$2; sub(/:$$/, "", name); text = $$0; \
		sub(/^## [a-z]+: /, "", text); printf "  make %-10s %s\n", name, text }' $(MAKEFILE_LIST)

## test: lint, type-check and run the whole test suite (what CI runs)
test: lint typecheck pytest

## lint: ruff's checks and its format check, over the code, the tests and the benchmarks
lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

## typecheck: mypy --strict over the code, the tests and the benchmarks
typecheck: install
	$(BIN)/mypy

## pytest: the whole test suite on two cores (unit, integration, web, mail, end-to-end)
pytest: install
	$(BIN)/pytest -n 2 -q

## unit: the unit tests only (tests/unit: the domain and the services; quick to rerun)
unit: install
	$(BIN)/pytest -n 2 -q tests/unit

## demo: a sample job search in a throwaway database: its plan, then the web app on it
DEMO_DB := $(shell mktemp -u -t followup-demo-XXXXXX).db
demo: install
	$(BIN)/followup --db $(DEMO_DB) demo
	$(BIN)/followup --db $(DEMO_DB) serve

## bench: the README's speed figures (BENCH_ONLY=server: the server's on PostgreSQL; bench/run.py)
bench: install
	$(BIN)/python -m bench.run

## soak: the long runs: many more Hypothesis examples (with how often each rule ran), 8
## writers x 300 writes at once, 100 kill -9 during imports and 100 during migrations, the
## fuzzer over the parsers of untrusted text (FUZZ_SECONDS each), peak memory of large imports
FUZZ_SECONDS ?= 300
soak: install
	HYPOTHESIS_PROFILE=soak FOLLOWUP_SOAK=1 $(BIN)/pytest -n 2 -q --hypothesis-show-statistics \
		tests/unit tests/integration
	FUZZ_SECONDS=$(FUZZ_SECONDS) $(BIN)/pytest -q -s tests/soak
	$(BIN)/python -m bench.import_memory

## lock: re-pin every dependency (after changing pyproject.toml)
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --disable-pip-version-check '.[dev]'
	.lock-venv/bin/pip freeze --exclude followup | grep -v '^-e' > constraints.txt
	rm -rf .lock-venv

## clean: remove .venv and every cache
clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .hypothesis build src/*.egg-info
