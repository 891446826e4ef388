# The front door. `make briefing` and `make test` are all a new user needs.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
LOCK   := requirements.lock
YEAR   ?= 2020
PARAMS ?= params/briefing_$(YEAR).yaml
JOBS   ?=
FORCE  ?=

.PHONY: briefing test test-fast lab bench backtest lock clean-outputs help

help:
	@echo "make briefing   run the notebooks into outputs/ and render HTML ($(PARAMS))"
	@echo "make test       run the whole test suite"
	@echo "make test-fast  the fast tier: no kernel, browser or server (under a minute on 2 cores)"
	@echo "make lab        JupyterLab on the notebooks"
	@echo "make bench      benchmarks (not part of make test)"
	@echo "make backtest   rolling-origin backtest of the trend model, and the $(YEAR) targets against the trend"
	@echo "make lock       re-pin $(LOCK) and environment.yml from pyproject.toml (UPGRADE=1: newest)"

# The environment: created when missing, reinstalled when pyproject.toml or the lock changes.
# uv when it can be had (seconds), else pip (about a minute); the same pins either way.
$(STAMP): pyproject.toml $(LOCK)
	@$(PYTHON) tools/make_venv.py $(VENV)
	@touch $@

# Re-pin the lock after editing pyproject.toml; UPGRADE=1 moves every pin to its newest version.
lock:
	@$(PYTHON) tools/make_venv.py --lock $(if $(filter-out 0,$(UPGRADE)),--upgrade)

# YEAR=2021 for another report year; JOBS=N notebooks at once; FORCE=1 to rerun every page.
briefing: $(STAMP)
	$(PY) -m zhenhai_analysis.pipeline $(PARAMS) $(if $(JOBS),--jobs $(JOBS)) $(if $(filter-out 0,$(FORCE)),--force)

test: $(STAMP)
	$(PY) -m pytest

# The fast tier, for use between edits: everything that starts no kernel, browser or server.
test-fast: $(STAMP)
	$(PY) -m pytest -m "not slow" -q -n 2

# JupyterLab on the notebooks, with the project's kernel (root needs --allow-root).
lab: $(STAMP)
	$(VENV)/bin/jupyter lab --ServerApp.root_dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

# Benchmarks: run on demand, not part of make test; they print figures and ratios.
bench: $(STAMP)
	$(PY) benchmarks/bench_briefing.py $(PARAMS) $(if $(JOBS),--jobs $(JOBS))
	$(PY) benchmarks/bench_scaling.py

# The trend model against the curated history (not part of make test): coverage, errors, targets.
backtest: $(STAMP)
	$(PY) -m zhenhai_analysis.analysis.trend --year $(YEAR)

clean-outputs:
	find outputs -mindepth 1 ! -name README.md -exec rm -rf {} +
