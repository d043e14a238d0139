# MathPath: `make run` to use it, `make test` to prove it. See README.md.
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py

# The first interpreter on PATH that is Python 3.12 or newer (pyenv's shims included).
PYTHON ?= $(shell for p in python3 python3.12 python3.13 python3.14 python; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { echo $$p; break; }; done)

.PHONY: run test serve install migrate lint audit bench backup restore clean-db vnu screenshots

$(VENV)/.installed: pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "MathPath needs Python 3.12 or newer (python3 here is $$(python3 --version 2>&1 || echo missing)); install it, or run make PYTHON=/path/to/python3.12." >&2; exit 1; fi
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

migrate: install
	$(MANAGE) migrate --noinput
	$(MANAGE) loadcatalog

run: migrate
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: install vnu
	$(MANAGE) migrate --noinput
	$(PY) -m pytest

# The Nu HTML Checker for tests/guards/test_valid_html.py: npm's vnu-jar under build/ (git-
# ignored), run with Java. Without npm or Java the check is skipped, saying why.
VNU_JAR := build/vnu/node_modules/vnu-jar/build/dist/vnu.jar
vnu:
	@if [ -f $(VNU_JAR) ]; then :; \
	elif command -v npm >/dev/null 2>&1 && command -v java >/dev/null 2>&1; then \
		npm install --silent --no-audit --no-fund --prefix build/vnu vnu-jar \
			|| echo "could not install vnu-jar: the HTML validity check will be skipped"; \
	else echo "npm or java not found: the HTML validity check will be skipped"; fi

# Production-style: gunicorn, DEBUG off, hashed static files served by whitenoise.
serve: migrate
	@export DEBUG=0 HTTPS=$${HTTPS:-0} ALLOWED_HOSTS=$${ALLOWED_HOSTS:-127.0.0.1,localhost} \
		SECRET_KEY=$${SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')}; \
	$(MANAGE) collectstatic --noinput --verbosity 0 && \
	exec $(VENV)/bin/gunicorn mathpath.wsgi --bind 127.0.0.1:$(PORT) --workers $${WEB_CONCURRENCY:-3}

lint: install
	$(VENV)/bin/ruff check .

# Known vulnerabilities in the installed dependencies: pip-audit, then PyPI's project pages
# for what it could not look up (needs PyPI; STRICT=1 also fails on anything left unchecked).
audit: install
	$(PY) scripts/audit.py $(if $(STRICT),--strict)

# Load benchmark against bare-Django baselines; writes docs/performance.md.
bench: install
	$(PY) benchmarks/load.py

# README screenshots from a throw-away copy of the site, in Chromium: docs/screenshots/.
screenshots: install
	$(PY) scripts/screenshots.py

# pg_dump of the site's database (embedded or DATABASE_URL) into backups/.
backup: install
	$(PY) scripts/db_backup.py backup

# Restore backups/'s newest dump, or FILE=backups/mathpath-....dump, into the site's database.
restore: install
	$(PY) scripts/db_backup.py restore $(FILE)
