# make demo: a multi-environment rollout against the local PingOne emulator (real PingOne when PINGONE_* are set)
# make test: every test (sanity, units, integration against the emulator, lint, build + docs)
# make bench: the benchmark (the collection vs hand-written uri playbooks, against the emulator); not part of make test
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin

.PHONY: demo test bench venv clean

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

demo: venv
	PATH="$(BIN):$$PATH" bash tools/demo.sh

test: venv
	PATH="$(BIN):$$PATH" bash tools/test.sh

bench: venv
	PATH="$(BIN):$$PATH" python tests/bench/bench.py

clean:
	rm -rf $(VENV) .emulator dist tests/output
