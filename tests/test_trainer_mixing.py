"""Mixing: validated, normalised token weights; seeded order; repeats reported; exact resume."""

from __future__ import annotations

import json

import numpy as np
import pytest

from pipeline.config import ConfigError
from tests.trainer_support import counting_docs, write_ids_source, write_mix
from trainer.mixing import MixedSampler, check_epochs, load_mix, parse_mix
from trainer.shards import TokenStream


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), 0, -1.0, "heavy", True])
def test_bad_weights_fail_naming_the_source(bad):
    with pytest.raises(ConfigError, match=r"sources\.wiki\.weight"):
        parse_mix({"sources": [{"name": "web", "weight": 1}, {"name": "wiki", "weight": bad}]})


def test_weights_are_normalised_and_paths_resolve_next_to_the_yaml(tmp_path):
    mix = load_mix(write_mix(tmp_path, {"web": 3, "wiki": 1}, seed=7))
    assert mix.weights == {"web": 0.75, "wiki": 0.25}
    assert mix.seed == 7 and mix.sources[0].path == str(tmp_path / "web")
    with pytest.raises(ConfigError, match="declared twice"):
        parse_mix({"sources": [{"name": "a", "weight": 1}, {"name": "a", "weight": 2}]})
    with pytest.raises(ConfigError, match="unknown key 'wieght'"):
        parse_mix({"sources": [{"name": "a", "wieght": 1}]})


def _streams(tmp_path, sizes: dict[str, int]) -> dict[str, TokenStream]:
    # Each source's ids live in a distinct range so a window tells which source it came from.
    return {
        name: TokenStream.from_dir(
            write_ids_source(tmp_path, name, counting_docs(n, 31, offset=10 + 100 * i), vocab=1000)
        )
        for i, (name, n) in enumerate(sizes.items())
    }


def test_weights_count_tokens_and_small_sources_repeat(tmp_path):
    streams = _streams(tmp_path, {"web": 40, "wiki": 2})  # 1280 vs 64 tokens
    sampler = MixedSampler(streams, {"web": 0.75, "wiki": 0.25}, seq_len=16, seed=1)
    batch, sources = sampler.next_batch(400)
    assert np.bincount(sources).tolist() == [300, 100]  # exactly 3:1 in windows, hence in tokens
    assert batch.shape == (400, 17)
    wiki, web = batch[sources == 1], batch[sources == 0]
    assert np.all((wiki >= 110) | (wiki == 2)) and np.all(web < 110)  # each window from one source (2 is EOS)
    plan = {row["source"]: row for row in sampler.plan(400)}
    assert plan["wiki"]["tokens_available"] == 3 * 16 and plan["wiki"]["epochs"] == pytest.approx(100 / 3, abs=1e-3)
    assert plan["web"]["epochs"] == pytest.approx(300 / 79, abs=1e-3)


def test_each_epoch_visits_every_window_once_in_a_seeded_order(tmp_path):
    ids = list(range(10, 137))  # distinct ids: a window's first id says which window it is
    streams = {"only": TokenStream.from_dir(write_ids_source(tmp_path, "only", [ids], vocab=1000))}  # 7 windows
    a = MixedSampler(streams, {"only": 1.0}, seq_len=16, seed=3)
    starts = [int(a.next_window()[1][0]) for _ in range(14)]
    first, second = starts[:7], starts[7:]
    assert len(set(first)) == 7 and sorted(first) == sorted(second)
    assert first != second  # a new permutation per epoch
    b = MixedSampler(streams, {"only": 1.0}, seq_len=16, seed=3)
    assert [int(b.next_window()[1][0]) for _ in range(14)] == starts
    c = MixedSampler(streams, {"only": 1.0}, seq_len=16, seed=4)
    assert [int(c.next_window()[1][0]) for _ in range(7)] != first


def test_max_epochs_is_enforced_before_training(tmp_path):
    write_ids_source(tmp_path, "web", counting_docs(40, 31), vocab=1000)
    write_ids_source(tmp_path, "wiki", counting_docs(2, 31), vocab=1000)
    spec = load_mix(write_mix(tmp_path, {"web": 3, "wiki": 1}, wiki={"max_epochs": 4}))
    sampler = MixedSampler.from_spec(spec, seq_len=16)
    check_epochs(sampler.plan(40), spec)  # wiki: 10 windows of 3 -> 3.33 epochs, allowed
    with pytest.raises(ConfigError, match=r"sources\.wiki\.max_epochs"):
        check_epochs(sampler.plan(400), spec)


def test_resume_continues_with_exactly_the_same_batches(tmp_path):
    streams = _streams(tmp_path, {"web": 20, "wiki": 3, "code": 5})
    weights = {"web": 0.5, "wiki": 0.3, "code": 0.2}
    straight = MixedSampler(streams, weights, seq_len=16, seed=11)
    expected = [straight.next_batch(5)[0] for _ in range(10)]
    first = MixedSampler(streams, weights, seq_len=16, seed=11)
    got = [first.next_batch(5)[0] for _ in range(4)]
    state = json.loads(json.dumps(first.state_dict()))  # checkpoints store it as plain data
    resumed = MixedSampler(streams, weights, seq_len=16, seed=11)
    resumed.load_state_dict(state)
    got += [resumed.next_batch(5)[0] for _ in range(6)]
    assert all(np.array_equal(a, b) for a, b in zip(expected, got))
    other = MixedSampler(streams, weights, seq_len=16, seed=12)
    with pytest.raises(ValueError, match="seed"):
        other.load_state_dict(state)


def test_held_out_windows_are_never_trained_on(tmp_path):
    stream = TokenStream.from_dir(write_ids_source(tmp_path, "s", [list(range(10, 90))], vocab=1000))
    sampler = MixedSampler({"s": stream}, {"s": 1.0}, seq_len=8, seed=0, holdout_windows=2)  # 10 windows, 8 trained
    trained = {int(sampler.next_window()[1][0]) for _ in range(32)}
    held = [int(w[0]) for w in sampler.holdout("s")]
    assert held == [74, 82] and not trained & set(held) and len(trained) == 8
