"""Main text vs boilerplate: what each option of the boilerplate classifier does (RESULTS section 3).

The model is the one ``run.py`` reports as "one model per task": ``train_quality_classifier`` with
train-quality's defaults (chars, language and line tokens, auto epochs, word bigrams, dim 64,
quantised .ftz), trained on the main text (positives) and the other visible text (negatives) of the
wceb (en) and zh-web-extraction (zh) pages, 5-fold by page. Each row changes one thing: pages
used, what counts as a boilerplate block, epochs, word / character n-grams, dim, quantisation.

    nice -n 19 .venv/bin/python bench/quality_models/classifier_sweep.py     # ~15 min on 2 loaded cores
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import data
from classifier_eval import _v, auc_by_task, cross_val_scores

# (label, pages, boilerplate_of options, languages, train_quality_classifier options, seeds)
ROWS = [
    ("defaults, all pages", 999, {}, ("en", "zh"), {}, (0, 1)),
    ("150 wceb pages", 150, {}, ("en", "zh"), {}, (0,)),
    ("300 wceb pages", 300, {}, ("en", "zh"), {}, (0,)),
    ("600 wceb pages", 600, {}, ("en", "zh"), {}, (0,)),
    ("boilerplate = exact substring match (before)", 999, {"match": "exact"}, ("en", "zh"), {}, (0, 1)),
    ("boilerplate blocks >= 20 chars only", 999, {"min_block_chars": 20}, ("en", "zh"), {}, (0,)),
    ("en pages only (no zh)", 999, {}, ("en",), {}, (0,)),
    ("epoch 5", 999, {}, ("en", "zh"), {"epoch": 5}, (0,)),
    ("epoch 25", 999, {}, ("en", "zh"), {"epoch": 25}, (0, 1)),
    ("epoch 50", 999, {}, ("en", "zh"), {"epoch": 50}, (0,)),
    ("word n-grams 1", 999, {}, ("en", "zh"), {"word_ngrams": 1}, (0,)),
    ("word n-grams 3", 999, {}, ("en", "zh"), {"word_ngrams": 3}, (0,)),
    ("char n-grams 2-4", 999, {}, ("en", "zh"), {"char_ngrams": (2, 4)}, (0,)),
    ("char n-grams 3-6", 999, {}, ("en", "zh"), {"char_ngrams": (3, 6)}, (0, 1)),
    ("dim 16", 999, {}, ("en", "zh"), {"dim": 16}, (0,)),
    ("dim 128", 999, {}, ("en", "zh"), {"dim": 128}, (0,)),
    ("not quantised", 999, {}, ("en", "zh"), {"quantize": False}, (0,)),
]


def pages(limit: int, block: dict, langs) -> list:
    task = "main vs boilerplate"
    out = [(g, t, good, "en", task) for g, t, good in data.wceb_pages(limit, **block)] if "en" in langs else []
    return out + ([(g, t, good, "zh", task) for g, t, good in data.zh_pages(**block)] if "zh" in langs else [])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", help="run the rows whose label contains this text")
    args = parser.parse_args()
    cache: dict = {}
    print("| option | seed | en pages | en AUC | zh AUC | s |\n|---|---:|---:|---:|---:|---:|")
    for label, limit, block, langs, train, seeds in ROWS:
        if args.only and args.only not in label:
            continue
        key = (limit, tuple(sorted(block.items())), langs)
        if key not in cache:
            cache[key] = pages(limit, block, langs)
        examples = cache[key]
        variant = _v("chars", True, True, split="task", **{"quantize": True, **train})
        n_en = sum(e[3] == "en" for e in examples) // 2
        for seed in seeds:
            t0 = time.perf_counter()
            try:
                auc = auc_by_task(examples, cross_val_scores(examples, variant, seed))
            except RuntimeError as exc:  # fastText: "Encountered NaN." (training diverged)
                print(f"| {label} | {seed} | {n_en} | {exc} | | |", flush=True)
                continue
            cells = [f"{auc[(lang, 'main vs boilerplate')]:.3f}" if lang in langs else "-" for lang in ("en", "zh")]
            print(f"| {label} | {seed} | {n_en} | {' | '.join(cells)} | {time.perf_counter() - t0:.0f} |", flush=True)


if __name__ == "__main__":
    main()
