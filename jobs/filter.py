"""Filter stage: documents -> documents with every recipe step applied (Spark ``mapInArrow``).

Input is a published stage output (its ``status=kept`` documents) or JSON Lines files
(``{"id", "text", "url"?}``) or Parquet files (a ``text`` column; ``pipeline.io.parquet_input``)
from another tool. Output is partitioned by the recipe's
``partition_by`` (``status`` and ``language`` by default)::

    spark-submit dist/corpus_submit.py filter --input out/extract --output out/filter --recipe fineweb
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from typing import Any

from pipeline.config import ConfigError, build, require
from pipeline.recipe import Recipe, load_recipe


@dataclass(frozen=True)
class FilterStageConfig:
    recipe: str = "fineweb"
    source: str = "jsonl"  # source name given to JSONL documents that carry none
    master: str | None = None
    shuffle_partitions: int = 8
    driver_memory: str | None = None
    batch_rows: int = 256
    input_partitions: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self):
        require(self.batch_rows > 0, "batch_rows", "must be > 0")


def is_jsonl(path: str) -> bool:
    return path.endswith((".jsonl", ".jsonl.gz", ".json", ".json.gz"))


def is_document_file(path: str) -> bool:
    """JSONL or Parquet from another tool (anything else must be a published stage directory)."""
    from pipeline.io.parquet_input import is_parquet

    return is_jsonl(path) or is_parquet(path)


def load_input(spark, input_spec: list[str], cfg: FilterStageConfig):
    """A DataFrame of kept documents, plus the input fingerprints for the manifest."""
    from jobs.common import fingerprint_inputs
    from pipeline.engines.spark import documents_from_source, read_documents
    from pipeline.io.jsonl import read_jsonl_documents
    from pipeline.io.manifest import expand_inputs
    from pipeline.io.parquet_input import is_parquet, read_parquet_documents
    from pipeline.io.publish import MANIFEST, STATS, is_published, read_json

    if len(input_spec) == 1 and not is_document_file(input_spec[0]) and not any(c in input_spec[0] for c in "*?["):
        path = input_spec[0].rstrip("/")
        if not is_published(path):
            raise ConfigError(
                f"--input {path}: not a published stage output (no _SUCCESS); re-run the stage that makes it"
            )
        df = read_documents(spark, path, status="kept", partitions=cfg.input_partitions or cfg.shuffle_partitions)
        upstream = {
            "path": path,
            "manifest_stage": read_json(path, MANIFEST).get("stage"),
            "kept": read_json(path, STATS).get("kept"),
        }
        return df, [upstream]
    files = expand_inputs(input_spec)
    if not files:
        raise ConfigError(f"--input {input_spec}: no files match")
    source = cfg.source

    def produce(p):
        return read_parquet_documents(p, source) if is_parquet(p) else read_jsonl_documents(p, source)

    return documents_from_source(spark, files, produce, cfg.batch_rows), fingerprint_inputs(spark, files)


def run(
    spark, input_spec: list[str], output: str, recipe: Recipe, cfg: FilterStageConfig, signature: str | None = None
) -> dict[str, Any]:
    from dataclasses import asdict

    from jobs.common import publish_documents
    from pipeline.engines.spark import apply_steps

    df, inputs = load_input(spark, input_spec, cfg)
    out = apply_steps(df, recipe.steps)
    config = {"stage": asdict(cfg), "recipe": {"name": recipe.name, "partition_by": list(recipe.partition_by)}}
    return publish_documents(
        spark,
        out,
        output,
        "filter",
        config,
        recipe.describe(),
        inputs,
        partition_by=recipe.partition_by,
        extra={"signature": signature},
    )


def summary_lines(stats: dict[str, Any], output: str, seconds: float) -> list[str]:
    lines = [
        f"documents in:  {stats['rows']}",
        f"kept:          {stats['kept']}",
        f"removed:       {stats['removed']}" + ("" if stats["accounting_ok"] else "  (ACCOUNTING MISMATCH)"),
    ]
    for key, count in sorted(stats.get("removed_by_reason", {}).items(), key=lambda kv: -kv[1]):
        lines.append(f"  {key:<40} {count}")
    langs = {k.split("/")[0]: v for k, v in stats.get("by_language", {}).items() if k.endswith("/kept")}
    top = sorted(langs.items(), key=lambda kv: -kv[1])[:10]
    lines.append("kept by language: " + ", ".join(f"{k}={v}" for k, v in top))
    pii = {k: v["detections"] for k, v in stats.get("pii", {}).items() if v["detections"]}
    if pii:
        lines.append("PII redacted:  " + ", ".join(f"{k}={v}" for k, v in pii.items()))
    bad = {f: v for f, v in stats.get("input_files", {}).items() if v["outcome"] != "ok"}
    for path, v in sorted(bad.items())[:10]:  # JSON Lines / Parquet files that could not be read whole
        lines.append(f"input file with read errors: {path} ({v.get('read_error', 0)} of {v['records']} rows)")
    if len(bad) > 10:
        lines.append(f"... and {len(bad) - 10} more input files with read errors (_stats.json: input_files)")
    lines += [f"output:        {output}", f"wall time:     {seconds:.1f} s"]
    return lines


def execute(
    input_spec: list[str],
    output: str,
    recipe_name: str,
    overrides: list[str] | None = None,
    stage_overrides: dict[str, Any] | None = None,
) -> int:
    """Validate recipe and config before Spark starts, then run and print the summary."""
    from jobs.common import execute_stage

    def prepare():
        cfg = build(FilterStageConfig, {"recipe": recipe_name, **(stage_overrides or {})})
        recipe = load_recipe(recipe_name, overrides)
        args = {"master": cfg.master, "shuffle_partitions": cfg.shuffle_partitions, "driver_memory": cfg.driver_memory}
        return (cfg, recipe), args

    return execute_stage(
        "filter",
        prepare,
        lambda spark, c: run(spark, input_spec, output, c[1], c[0]),
        lambda stats, seconds: summary_lines(stats, output, seconds),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Apply a filtering recipe to documents")
    parser.add_argument("--input", action="append", required=True, help="stage output DIR, or JSONL globs")
    parser.add_argument("--output", required=True)
    parser.add_argument("--recipe", default="fineweb", help="built-in recipe name or YAML path")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--master")
    args = parser.parse_args(argv)
    return execute(args.input, args.output, args.recipe, args.set, {"master": args.master})


if __name__ == "__main__":
    sys.exit(main())
