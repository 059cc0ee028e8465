PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev
DEMO_DIR ?= demo
APT_GET ?= apt-get
#: Debian packages some tests use (headless Chromium and its driver for the map and the web
#: app, LibreOffice for roster.xlsx); those tests skip, saying why, when absent.
TEST_TOOLS := chromium chromium-driver libreoffice-calc

.PHONY: demo test test-tools lint install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(DEVSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,ray]'
	touch $@ $(STAMP)

install: $(STAMP)
install-dev: $(DEVSTAMP)

demo: $(STAMP)
	$(BIN)/camp-planner demo $(DEMO_DIR)

lint: $(DEVSTAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy src

# Installs the missing ones of $(TEST_TOOLS) (and python3-venv if `python3 -m venv` cannot
# work) with apt-get, only as root on a machine with apt-get. Never fails: without them the
# tests that need them are skipped with the reason.
test-tools:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v libreoffice >/dev/null 2>&1 || command -v soffice >/dev/null 2>&1 \
		|| missing="$$missing libreoffice-calc"; \
	command -v chromedriver >/dev/null 2>&1 || [ -x /usr/bin/chromedriver ] \
		|| missing="$$missing chromium-driver"; \
	[ -x $(BIN)/python ] || $(PYTHON) -c "import ensurepip" >/dev/null 2>&1 \
		|| missing="$$missing python3-venv"; \
	if [ -z "$$missing" ]; then \
		echo "test tools present: $(TEST_TOOLS)"; \
	elif [ "$$(id -u)" = 0 ] && command -v $(firstword $(APT_GET)) >/dev/null 2>&1; then \
		echo "installing test tools:$$missing"; \
		{ $(APT_GET) update -qq && DEBIAN_FRONTEND=noninteractive \
			$(APT_GET) install -y -qq --no-install-recommends $$missing; } \
			|| echo "could not install$$missing; the tests that need them will be skipped"; \
	else \
		echo "missing$$missing (install as root with apt-get); the tests that need them will be skipped"; \
	fi

test: test-tools
	@$(MAKE) --no-print-directory install-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy src
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) $(DEMO_DIR)
