"""``poly64``: a shingle hash that is a plain function of the shingle's bytes, yet computed for every
shingle of a batch with a handful of numpy passes and no Python call per shingle.

Definition, for a shingle of bytes s_0 .. s_{L-1} (the same UTF-8 bytes the shingler hands to
datasketch, see ``pipeline.dedup.shingles``)::

    h   = sum_i (s_i + 1) * P^(L-1-i)   mod 2^64      (a polynomial hash, Horner's rule)
    out = fmix64(h) >> 32                               (MurmurHash3's 64-bit finaliser, top 32 bits)

``poly64_hash32(data)`` is that definition in plain Python: pass it to ``datasketch.MinHash(hashfunc=...)``
and datasketch gives bit-identical signatures (a test pins this). The +1 keeps a leading NUL byte
from vanishing; the finaliser spreads the polynomial's low-entropy bits over the 32 kept ones.

Why it is fast: the shingles of a normalised text are contiguous byte spans of it (word n-grams of a
text whose words are separated by exactly one space; character n-grams of the text with its spaces
removed). With Q = P^-1 mod 2^64 (P is odd, so it is invertible) and the prefix sums
S[k] = sum_{i<k} (b_i + 1) * Q^i, the polynomial of the span [a, e) is (S[e] - S[a]) * P^(e-1): one
cumulative sum over the batch's bytes, then two gathers and a multiply per shingle, all wrapping
uint64 arithmetic. Cost is a few numpy passes per byte of text plus a few per shingle, against one
SHA-1 call from the interpreter per shingle for datasketch's default ``sha1_hash32``.

The price is the usual one of a non-cryptographic hash: collisions are only as rare as a good 32-bit
hash makes them (the same 32 bits datasketch keeps from SHA-1), and an adversary could craft them.
Dedup of crawled text does not need more; ``hash_function="sha1"`` remains available for parity
with datasketch's default hash.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

MASK64 = (1 << 64) - 1
POLY_P = 0x9E3779B97F4A7C15  # odd (2^64 / golden ratio); any odd constant is a valid choice
POLY_Q = pow(POLY_P, -1, 1 << 64)
_C1, _C2 = 0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53  # MurmurHash3 fmix64 constants

# Characters hashed per call (1-4 bytes each): the prefix arrays cost ~25 bytes per byte of text.
MAX_CHUNK_CHARS = 4 << 20


def _fmix64_int(h: int) -> int:
    h ^= h >> 33
    h = (h * _C1) & MASK64
    h ^= h >> 33
    h = (h * _C2) & MASK64
    return h ^ (h >> 33)


def poly64_hash32(data: bytes) -> int:
    """The reference definition, one shingle at a time (slow; for datasketch and tests)."""
    h = 0
    for byte in data:
        h = (h * POLY_P + byte + 1) & MASK64
    return _fmix64_int(h) >> 32


def fmix64(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(_C1)
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(_C2)
    return h ^ (h >> np.uint64(33))


class _Powers:
    """P^i and Q^i for i < n as uint64, grown on demand and reused across calls (per process)."""

    def __init__(self) -> None:
        self.p = np.ones(1, np.uint64)
        self.q = np.ones(1, np.uint64)

    def upto(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        if n > len(self.p):
            size = max(n, 2 * len(self.p))
            self.p, self.q = self._powers(POLY_P, size), self._powers(POLY_Q, size)
        return self.p[:n], self.q[:n]

    @staticmethod
    def _powers(base: int, size: int) -> np.ndarray:
        factors = np.full(size, base, dtype=np.uint64)
        factors[0] = 1
        with np.errstate(over="ignore"):
            return np.cumprod(factors, dtype=np.uint64)  # wraps modulo 2^64


_POWERS = _Powers()


def span_hashes(buf: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """``poly64_hash32`` of every byte span ``buf[starts[k]:ends[k]]`` (non-empty spans), as uint32."""
    n = len(buf)
    pw, qw = _POWERS.upto(n)
    prefix = np.empty(n + 1, np.uint64)
    prefix[0] = 0
    with np.errstate(over="ignore"):
        np.cumsum((buf.astype(np.uint64) + np.uint64(1)) * qw, out=prefix[1:])
        h = (prefix[ends] - prefix[starts]) * pw[ends - 1]
        return (fmix64(h) >> np.uint64(32)).astype(np.uint32)


def _token_shingles(
    buf: np.ndarray, tok_start: np.ndarray, tok_end: np.ndarray, tok_doc: np.ndarray, docs: int, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of the n-token shingles of each document (in document order) and their count per
    document. A document with at most n tokens has one shingle, its whole text (as the shingler does)."""
    per_doc = np.bincount(tok_doc, minlength=docs)
    first = np.cumsum(per_doc) - per_doc
    last = first + per_doc - 1
    t = np.arange(len(tok_start))
    d = tok_doc
    end_tok = np.minimum(t + n - 1, last[d])
    valid = (t + n - 1 <= last[d]) | (t == first[d])
    starts, ends = tok_start[valid], tok_end[end_tok[valid]]
    return span_hashes(buf, starts, ends), np.bincount(d[valid], minlength=docs)


def word_shingle_hashes(norms: Sequence[str], n: int) -> tuple[np.ndarray, np.ndarray]:
    """(hashes, counts) of the word n-grams of non-empty normalised texts (single spaces, trimmed).

    Within a document the same shingle may appear twice: a MinHash minimum does not care, and the
    verification path takes distinct values itself.
    """
    buf = np.frombuffer("\n".join(norms).encode("utf-8"), np.uint8)
    seps = np.flatnonzero((buf == 32) | (buf == 10))
    tok_start = np.concatenate([[0], seps + 1])
    tok_end = np.concatenate([seps, [len(buf)]])
    tok_doc = np.concatenate([[0], np.cumsum(buf[seps] == 10)])
    return _token_shingles(buf, tok_start, tok_end, tok_doc, len(norms), n)


def char_shingle_hashes(compact: Sequence[str], n: int) -> tuple[np.ndarray, np.ndarray]:
    """(hashes, counts) of the character n-grams of non-empty texts without spaces."""
    buf = np.frombuffer("\n".join(compact).encode("utf-8"), np.uint8)
    lead = np.flatnonzero((buf & 0xC0) != 0x80)  # first byte of every UTF-8 character, separators too
    bounds = np.concatenate([lead, [len(buf)]])
    is_char = buf[lead] != 10
    tok_start, tok_end = lead[is_char], bounds[1:][is_char]
    tok_doc = np.cumsum(buf[lead] == 10)[is_char]
    return _token_shingles(buf, tok_start, tok_end, tok_doc, len(compact), n)


def chunks_by_chars(texts: Sequence[str], limit: int = MAX_CHUNK_CHARS) -> list[tuple[int, int]]:
    """[start, end) ranges of ``texts`` of at most ``limit`` characters each (a longer text alone)."""
    out, start, size = [], 0, 0
    for i, t in enumerate(texts):
        if size and size + len(t) > limit:
            out.append((start, i))
            start, size = i, 0
        size += len(t) + 1
    if start < len(texts):
        out.append((start, len(texts)))
    return out
