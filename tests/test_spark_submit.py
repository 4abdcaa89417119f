"""spark-submit with the packed environment of ``make dist``, the way a cluster runs the jobs.

The executors' Python is ``./env/bin/python`` from ``--archives dist/corpus-env.tar.gz#env``: if the
archive were not shipped and unpacked, Spark could not even start a Python worker, so a published,
correct output proves the packed environment carries everything the stage needs.

The master is ``local-cluster[1,2,1024]`` (one separate executor JVM with two cores), not
``local[2]``: in local mode the executor shares the driver's working directory and Spark unpacks
archives into a temporary SparkFiles folder, so ``./env`` never exists there. A local cluster's
executor, like a YARN or Kubernetes one, has its own working directory where ``env`` is unpacked.
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from tests.conftest import ROOT

DIST = ROOT / "dist"
ENV_ARCHIVE = DIST / "corpus-env.tar.gz"

pytestmark = [
    pytest.mark.spark,
    pytest.mark.slow,
    pytest.mark.skipif(not ENV_ARCHIVE.exists(), reason="needs dist/corpus-env.tar.gz (make dist)"),
]


def test_extract_runs_under_spark_submit_with_the_packed_environment(tmp_path):
    from pipeline.sample import generate_sample

    summary = generate_sample(str(tmp_path / "sample"), 20, seed=2)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYSPARK", "SPARK_", "CORPUS"))}
    # spark-submit finds SPARK_HOME through this interpreter's pyspark.
    env.update(
        {
            "PYSPARK_DRIVER_PYTHON": str(ROOT / ".venv" / "bin" / "python"),
            "SPARK_LOCAL_IP": "127.0.0.1",
            "SPARK_WORKER_DIR": str(tmp_path / "work"),
        }
    )  # the executor's working directories
    out = tmp_path / "extract"
    command = [
        str(ROOT / ".venv" / "bin" / "spark-submit"),
        "--master",
        "local-cluster[1,2,1024]",
        "--archives",
        f"{ENV_ARCHIVE}#env",
        "--conf",
        "spark.pyspark.python=./env/bin/python",
        # The driver runs here, outside the archive (client mode): the pipeline's own interpreter.
        "--conf",
        f"spark.pyspark.driver.python={ROOT / '.venv' / 'bin' / 'python'}",
        "--conf",
        "spark.ui.showConsoleProgress=false",
        str(DIST / "corpus_submit.py"),
        "extract",
        "--input",
        str(tmp_path / "sample" / "warc" / "*.warc.gz"),
        "--output",
        str(out),
    ]
    result = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, (result.stdout + result.stderr)[-5000:]
    assert (out / "_SUCCESS").exists()
    stats = json.loads((out / "_stats.json").read_text())
    assert stats["accounting_ok"] and stats["kept"] > 0
    assert stats["rows"] == sum(summary["records"].values())  # every WARC record read is a row
    assert "documents written:" in result.stdout
