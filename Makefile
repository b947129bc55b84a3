# make run: install everything and serve on http://127.0.0.1:8000
# make test: install everything and run the whole test suite
PYTHON ?= python3.11
VENV ?= .venv
BIN = $(VENV)/bin
STAMP = $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

.PHONY: install run test lint bench check-rules browser

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	@echo "Serving on http://127.0.0.1:8000 (API docs at /docs). Every /v1 call needs an API key; make one with:"
	@echo "  $(BIN)/flask --app wsgi keys create --name my-system --role caller   (roles: caller, officer, chair, admin)"
	@echo "and a person for the review pages (/review) with:"
	@echo "  $(BIN)/flask --app wsgi users create --username chair1 --role chair"
	$(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

# The suite runs twice: on SQLite, then on the PostgreSQL at TEST_POSTGRES_URL.
TEST_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

# The browser tests drive Debian's Chromium (never a downloaded browser).
CHROMIUM ?= /usr/bin/chromium

browser: $(CHROMIUM)

$(CHROMIUM):
	apt-get install -y -q chromium >/dev/null || (apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null)

test: $(STAMP) $(CHROMIUM)
	$(BIN)/ruff check .
	$(BIN)/pytest
	TEST_DATABASE_URL=$(TEST_POSTGRES_URL) $(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .

# wrk (Debian's) generates the HTTP load; without it the bench falls back to a slower Python client.
WRK ?= /usr/bin/wrk

$(WRK):
	apt-get install -y -q wrk >/dev/null || (apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null)

bench: $(STAMP) $(WRK)
	$(BIN)/python -m bench.run

check-rules: $(STAMP)
	$(BIN)/flask --app wsgi rules check
