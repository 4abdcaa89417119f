"""Parquet input from other tools (a Hugging Face dataset shard, datatrove's or Dolma's output ...).

Any Parquet file with a string column ``text`` is accepted; ``id`` is kept when present (cast to a
string), else made from ``file:row``. Other columns that share a name with a schema-v1 column
(``url``, ``source``, ``language`` ...) are taken when their values fit; all others are ignored.
As for JSON Lines (``pipeline.io.jsonl``), every row becomes one document, so a row whose text is
missing is a removed document (``missing_text``) rather than a lost one, and a file without a
``text`` column fails with its path named.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow.parquet as pq

from pipeline.io.jsonl import READER, _line_id
from schemas.documents import STATUS_KEPT, STATUS_REMOVED, empty_row

PARQUET_SUFFIXES = (".parquet", ".pq")
_TAKEN = ("source", "url", "domain", "crawl", "title", "language", "language_score", "quality_score")


def is_parquet(path: str) -> bool:
    return path.endswith(PARQUET_SUFFIXES)


def _row(record: dict[str, Any], path: str, row_no: int, source: str) -> dict[str, Any]:
    row = empty_row()
    row.update(id=_line_id(path, row_no), source=source, warc_file=path, warc_offset=row_no, status=STATUS_KEPT)
    for key in _TAKEN:
        value = record.get(key)
        if value is not None and isinstance(value, (str, float, int)) and not isinstance(value, bool):
            row[key] = value if key not in ("language_score", "quality_score") else float(value)
    if record.get("id") is not None:
        row["id"] = str(record["id"])
    text = record.get("text")
    if not isinstance(text, str):
        row.update(status=STATUS_REMOVED, removed_by=READER, removed_reason="missing_text", removed_detail="null text")
        return row
    row["text"], row["n_chars"] = text, len(text)
    return row


def read_parquet_documents(path: str, source: str = "parquet", batch_rows: int = 1024) -> Iterator[dict[str, Any]]:
    """One document row per Parquet row of ``path``, read ``batch_rows`` at a time."""
    pf = pq.ParquetFile(path)
    names = pf.schema_arrow.names
    if "text" not in names:
        raise ValueError(f"{path}: no column 'text' (columns: {names[:20]})")
    wanted = [c for c in names if c in ("id", "text", *_TAKEN)]
    row_no = 0
    for batch in pf.iter_batches(batch_size=batch_rows, columns=wanted):
        for record in batch.to_pylist():
            row_no += 1
            yield _row(record, path, row_no, source)
