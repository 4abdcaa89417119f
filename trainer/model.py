"""A decoder-only transformer of the LLaMA kind, small and readable.

Pre-norm blocks with RMSNorm (Zhang & Sennrich 2019), rotary position embeddings (Su et al. 2021,
RoFormer), SwiGLU feed-forward (Shazeer 2020), no bias anywhere, and the output projection tied to
the token embedding (Press & Wolf 2017). Attention goes through
``torch.nn.functional.scaled_dot_product_attention`` so PyTorch picks a fused (flash) kernel on GPUs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn


@dataclass(frozen=True)
class ModelConfig:
    """Shape of the model. ``vocab_size`` 0 means "not known yet" (the trainer takes it from the shards);
    ``ffn_hidden`` 0 means 8/3 * d_model rounded up to ``ffn_multiple``.

    8/3 keeps a SwiGLU block's three matrices at the parameter count of a 4x GELU MLP (Shazeer 2020);
    rounding to a multiple of 64 keeps matrix shapes friendly to tensor cores. ``rope_theta`` 10,000 is
    RoFormer's base; ``norm_eps`` 1e-5 is LLaMA's.
    """

    vocab_size: int = 0
    seq_len: int = 256
    n_layer: int = 4
    n_head: int = 4
    d_model: int = 256
    ffn_hidden: int = 0
    ffn_multiple: int = 64
    rope_theta: float = 10000.0
    norm_eps: float = 1e-5
    init_std: float = 0.02

    @property
    def hidden(self) -> int:
        if self.ffn_hidden:
            return self.ffn_hidden
        raw = int(8 * self.d_model / 3)
        return self.ffn_multiple * math.ceil(raw / self.ffn_multiple)

    def __post_init__(self) -> None:
        if self.d_model % self.n_head or (self.d_model // self.n_head) % 2:
            raise ValueError(f"d_model={self.d_model} must split into {self.n_head} heads of even size (RoPE pairs)")


def expected_parameters(cfg: ModelConfig) -> int:
    """Closed form: tied embedding V*d, per layer 4*d^2 (q, k, v, o) + 3*d*h (SwiGLU) + 2*d (two norms),
    plus the final norm d."""
    d, h = cfg.d_model, cfg.hidden
    return cfg.vocab_size * d + cfg.n_layer * (4 * d * d + 3 * d * h + 2 * d) + d


def flops_per_token(cfg: ModelConfig, n_params: int) -> float:
    """Training FLOPs per token: 6N for the matrices plus 12*L*d*T for attention scores (PaLM, appendix B)."""
    return 6 * n_params + 12 * cfg.n_layer * cfg.d_model * cfg.seq_len


class RMSNorm(nn.Module):
    def __init__(self, dim: int, eps: float):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # Normalise in float32: bf16's 8-bit mantissa makes the mean of squares noisy.
        y = x.float() * torch.rsqrt(x.float().pow(2).mean(-1, keepdim=True) + self.eps)
        return y.type_as(x) * self.weight


def rope_tables(cfg: ModelConfig) -> tuple[torch.Tensor, torch.Tensor]:
    head = cfg.d_model // cfg.n_head
    inv_freq = 1.0 / (cfg.rope_theta ** (torch.arange(0, head, 2, dtype=torch.float32) / head))
    angles = torch.outer(torch.arange(cfg.seq_len, dtype=torch.float32), inv_freq)
    return angles.cos(), angles.sin()


def apply_rope(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """Rotate pairs (first half, second half) of each head by position-dependent angles."""
    x1, x2 = x.float().chunk(2, dim=-1)
    cos, sin = cos[: x.shape[-2]], sin[: x.shape[-2]]
    return torch.cat([x1 * cos - x2 * sin, x1 * sin + x2 * cos], dim=-1).type_as(x)


class Attention(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.n_head, self.d_model = cfg.n_head, cfg.d_model
        self.qkv = nn.Linear(cfg.d_model, 3 * cfg.d_model, bias=False)
        self.out = nn.Linear(cfg.d_model, cfg.d_model, bias=False)

    def forward(self, x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
        b, t, _ = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.n_head, -1).permute(2, 0, 3, 1, 4)
        q, k = apply_rope(q, cos, sin), apply_rope(k, cos, sin)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.out(y.transpose(1, 2).reshape(b, t, self.d_model))


class SwiGLU(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.gate = nn.Linear(cfg.d_model, cfg.hidden, bias=False)
        self.up = nn.Linear(cfg.d_model, cfg.hidden, bias=False)
        self.down = nn.Linear(cfg.hidden, cfg.d_model, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.down(F.silu(self.gate(x)) * self.up(x))


class Block(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.attn_norm, self.attn = RMSNorm(cfg.d_model, cfg.norm_eps), Attention(cfg)
        self.ffn_norm, self.ffn = RMSNorm(cfg.d_model, cfg.norm_eps), SwiGLU(cfg)

    def forward(self, x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.attn_norm(x), cos, sin)
        return x + self.ffn(self.ffn_norm(x))


class Transformer(nn.Module):
    """``forward(idx[B, T]) -> logits[B, T, V]``; ``loss(idx, targets)`` is mean cross-entropy."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        if cfg.vocab_size <= 0:
            raise ValueError(f"vocab_size must be > 0, got {cfg.vocab_size}")
        self.cfg = cfg
        self.embed = nn.Embedding(cfg.vocab_size, cfg.d_model)
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.n_layer))
        self.norm = RMSNorm(cfg.d_model, cfg.norm_eps)
        cos, sin = rope_tables(cfg)
        self.register_buffer("rope_cos", cos, persistent=False)
        self.register_buffer("rope_sin", sin, persistent=False)
        self.apply(self._init)
        # GPT-2's scaled init: residual projections shrink with depth so the residual stream's variance stays put.
        for name, p in self.named_parameters():
            if name.endswith(("attn.out.weight", "ffn.down.weight")):
                nn.init.normal_(p, std=cfg.init_std / math.sqrt(2 * cfg.n_layer))

    def _init(self, module: nn.Module) -> None:
        if isinstance(module, nn.Linear | nn.Embedding):
            nn.init.normal_(module.weight, std=self.cfg.init_std)

    def n_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        x = self.embed(idx)
        for block in self.blocks:
            x = block(x, self.rope_cos, self.rope_sin)
        # Tied output head: the same matrix embeds tokens and scores them.
        return F.linear(self.norm(x), self.embed.weight)

    def loss(self, idx: torch.Tensor, targets: torch.Tensor, reduction: str = "mean") -> torch.Tensor:
        logits = self(idx)
        return F.cross_entropy(
            logits.float().view(-1, logits.size(-1)), targets.reshape(-1), reduction=reduction, ignore_index=-100
        )


def build_model(cfg: ModelConfig, verbose: bool = True) -> Transformer:
    """Build the model and check its parameter count against :func:`expected_parameters`."""
    model = Transformer(cfg)
    counted, expected = model.n_parameters(), expected_parameters(cfg)
    if counted != expected:
        raise AssertionError(f"parameter count {counted:,} differs from the closed form {expected:,}")
    if verbose:
        print(f"model: {counted:,} parameters ({counted / 1e6:.2f} M; closed form agrees)", flush=True)
    return model
