"""Reading document texts for tokenizer training and scoring, without Spark.

Accepted inputs: a published documents folder (Parquet, schema v1, partitioned by ``status``; only
``status=kept`` rows are read), a Parquet file, a JSONL file (``{"id"?, "source"?, "text"}`` per
line) or a plain text file (one document; its source is the file's stem).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path

import pyarrow.dataset as ds

from schemas.documents import STATUS_KEPT


def _from_parquet(path: Path) -> Iterator[tuple[str, str, str]]:
    dataset = ds.dataset(str(path), format="parquet", partitioning="hive", exclude_invalid_files=True)
    names = dataset.schema.names
    where = ds.field("status") == STATUS_KEPT if "status" in names else None
    columns = [c for c in ("id", "source", "text") if c in names]
    for batch in dataset.to_batches(columns=columns, filter=where):
        data = batch.to_pydict()
        n = batch.num_rows
        ids, sources = data.get("id", [None] * n), data.get("source", [None] * n)
        for i in range(n):
            if data["text"][i]:
                yield str(ids[i] if ids[i] is not None else i), sources[i] or path.stem, data["text"][i]


def _from_jsonl(path: Path) -> Iterator[tuple[str, str, str]]:
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f):
            if line.strip():
                row = json.loads(line)
                if row.get("text"):
                    yield str(row.get("id", f"{path.stem}:{n}")), row.get("source") or path.stem, row["text"]


def iter_documents(paths: Sequence[str | Path]) -> Iterator[tuple[str, str, str]]:
    """``(id, source, text)`` of every kept document in ``paths``, in a stable order."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir() or path.suffix == ".parquet":
            yield from _from_parquet(path)
        elif path.suffix in (".jsonl", ".json"):
            yield from _from_jsonl(path)
        elif path.is_file():
            yield path.stem, path.stem, path.read_text(encoding="utf-8")
        else:
            raise FileNotFoundError(f"no documents at {path}")


def texts_by_source(paths: Sequence[str | Path]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for _doc_id, source, text in iter_documents(paths):
        out.setdefault(source, []).append(text)
    return out
