"""Reading stage outputs for people: per-stage statistics and samples of removed documents.

Works on one stage directory or on a run directory holding several (``extract/``, ``filter/``,
``dedup/`` ...). Uses ``_stats.json`` when the stage is published, and otherwise scans its Parquet
files with pyarrow (no Spark), so it also works on outputs copied from a cluster.
"""

from __future__ import annotations

import json
from functools import reduce
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds

from pipeline.funnel import SkewRule, rule_dict, stage_funnel
from pipeline.io.publish import MANIFEST, STATS, SUCCESS
from pipeline.stats import file_partial, finalize, merge

# The Airflow DAG also writes "pii" and "model_filters" (filter-job outputs) between these.
STAGE_ORDER = ("extract", "filter", "pii", "dedup", "decontaminate", "model_filters", "tokenize", "tokens")


def is_stage_dir(path: Path) -> bool:
    return (path / SUCCESS).exists() or (path / MANIFEST).exists() or any(path.glob("status=*"))


def stage_dirs(path: str | Path) -> dict[str, Path]:
    """``{stage name: directory}`` for a stage directory or a run directory, in pipeline order."""
    root = Path(path)
    if not root.exists():
        raise FileNotFoundError(f"no such directory: {root}")
    if is_stage_dir(root):
        return {_stage_name(root): root}
    # Folder names, not manifest stage names: several folders of a run may come from the same job.
    found = {p.name: p for p in sorted(root.iterdir()) if p.is_dir() and is_stage_dir(p)}
    order = {name: i for i, name in enumerate(STAGE_ORDER)}
    return dict(sorted(found.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))


def _stage_name(path: Path) -> str:
    manifest = path / MANIFEST
    if manifest.exists():
        return json.loads(manifest.read_text(encoding="utf-8")).get("stage", path.name)
    return path.name


def stage_stats(path: Path) -> dict[str, Any]:
    """Stats of one stage: its ``_stats.json`` if published, else a pyarrow scan of its files."""
    published = (path / SUCCESS).exists() and (path / STATS).exists()
    if published:
        stats = json.loads((path / STATS).read_text(encoding="utf-8"))
    if not published or ("rows" in stats and "removed_by_language" not in stats):
        # unpublished, or published by a version that did not count removals per language
        files = sorted(str(p.relative_to(path)) for p in path.rglob("*.parquet"))
        scanned = finalize(reduce(merge, (file_partial(str(path / f), f) for f in files), {}))
        stats = {**scanned, **stats, "removed_by_language": scanned["removed_by_language"]} if published else scanned
    stats["published"] = published
    return stats


def step_order(path: Path) -> list[str]:
    """Step names in the order the stage applied them (from its manifest; empty if unknown)."""
    manifest = path / MANIFEST
    if not manifest.exists():
        return []
    steps = json.loads(manifest.read_text(encoding="utf-8")).get("steps") or []
    return [s["name"] for s in steps if isinstance(s, dict) and s.get("name")]


def collect(path: str | Path, rule: SkewRule | None = None) -> dict[str, Any]:
    """Everything ``corpus stats`` prints: per stage, plus the funnel from first input to last output.

    Each document stage also gets ``language_funnel`` (``pipeline.funnel``); the report's
    ``language_flags`` lists the steps flagged by ``rule`` in every stage.
    """
    rule = rule or SkewRule()
    dirs = stage_dirs(path)
    stages = {name: stage_stats(p) for name, p in dirs.items()}
    flagged = []
    for name, p in dirs.items():
        stages[name]["path"] = str(p)
        if "rows" in stages[name]:
            stages[name]["language_funnel"] = stage_funnel(name, stages[name], step_order(p), rule)
            flagged += stages[name]["language_funnel"]["flags"]
    # Token shards (tokenize) have no kept/removed rows: they are not part of the document funnel.
    documents = {n: s for n, s in stages.items() if "rows" in s}
    funnel = [
        {"stage": n, "in": s.get("rows", 0), "kept": s.get("kept", 0), "removed": s.get("removed", 0)}
        for n, s in documents.items()
    ]
    return {
        "stages": stages,
        "funnel": funnel,
        "accounting_ok": all(s.get("accounting_ok", False) for s in documents.values()),
        "language_flags": flagged,
        "skew_rule": rule_dict(rule),
    }


def removed_samples(stage_path: str | Path, per_reason: int = 20, max_chars: int = 2000) -> dict[str, list[dict]]:
    """Up to ``per_reason`` removed documents per ``removed_by/removed_reason``, for manual review."""
    path = Path(stage_path)
    removed = path / "status=removed"
    if not removed.exists():
        return {}
    dataset = ds.dataset(str(removed), format="parquet", partitioning="hive")
    wanted = ["id", "url", "title", "text", "language", "removed_by", "removed_reason", "removed_detail"]
    columns = [c for c in wanted if c in dataset.schema.names]
    out: dict[str, list[dict]] = {}
    for batch in dataset.to_batches(columns=columns, batch_size=4096):
        for row in batch.to_pylist():
            key = f"{row.get('removed_by')}/{row.get('removed_reason')}"
            bucket = out.setdefault(key, [])
            if len(bucket) < per_reason:
                text = row.get("text") or ""
                row["text"] = text[:max_chars] + ("…" if len(text) > max_chars else "")
                bucket.append(row)
    return dict(sorted(out.items()))
