# The README's two commands are `make run` and `make test`; both set up .venv on first use.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test lint bench screenshots soak clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/jiceng

test: $(STAMP)
	$(PY) -m ruff check app tests bench tools
	$(VENV)/bin/lint-imports
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check app tests bench tools
	$(VENV)/bin/lint-imports

bench: $(STAMP)
	$(PY) -m bench

# The long fault runs: 200 kill -9s while saving, 200 during bundle imports, 60 during syncs
# (a third of them killing the server too), 60 during migrations, 60 during restores,
# connections cut after every single byte, then the flaky-network and server fault tests again.
soak: $(STAMP)
	CI=true JICENG_SAVE_KILLS=200 JICENG_KILLS=200 JICENG_SYNC_KILLS=60 JICENG_MIGRATION_KILLS=60 JICENG_RESTORE_KILLS=60 JICENG_CUT_STRIDE=1 \
		$(PY) -m pytest -p no:cacheprovider -q --timeout=3600 \
		tests/faults tests/sync/test_bundle_kill.py tests/server/test_sync_client.py tests/server/test_pull_order.py \
		tests/server/test_cut_sweep.py

# A PNG of every screen with demo data, offscreen, in Chinese and in English.
screenshots: $(STAMP)
	$(PY) -m tools.screenshots --out build/screenshots
	$(PY) -m tools.screenshots --out build/screenshots --language en

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
