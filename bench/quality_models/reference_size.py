"""How much reference text a language needs before the model filters stop removing its clean text.

English, treated as a man-page language is in ``fairness.py``'s way (b): its first ``N`` wikitext-2
``valid.txt`` reference documents (two paragraphs each) are the classifier's positives and the
KenLM reference, word-shuffled copies of them and of ``N // 2`` calibration documents the negatives,
the calibration documents (clean and shuffled) the perplexity cut-offs. zh and ja keep their full
bench setup (as in ``fairness.py``); the bench's English boilerplate and shuffled sentences are left
out, so English learns from the same kind of material as de or ru do. Scored: the 100 clean English
documents of ``data.clean_documents`` (wikitext-2 ``test.txt``, no model saw them).

    nice -n 19 .venv/bin/python bench/quality_models/reference_size.py [--sizes 16 40 120 400]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import data
from fairness import model_steps, reference_training, removed_shares

from pipeline.lm.kenlm_train import train_kenlm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[16, 40, 120, 400], help="reference documents")
    args = parser.parse_args()
    started = time.perf_counter()
    sets = data.shuffle_sets(300)
    en_docs = data.reference_documents(sets, per_language=max(args.sizes) * 2)["en"]
    examples = [(g, t, good, "zh", "main vs boilerplate") for g, t, good in data.zh_pages()]
    for lang in ("zh", "ja"):
        examples += [(f"{lang}{g}", t, good, lang, "clean vs shuffled") for g, t, good in sets[lang]["eval"]]
    refs = data.reference_documents(sets)
    pos = [(t, lang) for lang in ("zh", "ja") for t in refs[lang]]
    neg = [(t, lang) for _g, t, good, lang, _task in examples if not good]
    calibration = [{"language": lang, "text": t} for _g, t, _good, lang, _task in examples]
    clean = {"en": data.clean_documents()["en"]}
    print("| en reference documents | characters | perplexity_filter | quality_filter | removed |")
    print("|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="qbench-refsize-") as tmp:
        work, models = Path(tmp), {}
        for lang in ("zh", "ja"):
            ref = work / f"{lang}.ref.txt"
            ref.write_text("\n".join(sets[lang]["reference"][:20000]) + "\n", encoding="utf-8")
            models[lang] = train_kenlm(ref, work / "lm", order=5, lang=lang)
        for n in args.sizes:
            en = {"reference": en_docs[:n], "calibration": en_docs[len(en_docs) - n // 2 :]}
            extra = reference_training({"en": en}, work / f"lm-en-{n}")
            steps = model_steps(
                pos + extra["pos"], neg + extra["neg"], calibration + extra["calibration"],
                {**models, **extra["models"]}, work / f"quality-{n}.ftz",
            )  # fmt: skip
            x = removed_shares(clean, steps)["en"]
            chars = sum(map(len, en["reference"]))
            print(f"| {n} | {chars:,} | {x['perplexity_filter']:.1%} | {x['quality_filter']:.1%} | {x['all']:.1%} |")
    print(f"\ntotal {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
