"""Docs/s/core of the fineweb recipe's rule filters per language on real text, before and after
the faster segmenters, with the rule decisions and the word segmentation compared in the same run.

Rule filters: the ``fineweb`` recipe's steps without language ID, the language filter and PII
(url_filter, c4_lines, repeated_lines, c4_quality, gopher_repetition, gopher_quality, fineweb_quality), with the
``language`` column set, plain-Python engine (``run_steps``), batches of 256, pinned to one core,
best of ``--repeat`` runs with the per-document analysis cache cleared before each run. Speeds are
documents per second of the process's CPU time (``time.process_time``), so other work on a shared
machine does not lower them; wall time on an idle core is about the same.

Variants (chosen in-process, so both run on the same documents in one run):
- zh: ``jieba`` (pure-Python jieba 0.42.1, the code before) vs ``rjieba`` (jieba-rs, the default).
- ja: ``nodes`` (a fugashi Node object per token, the code before) vs ``wakati`` (MeCab's own
  word-split output, the default); same dictionary (unidic-lite) and the same tokens.

Agreement: boundary F1 between the two segmentations (a token counts when both segmenters put the
same start and end around it; whitespace tokens ignored), over all tokens and over tokens holding a
CJK character; and the number of documents whose rule decision (status, step, reason, cleaned
text) differs.

    .venv/bin/python bench/filter_stage/per_language.py --docs 200 --repeat 3
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import texts as real_texts

from pipeline.recipe import load_recipe
from pipeline.step import run_steps
from pipeline.text import segment
from pipeline.text.analysis import clear_analysis_cache

NOT_RULES = {"language_id", "language_filter", "pii_redactor"}
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
VARIANTS = {
    "zh": [
        ("jieba (before)", lambda: segment.use_chinese_segmenter("jieba")),
        ("rjieba", lambda: segment.use_chinese_segmenter("rjieba")),
    ],
    "ja": [
        ("nodes (before)", lambda: segment.use_japanese_output("nodes")),
        ("wakati", lambda: segment.use_japanese_output("wakati")),
    ],
}


def rule_steps():
    return [s for s in load_recipe("fineweb").steps if s.name not in NOT_RULES]


def run_once(docs_text: list[str], language: str, steps, batch: int = 256):
    docs = [
        {"id": str(i), "text": t, "language": language, "url": f"https://example.org/{i}", "status": "kept"}
        for i, t in enumerate(docs_text)
    ]
    clear_analysis_cache()
    start = time.process_time()  # CPU time: the shared machine's load does not inflate it
    out = []
    for i in range(0, len(docs), batch):
        out += run_steps(steps, docs[i : i + batch])
    return time.process_time() - start, out


def decisions(out) -> list[tuple]:
    return [(d["status"], d.get("removed_by"), d.get("removed_reason"), d.get("text")) for d in out]


def spans(text: str, tokens: list[str], cjk_only: bool) -> set[tuple[int, int]]:
    """Character offsets of the tokens in ``text`` (MeCab's wakati output drops whitespace)."""
    out, pos = set(), 0
    for t in tokens:
        start = text.find(t, pos)
        if start < 0:
            continue
        pos = start + len(t)
        if t.strip() and (not cjk_only or CJK.search(t)):
            out.add((start, pos))
    return out


def boundary_f1(texts: list[str], pairs: list[tuple[list[str], list[str]]], cjk_only: bool) -> float:
    both = a_n = b_n = 0
    for text, (a, b) in zip(texts, pairs):
        sa, sb = spans(text, a, cjk_only), spans(text, b, cjk_only)
        both, a_n, b_n = both + len(sa & sb), a_n + len(sa), b_n + len(sb)
    return 2 * both / (a_n + b_n) if a_n + b_n else 1.0


def raw_tokens(text: str, language: str) -> list[str]:
    if language == "zh":
        return list(segment.chinese_cut()(text))
    return segment.japanese_tokens(text)


def measure(name: str, language: str, docs_text: list[str], repeat: int, code_label: str, dump=None) -> list[str]:
    steps = rule_steps()
    mb = sum(len(t.encode()) for t in docs_text) / 1e6
    rows, outs, tokens = [], {}, {}
    variants = VARIANTS.get(language) if hasattr(segment, "use_chinese_segmenter") else None
    for label, choose in variants or [(code_label, lambda: None)]:
        choose()
        run_steps(steps, [{"text": docs_text[0], "language": language, "status": "kept"}])  # warm-up
        best, out = min((run_once(docs_text, language, steps) for _ in range(repeat)), key=lambda r: r[0])
        outs[label] = decisions(out)
        if dump is not None and label == (variants[-1][0] if variants else code_label):  # the default
            for i, (status, by, reason, text) in enumerate(outs[label]):
                digest = hashlib.sha1((text or "").encode()).hexdigest()
                dump.write(json.dumps([name, i, status, by, reason, digest], ensure_ascii=False) + "\n")
        if variants:
            tokens[label] = [raw_tokens(t, language) for t in docs_text]
        kept = sum(d["status"] == "kept" for d in out)
        rows.append([name, label, str(len(docs_text)), f"{len(docs_text) / best:,.0f}", f"{mb / best:.2f}", f"{kept}"])
    if len(outs) == 2:
        (la, da), (lb, db) = outs.items()
        pairs = list(zip(tokens[la], tokens[lb]))
        differ = sum(x != y for x, y in zip(da, db))
        identical = sum(a == b for a, b in pairs)
        speedup = float(rows[1][3].replace(",", "")) / float(rows[0][3].replace(",", ""))
        rows[1] += [
            f"{speedup:.1f}x",
            f"{differ}",
            f"{identical}/{len(pairs)}",
            f"{boundary_f1(docs_text, pairs, False):.4f}",
            f"{boundary_f1(docs_text, pairs, True):.4f}",
        ]
        rows[0] += ["1.0x", "", "", "", ""]
    else:
        rows[0] += ["", "", "", "", ""]
    return ["| " + " | ".join(r) + " |" for r in rows]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=200, help="documents per text set (fewer if the text runs out)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--code-label", default="-", help="row label when the code has no segmenter switch (an older commit)"
    )
    parser.add_argument("--decisions", help="write each document's decision (JSON lines) to this file")
    args = parser.parse_args()
    dump = open(args.decisions, "w", encoding="utf-8") if args.decisions else None  # noqa: SIM115
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    print(f"rule steps: {[s.name for s in rule_steps()]}")
    print(
        "\n| text | segmenter | docs | docs/s/core | MB/s/core | kept | speed-up | decisions differing "
        "| identical token lists | boundary F1 (all) | boundary F1 (CJK tokens) |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, (language, load) in real_texts.SETS.items():
        docs_text = load(args.docs)
        for line in measure(
            f"{name}, mean {statistics.mean(map(len, docs_text)):,.0f} chars",
            language,
            docs_text,
            args.repeat,
            args.code_label,
            dump,
        ):
            print(line, flush=True)
    if dump is not None:
        dump.close()


if __name__ == "__main__":
    main()
