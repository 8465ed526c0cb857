# Every target installs what it needs into .venv on first use, so a plain clone works:
#   make demo       the demo playbook against a freshly started emulator
#   make test       sanity, lint, unit and integration tests (what CI runs)
#   make emulator   the emulator on the demo fixture, in the foreground (PORT=8025)
#   make bench      the benchmark

SHELL := /bin/bash
PYTHON ?= python3
VENV := $(CURDIR)/.venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
COLLECTIONS := $(CURDIR)/build/collections
TREE := $(COLLECTIONS)/ansible_collections/mailops/sendgrid
PORT ?= 8025
SANITY_PYTHON ?= 3.11
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export PATH := $(BIN):$(PATH)

.PHONY: test units integration lint sanity demo emulator bench tree clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -U pip
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

# ansible-test wants the collection at ansible_collections/mailops/sendgrid: a copy of the files git knows,
# made a git work tree of its own so that ansible-test does not read this repository's .gitignore (build/).
tree: $(STAMP)
	rm -rf $(TREE) && mkdir -p $(TREE)
	git ls-files -z --cached --others --exclude-standard \
	  | tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C $(TREE)
	git -C $(TREE) init -q

test: units integration lint sanity

units: $(STAMP)
	$(BIN)/pytest -q -p no:cacheprovider tests/unit

integration: tree
	$(BIN)/python tests/integration/run.py --tree $(TREE)

lint: tree
	$(BIN)/ansible-lint --offline

sanity: tree
	$(BIN)/python tests/tools/ansible_test_get_pip.py
	cd $(TREE) && $(BIN)/ansible-test sanity --venv --python $(SANITY_PYTHON) --color no

demo: tree
	$(BIN)/python tests/demo/run.py

emulator: $(STAMP)
	$(BIN)/python tests/emulator/serve.py --port $(PORT)

bench: tree
	$(BIN)/python tests/benchmarks/run.py

clean:
	rm -rf build tests/output
