"""JSON Lines input: a .jsonl.gz that is cut short or corrupt gives the lines it could read and one
``read_error`` row for the rest of the file, instead of failing the job (or losing the file)."""

from __future__ import annotations

import gzip
import json

import pytest

from pipeline.io.jsonl import read_jsonl_documents

LINES = [json.dumps({"id": f"d{i}", "text": f"document number {i} " * 20}) for i in range(300)]


def _gz(tmp_path, data: bytes):
    path = tmp_path / "docs.jsonl.gz"
    path.write_bytes(data)
    return list(read_jsonl_documents(str(path)))


def test_a_whole_file_has_one_row_per_line_and_no_error(tmp_path):
    rows = _gz(tmp_path, gzip.compress(("\n".join(LINES) + "\n").encode()))
    assert [r["id"] for r in rows] == [f"d{i}" for i in range(300)]
    assert all(r["status"] == "kept" for r in rows)


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.999])
def test_a_cut_file_keeps_the_lines_read_then_one_error_row(tmp_path, keep):
    data = gzip.compress(("\n".join(LINES) + "\n").encode())
    rows = _gz(tmp_path, data[: int(len(data) * keep)])
    *read, last = rows
    assert [r["id"] for r in read] == [f"d{i}" for i in range(len(read))]  # in order, none skipped
    assert all(r["status"] == "kept" for r in read) and len(read) <= 300  # 0.999: only the trailer is gone
    assert (last["status"], last["removed_by"], last["removed_reason"]) == ("removed", "read_jsonl", "read_error")
    assert f"after line {len(read)}" in last["removed_detail"] and "EOFError" in last["removed_detail"]
    assert last["warc_offset"] == len(read) + 1 and last["id"] not in {r["id"] for r in read}


def test_corrupt_and_non_gzip_files_end_in_an_error_row(tmp_path):
    data = bytearray(gzip.compress(("\n".join(LINES) + "\n").encode()))
    data[-6] ^= 0xFF  # the CRC of the member
    rows = _gz(tmp_path, bytes(data))
    assert rows[-1]["removed_reason"] == "read_error" and "CRC" in rows[-1]["removed_detail"]
    rows = _gz(tmp_path, b"plain text, not gzip\n")
    assert len(rows) == 1 and rows[0]["removed_reason"] == "read_error" and "after line 0" in rows[0]["removed_detail"]
