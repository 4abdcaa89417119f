"""Training configuration: YAML -> frozen dataclasses, validated before anything is built.

The defaults are nanoGPT's GPT-2 recipe scaled down (AdamW betas 0.9/0.95, weight decay 0.1, peak
learning rate 6e-4 decaying to a tenth of it, gradient clipping at 1.0; Radford et al. 2019 and
Karpathy's nanoGPT ``train.py`` defaults), so a run on a laptop and a run on a GPU differ by shape only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.config import ConfigError, build, deep_merge, load_yaml, parse_overrides, require
from trainer.model import ModelConfig


@dataclass(frozen=True)
class OptimConfig:
    """AdamW with linear warm-up then cosine decay to ``min_lr`` at ``max_steps``."""

    lr: float = 6e-4
    min_lr: float = 6e-5
    warmup_steps: int = 100
    weight_decay: float = 0.1
    beta1: float = 0.9
    beta2: float = 0.95
    grad_clip: float = 1.0


@dataclass(frozen=True)
class SpikeConfig:
    """Loss-spike guard: skip an update whose loss exceeds ``factor`` x the running mean (EMA ``beta``),
    or that is not finite; stop after ``patience`` skips in a row. PaLM (Chowdhery et al. 2022, section 5.1)
    handled spikes by skipping the batches around them; this guard does the skipping automatically."""

    factor: float = 3.0
    patience: int = 10
    warmup_steps: int = 50
    beta: float = 0.98


@dataclass(frozen=True)
class TrainConfig:
    """One training run. ``mix`` is a mixing YAML (:mod:`trainer.mixing`); ``tokenizer`` (optional) is the
    SentencePiece model the shards were made with, needed for bits per byte. ``model.vocab_size`` 0 means
    "take it from the shards". ``peak_flops`` 0 means "look the device up" (MFU is left out when unknown).
    ``precision``: "auto" (bf16 autocast on CUDA, fp32 elsewhere), "bf16" (autocast on any device,
    CPU included) or "fp32". ``fused_adamw``: "auto" (fused kernel on CUDA), "on" or "off"; torch
    has a fused AdamW for CPU too (since 2.4), which is how the CUDA path is exercised without a GPU."""

    out_dir: str = "out/train"
    mix: str = ""
    tokenizer: str | None = None
    model: ModelConfig = field(default_factory=ModelConfig)
    optim: OptimConfig = field(default_factory=OptimConfig)
    spike: SpikeConfig = field(default_factory=SpikeConfig)
    batch_size: int = 8
    grad_accum: int = 1
    max_steps: int = 1000
    holdout_windows: int = 8
    eval_every: int = 0
    eval_batch_size: int = 8
    checkpoint_every: int = 0
    log_every: int = 10
    device: str = "auto"
    compile: bool = False
    precision: str = "auto"
    fused_adamw: str = "auto"
    seed: int = 0
    peak_flops: float = 0.0

    def __post_init__(self) -> None:
        require(bool(self.mix), "mix", "a mixing YAML is required")
        for key, valid in (("precision", ("auto", "bf16", "fp32")), ("fused_adamw", ("auto", "on", "off"))):
            require(
                getattr(self, key) in valid, key, f"{getattr(self, key)!r} is not valid; valid values: {list(valid)}"
            )
        for key in ("batch_size", "grad_accum", "max_steps", "log_every", "eval_batch_size"):
            require(getattr(self, key) > 0, key, f"must be > 0, got {getattr(self, key)}")
        for key in ("holdout_windows", "eval_every", "checkpoint_every"):
            require(getattr(self, key) >= 0, key, f"must be >= 0, got {getattr(self, key)}")
        o = self.optim
        require(math.isfinite(o.lr) and o.lr > 0, "optim.lr", f"must be finite and > 0, got {o.lr}")
        require(0 <= o.min_lr <= o.lr, "optim.min_lr", f"must be in [0, lr={o.lr}], got {o.min_lr}")
        require(
            0 <= o.warmup_steps < self.max_steps,
            "optim.warmup_steps",
            f"must be in [0, max_steps), got {o.warmup_steps}",
        )
        require(self.spike.factor > 1, "spike.factor", f"must be > 1, got {self.spike.factor}")
        require(
            self.device in ("auto", "cpu", "cuda", "mps") or self.device.startswith("cuda:"),
            "device",
            f"{self.device!r} is not valid; valid values: auto, cpu, cuda, cuda:N, mps",
        )

    @property
    def tokens_per_step(self) -> int:
        return self.batch_size * self.grad_accum * self.model.seq_len


def load_train_config(
    path: str | Path | None = None, overrides: list[str] | None = None, data: dict[str, Any] | None = None
) -> TrainConfig:
    """Read YAML (relative ``mix``/``tokenizer`` paths resolve against its folder), apply ``--set`` overrides."""
    raw = dict(data or {})
    if path is not None:
        raw = deep_merge(load_yaml(path), raw)
        base = Path(path).parent
        for key in ("mix", "tokenizer"):
            if raw.get(key) and not Path(raw[key]).is_absolute():
                raw[key] = str(base / raw[key])
    raw = deep_merge(raw, parse_overrides(overrides))
    try:
        return build(TrainConfig, raw)
    except ValueError as exc:
        if isinstance(exc, ConfigError):
            raise
        raise ConfigError(str(exc)) from exc
