"""Which KenLM units and normalisation separate clean text from its shuffled copy best, per language.

For each language (en: wikitext-2; zh: zh-news; ja: the Aozora novel, see ``data.py``) this trains
order-5 models on the reference with every unit (``pipeline.lm.units``) and several normalisations,
and a plain ``lmplz -o 5`` model on the raw reference lines (whitespace words, no normalisation),
then prints the ROC AUC of -perplexity for clean vs word-shuffled held-out sentences.
``--small`` repeats the issue's case: 700 English reference sentences, 300 evaluation sentences.

    nice -n 10 .venv/bin/python bench/quality_models/lm_sweep.py [--max-lines 20000] [--small]
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
from lm_eval import auc_of_model, plain_lmplz_auc

from pipeline.lm.kenlm_train import train_kenlm
from pipeline.lm.normalize import NormalizeOptions

NORMALIZATIONS = {
    "cc_net": NormalizeOptions(),
    "none": NormalizeOptions(lower=False, strip_accents=False, digits_to_zero=False, ascii_punctuation=False),
    "no_accents_strip": NormalizeOptions(strip_accents=False),
    "no_digit_map": NormalizeOptions(digits_to_zero=False),
    "no_lower": NormalizeOptions(lower=False),
    "no_punct_fold": NormalizeOptions(ascii_punctuation=False),
    "case+accents kept": NormalizeOptions(lower=False, strip_accents=False),
    "only punct fold": NormalizeOptions(lower=False, strip_accents=False, digits_to_zero=False),
}


def sweep(lang: str, reference: list[str], evaluation, work: Path, vocab: int) -> list[tuple[str, str, float, float]]:
    ref = work / f"{lang}.ref.txt"
    ref.write_text("\n".join(reference) + "\n", encoding="utf-8")
    rows = [("plain lmplz -o 5", "raw", *plain_lmplz_auc(ref, evaluation, work))]
    for unit in ("sentencepiece", "words", "chars", "segmented"):
        if lang == "en" and unit in ("chars", "segmented"):
            continue  # identical to words for text without CJK characters
        for norm_name, norm in NORMALIZATIONS.items():
            if norm_name != "cc_net" and unit != "chars" and not (lang == "en" and unit == "words"):
                continue
            t0 = time.perf_counter()
            out = work / f"{lang}-{unit}-{norm_name}"
            train_kenlm(ref, out, order=5, lang=lang, unit=unit, vocab_size=vocab, normalize=norm)
            rows.append((unit, norm_name, auc_of_model(out, lang, evaluation), time.perf_counter() - t0))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--max-lines", type=int, default=20000, help="reference lines per language")
    parser.add_argument("--per-language", type=int, default=300, help="clean evaluation sentences per language")
    parser.add_argument("--vocab", type=int, default=32000, help="sentencepiece vocabulary (train-lm's default)")
    parser.add_argument("--small", action="store_true", help="only the issue's case: 700 English sentences")
    parser.add_argument("--langs", nargs="+", default=["en", "zh", "ja"])
    args = parser.parse_args()
    sets = data.shuffle_sets(args.per_language)
    if args.small:
        sents = [s for p in data.wikitext_paragraphs("valid.txt") for s in data.split_sentences(p)]
        sets = {"en": {"reference": sents[:700], "eval": sets["en"]["eval"]}}
    with tempfile.TemporaryDirectory(prefix="lm-sweep-") as tmp:
        for lang, sset in sets.items():
            if lang not in args.langs:
                continue
            reference = sset["reference"][: args.max_lines]
            print(f"\n{lang}: reference {len(reference):,} lines, eval {len(sset['eval']) // 2} clean + shuffled")
            print(f"{'unit':18} {'normalisation':18} {'AUC':>6} {'train s':>8}")
            for unit, norm, auc, secs in sweep(lang, reference, sset["eval"], Path(tmp), args.vocab):
                print(f"{unit:18} {norm:18} {auc:6.3f} {secs:8.1f}")


if __name__ == "__main__":
    main()
