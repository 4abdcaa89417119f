"""PII detection on real, unplanted text: precision and recall by hand labels, side by side with datatrove.

``run.py`` scores planted values in clean text; it cannot say how often the detectors fire on what
real pages hold (prices, SKUs, part numbers, dates in odd forms, tracking ids, version strings) or
miss what real pages write (business phones in local forms, e-mails in footers). Here the text is
what the pipeline really sees:

- ``pages``: the pipeline's extraction (``WarcExtractor``, default settings) of every real page in
  ``../shared/data/pages`` (999 wceb pages, 69 Chinese pages), before any filter;
- ``zyte``: the 181 article bodies of the Zyte benchmark's ground truth;
- ``zh-news``: the 18,856 Chinese news transcripts.

Pages and Zyte bodies get their ``language`` from the ``language_id`` step (fastText lid.176), as
documents have it when ``pii_redactor`` runs in the ``fineweb`` recipe: phone regions depend on it.

Every *candidate* is listed: each span one of our detectors reports, each e-mail-like string
(anything around an "@" with a dot after it), and each digit cluster the detectors look at (7+ digits
with at most two separators between digits, or a dotted quad). A person labelled every candidate
(``real_labels.tsv``: what it really is, keyed by source, document and a hash of the span, so that
the file holds no personal value); a candidate no detector reports and the label calls PII is a
miss. Precision per type = reported spans labelled as that type / reported spans; recall =
reported / labelled PII among the candidates (PII that is no candidate, e.g. "name at example dot
com", is outside what this measures). datatrove's ``PIIFormatter`` (e-mail and IP only, 0.10.1 in
``.venv-datatrove``) runs on the same texts in the same run.

Usage:
    python bench/pii/real_text.py --work /tmp/pii-real               # tables (needs every candidate labelled)
    python bench/pii/real_text.py --work /tmp/pii-real --unlabelled  # print unlabelled candidates in context
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "bench" / "real_pages")]

from pipeline.transform import pii_patterns as P  # noqa: E402
from pipeline.transform.pii_detect import DEFAULT_REGIONS, PII_KINDS, find_pii  # noqa: E402
from pipeline.transform.pii_phone import regions_for  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
LABELS = Path(__file__).with_name("real_labels.tsv")
DATATROVE_PY = ROOT / ".venv-datatrove" / "bin" / "python"
# Anything around an "@" that ends in a dotted name: wider than any e-mail pattern on purpose.
EMAIL_LIKE = re.compile(r"[^\s@<>()\[\]\"',;:]+@[^\s@<>()\[\]\"',;:]+\.[^\s@<>()\[\]\"',;:]+")
LABEL_VALUES = frozenset({*PII_KINDS, "not"})


def page_texts(work: Path) -> list[dict]:
    """The pipeline's extraction of the real pages (cached in ``work/pages.jsonl``)."""
    cache = work / "pages.jsonl"
    if cache.exists():
        return [json.loads(line) for line in cache.read_text(encoding="utf-8").splitlines()]
    from pages import wceb_pages, write_warc, zh_pages

    from pipeline.extract.warc_extractor import WarcExtractor

    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for source, items in (("wceb", wceb_pages()), ("zh", zh_pages())):
            warc = Path(tmp) / f"{source}.warc.gz"
            write_warc(items, warc)
            key_of = {p.url: p.key for p in items}
            for row in WarcExtractor(source=source, timeout_s=30).extract_file(str(warc)):
                if row["status"] == "kept" and row["text"]:
                    out.append(
                        {
                            "source": f"pages/{source}",
                            "key": key_of[row["url"]],
                            "url": row["url"],
                            "language": row["language"],
                            "text": row["text"],
                        }
                    )
    work.mkdir(parents=True, exist_ok=True)
    cache.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in out), encoding="utf-8")
    return out


def zyte_texts() -> list[dict]:
    truth = json.loads((SHARED / "html" / "zyte-article-benchmark" / "ground-truth.json").read_text(encoding="utf-8"))
    return [
        {"source": "zyte", "key": key[:12], "url": item.get("url"), "language": None, "text": item["articleBody"]}
        for key, item in sorted(truth.items())
        if item.get("articleBody")
    ]


def zh_news_texts() -> list[dict]:
    with gzip.open(SHARED / "corpora" / "zh-news" / "articles.jsonl.gz", "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    return [{"source": "zh-news", "key": str(r["id"]), "url": None, "language": "zh", "text": r["text"]} for r in rows]


def with_language(docs: list[dict]) -> list[dict]:
    """The ``language`` column as the pipeline's ``language_id`` step writes it before ``pii_redactor``
    (its phone regions depend on it)."""
    from pipeline.annotate.language import LanguageAnnotator

    rows = LanguageAnnotator().process_batch([{"text": doc["text"], "status": "kept"} for doc in docs])
    return [{**doc, "language": row["language"]} for doc, row in zip(docs, rows)]


def span_key(doc: dict, value: str) -> str:
    return hashlib.sha1(f"{doc['source']}\0{doc['key']}\0{value}".encode()).hexdigest()[:16]


def ours(doc: dict) -> list[tuple[int, int, str]]:
    return find_pii(doc["text"], regions=regions_for(DEFAULT_REGIONS, doc["language"], doc["url"]))


def candidates(doc: dict, reported: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """Spans worth a label that no detector reported: e-mail-like strings and digit clusters."""
    text = doc["text"]
    taken = [(s, e) for s, e, _ in reported]
    out = []
    for m in [*EMAIL_LIKE.finditer(text), *P.DIGIT_CLUSTER_RE.finditer(text)]:
        s, e = m.span()
        if not any(s < te and ts < e for ts, te in taken):
            out.append((s, e))
            taken.append((s, e))
    return out


def datatrove_spans(docs: list[dict], work: Path) -> list[list[tuple[int, int, str]]]:
    """Spans datatrove's PIIFormatter replaces (its e-mail and IP replacers), per document."""
    script = r"""
import json, sys
from datatrove.pipeline.formatters.pii import PIIFormatter
f = PIIFormatter()
out = []
for line in open(sys.argv[1], encoding="utf-8"):
    text = json.loads(line)
    spans = []
    for kind, replacer in (("email", f.emails_replacer), ("ip", f.ip_replacer)):
        for m in replacer.regex.finditer(text):
            if replacer.validator is None or replacer.validator(m.group(0)):
                spans.append((m.start(), m.end(), kind))
    out.append(spans)
json.dump(out, open(sys.argv[2], "w"))
"""
    src, dst = work / "datatrove_in.jsonl", work / "datatrove_out.json"
    src.write_text("".join(json.dumps(d["text"], ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    subprocess.run([str(DATATROVE_PY), "-c", script, str(src), str(dst)], check=True)
    return [[tuple(s) for s in spans] for spans in json.loads(dst.read_text())]


def load_labels() -> dict[str, tuple[str, str]]:
    labels = {}
    if LABELS.exists():
        for line in LABELS.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                key, label, note = (line.split("\t") + ["", ""])[:3]
                if label not in LABEL_VALUES:
                    raise SystemExit(f"{LABELS.name}: {key}: label {label!r} is not one of {sorted(LABEL_VALUES)}")
                labels[key] = (label, note)
    return labels


def context(text: str, s: int, e: int, width: int = 50) -> str:
    return (text[max(0, s - width) : s] + "[[" + text[s:e] + "]]" + text[e : e + width]).replace("\n", " | ")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", type=Path, required=True, help="cache folder (extraction of the pages)")
    ap.add_argument("--unlabelled", action="store_true", help="print unlabelled candidates in context, then stop")
    ap.add_argument("--no-datatrove", action="store_true", help="skip the datatrove side")
    args = ap.parse_args()

    docs = with_language(page_texts(args.work) + zyte_texts()) + zh_news_texts()
    labels = load_labels()
    items = []  # (doc index, start, end, reported kind or None, key)
    for i, doc in enumerate(docs):
        reported = ours(doc)
        for s, e, kind in reported:
            items.append((i, s, e, kind, span_key(doc, doc["text"][s:e])))
        for s, e in candidates(doc, reported):
            items.append((i, s, e, None, span_key(doc, doc["text"][s:e])))

    missing = [it for it in items if it[4] not in labels]
    if args.unlabelled or missing:
        seen = set()
        for i, s, e, kind, key in missing:
            if key not in seen:
                seen.add(key)
                print(f"{key}\t{kind or '-'}\t{docs[i]['source']}/{docs[i]['key']}\t{context(docs[i]['text'], s, e)}")
        print(f"{len(seen)} unlabelled candidates ({len(items)} in all)", file=sys.stderr)
        if missing:
            raise SystemExit(1)
        return

    # Ours: per type, by source group.
    reported = Counter()
    correct = Counter()
    gold = Counter()
    false_by_class = defaultdict(Counter)
    missed_by_kind = defaultdict(list)
    for i, _s, _e, kind, key in items:
        label, note = labels[key]
        if label != "not":
            gold[label] += 1
        if kind is None:
            if label != "not":
                missed_by_kind[label].append((docs[i]["source"], note))
            continue
        reported[kind] += 1
        if label == kind:
            correct[kind] += 1
        else:
            false_by_class[kind][note or label] += 1

    print(f"{len(docs)} documents: " + ", ".join(f"{k} {v}" for k, v in Counter(d["source"] for d in docs).items()))
    print(f"{len(items)} candidates labelled")
    # pii_filter (max_detections 10, not in the default recipe) on the pages and Zyte bodies
    counts = Counter(i for i, _s, _e, kind, _k in items if kind is not None and docs[i]["source"] != "zh-news")
    over = sorted(f"{docs[i]['source']}/{docs[i]['key']}" for i, n in counts.items() if n > 10)
    print(f"documents pii_filter would remove (more than 10 detections): {len(over)} {over}\n")
    print(
        "| type | labelled PII | reported | correct | precision | recall | false positives by class | misses by class |"
    )
    print("|---|---:|---:|---:|---:|---:|---|---|")
    for kind in PII_KINDS:
        p = correct[kind] / reported[kind] if reported[kind] else float("nan")
        r = correct[kind] / gold[kind] if gold[kind] else float("nan")
        fps = "; ".join(f"{c} {n}" for c, n in false_by_class[kind].most_common())
        misses = "; ".join(f"{n} {c}" for (c, n) in Counter(n for _, n in missed_by_kind[kind]).most_common())
        print(f"| {kind} | {gold[kind]} | {reported[kind]} | {correct[kind]} | {p:.3f} | {r:.3f} | {fps} | {misses} |")

    if args.no_datatrove or not DATATROVE_PY.exists():
        print("\n(datatrove side skipped: run scripts/setup_datatrove.sh)")
        return
    dt = datatrove_spans(docs, args.work)
    label_at = {}
    for i, s, e, _kind, key in items:
        label_at[(i, s, e)] = labels[key][0]
    dt_reported, dt_correct, dt_unknown = Counter(), Counter(), []
    for i, spans in enumerate(dt):
        for s, e, kind in spans:
            dt_reported[kind] += 1
            # A datatrove span is judged by the label of the candidate it overlaps most.
            best = max(
                ((min(e, ce) - max(s, cs), lab) for (ci, cs, ce), lab in label_at.items() if ci == i),
                default=(0, None),
            )
            if best[0] <= 0:
                dt_unknown.append(context(docs[i]["text"], s, e))
            elif best[1] == kind:
                dt_correct[kind] += 1
    print("\ndatatrove PIIFormatter on the same texts (spans judged by the label of the candidate they overlap):\n")
    print("| type | labelled PII | reported | correct | precision | recall |")
    print("|---|---:|---:|---:|---:|---:|")
    for kind in ("email", "ip"):
        p = dt_correct[kind] / dt_reported[kind] if dt_reported[kind] else float("nan")
        r = dt_correct[kind] / gold[kind] if gold[kind] else float("nan")
        print(f"| {kind} | {gold[kind]} | {dt_reported[kind]} | {dt_correct[kind]} | {p:.3f} | {r:.3f} |")
    for c in dt_unknown:
        print(f"datatrove span outside every candidate: {c}")


if __name__ == "__main__":
    main()
