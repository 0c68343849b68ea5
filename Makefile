# The two commands of the README: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 3

.PHONY: run test install install-dev lint check pytest audit messages clean services services-stop

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.txt
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt requirements-s3.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# BASE_URL is the address the demo is served at: the Site's address (sitemap.xml) and links in
# e-mails. An address set in the environment wins, e.g. `make run BASE_URL=https://noko.example.ru`.
BASE_URL ?= http://$(HOST):$(PORT)
run: export BASE_URL := $(BASE_URL)
run: install
	@echo "База данных: миграции…"
	@$(BIN)/python manage.py migrate --noinput --verbosity 0
	@$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@$(BIN)/python manage.py load_demo
	@echo "Портал: http://$(HOST):$(PORT)/  (остановить: Ctrl+C)"
	@DJANGO_SETTINGS_MODULE=cms.settings.dev $(BIN)/gunicorn cms.wsgi:application \
		--config ops/gunicorn.conf.py --bind $(HOST):$(PORT) --workers $(WORKERS) --timeout 60

test: install-dev lint check pytest audit

# PostgreSQL, Redis, Chromium and an OpenSearch node for development and CI (ops/services.sh);
# neither `make run` nor the SQLite `make test` needs them.
services:
	bash ops/services.sh start

services-stop:
	bash ops/services.sh stop

# Style, the layers (import-linter contracts in pyproject.toml) and dead code (ops/dead_code.py).
lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python ops/dead_code.py

check:
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

# One worker per core (pytest-xdist); conftest.py says how tests are grouped on them.
# `make pytest PYTEST_WORKERS=0` runs in one process.
PYTEST_WORKERS ?= auto
pytest:
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadscope

# Known-vulnerability check of the installed packages. Packages the vulnerability service
# cannot look up are listed as skipped; any known vulnerability fails the build.
audit:
	$(BIN)/pip-audit --local --progress-spinner off

# Regenerate the Russian catalogue (needs GNU gettext). Source strings are already Russian, so
# new entries start as identity translations that editors of wording may then refine.
messages:
	$(BIN)/python manage.py makemessages --locale ru --ignore '.venv/*' --ignore 'static/*' --ignore 'media/*'
	# Fuzzy guesses of makemessages would carry another string's wording: drop them first.
	msgattrib --clear-fuzzy --empty cms/locale/ru/LC_MESSAGES/django.po -o cms/locale/ru/LC_MESSAGES/django.po
	msgen --force-po cms/locale/ru/LC_MESSAGES/django.po -o cms/locale/ru/LC_MESSAGES/django.po
	$(BIN)/python cms/fill_plural_messages.py cms/locale/ru/LC_MESSAGES/django.po
	$(BIN)/python manage.py compilemessages --locale ru --ignore '.venv/*'

clean:
	rm -rf $(VENV) static db.sqlite3
