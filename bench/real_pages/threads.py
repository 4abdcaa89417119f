"""Forum threads and Q&A pages: extraction with and without the thread posts step, on the real pages.

For the 999 wceb pages (ground truth by page type) this extracts the main text as the pipeline does
(``extract_main_text`` on the decoded page) with ``thread_posts=False`` and, for the pages that name a
thread type, with it on (a page that names none is returned unchanged by construction), and prints:

- how many pages of each type name ``DiscussionForumPosting`` / ``QAPage``, how many mark at least two
  post bodies in microdata, and how many give them from JSON-LD only; the same count for the 69
  zh-web-extraction pages and the 181 Zyte article pages;
- scores against the ground truth (4-gram shingle F1, recall, precision; must-have ``with`` and
  must-not ``without`` snippets) by page type, step off and on, and forum pages with under half of
  their main content extracted;
- the F1 of every page that changes, and the CPU seconds of the step on the marked pages;
- with ``--comments``, trafilatura's ``include_comments=True`` on every page, for comparison.

    .venv/bin/python bench/real_pages/threads.py              # about 2.5 minutes on 2 vCPUs
    .venv/bin/python bench/real_pages/threads.py --comments   # about 4.5 minutes
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tarfile
import time
from collections import Counter
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[2])]

from pages import SHARED, wceb_pages, zh_pages  # noqa: E402
from score import wceb_scores  # noqa: E402

from pipeline.extract.charset import decode_html  # noqa: E402
from pipeline.extract.html import collapse_source_newlines, extract_main_text  # noqa: E402
from pipeline.extract.threads import add_thread_posts, has_thread_markup, jsonld_posts, thread_posts  # noqa: E402


def page_score(truth: dict, text: str) -> dict:
    try:
        return wceb_scores({"p": truth}, {"p": text})
    except ZeroDivisionError:  # nothing in common with the ground truth
        return {"f1": 0.0, "recall": 0.0, "precision": 0.0}


def zyte_pages() -> list[bytes]:
    out = []
    with tarfile.open(SHARED / "html" / "zyte-article-benchmark" / "html.tar") as tar:
        for member in tar.getmembers():
            if member.isfile():
                data = tar.extractfile(member).read()
                out.append(gzip.decompress(data) if member.name.endswith(".gz") else data)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", action="store_true", help="also score include_comments=True")
    args = parser.parse_args()

    pages = wceb_pages()
    truth = {p.key: p.truth for p in pages}
    kind = {p.key: p.truth.get("page_type", "unknown") for p in pages}
    html = {p.key: decode_html(p.html)[0] for p in pages}
    marked = [p for p in pages if has_thread_markup(collapse_source_newlines(html[p.key]))]

    counts: Counter = Counter()
    for p in marked:
        page = collapse_source_newlines(html[p.key])
        counts[(kind[p.key], "names a type")] += 1
        if len(thread_posts(page)) >= 2:
            counts[(kind[p.key], "microdata posts")] += 1
        elif len(jsonld_posts(page)) >= 2:
            counts[(kind[p.key], "JSON-LD posts only")] += 1
    print("pages naming DiscussionForumPosting or QAPage, by type:")
    for page_type in sorted(set(kind.values())):
        of = Counter({k: v for (t, k), v in counts.items() if t == page_type})
        n = sum(1 for k in kind.values() if k == page_type)
        print(
            f"  {page_type}: {of['names a type']} of {n} name a type; {of['microdata posts']} mark 2+ posts in "
            f"microdata, {of['JSON-LD posts only']} more in JSON-LD only"
        )
    zh = sum(has_thread_markup(decode_html(p.html)[0]) for p in zh_pages())
    zyte = zyte_pages()
    print(
        f"  zh-web-extraction: {zh} of 69; Zyte articles: {sum(has_thread_markup(decode_html(b)[0]) for b in zyte)} "
        f"of {len(zyte)}"
    )

    started = time.process_time()
    off = {p.key: extract_main_text(html[p.key], url=p.url, thread_posts=False) for p in pages}
    extract_s = time.process_time() - started
    on = dict(off)
    started = time.process_time()
    for p in marked:
        on[p.key] = add_thread_posts(off[p.key], collapse_source_newlines(html[p.key]))
    step_s = time.process_time() - started
    check = {p.key: extract_main_text(html[p.key], url=p.url) for p in marked}  # the pipeline's own call
    assert all(check[k] == on[k] for k in check), "add_thread_posts after the fact differs from extract_main_text"

    sides = [("step off", off), ("step on", on)]
    if args.comments:
        sides.append(
            (
                "include_comments",
                {
                    p.key: extract_main_text(html[p.key], url=p.url, include_comments=True, thread_posts=False)
                    for p in pages
                },
            )
        )
    print("\nscores by page type (F1 / recall / precision / with / without):")
    for page_type in [*sorted(set(kind.values())), "all"]:
        keys = [k for k in truth if page_type in ("all", kind[k])]
        cells = []
        for name, got in sides:
            s = wceb_scores({k: truth[k] for k in keys}, {k: got[k] for k in keys})
            cells.append(
                f"{name} {s['f1']:.4f} / {s['recall']:.4f} / {s['precision']:.4f} / {s['with']:.3f} / "
                f"{s['without']:.3f}"
            )
        changed = sum(on[k] != off[k] for k in keys)
        print(f"  {page_type} ({len(keys)}, {changed} changed): " + " | ".join(cells))
    forums = [k for k in truth if kind[k] == "forum"]
    for name, got in sides[:2]:
        under = sum(page_score(truth[k], got[k])["recall"] < 0.5 for k in forums)
        print(f"  forum pages with under half of their main content, {name}: {under} of {len(forums)}")

    url = {p.key: p.url for p in pages}
    moved = sorted(
        (page_score(truth[k], on[k])["f1"] - page_score(truth[k], off[k])["f1"], k) for k in truth if on[k] != off[k]
    )
    print(f"\n{len(moved)} pages change (F1 off -> on):")
    for delta, k in moved:
        print(
            f"  {delta:+.2f} {page_score(truth[k], off[k])['f1']:.2f} -> {page_score(truth[k], on[k])['f1']:.2f} "
            f"{kind[k]} {url[k]}"
        )
    print(
        f"\nthread step: {step_s:.1f} CPU s over the {len(marked)} marked pages; extraction of the {len(pages)} "
        f"pages without it: {extract_s:.1f} CPU s"
    )


if __name__ == "__main__":
    main()
