# MathPath: `make run` to use it, `make test` to prove it. See README.md.
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py

# uv installs exactly what uv.lock says. It is itself pinned and installed from PyPI into
# build/uv (git-ignored) by the first Python 3.12+ on PATH; the project's Python is the
# one .python-version names, found on this machine (uv never downloads one).
UV_VERSION := 0.13.8
UV := build/uv/bin/uv
export UV_PYTHON_DOWNLOADS := never
PYTHON ?= $(shell for p in python3 python3.12 python3.13 python3.14 python; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { echo $$p; break; }; done)

.PHONY: run serve worker test install lock upgrade migrate lint audit bench backup restore \
	db-start db-stop db-status vnu screenshots voice lighthouse

$(UV):
	@if [ -z "$(PYTHON)" ]; then echo "MathPath needs Python 3.12 or newer (python3 here is $$(python3 --version 2>&1 || echo missing)); install it, or run make PYTHON=/path/to/python3.12." >&2; exit 1; fi
	@rm -rf build/uv && $(PYTHON) -m venv build/uv
	@build/uv/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Every run re-checks the environment against the lock (a fraction of a second when
# nothing changed) and refuses a pyproject.toml the lock does not match.
install: $(UV)
	@$(UV) lock --check --quiet 2>/dev/null || { echo "uv.lock does not match pyproject.toml: run 'make lock' and commit uv.lock." >&2; exit 1; }
	@$(UV) sync --locked --extra dev --quiet

# After changing pyproject.toml: resolve the change into uv.lock (nothing else moves).
lock: $(UV)
	$(UV) lock

# Every dependency to its newest allowed release; then run make test and commit uv.lock.
upgrade: $(UV)
	$(UV) lock --upgrade
	@$(UV) sync --locked --extra dev --quiet

# Database, migrations, the catalogue, runserver and the task worker, in one command.
run: install
	$(PY) -m mathpath.stack dev --port $(PORT)

# Production-style on loopback: gunicorn, DEBUG=0, hashed static files from whitenoise,
# the task worker; a local secret key in .secret_key unless SECRET_KEY is set.
serve: install
	$(PY) -m mathpath.stack serve --port $(PORT)

# The task worker alone (mail), for a web server started some other way.
worker: install
	$(MANAGE) db_worker --queue-name '*'

migrate: install
	$(MANAGE) prepare

test: install vnu
	$(PY) -m pytest

# The embedded PostgreSQL stops when its last user exits. db-start keeps it up until db-stop
# (for a client of your own, e.g. psql); db-status says whether it runs and who uses it.
db-start: install
	@$(PY) -m mathpath.embedded_db start

db-stop: install
	@$(PY) -m mathpath.embedded_db stop

db-status: install
	@$(PY) -m mathpath.embedded_db status

# The Nu HTML Checker for tests/guards/test_valid_html.py: npm's vnu-jar under build/ (git-
# ignored), run with Java. Without npm or Java the check is skipped, saying why.
VNU_JAR := build/vnu/node_modules/vnu-jar/build/dist/vnu.jar
vnu:
	@if [ -f $(VNU_JAR) ]; then :; \
	elif command -v npm >/dev/null 2>&1 && command -v java >/dev/null 2>&1; then \
		npm install --silent --no-audit --no-fund --prefix build/vnu vnu-jar \
			|| echo "could not install vnu-jar: the HTML validity check will be skipped"; \
	else echo "npm or java not found: the HTML validity check will be skipped"; fi

lint: install
	$(VENV)/bin/ruff check .

# Known vulnerabilities in the installed dependencies: pip-audit, then PyPI's project pages
# for what it could not look up (needs PyPI; STRICT=1 also fails on anything left unchecked).
audit: install
	$(PY) scripts/audit.py $(if $(STRICT),--strict)

# Load benchmark against bare-Django baselines; writes docs/performance.md.
bench: install
	$(PY) benchmarks/load.py

# allauth's wording in the site's voice: locale/en (run again after upgrading allauth).
voice: install
	$(PY) scripts/allauth_voice.py

# Lighthouse accessibility and best practices of five pages (slow, so not in make test).
build/lighthouse/node_modules/.bin/lighthouse:
	mkdir -p build/lighthouse && npm install --silent --no-audit --no-fund -E --prefix build/lighthouse lighthouse@12.2.3

lighthouse: install build/lighthouse/node_modules/.bin/lighthouse
	$(PY) scripts/lighthouse.py

# README screenshots from a throw-away copy of the site, in Chromium: docs/screenshots/.
screenshots: install
	$(PY) scripts/screenshots.py

# pg_dump of the site's database (embedded or DATABASE_URL) into backups/.
backup: install
	$(PY) scripts/db_backup.py backup

# Restore backups/'s newest dump, or FILE=backups/mathpath-....dump, into the site's database.
restore: install
	$(PY) scripts/db_backup.py restore $(FILE)
