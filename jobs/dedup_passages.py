"""Passage-level dedup on Spark: spans of consecutive sentences shared by several documents.

The idea of datatrove's sentence dedup and Dolma's paragraph dedup (written here from their
descriptions): a span of ``passage_sentences`` consecutive sentences (``pipeline.dedup.passages``)
that occurs in more than one kept document is removed from every one of them but the survivor.

Plan, every step distributed and bounded per executor:

1. ``mapInArrow`` turns each document into rows (id, fetch_time, span position, char offsets, 64-bit
   span key): a few dozen bytes per span, never the text.
2. ``groupBy(key)`` with partial aggregation finds, per key, the survivor (the project's rule:
   latest ``fetch_time``, then smallest id) and whether the key is in two or more documents
   (smallest id != largest id). A key repeated inside one document only is left alone.
3. The span rows are joined with the shared keys on the key (a shuffle); every span row of a
   non-survivor is a removal. Removals are grouped by document id and joined back to the
   documents (a shuffle by id), and a second ``mapInArrow`` cuts the covered sentences out.

Nothing is collected on the driver but a handful of counts. A document that loses passages and keeps
fewer than ``passage_min_chars`` non-space characters is removed (``passage_dedup_too_short``) with
its first removed span and survivor in ``removed_detail``; every removed span of every document is
written to the stage output's ``_passage_removals/`` table (id, survivor, sentence and character
range, key), so each cut is explained.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow as pa
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from jobs.dedup_components import checkpoint
from jobs.dedup_lib import _split
from pipeline.dedup.config import DedupConfig
from pipeline.dedup.lines import content_chars
from pipeline.dedup.passages import batch_spans, covered_sentences, remove_sentences
from schemas.documents import STATUS_REMOVED

SPAN_SCHEMA = "id string, fetch_time timestamp, pos int, char_start int, char_end int, h long"
_LATEST_FIRST = 2**63 - 1  # sort key of a missing fetch_time: after every real one


def _span_rows(cfg: DedupConfig):
    n = cfg.passage_sentences

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            docs = batch_spans(batch.column("text").to_pylist(), n, cfg.passage_min_span_chars)
            ids, times = batch.column("id").to_pylist(), batch.column("fetch_time")
            rows: dict[str, list] = {k: [] for k in ("doc", "pos", "char_start", "char_end", "h")}
            for d, spans in enumerate(docs):
                for k, key in enumerate(spans.keys):
                    if key is not None:
                        rows["doc"].append(d)
                        rows["pos"].append(k)
                        rows["char_start"].append(spans.sentences[k][0])
                        rows["char_end"].append(spans.sentences[k + n - 1][1])
                        rows["h"].append(key)
            take = pa.array(rows.pop("doc"), pa.int32())
            arrays = [pa.array([ids[i] for i in take.to_pylist()], pa.string()), times.take(take)]
            arrays += [pa.array(rows[c], pa.int32()) for c in ("pos", "char_start", "char_end")]
            arrays.append(pa.array(rows["h"], pa.int64()))
            yield pa.RecordBatch.from_arrays(arrays, names=["id", "fetch_time", "pos", "char_start", "char_end", "h"])

    return run


def _rewrite(cfg: DedupConfig):
    """mapInArrow: cut the spans listed in ``_drop`` (pos, survivor) out of each document."""
    n, min_chars = cfg.passage_sentences, cfg.passage_min_chars

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            texts, drops = batch.column("text").to_pylist(), batch.column("_drop").to_pylist()
            todo = [i for i, d in enumerate(drops) if d]
            spans = dict(zip(todo, batch_spans([texts[i] for i in todo], n, cfg.passage_min_span_chars)))
            new_texts, short = list(texts), [None] * len(texts)
            for i in todo:
                found = sorted((d["pos"], d["survivor"]) for d in drops[i])
                doc = spans[i]
                flags = covered_sentences([p for p, _ in found], n, len(doc.sentences))
                new_texts[i] = remove_sentences(texts[i], doc.sentences, flags)
                chars = content_chars(new_texts[i])
                if chars < min_chars:
                    pos, survivor = found[0]
                    short[i] = (
                        f"chars={chars}<{min_chars} after {len(found)} copied passages; "
                        f"first: sentences {pos}-{pos + n - 1} survivor={survivor}"
                    )
            yield _apply(batch, new_texts, short)

    return run


def _apply(batch: pa.RecordBatch, texts: list, short: list) -> pa.RecordBatch:
    cols = {name: batch.column(name) for name in batch.schema.names if name != "_drop"}
    old = cols["text"].to_pylist()
    cols["text"] = pa.array(texts, cols["text"].type)
    n_chars = [len(t) if t != o else c for t, o, c in zip(texts, old, cols["n_chars"].to_pylist())]
    cols["n_chars"] = pa.array(n_chars, cols["n_chars"].type)
    for name, value in (("status", STATUS_REMOVED), ("removed_by", "passage_dedup")):
        cols[name] = pa.array([value if s else o for s, o in zip(short, cols[name].to_pylist())], cols[name].type)
    reason = cols["removed_reason"].to_pylist()
    cols["removed_reason"] = pa.array([("passage_dedup_too_short" if s else o) for s, o in zip(short, reason)])
    detail = cols["removed_detail"].to_pylist()
    cols["removed_detail"] = pa.array([s if s else o for s, o in zip(short, detail)], pa.string())
    return pa.RecordBatch.from_arrays(list(cols.values()), names=list(cols))


def passage_dedup(df: DataFrame, cfg: DedupConfig) -> tuple[DataFrame, dict[str, Any]]:
    """Remove passages shared by several kept documents from all but the survivor (module docstring).

    Returns the documents and ``extra`` with the counts for the manifest and, under ``"_log"``, the
    removal table (a DataFrame, written beside the shards; not part of the manifest).
    """
    cols, schema = df.columns, df.schema
    kept, rest = _split(df)
    spans = checkpoint(kept.select("id", "fetch_time", "text").mapInArrow(_span_rows(cfg), SPAN_SCHEMA))
    order = F.struct(F.coalesce(-F.unix_micros("fetch_time"), F.lit(_LATEST_FIRST)).alias("t"), F.col("id").alias("id"))
    per_key = spans.groupBy("h").agg(
        F.min(order).alias("first"), F.min("id").alias("lo"), F.max("id").alias("hi"), F.count(F.lit(1)).alias("n")
    )
    shared = per_key.filter(F.col("lo") != F.col("hi")).select("h", F.col("first.id").alias("survivor"), "n")
    removals = checkpoint(
        spans.join(shared, "h")
        .filter(F.col("id") != F.col("survivor"))
        .select(
            "id",
            "survivor",
            F.col("pos").alias("sentence_start"),
            (F.col("pos") + cfg.passage_sentences - 1).alias("sentence_end"),
            "char_start",
            "char_end",
            F.col("h").alias("span_key"),
            F.col("n").alias("span_occurrences"),
        )
    )
    drops = removals.groupBy("id").agg(
        F.collect_list(F.struct(F.col("sentence_start").alias("pos"), "survivor")).alias("_drop")
    )
    out = kept.join(drops, "id", "left").select(*cols, "_drop").mapInArrow(_rewrite(cfg), schema)
    counts = removals.agg(F.count(F.lit(1)).alias("spans"), F.countDistinct("id").alias("docs")).first()
    extra = {
        "passage_sentences": cfg.passage_sentences,
        "passage_spans_keyed": spans.count(),
        "passage_spans_removed": int(counts["spans"]),
        "passage_documents_cut": int(counts["docs"]),
        "passage_log": "_passage_removals",
        "_log": removals,
    }
    return out.select(cols).unionByName(rest.select(cols)), extra
