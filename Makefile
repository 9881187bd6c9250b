# Two commands on a fresh machine: `make run` and `make test`. Both build .venv/ themselves.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test bench fuzz clean

comma := ,

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Dependencies come from the lock files (exact versions with hashes, made by scripts/lock.sh
# from pyproject.toml for Python 3.11, as the Docker image installs them); then the project
# itself (which only adds a dependency missing from the lock: tests/test_compose.py then asks
# for `bash scripts/lock.sh`). On another Python the locked set may not fit: fall back to a
# plain install with a warning rather than fail. Stamp files: a second `make` does not reinstall.
# Bytecode is compiled at install: a console answering one line must not compile 200 modules first.
define install_locked
	$(BIN)/pip install --quiet --require-hashes -r $(1) \
	  || echo "warning: $(1) does not fit this Python; installing unpinned versions" >&2
	$(BIN)/pip install --quiet -e '.$(2)'
	$(BIN)/python -m compileall -q engine bot content > /dev/null
endef

$(VENV)/.installed: pyproject.toml requirements/run.lock | $(BIN)/python
	$(call install_locked,requirements/run.lock,[postgres])
	touch $@

$(VENV)/.installed-test: pyproject.toml requirements/test.lock | $(BIN)/python
	$(call install_locked,requirements/test.lock,[test$(comma)postgres])
	touch $(VENV)/.installed $@

run: $(VENV)/.installed
	$(BIN)/kubetutor run

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

bench: $(VENV)/.installed
	$(BIN)/kubetutor bench

fuzz: $(VENV)/.installed-test
	KUBETUTOR_FUZZ_EXAMPLES=20000 $(BIN)/python -m pytest tests -k fuzz

clean:
	rm -rf $(VENV)
