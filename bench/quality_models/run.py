"""Quality models on real text, per language, side by side in one run (issue #14).

Tasks (``data.py``): main text vs boilerplate of real pages (en: wceb, zh: zh-web-extraction) and
clean vs word-shuffled sentences (en: wikitext-2, zh: zh-news, ja: the Aozora novel). Printed:

1. the fastText classifier's held-out ROC AUC (5-fold cross-validation by page / sentence): one
   model per task as a user would train it (a boilerplate model on the pages of en + zh, a
   shuffled-text model on the sentences of en, zh, ja; ``train_quality_classifier`` defaults,
   quantised; every seed in ``--seeds``, which re-draws fastText's seed and the fold split, for the
   spread) and one mixed model for both tasks, plus ablations with ``--all-variants``;
2. ROC AUC of -perplexity under our KenLM model (``train_kenlm`` defaults) and under a plain
   ``lmplz -o 5`` word model, both trained on the same reference text per language;
3. fairness: the share of clean held-out real documents (wikitext-2 test articles, zh-news articles,
   novel passages) the model filters remove with per-language thresholds: ``perplexity_filter``
   (tail above the 66th percentile of that language's bench documents, cc_net's rule) and
   ``quality_filter`` (``min_score`` = train-quality's per-language threshold).

    nice -n 19 .venv/bin/python bench/quality_models/run.py [--pages 999] [--seeds 0 1] [--all-variants]
        [--boilerplate-match words|exact] [--per-language 300]
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import data
from classifier_eval import DEFAULT, MORE_VARIANTS, PER_TASK, VARIANTS, auc_by_task, cross_val_scores
from fairness import fairness_table
from lm_eval import auc_of_model, plain_lmplz_auc

from pipeline.lm.kenlm_train import train_kenlm


def load(args) -> tuple[list, dict]:
    """(examples as (group, text, good, lang, task), per-language shuffle sets with references)."""
    sets = data.shuffle_sets(args.per_language)
    block = {"match": args.boilerplate_match}
    examples = [(g, t, good, "en", "main vs boilerplate") for g, t, good in data.wceb_pages(args.pages, **block)]
    examples += [(g, t, good, "zh", "main vs boilerplate") for g, t, good in data.zh_pages(**block)]
    for lang, s in sets.items():
        examples += [(f"{lang}{g}", t, good, lang, "clean vs shuffled") for g, t, good in s["eval"]]
    return examples, sets


def classifier_section(examples, all_variants: bool, seeds: list[int]) -> dict[str, dict]:
    """Every variant at seed 0, the per-task variant also at the other ``seeds`` (run-to-run spread)."""
    print("\n## fastText classifier: held-out ROC AUC (5-fold by page / sentence)")
    rows = []
    variants = {**VARIANTS, **MORE_VARIANTS} if all_variants else VARIANTS
    for name, variant in variants.items():
        for seed in seeds if name == PER_TASK else seeds[:1]:
            t0 = time.perf_counter()
            aucs = auc_by_task(examples, cross_val_scores(examples, variant, seed))
            rows.append((name, seed, aucs, time.perf_counter() - t0))
    keys = list(rows[0][2])
    print("| variant | seed | " + " | ".join(f"{lang} {task}" for lang, task in keys) + " | s |")
    print("|---|---:|" + "---:|" * (len(keys) + 1))
    for name, seed, aucs, secs in rows:
        print(f"| {name} | {seed} | " + " | ".join(f"{aucs[k]:.3f}" for k in keys) + f" | {secs:.0f} |")
    mine = [aucs for name, _s, aucs, _t in rows if name == PER_TASK]
    if len(mine) > 1:
        cells = [f"{min(a[k] for a in mine):.3f}-{max(a[k] for a in mine):.3f}" for k in keys]
        print(f"| {PER_TASK}, min-max over seeds {seeds} | | " + " | ".join(cells) + " | |")
    return {"per task": mine[0], "mixed": next(a for n, _s, a, _t in rows if n == DEFAULT)}


def kenlm_section(examples, sets, work: Path, max_lines: int, clf: dict) -> dict[str, Path]:
    print("\n## Side by side: classifier (per task / mixed, seed 0) vs our KenLM vs plain `lmplz -o 5` (ROC AUC)")
    print("| language | task | classifier per task | classifier mixed | our KenLM | plain lmplz -o 5 | ours / plain |")
    print("|---|---|---:|---:|---:|---:|---:|")
    models = {}
    for lang, s in sets.items():
        ref = work / f"{lang}.ref.txt"
        ref.write_text("\n".join(s["reference"][:max_lines]) + "\n", encoding="utf-8")
        models[lang] = train_kenlm(ref, work / "lm", order=5, lang=lang)
        for task in ("main vs boilerplate", "clean vs shuffled"):
            subset = [(g, t, good) for g, t, good, lg, tk in examples if lg == lang and tk == task]
            if not subset:
                continue
            ours = auc_of_model(models[lang], lang, subset)
            plain, _secs = plain_lmplz_auc(ref, subset, work)
            per_task, mixed = clf["per task"][(lang, task)], clf["mixed"][(lang, task)]
            print(f"| {lang} | {task} | {per_task:.3f} | {mixed:.3f} | {ours:.3f} | {plain:.3f} | {ours / plain:.2f} |")
    return models


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=999, help="wceb pages sampled (seeded; 999 = all)")
    parser.add_argument(
        "--boilerplate-match", choices=["words", "exact"], default="words", help="data.boilerplate_of's match"
    )
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1], help="seeds of the per-task classifier")
    parser.add_argument("--all-variants", action="store_true", help="also the ablations of each text option")
    parser.add_argument("--per-language", type=int, default=300, help="clean sentences per language (+ shuffled)")
    parser.add_argument("--max-lines", type=int, default=20000, help="KenLM reference lines per language")
    args = parser.parse_args()
    started = time.perf_counter()
    print(f"machine: {platform.machine()}, {platform.python_version()}, {platform.platform()}")
    examples, sets = load(args)
    counts = {}
    for _g, _t, good, lang, task in examples:
        counts.setdefault((lang, task), [0, 0])[0 if good else 1] += 1
    print("examples (good, bad): " + ", ".join(f"{k[0]} {k[1]} {v[0]}/{v[1]}" for k, v in sorted(counts.items())))
    clf = classifier_section(examples, args.all_variants, args.seeds)
    with tempfile.TemporaryDirectory(prefix="qbench-lm-") as tmp:
        models = kenlm_section(examples, sets, Path(tmp), args.max_lines, clf)
        fairness_table(examples, sets, models, Path(tmp))
    print(f"\ntotal {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
