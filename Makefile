# Netral developer commands. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help

help: ## list the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $@

install: $(STAMP) ## create .venv and install the pinned dependencies

up: $(STAMP) ## run the whole pipeline on the embedded broker with the demo data (Ctrl-C stops)
	$(BIN)/netral up --demo

demo: $(STAMP) ## run the demo end to end and print a JSON summary
	$(BIN)/netral demo --json

test: $(STAMP) ## run the whole test suite (unit, integration, end-to-end)
	$(BIN)/pytest

test-unit: $(STAMP) ## run the fast unit tests only
	$(BIN)/pytest tests/unit

lint: $(STAMP) ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(STAMP) ## format the code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(STAMP) ## mypy
	$(BIN)/mypy

lock: ## re-pin constraints.txt from a fresh resolve of pyproject.toml
	rm -rf /tmp/netral-lock && $(PYTHON) -m venv /tmp/netral-lock
	/tmp/netral-lock/bin/pip install --quiet -e '.[dev]'
	/tmp/netral-lock/bin/pip freeze --exclude-editable | grep -vi '^netral' > constraints.txt

clean: ## remove the virtualenv and local state
	rm -rf $(VENV) var test-output .pytest_cache

.PHONY: help install up demo test test-unit lint fmt typecheck lock clean
