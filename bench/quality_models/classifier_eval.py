"""Cross-validated ROC AUC of the fastText quality classifier on the bench's labelled real text.

Examples are ``(group, text, good, lang, task)``; groups (pages, source sentences) are assigned to
5 folds by hash, each fold is scored by a model trained on the other four, so every example gets
one held-out score. Variants compare the example preparation (units) and one mixed model (with or
without a language token) against one model per language.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from data import group_of

from pipeline.lm.metrics import roc_auc
from pipeline.lm.quality import classifier_text, positive_probabilities, train_quality_classifier

FOLDS = 5


def _v(unit: str, lang_token: bool, line_token: bool, per_language: bool = False) -> dict:
    return {"unit": unit, "lang_token": lang_token, "line_token": line_token, "per_language": per_language}


VARIANTS = {
    "mixed, chars, lang + line tokens (default)": _v("chars", True, True),
    "one model per language, chars, line token": _v("chars", False, True, per_language=True),
    "mixed, whitespace words (before #14)": _v("words", False, False),
}
MORE_VARIANTS = {
    "mixed, chars, lang token, no line token": _v("chars", True, False),
    "mixed, chars, line token, no lang token": _v("chars", False, True),
    "mixed, segmented (jieba/MeCab), lang + line tokens": _v("segmented", True, True),
}


def _fit(train, variant: dict, work: Path, name: str, quantize: bool = False):
    pos = [(t, lang) for _g, t, good, lang, _task in train if good]
    neg = [(t, lang) for _g, t, good, lang, _task in train if not good]
    train_quality_classifier(
        pos, neg, work / name, heldout_fraction=0.0, unit=variant["unit"], lang_token=variant["lang_token"],
        line_token=variant["line_token"], quantize=quantize, cutoff=20_000, min_examples=1,
    )  # fmt: skip
    import fasttext

    return fasttext.load_model(str(work / name))


def cross_val_scores(examples, variant: dict, quantize: bool = False) -> list[float]:
    """One held-out P(reference) per example, from the model of the other folds."""
    scores = [0.0] * len(examples)
    with tempfile.TemporaryDirectory(prefix="qbench-") as tmp:
        for fold in range(FOLDS):
            test = [i for i, e in enumerate(examples) if group_of(e[0], FOLDS) == fold]
            train = [e for e in examples if group_of(e[0], FOLDS) != fold]
            parts = sorted({e[3] for e in examples}) if variant["per_language"] else [None]
            for lang in parts:
                sub = [e for e in train if lang is None or e[3] == lang]
                model = _fit(sub, variant, Path(tmp), f"f{fold}-{lang}.bin", quantize)
                idx = [i for i in test if lang is None or examples[i][3] == lang]
                texts = [
                    classifier_text(examples[i][1], examples[i][3], variant["unit"], variant["lang_token"]) for i in idx
                ]
                for i, s in zip(idx, positive_probabilities(model, texts)):
                    scores[i] = s
    return scores


def auc_by_task(examples, scores) -> dict[tuple[str, str], float]:
    """ROC AUC per (language, task)."""
    out = {}
    for key in sorted({(e[3], e[4]) for e in examples}):
        idx = [i for i, e in enumerate(examples) if (e[3], e[4]) == key]
        out[key] = roc_auc([scores[i] for i in idx], [examples[i][2] for i in idx])
    return out
