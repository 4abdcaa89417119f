"""Tokenize stage: ``status=kept`` documents -> per-source token shards (see :mod:`trainer.shards`).

Documents are hash-partitioned by source and sorted by id inside each partition, so each task
writes the documents of a source contiguously, and the same input, tokenizer and partition count
give byte-identical shards. Each task writes its shards straight to the output folder (through
``pyarrow.fs``, so HDFS and object stores work too) and returns one summary row per shard; the
driver adds the rows up into the manifest. Token counts therefore come from what was written.

The SentencePiece model travels to the workers as bytes inside the task closure: one file of a few
hundred kilobytes, loaded once per worker process.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.fs as pafs
from pyspark import TaskContext
from pyspark.sql import SparkSession

from pipeline.engines.spark import read_documents
from pipeline.io.publish import filesystem, write_json
from trainer.shards import dtype_for_vocab, write_shard
from trainer.tokenizer import load, load_cached

TOKEN_MANIFEST = "tokens.json"
# 2^27 tokens is 256 MiB of uint16: big enough to keep file counts low, small enough to mmap anywhere.
DEFAULT_SHARD_TOKENS = 1 << 27
_SUMMARY = pa.schema(
    [
        ("source", pa.string()),
        ("dir", pa.string()),
        ("shard", pa.string()),
        ("n_docs", pa.int64()),
        ("n_tokens", pa.int64()),
        ("n_chars", pa.int64()),
        ("n_bytes", pa.int64()),
    ]
)
_SUMMARY_DDL = "source string, dir string, shard string, n_docs long, n_tokens long, n_chars long, n_bytes long"


def source_dir(source: str) -> str:
    """A folder name for a source: unsafe characters become ``_`` and a short hash keeps names distinct."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", source)
    return safe if safe == source else f"{safe}-{hashlib.sha1(source.encode()).hexdigest()[:8]}"


class _ShardBuffer:
    """Documents of one source waiting to be written as one shard by one task."""

    def __init__(self, output: str, partition: int, vocab: int, eos: int):
        self.output, self.partition, self.vocab, self.eos = output, partition, vocab, eos
        self.source, self.part, self.rows = None, 0, []
        self.clear()

    def clear(self) -> None:
        self.docs, self.ids, self.chars, self.bytes, self.tokens = [], [], 0, 0, 0

    def add(self, source: str, doc_id: str, text: str, tokens: list[int]) -> None:
        if source != self.source:
            self.flush()
            self.source, self.part = source, 0
        self.docs.append(tokens)
        self.ids.append(doc_id)
        self.chars += len(text)
        self.bytes += len(text.encode("utf-8"))
        self.tokens += len(tokens) + 1

    def flush(self) -> None:
        if not self.docs:
            return
        folder = source_dir(self.source)
        name = f"part-{self.partition:05d}-{self.part:03d}"
        header = write_shard(
            f"{self.output}/{folder}/{name}",
            self.docs,
            self.vocab,
            self.eos,
            self.ids,
            extra={"source": self.source, "n_chars": self.chars, "n_bytes": self.bytes},
        )
        self.rows.append(
            {
                "source": self.source,
                "dir": folder,
                "shard": name,
                "n_docs": header["n_docs"],
                "n_tokens": header["n_tokens"],
                "n_chars": self.chars,
                "n_bytes": self.bytes,
            }
        )
        self.part += 1
        self.clear()


def _writer(output: str, model_bytes: bytes, shard_tokens: int):
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        sp = load_cached(model_bytes)
        buffer = _ShardBuffer(output, TaskContext.get().partitionId(), sp.get_piece_size(), sp.eos_id())
        for batch in batches:
            texts = [t or "" for t in batch.column("text").to_pylist()]
            for source, doc_id, text, tokens in zip(
                batch.column("source").to_pylist(), batch.column("id").to_pylist(), texts, sp.encode(texts)
            ):
                buffer.add(source, doc_id, text, tokens)
                if buffer.tokens >= shard_tokens:
                    buffer.flush()
        buffer.flush()
        if buffer.rows:
            yield pa.RecordBatch.from_pylist(buffer.rows, schema=_SUMMARY)

    return run


def _manifest(rows: list[dict[str, Any]], tokenizer_model: str, model_bytes: bytes) -> dict[str, Any]:
    sp = load(model_bytes)
    sources: dict[str, dict[str, Any]] = {}
    for row in sorted(rows, key=lambda r: (r["source"], r["shard"])):
        entry = sources.setdefault(
            row["source"], {"dir": row["dir"], "shards": [], "n_docs": 0, "n_tokens": 0, "n_chars": 0, "n_bytes": 0}
        )
        entry["shards"].append(row["shard"])
        for key in ("n_docs", "n_tokens", "n_chars", "n_bytes"):
            entry[key] += row[key]
    for entry in sources.values():
        entry["tokens_per_char"] = round(entry["n_tokens"] / max(entry["n_chars"], 1), 4)
    totals = {k: sum(e[k] for e in sources.values()) for k in ("n_docs", "n_tokens", "n_chars", "n_bytes")}
    return {
        "format": "corpus-token-shards",
        "version": 1,
        "tokenizer": {
            "path": str(tokenizer_model),
            "sha256": hashlib.sha256(model_bytes).hexdigest(),
            "vocab_size": sp.get_piece_size(),
            "eos_id": sp.eos_id(),
        },
        "dtype": dtype_for_vocab(sp.get_piece_size()).name,
        "sources": sources,
        "totals": totals,
    }


def tokenize_documents(
    spark: SparkSession,
    input_dir: str,
    output_dir: str,
    tokenizer_model: str,
    partitions: int | None = None,
    shard_tokens: int = DEFAULT_SHARD_TOKENS,
) -> dict[str, Any]:
    """Tokenize the kept documents under ``input_dir`` into ``output_dir/<source>/part-*.{bin,idx,json}``.

    Writes ``output_dir/tokens.json`` (tokenizer fingerprint, per-source documents, tokens, characters,
    bytes and shard names) and returns it. ``output_dir`` must be absent or empty: a stage replaces its
    output as a whole (the caller publishes it atomically), it never appends to it.
    """
    fs, out_path = filesystem(output_dir)
    info = fs.get_file_info(out_path)
    if info.type == pafs.FileType.Directory and fs.get_file_info(pafs.FileSelector(out_path)):
        raise FileExistsError(f"{output_dir} is not empty; tokenize into a fresh folder")
    fs.create_dir(out_path, recursive=True)
    model_bytes = Path(tokenizer_model).read_bytes()
    docs = read_documents(spark, input_dir, status="kept").select("id", "source", "text").fillna({"source": "unknown"})
    n = partitions or spark.sparkContext.defaultParallelism
    ordered = docs.repartition(n, "source").sortWithinPartitions("source", "id")
    rows = [
        r.asDict()
        for r in ordered.mapInArrow(_writer(output_dir.rstrip("/"), model_bytes, shard_tokens), _SUMMARY_DDL).collect()
    ]
    manifest = _manifest(rows, tokenizer_model, model_bytes)
    write_json(fs, f"{out_path}/{TOKEN_MANIFEST}", manifest)
    return manifest
