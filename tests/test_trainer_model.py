"""The model: closed-form parameter count, causality, RoPE's relative positions, no biases, tied head."""

from __future__ import annotations

import pytest
import torch

from trainer.model import ModelConfig, Transformer, apply_rope, build_model, expected_parameters, rope_tables

TINY = ModelConfig(vocab_size=97, seq_len=16, n_layer=2, n_head=2, d_model=32)


def test_gpt2_small_shape_parameter_count_matches_the_closed_form():
    cfg = ModelConfig(vocab_size=50304, seq_len=1024, n_layer=12, n_head=12, d_model=768)
    assert cfg.hidden == 2048  # 8/3 * 768: same MLP size as GPT-2's 4x GELU
    # 50304*768 + 12*(4*768^2 + 3*768*2048 + 2*768) + 768
    assert expected_parameters(cfg) == 123_587_328
    with torch.device("meta"):
        assert Transformer(cfg).n_parameters() == 123_587_328


@pytest.mark.parametrize(
    "cfg", [TINY, ModelConfig(vocab_size=300, seq_len=8, n_layer=3, n_head=4, d_model=64, ffn_hidden=100)]
)
def test_build_model_checks_its_count(cfg, capsys):
    model = build_model(cfg)
    assert model.n_parameters() == expected_parameters(cfg)
    assert f"{expected_parameters(cfg):,} parameters" in capsys.readouterr().out


def test_no_biases_and_the_output_head_is_the_embedding():
    model = Transformer(TINY)
    names = [n for n, _ in model.named_parameters()]
    assert not [n for n in names if "bias" in n]
    idx = torch.randint(0, 97, (1, 5))
    before = model(idx)[0, -1, 7].item()
    with torch.no_grad():
        model.embed.weight[7] += 1.0  # token 7 never appears as input, so only its output score moves
    idx[idx == 7] = 8
    assert model(idx)[0, -1, 7].item() != before


def test_attention_is_causal():
    torch.manual_seed(0)
    model = Transformer(TINY).eval()
    idx = torch.randint(0, 97, (1, 12))
    changed = idx.clone()
    changed[0, 8] = (changed[0, 8] + 1) % 97
    a, b = model(idx), model(changed)
    assert torch.equal(a[0, :8], b[0, :8])
    assert not torch.allclose(a[0, 8:], b[0, 8:])


def test_rope_scores_depend_only_on_relative_position():
    cfg = ModelConfig(vocab_size=10, seq_len=32, n_layer=1, n_head=1, d_model=16)
    cos, sin = rope_tables(cfg)
    q, k = torch.randn(16), torch.randn(16)

    def score(i: int, j: int) -> float:
        qs = apply_rope(q.expand(32, 16), cos, sin)
        ks = apply_rope(k.expand(32, 16), cos, sin)
        return float(qs[i] @ ks[j])

    assert score(5, 2) == pytest.approx(score(20, 17), rel=1e-4)
    assert score(5, 2) != pytest.approx(score(5, 4), rel=1e-3)


def test_heads_must_split_evenly():
    with pytest.raises(ValueError, match="heads"):
        ModelConfig(d_model=30, n_head=4)
