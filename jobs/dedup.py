"""Dedup stage: exact, URL, line-level, MinHash-LSH and passage-level duplicate removal, on Spark.

Reads the kept documents of a published stage (normally ``filter``), or JSONL / Parquet files from
another tool (read as ``corpus filter`` reads them: ``jobs.filter.load_input``), and writes all of
them back, duplicates marked ``status=removed`` with ``exact_duplicate``, ``url_duplicate``,
``line_dedup_too_short``, ``near_duplicate`` or ``passage_dedup_too_short``. The algorithms live in
``jobs/dedup_lib.py`` and ``jobs/dedup_passages.py``; passage dedup is opt-in (``methods``)::

    spark-submit dist/corpus_submit.py dedup --input out/filter --output out/dedup --set dedup.threshold=0.7
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict, dataclass, field
from typing import Any

from pipeline.config import ConfigError, build, deep_merge, load_yaml, parse_overrides
from pipeline.dedup.config import DedupConfig

METHODS = ("exact", "url", "lines", "minhash", "passages")
DEFAULT_METHODS = ("exact", "url", "lines", "minhash")
STEP_NAMES = {"lines": "line_dedup", "passages": "passage_dedup"}


@dataclass(frozen=True)
class DedupStageConfig:
    dedup: DedupConfig = field(default_factory=DedupConfig)
    methods: tuple[str, ...] = DEFAULT_METHODS
    master: str | None = None
    shuffle_partitions: int = 8
    driver_memory: str | None = None

    def __post_init__(self):
        bad = [m for m in self.methods if m not in METHODS]
        if bad:
            raise ConfigError(f"methods: {bad[0]!r} is not valid; valid values: {list(METHODS)}")


def load_config(path: str | None = None, overrides: list[str] | None = None) -> DedupStageConfig:
    data = load_yaml(path) if path else {}
    return build(DedupStageConfig, deep_merge(data, parse_overrides(overrides)))


def read_input(spark, input_spec: str | list[str], cfg: DedupStageConfig):
    """Documents to deduplicate and the manifest's input records: a published stage output, or
    JSONL / Parquet files from another tool, read exactly as ``corpus filter`` reads them."""
    from jobs.filter import FilterStageConfig, load_input
    from pipeline.io.publish import MANIFEST, is_published, read_json

    spec = [input_spec] if isinstance(input_spec, str) else list(input_spec)
    df, inputs = load_input(spark, spec, FilterStageConfig(shuffle_partitions=cfg.shuffle_partitions))
    if len(spec) == 1 and is_published(spec[0].rstrip("/")):
        upstream = read_json(spec[0].rstrip("/"), MANIFEST)
        inputs[0].update(stage=upstream.get("stage"), signature=upstream.get("signature"))
    else:  # files: hash-partition by id as read_documents does, so output files do not depend on the cluster
        df = df.repartition(cfg.shuffle_partitions, "id")
    return df, inputs


def run(
    spark, input_spec: str | list[str], output: str, cfg: DedupStageConfig, signature: str | None = None
) -> dict[str, Any]:
    from jobs import dedup_lib, dedup_passages
    from jobs.common import publish_documents
    from jobs.dedup_components import checkpoint

    functions = {
        "exact": dedup_lib.exact_dedup,
        "url": dedup_lib.url_dedup,
        "lines": dedup_lib.line_dedup,
        "minhash": dedup_lib.minhash_dedup,
        "passages": dedup_passages.passage_dedup,
    }
    # Joins and groupings shuffle into this many partitions; fixing it keeps output files identical
    # whatever the cluster's size.
    spark.conf.set("spark.sql.shuffle.partitions", str(cfg.shuffle_partitions))
    df, inputs = read_input(spark, input_spec, cfg)
    extras, side_tables = {}, {}
    for method in METHODS:  # fixed order whatever the config lists: cheap exact passes first
        if method in cfg.methods:
            # Materialised between methods: each later method (and MinHash's final join) would
            # otherwise recompute every earlier one from the input.
            df, extras[method] = functions[method](df, cfg.dedup)
            if "_log" in extras[method]:
                side_tables[extras[method]["passage_log"]] = extras[method].pop("_log")
            df = checkpoint(df)
    steps = [
        {"name": STEP_NAMES.get(m, f"{m}_dedup"), "params": asdict(cfg.dedup)} for m in METHODS if m in cfg.methods
    ]
    return publish_documents(
        spark,
        df,
        output,
        "dedup",
        asdict(cfg),
        steps,
        inputs,
        partition_by=("status", "language"),
        extra={"signature": signature, "dedup": extras},
        side_tables=side_tables,
    )


def summary_lines(stats: dict[str, Any], output: str, seconds: float) -> list[str]:
    lines = [f"documents in: {stats['rows']}", f"kept:         {stats['kept']}", f"removed:      {stats['removed']}"]
    lines += [f"  {k:<40} {v}" for k, v in sorted(stats.get("removed_by_reason", {}).items(), key=lambda kv: -kv[1])]
    lines += [f"output:       {output}", f"wall time:    {seconds:.1f} s"]
    return lines


def execute(
    input_path: str | list[str], output: str, config: str | None = None, overrides: list[str] | None = None
) -> int:
    """Validate the config before Spark starts, then run and print the summary."""
    from jobs.common import execute_stage

    def prepare():
        cfg = load_config(config, overrides)
        return cfg, {
            "master": cfg.master,
            "shuffle_partitions": cfg.shuffle_partitions,
            "driver_memory": cfg.driver_memory,
        }

    return execute_stage(
        "dedup",
        prepare,
        lambda spark, cfg: run(spark, input_path, output, cfg),
        lambda stats, seconds: summary_lines(stats, output, seconds),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Remove exact, URL, line-level, near and passage duplicates")
    parser.add_argument(
        "--input", action="append", required=True, help="a published stage output, or JSONL / Parquet globs"
    )
    parser.add_argument("--output", required=True)
    parser.add_argument("--config")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args(argv)
    return execute(args.input, args.output, args.config, args.set)


if __name__ == "__main__":
    sys.exit(main())
