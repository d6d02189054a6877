# LiênThông – two commands for a newcomer:
#   make run    install and serve the platform with demo data on the embedded default (SQLite, local files)
#               (make run PORT=8123 HOST=0.0.0.0 to serve elsewhere)
#   make test   install what the tests need and run the whole suite
PYTHON ?= python3
PORT ?= 8000
HOST ?= 127.0.0.1
UV_VERSION := 0.13.9
VENV := .venv
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)

# Debian packages: what running needs, and what the tests add (real browser, real signature verifiers).
RUN_PACKAGES := python3-venv fonts-liberation2 poppler-utils
TEST_PACKAGES := $(RUN_PACKAGES) chromium poppler-utils xmlsec1 softhsm2 gettext libnss3-tools

.PHONY: run test lint format messages system-run system-test install bench clean

run: system-run install
	$(VENV)/bin/lienthong run --host $(HOST) --port $(PORT)

test: system-test install
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check lienthong tests bench conftest.py
	$(VENV)/bin/mypy lienthong

format: install
	$(VENV)/bin/ruff format lienthong tests bench conftest.py
	$(VENV)/bin/ruff check --fix .

# Refresh the English catalogue after changing user-facing text (Vietnamese is the source language);
# translate the new entries in lienthong/locale/en/LC_MESSAGES/django.po, then run it again to compile.
messages: install
	$(VENV)/bin/lienthong makemessages -l en --ignore=.venv --ignore=var --ignore=bench --ignore=tests --ignore='*/tests/*'
	$(VENV)/bin/lienthong compilemessages --ignore=.venv

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml uv.lock
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(VENV)/bin/uv sync --frozen --inexact
	touch $@

# System packages are installed only when missing, and only when we can (root with apt-get).
system-run:
	@sh scripts/system-packages.sh $(RUN_PACKAGES)

system-test:
	@sh scripts/system-packages.sh $(TEST_PACKAGES)

bench: install
	sh scripts/system-packages.sh wrk
	$(VENV)/bin/python bench/deadline_pure.py
	$(VENV)/bin/python bench/deadline_http.py
	$(VENV)/bin/python bench/signatures.py
	if [ -n "$$DATABASE_URL" ]; then $(VENV)/bin/python bench/catalog_search.py; else echo "catalog_search.py cần DATABASE_URL trỏ tới PostgreSQL; bỏ qua"; fi
	if [ -n "$$DATABASE_URL" ]; then $(VENV)/bin/python bench/dossier_intake.py; else echo "dossier_intake.py cần DATABASE_URL trỏ tới PostgreSQL; bỏ qua"; fi
	if [ -n "$$DATABASE_URL" ]; then $(VENV)/bin/python bench/queue_page.py; else echo "queue_page.py cần DATABASE_URL trỏ tới PostgreSQL; bỏ qua"; fi

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
