"""Fairness of the model filters: share of clean real documents removed, per language.

The bench's models are trained as ``corpus`` would: the classifier by ``train_quality_classifier``
(default options, quantised) with reference documents as positives and the bench's bad examples as
negatives, its per-language ``min_score`` read from the report (95 % of held-out positives kept); KenLM by ``train_kenlm`` with cut-offs from ``compute_cutoffs`` (cc_net's 33rd / 66th
percentiles) over that language's bench documents. Then ``perplexity_filter`` (keep head + middle)
and ``quality_filter`` run through ``run_steps`` on clean held-out documents (``data.clean_documents``).
"""

from __future__ import annotations

from pathlib import Path

import data

from pipeline.annotate.perplexity import KenlmPerplexityAnnotator
from pipeline.annotate.quality import QualityClassifierAnnotator
from pipeline.filters.model_filters import PerplexityBucketFilter, QualityThresholdFilter
from pipeline.lm.cutoffs import compute_cutoffs
from pipeline.lm.quality import train_quality_classifier
from pipeline.step import run_steps
from schemas.documents import empty_row


def removed_shares(docs_by_lang: dict[str, list[str]], steps) -> dict[str, dict[str, float]]:
    """Per language: share removed by each filter and in all, of ``docs_by_lang``'s documents."""
    rows = []
    for lang, texts in docs_by_lang.items():
        for i, text in enumerate(texts):
            row = empty_row()
            row.update(id=f"{lang}-{i}", text=text, language=lang, status="kept")
            rows.append(row)
    out = run_steps(steps, rows)
    table = {}
    for lang in docs_by_lang:
        mine = [d for d in out if d["language"] == lang]
        by = {
            name: sum(d.get("removed_by") == name for d in mine) / len(mine)
            for name in ("perplexity_filter", "quality_filter")
        }
        by["all"] = sum(d["status"] == "removed" for d in mine) / len(mine)
        by["n"] = len(mine)
        table[lang] = by
    return table


def print_fairness(title: str, table: dict[str, dict[str, float]]) -> None:
    print(f"\n## {title}")
    print("| language | documents | perplexity_filter | quality_filter | removed |")
    print("|---|---:|---:|---:|---:|")
    for lang, x in table.items():
        print(f"| {lang} | {x['n']} | {x['perplexity_filter']:.1%} | {x['quality_filter']:.1%} | {x['all']:.1%} |")
    shares = [x["all"] for x in table.values()]
    print(f"max {max(shares):.1%} (goal <= 10 %), spread {max(shares) - min(shares):.1%} (goal <= 5 points)")


def fairness_table(examples, sets, models: dict[str, Path], work: Path) -> dict:
    # As in `make demo`: reference documents of each language are the positives (so the per-language
    # threshold is calibrated on documents like the clean ones), the bench's bad examples the negatives.
    pos = [(t, lang) for lang, docs in data.reference_documents(sets).items() for t in docs]
    neg = [(t, lang) for _g, t, good, lang, _task in examples if not good]
    report = train_quality_classifier(pos, neg, work / "quality.ftz", min_examples=1)
    calibration = [{"language": lang, "text": t} for _g, t, _good, lang, _task in examples]
    cutoffs = compute_cutoffs({lang: str(m) for lang, m in models.items()}, calibration)["cutoffs"]
    steps = [
        KenlmPerplexityAnnotator({lang: str(m) for lang, m in models.items()}, cutoffs),
        PerplexityBucketFilter(),
        QualityClassifierAnnotator(str(work / "quality.ftz")),
        QualityThresholdFilter(min_score=report["min_score_by_language"]),
    ]
    print(
        f"\nquality_filter min_score per language (keeps 95 % of held-out positives): {report['min_score_by_language']}"
    )
    table = removed_shares(data.clean_documents(), steps)
    print_fairness("Fairness: clean held-out real documents removed by the bench's model filters", table)
    return table
