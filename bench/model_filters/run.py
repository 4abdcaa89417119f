"""Throughput of the model-based annotators, in documents per second per core.

Trains a KenLM model (sentencepiece + lmplz) and a quantised fastText classifier on wikitext-2
valid.txt, then times ``KenlmPerplexityAnnotator`` and ``QualityClassifierAnnotator`` in one process
(both score on one thread, so documents/s in one process = documents/s/core) on documents built
from wikitext-2 test.txt paragraphs plus the 20 real Common Crawl documents of dolma_cc_en_head.

    .venv/bin/python bench/model_filters/run.py [--docs 2000] [--repeat 3] [--order 5]
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pipeline.annotate.perplexity import KenlmPerplexityAnnotator  # noqa: E402
from pipeline.annotate.quality import QualityClassifierAnnotator  # noqa: E402
from pipeline.lm.kenlm_train import train_kenlm  # noqa: E402
from pipeline.lm.quality import train_quality_classifier  # noqa: E402
from pipeline.lm.sources import read_examples  # noqa: E402
from schemas.documents import empty_row  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "corpora"


def paragraphs(name: str) -> list[str]:
    lines = (DATA / "wikitext-2" / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if len(line.split()) > 20 and not line.strip().startswith("=")]


def crawl_docs() -> list[str]:
    docs = []
    for path in sorted((DATA / "dolma_cc_en_head").glob("*.jsonl")):
        docs += [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return docs


def make_docs(n: int, seed: int = 0) -> list[dict]:
    """Documents of 3-8 paragraphs from wikitext-2 test.txt, mixed with the real crawl documents."""
    rng = random.Random(seed)
    paras, crawl = paragraphs("test.txt"), [d["text"] for d in crawl_docs()]
    docs = []
    for i in range(n):
        text = crawl[i % len(crawl)] if i % 10 == 0 else "\n".join(rng.sample(paras, rng.randint(3, 8)))
        row = empty_row()
        row.update(id=str(i), text=text, language="en", status="kept")
        docs.append(row)
    return docs


def time_step(step, docs: list[dict], repeat: int) -> list[float]:
    step.ensure_setup()
    step.process_batch([dict(d) for d in docs[:20]])  # warm-up: model load and caches
    times = []
    for _ in range(repeat):
        batch = [dict(d) for d in docs]
        start = time.perf_counter()
        for i in range(0, len(batch), 512):
            step.process_batch(batch[i : i + 512])
        times.append(time.perf_counter() - start)
    return times


def train_models(work: Path, order: int) -> tuple[Path, Path, dict]:
    ref = work / "reference.txt"
    ref.write_text("\n\n".join(paragraphs("valid.txt")) + "\n", encoding="utf-8")
    start = time.perf_counter()
    lm_dir = train_kenlm(ref, work / "lm", order=order, lang="en", vocab_size=8000)
    lm_s = time.perf_counter() - start
    rng = random.Random(1)
    negatives = [" ".join(rng.sample(p.split(), len(p.split()))) for p in paragraphs("test.txt")[:1500]]
    negatives += [d["text"] for d in crawl_docs()]
    neg = work / "negatives.jsonl"
    neg.write_text("\n".join(json.dumps({"text": t}) for t in negatives) + "\n")
    start = time.perf_counter()
    pos_rows, neg_rows = read_examples([ref], "docs", "en")[0], read_examples([neg], "jsonl", "en")[0]
    report = train_quality_classifier(pos_rows, neg_rows, work / "quality.ftz")
    return lm_dir, work / "quality.ftz", {"kenlm_train_s": lm_s, "quality_train_s": time.perf_counter() - start,
                                          "quality_report": report}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--order", type=int, default=5)
    parser.add_argument("--work", default=str(ROOT / ".bench-work" / "model_filters"))
    args = parser.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    lm_dir, quality_model, training = train_models(work, args.order)
    docs = make_docs(args.docs)
    mb = sum(len(d["text"].encode()) for d in docs) / 1e6
    steps = {
        "perplexity": KenlmPerplexityAnnotator({"en": str(lm_dir)}),
        "quality": QualityClassifierAnnotator(str(quality_model)),
    }
    print(f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}")
    print(f"input: {len(docs)} documents, {mb:.1f} MB of text; trained kenlm order {args.order} in "
          f"{training['kenlm_train_s']:.1f} s, fastText in {training['quality_train_s']:.1f} s "
          f"(held-out P={training['quality_report']['metrics']['precision']:.3f} "
          f"R={training['quality_report']['metrics']['recall']:.3f}, {training['quality_report']['size_bytes']:,} bytes)")  # fmt: skip
    for name, step in steps.items():
        best = min(time_step(step, docs, args.repeat))
        print(f"{name:>10}: {len(docs) / best:8.0f} docs/s/core  {mb / best:6.2f} MB/s/core  (best of {args.repeat})")
    cc = [
        empty_row() | {"id": str(i), "text": d["text"], "language": "en", "status": "kept"}
        for i, d in enumerate(crawl_docs())
    ]
    steps["perplexity"].process_batch(cc)
    ours = [d["perplexity"] for d in cc]
    theirs = [d["metadata"]["perplexity"] for d in crawl_docs()]
    print(f"dolma_cc_en_head perplexity: ours median {statistics.median(ours):.0f} (min {min(ours):.0f}, max "
          f"{max(ours):.0f}); cc_net's Wikipedia model median {statistics.median(theirs):.0f} ({min(theirs):.0f}-{max(theirs):.0f})")  # fmt: skip


if __name__ == "__main__":
    main()
