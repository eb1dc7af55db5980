# The two entry points of the README. Both create .venv at the repo root if it is missing.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test setup setup-test lint clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

setup: $(BIN)/python
	$(BIN)/pip install --quiet -e .

setup-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'

## run: set up and compare the bundled example articles (facts, conflicts, cited brief)
run: setup
	$(BIN)/kabar compare examples/ --format md

## test: set up, lint, type-check and run the test suite
test: setup-test
	$(BIN)/ruff check src tests benchmarks eval training
	$(BIN)/ruff format --check src tests benchmarks eval training
	$(BIN)/mypy
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
