"""Passage dedup on real text with planted copied passages, side by side with MinHash on the same input.

Input: the base documents of ``real_corpus`` (wikitext-2, zh-news, a Japanese novel, real pages'
main text), no whole-document copies. One document in five is a recipient: it gets a passage of
3-6 consecutive sentences of another document of the same language (the donor), as a line of its
own (half of them) or inside a line after a sentence (the other half), at a seeded position; the
passage is the donor's text as it stands, line breaks included (see ``plant``).

Measured, through the Spark stage function (``jobs.dedup_passages.passage_dedup``, defaults):

- planted passages removed from all but one document: after the run, exactly one of donor and
  recipient still holds the passage's sentences (target >= 0.95);
- the share of characters removed from documents with no copied passage, neither donors nor
  recipients (target <= 0.5 %), and the reasons behind those removals;
- throughput and peak memory, with ``minhash_dedup`` (defaults) on the same documents, each in its
  own process (``spark_side``).

    nice -n 10 .venv/bin/python bench/dedup/passages.py      # ~2-3 min on 2 loaded cores
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from real_corpus import CJK, base_documents  # noqa: E402
from spark_side import read_result, run_in_subprocess, write_documents  # noqa: E402

from pipeline.dedup.normalize import normalize_text  # noqa: E402
from pipeline.dedup.passages import sentence_spans  # noqa: E402


def plant(docs: list[dict], seed: int = 1) -> list[dict]:
    """Insert passages into every fifth document (in place); returns the planted passages.

    A passage is the donor's text from the start of one sentence to the end of the k-th after it,
    exactly as it stands (line breaks inside it kept, as a copy-paste keeps them). It goes in as a
    line of its own, or inside a recipient line right after a sentence that ends with a full stop;
    a passage that began or ended at a line break of the donor keeps that break around it.
    """
    rng = random.Random(seed)
    by_language: dict[str, list[dict]] = {}
    for d in docs:
        by_language.setdefault(d["language"], []).append(d)
    planted = []
    for i, recipient in enumerate(docs):
        if i % 5:
            continue
        donor = rng.choice(by_language[recipient["language"]])
        spans = sentence_spans(donor["text"])
        k = rng.randint(3, 6)
        if donor is recipient or len(spans) < k + 2:
            continue
        start = rng.randrange(1, len(spans) - k)
        a, b = spans[start][0], spans[start + k - 1][1]
        src = donor["text"]
        passage = src[a:b]
        lines = recipient["text"].split("\n")
        at = rng.randrange(len(lines))
        head = sentence_spans(lines[at])
        ends = [e for _, e in head if lines[at][e - 1] in ".!?。！？"]
        if i % 10 == 0 or not ends:  # a line of its own
            lines.insert(at, passage)
        else:  # inside a line, after a sentence
            cut = rng.choice(ends)
            before = "\n" if a == 0 or src[a - 1] == "\n" else ("" if recipient["language"] in CJK else " ")
            after = "\n" if b == len(src) or src[b] == "\n" else ("" if recipient["language"] in CJK else " ")
            lines[at] = lines[at][:cut] + before + passage + after + lines[at][cut:].lstrip()
        recipient["text"] = "\n".join(lines)
        planted.append(
            {
                "donor": donor["id"],
                "recipient": recipient["id"],
                "sentences": [src[x:y] for x, y in spans[start : start + k]],
            }
        )
    return planted


def holds(text: str, sentences: list[str]) -> bool:
    norm = normalize_text(text)
    return all(normalize_text(s) in norm for s in sentences)


def evaluate(docs: list[dict], planted: list[dict], result) -> dict:
    before = {d["id"]: d["text"] for d in docs}
    after = dict(zip(result.column("id").to_pylist(), result.column("text").to_pylist()))
    status = dict(zip(result.column("id").to_pylist(), result.column("status").to_pylist()))

    def current(doc_id: str) -> str:
        return after[doc_id] if status[doc_id] == "kept" else ""

    ok = sum(
        holds(current(p["donor"]), p["sentences"]) + holds(current(p["recipient"]), p["sentences"]) == 1
        for p in planted
    )
    involved = {p["donor"] for p in planted} | {p["recipient"] for p in planted}
    clean = [i for i in before if i not in involved]
    lost = sum(len(before[i]) - len(current(i)) for i in clean)
    total = sum(len(before[i]) for i in clean)
    touched = [i for i in clean if current(i) != before[i]]
    by_source: dict[str, list[int]] = {}
    for d in docs:
        if d["id"] in clean:
            acc = by_source.setdefault(d["source"], [0, 0])
            acc[0] += len(before[d["id"]]) - len(current(d["id"]))
            acc[1] += len(before[d["id"]])
    return {
        "planted_passages": len(planted),
        "removed_from_all_but_one": round(ok / len(planted), 4),
        "clean_documents": len(clean),
        "clean_documents_touched": len(touched),
        "clean_chars_removed_share": round(lost / total, 5),
        "clean_chars_removed_share_by_source": {k: round(v[0] / v[1], 5) for k, v in sorted(by_source.items())},
        "removed_documents": sum(1 for s in status.values() if s != "kept"),
        "examples_touched_clean": [{"id": i, "removed": _diff(before[i], current(i))[:300]} for i in touched[:3]],
    }


def _diff(old: str, new: str) -> str:
    """The lines of ``old`` that are not in ``new`` (what was cut, for the report)."""
    kept = set(new.split("\n"))
    return " | ".join(line for line in old.split("\n") if line not in kept)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-source", type=int, default=300)
    parser.add_argument("--workdir", default="/tmp/bench-dedup-passages")
    parser.add_argument("--out", default="/tmp/bench-dedup-passages.json")
    args = parser.parse_args()
    docs = base_documents(args.per_source)
    planted = plant(docs)
    work = Path(args.workdir)
    docs_path = work / "docs" / "docs.parquet"
    write_documents(docs, docs_path)
    (work / "docs.jsonl").write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in docs) + "\n")
    (work / "planted.json").write_text(json.dumps(planted, ensure_ascii=False))
    report = {"documents": len(docs), "characters": sum(len(d["text"]) for d in docs)}
    figures = run_in_subprocess(docs_path, "passages", {}, work / "out-passages")
    report["passages"] = {**figures, **evaluate(docs, planted, read_result(work / "out-passages"))}
    print(json.dumps(report["passages"]), flush=True)
    report["minhash_same_input"] = run_in_subprocess(docs_path, "minhash", {}, work / "out-minhash")
    print(json.dumps(report["minhash_same_input"]), flush=True)
    Path(args.out).write_text(json.dumps(report, indent=1, ensure_ascii=False))
    print(f"written: {args.out}")


if __name__ == "__main__":
    main()
