# The two commands: `make run` (set up everything and serve the demo forum) and `make test`.
PYTHON ?= python3.11
UV_VERSION := 0.13.9
VENV := .venv
UV := .tools/bin/uv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# `make test` runs the suite on every core (pytest-xdist; at most 4 workers, each with its own
# test database and Redis databases: see tests/xdist_workers.py). PYTEST_WORKERS=0: one process.
PYTEST_WORKERS ?= auto
# The .env file forum/settings.py reads (FORUM_ENV_FILE="" skips it, as there).
FORUM_ENV_FILE ?= .env
# `make run` serves at HOST:PORT, so links in mail and .ics files follow them, unless SITE_URL is
# set in the environment, on the command line or in the .env file.
SITE_URL_IN_ENV_FILE := $(if $(FORUM_ENV_FILE),$(shell grep -qsE '^[[:space:]]*(export[[:space:]]+)?SITE_URL=' '$(FORUM_ENV_FILE)' && echo yes))
RUN_SITE_URL := $(if $(or $(SITE_URL),$(SITE_URL_IN_ENV_FILE)),,SITE_URL=http://$(HOST):$(PORT))

.PHONY: install migrate seed run serve test lint audit format bench worker beat messages check-messages clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

# Local development settings; the real environment always overrides them.
.env:
	printf '# Written by make install for local development; see .env.example.\nDEBUG=true\n' > .env

install: $(UV) .env node_modules/.package-lock.json
	$(UV) sync --frozen --python $(PYTHON) --quiet

migrate: install
	$(PY) manage.py migrate --no-input -v 0

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	@echo "Serving the demo forum at http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/)"
	$(RUN_SITE_URL) $(PY) manage.py runserver $(HOST):$(PORT)

# From the npm registry: the Noto fonts of every PDF (@fontsource/noto-sans*) and axe-core for
# the accessibility tests.
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent; \
	else echo "npm not found (install Node.js and npm, then run make install again):"; \
	echo "  PDFs will print CJK, Thai, Devanagari and Bengali text as boxes (no Noto fonts) and"; \
	echo "  the accessibility tests will be skipped."; fi

test: install node_modules/.package-lock.json
	$(PY) -m pytest --numprocesses=$(PYTEST_WORKERS) --maxprocesses=4 --dist=load $(PYTEST_ARGS)

# The modules mypy checks (mypy.ini): every app's selectors and services.
TYPED_MODULES = $(shell find forum cms mail sessions_app registration statements cfp demo \
	-path '*/migrations' -prune -o -type f \
	\( -name 'selectors*.py' -o -name 'services.py' -o -path '*/services/*.py' \) -print | sort)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/hadolint docker/Dockerfile
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy $(TYPED_MODULES)
	@if [ -z "$$CI" ]; then $(MAKE) --no-print-directory audit; \
	else echo "pip-audit: not run in CI (no route to PyPI's advisory service)"; fi

# Known vulnerabilities in the locked dependencies (pip-audit, with PyPI's advisory data). It
# needs PyPI's vulnerability service: when pip-audit itself cannot be looked up there (offline, or
# behind a mirror without it), the audit is skipped with a message instead of failing.
AUDIT := $(VENV)/bin/pip-audit --strict --no-deps --disable-pip --progress-spinner off
audit: install
	@tmp=$$(mktemp -d); \
	$(UV) export --frozen --format requirements-txt --no-hashes --all-groups --no-emit-project \
		--quiet > $$tmp/requirements.txt; \
	$(VENV)/bin/pip-audit --version | sed 's/ /==/' > $$tmp/probe.txt; \
	if $(AUDIT) -r $$tmp/probe.txt >/dev/null 2>&1; then \
		$(AUDIT) -r $$tmp/requirements.txt; status=$$?; \
	else \
		echo "pip-audit skipped: PyPI's vulnerability service cannot be reached from here."; \
		status=0; \
	fi; \
	rm -rf $$tmp; exit $$status

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Page rendering at a realistic scale; appends to bench/RESULTS.md.
bench: install
	$(PY) bench/run.py

# Gossip, mingle and heartbeats serve monitoring only; their restart after a Redis restart is
# what crashed the worker (see README, "Supervising the worker").
WORKER_ARGS := --loglevel=INFO --without-gossip --without-mingle --without-heartbeat
# The queues a worker consumes: `celery` (everything else) and `mail` (the outbox's tasks).
# WORKER_QUEUES=mail makes a worker that only sends email (next to one with WORKER_QUEUES=celery).
WORKER_QUEUES := celery,mail

worker: install
	$(VENV)/bin/celery -A forum worker -Q $(WORKER_QUEUES) $(WORKER_ARGS)

beat: install
	$(VENV)/bin/celery -A forum beat --loglevel=INFO --schedule=/tmp/forum-celerybeat-schedule

# Refresh the translation catalogues after changing user-facing strings (every interface
# language but English); then translate the new or fuzzy messages and run `make messages` again
# to compile. `make check-messages` lists what is missing (CI fails on it).
LOCALES := ja ko zh_Hans id th vi
MESSAGES_IGNORE := --ignore=.venv --ignore=.tools --ignore=node_modules
messages: install
	$(PY) manage.py makemessages $(addprefix --locale=,$(LOCALES)) $(MESSAGES_IGNORE) --no-obsolete
	$(PY) manage.py compilemessages $(addprefix --locale=,$(LOCALES)) $(MESSAGES_IGNORE)

check-messages: install
	$(PY) -m pytest tests/cms/test_i18n.py -q -k "catalogue or template_string"

clean:
	rm -rf $(VENV) .tools .pytest_cache .ruff_cache staticfiles node_modules
