# make demo: a multi-environment rollout against the local PingOne emulator (real PingOne when PINGONE_* are set)
# make test: every test (sanity, units, integration against the emulator, lint, build + ansible-doc, changelog lint,
#            docs lint + docsite, galaxy-importer, execution environment)
# make test-matrix: the suite on every supported ansible-core (2.16-2.21), one venv each; writes tests/matrix.md
# make docs: the docsite (antsibull-docs) in dist/docsite
# make bench: the benchmark (the collection vs hand-written uri playbooks, against the emulator); not part of make test
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin

.PHONY: demo test test-matrix docs bench venv clean

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

demo: venv
	PATH="$(BIN):$$PATH" bash tools/demo.sh

test: venv
	PATH="$(BIN):$$PATH" bash tools/test.sh

test-matrix:
	bash tools/matrix.sh

docs: venv
	PATH="$(BIN):$$PATH" TEST_STAGES=docs bash tools/test.sh

bench: venv
	PATH="$(BIN):$$PATH" python tests/bench/bench.py

clean:
	rm -rf $(VENV) .venv-* .emulator dist tests/output
