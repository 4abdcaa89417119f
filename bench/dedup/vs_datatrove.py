"""Our MinHash and passage dedup side by side with datatrove's MinHash and sentence dedup, same input.

Inputs (English only: datatrove's sentence splitter for ``zh`` is spaCy's blank Chinese pipeline, which
does not split at 。！？ (a whole article comes back as one sentence), and its ``cmn`` / ``ja`` tokenizers
need jieba / SudachiPy, which its venv does not have):

- MinHash: the English documents of ``real_corpus.planted_corpus`` (base documents, planted copies,
  hard negatives);
- passages: the English documents of ``passages.py`` (planted copied passages), same seed.

Same settings on both sides: MinHash 5-grams, 14 x 8, no verification (``dedup.num_perm=112``);
passages of 3 sentences. The JSONL order is the input order; our documents get fetch times that fall
with it, so both sides keep the first document of a cluster / the first occurrence of a span.

Reported: kept sets (Jaccard of kept ids; for passage dedup also the share of documents whose text both
sides leave identical), every disagreement with its cause where it can be computed (MinHash: the exact
5-gram Jaccard of the pair), CPU and wall time and peak memory as ratios (ours / datatrove's).

    bash scripts/setup_datatrove.sh     # once: .venv-datatrove
    nice -n 10 .venv/bin/python bench/dedup/vs_datatrove.py
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from passages import plant  # noqa: E402
from real_corpus import base_documents, planted_corpus  # noqa: E402
from spark_side import read_result, run_in_subprocess, write_documents  # noqa: E402

from pipeline.dedup.shingles import shingle  # noqa: E402

DATATROVE_PY = ROOT / ".venv-datatrove" / "bin" / "python"
SAME_MINHASH = {"num_perm": 112, "bands": 14, "rows": 8, "word_ngram": 5, "char_ngram": 5, "verify": False}


def prepare(docs: list[dict], work: Path) -> Path:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for i, d in enumerate(docs):
        d["fetch_time"] = start - timedelta(seconds=i)  # first in input order = latest fetch = survivor
    work.mkdir(parents=True, exist_ok=True)
    jsonl = work / "docs.jsonl"
    jsonl.write_text("".join(json.dumps({"id": d["id"], "text": d["text"]}, ensure_ascii=False) + "\n" for d in docs))
    write_documents(docs, work / "docs" / "docs.parquet")
    return jsonl


def datatrove(jsonl: Path, method: str, work: Path) -> dict:
    cmd = [str(DATATROVE_PY), str(ROOT / "bench/compare_datatrove/dedup_side.py"), "--input", str(jsonl)]
    cmd += ["--workdir", str(work / f"datatrove-{method}"), "--method", method]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def _ratios(ours: dict, theirs: dict) -> dict:
    return {
        "wall_ours_over_datatrove": round(ours["wall_s"] / theirs["wall_s"], 2),
        "cpu_ours_over_datatrove": round(ours["cpu_s"] / theirs["cpu_s"], 2),
        "peak_memory_ours_over_datatrove": round(ours["peak_rss_all_mb"] / theirs["peak_rss_mb"], 2),
    }


def _jaccard(a: str, b: str) -> float:
    x, y = set(shingle(a, "en", 5)), set(shingle(b, "en", 5))
    return len(x & y) / max(len(x | y), 1)


def explain_minhash(docs: list[dict], truth: dict, kept_ours: set[str], kept_theirs: set[str]) -> dict:
    """Each document kept by one side only, with what it is: a planted copy (kind, exact 5-gram Jaccard with
    its original), an original (the same for its copy), a hard negative or an untouched document."""
    text = {d["id"]: d["text"] for d in docs}
    partner = {c: t["of"] for c, t in truth.items()} | {t["of"]: c for c, t in truth.items()}
    rows, by_kind = [], {}
    for doc in sorted(kept_ours ^ kept_theirs):
        other = partner.get(doc)
        kind = truth[doc]["kind"] if doc in truth else truth[other]["kind"] if other in truth else "-"
        if doc.endswith("-mix"):
            kind = "hard negative"
        jac = round(_jaccard(text[doc], text[other]), 3) if other in text else None
        rows.append({"id": doc, "kept_by": "ours" if doc in kept_ours else "datatrove", "kind": kind, "jaccard": jac})
        by_kind[kind] = by_kind.get(kind, 0) + 1
    return {"by_kind": dict(sorted(by_kind.items())), "documents": rows}


def compare_minhash(docs: list[dict], truth: dict, work: Path) -> dict:
    jsonl = prepare(docs, work)
    theirs = datatrove(jsonl, "minhash", work)
    ours = run_in_subprocess(work / "docs" / "docs.parquet", "minhash", SAME_MINHASH, work / "out-minhash")
    table = read_result(work / "out-minhash")
    kept_ours = {i for i, s in zip(table.column("id").to_pylist(), table.column("status").to_pylist()) if s == "kept"}
    kept_theirs = set(theirs["kept"])
    return {
        "documents": len(docs),
        "kept_ours": len(kept_ours),
        "kept_datatrove": len(kept_theirs),
        "kept_jaccard": round(len(kept_ours & kept_theirs) / len(kept_ours | kept_theirs), 4),
        "disagreements": explain_minhash(docs, truth, kept_ours, kept_theirs),
        "ours": ours,
        "datatrove": {k: v for k, v in theirs.items() if k != "kept"},
        "ratios": _ratios(ours, theirs),
    }


def compare_passages(docs: list[dict], work: Path) -> dict:
    jsonl = prepare(docs, work)
    theirs = datatrove(jsonl, "sentences", work)
    ours = run_in_subprocess(work / "docs" / "docs.parquet", "passages", {}, work / "out-passages")
    table = read_result(work / "out-passages")
    status = dict(zip(table.column("id").to_pylist(), table.column("status").to_pylist()))
    after = dict(zip(table.column("id").to_pylist(), table.column("text").to_pylist()))
    before = {d["id"]: d["text"] for d in docs}
    kept_ours = {i for i, s in status.items() if s == "kept"}
    kept_theirs = set(theirs["kept"])
    both = kept_ours & kept_theirs
    changed_ours = {i for i in both if after[i] != before[i]}
    changed_theirs = {i for i in both if theirs["kept"][i].strip() != before[i].strip()}
    removed_chars = {
        "ours": sum(len(before[i]) - len(after[i] if i in kept_ours else "") for i in before),
        "datatrove": sum(len(before[i]) - len(theirs["kept"].get(i, "")) for i in before),
    }
    return {
        "documents": len(docs),
        "kept_ours": len(kept_ours),
        "kept_datatrove": len(kept_theirs),
        "kept_jaccard": round(len(both) / len(kept_ours | kept_theirs), 4),
        "documents_cut_ours": len(changed_ours),
        "documents_cut_datatrove": len(changed_theirs),
        "documents_cut_by_both": len(changed_ours & changed_theirs),
        "cut_only_by_ours": sorted(changed_ours - changed_theirs)[:20],
        "cut_only_by_datatrove": sorted(changed_theirs - changed_ours)[:20],
        "characters_removed": removed_chars,
        "ours": ours,
        "datatrove": {k: v for k, v in theirs.items() if k != "kept"},
        "ratios": _ratios(ours, theirs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-source", type=int, default=300)
    parser.add_argument("--workdir", default="/tmp/bench-dedup-vs-datatrove")
    parser.add_argument("--out", default="/tmp/bench-dedup-vs-datatrove.json")
    args = parser.parse_args()
    work = Path(args.workdir)
    docs, truth = planted_corpus(args.per_source)
    report = {"minhash": compare_minhash([d for d in docs if d["language"] == "en"], truth, work / "minhash")}
    print(json.dumps({k: v for k, v in report["minhash"].items() if k != "disagreements"}), flush=True)
    base = base_documents(args.per_source)
    plant(base)
    report["passages"] = compare_passages([d for d in base if d["language"] == "en"], work / "passages")
    print(json.dumps(report["passages"]), flush=True)
    Path(args.out).write_text(json.dumps(report, indent=1, ensure_ascii=False))
    print(f"written: {args.out}")


if __name__ == "__main__":
    main()
