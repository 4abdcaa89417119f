"""The model filters on real pages, end to end, trained as a user would train them.

What a user does: reference text of each language as the quality classifier's positives, random crawl
as its negatives (cc_net / DCLM style), a KenLM model per language on the reference text, cut-offs from
the crawl. What this measures: on the pipeline's own documents of the 1,068 real pages (extraction with
default settings, then the ``fineweb`` recipe's steps, in-process), how many the model filters remove
per language, and for the wceb pages per page type (article, forum, product, listing, ... from the
ground truth's ``page_type``): a filter worth having removes listings and product pages far more often
than articles, and does not remove Chinese far more often than English.

Cross-fitted by page, two folds (``data.group_of(url, 2)``): the negatives and the cut-offs of fold k's
models come from the other fold's rule-kept documents, so no model scores documents it was trained on
(a model scores its own training negatives low: see ``scripts/demo.sh``). Reference text: WikiText-2
validation (en) and zh-news articles 1,000-1,399 (zh), ``bench/quality_models/data.py``; KenLM order 5
with the project's defaults per language; the classifier is ``train_quality_classifier`` with default
options, and ``quality_filter`` uses its per-language ``min_score`` (keeps 95 % of held-out positives);
``perplexity_filter`` keeps the head and middle buckets (cc_net's 33rd / 66th percentiles).

    .venv/bin/python bench/real_pages/model_filters.py --work /tmp/mf     # about 4 minutes

Extraction is cached in ``--work`` (``docs.jsonl``): a rerun only retrains and rescores.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "quality_models"))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import data as qdata
from pages import WCEB, wceb_pages, write_warc, zh_pages

from pipeline.annotate.perplexity import KenlmPerplexityAnnotator
from pipeline.annotate.quality import QualityClassifierAnnotator
from pipeline.extract.warc_extractor import WarcExtractor
from pipeline.filters.model_filters import PerplexityBucketFilter, QualityThresholdFilter
from pipeline.lm.cutoffs import compute_cutoffs
from pipeline.lm.kenlm_train import train_kenlm
from pipeline.lm.quality import train_quality_classifier
from pipeline.lm.quality_cutoffs import compute_quality_cutoffs
from pipeline.recipe import load_recipe
from pipeline.step import run_steps


def page_type(key: str) -> str:
    record = json.loads((WCEB / "benchmark" / "ground-truth" / f"{key}.json").read_text(encoding="utf-8"))
    return (record.get("_internal") or {}).get("page_type", {}).get("primary") or "unknown"


def rule_kept_documents(work: Path) -> list[dict]:
    """Extract every page (default settings) and run the fineweb recipe; rows kept by it, with source,
    page type and fold. Cached in ``work/docs.jsonl``."""
    cache = work / "docs.jsonl"
    if cache.exists():
        return [json.loads(line) for line in cache.read_text(encoding="utf-8").splitlines()]
    pages = {"wceb": wceb_pages(), "zh": zh_pages()}
    steps = load_recipe("fineweb").steps
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for source, items in pages.items():
            warc = Path(tmp) / f"{source}.warc.gz"
            write_warc(items, warc)
            by_url = {p.url: p for p in items}
            rows = [
                r for r in WarcExtractor(source=source, timeout_s=30).extract_file(str(warc)) if r["status"] == "kept"
            ]
            urls = {r["id"]: r["url"] for r in rows}  # before the steps: PII redaction may rewrite the URL
            for row in run_steps(steps, rows):
                if row["status"] != "kept":
                    continue
                page = by_url[urls[row["id"]]]
                out.append(
                    {
                        "source": source,
                        "key": page.key,
                        "type": page_type(page.key) if source == "wceb" else "zh page",
                        "fold": qdata.group_of(page.url, 2),
                        "language": row["language"],
                        "text": row["text"],
                    }
                )
    cache.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in out), encoding="utf-8")
    return out


def reference() -> dict[str, list[str]]:
    sets = qdata.shuffle_sets(per_language=10)
    sets.pop("ja")
    return {lang: docs for lang, docs in qdata.reference_documents(sets).items()} | {
        f"{lang}.lines": sets[lang]["reference"] for lang in ("en", "zh")
    }


def kenlm_models(work: Path, ref: dict) -> dict[str, str]:
    """KenLM per language on the reference lines (the same for both folds)."""
    models = {}
    for lang in ("en", "zh"):
        path = work / "lm" / f"{lang}.reference.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(ref[f"{lang}.lines"]) + "\n", encoding="utf-8")
        models[lang] = str(train_kenlm(path, work / "lm" / lang, order=5, lang=lang))
    return models


GOOD_TYPES = ("article", "blog", "forum", "documentation")
DROPS = (0.1, 0.2, 0.33, 0.5)


def fold_scores(work: Path, ref: dict, models: dict[str, str], docs: list[dict], negatives: list[dict], fold: int):
    """Score ``docs`` (one fold) as a user's run would: the classifier trained on reference positives
    and ``negatives`` (the other fold), perplexity cut-offs and quality cut-offs measured on ``docs``
    themselves (the crawl being filtered, as ``corpus lm-cutoffs`` / ``quality-cutoffs`` on the filter
    stage's output). Returns per document its scores and which filter variants remove it."""
    pos = [(t, lang) for lang in ("en", "zh") for t in ref[lang]]
    neg = [(d["text"], d["language"]) for d in negatives if d["language"] in ("en", "zh")]
    model = work / f"quality-fold{fold}.ftz"
    report = train_quality_classifier(pos, neg, model, min_examples=1)
    rows = [{"id": str(i), "text": d["text"], "language": d["language"], "status": "kept"} for i, d in enumerate(docs)]
    cutoffs = compute_cutoffs(models, rows)["cutoffs"]
    by_drop = {drop: compute_quality_cutoffs(model, rows, drop)["min_score"] for drop in DROPS}
    print(
        f"fold {fold}: classifier (positives, negatives) {report['train_by_language']}; train-quality min_score "
        f"{report['min_score_by_language']}; quality-cutoffs at 0.33 {by_drop[0.33]}"
    )
    variants = {"perplexity_filter": PerplexityBucketFilter(), "train-quality threshold": QualityThresholdFilter(
        min_score=report["min_score_by_language"])}  # fmt: skip
    variants |= {f"quality-cutoffs {drop}": QualityThresholdFilter(min_score=t) for drop, t in by_drop.items()}
    out = []
    scored = run_steps([KenlmPerplexityAnnotator(models, cutoffs), QualityClassifierAnnotator(str(model))], rows)
    for row in scored:
        removed = sorted(name for name, flt in variants.items() if flt.check(row))
        out.append(
            {k: row.get(k) for k in ("perplexity", "perplexity_bucket", "quality_score")} | {"removed_by": removed}
        )
    return out


def auc(pos: list[float], neg: list[float]) -> float:
    """P(a random ``pos`` value > a random ``neg`` value), ties half."""
    ordered = sorted(neg)
    total = sum(bisect_left(ordered, x) + 0.5 * (bisect_right(ordered, x) - bisect_left(ordered, x)) for x in pos)
    return total / (len(pos) * len(neg)) if pos and neg else float("nan")


def share(n: int, total: int) -> str:
    return f"{n} ({n / total:.0%})" if total else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, required=True)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    docs = rule_kept_documents(args.work)
    print(f"{len(docs)} documents kept by the fineweb recipe ({time.perf_counter() - started:.0f} s)")
    ref = reference()
    models = kenlm_models(args.work, ref)
    results: list[dict] = [{}] * len(docs)
    for fold in (0, 1):
        idx = [i for i, d in enumerate(docs) if d["fold"] == fold]
        negatives = [d for d in docs if d["fold"] != fold]
        for i, r in zip(idx, fold_scores(args.work, ref, models, [docs[i] for i in idx], negatives, fold)):
            results[i] = r
    with open(args.work / "scores.jsonl", "w", encoding="utf-8") as f:
        for d, r in zip(docs, results):
            f.write(json.dumps({k: d[k] for k in ("source", "key", "type", "fold", "language")} | r) + "\n")
    groups: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(docs):
        if d["language"] in ("en", "zh"):
            source = "wceb" if d["source"] == "wceb" else "zh-web-extraction"
            groups[f"{source} {d['language']}: all"].append(i)
        if d["source"] == "wceb" and d["language"] == "en":
            groups[f"wceb en: {d['type']}"].append(i)
    order = sorted(groups, key=lambda k: (not k.endswith(": all"), -len(groups[k])))
    both = "quality-cutoffs 0.33"
    cols = ["perplexity_filter", "train-quality threshold", both]
    print("\n| documents | n | " + " | ".join(cols) + " | perplexity_filter + quality-cutoffs 0.33 |")
    print("|---|---:|" + "---:|" * (len(cols) + 1))
    for name in order:
        idx = groups[name]
        c = Counter(v for i in idx for v in results[i]["removed_by"])
        pair = sum({"perplexity_filter", both} & set(results[i]["removed_by"]) != set() for i in idx)
        print(
            f"| {name} | {len(idx)} | "
            + " | ".join(share(c[k], len(idx)) for k in cols)
            + f" | {share(pair, len(idx))} |"
        )
    print("\nquality-cutoffs, share of each group removed at each --drop:\n")
    print("| documents | n | " + " | ".join(f"drop {d}" for d in DROPS) + " |")
    print("|---|---:|" + "---:|" * len(DROPS))
    for name in order:
        idx = groups[name]
        c = Counter(v for i in idx for v in results[i]["removed_by"])
        print(
            f"| {name} | {len(idx)} | " + " | ".join(share(c[f"quality-cutoffs {d}"], len(idx)) for d in DROPS) + " |"
        )
    en = [(d, r) for d, r in zip(docs, results) if d["source"] == "wceb" and d["language"] == "en"]
    for key, sign in (("quality_score", 1.0), ("perplexity", -1.0)):
        good = [sign * r[key] for d, r in en if d["type"] in GOOD_TYPES and r[key] is not None]
        rest = [sign * r[key] for d, r in en if d["type"] not in GOOD_TYPES and r[key] is not None]
        print(
            f"\n{key}: AUC of {'/'.join(GOOD_TYPES)} ({len(good)}) over the other wceb English pages "
            f"({len(rest)}): {auc(good, rest):.3f}"
        )
    other = Counter(d["language"] for d in docs if d["language"] not in ("en", "zh"))
    print(f"\nother languages (no model, kept): {dict(other)}; total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
