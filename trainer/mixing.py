"""Weighted mixing of per-source token streams, seeded and exactly resumable.

Each source is packed on its own: its token stream (documents separated by EOS) is cut into
non-overlapping windows of ``seq_len + 1`` tokens starting every ``seq_len`` tokens, so every token is a
target exactly once per epoch. Sources are mixed window by window. Because every window holds the same
number of tokens, a weight is a share of training **tokens**, not of documents (the convention of
torchtitan's and Megatron's blended datasets).

Which source supplies the next window is decided by Sainte-Lague apportionment: the source with the
smallest ``(taken + 0.5) / weight`` goes next. After ``n`` windows every source has supplied within one
window of ``weight * n``, batches interleave sources evenly, and the whole schedule is a pure function
of the counts taken so far. Inside a source, windows are visited in a seeded random permutation per
epoch; a source that runs out starts its next epoch with a fresh permutation, which is how small
high-value sources are repeated. The sampler state is therefore just the per-source counts, and a
resumed run continues with exactly the batches an uninterrupted run would have produced.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.config import ConfigError, load_yaml
from trainer.shards import TokenStream


@dataclass(frozen=True)
class SourceSpec:
    """One source of the mix: where its token shards are, its token share, and its repeat limit."""

    name: str
    path: str
    weight: float
    max_epochs: float | None = None


@dataclass(frozen=True)
class MixSpec:
    """Validated sources with weights normalised to sum to 1."""

    sources: tuple[SourceSpec, ...]
    seed: int = 0

    @property
    def weights(self) -> dict[str, float]:
        return {s.name: s.weight for s in self.sources}


def _check_weight(name: str, value: Any, key: str = "weight") -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"sources.{name}.{key}: expected a number, got {value!r}")
    if not math.isfinite(value) or value <= 0:
        raise ConfigError(f"sources.{name}.{key}: must be finite and > 0, got {value!r}")
    return float(value)


def parse_mix(data: dict[str, Any], base_dir: str | Path = ".") -> MixSpec:
    """Build a :class:`MixSpec` from YAML data: ``{seed, sources: [{name, path, weight, max_epochs}]}``.

    ``path`` defaults to the source name and is relative to ``base_dir`` (the YAML file's folder).
    """
    unknown = sorted(set(data) - {"seed", "sources"})
    if unknown:
        raise ConfigError(f"unknown mix key {unknown[0]!r}; valid keys: ['seed', 'sources']")
    items = data.get("sources")
    if not isinstance(items, list) or not items:
        raise ConfigError("sources: expected a non-empty list of {name, path, weight}")
    specs, seen = [], set()
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"]:
            raise ConfigError(f"sources[{i}]: expected a mapping with a non-empty 'name'")
        name = item["name"]
        extra = sorted(set(item) - {"name", "path", "weight", "max_epochs"})
        if extra:
            raise ConfigError(
                f"sources.{name}: unknown key {extra[0]!r}; valid: ['max_epochs', 'name', 'path', 'weight']"
            )
        if name in seen:
            raise ConfigError(f"sources.{name}: declared twice")
        seen.add(name)
        if "weight" not in item:
            raise ConfigError(f"sources.{name}.weight: missing")
        weight = _check_weight(name, item["weight"])
        max_epochs = None if item.get("max_epochs") is None else _check_weight(name, item["max_epochs"], "max_epochs")
        path = Path(base_dir) / str(item.get("path", name))
        specs.append(SourceSpec(name, str(path), weight, max_epochs))
    total = sum(s.weight for s in specs)
    normalised = tuple(SourceSpec(s.name, s.path, s.weight / total, s.max_epochs) for s in specs)
    seed = data.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ConfigError(f"seed: expected an integer >= 0, got {seed!r}")
    return MixSpec(normalised, seed)


def load_mix(path: str | Path) -> MixSpec:
    return parse_mix(load_yaml(path), Path(path).parent)


class MixedSampler:
    """Draws ``(batch, seq_len + 1)`` windows from several token streams in token-weighted proportions.

    ``holdout_windows`` windows at the end of every source are never drawn: they are that source's
    validation set (see :meth:`holdout`).
    """

    def __init__(
        self,
        streams: dict[str, TokenStream],
        weights: dict[str, float],
        seq_len: int,
        seed: int = 0,
        holdout_windows: int = 0,
    ):
        self.names = list(streams)
        if set(weights) != set(self.names):
            raise ValueError(f"weights for {sorted(weights)} but streams for {sorted(self.names)}")
        self.streams = [streams[n] for n in self.names]
        self.weights = np.array([weights[n] for n in self.names], dtype=np.float64)
        self.seq_len, self.seed, self.holdout_windows = seq_len, seed, holdout_windows
        self.windows = np.array([max(0, (len(s) - 1) // seq_len) for s in self.streams], dtype=np.int64)
        self.train_windows = self.windows - holdout_windows
        short = [n for n, w in zip(self.names, self.train_windows) if w <= 0]
        if short:
            need = (holdout_windows + 1) * seq_len + 1
            have = ", ".join(f"{n}: {len(streams[n])} tokens" for n in short)
            raise ConfigError(
                f"sources too short: {have}; each needs at least {need} tokens "
                f"(model.seq_len={seq_len} x (holdout_windows={holdout_windows} + 1 training window) + 1): "
                "give them more text, lower model.seq_len or holdout_windows, or leave them out of the mix"
            )
        self.taken = np.zeros(len(self.names), dtype=np.int64)
        self._perm_cache: dict[tuple[int, int], np.ndarray] = {}

    @classmethod
    def from_spec(cls, spec: MixSpec, seq_len: int, holdout_windows: int = 0) -> MixedSampler:
        streams = {s.name: TokenStream.from_dir(s.path) for s in spec.sources}
        return cls(streams, spec.weights, seq_len, spec.seed, holdout_windows)

    def _permutation(self, source: int, epoch: int) -> np.ndarray:
        key = (source, epoch)
        if key not in self._perm_cache:
            # Keyed by the source's name, not its position, so reordering the YAML keeps each order.
            name_key = zlib.crc32(self.names[source].encode("utf-8"))
            rng = np.random.default_rng([self.seed, name_key, epoch])
            self._perm_cache = {k: v for k, v in self._perm_cache.items() if k[0] != source}
            self._perm_cache[key] = rng.permutation(int(self.train_windows[source]))
        return self._perm_cache[key]

    def _next_source(self) -> int:
        return int(np.argmin((self.taken + 0.5) / self.weights))

    def next_window(self) -> tuple[int, np.ndarray]:
        source = self._next_source()
        epoch, position = divmod(int(self.taken[source]), int(self.train_windows[source]))
        window = int(self._permutation(source, epoch)[position])
        self.taken[source] += 1
        return source, self.streams[source].read(window * self.seq_len, self.seq_len + 1)

    def next_batch(self, batch_size: int) -> tuple[np.ndarray, np.ndarray]:
        """``(tokens[batch, seq_len + 1] int64, source index per row)``."""
        out = np.empty((batch_size, self.seq_len + 1), dtype=np.int64)
        sources = np.empty(batch_size, dtype=np.int64)
        for row in range(batch_size):
            sources[row], out[row] = self.next_window()
        return out, sources

    def holdout(self, source: str) -> list[np.ndarray]:
        """The held-out validation windows of ``source``, in stream order."""
        s = self.names.index(source)
        first = int(self.train_windows[s])
        return [self.streams[s].read(w * self.seq_len, self.seq_len + 1) for w in range(first, int(self.windows[s]))]

    def state_dict(self) -> dict[str, Any]:
        return {
            "version": 1,
            "names": list(self.names),
            "seed": self.seed,
            "seq_len": self.seq_len,
            "holdout_windows": self.holdout_windows,
            "taken": [int(t) for t in self.taken],
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        mine = self.state_dict()
        for key in ("names", "seed", "seq_len", "holdout_windows"):
            if state[key] != mine[key]:
                raise ValueError(f"sampler state has {key}={state[key]!r}, this sampler {mine[key]!r}")
        self.taken = np.array(state["taken"], dtype=np.int64)

    def plan(self, total_windows: int) -> list[dict[str, Any]]:
        """Per source: windows and tokens a run of ``total_windows`` draws, and how many epochs that is."""
        rows = []
        for i, name in enumerate(self.names):
            share = int(np.ceil(self.weights[i] * total_windows))
            rows.append(
                {
                    "source": name,
                    "weight": round(float(self.weights[i]), 6),
                    "tokens_available": int(self.train_windows[i]) * self.seq_len,
                    "tokens_planned": share * self.seq_len,
                    "epochs": round(share / int(self.train_windows[i]), 3),
                }
            )
        return rows


def check_epochs(plan: Sequence[dict[str, Any]], spec: MixSpec) -> None:
    """Fail before training when a source would be repeated more often than its ``max_epochs`` allows."""
    limits = {s.name: s.max_epochs for s in spec.sources}
    for row in plan:
        limit = limits.get(row["source"])
        if limit is not None and row["epochs"] > limit:
            raise ConfigError(
                f"sources.{row['source']}.max_epochs: the run needs {row['epochs']} epochs of it, "
                f"more than the {limit} allowed; lower its weight or add data"
            )
