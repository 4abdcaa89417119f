"""Locality-sensitive hashing over MinHash signatures: bands x rows, and one key per band.

Two documents become candidates when all ``rows`` values of at least one of ``bands`` bands agree;
the probability for Jaccard similarity s is 1 - (1 - s^r)^b (Leskovec, Rajaraman, Ullman, *Mining of
Massive Datasets*, ch. 3.4). ``optimal_param`` picks (b, r) as datasketch's MinHashLSH does: the pair
with b * r <= num_perm that minimises the weighted areas of false positives below the threshold and
false negatives above it, so that both tools bucket the same documents together.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

_M1 = np.uint64(0xFF51AFD7ED558CCD)
_M2 = np.uint64(0xC4CEB9FE1A85EC53)
_S33 = np.uint64(33)


def _false_positive_area(threshold: float, b: int, r: int) -> float:
    from scipy.integrate import quad

    return quad(lambda s: 1 - (1 - s ** float(r)) ** float(b), 0.0, threshold)[0]


def _false_negative_area(threshold: float, b: int, r: int) -> float:
    from scipy.integrate import quad

    return quad(lambda s: (1 - s ** float(r)) ** float(b), threshold, 1.0)[0]


@lru_cache(maxsize=64)
def optimal_param(threshold: float, num_perm: int, fp_weight: float = 0.5, fn_weight: float = 0.5) -> tuple[int, int]:
    """(bands, rows) minimising fp_weight * FP area + fn_weight * FN area, first minimum in (b, r) order."""
    best, best_error = (0, 0), float("inf")
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            error = fp_weight * _false_positive_area(threshold, b, r) + fn_weight * _false_negative_area(
                threshold, b, r
            )
            if error < best_error:
                best, best_error = (b, r), error
    return best


def fmix64(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finalizer, element-wise on uint64 (wrap-around intended)."""
    h = h ^ (h >> _S33)
    h = h * _M1
    h = h ^ (h >> _S33)
    h = h * _M2
    return h ^ (h >> _S33)


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """(documents x bands) int64 keys: equal band values give equal keys.

    Band i covers signature columns [i * rows, (i + 1) * rows), as in datasketch. A key chains
    the band's values through fmix64, so different bands collide only with probability ~2^-64,
    which is far below MinHash's own error, and Spark groups 8-byte keys instead of byte strings.
    """
    n = signatures.shape[0]
    values = signatures[:, : bands * rows].astype(np.uint64).reshape(n, bands, rows)
    h = np.full((n, bands), rows, dtype=np.uint64)
    for j in range(rows):
        h = fmix64(h ^ values[:, :, j]) + np.uint64(j + 1)
    return h.view(np.int64)
