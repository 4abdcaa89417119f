"""``corpus run``: stages reuse up-to-date outputs, and a run killed with -9 resumes to identical shards."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

pytestmark = [pytest.mark.spark, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    from pipeline.sample.generator import generate_sample

    out = tmp_path_factory.mktemp("crawl")
    generate_sample(str(out), 60, seed=3, pages_per_file=20)
    return str(out / "warc" / "*.warc.gz")


def shard_rows(root: Path) -> dict[str, list[dict]]:
    """Every shard's rows, in file order. Across JVMs (separate runs) parquet-java writes each column
    chunk's list of encodings in hash-set order, so whole-file bytes are compared only within one JVM
    (tests/test_extract_job.py); here the names, rows and their order must be identical."""
    return {str(p.relative_to(root)): pq.read_table(p).to_pylist() for p in sorted(root.rglob("*.parquet"))}


def test_stages_are_reused_until_their_config_changes(spark, tmp_path, crawl):
    from jobs.run_pipeline import run_all

    first = run_all(spark, [crawl], str(tmp_path), "fineweb", [], [])
    assert [r.reused for r in first] == [False] * len(first)
    assert all(r.stats["accounting_ok"] for r in first)
    # each stage's input is the previous stage's kept documents
    for before, after in zip(first, first[1:]):
        assert after.stats["rows"] == before.stats["kept"]
    again = run_all(spark, [crawl], str(tmp_path), "fineweb", [], [])
    assert [r.reused for r in again] == [True] * len(again)
    changed = run_all(spark, [crawl], str(tmp_path), "fineweb", ["gopher_quality.min_words=80"], [])
    assert [r.name for r in changed if not r.reused] == [r.name for r in changed][1:]


def test_kill_minus_nine_then_rerun_gives_identical_output(tmp_path, crawl):
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable, "SPARK_LOCAL_IP": "127.0.0.1"}
    cmd = [sys.executable, "-m", "pipeline.cli.main", "run", "--input", crawl, "--master", "local[2]"]
    reference = tmp_path / "reference"
    subprocess.run([*cmd, "--output", str(reference)], env=env, check=True, capture_output=True, timeout=600)

    killed = tmp_path / "killed"
    proc = subprocess.Popen(
        [*cmd, "--output", str(killed)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.time() + 300
    # kill the whole process group (driver JVM and Python workers) in the middle of the filter stage
    while time.time() < deadline and not (killed / "extract" / "_SUCCESS").exists():
        time.sleep(0.2)
    assert (killed / "extract" / "_SUCCESS").exists(), "extract stage never published"
    time.sleep(2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (killed / "dedup" / "_SUCCESS").exists(), "the run finished before it could be killed"

    subprocess.run([*cmd, "--output", str(killed)], env=env, check=True, capture_output=True, timeout=600)
    for stage in ("extract", "filter", "dedup"):
        assert shard_rows(killed / stage) == shard_rows(reference / stage), stage
    leftovers = [p.name for p in killed.iterdir() if p.name.startswith(".")]
    assert leftovers == []
