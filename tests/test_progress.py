"""jobs/progress.py: ETA arithmetic, and progress lines read from a real Spark job."""

from __future__ import annotations

import io
import time

import pytest

from jobs.progress import StageProgress, eta_seconds, format_seconds, stage_line


def test_eta_is_remaining_tasks_at_the_observed_rate():
    assert eta_seconds(done=10, total=40, elapsed=20.0) == 60.0
    assert eta_seconds(done=0, total=40, elapsed=20.0) is None  # no rate before the first task ends
    assert eta_seconds(done=40, total=40, elapsed=20.0) == 0.0


def test_lines_are_short_and_readable():
    assert format_seconds(59.4) == "59s" and format_seconds(65) == "1m05s" and format_seconds(7260) == "2h01m"
    assert stage_line(5, 40, 68, 2, 65.0) == "stage 5: 40/68 tasks (2 running), ETA 46s"
    assert stage_line(3, 0, 8, 2, 1.0) == "stage 3: 0/8 tasks (2 running), ETA ?"


@pytest.mark.spark
def test_progress_lines_appear_while_a_stage_runs(spark):
    out = io.StringIO()

    def slow(x):
        time.sleep(0.4)
        return x

    with StageProgress(spark, label="test", interval=0.2, stream=out):
        assert spark.sparkContext.parallelize(range(8), 8).map(slow).sum() == 28
    lines = out.getvalue().splitlines()
    assert lines and all(line.startswith("[test ") for line in lines)
    assert any("/8 tasks" in line and "ETA" in line for line in lines)
