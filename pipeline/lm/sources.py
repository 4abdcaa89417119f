"""Reading training / calibration text from files: .txt, .jsonl, Parquet files or directories of them.

- ``.txt``: documents separated by blank lines, one paragraph per line (the layout of the sample's
  ``reference/<lang>.txt`` and of wikitext dumps); a file without blank lines is one document.
- ``.jsonl`` / ``.json``: one JSON object per line with a ``text`` field (and optional ``language``).
- ``.parquet`` or a directory: document shards; with a ``status`` column only kept documents count.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds

_WANTED = ("id", "text", "language", "status")


def _parquet_files(root: Path) -> list[Path]:
    # Stage outputs hold _manifest.json/_SUCCESS and temporary folders beside the shards; skip them.
    return sorted(
        p for p in root.rglob("*.parquet") if not any(part.startswith(("_", ".")) for part in p.relative_to(root).parts)
    )


def _iter_parquet(files: list[Path], root: Path | None = None) -> Iterator[dict]:
    if not files:
        return
    dataset = ds.dataset([str(f) for f in files], format="parquet")
    # Stage outputs keep status and language in the path (status=kept/language=en/...), not in the
    # files: read those back from the path, and only those the files lack.
    missing = [k for k in ("status", "language") if k not in dataset.schema.names]
    if root is not None and missing:
        hive = ds.partitioning(pa.schema([(k, pa.string()) for k in missing]), flavor="hive")
        dataset = ds.dataset([str(f) for f in files], format="parquet", partitioning=hive, partition_base_dir=str(root))
    columns = [c for c in _WANTED if c in dataset.schema.names]
    if "text" not in columns:
        raise ValueError(f"no 'text' column in {files[0]}")
    for batch in dataset.to_batches(columns=columns):
        for row in batch.to_pylist():
            if row.get("status", "kept") == "kept" and row.get("text"):
                yield row


def _iter_jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                raise ValueError(f"{path}:{number}: expected a JSON object with a 'text' string")
            if row.get("status", "kept") == "kept" and row["text"]:
                yield row


def _iter_txt(path: Path) -> Iterator[dict]:
    # Whole documents, not single paragraphs: a classifier trained on paragraphs against whole
    # crawl documents would learn "short means reference".
    block: list[str] = []
    with path.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            text = line.strip()
            if text:
                block.append(text)
            elif block:
                yield {"text": "\n".join(block)}
                block = []
    if block:
        yield {"text": "\n".join(block)}


def iter_documents(path: str | Path) -> Iterator[dict]:
    """Rows with at least ``text`` from one file or directory (see the module docstring)."""
    path = Path(path)
    if path.is_dir():
        parquet = _parquet_files(path)
        if parquet:
            yield from _iter_parquet(parquet, path)
            return
        # a folder of text files, e.g. make-sample's reference/<lang>.txt
        for child in sorted(path.iterdir()):
            if child.suffix in (".txt", ".jsonl", ".json"):
                yield from iter_documents(child)
    elif path.suffix == ".parquet":
        yield from _iter_parquet([path])
    elif path.suffix in (".jsonl", ".json"):
        yield from _iter_jsonl(path)
    elif path.is_file():
        yield from _iter_txt(path)
    else:
        raise FileNotFoundError(f"input not found: {path}")


def iter_texts(sources: Iterable[str | Path] | str | Path) -> Iterator[str]:
    """The texts of every document in ``sources`` (paths), in order."""
    if isinstance(sources, str | Path):
        sources = [sources]
    for source in sources:
        for row in iter_documents(source):
            yield row["text"]
