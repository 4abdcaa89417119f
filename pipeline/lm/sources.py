"""Reading training / calibration text from files: .txt, .jsonl, Parquet files or directories of them.

- ``.txt`` as ``docs``: documents separated by blank lines, one paragraph per line (the layout of the
  sample's ``reference/<lang>.txt`` and of wikitext dumps); a file without blank lines is one document.
- ``.txt`` as ``lines``: one example per line (blank lines skipped).
  Which of the two a .txt file is cannot be told from the file (a file without blank lines is
  either one document or one example per line), so ``resolve_format`` asks for it.
- ``.jsonl`` / ``.json``: one JSON object per line with a ``text`` field (and optional ``language``).
- ``.parquet`` or a directory: document shards; with a ``status`` column only kept documents count.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds

_WANTED = ("id", "text", "language", "status")
_LANG_STEM = re.compile(r"[a-z]{2,3}")


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


def _iter_lines(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if line.strip():
                yield {"text": line.strip()}


FORMATS = ("auto", "lines", "docs", "jsonl", "parquet")


class AmbiguousFormat(ValueError):
    """The input's layout cannot be told from the file; the user must name it."""


def resolve_format(path: str | Path, fmt: str = "auto") -> str:
    """The format ``path`` is read in: ``fmt`` itself, or for ``auto`` what the suffix says
    (.jsonl/.json, .parquet, a directory of Parquet shards). Plain text (.txt or a directory of
    .txt files) is ambiguous and raises ``AmbiguousFormat`` naming the choices."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {list(FORMATS)}, got {fmt!r}")
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"input not found: {path}")
    if fmt != "auto":
        return fmt
    if path.is_dir():
        if _parquet_files(path):
            return "parquet"
        if any(c.suffix == ".txt" for c in path.iterdir()):
            raise AmbiguousFormat(f"{path}: a directory of .txt files; say --format docs or --format lines")
        return "jsonl"
    if path.suffix in (".jsonl", ".json"):
        return "jsonl"
    if path.suffix == ".parquet":
        return "parquet"
    raise AmbiguousFormat(
        f"{path}: plain text could be one example per line or documents separated by blank lines; "
        "say --format lines or --format docs"
    )


def iter_documents(
    path: str | Path, txt_format: str = "docs", max_files: int | None = None, seed: int = 0
) -> Iterator[dict]:
    """Rows with at least ``text`` from one file or directory (see the module docstring);
    ``txt_format`` (``docs`` or ``lines``) says how .txt files are read. ``max_files``: read only that
    many of a directory's Parquet shards, a seeded random choice (a sample of a large stage output
    without reading all of it; shards of a Spark stage are random slices of its input)."""
    path = Path(path)
    if path.is_dir():
        parquet = _parquet_files(path)
        if max_files is not None and len(parquet) > max_files:
            parquet = sorted(random.Random(seed).sample(parquet, max_files))
        if parquet:
            yield from _iter_parquet(parquet, path)
            return
        # a folder of text files, e.g. make-sample's reference/<lang>.txt
        for child in sorted(path.iterdir()):
            if child.suffix in (".txt", ".jsonl", ".json"):
                # <lang>.txt names its language (make-sample's reference/ layout)
                lang = child.stem if child.suffix == ".txt" and _LANG_STEM.fullmatch(child.stem) else None
                for row in iter_documents(child, txt_format):
                    yield {**row, "language": row.get("language") or lang} if lang else row
    elif path.suffix == ".parquet":
        yield from _iter_parquet([path])
    elif path.suffix in (".jsonl", ".json"):
        yield from _iter_jsonl(path)
    elif path.is_file():
        yield from _iter_lines(path) if txt_format == "lines" else _iter_txt(path)
    else:
        raise FileNotFoundError(f"input not found: {path}")


def iter_texts(sources: Iterable[str | Path] | str | Path) -> Iterator[str]:
    """The texts of every document in ``sources`` (paths), in order."""
    if isinstance(sources, str | Path):
        sources = [sources]
    for source in sources:
        for row in iter_documents(source):
            yield row["text"]


def guess_languages(texts: list[str]) -> list[str]:
    """lid.176's top language per text (the model the ``language_id`` step uses), for inputs
    that carry no language: per-language training and metrics need one."""
    from pipeline.annotate.language import lid_model, normalize_for_lid
    from pipeline.annotate.language_codes import lid176_label

    lines = [normalize_for_lid(t) or "_" for t in texts]
    labels, _probs = lid_model().predict(lines, k=1) if lines else ([], [])
    return [lid176_label(lab[0]) if lab else "und" for lab in labels]


def read_examples(paths: Iterable[str | Path], fmt: str = "auto", lang: str | None = None):
    """``(rows, summary)``: ``(text, language)`` for every example in ``paths``, and per path what
    was read (``{"path", "format", "examples", "languages": {lang: n}}``). The language is the row's
    own (jsonl / Parquet column, ``<lang>.txt`` name), else ``lang``, else lid.176's guess.
    Raises ``AmbiguousFormat`` for plain text without an explicit format."""
    rows, summary = [], []
    for path in paths:
        try:  # a format named for plain text does not change how .jsonl / Parquet inputs are read
            chosen = resolve_format(path, "auto")
        except AmbiguousFormat:
            if fmt not in ("lines", "docs"):
                raise
            chosen = fmt
        txt = chosen if chosen in ("lines", "docs") else "docs"
        got = [(r["text"], r.get("language") or lang) for r in iter_documents(path, txt)]
        missing = [i for i, (_t, g) in enumerate(got) if not g]
        for i, guess in zip(missing, guess_languages([got[i][0] for i in missing])):
            got[i] = (got[i][0], guess)
        counts: dict[str, int] = {}
        for _t, g in got:
            counts[g] = counts.get(g, 0) + 1
        summary.append({"path": str(path), "format": chosen, "examples": len(got), "languages": counts})
        rows += got
    return rows, summary
