"""The same steps through plain Python and through Spark (mapInArrow) give equal rows."""

import datetime as dt

import pyarrow.parquet as pq
import pytest

from pipeline.document import batch_to_rows
from pipeline.engines.local import apply_steps_to_table
from schemas.documents import DOCUMENT_SCHEMA, empty_row, rows_to_table
from tests.steps_for_tests import MinChars, ScoreLength, TitleCase

pytestmark = pytest.mark.spark


def make_docs(n=300):
    docs = []
    for i in range(n):
        row = empty_row()
        row.update(
            id=f"{i:05d}",
            source="s",
            url=f"https://ex.com/{i}",
            text=("word " * (i % 17)).strip() + " 中文",
            status="kept",
            fetch_time=dt.datetime(2024, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=i),
        )
        docs.append(row)
    return docs


def test_python_and_spark_engines_agree(spark, tmp_path):
    from pipeline.engines.spark import apply_steps, to_spark_schema

    steps = [MinChars(20), TitleCase(), ScoreLength()]
    docs = make_docs()
    expected = batch_to_rows(apply_steps_to_table(rows_to_table(docs), steps, batch_rows=64))

    path = tmp_path / "in"
    path.mkdir()
    pq.write_table(rows_to_table(docs), path / "part-0.parquet")
    df = spark.read.schema(to_spark_schema()).parquet(str(path))
    got = apply_steps(df.repartition(3), steps).toArrow()
    got_rows = sorted(batch_to_rows(got), key=lambda r: r["id"])
    assert got.schema.names == DOCUMENT_SCHEMA.names
    assert got_rows == sorted(expected, key=lambda r: r["id"])
    assert 0 < sum(r["status"] == "removed" for r in got_rows) < len(got_rows)


def test_spark_output_is_deterministic_and_atomic(spark, tmp_path):
    from jobs.common import publish_documents
    from pipeline.engines.spark import apply_steps, read_documents, to_spark_schema
    from pipeline.io.publish import is_published, read_json

    docs = make_docs(120)
    src = tmp_path / "src"
    src.mkdir()
    pq.write_table(rows_to_table(docs), src / "part-0.parquet")
    outputs = []
    for _attempt in range(2):
        df = apply_steps(spark.read.schema(to_spark_schema()).parquet(str(src)).repartition(2, "id"), [MinChars(20)])
        out = tmp_path / "out"
        stats = publish_documents(spark, df, str(out), "test", {"attempt": "same"}, [MinChars(20).describe()], [])
        assert is_published(str(out))
        files = sorted(p.relative_to(out) for p in out.rglob("*.parquet"))
        outputs.append({str(f): (out / f).read_bytes() for f in files})
    assert outputs[0] == outputs[1], "re-running a stage must give byte-identical shards"
    assert all(name.startswith(("status=kept/part-", "status=removed/part-")) for name in outputs[0])
    assert stats["rows"] == 120 and stats["kept"] + stats["removed"] == 120 and stats["accounting_ok"]
    assert read_json(str(out), "_manifest.json")["steps"][0]["params"] == {"min_chars": 20}
    # no temporaries left behind, and the reader restores the partition column
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    kept = read_documents(spark, str(out)).count()
    assert kept == stats["kept"]


@pytest.mark.parametrize("n", [0, 1, 3, 41, 2500])
def test_map_files_returns_every_result_in_input_order(spark, n):
    from pipeline.engines.spark import map_files

    items = [f"part-{i:05d}" for i in range(n)]
    assert map_files(spark, items, lambda item: (item, len(item))) == [(i, len(i)) for i in items]


def test_map_files_groups_items_into_few_tasks(spark):
    from pyspark import TaskContext

    from pipeline.engines.spark import map_files

    # Each result names the task (partition) that made it: runs of consecutive items share one.

    tasks = map_files(spark, list(range(40)), lambda _: TaskContext.get().partitionId(), max_per_task=8)
    cores = spark.sparkContext.defaultParallelism
    assert len(set(tasks)) == min(40, max(2 * cores, 5)) and tasks == sorted(tasks)
    assert len(set(map_files(spark, list(range(10_000)), lambda _: TaskContext.get().partitionId()))) == 1024
