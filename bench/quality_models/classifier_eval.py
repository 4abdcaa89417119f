"""Cross-validated ROC AUC of the fastText quality classifier on the bench's labelled real text.

Examples are ``(group, text, good, lang, task)``; groups (pages, source sentences) are assigned to
5 folds by hash, so no page is on both sides; each fold is scored by a model trained on the other
four, so every example gets one held-out score. Models are trained by ``train_quality_classifier``
(what ``corpus train-quality`` runs) and scored the way the ``quality_classifier`` annotator does
(text options read back from ``<model>.meta.json``). A variant sets the example preparation, the
model layout (``split``: one model for everything, one per language, or one per task as a user
would train a boilerplate model and a shuffled-text model) and any other training option.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from data import group_of

from pipeline.lm.metrics import roc_auc
from pipeline.lm.quality import (
    classifier_text,
    load_output_layer,
    load_text_options,
    positive_probabilities,
    train_quality_classifier,
)

FOLDS = 5


def _v(unit: str, lang_token: bool, line_token: bool, split: str | None = None, **train) -> dict:
    return {"unit": unit, "lang_token": lang_token, "line_token": line_token, "split": split, "train": train}


# "per task": train-quality's defaults (quantised .ftz included), one model per task.
PER_TASK = "one model per task, train-quality defaults (.ftz)"
DEFAULT = "one mixed model, chars, lang + line tokens (default)"
VARIANTS = {
    PER_TASK: _v("chars", True, True, split="task", quantize=True),
    DEFAULT: _v("chars", True, True),
}
MORE_VARIANTS = {
    "one model per language, chars, line token": _v("chars", False, True, split="lang"),
    "mixed, whitespace words (before #14)": _v("words", False, False),
    "mixed, chars, lang token, no line token": _v("chars", True, False),
    "mixed, chars, line token, no lang token": _v("chars", False, True),
    "mixed, segmented (jieba/MeCab), lang + line tokens": _v("segmented", True, True),
}


def fold_of(group: str, seed: int = 0) -> int:
    """The fold of an example group; seed 0 keeps the bench's historical split, others re-draw it."""
    return group_of(group if seed == 0 else f"{seed}\0{group}", FOLDS)


def _fit(train, variant: dict, path: Path, seed: int) -> None:
    pos = [(t, lang) for _g, t, good, lang, _task in train if good]
    neg = [(t, lang) for _g, t, good, lang, _task in train if not good]
    options = {"quantize": False, "cutoff": 20_000, **variant["train"]}
    train_quality_classifier(
        pos, neg, path, heldout_fraction=0.0, unit=variant["unit"], lang_token=variant["lang_token"],
        line_token=variant["line_token"], min_examples=1, seed=seed, **options,
    )  # fmt: skip


def score(path: Path, rows) -> list[float]:
    """P(reference) of ``(text, lang)`` rows, prepared as the annotator prepares them for this model."""
    import fasttext

    opts = load_text_options(path)
    texts = [
        classifier_text(t, lang, opts["unit"], opts["lang_token"], line_token=bool(opts.get("line_token")))
        for t, lang in rows
    ]
    return positive_probabilities(fasttext.load_model(str(path)), texts, output=load_output_layer(path))


def cross_val_scores(examples, variant: dict, seed: int = 0) -> list[float]:
    """One held-out P(reference) per example, from the model of the other folds; ``seed`` is both
    fastText's seed and the fold split's (run-to-run spread)."""
    key = {"lang": 3, "task": 4}.get(variant["split"])
    scores = [0.0] * len(examples)
    with tempfile.TemporaryDirectory(prefix="qbench-") as tmp:
        for fold in range(FOLDS):
            test = [i for i, e in enumerate(examples) if fold_of(e[0], seed) == fold]
            train = [e for e in examples if fold_of(e[0], seed) != fold]
            for n, part in enumerate(sorted({e[key] for e in examples}) if key else [None]):
                path = Path(tmp) / f"f{fold}-{n}.ftz"
                _fit([e for e in train if part is None or e[key] == part], variant, path, seed)
                idx = [i for i in test if part is None or examples[i][key] == part]
                for i, s in zip(idx, score(path, [(examples[i][1], examples[i][3]) for i in idx])):
                    scores[i] = s
    return scores


def auc_by_task(examples, scores) -> dict[tuple[str, str], float]:
    """ROC AUC per (language, task)."""
    out = {}
    for key in sorted({(e[3], e[4]) for e in examples}):
        idx = [i for i, e in enumerate(examples) if (e[3], e[4]) == key]
        out[key] = roc_auc([scores[i] for i in idx], [examples[i][2] for i in idx])
    return out
