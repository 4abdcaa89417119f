"""Per-language quality-score thresholds measured on the crawl itself (``corpus quality-cutoffs``).

A classifier trained with reference text as positives and random crawl as negatives learns "looks like
the reference", and real web pages, good ones included, do not look like Wikipedia or news transcripts:
on the 1,068 real pages of ``bench/real_pages`` such a model scored every English document below 0.5
and the threshold that keeps 95 % of held-out reference documents (``corpus train-quality``'s
``min_score_by_language``) removed 100 % of the English and 76 % of the Chinese documents
(``bench/real_pages/model_filters.py``). What the score does carry is an order: among the same
documents, service, product and documentation pages rank lower than articles and forum threads.

So, as cc_net does for perplexity, the threshold is taken from the crawl: score a seeded sample of each
language's documents and cut at the ``drop`` quantile; ``quality_filter`` then removes at most about
that share of every language, whatever the classifier's scale in that language. DCLM (Li et al. 2024)
keeps the top 10 % of its crawl by a fastText score in the same way; the default here, 0.33, is cc_net's
tail third. Unless ``use_reference_threshold`` is off, a language's threshold is the lower of that
quantile and the model's own reference threshold (``min_score_by_language`` of ``<model>.meta.json``):
a document is removed only when it is in the crawl's lowest ``drop`` *and* scores below what 95 % of
the held-out reference documents score, so a crawl that mostly looks like the reference loses less.

The result ``{"drop": .., "min_score": {lang: t, "default": t}, ...}`` is what ``quality_filter``'s
``min_score`` takes (the mapping, or the path of the JSON file). ``default`` is the quantile of all
sampled documents together, for a language too rare to be sampled. ``removed_in_sample`` says what
share of each language's sample the threshold removes: less than ``drop`` when scores tie (identical
documents, or a model trained before ``train-quality`` kept its output layer, whose scores come from
fastText's ``predict`` and stop at 1e-5).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from pipeline.lm.sampling import reservoir_by_language

DEFAULT_DROP = 0.33
BATCH = 512


def sample_every_language(docs: Iterable[Mapping], per_language: int, seed: int = 0) -> dict[str, list[dict]]:
    """A seeded reservoir sample of up to ``per_language`` kept documents of each language seen."""

    def kept_rows():
        counts: dict[str, int] = {}
        for doc in docs:
            lang, text = doc.get("language"), doc.get("text")
            if not lang or not text or doc.get("status", "kept") != "kept":
                continue
            counts[lang] = counts.get(lang, 0) + 1
            yield lang, {"id": doc.get("id") or str(counts[lang]), "text": text, "language": lang, "status": "kept"}

    return reservoir_by_language(kept_rows(), per_language, seed)


def lower_quantile(scores: Sequence[float], drop: float) -> float:
    """The score at position ``floor(drop * n)`` of the ascending scores: keeping ``score >= t`` removes
    ``floor(drop * n)`` of them (fewer when scores tie at t)."""
    ordered = sorted(scores)
    return ordered[min(len(ordered) - 1, math.floor(drop * len(ordered)))]


def compute_quality_cutoffs(
    model: str | Path,
    docs: Iterable[Mapping],
    drop: float = DEFAULT_DROP,
    per_language: int = 5000,
    seed: int = 0,
    languages: Sequence[str] | None = None,
    skip_untrained: bool = True,
    use_reference_threshold: bool = True,
) -> dict:
    """Score a sample of ``docs`` with the classifier as ``quality_classifier`` would (same ``languages``
    and ``skip_untrained``) and return the per-language thresholds at ``drop`` (see the module docstring)."""
    from pipeline.annotate.quality import QualityClassifierAnnotator

    if not 0.0 <= drop < 1.0:
        raise ValueError(f"drop must be in [0, 1), got {drop!r}")
    annotator = QualityClassifierAnnotator(str(model), languages=languages, skip_untrained=skip_untrained)
    scores: dict[str, list[float]] = {}
    sizes: dict[str, int] = {}
    for lang, rows in sorted(sample_every_language(docs, per_language, seed).items()):
        sizes[lang] = len(rows)
        for start in range(0, len(rows), BATCH):
            for row in annotator.process_batch(rows[start : start + BATCH]):
                if row.get("quality_score") is not None:
                    scores.setdefault(lang, []).append(float(row["quality_score"]))
    quantiles = {lang: lower_quantile(xs, drop) for lang, xs in scores.items()}
    pooled = [x for xs in scores.values() for x in xs]
    if pooled:
        quantiles["default"] = lower_quantile(pooled, drop)
    reference = _reference_thresholds(model) if use_reference_threshold else {}
    table = {}
    for lang, cut in quantiles.items():
        ref = reference.get(lang, reference.get("default"))
        table[lang] = min(cut, ref) if ref is not None else cut
    removed = {lang: sum(x < table[lang] for x in xs) / len(xs) for lang, xs in scores.items()}
    return {
        "model": str(model),
        "drop": drop,
        "min_score": table,
        "crawl_quantile": quantiles,
        "reference_threshold": reference,
        "removed_in_sample": removed,
        "sample_sizes": sizes,
        "unscored_languages": sorted(set(sizes) - set(scores)),
    }


def _reference_thresholds(model: str | Path) -> dict[str, float]:
    meta = Path(f"{model}.meta.json")
    if not meta.exists():
        return {}
    table = json.loads(meta.read_text(encoding="utf-8")).get("min_score_by_language") or {}
    return {lang: float(v) for lang, v in table.items()}


def write_quality_cutoffs(result: Mapping, path: str | Path) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def load_min_scores(path: str | Path) -> dict[str, float]:
    """``min_score`` per language from a ``quality-cutoffs`` file (``min_score``) or a model's
    ``.meta.json`` from ``train-quality`` (``min_score_by_language``)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"min_score file {str(path)!r} cannot be read as JSON: {exc}") from None
    table = data.get("min_score", data.get("min_score_by_language")) if isinstance(data, dict) else None
    if not isinstance(table, dict) or not table:
        raise ValueError(
            f"min_score file {str(path)!r} holds no per-language thresholds: expected the output of "
            "`corpus quality-cutoffs` ('min_score') or a train-quality .meta.json ('min_score_by_language')"
        )
    return table
