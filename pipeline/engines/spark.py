"""The Spark engine: the only module of ``pipeline/`` that imports pyspark.

Steps run inside ``mapInArrow`` on Arrow batches of schema-v1 documents, so a worker never
converts rows one by one through the JVM. Outputs are written with a fixed row order and
renamed to stable file names, so the same input and config give byte-identical shards.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pyarrow as pa
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import types as T

from pipeline.document import rows_to_batch
from pipeline.engines import jvm_archive
from pipeline.engines.local import apply_steps_to_batches
from pipeline.step import Step
from schemas.documents import DOCUMENT_SCHEMA

_DEFAULT_CONF = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.parquet.compression.codec": "zstd",
    "spark.sql.sources.partitionOverwriteMode": "static",
    # The stage publishes its own _SUCCESS after manifest and stats are written.
    "spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs": "false",
    "spark.sql.adaptive.enabled": "false",
    "spark.ui.showConsoleProgress": "true",
}


def get_session(
    master: str | None = None,
    app_name: str = "corpus",
    shuffle_partitions: int | None = None,
    ui: bool = False,
    driver_memory: str | None = None,
    extra_conf: dict[str, str] | None = None,
    own_process_group: bool = False,
) -> SparkSession:
    """Start (or reuse) a Spark session with the project's defaults.

    ``master=None`` keeps whatever spark-submit configured and falls back to ``local[*]``.
    Python workers use this interpreter unless ``PYSPARK_PYTHON`` says otherwise, so a venv's
    packages are visible to executors in local mode.

    ``own_process_group``: start the JVM in a session of its own, so that SIGTERM / SIGINT sent to
    the command's process group reach Python only, which then stops Spark itself (see
    ``jobs/interrupt.py``). No effect under spark-submit, where the JVM started Python.
    """
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    conf = dict(_DEFAULT_CONF)
    conf["spark.ui.enabled"] = "true" if ui else "false"
    if shuffle_partitions:
        conf["spark.sql.shuffle.partitions"] = str(shuffle_partitions)
    if driver_memory:
        conf["spark.driver.memory"] = driver_memory
    conf.update(extra_conf or {})
    archive = None
    if "PYSPARK_GATEWAY_PORT" not in os.environ and not _jvm_running():
        # This process starts the JVM: local mode gets the quick JIT, and the class archive of
        # `corpus jvm-archive` is mapped when there is one.
        archive = jvm_archive.current()
        conf = jvm_archive.prepend_driver_options(conf, quick_jit_options(_local_master(master)))
    try:
        session = _start_session(master, app_name, jvm_archive.with_archive(conf, archive), own_process_group)
    except Exception as exc:
        if archive is None or "JAVA_GATEWAY_EXITED" not in str(exc):
            raise
        print(
            f"warning: the JVM did not start with the class archive {archive[0]}; starting without it (archive "
            "removed; `corpus jvm-archive` builds a new one)",
            file=sys.stderr,
        )
        jvm_archive.forget(archive[0])
        session = _start_session(master, app_name, conf, own_process_group)
    session.sparkContext.setLogLevel(os.environ.get("CORPUS_SPARK_LOG_LEVEL", "WARN"))
    return session


QUICK_JIT = "-XX:TieredStopAtLevel=1"


def quick_jit_options(master: str) -> str:
    """Local mode: the driver JVM compiles with its quick compiler only (C1), unless ``CORPUS_JVM_JIT=full``.

    In local mode the Python workers do the heavy work on the same cores as the JVM, which coordinates,
    moves Arrow batches and writes Parquet; the JVM's optimising compiler (C2) spent those cores on code
    that ran for seconds (``bench/spark_startup``). A cluster's executors are not affected either way.
    """
    if not master.startswith("local") or os.environ.get("CORPUS_JVM_JIT", "quick").strip().lower() == "full":
        return ""
    return QUICK_JIT


def stop_jvm(spark: SparkSession, timeout_s: float = 600) -> None:
    """Stop the session and wait until this process's JVM has exited (it runs its exit hooks: a JVM started
    with ``-XX:ArchiveClassesAtExit`` writes its class archive then)."""
    from pyspark import SparkContext

    gateway = SparkContext._gateway
    spark.stop()
    if gateway is None:
        return
    proc = getattr(gateway, "proc", None)
    gateway.shutdown()
    SparkContext._gateway = None
    SparkContext._jvm = None
    if proc is not None and proc.stdin is not None:
        proc.stdin.close()  # the gateway JVM exits when its stdin closes
        proc.wait(timeout=timeout_s)


def _jvm_running() -> bool:
    from pyspark import SparkContext

    return SparkContext._gateway is not None


def _local_master(master: str | None) -> str:
    """The master when this process starts the JVM: the given one, ``$CORPUS_SPARK_MASTER``, else ``local[*]``."""
    return master or os.environ.get("CORPUS_SPARK_MASTER", "local[*]")


def _start_session(master: str | None, app_name: str, conf: dict[str, str], own_process_group: bool) -> SparkSession:
    builder = SparkSession.builder.appName(app_name)
    # Under spark-submit the JVM already knows its master (the gateway port is set then).
    if master or "PYSPARK_GATEWAY_PORT" not in os.environ:
        builder = builder.master(_local_master(master))
    if own_process_group and "PYSPARK_GATEWAY_PORT" not in os.environ:
        _launch_gateway_in_own_session(_local_master(master), app_name, conf)
    for key, value in conf.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def _launch_gateway_in_own_session(master: str, app_name: str, conf: dict[str, str]) -> None:
    """Start the py4j JVM as SparkContext would, but with ``start_new_session`` (setsid)."""
    from pyspark import SparkConf, SparkContext
    from pyspark.java_gateway import launch_gateway

    with SparkContext._lock:
        if SparkContext._gateway is not None:
            return  # a JVM is already running in this process: reuse it as getOrCreate would
        spark_conf = SparkConf(loadDefaults=False).setMaster(master).setAppName(app_name)
        for key, value in conf.items():
            spark_conf.set(key, value)
        SparkContext._gateway = launch_gateway(spark_conf, popen_kwargs={"start_new_session": True})
        SparkContext._jvm = SparkContext._gateway.jvm


def to_spark_type(arrow_type: pa.DataType) -> T.DataType:
    """Arrow -> Spark types: the single place where the two type systems meet."""
    mapping = [
        (pa.types.is_string, T.StringType()),
        (pa.types.is_large_string, T.StringType()),
        (pa.types.is_boolean, T.BooleanType()),
        (pa.types.is_int8, T.ByteType()),
        (pa.types.is_int16, T.ShortType()),
        (pa.types.is_int32, T.IntegerType()),
        (pa.types.is_int64, T.LongType()),
        (pa.types.is_float32, T.FloatType()),
        (pa.types.is_float64, T.DoubleType()),
        (pa.types.is_binary, T.BinaryType()),
        (pa.types.is_timestamp, T.TimestampType()),
        (pa.types.is_date32, T.DateType()),
    ]
    for predicate, spark_type in mapping:
        if predicate(arrow_type):
            return spark_type
    if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
        return T.ArrayType(to_spark_type(arrow_type.value_type))
    raise TypeError(f"no Spark type for Arrow type {arrow_type}")


def to_spark_schema(schema: pa.Schema = DOCUMENT_SCHEMA) -> T.StructType:
    return T.StructType([T.StructField(f.name, to_spark_type(f.type), f.nullable) for f in schema])


def documents_from_source(
    spark: SparkSession, items: Sequence[str], produce: Callable[[str], Iterator[dict]], batch_rows: int = 256
) -> DataFrame:
    """Documents made by ``produce(item)`` for each item (e.g. a WARC path), one partition per item.

    Items are sorted so that partition numbers, and therefore output file names, are stable.
    """
    items = sorted(items)
    schema = to_spark_schema()
    # parallelize() with one slice per item gives exactly one item per partition.
    rdd = spark.sparkContext.parallelize([(i, item) for i, item in enumerate(items)], max(len(items), 1))
    source = spark.createDataFrame(rdd, "idx long, item string")

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            for item in batch.column("item").to_pylist():
                buffer: list[dict] = []
                for row in produce(item):
                    buffer.append(row)
                    if len(buffer) >= batch_rows:
                        yield rows_to_batch(buffer)
                        buffer = []
                if buffer:
                    yield rows_to_batch(buffer)

    return source.mapInArrow(run, schema)


def apply_steps(df: DataFrame, steps: Sequence[Step]) -> DataFrame:
    """Run steps over every partition with ``mapInArrow``; the output keeps schema v1 and row count."""
    steps = list(steps)
    schema = to_spark_schema()

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        yield from apply_steps_to_batches(batches, steps)

    return df.mapInArrow(run, schema)


def read_documents(
    spark: SparkSession, path: str, status: str | None = "kept", partitions: int | None = None
) -> DataFrame:
    """Read a published documents directory with the declared schema (never inferred).

    With ``partitions``, rows are hash-partitioned by id: how Spark splits the input files depends
    on the cluster's cores, so without this the output files (not their rows) would differ from
    one cluster to another.
    """
    df = spark.read.schema(to_spark_schema()).option("basePath", path).parquet(path)
    if status is not None:
        df = df.where(df.status == status)
    df = df.select(*[f.name for f in DOCUMENT_SCHEMA])
    return df.repartition(partitions, "id") if partitions else df


def write_documents(
    df: DataFrame, path: str, partition_by: Sequence[str] = ("status",), sort_by: Sequence[str] = ("id",)
) -> None:
    """Write documents as Parquet under ``path`` with a deterministic row order per file."""
    ordered = df.sortWithinPartitions(*partition_by, *sort_by)
    writer = ordered.write.mode("overwrite")
    if partition_by:
        writer = writer.partitionBy(*partition_by)
    writer.parquet(path)


def map_files(spark: SparkSession, items: Sequence[Any], fn: Callable[[Any], Any], max_per_task: int = 8) -> list[Any]:
    """Apply a pure function to items (files) in parallel and collect the results, in input order.

    Tasks get consecutive runs of at most ``max_per_task`` items, but there are at least two tasks per
    core (so a slow file does not hold the others back) and at most 1,024: a task costs ~0.1 s of
    scheduling and Python round trip, more than reading one Parquet footer.
    """
    if not items:
        return []
    cores = max(spark.sparkContext.defaultParallelism, 1)
    slices = min(len(items), 1024, max(2 * cores, math.ceil(len(items) / max_per_task)))
    return spark.sparkContext.parallelize(list(items), slices).map(fn).collect()
