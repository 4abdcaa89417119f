"""Stage statistics computed from the written columns (pure pyarrow).

Counters inside steps or Spark accumulators double-count when a task is retried; the written
Parquet files do not. Each file gives a *partial* summary, partials merge by addition, and
``finalize`` turns the merged partial into ``_stats.json``. The engine computes partials in
parallel (one task per file), so the driver only ever holds small dictionaries.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.sketches import K as SKETCH_K
from pipeline.sketches import column_sketches, group_quantiles, merge_bytes
from schemas.documents import PII_TYPES

# 2: quantiles come from merged KLL sketches (pipeline/sketches.py) and carry n/min/max and
# p5/p95; 1 (no "stats_version" key): upper edges of quarter-octave histogram bins.
STATS_VERSION = 2

# Histogram bins (for the report's charts) are quarter-octaves of characters or perplexity, and
# hundredths of a score. Quantiles come from KLL sketches instead (pipeline/sketches.py).
_BINS_PER_OCTAVE = 4
_SCORE_BINS = 100  # scores in [0, 1] use linear bins of 0.01
_HIST_COLUMNS = ("n_chars", "perplexity")
_SCORE_COLUMNS = ("language_score", "quality_score")


def hive_values(relative_path: str) -> dict[str, str]:
    """Partition values encoded in a path like ``status=kept/language=en/part-0.parquet``."""
    values = {}
    for part in relative_path.split("/")[:-1]:
        if "=" in part:
            key, value = part.split("=", 1)
            values[key] = value
    return values


def _counts(array: pa.Array) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in pc.value_counts(array).to_pylist():
        key = "null" if item["values"] is None else str(item["values"])
        out[key] = out.get(key, 0) + item["counts"]
    return out


def _column(table: pa.Table, name: str, partition: dict[str, str]) -> pa.Array | None:
    if name in table.column_names:
        return table.column(name).combine_chunks()
    if name in partition:
        return pa.array([partition[name]] * table.num_rows, pa.string())
    return None


def table_partial(table: pa.Table, partition: dict[str, str] | None = None) -> dict[str, Any]:
    """Partial statistics of one table (one written file)."""
    partition = partition or {}
    status = _column(table, "status", partition)
    out: dict[str, Any] = {"rows": table.num_rows, "counts": {}, "hist": {}, "sums": {}}
    if status is None or table.num_rows == 0:
        return out
    kept_mask = pc.equal(status, "kept")
    keys = {"status": status}
    for name in ("source", "language", "removed_by", "removed_reason", "perplexity_bucket"):
        col = _column(table, name, partition)
        if col is not None:
            keys[name] = col
    combos = [
        ("status",),
        ("source", "status"),
        ("language", "status"),
        ("removed_by", "removed_reason"),
        ("perplexity_bucket", "status"),
    ]
    for combo in combos:
        if all(k in keys for k in combo):
            joined = keys[combo[0]].cast(pa.string()).fill_null("null")
            for k in combo[1:]:
                joined = pc.binary_join_element_wise(joined, keys[k].cast(pa.string()).fill_null("null"), "/")
            if combo == ("removed_by", "removed_reason"):
                joined = pc.filter(joined, pc.invert(kept_mask))
            out["counts"]["/".join(combo)] = _counts(joined)
    out["counts"].update(language_removal_counts(keys, kept_mask))
    kept = table.filter(kept_mask)
    for name in ("n_chars",) + tuple(f"pii_{t}" for t in PII_TYPES):
        if name in kept.column_names:
            out["sums"][f"kept.{name}"] = int(pc.sum(kept.column(name)).as_py() or 0)
    for name in (f"pii_{t}" for t in PII_TYPES):
        if name in table.column_names:  # every row, removed ones too: they are written as well
            column = table.column(name)
            out["sums"][f"all.{name}"] = int(pc.sum(column).as_py() or 0)
            out["sums"][f"docs.{name}"] = int(pc.sum(pc.fill_null(pc.greater(column, 0), False)).as_py() or 0)
    language = keys.get("language", pa.nulls(table.num_rows, pa.string())).cast(pa.string()).fill_null("null")
    group = pc.binary_join_element_wise(language, status.cast(pa.string()), "/")
    for name in _HIST_COLUMNS + _SCORE_COLUMNS:
        if name in table.column_names:
            column = table.column(name).combine_chunks()
            per_group = {}
            for g in pc.unique(group).to_pylist():
                h = _histogram(pc.filter(column, pc.equal(group, g)), linear=name in _SCORE_COLUMNS)
                if h:
                    per_group[g] = h
            out["hist"][name] = per_group
    out["sketch"] = column_sketches(table, group, _HIST_COLUMNS + _SCORE_COLUMNS)
    if "dup_cluster_size" in table.column_names:
        out["hist"]["dup_cluster_size"] = _counts(pc.drop_null(table.column("dup_cluster_size")))
    if "warc_file" in table.column_names:
        out["files"] = _file_outcomes(table)
    return out


def _histogram(column: pa.ChunkedArray, linear: bool) -> dict[str, int]:
    """Counts per bin: hundredths for scores in [0, 1], quarter-octaves for lengths and perplexities."""
    values = pc.drop_null(column).to_numpy(zero_copy_only=False).astype(np.float64)
    values = values[np.isfinite(values)]
    if linear:
        bins = np.clip(np.floor(values * _SCORE_BINS), 0, _SCORE_BINS - 1).astype(np.int64)
    else:
        bins = np.where(values < 1, -1, np.floor(_BINS_PER_OCTAVE * np.log2(np.maximum(values, 1)))).astype(np.int64)
    uniq, counts = np.unique(bins, return_counts=True)
    return {str(int(b)): int(c) for b, c in zip(uniq, counts)}


def _file_outcomes(table: pa.Table) -> dict[str, dict[str, int]]:
    files = table.column("warc_file").to_pylist()
    reasons = (
        table.column("removed_reason").to_pylist() if "removed_reason" in table.column_names else [None] * len(files)
    )
    out: dict[str, dict[str, int]] = {}
    for f, r in zip(files, reasons):
        entry = out.setdefault(
            f or "null", {"records": 0, "warc_read_error": 0, "truncated_record": 0, "read_error": 0}
        )
        entry["records"] += 1
        if r in ("warc_read_error", "truncated_record", "read_error"):  # read_error: JSON Lines / Parquet input
            entry[r] += 1
    return out


def file_partial(path: str, relative_path: str) -> dict[str, Any]:
    """Partial statistics of one Parquet file, reading only the columns the summary needs."""
    wanted = {
        "status",
        "source",
        "language",
        "removed_by",
        "removed_reason",
        "perplexity_bucket",
        "n_chars",
        "perplexity",
        "language_score",
        "quality_score",
        "dup_cluster_size",
        "warc_file",
        *[f"pii_{t}" for t in PII_TYPES],
    }
    names = pq.read_schema(path).names
    table = pq.read_table(path, columns=[n for n in names if n in wanted])
    return table_partial(table, hive_values(relative_path))


def merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Add two partials (all leaves are counts or sums)."""
    out = dict(a)
    for key, value in b.items():
        if key not in out:
            out[key] = value
        elif isinstance(value, dict):
            out[key] = merge(out[key], value)
        elif isinstance(value, bytes):  # a serialized quantile sketch
            out[key] = merge_bytes(out[key], value)
        else:
            out[key] = out[key] + value
    return out


def _pii_counts(sums: dict[str, int]) -> dict[str, dict[str, int]]:
    """Per PII type: redactions in all written documents, documents with at least one, and
    redactions in kept documents (what a privacy review asks for); empty without a PII step."""
    return {
        t: {
            "detections": sums[f"all.pii_{t}"],
            "documents": sums.get(f"docs.pii_{t}", 0),
            "kept_detections": sums.get(f"kept.pii_{t}", 0),
        }
        for t in PII_TYPES
        if f"all.pii_{t}" in sums
    }


def finalize(partial: dict[str, Any]) -> dict[str, Any]:
    """The ``_stats.json`` document: totals, breakdowns and the accounting check."""
    counts = partial.get("counts", {})
    by_status = counts.get("status", {})
    kept, removed = by_status.get("kept", 0), by_status.get("removed", 0)
    stats: dict[str, Any] = {
        "stats_version": STATS_VERSION,
        "rows": partial.get("rows", 0),
        "kept": kept,
        "removed": removed,
        "accounting_ok": partial.get("rows", 0) == kept + removed,
        "removed_by_reason": counts.get("removed_by/removed_reason", {}),
        "by_source": counts.get("source/status", {}),
        "by_language": counts.get("language/status", {}),
        "removed_by_language": counts.get(LANGUAGE_REMOVALS, {}),
        "by_perplexity_bucket": counts.get("perplexity_bucket/status", {}),
        "kept_chars": partial.get("sums", {}).get("kept.n_chars", 0),
        "pii_kept_docs_totals": {t: partial.get("sums", {}).get(f"kept.pii_{t}", 0) for t in PII_TYPES},
        "pii": _pii_counts(partial.get("sums", {})),
        "histograms": partial.get("hist", {}),
        "quantiles_method": f"kll(k={SKETCH_K})",
        "quantiles": {name: group_quantiles(groups) for name, groups in partial.get("sketch", {}).items()},
    }
    if "files" in partial:
        stats["input_files"] = {
            f: {
                **v,
                "outcome": "error"
                if v["warc_read_error"] or v.get("read_error")
                else "truncated"
                if v["truncated_record"]
                else "ok",
            }
            for f, v in sorted(partial["files"].items())
        }
    return stats


# Removals per language, step and reason: the per-language funnel (pipeline.funnel) reads it.
LANGUAGE_REMOVALS = "language/removed_by/removed_reason"


def language_removal_counts(keys: dict[str, pa.Array], kept_mask: pa.Array) -> dict[str, dict[str, int]]:
    """``{LANGUAGE_REMOVALS: {"zh/gopher_quality/gopher_too_few_words": n, ...}}`` over removed rows.

    Separate from the ``removed_by/removed_reason`` totals so a stage's losses can be read per
    language (a step that removes most of one language is invisible in the totals).
    """
    names = LANGUAGE_REMOVALS.split("/")
    if not all(n in keys for n in names):
        return {}
    removed = pc.invert(kept_mask)
    parts = [pc.filter(keys[n], removed).cast(pa.string()).fill_null("null") for n in names]
    joined = pc.binary_join_element_wise(*parts, "/")
    return {LANGUAGE_REMOVALS: _counts(joined)}
