# Vigil: two set-up commands, `make run` and `make test`. Everything else here serves them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
GOVUK := node_modules/govuk-frontend/dist/govuk
VENDOR := vigil/web/static/vendor

.PHONY: run test install assets chromium lint pytest serve bench clean

## make run: install, migrate, load the demo force, serve on http://127.0.0.1:8000 (SQLite, WAL)
##   with `db_worker` (e-mails) and `sweep --every 60` (reviews, notices, prompts) beside it
run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	$(MANAGE) collectstatic --noinput -v0
	@echo "Serving Vigil on http://127.0.0.1:8000 with the task worker and the sweep beside it (Ctrl+C stops all three)"
	bash scripts/run-dev.sh

## make test: install what tests need (Debian chromium too), ruff, the whole suite
test: install chromium lint pytest

install: $(VENV)/.installed $(VENDOR)/.copied

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

node_modules/.installed: package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

# GOV.UK Frontend's CSS hard-codes url(/assets/...): point it at where we serve them.
$(VENDOR)/.copied: node_modules/.installed
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/govuk $(VENDOR)/htmx
	cp -r $(GOVUK)/assets $(VENDOR)/govuk/assets
	cp $(GOVUK)/govuk-frontend.min.js $(GOVUK)/govuk-frontend.min.js.map $(VENDOR)/govuk/
	sed 's#url(/assets/#url(/static/vendor/govuk/assets/#g' $(GOVUK)/govuk-frontend.min.css \
	  | sed '/sourceMappingURL/d' > $(VENDOR)/govuk/govuk-frontend.min.css
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	touch $@

chromium:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

PYTEST_WORKERS ?= 2

pytest: install
	$(BIN)/pytest -q -n $(PYTEST_WORKERS)

serve:
	$(MANAGE) runserver 127.0.0.1:8000

## make bench: the DMM board for 2,000 open cases against hand-written SQL (not run by make test)
bench: install
	$(BIN)/python -m bench.board

clean:
	rm -rf $(VENV) node_modules $(VENDOR) staticfiles db.sqlite3*
