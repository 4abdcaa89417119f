"""Builders shared by the trainer tests: token shards from literal ids or text, mixing YAML, tiny configs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import yaml

from trainer.shards import write_shard


def write_ids_source(
    root: Path, name: str, docs: list[list[int]], vocab: int = 100, eos: int = 2, per_shard: int | None = None
) -> Path:
    """A source folder holding ``docs`` (lists of ids), split into shards of ``per_shard`` documents."""
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    per_shard = per_shard or max(len(docs), 1)
    for k, start in enumerate(range(0, len(docs), per_shard)):
        chunk = docs[start : start + per_shard]
        write_shard(
            str(folder / f"part-{k:05d}"),
            chunk,
            vocab,
            eos,
            [f"{name}-{start + i}" for i in range(len(chunk))],
            extra={"source": name},
        )
    return folder


def write_text_source(root: Path, name: str, texts: list[str], sp) -> Path:
    return write_ids_source(root, name, [sp.encode(t) for t in texts], sp.get_piece_size(), sp.eos_id())


def write_mix(root: Path, weights: dict[str, float], seed: int = 0, **extra) -> Path:
    sources = [{"name": n, "weight": w, **extra.get(n, {})} for n, w in weights.items()]
    path = root / "mix.yaml"
    path.write_text(yaml.safe_dump({"seed": seed, "sources": sources}), encoding="utf-8")
    return path


def counting_docs(n_docs: int, length: int, offset: int = 10) -> list[list[int]]:
    """Documents of ids that identify their position, so a window tells where it came from."""
    return [list(np.arange(length) % 80 + offset) for _ in range(n_docs)]


def paragraphs(path: Path, n_chars: int) -> list[str]:
    """Blank-line separated paragraphs from the start of ``path``, about ``n_chars`` characters in all."""
    text = path.read_text(encoding="utf-8")[:n_chars]
    return [p.strip() for p in text.split("\n\n") if p.strip()]
