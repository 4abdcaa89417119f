"""Duplicated 5-grams against length, on clean real main text: why ``dup_ngram_window`` exists.

Gopher's repetition rule removes a document when more than 15 % of its word characters lie in 5-grams
that occur twice or more, whatever its length. A long text reuses its terms more often than a short one
("the ORDER BY expression", "If set, a function that is called with"), so on clean text the share grows
with length. This reads the ``main_content`` of every wceb page (its ground truth, with the page type it
gives) and the hand-copied main text of the zh-web-extraction pages, and prints, by length in words
(jieba words for Chinese), how many are over the limit measured on the whole text and measured within
windows of each ``--windows`` size (``gopher_repetition.dup_ngram_window``: the character-weighted mean
of the windows' shares), with the median whole-text share.

    .venv/bin/python bench/filter_stage/ngram_length.py                 # about 20 s
    .venv/bin/python bench/filter_stage/ngram_length.py --windows 300 500 1000
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[2]), str(Path(__file__).resolve().parents[1] / "real_pages")]

from pages import wceb_pages  # noqa: E402

from pipeline.filters.gopher import (  # noqa: E402
    CJK_DUP_NGRAMS,
    GOPHER_DUP_NGRAMS,
    ngram_windows,
)
from pipeline.text.analysis import analyze  # noqa: E402
from pipeline.text.repetition import NgramRepetition, prefix_sums  # noqa: E402

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
BUCKETS = (0, 500, 1000, 2000, 4000, None)


def wceb_by_type() -> dict[str, list[str]]:
    """Main content by page type, as ``bench/real_pages/pages.py`` reads the ground truth."""
    out: dict[str, list[str]] = {}
    for page in wceb_pages():
        text = page.truth.get("main_content") or ""
        if text.strip():
            out.setdefault(f"en wceb {page.truth['page_type']}", []).append(text)
    return dict(sorted(out.items()))


def zh_web() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((SHARED / "pages/zh-web-extraction/cleaned").glob("*.txt"))]


def shares(text: str, language: str, windows: list[int]) -> tuple[int, float, list[float]] | None:
    """(words, whole-text 5-gram share, share within each window size), None under 50 words."""
    a = analyze(text, language)
    if len(a.words) < 50:
        return None
    whole = NgramRepetition(a.words, prefix_sums(a.word_lengths))
    windowed = []
    for size in windows:
        parts = ngram_windows(a, size)
        if parts is None:
            windowed.append(whole.duplicated_share(5))
        else:
            windowed.append(sum(p.duplicated_share(5) * p.total for p in parts) / max(1, whole.total))
    return len(a.words), whole.duplicated_share(5), windowed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--windows", type=int, nargs="+", default=[300, 500, 1000, 2000])
    args = parser.parse_args()
    if not SHARED.exists():
        raise SystemExit(f"needs {SHARED} (the shared real test material)")
    sets = {**{k: ("en", v) for k, v in wceb_by_type().items()}, "zh zh-web-extraction main text": ("zh", zh_web())}
    limits = {"en": dict(GOPHER_DUP_NGRAMS)[5], "zh": dict(CJK_DUP_NGRAMS["zh"])[5]}
    print(
        f"Texts over the 5-gram limit (en {limits['en']}, zh {limits['zh']}): whole text / within windows of "
        + " / ".join(f"{w}" for w in args.windows)
        + " words; median whole-text share\n"
    )
    head = " | ".join(f"{lo}-{hi - 1 if hi else ''} words" for lo, hi in zip(BUCKETS, BUCKETS[1:]))
    print(f"| set | {head} | all |")
    print("|---|" + "---:|" * len(BUCKETS))
    for name, (language, texts) in sets.items():
        rows = [r for r in (shares(t, language, args.windows) for t in texts) if r is not None]
        limit = limits[language]
        cells = []
        for lo, hi in [*zip(BUCKETS, BUCKETS[1:]), (0, None)]:
            part = [r for r in rows if r[0] >= lo and (hi is None or r[0] < hi)]
            if not part:
                cells.append("-")
                continue
            over = [sum(r[1] > limit for r in part)] + [
                sum(r[2][i] > limit for r in part) for i in range(len(args.windows))
            ]
            median = sorted(r[1] for r in part)[len(part) // 2]
            cells.append(f"{'/'.join(map(str, over))} of {len(part)}; {median:.3f}")
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
