# Cegah: two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: demo test lint format install install-test browser messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(STAMP)

install: $(STAMP)
install-test: $(TEST_STAMP)

## make demo: build the SQLite demo database, print the demo logins, serve at 127.0.0.1:8000
demo: $(STAMP)
	$(BIN)/cegah demo $(DEMO_ARGS)

## make test: the whole suite (browser tests included) on CEGAH_DATABASE_URL or SQLite
test: $(TEST_STAMP) browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## Debian's chromium and gettext, installed when missing and we may (root on Debian).
browser:
	@if [ ! -x /usr/bin/chromium ] || ! command -v msgfmt >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium and gettext for the browser and translation tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium gettext >/dev/null; \
	  else \
	    echo "!!! /usr/bin/chromium or gettext is missing and cannot be installed here:"; \
	    echo "!!! browser tests will be SKIPPED (set CEGAH_REQUIRE_BROWSER=1 to fail instead)."; \
	  fi; \
	fi

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(TEST_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## make messages: refresh the translation catalogue and compile it
messages: $(TEST_STAMP)
	cd cegah && ../$(BIN)/cegah makemessages -l id --no-obsolete --ignore 'static/vendor/*'
	cd cegah && ../$(BIN)/cegah compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
