"""The training loop: AdamW, warm-up + cosine schedule, clipping, accumulation, spike guard, exact resume.

A checkpoint holds the model, the optimiser, the sampler's counts, the spike guard and the step, and
it is written atomically (temporary file + rename), so a run killed at any moment resumes from its
last checkpoint and then sees exactly the batches, and computes exactly the updates, of a run that
was never interrupted (on a deterministic device; CUDA kernels may differ in the last bits).
"""

from __future__ import annotations

import json
import math
import os
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import torch

from pipeline.config import to_dict
from trainer.config import OptimConfig, SpikeConfig, TrainConfig
from trainer.evaluate import evaluate_sources
from trainer.mixing import MixedSampler, check_epochs, load_mix
from trainer.model import ModelConfig, build_model, flops_per_token

# Dense bf16 tensor-core peaks from the vendors' data sheets (FLOP/s), for MFU.
PEAK_BF16 = {"H100": 989e12, "H200": 989e12, "A100": 312e12, "L4": 121e12, "A10": 125e12, "4090": 165e12}
CHECKPOINT = "checkpoint.pt"


def pick_device(name: str) -> torch.device:
    if name != "auto":
        return torch.device(name)
    if torch.cuda.is_available():
        return torch.device("cuda")
    return torch.device("cpu")


def peak_flops(device: torch.device, configured: float) -> float:
    if configured > 0 or device.type != "cuda":
        return configured
    gpu = torch.cuda.get_device_name(device)
    return next((v for k, v in PEAK_BF16.items() if k in gpu), 0.0)


def lr_at(step: int, cfg: OptimConfig, max_steps: int) -> float:
    """Linear warm-up over ``warmup_steps``, then cosine decay from ``lr`` to ``min_lr`` at ``max_steps``."""
    if step < cfg.warmup_steps:
        return cfg.lr * (step + 1) / cfg.warmup_steps
    progress = min(1.0, (step - cfg.warmup_steps) / max(1, max_steps - cfg.warmup_steps))
    return cfg.min_lr + 0.5 * (1 + math.cos(math.pi * progress)) * (cfg.lr - cfg.min_lr)


class SpikeGuard:
    """Accepts or rejects each step's loss; see :class:`trainer.config.SpikeConfig` for the rule."""

    def __init__(self, cfg: SpikeConfig):
        self.cfg, self.mean, self.seen, self.in_a_row, self.skipped = cfg, None, 0, 0, 0

    def accept(self, loss: float) -> bool:
        spike = not math.isfinite(loss) or (
            self.seen >= self.cfg.warmup_steps and self.mean is not None and loss > self.cfg.factor * self.mean
        )
        if spike:
            self.in_a_row += 1
            self.skipped += 1
            if self.in_a_row > self.cfg.patience:
                raise RuntimeError(
                    f"loss spiked {self.in_a_row} steps in a row (last {loss:.4g}, running mean "
                    f"{self.mean:.4g}); resume from an earlier checkpoint with a lower learning rate"
                )
            return False
        self.in_a_row = 0
        self.seen += 1
        self.mean = loss if self.mean is None else self.cfg.beta * self.mean + (1 - self.cfg.beta) * loss
        return True

    def state_dict(self) -> dict[str, Any]:
        return {"mean": self.mean, "seen": self.seen, "in_a_row": self.in_a_row, "skipped": self.skipped}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.mean, self.seen, self.in_a_row, self.skipped = (state[k] for k in ("mean", "seen", "in_a_row", "skipped"))


def make_optimizer(
    model: torch.nn.Module, cfg: OptimConfig, device: torch.device, fused: str = "auto"
) -> torch.optim.AdamW:
    """Decay matrices only: decaying norm gains pulls them towards 0 for no benefit (nanoGPT does the same).
    ``fused``: "auto" uses the fused kernel on CUDA only; "on" / "off" force it (CPU has one too)."""
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    groups = [{"params": decay, "weight_decay": cfg.weight_decay}, {"params": no_decay, "weight_decay": 0.0}]
    return torch.optim.AdamW(
        groups,
        lr=cfg.lr,
        betas=(cfg.beta1, cfg.beta2),
        fused=fused == "on" or (fused == "auto" and device.type == "cuda"),
    )


def save_atomic(payload: dict[str, Any], path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    torch.save(payload, tmp)
    os.replace(tmp, path)


class Trainer:
    """Builds sampler, model and optimiser from a :class:`TrainConfig`; :meth:`run` trains and logs."""

    def __init__(self, cfg: TrainConfig, resume: bool = True, verbose: bool = True):
        self.cfg, self.verbose = cfg, verbose
        self.out = Path(cfg.out_dir)
        self.out.mkdir(parents=True, exist_ok=True)
        self.device = pick_device(cfg.device)
        mix = load_mix(cfg.mix)
        self.sampler = MixedSampler.from_spec(mix, cfg.model.seq_len, cfg.holdout_windows)
        self.plan = self.sampler.plan(cfg.max_steps * cfg.batch_size * cfg.grad_accum)
        check_epochs(self.plan, mix)
        vocab = cfg.model.vocab_size or max(s.vocab_size for s in self.sampler.streams)
        self.model_cfg = ModelConfig(**{**asdict(cfg.model), "vocab_size": vocab})
        torch.manual_seed(cfg.seed)
        self.model = build_model(self.model_cfg, verbose=verbose).to(self.device)
        self.forward = torch.compile(self.model) if cfg.compile else self.model
        self.optimizer = make_optimizer(self.model, cfg.optim, self.device, cfg.fused_adamw)
        self.guard = SpikeGuard(cfg.spike)
        self.step, self.tokens_seen = 0, 0
        self._pending: tuple[dict[str, Any], torch.Tensor] | None = None
        self.autocast = cfg.precision == "bf16" or (cfg.precision == "auto" and self.device.type == "cuda")
        self.flops_per_token = flops_per_token(self.model_cfg, self.model.n_parameters())
        self.peak = peak_flops(self.device, cfg.peak_flops)
        self.byte_table = None
        if cfg.tokenizer:
            from trainer.tokenizer import load, token_bytes

            self.byte_table = token_bytes(load(cfg.tokenizer))
        if resume and (self.out / CHECKPOINT).exists():
            self.load(self.out / CHECKPOINT)
        self.log({"event": "plan", "step": self.step, "sources": self.plan, "parameters": self.model.n_parameters()})

    def log(self, record: dict[str, Any]) -> None:
        with open(self.out / "log.jsonl", "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")
        if self.verbose:
            print(json.dumps(record), flush=True)

    def state(self) -> dict[str, Any]:
        return {
            "model": self.model.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "sampler": self._pending[0] if self._pending else self.sampler.state_dict(),
            "guard": self.guard.state_dict(),
            "step": self.step,
            "tokens_seen": self.tokens_seen,
            "model_config": asdict(self.model_cfg),
            "config": to_dict(self.cfg),
        }

    def save(self) -> Path:
        path = self.out / CHECKPOINT
        save_atomic(self.state(), path)
        return path

    def load(self, path: Path) -> None:
        payload = torch.load(path, map_location=self.device, weights_only=False)
        if payload["model_config"] != asdict(self.model_cfg):
            raise ValueError(
                f"{path} holds a model of shape {payload['model_config']}, config asks {asdict(self.model_cfg)}"
            )
        self.model.load_state_dict(payload["model"])
        self.optimizer.load_state_dict(payload["optimizer"])
        self.sampler.load_state_dict(payload["sampler"])
        self._pending = None
        self.guard.load_state_dict(payload["guard"])
        self.step, self.tokens_seen = payload["step"], payload["tokens_seen"]

    def train_step(self) -> dict[str, Any]:
        """One optimiser step over ``grad_accum`` micro-batches; returns loss, grad norm and whether it applied."""
        cfg = self.cfg
        lr = lr_at(self.step, cfg.optim, cfg.max_steps)
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        total = torch.zeros((), device=self.device)
        for _ in range(cfg.grad_accum):
            tokens = (self._pending or self._fetch())[1]
            with torch.autocast(self.device.type, dtype=torch.bfloat16, enabled=self.autocast):
                logits = self.forward(tokens[:, :-1])
                loss = torch.nn.functional.cross_entropy(logits.float().flatten(0, 1), tokens[:, 1:].flatten())
            (loss / cfg.grad_accum).backward()
            # Kernels run asynchronously: preparing the next batch now overlaps it with this one's compute.
            self._pending = self._fetch()
            total += loss.detach() / cfg.grad_accum
        norm = torch.nn.utils.clip_grad_norm_(self.model.parameters(), cfg.optim.grad_clip)
        loss_value = float(total)
        applied = math.isfinite(float(norm)) and self.guard.accept(loss_value)
        if applied:
            self.optimizer.step()
        self.optimizer.zero_grad(set_to_none=True)
        self.step += 1
        self.tokens_seen += cfg.tokens_per_step
        return {"loss": loss_value, "grad_norm": float(norm), "lr": lr, "applied": applied}

    def _fetch(self) -> tuple[dict[str, Any], torch.Tensor]:
        """The sampler state before drawing the next batch, and that batch on the device."""
        state = self.sampler.state_dict()
        batch = torch.from_numpy(self.sampler.next_batch(self.cfg.batch_size)[0])
        if self.device.type == "cuda":
            batch = batch.pin_memory()
        return state, batch.to(self.device, non_blocking=True)

    def evaluate(self) -> dict[str, Any]:
        windows = {name: self.sampler.holdout(name) for name in self.sampler.names}
        return evaluate_sources(
            self.model, windows, self.device, self.byte_table, self.cfg.eval_batch_size, self.autocast
        )

    def run(self, stop_at: int | None = None) -> dict[str, Any]:
        """Train until ``max_steps`` (or ``stop_at``, to simulate an interruption); returns a summary."""
        cfg, end = self.cfg, min(stop_at or self.cfg.max_steps, self.cfg.max_steps)
        losses: list[float] = []
        window_losses, window_seconds, window_tokens = [], 0.0, 0
        while self.step < end:
            began = time.perf_counter()
            out = self.train_step()
            losses.append(out["loss"])  # float() inside train_step waits for the device
            window_seconds += time.perf_counter() - began
            window_losses.append(out["loss"])
            window_tokens += cfg.tokens_per_step
            if self.step % cfg.log_every == 0 or self.step == end:
                rate = window_tokens / window_seconds
                mfu = rate * self.flops_per_token / self.peak if self.peak else None
                self.log(
                    {
                        "event": "train",
                        "step": self.step,
                        "loss": round(float(np.mean(window_losses)), 5),
                        "lr": out["lr"],
                        "grad_norm": round(out["grad_norm"], 4),
                        "tokens_per_s": round(rate, 1),
                        "mfu": None if mfu is None else round(mfu, 4),
                        "skipped": self.guard.skipped,
                    }
                )
                window_losses, window_seconds, window_tokens = [], 0.0, 0
            if cfg.eval_every and self.step % cfg.eval_every == 0 and cfg.holdout_windows:
                self.log({"event": "eval", "step": self.step, "sources": self.evaluate()})
            if cfg.checkpoint_every and self.step % cfg.checkpoint_every == 0:
                self.save()
        self.save()
        result = {"step": self.step, "losses": losses, "skipped": self.guard.skipped, "plan": self.plan}
        if cfg.holdout_windows:
            result["eval"] = self.evaluate()
            self.log({"event": "eval", "step": self.step, "sources": result["eval"]})
        return result


def train(cfg: TrainConfig, resume: bool = True, stop_at: int | None = None, verbose: bool = True) -> dict[str, Any]:
    return Trainer(cfg, resume=resume, verbose=verbose).run(stop_at=stop_at)
