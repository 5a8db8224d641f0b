# One task runner for everything a developer does; CI runs `make test` (.ci/run).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install test lint typecheck unit demo bench soak lock clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	$(BIN)/python -m compileall -q src  # an editable install is not compiled ahead
	touch $(STAMP)

## test: lint, type-check and run the whole test suite (what CI runs)
test: lint typecheck unit

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: install
	$(BIN)/mypy

unit: install
	$(BIN)/pytest -n 2 -q

## demo: a sample job search in a throwaway database: its plan, then the web app on it
DEMO_DB := $(shell mktemp -u -t followup-demo-XXXXXX).db
demo: install
	$(BIN)/followup --db $(DEMO_DB) demo
	$(BIN)/followup --db $(DEMO_DB) serve

## bench: the speed figures of the README (generates synthetic job searches once)
bench: install
	$(BIN)/python -m bench.run

## soak: long runs: many more Hypothesis examples than make test, the fuzzer over the
## parsers of untrusted text (FUZZ_SECONDS each), peak memory of large imports
FUZZ_SECONDS ?= 300
soak: install
	HYPOTHESIS_PROFILE=soak $(BIN)/pytest -n 2 -q tests/unit tests/integration
	FUZZ_SECONDS=$(FUZZ_SECONDS) $(BIN)/pytest -q -s tests/soak
	$(BIN)/python -m bench.import_memory

## lock: re-pin every dependency (after changing pyproject.toml)
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --disable-pip-version-check '.[dev]'
	.lock-venv/bin/pip freeze --exclude followup | grep -v '^-e' > constraints.txt
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .hypothesis build src/*.egg-info
