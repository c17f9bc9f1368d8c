# Drehscheibe — the two commands a user needs are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
export UV_PYTHON_DOWNLOADS := never
UV := $(PYTHON) -m uv
PY := .venv/bin/python

export KAFKA_BOOTSTRAP_SERVERS ?= 127.0.0.1:9092
export DATABASE_URL ?= postgresql://drehscheibe:drehscheibe@127.0.0.1:5432/drehscheibe
export REDIS_URL ?= redis://127.0.0.1:6379/0

.PHONY: help install up down status topics run test browser test-unit lint format contracts bench chaos

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

install: .venv/.installed ## Create the virtualenv from uv.lock

.venv/.installed: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --disable-pip-version-check uv
	$(UV) sync --frozen
	@touch $@

up: install ## Start (or reuse) Kafka, PostgreSQL and Redis; create the topics
	$(PY) deploy/local/stack.py up

down: ## Stop the services of `make run` and whatever `make up` started
	-@[ -x $(PY) ] && $(PY) -m deploy.hub stop
	@[ -x $(PY) ] && $(PY) deploy/local/stack.py down || true

status: ## Show the state of the local stack
	$(PY) deploy/local/stack.py status

run: up ## Run the hub: infrastructure, the three services, demo data (Ctrl-C stops)
	$(PY) -m deploy.hub run

test: up browser ## Run every test against the real stack
	$(PY) -m pytest

browser: install ## Install Debian's Chromium when missing (the dashboard's browser test)
	$(PY) -m deploy.local.chromium

test-unit: install ## Only the unit tests (no servers needed)
	$(PY) -m pytest tests/unit

bench: up ## Run every benchmark under bench/ and print its figures
	@set -e; for script in bench/*_bench.py; do echo "== $$script"; $(PY) $$script; done

chaos: up ## Faults one at a time under load (own Kafka/PostgreSQL/Redis); fails on any loss
	$(PY) -m bench.chaos

lint: install ## ruff check, ruff format --check, mypy --strict
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy .

format: install ## Apply ruff's fixes and formatting
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

contracts: install ## After a compatible event change: rewrite the JSON-Schema snapshots and docs/asyncapi.json
	$(PY) -m shared.events.snapshots
	$(PY) -m shared.asyncapi --write
