# PES-TOR — developer commands. `make run` starts the portal, `make test` runs the suite.
# Everything runs inside .venv, created on first use; only Python 3.11+ is needed.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# The interpreter the venv is made from: python3.11 if present, otherwise python3.
BOOT_PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
MANAGE := $(PY) manage.py
# The settings default to DEBUG off (production); the development targets turn it on. `make run`
# always does; worker and beat keep a DEBUG the caller exported (the web process's value).
DEV := DEBUG=true

# Extra arguments for pytest, e.g. `make test PYTEST_ARGS="-k directory -x"`.
PYTEST_ARGS ?=
# pytest-xdist processes: one per CPU by default; 0 runs in this process (a Celery worker that
# must find the test database under its plain name, or a debugger). Keep xdist's default
# distribution (load): each process gets its tests in collection order, so pytest-django's order
# holds in each of them and the transactional tests, which empty the database (the rows the data
# migrations load included), run after the others. --dist loadscope breaks that.
PYTEST_WORKERS ?= auto
# Where `make run` listens.
RUN_ADDRESS ?= 127.0.0.1:8000

.PHONY: help install run test lint format migrations-check messages vendor html-check worker beat \
	constraints clean

help:
	@echo "make run               install, migrate, load demo data, serve on http://$(RUN_ADDRESS)"
	@echo "make test              run the whole test suite (PYTEST_ARGS=... extra arguments, PYTEST_WORKERS=N processes)"
	@echo "make install           create .venv and install the project with its dev tools"
	@echo "make lint              ruff check and ruff format --check"
	@echo "make format            ruff format and ruff check --fix"
	@echo "make migrations-check  fail if a model change has no migration"
	@echo "make messages          update and compile the pl and en translation catalogues"
	@echo "make vendor            re-copy htmx, Leaflet and Tom Select from npm into static/vendor (needs npm)"
	@echo "make html-check        Nu HTML Checker over pages saved by the browser tests (see README)"
	@echo "make worker / beat     Celery worker / scheduler (need CELERY_BROKER_URL, e.g. redis://)"
	@echo "make constraints       re-pin constraints.txt from a fresh venv after editing pyproject"

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@if [ -z "$(BOOT_PYTHON)" ]; then echo "Python 3.11 or newer is needed (python3.11 or python3)." >&2; exit 1; fi
	@$(BOOT_PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; $(BOOT_PYTHON) is " + sys.version.split()[0])'
	@if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then \
		echo "Creating $(VENV) with $(BOOT_PYTHON)"; \
		rm -rf $(VENV) && $(BOOT_PYTHON) -m venv $(VENV); \
	fi
	$(PY) -m pip install --disable-pip-version-check --quiet -c constraints.txt -e ".[dev]"
	@touch $(STAMP)

run: install
	$(DEV) $(MANAGE) migrate --noinput
	$(DEV) $(MANAGE) load_demo --if-empty
	$(DEV) $(MANAGE) runserver $(RUN_ADDRESS)

test: install
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: install
	$(DEV) $(MANAGE) makemigrations --check --dry-run

# Needs GNU gettext (Debian: apt-get install gettext). Commit the .po and .mo files it writes.
messages: install
	$(DEV) $(MANAGE) makemessages -l pl -l en --ignore=.venv --ignore=node_modules --ignore=staticfiles \
		--ignore=tests --no-obsolete
	$(DEV) $(MANAGE) makemessages -d djangojs -l pl -l en --ignore=.venv --ignore=node_modules \
		--ignore=staticfiles --ignore=static/vendor --ignore=tests --no-obsolete
	$(DEV) $(MANAGE) compilemessages --ignore=.venv --ignore=node_modules

vendor:
	bash scripts/vendor_static.sh

# Validate the HTML the browser tests saved: HTML_SNAPSHOT_DIR=/tmp/pages make test
# PYTEST_ARGS=tests/browser, then make html-check HTML_SNAPSHOTS=/tmp/pages. Needs Java and npm.
HTML_SNAPSHOTS ?= $(HTML_SNAPSHOT_DIR)
VNU := node_modules/vnu-jar/build/dist/vnu.jar
html-check:
	@test -n "$(HTML_SNAPSHOTS)" || { echo "set HTML_SNAPSHOTS to the folder of saved pages" >&2; exit 1; }
	@test -f $(VNU) || npm ci --no-audit --no-fund --ignore-scripts
	@test -n "$$(ls -A $(HTML_SNAPSHOTS) 2>/dev/null)" || { echo "no pages in $(HTML_SNAPSHOTS)" >&2; exit 1; }
	@echo "Checking $$(ls $(HTML_SNAPSHOTS) | wc -l) pages in $(HTML_SNAPSHOTS)"
	java -jar $(VNU) --errors-only --skip-non-html $(HTML_SNAPSHOTS)

# Both need a broker: CELERY_BROKER_URL=redis://127.0.0.1:6379/0 (and the same DATABASE_URL as
# the web process). Without CELERY_BROKER_URL the web process runs tasks itself.
worker: install
	@if [ -z "$$CELERY_BROKER_URL" ]; then echo "Set CELERY_BROKER_URL, e.g. redis://127.0.0.1:6379/0" >&2; exit 1; fi
	DEBUG=$${DEBUG:-true} $(VENV)/bin/celery -A pestor worker -l info

beat: install
	@if [ -z "$$CELERY_BROKER_URL" ]; then echo "Set CELERY_BROKER_URL, e.g. redis://127.0.0.1:6379/0" >&2; exit 1; fi
	DEBUG=$${DEBUG:-true} $(VENV)/bin/celery -A pestor beat -l info --schedule $(VENV)/celerybeat-schedule

# Re-pin every dependency after a change to pyproject.toml: resolves from scratch in a temporary
# venv, keeps the header of constraints.txt and replaces the pins below it.
constraints:
	@set -euo pipefail; tmp=$$(mktemp -d); \
	$(BOOT_PYTHON) -m venv "$$tmp/venv"; \
	"$$tmp/venv/bin/pip" install --disable-pip-version-check --quiet -e ".[dev]"; \
	{ awk '/^#/ { print; next } { exit }' constraints.txt; \
	  "$$tmp/venv/bin/pip" freeze --exclude-editable | grep -viE '^(pip|setuptools|pestor)==|^-e '; \
	} > "$$tmp/constraints.txt"; \
	mv "$$tmp/constraints.txt" constraints.txt; rm -rf "$$tmp"; \
	echo "constraints.txt re-pinned; run make install and the tests, then commit it."

clean:
	rm -rf $(VENV) staticfiles node_modules
