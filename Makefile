# Phục Vụ — two commands on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | md5sum | cut -c1-8)
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: demo test e2e bench lint mypy install browser serve schema clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@rm -f $(VENV)/.installed-*; touch $(STAMP)

install: $(STAMP)

## make demo: set up, build the demo province (first run only) and serve it on http://$(HOST):$(PORT)
demo: $(STAMP)
	$(BIN)/phucvu migrate --no-input -v0
	$(BIN)/phucvu demo --addr $(HOST):$(PORT) $(DEMO_ARGS)

## make test: set up, lint, then the whole suite (browser tests included)
test: $(STAMP) browser lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# What mypy checks (0 errors): the legal clock, every app's writes and reads.
TYPED := phucvu/workcalendar/clock.py phucvu/core/localtime.py phucvu/discipline/clocks.py phucvu/discipline/grading.py $(wildcard phucvu/*/services.py) $(wildcard phucvu/*/selectors.py) \
	$(wildcard phucvu/*/services/*.py) $(wildcard phucvu/*/selectors/*.py)

## make lint: ruff, the import contracts (layers, see docs/architecture.md), mypy, missing migrations
lint: $(STAMP)
	$(BIN)/ruff check phucvu tests benchmarks conftest.py
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy $(TYPED)
	$(BIN)/phucvu makemigrations --check --dry-run -v0 || (echo "Thiếu migration: chạy 'phucvu makemigrations'." && exit 1)

mypy: $(STAMP)
	$(BIN)/mypy $(TYPED)

e2e: $(STAMP) browser
	$(BIN)/python -m pytest -m e2e $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

schema: $(STAMP)
	$(BIN)/phucvu export_openapi docs/openapi.json
	$(BIN)/phucvu authority_table --write docs/desk.md

# Browser tests drive Debian's Chromium. Install it when we can (root); otherwise say so and let the
# browser tests skip with the reason (on CI they never skip: CI=true turns a missing browser into a failure).
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	  echo "Cài Chromium của Debian cho kiểm thử trình duyệt…"; \
	  (apt-get install -y -qq chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null)) \
	    || echo "Không cài được chromium: các kiểm thử trình duyệt sẽ bị bỏ qua."; \
	else echo "Không có /usr/bin/chromium và không có quyền root: các kiểm thử trình duyệt (-m e2e) sẽ bị bỏ qua."; fi

clean:
	rm -rf $(VENV) var/*.sqlite3*
