"""What every Spark stage shares: input fingerprints, writing, stats from columns, atomic publish."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from functools import reduce
from typing import Any

from pyspark.sql import DataFrame, SparkSession

from pipeline.engines.spark import map_files, write_documents
from pipeline.io.manifest import build_manifest, fingerprint
from pipeline.io.publish import StagePublisher
from pipeline.stats import file_partial, finalize, merge


def fingerprint_inputs(spark: SparkSession, paths: Sequence[str], checksum: bool = True) -> list[dict[str, Any]]:
    """Fingerprints of input files, computed in parallel (hashing large crawls on the driver would be slow)."""
    return map_files(spark, list(paths), lambda p: fingerprint(p, checksum))


def stats_of(spark: SparkSession, root: str, files: Sequence[str]) -> dict[str, Any]:
    """``_stats.json`` content from the written Parquet files, one task per file."""
    partials = map_files(spark, list(files), lambda rel: file_partial(f"{root}/{rel}", rel))
    return finalize(reduce(merge, partials, {}))


def publish_documents(
    spark: SparkSession,
    df: DataFrame,
    output: str,
    stage: str,
    config: dict[str, Any],
    steps: list[dict[str, Any]],
    inputs: list[dict[str, Any]],
    partition_by: Sequence[str] = ("status",),
    extra: dict[str, Any] | None = None,
    side_tables: dict[str, DataFrame] | None = None,
) -> dict[str, Any]:
    """Write ``df`` and publish it atomically with manifest and stats; returns the stats.

    ``side_tables`` (name -> DataFrame, e.g. a log of removals) are written as Parquet under
    ``<output>/<name>`` in the same atomic publish; names start with ``_`` so that Spark and pyarrow
    readers of the documents skip them, and they are left out of the stats and the file list."""
    from jobs.interrupt import ACTIVE_OUTPUTS

    publisher = StagePublisher(output)
    publisher.clean_leftovers()
    started = time.time()
    ACTIVE_OUTPUTS.add(output)
    try:
        write_documents(df, publisher.tmp_uri, partition_by=partition_by)
        files = publisher.stabilise_names()
        stats = stats_of(spark, publisher.tmp_uri, files)
        stats["stage"] = stage
        for name, table in (side_tables or {}).items():
            if not name.startswith("_"):
                raise ValueError(f"side table {name!r}: the name must start with '_'")
            table.write.mode("overwrite").parquet(f"{publisher.tmp_uri}/{name}")
        manifest = build_manifest(
            stage,
            config,
            steps,
            inputs,
            files,
            extra={
                "partition_by": list(partition_by),
                "write_seconds": round(time.time() - started, 3),
                **(extra or {}),
            },
        )
        publisher.publish(manifest, stats)
    except BaseException as exc:
        publisher.abort()
        if isinstance(exc, Exception):  # on a stop signal, jobs.interrupt.shutdown cleans again after
            ACTIVE_OUTPUTS.discard(output)  # cancelling the tasks, which may still be writing now
        raise
    ACTIVE_OUTPUTS.discard(output)
    return stats


def execute_stage(
    label: str,
    prepare: Callable[[], tuple[Any, dict[str, Any]]],
    body: Callable[[SparkSession, Any], dict[str, Any]],
    summary: Callable[[dict[str, Any], float], list[str]],
) -> int:
    """The command-line life of one stage; returns an exit code.

    ``prepare()`` validates everything and returns ``(config, session arguments)`` before Spark
    starts; a ``ConfigError`` from it (or from ``body``, e.g. an unpublished input) exits with 2.
    SIGTERM / SIGINT stop Spark and remove the unpublished output (``jobs/interrupt.py``): exit 143 / 130.
    """
    from jobs.interrupt import Interrupted, arm, shutdown, stop_on_signals
    from jobs.progress import StageProgress
    from pipeline.config import ConfigError
    from pipeline.engines.spark import get_session

    spark = None
    try:
        with stop_on_signals():
            cfg, session_args = prepare()
            started = time.time()
            spark = get_session(app_name=f"corpus-{label}", own_process_group=True, **session_args)
            arm()
            with StageProgress(spark, label=label):
                stats = body(spark, cfg)
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    except Interrupted as stop:
        if spark is not None:
            shutdown(spark, [])
        print(f"corpus {label}: stopped by {stop.name}; Spark stopped, unpublished output removed", file=sys.stderr)
        return stop.exit_code
    print("\n".join(summary(stats, time.time() - started)))
    return 0 if stats["accounting_ok"] else 1
