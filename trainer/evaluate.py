"""Validation loss, perplexity and bits per byte, per source; scoring documents to find the worst ones.

Bits per byte = total negative log-likelihood in bits / UTF-8 bytes of the predicted text. Unlike
perplexity it does not depend on the tokenizer, so models with different vocabularies compare
(the measure of Gao et al. 2020, The Pile, section 5). The bytes of a token come from
:func:`trainer.tokenizer.token_bytes`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch

from trainer.model import ModelConfig, Transformer


def _summary(nats: float, tokens: int, n_bytes: int | None) -> dict[str, Any]:
    loss = nats / max(tokens, 1)
    out: dict[str, Any] = {"tokens": tokens, "loss": round(loss, 5), "perplexity": round(math.exp(min(loss, 50)), 4)}
    if n_bytes:
        out["bits_per_byte"] = round(nats / math.log(2) / n_bytes, 5)
    return out


@torch.no_grad()
def window_nll(
    model: Transformer, windows: np.ndarray, device: torch.device, batch_size: int = 8, autocast: bool = False
) -> np.ndarray:
    """Per-token negative log-likelihood (nats) of ``windows[:, 1:]`` given the preceding tokens;
    positions whose target is -100 (padding) get 0."""
    model.eval()
    out = np.zeros((len(windows), windows.shape[1] - 1), dtype=np.float64)
    for start in range(0, len(windows), batch_size):
        chunk = torch.from_numpy(np.ascontiguousarray(windows[start : start + batch_size])).to(device)
        x, y = chunk[:, :-1].clamp(min=0), chunk[:, 1:]
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=autocast):
            nll = model.loss(x, y, reduction="none").view(y.shape)
        out[start : start + len(chunk)] = nll.float().cpu().numpy()
    model.train()
    return out


def evaluate_sources(
    model: Transformer,
    windows_by_source: dict[str, Sequence[np.ndarray]],
    device: torch.device,
    byte_table: np.ndarray | None = None,
    batch_size: int = 8,
    autocast: bool = False,
) -> dict[str, Any]:
    """Loss, perplexity and (with ``byte_table``) bits per byte for each source's held-out windows."""
    report = {}
    for source, windows in windows_by_source.items():
        if not len(windows):
            continue
        stacked = np.stack(windows)
        nll = window_nll(model, stacked, device, batch_size, autocast)
        n_bytes = int(byte_table[stacked[:, 1:]].sum()) if byte_table is not None else None
        report[source] = _summary(float(nll.sum()), nll.size, n_bytes)
    return report


def document_windows(tokens: np.ndarray, eos_id: int, seq_len: int) -> list[np.ndarray]:
    """A document as ``[EOS] + tokens + [EOS]`` cut into windows of at most ``seq_len + 1`` tokens,
    overlapping by one so that each token after the leading EOS is predicted exactly once. The leading
    EOS gives the first token the same context it had in training (the end of the previous document)."""
    seq = np.concatenate([[eos_id], np.asarray(tokens, dtype=np.int64), [eos_id]])
    return [seq[i : i + seq_len + 1] for i in range(0, len(seq) - 1, seq_len)]


def score_documents(
    model: Transformer,
    docs: Iterable[tuple[str, np.ndarray]],
    eos_id: int,
    device: torch.device,
    byte_table: np.ndarray | None = None,
    batch_size: int = 8,
) -> list[dict[str, Any]]:
    """Loss, perplexity and bits per byte of each ``(doc_id, tokens)``, in input order."""
    seq_len = model.cfg.seq_len
    owners, windows, ids = [], [], []
    for n, (doc_id, tokens) in enumerate(docs):
        ids.append(doc_id)
        for w in document_windows(tokens, eos_id, seq_len):
            owners.append(n)
            windows.append(w)
    if not windows:
        return []
    padded = np.full((len(windows), seq_len + 1), -100, dtype=np.int64)
    for i, w in enumerate(windows):
        padded[i, : len(w)] = w
    nll = window_nll(model, padded, device, batch_size).sum(axis=1)
    targets = padded[:, 1:]
    counts = (targets >= 0).sum(axis=1)
    n_bytes = None
    if byte_table is not None:
        n_bytes = np.where(targets >= 0, byte_table[targets.clip(min=0)], 0).sum(axis=1)
    owners_arr = np.array(owners)
    results = []
    for n, doc_id in enumerate(ids):
        mask = owners_arr == n
        doc_bytes = int(n_bytes[mask].sum()) if n_bytes is not None else None
        nats = float(nll[mask].sum())
        row = {"id": doc_id, "nats": round(nats, 4), **_summary(nats, int(counts[mask].sum()), doc_bytes)}
        if doc_bytes is not None:
            row["bytes"] = doc_bytes
        results.append(row)
    return results


def load_checkpoint_model(path: str | Path, device: torch.device) -> tuple[Transformer, dict[str, Any]]:
    """The model stored in a training checkpoint, in eval mode, and the checkpoint's metadata."""
    payload = torch.load(path, map_location=device, weights_only=False)
    model = Transformer(ModelConfig(**payload["model_config"])).to(device)
    model.load_state_dict(payload["model"])
    model.eval()
    return model, {k: v for k, v in payload.items() if k not in ("model", "optimizer")}


def worst_documents(scores: list[dict[str, Any]], top_k: int) -> list[dict[str, Any]]:
    """The ``top_k`` highest-perplexity documents (ties broken by id, so reports are stable)."""
    return sorted(scores, key=lambda r: (-r["perplexity"], str(r["id"])))[:top_k]


def _shard_documents(root: Path, max_docs: int | None) -> dict[str, list[tuple[str, np.ndarray]]]:
    """Documents of the token shards under ``root`` (a tokenize output or one source's folder), by source."""
    from trainer.shards import list_shards

    folders = [root] if list(root.glob("*.bin")) else sorted(p for p in root.iterdir() if p.is_dir())
    out: dict[str, list[tuple[str, np.ndarray]]] = {}
    for folder in folders:
        for shard in list_shards(folder):
            ids = shard.header.get("doc_ids") or [f"{shard.stem.name}:{i}" for i in range(len(shard))]
            docs = out.setdefault(shard.header.get("source") or folder.name, [])
            limit = len(shard) if max_docs is None else max(0, min(len(shard), max_docs - len(docs)))
            docs.extend((ids[i], shard.document(i)) for i in range(limit))
    return out


def _checkpoint_tokenizer(meta: dict[str, Any]) -> str | None:
    path = (meta.get("config") or {}).get("tokenizer")
    return path if path and Path(path).exists() else None


def eval_shards(
    checkpoint: str | Path,
    inputs: Sequence[str | Path],
    tokenizer: str | Path | None = None,
    top_k: int = 20,
    max_docs: int | None = None,
    device: str = "auto",
) -> dict[str, Any]:
    """Score token shards (or raw documents, with ``tokenizer``) with a trained model.

    Returns per-source totals and the ``top_k`` highest-perplexity documents: the ones a model trained on
    clean text finds least like it, usually boilerplate, spam, encoding damage or another language.
    """
    from trainer.train import pick_device

    dev = pick_device(device)
    model, meta = load_checkpoint_model(checkpoint, dev)
    sp = None
    # Without --tokenizer, the one the model was trained with (recorded in the checkpoint) gives the
    # bytes of each token, so bits per byte are reported per source and per document.
    tokenizer = tokenizer or _checkpoint_tokenizer(meta)
    if tokenizer is not None:
        from trainer.tokenizer import load, token_bytes

        sp = load(tokenizer)
    byte_table = token_bytes(sp) if sp is not None else None
    by_source: dict[str, list[tuple[str, np.ndarray]]] = {}
    for raw in inputs:
        path = Path(raw)
        if path.is_dir() and (any(path.glob("*.bin")) or any(path.glob("*/*.bin"))):
            for source, docs in _shard_documents(path, max_docs).items():
                by_source.setdefault(source, []).extend(docs)
        else:
            if sp is None:
                raise ValueError(f"{path} holds documents, not token shards: pass --tokenizer to tokenize them")
            from trainer.documents import iter_documents

            for doc_id, source, text in iter_documents([path]):
                by_source.setdefault(source, []).append((doc_id, np.array(sp.encode(text), dtype=np.int64)))
    eos = sp.eos_id() if sp is not None else 2
    scored, sources = [], {}
    for source, docs in sorted(by_source.items()):
        rows = score_documents(model, docs, eos, dev, byte_table)
        for row in rows:
            row["source"] = source
        nats = sum(r["nats"] for r in rows)
        n_bytes = sum(r["bytes"] for r in rows) if byte_table is not None else None
        sources[source] = {"documents": len(rows), **_summary(nats, sum(r["tokens"] for r in rows), n_bytes)}
        scored.extend(rows)
    return {
        "checkpoint": str(checkpoint),
        "step": meta.get("step"),
        "sources": sources,
        "worst": worst_documents(scored, top_k),
    }
