"""MinHash signatures, bit-identical to ``datasketch.MinHash`` 2.0.0, computed for a batch at once.

Same inputs as datasketch: each shingle (bytes) is hashed with SHA-1, keeping the first 4 bytes as a
little-endian uint32 (datasketch's default ``sha1_hash32``); permutation parameters are drawn from
``numpy.random.RandomState(seed)`` in datasketch's order. Two schemes:

- ``affine32`` (datasketch's default since 2.0.0): h' = fmix32(h) (MurmurHash3 finalizer), then
  a_k * h' + b_k mod 2^32 with a_k odd, in uint32 where wrap-around *is* the modulo.
- ``legacy`` (datasketch < 2.0): (a_k * h + b_k) mod (2^61 - 1), truncated to 32 bits. datasketch
  evaluates a_k * h in uint64, so the product wraps modulo 2^64 before the prime modulo (a_k is up to
  61 bits, h 32 bits); we reproduce that wrap exactly, since bit-identity is the contract.

What makes it fast: datasketch calls a Python hash function per shingle and does a (shingles x
num_perm) numpy pass per document. Here the SHA-1 calls for a whole batch run inside one ``map``
(no Python frame per shingle), and the permutation and the per-document minimum
(``np.minimum.reduceat`` over the concatenated shingles of all documents) are a few numpy calls per
batch. Memory is two arrays of the batch's shingle count plus the signatures; callers bound it by
the batch size.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from operator import methodcaller

import numpy as np

MERSENNE_PRIME = np.uint64((1 << 61) - 1)
MAX_HASH32 = np.uint64((1 << 32) - 1)
EMPTY_VALUE = 0xFFFFFFFF  # datasketch's initial value: the signature of an empty set

_DIGEST = methodcaller("digest")


def sha1_hash32_many(shingles: Sequence[bytes]) -> np.ndarray:
    """``datasketch.hashfunc.sha1_hash32`` of every item, as a uint32 array."""
    if not shingles:
        return np.zeros(0, dtype=np.uint32)
    digests = b"".join(map(_DIGEST, map(hashlib.sha1, shingles)))
    # A SHA-1 digest is 20 bytes = 5 little-endian uint32 words; the first is sha1_hash32.
    return np.frombuffer(digests, dtype="<u4").reshape(-1, 5)[:, 0].astype(np.uint32)


def fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (a bijection), element-wise, wrapping in uint32."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def permutations(num_perm: int, seed: int, scheme: str = "affine32") -> tuple[np.ndarray, np.ndarray]:
    """(a, b) exactly as datasketch 2.0.0 draws them from ``RandomState(seed)``."""
    gen = np.random.RandomState(seed)
    if scheme == "legacy":
        # One (a, b) pair per permutation, drawn alternately.
        pairs = [
            (gen.randint(1, MERSENNE_PRIME, dtype=np.uint64), gen.randint(0, MERSENNE_PRIME, dtype=np.uint64))
            for _ in range(num_perm)
        ]
        return np.array([p[0] for p in pairs], np.uint64), np.array([p[1] for p in pairs], np.uint64)
    if scheme != "affine32":
        raise ValueError(f"scheme={scheme!r}: valid values are ['affine32', 'legacy']")
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


class MinHasher:
    """Signatures of many shingle sets at once; one instance per (num_perm, seed, scheme)."""

    def __init__(self, num_perm: int = 128, seed: int = 1, scheme: str = "affine32") -> None:
        self.num_perm, self.seed, self.scheme = num_perm, seed, scheme
        self.a, self.b = permutations(num_perm, seed, scheme)

    def _column_minima(self, hashes: np.ndarray, starts: np.ndarray) -> np.ndarray:
        """(num_perm x documents) minima; one permutation at a time over the whole batch, into reused
        buffers: a 1-D reduceat over contiguous values is much faster than a 2-D block."""
        out = np.empty((self.num_perm, len(starts)), dtype=np.uint32)
        if self.scheme == "legacy":
            hv, tmp = hashes.astype(np.uint64), np.empty(len(hashes), np.uint64)
            for k in range(self.num_perm):
                np.multiply(hv, self.a[k], out=tmp)  # wraps modulo 2^64, as datasketch's uint64 product does
                np.add(tmp, self.b[k], out=tmp)
                np.remainder(tmp, MERSENNE_PRIME, out=tmp)
                out[k] = np.minimum.reduceat(tmp & MAX_HASH32, starts)
            return out
        mixed, tmp = fmix32(hashes), np.empty(len(hashes), np.uint32)
        for k in range(self.num_perm):
            np.multiply(mixed, self.a[k], out=tmp)
            np.add(tmp, self.b[k], out=tmp)
            out[k] = np.minimum.reduceat(tmp, starts)
        return out

    def signatures_from_hashes(self, hashes: np.ndarray, counts: np.ndarray) -> np.ndarray:
        """(documents x num_perm) uint32 signatures from the concatenated shingle hashes of documents
        with ``counts[i]`` shingles each; a document without shingles gets datasketch's empty value."""
        counts = np.asarray(counts, dtype=np.int64)
        out = np.full((len(counts), self.num_perm), EMPTY_VALUE, dtype=np.uint32)
        nonempty = counts > 0
        if nonempty.any():
            starts = (np.cumsum(counts) - counts)[nonempty]
            out[nonempty] = self._column_minima(hashes, starts).T
        return out

    def signatures(self, shingle_sets: Sequence[Sequence[bytes]]) -> np.ndarray:
        """(documents x num_perm) uint32 signatures of the given shingle sets."""
        counts = np.fromiter((len(s) for s in shingle_sets), dtype=np.int64, count=len(shingle_sets))
        flat = [sh for s in shingle_sets for sh in s]
        return self.signatures_from_hashes(sha1_hash32_many(flat), counts)


def sha1_hash32(data: bytes) -> int:
    """One shingle's ``sha1_hash32``: the first 4 bytes of its SHA-1 digest, little-endian."""
    return int.from_bytes(hashlib.sha1(data).digest()[:4], "little")


def hash32_function(name: str):
    """The per-shingle function named by ``DedupConfig.hash_function``, for ``datasketch.MinHash(hashfunc=...)``."""
    from pipeline.dedup.spanhash import poly64_hash32

    return {"sha1": sha1_hash32, "poly64": poly64_hash32}[name]
