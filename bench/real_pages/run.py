"""Real pages end to end: WARC files from ../shared/data, ``corpus run`` with the default recipe, scores.

    nice -n 10 .venv/bin/python bench/real_pages/run.py [--work /tmp/real_pages] [--wceb-limit N]

1. writes the 999 wceb pages (4 files) and the 69 zh-web-extraction pages (1 file) as WARC
   (``pages.py``: one HTTP 200 response per page, bytes as served, no charset in the header);
2. runs ``corpus run --recipe fineweb --eval-set wikitext=corpora/wikitext-2/test.txt`` on them (the
   exact command is printed), i.e. extract, filter, dedup and decontaminate on Spark;
3. reads the published stages: removals by stage, reason, source and language; extraction quality of the
   extract stage on wceb (``score.py``) against ``trafilatura.extract`` alone on the same bytes (it decodes
   them itself), and of the fast path (``extract.fast=true``, same extractor class, in process); Chinese
   character F1 against ``cleaned/`` with the charset each page was decoded with, and of the text the
   last stage keeps (after the filters' line rules) for the pages it keeps.

Writes ``WORK/results.json``; the tables in RESULTS.md come from its output.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter
from multiprocessing import Pool
from pathlib import Path
from statistics import mean

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

import pyarrow.dataset as ds  # noqa: E402
from pages import SHARED, write_crawl  # noqa: E402
from score import char_f1, wceb_scores  # noqa: E402

EXPECTED_CHARSET = {"gb2312": "gb18030", "gbk": "gb18030", "utf8": "utf-8"}


def corpus_run(warc_dir: Path, out: Path, extra: list[str]) -> float:
    cmd = [sys.executable, "-m", "pipeline.cli.main", "run", "--input", f"{warc_dir}/*.warc.gz", "--output", str(out)]
    cmd += ["--recipe", "fineweb", "--eval-set", f"wikitext={SHARED}/corpora/wikitext-2/test.txt", *extra]
    print("$", " ".join(cmd), flush=True)
    started = time.time()
    subprocess.run(cmd, check=True)
    return time.time() - started


def stage_rows(out: Path, stage: str, columns: list[str]) -> list[dict]:
    return ds.dataset(out / stage, format="parquet", partitioning="hive").to_table(columns=columns).to_pylist()


def by_page(out: Path, sources: dict) -> dict[str, dict]:
    """Extract-stage rows keyed by page (source:key): the n-th record of a file is its n-th page.

    Keyed by position, not URL: a few wceb pages share a URL (two downloads of one page).
    """
    cols = ["id", "url", "text", "charset", "charset_source", "warc_file", "warc_offset", "warc_type"]
    per_file: dict[str, list[dict]] = {}
    for row in stage_rows(out, "extract", cols):
        if row["warc_type"] == "response":
            per_file.setdefault(Path(row["warc_file"]).name, []).append(row)
    rows = {}
    for name, pages in sources.items():
        parts = 4 if name == "wceb" else 1
        for i in range(parts):
            records = sorted(per_file.get(f"{name}-{i}.warc.gz", []), key=lambda r: r["warc_offset"])
            for page, row in zip(pages[i::parts], records, strict=False):
                assert row["url"] == page.url, (page.key, row["url"])
                rows[f"{name}:{page.key}"] = row
    return rows


def _trafilatura(html: bytes) -> str:
    import trafilatura

    return trafilatura.extract(html, include_comments=False) or ""


def _fast_file(path: str) -> list[str]:
    """Fast-path texts of a WARC file's responses, in file order."""
    from pipeline.extract.warc_extractor import WarcExtractor

    rows = [r for r in WarcExtractor(fast=True).extract_file(path) if r["warc_type"] == "response"]
    return [r["text"] or "" for r in rows]


def removals(out: Path) -> list[dict]:
    table = Counter()
    for stage in ("extract", "filter", "dedup", "decontaminate"):
        cols = ["status", "removed_by", "removed_reason", "language", "warc_file"]
        for row in stage_rows(out, stage, cols):
            if row["status"] == "removed":
                source = Path(row["warc_file"] or "?").name.split("-")[0]
                table[(stage, f"{row['removed_by']}/{row['removed_reason']}", source, row["language"] or "-")] += 1
    return [
        dict(zip(("stage", "reason", "source", "language", "documents"), (*k, v))) for k, v in sorted(table.items())
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", default="/tmp/real_pages")
    parser.add_argument("--wceb-limit", type=int)
    parser.add_argument(
        "--reuse", action="store_true", help="score a finished run in WORK/out again instead of running it"
    )
    args = parser.parse_args()
    work = Path(args.work)
    sources = write_crawl(work / "warc", wceb_limit=args.wceb_limit)
    results: dict = {"pages": {k: len(v) for k, v in sources.items()}}
    if args.reuse and (work / "out" / "decontaminate" / "_SUCCESS").exists():
        results["run_seconds"] = None  # scored again from the finished run in WORK/out (same WARC bytes)
    else:
        results["run_seconds"] = corpus_run(work / "warc", work / "out", [])
    extracted = by_page(work / "out", sources)
    stats = {
        s: json.loads((work / "out" / s / "_stats.json").read_text())
        for s in ("extract", "filter", "dedup", "decontaminate")
    }
    results["stages"] = {s: {k: v[k] for k in ("rows", "kept", "removed")} for s, v in stats.items()}
    results["decontamination"] = stats["decontaminate"].get("decontamination")
    results["removals"] = removals(work / "out")
    final = stage_rows(work / "out", "decontaminate", ["status", "language", "warc_file"])
    results["kept_by_source_language"] = Counter(
        f"{Path(r['warc_file']).name.split('-')[0]}/{r['language']}" for r in final if r["status"] == "kept"
    )

    wceb = sources["wceb"]
    truth = {p.key: p.truth for p in wceb}
    ours = {p.key: (extracted.get(f"wceb:{p.key}") or {}).get("text") or "" for p in wceb}
    with Pool(2) as pool:
        started = time.time()
        alone = dict(zip([p.key for p in wceb], pool.map(_trafilatura, [p.html for p in wceb], chunksize=8)))
        alone_seconds = time.time() - started
        files = [str(work / "warc" / f"wceb-{i}.warc.gz") for i in range(4)]
        fast_files = pool.map(_fast_file, files)
    fast = {}
    for i, texts in enumerate(fast_files):
        fast.update({p.key: t for p, t in zip(wceb[i::4], texts, strict=False)})
    results["wceb"] = {
        "pipeline": wceb_scores(truth, ours),
        "trafilatura_alone": wceb_scores(truth, alone),
        "fast_path": wceb_scores(truth, fast),
        "trafilatura_alone_seconds": round(alone_seconds, 1),
        "by_page_type": {},
    }
    for page_type in sorted({t.get("page_type", "unknown") for t in truth.values()}):
        keys = [k for k, t in truth.items() if t.get("page_type", "unknown") == page_type]
        results["wceb"]["by_page_type"][page_type] = {"pages": len(keys)} | {
            name: {
                m: round(v, 4) for m, v in wceb_scores({k: truth[k] for k in keys}, {k: got[k] for k in keys}).items()
            }
            for name, got in (("pipeline", ours), ("trafilatura_alone", alone))
        }
    zh_alone = {p.key: _trafilatura(p.html) for p in sources["zh"]}
    # What a user gets: the text of the last stage (filters, dedup, decontamination applied), "" if removed.
    final_zh = {
        r["warc_offset"]: r["text"] if r["status"] == "kept" else ""
        for r in stage_rows(work / "out", "decontaminate", ["text", "status", "warc_file", "warc_offset"])
        if Path(r["warc_file"]).name == "zh-0.warc.gz"
    }
    zh = []
    for page in sources["zh"]:
        row = extracted.get(f"zh:{page.key}") or {}
        final_text = final_zh.get(row.get("warc_offset"), "")
        wanted = EXPECTED_CHARSET.get(page.truth["wrapper_encoding"] or "")
        zh.append(
            {
                "page": page.key[:8],
                "crawler_encoding": page.truth["wrapper_encoding"],
                "charset": row.get("charset"),
                "charset_source": row.get("charset_source"),
                "agrees": wanted is None or row.get("charset") == wanted,
                "char_f1": round(char_f1(page.truth["text"], row.get("text") or ""), 3),
                "char_f1_trafilatura": round(char_f1(page.truth["text"], zh_alone[page.key]), 3),
                "kept": bool(final_text),
                "char_f1_kept_text": round(char_f1(page.truth["text"], final_text), 3),
            }
        )
    results["zh"] = {
        "pages": zh,
        "char_f1": mean(p["char_f1"] for p in zh),
        "char_f1_trafilatura": mean(p["char_f1_trafilatura"] for p in zh),
        "kept": sum(p["kept"] for p in zh),
        "char_f1_of_kept_documents_after_every_stage": mean(p["char_f1_kept_text"] for p in zh if p["kept"]),
        "charset_disagreements": [p["page"] for p in zh if not p["agrees"]],
        "charsets": Counter(f"{p['charset']} ({p['charset_source']})" for p in zh),
    }
    (work / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False, default=dict))
    print(json.dumps({k: v for k, v in results.items() if k not in ("removals", "zh")}, indent=1, default=dict))
    print(json.dumps({k: v for k, v in results["zh"].items() if k != "pages"}, indent=1, default=dict))
    for r in results["removals"]:
        print(f"{r['stage']:<14} {r['reason']:<48} {r['source']:<5} {r['language']:<6} {r['documents']}")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
