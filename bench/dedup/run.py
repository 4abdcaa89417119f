"""Quality and parity benchmark of MinHash-LSH dedup, in one run.

1. Generates the sample crawl (``pipeline.sample.generate_sample``) and takes each capture's
   ground-truth ``main_text`` as a document (extraction is benchmarked elsewhere; this isolates dedup).
2. Runs ``jobs.dedup_lib.minhash_dedup`` on local Spark and scores its clusters against the planted
   duplicate groups: pairwise precision / recall / F1, and recall per planted edit rate.
3. Runs datasketch's MinHashLSH single-process on the same shingles with the same parameters, takes
   the connected components of its query results, and reports the share of documents whose cluster
   (member set) is identical in both, plus signature speed: datasketch vs ours, per document.

    .venv/bin/python bench/dedup/run.py --pages 20000
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import pyarrow as pa  # noqa: E402
from datasketch import MinHash, MinHashLSH  # noqa: E402

from pipeline.dedup.config import DedupConfig  # noqa: E402
from pipeline.dedup.minhash import hash32_function  # noqa: E402
from pipeline.dedup.normalize import normalize_array  # noqa: E402
from pipeline.dedup.shingles import shingle_sets  # noqa: E402
from pipeline.dedup.signatures import BandKeyer, bands_rows  # noqa: E402
from pipeline.sample import generate_sample  # noqa: E402
from schemas.documents import empty_row, rows_to_table  # noqa: E402


def load_documents(sample_dir: Path) -> tuple[list[dict], dict[str, dict]]:
    docs, truth = [], {}
    with open(sample_dir / "ground_truth.jsonl", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            t = json.loads(line)
            if not t["main_text"]:
                continue
            row = empty_row()
            row.update(
                id=t["page_id"],
                url=t["url"],
                text=t["main_text"],
                language=t["language"],
                status="kept",
                fetch_time=datetime.fromtimestamp(1_700_000_000 + i, UTC),
                n_chars=len(t["main_text"]),
            )
            docs.append(row)
            truth[t["page_id"]] = t
    return docs, truth


def pairs_of(clusters: dict[str, str]) -> set[tuple[str, str]]:
    groups = defaultdict(list)
    for doc, label in clusters.items():
        groups[label].append(doc)
    return {(a, b) for members in groups.values() for a in members for b in members if a < b}


SCORED_KINDS = ("article", "near_dup", "exact_dup")


def score(predicted: dict[str, str], truth: dict[str, dict]) -> dict:
    """Pairwise scores over articles and their planted copies. Spam, lorem-ipsum and boilerplate pages are
    left out: the generator draws them from a few templates, so they really are near-duplicates of each
    other without being a planted group; their predicted pairs are counted separately."""
    scored = {d for d, t in truth.items() if t["kind"] in SCORED_KINDS}
    true_groups = {d: t["dup_group"] for d, t in truth.items() if t["dup_group"] and d in scored}
    pred = pairs_of({d: c for d, c in predicted.items() if d in scored})
    gold = pairs_of(true_groups)
    other = len(pairs_of({d: c for d, c in predicted.items() if d not in scored}))
    tp = len(pred & gold)
    p, r = tp / max(len(pred), 1), tp / max(len(gold), 1)
    by_rate = defaultdict(lambda: [0, 0])
    for d, t in truth.items():
        if t["kind"] in ("near_dup", "exact_dup") and t["dup_of"] in truth:
            key = f"near_dup@{t['edit_rate']}" if t["kind"] == "near_dup" else t["kind"]
            by_rate[key][1] += 1
            by_rate[key][0] += predicted.get(d) is not None and predicted.get(d) == predicted.get(t["dup_of"])
    return {
        "pairs_among_template_pages": other,
        "pairs_predicted": len(pred),
        "pairs_true": len(gold),
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / max(p + r, 1e-12), 4),
        "recall_by_kind": {k: f"{v[0]}/{v[1]} = {v[0] / v[1]:.3f}" for k, v in sorted(by_rate.items())},
    }


def run_spark(docs: list[dict], cfg: DedupConfig) -> tuple[dict[str, str], dict, float]:
    from jobs.dedup_lib import minhash_dedup
    from pipeline.engines.spark import get_session, to_spark_schema

    spark = get_session(master="local[2]", app_name="bench-dedup", shuffle_partitions=8, ui=False, driver_memory="2g")
    df = spark.createDataFrame(rows_to_table(docs).to_pandas(), to_spark_schema()).repartition(4).cache()
    df.count()
    started = time.perf_counter()
    out, extra = minhash_dedup(df, cfg)
    rows = out.select("id", "dup_cluster").collect()
    elapsed = time.perf_counter() - started
    spark.stop()
    return {r["id"]: r["dup_cluster"] for r in rows if r["dup_cluster"]}, extra, elapsed


def datasketch_sketches(sets: list[list[bytes]], cfg: DedupConfig) -> list[MinHash]:
    """datasketch MinHash of every shingle set, with the hash function the Spark job uses."""
    fn = hash32_function(cfg.hash_function)
    sketches = []
    for s in sets:
        m = MinHash(num_perm=cfg.num_perm, seed=cfg.seed, scheme=cfg.scheme, hashfunc=fn)
        m.update_batch(s)
        sketches.append(m)
    return sketches


def run_datasketch(
    sets: list[list[bytes]], sketches: list[MinHash], ids: list[str], cfg: DedupConfig
) -> tuple[dict[str, str], dict]:
    started = time.process_time()
    lsh = MinHashLSH(threshold=cfg.threshold, num_perm=cfg.num_perm)
    for doc, m, s in zip(ids, sketches, sets):
        if s:  # documents without shingles are never candidates, as in the Spark job
            lsh.insert(doc, m)
    parent = {d: d for d in ids}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for doc, m, s in zip(ids, sketches, sets):
        for other in lsh.query(m) if s else []:
            a, b = find(doc), find(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
    total = time.process_time() - started
    comps = defaultdict(list)
    for d in ids:
        comps[find(d)].append(d)
    clusters = {d: root for root, members in comps.items() if len(members) > 1 for d in members}
    return clusters, {"lsh_cc_s": total, "params": (lsh.b, lsh.r)}


def speed(texts: list[str], languages: list[str], cfg: DedupConfig) -> dict:
    """CPU time per document (process_time: fair on a shared machine), all from the same documents.

    - normalisation (``normalize_array``): the first step of both sides, datasketch has none of its own;
    - shingle strings (``shingle_sets``, which includes normalisation): what datasketch needs as input;
    - datasketch 2.0 with its default hash (SHA-1), fed those strings: ``update`` per shingle, ``update_batch``
      per document, ``MinHash.bulk``;
    - ours, ``BandKeyer.signatures`` from the raw text in batches of 256 (normalisation included), with
      ``poly64`` (default) and ``sha1``.
    """
    n = len(texts)
    t = time.process_time()
    for i in range(0, n, 256):
        normalize_array(pa.array(texts[i : i + 256], pa.string()))
    norm = (time.process_time() - t) / n
    t = time.process_time()
    sets = shingle_sets(texts, languages, cfg.word_ngram, cfg.char_ngram, cfg.char_languages)
    shingling = (time.process_time() - t) / n
    t = time.process_time()
    for s in sets:
        MinHash(num_perm=cfg.num_perm, seed=cfg.seed).update_batch(s)
    ds_batch = (time.process_time() - t) / n
    t = time.process_time()
    MinHash.bulk(sets, num_perm=cfg.num_perm, seed=cfg.seed)
    ds_bulk = (time.process_time() - t) / n
    sub = sets[: max(n // 20, 1)]
    t = time.process_time()
    for s in sub:
        m = MinHash(num_perm=cfg.num_perm, seed=cfg.seed)
        for sh in s:
            m.update(sh)
    ds_update = (time.process_time() - t) / len(sub)
    ours = {}
    for name in ("poly64", "sha1"):
        keyer = BandKeyer(DedupConfig(num_perm=cfg.num_perm, seed=cfg.seed, hash_function=name))
        t = time.process_time()
        keyer.signatures(texts, languages)
        ours[name] = (time.process_time() - t) / n
    us = lambda x: round(x * 1e6, 1)  # noqa: E731
    ratio = lambda a, b: round(a / b, 1)  # noqa: E731
    return {
        "documents": n,
        "shingles_per_doc": round(sum(map(len, sets)) / n, 1),
        "normalisation_us": us(norm),
        "shingle_strings_us": us(shingling),
        "datasketch_update_loop_us": us(ds_update),
        "datasketch_update_batch_us": us(ds_batch),
        "datasketch_bulk_us": us(ds_bulk),
        "ours_poly64_from_text_us": us(ours["poly64"]),
        "ours_sha1_from_text_us": us(ours["sha1"]),
        # Signature work only: datasketch from ready shingle strings, ours from normalised text
        # (our shingling and hashing included, the normalisation both need left out).
        "ratio_signature_poly64_vs_update_batch": ratio(ds_batch, ours["poly64"] - norm),
        "ratio_signature_poly64_vs_update_loop": ratio(ds_update, ours["poly64"] - norm),
        "ratio_signature_poly64_vs_bulk": ratio(ds_bulk, ours["poly64"] - norm),
        "ratio_signature_sha1_vs_update_batch": ratio(ds_batch, ours["sha1"] - norm),
        # Text to signature on both sides: normalise + build shingle strings + update_batch vs ours.
        "ratio_end_to_end_poly64_vs_update_batch": ratio(shingling + ds_batch, ours["poly64"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", default="/tmp/bench-dedup")
    parser.add_argument(
        "--thresholds",
        default="0.8,0.7,0.5,0.7v,0.5v",
        help="Jaccard thresholds to score (0.8 = default); a 'v' suffix turns on verification",
    )
    args = parser.parse_args()
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    sample = Path(args.workdir) / "sample"
    generate_sample(sample, pages=args.pages, seed=args.seed, pages_per_file=2000)
    docs, truth = load_documents(sample)
    # This benchmark is about parity with datasketch's MinHashLSH, whose bands x rows follow from the
    # threshold: the LSH shape and shingles of the previous defaults, not the measured ones.
    base = DedupConfig(bands=None, rows=None, word_ngram=5, char_ngram=5, verify=False)
    ids = [d["id"] for d in docs]
    sets = shingle_sets(
        [d["text"] for d in docs], [d["language"] for d in docs], base.word_ngram, base.char_ngram, base.char_languages
    )
    texts, languages = [d["text"] for d in docs], [d["language"] for d in docs]
    report = {
        "documents": len(docs),
        "pages": args.pages,
        "hash_function": base.hash_function,
        "signature_speed": speed(texts, languages, base),
        "by_threshold": {},
    }
    started = time.process_time()
    sketches = datasketch_sketches(sets, base)
    report["datasketch_sketches_cpu_s"] = round(time.process_time() - started, 1)
    for spec in args.thresholds.split(","):
        cfg = dataclasses.replace(base, threshold=float(spec.rstrip("v")), verify=spec.endswith("v"))
        ours, extra, spark_s = run_spark(docs, cfg)
        theirs, ds = run_datasketch(sets, sketches, ids, cfg)
        same = sum(1 for d in ids if _members(ours, d) == _members(theirs, d))
        report["by_threshold"][spec] = {
            "bands_rows": bands_rows(cfg),
            "datasketch_bands_rows": ds["params"],
            "quality_spark": score(ours, truth),
            "quality_datasketch": score(theirs, truth),
            "agreement_same_cluster": f"{same}/{len(ids)} = {same / len(ids):.4%}"
            + (" (ours verified, datasketch not: not comparable)" if cfg.verify else ""),
            "spark_minhash_dedup_wall_s": round(spark_s, 1),
            "candidate_edges": extra["candidate_edges"],
            "cc_rounds": extra["cc_rounds"],
            "datasketch_lsh_and_components_cpu_s": round(ds["lsh_cc_s"], 1),
        }
    print(json.dumps(report, indent=2))


_MEMBER_CACHE: dict[int, dict[str, frozenset]] = {}


def _members(clusters: dict[str, str], doc: str) -> frozenset:
    index = _MEMBER_CACHE.get(id(clusters))
    if index is None:
        groups = defaultdict(set)
        for d, label in clusters.items():
            groups[label].add(d)
        index = _MEMBER_CACHE[id(clusters)] = {d: frozenset(groups[label]) for d, label in clusters.items()}
    return index.get(doc, frozenset([doc]))


if __name__ == "__main__":
    main()
