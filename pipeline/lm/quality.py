"""A fastText reference-vs-crawl quality classifier (``corpus train-quality``).

GPT-3 (Brown et al., 2020, appendix A) filtered Common Crawl with a linear classifier trained to
tell curated text (WebText, Wikipedia, books) from raw crawl, and kept documents by their score.
This trains the same kind of model with fastText: positive examples from reference-like sources,
negative examples from random crawl, a seeded held-out split for precision / recall, and product
quantisation (fastText ``quantize``) so the model stays a few hundred kilobytes to megabytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from pipeline.lm.normalize import NormalizeOptions, normalized_lines
from pipeline.lm.sources import iter_texts

POSITIVE = "__label__reference"
NEGATIVE = "__label__crawl"
# Digits and accents carry signal for quality (prices, phone numbers, spam), so only case and
# punctuation variants are folded for the classifier.
AUTO_EPOCH_TOKENS = 5_000_000
CLASSIFIER_NORMALIZE = NormalizeOptions(lower=True, strip_accents=False, digits_to_zero=False, ascii_punctuation=True)


def classifier_text(text: str, max_words: int = 2000) -> str:
    """One fastText example line: normalised lines joined by spaces (fastText reads one line per example)."""
    words = " ".join(normalized_lines(text, CLASSIFIER_NORMALIZE)).split(" ")
    return " ".join(words[:max_words])


def _is_heldout(text: str, fraction: float, seed: int) -> bool:
    # Hash of the text, not a random draw: duplicates land on the same side, so held-out figures
    # are not inflated by copies of training examples.
    digest = hashlib.blake2b(f"{seed}\0{text}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64 < fraction


def _split(texts: Iterable[str], fraction: float, seed: int) -> tuple[list[str], list[str]]:
    train, heldout = [], []
    for raw in texts:
        text = classifier_text(raw)
        if text:
            (heldout if _is_heldout(text, fraction, seed) else train).append(text)
    return train, heldout


def _balance(pos: list[str], neg: list[str], rng: random.Random) -> tuple[list[str], list[str]]:
    """Down-sample the larger class so the classifier's prior does not drown the evidence."""
    n = min(len(pos), len(neg))

    def pick(xs):
        return xs if len(xs) == n else [xs[i] for i in sorted(rng.sample(range(len(xs)), n))]

    return pick(pos), pick(neg)


def positive_probabilities(model, texts: Sequence[str], label: str = POSITIVE) -> list[float]:
    """P(label) for already prepared example lines (batched fastText predict over every label)."""
    if not texts:
        return []
    labels, probs = model.predict(list(texts), k=-1)
    out = []
    for lab, pr in zip(labels, probs):
        scores = dict(zip(lab, pr))
        out.append(float(min(1.0, scores.get(label, 0.0))))
    return out


def precision_recall(scores: Sequence[float], truth: Sequence[bool], threshold: float = 0.5) -> dict:
    tp = sum(1 for s, t in zip(scores, truth) if s >= threshold and t)
    fp = sum(1 for s, t in zip(scores, truth) if s >= threshold and not t)
    fn = sum(1 for s, t in zip(scores, truth) if s < threshold and t)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"threshold": threshold, "precision": precision, "recall": recall, "f1": f1, "n": len(truth)}


def _write_training_file(path: Path, pos: list[str], neg: list[str], rng: random.Random) -> None:
    lines = [f"{POSITIVE} {t}" for t in pos] + [f"{NEGATIVE} {t}" for t in neg]
    rng.shuffle(lines)  # SGD sees the classes interleaved
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def train_quality_classifier(
    pos_files: Sequence[str | Path],
    neg_files: Sequence[str | Path],
    out: str | Path,
    heldout_fraction: float = 0.1,
    balance: bool = True,
    dim: int = 64,
    epoch: int | None = None,
    lr: float = 0.5,
    word_ngrams: int = 2,
    quantize: bool = True,
    cutoff: int = 20_000,
    retrain: bool = False,
    seed: int = 0,
) -> dict:
    """Train, evaluate on the held-out split, quantise and save to ``out`` (``.ftz`` when quantised).

    ``dim``, ``epoch``, ``lr``, ``word_ngrams`` are fastText's; ``epoch=None`` picks enough passes for
    about ``AUTO_EPOCH_TOKENS`` training tokens (5 to 100 epochs), as a small reference needs many
    passes to move away from the prior. ``cutoff`` is how many word / n-gram rows quantisation keeps
    (the model is then about ``cutoff * dim / 2`` bytes); ``retrain`` fine-tunes after pruning (slower).
    Returns the report written beside the model as ``<out>.meta.json``: example counts, held-out
    precision / recall / F1 of the positive class at score >= 0.5, and the model size in bytes.
    One training thread and a fixed seed make the model reproducible.
    """
    import fasttext

    rng = random.Random(seed)
    pos_train, pos_held = _split(iter_texts(pos_files), heldout_fraction, seed)
    neg_train, neg_held = _split(iter_texts(neg_files), heldout_fraction, seed)
    if not pos_train or not neg_train:
        raise ValueError(f"need positive and negative examples; got {len(pos_train)} and {len(neg_train)}")
    if balance:
        pos_train, neg_train = _balance(pos_train, neg_train, rng)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="train-quality-", dir=out.parent) as tmp:
        train_path = Path(tmp) / "train.txt"
        _write_training_file(train_path, pos_train, neg_train, rng)
        if epoch is None:
            n_tokens = sum(t.count(" ") + 1 for t in pos_train + neg_train)
            epoch = max(5, min(100, AUTO_EPOCH_TOKENS // max(1, n_tokens)))
        args = {"dim": dim, "epoch": epoch, "lr": lr, "wordNgrams": word_ngrams, "thread": 1, "seed": seed}
        model = fasttext.train_supervised(input=str(train_path), verbose=0, minCount=1, bucket=200_000, **args)
        if quantize:
            model.quantize(input=str(train_path), qnorm=True, retrain=retrain, cutoff=cutoff)
        tmp_model = Path(tmp) / "model"
        model.save_model(str(tmp_model))
        os.replace(tmp_model, out)
    scores = positive_probabilities(model, pos_held + neg_held)
    report = {
        "model": str(out),
        "labels": {"positive": POSITIVE, "negative": NEGATIVE},
        "train": {"positive": len(pos_train), "negative": len(neg_train)},
        "heldout": {"positive": len(pos_held), "negative": len(neg_held)},
        "metrics": precision_recall(scores, [True] * len(pos_held) + [False] * len(neg_held)),
        "params": {
            **args,
            "quantize": quantize,
            "cutoff": cutoff,
            "retrain": retrain,
            "balance": balance,
            "heldout_fraction": heldout_fraction,
        },
        "size_bytes": out.stat().st_size,
    }
    Path(f"{out}.meta.json").write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
    return report
