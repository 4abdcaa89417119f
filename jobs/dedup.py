"""Dedup stage: exact, URL, line-level and MinHash-LSH near-duplicate removal, on Spark.

Reads the kept documents of a published stage (normally ``filter``) and writes all of them back,
duplicates marked ``status=removed`` with ``exact_duplicate``, ``url_duplicate``,
``line_dedup_too_short`` or ``near_duplicate``. The algorithms live in ``jobs/dedup_lib.py``::

    spark-submit dist/corpus_submit.py dedup --input out/filter --output out/dedup --set dedup.threshold=0.7
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict, dataclass, field
from typing import Any

from pipeline.config import ConfigError, build, deep_merge, load_yaml, parse_overrides
from pipeline.dedup.config import DedupConfig

METHODS = ("exact", "url", "lines", "minhash")


@dataclass(frozen=True)
class DedupStageConfig:
    dedup: DedupConfig = field(default_factory=DedupConfig)
    methods: tuple[str, ...] = METHODS
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


def run(spark, input_path: str, output: str, cfg: DedupStageConfig, signature: str | None = None) -> dict[str, Any]:
    from jobs import dedup_lib
    from jobs.common import publish_documents
    from jobs.dedup_components import checkpoint
    from pipeline.engines.spark import read_documents
    from pipeline.io.publish import MANIFEST, is_published, read_json

    if not is_published(input_path):
        raise ConfigError(f"--input {input_path}: not a published stage output (no _SUCCESS)")
    functions = {
        "exact": dedup_lib.exact_dedup,
        "url": dedup_lib.url_dedup,
        "lines": dedup_lib.line_dedup,
        "minhash": dedup_lib.minhash_dedup,
    }
    # Joins and groupings shuffle into this many partitions; fixing it keeps output files identical
    # whatever the cluster's size.
    spark.conf.set("spark.sql.shuffle.partitions", str(cfg.shuffle_partitions))
    df = read_documents(spark, input_path, status="kept", partitions=cfg.shuffle_partitions)
    extras = {}
    for method in METHODS:  # fixed order whatever the config lists: cheap exact passes first
        if method in cfg.methods:
            # Materialised between methods: each later method (and MinHash's final join) would
            # otherwise recompute every earlier one from the input.
            df, extras[method] = functions[method](df, cfg.dedup)
            df = checkpoint(df)
    upstream = read_json(input_path, MANIFEST)
    inputs = [{"path": input_path, "stage": upstream.get("stage"), "signature": upstream.get("signature")}]
    steps = [
        {"name": f"{m}_dedup" if m != "lines" else "line_dedup", "params": asdict(cfg.dedup)}
        for m in METHODS
        if m in cfg.methods
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
    )


def summary_lines(stats: dict[str, Any], output: str, seconds: float) -> list[str]:
    lines = [f"documents in: {stats['rows']}", f"kept:         {stats['kept']}", f"removed:      {stats['removed']}"]
    lines += [f"  {k:<40} {v}" for k, v in sorted(stats.get("removed_by_reason", {}).items(), key=lambda kv: -kv[1])]
    lines += [f"output:       {output}", f"wall time:    {seconds:.1f} s"]
    return lines


def execute(input_path: str, output: str, config: str | None = None, overrides: list[str] | None = None) -> int:
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
    parser = argparse.ArgumentParser(description="Remove exact, URL, line-level and near duplicates")
    parser.add_argument("--input", required=True, help="a published stage output (e.g. the filter stage)")
    parser.add_argument("--output", required=True)
    parser.add_argument("--config")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args(argv)
    return execute(args.input, args.output, args.config, args.set)


if __name__ == "__main__":
    sys.exit(main())
