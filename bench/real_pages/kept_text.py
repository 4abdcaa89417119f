"""What the kept documents of the wceb pages hold, for two finished runs of ``run.py`` side by side.

Extraction F1 (``run.py``) is scored before the filters; C4, Gopher and FineWeb then drop lines. This
scores the text of the last stage (a removed page counts as empty) against wceb's main content, for all
pages and for the pages whose extracted text differs between the runs, and counts, in the first run,
the pages whose extracted lines continue mid-sentence (a line ending in a letter, the next starting in
lower case) and what the filter stage kept of them. Last, the time of ``collapse_source_newlines`` per
page on the decoded wceb pages (one process).

    .venv/bin/python bench/real_pages/kept_text.py /tmp/s7/rp2 /tmp/s7/rp3
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[2])]

from pages import wceb_pages  # noqa: E402
from run import by_page, stage_rows  # noqa: E402
from score import wceb_scores  # noqa: E402

from pipeline.extract.charset import decode_html  # noqa: E402
from pipeline.extract.html import collapse_source_newlines  # noqa: E402


def texts(work: Path, pages) -> tuple[dict, dict, dict]:
    """Per page key: extracted text, text after the filter stage, text of the last stage ("" if removed)."""
    later = {
        stage: {
            r["id"]: r["text"] if r["status"] == "kept" else ""
            for r in stage_rows(work / "out", stage, ["id", "text", "status"])
        }
        for stage in ("filter", "decontaminate")
    }
    extracted = {key.split(":", 1)[1]: row for key, row in by_page(work / "out", {"wceb": pages}).items()}
    return (
        {k: r["text"] or "" for k, r in extracted.items()},
        {k: later["filter"].get(r["id"], "") for k, r in extracted.items()},
        {k: later["decontaminate"].get(r["id"], "") for k, r in extracted.items()},
    )


def mid_sentence_lines(text: str) -> int:
    lines = text.split("\n")
    return sum(1 for a, b in zip(lines, lines[1:]) if a.rstrip()[-1:].isalpha() and b[:1].islower())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path, help="work folder of a finished run.py run")
    parser.add_argument("after", type=Path, help="work folder of another one")
    args = parser.parse_args()
    pages = wceb_pages()
    truth = {p.key: p.truth for p in pages}
    ex_a, filt_a, fin_a = texts(args.before, pages)
    ex_b, _, fin_b = texts(args.after, pages)

    wrapped = [k for k in ex_a if mid_sentence_lines(ex_a[k]) >= 5]
    kept = [k for k in wrapped if filt_a[k]]
    print(
        f"before: {len(wrapped)} pages with 5+ lines continuing mid-sentence; {len(kept)} kept by the filter "
        f"stage, {sum(len(ex_a[k]) for k in kept):,} -> {sum(len(filt_a[k]) for k in kept):,} characters"
    )
    url = {p.key: p.url for p in pages}
    for k in sorted(kept, key=lambda k: len(filt_a[k]) / len(ex_a[k]))[:5]:
        print(f"  {url[k]}: {len(ex_a[k]):,} -> {len(filt_a[k]):,}")
    changed = [k for k in ex_a if ex_a[k] != ex_b.get(k, "")]
    print(f"pages whose extracted text differs: {len(changed)}")
    for name, keys in (
        (("all pages", list(truth)), ("changed pages", changed)) if changed else (("all pages", list(truth)),)
    ):
        for label, fin in (("before", fin_a), ("after", fin_b)):
            s = wceb_scores({k: truth[k] for k in keys}, {k: fin.get(k, "") for k in keys})
            print(
                f"last stage vs main content, {name}, {label}: F1 {s['f1']:.4f} recall {s['recall']:.4f} "
                f"precision {s['precision']:.4f}; characters kept {sum(len(fin.get(k, '')) for k in keys):,}"
            )
    print(
        f"documents kept before only: {sum(1 for k in truth if fin_a.get(k) and not fin_b.get(k))}, "
        f"after only: {sum(1 for k in truth if fin_b.get(k) and not fin_a.get(k))}"
    )

    html = [decode_html(p.html)[0] for p in pages]
    started = time.process_time()
    for h in html:
        collapse_source_newlines(h)
    per_page = (time.process_time() - started) / len(html)
    print(
        f"collapse_source_newlines: {per_page * 1000:.2f} ms CPU a page "
        f"(mean {sum(map(len, html)) / len(html) / 1000:.0f} K characters)"
    )


if __name__ == "__main__":
    main()
