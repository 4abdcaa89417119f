"""Head-to-head: this project vs HuggingFace datatrove on the same generated WARCs, in one run.

1. Generates the sample crawl (``pipeline.sample.generate_sample``; 7 languages, planted exact and
   near duplicates, spam, redirects, errors, non-HTML payloads).
2. datatrove 0.10.1 in its own venv (``scripts/setup_datatrove.sh``), ``datatrove_side.py``: WarcReader ->
   Trafilatura -> LanguageFilter(en, 0.65) -> GopherRepetition -> GopherQuality -> C4Quality(no terminal
   punctuation rule) -> FineWebQuality -> MinHash (5-grams, 14 buckets x 8 hashes), LocalPipelineExecutor
   with 2 workers.
3. Ours, as a user runs it: ``corpus run --recipe fineweb-en`` with only MinHash dedup at 14 x 8 and
   5-grams, ``local[2]``; then the same with the fast path (trafilatura ``fast`` mode + English
   pre-screening before trafilatura).
4. Compares the document sets after language ID, after the filters and after dedup (by WARC record id),
   and sorts every disagreement into a class by the first step where the two sides part.

Both sides extract with the same trafilatura (2.3.1) and the same options (its defaults, 30 s time
limit), use the same fastText lid.176 file and thresholds. Wall times include each side's start-up
(Spark's JVM; datatrove's worker processes).

    bash scripts/setup_datatrove.sh
    .venv/bin/python bench/compare_datatrove/run.py --pages 20000 --workdir /tmp/cmp
    # real pages, as bench/real_pages/run.py writes them (999 wceb + 69 zh-web-extraction pages)
    .venv/bin/python bench/compare_datatrove/run.py --warcs '/tmp/real_pages/warc/*.warc.gz' --workdir /tmp/cmp-real
    # both sides extracting with resiliparse instead (datatrove: a BaseExtractor subclass in datatrove_side.py;
    # ours: extract.engine=resiliparse without the trafilatura rescue); no fast path then
    .venv/bin/python bench/compare_datatrove/run.py --engine resiliparse --warcs '...' --workdir /tmp/cmp-rp
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import pyarrow.dataset as ds

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pipeline.annotate.language import bundled_model_path  # noqa: E402
from pipeline.engines import jvm_archive  # noqa: E402
from pipeline.sample import generate_sample  # noqa: E402

DEDUP = [
    "methods=[minhash]",
    "dedup.num_perm=112",
    "dedup.bands=14",
    "dedup.rows=8",
    "dedup.word_ngram=5",
    "dedup.char_ngram=5",
    "dedup.verify=false",  # datatrove does not verify candidate pairs
]
# datatrove's text is trafilatura's: our extraction adds nothing to it at equal settings (the posts of a
# forum thread that trafilatura leaves out, pipeline/extract/threads.py, are off)
EQUAL = ["extract.thread_posts=false"]
# resiliparse on both sides: ours without its trafilatura rescue for short texts, which datatrove lacks
EQUAL_RESILIPARSE = ["extract.engine=resiliparse", "extract.rescue_below_chars=0"]
FAST = ["extract.fast=true", "extract.prescreen_languages=[en]"]
COLUMNS = [
    "warc_record_id",
    "url",
    "status",
    "removed_by",
    "removed_reason",
    "language",
    "language_score",
    "dup_cluster",
]


def timed(cmd: list[str], log: Path, env: dict | None = None) -> tuple[float, str]:
    started = time.perf_counter()
    with open(log, "w") as err:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=err, text=True, env=env, cwd=ROOT, check=False)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{cmd[:3]} failed ({proc.returncode}), see {log}")
    return elapsed, proc.stdout


def run_ours(warcs: str, out: Path, extra: list[str], log: Path) -> float:
    shutil.rmtree(out, ignore_errors=True)
    cmd = [str(ROOT / ".venv/bin/corpus"), "run", "--input", warcs, "--output", str(out), "--recipe", "fineweb-en"]
    cmd += ["--master", "local[2]", "--extract-set", "extract.timeout_s=30"]
    for item in extra:
        cmd += ["--extract-set", item]
    for item in DEDUP:
        cmd += ["--dedup-set", item]
    env = dict(os.environ, PYSPARK_PYTHON=str(ROOT / ".venv/bin/python"))
    seconds, stdout = timed(cmd, log, env)
    (out / "summary.txt").write_text(stdout)
    return seconds


def stage_seconds(out: Path) -> dict[str, float]:
    """Per-stage wall seconds from the summary ``corpus run`` printed (its table's 'seconds' column)."""
    stages = {}
    for line in (out / "summary.txt").read_text().splitlines():
        parts = line.split()
        if len(parts) == 6 and parts[0] in ("extract", "filter", "dedup") and parts[1].isdigit():
            stages[parts[0]] = float(parts[4]) if parts[4] != "reused" else 0.0
    return stages


def read_stage(path: Path) -> dict[str, dict]:
    table = ds.dataset(str(path), format="parquet", partitioning="hive").to_table(columns=COLUMNS)
    return {r["warc_record_id"]: r for r in table.to_pylist() if r["warc_record_id"]}


def read_jsonl(path: Path) -> dict[str, dict]:
    with open(path, encoding="utf-8") as fh:
        return {rec["id"]: rec for rec in map(json.loads, fh)}


def ours_sets(out: Path) -> dict[str, set[str]]:
    extract, filt, dedup = (read_stage(out / s) for s in ("extract", "filter", "dedup"))
    before_lid = ("extract", "language_id", "language_filter")
    clusters = defaultdict(set)
    for i, r in dedup.items():
        if r["dup_cluster"]:
            clusters[r["dup_cluster"]].add(i)
    return {
        "_clusters": clusters,
        "extracted": {i for i, r in extract.items() if r["status"] == "kept"},
        "language": {i for i, r in filt.items() if r["status"] == "kept" or r["removed_by"] not in before_lid},
        "filtered": {i for i, r in filt.items() if r["status"] == "kept"},
        "kept": {i for i, r in dedup.items() if r["status"] == "kept"},
        "_rows": {"extract": extract, "filter": filt, "dedup": dedup},
    }


def dt_sets(work: Path) -> dict[str, set[str]]:
    return {
        "extracted": set(read_jsonl(work / "after_extraction.jsonl")),
        "language": set(read_jsonl(work / "after_language.jsonl")),
        "filtered": set(read_jsonl(work / "after_filters.jsonl")),
        "kept": set(read_jsonl(work / "kept.jsonl")),
        "_lang": read_jsonl(work / "after_language.jsonl"),
    }


def agreement(a: set[str], b: set[str]) -> dict:
    return {
        "both": len(a & b),
        "only_datatrove": len(a - b),
        "only_ours": len(b - a),
        "jaccard": round(len(a & b) / max(len(a | b), 1), 4),
    }


def classify(doc: str, ours: dict, dt: dict, truth: dict[str, dict]) -> str:
    """The first step at which the two sides part for ``doc`` (in exactly one kept set)."""
    rows = ours["_rows"]
    kind = truth.get(doc, {}).get("kind", "?")
    ours_ex = rows["extract"].get(doc)
    if doc not in ours["extracted"]:
        reason = ours_ex["removed_reason"] if ours_ex else "no row"
        return f"ours extract removed ({reason}); datatrove extracts every response [{kind}]"
    if (doc in dt["language"]) != (doc in ours["language"]):
        side = "only datatrove" if doc in dt["language"] else "only ours"
        return f"language filter passes {side} [{kind}]"
    if (doc in dt["filtered"]) != (doc in ours["filtered"]):
        if doc in ours["filtered"]:
            return f"quality filters: datatrove removes, ours keeps [{kind}]"
        return f"quality filters: ours removes ({rows['filter'][doc]['removed_reason']}), datatrove keeps [{kind}]"
    cluster = rows["dedup"][doc]["dup_cluster"]
    members = ours["_clusters"].get(cluster, set())
    dt_kept = members & dt["kept"]
    if cluster and len(dt_kept) == 1:
        return "dedup: same cluster, other survivor (ours: latest fetch; datatrove: first in input order)"
    if doc in ours["kept"] and not cluster:
        return f"dedup: datatrove finds a near duplicate, ours finds none [{kind}]"
    if doc in ours["kept"]:
        return f"dedup: clusters differ, datatrove removes, ours keeps [{kind}]"
    return f"dedup: clusters differ, ours removes ({rows['dedup'][doc]['removed_reason']}), datatrove keeps [{kind}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--workdir", default="/tmp/bench-compare-datatrove")
    parser.add_argument("--skip-fast", action="store_true")
    parser.add_argument(
        "--engine",
        choices=("trafilatura", "resiliparse"),
        default="trafilatura",
        help="the extractor both sides use (resiliparse: no fast path, which is a trafilatura mode)",
    )
    parser.add_argument(
        "--warcs",
        metavar="GLOB",
        help="existing WARC files instead of a generated crawl (e.g. bench/real_pages' WORK/warc/*.warc.gz); "
        "disagreements are then classed without a page kind",
    )
    args = parser.parse_args()
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    truth = {}
    if args.warcs:
        warcs = args.warcs
    else:
        sample = work / f"sample-{args.pages}-{args.seed}"
        if not (sample / "summary.json").exists():
            generate_sample(sample, pages=args.pages, seed=args.seed, pages_per_file=1000)
        with open(sample / "ground_truth.jsonl", encoding="utf-8") as fh:
            for rec in map(json.loads, fh):
                truth[rec["record_id"]] = rec
        warcs = str(sample / "warc" / "*.warc.gz")
    dt_python = ROOT / ".venv-datatrove/bin/python"
    if not dt_python.exists():
        raise SystemExit("no .venv-datatrove: run `bash scripts/setup_datatrove.sh` first")

    report: dict = {"pages": args.pages, "seed": args.seed, "cpus": os.cpu_count(), "engine": args.engine, "wall_s": {}}
    # how our side's JVM starts (see bench/spark_startup): the class archive, if built, and the quick JIT
    archive = jvm_archive.current()
    report["ours_jvm"] = {
        "class_archive": str(archive[0]) if archive else None,
        "quick_jit": os.environ.get("CORPUS_JVM_JIT", "quick").strip().lower() != "full",
    }
    if args.warcs:
        report.update(pages=None, seed=None, warcs=args.warcs)
    dt_cmd = [str(dt_python), str(ROOT / "bench/compare_datatrove/datatrove_side.py"), "--input", warcs]
    dt_cmd += ["--workdir", str(work / "datatrove"), "--lid-model", str(bundled_model_path())]
    dt_cmd += ["--tasks", "2", "--workers", "2", "--extract-timeout", "30", "--extractor", args.engine]
    report["wall_s"]["datatrove"], dt_stdout = timed(dt_cmd, work / "datatrove.log")
    report["datatrove"] = json.loads(dt_stdout)
    equal = EQUAL + (EQUAL_RESILIPARSE if args.engine == "resiliparse" else [])
    report["wall_s"]["ours"] = run_ours(warcs, work / "ours", equal, work / "ours.log")
    if not args.skip_fast and args.engine == "trafilatura":
        report["wall_s"]["ours_fast_path"] = run_ours(warcs, work / "ours-fast", FAST, work / "ours-fast.log")

    wall = report["wall_s"]
    report["stage_s"] = {"ours": stage_seconds(work / "ours")}
    if "ours_fast_path" in wall:
        report["stage_s"]["ours_fast_path"] = stage_seconds(work / "ours-fast")
    report["speed_ratio_ours_vs_datatrove"] = round(wall["datatrove"] / wall["ours"], 2)
    if "ours_fast_path" in wall:
        report["speed_ratio_fast_path_vs_ours"] = round(wall["ours"] / wall["ours_fast_path"], 2)
        report["speed_ratio_fast_path_vs_datatrove"] = round(wall["datatrove"] / wall["ours_fast_path"], 2)
    dt, ours = dt_sets(work / "datatrove"), ours_sets(work / "ours")
    report["agreement"] = {level: agreement(dt[level], ours[level]) for level in ("language", "filtered", "kept")}
    report["counts"] = {
        side: {level: len(sets[level]) for level in ("extracted", "language", "filtered", "kept")}
        for side, sets in (("datatrove", dt), ("ours", ours))
    }
    classes, examples = Counter(), defaultdict(list)
    for doc in sorted(dt["kept"] ^ ours["kept"]):
        label = classify(doc, ours, dt, truth)
        classes[label] += 1
        if len(examples[label]) < 3:
            examples[label].append(truth.get(doc, {}).get("url", doc))
    report["disagreement_classes"] = dict(classes.most_common())
    report["disagreement_examples"] = dict(examples)
    if "ours_fast_path" in wall:
        fast = ours_sets(work / "ours-fast")
        report["fast_path_vs_ours"] = {level: agreement(ours[level], fast[level]) for level in ("filtered", "kept")}
        lost = ours["filtered"] - fast["filtered"]
        report["fast_path_lost_after_filters"] = Counter(
            fast["_rows"]["extract"][d]["removed_reason"] or "kept at extract" for d in lost
        )
    print(json.dumps(report, indent=2, default=str))


if __name__ == "__main__":
    main()
