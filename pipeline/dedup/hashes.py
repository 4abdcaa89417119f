"""Exact keys: documents by normalised text, URLs by canonical form, lines by normalised content.

xxHash3 is used because these keys only need to be collision-free in practice, not
cryptographic, and it hashes at several GB/s. Document keys are 128 bits: with a billion
documents a 64-bit key would have a ~3 % chance of one false merge (birthday bound n^2 / 2^65),
128 bits make it ~1e-21. Line keys are 64 bits: a rare collision only drops one more line.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa
import xxhash

from pipeline.dedup.normalize import normalize_array
from pipeline.dedup.urls import normalize_url


def _signed64(value: int) -> int:
    # Spark longs are signed.
    return value - (1 << 64) if value >= 1 << 63 else value


def text_keys(texts: Sequence[str | None] | pa.Array) -> list[bytes | None]:
    """16-byte key of each normalised text; None for empty text (nothing to deduplicate)."""
    norm = normalize_array(texts if isinstance(texts, pa.Array) else pa.array(texts, pa.string()))
    return [xxhash.xxh3_128_digest(t.encode("utf-8")) if t else None for t in norm.to_pylist()]


def text_key(text: str | None) -> bytes | None:
    return text_keys([text])[0]


def url_key(url: str | None) -> str | None:
    """The canonical URL itself: exact by construction."""
    return normalize_url(url)


def short_label(key: bytes | str) -> str:
    """16 hex characters naming a cluster (a label only; the full key decides membership)."""
    data = key.encode("utf-8") if isinstance(key, str) else key
    return xxhash.xxh3_64_hexdigest(data)


def line_hashes(lines: Sequence[str]) -> list[int | None]:
    """Signed 64-bit hash of each normalised line (digits -> 0); None for a blank line."""
    if not lines:
        return []
    norm = normalize_array(pa.array(lines, pa.string()), digits_to_zero=True).to_pylist()
    return [_signed64(xxhash.xxh3_64_intdigest(t.encode("utf-8"))) if t else None for t in norm]


def line_hash(line: str) -> int | None:
    return line_hashes([line])[0]


def batch_line_hashes(texts: Sequence[str | None]) -> list[list[int | None]]:
    """Per text, the hash of each of its lines (split on newlines), in one vectorised pass."""
    split = [t.split("\n") if t else [] for t in texts]
    flat = line_hashes([line for lines in split for line in lines])
    out, pos = [], 0
    for lines in split:
        out.append(flat[pos : pos + len(lines)])
        pos += len(lines)
    return out
