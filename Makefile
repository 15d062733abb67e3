# Two commands do everything: `make reports` and `make test`. Both build the project
# environment (.venv, pinned by requirements.lock) and its Jupyter kernel when missing.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
KERNEL := support-analytics

.DEFAULT_GOAL := help
.PHONY: help reports test test-fast lint lock clean-venv bench

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Support analytics (.venv)" >/dev/null
	touch $(STAMP)

reports: $(STAMP)  ## render the report suite on the bundled data into reports/
	$(PY) -m analytics render --defaults

test: $(STAMP)  ## lint, then every test (unit, property, notebooks, browser)
	$(PY) -m ruff check analytics tests notebooks
	$(PY) -m pytest -n 2 --dist loadgroup

test-fast: $(STAMP)  ## unit and property tests only (no notebooks, no browser)
	$(PY) -m pytest -m "not slow"

lint: $(STAMP)  ## ruff on the package, the tests and the notebooks
	$(PY) -m ruff check analytics tests notebooks

lock: $(STAMP)  ## rewrite requirements.lock from the current environment
	@{ echo "# Full pinned tree for the project environment (pip freeze of a fresh install of pyproject.toml + [test,bench,train])."; \
	   echo "# Regenerate with: make lock"; \
	   $(PY) -m pip freeze --all --exclude-editable | grep -v '^support-analytics\|^pip=='; } > requirements.lock

SCALES ?= 1M 10M
DASK   ?= $(SCALES)
bench: $(STAMP)  ## scale benchmark vs DuckDB SQL (SCALES="10M 30M", DASK=..., OUT_OF_CORE=100M, LOCK=/tmp/bench.lock, PROFILE=10M); not in make test
	$(PY) -m bench.run --scales $(SCALES) --dask $(DASK) \
	  $(if $(OUT_OF_CORE),--out-of-core-scales $(OUT_OF_CORE)) $(if $(LOCK),--lock $(LOCK)) \
	  $(if $(PROFILE),--profile $(PROFILE))

clean-venv:  ## remove the project environment
	rm -rf $(VENV)
