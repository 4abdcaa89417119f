"""Per-document decisions against an :class:`EvalIndex`, on Arrow batches (engine-agnostic).

A document is contaminated by an eval set when at least ``min_ngrams`` of its n-grams are in that set's
index. In ``remove`` mode the first such set (in the configured order) names the reason,
``eval_overlap:<set>``; the detail names every set hit, the count of shared n-grams and the first one,
e.g. ``test: 41 13-grams, first 'the song was released as the lead single from the album in'``.
Each batch also gets a ``_hits`` column (JSON list of ``[set, ngrams, first n-gram]``) for the stage's
side output and statistics.
"""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa

from pipeline.decontam.index import EvalIndex
from pipeline.decontam.ngrams import text_ngrams

REMOVED_BY = "decontaminate"
REASON_PREFIX = "eval_overlap:"
_DETAIL_CHARS = 160


def document_hits(text: str, language: str | None, index: EvalIndex, cfg) -> list[tuple[str, int, str]]:
    """``[(set name, shared n-grams, first shared n-gram)]`` for sets reaching ``min_ngrams``, in set order."""
    hashes, toks, n, joiner = text_ngrams(text or "", language, cfg.word_ngram, cfg.char_ngram, cfg.char_languages)
    sets = index.lookup(hashes)
    hits = []
    for set_id in np.unique(sets[sets >= 0]):
        where = np.flatnonzero(sets == set_id)
        if len(where) >= cfg.min_ngrams:
            first = joiner.join(toks[where[0] : where[0] + n])
            hits.append((index.names[set_id], int(len(where)), first))
    return hits


def detail(hits: list[tuple[str, int, str]], cfg) -> str:
    parts = [f"{name}: {count} shared n-grams, first '{first[:_DETAIL_CHARS]}'" for name, count, first in hits]
    return "; ".join(parts)


def mark_batch(batch: pa.RecordBatch, index: EvalIndex, cfg) -> pa.RecordBatch:
    """The batch with removal columns set (remove mode) and a ``_hits`` JSON column (both modes)."""
    table = pa.Table.from_batches([batch])
    texts = table.column("text").to_pylist()
    languages = table.column("language").to_pylist()
    columns = {name: table.column(name).to_pylist() for name in ("status", "removed_by", "removed_reason")}
    columns["removed_detail"] = table.column("removed_detail").to_pylist()
    hits_column = []
    for row, (text, language) in enumerate(zip(texts, languages, strict=True)):
        hits = document_hits(text, language, index, cfg) if columns["status"][row] == "kept" else []
        hits_column.append(json.dumps(hits, ensure_ascii=False) if hits else None)
        if hits and cfg.mode == "remove":
            columns["status"][row] = "removed"
            columns["removed_by"][row] = REMOVED_BY
            columns["removed_reason"][row] = REASON_PREFIX + hits[0][0]
            columns["removed_detail"][row] = detail(hits, cfg)
    for name, values in columns.items():
        table = table.set_column(table.schema.get_field_index(name), name, pa.array(values, pa.string()))
    table = table.append_column("_hits", pa.array(hits_column, pa.string()))
    return table.combine_chunks().to_batches()[0] if table.num_rows else pa.RecordBatch.from_pylist([], table.schema)
