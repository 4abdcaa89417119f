"""A fastText reference-vs-crawl quality classifier for every language (``corpus train-quality``).

GPT-3 (Brown et al., 2020, appendix A) filtered Common Crawl with a linear classifier trained to
tell curated text (WebText, Wikipedia, books) from raw crawl, and kept documents by their score.
This trains the same kind of model with fastText: positive examples from reference-like sources,
negative examples from random crawl, a seeded held-out split scored per language (precision,
recall, ROC AUC), and product quantisation so the model stays a few hundred kilobytes.

Text without spaces: every Han / kana character is its own token (``pipeline.lm.units.cjk_chars``)
and fastText's word bigrams then see character bigrams; without this a Chinese line was one token
seen once. One model serves every language; each example starts with a language token
(``__lang__zh``) so each language gets its own prior, and line breaks are a token (``__nl__``), so
"many short lines" (menus, link lists) is visible to a bag-of-n-grams model. Both choices were measured on real text
(``bench/quality_models/RESULTS.md``). The options are stored in ``<model>.meta.json`` and the
annotator reads them back, so a model is scored the way it was trained.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from pipeline.lm.metrics import precision_recall, roc_auc
from pipeline.lm.normalize import NormalizeOptions, normalized_lines
from pipeline.lm.units import cjk_chars, segmented_words

__all__ = ["classifier_text", "precision_recall", "roc_auc", "train_quality_classifier"]

POSITIVE = "__label__reference"
NEGATIVE = "__label__crawl"
LANG_TOKEN = "__lang__"
LINE_TOKEN = "__nl__"
# Small training sets need many passes: on 150 wceb pages, 5 epochs gave held-out ROC AUC 0.918,
# 25 gave 0.955 (bench/quality_models/RESULTS.md).
AUTO_EPOCH_TOKENS = 20_000_000
# Below this many examples per class (before the held-out split) the held-out figures rest on a
# handful of documents and the model on noise: train-quality refuses (exit 2).
MIN_EXAMPLES_PER_CLASS = 100
# Per-language thresholds keep this share of held-out positives (score >= threshold); a language
# with fewer held-out positives than MIN_THRESHOLD_POSITIVES gets the pooled threshold ("default").
THRESHOLD_RECALL = 0.95
MIN_THRESHOLD_POSITIVES = 20
# Digits and accents carry signal for quality (prices, phone numbers, spam), so only case and
# punctuation variants are folded for the classifier.
CLASSIFIER_NORMALIZE = NormalizeOptions(lower=True, strip_accents=False, digits_to_zero=False, ascii_punctuation=True)


class TooFewExamples(ValueError):
    """Fewer examples than ``MIN_EXAMPLES_PER_CLASS`` in a class."""


def classifier_text(
    text: str,
    lang: str | None = None,
    unit: str = "chars",
    lang_token: bool = False,
    max_tokens: int = 2000,
    line_token: bool = False,
) -> str:
    """One fastText example line: normalised lines joined, CJK characters split (``unit="chars"``)
    or dictionary words (``unit="segmented"``; ``"words"`` = whitespace only, the old behaviour),
    at most ``max_tokens`` tokens, optionally led by the language token; with ``line_token`` each
    line break becomes the token ``LINE_TOKEN`` (menus and link lists are many short lines)."""
    joined = (f" {LINE_TOKEN} " if line_token else " ").join(normalized_lines(text, CLASSIFIER_NORMALIZE))
    if unit == "chars":
        tokens = cjk_chars(joined)
    elif unit == "segmented":
        tokens = [t for t in segmented_words(joined, lang) if t != " "]
    else:
        tokens = joined.split()
    if not tokens:
        return ""
    head = [f"{LANG_TOKEN}{lang or 'und'}"] if lang_token else []
    return " ".join(head + tokens[:max_tokens])


def _is_heldout(text: str, fraction: float, seed: int) -> bool:
    # Hash of the text, not a random draw: duplicates land on the same side, so held-out figures
    # are not inflated by copies of training examples.
    digest = hashlib.blake2b(f"{seed}\0{text}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64 < fraction


def positive_probabilities(
    model, texts: Sequence[str], label: str = POSITIVE, output: dict | None = None
) -> list[float]:
    """P(label) for already prepared example lines.

    With ``output`` (the model's output layer, ``{"labels": [...], "rows": [[...], ...]}``, kept in
    ``<model>.meta.json`` by ``train_quality_classifier``) the softmax is computed here in float64 from
    fastText's hidden vector (its sentence vector): exact down to 1e-300. fastText's own ``predict``
    returns ``p + 1e-5`` in float32, so every document the model is sure about scores the same 1e-5
    and a threshold cannot order them (``corpus quality-cutoffs`` then removes less than asked).
    Without it (models from before), the batched ``predict`` over every label."""
    if not texts:
        return []
    if output is not None:
        import numpy as np

        weights = np.asarray(output["rows"], dtype=np.float64)
        hidden = np.stack([model.get_sentence_vector(t) for t in texts]).astype(np.float64)
        logits = hidden @ weights.T
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        column = list(output["labels"]).index(label) if label in output["labels"] else None
        return [0.0] * len(texts) if column is None else [float(x) for x in probs[:, column]]
    labels, probs = model.predict(list(texts), k=-1)
    return [float(min(1.0, dict(zip(lab, pr)).get(label, 0.0))) for lab, pr in zip(labels, probs)]


def load_output_layer(model_path: str | Path) -> dict | None:
    """The output layer kept in ``<model>.meta.json`` (None for models trained before it was kept)."""
    meta = Path(f"{model_path}.meta.json")
    return json.loads(meta.read_text()).get("output_layer") if meta.is_file() else None


def _balance(pos: list[tuple[str, str]], neg: list[tuple[str, str]], rng: random.Random):
    """Equal classes within every language: each language keeps min(its positives, its negatives)
    of both (a seeded sample), so the language token learns no prior from a reference that is
    larger than the crawl (the demo has 3,000 zh reference documents and 54 zh crawl pages). A
    language with examples of one class only keeps up to the largest per-language count."""

    def by_lang(rows):
        out: dict[str, list] = {}
        for row in rows:
            out.setdefault(row[1] or "und", []).append(row)
        return out

    p, n = by_lang(pos), by_lang(neg)
    sizes = {lang: min(len(p[lang]), len(n[lang])) for lang in p.keys() & n.keys()}
    cap = max(sizes.values(), default=0)

    def pick(rows, k):
        return rows if len(rows) <= k else [rows[i] for i in sorted(rng.sample(range(len(rows)), k))]

    keep_p = [r for lang in sorted(p) for r in pick(p[lang], sizes.get(lang, cap))]
    keep_n = [r for lang in sorted(n) for r in pick(n[lang], sizes.get(lang, cap))]
    return keep_p, keep_n


def _threshold_for(scores: list[float], recall: float = THRESHOLD_RECALL) -> float:
    """The highest score threshold that keeps ``recall`` of these positive scores (at most 0.5)."""
    ranked = sorted(scores)
    k = int((1.0 - recall) * len(ranked))
    return round(min(0.5, ranked[k] if ranked else 0.5), 4)


def per_language_metrics(scores, truth, langs) -> dict[str, dict]:
    """Held-out precision / recall / F1 at 0.5, ROC AUC, and the recall-``THRESHOLD_RECALL`` threshold per language."""
    out = {}
    for lang in sorted(set(langs)):
        idx = [i for i, g in enumerate(langs) if g == lang]
        s, t = [scores[i] for i in idx], [truth[i] for i in idx]
        metrics = precision_recall(s, t)
        metrics.update(auc=roc_auc(s, t), positives=sum(t), negatives=len(t) - sum(t))
        positives = [x for x, y in zip(s, t) if y]
        metrics["min_score"] = _threshold_for(positives) if len(positives) >= MIN_THRESHOLD_POSITIVES else None
        out[lang] = metrics
    return out


def _write_training_file(path: Path, pos: list[str], neg: list[str], rng: random.Random) -> None:
    lines = [f"{POSITIVE} {t}" for t in pos] + [f"{NEGATIVE} {t}" for t in neg]
    rng.shuffle(lines)  # SGD sees the classes interleaved
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def prepare(rows: Sequence[tuple[str, str]], options: dict, fraction: float, seed: int):
    """(train, held-out) lists of (example line, language) from (text, language) rows."""
    train, held = [], []
    for raw, lang in rows:
        text = classifier_text(raw, lang, options["unit"], options["lang_token"], line_token=options["line_token"])
        if text:
            (held if _is_heldout(text, fraction, seed) else train).append((text, lang))
    return train, held


def train_quality_classifier(
    positives: Sequence[tuple[str, str]],
    negatives: Sequence[tuple[str, str]],
    out: str | Path,
    heldout_fraction: float = 0.1,
    balance: bool = True,
    unit: str = "chars",
    lang_token: bool = True,
    line_token: bool = True,
    dim: int = 64,
    epoch: int | None = None,
    lr: float = 0.5,
    word_ngrams: int = 2,
    char_ngrams: tuple[int, int] = (0, 0),
    quantize: bool = True,
    cutoff: int = 20_000,
    min_examples: int = MIN_EXAMPLES_PER_CLASS,
    seed: int = 0,
) -> dict:
    """Train on ``(text, language)`` rows, evaluate per language on the held-out split, quantise,
    save to ``out`` and write ``<out>.meta.json`` (the returned report).

    ``unit``, ``lang_token``, ``line_token``: how examples are prepared (``classifier_text``).
    ``dim``, ``epoch``, ``lr``, ``word_ngrams`` are fastText's, ``char_ngrams`` its ``(minn, maxn)``
    subword lengths (``(0, 0)``: none, the default: on real pages 3-6 gained in Chinese and lost
    0.024 ROC AUC in English, bench/quality_models/RESULTS.md section 3); ``epoch=None`` picks enough passes for
    about ``AUTO_EPOCH_TOKENS`` training tokens (5 to 100 epochs). ``cutoff`` is how many rows
    quantisation keeps (about ``cutoff * dim / 2`` bytes). The report holds example counts per
    language, held-out precision / recall / F1 at 0.5 and ROC AUC overall and per language, and per
    language the ``min_score`` that keeps ``THRESHOLD_RECALL`` of its held-out positives.
    Raises ``TooFewExamples`` below ``min_examples`` per class. One thread and a fixed seed make
    the model reproducible.
    """
    import fasttext

    if tuple(char_ngrams) != (0, 0) and not 1 <= char_ngrams[0] <= char_ngrams[1]:
        raise ValueError(f"char_ngrams {tuple(char_ngrams)}: need 1 <= min <= max, or (0, 0) for none")
    for name, rows in (("positive", positives), ("negative", negatives)):
        if len(rows) < min_examples:
            raise TooFewExamples(f"{len(rows)} {name} examples; at least {min_examples} per class are needed")
    rng = random.Random(seed)
    options = {
        "unit": unit,
        "lang_token": lang_token,
        "line_token": line_token,
        "normalize": CLASSIFIER_NORMALIZE.to_dict(),
    }
    pos_train, pos_held = prepare(positives, options, heldout_fraction, seed)
    neg_train, neg_held = prepare(negatives, options, heldout_fraction, seed)
    if balance:
        pos_train, neg_train = _balance(pos_train, neg_train, rng)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="train-quality-", dir=out.parent) as tmp:
        train_path = Path(tmp) / "train.txt"
        _write_training_file(train_path, [t for t, _ in pos_train], [t for t, _ in neg_train], rng)
        if epoch is None:
            n_tokens = sum(t.count(" ") + 1 for t, _ in pos_train + neg_train)
            epoch = max(5, min(100, AUTO_EPOCH_TOKENS // max(1, n_tokens)))
        args = {"dim": dim, "epoch": epoch, "lr": lr, "wordNgrams": word_ngrams, "thread": 1, "seed": seed}
        args.update(minn=char_ngrams[0], maxn=char_ngrams[1])
        model, args = _train_supervised(fasttext, train_path, args)
        # The output layer, for exact scores (positive_probabilities); quantisation keeps it as it is
        # (qout=False) but fastText refuses to hand it out afterwards.
        output = {"labels": list(model.get_labels()), "rows": model.get_output_matrix().astype(float).tolist()}
        if quantize:
            model.quantize(input=str(train_path), qnorm=True, retrain=False, cutoff=cutoff)
        tmp_model = Path(tmp) / "model"
        model.save_model(str(tmp_model))
        os.replace(tmp_model, out)
    held = pos_held + neg_held
    scores = positive_probabilities(model, [t for t, _ in held], output=output)
    truth = [True] * len(pos_held) + [False] * len(neg_held)
    langs = [lang or "und" for _, lang in held]
    overall = precision_recall(scores, truth)
    overall["auc"] = roc_auc(scores, truth)
    report = {
        "model": str(out),
        "labels": {"positive": POSITIVE, "negative": NEGATIVE},
        "text": options,
        "train": {"positive": len(pos_train), "negative": len(neg_train)},
        "train_by_language": _counts(pos_train, neg_train),
        "heldout": {"positive": len(pos_held), "negative": len(neg_held)},
        "metrics": overall,
        "metrics_by_language": per_language_metrics(scores, truth, langs),
        "params": {
            **args,
            "quantize": quantize,
            "cutoff": cutoff,
            "balance": balance,
            "heldout_fraction": heldout_fraction,
        },
        "size_bytes": out.stat().st_size,
        "output_layer": output,
    }
    report["min_score_by_language"] = {
        lang: m["min_score"] for lang, m in report["metrics_by_language"].items() if m["min_score"] is not None
    }
    pooled = [s for s, t in zip(scores, truth) if t]
    report["min_score_by_language"]["default"] = _threshold_for(pooled) if pooled else 0.5
    Path(f"{out}.meta.json").write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
    return report


def _counts(pos, neg) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for key, rows in (("positive", pos), ("negative", neg)):
        for _t, lang in rows:
            out.setdefault(lang or "und", {"positive": 0, "negative": 0})[key] += 1
    return dict(sorted(out.items()))


MAX_LR_HALVINGS = 5


def _train_supervised(fasttext, train_path: Path, args: dict):
    """fastText's training, retried at half the learning rate when it diverges.

    fastText stops with ``RuntimeError: Encountered NaN`` when the loss overflows, which happens at a
    high learning rate and, at the default 0.5, now and then on some inputs (seen here after unrelated
    work in the same process). Halving the rate, at most ``MAX_LR_HALVINGS`` times, trains instead of
    failing; the rate used and the number of halvings are in ``args`` (the report's ``params``).
    """
    for halvings in range(MAX_LR_HALVINGS + 1):
        try:
            model = fasttext.train_supervised(input=str(train_path), verbose=0, minCount=1, bucket=200_000, **args)
            return model, {**args, "lr_halvings": halvings}
        except RuntimeError as exc:
            if "NaN" not in str(exc) or halvings == MAX_LR_HALVINGS:
                raise
            print(f"fastText diverged (NaN) at lr={args['lr']:g}; retrying at lr={args['lr'] / 2:g}", file=sys.stderr)
            args = {**args, "lr": args["lr"] / 2}
    raise AssertionError("unreachable")


def reference_languages(model_path: str | Path) -> frozenset[str] | None:
    """The languages a model had reference (positive) training examples of, from ``<model>.meta.json``;
    None when it cannot say (no meta file, or examples without a language: ``und`` only)."""
    meta = Path(f"{model_path}.meta.json")
    counts = json.loads(meta.read_text()).get("train_by_language") if meta.is_file() else None
    langs = frozenset(lang for lang, c in (counts or {}).items() if c.get("positive") and lang != "und")
    return langs or None


def load_text_options(model_path: str | Path) -> dict:
    """How a model's examples were prepared, from ``<model>.meta.json``; models trained before
    the options existed (no ``text`` entry) split on whitespace without a language token."""
    meta = Path(f"{model_path}.meta.json")
    data = json.loads(meta.read_text()) if meta.is_file() else {}
    return data.get("text") or {"unit": "words", "lang_token": False}
