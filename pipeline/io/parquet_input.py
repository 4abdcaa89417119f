"""Parquet input from other tools (a Hugging Face dataset shard, datatrove's or Dolma's output ...).

Any Parquet file with a string column ``text`` is accepted; ``id`` is kept when present (cast to a
string), else made from ``file:row``. Other columns that share a name with a schema-v1 column
(``url``, ``source``, ``language`` ...) are taken when their values fit; all others are ignored.
As for JSON Lines (``pipeline.io.jsonl``), every row becomes one document, so a row whose text is
missing is a removed document (``missing_text``) rather than a lost one, and a file without a
``text`` column fails with its path named.

Bad files do not fail the job and lose nothing that can be counted (``read_error``, removed by
``read_parquet``): a file whose footer cannot be read (cut short, not Parquet, empty) gives one row
standing for the whole file, since its row count is in that footer; a row group that cannot be
decoded (a corrupt page) gives the rows read before the fault and one removed row for each row the
footer says the group holds after it, so the rows in equal the rows out. Row groups are read one at a
time, so a fault in one does not take the next with it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.io.jsonl import _line_id, read_error_row
from schemas.documents import STATUS_KEPT, STATUS_REMOVED, empty_row

READER = "read_parquet"
PARQUET_SUFFIXES = (".parquet", ".pq")
# What pyarrow raises for a damaged file: ArrowInvalid / ArrowIOError (also ValueError / OSError
# subclasses), OSError for an undecodable page header, UnicodeDecodeError for bytes that are no UTF-8.
_READ_ERRORS = (pa.ArrowException, OSError, ValueError)
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


def _fault(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {str(exc).strip()[:300]}"


def read_parquet_documents(path: str, source: str = "parquet", batch_rows: int = 1024) -> Iterator[dict[str, Any]]:
    """One document row per Parquet row of ``path``, read ``batch_rows`` at a time, one row group
    after the other; ``read_error`` rows for what cannot be read (see the module docstring)."""
    try:
        pf = pq.ParquetFile(path)
        names = pf.schema_arrow.names
        groups = [pf.metadata.row_group(g).num_rows for g in range(pf.metadata.num_row_groups)]
    except _READ_ERRORS as exc:
        yield read_error_row(
            path, 1, source, READER, f"file unreadable, rows unknown (no readable footer): {_fault(exc)}"
        )
        return
    if "text" not in names:
        raise ValueError(f"{path}: no column 'text' (columns: {names[:20]})")
    wanted = [c for c in names if c in ("id", "text", *_TAKEN)]
    row_no = 0
    for group, n_rows in enumerate(groups):
        end = row_no + n_rows
        batches = pf.iter_batches(batch_size=batch_rows, row_groups=[group], columns=wanted)
        while True:
            try:
                batch = next(batches, None)
                records = None if batch is None else batch.to_pylist()
            except _READ_ERRORS as exc:
                detail = (
                    f"row group {group} (rows {end - n_rows + 1}-{end}) unreadable from row {row_no + 1}: {_fault(exc)}"
                )
                for lost in range(row_no + 1, end + 1):
                    yield read_error_row(path, lost, source, READER, detail)
                row_no = end
                break
            if records is None:
                break
            for record in records:
                row_no += 1
                yield _row(record, path, row_no, source)
