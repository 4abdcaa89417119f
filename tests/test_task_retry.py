"""A Spark task that fails and is retried leaves no duplicated or lost documents (own Spark process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.spark
def test_retried_tasks_leave_no_duplicates(tmp_path):
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [sys.executable, "-m", "tests.retry_job", str(tmp_path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    clean = report["none"]
    assert clean["failures"] == 0 and clean["rows"] == clean["unique_ids"] == 600
    for mode in ("raise", "exit"):
        run = report[mode]
        assert run["failures"] == 1, mode  # the first attempt really failed, once
        assert run["rows"] == run["unique_ids"] == 600, mode
        assert run["rows_sorted"] == clean["rows_sorted"], mode
        assert run["files"] == clean["files"] and run["accounting_ok"], mode
