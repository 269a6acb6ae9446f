# Two commands: `make run` (set up everything and serve) and `make test` (SQLite, then PostgreSQL).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run test test-fast css check-deploy benchmark benchmark-reports benchmark-scale benchmark-indicators benchmark-at document-packages rerate clean

setup: document-packages $(VENV)/.installed node_modules/.installed static/build/app.css
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --with-demo-users
	$(PY) manage.py seed_indicators
	$(PY) manage.py seed_safeguarding --with-demo-users

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found: set PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e ".[test]"
	touch $@

node_modules/.installed: package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

static/build/app.css: node_modules/.installed static/scss/app.scss
	npm run --silent build

css:
	npm run --silent build

# PDF reports need Pango and Liberation fonts from Debian: installed when root, else named (README "Reports").
document-packages:
	@scripts/document-packages --install

run: setup
	@$(PY) -c 'from core.documents import pdf_unavailable as p; m = p(); print("PDF reports are off: " + m if m else "PDF reports: ready")'
	$(PY) manage.py rerate_actions
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C to stop). Log in with a demo login printed above."
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed node_modules/.installed static/build/app.css
	./scripts/run-tests

# The inner loop: SQLite only, no browser, two workers.
test-fast: $(VENV)/.installed
	$(PY) -m pytest -q -m "not browser" -n 2

check-deploy: $(VENV)/.installed
	DEBUG=0 SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  ALLOWED_HOSTS=plans.example.gov.uk $(PY) manage.py check --deploy --fail-level WARNING

benchmark: $(VENV)/.installed
	$(PY) scripts/benchmark.py

# A 300-action plan as Word (target under 2 s) and PDF (under 8 s), and the performance report; printed, not asserted.
benchmark-reports: $(VENV)/.installed
	$(PY) scripts/benchmark.py --reports

# 300 plans, 30,000 actions, then 2,000 indicators with 240,000 readings, on SQLite, then on PostgreSQL
# when one answers (README "Tests").
benchmark-scale: $(VENV)/.installed
	$(MAKE) --no-print-directory benchmark-at SCALE=county
	$(MAKE) --no-print-directory benchmark-at SCALE=indicators

benchmark-indicators: $(VENV)/.installed
	$(MAKE) --no-print-directory benchmark-at SCALE=indicators

benchmark-at:
	$(PY) scripts/benchmark.py --scale $(SCALE)
	@if $(PY) -c 'import psycopg2; psycopg2.connect("postgres://postgres@127.0.0.1:5432/postgres", connect_timeout=3).close()' 2>/dev/null; then \
	  DATABASE_URL=postgres://postgres@127.0.0.1:5432/plans_benchmark $(PY) scripts/benchmark.py --scale $(SCALE); \
	else echo "No PostgreSQL on 127.0.0.1:5432: benchmarked on SQLite only."; fi

clean:
	rm -rf $(VENV) node_modules static/build staticfiles
