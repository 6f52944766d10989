# Two commands on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PYTHON_FOUND = $(shell scripts/find-python)
DEMO_DB ?= var/demo.sqlite3
HOST ?= 127.0.0.1
PORT ?= 8000
# The test suite's worker processes (pytest-xdist): one per core unless told otherwise.
TEST_WORKERS ?= logical

.PHONY: demo test venv browser-deps report-font lint typecheck check-django unit clean bench

$(BIN)/.installed: pyproject.toml
	@py="$(PYTHON_FOUND)"; test -n "$$py" || exit 1; \
	  test -x $(BIN)/python || "$$py" -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

# Bytecode written up front: where PYTHONDONTWRITEBYTECODE is set, every `lingting` start
# would otherwise compile the sources again (a sixth of a short `lingting score` run).
# Then the scoring path compiled with mypyc (src/lingting/engine/accel.py says how it is
# kept in step with its sources); without a C compiler it stays pure Python.
venv: $(BIN)/.installed
	@$(BIN)/python -m compileall -q src >/dev/null
	@$(BIN)/python scripts/build-accel

# Debian's chromium and a CJK font for the browser tests; never a downloaded browser.
# The same font goes into the PDF reports; poppler-utils lets the tests render a PDF page.
browser-deps:
	@if ! command -v chromium >/dev/null || ! command -v pdftoppm >/dev/null || ! fc-list 2>/dev/null | grep -qi "WenQuanYi Micro Hei"; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei poppler-utils >/dev/null; \
	  else \
	    echo "Browser tests need Debian's chromium, fonts-wqy-microhei and poppler-utils: sudo apt-get install chromium fonts-wqy-microhei poppler-utils" >&2; exit 1; \
	  fi; \
	fi

# The CJK font the PDF reports embed (the app says clearly where it looked when none is found).
report-font:
	@if ! fc-list 2>/dev/null | grep -qi "WenQuanYi Micro Hei"; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null; \
	  else \
	    echo "PDF reports need a CJK font: sudo apt-get install fonts-wqy-microhei (or set LINGTING_REPORT_FONT)" >&2; \
	  fi; \
	fi

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: venv
	$(BIN)/mypy

check-django: venv
	$(BIN)/lingting makemigrations --check --dry-run
# The deployment settings are checked against an empty in-memory database: the checks that
# read data (a business calendar not loaded yet) are for running systems, not for the build.
	DEBUG=0 SECRET_KEY=check-deploy-$$(date +%s)-not-a-real-secret-but-long-enough-for-the-check \
	  ALLOWED_HOSTS=lingting.example LINGTING_SECURE=1 DATABASE_URL=sqlite://:memory: \
	  $(BIN)/lingting check --deploy --fail-level WARNING

# A module's tests stay on one worker (--dist loadscope): the demo tests share one build.
unit: venv browser-deps
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadscope

test: lint typecheck check-django unit

demo: venv report-font
	mkdir -p var
	DATABASE_URL=sqlite:///$(CURDIR)/$(DEMO_DB) $(BIN)/lingting migrate --no-input
	DATABASE_URL=sqlite:///$(CURDIR)/$(DEMO_DB) $(BIN)/lingting demo --seed 20261001
	DATABASE_URL=sqlite:///$(CURDIR)/$(DEMO_DB) scripts/serve-demo $(HOST) $(PORT)

bench: venv
	$(BIN)/python benchmarks/score_throughput.py

clean:
	rm -rf $(VENV) var build src/*.egg-info src/lingting/engine/accel.json
	find src -name '*.so' -delete
