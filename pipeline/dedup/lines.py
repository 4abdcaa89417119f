"""Line-level dedup on documents: drop the lines whose hash is in the corpus-wide repeated set."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np


def distinct_hashes(hashes: Sequence[int | None]) -> list[int]:
    """The distinct non-blank line hashes of a document: a document counts each line once."""
    return sorted({h for h in hashes if h is not None})


class SortedHashes:
    """A set of int64 line hashes as a sorted array: 8 bytes per hash, where a Python set needs ~60."""

    def __init__(self, values: Iterable[int]) -> None:
        self.values = np.unique(np.fromiter(values, dtype=np.int64))

    def __len__(self) -> int:
        return len(self.values)

    def mask(self, hashes: Sequence[int | None]) -> np.ndarray:
        """One bool per line: True where the line's hash is in the set (blank lines: False)."""
        if not len(self.values) or not hashes:
            return np.zeros(len(hashes), dtype=bool)
        blank = np.fromiter((h is None for h in hashes), dtype=bool, count=len(hashes))
        arr = np.fromiter((0 if h is None else h for h in hashes), dtype=np.int64, count=len(hashes))
        pos = np.minimum(np.searchsorted(self.values, arr), len(self.values) - 1)
        return (self.values[pos] == arr) & ~blank


def remove_lines(text: str, drop: np.ndarray) -> tuple[str, int]:
    """``text`` without the lines flagged in ``drop`` (one bool per newline-separated line).

    Returns (new text, lines removed). Kept lines are left byte-for-byte as they were, so a
    document without a flagged line comes back identical.
    """
    removed = int(drop.sum())
    if not removed:
        return text, 0
    kept = [line for line, d in zip(text.split("\n"), drop) if not d]
    return "\n".join(kept).strip("\n"), removed


def content_chars(text: str) -> int:
    """Characters that are not whitespace: the length measure of ``line_min_chars``."""
    return len("".join(text.split()))
