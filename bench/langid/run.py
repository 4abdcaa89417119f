"""Language-ID benchmark: accuracy and docs/s/core of lid.176 alone and with the lingua cascade.

    .venv/bin/python bench/langid/run.py [--seed 0] [--sample-pages 600]

Prints markdown tables (copied into RESULTS.md). The labelled set is described in dataset.py;
the synthetic pages of ``pipeline.sample.generate_sample`` are added when that module exists
(article text as long snippets, titles as short ones, labelled by the generator's ground truth).
Speed is measured in one process on one thread, as CPU seconds, so docs/s is per core.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.langid.dataset import LOCALE_DIR, SHORT_MAX, Sample, build, dolma_documents
from pipeline.annotate.language import LanguageAnnotator, normalize_for_lid
from pipeline.annotate.language_cascade import CASCADE_LANGUAGES, fasttext_codes, second_opinion


def sample_generator_samples(pages: int, seed: int) -> tuple[list[Sample], list[str]]:
    """(labelled snippets, full article texts for the speed test) from the synthetic crawl."""
    try:
        from pipeline.sample import generate_sample
    except ImportError:
        return [], []
    out, full = [], []
    with tempfile.TemporaryDirectory() as tmp:
        generate_sample(tmp, pages, seed, reference_docs=20)
        for line in (Path(tmp) / "ground_truth.jsonl").read_text(encoding="utf-8").splitlines():
            truth = json.loads(line)
            if truth["language"] and truth["main_text"]:
                full.append(truth["main_text"])
                out.append(Sample(truth["main_text"], truth["language"], "sample_generator"))
                if truth["title"] and len(truth["title"]) < SHORT_MAX:
                    out.append(Sample(truth["title"], truth["language"], "sample_generator"))
    return out, full


def annotate(step: LanguageAnnotator, texts: list[str]) -> tuple[list[dict], float]:
    """Run the step in batches of 1000 (as a Spark task would); returns docs and CPU seconds."""
    docs = [{"id": str(i), "text": t, "status": "kept"} for i, t in enumerate(texts)]
    step.ensure_setup()
    start = time.process_time()
    for i in range(0, len(docs), 1000):
        step.process_batch(docs[i : i + 1000])
    return docs, time.process_time() - start


def accuracy_rows(samples: list[Sample], preds: dict[str, list[str]]) -> list[str]:
    groups = {"all": samples, "short (< 50 chars)": [s for s in samples if s.bucket == "short"],
              "long": [s for s in samples if s.bucket == "long"]}  # fmt: skip
    index = {id(s): i for i, s in enumerate(samples)}
    rows = [f"| subset | n | {' | '.join(preds)} |", "|---|---:|" + "---:|" * len(preds)]
    for name, group in groups.items():
        cells = [f"{100 * sum(p[index[id(s)]] == s.label for s in group) / len(group):.1f} %" for p in preds.values()]
        rows.append(f"| {name} | {len(group)} | {' | '.join(cells)} |")
    return rows


def per_language_rows(samples: list[Sample], base: list[str], casc: list[str]) -> list[str]:
    by_lang = defaultdict(list)
    for i, s in enumerate(samples):
        by_lang[s.label].append(i)
    rows = ["| language | n | fastText | cascade | fastText short | cascade short |", "|---|---:|---:|---:|---:|---:|"]
    for lang, idx in sorted(by_lang.items()):
        short = [i for i in idx if samples[i].bucket == "short"]

        def pct(preds, ids):
            return f"{100 * sum(preds[i] == samples[i].label for i in ids) / len(ids):.0f}" if ids else "-"

        rows.append(
            f"| {lang} | {len(idx)} | {pct(base, idx)} | {pct(casc, idx)} | {pct(base, short)} | {pct(casc, short)} |"
        )
    return rows


def compare_rules(samples: list[Sample], step: LanguageAnnotator) -> dict[str, list[str]]:
    """Alternative ways to combine the two detectors on the same hard documents."""
    texts = [normalize_for_lid(s.text) for s in samples]
    labels, probs = step._model.predict([t or " " for t in texts], k=3)
    top3 = [[lab.removeprefix("__label__") for lab in labs] for labs in labels]
    asked = fasttext_codes(CASCADE_LANGUAGES)
    rules = {name: [] for name in ("lingua on every hard doc", "lingua if in fastText top-3",
                                   "lingua if conf >= 0.5 and guess in set", "lingua if guess in set (chosen)")}  # fmt: skip
    for text, top, p in zip(texts, top3, probs):
        hard = text and (len(text) < step.cascade_max_chars or p[0] < step.cascade_min_score)
        lingua = second_opinion(step._lingua, text) if hard else []
        lang, conf = lingua[0] if lingua else (top[0], 0.0)
        conditions = [True, lang in top, conf >= 0.5 and top[0] in asked, top[0] in asked]
        for name, ok in zip(rules, conditions):
            rules[name].append(lang if hard and lingua and ok else top[0])
    return rules


def speed_rows(sets: dict[str, list[str]]) -> list[str]:
    rows = ["| input | docs | mean chars | fastText docs/s/core | cascade docs/s/core | cascade, first pass |",
            "|---|---:|---:|---:|---:|---:|"]  # fmt: skip
    for name, texts in sets.items():
        # best of 3: the machine is shared, and the minimum is the least disturbed run
        base_s = min(annotate(LanguageAnnotator(), texts)[1] for _ in range(3))
        fresh = LanguageAnnotator(cascade=True, cascade_languages=CASCADE_LANGUAGES[:-1])  # new cache key: cold
        _, cold_s = annotate(fresh, texts)
        warm_s = min(annotate(LanguageAnnotator(cascade=True), texts)[1] for _ in range(3))
        mean = sum(map(len, texts)) / len(texts)
        rows.append(f"| {name} | {len(texts)} | {mean:.0f} | {len(texts) / base_s:,.0f} | {len(texts) / warm_s:,.0f}"
                    f" | {len(texts) / cold_s:,.0f} |")  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sample-pages", type=int, default=600)
    args = parser.parse_args()

    samples = build(args.seed)
    generated, articles = sample_generator_samples(args.sample_pages, args.seed)
    samples += generated
    catalogues = len(list(LOCALE_DIR.glob("*/LC_MESSAGES/*.mo")))
    digest = hashlib.sha256("\x00".join(f"{s.label}\t{s.text}" for s in samples).encode()).hexdigest()[:16]
    # The gettext part depends on the packages installed on the machine: record what was there.
    print(f"{catalogues} gettext catalogues under {LOCALE_DIR}; snippet set sha256[:16] = {digest}")
    print(f"{len(samples)} labelled snippets, {len({s.label for s in samples})} languages, "
          f"{sum(s.bucket == 'short' for s in samples)} short; sample generator: {len(generated)}\n")  # fmt: skip

    base_docs, _ = annotate(LanguageAnnotator(), [s.text for s in samples])
    cascade = LanguageAnnotator(cascade=True)
    casc_docs, _ = annotate(cascade, [s.text for s in samples])
    base = [d["language"] for d in base_docs]
    casc = [d["language"] for d in casc_docs]
    print("\n".join(accuracy_rows(samples, {"fastText lid.176": base, "+ lingua cascade": casc})), "\n")
    print("\n".join(accuracy_rows(samples, compare_rules(samples, cascade))), "\n")
    print("\n".join(per_language_rows(samples, base, casc)), "\n")

    web = dolma_documents() + articles
    print("\n".join(speed_rows({"benchmark set (all snippets)": [s.text for s in samples],
                                "web documents (dolma CC + generator articles) x5": web * 5})))  # fmt: skip


if __name__ == "__main__":
    main()
