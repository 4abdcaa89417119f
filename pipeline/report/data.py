"""Turn ``pipeline.inspect.collect()`` output into the series the report plots.

Only reshaping happens here; every number comes from the stages' ``_stats.json`` (or a scan of
their files), so the page shows exactly what ``corpus stats`` prints.
"""

from __future__ import annotations

from typing import Any

from pipeline.stats import _BINS_PER_OCTAVE, _SCORE_BINS

LINEAR_COLUMNS = ("language_score", "quality_score")
# Histograms drawn per language, with what their bins mean.
HIST_TITLES = {
    "n_chars": "characters (quarter-octave bins)",
    "language_score": "language ID confidence",
    "quality_score": "quality classifier score",
    "perplexity": "KenLM perplexity (quarter-octave bins)",
}


def bin_label(b: int, linear: bool) -> str:
    """Lower edge of a ``pipeline.stats`` histogram bin, as a short label."""
    if linear:
        return f"{b / _SCORE_BINS:.2f}"
    if b < 0:
        return "<1"
    edge = 2.0 ** (b / _BINS_PER_OCTAVE)
    return f"{edge:,.0f}" if edge >= 10 else f"{edge:.2g}"


def funnel(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Per stage: in / kept / removed and removals by ``step/reason``, largest first."""
    rows = []
    for item in report.get("funnel", []):
        stats = report["stages"][item["stage"]]
        reasons = sorted(stats.get("removed_by_reason", {}).items(), key=lambda kv: (-kv[1], kv[0]))
        rows.append({**item, "reasons": reasons, "accounting_ok": bool(stats.get("accounting_ok"))})
    return rows


def _split_group(group: str) -> tuple[str, str]:
    lang, _, status = group.rpartition("/")
    return lang or "null", status


def histogram_series(groups: dict[str, dict[str, int]], linear: bool) -> dict[str, list[tuple[str, int, int]]]:
    """``{language: [(bin label, kept, removed), ...]}`` over a contiguous range of bins."""
    per_lang: dict[str, dict[int, list[int]]] = {}
    for group, hist in groups.items():
        lang, status = _split_group(group)
        bins = per_lang.setdefault(lang, {})
        for b, count in hist.items():
            pair = bins.setdefault(int(b), [0, 0])
            pair[0 if status == "kept" else 1] += count
    out = {}
    for lang, bins in sorted(per_lang.items(), key=lambda kv: -sum(sum(p) for p in kv[1].values())):
        lo, hi = min(bins), max(bins)
        out[lang] = [(bin_label(b, linear), *bins.get(b, [0, 0])) for b in range(lo, hi + 1)]
    return out


def language_mix(stats: dict[str, Any]) -> list[tuple[str, int, int]]:
    """``(language, kept, removed)`` sorted by kept documents."""
    mix: dict[str, list[int]] = {}
    for group, count in stats.get("by_language", {}).items():
        lang, status = _split_group(group)
        mix.setdefault(lang, [0, 0])[0 if status == "kept" else 1] += count
    return sorted(((k, v[0], v[1]) for k, v in mix.items()), key=lambda r: (-r[1], -r[2], r[0]))


def last_stage_with(report: dict[str, Any], predicate) -> tuple[str, dict[str, Any]] | None:
    """The latest stage whose stats satisfy ``predicate`` (e.g. "has languages")."""
    for name in reversed(list(report.get("stages", {}))):
        if predicate(report["stages"][name]):
            return name, report["stages"][name]
    return None


def has_languages(stats: dict[str, Any]) -> bool:
    return any(not g.startswith("null/") for g in stats.get("by_language", {}))


def perplexity_buckets(stats: dict[str, Any]) -> list[tuple[str, int, int]]:
    """``(bucket, kept, removed)`` in head / middle / tail / unscored order."""
    order = {"head": 0, "middle": 1, "tail": 2, "null": 3}
    rows: dict[str, list[int]] = {}
    for group, count in stats.get("by_perplexity_bucket", {}).items():
        bucket, status = _split_group(group)
        rows.setdefault(bucket, [0, 0])[0 if status == "kept" else 1] += count
    return sorted(((k, v[0], v[1]) for k, v in rows.items()), key=lambda r: order.get(r[0], 9))


def has_scored_buckets(stats: dict[str, Any]) -> bool:
    return any(not g.startswith("null/") for g in stats.get("by_perplexity_bucket", {}))


def cluster_sizes(stats: dict[str, Any]) -> list[tuple[str, int]]:
    """``(cluster size, documents)`` in size order."""
    sizes = stats.get("histograms", {}).get("dup_cluster_size", {})
    return [(k, v) for k, v in sorted(sizes.items(), key=lambda kv: int(kv[0]) if kv[0].isdigit() else 1 << 30)]
