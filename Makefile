# wagtail-smo: `make demo` runs the example site, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# Extras installed into the development environment.
EXTRAS ?= test,rq,postgres

.PHONY: demo test bench lint prereqs clean-demo

prereqs:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null || { \
		echo "wagtail-smo needs Python 3.11 or newer: install it and run 'make PYTHON=python3.11 $(MAKECMDGOALS)'."; exit 1; }
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { \
		echo "Python's venv module is missing: install it (Debian/Ubuntu: apt-get install python3-venv)."; exit 1; }

$(BIN)/.installed: setup.cfg pyproject.toml | prereqs
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[$(EXTRAS)]"
	@touch $@

tests/node_modules/.installed: tests/package.json tests/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix tests --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the accessibility scan will be skipped (install Node.js to run it)."; fi

demo: $(BIN)/.installed
	@$(BIN)/python -c 'import socket, sys; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", $(PORT)))' 2>/dev/null || { \
		echo "Port $(PORT) is already in use: stop whatever uses it, or run 'make demo PORT=8001'."; exit 1; }
	@mkdir -p var
	$(MANAGE) migrate --noinput -v 0
	$(MANAGE) load_demo_content --create-admin --with-posts --port $(PORT)
	@echo "Starting the background worker and the site on http://127.0.0.1:$(PORT)/ (admin: admin / changeme)"
	@trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(MANAGE) db_worker --no-reload & worker=$$!; \
		$(MANAGE) runserver --noreload 127.0.0.1:$(PORT)

test: $(BIN)/.installed tests/node_modules/.installed
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

bench: $(BIN)/.installed
	$(BIN)/pip install --quiet -e ".[$(EXTRAS),bench]"
	@for script in benchmarks/*.py; do \
		case $$script in */_*) continue;; esac; \
		echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean-demo:
	rm -rf var
