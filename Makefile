# Each target sets up what it needs on a fresh machine (a virtualenv in .venv).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: preview test lint docs setup clean

$(BIN)/pulumi-kuberay: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: $(BIN)/pulumi-kuberay

## The main job: an offline preview of the default stack (no cluster, no Pulumi CLI).
preview: setup
	$(BIN)/pulumi-kuberay preview . --out out

## The test suite (all tiers; tests that need a folder of ../shared skip without it).
test: setup
	$(BIN)/python -m pytest

## The API reference (generated from the docstrings) and the guides, as a static site in site/.
docs: setup
	$(BIN)/mkdocs build --strict

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) out site .pytest_cache .mypy_cache .ruff_cache
