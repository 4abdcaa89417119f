"""The per-language funnel of a stage, and the rule that flags a step unfair to one language.

Input is a stage's finalised statistics (``pipeline.stats.finalize``: ``by_language`` and
``removed_by_language``, both counted from the written columns), so ``corpus stats`` and the
HTML report show the same numbers. Per language: documents in, kept, removed, and removals by
step and by ``step/reason``; per step: how many documents of each language reached it (stage input
minus what earlier steps removed, in the manifest's step order) and the share it removed.

A step is **flagged** for language L when all of these hold (:class:`SkewRule` defaults):

- its removal rate for L is at least ``min_ratio`` (2x) the rate over all other labelled languages
  together, and at least ``min_points`` (10) percentage points above it;
- at least ``min_docs`` (20) documents of L reached the step, and at least ``min_removed`` (5) of
  them were removed (so three documents of a rare language cannot raise a flag);
- at least ``min_docs`` documents of other languages reached it (something to compare against).

A step is also flagged (``kind: "sweep"``) when it removes at least ``max_rate`` (90 %) of a language
with the same ``min_docs`` / ``min_removed`` floors, whatever it does to the others: a filter whose
thresholds do not fit the crawl removes nearly everything in every language, which no comparison
between languages can show (a quality classifier with reference-calibrated thresholds removed 100 % of
the English and 76 % of the Chinese real pages of ``bench/real_pages/model_filters.py``).

Documents without a language (removed before language ID ran) are shown but never flagged or used
as the comparison. Removals whose purpose is to select languages (``language_not_allowed``) are
left out of the rule: removing every unwanted language is what that reason means.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

NO_LANGUAGE = "null"
# Reasons that remove languages on purpose; a skewed rate is their job, not a fault.
EXEMPT_REASONS = frozenset({"language_not_allowed"})


@dataclass(frozen=True)
class SkewRule:
    """Thresholds of the flag (ratios are removal rates; points are percentage points)."""

    min_ratio: float = 2.0
    min_points: float = 10.0
    min_docs: int = 20
    min_removed: int = 5
    max_rate: float = 0.9


def _split(key: str, parts: int) -> list[str]:
    return key.split("/", parts - 1)


def language_table(stats: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``{language: {in, kept, removed, removed_by: {step: n}, removed_by_reason: {step/reason: n}}}``."""
    table: dict[str, dict[str, Any]] = {}

    def row(lang: str) -> dict[str, Any]:
        return table.setdefault(lang, {"in": 0, "kept": 0, "removed": 0, "removed_by": {}, "removed_by_reason": {}})

    for key, n in stats.get("by_language", {}).items():
        lang, status = key.rsplit("/", 1)
        r = row(lang)
        r["in"] += n
        if status in ("kept", "removed"):
            r[status] += n
    for key, n in stats.get("removed_by_language", {}).items():
        lang, step, reason = _split(key, 3)
        r = row(lang)
        r["removed_by"][step] = r["removed_by"].get(step, 0) + n
        r["removed_by_reason"][f"{step}/{reason}"] = n
    return dict(sorted(table.items(), key=lambda kv: (kv[0] == NO_LANGUAGE, -kv[1]["in"], kv[0])))


def step_rates(stats: dict[str, Any], step_order: list[str] | None = None) -> list[dict[str, Any]]:
    """Per step (manifest order, then any others by removals): per language reached / removed / rate.

    Removals with an exempt reason count as removed (later steps never see those documents) but
    not in the step's rate.
    """
    langs = language_table(stats)
    totals: dict[str, int] = {}
    counted: dict[tuple[str, str], int] = {}
    for key, n in stats.get("removed_by_language", {}).items():
        lang, step, reason = _split(key, 3)
        totals[step] = totals.get(step, 0) + n
        if reason not in EXEMPT_REASONS:
            counted[(step, lang)] = counted.get((step, lang), 0) + n
    order = [s for s in (step_order or []) if s in totals]
    order += sorted((s for s in totals if s not in order), key=lambda s: (-totals[s], s))
    reached = {lang: r["in"] for lang, r in langs.items()}
    out = []
    for step in order:
        rates = {}
        for lang, r in langs.items():
            removed = counted.get((step, lang), 0)
            rates[lang] = {
                "reached": reached[lang],
                "removed": removed,
                "rate": removed / reached[lang] if reached[lang] else 0.0,
            }
            reached[lang] -= r["removed_by"].get(step, 0)
        out.append({"step": step, "languages": rates})
    return out


def flags(stage: str, rates: list[dict[str, Any]], rule: SkewRule = SkewRule()) -> list[dict[str, Any]]:
    """Steps whose removal rate for one language is far above their rate for the others."""
    found = []
    for step in rates:
        labelled = {k: v for k, v in step["languages"].items() if k != NO_LANGUAGE}
        for lang, mine in labelled.items():
            others_reached = sum(v["reached"] for k, v in labelled.items() if k != lang)
            others_removed = sum(v["removed"] for k, v in labelled.items() if k != lang)
            if mine["reached"] < rule.min_docs or mine["removed"] < rule.min_removed:
                continue
            other_rate = others_removed / others_reached if others_reached else None
            entry = {
                "stage": stage,
                "step": step["step"],
                "language": lang,
                "removed": mine["removed"],
                "reached": mine["reached"],
                "rate": round(mine["rate"], 4),
                "other_rate": round(other_rate, 4) if other_rate is not None else None,
            }
            if mine["rate"] >= rule.max_rate:
                found.append({**entry, "kind": "sweep"})
                continue
            if others_reached < rule.min_docs:
                continue
            if mine["rate"] >= rule.min_ratio * other_rate and mine["rate"] - other_rate >= rule.min_points / 100:
                found.append({**entry, "kind": "skew"})
    return found


def stage_funnel(stage: str, stats: dict[str, Any], step_order: list[str] | None, rule: SkewRule) -> dict[str, Any]:
    """The per-language funnel of one stage: ``languages``, ``steps`` (rates) and ``flags``."""
    rates = step_rates(stats, step_order)
    return {"languages": language_table(stats), "steps": rates, "flags": flags(stage, rates, rule)}


def describe_flag(flag: dict[str, Any]) -> str:
    """One line for people: what was removed, from whom, against what baseline."""
    if flag.get("kind") == "sweep":
        others = "" if flag["other_rate"] is None else f" (other languages: {flag['other_rate']:.0%})"
        return (
            f"{flag['stage']}/{flag['step']} removes {flag['rate']:.0%} of {flag['language']} "
            f"({flag['removed']}/{flag['reached']}){others}: nearly all of it; do its thresholds fit this crawl?"
        )
    return (
        f"{flag['stage']}/{flag['step']} removes {flag['rate']:.0%} of {flag['language']} "
        f"({flag['removed']}/{flag['reached']}) against {flag['other_rate']:.0%} of other languages"
    )


def rule_dict(rule: SkewRule) -> dict[str, Any]:
    return asdict(rule)
