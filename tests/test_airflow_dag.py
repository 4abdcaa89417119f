"""The Airflow DAGs: every file imports cleanly (without the pipeline's heavy modules), and
``corpus_build`` runs for real with ``airflow dags test`` on a generated crawl.

Airflow lives in its own venv (``make airflow`` builds .venv-airflow; see airflow_dags/README.md),
so these tests drive it through subprocesses.
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from pipeline.inspect import collect
from tests.conftest import ROOT

AIRFLOW_VENV = ROOT / ".venv-airflow"
EXPECTED_TASKS = [
    "extract",
    "filter",
    "pii",
    "dedup",
    "train_filter_models",
    "model_filters",
    "train_tokenizer",
    "tokenize",
    "train",
    "evaluate",
    "report",
]

pytestmark = pytest.mark.skipif(
    not (AIRFLOW_VENV / "bin" / "airflow").exists(), reason="needs .venv-airflow (make airflow)"
)


def airflow_env(home) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "PYSPARK", "CORPUS"))}
    env.update(
        {
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "airflow_dags"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
            # Without a spark_default connection the provider would submit to YARN.
            "AIRFLOW_CONN_SPARK_DEFAULT": json.dumps({"conn_type": "spark", "host": "local[2]"}),
            "CORPUS_AIRFLOW_RETRIES": "0",  # `dags test` would sit out retry_delay before a retry
            "SPARK_LOCAL_IP": "127.0.0.1",
        }
    )
    return env


PARSE_CHECK = """
import json, sys
from airflow.dag_processing.dagbag import DagBag

def rendered(dag):
    # Every templated argument rendered with the DAG's own Jinja environment and default params.
    env, ctx = dag.get_template_env(), {"params": dag.params.dump(), "run_id": "manual__2026-01-02T03:04:05+00:00"}
    out = {}
    for task in dag.tasks:
        value = getattr(task, "application_args", None) or [task.bash_command]
        out[task.task_id] = [env.from_string(v).render(**ctx) for v in value]
    return out

bag = DagBag(dag_folder=sys.argv[1])
dag = bag.dags.get("corpus_build")
print(json.dumps({
    "errors": {k: str(v) for k, v in bag.import_errors.items()}, "dags": sorted(bag.dags),
    "heavy": sorted(m for m in ("pyspark", "torch", "pipeline", "pandas") if m in sys.modules),
    "tasks": [t.task_id for t in dag.topological_sort()] if dag else [],
    "catchup": getattr(dag, "catchup", None), "schedule": str(getattr(dag, "timetable", "")),
    "retries": [t.retries for t in dag.tasks] if dag else [], "doc": bool(dag and dag.doc_md),
    "params": sorted(dag.params) if dag else [],
    "rendered": rendered(dag) if dag else {},
}))
"""


def test_every_dag_imports_cleanly_without_heavy_modules(tmp_path):
    out = subprocess.run(
        [str(AIRFLOW_VENV / "bin" / "python"), "-c", PARSE_CHECK, str(ROOT / "airflow_dags")],
        env=airflow_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    info = json.loads(out.stdout.strip().splitlines()[-1])
    assert info["errors"] == {}
    assert info["dags"] == ["corpus_build"]
    assert info["heavy"] == []  # parsing must not import Spark, torch or the pipeline
    assert info["tasks"] == EXPECTED_TASKS
    assert info["catchup"] is False and "NullTimetable" in info["schedule"]
    assert set(info["retries"]) == {0} and info["doc"]
    assert {"input", "output_root", "filter_recipe", "model_recipe", "reference"} <= set(info["params"])
    run = "/data/corpus/run=manual__2026-01-02T03-04-05_00-00"  # no ':' or '+': unsafe in Hadoop paths
    args = info["rendered"]
    assert args["extract"] == [
        "extract",
        "--input",
        "/data/crawl/*.warc.gz",
        "--output",
        f"{run}/extract",
        "--set",
        "extract.engine=trafilatura",
    ]
    assert args["dedup"] == ["dedup", "--input", f"{run}/pii", "--output", f"{run}/dedup"]
    assert f"perplexity.models={{ de: {run}/models/lm, en: {run}/models/lm," in " ".join(args["model_filters"])
    assert f"quality_filter.min_score={run}/models/quality_cutoffs.json" in args["model_filters"]
    assert f"--drop 0.33 --out {run}/models/quality_cutoffs.json" in " ".join(args["train_filter_models"])
    assert all("{{" not in " ".join(v) and "{%" not in " ".join(v) for v in args.values())


def test_dag_code_passes_ruffs_airflow_rules():
    ruff = ROOT / ".venv" / "bin" / "ruff"
    result = subprocess.run(
        [str(ruff), "check", "--preview", "--select", "AIR", str(ROOT / "airflow_dags")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.spark
@pytest.mark.slow
def test_dag_runs_end_to_end_on_the_sample_crawl(tmp_path):
    from pipeline.sample import generate_sample

    generate_sample(str(tmp_path / "sample"), 60, seed=11)
    env = airflow_env(tmp_path / "airflow")
    airflow = str(AIRFLOW_VENV / "bin" / "airflow")
    subprocess.run([airflow, "db", "migrate"], env=env, check=True, capture_output=True, timeout=300)
    # A 60-page crawl is small: this recipe keeps every perplexity bucket and the quality filter removes
    # at most 10 % of each language (quality_drop), so something is left to tokenize (the steps still run).
    recipe = (ROOT / "airflow_dags" / "recipes" / "model_filters.yaml").read_text()
    recipe = recipe.replace("keep: [head, middle]", "keep: [head, middle, tail]")
    (tmp_path / "model_filters.yaml").write_text(recipe)
    conf = {
        "input": str(tmp_path / "sample" / "warc" / "*.warc.gz"),
        "output_root": str(tmp_path / "out"),
        "reference": str(tmp_path / "sample" / "reference"),
        "model_recipe": str(tmp_path / "model_filters.yaml"),
        "train_steps": 4,
        "vocab_size": 2500,  # the kept zh / ja documents hold over 1,000 distinct characters
        "quality_min_examples": 5,  # a 60-page crawl has fewer than the default 100 per class
        "quality_drop": 0.1,
    }
    result = subprocess.run(
        [airflow, "dags", "test", "corpus_build", "-c", json.dumps(conf)],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0 and "state=success" in log, log[-6000:]

    runs = list((tmp_path / "out").iterdir())
    assert len(runs) == 1 and runs[0].name.startswith("run=manual__") and ":" not in runs[0].name
    run = runs[0]
    report = collect(run)
    assert [f["stage"] for f in report["funnel"]] == ["extract", "filter", "pii", "dedup", "model_filters"]
    assert report["accounting_ok"]
    funnel = {f["stage"]: f for f in report["funnel"]}
    for before, after in [("extract", "filter"), ("filter", "pii"), ("pii", "dedup"), ("dedup", "model_filters")]:
        assert funnel[after]["in"] == funnel[before]["kept"]  # each stage reads exactly what the last one kept
    assert funnel["pii"]["removed"] == 0 and report["stages"]["pii"]["pii_kept_docs_totals"]["email"] > 0
    scored = report["stages"]["model_filters"]
    assert scored["histograms"]["quality_score"] and any(
        not k.startswith("null/") for k in scored["by_perplexity_bucket"]
    )
    cutoffs = json.loads((run / "models" / "quality_cutoffs.json").read_text())
    assert cutoffs["drop"] == 0.1 and all(share <= 0.1 for share in cutoffs["removed_in_sample"].values())
    removed = sum(n for k, n in scored["removed_by_reason"].items() if k.startswith("quality_filter/"))
    assert removed <= 0.1 * funnel["model_filters"]["in"] + 7  # ties and small languages: a few more
    tokens = json.loads((run / "tokens" / "tokens.json").read_text())
    assert tokens["totals"]["n_docs"] == funnel["model_filters"]["kept"] > 0
    assert json.loads((run / "stats.json").read_text())["funnel"] == report["funnel"]
    assert (run / "eval.json").stat().st_size > 0
    assert "Removal funnel" in (run / "report.html").read_text(encoding="utf-8")


def test_readme_commands_make_dags_list_show_the_dag(tmp_path):
    """The README's sequence (db migrate, dags reserialize) is what makes `airflow dags list` show the DAG."""
    block = (ROOT / "README.md").read_text(encoding="utf-8").split("## Scheduling with Airflow", 1)[1]
    commands = [line.split("#")[0].split() for line in block.splitlines() if line.startswith(".venv-airflow/bin/")]
    setup = [c[1:] for c in commands[: commands.index([".venv-airflow/bin/airflow", "dags", "list"])]]
    assert setup == [["db", "migrate"], ["dags", "reserialize"]]
    env = airflow_env(tmp_path / "airflow")
    airflow = str(AIRFLOW_VENV / "bin" / "airflow")
    for args in setup:
        subprocess.run([airflow, *args], env=env, check=True, capture_output=True, timeout=300)
    listed = subprocess.run(
        [airflow, "dags", "list", "-o", "json"], env=env, capture_output=True, text=True, timeout=300, check=True
    )
    dags = json.loads([line for line in listed.stdout.splitlines() if line.startswith("[")][-1])
    assert [d["dag_id"] for d in dags] == ["corpus_build"]
