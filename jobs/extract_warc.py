"""Extraction stage: WARC files -> schema-v1 documents (Parquet), one Spark task per input file.

Run it through ``corpus extract`` or directly with spark-submit::

    spark-submit dist/corpus_submit.py extract --input 's3a://bucket/crawl/*.warc.gz' --output s3a://bucket/out/extract

Every WARC record read becomes one row: extracted pages are ``status=kept``; everything else
(requests, metadata, redirects, non-HTML, undecodable, timed out, unreadable remainders of bad
files) is ``status=removed`` with ``removed_by=extract`` and a reason code, so the accounting
``records read = documents + skipped by reason`` holds by construction and is checked from the
written columns.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from typing import Any

from pipeline.annotate.language_codes import normalize_languages
from pipeline.config import ConfigError, build, deep_merge, load_yaml, parse_overrides, require, to_dict
from pipeline.extract.engines import ENGINES, RESCUE_BELOW_CHARS, check_engine_options


@dataclass(frozen=True)
class ExtractOptions:
    """Extraction settings (see pipeline/extract/warc_extractor.py for what each one does)."""

    source: str = "crawl"
    crawl: str | None = None
    timeout_s: float = 5.0
    max_html_bytes: int = 5_000_000
    min_text_chars: int = 1
    favor_precision: bool = False
    include_comments: bool = False
    include_tables: bool = True
    deduplicate: bool = False
    fast: bool = False
    thread_posts: bool = True
    prescreen_languages: tuple[str, ...] = ()
    prescreen_min_score: float = 0.1
    engine: str = "trafilatura"
    rescue_below_chars: int = RESCUE_BELOW_CHARS

    def __post_init__(self):
        require(self.rescue_below_chars >= 0, "extract.rescue_below_chars", "must be >= 0 characters")
        require(self.engine in ENGINES, "extract.engine", f"must be one of {', '.join(ENGINES)}")
        try:
            check_engine_options(
                self.engine, fast=self.fast, favor_precision=self.favor_precision, deduplicate=self.deduplicate
            )
        except ValueError as exc:
            raise ConfigError(f"extract.engine={self.engine}: {exc}") from None
        require(self.timeout_s > 0, "extract.timeout_s", "must be > 0 seconds")
        require(self.max_html_bytes > 0, "extract.max_html_bytes", "must be > 0 bytes")
        require(self.min_text_chars >= 0, "extract.min_text_chars", "must be >= 0")
        require(0 < self.prescreen_min_score <= 1, "extract.prescreen_min_score", "must be in (0, 1]")
        try:  # any ISO 639 spelling (zho, nob, no ...); stored as the annotator's labels
            labels = normalize_languages(self.prescreen_languages, "extract.prescreen_languages")
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
        object.__setattr__(self, "prescreen_languages", tuple(labels) if self.prescreen_languages else ())


@dataclass(frozen=True)
class SparkOptions:
    master: str | None = None
    shuffle_partitions: int = 8
    driver_memory: str | None = None
    batch_rows: int = 256


@dataclass(frozen=True)
class ExtractStageConfig:
    extract: ExtractOptions = field(default_factory=ExtractOptions)
    spark: SparkOptions = field(default_factory=SparkOptions)
    checksum_inputs: bool = True


def load_config(path: str | None = None, overrides: list[str] | None = None) -> ExtractStageConfig:
    data = load_yaml(path) if path else {}
    return build(ExtractStageConfig, deep_merge(data, parse_overrides(overrides)))


def run(
    spark,
    inputs: list[str],
    output: str,
    cfg: ExtractStageConfig,
    fingerprints: list[dict[str, Any]] | None = None,
    signature: str | None = None,
) -> dict[str, Any]:
    """Extract every input file and publish the documents; returns the stage stats."""
    from jobs.common import fingerprint_inputs, publish_documents
    from pipeline.engines.spark import documents_from_source
    from pipeline.extract.warc_extractor import WarcExtractor

    extractor = WarcExtractor(**to_dict(cfg.extract))
    df = documents_from_source(spark, inputs, extractor.extract_file, batch_rows=cfg.spark.batch_rows)
    if fingerprints is None:
        fingerprints = fingerprint_inputs(spark, inputs, checksum=cfg.checksum_inputs)
    step = {"name": "extract", "class": "WarcExtractor", "params": to_dict(cfg.extract)}
    return publish_documents(
        spark, df, output, "extract", to_dict(cfg), [step], fingerprints, extra={"signature": signature}
    )


def summary_lines(stats: dict[str, Any], output: str, seconds: float) -> list[str]:
    reasons = stats.get("removed_by_reason", {})
    lines = [
        f"records read:      {stats['rows']}",
        f"documents written: {stats['kept']}",
        f"skipped:           {stats['removed']}" + ("" if stats["accounting_ok"] else "  (ACCOUNTING MISMATCH)"),
    ]
    for key, count in sorted(reasons.items(), key=lambda kv: -kv[1]):
        lines.append(f"  {key.split('/', 1)[-1]:<22} {count}")
    bad = {f: v["outcome"] for f, v in stats.get("input_files", {}).items() if v["outcome"] != "ok"}
    lines.append(f"input files:       {len(stats.get('input_files', {}))} ({len(bad)} with problems)")
    for f, outcome in sorted(bad.items()):
        lines.append(f"  {outcome:<9} {f}")
    lines += [f"output:            {output}", f"wall time:         {seconds:.1f} s"]
    return lines


def execute(input_globs: list[str], output: str, config: str | None = None, overrides: list[str] | None = None) -> int:
    """Validate the config and inputs (before Spark starts), run the stage, print the summary."""
    from jobs.common import execute_stage
    from pipeline.io.manifest import expand_inputs

    inputs: list[str] = []

    def prepare():
        cfg = load_config(config, overrides)
        inputs.extend(expand_inputs(input_globs))
        if not inputs:
            raise ConfigError(f"--input {input_globs}: no input files match")
        s = cfg.spark
        return cfg, {"master": s.master, "shuffle_partitions": s.shuffle_partitions, "driver_memory": s.driver_memory}

    return execute_stage(
        "extract",
        prepare,
        lambda spark, cfg: run(spark, inputs, output, cfg),
        lambda stats, seconds: summary_lines(stats, output, seconds),
    )


def main(argv: list[str] | None = None) -> int:
    """spark-submit entry point."""
    parser = argparse.ArgumentParser(description="Extract documents from WARC files")
    parser.add_argument("--input", action="append", required=True, help="glob or URI; repeatable")
    parser.add_argument("--output", required=True)
    parser.add_argument("--config")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args(argv)
    return execute(args.input, args.output, args.config, args.set)


if __name__ == "__main__":
    sys.exit(main())
