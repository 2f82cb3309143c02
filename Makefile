# Every target installs what it needs: on a fresh clone, `make demo` and `make test` just work.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
OFFICIAL_VENV := .venv-official
# The SDK with its runtime dependencies only, as users install it (benchmarks).
RUNTIME_VENV := .venv-runtime
# What `make demo` needs when .venv is not there: the SDK, the emulator and Pillow.
DEMO_VENV := .venv-demo
UV_VERSION := 0.13.8
# The official client (PyPI dragoneye-python 2.0.1) shares our distribution and
# import names, so it lives in its own venv and tests drive it in a subprocess.
OFFICIAL_VERSION := 2.0.1

.PHONY: install official generate check test lint format typecheck demo docs bench cassettes clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# pip >= 25.1 installs dependency groups (--group), so upgrade it first.
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[emulator,draw,pandas,polars,ray]" --group dev
	touch $@

install: $(BIN)/.installed

$(OFFICIAL_VENV)/.installed:
	$(PYTHON) -m venv $(OFFICIAL_VENV)
	$(OFFICIAL_VENV)/bin/python -m pip install --quiet "dragoneye-python==$(OFFICIAL_VERSION)"
	touch $@

official: $(OFFICIAL_VENV)/.installed

generate: install
	$(BIN)/python generator/generate.py

check: install
	$(BIN)/python generator/generate.py --check

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Fix what ruff can and format everything hand-written (generated code is made
# formatted by `make generate`, which the sources' formatting feeds).
format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# With coverage of the hand-written code; [tool.coverage] in pyproject.toml sets what
# counts (generated code does not) and the floor under which the run fails.
test: install official
	DRAGONEYE_OFFICIAL_PYTHON=$(abspath $(OFFICIAL_VENV))/bin/python $(BIN)/python -m pytest --cov

# uv (pinned) installs the demo's venv in seconds where pip takes most of a minute.
$(DEMO_VENV)/.installed: pyproject.toml
	rm -rf $(DEMO_VENV)
	$(PYTHON) -m venv --without-pip $(DEMO_VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --target $(DEMO_VENV)/tools "uv==$(UV_VERSION)"
	$(DEMO_VENV)/tools/bin/uv pip install --quiet --python $(DEMO_VENV)/bin/python ".[emulator,draw]"
	touch $@

# The demo runs in .venv when `make install` made it, else in its own small venv.
demo:
	@if [ -f $(BIN)/.installed ]; then \
		$(BIN)/python -m dragoneye.demo; \
	else \
		$(MAKE) --no-print-directory $(DEMO_VENV)/.installed && $(DEMO_VENV)/bin/python -m dragoneye.demo; \
	fi

# The documentation site, into site/; warnings fail the build.
docs: install
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

bench: install official
	rm -rf $(RUNTIME_VENV)
	$(PYTHON) -m venv $(RUNTIME_VENV)
	# trio (the dev pin) for the trio figures; users of trio have it.
	$(RUNTIME_VENV)/bin/python -m pip install --quiet . "trio==0.35.0"
	DRAGONEYE_OFFICIAL_PYTHON=$(abspath $(OFFICIAL_VENV))/bin/python \
	DRAGONEYE_RUNTIME_PYTHON=$(abspath $(RUNTIME_VENV))/bin/python \
	$(BIN)/python -m benchmarks

# Re-record every cassette against a fresh emulator (the async tests replay the
# same cassettes the blocking ones record).
cassettes: install
	rm -f tests/cassettes/*.yaml tests/cassettes/*.result.json
	DRAGONEYE_RECORD=1 $(BIN)/python -m pytest tests/_sync/test_cassettes.py -k "not secrets" -q

clean:
	rm -rf $(VENV) $(OFFICIAL_VENV) $(RUNTIME_VENV) $(DEMO_VENV) site .mypy_cache .pytest_cache .ruff_cache .coverage .coverage.*
