"""JSON Lines input, so documents from other tools can enter the filter and dedup stages.

Each line is one JSON object with at least ``text`` (string); ``id`` is kept when given (as a
string), else made from ``file:line``. Other schema-v1 columns (``url``, ``source``,
``language`` ...) are taken when present; other keys are ignored. Every line becomes one row, so
a bad line is a removed row (``bad_json``, ``missing_text``) rather than a lost one, and a ``.gz`` file
that ends early or holds corrupt data gives, after the lines it could read, one removed row
(``read_error``) standing for the rest of the file.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import zlib
from collections.abc import Iterator
from typing import Any

from schemas.documents import DOCUMENT_COLUMNS, STATUS_KEPT, STATUS_REMOVED, empty_row

READER = "read_jsonl"
_TAKEN = set(DOCUMENT_COLUMNS) - {"status", "removed_by", "removed_reason", "removed_detail", "n_chars", "fetch_time"}


def _open(path: str) -> io.TextIOBase:
    raw = open(path, "rb")  # noqa: SIM115 - wrapped and closed by the caller's context
    if path.endswith(".gz"):
        raw = gzip.GzipFile(fileobj=raw)
    return io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="\n")


def _line_id(path: str, line_no: int) -> str:
    return hashlib.sha1(f"{os.path.basename(path)}:{line_no}".encode()).hexdigest()[:32]


def parse_line(line: str, path: str, line_no: int, source: str) -> dict[str, Any]:
    row = empty_row()
    row.update(id=_line_id(path, line_no), source=source, warc_file=path, warc_offset=line_no, status=STATUS_KEPT)
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        row.update(status=STATUS_REMOVED, removed_by=READER, removed_reason="bad_json", removed_detail=exc.msg)
        return row
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        row.update(
            status=STATUS_REMOVED,
            removed_by=READER,
            removed_reason="missing_text",
            removed_detail="no string field 'text'",
        )
        return row
    for key in _TAKEN & set(record):
        row[key] = record[key]
    if record.get("id") is not None:
        row["id"] = str(record["id"])
    row["n_chars"] = len(record["text"])
    return row


def read_jsonl_documents(path: str, source: str = "jsonl") -> Iterator[dict[str, Any]]:
    """One row per non-empty line of ``path`` (``.jsonl`` or ``.jsonl.gz``), then one ``read_error``
    row if the rest of the file could not be read (a cut or corrupt gzip stream)."""
    line_no = 0
    with _open(path) as f:
        try:
            for line_no, line in enumerate(f, start=1):
                if line.strip():
                    yield parse_line(line, path, line_no, source)
        except (EOFError, OSError, zlib.error) as exc:  # gzip: cut short, bad header or CRC, bad deflate data
            detail = f"rest of the file after line {line_no} unreadable: {type(exc).__name__}: {exc}"
            yield read_error_row(path, line_no + 1, source, READER, detail)


def read_error_row(path: str, row_no: int, source: str, reader: str, detail: str) -> dict[str, Any]:
    """A removed ``read_error`` row standing for what ``reader`` could not read of ``path`` from row
    (or line) ``row_no`` on; its id is the one a document there without an id would get."""
    row = empty_row()
    row.update(
        id=_line_id(path, row_no),
        source=source,
        warc_file=path,
        warc_offset=row_no,
        status=STATUS_REMOVED,
        removed_by=reader,
        removed_reason="read_error",
        removed_detail=detail,
    )
    return row
