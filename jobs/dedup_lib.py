"""Dedup as Spark transformations: schema-v1 DataFrame in, schema-v1 DataFrame out.

Every function keeps the row count: duplicates are marked ``status=removed`` with a reason, never
dropped, and rows already removed pass through untouched (they are neither survivors nor counted).
Each returns ``(DataFrame, extra)``: ``extra`` holds a few figures the columns cannot give
(parameters, candidate edges, iterations), for the stage manifest.

Survivor rule (every stage): within a cluster the document with the latest ``fetch_time`` survives
(a missing time counts as oldest), ties broken by the smallest ``id``. Members of a cluster of
two or more get ``dup_cluster`` = "<kind>-<16 hex>" and ``dup_cluster_size`` (kept members at that
stage); a later stage that clusters the survivor again overwrites both.

Near-duplicate clusters are the connected components of the candidate graph, computed by
large-star / small-star alternation (Kiveris, Lattanzi, Mirrokni, Rastogi, Vassilvitskii 2014,
"Connected Components in MapReduce and Beyond", SoCC), each round checkpointed to cut lineage.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import xxhash
from pyspark.core.broadcast import Broadcast
from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from jobs.dedup_components import checkpoint, components_on_driver, connected_components
from pipeline.dedup.config import DedupConfig
from pipeline.dedup.hashes import batch_line_hashes, text_keys, url_key
from pipeline.dedup.lines import SortedHashes, content_chars, distinct_hashes, remove_lines
from pipeline.dedup.signatures import BandKeyer, bands_rows
from pipeline.step import process_cached
from schemas.documents import STATUS_KEPT, STATUS_REMOVED


def survivor_order() -> tuple[Column, Column]:
    """Latest fetch first, then smallest id. A function: building Columns needs a live SparkContext,
    and this module is also imported on Python workers, where there is none."""
    return (F.col("fetch_time").desc_nulls_last(), F.col("id").asc())


def _split(df: DataFrame) -> tuple[DataFrame, DataFrame]:
    is_kept = F.col("status") == F.lit(STATUS_KEPT)
    return df.filter(is_kept), df.filter(~is_kept)


def _label(prefix: str, key: Column) -> Column:
    return F.concat(F.lit(f"{prefix}-"), F.substring(F.sha2(key.cast("binary"), 256), 1, 16))


def _mark(
    df: DataFrame,
    in_cluster: Column,
    label: Column,
    size: Column,
    removed: Column,
    step: str,
    reason: str,
    detail: Column,
) -> DataFrame:
    """Set dup_cluster / dup_cluster_size on cluster members and the removal columns on ``removed`` rows."""
    removed = F.coalesce(removed, F.lit(False))
    in_cluster = F.coalesce(in_cluster, F.lit(False))
    return (
        df.withColumn("dup_cluster", F.when(in_cluster, label).otherwise(F.col("dup_cluster")))
        .withColumn("dup_cluster_size", F.when(in_cluster, size.cast("int")).otherwise(F.col("dup_cluster_size")))
        .withColumn("status", F.when(removed, F.lit(STATUS_REMOVED)).otherwise(F.col("status")))
        .withColumn("removed_by", F.when(removed, F.lit(step)).otherwise(F.col("removed_by")))
        .withColumn("removed_reason", F.when(removed, F.lit(reason)).otherwise(F.col("removed_reason")))
        .withColumn("removed_detail", F.when(removed, detail).otherwise(F.col("removed_detail")))
    )


def _dedup_by_key(df: DataFrame, key: Column, step: str, reason: str, prefix: str) -> DataFrame:
    """Keep one survivor per equal non-null ``key`` among kept rows; the others are removed."""
    cols = df.columns
    kept, rest = _split(df)
    keyed = kept.withColumn("_key", key)
    ordered = Window.partitionBy("_key").orderBy(*survivor_order())
    ranked = (
        keyed.filter(F.col("_key").isNotNull())
        .withColumn("_rank", F.row_number().over(ordered))
        .withColumn("_survivor", F.first("id").over(ordered))
        .withColumn("_size", F.count(F.lit(1)).over(Window.partitionBy("_key")))
    )
    marked = _mark(
        ranked,
        F.col("_size") > 1,
        _label(prefix, F.col("_key")),
        F.col("_size"),
        F.col("_rank") > 1,
        step,
        reason,
        F.concat(F.lit("survivor="), F.col("_survivor")),
    )
    no_key = keyed.filter(F.col("_key").isNull())
    return marked.select(cols).unionByName(no_key.select(cols)).unionByName(rest.select(cols))


def exact_dedup(df: DataFrame, cfg: DedupConfig) -> tuple[DataFrame, dict[str, Any]]:
    """Exact duplicates of the normalised text (``pipeline.dedup.hashes.text_keys``): reason ``exact_duplicate``."""

    @F.pandas_udf("binary")
    def key_udf(texts: pd.Series) -> pd.Series:
        return pd.Series(text_keys(pa.array(texts, pa.string())), dtype=object)

    out = _dedup_by_key(df, key_udf(F.col("text")), "exact_dedup", "exact_duplicate", "exact")
    return out, {"exact_key": "xxh3_128(normalized text)"}


def url_dedup(df: DataFrame, cfg: DedupConfig) -> tuple[DataFrame, dict[str, Any]]:
    """Several fetches of one canonical URL (``pipeline.dedup.urls``): reason ``url_duplicate``."""

    @F.pandas_udf("string")
    def key_udf(urls: pd.Series) -> pd.Series:
        return pd.Series([url_key(u) for u in urls], dtype=object)

    out = _dedup_by_key(df, key_udf(F.col("url")), "url_dedup", "url_duplicate", "url")
    return out, {}


# ---------------------------------------------------------------------------------------------- lines


def _line_hash_rows(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        per_doc = [distinct_hashes(h) for h in batch_line_hashes(batch.column("text").to_pylist())]
        flat = np.fromiter((h for hs in per_doc for h in hs), dtype=np.int64)
        yield pa.RecordBatch.from_arrays([pa.array(flat, pa.int64())], names=["h"])


def _rewrite_lines(cfg: DedupConfig, repeated: Broadcast | None, token: str = ""):
    """mapInArrow function removing repeated lines; ``repeated`` broadcast, else a per-row ``_drop`` list."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        # One sorted array per worker process, whatever the number of tasks it runs.
        shared = process_cached(("line_dedup", token), lambda: SortedHashes(repeated.value)) if repeated else None
        for batch in batches:
            texts = batch.column("text").to_pylist()
            drops = batch.column("_drop").to_pylist() if shared is None else None
            new_texts, short = [], []
            for i, (text, hashes) in enumerate(zip(texts, batch_line_hashes(texts))):
                lookup = shared if shared is not None else SortedHashes(drops[i] or [])
                new, removed = remove_lines(text, lookup.mask(hashes)) if text else (text, 0)
                chars = content_chars(new) if removed else None
                new_texts.append(new)
                short.append(
                    f"chars={chars}<{cfg.line_min_chars} after {removed} repeated lines"
                    if removed and chars < cfg.line_min_chars
                    else None
                )
            yield _apply_line_results(batch, new_texts, short)

    return run


def _apply_line_results(batch: pa.RecordBatch, texts: list, short: list) -> pa.RecordBatch:
    cols = {name: batch.column(name) for name in batch.schema.names if name != "_drop"}
    changed = [t != o for t, o in zip(texts, batch.column("text").to_pylist())]
    cols["text"] = pa.array(texts, cols["text"].type)
    n_chars = [len(t) if c and t is not None else n for t, c, n in zip(texts, changed, cols["n_chars"].to_pylist())]
    cols["n_chars"] = pa.array(n_chars, cols["n_chars"].type)
    is_short = [s is not None for s in short]
    for name, value in (
        ("status", STATUS_REMOVED),
        ("removed_by", "line_dedup"),
        ("removed_reason", "line_dedup_too_short"),
    ):
        old = cols[name].to_pylist()
        cols[name] = pa.array([value if s else o for s, o in zip(is_short, old)], cols[name].type)
    old = cols["removed_detail"].to_pylist()
    cols["removed_detail"] = pa.array([s if s is not None else o for s, o in zip(short, old)], pa.string())
    return pa.RecordBatch.from_arrays(list(cols.values()), names=list(cols))


def line_dedup(df: DataFrame, cfg: DedupConfig) -> tuple[DataFrame, dict[str, Any]]:
    """Remove lines found in more than ``cfg.line_max_repeats`` kept documents (cc_net's paragraph dedup);
    a document that loses lines and keeps fewer than ``cfg.line_min_chars`` characters is removed
    (``line_dedup_too_short``). Counting is distributed (group by line hash); the repeated set is
    broadcast as a sorted array when small, otherwise joined per document."""
    cols, schema = df.columns, df.schema
    kept, rest = _split(df)
    counts = kept.select("text").mapInArrow(_line_hash_rows, "h long").groupBy("h").agg(F.count(F.lit(1)).alias("n"))
    repeated = checkpoint(counts.filter(F.col("n") > cfg.line_max_repeats))
    summary = repeated.agg(F.count(F.lit(1)).alias("lines"), F.sum("n").alias("occurrences")).first()
    n_repeated = int(summary["lines"])
    extra = {"line_repeated_distinct": n_repeated, "line_doc_occurrences_removed": int(summary["occurrences"] or 0)}
    if n_repeated <= cfg.line_broadcast_limit:
        values = np.sort(np.asarray(repeated.select("h").toArrow().column("h").to_numpy(), dtype=np.int64))
        token = xxhash.xxh3_64_hexdigest(values.tobytes())
        shared = df.sparkSession.sparkContext.broadcast(values)
        out = kept.mapInArrow(_rewrite_lines(cfg, shared, token), schema)
        extra["line_lookup"] = "broadcast"
    else:
        per_line = kept.select("id", "text").mapInArrow(_doc_line_rows, "id string, h long")
        drops = per_line.join(repeated.select("h"), "h").groupBy("id").agg(F.collect_list("h").alias("_drop"))
        out = kept.join(drops, "id", "left").select(*cols, "_drop").mapInArrow(_rewrite_lines(cfg, None), schema)
        extra["line_lookup"] = "join"
    return out.select(cols).unionByName(rest.select(cols)), extra


def _doc_line_rows(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        ids, hashes = [], []
        for doc_id, hs in zip(batch.column("id").to_pylist(), batch_line_hashes(batch.column("text").to_pylist())):
            distinct = distinct_hashes(hs)
            ids.extend([doc_id] * len(distinct))
            hashes.extend(distinct)
        yield pa.RecordBatch.from_arrays([pa.array(ids, pa.string()), pa.array(hashes, pa.int64())], names=["id", "h"])


# -------------------------------------------------------------------------------------------- minhash


def _signature_rows(cfg: DedupConfig):
    """mapInArrow function: (id, fetch_time, text, language) -> (id, fetch_time, keys[, shingles])."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        keyer = process_cached(("band_keyer", cfg), lambda: BandKeyer(cfg))
        for batch in batches:
            res = keyer.keys(batch.column("text").to_pylist(), batch.column("language").to_pylist(), cfg.verify)
            keep = pa.array(res.has_shingles)
            cols = [batch.column("id").filter(keep), batch.column("fetch_time").filter(keep)]
            offsets = pa.array(np.arange(0, res.keys.size + 1, keyer.bands, dtype=np.int32))
            cols.append(pa.ListArray.from_arrays(offsets, pa.array(res.keys.ravel(), pa.int64())))
            names = ["id", "fetch_time", "keys"]
            if cfg.verify:
                sizes = np.fromiter((len(s) for s in res.hash_sets), dtype=np.int32, count=len(res.hash_sets))
                flat = np.concatenate(res.hash_sets or [np.zeros(0, np.uint32)]).view(np.int32)
                offsets = pa.array(np.concatenate([[0], np.cumsum(sizes)]).astype(np.int32))
                cols.append(pa.ListArray.from_arrays(offsets, pa.array(flat, pa.int32())))
                names.append("shingles")
            yield pa.RecordBatch.from_arrays(cols, names=names)

    return run


def _candidate_edges(sigs: DataFrame, cfg: DedupConfig) -> DataFrame:
    """(src, dst) candidate pairs from shared band keys.

    Every bucket (band, key) is linked as a star to its smallest id: for connected components this
    is equivalent to all pairs, at a cost linear in the bucket size, so a bucket of a million copies
    of a boilerplate page costs a million edges, not 5e11. With ``cfg.verify``, buckets of at most
    ``cfg.max_bucket_pairs`` documents give all their pairs and larger ones their star, and each
    pair is kept only if the exact Jaccard of the two shingle-hash sets reaches ``cfg.threshold``.
    """
    banded = sigs.select("id", F.posexplode("keys").alias("band", "key"))
    bucket = Window.partitionBy("band", "key")
    banded = banded.withColumn("root", F.min("id").over(bucket)).withColumn("n", F.count(F.lit(1)).over(bucket))
    star = banded.filter(F.col("id") != F.col("root")).select(F.col("id").alias("src"), F.col("root").alias("dst"))
    if not cfg.verify:
        return star
    small = banded.filter(F.col("n") <= cfg.max_bucket_pairs).select("id", "band", "key")
    pairs = (
        small.alias("x")
        .join(small.alias("y"), ["band", "key"])
        .filter(F.col("x.id") < F.col("y.id"))
        .select(F.col("y.id").alias("src"), F.col("x.id").alias("dst"))
    )
    big = star.join(banded.filter(F.col("n") > cfg.max_bucket_pairs).select(F.col("id").alias("src")).distinct(), "src")
    cand = pairs.unionByName(big).distinct()
    sh = sigs.select("id", "shingles")
    joined = cand.join(sh.withColumnRenamed("id", "src").withColumnRenamed("shingles", "a"), "src").join(
        sh.withColumnRenamed("id", "dst").withColumnRenamed("shingles", "b"), "dst"
    )
    inter = F.size(F.array_intersect("a", "b"))
    jaccard = inter / (F.size("a") + F.size("b") - inter)
    return joined.filter(jaccard >= F.lit(cfg.threshold)).select("src", "dst")


def minhash_dedup(df: DataFrame, cfg: DedupConfig) -> tuple[DataFrame, dict[str, Any]]:
    """MinHash-LSH near-duplicate removal: reason ``near_duplicate``, ``dup_cluster`` = "near-<16 hex>".

    Signatures and band keys are computed once (checkpointed), candidate edges come from band
    buckets grouped by Spark, clusters are connected components (``jobs.dedup_components``), and
    one survivor per cluster is kept by the module's survivor rule.
    """
    cols = df.columns
    bands, rows = bands_rows(cfg)
    kept, rest = _split(df)
    schema = "id string, fetch_time timestamp, keys array<bigint>" + (", shingles array<int>" if cfg.verify else "")
    sigs = checkpoint(kept.select("id", "fetch_time", "text", "language").mapInArrow(_signature_rows(cfg), schema))
    edges = checkpoint(_candidate_edges(sigs, cfg))
    n_edges = edges.count()
    if n_edges <= cfg.cc_driver_max_edges:
        comps, rounds, cc_method = components_on_driver(edges), 0, "driver"
    else:
        comps, rounds = connected_components(edges, cfg.cc_max_iterations)
        cc_method = "spark"
    ordered = Window.partitionBy("component").orderBy(*survivor_order())
    members = (
        comps.withColumnRenamed("node", "id")
        .join(sigs.select("id", "fetch_time"), "id")
        .withColumn("_rank", F.row_number().over(ordered))
        .withColumn("_survivor", F.first("id").over(ordered))
        .withColumn("_size", F.count(F.lit(1)).over(Window.partitionBy("component")))
        .select("id", "component", "_rank", "_survivor", "_size")
    )
    joined = kept.join(members, "id", "left")
    marked = _mark(
        joined,
        F.col("component").isNotNull(),
        _label("near", F.col("component")),
        F.col("_size"),
        F.col("_rank") > 1,
        "minhash_dedup",
        "near_duplicate",
        F.concat(F.lit("survivor="), F.col("_survivor")),
    )
    extra = {
        "num_perm": cfg.num_perm,
        "bands": bands,
        "rows": rows,
        "scheme": cfg.scheme,
        "hash_function": cfg.hash_function,
        "seed": cfg.seed,
        "threshold": cfg.threshold,
        "verify": cfg.verify,
        "candidate_edges": n_edges,
        "cc_method": cc_method,
        "cc_rounds": rounds,
    }
    return marked.select(cols).unionByName(rest.select(cols)), extra
