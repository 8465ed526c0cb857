# Every target installs what it needs into .venv on first use, so a plain clone works:
#   make demo       the demo playbook against a freshly started emulator
#   make test       every check (what CI runs): unit, contract and integration tests, the event source's tests under
#                   ansible-rulebook, ansible-lint, ansible-test sanity, the docs lint and the docsite build (no
#                   warning allowed), the build-and-install test,
#                   and the tests on the lowest and newest ansible-core; side by side, with each one's time at the end
#   make check      the contributor's quick subset (a few minutes): see CONTRIBUTING.md
#   make emulator   the emulator on the demo fixture, in the foreground (PORT=8025)
#   make bench      the benchmark (BENCH_SCALE=0.1 for a quick look)
#   make docs       the docsite, built into docs/site/build/html without the network; a warning fails it

SHELL := /bin/bash
PYTHON ?= python3
VENV := $(CURDIR)/.venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
COLLECTIONS := $(CURDIR)/build/collections
TREE := $(COLLECTIONS)/ansible_collections/mailops/sendgrid
PORT ?= 8025
# The interpreter on the PATH before .venv's is put first: pyenv's shim, which PYENV_VERSION steers.
# Exported, and kept when it comes from the environment: a check run by tests/tools/run_checks.py is a make below
# this one, with .venv first on its PATH, and must still make the compat venvs with the shim, not with .venv's Python.
ifeq ($(origin SYSTEM_PYTHON),undefined)
SYSTEM_PYTHON := $(shell command -v $(PYTHON))
endif
export SYSTEM_PYTHON
SANITY_PYTHON ?= 3.11
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export PATH := $(BIN):$(PATH)

.PHONY: test check venv units contracts integration eda java lint sanity docs-lint build-install compat compat-low compat-high compat-one demo \
	emulator bench docs changelog tree clean

DOCS_STAMP := $(VENV)/.docs-installed
EDA_STAMP := $(VENV)/.eda-installed
# The oldest ansible-core meta/runtime.yml admits, on this Python; and the newest pip offers, on Python 3.13.
COMPAT_LOW_SPEC ?= ansible-core>=2.16,<2.17
COMPAT_HIGH_SPEC ?= ansible-core
COMPAT_HIGH_PYTHON ?= 3.13.0

$(STAMP): requirements.txt requirements-dev.txt tests/emulator/requirements.txt
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

# The checks of `make test`, run side by side by tests/tools/run_checks.py (CHECK_JOBS at once, the first named
# first, so the costliest come first; each in a collections tree of its own, its output in build/checks/<check>.log),
# which prints each one's wall and CPU time at the end. A new check is one more name here.
CHECKS := units build-install integration contracts compat-low compat-high sanity eda lint docs-lint docs
CHECK_JOBS ?= 3
# In `make test` the demo's test and the documented examples run once, in build-install, against the installed
# tarball (tests/tools/build_install.py, INSTALLED_TESTS), and not in units too.
TEST_UNITS := tests/unit --ignore=tests/unit/demo/test_demo.py --ignore=tests/unit/docs/test_documented_examples.py

# What two checks share, installed once before they start (the compat venvs and Java are each one check's own).
venv: $(STAMP) $(EDA_STAMP) $(DOCS_STAMP)

# SYSTEM_PYTHON handed down: a check's make would find the interpreter pyenv's shim started the runner with.
test:
	$(PYTHON) tests/tools/run_checks.py --first venv --jobs $(CHECK_JOBS) --make-arg 'UNITS=$(TEST_UNITS)' \
	  --make-arg SYSTEM_PYTHON=$(SYSTEM_PYTHON) $(CHECKS)

# The contributor's quick subset, a few minutes on two cores: the unit tests not marked slow and those marked compat
# (one through each way the collection meets ansible-core), beside ansible-lint; each one's time at the end.
CHECK_UNITS := -m 'compat or not slow' tests/unit
check: $(STAMP)
	$(BIN)/python tests/tools/run_checks.py --title 'make check' --jobs 2 --make-arg "UNITS=$(CHECK_UNITS)" units lint

UNITS ?= tests/unit
units: $(STAMP)
	$(BIN)/pytest -q -p no:cacheprovider -n auto --dist worksteal $(UNITS)

# The contract of every module of the action group and of the role: --check and check_mode: true send no write,
# check mode tells what the real run does, a second real run writes nothing, the key shows nowhere at -vvvv.
contracts: tree
	$(BIN)/pytest -q -p no:cacheprovider -n 2 tests/contracts

# Targets INTEGRATION_JOBS at once, each in a copy of the tree of its own.
INTEGRATION_JOBS ?= 2
integration: tree
	$(BIN)/python tests/integration/run.py --tree $(TREE) --jobs $(INTEGRATION_JOBS)

$(EDA_STAMP): $(STAMP) requirements-eda.txt
	$(BIN)/pip install -q -r requirements-eda.txt
	touch $@

# ansible-rulebook runs its rules engine on a Java 17+ runtime: installed from Debian's packages when missing.
java:
	tests/tools/ensure_java.sh

# The event source alone, then end to end under ansible-rulebook with the example rulebook.
eda: tree $(EDA_STAMP) java
	$(BIN)/pytest -q -p no:cacheprovider -n 2 tests/eda

# ansible-lint, then pylint's duplicate-code check over every Python file (documentation constants left out).
lint: tree
	$(BIN)/ansible-lint --offline
	$(BIN)/python tests/tools/duplicate_code.py

sanity: tree
	$(BIN)/python tests/tools/ansible_test_get_pip.py
	cd $(TREE) && $(BIN)/ansible-test sanity --venv --python $(SANITY_PYTHON) --color no

$(DOCS_STAMP): $(STAMP) requirements-docs.txt
	$(BIN)/pip install -q -r requirements-docs.txt
	touch $@

docs-lint: tree $(DOCS_STAMP)
	$(BIN)/antsibull-docs lint-collection-docs --plugin-docs $(TREE)

# The docsite, built without the network (a local intersphinx inventory); any warning fails the build.
docs: tree $(DOCS_STAMP)
	rm -rf docs/site && mkdir -m 0700 docs/site
	$(BIN)/antsibull-docs sphinx-init --use-current --squash-hierarchy --lenient --dest-dir docs/site mailops.sendgrid
	$(BIN)/python tests/tools/docs_offline.py docs/site
	cd docs/site && ./build.sh > build.log 2>&1 || { cat build.log; exit 1; }
	@if grep -n 'WARNING' docs/site/build.log; then echo "make docs: the docsite build warned (above); see docs/site/build.log"; exit 1; fi
	@echo "docsite: docs/site/build/html/index.html (no warnings)"

build-install: $(STAMP) $(EDA_STAMP)
	$(BIN)/python tests/tools/build_install.py

# The lowest and the newest ansible-core, each in a venv of its own made once (.venv-low, .venv-high): what can
# change with ansible-core's version, not the whole suite again. The unit tests marked `compat` (one through each
# way the collection meets ansible-core: see CONTRIBUTING.md) and COMPAT_TARGETS, the integration targets of the
# role, the action, a lookup and a module, on the default API version.
COMPAT_TARGETS ?= role_suppression_cleanup sendgrid_suppression_cleanup lookup_suppressions sendgrid_invalid_email
compat: compat-low compat-high

compat-low: tree
	$(MAKE) compat-one NAME=low SPEC='$(COMPAT_LOW_SPEC)' PYVER= SYSTEM_PYTHON=$(SYSTEM_PYTHON)

compat-high: tree
	$(MAKE) compat-one NAME=high SPEC='$(COMPAT_HIGH_SPEC)' PYVER=$(COMPAT_HIGH_PYTHON) SYSTEM_PYTHON=$(SYSTEM_PYTHON)

COMPAT_VENV = $(CURDIR)/.venv-$(NAME)
$(COMPAT_VENV)/.installed: requirements-compat.txt requirements.txt
	test -x $(COMPAT_VENV)/bin/python || PYENV_VERSION=$(PYVER) $(SYSTEM_PYTHON) -m venv $(COMPAT_VENV)
	$(COMPAT_VENV)/bin/pip install -q -U pip
	$(COMPAT_VENV)/bin/pip install -q '$(SPEC)' -r requirements-compat.txt
	touch $@

compat-one: $(COMPAT_VENV)/.installed
	$(COMPAT_VENV)/bin/ansible --version > $(COMPAT_VENV)/version.txt && head -1 $(COMPAT_VENV)/version.txt
	test -z '$(PYVER)' || $(COMPAT_VENV)/bin/python -c 'import platform, sys; v = platform.python_version(); print("python", v); sys.exit(v != "$(PYVER)")'
	PATH=$(COMPAT_VENV)/bin:$$PATH $(COMPAT_VENV)/bin/pytest -q -p no:cacheprovider -n auto --dist worksteal -m compat tests/unit
	PATH=$(COMPAT_VENV)/bin:$$PATH $(COMPAT_VENV)/bin/python tests/integration/run.py --tree $(TREE) --api-versions v3 \
	  --jobs $(INTEGRATION_JOBS) $(COMPAT_TARGETS)

changelog: tree
	$(BIN)/antsibull-changelog lint
	$(BIN)/antsibull-changelog generate

demo: tree
	$(BIN)/python tests/demo/run.py

emulator: $(STAMP)
	PYTHONPATH=tests $(BIN)/python -m emulator --port $(PORT)

BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): $(STAMP) requirements-bench.txt
	$(BIN)/pip install -q -r requirements-bench.txt
	touch $@

bench: tree $(BENCH_STAMP)
	$(BIN)/python tests/benchmarks/run.py

clean:
	rm -rf build tests/output docs/site
