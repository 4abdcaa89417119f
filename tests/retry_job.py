"""Run by tests/test_task_retry.py in its own process: a Spark session that retries failed tasks
(``local[2,3]``: 2 cores, up to 3 attempts per task), one stage published three times: without a
failure, with a step that raises on a task's first attempt, and with a worker that dies then."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pyarrow.dataset as ds

from jobs.common import publish_documents
from pipeline.engines.spark import apply_steps, get_session, to_spark_schema
from schemas.documents import empty_row, rows_to_table
from tests.steps_for_tests import FailFirstAttempt, MinChars


def main(out: Path) -> None:
    spark = get_session(master="local[2,3]", app_name="retry-test", shuffle_partitions=4)
    rows = []
    for i in range(600):
        row = empty_row()
        row.update(id=f"doc-{i:04d}", text="word " * (i % 13), status="kept", source="test")
        rows.append(row)
    df = spark.createDataFrame(rows_to_table(rows).to_pandas(), to_spark_schema()).repartition(4, "id")
    report = {}
    for mode in ("none", "raise", "exit"):
        markers = out / f"markers-{mode}"
        markers.mkdir(parents=True)
        steps = [FailFirstAttempt(str(markers), mode), MinChars(20)]
        stats = publish_documents(spark, apply_steps(df, steps), str(out / mode), "test", {}, [], [])
        table = ds.dataset(str(out / mode), format="parquet", partitioning="hive").to_table()
        report[mode] = {
            "failures": len(list(markers.iterdir())),
            "rows": table.num_rows,
            "unique_ids": len(set(table.column("id").to_pylist())),
            "rows_sorted": sorted(
                zip(
                    table.column("id").to_pylist(),
                    table.column("status").to_pylist(),
                    table.column("quality_score").to_pylist(),
                )
            ),
            "files": sorted(p.name for p in (out / mode).rglob("*.parquet")),
            "accounting_ok": stats.get("accounting_ok"),
        }
    spark.stop()
    print(json.dumps(report, default=str))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
