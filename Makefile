# Each target sets up what it needs on a fresh machine (a virtualenv in .venv).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: preview test lint setup clean

$(BIN)/pulumi-kuberay: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: $(BIN)/pulumi-kuberay

## The main job: an offline preview of the default stack (no cluster, no Pulumi CLI).
preview: setup
	$(BIN)/pulumi-kuberay preview . --out out

## The test suite (all tiers; tests that need ../shared/kuberay skip without it).
test: setup
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
