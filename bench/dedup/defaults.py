"""MinHash-LSH settings measured on real text with planted copies: the data behind the defaults.

Input: ``real_corpus.planted_corpus`` (wikitext-2, zh-news, a Japanese novel, real pages' main text;
one planted copy per document: exact, 1-10 % word / character edits, or the same body with other
boilerplate). For each candidate setting (shingle size, bands x rows, with or without checking each
candidate pair's exact Jaccard against a threshold) this computes, with the stage's own functions
(``BandKeyer``: the same shingles, hashes and band keys as the Spark job):

- pairwise precision over all predicted pairs (clusters are connected components, as in the job);
- recall per planted kind: the copy lands in its original's cluster;
- cost: signature CPU per document, candidate pairs, and the bytes per document the Spark job
  materialises (8 per band key, plus 4 per distinct shingle when candidate pairs are verified).

Signatures are computed once per shingle size with 256 permutations; a setting of b x r uses the
first b * r columns (each column is an independent permutation, so this is a fair draw).
Then the chosen default and the previous one run through the real Spark stage
(``jobs.dedup_lib.minhash_dedup``) on the same documents, for wall time and peak memory.

    nice -n 10 .venv/bin/python bench/dedup/defaults.py            # ~3 min on 2 loaded cores
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from real_corpus import KINDS, planted_corpus  # noqa: E402

from pipeline.dedup.config import DedupConfig  # noqa: E402
from pipeline.dedup.lsh import band_keys  # noqa: E402
from pipeline.dedup.signatures import BandKeyer  # noqa: E402

LSH = ((9, 13), (14, 8), (16, 8), (18, 7), (21, 6), (20, 5), (25, 5), (20, 10))
NGRAMS = (5, 4, 3)
VERIFY = (None, 0.6, 0.7, 0.8)


def signatures(docs: list[dict], n: int) -> tuple[np.ndarray, list[np.ndarray], float]:
    keyer = BandKeyer(DedupConfig(num_perm=256, word_ngram=n, char_ngram=n, bands=1, rows=1))
    texts, langs = [d["text"] for d in docs], [d["language"] for d in docs]
    started = time.process_time()
    sig = keyer.signatures(texts, langs)
    cpu = (time.process_time() - started) / len(docs)
    sets = []
    for i in range(0, len(docs), 256):
        sets += keyer._signature_chunk(texts[i : i + 256], langs[i : i + 256], True)[2]
    return sig, [s if s is not None else np.zeros(0, np.uint32) for s in sets], cpu


def _find(parent: list[int], x: int) -> int:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def clusters(sig: np.ndarray, sets: list[np.ndarray], b: int, r: int, verify: float | None) -> tuple[list[int], int]:
    """Component root of every document, and the number of candidate pairs (before verification)."""
    keys = band_keys(sig, b, r)
    buckets: dict[tuple[int, int], list[int]] = defaultdict(list)
    for doc, row in enumerate(keys):
        if len(sets[doc]):
            for band, key in enumerate(row):
                buckets[(band, int(key))].append(doc)
    pairs = {(a, c) for members in buckets.values() for i, a in enumerate(members) for c in members[i + 1 :]}
    parent = list(range(len(sets)))
    for a, c in pairs:
        if verify is not None:
            inter = len(np.intersect1d(sets[a], sets[c], assume_unique=True))
            if inter / (len(sets[a]) + len(sets[c]) - inter) < verify:
                continue
        ra, rc = _find(parent, a), _find(parent, c)
        if ra != rc:
            parent[max(ra, rc)] = min(ra, rc)
    return [_find(parent, i) for i in range(len(sets))], len(pairs)


def score(roots: list[int], docs: list[dict], truth: dict[str, dict]) -> dict:
    index = {d["id"]: i for i, d in enumerate(docs)}
    group = {i: index[truth[d["id"]]["of"]] if d["id"] in truth else i for i, d in enumerate(docs)}
    members = defaultdict(list)
    for i, root in enumerate(roots):
        members[root].append(i)
    predicted = correct = 0
    for m in members.values():
        predicted += len(m) * (len(m) - 1) // 2
        by_group = defaultdict(int)
        for i in m:
            by_group[group[i]] += 1
        correct += sum(k * (k - 1) // 2 for k in by_group.values())
    found = defaultdict(lambda: [0, 0])
    for copy_id, t in truth.items():
        found[t["kind"]][1] += 1
        found[t["kind"]][0] += roots[index[copy_id]] == roots[index[t["of"]]]
    mixes = {i for i, d in enumerate(docs) if d["id"].endswith("-mix")}
    return {
        "precision": round(correct / predicted, 4) if predicted else 1.0,
        "hard_negatives_merged": sum(1 for i in mixes if len(members[roots[i]]) > 1),
        "pairs_predicted": predicted,
        "false_pairs": predicted - correct,
        "recall": {k: round(found[k][0] / found[k][1], 3) for k in KINDS},
    }


def meets_target(row: dict) -> bool:
    """Recall >= 0.95 for exact copies and up to 3 % edits, and for template variants; precision >= 0.99."""
    kinds = ("edit@0.00", "edit@0.01", "edit@0.02", "edit@0.03", "template")
    return row["precision"] >= 0.99 and all(row["recall"][k] >= 0.95 for k in kinds)


def sweep(docs: list[dict], truth: dict[str, dict]) -> list[dict]:
    rows = []
    for n in NGRAMS:
        sig, sets, cpu = signatures(docs, n)
        shingles = float(np.mean([len(s) for s in sets]))
        for b, r in LSH:
            for verify in VERIFY:
                started = time.process_time()
                roots, candidates = clusters(sig, sets, b, r, verify)
                row = {
                    "ngram": n,
                    "bands_rows": f"{b}x{r}",
                    "verify": verify,
                    **score(roots, docs, truth),
                    "candidate_pairs": candidates,
                    "lsh_cpu_s": round(time.process_time() - started, 2),
                    "signature_us_per_doc_256perm": round(cpu * 1e6),
                    "spark_bytes_per_doc": round(8 * b + (4 * shingles if verify is not None else 0)),
                }
                row["meets_target"] = meets_target(row)
                rows.append(row)
                print(json.dumps(row), flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-source", type=int, default=300, help="base documents per source (default 300)")
    parser.add_argument("--out", default="/tmp/bench-dedup-defaults.json")
    parser.add_argument("--skip-spark", action="store_true")
    parser.add_argument(
        "--spark-settings", default="", help="comma-separated indices into spark_side.SETTINGS (default: all)"
    )
    args = parser.parse_args()
    docs, truth = planted_corpus(args.per_source)
    print(f"{len(docs)} documents, {len(truth)} planted copies", flush=True)
    report = {"documents": len(docs), "copies": len(truth), "sweep": sweep(docs, truth)}
    if not args.skip_spark:
        from spark_side import run_minhash_settings

        chosen = [int(i) for i in args.spark_settings.split(",")] if args.spark_settings else None
        report["spark"] = run_minhash_settings(docs, truth, chosen=chosen)
    Path(args.out).write_text(json.dumps(report, indent=1))
    print(f"written: {args.out}")


if __name__ == "__main__":
    main()


def markdown(report: dict) -> str:
    """The sweep as a Markdown table (the rows RESULTS.md quotes), from a report JSON."""
    head = "| n-gram | b x r | verify at | precision | hard neg. merged | " + " | ".join(KINDS) + " | candidates |"
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in report["sweep"]:
        rec = " | ".join(f"{r['recall'][k]:.3f}" for k in KINDS)
        verify = "-" if r["verify"] is None else r["verify"]
        mark = " **(meets)**" if r["meets_target"] else ""
        lines.append(
            f"| {r['ngram']} | {r['bands_rows']} | {verify} | {r['precision']:.4f}{mark} | "
            f"{r['hard_negatives_merged']} | {rec} | {r['candidate_pairs']} |"
        )
    return "\n".join(lines)
