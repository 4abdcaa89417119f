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
from pipeline.dedup.minhash import EMPTY_VALUE, MinHasher, sha1_hash32_many
from pipeline.dedup.shingles import shingle_sets, shingle_units
from pipeline.dedup.spanhash import char_shingle_hashes, chunks_by_chars, word_shingle_hashes


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


_Group = tuple[np.ndarray, np.ndarray, np.ndarray]  # document indices, concatenated hashes, counts


class BandKeyer:
    """Band keys for batches of (text, language) with one configuration."""

    def __init__(self, cfg: DedupConfig, max_docs: int = 256) -> None:
        self.cfg, self.max_docs = cfg, max_docs
        self.bands, self.rows = bands_rows(cfg)
        self.hasher = MinHasher(cfg.num_perm, cfg.seed, cfg.scheme)

    def _sha1_groups(self, texts: Sequence[str | None], languages: Sequence[str | None]) -> list[_Group]:
        cfg = self.cfg
        sets = shingle_sets(texts, languages, cfg.word_ngram, cfg.char_ngram, cfg.char_languages)
        counts = np.fromiter((len(s) for s in sets), dtype=np.int64, count=len(sets))
        return [(np.arange(len(texts)), sha1_hash32_many([sh for s in sets for sh in s]), counts)]

    def _poly64_groups(self, texts: Sequence[str | None], languages: Sequence[str | None]) -> list[_Group]:
        """Word-shingled and character-shingled documents as two groups, hashed straight from the
        normalised text (``pipeline.dedup.spanhash``): no shingle string is ever built."""
        cfg = self.cfg
        units = shingle_units(texts, languages, cfg.char_languages)
        norms = [norm for norm, _ in units]
        words = [i for i, (norm, is_char) in enumerate(units) if norm and not is_char]
        chars = [i for i, (_, is_char) in enumerate(units) if is_char]
        groups = []
        for idx, group_texts, n, fn in (
            (words, [norms[i] for i in words], cfg.word_ngram, word_shingle_hashes),
            (chars, [norms[i].replace(" ", "") for i in chars], cfg.char_ngram, char_shingle_hashes),
        ):
            if idx:
                parts = [fn(group_texts[a:b], n) for a, b in chunks_by_chars(group_texts)]
                groups.append(
                    (np.asarray(idx), np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]))
                )
        return groups

    def _signature_chunk(
        self, texts: Sequence[str | None], languages: Sequence[str | None], with_sets: bool
    ) -> tuple[np.ndarray, np.ndarray, list[np.ndarray | None]]:
        if self.cfg.hash_function == "sha1":
            groups = self._sha1_groups(texts, languages)
        else:
            groups = self._poly64_groups(texts, languages)
        sig = np.full((len(texts), self.hasher.num_perm), EMPTY_VALUE, dtype=np.uint32)
        has = np.zeros(len(texts), dtype=bool)
        hash_sets: list[np.ndarray | None] = [None] * len(texts)
        for idx, hashes, counts in groups:
            sig[idx] = self.hasher.signatures_from_hashes(hashes, counts)
            has[idx] = counts > 0
            if with_sets:
                for i, c, e in zip(idx, counts, np.cumsum(counts)):
                    if c:
                        hash_sets[i] = np.unique(hashes[e - c : e])
        return sig, has, hash_sets

    def signatures(self, texts: Sequence[str | None], languages: Sequence[str | None]) -> np.ndarray:
        """(documents x num_perm) uint32 MinHash signatures; datasketch's empty value for empty texts."""
        parts = [
            self._signature_chunk(texts[i : i + self.max_docs], languages[i : i + self.max_docs], False)[0]
            for i in range(0, len(texts), self.max_docs)
        ]
        return np.concatenate(parts) if parts else np.zeros((0, self.hasher.num_perm), np.uint32)

    def _chunk(self, texts: Sequence[str | None], languages: Sequence[str | None], with_sets: bool) -> BatchKeys:
        sig, has, hash_sets = self._signature_chunk(texts, languages, with_sets)
        return BatchKeys(
            has,
            band_keys(sig[has], self.bands, self.rows),
            [hash_sets[i] for i in np.flatnonzero(has)] if with_sets else None,
        )

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
