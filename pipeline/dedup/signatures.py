"""From a batch of documents to LSH band keys (and, for verification, shingle-hash sets).

This is the per-batch work that Spark runs inside ``mapInArrow``; it is pure so that tests and
benchmarks call it directly. Memory per call is bounded by ``max_docs`` documents at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pipeline.dedup.config import DedupConfig
from pipeline.dedup.lsh import band_keys, optimal_param
from pipeline.dedup.minhash import MinHasher, sha1_hash32_many
from pipeline.dedup.shingles import shingle_sets


def bands_rows(cfg: DedupConfig) -> tuple[int, int]:
    """Explicit (bands, rows) if configured, else datasketch MinHashLSH's choice for the threshold."""
    if cfg.bands is not None:
        return cfg.bands, cfg.rows
    return optimal_param(cfg.threshold, cfg.num_perm, 0.5, 0.5)


@dataclass
class BatchKeys:
    """Band keys of the documents that have shingles (``has_shingles``), in input order."""

    has_shingles: np.ndarray  # bool, one per input document
    keys: np.ndarray  # int64 (documents with shingles x bands)
    hash_sets: list[np.ndarray] | None  # sorted distinct uint32 shingle hashes, when asked for


class BandKeyer:
    """Band keys for batches of (text, language) with one configuration."""

    def __init__(self, cfg: DedupConfig, max_docs: int = 256) -> None:
        self.cfg, self.max_docs = cfg, max_docs
        self.bands, self.rows = bands_rows(cfg)
        self.hasher = MinHasher(cfg.num_perm, cfg.seed, cfg.scheme)

    def _chunk(self, texts: Sequence[str | None], languages: Sequence[str | None], with_sets: bool) -> BatchKeys:
        cfg = self.cfg
        sets = shingle_sets(texts, languages, cfg.word_ngram, cfg.char_ngram, cfg.char_languages)
        counts = np.fromiter((len(s) for s in sets), dtype=np.int64, count=len(sets))
        hashes = sha1_hash32_many([sh for s in sets for sh in s])
        nonempty = counts > 0
        sig = self.hasher.signatures_from_hashes(hashes, counts)[nonempty]
        hash_sets = None
        if with_sets:
            bounds = np.cumsum(counts)
            hash_sets = [np.unique(hashes[e - c : e]) for c, e in zip(counts, bounds) if c]
        return BatchKeys(nonempty, band_keys(sig, self.bands, self.rows), hash_sets)

    def keys(self, texts: Sequence[str | None], languages: Sequence[str | None], with_sets: bool = False) -> BatchKeys:
        parts = [
            self._chunk(texts[i : i + self.max_docs], languages[i : i + self.max_docs], with_sets)
            for i in range(0, len(texts), self.max_docs)
        ]
        if not parts:
            return BatchKeys(np.zeros(0, bool), np.zeros((0, self.bands), np.int64), [] if with_sets else None)
        return BatchKeys(
            np.concatenate([p.has_shingles for p in parts]),
            np.concatenate([p.keys for p in parts]),
            [s for p in parts for s in p.hash_sets] if with_sets else None,
        )
