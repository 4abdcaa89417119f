"""Airflow 3 DAG ``corpus_build``: WARC crawl -> clean corpus -> token shards -> short train/eval -> report.

Thin by design: every task calls a job or command of the ``corpus`` package, which lives in its own
virtual environment (Airflow's pins clash with the pipeline's: see airflow_dags/README.md). Only
Airflow itself is imported here, so the scheduler parses this file in milliseconds.

Environment read at parse time (all optional):
  CORPUS_HOME                   the repository (default: this file's parent folder)
  CORPUS_VENV                   the pipeline's venv (default: $CORPUS_HOME/.venv)
  CORPUS_AIRFLOW_RETRIES        task retries (default 2; the CI test uses 0)
  CORPUS_AIRFLOW_RETRY_DELAY_S  seconds between retries (default 300)
  CORPUS_SPARK_ARCHIVES         e.g. hdfs:///envs/corpus-env.tar.gz#env (cluster runs; see `make dist`)
  CORPUS_DRIVER_PYTHON          the driver's Python (default: ./env/bin/python with archives, else the venv's)
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, Param

HOME = os.environ.get("CORPUS_HOME", str(Path(__file__).resolve().parents[1]))
VENV = os.environ.get("CORPUS_VENV", f"{HOME}/.venv")
ARCHIVES = os.environ.get("CORPUS_SPARK_ARCHIVES") or None
# On a cluster the executors unpack the archive as ./env; locally they use the pipeline's venv. The
# driver too uses ./env in cluster deploy mode; in client mode it runs here (CORPUS_DRIVER_PYTHON).
PYTHON = "./env/bin/python" if ARCHIVES else f"{VENV}/bin/python"
DRIVER_PYTHON = os.environ.get("CORPUS_DRIVER_PYTHON", PYTHON)
CORPUS = f"{VENV}/bin/corpus"

# One folder per DAG run: a retry of a task rewrites its stage there (stages publish by atomic
# replace), and a new run never touches an older run's outputs. run_id is used rather than
# {{ ds }} because manual and `dags test` runs may have no logical date; ':' and '+' are not safe
# in Hadoop paths.
RUN_EXPR = "params.output_root ~ '/run=' ~ (run_id | replace(':', '-') | replace('+', '_'))"
RUN = "{{ " + RUN_EXPR + " }}"
MODELS = "{{ params.models_dir or (" + RUN_EXPR + " ~ '/models') }}"
TOKENIZER = f"{RUN}/tokenizer/tokenizer.model"

DOC = (
    __doc__
    + """
## Stages

| task | kind | output |
|---|---|---|
| extract | spark-submit jobs/extract_warc.py, engine `params.extract_engine` | RUN/extract |
| filter | spark-submit jobs/filter.py, recipe `params.filter_recipe` | RUN/filter |
| pii | spark-submit jobs/filter.py, recipe `params.pii_recipe` | RUN/pii |
| dedup | spark-submit jobs/dedup.py | RUN/dedup |
| train_filter_models | KenLM + quality classifier from `params.reference`, cut-offs of both on the crawl (skipped when `params.models_dir` is set) | RUN/models |
| model_filters | spark-submit jobs/filter.py, recipe `params.model_recipe` | RUN/model_filters |
| train_tokenizer, tokenize | SentencePiece, then spark-submit of `corpus tokenize` | RUN/tokens |
| train, evaluate | a short CPU training run and per-source perplexity | RUN/train, RUN/eval.json |
| report | `corpus stats --json` and `corpus report` | RUN/stats.json, RUN/report.html |

RUN is `params.output_root/run=<run id>`. Each Spark stage publishes atomically with `_SUCCESS`,
so a retried task replaces its output and never appends to it.
"""
)

PARAMS = {
    "input": Param("/data/crawl/*.warc.gz", type="string", description="WARC files (glob or URI)"),
    "extract_engine": Param(
        "trafilatura",
        type="string",
        enum=["trafilatura", "resiliparse"],
        description="main-content extractor (README 'Extraction engines': resiliparse uses about a third of the CPU)",
    ),
    "output_root": Param("/data/corpus", type="string", description="each run writes output_root/run=<run id>"),
    "filter_recipe": Param(f"{HOME}/airflow_dags/recipes/heuristics.yaml", type="string"),
    "pii_recipe": Param(f"{HOME}/airflow_dags/recipes/pii.yaml", type="string"),
    "model_recipe": Param(f"{HOME}/airflow_dags/recipes/model_filters.yaml", type="string"),
    "reference": Param("/data/reference", type="string", description="folder of <lang>.txt reference text"),
    "models_dir": Param(
        "", type="string", description="pre-trained lm/, cutoffs.json, quality.ftz, quality_cutoffs.json (else trained)"
    ),
    "languages": Param(["de", "en", "es", "fr", "ja", "ru", "zh"], type="array", description="KenLM languages"),
    "lm_vocab_size": Param(2000, type="integer"),
    "quality_min_examples": Param(
        100, type="integer", minimum=1, description="train-quality refuses fewer examples per class than this"
    ),
    "quality_drop": Param(
        0.33,
        type="number",
        minimum=0,
        exclusiveMaximum=1,
        description="share of each language's documents the quality filter removes at most (corpus quality-cutoffs)",
    ),
    "vocab_size": Param(4000, type="integer", description="tokenizer vocabulary (zh/ja text needs thousands)"),
    "train_steps": Param(20, type="integer", minimum=2),
}


def spark_stage(task_id: str, args: list[str]) -> SparkSubmitOperator:
    """One spark-submit of a ``corpus`` subcommand; master, deploy mode and cluster settings come from the
    `spark_default` connection (the command's Spark session takes the master spark-submit gives it).

    The application is scripts/corpus_submit.py, which runs any ``corpus`` command line, so every task
    (Spark stages, model training, the report) is the same command a user types.
    """
    return SparkSubmitOperator(
        task_id=task_id,
        application=f"{HOME}/scripts/corpus_submit.py",
        application_args=args,
        name=f"corpus-{task_id}",
        conn_id="spark_default",
        spark_binary=f"{VENV}/bin/spark-submit",
        archives=ARCHIVES,
        env_vars={
            "PYSPARK_PYTHON": PYTHON,
            "PYSPARK_DRIVER_PYTHON": DRIVER_PYTHON,
            "SPARK_LOCAL_IP": os.environ.get("SPARK_LOCAL_IP", "127.0.0.1"),
        },
    )


def bash_stage(task_id: str, command: str) -> BashOperator:
    return BashOperator(
        task_id=task_id,
        bash_command=f"set -euo pipefail; {command}",
        cwd=HOME,
        env={"PYSPARK_PYTHON": f"{VENV}/bin/python"},
        append_env=True,
    )


def lm_models(models: str) -> str:
    """``{de: DIR, en: DIR}`` for the recipe's perplexity step (train-lm writes every language to DIR)."""
    return "{% for l in params.languages %}" + f"{{{{ l }}}}: {models}/lm" + "{{ ', ' if not loop.last }}{% endfor %}"


with DAG(
    dag_id="corpus_build",
    description="WARC crawl -> clean, deduplicated corpus -> token shards -> short train/eval -> report",
    doc_md=DOC,
    schedule=None,
    catchup=False,
    max_active_runs=1,
    params=PARAMS,
    default_args={
        "retries": int(os.environ.get("CORPUS_AIRFLOW_RETRIES", "2")),
        "retry_delay": timedelta(seconds=int(os.environ.get("CORPUS_AIRFLOW_RETRY_DELAY_S", "300"))),
        "execution_timeout": timedelta(hours=12),
    },
    tags=["corpus", "spark"],
) as dag:
    extract = spark_stage(
        "extract",
        ["extract", "--input", "{{ params.input }}", "--output", f"{RUN}/extract"]
        + ["--set", "extract.engine={{ params.extract_engine }}"],
    )
    filter_ = spark_stage(
        "filter",
        ["filter", "--input", f"{RUN}/extract", "--output", f"{RUN}/filter", "--recipe", "{{ params.filter_recipe }}"],
    )
    pii = spark_stage(
        "pii",
        ["filter", "--input", f"{RUN}/filter", "--output", f"{RUN}/pii", "--recipe", "{{ params.pii_recipe }}"],
    )
    dedup = spark_stage("dedup", ["dedup", "--input", f"{RUN}/pii", "--output", f"{RUN}/dedup"])
    train_filter_models = bash_stage(
        "train_filter_models",
        (
            "if [ -n '{{ params.models_dir }}' ]; then echo 'using {{ params.models_dir }}'; exit 0; fi; "
            f"rm -rf {RUN}/models; "
            f"{CORPUS} train-lm --reference '{{{{ params.reference }}}}' --out {RUN}/models/lm "
            "--vocab-size {{ params.lm_vocab_size }}; "
            f"{CORPUS} lm-cutoffs --models {RUN}/models/lm --input {RUN}/dedup --out {RUN}/models/cutoffs.json; "
            f"{CORPUS} train-quality $(for f in '{{{{ params.reference }}}}'/*.txt; do echo --positive $f; done) "
            f"--negative {RUN}/dedup --format docs --min-examples {{{{ params.quality_min_examples }}}} "
            f"--out {RUN}/models/quality.ftz; "
            # thresholds from the crawl: train-quality's reference thresholds remove nearly all real web text
            f"{CORPUS} quality-cutoffs --model {RUN}/models/quality.ftz --input {RUN}/dedup "
            f"--drop {{{{ params.quality_drop }}}} --out {RUN}/models/quality_cutoffs.json"
        ),
    )
    model_filters = spark_stage(
        "model_filters",
        [
            "filter",
            "--input",
            f"{RUN}/dedup",
            "--output",
            f"{RUN}/model_filters",
            "--recipe",
            "{{ params.model_recipe }}",
            "--set",
            "perplexity.models={ " + lm_models(MODELS) + " }",
            "--set",
            f"perplexity.cutoffs={MODELS}/cutoffs.json",
            "--set",
            f"quality_classifier.model={MODELS}/quality.ftz",
            "--set",
            f"quality_filter.min_score={MODELS}/quality_cutoffs.json",
        ],
    )
    train_tokenizer = bash_stage(
        "train_tokenizer",
        (
            f"{CORPUS} train-tokenizer --input {RUN}/model_filters --output {TOKENIZER} "
            "--vocab-size {{ params.vocab_size }}"
        ),
    )
    # `corpus tokenize` runs under spark-submit: the CLI's session picks up spark-submit's master.
    tokenize = spark_stage(
        "tokenize",
        ["tokenize", "--input", f"{RUN}/model_filters", "--output", f"{RUN}/tokens", "--tokenizer", TOKENIZER],
    )
    train = bash_stage(
        "train",
        (
            f"rm -rf {RUN}/train; {VENV}/bin/python scripts/equal_mix.py {RUN}/tokens {RUN}/train/mix.yaml; "
            f"{CORPUS} train --no-resume --set out_dir={RUN}/train --set mix={RUN}/train/mix.yaml "
            f"--set tokenizer={TOKENIZER} --set max_steps={{{{ params.train_steps }}}} "
            "--set optim.warmup_steps={{ params.train_steps // 10 }} --set device=cpu --set batch_size=4 "
            "--set model.seq_len=64 --set model.n_layer=2 --set model.n_head=2 --set model.d_model=64 "
            "--set holdout_windows=2 --set log_every=5"
        ),
    )
    evaluate = bash_stage(
        "evaluate",
        (
            f"{CORPUS} eval-shards --checkpoint {RUN}/train/checkpoint.pt --input {RUN}/tokens "
            f"--tokenizer {TOKENIZER} --max-docs 200 --report {RUN}/eval.json > /dev/null"
        ),
    )
    report = bash_stage(
        "report", (f"{CORPUS} stats {RUN} --json > {RUN}/stats.json; {CORPUS} report {RUN} -o {RUN}/report.html")
    )

    extract >> filter_ >> pii >> dedup >> train_filter_models >> model_filters
    model_filters >> train_tokenizer >> tokenize >> train >> evaluate >> report
