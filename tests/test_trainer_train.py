"""A short real training run on CPU: the loss falls, resume is exact, the guards and schedule behave."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import torch

from tests.conftest import shared_path
from tests.trainer_support import paragraphs, write_mix, write_text_source
from trainer.config import OptimConfig, SpikeConfig, load_train_config
from trainer.evaluate import eval_shards
from trainer.tokenizer import load, train_tokenizer
from trainer.train import SpikeGuard, Trainer, lr_at


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Shakespeare and an English novel as two sources, with a 512-piece tokenizer trained on both."""
    root = tmp_path_factory.mktemp("corpus")
    plays = paragraphs(shared_path("corpora", "tinyshakespeare", "input.txt"), 120_000)
    novel = paragraphs(shared_path("corpora", "sentencepiece", "botchan.txt"), 60_000)
    model = train_tokenizer(plays + novel, root / "tok.model", 512)
    sp = load(model)
    write_text_source(root / "tokens", "plays", plays, sp)
    write_text_source(root / "tokens", "novel", novel, sp)
    mix = write_mix(root / "tokens", {"plays": 2.0, "novel": 1.0}, seed=5)
    return {"root": root, "mix": mix, "tokenizer": model}


def config(corpus, out, **overrides):
    data = {
        "out_dir": str(out),
        "mix": str(corpus["mix"]),
        "tokenizer": str(corpus["tokenizer"]),
        "model": {"seq_len": 64, "n_layer": 2, "n_head": 2, "d_model": 64},
        "batch_size": 8,
        "max_steps": 120,
        "optim": {"lr": 3e-3, "min_lr": 3e-4, "warmup_steps": 5},
        "holdout_windows": 4,
        "log_every": 40,
        "device": "cpu",
        "seed": 1,
    }
    return load_train_config(data=data, overrides=[f"{k}={v}" for k, v in overrides.items()])


def test_short_training_run_lowers_the_loss(corpus, tmp_path):
    result = Trainer(config(corpus, tmp_path / "run"), verbose=False).run()
    losses = result["losses"]
    assert len(losses) == 120 and losses[0] == pytest.approx(math.log(512), abs=0.3)  # starts near uniform
    assert np.mean(losses[-5:]) < losses[0] - 1.5
    assert set(result["eval"]) == {"plays", "novel"}
    for report in result["eval"].values():
        assert report["perplexity"] == pytest.approx(math.exp(report["loss"]), rel=1e-3)
        assert 0.5 < report["bits_per_byte"] < 4.0
    log = [json.loads(line) for line in (tmp_path / "run" / "log.jsonl").read_text().splitlines()]
    train_lines = [r for r in log if r["event"] == "train"]
    assert [r["step"] for r in train_lines] == [40, 80, 120] and all(r["tokens_per_s"] > 0 for r in train_lines)
    plan = {r["source"]: r for r in log[0]["sources"]}
    assert plan["plays"]["tokens_planned"] == 2 * plan["novel"]["tokens_planned"] == 40960  # 2:1 by tokens

    # The trained model finds random bytes far less likely than Shakespeare: eval-shards reports them first.
    docs = tmp_path / "docs.jsonl"
    rng = np.random.default_rng(0)
    noise = "".join(chr(c) for c in rng.integers(0x4E00, 0x4FFF, 200))
    rows = [{"id": "verse", "text": "To be, or not to be, that is the question."}, {"id": "noise", "text": noise}]
    docs.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
    report = eval_shards(tmp_path / "run" / "checkpoint.pt", [docs], corpus["tokenizer"], top_k=1, device="cpu")
    assert report["worst"][0]["id"] == "noise" and report["sources"]["docs"]["documents"] == 2
    shard_report = eval_shards(
        tmp_path / "run" / "checkpoint.pt", [corpus["root"] / "tokens"], top_k=3, max_docs=20, device="cpu"
    )
    assert set(shard_report["sources"]) == {"plays", "novel"} and len(shard_report["worst"]) == 3


def test_resume_gives_exactly_the_uninterrupted_run(corpus, tmp_path):
    straight = Trainer(config(corpus, tmp_path / "a", max_steps=10, checkpoint_every=3), verbose=False).run()
    first = Trainer(config(corpus, tmp_path / "b", max_steps=10, checkpoint_every=3), verbose=False).run(stop_at=5)
    resumed_trainer = Trainer(config(corpus, tmp_path / "b", max_steps=10, checkpoint_every=3), verbose=False)
    assert resumed_trainer.step == 5
    resumed = resumed_trainer.run()
    assert first["losses"] + resumed["losses"] == straight["losses"]
    a = torch.load(tmp_path / "a" / "checkpoint.pt", weights_only=False)
    b = torch.load(tmp_path / "b" / "checkpoint.pt", weights_only=False)
    assert a["sampler"] == b["sampler"] and a["step"] == b["step"] == 10
    assert all(torch.equal(a["model"][k], b["model"][k]) for k in a["model"])


def test_gradient_accumulation_matches_one_big_batch(corpus, tmp_path):
    big = Trainer(config(corpus, tmp_path / "big", max_steps=6, batch_size=8), verbose=False)
    small = Trainer(config(corpus, tmp_path / "acc", max_steps=6, batch_size=4, grad_accum=2), verbose=False)
    a, b = big.train_step(), small.train_step()
    # Same 8 windows either way; the gradient of the mean loss must not depend on how they were split.
    assert a["loss"] == pytest.approx(b["loss"], rel=1e-5)
    assert a["grad_norm"] == pytest.approx(b["grad_norm"], rel=1e-4)


def test_spike_guard_skips_spikes_and_gives_up_after_patience():
    guard = SpikeGuard(SpikeConfig(factor=2.0, patience=2, warmup_steps=2, beta=0.5))
    assert guard.accept(4.0) and guard.accept(2.0)  # mean 3.0 after two steps
    assert not guard.accept(6.5)  # > 2 x 3.0
    assert not guard.accept(float("nan"))
    assert guard.accept(5.0) and guard.mean == 4.0 and guard.skipped == 2
    assert not guard.accept(100.0) and not guard.accept(100.0)
    with pytest.raises(RuntimeError, match="3 steps in a row"):
        guard.accept(100.0)


def test_warmup_then_cosine_schedule():
    cfg = OptimConfig(lr=1.0, min_lr=0.1, warmup_steps=10)
    assert lr_at(0, cfg, 110) == pytest.approx(0.1)
    assert lr_at(9, cfg, 110) == pytest.approx(1.0)
    assert lr_at(60, cfg, 110) == pytest.approx(0.55)  # half-way through the cosine
    assert lr_at(110, cfg, 110) == pytest.approx(0.1)


def test_bad_config_fails_naming_the_key(corpus, tmp_path):
    from pipeline.config import ConfigError

    with pytest.raises(ConfigError, match="optim.warmup_steps"):
        config(corpus, tmp_path, **{"optim.warmup_steps": 500})
    with pytest.raises(ConfigError, match="unknown key 'batchsize'"):
        config(corpus, tmp_path, batchsize=3)
