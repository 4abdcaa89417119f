"""The evaluation-set index: every n-gram hash of every evaluation passage, as sorted numpy arrays.

Evaluation sets are files: plain text (one passage per non-empty line, as wikitext and most benchmark
dumps are laid out) or JSONL (``.jsonl``/``.json``: the string fields named in ``text_fields`` of each
line). ``<unk>`` markers (wikitext's out-of-vocabulary token) split a passage: an n-gram never spans
one, since the page text has the real word there.

The index is built once on the driver and broadcast to the workers (``jobs/decontaminate.py``); it
costs 9 bytes per n-gram (int64 hash + uint8 set id). ``max_ngrams`` bounds it (default 50 million
n-grams, 450 MB): wikitext-2's test set is about 240,000 13-grams (2 MB); the whole of a typical
benchmark suite (MMLU, HellaSwag, GSM8K, HumanEval ...) a few million. Past the limit the build
fails with a configuration error rather than overload every executor.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.decontam.ngrams import text_ngrams


@dataclass(frozen=True)
class EvalIndex:
    names: tuple[str, ...]  # eval set names; ``set_ids`` index into it
    hashes: np.ndarray  # int64, sorted, unique per (hash, set)
    set_ids: np.ndarray  # uint8, parallel to hashes
    passages: tuple[int, ...]  # passages read per set
    ngrams: tuple[int, ...]  # distinct n-grams per set

    def lookup(self, query: np.ndarray) -> np.ndarray:
        """For each query hash, the set id it belongs to, or -1 (first set when several share it)."""
        if len(self.hashes) == 0 or len(query) == 0:
            return np.full(len(query), -1, dtype=np.int16)
        pos = np.searchsorted(self.hashes, query)
        pos = np.minimum(pos, len(self.hashes) - 1)
        found = self.hashes[pos] == query
        return np.where(found, self.set_ids[pos].astype(np.int16), np.int16(-1))

    @property
    def nbytes(self) -> int:
        return int(self.hashes.nbytes + self.set_ids.nbytes)


def set_name(spec: str) -> tuple[str, str]:
    """``name=path`` or ``path`` (the name is then the file name without its extensions) -> (name, path)."""
    if "=" in spec and not Path(spec).exists():
        name, path = spec.split("=", 1)
        return name.strip(), path.strip()
    return Path(spec).name.split(".")[0], spec


def read_passages(path: str, text_fields: tuple[str, ...]) -> list[str]:
    """Passages of one evaluation file (see the module docstring for the formats)."""
    file = Path(path)
    lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
    if file.suffix not in (".jsonl", ".json"):
        return [line for line in lines if line.strip()]
    out = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{number}: not JSON ({exc.msg})") from exc
        out += [record[f] for f in text_fields if isinstance(record, dict) and isinstance(record.get(f), str)]
    return out


def build_index(specs, word_n: int, char_n: int, text_fields=("text",), max_ngrams: int = 50_000_000) -> EvalIndex:
    names, all_hashes, all_ids, passages, counts = [], [], [], [], []
    for set_id, spec in enumerate(specs):
        name, path = set_name(spec)
        chunks = []
        texts = read_passages(path, tuple(text_fields))
        for text in texts:
            for piece in text.split("<unk>"):
                chunks.append(text_ngrams(piece, None, word_n, char_n)[0])
        unique = np.unique(np.concatenate(chunks)) if chunks else np.empty(0, dtype=np.int64)
        names.append(name)
        passages.append(len(texts))
        counts.append(len(unique))
        all_hashes.append(unique)
        all_ids.append(np.full(len(unique), set_id, dtype=np.uint8))
        if sum(counts) > max_ngrams:
            raise ValueError(f"eval sets hold more than max_index_ngrams={max_ngrams} n-grams (at {name})")
    hashes = np.concatenate(all_hashes) if all_hashes else np.empty(0, dtype=np.int64)
    ids = np.concatenate(all_ids) if all_ids else np.empty(0, dtype=np.uint8)
    order = np.argsort(hashes, kind="stable")
    return EvalIndex(tuple(names), hashes[order], ids[order], tuple(passages), tuple(counts))
