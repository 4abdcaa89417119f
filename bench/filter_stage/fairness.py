"""How much clean real text the rule filters remove, per language, and where the Chinese limits come from.

A rule filter is only as good as its false positives: a limit set on English prose must not remove a
large share of clean text in another language. This runs the ``fineweb`` recipe's rule steps
(url_filter, c4_lines, repeated_lines, c4_quality, gopher_repetition, gopher_quality, fineweb_quality; no language ID,
no PII, the ``language`` column set) over clean, human-made text of ``../shared/data``:

- en: WikiText-2 (3 KB cuts, ``texts.english``); the hand-extracted ``articleBody`` of the Zyte article
  benchmark pages that lid.176 calls English; the ``main_content`` of the wceb pages labelled
  ``article`` (and English by lid.176). All over 300 characters.
- zh: the first 1,000 zh-news articles of 300+ characters (CCTV news transcripts; **the calibration
  set** of the Chinese limits); the hand-copied main text of the 69 zh-web-extraction pages (held out).
- ja: Wagahai wa neko de aru (3 KB cuts, ``texts.japanese``).

Two configurations side by side in one run: Gopher's repetition limits in every language
(``dup_ngrams_by_language: {}``) and the defaults (per-language limits,
``pipeline.filters.gopher.CJK_DUP_NGRAMS``). Then the calibration: for each repetition measure, the
share of the English sets above Gopher's limit, and the quantile of the Chinese calibration set at
that share, i.e. the Chinese limit that removes the same share of clean Chinese news as Gopher's
removes of clean English. It is measured twice: on the text the ``fineweb`` recipe hands to
``gopher_repetition`` (after ``c4_lines`` and ``repeated_lines``, which run first there) and on the whole text, as a recipe
that runs Gopher first (FineWeb's order) sees it.

    .venv/bin/python bench/filter_stage/fairness.py            # about a minute
    .venv/bin/python bench/filter_stage/fairness.py --set "gopher_repetition.dup_ngrams_by_language={zh: [[5, 0.18]]}"
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import texts as real_texts

from pipeline.annotate.language import lid_model, normalize_for_lid
from pipeline.filters.gopher import GOPHER_DUP_NGRAMS, GOPHER_TOP_NGRAMS, GopherRepetitionFilter
from pipeline.recipe import load_recipe
from pipeline.step import run_steps
from pipeline.text.analysis import analyze, clear_analysis_cache
from pipeline.text.repetition import NgramRepetition, prefix_sums

SHARED = real_texts.SHARED
NOT_RULES = {"language_id", "language_filter", "pii_redactor"}
MIN_CHARS = 300


def lid_language(model, text: str) -> str:
    (label,), _ = model.predict(normalize_for_lid(text)[:5000])
    return label.removeprefix("__label__")


def zh_news(n: int) -> list[str]:
    out = []
    with gzip.open(SHARED / "corpora/zh-news/articles.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            text = json.loads(line)["text"]
            if len(text) >= MIN_CHARS:
                out.append(text)
                if len(out) == n:
                    break
    return out


def zyte_english(model) -> list[str]:
    truth = json.loads((SHARED / "html/zyte-article-benchmark/ground-truth.json").read_text(encoding="utf-8"))
    bodies = [v["articleBody"] for v in truth.values() if len(v["articleBody"]) >= MIN_CHARS]
    return [t for t in bodies if lid_language(model, t) == "en"]


def wceb_articles(model) -> list[str]:
    out = []
    for path in sorted((SHARED / "pages/wceb/benchmark/ground-truth").glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        text = record["ground_truth"].get("main_content") or ""
        article = record["_internal"]["page_type"]["primary"] == "article"
        if article and len(text) >= MIN_CHARS and lid_language(model, text) == "en":
            out.append(text)
    return out


def sets(n_news: int) -> dict[str, tuple[str, list[str]]]:
    model = lid_model()
    return {
        "en WikiText-2 (3 KB cuts)": ("en", real_texts.english(300)),
        "en Zyte article bodies": ("en", zyte_english(model)),
        "en wceb article main text": ("en", wceb_articles(model)),
        "zh zh-news articles (calibration)": ("zh", zh_news(n_news)),
        "zh zh-web-extraction main text (held out)": (
            "zh",
            [t for t in real_texts.chinese_web(69) if len(t) >= MIN_CHARS],
        ),
        "ja Wagahai wa neko de aru (3 KB cuts)": ("ja", real_texts.japanese(200)),
    }


def rule_steps(overrides: list[str] | None = None):
    recipe = load_recipe("fineweb", overrides)
    return [s for s in recipe.steps if s.name not in NOT_RULES]


def removals(steps, language: str, texts: list[str]) -> Counter:
    clear_analysis_cache()
    docs = [
        {"id": str(i), "text": t, "language": language, "url": f"https://example.org/{i}", "status": "kept"}
        for i, t in enumerate(texts)
    ]
    out = run_steps(steps, docs)
    return Counter(d["removed_reason"] for d in out if d["status"] != "kept")


@functools.cache
def rewrites_before_gopher() -> tuple:
    """The ``fineweb`` recipe's text-rewriting steps that run before ``gopher_repetition`` (``c4_lines``,
    ``repeated_lines``)."""
    steps = []
    for step in rule_steps():
        if step.name == "gopher_repetition":
            break
        if "text" in getattr(step, "outputs", ()):
            steps.append(step)
    return tuple(steps)


def as_gopher_sees_it(language: str, text: str) -> str:
    """``text`` after :func:`rewrites_before_gopher`: the text whose repetition the limits judge."""
    doc = {"id": "0", "text": text, "language": language, "url": "https://example.org/0", "status": "kept"}
    for step in rewrites_before_gopher():
        doc = step.process(doc)
    return doc["text"]


def measures(language: str, text: str, cleaned: bool = True) -> dict[str, float]:
    a = analyze(as_gopher_sees_it(language, text) if cleaned else text, language)
    rep = NgramRepetition(a.words, prefix_sums(a.word_lengths))
    out = {f"top_{n}gram": rep.top_share(n) for n, _ in GOPHER_TOP_NGRAMS}
    out.update({f"dup_{n}gram": rep.duplicated_share(n) for n, _ in GOPHER_DUP_NGRAMS})
    return out


def quantile(values: list[float], q: float) -> float:
    """Linear-interpolation quantile (numpy's default), q in [0, 1]."""
    xs = sorted(values)
    pos = q * (len(xs) - 1)
    low = int(pos)
    high = min(low + 1, len(xs) - 1)
    return xs[low] + (xs[high] - xs[low]) * (pos - low)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--news", type=int, default=1000, help="zh-news articles in the calibration set")
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        help="STEP.PARAM=VALUE: a third column, the recipe so changed",
    )
    args = parser.parse_args()
    data = sets(args.news)
    configs = {
        "Gopher's limits everywhere": rule_steps(["gopher_repetition.dup_ngrams_by_language={}"]),
        "per-language limits (default)": rule_steps(),
    }
    if args.overrides:
        configs[" ".join(args.overrides)] = rule_steps(args.overrides)
    print("## Clean real text removed by the fineweb recipe's rule steps\n")
    print("| set | docs | mean chars | " + " | ".join(configs) + " |")
    print("|---|---:|---:|" + "---|" * len(configs))
    reasons = {}
    for name, (language, texts) in data.items():
        cells = []
        for label, steps in configs.items():
            c = removals(steps, language, texts)
            reasons[(name, label)] = c
            cells.append(f"{sum(c.values())} ({sum(c.values()) / len(texts):.1%})")
        mean = sum(map(len, texts)) / len(texts)
        print(f"| {name} | {len(texts)} | {mean:,.0f} | " + " | ".join(cells) + " |")
    print("\nReasons:\n")
    for (name, label), c in reasons.items():
        print(f"- {name}, {label}: " + (", ".join(f"{r} {k}" for r, k in c.most_common()) or "none"))

    for cleaned, title in (
        (
            True,
            f"the text the fineweb recipe gives gopher_repetition (after {', '.join(s.name for s in rewrites_before_gopher())})",
        ),
        (False, "the whole extracted text (a recipe that runs gopher_repetition first)"),
    ):
        calibration(data, cleaned, title)


def calibration(data: dict[str, tuple[str, list[str]]], cleaned: bool, title: str) -> None:
    print(f"\n## Calibration of the Chinese repetition limits, on {title}\n")
    english = [measures(lang, t, cleaned) for lang, texts in data.values() if lang == "en" for t in texts]
    chinese_sets = {
        name: [measures(lang, t, cleaned) for t in texts] for name, (lang, texts) in data.items() if lang == "zh"
    }
    calib, held = chinese_sets.values()
    defaults = GopherRepetitionFilter()
    zh_limits = dict(defaults.top_ngrams_by_language.get("zh", defaults.top_ngrams))
    zh_limits.update(dict(defaults.dup_ngrams_by_language.get("zh", defaults.dup_ngrams)))
    print(
        "| measure | Gopher's limit | English over it | zh news quantile at that share | zh limit (default) "
        "| zh news over Gopher's / zh limit | zh web over Gopher's / zh limit |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for n, limit in (*GOPHER_TOP_NGRAMS, *GOPHER_DUP_NGRAMS):
        key = f"{'top' if n < 5 else 'dup'}_{n}gram"
        share = sum(m[key] > limit for m in english) / len(english)
        q = quantile([m[key] for m in calib], 1 - share) if share else max(m[key] for m in calib)
        zh_limit = zh_limits[n]

        def over(rows, x, key=key):
            return sum(m[key] > x for m in rows) / len(rows)

        print(
            f"| {key} | {limit} | {share:.1%} | {q:.3f} | {zh_limit} | {over(calib, limit):.1%} / "
            f"{over(calib, zh_limit):.1%} | {over(held, limit):.1%} / {over(held, zh_limit):.1%} |"
        )


if __name__ == "__main__":
    main()
