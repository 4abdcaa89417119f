"""Decontamination stage: remove (or flag) documents sharing long n-grams with evaluation sets, on Spark.

Reads the kept documents of a published stage (normally ``dedup``), builds the eval index once on the
driver (``pipeline/decontam/index.py``: sorted int64 hashes, 9 bytes per n-gram, at most
``decontam.max_index_ngrams``) and broadcasts it; each partition hashes its documents' n-grams in
``mapInArrow`` and looks them up with a binary search. Nothing grows with the corpus on the driver: the
only collected rows are the per-set hit counts (one row per eval set).

Outputs, published atomically together: the documents (``status=removed``, ``removed_by=decontaminate``,
``removed_reason=eval_overlap:<set>`` in remove mode; unchanged in flag mode), ``_contamination/``
(JSON lines ``{id, url, eval_set, ngrams, first_ngram}``, one per document and set hit, both modes) and
``_stats.json`` with ``decontamination``: documents and shared n-grams per eval set, and the index size::

    corpus decontaminate --input out/dedup --output out/decontaminate \\
        --eval-set corpora/wikitext-2/test.txt --set decontam.mode=flag
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from pipeline.config import ConfigError, build, deep_merge, load_yaml, parse_overrides
from pipeline.decontam.config import DecontamConfig

HITS_DIR = "_contamination"


@dataclass(frozen=True)
class DecontamStageConfig:
    decontam: DecontamConfig = field(default_factory=DecontamConfig)
    master: str | None = None
    shuffle_partitions: int = 8
    driver_memory: str | None = None


def load_config(path: str | None = None, overrides: list[str] | None = None) -> DecontamStageConfig:
    data = load_yaml(path) if path else {}
    cfg = build(DecontamStageConfig, deep_merge(data, parse_overrides(overrides)))
    if not cfg.decontam.eval_sets:
        raise ConfigError("decontam.eval_sets: give at least one evaluation file (--eval-set PATH)")
    return cfg


def build_eval_index(cfg: DecontamConfig):
    from pipeline.decontam.index import build_index

    try:
        return build_index(cfg.eval_sets, cfg.word_ngram, cfg.char_ngram, cfg.text_fields, cfg.max_index_ngrams)
    except (ValueError, OSError) as exc:
        raise ConfigError(f"decontam.eval_sets: {exc}") from exc


def run(spark, input_path: str, output: str, cfg: DecontamStageConfig, signature: str | None = None) -> dict[str, Any]:
    import pyarrow as pa
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    from jobs.common import stats_of
    from jobs.dedup_components import checkpoint
    from pipeline.decontam.match import mark_batch
    from pipeline.engines.spark import read_documents, to_spark_schema, write_documents
    from pipeline.io.manifest import build_manifest
    from pipeline.io.publish import MANIFEST, StagePublisher, is_published, read_json

    if not is_published(input_path):
        raise ConfigError(f"--input {input_path}: not a published stage output (no _SUCCESS)")
    index = build_eval_index(cfg.decontam)
    shared = spark.sparkContext.broadcast(index)
    params = cfg.decontam
    spark.conf.set("spark.sql.shuffle.partitions", str(cfg.shuffle_partitions))
    docs = read_documents(spark, input_path, status="kept", partitions=cfg.shuffle_partitions)

    def run_batches(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        local = shared.value
        for batch in batches:
            yield mark_batch(batch, local, params)

    schema = T.StructType(to_spark_schema().fields + [T.StructField("_hits", T.StringType())])
    marked = checkpoint(docs.mapInArrow(run_batches, schema))
    hit_type = T.ArrayType(T.ArrayType(T.StringType()))
    hits = (
        marked.where(F.col("_hits").isNotNull())
        .select("id", "url", F.explode(F.from_json("_hits", hit_type)).alias("h"))
        .select(
            "id",
            "url",
            F.col("h")[0].alias("eval_set"),
            F.col("h")[1].cast("long").alias("ngrams"),
            F.col("h")[2].alias("first_ngram"),
        )
    )
    per_set = {
        r["eval_set"]: r
        for r in hits.groupBy("eval_set").agg(F.count("*").alias("d"), F.sum("ngrams").alias("n")).collect()
    }
    summary = {
        name: {
            "documents": int(per_set[name]["d"]) if name in per_set else 0,
            "shared_ngrams": int(per_set[name]["n"]) if name in per_set else 0,
            "index_passages": index.passages[i],
            "index_ngrams": index.ngrams[i],
        }
        for i, name in enumerate(index.names)
    }
    publisher = StagePublisher(output)
    publisher.clean_leftovers()
    started = time.time()
    try:
        write_documents(marked.drop("_hits"), publisher.tmp_uri, partition_by=("status", "language"))
        hits.coalesce(1).sortWithinPartitions("id", "eval_set").write.mode("overwrite").json(
            f"{publisher.tmp_uri}/{HITS_DIR}"
        )
        files = publisher.stabilise_names()
        stats = stats_of(spark, publisher.tmp_uri, files)
        stats["stage"] = "decontaminate"
        stats["decontamination"] = {"mode": params.mode, "sets": summary, "index_bytes": index.nbytes}
        upstream = read_json(input_path, MANIFEST)
        inputs = [{"path": input_path, "stage": upstream.get("stage"), "signature": upstream.get("signature")}]
        steps = [{"name": "decontaminate", "params": asdict(params)}]
        extra = {"partition_by": ["status", "language"], "write_seconds": round(time.time() - started, 3)}
        manifest = build_manifest(
            "decontaminate", asdict(cfg), steps, inputs, files, extra=extra | {"signature": signature}
        )
        publisher.publish(manifest, stats)
    except BaseException:
        publisher.abort()
        raise
    finally:
        shared.unpersist()
    return stats


def summary_lines(stats: dict[str, Any], output: str, seconds: float) -> list[str]:
    info = stats.get("decontamination", {})
    lines = [f"documents in: {stats['rows']}", f"kept:         {stats['kept']}", f"removed:      {stats['removed']}"]
    for name, s in info.get("sets", {}).items():
        lines.append(
            f"  {name:<24} {s['documents']} documents ({info.get('mode')}), {s['shared_ngrams']} shared n-grams; "
            f"index {s['index_ngrams']} n-grams of {s['index_passages']} passages"
        )
    lines += [f"output:       {output}", f"wall time:    {seconds:.1f} s"]
    return lines


def execute(input_path: str, output: str, config: str | None = None, overrides: list[str] | None = None) -> int:
    """Validate the config and build the index before Spark starts, then run and print the summary."""
    from jobs.common import execute_stage

    def prepare():
        cfg = load_config(config, overrides)
        build_eval_index(cfg.decontam)  # a bad or oversized eval file fails here, before Spark
        return cfg, {
            "master": cfg.master,
            "shuffle_partitions": cfg.shuffle_partitions,
            "driver_memory": cfg.driver_memory,
        }

    return execute_stage(
        "decontaminate",
        prepare,
        lambda spark, cfg: run(spark, input_path, output, cfg),
        lambda stats, seconds: summary_lines(stats, output, seconds),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Remove or flag documents that overlap evaluation sets")
    parser.add_argument("--input", required=True, help="a published stage output (e.g. the dedup stage)")
    parser.add_argument("--output", required=True)
    parser.add_argument("--eval-set", action="append", default=[], metavar="[NAME=]PATH")
    parser.add_argument("--config")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args(argv)
    return execute(args.input, args.output, args.config, eval_set_overrides(args.eval_set) + args.set)


def eval_set_overrides(paths: list[str]) -> list[str]:
    """``--eval-set`` options as one ``decontam.eval_sets=[...]`` override (JSON list: paths stay strings)."""
    import json

    return [f"decontam.eval_sets={json.dumps(list(paths))}"] if paths else []


if __name__ == "__main__":
    sys.exit(main())
