"""datatrove's MinHash dedup and sentence dedup on a JSONL of documents (run with .venv-datatrove's Python).

Driven by ``bench/dedup/vs_datatrove.py``, which prepares the input and runs our side on the same
documents. Everything runs in one process (``LocalPipelineExecutor``, 1 task, 1 worker per stage:
the input is one file, and datatrove's stage-4 filters need the same task split as stage 1; MinHash
stage 2 runs its 14 bucket tasks one after the other), and
this script prints one JSON line: kept ids and texts per method, CPU and wall seconds, and the peak
resident memory of this process (``ru_maxrss``: datatrove runs the tasks in-process with 1 worker).

Settings, the same as our side's:

- MinHash: 5-grams, 14 buckets x 8 hashes (``MinhashConfig`` defaults = FineWeb), seed 1, no
  verification of candidate pairs (datatrove has none). Survivor: datatrove keeps the first
  document of a cluster in input order; our side is given fetch times that fall with input order,
  so its rule (latest fetch) keeps the same one.
- Sentence dedup: spans of 3 sentences (``SentDedupConfig.n_sentences``), the first occurrence kept,
  documents left with fewer than ``--min-doc-words`` words removed (``min_num_sentences=0``).

    .venv-datatrove/bin/python bench/compare_datatrove/dedup_side.py --input docs.jsonl --workdir /tmp/x
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import time


def _run(name: str, pipeline: list, workdir: str, tasks: int = 1) -> dict:
    from datatrove.executor import LocalPipelineExecutor

    cpu, wall = time.process_time(), time.perf_counter()
    LocalPipelineExecutor(
        pipeline=pipeline, tasks=tasks, workers=1, logging_dir=os.path.join(workdir, "logs", name), skip_completed=False
    ).run()
    return {"cpu_s": time.process_time() - cpu, "wall_s": time.perf_counter() - wall}


def _kept(folder: str) -> dict[str, str]:
    import gzip

    out = {}
    for name in sorted(os.listdir(folder)):
        with gzip.open(os.path.join(folder, name), "rt", encoding="utf-8") as fh:
            for line in fh:
                doc = json.loads(line)
                out[doc["id"]] = doc["text"]
    return out


def minhash(inp: str, workdir: str) -> dict:
    from datatrove.pipeline.dedup import MinhashDedupCluster, MinhashDedupFilter, MinhashDedupSignature
    from datatrove.pipeline.dedup.minhash import MinhashConfig, MinhashDedupBuckets
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers.jsonl import JsonlWriter

    cfg = MinhashConfig(n_grams=5, num_buckets=14, hashes_per_bucket=8, seed=1)
    base = os.path.join(workdir, "minhash")
    sigs, buckets, remove, out = (os.path.join(base, x) for x in ("sigs", "buckets", "remove", "out"))
    times = [
        _run("mh1", [JsonlReader(inp), MinhashDedupSignature(output_folder=sigs, config=cfg)], base),
        # stage 2 needs one task per bucket (datatrove asserts it); they run one after the other here
        _run("mh2", [MinhashDedupBuckets(input_folder=sigs, output_folder=buckets, config=cfg)], base, cfg.num_buckets),
        _run("mh3", [MinhashDedupCluster(input_folder=buckets, output_folder=remove, config=cfg)], base),
        _run("mh4", [JsonlReader(inp), MinhashDedupFilter(input_folder=remove), JsonlWriter(out)], base),
    ]
    return {"cpu_s": sum(t["cpu_s"] for t in times), "wall_s": sum(t["wall_s"] for t in times), "kept": _kept(out)}


def sentences(inp: str, workdir: str, min_doc_words: int) -> dict:
    from datatrove.pipeline.dedup.sentence_dedup import (
        SentDedupConfig,
        SentenceDedupFilter,
        SentenceDedupSignature,
        SentenceFindDedups,
    )
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers.jsonl import JsonlWriter

    cfg = SentDedupConfig(n_sentences=3, min_doc_words=min_doc_words, min_num_sentences=0)
    base = os.path.join(workdir, "sentences")
    sigs, dups, out = (os.path.join(base, x) for x in ("sigs", "dups", "out"))
    times = [
        _run("sd1", [JsonlReader(inp), SentenceDedupSignature(output_folder=sigs, config=cfg)], base),
        _run("sd2", [SentenceFindDedups(data_folder=sigs, output_folder=dups, config=cfg)], base),
        _run("sd3", [JsonlReader(inp), SentenceDedupFilter(data_folder=dups, config=cfg), JsonlWriter(out)], base),
    ]
    return {"cpu_s": sum(t["cpu_s"] for t in times), "wall_s": sum(t["wall_s"] for t in times), "kept": _kept(out)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", required=True, help="JSONL with id and text")
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--method", choices=["minhash", "sentences"], required=True)
    parser.add_argument("--min-doc-words", type=int, default=20)
    args = parser.parse_args()
    shutil.rmtree(args.workdir, ignore_errors=True)
    os.makedirs(args.workdir)
    if args.method == "minhash":
        result = minhash(args.input, args.workdir)
    else:
        result = sentences(args.input, args.workdir, args.min_doc_words)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss >> 10
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
