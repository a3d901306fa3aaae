# PTCE portal. `make run` serves the portal with demo data; `make test` runs the suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Every absolute link (e-mails, PDFs, exports, .ics, embed code) is built from SITE_URL
# (ptce_portal.site): `PORT=8201 make run` links to port 8201 unless SITE_URL is given.
SITE_URL ?= http://127.0.0.1:$(PORT)
# Two xdist workers: each has its own test database, live server and Chromium; about half
# the wall time of a serial run on two cores. `make test PYTEST_ARGS=` runs serially.
PYTEST_ARGS ?= -n 2

# First Python >= 3.12 found: python3.13, python3.12, pyenv's installs, then python3.
FIND_PYTHON = for c in python3.13 python3.12 $$HOME/.pyenv/versions/3.13*/bin/python3 \
	$$HOME/.pyenv/versions/3.12*/bin/python3 python3; do \
	if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; \
	then command -v $$c; break; fi; done

# Without DATABASE_URL, start (or reuse) the project-local PostgreSQL under var/.
WITH_DB = if [ -z "$$DATABASE_URL" ]; then DATABASE_URL="$$($(PY) scripts/localpg.py ensure)" || exit 1; export DATABASE_URL; fi

.PHONY: help install run test stop lint messages vendor collectstatic bench lock backup restore scale-check

help:
	@echo "make run    - installe, migre, charge les données et sert le portail sur http://127.0.0.1:$(PORT)/"
	@echo "make test   - lance toute la suite de tests (PostgreSQL)"
	@echo "make stop   - arrête le PostgreSQL local du projet"
	@echo "make lint   - ruff, djlint, contrats d'imports entre les apps (import-linter), types (mypy)"
	@echo "make vendor - met à jour static/vendor depuis le registre npm"
	@echo "make bench  - banc d'essai (2 040 pôles) sur sa propre base ptce_bench ; cibles : bench/targets.toml"
	@echo "make lock   - recalcule requirements.lock et requirements-dev.lock (versions exactes et empreintes)"
	@echo "make backup - sauvegarde la base (pg_dump, format custom) dans var/backups, en garde BACKUP_KEEP (14)"
	@echo "make restore BACKUP=fichier - restaure une sauvegarde dans la base vide de DATABASE_URL"
	@echo "make scale-check - deux instances gunicorn derrière nginx (base <nom>_scale, REDIS_URL) : sessions, 2FA, limites, PDF, e-mails, maintenance"

# Exact versions from the dev lock (hashes checked); then the project itself, which also
# brings any dependency added to pyproject.toml and not locked yet (`make lock` then).
$(VENV)/.installed: pyproject.toml requirements-dev.lock
	@PYBIN="$$($(FIND_PYTHON))"; \
	if [ -z "$$PYBIN" ]; then echo "Python >= 3.12 introuvable (voir .python-version)." >&2; exit 1; fi; \
	if [ ! -x $(PY) ]; then echo "venv avec $$PYBIN"; $$PYBIN -m venv $(VENV); fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed messages

messages: $(VENV)/.installed
	@$(PY) scripts/compile_translations.py

# DEBUG is off unless set: development sets it on (and keeps no idle database connection:
# runserver serves each request in a thread of its own).
run: install
	@$(WITH_DB); export SITE_URL="$(SITE_URL)" DEBUG="$${DEBUG:-1}" CONN_MAX_AGE="$${CONN_MAX_AGE:-0}"; \
	$(PY) manage.py migrate --noinput && \
	$(PY) manage.py seed_ptce --demo && \
	echo "" && echo "Portail : http://127.0.0.1:$(PORT)/   (Ctrl-C pour arrêter ; make stop arrête PostgreSQL)" && echo "" && \
	DEMO_BANNER=1 exec $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install node_modules/.installed
	@$(WITH_DB); $(PY) -m pytest $(PYTEST_ARGS)

# The test tools from the npm registry, exact versions of package-lock.json: the Nu Html
# Checker (vnu-jar's vnu.jar, run with the machine's java by tests/integration/test_nu_checker.py).
# Install scripts are not run: vnu-jar's would fetch a Java runtime where java is missing.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent --ignore-scripts
	@touch $@

# Not part of `make test`: its own database (name forced to ptce_bench, rebuilt each run).
bench: install
	@export PTCE_PG_DB=ptce_bench; $(WITH_DB); $(PY) bench/run.py $(if $(POLES),--poles $(POLES)) $(BENCH_ARGS)

stop:
	@if [ -x $(PY) ]; then $(PY) scripts/localpg.py stop; fi

# Templates: djlint's format and lint (pyproject.toml, .djlint_rules.yaml), no line over 160.
TEMPLATES = $$(find . -name '*.html' -path '*templates/*' -not -path './.venv/*' -not -path './var/*' -not -path './node_modules/*')
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint --check --quiet .
	$(VENV)/bin/djlint --lint --quiet .
	@long=$$(awk 'length > 160 { print FILENAME ":" FNR }' $(TEMPLATES)); \
	if [ -n "$$long" ]; then echo "Template lines over 160 characters:"; echo "$$long"; exit 1; fi
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

vendor:
	bash scripts/vendor.sh

# Lock files: exact versions with their hashes, for every platform, Python >= 3.12. Existing
# pins are kept; `make lock LOCK_ARGS=--upgrade` (or --upgrade-package django) moves them.
LOCK_FLAGS = --universal --python-version 3.12 --generate-hashes --custom-compile-command "make lock" --quiet $(LOCK_ARGS)
lock: $(VENV)/.installed
	$(VENV)/bin/uv pip compile pyproject.toml $(LOCK_FLAGS) -o requirements.lock
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev -c requirements.lock $(LOCK_FLAGS) -o requirements-dev.lock

backup: install
	@$(WITH_DB); $(PY) scripts/backup.py backup $(BACKUP_ARGS)

restore: install
	@if [ -z "$(BACKUP)" ]; then echo "make restore BACKUP=var/backups/ptce-….dump (dans la base vide de DATABASE_URL)" >&2; exit 2; fi
	@$(WITH_DB); $(PY) scripts/backup.py restore "$(BACKUP)" $(RESTORE_ARGS)

# Two gunicorn instances behind nginx on loopback, checked through the balancer (see
# scripts/scale_check.py). Its own database <name>_scale, rebuilt each run; REDIS_URL
# (default redis://127.0.0.1:6379/0); SCALE_CHECK_PORTS="balancer one two" (default: free ports).
scale-check: install
	@$(WITH_DB); $(PY) scripts/scale_check.py

collectstatic: install
	$(PY) manage.py collectstatic --noinput
