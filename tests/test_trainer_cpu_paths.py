"""The trainer's GPU code paths, run on CPU: torch.compile (inductor), bf16 autocast, fused AdamW.

Each runs a few optimiser steps of a tiny model and is compared with the eager fp32 run on the same
batches (same seed, same sampler). Tolerances, per step's training loss:

* compile: relative 1e-4 (inductor fuses and reorders fp32 arithmetic; nothing else changes);
* fused AdamW: relative 1e-5 (the same update, computed by one kernel);
* bf16 autocast: absolute 0.05 nats (bf16 keeps 8 bits of mantissa: matmuls differ in the 3rd digit,
  and the differences compound over the steps).

On a GPU the same options are the defaults ("auto"): see README, Trainer.
"""

from __future__ import annotations

import shutil

import numpy as np
import pytest
import torch

from tests.trainer_support import write_ids_source, write_mix
from trainer.config import load_train_config
from trainer.train import Trainer

STEPS = 6


@pytest.fixture(scope="module")
def mix(tmp_path_factory):
    root = tmp_path_factory.mktemp("cpu-paths")
    rng = np.random.default_rng(3)
    # a learnable stream: ids follow a fixed random successor table with noise
    succ = rng.integers(3, 100, 100)
    docs = []
    for _ in range(40):
        ids = [int(rng.integers(3, 100))]
        for _ in range(63):
            ids.append(int(succ[ids[-1]]) if rng.random() < 0.8 else int(rng.integers(3, 100)))
        docs.append(ids)
    write_ids_source(root, "a", docs, vocab=100)
    return write_mix(root, {"a": 1.0}, seed=2)


def run(mix, out, **overrides):
    data = {
        "out_dir": str(out),
        "mix": str(mix),
        "model": {"seq_len": 32, "n_layer": 2, "n_head": 2, "d_model": 32},
        "batch_size": 4,
        "max_steps": STEPS,
        "optim": {"lr": 3e-3, "min_lr": 3e-4, "warmup_steps": 1},
        "holdout_windows": 1,
        "log_every": 100,
        "device": "cpu",
        "seed": 1,
        "precision": "fp32",
        "fused_adamw": "off",
        **overrides,
    }
    trainer = Trainer(load_train_config(data=data), resume=False, verbose=False)
    result = trainer.run()
    trainer.eval_report = result.get("eval") or {}
    return trainer, result["losses"]


@pytest.fixture(scope="module")
def eager(mix, tmp_path_factory):
    return run(mix, tmp_path_factory.mktemp("eager"))[1]


def test_eager_baseline_learns(eager):
    assert len(eager) == STEPS and eager[-1] < eager[0]


def test_fused_adamw_on_cpu_matches_eager(mix, eager, tmp_path):
    trainer, losses = run(mix, tmp_path, fused_adamw="on")
    assert trainer.optimizer.defaults["fused"] is True
    assert losses == pytest.approx(eager, rel=1e-5)


def test_bf16_autocast_on_cpu_stays_close_to_fp32(mix, eager, tmp_path):
    trainer, losses = run(mix, tmp_path, precision="bf16")
    assert trainer.autocast is True
    assert losses == pytest.approx(eager, abs=0.05)
    assert losses != eager  # bf16 really ran: fp32 would give the same numbers bit for bit
    assert np.isfinite(trainer.eval_report["a"]["loss"])  # evaluation under bf16 autocast too


@pytest.mark.skipif(
    shutil.which("g++") is None and shutil.which("c++") is None,
    reason=(
        "torch.compile's inductor backend generates C++ for CPU and needs a C++ compiler (g++): apt-get install g++"
    ),
)
@pytest.mark.slow  # first run compiles inductor's C++ kernels (about 100 s on 2 cores); cached: 11 s
def test_torch_compile_inductor_on_cpu_matches_eager(mix, eager, tmp_path):
    torch._dynamo.reset()
    trainer, losses = run(mix, tmp_path, compile=True)
    assert trainer.forward is not trainer.model  # the compiled module ran the steps
    assert losses == pytest.approx(eager, rel=1e-4)


def test_bad_precision_names_valid_values(mix, tmp_path):
    from pipeline.config import ConfigError

    with pytest.raises(ConfigError, match=r"precision: 'fp16' is not valid; valid values: \['auto', 'bf16', 'fp32'\]"):
        run(mix, tmp_path, precision="fp16")
