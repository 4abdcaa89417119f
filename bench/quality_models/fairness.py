"""Fairness of the model filters: share of clean real documents removed, per language.

The bench's models are trained as ``corpus`` would: the classifier by ``train_quality_classifier``
(default options, quantised) with reference documents as positives and the bench's bad examples as
negatives, its per-language ``min_score`` read from the report (95 % of held-out positives kept);
KenLM by ``train_kenlm`` with cut-offs from ``compute_cutoffs`` (cc_net's 33rd / 66th percentiles)
over that language's bench documents. Then the annotators run through ``run_steps`` on clean
held-out documents (``data.clean_documents``, and ``manpages.py``'s documents for de, fr, es, ru, it,
pt, pl, nl) and each filter (``perplexity_filter`` keeping head + middle, ``quality_filter``) is
asked about every document. Two ways for the languages without real text in ``../shared/data``:
(a) models of en / zh / ja only, (b) plus the man pages' reference pages (``manpage_training``).

    nice -n 19 .venv/bin/python bench/quality_models/fairness.py     # about a minute
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import data
import manpages

from pipeline.annotate.perplexity import KenlmPerplexityAnnotator
from pipeline.annotate.quality import QualityClassifierAnnotator
from pipeline.filters.model_filters import PerplexityBucketFilter, QualityThresholdFilter
from pipeline.lm.cutoffs import compute_cutoffs
from pipeline.lm.kenlm_train import train_kenlm
from pipeline.lm.quality import train_quality_classifier
from pipeline.step import Filter, run_steps
from schemas.documents import empty_row


def removed_shares(docs_by_lang: dict[str, list[str]], steps) -> dict[str, dict[str, float]]:
    """Per language: share of ``docs_by_lang``'s documents each filter of ``steps`` removes on its own
    (every filter sees every document, so a filter that runs second is not hidden by the first) and
    the share removed by any of them. The annotators run first; their scores are kept in
    ``table[lang]["docs"]`` for ``print_scores``."""
    rows = []
    for lang, texts in docs_by_lang.items():
        for i, text in enumerate(texts):
            row = empty_row()
            row.update(id=f"{lang}-{i}", text=text, language=lang, status="kept")
            rows.append(row)
    filters = [s for s in steps if isinstance(s, Filter)]
    out = run_steps([s for s in steps if not isinstance(s, Filter)], rows)
    table = {}
    for lang in docs_by_lang:
        mine = [d for d in out if d["language"] == lang]
        hits = {f.name: [f.check(d) is not None for d in mine] for f in filters}
        by = {name: sum(h) / len(mine) for name, h in hits.items()}
        by["all"] = sum(any(h) for h in zip(*hits.values())) / len(mine)
        by["n"] = len(mine)
        by["docs"] = mine
        table[lang] = by
    return table


def _quartiles(xs: list[float]) -> str:
    xs = sorted(x for x in xs if x is not None)
    if not xs:
        return "-"
    return " / ".join(f"{xs[int(q * (len(xs) - 1))]:.3g}" for q in (0.1, 0.5, 0.9))


def print_scores(table: dict, steps) -> None:
    """Per language: 10th / 50th / 90th percentile of perplexity and quality score, with the cuts."""
    ppl = next((s for s in steps if isinstance(s, KenlmPerplexityAnnotator)), None)
    qf = next((s for s in steps if isinstance(s, QualityThresholdFilter)), None)
    print("| language | perplexity p10 / p50 / p90 | middle/tail cut | quality score p10 / p50 / p90 | min_score |")
    print("|---|---:|---:|---:|---:|")
    for lang, x in table.items():
        cut = (ppl.cutoffs.get(lang) or [None, None])[1] if ppl else None
        p = _quartiles([d.get("perplexity") for d in x["docs"]])
        q = _quartiles([d.get("quality_score") for d in x["docs"]])
        print(f"| {lang} | {p} | {cut if cut is not None else 'no model: kept'} | {q} | {qf.cut_for(lang):.3f} |")


def manpage_documents(sets=("fairness",), seed: int = 0) -> dict[str, list[str]]:
    """Man-page documents per language from the given page sets (``manpages.py``); a language whose
    pages are absent is skipped with its reason printed."""
    out = {}
    for lang, why in manpages.available().items():
        if why:
            print(f"{lang}: skipped, {why}")
            continue
        by_set = manpages.manpage_sets(lang, seed)
        out[lang] = [d for name in sets for d in by_set[name]]
    return out


def print_fairness(title: str, table: dict[str, dict[str, float]]) -> None:
    print(f"\n## {title}")
    print("| language | documents | perplexity_filter | quality_filter | removed |")
    print("|---|---:|---:|---:|---:|")
    for lang, x in table.items():
        print(f"| {lang} | {x['n']} | {x['perplexity_filter']:.1%} | {x['quality_filter']:.1%} | {x['all']:.1%} |")
    shares = [x["all"] for x in table.values()]
    if not shares:
        return
    print(f"max {max(shares):.1%} (goal <= 10 %), spread {max(shares) - min(shares):.1%} (goal <= 5 points)")


def _shuffled_documents(docs: list[str], seed: int = 0) -> list[str]:
    """Each document with the words of every paragraph shuffled, its paragraph breaks kept: bad text
    of the same shape as the clean documents. (Shuffled single paragraphs as negatives taught the
    classifier "one line = bad" in languages with ~100 positives: 9 of 17 one-paragraph German
    documents removed against 1 of 61 with several paragraphs.)"""
    rng = random.Random(seed)
    out = []
    for doc in docs:
        paras = []
        for para in doc.split("\n"):
            words = para.split()
            rng.shuffle(words)
            paras.append(" ".join(words))
        out.append("\n".join(paras))
    return out


def manpage_training(work: Path, seed: int = 0) -> dict:
    """What way (b) adds for each man-page language (``reference_training`` on its reference and
    calibration pages; its fairness pages are in none of them)."""
    sets = {}
    for lang, why in manpages.available().items():
        if not why:
            sets[lang] = manpages.manpage_sets(lang, seed)
    return reference_training(sets, work / "lm-man", seed)


def reference_training(sets_by_lang: dict[str, dict[str, list[str]]], lm_dir: Path, seed: int = 0) -> dict:
    """Per language with ``{"reference": docs, "calibration": docs}``: a KenLM model on the reference
    documents' paragraphs, the reference documents as classifier positives, word-shuffled copies of
    the same documents as negatives (``_shuffled_documents``: both classes hold the same words, so
    only word order and paragraph shape can tell them apart; adding shuffled calibration documents,
    whose clean copies are in neither class, made their words look bad: de 20.5 % removed instead of
    17.9 %), and the calibration documents, clean and shuffled, as cut-off calibration (like the
    bench's clean vs shuffled sentences)."""
    out = {"models": {}, "pos": [], "neg": [], "calibration": []}
    lm_dir.mkdir(parents=True, exist_ok=True)
    for lang, sets in sets_by_lang.items():
        ref = lm_dir / f"{lang}.reference.txt"
        ref.write_text("\n".join(p for d in sets["reference"] for p in d.split("\n")) + "\n", encoding="utf-8")
        try:
            out["models"][lang] = train_kenlm(ref, lm_dir, order=5, lang=lang)
        except Exception as exc:  # too little text for lmplz: the language stays unscored, and we say so
            print(f"{lang}: no KenLM model ({type(exc).__name__}: {str(exc)[:200]})")
        out["pos"] += [(d, lang) for d in sets["reference"]]
        out["neg"] += [(t, lang) for t in _shuffled_documents(sets["reference"], seed)]
        cal = sets["calibration"] + _shuffled_documents(sets["calibration"], seed + 1)
        out["calibration"] += [{"language": lang, "text": t} for t in cal]
    return out


def model_steps(pos, neg, calibration, models: dict, out: Path, skip_untrained: bool = True) -> list:
    """Train the classifier as ``corpus train-quality`` does, compute cc_net cut-offs on ``calibration``,
    and return the four model-filter steps with per-language thresholds. ``skip_untrained=False``
    makes the classifier score languages it had no reference examples of (the default leaves them
    unscored, so kept)."""
    if not out.exists():
        report = train_quality_classifier(pos, neg, out, min_examples=1)
        print(f"\nclassifier trained on (positives, negatives) per language: {report['train_by_language']}")
        print(
            f"quality_filter min_score per language (keeps 95 % of held-out positives): {report['min_score_by_language']}"
        )
    report = json.loads(Path(f"{out}.meta.json").read_text())
    cutoffs = compute_cutoffs({lang: str(m) for lang, m in models.items()}, calibration)["cutoffs"]
    return [
        KenlmPerplexityAnnotator({lang: str(m) for lang, m in models.items()}, cutoffs),
        PerplexityBucketFilter(),
        QualityClassifierAnnotator(str(out), skip_untrained=skip_untrained),
        QualityThresholdFilter(min_score=report["min_score_by_language"]),
    ]


def fairness_table(examples, sets, models: dict[str, Path], work: Path) -> dict:
    """Both ways of handling the man-page languages (see RESULTS.md section 1); returns way (a)'s table."""
    # As in `make demo`: reference documents of each language are the positives (so the per-language
    # threshold is calibrated on documents like the clean ones), the bench's bad examples the negatives.
    pos = [(t, lang) for lang, docs in data.reference_documents(sets).items() for t in docs]
    neg = [(t, lang) for _g, t, good, lang, _task in examples if not good]
    calibration = [{"language": lang, "text": t} for _g, t, _good, lang, _task in examples]
    clean = data.clean_documents()
    # (a) models of en / zh / ja only. No model ever saw a man page, so every man-page document counts.
    docs = {**clean, **manpage_documents(("reference", "calibration", "fairness"))}
    steps = model_steps(pos, neg, calibration, models, work / "quality.ftz")
    table = removed_shares(docs, steps)
    print_fairness("(a) Fairness: clean real documents removed by the bench's en/zh/ja models, recipe defaults", table)
    print("(a language without a KenLM model or classifier reference examples is unscored, so kept)")
    raw_steps = model_steps(pos, neg, calibration, models, work / "quality.ftz", skip_untrained=False)
    raw = removed_shares(docs, raw_steps)
    print_fairness("(a') The same, the classifier made to score languages it never saw (skip_untrained=false)", raw)
    print_scores(raw, raw_steps)
    # (b) plus man-page reference text for the other languages (their fairness pages only are scored).
    extra = manpage_training(work)
    steps_b = model_steps(
        pos + extra["pos"], neg + extra["neg"], calibration + extra["calibration"],
        {**models, **extra["models"]}, work / "quality-man.ftz",
    )  # fmt: skip
    table_b = removed_shares({**clean, **manpage_documents()}, steps_b)
    print_fairness("(b) Fairness: the same with man-page references for the other languages", table_b)
    print_scores(table_b, steps_b)
    return table


def main() -> None:
    """Only the fairness figure (section 1's last table), without run.py's cross-validation."""
    import argparse
    import tempfile
    import time

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--pages", type=int, default=200, help="wceb pages sampled (seeded), as run.py")
    parser.add_argument("--per-language", type=int, default=300, help="clean sentences per language, as run.py")
    parser.add_argument("--max-lines", type=int, default=20000, help="KenLM reference lines, as run.py")
    args = parser.parse_args()
    started = time.perf_counter()
    sets = data.shuffle_sets(args.per_language)
    examples = [(g, t, good, "en", "main vs boilerplate") for g, t, good in data.wceb_pages(args.pages)]
    examples += [(g, t, good, "zh", "main vs boilerplate") for g, t, good in data.zh_pages()]
    for lang, s in sets.items():
        examples += [(f"{lang}{g}", t, good, lang, "clean vs shuffled") for g, t, good in s["eval"]]
    with tempfile.TemporaryDirectory(prefix="qbench-fair-") as tmp:
        work, models = Path(tmp), {}
        for lang, s in sets.items():
            ref = work / f"{lang}.ref.txt"
            ref.write_text("\n".join(s["reference"][: args.max_lines]) + "\n", encoding="utf-8")
            models[lang] = train_kenlm(ref, work / "lm", order=5, lang=lang)
        fairness_table(examples, sets, models, work)
    print(f"\ntotal {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
