# Scrutiny KB. `make demo` builds a knowledge base from corpus/ and produces its reports;
# `make test` runs the test suite. Both install what they need into .venv first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SCRUTINY := $(VENV)/bin/scrutiny
DEMO_KB ?= demo-kb
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: test demo install lint bench clean

test: install
	$(PY) -m pytest -q

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# torch first, pinned: any other spec pulls a multi-GB CUDA build
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

demo: install
	rm -rf $(DEMO_KB) out && mkdir -p out
	$(SCRUTINY) --kb $(DEMO_KB) ingest corpus/published
	$(SCRUTINY) --kb $(DEMO_KB) stats
	$(SCRUTINY) --kb $(DEMO_KB) export -o out/export.json
	$(SCRUTINY) --kb $(DEMO_KB) search "recruiting mental health workers" --authority Somerset --limit 3
	$(SCRUTINY) --kb $(DEMO_KB) compare Lancashire Blackpool Somerset --topic "family safeguarding"
	$(SCRUTINY) --kb $(DEMO_KB) compare Lancashire Blackpool Somerset --topic "family safeguarding" --format html -o out/compare.html
	$(SCRUTINY) --kb $(DEMO_KB) actions --as-of 2026-11-23
	$(SCRUTINY) --kb $(DEMO_KB) actions --as-of 2026-11-23 --format xlsx -o out/actions.xlsx
	@echo "Reports written to out/: export.json, compare.html, actions.xlsx"
	@echo "Knowledge base in $(DEMO_KB)/: export SCRUTINY_KB=$(DEMO_KB) to run the README's commands on it"

lint: install
	$(VENV)/bin/ruff check .

bench: install
	$(PY) bench/ingest_speed.py

clean:
	rm -rf $(DEMO_KB) out .pytest_cache
