"""Token shards: a flat integer array, an index of document boundaries, and a small JSON header.

One shard is three files sharing a stem:

- ``<stem>.bin``: every document's token ids followed by one EOS id, concatenated; ``uint16`` when the
  vocabulary fits in 16 bits (the common case up to 65,536 pieces, halving disk and page-cache use),
  else ``uint32``. Little-endian, no header, so ``np.memmap`` reads it without copying.
- ``<stem>.idx``: ``int64`` offsets, ``n_docs + 1`` of them: document ``i`` is ``bin[idx[i]:idx[i+1]]``
  (its trailing EOS included) and the last entry is the total token count.
- ``<stem>.json``: format version, dtype, vocabulary size, EOS id, counts and document ids.

This module has no torch import: Spark workers write shards with it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.io.publish import filesystem

SHARD_FORMAT = "corpus-token-shard"
SHARD_VERSION = 1


def dtype_for_vocab(vocab_size: int) -> np.dtype:
    """The narrowest unsigned dtype holding every id of a vocabulary of ``vocab_size`` pieces."""
    if vocab_size <= 0:
        raise ValueError(f"vocab_size must be > 0, got {vocab_size}")
    return np.dtype("<u2") if vocab_size <= 1 << 16 else np.dtype("<u4")


def write_shard(
    stem: str,
    docs: Sequence[Sequence[int]],
    vocab_size: int,
    eos_id: int,
    doc_ids: Sequence[str] | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Write one shard (``stem`` may be a local path or a pyarrow filesystem URI); returns its header."""
    dtype = dtype_for_vocab(vocab_size)
    lengths = np.fromiter((len(d) + 1 for d in docs), dtype=np.int64, count=len(docs))
    offsets = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    flat = np.empty(int(offsets[-1]), dtype=dtype)
    for i, doc in enumerate(docs):
        start, end = offsets[i], offsets[i + 1]
        ids = np.asarray(doc, dtype=np.int64)
        if ids.size and (ids.min() < 0 or ids.max() >= vocab_size):
            raise ValueError(f"token id out of range [0, {vocab_size}) in document {i}")
        flat[start : end - 1] = ids
        flat[end - 1] = eos_id
    header = {
        "format": SHARD_FORMAT,
        "version": SHARD_VERSION,
        "dtype": dtype.name,
        "vocab_size": vocab_size,
        "eos_id": eos_id,
        "n_docs": len(docs),
        "n_tokens": int(offsets[-1]),
        "doc_ids": list(doc_ids) if doc_ids is not None else None,
        **(extra or {}),
    }
    fs, path = filesystem(stem)
    fs.create_dir(path.rsplit("/", 1)[0], recursive=True)
    for suffix, payload in (
        (".bin", flat.tobytes()),
        (".idx", offsets.astype("<i8").tobytes()),
        (".json", json.dumps(header, ensure_ascii=False).encode("utf-8")),
    ):
        with fs.open_output_stream(path + suffix) as f:
            f.write(payload)
    return header


@dataclass
class Shard:
    """A memory-mapped shard; nothing is read until a slice is taken."""

    stem: Path

    @cached_property
    def header(self) -> dict[str, Any]:
        header = json.loads(self.stem.with_suffix(".json").read_text(encoding="utf-8"))
        if header.get("format") != SHARD_FORMAT or header.get("version") != SHARD_VERSION:
            raise ValueError(f"{self.stem}: not a {SHARD_FORMAT} v{SHARD_VERSION} shard")
        return header

    @cached_property
    def tokens(self) -> np.ndarray:
        if self.header["n_tokens"] == 0:
            return np.zeros(0, dtype=self.header["dtype"])
        return np.memmap(self.stem.with_suffix(".bin"), dtype=self.header["dtype"], mode="r")

    @cached_property
    def offsets(self) -> np.ndarray:
        return np.fromfile(self.stem.with_suffix(".idx"), dtype="<i8")

    def __len__(self) -> int:
        return int(self.header["n_docs"])

    def document(self, i: int) -> np.ndarray:
        """Tokens of document ``i`` without its trailing EOS."""
        return np.asarray(self.tokens[self.offsets[i] : self.offsets[i + 1] - 1])


def list_shards(directory: str | Path) -> list[Shard]:
    """Shards directly under ``directory``, sorted by name (the order the tokenize stage wrote them)."""
    stems = sorted(p.with_suffix("") for p in Path(directory).glob("*.json") if p.with_suffix(".bin").exists())
    return [Shard(s) for s in stems]


class TokenStream:
    """The shards of one source seen as one concatenated token array (documents separated by EOS).

    Reads cross shard boundaries transparently, so packing never wastes the tail of a shard.
    """

    def __init__(self, shards: Sequence[Shard]):
        self.shards = [s for s in shards if s.header["n_tokens"] > 0]
        sizes = np.array([s.header["n_tokens"] for s in self.shards], dtype=np.int64)
        self.starts = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        headers = [s.header for s in self.shards]
        self.vocab_size = max((h["vocab_size"] for h in headers), default=0)
        self.eos_id = headers[0]["eos_id"] if headers else None

    @classmethod
    def from_dir(cls, directory: str | Path) -> TokenStream:
        shards = list_shards(directory)
        if not shards:
            raise FileNotFoundError(f"no token shards (*.bin + *.json) under {directory}")
        return cls(shards)

    def __len__(self) -> int:
        return int(self.starts[-1])

    def read(self, start: int, length: int) -> np.ndarray:
        """``length`` tokens from global position ``start`` as int64."""
        if start < 0 or start + length > len(self):
            raise IndexError(f"read [{start}, {start + length}) outside stream of {len(self)} tokens")
        out = np.empty(length, dtype=np.int64)
        filled = 0
        k = int(np.searchsorted(self.starts, start, side="right")) - 1
        while filled < length:
            local = start + filled - int(self.starts[k])
            take = min(length - filled, int(self.starts[k + 1] - self.starts[k]) - local)
            out[filled : filled + take] = self.shards[k].tokens[local : local + take]
            filled += take
            k += 1
        return out
