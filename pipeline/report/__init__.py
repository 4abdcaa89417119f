"""``corpus report``: a self-contained HTML page to inspect stage outputs and review removals.

The page holds the removal funnel by stage and reason, the funnel per language for every stage
with the steps flagged as removing one language far more than the others, per-language length and score histograms,
the language mix, perplexity buckets, duplicate cluster sizes, and a browser of removed documents
per reason. Everything is inline, so the file can be mailed or opened from an air-gapped cluster.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.funnel import SkewRule
from pipeline.inspect import collect, removed_samples
from pipeline.report.page import render
from pipeline.transform.pii import redact_for_display


def samples_by_reason(report: dict, per_reason: int, max_chars: int) -> dict[str, list[dict]]:
    """``{"stage:step/reason": [documents]}`` across all stages of the report, PII redacted: a stage
    without a PII step (extraction, some recipes) holds text as crawled, and a report travels."""
    out: dict[str, list[dict]] = {}
    for name, stats in report["stages"].items():
        for key, docs in removed_samples(stats["path"], per_reason, max_chars).items():
            out[f"{name}:{key}"] = [redact_for_display(d) for d in docs]
    return out


def build_report(path: str | Path, per_reason: int = 20, max_chars: int = 2000, rule: SkewRule | None = None) -> str:
    """The HTML of the report for a stage directory or a run directory."""
    report = collect(path, rule)
    if not report["stages"]:
        raise FileNotFoundError(f"no stage outputs under {path}")
    return render(str(path), report, samples_by_reason(report, per_reason, max_chars))


def write_report(
    path: str | Path, output: str | Path, per_reason: int = 20, max_chars: int = 2000, rule: SkewRule | None = None
) -> Path:
    html = build_report(path, per_reason, max_chars, rule)
    out = Path(output)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(out)  # a half-written report is never left under the final name
    return out
